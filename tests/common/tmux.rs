//! Drives a real terminal program inside tmux: start it on a private server, send keys,
//! wait for text on the screen with a deadline (never a fixed sleep), and check how it ended.
//! The program runs under `sh`, which prints a marker with its exit status and the terminal
//! modes after it exits, so a test can see that the terminal was restored.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long `wait_for` waits by default: generous for a loaded 2-core CI machine.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// Pause after a lone Esc, so the next key is not read as Alt+key.
const ESCAPE_GAP: Duration = Duration::from_millis(150);

/// Printed by the wrapper shell after the program exits: `__EXITED__ <status>`.
pub const EXIT_MARKER: &str = "__EXITED__";

/// The environment a TUI under test gets: dummy credentials, instance metadata disabled.
pub const TUI_ENV: [(&str, &str); 3] = [
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("AWS_ACCESS_KEY_ID", "test"),
    ("AWS_SECRET_ACCESS_KEY", "test"),
];

/// A program running in a detached tmux session on its own server socket.
pub struct Tmux {
    socket: String,
    /// The program's command line, for failure messages.
    pub describe: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Tmux {
    /// Starts the `cognito-tui` binary with `args` and [`TUI_ENV`] in a `width`×`height`
    /// terminal.
    pub fn spawn_tui<S: AsRef<OsStr>>(args: &[S], width: u16, height: u16) -> Self {
        Self::spawn(
            env!("CARGO_BIN_EXE_cognito-tui"),
            args,
            &TUI_ENV,
            width,
            height,
        )
    }

    /// Starts `program args…` in a `width`×`height` terminal with exactly `env` set (plus
    /// PATH and TERM), on a server of its own.
    pub fn spawn<S: AsRef<OsStr>>(
        program: &str,
        args: &[S],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
    ) -> Self {
        let socket = format!(
            "cognito-tui-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut line = shell_quote(program);
        for a in args {
            line.push(' ');
            line.push_str(&shell_quote(&a.as_ref().to_string_lossy()));
        }
        // After the program: its status and whether the tty is back in cooked mode, then
        // stay alive so the screen can still be read.
        let script = format!(
            "{line}; s=$?; printf '\\n{EXIT_MARKER} %s\\n' \"$s\"; \
             stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; \
             printf '\\n__STTY_DONE__\\n'; sleep 600"
        );
        let mut cmd = Command::new("tmux");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TERM", "xterm-256color")
            .env("HOME", std::env::temp_dir());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
        ])
        .args(["-x", &width.to_string(), "-y", &height.to_string()]);
        for (k, v) in env {
            cmd.args(["-e", &format!("{k}={v}")]);
        }
        cmd.args(["sh", "-c", &script]);
        let out = cmd.output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self {
            socket,
            describe: line,
        }
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Sends tmux key names (`Enter`, `Escape`, `C-c`, `Tab`, `BTab`, `Up`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        let out = self.tmux(&args);
        assert!(out.status.success(), "send-keys {keys:?} failed");
        if keys.last() == Some(&"Escape") {
            // A key arriving in the same read as Esc is decoded as Alt+key (no person types
            // that fast): give the program time to read the Esc on its own.
            std::thread::sleep(ESCAPE_GAP);
        }
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", "t", "-l", text]);
        assert!(out.status.success(), "send-keys -l {text:?} failed");
    }

    /// The visible screen, as text.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Waits until the screen satisfies `ready` and has stopped changing; panics with the
    /// screen after `timeout`. "Stopped changing" (the same capture twice, 30 ms apart)
    /// matters on a loaded machine: tmux can be captured while the program is halfway through
    /// writing a frame, with the needle drawn but the rest of the frame not yet.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(10);
        let mut previous: Option<String> = None;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                // A screen that never settles (a spinner) is taken as it is at the deadline.
                if previous.as_deref() == Some(screen.as_str()) || Instant::now() >= deadline {
                    return screen;
                }
                previous = Some(screen);
                std::thread::sleep(Duration::from_millis(30));
                continue;
            }
            previous = None;
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {what} in `{}`; screen:\n{screen}",
                    self.describe
                );
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(200));
        }
    }

    /// Waits until `needle` is on screen.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), DEFAULT_TIMEOUT, |s| {
            s.contains(needle)
        })
    }

    /// Waits until every needle is on screen.
    pub fn wait_for_all(&self, needles: &[&str]) -> String {
        self.wait_until(&format!("{needles:?}"), DEFAULT_TIMEOUT, |s| {
            needles.iter().all(|n| s.contains(n))
        })
    }

    /// Waits for the program to exit; returns its status and the terminal modes after it.
    pub fn wait_exit(&self) -> (i32, String) {
        let screen = self.wait_for("__STTY_DONE__");
        let mut lines = screen.lines();
        let status = lines
            .by_ref()
            .find_map(|l| l.trim().strip_prefix(EXIT_MARKER))
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(-1);
        let modes = lines.next().unwrap_or_default().trim().to_string();
        (status, modes)
    }

    /// Resizes the terminal, as a user dragging the window would.
    pub fn resize(&self, width: u16, height: u16) {
        let out = self.tmux(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        assert!(out.status.success(), "resize-window failed");
    }

    /// Whether the pane shows the alternate screen (1) or the normal one (0).
    pub fn alternate_screen(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "t", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
