//! Answers many operations share, declared once: each is a type a `#[utoipa::path]` names
//! in its `responses(...)`.

use std::collections::BTreeMap;

use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// A problem answer (RFC 9457) described as `description`.
fn problem(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

/// Reusable answers: a type per group, each `(status, description)` a problem body.
macro_rules! problems {
    ($($(#[$doc:meta])* $name:ident { $($status:literal => $description:literal),+ $(,)? })*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([$(($status.to_string(), problem($description))),+])
            }
        }
    )*};
}

problems! {
    /// Every route that needs a token.
    Unauthorized { "401" => "Missing, invalid, expired or signed-out bearer token" }
    /// Every route that reads a JSON body.
    JsonBody {
        "400" => "Malformed JSON",
        "413" => "Body over 64 KiB",
        "415" => "The body is not sent as JSON (Content-Type: application/json)",
    }
    /// Routes that change an account or what is on it: a member whose role does not allow
    /// it (a viewer writing; an editor renaming, archiving, deleting, changing members).
    Forbidden { "403" => "Your role on the account does not allow this" }
    /// A body whose fields break a rule.
    Invalid { "422" => "Invalid fields" }
    /// Routes with a query string.
    InvalidQuery { "422" => "Invalid query" }
    NoAccount { "404" => "No such account for this user" }
    NoMovement { "404" => "No such movement on this user's account" }
    NoTransfer { "404" => "No such transfer for this user" }
    NoSchedule { "404" => "No such schedule for this user" }
    NoInvitation { "404" => "No pending invitation with this id to this user's email" }
    NoMember { "404" => "No such account for this user, or no such member of it" }
    NoRule { "404" => "No such rule of this user" }
    NoWebhook { "404" => "No such webhook of this user" }
    NoReconciliation { "404" => "No such account for this user, or no such reconciliation of it" }
    /// Writes that carry the `ETag` they were read with.
    Stale { "412" => "If-Match is not the current ETag" }
}

/// The body of the two file imports: text, never empty.
pub(crate) struct File;

impl utoipa::PartialSchema for File {
    fn schema() -> RefOr<utoipa::openapi::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .into()
    }
}

impl utoipa::ToSchema for File {}
