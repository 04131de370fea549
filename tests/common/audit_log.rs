//! Reading an audit log back, as the tests that check its lines do.
#![allow(dead_code)]

use std::path::Path;

/// Each line of the audit log at `path` as JSON (none when the file is missing); a line that
/// is not whole JSON fails the test, naming it.
pub fn lines(path: &Path) -> Vec<serde_json::Value> {
    super::cli::json_lines(&std::fs::read_to_string(path).unwrap_or_default())
}
