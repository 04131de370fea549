//! The handles: [`Stdout`] for results, the stderr functions for messages, and what a failed
//! write means for the exit code.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{self, BufWriter, IsTerminal, Write};

use serde::Serialize;

use super::grid::{self, Fit};
use super::import::ImportWriter;
use super::query::{Query, QueryError, aws_text};
use super::table::{Delimited, TableWriter};
use crate::exit;
use crate::sanitize::{SafeJsonFormatter, is_unsafe, sanitize};

/// Why stdout took no more.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The reader went away (`| head`): the command stops quietly.
    #[error("stdout was closed")]
    Closed,
    /// Anything else: the command stops with [`exit::OUTPUT`] at once, rather than report
    /// success on a cut-off result.
    #[error("cannot write output: {0}")]
    Failed(io::Error),
    /// `--query` failed on the value to print (a function given the wrong type): the
    /// expression is wrong for this output, a usage error ([`exit::USAGE`]).
    #[error(transparent)]
    Query(#[from] QueryError),
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::BrokenPipe => Self::Closed,
            _ => Self::Failed(e),
        }
    }
}

impl From<serde_json::Error> for WriteError {
    fn from(e: serde_json::Error) -> Self {
        Self::from(io::Error::from(e))
    }
}

impl WriteError {
    /// Says what went wrong on stderr (nothing for a closed pipe) and gives the exit code.
    pub fn report(&self, so_far: i32) -> i32 {
        if !matches!(self, Self::Closed) {
            error(self);
        }
        self.exit_code(so_far)
    }

    /// The exit code: `so_far` (the code of what was already written) for a closed pipe.
    pub fn exit_code(&self, so_far: i32) -> i32 {
        match self {
            Self::Closed => so_far,
            Self::Failed(_) => exit::OUTPUT,
            Self::Query(_) => exit::USAGE,
        }
    }
}

/// Whether stdout is a terminal (the default format depends on it).
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Whether stderr is a terminal (progress lines are drawn only there).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// `text` with every character a terminal would act on escaped, line ends kept: our own
/// multi-line reports pass through unchanged, a value that slipped through raw does not.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    terminal_safe_keeping(text, &['\n'])
}

/// [`terminal_safe`], keeping the characters in `keep` (line ends, the tabs of a script).
fn terminal_safe_keeping<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match keep.contains(&c) {
            true => out.push(c),
            false => out.push_str(&sanitize(c.encode_utf8(&mut buf))),
        }
    }
    Cow::Owned(out)
}

/// How the sink draws the JSON values a command gives it ([`Stdout::json`],
/// [`Stdout::json_line`]): `--query` first, then `-o`.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    query: Option<Query>,
    style: Style,
}

/// What `-o` asks of a command's JSON values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Style {
    /// JSON (`-o json`, and the default when stdout is not a terminal).
    #[default]
    Json,
    /// The command's own text for people (`-o text` without `--query`): the caller renders
    /// it and hands the sink text; a JSON value given anyway is written as JSON.
    People,
    /// The AWS CLI's `--output text` (`-o text` with `--query`).
    AwsText,
    /// The AWS CLI's `--output table`, under this title (an operation's name).
    Table(&'static str),
}

impl Shape {
    /// The shape for `--query` (if given) and the format asked for: `text` for `-o text`,
    /// `table` for `-o table` (titled `title`), else JSON.
    pub fn pick(query: Option<Query>, text: bool, table: bool, title: &'static str) -> Self {
        let style = match (table, text, query.is_some()) {
            (true, _, _) => Style::Table(title),
            (false, true, false) => Style::People,
            (false, true, true) => Style::AwsText,
            (false, false, _) => Style::Json,
        };
        Self { query, style }
    }

    /// Whether the command prints its own text for people (plain `-o text`): every other
    /// shape takes JSON values.
    pub fn is_people_text(&self) -> bool {
        self.style == Style::People
    }

    /// Whether values are drawn other than as JSON written straight through.
    fn reshapes(&self) -> bool {
        self.query.is_some() || matches!(self.style, Style::AwsText | Style::Table(_))
    }
}

/// Standard output, buffered. It has no `Write` of its own: results reach it as text, JSON
/// or table rows, each with its format's escaping.
pub struct Stdout {
    out: BufWriter<io::Stdout>,
    shape: Shape,
    /// The width tables are drawn for, read once.
    table_width: usize,
}

impl Stdout {
    /// The process's stdout, writing JSON values as JSON.
    pub fn open() -> Self {
        Self::shaped(Shape::default())
    }

    /// The process's stdout, drawing JSON values in `shape`.
    pub fn shaped(shape: Shape) -> Self {
        let table_width = match shape.style {
            Style::Table(_) => grid::terminal_width(),
            _ => grid::DEFAULT_WIDTH,
        };
        Self {
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            shape,
            table_width,
        }
    }

    /// Whether the command prints its own text for people ([`Shape::is_people_text`]).
    pub fn is_people_text(&self) -> bool {
        self.shape.is_people_text()
    }

    /// Whether JSON values are drawn other than as given (`--query`, the AWS CLI's text or
    /// table): a caller holding a JSON line it made itself must hand the value instead.
    pub fn reshapes(&self) -> bool {
        self.shape.reshapes()
    }

    /// Text for people (every unsafe character but `\n` escaped), written at once.
    pub fn text(&mut self, text: &str) -> Result<(), WriteError> {
        self.out.write_all(terminal_safe(text).as_bytes())?;
        self.flush()
    }

