//! Why a request clashes with what exists: one variant per rule, each with its own problem
//! type, so that a client branches on the type, never on the text.

/// A request the records' state forbids (HTTP 409); nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// A movement, transfer or import for an archived account.
    #[error("the account is archived; unarchive it to add movements")]
    AccountArchived,
    /// Deleting an account that has movements.
    #[error("the account has movements; archive it instead")]
    HasMovements,
    /// Changing or deleting a leg of a transfer through the movement routes.
    #[error("this movement is a leg of a transfer; change the transfer instead")]
    TransferLeg,
    /// An account name the owner already uses.
    #[error("an account with that name already exists")]
    NameTaken,
    /// An `Idempotency-Key` first used with another request.
    #[error("this Idempotency-Key was already used with a different request")]
    IdempotencyKeyReused,
    /// Booking schedules by hand against a server, which books them itself.
    #[error("the server books its schedules itself (at start and hourly)")]
    ServerBooksSchedules,
    /// Inviting someone who is a member or has a pending invitation.
    #[error("this email is already a member of the account or invited to it")]
    AlreadyMember,
    /// The owner leaving, or giving up the owner role, without handing the account over.
    #[error("the owner must hand the account over to another member first")]
    OwnerMustHandOver,
    /// Deleting a user who owns an account that others are members of.
    #[error("an account you own has other members; hand it over or remove them first")]
    AccountShared,
    /// Changing a reconciled movement, dating anything on or before the latest
    /// reconciled date, or deleting a reconciliation that is not the latest.
    #[error("the account is reconciled through this date; reconciled movements are locked")]
    Reconciled,
}

impl Refusal {
    /// Every refusal, for documents and tests.
    pub const ALL: [Refusal; 10] = [
        Refusal::AccountArchived,
        Refusal::HasMovements,
        Refusal::TransferLeg,
        Refusal::NameTaken,
        Refusal::IdempotencyKeyReused,
        Refusal::ServerBooksSchedules,
        Refusal::AlreadyMember,
        Refusal::OwnerMustHandOver,
        Refusal::AccountShared,
        Refusal::Reconciled,
    ];

    /// Its problem type (RFC 9457 `type`), relative to the API's address.
    pub fn problem_type(self) -> &'static str {
        match self {
            Refusal::AccountArchived => "/problems/account-archived",
            Refusal::HasMovements => "/problems/has-movements",
            Refusal::TransferLeg => "/problems/transfer-leg",
            Refusal::NameTaken => "/problems/name-taken",
            Refusal::IdempotencyKeyReused => "/problems/idempotency-key-reused",
            Refusal::ServerBooksSchedules => "/problems/server-books-schedules",
            Refusal::AlreadyMember => "/problems/already-member",
            Refusal::OwnerMustHandOver => "/problems/owner-must-hand-over",
            Refusal::AccountShared => "/problems/account-shared",
            Refusal::Reconciled => "/problems/reconciled",
        }
    }

    /// Its problem title: short, the same for every instance.
    pub fn title(self) -> &'static str {
        match self {
            Refusal::AccountArchived => "Account archived",
            Refusal::HasMovements => "Account has movements",
            Refusal::TransferLeg => "Transfer leg",
            Refusal::NameTaken => "Name taken",
            Refusal::IdempotencyKeyReused => "Idempotency key reused",
            Refusal::ServerBooksSchedules => "Schedules are booked by the server",
            Refusal::AlreadyMember => "Already a member",
            Refusal::OwnerMustHandOver => "Owner must hand over",
            Refusal::AccountShared => "Account shared",
            Refusal::Reconciled => "Reconciled",
        }
    }

    /// The refusal a problem type names, as a client reads an answer.
    pub fn from_problem_type(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.problem_type() == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_a_type_of_its_own_that_reads_back() {
        let mut types: Vec<&str> = Refusal::ALL.iter().map(|r| r.problem_type()).collect();
        types.sort();
        types.dedup();
        assert_eq!(types.len(), Refusal::ALL.len());
        for r in Refusal::ALL {
            assert_eq!(Refusal::from_problem_type(r.problem_type()), Some(r));
        }
        assert_eq!(Refusal::from_problem_type("/problems/conflict"), None);
    }
}
