//! The terminal: set up and restore it, run the one event loop. Terminal events, worker
//! messages and (only while a request is in flight) the spinner's tick come in through one
//! `select!`; everything already queued is drained before the screen is drawn once.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
#[cfg(unix)]
use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use std::task::Poll;

use futures::StreamExt;
use ratatui::DefaultTerminal;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::app::{self, App, Cmd, Msg, Settings, TimeZone};
use crate::audit::AuditLog;
use crate::audit::syslog::SyslogState;
use crate::cli::Cli;
use crate::exit;
use crate::keymap::Keymap;
use crate::output;
use crate::sanitize::sanitize;
use crate::session;
use crate::ui::{self, Theme};
use crate::worker;

mod hangup;
mod log;

#[cfg(unix)]
use hangup::EVENT_LOOP_STOPPED;
use hangup::terminate_signal;
use log::init_logging;
pub use log::{LogError, default_log_path, open_log};

const SPINNER_INTERVAL: Duration = Duration::from_millis(100);

/// Runs the TUI; returns the process exit code.
pub async fn run(cli: &Cli) -> i32 {
    // The config file first: a bad one (or a bad key override) is reported before the
    // terminal is taken, naming the file.
    // Resolved once: the worker gets this same target, and switches pools from it.
    let target = match session::Target::resolve(&cli.target) {
        Ok(target) => target,
        Err(e) => {
            output::error(&e);
            return exit::USAGE;
        }
    };
    let Some(keymap) = keymap_or_report(cli, &target) else {
        return exit::USAGE;
    };
    // Without --pool (and without --demo) the TUI opens on the pool picker; the one-shot
    // commands still refuse to guess.
    let picking = cli.target.pool.is_none() && !cli.target.demo;
    let (pool, demo) = if picking {
        (None, false)
    } else {
        match target.pool() {
            Ok((pool, demo)) => (Some(pool), demo),
            Err(e) => {
                output::error(&e);
                return exit::USAGE;
            }
        }
    };
    // Before the terminal is taken: a log that can't be written stops the app with a message
    // on the normal screen, rather than the app running unaudited.
    let audit = match &target.args.audit_log {
        Some(path) => match open_audit_log(&target.args, path, pool.as_ref()) {
            Ok(log) => Some(Arc::new(log)),
            Err(e) => {
                output::error(&e);
                return exit::AUDIT;
            }
        },
        None => None,
    };
    // After the checks that need no terminal (config, pool, audit log): `ssh host
    // cognito-tui` without -t, cron, a pipe get one line instead of ratatui's panic.
    if !has_terminal() {
        output::say(NO_TERMINAL);
        return exit::USAGE;
    }
    let (_log_guard, log_problem) = match init_logging(cli.target.log_file.clone()) {
        Ok(guard) => (Some(guard), None),
        Err(problem) => (None, Some(problem)),
    };
    tracing::info!(
        pool = pool.as_ref().map_or("(none yet)", |p| p.as_str()),
        demo,
        allow_write = target.args.allow_write,
        "starting the terminal UI"
    );

    let settings = settings_for(&target, keymap, demo);
    let mut app = App::new(pool.as_ref().map_or("", |p| p.as_str()), settings);
    // A bastion's HOME may be missing, read-only or someone else's: the UI runs without a
    // log and says so once.
    if let Some(problem) = log_problem {
        app.say(format!("logging is off: {problem}"));
    }

    let syslog = audit.as_ref().and_then(|log| log.syslog_state());
    // The worker connects in the background: the first frame must not wait for credentials.
    let (jobs, mut msgs, worker_task) = worker::spawn_joined(target, pool, demo, audit);
    let mut startup = Vec::new();
    if picking {
        startup.extend(app.open_pools());
    } else if let Some(query) = &cli.lookup {
        startup.push(app.start_lookup(query, Default::default()));
    }

    let mut terminal = take_terminal();
    let channels = Channels {
        jobs,
        msgs: &mut msgs,
        syslog,
    };
    let result = event_loop(&mut terminal, &mut app, channels, startup).await;
    let writing = app.writing().is_some();
    shut_down(terminal, result, writing, worker_task).await
}

/// The key bindings with the config file's overrides, or `None` after reporting each bad
/// override with the file's name.
fn keymap_or_report(cli: &Cli, target: &session::Target) -> Option<Keymap> {
    let (keymap, problems) = Keymap::with_overrides(&target.config.keys);
    if problems.is_empty() {
        return Some(keymap);
    }
    let path = cli
        .target
        .config
        .clone()
        .or_else(crate::config::default_path)
        .map_or_else(|| "the config file".into(), |p| p.display().to_string());
    for problem in &problems {
        output::error(format_args!(
            "{}: {}",
            sanitize(&path),
            sanitize(&problem.to_string())
        ));
    }
    None
}

