//! The OpenAPI 3 document, generated from the wire types (their `ToSchema` derives) and
//! one annotated function per operation below; checked against the running server by the
//! end-to-end tests (tests/openapi.rs) and against the route table by a unit test.

#![allow(dead_code)] // The functions below exist for their annotations only.

use finance_core::domain::schemas;
use finance_core::domain::{
    Account, AccountInput, AccountList, AccountPatch, Budget, BudgetInput, BudgetList,
    BudgetQueryInput, CashFlowReport, CategoryList, ExchangeRate, Imported, Movement,
    MovementInput, MovementPage, MovementPatch, MovementQueryInput, NetWorthReport, Profile,
    ProfilePatch, ProfileQueryInput, RateInput, RatePage, RateQueryInput, RatesImported,
    ReportQueryInput, Schedule, ScheduleInput, ScheduleList, SchedulePatch, Transfer,
    TransferInput, TransferPatch, Upcoming,
};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use warp::Filter;
use warp::http::{HeaderValue, header};
use warp::reply::Response;

use super::auth::{CodeRequest, TokenRequest, TokenResponse};
use super::{Route, boxed};
use crate::problem::Problem;

/// The document as JSON, built once.
pub fn document() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
}

/// `GET /openapi.json`.
pub(super) fn routes() -> Route {
    boxed(warp::path!("openapi.json").and(warp::get()).map(|| {
        let mut res = Response::new(document().into());
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    }))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finance",
        description = "Personal finance: accounts, movements and what you own. Amounts are decimal strings with exactly the currency's fraction digits; ids are UUIDs; timestamps RFC 3339 UTC. Errors are application/problem+json (RFC 9457)."
    ),
    paths(
        request_code, verify_code, logout, logout_all, get_profile, update_profile, create_account,
        list_accounts, get_account, update_account, delete_account, list_movements,
        add_movement, get_movement, edit_movement, delete_movement, create_transfer,
        get_transfer, edit_transfer, delete_transfer, set_rate, list_rates, delete_rate,
        import_rates, list_all_movements, list_categories, cash_flow_report, net_worth_report,
        set_budget, delete_budget, list_budgets, create_schedule, list_schedules, get_schedule,
        edit_schedule, delete_schedule, upcoming, import_statement, health, ready, openapi, metrics
    ),
    components(schemas(Problem)),
    security(("bearer" = [])),
    modifiers(&Bearer, &ProblemTypes)
)]
struct ApiDoc;

/// The bearer scheme every route but sign-in and the probes requires.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("PASETO v4.public".into());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
        // `security(())` reads as `[{}]` ("optional"); the public routes need none at all.
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                if op
                    .security
                    .as_ref()
                    .is_some_and(|s| s.iter().all(|r| *r == Default::default()))
                {
                    op.security = Some(Vec::new());
                }
            }
        }
    }
}

/// The Problem schema's `type` lists every problem type: clients branch on it.
struct ProblemTypes;

impl Modify for ProblemTypes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        let problem = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("Problem"));
        if let Some(RefOr::T(Schema::Object(problem))) = problem
            && let Some(RefOr::T(Schema::Object(kind))) = problem.properties.get_mut("type")
        {
            kind.enum_values = Some(
                crate::problem::problem_types()
                    .map(serde_json::Value::from)
                    .collect(),
            );
            kind.description = Some(
                "What went wrong, one URI per rule (409s: account-archived, has-movements, \
                 transfer-leg, name-taken, idempotency-key-reused); branch on it, never on \
                 `detail`."
                    .into(),
            );
        }
    }
}

/// The address of a rate: `/v1/rates/{base}/{quote}/{date}`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct RatePath {
    /// The base currency.
    #[param(schema_with = schemas::currency)]
    base: String,
    /// The quote currency, not the base.
    #[param(schema_with = schemas::quote_currency)]
    quote: String,
    /// The day the rate is of.
    #[param(schema_with = schemas::date)]
    date: String,
}

/// The category of a budget: `/v1/budgets/{category}` (percent-encoded).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct CategoryPath {
    #[param(schema_with = schemas::category)]
    category: String,
}

/// A file sent as the body: text, never empty.
struct File;

