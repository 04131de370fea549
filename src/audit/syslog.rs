//! Audit lines shipped to syslog (`audit_syslog = "…"` in the config, `--audit-syslog`):
//! each line the file takes is sent too, its exact bytes as the MSG of an RFC 5424 message —
//! over UDP, over TCP with octet-counting framing (RFC 6587 §3.4.1), or to a local datagram
//! socket (`unix:/dev/log`).
//!
//! The file stays the record: a receiver that goes away never stops a line from reaching the
//! file, nor blocks for long (connect and write time out). Lines it did not take are held
//! back, in order (at most [`BACKLOG`]), and sent first when it is back; every line retries
//! the connection. Whether it is up is a [`watch`] value the TUI's header and the one-shot
//! commands' stderr follow.
//!
//! The formatter is ours, about forty lines: the crates that format RFC 5424 (`syslog`,
//! `fasyslog`) read the clock themselves — the message's TIMESTAMP would not be the audit
//! line's — and bring a transport and a hostname crate with them.

use std::collections::VecDeque;
use std::fmt;
use std::io::Write;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
#[cfg(unix)]
use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use tokio::sync::watch;

pub use crate::config::{SyslogAddressError, SyslogTarget, Transport};

/// PRI: facility authpriv (10, "security/authorization messages (private)"), severity
/// notice (5): `10 * 8 + 5` (RFC 5424 §6.2.1).
pub const PRI: u8 = 85;
/// APP-NAME of every message.
pub const APP_NAME: &str = "cognito-tui";
/// MSGID of every message: what the receiver can route on.
pub const MSG_ID: &str = "audit";
/// Lines kept while the receiver is away; past this the oldest are dropped (and counted).
pub const BACKLOG: usize = 10_000;
/// How long a TCP connect may take before the receiver counts as down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one message may take to write (a receiver that stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// After a connect that timed out, lines don't wait for another attempt this long.
const RETRY_AFTER_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the receiver takes lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyslogState {
    Up,
    /// Why not, with how many lines are held back (and dropped past [`BACKLOG`]).
    Down(String),
}

/// One RFC 5424 message (§6): the header fields and the MSG.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub pri: u8,
    /// An RFC 5424 TIMESTAMP ([`timestamp`]), or `-`.
    pub timestamp: &'a str,
    pub hostname: &'a str,
    pub app_name: &'a str,
    pub proc_id: &'a str,
    pub msg_id: &'a str,
    /// Given as UTF-8 text, the MSG starts with the BOM §6.4 asks for; as bytes, not.
    pub msg: Msg<'a>,
}

/// The MSG part: §6.4's MSG-UTF8 (BOM first) or MSG-ANY.
#[derive(Debug, Clone, Copy)]
pub enum Msg<'a> {
    Utf8(&'a str),
    Any(&'a [u8]),
}

impl Message<'_> {
    /// The message's bytes, without transport framing. A header field that is empty, too
    /// long or not printable US-ASCII becomes the NILVALUE `-`. No STRUCTURED-DATA.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = format!(
            "<{}>1 {} {} {} {} {} - ",
            self.pri,
            field(self.timestamp, 32),
            field(self.hostname, 255),
            field(self.app_name, 48),
            field(self.proc_id, 128),
            field(self.msg_id, 32),
        );
        let mut bytes = header.into_bytes();
        match self.msg {
            Msg::Utf8(text) => {
                bytes.extend_from_slice("\u{feff}".as_bytes());
                bytes.extend_from_slice(text.as_bytes());
            }
            Msg::Any(raw) => bytes.extend_from_slice(raw),
        }
        bytes
    }
}

/// A header field as RFC 5424 allows it: 1 to `max` characters of PRINTUSASCII, else `-`.
fn field(value: &str, max: usize) -> &str {
    let printable = value.bytes().all(|b| (33..=126).contains(&b));
    match printable && !value.is_empty() && value.len() <= max {
        true => value,
        false => "-",
    }
}

/// `at` as an RFC 5424 TIMESTAMP: UTC, microseconds (TIME-SECFRAC has at most six digits;
/// the audit line's RFC 3339 time may carry nine).
pub fn timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

