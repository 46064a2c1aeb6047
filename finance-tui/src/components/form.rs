//! The forms: a new account, a new movement, a movement corrected. Text fields with inline errors; the
//! rules that check them are the core's, run before anything is sent.

use finance_core::domain::{
    Account, AccountInput, Currency, FieldError, MemberInput, Movement, MovementInput,
    MovementPatch, NewAccount, NewMovement, ReconciliationInput, Role, SplitInput, Statement,
    Transfer, TransferInput, UserRef, ValidationError,
};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Account,
    Movement,
    Edit,
    Transfer,
    /// Invite someone to the account whose members are on screen.
    Invite,
    /// Reconcile the selected account with a bank statement.
    Reconcile,
}

/// One text field: the name the core uses for it (to place errors), a label, the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: Kind,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub errors: Vec<FieldError>,
    /// Sent and waiting for the answer: further submits are ignored.
    pub submitting: bool,
    /// The movement an edit form corrects, as it was read.
    pub editing: Option<Movement>,
    /// A transfer form's source account, and the accounts it may go to (`target` picks).
    pub source: Option<Account>,
    pub targets: Vec<Account>,
    pub target: usize,
    /// A movement's parts, added one by one in the Split field (Enter adds the part typed
    /// there; Backspace in it, empty, takes the last back).
    pub parts: Vec<SplitInput>,
}

fn field(key: &'static str, label: &'static str, value: &str) -> Field {
    Field {
        key,
        label,
        value: value.to_string(),
    }
}

impl Form {
    pub fn account() -> Self {
        Self::new(
            Kind::Account,
            vec![
                field("name", "Name", ""),
                field("currency", "Currency", "EUR"),
            ],
        )
    }

    /// A movement form with the date set to `today`.
    pub fn movement(today: Date) -> Self {
        Self::new(
            Kind::Movement,
            vec![
                field("amount", "Amount", ""),
                field("description", "Description", ""),
                field("occurred_on", "Date", &today.to_string()),
                field("category", "Category", ""),
                field("tags", "Tags", ""),
                field("split", "Split part", ""),
            ],
        )
    }

    /// An invitation: an email and a role (viewer unless changed to editor).
    pub fn invite() -> Self {
        Self::new(
            Kind::Invite,
            vec![field("email", "Email", ""), field("role", "Role", "viewer")],
        )
    }

    /// The invitation as typed, checked by the core's rules before it is sent.
    pub fn invite_input(&self) -> Result<MemberInput, ValidationError> {
        let role = Role::from_name(self.value("role").trim())
            .ok_or_else(|| ValidationError::new("role", "must be editor or viewer"))?;
        let input = MemberInput {
            email: self.value("email"),
            role,
        };
        input.parse().map(|_| input)
    }

    /// A bank statement's last day (today unless changed) and closing balance.
    pub fn reconcile(today: Date) -> Self {
        Self::new(
            Kind::Reconcile,
            vec![
                field("date", "Statement date", &today.to_string()),
                field("balance", "Closing balance", ""),
            ],
        )
    }

    /// The statement as typed, checked by the core's rules before it is sent.
    pub fn reconcile_input(
        &self,
        currency: Currency,
        today: Date,
    ) -> Result<ReconciliationInput, ValidationError> {
        let input = ReconciliationInput {
            date: self.value("date"),
            balance: self.value("balance"),
        };
        Statement::parse(&input, currency, today).map(|_| input)
    }

    /// The movement form filled with `m`, to correct it.
    pub fn edit(m: &Movement) -> Self {
        let mut form = Self::new(
            Kind::Edit,
            vec![
                field("amount", "Amount", &m.amount.to_string()),
                field("description", "Description", &m.description),
                field("occurred_on", "Date", &m.occurred_on.to_string()),
                field("category", "Category", m.category.as_deref().unwrap_or("")),
                field("tags", "Tags", &m.tags.join(" ")),
                field("split", "Split part", ""),
            ],
        );
        form.parts = m.splits.iter().flatten().map(SplitInput::from).collect();
        form.editing = Some(m.clone());
        form
    }

    fn new(kind: Kind, fields: Vec<Field>) -> Self {
        Self {
            kind,
            fields,
            focus: 0,
            errors: Vec::new(),
            submitting: false,
            editing: None,
            source: None,
            targets: Vec::new(),
            target: 0,
            parts: Vec::new(),
        }
    }

    /// A transfer from `source` to one of `targets` (picked with Space in the To field);
    /// the Arrived field shows only when the target's currency differs.
    pub fn transfer(source: &Account, targets: Vec<Account>, today: Date) -> Self {
        let mut form = Self::new(
            Kind::Transfer,
            vec![
                field("to_account", "To", ""),
                field("amount", "Amount", ""),
                field("to_amount", "Arrived", ""),
                field("description", "Description", ""),
                field("occurred_on", "Date", &today.to_string()),
            ],
        );
        form.source = Some(source.clone());
        form.targets = targets;
        form.sync_target();
        form
    }

