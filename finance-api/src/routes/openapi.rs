//! The OpenAPI 3 document: each route file's `Doc` (the annotations on its handlers, where
//! the routes' methods and paths are read from too), merged, with the bearer scheme and
//! the list of problem types. Checked against the running server by the end-to-end tests
//! (tests/openapi.rs) and by schemathesis (tests/contract/).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use warp::Filter;
use warp::http::{HeaderValue, header};
use warp::reply::Response;

use super::endpoint::endpoint;
use super::{Route, boxed};
use crate::problem::Problem;

/// The document as JSON, built once.
pub fn document() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut value = serde_json::to_value(build()).unwrap_or_default();
        spell_links(&mut value);
        split_has_no_category(&mut value);
        serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
}

/// utoipa 5 writes a link's `operationId` as `operation_id`, which OpenAPI does not know
/// (and tools then ignore the link): spelled as the specification has it.
fn spell_links(doc: &mut serde_json::Value) {
    let paths = doc.get_mut("paths").and_then(|p| p.as_object_mut());
    for item in paths.into_iter().flat_map(|p| p.values_mut()) {
        let operations = item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut());
        for op in operations {
            let responses = op.get_mut("responses").and_then(|r| r.as_object_mut());
            for response in responses.into_iter().flat_map(|r| r.values_mut()) {
                let links = response.get_mut("links").and_then(|l| l.as_object_mut());
                for link in links.into_iter().flat_map(|l| l.values_mut()) {
                    if let Some(link) = link.as_object_mut()
                        && let Some(id) = link.remove("operation_id")
                    {
                        link.insert("operationId".into(), id);
                    }
                }
            }
        }
    }
}

/// What the server checks of a movement or schedule with parts, stated where JSON Schema
/// can: when `splits` is an array, `category` is null or absent (utoipa has no attribute
/// for `if`/`then`). That the parts sum to the amount is said in words.
fn split_has_no_category(doc: &mut serde_json::Value) {
    let rule = serde_json::json!({
        "if": {"properties": {"splits": {"type": "array"}}, "required": ["splits"]},
        "then": {"properties": {"category": {"type": "null"}}},
    });
    for name in [
        "MovementInput",
        "MovementPatch",
        "ScheduleInput",
        "SchedulePatch",
    ] {
        if let (Some(schema), Some(rule)) = (
            doc.pointer_mut(&format!("/components/schemas/{name}"))
                .and_then(|s| s.as_object_mut()),
            rule.as_object(),
        ) {
            schema.extend(rule.clone());
        }
    }
}

fn build() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in [
        super::auth::Doc::openapi(),
        super::profile::Doc::openapi(),
        super::accounts::Doc::openapi(),
        super::movements::Doc::openapi(),
        super::transfers::Doc::openapi(),
        super::rates::Doc::openapi(),
        super::reports::Doc::openapi(),
        super::schedules::Doc::openapi(),
        super::imports::Doc::openapi(),
        super::members::Doc::openapi(),
        super::rules::Doc::openapi(),
        super::books::Doc::openapi(),
        super::changes::Doc::openapi(),
        super::webhooks::Doc::openapi(),
        super::export::Doc::openapi(),
        super::health::Doc::openapi(),
        super::MetricsDoc::openapi(),
    ] {
        doc.merge(part);
    }
    Bearer.modify(&mut doc);
    ProblemTypes.modify(&mut doc);
    Links.modify(&mut doc);
    Unavailable.modify(&mut doc);
    doc
}

/// `GET /openapi.json`.
pub(super) fn routes() -> Route {
    boxed(endpoint::<__path_openapi>().then(openapi))
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi", security(()),
    responses((status = 200, description = "OpenAPI 3 document", body = serde_json::Value)))]
async fn openapi() -> Response {
    let mut res = Response::new(document().into());
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "finance",
        description = "Personal finance: accounts, movements and what you own. Amounts are decimal strings with exactly the currency's fraction digits; ids are UUIDs; timestamps RFC 3339 UTC. Errors are application/problem+json (RFC 9457)."
    ),
    paths(openapi),
    components(schemas(Problem, finance_core::domain::SplitInput)),
    security(("bearer" = []))
)]
struct ApiDoc;