impl utoipa::PartialSchema for File {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .into()
    }
}

impl utoipa::ToSchema for File {}

/// Mail a 6-digit sign-in code (signup and login).
#[utoipa::path(post, path = "/v1/auth/otp", operation_id = "requestCode", security(()),
    request_body = CodeRequest,
    responses(
        (status = 202, description = "Sent if the address can receive mail; the same answer for known and unknown emails", body = serde_json::Value),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests: codes asked for this email, code checks for this email (10 per 15 minutes, across codes), or sign-in requests from this client address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Mail or code store unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
fn request_code() {}

/// Redeem a code for a bearer token; the first success creates the user.
#[utoipa::path(post, path = "/v1/auth/token", operation_id = "verifyCode", security(()),
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong, expired, used or dead code (one body for all)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests: codes asked for this email, code checks for this email (10 per 15 minutes, across codes), or sign-in requests from this client address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Code store unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
fn verify_code() {}

/// Sign out the presented token: it is refused on every route from now on.
#[utoipa::path(post, path = "/v1/auth/logout", operation_id = "logout",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The store of sign-outs is unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
fn logout() {}

/// Sign out everywhere: every token of the user issued before now is refused.
#[utoipa::path(post, path = "/v1/auth/logout-all", operation_id = "logoutAll",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The store of sign-outs is unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
fn logout_all() {}

/// The user, all accounts with balances, totals per currency, and with a currency to
/// convert to (`currency`, else the base currency) the net worth in it: each balance
/// converted at the rates of `as_of`, rounded half to even per account; currencies
/// without a usable rate are named in `missing` and left out of the amount.
#[utoipa::path(get, path = "/v1/me", operation_id = "getProfile",
    params(ProfileQueryInput),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
    ))]
fn get_profile() {}

/// Set (or with null clear) the base currency the net worth is shown in.
#[utoipa::path(patch, path = "/v1/me", operation_id = "updateProfile",
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The profile as GET /v1/me answers it", body = Profile),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn update_profile() {}

/// Open an account.
#[utoipa::path(post, path = "/v1/accounts", operation_id = "createAccount",
    request_body = AccountInput,
    responses(
        (status = 201, description = "Created", body = Account,
            headers(("Location" = String, description = "/v1/accounts/{id}"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is already used by this user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn create_account() {}

/// One account with its balance.
#[utoipa::path(get, path = "/v1/accounts/{id}", operation_id = "getAccount",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = Account),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
    ))]
fn get_account() {}

/// Every account of the user, archived ones too, ordered by name.
#[utoipa::path(get, path = "/v1/accounts", operation_id = "listAccounts",
    responses(
        (status = 200, description = "The accounts", body = AccountList),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_accounts() {}

/// Rename, archive or unarchive an account (its currency never changes). An archived
/// account takes no new movements or transfers and still counts in totals.
#[utoipa::path(patch, path = "/v1/accounts/{id}", operation_id = "updateAccount",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    request_body = AccountPatch,
    responses(
        (status = 200, description = "The account as changed", body = Account),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is already used by this user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn update_account() {}

/// Delete an account that has no movements (archive one that has).
#[utoipa::path(delete, path = "/v1/accounts/{id}", operation_id = "deleteAccount",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account has movements", body = Problem, content_type = "application/problem+json"),
    ))]
fn delete_account() {}

/// Movements, newest first, with keyset pagination.
#[utoipa::path(get, path = "/v1/accounts/{id}/movements", operation_id = "listMovements",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        MovementQueryInput,
    ),
    responses(
        (status = 200, description = "A page", body = MovementPage),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_movements() {}

/// Record income (positive) or an expense (negative).
#[utoipa::path(post, path = "/v1/accounts/{id}/movements", operation_id = "addMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first answer and writes nothing"),
    ),
    request_body = MovementInput,
    responses(
        (status = 201, description = "Recorded (or, for a retry with the same Idempotency-Key, the first answer again, with Idempotency-Replayed: true)", body = Movement),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key already used with another body, or the account is archived", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn add_movement() {}

/// One movement, with its ETag.
#[utoipa::path(get, path = "/v1/accounts/{id}/movements/{mid}", operation_id = "getMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("mid" = uuid::Uuid, Path, description = "Movement id"),
    ),
    responses(
        (status = 200, description = "The movement", body = Movement,
            headers(("ETag" = String, description = "Its state, for If-Match"))),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such movement on this user's account", body = Problem, content_type = "application/problem+json"),
    ))]
