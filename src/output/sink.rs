//! The handles: [`Stdout`] for results, the stderr functions for messages, and what a failed
//! write means for the exit code.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{self, BufWriter, IsTerminal, Write};

use serde::Serialize;

use super::table::{Delimited, TableWriter};
use crate::sanitize::{SafeJsonFormatter, is_unsafe, sanitize};

/// Exit code when the output can't be written (a full disk, `/dev/full`, an I/O error): the
/// command stops at once rather than report success on a cut-off result.
pub const EXIT_OUTPUT: i32 = 8;

/// Why stdout took no more.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The reader went away (`| head`): the command stops quietly.
    #[error("stdout was closed")]
    Closed,
    /// Anything else: the command stops with [`EXIT_OUTPUT`].
    #[error("cannot write output: {0}")]
    Failed(io::Error),
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
    /// Says what went wrong on stderr (nothing for a closed pipe) and gives the exit code:
    /// [`EXIT_OUTPUT`], or `so_far` (the code of what was already written) for a closed pipe.
    pub fn report(&self, so_far: i32) -> i32 {
        match self {
            Self::Closed => so_far,
            Self::Failed(_) => {
                error(self);
                EXIT_OUTPUT
            }
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

/// Standard output, buffered. It has no `Write` of its own: results reach it as text, JSON
/// or table rows, each with its format's escaping.
pub struct Stdout {
    out: BufWriter<io::Stdout>,
}

impl Stdout {
    /// The process's stdout.
    pub fn open() -> Self {
        Self {
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
        }
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

    /// One JSON document, indented, through the safe formatter; written at once.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let formatter = SafeJsonFormatter(serde_json::ser::PrettyFormatter::new());
        let mut ser = serde_json::Serializer::with_formatter(&mut self.out, formatter);
        value.serialize(&mut ser)?;
        self.out.write_all(b"\n")?;
        self.flush()
    }

    /// One NDJSON line through the safe formatter; buffered until [`Stdout::flush`].
    pub fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let formatter = SafeJsonFormatter(serde_json::ser::CompactFormatter);
        let mut ser = serde_json::Serializer::with_formatter(&mut self.out, formatter);
        value.serialize(&mut ser)?;
        Ok(self.out.write_all(b"\n")?)
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
