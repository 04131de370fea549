//! The audit file's hash chain, so that tampering shows. Every line carries `seq` (its line
//! number in the file, from 1), `prev` (the SHA-256, hex, of the previous line's bytes
//! without its newline; 64 zeros on line 1) and, last, `hash`: the SHA-256 of the line's own
//! bytes with `,"hash":"…"` taken out. `prev` catches a line removed, moved or edited before
//! the last; `hash` catches an edit of the last line too, which no later `prev` covers.
//!
//! There is no key: this shows edits made with a text editor or a script that doesn't
//! rebuild the chain, and lines removed or reordered — not a forger who recomputes every hash
//! after the edit, nor lines cut from the end at a line boundary (the file alone has no
//! anchor; `audit verify` prints the head's hash so it can be noted elsewhere).

use std::fs::File;
use std::io::{BufRead, Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

/// `prev` on a chain's first line, when no line comes before it.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What comes before the `hash` value at the end of a chained line.
const HASH_KEY: &[u8] = b",\"hash\":\"";
/// The length of `,"hash":"<64 hex>"}`.
const SEAL_LEN: usize = HASH_KEY.len() + 64 + 2;

/// SHA-256 of `bytes`, lowercase hex.
pub fn digest_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// Appends `,"hash":"…"` to a JSON object's bytes (which end in `}`): the hash of the
/// object as given.
pub(crate) fn seal(mut object: Vec<u8>) -> Vec<u8> {
    let hash = digest_hex(&object);
    object.pop();
    object.extend_from_slice(HASH_KEY);
    object.extend_from_slice(hash.as_bytes());
    object.extend_from_slice(b"\"}");
    object
}

/// The line as it was hashed (the `hash` field taken out) and the hash it claims, or `None`
/// when the line doesn't end in a well-formed `hash` field.
fn unseal(line: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let cut = line.len().checked_sub(SEAL_LEN)?;
    let (body, seal) = line.split_at(cut);
    let hash = seal.strip_prefix(HASH_KEY)?.strip_suffix(b"\"}")?;
    let mut object = body.to_vec();
    object.push(b'}');
    Some((object, hash))
}

/// Where the next line goes in the chain: its `seq` and `prev`, and whether the file ends
/// mid-line (a write cut short) so a newline must come first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Next {
    pub seq: u64,
    pub prev: String,
    pub needs_newline: bool,
}

/// Reads the end of `file` (which the caller holds locked) to find where the chain goes on.
/// Only the last line is read when it carries a `seq`; an older file's lines are counted once.
pub(crate) fn next_link(mut file: &File) -> std::io::Result<Next> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(Next {
            seq: 1,
            prev: GENESIS.into(),
            needs_newline: false,
        });
    }
    let last = last_line(file, len)?;
    let needs_newline = !last.ends_with(b"\n");
    let last = last.strip_suffix(b"\n").unwrap_or(&last);
    let prev = digest_hex(last);
    let last_seq = serde_json::from_slice::<serde_json::Value>(last)
        .ok()
        .and_then(|v| v.get("seq").and_then(serde_json::Value::as_u64))
        .filter(|_| !needs_newline);
    let seq = match last_seq {
        Some(seq) => seq + 1,
        None => count_lines(file)? + 1,
    };
    Ok(Next {
        seq,
        prev,
        needs_newline,
    })
}

/// The file's last line, with its newline if it has one; read backwards in blocks.
fn last_line(mut file: &File, len: u64) -> std::io::Result<Vec<u8>> {
    const BLOCK: u64 = 4096;
    let mut tail: Vec<u8> = Vec::new();
    let mut start = len;
    loop {
        let from = start.saturating_sub(BLOCK);
        let mut block = vec![0; (start - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut block)?;
        block.extend_from_slice(&tail);
        tail = block;
        start = from;
        // A newline before the final byte ends the line before the last.
        let search = &tail[..tail.len() - 1];
        if let Some(at) = search.iter().rposition(|&b| b == b'\n') {
            return Ok(tail.split_off(at + 1));
        }
        if start == 0 {
            return Ok(tail);
        }
    }
}

/// How many lines the file holds (a last line without its newline counts).
fn count_lines(mut file: &File) -> std::io::Result<u64> {
    file.seek(SeekFrom::Start(0))?;
    let mut reader = std::io::BufReader::new(file);
    let mut lines = 0;
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf)? > 0 {
        lines += 1;
        buf.clear();
    }
    Ok(lines)
}

/// An intact file: how many lines, how many of the first ones predate the chain, and the
/// last line's hash (note it elsewhere to catch lines later cut from the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intact {
    pub lines: u64,
    pub unchained: u64,
    pub head: Option<String>,
}

/// The first broken link: its line number (from 1) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct Broken {
    pub line: u64,
    pub reason: Tampering,
}