/// The audit line `line` (a JSON line, no newline) written at `at`, as a message from this
/// host and process: ASCII lines go as they are, others with the BOM.
pub fn audit_message(at: OffsetDateTime, line: &[u8]) -> Vec<u8> {
    let stamp = timestamp(at);
    let host = hostname();
    let pid = std::process::id().to_string();
    let msg = match std::str::from_utf8(line) {
        Ok(text) if !text.is_ascii() => Msg::Utf8(text),
        _ => Msg::Any(line),
    };
    Message {
        pri: PRI,
        timestamp: &stamp,
        hostname: &host,
        app_name: APP_NAME,
        proc_id: &pid,
        msg_id: MSG_ID,
        msg,
    }
    .to_bytes()
}

/// This machine's name (`gethostname`), or `-`.
fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is writable for its length; the name is NUL-terminated within it
        // (or truncated, which the search for NUL below tolerates).
        if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0 {
            let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).into_owned();
        }
    }
    "-".into()
}

/// An open connection to the receiver.
enum Connection {
    Udp(UdpSocket),
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixDatagram),
}

impl Connection {
    /// Connects to `target`: TCP and the local socket must accept; UDP only resolves and
    /// picks a route (whether anyone listens shows when a line is refused).
    fn open(target: &SyslogTarget) -> std::io::Result<Self> {
        match target.transport {
            Transport::Udp => {
                let addr = resolve(&target.address)?;
                let local: SocketAddr = match addr {
                    SocketAddr::V4(_) => ([0, 0, 0, 0], 0).into(),
                    SocketAddr::V6(_) => ([0u16; 8], 0).into(),
                };
                let socket = UdpSocket::bind(local)?;
                socket.connect(addr)?;
                Ok(Self::Udp(socket))
            }
            Transport::Tcp => {
                let stream =
                    TcpStream::connect_timeout(&resolve(&target.address)?, CONNECT_TIMEOUT)?;
                stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
                Ok(Self::Tcp(stream))
            }
            #[cfg(unix)]
            Transport::Unix => {
                let socket = UnixDatagram::unbound()?;
                socket.connect(PathBuf::from(&target.address))?;
                socket.set_write_timeout(Some(WRITE_TIMEOUT))?;
                Ok(Self::Unix(socket))
            }
            #[cfg(not(unix))]
            Transport::Unix => Err(std::io::ErrorKind::Unsupported.into()),
        }
    }

    /// Sends one message; `Err` when the receiver did not take it.
    fn send(&mut self, message: &[u8]) -> std::io::Result<()> {
        match self {
            Self::Udp(socket) => {
                socket.send(message)?;
                // A "port unreachable" for this or an earlier datagram (on loopback it is
                // already here): the receiver is not there.
                match socket.take_error()? {
                    Some(error) => Err(error),
                    None => Ok(()),
                }
            }
            Self::Tcp(stream) => {
                // A receiver that closed the connection still lets one write into the
                // kernel's buffer, and that line would be lost: look before writing.
                if peer_closed(stream) {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "the receiver closed the connection",
                    ));
                }
                let mut framed = format!("{} ", message.len()).into_bytes();
                framed.extend_from_slice(message);
                stream.write_all(&framed)
            }
            #[cfg(unix)]
            Self::Unix(socket) => socket.send(message).map(drop),
        }
    }
}

/// The first address `host:port` resolves to.
fn resolve(address: &str) -> std::io::Result<SocketAddr> {
    address
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "the name has no address"))
}

/// Whether the receiver has closed (or reset) the connection: a read that would not block
/// returns end of file or an error. Syslog receivers never send, so data means open.
fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let closed = match stream.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    closed || stream.set_nonblocking(false).is_err()
}

/// The shipping end: the connection, the lines held back, and the state others watch.
pub struct Syslog {
    target: SyslogTarget,
    connection: Option<Connection>,
    backlog: VecDeque<Vec<u8>>,
    dropped: u64,
    state: watch::Sender<SyslogState>,
    /// When a connect last timed out: lines don't wait on another one for a while.
    timed_out: Option<Instant>,
}

impl fmt::Debug for Syslog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Syslog")
            .field("target", &self.target)
            .field("connected", &self.connection.is_some())
            .field("backlog", &self.backlog.len())
            .finish()
    }
}

impl Syslog {
    /// Connects to `target`; `Err` when it can't be reached (the app does not start).
    pub fn connect(target: &SyslogTarget) -> std::io::Result<Self> {
        let connection = Connection::open(target)?;
        Ok(Self {
            target: target.clone(),
            connection: Some(connection),
            backlog: VecDeque::new(),
            dropped: 0,
            state: watch::Sender::new(SyslogState::Up),
            timed_out: None,
        })
    }

