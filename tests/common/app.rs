//! The TUI model on the embedded demo pool, driven the way the terminal loop drives it:
//! messages in through `update`, and the worker's half of each command run for real against
//! the demo backend.
#![allow(dead_code)]

use clap::Parser;
use cognito_tui::app::{App, Cmd, Msg, Settings, TimeZone, update};
use cognito_tui::cli::Cli;
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::{self, LookupError, LookupMode, LookupOutcome};
use cognito_tui::session;
use cognito_tui::worker::{self, gate::Audit};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use futures::executor::block_on;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// `t`, `query` typed, and the last search it asks for answered by the demo pool.
pub fn search(app: &mut App, query: &str) {
    send(app, [ch('t')]);
    let cmds = send(app, typed(query));
    let search = cmds
        .iter()
        .rev()
        .find(|c| matches!(c, Cmd::Search { .. }))
        .unwrap();
    serve(app, search);
}

/// Ctrl+S, the prompt's default name cleared, `path` typed and Enter: the users of the one
/// command it gives, an export of the list.
pub fn export_to(app: &mut App, path: &std::path::Path) -> Vec<cognito_tui::cognito::UserSummary> {
    send(app, [ctrl('s'), ctrl('u')]);
    send(app, typed(path.to_str().unwrap()));
    let cmds = send(app, [key(KeyCode::Enter)]);
    let [Cmd::ExportList { users, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    users.clone()
}

/// Tells `app` the worker has connected to the demo pool (as `--demo` does).
pub fn connect(app: &mut App) {
    connect_with(app, &["--demo"]);
}

/// [`connect`] with the command line's options `args` (e.g. `--demo --pool ID`).
pub fn connect_with(app: &mut App, args: &[&str]) {
    let cli = Cli::parse_from(std::iter::once("cognito-tui").chain(args.iter().copied()));
    let target = session::Target::without_config(&cli.target);
    let (pool, demo) = target.pool().unwrap();
    let session = block_on(target.connect(pool, demo));
    update(app, Msg::Connected(session.info));
    // The worker's one DescribeUserPool per connection, which the diagnosis reads. Its name
    // is left out so the header shows the pool id, as every snapshot was taken with.
    let mut schema = block_on(session.backend.describe_pool(&session.pool)).unwrap();
    schema.name = None;
    let pool = session.pool.as_str().to_string();
    update(
        app,
        Msg::PoolDescribed {
            pool,
            result: Ok(schema),
        },
    );
}

/// What the demo app starts with: the demo pool, its clock stopped at 2026-01-15 12:00 UTC
/// and times in UTC, so relative times and dates render the same on every run.
pub fn pinned() -> Settings {
    Settings {
        now: time::macros::datetime!(2026-01-15 12:00:00 UTC),
        tz: TimeZone::Fixed(time::UtcOffset::UTC),
        ..demo()
    }
}

/// A fresh app on the demo pool started with `settings`, connected.
pub fn demo_app_with(settings: Settings) -> App {
    let mut app = App::new(DemoBackend::embedded().pool_id().as_str(), settings);
    connect(&mut app);
    app
}

/// `keys` (action name → key, as the config's `[keys]` says it) over the default key table.
pub fn keymap_with(keys: &[(&str, &str)]) -> std::sync::Arc<cognito_tui::keymap::Keymap> {
    let keys: std::collections::BTreeMap<String, String> = (keys.iter())
        .map(|(a, k)| (a.to_string(), k.to_string()))
        .collect();
    let (keymap, problems) = cognito_tui::keymap::Keymap::with_overrides(&keys);
    assert!(problems.is_empty(), "{problems:?}");
    std::sync::Arc::new(keymap)
}

/// What `--demo` starts with.
pub fn demo() -> Settings {
    Settings {
        demo: true,
        ..Settings::default()
    }
}

/// A fresh app on the demo pool, connected.
pub fn demo_app() -> App {
    demo_app_with(demo())
}

/// [`demo_app`] started with [`pinned`] settings.
pub fn pinned_demo_app() -> App {
    demo_app_with(pinned())
}

/// A key press without modifiers.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A character key.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// Ctrl and a character.
pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Each character of `text` as a key press.
pub fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(ch).collect()
}

/// Sends each message; returns every command produced.
pub fn send(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
    msgs.into_iter().flat_map(|m| update(app, m)).collect()
}

/// Resolves `query` in the demo pool with `lookup`; `with_schema` reads the pool's schema
/// first, as the worker does once it has it.
pub fn demo_lookup(
    query: &str,
    mode: LookupMode,
    with_schema: bool,
) -> Result<LookupOutcome, LookupError> {
    let backend = DemoBackend::embedded();
    let pool = backend.pool_id();
    let schema = with_schema
        .then(|| {
            block_on(cognito_tui::cognito::Backend::describe_pool(
                &backend, &pool,
            ))
            .ok()
        })
        .flatten();
    block_on(lookup::lookup(
        &backend,
        &pool,
        query,
        mode,
        schema.as_ref(),
    ))
}

/// Runs the worker's half of `cmd` against the demo pool — the worker's own job for it
/// (`worker::answer`, through the audit gate, without a log) — and feeds its answers back,
/// partial ones first; returns the commands those answers produced.
pub fn serve(app: &mut App, cmd: &Cmd) -> Vec<Cmd> {
    serve_with(app, cmd, &["--demo"])
}

/// [`serve`] by the session the command line's options `args` build (e.g. `--demo --pool ID`).
pub fn serve_with(app: &mut App, cmd: &Cmd, args: &[&str]) -> Vec<Cmd> {
    let cli = Cli::parse_from(std::iter::once("cognito-tui").chain(args.iter().copied()));
    let target = session::Target::without_config(&cli.target);
    let (pool, demo) = target.pool().unwrap();
    // Paused time: a search's debounce passes at once, as nothing else is waiting.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let (progress, mut partial) = tokio::sync::mpsc::unbounded_channel();
    let answers = runtime.block_on(async {
        let session = target.connect(pool, demo).await;
        if let Cmd::ListPools { id, token } = cmd {
            let (backend, id, token) = (session.backend.clone(), *id, token.clone());
            worker::list_pools(backend, id, token, progress.clone()).await;
            return Vec::new();
        }
        let job = worker::Job::new(session, Audit::new(None, progress.clone()));
        worker::answer(&job, cmd.clone(), &worker::Control::new(progress.clone())).await
    });
    assert!(
        !answers.is_empty() || matches!(cmd, Cmd::ListPools { .. }),
        "not a job: {cmd:?}"
    );
    let mut msgs = Vec::new();
    while let Ok(msg) = partial.try_recv() {
        msgs.push(msg);
    }
    msgs.extend(answers);
    msgs.into_iter().flat_map(|msg| update(app, msg)).collect()
}

/// The frame `app` draws on a `width`×`height` test terminal.
pub fn buffer(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| cognito_tui::ui::view(app, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row, as a terminal shows it: the cells a wide (CJK)
/// character covers are skipped, so the text lines up the way the screen does.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    text(&buffer(app, width, height))
}

/// `buf` as text, as [`screen`] reads it.
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut covered = 0;
        for x in 0..buf.area.width {
            if covered > 0 {
                covered -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            covered = cognito_tui::width::width(symbol).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// The usernames of the demo pool's first ListUsers page (what browse loads) that `keep`
/// keeps, sorted: read from the backend, not through the filter under test.
pub fn demo_first_page(keep: impl Fn(&cognito_tui::cognito::UserSummary) -> bool) -> Vec<String> {
    use cognito_tui::cognito::{Backend, PageRequest};
    let backend = DemoBackend::embedded();
    let page =
        block_on(backend.list_users(&backend.pool_id(), None, PageRequest::first(60))).unwrap();
    let mut names: Vec<String> = (page.users.iter())
        .filter(|u| keep(u))
        .map(|u| u.username.clone())
        .collect();
    names.sort();
    names
}
