//! The terminal: set up and restore it, run the one event loop. Terminal events, worker
//! messages and (only while a request is in flight) the spinner's tick come in through one
//! `select!`; everything already queued is drained before the screen is drawn once.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use std::task::Poll;

use futures::StreamExt;
use ratatui::DefaultTerminal;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::app::{self, App, Cmd, Msg, TimeZone};
use crate::audit::AuditLog;
use crate::cli::Cli;
use crate::keymap::Keymap;
use crate::sanitize::sanitize;
use crate::session;
use crate::ui::{self, Theme};
use crate::worker;

const SPINNER_INTERVAL: Duration = Duration::from_millis(100);

/// Runs the TUI; returns the process exit code.
pub async fn run(cli: &Cli) -> i32 {
    // The config file first: a bad one (or a bad key override) is reported before the
    // terminal is taken, naming the file.
    let (effective, config) = match session::effective_target(&cli.target) {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("error: {}", sanitize(&e.to_string()));
            return 2;
        }
    };
    let (keymap, problems) = Keymap::with_overrides(&config.keys);
    if !problems.is_empty() {
        let path = cli
            .target
            .config
            .clone()
            .or_else(crate::config::default_path)
            .map_or_else(|| "the config file".into(), |p| p.display().to_string());
        for problem in &problems {
            eprintln!("error: {}: {}", sanitize(&path), sanitize(problem));
        }
        return 2;
    }
    // Without --pool (and without --demo) the TUI opens on the pool picker; the one-shot
    // commands still refuse to guess.
    let picking = cli.target.pool.is_none() && !cli.target.demo;
    let (pool, demo) = if picking {
        (None, false)
    } else {
        match session::resolve_pool(&cli.target) {
            Ok((pool, demo)) => (Some(pool), demo),
            Err(e) => {
                eprintln!("error: {}", sanitize(&e.to_string()));
                return 2;
            }
        }
    };
    // Before the terminal is taken: a log that can't be written stops the app with a message
    // on the normal screen, rather than the app running unaudited.
    let audit = match &cli.target.audit_log {
        Some(path) => match open_audit_log(cli, path, pool.as_ref()) {
            Ok(log) => Some(Arc::new(log)),
            Err(message) => {
                eprintln!("error: {}", sanitize(&message));
                return 2;
            }
        },
        None => None,
    };
    let _log_guard = init_logging(cli.target.log_file.clone());
    tracing::info!(
        pool = pool.as_ref().map_or("(none yet)", |p| p.as_str()),
        demo,
        allow_write = effective.allow_write,
        "starting the terminal UI"
    );

    let mut app = App::new(pool.as_ref().map_or("", |p| p.as_str()), demo);
    app.keymap = Arc::new(keymap);
    app.set_named_pools(
        config
            .pools
            .iter()
            .map(|(name, p)| (name.clone(), p.pool_id.clone())),
    );
    // --allow-write, or `allow_write = true` on the named pool in the config file.
    app.allow_write = effective.allow_write;
    // --redact, or `redact = true` in the config file.
    app.redact = effective.redact;
    app.tz = TimeZone::Local;
    app.color = !Theme::no_color_requested();
    app.now = OffsetDateTime::now_utc();

    // The worker connects in the background: the first frame must not wait for credentials.
    let (jobs, mut msgs) = worker::spawn(cli.target.clone(), pool, demo, audit);
    let mut startup = Vec::new();
    if picking {
        startup.extend(app.open_pools());
    } else if let Some(query) = &cli.lookup {
        startup.push(app.start_lookup(query, Default::default()));
    }

    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, jobs, &mut msgs, startup).await;
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    // The job sender is gone: the worker finishes (or records as unknown) a write in flight.
    if app.writing.is_some() {
        eprintln!("waiting for the write in flight to finish…");
        worker::wait_until_stopped(&mut msgs).await;
    }
    match result {
        Ok(()) => {
            tracing::info!("quit");
            0
        }
        Err(e) => {
            tracing::error!("terminal error: {e}");
            eprintln!("error: terminal: {e}");
            1
        }
    }
}

/// The audit log, with the profile and Region the session will most likely use (the same
/// precedence as the SDK: flag, environment, then the pool id's Region).
fn open_audit_log(
    cli: &Cli,
    path: &std::path::Path,
    pool: Option<&crate::cognito::PoolId>,
) -> Result<AuditLog, String> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let profile = cli.target.profile.clone().or_else(|| env("AWS_PROFILE"));
    let region = cli
        .target
        .region
        .clone()
        .or_else(|| env("AWS_REGION"))
        .or_else(|| pool.and_then(|p| p.region()).map(str::to_string));
    AuditLog::open(path, profile, region).map_err(|e| e.to_string())
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    jobs: UnboundedSender<Cmd>,
    msgs: &mut UnboundedReceiver<Msg>,
    startup: Vec<Cmd>,
) -> std::io::Result<()> {
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
                None => return Ok(()),
            },
            Some(msg) = msgs.recv() => batch.push(msg),
            _ = tick.tick(), if app.busy() => batch.push(Msg::Tick),
            _ = terminate.recv() => {
                tracing::info!("terminated by a signal");
                return Ok(());
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
        let was_busy = app.busy();
        for msg in batch {
            let cmds = app::update(app, msg);
            perform(app, cmds, &jobs);
            if app.should_quit {
                return Ok(());
            }
        }
        if !was_busy && app.busy() {
            tick.reset();
        }
        draw(terminal, app)?;
    }
}

fn draw(terminal: &mut DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    app.now = OffsetDateTime::now_utc();
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
        && app
            .user
            .as_ref()
            .is_some_and(|u| u.found.user.username == target)
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
        Event::Resize(..) => Some(Msg::Resize),
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
                    app.notice = Some(format!("could not copy: {e}"));
                }
            }
            job => {
                if jobs.send(job).is_err() {
                    tracing::error!("the worker has stopped");
                    app.notice = Some("internal error: the worker stopped; see the log".into());
                    app.pending = None;
                    app.writing = None;
                }
            }
        }
    }
}

/// SIGTERM and SIGHUP end the loop so the terminal is restored (Ctrl-C arrives as a key).
fn terminate_signal() -> tokio::sync::mpsc::UnboundedReceiver<()> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        for kind in [SignalKind::terminate(), SignalKind::hangup()] {
            if let Ok(mut s) = signal(kind) {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if s.recv().await.is_some() {
                        let _ = tx.send(());
                    }
                });
            }
        }
    }
    drop(tx);
    rx
}

/// The default log file: `$XDG_STATE_HOME/cognito-tui/cognito-tui.log`, else
/// `~/.local/state/cognito-tui/cognito-tui.log`.
pub fn default_log_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("cognito-tui").join("cognito-tui.log"))
}

/// Logs to a file through a non-blocking writer; never to the screen the UI owns.
/// Returns the guard that flushes the log when dropped, or None if no file could be opened.
fn init_logging(path: Option<PathBuf>) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let path = path.or_else(default_log_path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("cognito_tui=info,warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
