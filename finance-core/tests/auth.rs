//! Sign-up and sign-in through real adapters: codes in SQLite, Postgres or Redis, mail in
//! the outbox or through a real SMTP server, real PASETO tokens.

#[path = "../../tests/support/mail.rs"]
mod mail;
mod support;

use std::path::{Path, PathBuf};

use mail::Inbox;
use std::sync::Once;

use finance_core::config::Config;
use finance_core::{App, Error};

fn unique_email() -> String {
    format!("user-{}@example.com", uuid::Uuid::new_v4().simple())
}

struct Setup {
    app: App,
    inbox: Inbox,
    _dir: tempfile::TempDir,
}

/// The embedded defaults in a temporary folder, changed by `tweak`.
async fn setup(tweak: impl FnOnce(&mut Config, &Path)) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::embedded(dir.path());
    tweak(&mut config, dir.path());
    let inbox = match (&config.smtp_url, std::env::var("FINANCE_TEST_SMTP_MAILDIR")) {
        (Some(_), Ok(maildir)) => Inbox::Maildir(PathBuf::from(maildir)),
        _ => Inbox::Outbox(config.outbox_dir.clone()),
    };
    let app = App::from_config(&config).await.expect("app");
    Setup {
        app,
        inbox,
        _dir: dir,
    }
}

static SKIP_SMTP: Once = Once::new();

/// The variants a flow runs on; `None` where the service's test URL is not set.
async fn variant(name: &str) -> Option<Setup> {
    match name {
        "sqlite_outbox" => Some(setup(|_, _| {}).await),
        "postgres_redis" => {
            let db = support::postgres_url().await?;
            let Ok(redis) = std::env::var("FINANCE_TEST_REDIS_URL") else {
                support::skipped(&SKIP_SMTP, "Redis sign-in tests", "FINANCE_TEST_REDIS_URL");
                return None;
            };
            Some(
                setup(|c, _| {
                    c.database_url = db;
                    c.redis_url = Some(redis);
                })
                .await,
            )
        }
        "smtp" => {
            let (Ok(url), Ok(_)) = (
                std::env::var("FINANCE_TEST_SMTP_URL"),
                std::env::var("FINANCE_TEST_SMTP_MAILDIR"),
            ) else {
                support::skipped(
                    &SKIP_SMTP,
                    "SMTP tests",
                    "FINANCE_TEST_SMTP_URL and FINANCE_TEST_SMTP_MAILDIR",
                );
                return None;
            };
            Some(setup(|c, _| c.smtp_url = Some(url)).await)
        }
        other => panic!("unknown variant {other}"),
    }
}

async fn first_sign_in_creates_the_user_later_ones_find_it(s: Setup) {
    let email = unique_email();
    s.app
        .request_code(&email.to_uppercase())
        .await
        .expect("code sent");
    let code = s.inbox.code_for(&email);
    let first = s.app.verify_code(&email, &code).await.expect("signed up");
    assert_eq!(first.user.email.as_str(), email);
    assert!(first.token.token.starts_with("v4.public."));
    assert_eq!(
        s.app
            .authenticate(&first.token.token)
            .await
            .expect("valid")
            .user,
        first.user.id
    );
    assert!(
        matches!(
            s.app.verify_code(&email, &code).await,
            Err(Error::InvalidCode)
        ),
        "single use"
    );

    s.app.request_code(&email).await.expect("code sent");
    let code = s.inbox.code_for(&email);
    let again = s.app.verify_code(&email, &code).await.expect("signed in");
    assert_eq!(again.user, first.user);
    let profile = s
        .app
        .get_profile(again.user.id, &Default::default())
        .await
        .expect("profile");
    assert!(profile.accounts.is_empty());
}

