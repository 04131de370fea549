//! Audit lines shipped to syslog (issue 23, item 5), received by a real rsyslog from
//! Debian's packages running unprivileged on loopback (imudp, imtcp, and imuxsock on a socket
//! in a temporary directory — never the system's /dev/log), written to a file by a template
//! that keeps the parsed RFC 5424 fields apart from the MSG. What it received is compared byte
//! for byte with the audit file's lines; then the failure modes: a receiver unreachable at
//! start (each transport), and one that dies mid-session and comes back.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{cli, skip, tmux};

const RSYSLOGD: &str = "/usr/sbin/rsyslogd";
/// rsyslog's start-up on a loaded 2-core machine took under 2 s; 30 s says it is broken.
const DEADLINE: Duration = Duration::from_secs(30);

/// A running rsyslogd with UDP, TCP and a local socket, writing what `cognito-tui` sends
/// to `received`; stopped when dropped.
struct Rsyslog {
    child: Child,
    received: PathBuf,
    udp: u16,
    tcp: u16,
    socket: PathBuf,
}

/// A port free now on 127.0.0.1 (rsyslog's imudp can't report one it picked itself).
fn free_port(udp: bool) -> u16 {
    match udp {
        true => std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr(),
        false => std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr(),
    }
    .unwrap()
    .port()
}

