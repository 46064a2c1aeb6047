//! The routes as the OpenAPI document declares them, read once from it: a request's
//! metrics label and a 405's `Allow` come from here, so neither keeps a list of its own
//! that could drift from the routes.

use std::sync::OnceLock;

/// One documented path and the methods it answers.
struct Documented {
    template: &'static str,
    allow: &'static str,
}

fn table() -> &'static [Documented] {
    static TABLE: OnceLock<Vec<Documented>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(super::openapi::document()).unwrap_or_default();
        let mut table: Vec<Documented> = doc["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(path, item)| {
                let methods: Vec<String> = ["get", "put", "post", "delete", "patch"]
                    .into_iter()
                    .filter(|m| item.get(m).is_some())
                    .map(str::to_ascii_uppercase)
                    .collect();
                Documented {
                    // Built once per process: the labels live as long as it.
                    template: Box::leak(path.clone().into_boxed_str()),
                    allow: Box::leak(methods.join(", ").into_boxed_str()),
                }
            })
            .collect();
        // A literal segment wins over a parameter where both would match.
        table.sort_by_key(|d| d.template.matches('{').count());
        table
    })
}

fn find(path: &str) -> Option<&'static Documented> {
    let path = path.trim_end_matches('/');
    table()
        .iter()
        .find(|d| super::endpoint::captures(d.template, path).is_some())
}

/// The template of the route `path` belongs to, or `unmatched`. Runs on every request:
/// it compares segment by segment without allocating.
pub fn template(path: &str) -> &'static str {
    find(path).map_or("unmatched", |d| d.template)
}

/// The methods `path` answers, as an `Allow` header says them.
pub fn allowed(path: &str) -> Option<&'static str> {
    find(path).map(|d| d.allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_templates_without_ids() {
        let id = "0b6f1c54-3c5e-4a53-9d0e-6f1f2d1c9a77";
        assert_eq!(template("/v1/me"), "/v1/me");
        assert_eq!(template(&format!("/v1/accounts/{id}")), "/v1/accounts/{id}");
        assert_eq!(
            template(&format!("/v1/accounts/{id}/movements")),
            "/v1/accounts/{id}/movements"
        );
        assert_eq!(template("/v1/accounts/"), "/v1/accounts");
        assert_eq!(template("/v1/rates/import"), "/v1/rates/import");
        assert_eq!(
            template("/v1/rates/EUR/USD/2026-11-02"),
            "/v1/rates/{base}/{quote}/{date}"
        );
        for odd in [
            "/",
            "/v1/secret/123",
            "/etc/passwd",
            "/v1/accounts/a/b/c",
            "/v1/accounts//movements",
        ] {
            assert_eq!(template(odd), "unmatched", "{odd}");
        }
    }

    #[test]
    fn a_path_allows_the_methods_its_document_entry_has() {
        assert_eq!(allowed("/v1/accounts/x"), Some("GET, DELETE, PATCH"));
        assert_eq!(allowed("/v1/accounts"), Some("GET, POST"));
        assert_eq!(allowed("/healthz"), Some("GET"));
        assert_eq!(allowed("/nowhere"), None);
    }
}
