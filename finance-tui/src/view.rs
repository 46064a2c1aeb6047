//! Drawing the dashboard from the state; nothing here changes it.

use finance_core::domain::Money;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Axis, Block, Chart, Clear, Dataset, GraphType, List, ListItem, ListState, Paragraph, Row,
    Table, TableState, Wrap,
};

use crate::state::{Mode, Pane, State, Status, balance_series};

fn amount_style(m: Money) -> Style {
    sign_style(m.minor().signum())
}

fn sign_style(sign: i64) -> Style {
    match sign {
        -1 => Style::new().fg(Color::Red),
        1 => Style::new().fg(Color::Green),
        _ => Style::new(),
    }
}

fn shown(m: Money) -> String {
    format!("{m} {}", m.currency())
}

fn pane_block(title: &str, focused: bool) -> Block<'_> {
    let block = Block::bordered().title(title);
    if focused {
        block.border_style(Style::new().fg(Color::Cyan))
    } else {
        block
    }
}

pub fn draw(frame: &mut Frame, state: &State) {
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(8),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_totals(frame, top, state);
    if state
        .profile
        .as_ref()
        .is_some_and(|p| p.accounts.is_empty())
    {
        let text = Text::from(vec![
            Line::from("No accounts yet.").bold(),
            Line::from(""),
            Line::from("Press n to create one, ? for the keys, q to quit."),
        ]);
        frame.render_widget(
            Paragraph::new(text).centered().block(Block::bordered()),
            middle,
        );
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Length(30), Constraint::Min(30)]).areas(middle);
        draw_accounts(frame, left, state);
        let [list, chart] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(9)]).areas(right);
        draw_movements(frame, list, state);
        draw_chart(frame, chart, state);
    }
    draw_status(frame, bottom, state);
    match &state.mode {
        Mode::Help => draw_help(frame),
        Mode::Form(form) => draw_form(frame, form),
        _ => {}
    }
}

fn draw_totals(frame: &mut Frame, area: Rect, state: &State) {
    let mut spans = vec![Span::from("Net worth: ").bold()];
    match &state.profile {
        None => spans.push(Span::from("loading…")),
        Some(p) if p.totals.is_empty() => spans.push(Span::from("nothing yet")),
        Some(p) => {
            for (i, t) in p.totals.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::from("  ·  "));
                }
                let text = format!("{} {}", t.balance, t.currency);
                spans.push(Span::styled(
                    text,
                    sign_style(t.balance.minor().signum() as i64),
                ));
            }
        }
    }
    let who = state
        .profile
        .as_ref()
        .map(|p| p.user.email.to_string())
        .unwrap_or_default();
    let title = format!(" finance — {who} on {} ", state.location);
    frame.render_widget(
        Paragraph::new(Line::from(spans)).block(Block::bordered().title(title)),
        area,
    );
}