fn get_movement() {}

/// Correct a movement; the balance moves by the difference in the same transaction.
/// `category: null` clears the category. A transfer leg is changed through its transfer.
#[utoipa::path(patch, path = "/v1/accounts/{id}/movements/{mid}", operation_id = "editMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("mid" = uuid::Uuid, Path, description = "Movement id"),
        ("If-Match" = Option<String>, Header, description = "The ETag it was read with; any other state is 412"),
    ),
    request_body = MovementPatch,
    responses(
        (status = 200, description = "The movement as changed", body = Movement,
            headers(("ETag" = String, description = "Its new state"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such movement on this user's account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A transfer leg, or the account is archived", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is not the current ETag", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn edit_movement() {}

/// Delete a movement; its amount leaves the balance in the same transaction.
#[utoipa::path(delete, path = "/v1/accounts/{id}/movements/{mid}", operation_id = "deleteMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("mid" = uuid::Uuid, Path, description = "Movement id"),
        ("If-Match" = Option<String>, Header, description = "The ETag it was read with; any other state is 412"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such movement on this user's account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A transfer leg, or the account is archived", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match is not the current ETag", body = Problem, content_type = "application/problem+json"),
    ))]
fn delete_movement() {}

/// Move money between two of your accounts: the source gets -amount, the target
/// +to_amount (required when the currencies differ), both in one transaction.
#[utoipa::path(post, path = "/v1/transfers", operation_id = "createTransfer",
    params(
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first transfer and writes nothing"),
    ),
    request_body = TransferInput,
    responses(
        (status = 201, description = "Made (or, for a retry with the same Idempotency-Key, the first transfer again, with Idempotency-Replayed: true)", body = Transfer,
            headers(("Location" = String, description = "/v1/transfers/{id}"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "An account is not this user's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account is archived, or the Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn create_transfer() {}

/// One transfer with its two legs.
#[utoipa::path(get, path = "/v1/transfers/{id}", operation_id = "getTransfer",
    params(("id" = uuid::Uuid, Path, description = "Transfer id")),
    responses(
        (status = 200, description = "The transfer", body = Transfer),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such transfer for this user", body = Problem, content_type = "application/problem+json"),
    ))]
fn get_transfer() {}

/// Change a transfer's amounts, description or date: both legs and both balances in one
/// transaction (the accounts never change). Across currencies, a new amount without a
/// new to_amount keeps what arrived.
#[utoipa::path(patch, path = "/v1/transfers/{id}", operation_id = "editTransfer",
    params(("id" = uuid::Uuid, Path, description = "Transfer id")),
    request_body = TransferPatch,
    responses(
        (status = 200, description = "The transfer as changed", body = Transfer),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such transfer for this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account is archived", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "It changed while this change was being made", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn edit_transfer() {}

/// Delete a transfer: both legs, and their amounts leave both balances.
#[utoipa::path(delete, path = "/v1/transfers/{id}", operation_id = "deleteTransfer",
    params(("id" = uuid::Uuid, Path, description = "Transfer id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such transfer for this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account is archived", body = Problem, content_type = "application/problem+json"),
    ))]
fn delete_transfer() {}

/// Record that on `date` 1 `base` was worth `rate` `quote`, replacing the rate of that
/// pair and day.
#[utoipa::path(put, path = "/v1/rates/{base}/{quote}/{date}", operation_id = "setRate",
    params(
        RatePath,
    ),
    request_body = RateInput,
    responses(
        (status = 201, description = "New", body = ExchangeRate,
            headers(("Location" = String, description = "/v1/rates/{base}/{quote}/{date}"))),
        (status = 200, description = "Replaced the rate of that pair and day", body = ExchangeRate),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid currency, date or rate", body = Problem, content_type = "application/problem+json"),
    ))]
fn set_rate() {}

/// Rates, newest first (then by base and quote), with keyset pagination.
#[utoipa::path(get, path = "/v1/rates", operation_id = "listRates",
    params(
        RateQueryInput,
    ),
    responses(
        (status = 200, description = "A page", body = RatePage),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_rates() {}

/// Delete the rate of a pair on a day.
#[utoipa::path(delete, path = "/v1/rates/{base}/{quote}/{date}", operation_id = "deleteRate",
    params(
        RatePath,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No rate of that pair on that day", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid currency or date", body = Problem, content_type = "application/problem+json"),
    ))]
