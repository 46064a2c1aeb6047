//! Signing in, and failures: the bodies the server reads and writes for them, which a
//! client writes and reads back.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::super::{FieldError, User};

/// The body of `POST /auth/otp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::email))]
    pub email: String,
}

/// The body of `POST /auth/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::email))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::code))]
    pub code: String,
}

/// The answer of `POST /auth/token`: a bearer token and who it signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TokenResponse))]
pub struct SignedIn {
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub user: User,
}

/// A failure as written (`application/problem+json`, RFC 9457): clients branch on `type`,
/// never on `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Problem))]
pub struct ProblemDetails {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub status: u16,
    #[serde(default)]
    pub detail: String,
    /// One entry per field that failed its rule (422).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The statement's balance less the ledger's that day (`/problems/unreconciled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
}