/// The app's settings from the flags and the config file.
fn settings_for(target: &session::Target, keymap: Keymap, demo: bool) -> Settings {
    Settings {
        demo,
        // --allow-write, or `allow_write = true` on the named pool in the config file.
        allow_write: target.args.allow_write,
        // --redact, or `redact = true` in the config file.
        redact: target.args.redact,
        keymap: Arc::new(keymap),
        color: !Theme::no_color_requested(),
        tz: TimeZone::Local,
        now: OffsetDateTime::now_utc(),
        search_attributes: target.config.search_attributes.clone(),
        named_pools: (target.config.pools.iter())
            .map(|(name, p)| (name.clone(), p.pool_id.clone()))
            .collect(),
    }
}

/// Takes the terminal (alternate screen, raw mode) and turns on bracketed paste, with a
/// panic hook that turns it off again.
fn take_terminal() -> DefaultTerminal {
    let terminal = ratatui::init();
    // ratatui's panic hook restores the screen; bracketed paste is ours to turn off.
    let restore_screen = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        restore_screen(info);
    }));
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste);
    terminal
}

/// After the event loop: gives the terminal back (unless it hung up), waits for the worker,
/// and turns how the loop ended into the exit code. `writing`: a write was in flight.
async fn shut_down(
    terminal: DefaultTerminal,
    result: std::io::Result<Stop>,
    writing: bool,
    worker_task: tokio::task::JoinHandle<()>,
) -> i32 {
    // From here the hang-up watchdog leaves the exit to us: the worker still has lookups to
    // audit and perhaps a write to finish.
    #[cfg(unix)]
    EVENT_LOOP_STOPPED.store(true, Ordering::SeqCst);
    let hung_up = matches!(result, Ok(Stop::HungUp))
        || result
            .as_ref()
            .is_err_and(|e| e.raw_os_error() == Some(EIO));
    if hung_up {
        // Nothing to restore on a terminal that is gone, and ratatui's restore `eprintln!`s its
        // failure, which panics on the dead tty (and a panic in its panic hook aborts).
        let _ = crossterm::terminal::disable_raw_mode();
        // The terminal's Drop would show the cursor and `eprintln!` its failure: skip it.
        std::mem::forget(terminal);
        tracing::info!("the terminal hung up; exiting");
        // The job sender is gone, so the worker stops: the audit trail must hold what it
        // stopped (lookups superseded, a write's outcome) even though nobody sees the screen.
        worker::wait_until_stopped(worker_task).await;
        return exit::HANG_UP;
    }
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    // The job sender is gone: the worker finishes (or records as unknown) a write in flight
    // and audits the lookups it stops; the runtime must not end before it has.
    if writing {
        output::say("waiting for the write in flight to finish…");
    }
    worker::wait_until_stopped(worker_task).await;
    match result {
        Ok(_) => {
            tracing::info!("quit");
            exit::FOUND
        }
        Err(e) => {
            tracing::error!("terminal error: {e}");
            output::error(format_args!("terminal: {e}"));
            exit::OUTPUT
        }
    }
}

#[cfg(unix)]
const EIO: i32 = libc::EIO;
#[cfg(not(unix))]
const EIO: i32 = 5;

/// Why the event loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The user quit, the input ended, or SIGTERM.
    Quit,
    /// The terminal is gone: SIGHUP, or the tty reported a hang-up.
    HungUp,
}

/// The audit log, with the profile and Region the session will most likely use (the same
/// precedence as the SDK: flag, environment, then the pool id's Region), shipping to the
/// syslog receiver `--audit-syslog` names (which must be reachable now).
fn open_audit_log(
    args: &crate::cli::TargetArgs,
    path: &std::path::Path,
    pool: Option<&crate::cognito::PoolId>,
) -> Result<AuditLog, crate::audit::AuditError> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let profile = args.profile.clone().or_else(|| env("AWS_PROFILE"));
    let region = (args.region.clone())
        .or_else(|| env("AWS_REGION"))
        .or_else(|| pool.and_then(|p| p.region()).map(str::to_string));
    let log = AuditLog::open(path, profile, region)?;
    match &args.audit_syslog {
        Some(target) => log.ship_to(target),
        None => Ok(log),
    }
}

/// What the event loop hears besides the terminal: the worker's answers, and whether the
/// audit syslog receiver takes lines.
struct Channels<'a> {
    jobs: UnboundedSender<Cmd>,
    msgs: &'a mut UnboundedReceiver<Msg>,
    syslog: Option<tokio::sync::watch::Receiver<SyslogState>>,
}

