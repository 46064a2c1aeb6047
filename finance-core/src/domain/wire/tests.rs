//! What the server writes, a client reads back as the same value.

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::macros::{date, datetime};

use super::super::*;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> T {
    let text = serde_json::to_string(value).expect("written");
    let back: T = serde_json::from_str(&text).expect("read back");
    assert_eq!(&back, value, "{text}");
    back
}

fn cur(code: &str) -> Currency {
    Currency::parse(code).expect("a currency")
}

fn movement(currency: Currency, minor: i64) -> Movement {
    Movement {
        reconciled: false,
        id: MovementId::random(),
        account_id: AccountId::random(),
        amount: Money::from_minor(minor, currency),
        description: "Lunch \"at\" Joe's".into(),
        category: Some("food".into()),
        occurred_on: date!(2026 - 11 - 30),
        transfer_id: Some(TransferId::random()),
        schedule_id: None,
        created_at: datetime!(2026-11-30 12:00:00.123456 UTC),
        updated_at: datetime!(2026-12-01 08:00 UTC),
        created_by: UserRef::sample(),
        updated_by: UserRef {
            id: UserId::random(),
            email: None,
        },
        splits: None,
        tags: Vec::new(),
        rule_id: None,
    }
}

#[test]
fn movements_and_transfers_read_back_in_their_own_currency() {
    for (code, minor) in [
        ("EUR", -1250),
        ("JPY", 1200),
        ("BHD", -1),
        ("EUR", i64::MIN + 1),
    ] {
        let m = movement(cur(code), minor);
        let json = serde_json::to_value(&m).expect("written");
        assert_eq!(json["currency"], code);
        round_trip(&m);
    }
    round_trip(&Transfer {
        id: TransferId::random(),
        from: movement(cur("EUR"), -10_000),
        to: movement(cur("JPY"), 16_300),
        rate: Some("163.000000".into()),
    });
    round_trip(&MovementPage {
        items: vec![movement(cur("USD"), 5)],
        next_cursor: Some(Cursor {
            occurred_on: date!(2026 - 01 - 02),
            seq: 42,
        }),
    });
}

#[test]
fn an_amount_that_does_not_fit_its_currency_is_refused() {
    let mut json = serde_json::to_value(movement(cur("JPY"), 5)).expect("written");
    json["amount"] = "5.5".into();
    assert!(serde_json::from_value::<Movement>(json).is_err());
}

#[test]
fn accounts_schedules_and_the_profile_read_back() {
    let eur = cur("EUR");
    let mut account = Account {
        reconciled_on: None,
        id: AccountId::random(),
        owner_id: UserId(uuid::Uuid::nil()),
        owner_email: None,
        role: crate::domain::Role::Owner,
        name: "Bank".into(),
        currency: eur,
        balance: Money::from_minor(123_456, eur),
        archived: true,
        created_at: datetime!(2026-11-01 00:00 UTC),
    };
    round_trip(&account);
    account.archived = false;
    let user = User {
        id: UserId::random(),
        email: Email::parse("me@example.com").expect("an email"),
        created_at: datetime!(2026-11-01 00:00 UTC),
        base_currency: Some(eur),
    };
    round_trip(&Profile {
        user: user.clone(),
        accounts: vec![account.clone()],
        totals: totals(std::slice::from_ref(&account)),
        net_worth: Some(NetWorth {
            currency: eur,
            amount: MoneySum::zero(eur).plus_minor(i128::from(i64::MAX) * 3),
            as_of: date!(2026 - 12 - 01),
            missing: vec![cur("JPY")],
        }),
    });
    round_trip(&ScheduleList {
        items: vec![Schedule {
            id: ScheduleId::random(),
            owner_id: UserId(uuid::Uuid::nil()),
            account: account.id,
            amount: Money::from_minor(-99, eur),
            description: "Rent".into(),
            category: None,
            start: date!(2026 - 01 - 31),
            end: Some(date!(2027 - 01 - 31)),
            every: Every::Month,
            interval: 1,
            created_at: datetime!(2026-01-01 00:00 UTC),
            updated_at: datetime!(2026-01-02 00:00 UTC),
            splits: None,
            tags: Vec::new(),
        }],
    });
    round_trip(&Upcoming {
        dates: vec![date!(2026 - 02 - 28), date!(2026 - 03 - 31)],
    });
    let signed_in = SignedIn {
        token: "v4.public.x".into(),
        token_type: "Bearer".into(),
        expires_at: datetime!(2026-12-31 00:00 UTC),
        user,
    };
    round_trip(&signed_in);
}

