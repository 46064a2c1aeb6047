//! Sharing: the members pane of the selected account (`m`; its owner invites with `i`
//! and removes with `x`) and the pending invitations, shown at start (`y` accepts, `x`
//! declines).

use finance_core::domain::{Account, Action, Invitation, Member, MemberStatus};
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Row, Table};

use super::centered;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sharing {
    /// The invitations to the user still pending.
    pub invitations: Vec<Invitation>,
    /// The account whose members are on screen, with them once loaded.
    pub account: Option<Account>,
    pub members: Vec<Member>,
    /// The selected row of whichever list is on screen.
    pub row: usize,
}

impl Sharing {
    /// Moves the selection in a list of `len` rows.
    pub fn step(&mut self, down: bool, len: usize) {
        self.row = if down {
            (self.row + 1).min(len.saturating_sub(1))
        } else {
            self.row.saturating_sub(1)
        };
    }

    pub fn invitation(&self) -> Option<&Invitation> {
        self.invitations.get(self.row)
    }

    pub fn member(&self) -> Option<&Member> {
        self.members.get(self.row)
    }

    /// Whether the user may change the members on screen (the core's rule for the role).
    pub fn manages(&self) -> bool {
        self.account
            .as_ref()
            .is_some_and(|a| a.role.may(Action::Manage))
    }
}

fn selected(i: usize, row: usize) -> Style {
    if i == row {
        Style::new().fg(Color::Black).bg(Color::Cyan)
    } else {
        Style::new()
    }
}

pub fn draw_invitations(frame: &mut Frame, s: &Sharing) {
    let rows: Vec<Row> = s
        .invitations
        .iter()
        .enumerate()
        .map(|(i, inv)| {
            let by = inv
                .invited_by
                .email
                .as_ref()
                .map_or_else(|| "someone who left".into(), |e| e.to_string());
            Row::new(vec![
                format!("{} ({})", inv.account.name, inv.account.currency),
                inv.role.as_str().to_string(),
                by,
                inv.expires_at.date().to_string(),
            ])
            .style(selected(i, s.row))
        })
        .collect();
    let area = centered(frame.area(), 90, rows.len() as u16 + 5);
    frame.render_widget(Clear, area);
    let table = Table::new(
        rows,
        [
            Constraint::Min(20),
            Constraint::Length(8),
            Constraint::Min(20),
            Constraint::Length(11),
        ],
    )
    .header(Row::new(vec!["ACCOUNT", "ROLE", "INVITED BY", "UNTIL"]).bold())
    .block(
        Block::bordered()
            .title(" Invitations ")
            .title_bottom(Line::from(" y accept · x decline · Esc later ").centered()),
    );
    frame.render_widget(table, area);
}

pub fn draw_members(frame: &mut Frame, s: &Sharing) {
    let rows: Vec<Row> = s
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let status = match m.status {
                MemberStatus::Active => "active".to_string(),
                MemberStatus::Invited => m.expires_at.map_or_else(
                    || "invited".into(),
                    |t| format!("invited until {}", t.date()),
                ),
            };
            Row::new(vec![
                m.email.to_string(),
                m.role.as_str().to_string(),
                status,
            ])
            .style(selected(i, s.row))
        })
        .collect();
    let name = s.account.as_ref().map_or("", |a| a.name.as_str());
    let keys = if s.manages() {
        " i invite · x remove · Esc back "
    } else {
        " x (on yourself) leave · Esc back "
    };
    let area = centered(frame.area(), 80, rows.len() as u16 + 5);
    frame.render_widget(Clear, area);
    let table = Table::new(
        rows,
        [
            Constraint::Min(24),
            Constraint::Length(8),
            Constraint::Length(24),
        ],
    )
    .header(Row::new(vec!["EMAIL", "ROLE", "STATUS"]).bold())
    .block(
        Block::bordered()
            .title(format!(" Members of {name} "))
            .title_bottom(Line::from(keys).centered()),
    );
    frame.render_widget(table, area);
}