impl Rsyslog {
    /// Starts rsyslogd in `dir` (`None` after [`skip`] when it isn't installed); `tcp`: the
    /// TCP port to listen on again after a restart.
    fn start(dir: &Path, tcp: Option<u16>) -> Option<Self> {
        if !Path::new(RSYSLOGD).exists() {
            skip("rsyslogd is not installed (Debian package rsyslog)");
            return None;
        }
        let (udp, tcp) = (free_port(true), tcp.unwrap_or_else(|| free_port(false)));
        let socket = dir.join("log.sock");
        let _ = std::fs::remove_file(&socket);
        let received = dir.join("received.log");
        let probes = dir.join("probes.log");
        let _ = std::fs::remove_file(&probes);
        let d = dir.display();
        // The fields rsyslog parsed, `|`-separated, then the MSG exactly (its own control
        // character escaping has nothing to do: the lines are JSON-escaped).
        let config = format!(
            "global(workDirectory=\"{d}\")\n\
             module(load=\"imudp\")\nmodule(load=\"imtcp\")\n\
             module(load=\"imuxsock\" SysSock.Use=\"off\")\n\
             input(type=\"imudp\" address=\"127.0.0.1\" port=\"{udp}\")\n\
             input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{tcp}\")\n\
             input(type=\"imuxsock\" Socket=\"{}\" UseSpecialParser=\"off\" ParseHostname=\"on\")\n\
             template(name=\"fields\" type=\"string\" \
               string=\"%pri%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n\")\n\
             if $app-name == \"cognito-tui\" then \
               action(type=\"omfile\" file=\"{}\" template=\"fields\")\n\
             if $app-name == \"probe\" then \
               action(type=\"omfile\" file=\"{}\" template=\"fields\")\n",
            socket.display(),
            received.display(),
            probes.display(),
        );
        let conf = dir.join("rsyslog.conf");
        std::fs::write(&conf, config).unwrap();
        let child = Command::new(RSYSLOGD)
            .args(["-n", "-f"])
            .arg(&conf)
            .arg("-i")
            .arg(dir.join("rsyslog.pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rsyslogd");
        let rsyslog = Self {
            child,
            received,
            udp,
            tcp,
            socket,
        };
        rsyslog.wait_until_listening(&probes);
        Some(rsyslog)
    }

    /// Sends a probe on each transport until all three have reached the probe file.
    fn wait_until_listening(&self, probes: &Path) {
        let started = Instant::now();
        loop {
            let probe = |via: &str| format!("<14>1 - - probe - - - {via}").into_bytes();
            if let Ok(udp) = std::net::UdpSocket::bind("127.0.0.1:0") {
                let _ = udp.send_to(&probe("udp"), ("127.0.0.1", self.udp));
            }
            if let Ok(mut tcp) = std::net::TcpStream::connect(("127.0.0.1", self.tcp)) {
                use std::io::Write;
                let message = probe("tcp");
                let _ = write!(tcp, "{} ", message.len()).and_then(|_| tcp.write_all(&message));
            }
            if let Ok(unix) = std::os::unix::net::UnixDatagram::unbound() {
                let _ = unix.send_to(&probe("unix"), &self.socket);
            }
            let seen = std::fs::read_to_string(probes).unwrap_or_default();
            if ["udp", "tcp", "unix"]
                .iter()
                .all(|via| seen.contains(&format!("|{via}\n")))
            {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "rsyslogd did not listen: {seen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn address(&self, transport: &str) -> String {
        match transport {
            "udp" => format!("udp://127.0.0.1:{}", self.udp),
            "tcp" => format!("tcp://127.0.0.1:{}", self.tcp),
            _ => format!("unix:{}", self.socket.display()),
        }
    }

    /// The messages received so far.
    fn received(&self) -> Vec<(String, Vec<u8>)> {
        received_in(&self.received)
    }

    /// Waits until `n` messages have been received, and returns them.
    fn wait_for(&self, n: usize) -> Vec<(String, Vec<u8>)> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "rsyslog received {} of {n} lines",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops rsyslogd (SIGKILL: the receiver just goes away) and waits for it.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The messages in a receiver's file, one per line: `(the five fields, the MSG's bytes)`.
fn received_in(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|line| {
            let cut = (0..5).fold(0, |at, _| {
                at + line[at..].iter().position(|b| *b == b'|').unwrap() + 1
            });
            (
                String::from_utf8_lossy(&line[..cut]).into_owned(),
                line[cut..].to_vec(),
            )
        })
        .collect()
}

/// The audit file's lines, as bytes, without their newlines.
fn file_lines(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// `cognito-tui --demo ARGS --audit-log AUDIT`, run in `dir`.
fn demo(dir: &Path, audit: &Path, args: &[&str]) -> cli::Run {
    let mut command = cli::command(dir);
    command
        .arg("--demo")
        .args(args)
        .arg("--audit-log")
        .arg(audit);
    cli::run(command)
}

/// What a receiver should hold for a file line: the line, after the BOM (RFC 5424 §6.4)
/// when it is not plain ASCII.
fn as_shipped(line: &[u8]) -> Vec<u8> {
    match line.is_ascii() {
        true => line.to_vec(),
        false => [&b"\xEF\xBB\xBF"[..], line].concat(),
    }
}

/// Every line the file holds arrived, in order, as the MSG of a message whose fields say
/// authpriv.notice (85), APP-NAME cognito-tui, MSGID audit, no structured data.
fn assert_received_everything(file: &[Vec<u8>], received: &[(String, Vec<u8>)]) {
    let expected: Vec<Vec<u8>> = file.iter().map(|l| as_shipped(l)).collect();
    let msgs: Vec<Vec<u8>> = received.iter().map(|(_, m)| m.clone()).collect();
    assert_eq!(
        msgs.iter()
            .map(|m| String::from_utf8_lossy(m))
            .collect::<Vec<_>>(),
        expected
            .iter()
            .map(|m| String::from_utf8_lossy(m))
            .collect::<Vec<_>>()
    );
    assert_eq!(msgs, expected, "byte for byte");
    for (fields, _) in received {
        let parts: Vec<&str> = fields.split('|').collect();
        assert_eq!(parts[0], "85", "{fields}");
        assert_eq!(parts[1], "cognito-tui", "{fields}");
        assert!(
            parts[2].parse::<u32>().is_ok(),
            "PROCID is the pid: {fields}"
        );
        assert_eq!((parts[3], parts[4]), ("audit", "-"), "{fields}");
    }
}

#[test]
fn each_line_reaches_rsyslog_byte_for_byte_over_udp_tcp_and_a_local_socket() {
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = Rsyslog::start(dir.path(), None) else {
        return;
    };
    let audit = dir.path().join("audit.jsonl");
    // One run per transport; the second query is not ASCII, so its line goes with the BOM.
    for (transport, query) in [("udp", "alice"), ("tcp", "bob"), ("unix", "zoë")] {
        let address = rsyslog.address(transport);
        let run = demo(
            dir.path(),
            &audit,
            &["get", query, "--audit-syslog", &address],
        );
        assert!(
            run.code == 0 || run.code == 3,
            "{transport}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("syslog"),
            "{transport}: {}",
            run.stderr
        );
    }
    let file = file_lines(&audit);
    assert_eq!(file.len(), 6, "a start and a lookup line per run");
    assert!(
        !file[5].is_ascii(),
        "the positive control for the BOM: zoë's line"
    );
    assert_received_everything(&file, &rsyslog.wait_for(file.len()));
}

#[test]
fn an_unreachable_receiver_at_start_stops_every_command_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let closed = free_port(false);
    let cases = [
        (format!("tcp://127.0.0.1:{closed}"), "Connection refused"),
        (
            format!("udp://127.0.0.1:{}", free_port(true)),
            "Connection refused",
        ),
        (
            format!("unix:{}/no-such.sock", dir.path().display()),
            "No such file",
        ),
    ];
    for (address, why) in cases {
        let audit = dir.path().join(format!("{}.jsonl", address.len()));
        let run = demo(
            dir.path(),
            &audit,
            &["get", "alice", "--audit-syslog", &address],
        );
        assert_eq!(run.code, 9, "{address}: {}", run.stderr);
        assert!(
            run.stdout.is_empty(),
            "{address}: nothing printed: {}",
            run.stdout
        );
        assert!(
            run.stderr.contains(&address) && run.stderr.contains(why),
            "{address}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
        // No lookup was made: at most the start line (UDP learns it from that line).
        let lines = file_lines(&audit);
        assert!(lines.len() <= 1, "{address}: {lines:?}");
        // The TUI refuses too, before it takes the terminal, with the audit log's exit code.
        let run = demo(dir.path(), &audit, &["--audit-syslog", &address]);
        if address.starts_with("udp") {
            // UDP has no connection: the TUI learns of it from its first line.
            assert_eq!(run.code, 2, "no terminal: {}", run.stderr);
            assert!(run.stderr.contains("terminal"), "{}", run.stderr);
        } else {
            assert_eq!(run.code, 9, "{address}: {}", run.stderr);
            assert!(run.stderr.contains(&address), "{address}: {}", run.stderr);
        }
    }
}

#[test]
fn a_receiver_reachable_at_start_makes_the_same_command_succeed() {
    // The positive control of the test above: the same command, a receiver listening.
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = Rsyslog::start(dir.path(), None) else {
        return;
    };
    let audit = dir.path().join("audit.jsonl");
    let address = rsyslog.address("tcp");
    let run = demo(
        dir.path(),
        &audit,
        &["get", "alice", "--audit-syslog", &address],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(rsyslog.wait_for(2).len(), 2);
}

#[test]
fn bad_addresses_and_a_syslog_without_a_file_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    for (args, says) in [
        (
            vec!["--audit-syslog", "syslog.corp:514"],
            "not a syslog address",
        ),
        (
            vec!["--audit-syslog", "udp://127.0.0.1"],
            "port from 1 to 65535",
        ),
        (vec!["--audit-syslog", "unix:dev/log"], "absolute path"),
    ] {
        let run = demo(dir.path(), &audit, &[&["get", "alice"], &args[..]].concat());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    let run = cli::run_args(&[
        "--demo",
        "get",
        "alice",
        "--audit-syslog",
        "udp://127.0.0.1:9",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("give --audit-log FILE too"),
        "{}",
        run.stderr
    );
    // The config file's key, its error placed at the value.
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "audit_syslog = \"udp:/x\"\n").unwrap();
    let run = demo(
        dir.path(),
        &audit,
        &["get", "alice", "--config", config.to_str().unwrap()],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("line 1, column 16") && run.stderr.contains("audit_syslog"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_config_files_audit_syslog_ships_like_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = Rsyslog::start(dir.path(), None) else {
        return;
    };
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("audit_syslog = \"{}\"\n", rsyslog.address("udp")),
    )
    .unwrap();
    let audit = dir.path().join("audit.jsonl");
    let run = demo(
        dir.path(),
        &audit,
        &["get", "alice", "--config", config.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = file_lines(&audit);
    assert_received_everything(&file, &rsyslog.wait_for(file.len()));
}

#[test]
fn a_receiver_that_dies_mid_batch_leaves_the_file_whole_and_stderr_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = Rsyslog::start(dir.path(), None) else {
        return;
    };
    let audit = dir.path().join("audit.jsonl");
    let queries: String = (0..24).map(|i| format!("nobody{i}\n")).collect();
    let input = dir.path().join("queries.txt");
    std::fs::write(&input, queries).unwrap();
    let mut command = cli::command(dir.path());
    // Each demo request takes 300 ms, so the batch is still running when rsyslog is killed.
    command.env("COGNITO_TUI_DEMO_LATENCY_MS", "300");
    command
        .args(["--demo", "get", "-", "-o", "json", "--audit-log"])
        .arg(&audit);
    command.args(["--audit-syslog", &rsyslog.address("tcp")]);
    command.stdin(std::fs::File::open(&input).unwrap());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = command.spawn().unwrap();
    // The start line and a first lookup's line reached the receiver: now it dies.
    let before = rsyslog.wait_for(2).len();
    rsyslog.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "not found, each: {stderr}");
    assert!(
        stderr.contains("warning: audit: syslog down: tcp://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("the file has every line"), "{stderr}");
    let file = file_lines(&audit);
    assert_eq!(file.len(), 26, "start, 24 lookups, end: {stderr}");
    assert!(
        before < file.len(),
        "the receiver died before the run ended"
    );
    // The chain the file holds is intact.
    let verify = cli::run_args(&["audit", "verify", audit.to_str().unwrap()]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
}

#[test]
fn in_the_tui_the_header_says_syslog_down_and_the_held_back_lines_follow_on_its_return() {
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = Rsyslog::start(dir.path(), None) else {
        return;
    };
    let (tcp, received) = (rsyslog.tcp, rsyslog.received.clone());
    let audit = dir.path().join("audit.jsonl");
    let address = rsyslog.address("tcp");
    let log = dir.path().join("tui.log");
    let args = [
        "--demo",
        "--log-file",
        log.to_str().unwrap(),
        "--audit-log",
        audit.to_str().unwrap(),
        "--audit-syslog",
        &address,
    ];
    let t = tmux::Tmux::spawn_tui(&args, 120, 30);
    let look_up = |query: &str| {
        t.type_text("u");
        t.type_text(query);
        t.keys(&["Enter"]);
        t.wait_for(&format!("Username {query}"));
    };
    t.wait_for("No user loaded");
    look_up("alice");
    assert_eq!(rsyslog.wait_for(1).len(), 1);
    rsyslog.kill();
    look_up("bob");
    let screen = t.wait_for("audit: syslog down");
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("audit: syslog down"),
        "the header: {screen}"
    );
    assert_eq!(file_lines(&audit).len(), 2, "the file took bob's line");
    // Back on the same port: the next line reconnects, bob's held-back line goes first.
    std::fs::rename(&received, dir.path().join("first-run.log")).unwrap();
    let rsyslog = Rsyslog::start(dir.path(), Some(tcp)).unwrap();
    look_up("carol");
    t.wait_until("the header back to normal", tmux::DEFAULT_TIMEOUT, |s| {
        !s.contains("syslog down")
    });
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let file = file_lines(&audit);
    assert_eq!(file.len(), 3, "alice, bob, carol");
    let first = received_in(&dir.path().join("first-run.log"));
    assert_received_everything(&file[..1], &first);
    assert_received_everything(&file[1..], &rsyslog.wait_for(2));
}