#[test]
fn reports_budgets_and_rates_read_back() {
    let (eur, jpy) = (cur("EUR"), cur("JPY"));
    let flow = |c: Currency, i: i128, e: i128| Flow {
        currency: c,
        income: MoneySum::zero(c).plus_minor(i),
        expense: MoneySum::zero(c).plus_minor(e),
        net: MoneySum::zero(c).plus_minor(i - e),
    };
    round_trip(&CashFlowReport {
        from: date!(2026 - 01 - 01),
        to: date!(2026 - 01 - 31),
        step: Step::Month,
        currency: Some(eur),
        periods: vec![CashFlowPeriod {
            start: date!(2026 - 01 - 01),
            end: date!(2026 - 01 - 31),
            totals: vec![flow(eur, 100, 50), flow(jpy, 7, 9)],
            converted: Some(flow(eur, 104, 55)),
            missing: Some(vec![]),
            categories: vec![CategoryFlow {
                name: None,
                totals: vec![flow(jpy, 7, 9)],
                converted: None,
            }],
        }],
    });
    round_trip(&NetWorthReport {
        currency: Some(jpy),
        step: Step::Week,
        points: vec![NetWorthPoint {
            date: date!(2026 - 01 - 04),
            amount: Some(MoneySum::zero(jpy).plus_minor(-12)),
            missing: vec![],
            totals: vec![CategoryTotal {
                currency: eur,
                amount: MoneySum::zero(eur).plus_minor(1),
            }],
        }],
    });
    round_trip(&CategoryList {
        items: vec![CategorySummary {
            name: Some("food".into()),
            count: 3,
            totals: vec![CategoryTotal {
                currency: jpy,
                amount: MoneySum::zero(jpy).plus_minor(-300),
            }],
        }],
    });
    let budget = Budget {
        category: "food".into(),
        currency: eur,
        amount: Money::from_minor(30_000, eur),
    };
    round_trip(&budget);
    round_trip(&BudgetList {
        month: "2026-01".into(),
        items: vec![BudgetStatus::new(budget, 45_000)],
    });
    round_trip(&RatePage {
        items: vec![ExchangeRate {
            base: eur,
            quote: jpy,
            date: date!(2026 - 01 - 02),
            rate: Rate::parse("163.12").expect("a rate"),
        }],
        next_cursor: None,
    });
}

#[test]
fn a_problem_reads_back_with_its_type() {
    let problem = ProblemDetails {
        kind: "/problems/account-archived".into(),
        title: "Conflict".into(),
        status: 409,
        detail: "the account is archived".into(),
        errors: vec![],
        difference: None,
    };
    round_trip(&problem);
    round_trip(&ProblemDetails {
        kind: "/problems/unreconciled".into(),
        status: 422,
        difference: Some("-0.50".into()),
        ..Default::default()
    });
    let text = r#"{"type":"/problems/validation-error","title":"x","status":422,"detail":"d","errors":[{"field":"amount","message":"m"}]}"#;
    let read: ProblemDetails = serde_json::from_str(text).expect("read");
    assert_eq!(read.errors.len(), 1);
}

#[test]
fn running_balances_walk_back_from_the_newest() {
    let eur = cur("EUR");
    let page = crate::domain::MovementPage {
        items: vec![movement(eur, -250), movement(eur, 1000), movement(eur, -50)],
        next_cursor: None,
    };
    let start = crate::domain::MoneySum::zero(eur).plus_minor(700);
    let after: Vec<String> = page
        .running_balances(start)
        .iter()
        .map(|b| b.to_string())
        .collect();
    // 7.00 after the newest (-2.50), so 9.50 before it, then 9.50 - 10.00 = -0.50.
    assert_eq!(after, ["7.00", "9.50", "-0.50"]);
}