/// The next change of the syslog receiver's state (never, without one).
async fn syslog_changed(
    syslog: &mut Option<tokio::sync::watch::Receiver<SyslogState>>,
) -> Option<String> {
    let Some(state) = syslog else {
        return std::future::pending().await;
    };
    if state.changed().await.is_err() {
        // The log is gone (the worker stopped): nothing more will change.
        *syslog = None;
        return std::future::pending().await;
    }
    match &*state.borrow_and_update() {
        SyslogState::Up => None,
        SyslogState::Down(why) => Some(why.clone()),
    }
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    channels: Channels<'_>,
    startup: Vec<Cmd>,
) -> std::io::Result<Stop> {
    let Channels {
        jobs,
        msgs,
        mut syslog,
    } = channels;
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(SPINNER_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut terminate = terminate_signal();
    perform(app, startup, &jobs);
    draw(terminal, app)?;
    loop {
        let mut batch = Vec::new();
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => batch.extend(to_msg(event)),
                Some(Err(e)) => return Err(e),
                None => return Ok(Stop::Quit),
            },
            Some(msg) = msgs.recv() => batch.push(msg),
            _ = tick.tick(), if app.busy() => batch.push(Msg::Tick),
            down = syslog_changed(&mut syslog) => batch.push(Msg::AuditSyslog(down)),
            stop = terminate.recv() => {
                let stop = stop.unwrap_or(Stop::Quit);
                tracing::info!(?stop, "terminated by a signal or a hang-up");
                return Ok(stop);
            }
        }
        // Coalesce: take everything already waiting, then draw once. `poll!` polls with
        // this task's own waker; crossterm's EventStream remembers the first waker it is
        // given while no input is ready, so a no-op waker (`now_or_never`) would lose wake-ups.
        while let Poll::Ready(Some(event)) = futures::poll!(events.next()) {
            batch.extend(to_msg(event?));
        }
        while let Ok(msg) = msgs.try_recv() {
            batch.push(msg);
        }
        if batch.is_empty() {
            continue;
        }
        if let Ok(size) = terminal.size() {
            let (width, height) = (size.width, size.height);
            app::update(app, Msg::Resize { width, height });
        }
        let was_busy = app.busy();
        for msg in batch {
            let cmds = app::update(app, msg);
            perform(app, cmds, &jobs);
            if app.should_quit() {
                return Ok(Stop::Quit);
            }
        }
        if !was_busy && app.busy() {
            tick.reset();
        }
        draw(terminal, app)?;
    }
}

fn draw(terminal: &mut DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    app.set_now(OffsetDateTime::now_utc());
    terminal.draw(|frame| {
        #[cfg(debug_assertions)]
        panic_for_tests(app);
        ui::view(app, frame)
    })?;
    Ok(())
}

/// Debug builds only: `COGNITO_TUI_TEST_PANIC=USERNAME` panics while that user is drawn, so
/// the end-to-end tests can check that a panic in the render path still restores the terminal.
#[cfg(debug_assertions)]
fn panic_for_tests(app: &App) {
    if let Ok(target) = std::env::var(PANIC_FOR_TESTS_ENV)
        && app.user().is_some_and(|u| u.found.user.username == target)
    {
        panic!("injected render panic ({PANIC_FOR_TESTS_ENV})");
    }
}

/// The debug-build variable read by `panic_for_tests`.
#[cfg(debug_assertions)]
pub const PANIC_FOR_TESTS_ENV: &str = "COGNITO_TUI_TEST_PANIC";

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

fn perform(app: &mut App, cmds: Vec<Cmd>, jobs: &UnboundedSender<Cmd>) {
    for cmd in cmds {
        match cmd {
            Cmd::Copy(text) => {
                let mut out = std::io::stdout();
                let copied = crossterm::execute!(out, CopyToClipboard::to_clipboard_from(text))
                    .and_then(|_| out.flush());
                if let Err(e) = copied {
                    app.say(format!("could not copy: {e}"));
                } else if std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()) {
                    // tmux's default (`set-clipboard external`) swallows OSC 52 from apps.
                    app.add_to_notice(" · in tmux, `set -g set-clipboard on` lets it through");
                }
            }
            job => {
                if jobs.send(job).is_err() {
                    tracing::error!("the worker has stopped");
                    app.worker_stopped();
                }
            }
        }
    }
}

/// The one-line answer when there is no terminal to draw on.
pub const NO_TERMINAL: &str = "error: the terminal UI needs a terminal; over SSH run `ssh -t HOST cognito-tui`, \
or use a one-shot command: `cognito-tui get QUERY`, `cognito-tui search PREFIX` (see --help)";

/// Whether the UI has a terminal: stdout to draw on, and stdin or /dev/tty to read keys from
/// (crossterm falls back to /dev/tty).
fn has_terminal() -> bool {
    std::io::stdout().is_terminal()
        && (std::io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok())
}