    /// Where lines go.
    pub fn target(&self) -> &SyslogTarget {
        &self.target
    }

    /// Whether the receiver is taking lines, as it changes.
    pub fn watch(&self) -> watch::Receiver<SyslogState> {
        self.state.subscribe()
    }

    /// Ships the audit line `line` (no newline), written at `at`, after any held back.
    /// Never fails: a receiver that doesn't take it leaves it held back and the state down.
    pub fn ship(&mut self, at: OffsetDateTime, line: &[u8]) {
        self.backlog.push_back(audit_message(at, line));
        if self.backlog.len() > BACKLOG {
            self.backlog.pop_front();
            self.dropped += 1;
        }
        let sent = self.flush();
        let state = match sent {
            Ok(()) => SyslogState::Up,
            Err(e) => SyslogState::Down(self.why_down(&e)),
        };
        self.state.send_if_modified(|now| {
            let changed = *now != state;
            *now = state;
            changed
        });
    }

    /// Sends what is held back, oldest first, reconnecting if needed.
    fn flush(&mut self) -> std::io::Result<()> {
        let mut connection = match self.connection.take() {
            Some(connection) => connection,
            None => self.reconnect()?,
        };
        while let Some(message) = self.backlog.front() {
            connection.send(message)?;
            self.backlog.pop_front();
        }
        self.connection = Some(connection);
        Ok(())
    }

    fn reconnect(&mut self) -> std::io::Result<Connection> {
        if let Some(at) = self.timed_out
            && at.elapsed() < RETRY_AFTER_TIMEOUT
        {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        Connection::open(&self.target).inspect_err(|e| {
            self.timed_out = (e.kind() == std::io::ErrorKind::TimedOut).then(Instant::now);
        })
    }

    fn why_down(&self, error: &std::io::Error) -> String {
        let dropped = match self.dropped {
            0 => String::new(),
            n => format!(", {n} dropped"),
        };
        format!(
            "{}: {error} ({} lines held back{dropped}; the file has every line)",
            self.target,
            self.backlog.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5424 §6.5, Example 1 (with the BOM it shows before the MSG).
    #[test]
    fn formats_rfc_5424_example_1() {
        let message = Message {
            pri: 34,
            timestamp: "2003-10-11T22:14:15.003Z",
            hostname: "mymachine.example.com",
            app_name: "su",
            proc_id: "",
            msg_id: "ID47",
            msg: Msg::Utf8("'su root' failed for lonvick on /dev/pts/8"),
        };
        assert_eq!(
            message.to_bytes(),
            "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{feff}'su root' \
             failed for lonvick on /dev/pts/8"
                .as_bytes()
        );
    }

    /// RFC 5424 §6.5, Example 2 (MSG-ANY: no BOM).
    #[test]
    fn formats_rfc_5424_example_2() {
        let message = Message {
            pri: 165,
            timestamp: "2003-08-24T05:14:15.000003-07:00",
            hostname: "192.0.2.1",
            app_name: "myproc",
            proc_id: "8710",
            msg_id: "",
            msg: Msg::Any(b"%% It's time to make the do-nuts."),
        };
        assert_eq!(
            message.to_bytes(),
            b"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time \
              to make the do-nuts."
        );
    }

    #[test]
    fn header_fields_outside_printusascii_become_nil() {
        assert_eq!(field("host name", 255), "-");
        assert_eq!(field("hôte", 255), "-");
        assert_eq!(field(&"a".repeat(49), 48), "-");
        assert_eq!(field("cognito-tui", 48), "cognito-tui");
    }

    #[test]
    fn timestamps_are_utc_with_six_digits() {
        let at = time::macros::datetime!(2003-08-24 05:14:15.000003123 -07:00);
        assert_eq!(timestamp(at), "2003-08-24T12:14:15.000003Z");
    }

    #[test]
    fn non_ascii_lines_get_the_bom_ascii_lines_go_as_they_are() {
        let at = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        let ascii = audit_message(at, br#"{"q":"a"}"#);
        assert!(ascii.ends_with(br#" audit - {"q":"a"}"#), "{ascii:?}");
        let text = audit_message(at, r#"{"q":"ü"}"#.as_bytes());
        assert!(text.ends_with(" audit - \u{feff}{\"q\":\"ü\"}".as_bytes()));
        assert!(ascii.starts_with(b"<85>1 2026-01-02T03:04:05.000000Z "));
    }
}