fn delete_rate() {}

/// Import the European Central Bank's reference-rate CSV (eurofxref-hist.csv: a header
/// `Date,USD,JPY,…`, one line per day, EUR base, `N/A` cells skipped): every rate or none.
/// Columns of withdrawn currencies (CYP, SIT, HRK…) are skipped and named.
#[utoipa::path(post, path = "/v1/rates/import", operation_id = "importRates",
    request_body(content = inline(File), content_type = "text/csv", description = "The CSV file, at most 10 MiB"),
    responses(
        (status = 200, description = "Imported", body = RatesImported),
        (status = 400, description = "Not UTF-8 text", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad lines: each error has its `line`", body = Problem, content_type = "application/problem+json"),
    ))]
fn import_rates() {}

/// Movements of all your accounts, newest first across them, with the filters and
/// keyset pagination of an account's list; each item names its account_id.
#[utoipa::path(get, path = "/v1/movements", operation_id = "listAllMovements",
    params(
        MovementQueryInput,
    ),
    responses(
        (status = 200, description = "A page", body = MovementPage),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query (naming the parameter)", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_all_movements() {}

/// Your categories: how many movements each has and their sums per currency; movements
/// without a category are the item whose name is null. Transfer legs are left out.
#[utoipa::path(get, path = "/v1/categories", operation_id = "listCategories",
    responses(
        (status = 200, description = "The categories", body = CategoryList),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_categories() {}

/// Income, expense (positive) and net per calendar period (UTC; ISO weeks from Monday;
/// quiet periods as zero): per currency, per category, and converted into `currency`
/// (default: the base currency) at the rates of each period's last day, with `missing`.
/// Transfer legs are left out.
#[utoipa::path(get, path = "/v1/reports/cash-flow", operation_id = "cashFlowReport",
    params(
        ReportQueryInput,
    ),
    responses(
        (status = 200, description = "The report", body = CashFlowReport),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query (naming the parameter)", body = Problem, content_type = "application/problem+json"),
    ))]
fn cash_flow_report() {}

/// What you owned at the end of each period: every account's balance then, converted into
/// `currency` (default: the base currency) at that day's rates, with `missing`; and per
/// currency.
#[utoipa::path(get, path = "/v1/reports/net-worth", operation_id = "netWorthReport",
    params(
        ReportQueryInput,
    ),
    responses(
        (status = 200, description = "The report", body = NetWorthReport),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query (naming the parameter)", body = Problem, content_type = "application/problem+json"),
    ))]
fn net_worth_report() {}

/// Set a category's monthly budget (replacing the one it had).
#[utoipa::path(put, path = "/v1/budgets/{category}", operation_id = "setBudget",
    params(CategoryPath),
    request_body = BudgetInput,
    responses(
        (status = 201, description = "New", body = Budget,
            headers(("Location" = String, description = "/v1/budgets/{category}"))),
        (status = 200, description = "Replaced", body = Budget),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn set_budget() {}

/// Delete a category's budget.
#[utoipa::path(delete, path = "/v1/budgets/{category}", operation_id = "deleteBudget",
    params(CategoryPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No budget for that category", body = Problem, content_type = "application/problem+json"),
    ))]
fn delete_budget() {}