    /// The account a transfer form sends to.
    pub fn chosen_target(&self) -> Option<&Account> {
        self.targets.get(self.target)
    }

    fn sync_target(&mut self) {
        let name = self
            .chosen_target()
            .map(|a| format!("{} ({})", a.name, a.currency));
        if let (Some(name), Some(f)) = (name, self.fields.first_mut()) {
            f.value = name;
        }
    }

    /// Whether field `i` is on screen: Arrived only between two currencies.
    pub fn shown(&self, i: usize) -> bool {
        let Some(f) = self.fields.get(i) else {
            return false;
        };
        if f.key != "to_amount" {
            return true;
        }
        match (&self.source, self.chosen_target()) {
            (Some(s), Some(t)) => s.currency != t.currency,
            _ => false,
        }
    }

    /// The transfer as typed, checked by the core's rules before anything is sent.
    pub fn transfer_input(&self, today: Date) -> Result<TransferInput, ValidationError> {
        let (Some(source), Some(target)) = (&self.source, self.chosen_target()) else {
            return Err(ValidationError::new("to_account", "no account to send to"));
        };
        let arrived = self.value("to_amount");
        let input = TransferInput {
            from_account: source.id.to_string(),
            to_account: target.id.to_string(),
            amount: self.value("amount"),
            to_amount: (source.currency != target.currency && !arrived.trim().is_empty())
                .then_some(arrived),
            description: self.value("description"),
            occurred_on: Some(self.value("occurred_on")),
        };
        // Checked only: who it is by does not matter to the rules.
        let by = UserRef {
            id: source.owner_id,
            email: None,
        };
        Transfer::parse(&input, source, target, today.midnight().assume_utc(), &by).map(|_| input)
    }

    pub fn title(&self) -> &'static str {
        match self.kind {
            Kind::Account => " New account ",
            Kind::Movement => " Add movement ",
            Kind::Edit => " Edit movement ",
            Kind::Transfer => " Transfer ",
            Kind::Invite => " Invite to the account ",
            Kind::Reconcile => " Reconcile with a bank statement ",
        }
    }

    pub fn push(&mut self, c: char) {
        // The To field is a choice: Space moves to the next account, nothing is typed.
        if self.kind == Kind::Transfer && self.focus == 0 {
            if c == ' ' && !self.targets.is_empty() {
                self.target = (self.target + 1) % self.targets.len();
                self.sync_target();
            }
            return;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.push(c);
        }
    }

    pub fn pop(&mut self) {
        if self.kind == Kind::Transfer && self.focus == 0 {
            return;
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            if f.key == "split" && f.value.is_empty() {
                self.parts.pop();
                return;
            }
            f.value.pop();
        }
    }

    pub fn next(&mut self) {
        let n = self.fields.len();
        self.focus = (self.focus + 1) % n;
        while !self.shown(self.focus) {
            self.focus = (self.focus + 1) % n;
        }
    }

    pub fn prev(&mut self) {
        let n = self.fields.len();
        self.focus = (self.focus + n - 1) % n;
        while !self.shown(self.focus) {
            self.focus = (self.focus + n - 1) % n;
        }
    }

    fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    pub fn errors_for(&self, key: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| e.field == key)
            .map(|e| e.message.as_str())
            .collect()
    }

    pub fn account_input(&self) -> Result<AccountInput, ValidationError> {
        let input = AccountInput {
            name: self.value("name"),
            currency: self.value("currency").to_uppercase(),
        };
        NewAccount::parse(&input).map(|_| input)
    }

    /// The movement as the core will take it, checked in the account's currency. An empty
    /// category means none.
    pub fn movement_input(
        &self,
        currency: Currency,
        today: Date,
    ) -> Result<MovementInput, ValidationError> {
        let category = self.value("category");
        let input = MovementInput {
            amount: self.value("amount"),
            description: self.value("description"),
            category: (!category.trim().is_empty()).then_some(category),
            occurred_on: Some(self.value("occurred_on")),
            splits: (!self.parts.is_empty()).then(|| self.parts.clone()),
            tags: self.tags(),
        };
        NewMovement::parse(&input, currency, today).map(|_| input)
    }

    /// The whole movement as now typed, checked by the core's rules; an empty category
    /// clears it.
    pub fn movement_patch(
        &self,
        currency: Currency,
        today: Date,
    ) -> Result<MovementPatch, ValidationError> {
        let input = self.movement_input(currency, today)?;
        Ok(MovementPatch {
            amount: Some(input.amount),
            description: Some(input.description),
            category: Some(input.category),
            occurred_on: input.occurred_on,
            splits: Some(input.splits),
            tags: Some(input.tags),
        })
    }
}

#[path = "form_draw.rs"]
mod draw;
#[path = "form_parts.rs"]
mod parts;

pub use draw::draw;
