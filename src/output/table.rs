//! CSV and TSV output for `get`, `search` and `export`: fixed columns, then the attributes
//! `--attributes` names. Every cell is escaped twice over: for the terminal the table may be
//! shown on (every character `sanitize` escapes: C0, C1, DEL, bidi, zero-width, separators,
//! tags, so an OSC 52 or `ESC[2J` in a name is text, not an action), then for the
//! spreadsheet it may be opened in: a cell that a spreadsheet would read as a formula gets a
//! leading `'` (OWASP's CSV-injection rule, widened to leading whitespace and the full-width
//! and minus-sign look-alikes), so a user-controlled name can't run a formula.

use std::io::{self, Write};

use time::OffsetDateTime;

use super::text_time;
use crate::cognito::{Attribute, User, UserStatus, UserSummary};
use crate::sanitize::sanitize;

/// The fixed columns after any leading ones (`Query`, `Pool`…), in this order.
pub const FIXED_COLUMNS: [&str; 6] = [
    "Username",
    "Sub",
    "UserStatus",
    "Enabled",
    "UserCreateDate",
    "UserLastModifiedDate",
];

/// Which delimited format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimited {
    /// RFC 4180: comma-separated, quoted where needed, CRLF line ends.
    Csv,
    /// Tab-separated, one line per row; tabs, newlines and backslashes in values escaped.
    Tsv,
}

/// The fields of a user that the columns show: from AdminGetUser or ListUsers alike.
#[derive(Debug, Clone, Copy)]
pub struct UserRow<'a> {
    pub username: &'a str,
    pub attributes: &'a [Attribute],
    pub status: Option<&'a UserStatus>,
    pub enabled: bool,
    pub created: Option<OffsetDateTime>,
    pub last_modified: Option<OffsetDateTime>,
}

/// `From<&User>` and `From<&UserSummary>`: both carry the fields a row shows, by one name.
macro_rules! user_row_from {
    ($($user:ty),+) => {$(
        impl<'a> From<&'a $user> for UserRow<'a> {
            fn from(u: &'a $user) -> Self {
                Self {
                    username: &u.username,
                    attributes: &u.attributes,
                    status: u.status.as_ref(),
                    enabled: u.enabled,
                    created: u.created,
                    last_modified: u.last_modified,
                }
            }
        }
    )+};
}

user_row_from!(User, UserSummary);

/// Why `--attributes` can't name these columns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnError {
    /// A name left empty (`email,,name` or a trailing comma).
    #[error("--attributes has an empty name; list them as email,phone_number")]
    Empty,
    /// Control characters, or longer than any attribute name can be.
    #[error("--attributes: {0:?} is not an attribute name (at most 64 printable characters)")]
    NotAName(String),
}

/// Parses `--attributes a,b,c` values: trimmed, non-empty, no duplicates, order kept.
pub fn attribute_columns(raw: &[String]) -> Result<Vec<String>, ColumnError> {
    let mut columns: Vec<String> = Vec::new();
    for name in raw.iter().map(|n| n.trim()) {
        if name.is_empty() {
            return Err(ColumnError::Empty);
        }
        if name.chars().any(char::is_control) || name.chars().count() > 64 {
            return Err(ColumnError::NotAName(name.to_string()));
        }
        if !columns.iter().any(|c| c == name) {
            columns.push(name.to_string());
        }
    }
    Ok(columns)
}

/// Characters a spreadsheet may take as the start of a formula: OWASP's four, their
/// full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small (U+FE66, U+FE62, U+FE63, U+FE6B)
/// forms, which some spreadsheets fold to ASCII, and the minus sign U+2212.
const FORMULA_STARTS: [char; 13] = [
    '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}', '\u{FE66}', '\u{FE62}',
    '\u{FE63}', '\u{FE6B}', '\u{2212}',
];

