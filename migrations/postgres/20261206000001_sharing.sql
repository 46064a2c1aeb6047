-- Sharing an account: who may do what to it, and who was asked to join.
-- accounts.owner_id stays (the owner is also the one 'owner' row here, kept equal by the
-- hand-over); every account so far has its owner as its only member.
CREATE TABLE account_members (
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    joined_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, user_id)
);
-- A user's accounts, for every read that starts from the user.
CREATE INDEX account_members_user ON account_members (user_id, account_id);
-- Exactly one owner per account: at most one here, and every account has its row.
CREATE UNIQUE INDEX account_members_owner ON account_members (account_id) WHERE role = 'owner';
INSERT INTO account_members (account_id, user_id, role, joined_at)
SELECT id, owner_id, 'owner', created_at FROM accounts;

-- An invitation is for an email (it may have no user yet); pending until answered or
-- past expires_at. invited_by has no foreign key: the inviter may leave meanwhile.
CREATE TABLE invitations (
    id UUID PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
    invited_by UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined'))
);
CREATE UNIQUE INDEX invitations_pending ON invitations (account_id, email) WHERE status = 'pending';
CREATE INDEX invitations_email ON invitations (email) WHERE status = 'pending';
