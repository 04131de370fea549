//! The TUI on a bastion's terminal: a pseudo-terminal closed under the running process (the
//! SSH connection dropping) ends it within a second, with and without the SIGHUP; the log is
//! private and never follows a planted symlink; a HOME the log can't go under is one notice.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cognito_tui::tui::open_log;

use crate::common::tmux::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_cognito-tui");

/// The binary on the demo pool in a fresh 80×24 pseudo-terminal. With `controlling`, the pty
/// is its controlling terminal (closing it sends SIGHUP); without, no signal ever comes, as
/// when started through `su`/`sudo` or from a process that is not the session leader.
fn spawn_in_pty(controlling: bool, log_dir: &Path) -> (OwnedFd, Child) {
    spawn_in_pty_with(controlling, log_dir, &[], &[])
}

/// `spawn_in_pty` with extra environment and arguments.
fn spawn_in_pty_with(
    controlling: bool,
    log_dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
) -> (OwnedFd, Child) {
    // Both ends close-on-exec from the start: a master inherited by any other child (another
    // test's tmux, running in parallel) would keep the terminal from ever hanging up, and
    // openpty(3) can't set the flag atomically.
    // SAFETY: plain libc calls on descriptors this function owns; ptsname_r gets a buffer of
    // the length it is told.
    let (master, slave) = unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        assert!(
            master >= 0,
            "posix_openpt: {}",
            std::io::Error::last_os_error()
        );
        let master = OwnedFd::from_raw_fd(master);
        assert_eq!(libc::grantpt(master.as_raw_fd()), 0);
        assert_eq!(libc::unlockpt(master.as_raw_fd()), 0);
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(
            libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()),
            0
        );
        let slave = libc::open(
            name.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        assert!(
            slave >= 0,
            "open the pty: {}",
            std::io::Error::last_os_error()
        );
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        assert_eq!(libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &size), 0);
        (master, OwnedFd::from_raw_fd(slave))
    };
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("TERM", "xterm-256color")
        .env("HOME", log_dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        .args(["--demo", "--log-file"])
        .arg(log_dir.join("tui.log"))
        .args(args)
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave));
    if controlling {
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let child = cmd.spawn().expect("spawn cognito-tui");
    (master, child)
}

/// Reads the pty until `needle` has been drawn; returns everything read.
fn wait_for_output(master: &OwnedFd, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let mut file = std::fs::File::from(master.try_clone().unwrap());
    while Instant::now() < deadline {
        let mut pfd = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut pfd, 1, 100) } > 0 {
            let mut buf = [0u8; 4096];
            match file.read(&mut buf) {
                Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
                _ => break,
            }
            let text = String::from_utf8_lossy(&seen);
            if text.contains(needle) {
                return text.into_owned();
            }
        }
    }
    panic!("never drew {needle:?}: {}", String::from_utf8_lossy(&seen));
}

/// Waits until the app's log holds `needle` (or panics after 20 s).
fn wait_for_log(log: &Path, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the log never said {needle:?}: {text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Closes the terminal under the running UI; returns how long it took to exit.
fn hang_up(controlling: bool) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let (master, mut child) = spawn_in_pty(controlling, dir.path());
    wait_for_output(&master, "No user loaded");
    let closed = Instant::now();
    drop(master);
    let deadline = closed + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let elapsed = closed.elapsed();
            eprintln!("exited {status} {elapsed:?} after the hang-up (controlling: {controlling})");
            // 128 + SIGHUP, not a crash (a panic writing to the dead tty would abort).
            assert_eq!(status.code(), Some(129), "{status}");
            let log = std::fs::read_to_string(dir.path().join("tui.log")).unwrap_or_default();
            assert!(
                log.contains("the terminal hung up"),
                "the log says why it stopped: {log}"
            );
            return elapsed;
        }
        if Instant::now() > deadline {
            let state =
                std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
            let _ = child.kill();
            let _ = child.wait();
            let log = std::fs::read_to_string(dir.path().join("tui.log")).unwrap_or_default();
            panic!(
                "still running 10 s after its terminal hung up (controlling: {controlling})\n\
                 log: {log}\nstatus: {state}"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A lookup still out when the SSH connection drops is in the audit trail as superseded: the
/// app waits for its worker before exiting, though nobody sees the screen.
#[test]
fn a_lookup_in_flight_when_the_terminal_hangs_up_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let (master, mut child) = spawn_in_pty_with(
        true,
        dir.path(),
        &[
            ("COGNITO_TUI_DEMO_LATENCY_MS", "3000"),
            ("RUST_LOG", "cognito_tui=debug"),
        ],
        &["--audit-log", audit.to_str().unwrap()],
    );
    wait_for_output(&master, "No user loaded");
    let mut keys = std::fs::File::from(master.try_clone().unwrap());
    keys.write_all(b"ualice\r").unwrap();
    wait_for_output(&master, "looking up");
    // "looking up" is drawn when the command is made; the hang-up must come once the worker
    // has sent it (a command still queued is never sent, and owes no line).
    wait_for_log(&dir.path().join("tui.log"), "request on its way");
    let closed = Instant::now();
    drop(keys);
    drop(master);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            closed.elapsed() < Duration::from_secs(10),
            "still running 10 s after the hang-up"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(129), "{status}");
    let lines = crate::common::audit_log::lines(&audit);
    let lookups: Vec<_> = lines.iter().filter(|l| l["action"] == "lookup").collect();
    assert_eq!(lookups.len(), 1, "{lines:#?}");
    assert_eq!(lookups[0]["query"], "alice");
    assert_eq!(lookups[0]["outcome"], "superseded");
}

/// README's "exits within a second" is the bound. Measured: 20–84 ms from the close to the
/// exit over six runs of both tests at a load average of 17 on 2 cores (`cargo test --test it
/// bastion_tty::a_closed -- --nocapture` prints it), so the bound keeps a margin of 12× the
/// worst run while still failing a watcher that polls only every second or two.
const HANG_UP_BOUND: Duration = Duration::from_secs(1);

#[test]
fn a_closed_controlling_terminal_ends_the_app_within_a_second() {
    let elapsed = hang_up(true);
    assert!(elapsed < HANG_UP_BOUND, "took {elapsed:?}");
}

#[test]
fn a_closed_terminal_without_sighup_ends_the_app_within_a_second() {
    let elapsed = hang_up(false);
    assert!(elapsed < HANG_UP_BOUND, "took {elapsed:?}");
}

#[test]
fn the_log_is_private_and_its_directory_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/cognito-tui/cognito-tui.log");
    drop(open_log(&path).expect("open the log"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);

    // A log an older version left world-readable is tightened.
    let old = dir.path().join("old.log");
    std::fs::write(&old, "x\n").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(open_log(&old).expect("open the old log"));
    assert_eq!(mode(&old), 0o600);
}

#[test]
fn the_log_does_not_follow_a_planted_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "untouched\n").unwrap();
    let log = dir.path().join("cognito-tui.log");
    std::os::unix::fs::symlink(&victim, &log).unwrap();
    let err = open_log(&log)
        .expect_err("a symlink must not be opened")
        .to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains("cognito-tui.log"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched\n");
}