fn draw_accounts(frame: &mut Frame, area: Rect, state: &State) {
    let width = usize::from(area.width.saturating_sub(4));
    let items: Vec<ListItem> = state
        .accounts()
        .iter()
        .map(|a| {
            let balance = shown(a.balance);
            let room = width.saturating_sub(balance.chars().count() + 1);
            let name: String = a.name.chars().take(room).collect();
            let pad =
                " ".repeat(width.saturating_sub(name.chars().count() + balance.chars().count()));
            ListItem::new(Line::from(vec![
                Span::from(name),
                Span::from(pad),
                Span::styled(balance, amount_style(a.balance)),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(pane_block(" Accounts ", state.pane == Pane::Accounts))
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut list_state =
        ListState::default().with_selected(state.account().map(|_| state.selected));
    frame.render_stateful_widget(list, area, &mut list_state);
}

fn draw_movements(frame: &mut Frame, area: Rect, state: &State) {
    let visible = state.visible();
    let rows: Vec<Row> = visible
        .iter()
        .map(|m| {
            Row::new(vec![
                Line::from(m.occurred_on.to_string()),
                Line::styled(shown(m.amount), amount_style(m.amount)).right_aligned(),
                Line::from(m.category.clone().unwrap_or_default()),
                Line::from(m.description.clone()),
            ])
        })
        .collect();
    let mut title = match state.account() {
        Some(a) => format!(" Movements — {} ", a.name),
        None => " Movements ".to_string(),
    };
    if !state.filter.is_empty() || state.mode == Mode::Filter {
        title.push_str(&format!("[filter: {}] ", state.filter));
    }
    if state.loading_more {
        title.push_str("(loading more…) ");
    } else if state.next_cursor.is_some() {
        title.push_str("(more below) ");
    }
    let empty = rows.is_empty();
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Min(8),
        ],
    )
    .header(Row::new(vec!["Date", "Amount", "Category", "Description"]).bold())
    .block(pane_block(&title, state.pane == Pane::Movements))
    .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut table_state = TableState::default().with_selected((!empty).then_some(state.row));
    frame.render_stateful_widget(table, area, &mut table_state);
}

fn draw_chart(frame: &mut Frame, area: Rect, state: &State) {
    let block = Block::bordered().title(" Balance over time ");
    let Some(account) = state.account() else {
        frame.render_widget(block, area);
        return;
    };
    let series = balance_series(account, &state.movements);
    if series.len() < 2 {
        frame.render_widget(
            Paragraph::new("Not enough history to draw yet.").block(block),
            area,
        );
        return;
    }
    // Floating point only places points on the screen; amounts stay integers elsewhere.
    let scale = 10f64.powi(i32::from(account.currency.exponent()));
    let points: Vec<(f64, f64)> = series
        .iter()
        .map(|(d, b)| (f64::from(d.to_julian_day()), *b as f64 / scale))
        .collect();
    let (x0, x1) = (points[0].0, points[points.len() - 1].0);
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo == hi {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let first = series[0].0.to_string();
    let last = series[series.len() - 1].0.to_string();
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .data(&points);
    let chart = Chart::new(vec![dataset])
        .block(block)
        .x_axis(Axis::default().bounds([x0, x1]).labels([first, last]))
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels([format!("{lo:.0}"), format!("{hi:.0}")]),
        );
    frame.render_widget(chart, area);
}

fn draw_status(frame: &mut Frame, area: Rect, state: &State) {
    let line = match (&state.mode, &state.status) {
        (Mode::Filter, _) => Line::from(format!("/{}▏  Enter keep · Esc clear", state.filter)),
        (_, Some(Status::Error(e))) => Line::styled(format!("⚠ {e}"), Style::new().fg(Color::Red)),
        (_, Some(Status::Info(i))) if state.in_flight == 0 => Line::from(i.as_str()),
        _ if state.in_flight > 0 => Line::from("⟳ loading…"),
        _ => {
            Line::from("a add · n new account · / filter · r refresh · Tab pane · ? help · q quit")
                .dim()
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_help(frame: &mut Frame) {
    let keys = [
        ("↑ ↓  j k", "move in the focused pane"),
        ("Tab", "switch between accounts and movements"),
        ("a", "add a movement to the selected account"),
        ("n", "new account"),
        ("/", "filter movements by text"),
        ("r", "refresh"),
        ("?", "this help"),
        ("q", "quit"),
    ];
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::from(format!("{k:<10}")).bold(),
                Span::from(*what),
            ])
        })
        .collect();
    let area = centered(frame.area(), 56, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        area,
    );
}

fn draw_form(frame: &mut Frame, form: &crate::form::Form) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::{TODAY, account, loaded, profile};
    use crate::state::{Action, State};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(state: &State, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|f| draw(f, state)).expect("draw");
        let buffer = terminal.backend().buffer().clone();
        buffer
            .content
            .chunks(usize::from(width))
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn empty_state_invites_to_create_an_account() {
        let mut s = State::new("the local database".into(), TODAY);
        s.start();
        assert!(screen(&s, 80, 24).contains("Net worth: loading…"));
        s.update(Action::ProfileLoaded(crate::state::tests::profile(
            Vec::new(),
        )));
        let text = screen(&s, 80, 24);
        assert!(text.contains("No accounts yet."), "{text}");
        assert!(text.contains("Press n to create one"));
        assert!(text.contains("Net worth: nothing yet"));
        assert!(text.contains("q quit"));
    }

    #[test]
    fn totals_past_i64_show_exactly() {
        let mut s = loaded(0, false);
        let accounts = vec![account("A", "EUR", i64::MAX), account("B", "EUR", i64::MAX)];
        s.profile = Some(profile(accounts));
        let text = screen(&s, 100, 24);
        assert!(
            text.contains("Net worth: 184467440737095516.14 EUR"),
            "{text}"
        );
    }

    #[test]
    fn accounts_totals_movements_and_chart() {
        let s = loaded(4, true);
        let text = screen(&s, 80, 24);
        for expected in [
            "Net worth: 100.00 EUR  ·  5000 JPY",
            "Bank",
            "100.00 EUR",
            "Cash",
            "5000 JPY",
            "Movements — Bank",
            "2026-11-24",
            "1.00 EUR",
            "item 0",
            "(more below)",
            "Balance over time",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        // The chart's axis spans the loaded history.
        assert!(text.contains("2026-11-20"), "{text}");
    }

    #[test]
    fn form_errors_are_shown_under_their_field() {
        let mut s = loaded(1, false);
        s.update(Action::OpenAddMovement);
        for c in "1.001".chars() {
            s.update(Action::Char(c));
        }
        s.update(Action::Submit);
        let text = screen(&s, 80, 24);
        assert!(text.contains("Add movement"), "{text}");
        assert!(
            text.contains("EUR allows at most 2 fraction digits, got 3"),
            "{text}"
        );
        assert!(text.contains("must not be empty"), "{text}");
        let amount = text
            .lines()
            .position(|l| l.contains("Amount      1.001"))
            .expect("amount row");
        assert!(
            text.lines()
                .nth(amount + 1)
                .is_some_and(|l| l.contains("fraction digits"))
        );
    }

    #[test]
    fn help_filter_and_status_lines() {
        let mut s = loaded(3, false);
        s.update(Action::ToggleHelp);
        let text = screen(&s, 80, 24);
        assert!(
            text.contains("Keys") && text.contains("filter movements by text"),
            "{text}"
        );
        s.update(Action::Quit);
        s.update(Action::OpenFilter);
        s.update(Action::Char('2'));
        let text = screen(&s, 80, 24);
        assert!(
            text.contains("[filter: 2]") && text.contains("item 2") && !text.contains("item 1"),
            "{text}"
        );
        s.update(Action::Cancel);
        s.update(Action::Failed(
            "service unavailable: cannot reach the server at http://x".into(),
        ));
        assert!(screen(&s, 80, 24).contains("⚠ service unavailable"));
    }

    #[test]
    fn any_size_draws_without_panic() {
        let s = loaded(30, true);
        for (w, h) in [(80, 24), (120, 40), (200, 60), (40, 12), (10, 4), (1, 1)] {
            screen(&s, w, h);
        }
        let text = screen(&s, 80, 24);
        assert!(text.lines().all(|l| l.chars().count() == 80));
    }
}
