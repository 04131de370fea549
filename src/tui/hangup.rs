//! A terminal that goes away: SIGTERM and SIGHUP, and a tty that hangs up with no signal
//! (an SSH connection dropped under `su`/`sudo`), each a [`Stop`] for the event loop.

use std::io::IsTerminal;
#[cfg(unix)]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(unix)]
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::Stop;

/// SIGTERM and SIGHUP end the loop so the terminal is restored (Ctrl-C arrives as a key), and
/// so does a terminal that hangs up without a signal (see `watch_hangup`).
pub(super) fn terminate_signal() -> tokio::sync::mpsc::UnboundedReceiver<Stop> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    #[cfg(unix)]
    watch_hangup(tx.clone());
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        for (kind, stop) in [
            (SignalKind::terminate(), Stop::Quit),
            (SignalKind::hangup(), Stop::HungUp),
        ] {
            if let Ok(mut s) = signal(kind) {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if s.recv().await.is_some() {
                        let _ = tx.send(stop);
                    }
                });
            }
        }
    }
    drop(tx);
    rx
}

/// When the SSH connection drops, the tty hangs up. The SIGHUP for it may never come (started
/// through `su`/`sudo`, or not the session's controlling terminal), and crossterm then sees a
/// tty that is always readable and reads nothing, spinning a core. poll(2) with no events
/// asked still reports POLLHUP/POLLERR: a thread blocked on it costs nothing until then.
/// How long the event loop gets to stop by itself after a hang-up.
#[cfg(unix)]
const HANGUP_GRACE: Duration = Duration::from_millis(500);

/// Set once the event loop has returned: after a hang-up, the app then exits by itself once
/// the worker has stopped, and the watchdog below must not cut that short.
#[cfg(unix)]
pub(super) static EVENT_LOOP_STOPPED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
fn watch_hangup(tx: UnboundedSender<Stop>) {
    use std::os::fd::AsRawFd;
    // The same tty crossterm reads: stdin, else /dev/tty.
    let tty = if std::io::stdin().is_terminal() {
        None
    } else {
        std::fs::File::open("/dev/tty").ok()
    };
    let fd = tty.as_ref().map_or(libc::STDIN_FILENO, |f| f.as_raw_fd());
    let spawned = std::thread::Builder::new()
        .name("tty-hangup".into())
        .spawn(move || {
            let _tty = tty;
            loop {
                let mut pfd = libc::pollfd {
                    fd,
                    events: 0,
                    revents: 0,
                };
                // SAFETY: one valid pollfd, and `fd` stays open for the thread's life.
                let n = unsafe { libc::poll(&mut pfd, 1, -1) };
                if n < 0
                    && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
                {
                    continue;
                }
                if n < 0 || pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                    tracing::info!("the terminal hung up");
                    let _ = tx.send(Stop::HungUp);
                    // Backstop: crossterm's reader can keep the event loop busy on a dead tty
                    // (seen under load), and nothing on this terminal can be restored anyway.
                    std::thread::sleep(HANGUP_GRACE);
                    if EVENT_LOOP_STOPPED.load(Ordering::SeqCst) {
                        return;
                    }
                    tracing::warn!("the event loop did not stop after the hang-up; exiting");
                    std::process::exit(crate::exit::HANG_UP);
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot watch the terminal for a hang-up: {e}");
    }
}