/// A directory owned by another user: one made and given to `nobody` (65534) when this runs
/// as root (as `.ci/run` does in CI), else the root directory, which is root's. Never a skip.
fn foreign_directory(scratch: &Path) -> (std::path::PathBuf, u32) {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return ("/".into(), 0);
    }
    let foreign = scratch.join("cognito-tui");
    std::fs::create_dir(&foreign).unwrap();
    // SAFETY: a valid NUL-terminated path; chown has no other preconditions.
    let path = std::ffi::CString::new(foreign.to_str().unwrap()).unwrap();
    assert_eq!(
        unsafe { libc::chown(path.as_ptr(), 65534, 65534) },
        0,
        "chown as root"
    );
    (foreign, 65534)
}

#[test]
fn the_log_is_not_written_into_another_users_directory() {
    let dir = tempfile::tempdir().unwrap();
    let (foreign, uid) = foreign_directory(dir.path());
    assert_eq!(std::fs::metadata(&foreign).unwrap().uid(), uid);
    let err = open_log(&foreign.join("cognito-tui.log"))
        .expect_err("foreign directory")
        .to_string();
    assert!(
        err.contains(&format!("belongs to another user (uid {uid})")),
        "{err}"
    );
    assert!(!foreign.join("cognito-tui.log").exists());
}

#[test]
fn the_tui_runs_without_home_and_says_once_that_logging_is_off() {
    // No HOME and no XDG_STATE_HOME: no default log path (tmux itself needs a HOME, so the
    // program is started through `env -u HOME`).
    let t = Tmux::spawn(
        "env",
        &["-u", "HOME", BIN, "--demo"],
        &[("AWS_EC2_METADATA_DISABLED", "true")],
        100,
        24,
    );
    let screen = t.wait_for("logging is off");
    assert!(
        screen.contains("neither XDG_STATE_HOME nor HOME"),
        "{screen}"
    );
    t.type_text("/");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.wait_for("Username alice");
    t.type_text("q");
    let (status, _) = t.wait_exit();
    assert_eq!(status, 0);

    // A HOME whose state directory can't be created (a file in the way).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".local"), "").unwrap();
    let home = dir.path().to_str().unwrap();
    let t = Tmux::spawn(
        "env",
        &[
            "-u",
            "XDG_STATE_HOME",
            &format!("HOME={home}"),
            BIN,
            "--demo",
        ],
        &[("AWS_EC2_METADATA_DISABLED", "true")],
        100,
        24,
    );
    let screen = t.wait_for("logging is off");
    assert!(screen.contains("cannot create"), "{screen}");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
}

#[test]
fn a_panic_turns_bracketed_paste_off_and_restores_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    // Debug builds panic while drawing this user (tui::PANIC_FOR_TESTS_ENV).
    let (master, mut child) = spawn_in_pty_with(
        false,
        dir.path(),
        &[("COGNITO_TUI_TEST_PANIC", "alice")],
        &["--lookup", "alice"],
    );
    // The panic message comes last: after our hook and ratatui's restore.
    let output = wait_for_output(&master, "injected render panic");
    let paste_on = output
        .find("\x1b[?2004h")
        .expect("bracketed paste was turned on");
    let paste_off = output
        .rfind("\x1b[?2004l")
        .expect("bracketed paste turned off");
    let screen_back = output.rfind("\x1b[?1049l").expect("main screen restored");
    assert!(
        paste_on < paste_off && paste_off < screen_back,
        "{output:?}"
    );
    assert_eq!(child.wait().unwrap().code(), Some(101));
}