    /// Text this program made itself (a completion script, the man page): tabs and line ends
    /// kept, anything else unsafe escaped; written at once.
    pub fn program_text(&mut self, text: &str) -> Result<(), WriteError> {
        let safe = terminal_safe_keeping(text, &['\n', '\t']);
        self.out.write_all(safe.as_bytes())?;
        self.flush()
    }

    /// One JSON document, indented, through the safe formatter (or `--query`'s result of it,
    /// drawn as `-o` asks); written at once.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        if self.shape.reshapes() {
            let fit = Fit::AtMost(self.table_width);
            return self.reshaped(value, true, fit).and_then(|()| self.flush());
        }
        self.pretty(value)?;
        self.flush()
    }

    /// One NDJSON line through the safe formatter (or `--query`'s result of it, drawn as
    /// `-o` asks: a table per line, all as wide as the terminal); buffered until
    /// [`Stdout::flush`].
    pub fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        if self.shape.reshapes() {
            return self.reshaped(value, false, Fit::Exactly(self.table_width));
        }
        self.compact(value)
    }

    fn pretty<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let formatter = SafeJsonFormatter(serde_json::ser::PrettyFormatter::new());
        let mut ser = serde_json::Serializer::with_formatter(&mut self.out, formatter);
        value.serialize(&mut ser)?;
        Ok(self.out.write_all(b"\n")?)
    }

    fn compact<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let formatter = SafeJsonFormatter(serde_json::ser::CompactFormatter);
        let mut ser = serde_json::Serializer::with_formatter(&mut self.out, formatter);
        value.serialize(&mut ser)?;
        Ok(self.out.write_all(b"\n")?)
    }

    /// `value` through `--query`, then as JSON (indented when `pretty`), the AWS CLI's text,
    /// or its table. Text and tables escape every value themselves; the sink then keeps only
    /// their own tabs and line ends.
    fn reshaped<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        pretty: bool,
        fit: Fit,
    ) -> Result<(), WriteError> {
        let value = match &self.shape.query {
            Some(query) => query.apply(value)?,
            None => serde_json::to_value(value)?,
        };
        let drawn = match self.shape.style {
            Style::Json | Style::People if pretty => return self.pretty(&value),
            Style::Json | Style::People => return self.compact(&value),
            Style::AwsText => aws_text(&value),
            Style::Table(title) => grid::render(title, &value, fit),
        };
        let safe = terminal_safe_keeping(&drawn, &['\n', '\t']);
        Ok(self.out.write_all(safe.as_bytes())?)
    }

    /// Sends what is buffered on.
    pub fn flush(&mut self) -> Result<(), WriteError> {
        Ok(self.out.flush()?)
    }

    /// Turns stdout into a CSV/TSV table and writes its header.
    pub fn table(
        self,
        format: Delimited,
        leading: &[&str],
        attributes: Vec<String>,
    ) -> Result<TableWriter<TableOut>, WriteError> {
        Ok(TableWriter::new(
            TableOut(self.out),
            format,
            leading,
            attributes,
        )?)
    }

    /// Turns stdout into a Cognito user import file and writes its header.
    pub fn import(self, header: &[String]) -> Result<ImportWriter, WriteError> {
        Ok(ImportWriter::new(self.out, header)?)
    }
}

/// Stdout under a [`TableWriter`], which escapes every cell; made only by [`Stdout::table`].
pub struct TableOut(BufWriter<io::Stdout>);

impl Write for TableOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Writes `line` and a line end to stderr, escaped (line ends kept). Nothing is left to tell
/// when stderr itself fails, so that is ignored.
pub fn say(line: impl Display) {
    let line = line.to_string();
    let _ = writeln!(io::stderr().lock(), "{}", terminal_safe(&line));
}

/// `error: MESSAGE` on stderr; the message on one line, every unsafe character escaped.
pub fn error(message: impl Display) {
    say(format_args!("error: {}", sanitize(&message.to_string())));
}

/// `hint: MESSAGE` on stderr, as [`error`].
pub fn hint(message: impl Display) {
    say(format_args!("hint: {}", sanitize(&message.to_string())));
}

/// `note: MESSAGE` on stderr, as [`error`].
pub fn note(message: impl Display) {
    say(format_args!("note: {}", sanitize(&message.to_string())));
}

/// Redraws the progress line on a terminal's stderr: the one control sequence (carriage
/// return, erase line) this program writes itself.
pub fn progress(line: impl Display) {
    let line = sanitize(&line.to_string()).into_owned();
    let _ = write!(io::stderr().lock(), "\r\x1b[K{line}");
}

/// Erases the progress line.
pub fn clear_progress() {
    let _ = write!(io::stderr().lock(), "\r\x1b[K");
}

/// The writer `RUST_LOG` diagnostics go to: stderr, every unsafe character but line ends
/// escaped (so use it without ANSI colours).
pub fn diagnostics() -> impl Write {
    SafeStderr
}

struct SafeStderr;

impl Write for SafeStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stderr().write_all(terminal_safe(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_safe_keeps_line_ends_only() {
        assert_eq!(terminal_safe("a\nb"), "a\nb");
        assert_eq!(terminal_safe("a\u{1b}[2J\tb\r\n"), "a\\x1b[2J\\tb\\r\n");
        assert_eq!(terminal_safe_keeping("a\tb", &['\t']), "a\tb");
    }

    #[test]
    fn a_closed_pipe_is_not_a_failure() {
        let closed = WriteError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(matches!(closed, WriteError::Closed));
        assert_eq!(closed.report(3), 3);
        let full = WriteError::from(io::Error::from_raw_os_error(28));
        assert!(matches!(full, WriteError::Failed(_)));
    }
}
