//! How large a request body may be: below the filters that enforce it and the problem
//! map that names it.

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The largest file an import route accepts (25 years of the ECB's daily rates are
/// about 2 MiB).
pub const IMPORT_LIMIT: usize = 10 * 1024 * 1024;
