//! The dashboard drawn into a test terminal.

use super::*;
use crate::state::tests::{TODAY, account, loaded, profile};
use crate::state::{Answer, Key, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub(crate) fn screen(state: &State, width: u16, height: u16) -> String {
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
    s.update(Answer::InvitationsLoaded(
        finance_core::domain::InvitationList { items: Vec::new() },
    ));
    s.update(Answer::ProfileLoaded(crate::state::tests::profile(
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
    s.accounts.profile = Some(profile(accounts));
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
    s.update(Key::OpenAddMovement);
    for c in "1.001".chars() {
        s.update(Key::Char(c));
    }
    s.update(Key::Submit);
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
    s.update(Key::ToggleHelp);
    let text = screen(&s, 80, 24);
    assert!(
        text.contains("Keys") && text.contains("filter movements by text"),
        "{text}"
    );
    s.update(Key::Quit);
    s.update(Key::OpenFilter);
    s.update(Key::Char('2'));
    let text = screen(&s, 80, 24);
    assert!(
        text.contains("[filter: 2]") && text.contains("item 2") && !text.contains("item 1"),
        "{text}"
    );
    s.update(Key::Cancel);
    s.update(Answer::Failed(
        "service unavailable: cannot reach the server at http://x".into(),
    ));
    assert!(screen(&s, 80, 24).contains("⚠ service unavailable"));
}

#[test]
fn c_switches_the_currency_of_the_net_worth() {
    use crate::state::Effect;
    use finance_core::domain::{Currency, MoneySum, NetWorth};
    let mut s = loaded(0, false);
    let eur = Currency::parse("EUR").expect("EUR");
    let jpy = Currency::parse("JPY").expect("JPY");
    // No base currency: the first press picks the first currency held, then the next.
    assert_eq!(
        s.update(Key::SwitchCurrency),
        vec![Effect::LoadProfile(Some(eur))]
    );
    let mut p = s.accounts.profile.clone().expect("loaded");
    p.net_worth = Some(NetWorth {
        currency: eur,
        amount: MoneySum::zero(eur),
        as_of: TODAY,
        missing: vec![jpy],
    });
    s.update(Answer::ProfileLoaded(p.clone()));
    let text = screen(&s, 100, 24);
    assert!(
        text.contains("Net worth: 0.00 EUR (no rate: JPY)   100.00 EUR  ·  5000 JPY"),
        "{text}"
    );
    assert_eq!(
        s.update(Key::SwitchCurrency),
        vec![Effect::LoadProfile(Some(jpy))]
    );
    assert_eq!(
        s.update(Key::SwitchCurrency),
        vec![Effect::LoadProfile(Some(eur))]
    );
    // A new movement changes a converted net worth: it is read again.
    let bank = s.accounts.current().cloned().expect("bank");
    let m = crate::state::tests::movement(&bank, 100, TODAY, "more");
    s.update(Answer::ProfileLoaded(p));
    assert_eq!(
        s.update(Answer::MovementAdded(m)),
        vec![Effect::LoadProfile(Some(eur))]
    );
}

#[test]
fn g_shows_spending_against_budgets_and_cash_flow_by_month() {
    use crate::state::{Effect, Mode};
    use finance_core::domain::{
        Budget, BudgetList, BudgetStatus, CashFlowReport, Currency, DayFlow, ReportQuery, Step,
        cash_flow,
    };
    use time::macros::date;
    let mut s = loaded(0, false);
    assert_eq!(s.update(Key::ToggleReports), vec![Effect::LoadReports]);
    assert_eq!(s.mode, Mode::Reports);
    assert!(screen(&s, 100, 30).contains("Loading the reports"));
    let eur = Currency::parse("EUR").expect("EUR");
    let day = |d, category: &str, income, expense| DayFlow {
        day: d,
        currency: eur,
        category: Some(category.into()),
        income,
        expense,
    };
    let query = ReportQuery {
        from: date!(2026 - 10 - 01),
        to: date!(2026 - 11 - 24),
        step: Step::Month,
        currency: None,
    };
    let report: CashFlowReport = cash_flow(
        &query,
        &[
            day(date!(2026 - 10 - 03), "pay", 300_000, 0),
            day(date!(2026 - 11 - 03), "food", 0, 32_000),
            day(date!(2026 - 11 - 04), "rent", 0, 90_000),
        ],
        |_| None,
    );
    let budget = |category: &str, minor| Budget {
        category: category.into(),
        currency: eur,
        amount: finance_core::domain::Money::from_minor(minor, eur),
    };
    let budgets = BudgetList {
        month: "2026-11".into(),
        items: vec![
            BudgetStatus::new(budget("food", 25_000), 32_000),
            BudgetStatus::new(budget("rent", 100_000), 90_000),
            BudgetStatus::new(budget("fun", 5_000), 0),
        ],
    };
    s.update(Answer::ReportsLoaded(Box::new((report, budgets))));
    let bars = s.reports.spending();
    let over: Vec<(&str, bool)> = bars
        .iter()
        .map(|b| (b.category.as_str(), b.over()))
        .collect();
    assert_eq!(over, [("rent", false), ("food", true), ("fun", false)]);
    let text = screen(&s, 100, 30);
    for expected in [
        "Spending in 2026-11",
        "food 320/250 !",
        "rent 900/1000",
        "fun 0/50",
        "Cash flow by month",
        "Oct",
        "Nov",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    for (w, h) in [(80, 24), (40, 12), (10, 4), (1, 1)] {
        screen(&s, w, h);
    }
    s.update(Key::ToggleReports);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn s_lists_the_schedules_with_their_next_dates() {
    use crate::state::{Effect, Mode};
    use finance_core::domain::{Every, Money, Schedule, ScheduleId, ScheduleList};
    use time::macros::date;
    let mut s = loaded(0, false);
    assert_eq!(s.update(Key::ToggleSchedules), vec![Effect::LoadSchedules]);
    assert_eq!(s.mode, Mode::Schedules);
    assert!(screen(&s, 100, 24).contains("Loading the schedules"));
    let bank = s.accounts.current().cloned().expect("bank");
    let rent = Schedule {
        id: ScheduleId::random(),
        owner_id: bank.owner_id,
        account: bank.id,
        amount: Money::from_minor(-70_000, bank.currency),
        description: "Rent".into(),
        category: None,
        start: date!(2026 - 01 - 31),
        end: None,
        every: Every::Month,
        interval: 1,
        created_at: time::OffsetDateTime::UNIX_EPOCH,
        updated_at: time::OffsetDateTime::UNIX_EPOCH,
        splits: None,
        tags: Vec::new(),
    };
    s.update(Answer::SchedulesLoaded(ScheduleList { items: vec![rent] }));
    let text = screen(&s, 100, 24);
    // Today is 2026-11-24 in these tests: the next 31st-or-last is November's 30th.
    for expected in ["Rent", "Bank", "-700.00 EUR", "every month", "2026-11-30"] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    for (w, h) in [(40, 12), (1, 1)] {
        screen(&s, w, h);
    }
    s.update(Key::Cancel);
    assert_eq!(s.mode, Mode::Normal);
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