async fn five_wrong_tries_kill_the_code(s: Setup) {
    let email = unique_email();
    s.app.request_code(&email).await.expect("code sent");
    let code = s.inbox.code_for(&email);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        assert!(matches!(
            s.app.verify_code(&email, wrong).await,
            Err(Error::InvalidCode)
        ));
    }
    assert!(matches!(
        s.app.verify_code(&email, &code).await,
        Err(Error::InvalidCode)
    ));
}

async fn racing_verifications_sign_in_once(s: Setup) {
    let email = unique_email();
    s.app.request_code(&email).await.expect("code sent");
    let code = s.inbox.code_for(&email);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (app, email, code) = (s.app.clone(), email.clone(), code.clone());
            tokio::spawn(async move { app.verify_code(&email, &code).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(e) => assert!(matches!(e, Error::InvalidCode), "{e:?}"),
        }
    }
    assert_eq!(ok, 1);
}

async fn sends_are_rate_limited_and_unknown_emails_look_alike(s: Setup) {
    let known = unique_email();
    s.app.request_code(&known).await.expect("code sent");
    let code = s.inbox.code_for(&known);
    s.app.verify_code(&known, &code).await.expect("signed up");
    // A known and an unknown email get the same answer.
    let unknown = unique_email();
    assert_eq!(s.app.request_code(&unknown).await.ok(), Some(()));
    assert_eq!(s.app.request_code(&known).await.ok(), Some(()));
    for _ in 0..3 {
        s.app.request_code(&unknown).await.expect("within limit");
    }
    // Five sends per fifteen minutes by default: the sixth waits.
    s.app.request_code(&unknown).await.expect("fifth");
    match s.app.request_code(&unknown).await {
        Err(Error::RateLimited(wait)) => {
            assert!(
                wait > time::Duration::ZERO && wait <= time::Duration::minutes(15),
                "{wait}"
            )
        }
        other => panic!("expected a rate limit, got {other:?}"),
    }
}

macro_rules! flows {
    ($($variant:ident),*) => {
        $(
            mod $variant {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn first_sign_in_creates_the_user_later_ones_find_it() {
                    let Some(s) = super::variant(stringify!($variant)).await else { return };
                    super::first_sign_in_creates_the_user_later_ones_find_it(s).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn five_wrong_tries_kill_the_code() {
                    let Some(s) = super::variant(stringify!($variant)).await else { return };
                    super::five_wrong_tries_kill_the_code(s).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn racing_verifications_sign_in_once() {
                    let Some(s) = super::variant(stringify!($variant)).await else { return };
                    super::racing_verifications_sign_in_once(s).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sends_are_rate_limited_and_unknown_emails_look_alike() {
                    let Some(s) = super::variant(stringify!($variant)).await else { return };
                    super::sends_are_rate_limited_and_unknown_emails_look_alike(s).await;
                }
            }
        )*
    };
}

flows!(sqlite_outbox, postgres_redis, smtp);

#[tokio::test]
async fn unreachable_smtp_is_unavailable() {
    let port = support::closed_port();
    let s = setup(|c, _| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let err = s.app.request_code(&unique_email()).await;
    assert!(matches!(err, Err(Error::Unavailable(_))), "{err:?}");
}

#[tokio::test]
async fn unreachable_redis_is_unavailable_and_not_ready() {
    let port = support::closed_port();
    let s = setup(|c, _| c.redis_url = Some(format!("redis://127.0.0.1:{port}"))).await;
    let err = s.app.request_code(&unique_email()).await;
    assert!(matches!(err, Err(Error::Unavailable(_))), "{err:?}");
    let (name, otp_health) = &s.app.health[1];
    assert_eq!(*name, "otp_store");
    assert!(otp_health.ping().await.is_err());
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let s = setup(|c, _| c.code_ttl = time::Duration::seconds(1)).await;
    let email = unique_email();
    s.app.request_code(&email).await.expect("code sent");
    let code = s.inbox.code_for(&email);
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert!(matches!(
        s.app.verify_code(&email, &code).await,
        Err(Error::InvalidCode)
    ));
}
