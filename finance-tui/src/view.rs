//! Drawing the dashboard from the state; nothing here changes it. Each pane draws itself
//! (see [`crate::components`]); this lays them out and writes the status line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Paragraph};

use crate::components::{chart, form, help, schedules, sharing};
use crate::state::{Mode, Pane, State, Status};

pub fn draw(frame: &mut Frame, state: &State) {
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(8),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    state.accounts.draw_totals(frame, top, &state.location);
    if state.mode == Mode::Reports {
        state.reports.draw(frame, middle);
    } else if state.mode == Mode::Schedules {
        let accounts = state
            .accounts
            .profile
            .as_ref()
            .map_or(&[][..], |p| &p.accounts[..]);
        schedules::draw(
            frame,
            middle,
            state.schedules.as_ref(),
            accounts,
            state.today,
        );
    } else if state
        .accounts
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
        state
            .accounts
            .draw(frame, left, state.pane == Pane::Accounts);
        let [list, chart_area] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(9)]).areas(right);
        let account = state.accounts.current();
        state.movements.draw(
            frame,
            list,
            state.pane == Pane::Movements,
            account,
            state.mode == Mode::Filter,
        );
        chart::draw(frame, chart_area, account, &state.movements.items);
    }
    draw_status(frame, bottom, state);
    match &state.mode {
        Mode::Help => help::draw(frame),
        Mode::Form(f) => {
            let currency = f
                .editing
                .as_ref()
                .map(|m| m.amount.currency())
                .or_else(|| state.accounts.current().map(|a| a.currency));
            form::draw(frame, f, currency)
        }
        Mode::Invitations => sharing::draw_invitations(frame, &state.sharing),
        Mode::Members => sharing::draw_members(frame, &state.sharing),
        Mode::Rules => crate::components::rules::draw(frame, &state.rules),
        Mode::History(h) => crate::components::history::draw(frame, h),
        _ => {}
    }
}

fn draw_status(frame: &mut Frame, area: Rect, state: &State) {
    let line = match (&state.mode, &state.status) {
        (Mode::Filter, _) => Line::from(format!(
            "/{}▏  Enter keep · Esc clear",
            state.movements.filter
        )),
        (Mode::Confirm(m), _) => Line::styled(
            format!(
                "Delete {} {} ({}) of {}? y / n",
                m.amount,
                m.amount.currency(),
                m.description,
                m.occurred_on
            ),
            Style::new().fg(Color::Yellow),
        ),
        (Mode::Reports, None) => Line::from("g or Esc back · r refresh · q quit").dim(),
        (Mode::Schedules, None) => Line::from("s or Esc back · r refresh · q quit").dim(),
        (_, Some(Status::Error(e))) => Line::styled(format!("⚠ {e}"), Style::new().fg(Color::Red)),
        (_, Some(Status::Info(i))) if state.in_flight == 0 => Line::from(i.as_str()),
        _ if state.in_flight > 0 => Line::from("⟳ loading…"),
        _ => Line::from(
            "a add · n new · t move · / filter · g reports · s schedules · ? help · q quit",
        )
        .dim(),
    };
    frame.render_widget(Paragraph::new(line), area);
}

#[cfg(test)]
#[path = "view_tests.rs"]
pub(crate) mod tests;
