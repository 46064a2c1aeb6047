//! The rules screen (`u`): the user's rules in the order they are tried, each with how many
//! movements it changed; Enter previews what the selected rule would change among existing
//! movements, and `y` there applies it.

use finance_core::domain::{Rule, RulePreview};
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Row, Table};

use super::centered;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// The rules, once loaded.
    pub items: Vec<Rule>,
    pub row: usize,
    /// The selected rule's preview, while it is on screen.
    pub preview: Option<RulePreview>,
}

impl Rules {
    pub fn step(&mut self, down: bool) {
        let len = self.items.len();
        self.row = if down {
            (self.row + 1).min(len.saturating_sub(1))
        } else {
            self.row.saturating_sub(1)
        };
    }

    pub fn selected(&self) -> Option<&Rule> {
        self.items.get(self.row)
    }
}

/// What a rule does, in a few words.
fn summary(r: &Rule) -> (String, String) {
    let w = &r.when;
    let when = [
        w.description_contains
            .as_ref()
            .map(|t| format!("contains {t:?}")),
        w.description_matches.as_ref().map(|p| format!("/{p}/")),
        w.amount_min.as_ref().map(|a| format!("≥ {a}")),
        w.amount_max.as_ref().map(|a| format!("≤ {a}")),
        w.currency.clone(),
        w.account.as_ref().map(|_| "one account".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let t = &r.then;
    let then = [
        t.category.as_ref().map(|c| format!("→ {c}")),
        t.description.as_ref().map(|d| format!("as {d:?}")),
    ]
    .into_iter()
    .flatten()
    .chain(t.add_tags.iter().map(|tag| format!("#{tag}")))
    .collect::<Vec<_>>()
    .join(" ");
    (when, then)
}

fn selected(i: usize, row: usize) -> Style {
    if i == row {
        Style::new().fg(Color::Black).bg(Color::Cyan)
    } else {
        Style::new()
    }
}

pub fn draw(frame: &mut Frame, rules: &Rules) {
    match &rules.preview {
        Some(preview) => draw_preview(frame, rules, preview),
        None => draw_list(frame, rules),
    }
}

fn draw_list(frame: &mut Frame, rules: &Rules) {
    let rows: Vec<Row> = rules
        .items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (when, then) = summary(r);
            Row::new(vec![
                r.position.to_string(),
                r.name.clone(),
                when,
                then,
                r.applied.to_string(),
            ])
            .style(selected(i, rules.row))
        })
        .collect();
    let empty = rows.is_empty();
    let area = centered(frame.area(), 110, rows.len() as u16 + 5);
    frame.render_widget(Clear, area);
    let footer = if empty {
        "No rules yet: make one with `finance rule add`. Esc closes"
    } else {
        "Enter previews the selected rule · Esc closes"
    };
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(3),
                Constraint::Length(18),
                Constraint::Fill(2),
                Constraint::Fill(2),
                Constraint::Length(7),
            ],
        )
        .header(Row::new(vec!["#", "Name", "When", "Then", "Matched"]).bold())
        .block(
            Block::bordered()
                .title(" Rules ")
                .title_bottom(Line::from(footer).dim()),
        ),
        area,
    );
}

fn draw_preview(frame: &mut Frame, rules: &Rules, preview: &RulePreview) {
    let rows: Vec<Row> = preview
        .items
        .iter()
        .map(|c| {
            let (m, a) = (&c.movement, &c.after);
            let description = if a.description == m.description {
                m.description.clone()
            } else {
                format!("{} → {}", m.description, a.description)
            };
            let category = match (&m.category, &a.category) {
                (before, after) if before == after => after.clone().unwrap_or_default(),
                (before, after) => format!(
                    "{} → {}",
                    before.as_deref().unwrap_or("-"),
                    after.as_deref().unwrap_or("-")
                ),
            };
            let added: Vec<String> = a
                .tags
                .iter()
                .filter(|t| !m.tags.contains(t))
                .map(|t| format!("#{t}"))
                .collect();
            Row::new(vec![
                m.occurred_on.to_string(),
                m.amount.to_string(),
                description,
                category,
                added.join(" "),
            ])
        })
        .collect();
    let name = rules.selected().map_or("", |r| r.name.as_str());
    let footer = if rows.is_empty() {
        "It would change nothing · Esc back".to_string()
    } else {
        format!("{} to change · y applies · Esc back", rows.len())
    };
    let area = centered(frame.area(), 110, rows.len().min(30) as u16 + 5);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Fill(1),
            ],
        )
        .header(Row::new(vec!["Date", "Amount", "Description", "Category", "Tags"]).bold())
        .block(
            Block::bordered()
                .title(format!(" What \"{name}\" would change "))
                .title_bottom(Line::from(footer).dim()),
        ),
        area,
    );
}