/// The OWASP rule: a cell that a spreadsheet would read as a formula gets a leading `'`. A
/// spreadsheet skips leading whitespace before a formula, so the first non-blank character
/// decides; a cell that starts with a tab or carriage return is guarded too.
pub fn spreadsheet_safe(value: &str) -> std::borrow::Cow<'_, str> {
    let starts_formula = value
        .trim_start()
        .starts_with(|c: char| FORMULA_STARTS.contains(&c));
    if starts_formula || value.starts_with(['\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// A cell as written: escaped for the format (TSV's `\t`, `\n`, `\r`, `\\`), then for the
/// terminal (`sanitize`), then guarded for the spreadsheet, last, so the guard sees the
/// characters the spreadsheet will.
pub fn safe_cell(format: Delimited, value: &str) -> String {
    let escaped = match format {
        Delimited::Csv => value.into(),
        Delimited::Tsv => tsv_escape(value),
    };
    spreadsheet_safe(&sanitize(&escaped)).into_owned()
}

/// TSV's escapes: backslash, tab, newline and carriage return as `\\`, `\t`, `\n`, `\r`.
fn tsv_escape(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains(['\\', '\t', '\n', '\r']) {
        return value.into();
    }
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.into()
}

enum Sink<W: Write> {
    // Boxed: the csv writer carries its buffer state inline (~350 bytes).
    Csv(Box<csv::Writer<W>>),
    Tsv(W),
}

/// A table being written: the header first, then one row per call, streamed.
pub struct TableWriter<W: Write> {
    sink: Sink<W>,
    attributes: Vec<String>,
    leading: usize,
}

impl<W: Write> TableWriter<W> {
    /// Starts a table on `out` and writes its header: `leading` columns, the fixed ones, then
    /// `attributes`.
    pub fn new(
        out: W,
        format: Delimited,
        leading: &[&str],
        attributes: Vec<String>,
    ) -> io::Result<Self> {
        let sink = match format {
            Delimited::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out),
            )),
            Delimited::Tsv => Sink::Tsv(out),
        };
        let mut table = Self {
            sink,
            attributes,
            leading: leading.len(),
        };
        let header: Vec<String> = leading
            .iter()
            .map(|s| s.to_string())
            .chain(FIXED_COLUMNS.iter().map(|s| s.to_string()))
            .chain(table.attributes.iter().cloned())
            .collect();
        table.write_cells(&header)?;
        Ok(table)
    }

    /// One row: the leading cells, then the user's columns (empty when there is no user, as
    /// for a query that found nobody).
    pub fn row(&mut self, leading: &[&str], user: Option<UserRow<'_>>) -> io::Result<()> {
        debug_assert_eq!(leading.len(), self.leading);
        let mut cells: Vec<String> = leading.iter().map(|s| s.to_string()).collect();
        match user {
            Some(u) => {
                let value = |name: &str| {
                    u.attributes
                        .iter()
                        .find(|a| a.name == name)
                        .and_then(|a| a.value.clone())
                        .unwrap_or_default()
                };
                let time = |t: Option<OffsetDateTime>| t.map(text_time).unwrap_or_default();
                cells.extend([
                    u.username.to_string(),
                    value("sub"),
                    u.status
                        .map(|s| s.as_wire().to_string())
                        .unwrap_or_default(),
                    u.enabled.to_string(),
                    time(u.created),
                    time(u.last_modified),
                ]);
                cells.extend(self.attributes.iter().map(|a| value(a)));
            }
            None => cells.extend(std::iter::repeat_n(
                String::new(),
                FIXED_COLUMNS.len() + self.attributes.len(),
            )),
        }
        self.write_cells(&cells)
    }

    fn write_cells(&mut self, cells: &[String]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w
                .write_record(cells.iter().map(|c| safe_cell(Delimited::Csv, c)))
                .map_err(csv_io_error),
            Sink::Tsv(w) => {
                let line: Vec<String> =
                    cells.iter().map(|c| safe_cell(Delimited::Tsv, c)).collect();
                writeln!(w, "{}", line.join("\t"))
            }
        }
    }

    /// Flushes what was written so far (rows reach a pipe as they are made).
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.flush(),
            Sink::Tsv(w) => w.flush(),
        }
    }
}

/// The I/O error inside a csv error, kept as it is so a closed pipe still reads as one.
fn csv_io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells_only() {
        for bad in ["=1+1", "+1555", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(bad).starts_with('\''), "{bad:?}");
        }
        for bad in [
            " =x",
            "\u{3000}=x",
            "\u{FF1D}1+1",
            "\u{FF0B}1",
            "\u{2212}2",
            "\u{FF20}x",
        ] {
            assert!(spreadsheet_safe(bad).starts_with('\''), "{bad:?}");
        }
        for fine in ["alice", "a=b", "", "'quoted", "x =y"] {
            assert_eq!(spreadsheet_safe(fine), fine);
        }
    }

    #[test]
    fn cells_are_escaped_for_the_terminal_before_the_guard() {
        for format in [Delimited::Csv, Delimited::Tsv] {
            let cell = |v| safe_cell(format, v);
            assert_eq!(cell("\u{1b}]52;c;eA==\u{7}"), "\\x1b]52;c;eA==\\x07");
            assert_eq!(cell("\u{202e}=1"), "\\u{202e}=1");
            assert_eq!(cell("\t=1"), "\\t=1");
            assert_eq!(cell("@x\ny"), "'@x\\ny");
        }
    }

    #[test]
    fn times_are_whole_milliseconds_rounded() {
        let at = |nanos: u32| {
            let t = time::macros::datetime!(2024-03-01 10:00:00 UTC);
            text_time(t.replace_nanosecond(nanos).unwrap())
        };
        assert_eq!(at(628_000_020), "2024-03-01T10:00:00.628Z");
        assert_eq!(at(23_999_900), "2024-03-01T10:00:00.024Z");
        assert_eq!(at(999_600_000), "2024-03-01T10:00:01Z");
        assert_eq!(at(0), "2024-03-01T10:00:00Z");
    }

    #[test]
    fn tsv_escapes_separators() {
        assert_eq!(tsv_escape("a\tb\nc\rd\\e"), "a\\tb\\nc\\rd\\\\e");
        assert_eq!(tsv_escape("plain"), "plain");
    }

    #[test]
    fn attribute_columns_are_checked_and_deduplicated() {
        let raw = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            attribute_columns(&raw(&["email", " name ", "email"])).unwrap(),
            ["email", "name"]
        );
        assert_eq!(
            attribute_columns(&raw(&["email", ""])),
            Err(ColumnError::Empty)
        );
        assert_eq!(
            attribute_columns(&raw(&["a\u{1b}b"])),
            Err(ColumnError::NotAName("a\u{1b}b".into()))
        );
    }
}
