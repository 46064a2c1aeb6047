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
        build()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
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
        super::health::Doc::openapi(),
        super::MetricsDoc::openapi(),
    ] {
        doc.merge(part);
    }
    Bearer.modify(&mut doc);
    ProblemTypes.modify(&mut doc);
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
    components(schemas(Problem)),
    security(("bearer" = []))
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
