//! What reaches the dashboard: a key the user meant, or the answer to background work;
//! and the work it asks for in return.

use finance_core::domain::{
    Account, AccountId, AccountInput, BudgetList, CashFlowReport, Currency, Cursor, InvitationId,
    InvitationList, Member, MemberInput, MemberList, Movement, MovementInput, MovementPage,
    MovementPatch, Profile, ScheduleList, Transfer, TransferInput, UserId, ValidationError,
};
use finance_core::domain::{
    Applied, HistoryPage, MovementId, Reconciliation, ReconciliationInput, RuleId, RuleList,
    RulePreview,
};

/// What a key press means, once [`crate::keys`] has read it for the screen it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Up,
    Down,
    NextPane,
    OpenAddMovement,
    OpenNewAccount,
    OpenFilter,
    EditMovement,
    DeleteMovement,
    OpenTransfer,
    ToggleArchived,
    SwitchCurrency,
    ToggleReports,
    ToggleSchedules,
    /// The members of the selected account.
    ToggleMembers,
    Invite,
    /// Remove a member; decline an invitation.
    Remove,
    /// Accept an invitation; apply a previewed rule.
    Accept,
    /// The rules screen.
    ToggleRules,
    /// The history of the selected movement.
    ToggleHistory,
    /// Reconcile the selected account with a bank statement.
    OpenReconcile,
    Refresh,
    ToggleHelp,
    Quit,
    Cancel,
    Submit,
    Char(char),
    Backspace,
    NextField,
    PrevField,
}

/// How a piece of background work ([`Effect`]) went.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    ProfileLoaded(Profile),
    MovementsLoaded {
        account: AccountId,
        page: MovementPage,
        append: bool,
    },
    AccountCreated(Account),
    MovementAdded(Movement),
    MovementEdited(Movement),
    MovementDeleted(Movement),
    Transferred(Box<Transfer>),
    ReportsLoaded(Box<(CashFlowReport, BudgetList)>),
    SchedulesLoaded(ScheduleList),
    InvitationsLoaded(InvitationList),
    /// Accepted (the account joined) or declined.
    InvitationAnswered(Option<Account>),
    MembersLoaded {
        account: AccountId,
        list: MemberList,
    },
    MemberInvited(Member),
    MemberRemoved,
    RulesLoaded(RuleList),
    RulePreviewed {
        rule: RuleId,
        preview: RulePreview,
    },
    RuleApplied(Applied),
    HistoryLoaded {
        movement: MovementId,
        page: HistoryPage,
    },
    Reconciled(Reconciliation),
    /// The change feed was read up to `next` (`None`: start again from now); `changed` if
    /// anything changed since the last read.
    ChangesSeen {
        next: Option<String>,
        changed: bool,
    },
    Rejected(ValidationError),
    Failed(String),
}

/// Everything [`crate::state::State::update`] takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(Key),
    /// Boxed: keys are many and small, answers few and large.
    Answer(Box<Answer>),
}

impl From<Key> for Action {
    fn from(key: Key) -> Self {
        Action::Key(key)
    }
}

impl From<Answer> for Action {
    fn from(answer: Answer) -> Self {
        Action::Answer(Box::new(answer))
    }
}

/// Work for the background.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The profile, with the net worth in this currency (else the base currency).
    LoadProfile(Option<Currency>),
    /// A page of the account's movements; with `q`, of those whose description holds it
    /// (the whole history, asked of the server or the database).
    LoadMovements {
        account: Account,
        cursor: Option<Cursor>,
        q: Option<String>,
    },
    CreateAccount(AccountInput),
    AddMovement {
        account: Account,
        input: MovementInput,
    },
    EditMovement {
        movement: Movement,
        patch: MovementPatch,
    },
    DeleteMovement(Movement),
    Transfer(TransferInput),
    /// Twelve months of cash flow (in the base currency, if any) and this month's budgets.
    LoadReports,
    LoadSchedules,
    LoadInvitations,
    AnswerInvitation {
        id: InvitationId,
        accept: bool,
    },
    LoadMembers(Account),
    Invite {
        account: Account,
        input: MemberInput,
    },
    RemoveMember {
        account: Account,
        member: UserId,
    },
    LoadRules,
    /// What the rule would change, before it is applied.
    PreviewRule(RuleId),
    ApplyRule(RuleId),
    /// The changes of one movement of the account.
    LoadHistory {
        account: Account,
        movement: MovementId,
    },
    Reconcile {
        account: Account,
        input: ReconciliationInput,
    },
    /// Waits a moment, then reads the change feed after the cursor (`None`: finds where
    /// it stands now). Always one in the background, never counted as loading.
    FollowChanges(Option<String>),
}