/// What is wrong with a line of the chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Tampering {
    /// The file ends mid-line.
    #[error(
        "the line is cut short (no newline at its end): the file was truncated, or a write \
         was interrupted"
    )]
    CutShort,
    /// Not a JSON object at all.
    #[error("not a JSON object: the line was edited or cut")]
    NotJson,
    /// A line without the chain's fields after the chain began.
    #[error("no seq, prev or hash: the line was added outside the chain")]
    Unchained,
    /// The `hash` field is not where the writer puts it, or not 64 hex digits.
    #[error("its hash field is missing or malformed")]
    NoHash,
    /// The line's bytes don't hash to its `hash`.
    #[error("its content doesn't match its hash: the line was edited")]
    Edited,
    /// `seq` is missing or not a number.
    #[error("its seq is missing or not a number")]
    NoSeq,
    /// `seq` is past the line's number.
    #[error(
        "seq is {seq}, expected {expected}: a line before it was removed, or lines were \
         reordered"
    )]
    SeqAhead { seq: u64, expected: u64 },
    /// `seq` is before the line's number.
    #[error("seq is {seq}, expected {expected}: lines were reordered or repeated")]
    SeqBehind { seq: u64, expected: u64 },
    /// `prev` is not the previous line's hash.
    #[error(
        "its prev doesn't match line {before}: that line was edited, or lines were removed \
         or reordered"
    )]
    PrevMismatch { before: u64 },
}

/// Checks the chain of the lines `reader` gives, and reports the first broken link.
pub fn verify(reader: impl BufRead) -> std::io::Result<Result<Intact, Broken>> {
    let mut reader = reader;
    let mut state = Walk::default();
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf)? > 0 {
        state.lines += 1;
        if let Err(reason) = state.check(&buf) {
            return Ok(Err(Broken {
                line: state.lines,
                reason,
            }));
        }
        buf.clear();
    }
    Ok(Ok(Intact {
        lines: state.lines,
        unchained: state.unchained,
        head: state.prev.filter(|_| state.chained),
    }))
}

/// Where a verification has got to.
#[derive(Default)]
struct Walk {
    lines: u64,
    unchained: u64,
    chained: bool,
    /// The hash of the line before the one being checked.
    prev: Option<String>,
}

impl Walk {
    /// Checks line `self.lines` (with its newline, if any), then takes it as the previous.
    fn check(&mut self, raw: &[u8]) -> Result<(), Tampering> {
        let line = raw.strip_suffix(b"\n").ok_or(Tampering::CutShort)?;
        let value: serde_json::Value = serde_json::from_slice(line)
            .ok()
            .filter(serde_json::Value::is_object)
            .ok_or(Tampering::NotJson)?;
        let fields = ["seq", "prev", "hash"].map(|k| value.get(k));
        if fields.iter().all(Option::is_none) {
            if self.chained {
                return Err(Tampering::Unchained);
            }
            self.unchained += 1;
        } else {
            self.check_link(line, &value)?;
            self.chained = true;
        }
        self.prev = Some(digest_hex(line));
        Ok(())
    }

    /// A chained line: its own hash, its place, and its link to the line before.
    fn check_link(&self, line: &[u8], value: &serde_json::Value) -> Result<(), Tampering> {
        let (object, claimed) = unseal(line).ok_or(Tampering::NoHash)?;
        if digest_hex(&object).as_bytes() != claimed {
            return Err(Tampering::Edited);
        }
        let seq = value.get("seq").and_then(serde_json::Value::as_u64);
        let expected = self.lines;
        match seq {
            Some(seq) if seq > expected => return Err(Tampering::SeqAhead { seq, expected }),
            Some(seq) if seq < expected => return Err(Tampering::SeqBehind { seq, expected }),
            Some(_) => {}
            None => return Err(Tampering::NoSeq),
        }
        let prev = value.get("prev").and_then(serde_json::Value::as_str);
        if prev != Some(self.prev.as_deref().unwrap_or(GENESIS)) {
            return Err(Tampering::PrevMismatch {
                before: expected - 1,
            });
        }
        Ok(())
    }
}

/// Why `audit verify FILE` found no intact chain.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The file can't be read (exit 2).
    #[error("cannot read the audit log {}: {source}", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The first broken link (exit [`crate::exit::CHAIN_BROKEN`]).
    #[error("audit chain broken: {}, line {}: {}", path.display(), broken.line, broken.reason)]
    Broken {
        path: std::path::PathBuf,
        broken: Broken,
    },
}

impl VerifyError {
    /// The process's exit code: a broken chain, or a usage error when the file can't be read.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Unreadable { .. } => crate::exit::USAGE,
            Self::Broken { .. } => crate::exit::CHAIN_BROKEN,
        }
    }
}

/// `audit verify FILE`: the line that says how an intact chain stands, or why it is not.
pub fn verify_file(path: &std::path::Path) -> Result<String, VerifyError> {
    let result = File::open(path).and_then(|f| verify(std::io::BufReader::new(f)));
    let path = path.to_path_buf();
    match result {
        Err(source) => Err(VerifyError::Unreadable { path, source }),
        Ok(Err(broken)) => Err(VerifyError::Broken { path, broken }),
        Ok(Ok(intact)) => Ok(format!("{}: {}\n", path.display(), describe(&intact))),
    }
}

/// One sentence for an intact file.
fn describe(intact: &Intact) -> String {
    let Intact {
        lines,
        unchained,
        head,
    } = intact;
    let head = head
        .as_deref()
        .map_or(String::new(), |h| format!("; head seq {lines} sha256 {h}"));
    match (*lines, *unchained) {
        (0, _) => "intact: empty".into(),
        (n, 0) => format!("intact: chained from line 1 to line {n}{head}"),
        (n, u) if u == n => {
            format!("intact: unchained up to line {u} (no chained line: nothing is protected)")
        }
        (n, u) => format!(
            "intact: unchained up to line {u}, chained from line {} to line {n}{head}",
            u + 1
        ),
    }
}