/// Your budgets for a month, each with what its category spent in its currency and what
/// remains (negative when over).
#[utoipa::path(get, path = "/v1/budgets", operation_id = "listBudgets",
    params(BudgetQueryInput),
    responses(
        (status = 200, description = "The budgets", body = BudgetList),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid month", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_budgets() {}

/// Make a schedule of recurring movements; every date due by today is booked at once, the
/// rest at start and hourly, each exactly once. A month-day past a month's end falls on its
/// last day.
#[utoipa::path(post, path = "/v1/schedules", operation_id = "createSchedule",
    request_body = ScheduleInput,
    responses(
        (status = 201, description = "Made", body = Schedule,
            headers(("Location" = String, description = "/v1/schedules/{id}"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn create_schedule() {}

/// Your schedules, by start.
#[utoipa::path(get, path = "/v1/schedules", operation_id = "listSchedules",
    responses(
        (status = 200, description = "The schedules", body = ScheduleList),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
    ))]
fn list_schedules() {}

/// One schedule.
#[utoipa::path(get, path = "/v1/schedules/{id}", operation_id = "getSchedule",
    params(("id" = uuid::Uuid, Path, description = "Schedule id")),
    responses(
        (status = 200, description = "The schedule", body = Schedule),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such schedule for this user", body = Problem, content_type = "application/problem+json"),
    ))]
fn get_schedule() {}

/// Change a schedule (not its account): dates booked stay; dates of the new rule due by
/// today are booked at once.
#[utoipa::path(patch, path = "/v1/schedules/{id}", operation_id = "editSchedule",
    params(("id" = uuid::Uuid, Path, description = "Schedule id")),
    request_body = SchedulePatch,
    responses(
        (status = 200, description = "The schedule as changed", body = Schedule),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such schedule for this user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as JSON (Content-Type: application/json)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
fn edit_schedule() {}

/// Delete a schedule; the movements it booked stay.
#[utoipa::path(delete, path = "/v1/schedules/{id}", operation_id = "deleteSchedule",
    params(("id" = uuid::Uuid, Path, description = "Schedule id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such schedule for this user", body = Problem, content_type = "application/problem+json"),
    ))]
fn delete_schedule() {}

/// The next dates the schedule will book, from tomorrow.
#[utoipa::path(get, path = "/v1/schedules/{id}/upcoming", operation_id = "upcoming",
    params(
        ("id" = uuid::Uuid, Path, description = "Schedule id"),
        ("count" = Option<u8>, Query, description = "1 to 100, default 5", minimum = 1, maximum = 100),
    ),
    responses(
        (status = 200, description = "The dates", body = Upcoming),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such schedule for this user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid count", body = Problem, content_type = "application/problem+json"),
    ))]
fn upcoming() {}

/// Import a bank file into an account: every row or none. CSV (`date,amount,description
/// [,category]`, or named columns with `id` and `currency`), OFX/QFX, QIF or camt.053, by
/// the Content-Type (else from the file's first bytes). A row imported before (the same
/// bank id: OFX FITID, camt.053 AcctSvcrRef or NtryRef, a CSV `id`; else the same date,
/// amount, description and rank among equal rows) is a duplicate, not added again.
#[utoipa::path(post, path = "/v1/accounts/{id}/imports", operation_id = "importStatement",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    request_body(content = inline(File), content_type = "text/csv",
        description = "The file, at most 10 MiB: text/csv, application/x-ofx, application/vnd.camt+xml or application/qif"),
    responses(
        (status = 201, description = "Imported", body = Imported),
        (status = 400, description = "Not UTF-8 text", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, invalid, expired or signed-out bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account for this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is archived", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows: each error has its `line`", body = Problem, content_type = "application/problem+json"),
    ))]
fn import_statement() {}

/// The process is up.
#[utoipa::path(get, path = "/healthz", operation_id = "health", security(()),
    responses((status = 200, description = "Up", body = serde_json::Value)))]
fn health() {}

/// The database and the code store answer.
#[utoipa::path(get, path = "/readyz", operation_id = "ready", security(()),
    responses(
        (status = 200, description = "Ready", body = serde_json::Value),
        (status = 503, description = "A backing service is down", body = serde_json::Value),
    ))]
fn ready() {}

/// This document.
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi", security(()),
    responses((status = 200, description = "OpenAPI 3 document", body = serde_json::Value)))]
fn openapi() {}

/// Prometheus metrics: requests by route template and status, latency histograms, pool
/// use, mail sent and failed, purge counts (served here unless FINANCE_METRICS_BIND gives
/// it a listener of its own).
#[utoipa::path(get, path = "/metrics", operation_id = "metrics", security(()),
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
fn metrics() {}
