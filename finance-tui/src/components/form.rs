//! The forms: a new account, a new movement, a movement corrected. Text fields with inline errors; the
//! rules that check them are the core's, run before anything is sent.

use finance_core::domain::{
    AccountInput, Currency, FieldError, Movement, MovementInput, MovementPatch, NewAccount,
    NewMovement, ValidationError,
};
use ratatui::Frame;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use time::Date;

use super::centered;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Account,
    Movement,
    Edit,
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
            ],
        )
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
            ],
        );
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
        }
    }

    pub fn title(&self) -> &'static str {
        match self.kind {
            Kind::Account => " New account ",
            Kind::Movement => " Add movement ",
            Kind::Edit => " Edit movement ",
        }
    }

    pub fn push(&mut self, c: char) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.push(c);
        }
    }

    pub fn pop(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.pop();
        }
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
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
        })
    }
}
/// The form as a pop-up, with each field's errors under it.
pub fn draw(frame: &mut Frame, form: &Form) {
    let mut lines = Vec::new();
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = Span::from(format!("{:<12}", f.label)).bold();
        let value = if focused {
            Span::styled(format!("{}▏", f.value), Style::new().fg(Color::Cyan))
        } else {
            Span::from(f.value.clone())
        };
        lines.push(Line::from(vec![label, value]));
        for e in form.errors_for(f.key) {
            lines.push(Line::styled(
                format!("            {e}"),
                Style::new().fg(Color::Red),
            ));
        }
    }
    let other: Vec<&str> = form
        .errors
        .iter()
        .filter(|e| !form.fields.iter().any(|f| f.key == e.field))
        .map(|e| e.message.as_str())
        .collect();
    for e in other {
        lines.push(Line::styled(e.to_string(), Style::new().fg(Color::Red)));
    }
    lines.push(Line::from(""));
    lines.push(
        Line::from(if form.submitting {
            "Saving…"
        } else {
            "Enter save · Tab next field · Esc cancel"
        })
        .dim(),
    );
    let area = centered(frame.area(), 60, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(form.title())),
        area,
    );
}
