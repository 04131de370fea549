//! The CSV a Cognito user import job takes (`export -o cognito-import`), written by its own
//! rules, not RFC 4180's ("Creating the user import CSV file", Formatting the CSV file, Amazon
//! Cognito Developer Guide,
//! <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-csv-header.html>):
//!
//! - the first row is the header GetCSVHeader gave, every column present;
//! - "Attribute values that are strings should not be in quotation marks": no field is
//!   quoted, and a `"` in a value is written as it is;
//! - "If an attribute value contains a comma, you must put a backslash (\) before the
//!   comma": `,` in a value is written `\,`;
//! - UTF-8 without a byte order mark; "The maximum row length is 16,000 characters".
//!
//! Every value is escaped for the terminal first, as all our output is (`sanitize`: a line
//! break or an escape sequence in a value becomes visible text, `\n`, `\x1b`), so a row is
//! always one line. The spreadsheet formula guard of `-o csv` is **not** applied: the file is
//! for Cognito's importer, which would store the guard's `'` as part of the value — every
//! E.164 phone number starts with `+` and would be refused. Open `-o csv` in spreadsheets.
//!
//! The rules say nothing of a backslash that is not before a comma; one before a comma of the
//! value, or at a value's end (before the separator), can't be told from the escape, so a row
//! holding one is refused rather than written to be read otherwise.

use std::io::{self, BufWriter, Write};

use crate::sanitize::sanitize;

/// "The maximum row length is 16,000 characters."
pub const MAX_ROW: usize = 16_000;

/// Why a row can't be written so that the importer reads back its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritable {
    /// A value with a backslash before a comma, or at its end.
    Backslash,
    /// Longer than [`MAX_ROW`] characters.
    TooLong,
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Written; `altered` when a value was escaped for the terminal (the import stores the
    /// escape's text, e.g. `\n`, not the character).
    Written { altered: bool },
    /// Not written, and why.
    Refused(Unwritable),
}

/// One value as the import file holds it, and whether the terminal escaping changed it.
pub fn import_cell(value: &str) -> Result<(String, bool), Unwritable> {
    let safe = sanitize(value);
    let altered = matches!(safe, std::borrow::Cow::Owned(_));
    if safe.ends_with('\\') || safe.contains("\\,") {
        return Err(Unwritable::Backslash);
    }
    Ok((safe.replace(',', "\\,"), altered))
}

/// The import file being written: the header first, then one row per user, streamed.
pub struct ImportWriter {
    out: BufWriter<io::Stdout>,
    columns: usize,
}

impl ImportWriter {
    /// Writes `header` on `out` and returns the writer for the rows.
    pub(super) fn new(mut out: BufWriter<io::Stdout>, header: &[String]) -> io::Result<Self> {
        let cells: Vec<String> = (header.iter())
            .map(|name| import_cell(name).map_or_else(|_| sanitize(name).into_owned(), |c| c.0))
            .collect();
        writeln!(out, "{}", cells.join(","))?;
        Ok(Self {
            out,
            columns: header.len(),
        })
    }

    /// One row of `values`, one per header column, in its order.
    pub fn row(&mut self, values: &[String]) -> io::Result<Row> {
        debug_assert_eq!(values.len(), self.columns);
        let mut cells = Vec::with_capacity(values.len());
        let mut altered = false;
        for value in values {
            match import_cell(value) {
                Ok((cell, changed)) => {
                    altered |= changed;
                    cells.push(cell);
                }
                Err(why) => return Ok(Row::Refused(why)),
            }
        }
        let line = cells.join(",");
        if line.chars().count() > MAX_ROW {
            return Ok(Row::Refused(Unwritable::TooLong));
        }
        writeln!(self.out, "{line}")?;
        Ok(Row::Written { altered })
    }

    /// Sends what is buffered on.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_are_escaped_quotes_kept_and_formulas_left_alone() {
        assert_eq!(import_cell("a,b"), Ok(("a\\,b".into(), false)));
        assert_eq!(import_cell("say \"hi\""), Ok(("say \"hi\"".into(), false)));
        assert_eq!(
            import_cell("+12345550100"),
            Ok(("+12345550100".into(), false))
        );
        assert_eq!(import_cell("=1+1"), Ok(("=1+1".into(), false)));
        assert_eq!(import_cell("two\nlines"), Ok(("two\\nlines".into(), true)));
        assert_eq!(import_cell("ends\\"), Err(Unwritable::Backslash));
        assert_eq!(import_cell("a\\,b"), Err(Unwritable::Backslash));
        assert_eq!(import_cell("C:\\dir"), Ok(("C:\\dir".into(), false)));
    }
}
