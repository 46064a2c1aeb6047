//! The patterns of the cursors the API hands out, as the OpenAPI document states them:
//! any text a pattern allows is a place a listing can go on from.

/// A movements cursor: hex of `YYYY-MM-DD/seq` (any such position is a place to go on from).
pub const MOVEMENT_CURSOR_PATTERN: &str =
    "^3[1-9](3[0-9]){3}2d(3[0-9]){2}2d(3[0-9]){2}2f(3[0-9]){1,18}$";
/// A history cursor: a position in the history's order.
pub const HISTORY_CURSOR_PATTERN: &str = "^[1-9][0-9]{0,17}$";
/// A rates cursor: hex of `YYYY-MM-DD/BASE/QUOTE`, codes of three capital letters.
pub const RATE_CURSOR_PATTERN: &str = "^3[1-9](3[0-9]){3}2d(3[0-9]){2}2d(3[0-9]){2}\
     (2f(4[1-9a-f]|5[0-9a])(4[1-9a-f]|5[0-9a])(4[1-9a-f]|5[0-9a])){2}$";
/// A change-feed cursor: `xid.seq` after a position; `s.xid.seq.stage[.place]` while
/// reading the current state (stage 1 goes on with a movements cursor, 2 with a rates one).
pub const CHANGES_CURSOR_PATTERN: &str = "^([0-9]{1,19}\\.[0-9]{1,18}|s\\.[0-9]{1,19}\\.[0-9]{1,18}\\.\
     (0|1(\\.3[1-9](3[0-9]){3}2d(3[0-9]){2}2d(3[0-9]){2}2f(3[0-9]){1,18})?\
     |2(\\.3[1-9](3[0-9]){3}2d(3[0-9]){2}2d(3[0-9]){2}\
     (2f(4[1-9a-f]|5[0-9a])(4[1-9a-f]|5[0-9a])(4[1-9a-f]|5[0-9a])){2})?))$";