/// Every operation of a path, for the modifiers below.
fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

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
            for op in operations(item) {
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
                 transfer-leg, name-taken, idempotency-key-reused, already-member, \
                 owner-must-hand-over, account-shared, reconciled; 403: forbidden; 422: \
                 validation-error, unreconciled); branch on it, never on `detail`."
                    .into(),
            );
        }
    }
}

/// Every API operation can answer 503: its store is down, or it ran past
/// `FINANCE_REQUEST_TIMEOUT` (the work still finishes; a retry with the same
/// Idempotency-Key replays it). Declared once here rather than on each handler; an
/// operation that says more about its 503 keeps its own.
struct Unavailable;

impl Modify for Unavailable {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let answer = || {
            utoipa::openapi::ResponseBuilder::new()
                .description(
                    "A backing service is unavailable, or the request ran past the server's \
                     timeout (the work still finishes; retry, with the same Idempotency-Key \
                     where there is one)",
                )
                .content(
                    "application/problem+json",
                    utoipa::openapi::ContentBuilder::new()
                        .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/v1/") {
                continue;
            }
            for op in operations(item) {
                op.responses
                    .responses
                    .entry("503".to_string())
                    .or_insert_with(|| answer().into());
            }
        }
    }
}

/// What a created resource leads to (OpenAPI links): a generated client, or schemathesis's
/// stateful phase, follows them from the id an answer gives to the routes that take it.
struct Links;

/// `(from operation, its status, [(to operation, [(parameter, runtime expression)])])`.
type LinkTable = [(
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [(&'static str, &'static str)])],
)];

const BY_ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const MOVEMENT: &[(&str, &str)] = &[("id", "$request.path.id"), ("mid", "$response.body#/id")];
const LINKS: &LinkTable = &[
    (
        "createAccount",
        "201",
        &[
            ("getAccount", BY_ID),
            ("updateAccount", BY_ID),
            ("deleteAccount", BY_ID),
            ("listMovements", BY_ID),
            ("addMovement", BY_ID),
            ("importStatement", BY_ID),
        ],
    ),
    (
        "addMovement",
        "201",
        &[
            ("getMovement", MOVEMENT),
            ("editMovement", MOVEMENT),
            ("deleteMovement", MOVEMENT),
        ],
    ),
    (
        "createTransfer",
        "201",
        &[
            ("getTransfer", BY_ID),
            ("editTransfer", BY_ID),
            ("deleteTransfer", BY_ID),
        ],
    ),
    (
        "createSchedule",
        "201",
        &[
            ("getSchedule", BY_ID),
            ("editSchedule", BY_ID),
            ("deleteSchedule", BY_ID),
            ("upcoming", BY_ID),
        ],
    ),
    (
        "setBudget",
        "201",
        &[("deleteBudget", &[("category", "$request.path.category")])],
    ),
    (
        "setRate",
        "201",
        &[(
            "deleteRate",
            &[
                ("base", "$request.path.base"),
                ("quote", "$request.path.quote"),
                ("date", "$request.path.date"),
            ],
        )],
    ),
];

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::link::LinkBuilder;
        for item in openapi.paths.paths.values_mut() {
            for op in operations(item) {
                let Some(id) = op.operation_id.as_deref() else {
                    continue;
                };
                for (from, status, targets) in LINKS {
                    if *from != id {
                        continue;
                    }
                    let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) else {
                        continue;
                    };
                    for (to, parameters) in *targets {
                        let link = parameters
                            .iter()
                            .fold(LinkBuilder::new().operation_id(*to), |b, (name, value)| {
                                b.parameter(*name, *value)
                            })
                            .build();
                        response.links.insert((*to).to_string(), RefOr::T(link));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "openapi_tests.rs"]
mod tests;
