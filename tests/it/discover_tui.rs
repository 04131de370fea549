//! Issue 15, discoverable at 80×24: the footer says what each screen offers, most useful
//! first, with `? more` when it doesn't all fit; the help lists every binding, wraps instead
//! of cutting, pages and filters; load-all is Ctrl-L everywhere; copying says what it can
//! promise (OSC 52 is sent, tmux may drop it).

use cognito_tui::app::{App, Cmd, Msg, Overlay, Settings};
use cognito_tui::keymap::{BINDINGS, Context};
use crossterm::event::KeyCode;

use crate::common::app::{ctrl, demo_app_with, key, pinned, screen, send, serve, typed};
use crate::common::tmux::Tmux;

/// The demo pool, connected, with the clock fixed so ages read the same every run.
fn demo_app() -> App {
    demo_app_with(pinned())
}

/// [`demo_app`] started with `--allow-write`.
fn writable() -> App {
    demo_app_with(Settings {
        allow_write: true,
        ..pinned()
    })
}

/// Sends `msgs` and runs every request they start against the demo pool, as the worker does.
fn drive(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    let mut queue: Vec<Cmd> = send(app, msgs);
    while let Some(cmd) = queue.pop() {
        if matches!(
            cmd,
            Cmd::Lookup { .. }
                | Cmd::FetchList { .. }
                | Cmd::Search { .. }
                | Cmd::BrowsePage { .. }
                | Cmd::ListPools { .. }
        ) {
            queue.extend(serve(app, &cmd));
        }
    }
}

fn with(keys: &str) -> App {
    let mut app = demo_app();
    drive(&mut app, typed(keys));
    app
}

fn alice() -> App {
    alice_in(demo_app())
}

/// alice found with `u` in `app`.
fn alice_in(mut app: App) -> App {
    drive(&mut app, typed("ualice"));
    drive(&mut app, [key(KeyCode::Enter)]);
    app
}

/// The last line of the screen: the footer.
fn footer(app: &App, width: u16, height: u16) -> String {
    let text = screen(app, width, height);
    text.lines()
        .last()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// Every screen the TUI has, by name, reached by keys on the demo pool.
fn screens() -> Vec<(&'static str, App)> {
    let mut screens: Vec<(&str, App)> = vec![("welcome", demo_app()), ("alice", alice())];
    let mut a = alice();
    drive(&mut a, typed("p"));
    screens.push(("alice_privacy_on", a));
    let a = alice_in(writable());
    screens.push(("alice_allow_write", a));
    let mut a = with("/nobody");
    drive(&mut a, [key(KeyCode::Enter)]);
    screens.push(("not_found_error", a));
    screens.push(("lookup_bar", with("/al")));
    let mut a = with("s");
    drive(&mut a, typed("abc"));
    drive(&mut a, [key(KeyCode::Enter)]);
    screens.push(("sub_refused_hint", a));
    let mut a = alice();
    drive(&mut a, typed("fe"));
    screens.push(("attribute_filter", a));
    let mut a = alice();
    drive(&mut a, typed("h"));
    screens.push(("recent_lookups", a));
    let mut a = alice();
    drive(&mut a, [key(KeyCode::Enter)]);
    screens.push(("full_value", a));
    let mut a = alice();
    drive(&mut a, typed("c"));
    screens.push(("escape_hatch", a));
    for (name, pane) in [("groups", "4"), ("devices", "5"), ("sign_ins", "6")] {
        let mut a = alice();
        drive(&mut a, typed(pane));
        screens.push((name, a));
    }
    let mut a = with("/shared@acme.example");
    drive(&mut a, [key(KeyCode::Enter)]);
    screens.push(("ambiguous_picker", a));
    screens.push(("help", with("?")));
    screens.push(("help_filtering", with("?/ctrl")));
    screens.push(("search", with("tal")));
    screens.push(("browse", with("b")));
    screens.push(("browse_filtered", with("bal")));
    screens.push(("pool_picker", with("P")));
    screens
}

/// Every screen's footer at 60, 80 and 120 columns, in one snapshot to read side by side.
#[test]
fn every_screen_has_a_footer_of_what_it_offers() {
    let mut out = String::new();
    for (name, app) in &screens() {
        for (w, h) in [(60, 16), (80, 24), (120, 40)] {
            out.push_str(&format!("{name:<21}{w:>4} |{}\n", footer(app, w, h)));
        }
    }
    insta::assert_snapshot!("footers", out);
}

/// Every screen at the smallest supported size, the size of the issue, and a large one.
#[test]
fn every_screen_at_60x16_80x24_and_120x40() {
    for (name, app) in screens() {
        let mut out = String::new();
        for (w, h) in [(60, 16), (80, 24), (120, 40)] {
            let mut app = app.clone();
            send(
                &mut app,
                [Msg::Resize {
                    width: w,
                    height: h,
                }],
            );
            out.push_str(&format!("── {w}×{h} ──\n{}", screen(&app, w, h)));
        }
        insta::assert_snapshot!(format!("layout_{name}"), out);
    }
}

#[test]
fn the_main_footer_at_80_columns_reaches_search_browse_and_the_help() {
    let line = footer(&demo_app(), 80, 24);
    for hint in [
        "/ lookup",
        "t search",
        "b browse",
        "Ctrl-L load all",
        "P pools",
    ] {
        assert!(line.contains(hint), "{hint}: {line}");
    }
    let line = footer(&alice(), 80, 24);
    for hint in [
        "/ lookup", "t search", "b browse", "Tab pane", "y copy", "? more",
    ] {
        assert!(line.contains(hint), "{hint}: {line}");
    }
    // What needs a user is not offered before there is one.
    assert!(!footer(&demo_app(), 120, 40).contains("y copy"));
    // With room for everything, `?` is just the help.
    let wide = footer(&alice(), 200, 40);
    assert!(wide.contains("? help") && wide.contains("q quit"), "{wide}");
}

#[test]
fn load_all_is_ctrl_l_on_the_panes_and_in_browse_and_l_still_works() {
    for keys in [vec![ctrl('l')], typed("L")] {
        let mut app = demo_app();
        let cmds = send(&mut app, keys);
        assert!(
            cmds.iter().any(|c| matches!(c, Cmd::LoadAll { .. })),
            "{cmds:?}"
        );
    }
    // In browse, before the first page is in: Ctrl-L loads all.
    let mut app = demo_app();
    send(&mut app, typed("b"));
    assert!(footer(&app, 80, 24).contains("Ctrl-L load all"));
    let cmds = send(&mut app, [ctrl('l')]);
    assert!(cmds.iter().any(|c| matches!(c, Cmd::LoadAll { .. })));
    // The demo pool is one page: once it is in, there is nothing left to load.
    assert!(!footer(&with("b"), 120, 40).contains("load all"));
    let help = help_text(&demo_app(), 80, 24);
    assert!(
        help.contains("Ctrl-L L browse and load every user"),
        "{help}"
    );
}

/// The help's text at `width`×`height`, every page, with the popup's frame and the key
/// column's padding squeezed out, so wrapped lines read as one.
fn help_text(app: &App, width: u16, height: u16) -> String {
    let mut app = app.clone();
    send(&mut app, [Msg::Resize { width, height }]);
    send(&mut app, typed("?"));
    let mut pages = Vec::new();
    loop {
        let page = screen(&app, width, height);
        if pages.last() == Some(&page) {
            break;
        }
        pages.push(page);
        send(&mut app, [key(KeyCode::PageDown)]);
    }
    let mut words = Vec::new();
    let mut last_seen = String::new();
    for page in &pages {
        // Pages overlap by a line: keep each line once, in order.
        let inner: Vec<String> = page
            .lines()
            .filter_map(|l| {
                let start = l.find('║')?;
                let end = l.rfind('║')?;
                (end > start).then(|| l[start + '║'.len_utf8()..end].trim().to_string())
            })
            .collect();
        let fresh = match inner.iter().position(|l| *l == last_seen && !l.is_empty()) {
            Some(i) => &inner[i + 1..],
            None => &inner[..],
        };
        for line in fresh {
            words.extend(line.split_whitespace().map(str::to_string));
        }
        last_seen = inner.last().cloned().unwrap_or_default();
    }
    words.join(" ")
}

#[test]
fn the_help_lists_every_binding_in_full_at_60_and_80_columns() {
    let app = writable();
    for (w, h) in [(60, 16), (80, 24)] {
        let text = help_text(&app, w, h);
        for b in BINDINGS {
            let line = format!("{} {}", b.label, b.help);
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(&line), "{w}x{h}: missing {line:?}\n{text}");
        }
        assert!(text.contains("h Ctrl-R recent lookups"), "{text}");
    }
}

#[test]
fn help_pages_with_pgdn_and_g_and_scrolls_back_at_once_from_the_bottom() {
    let mut app = demo_app();
    send(&mut app, typed("?"));
    let top = screen(&app, 80, 24);
    send(&mut app, [key(KeyCode::PageDown)]);
    let second = screen(&app, 80, 24);
    assert_ne!(top, second);
    send(&mut app, typed("G"));
    let bottom = screen(&app, 80, 24);
    assert!(bottom.contains("close the help"), "{bottom}");
    send(&mut app, typed("k"));
    assert_ne!(screen(&app, 80, 24), bottom, "k right after G scrolls");
    send(&mut app, typed("g"));
    assert_eq!(screen(&app, 80, 24), top);
    send(&mut app, [key(KeyCode::PageDown), key(KeyCode::PageUp)]);
    assert_eq!(screen(&app, 80, 24), top);
}

#[test]
fn slash_in_the_help_filters_it_and_esc_clears_then_closes() {
    let mut app = demo_app();
    send(&mut app, typed("?/ctrl-r"));
    assert_eq!(app.context(), Context::Input);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("h Ctrl-R"), "{shown}");
    assert!(shown.contains("search: ask Cognito again"), "{shown}");
    assert!(!shown.contains("look up by username"), "{shown}");
    assert!(shown.contains("Filter help › ctrl-r"), "{shown}");
    // Enter keeps the filter and gives the keys back to the help.
    send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.context(), Context::Help);
    assert!(screen(&app, 80, 24).contains("h Ctrl-R"));
    send(&mut app, [key(KeyCode::Esc)]);
    assert!(
        matches!(app.overlay(), Overlay::Help { .. }),
        "Esc clears first"
    );
    assert!(screen(&app, 80, 24).contains("look up by username"));
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(*app.overlay(), Overlay::None);

    let mut app = demo_app();
    send(&mut app, typed("?/zzzz"));
    assert!(screen(&app, 80, 24).contains("no binding matches \"zzzz\""));
}

#[test]
fn copying_inside_tmux_says_it_was_sent_and_how_to_let_it_through() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tui.log");
    let args = [
        "--demo",
        "--lookup",
        "alice",
        "--log-file",
        log.to_str().unwrap(),
    ];
    let t = Tmux::spawn_tui(&args, 120, 30);
    t.wait_for("Username alice");
    t.type_text("y");
    let shown = t.wait_for("set -g set-clipboard on");
    assert!(shown.contains("to the terminal (OSC 52)"), "{shown}");
    assert!(!shown.contains("copied"), "{shown}");
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
}

/// README's key table, as the key table in src/keymap.rs writes it.
fn readme_key_table() -> String {
    use cognito_tui::keymap::{HELP_ORDER, bindings};
    let mut out = String::new();
    for context in HELP_ORDER {
        let rows: Vec<_> = bindings(context, true).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n**{}**\n\n| keys | does |\n|---|---|\n",
            context.title()
        ));
        for b in rows {
            let keys: Vec<String> = b
                .label
                .split_whitespace()
                .map(|k| format!("`{k}`"))
                .collect();
            let mut does = b.help.to_string();
            if b.write {
                does.push_str(" (with `--allow-write`)");
            }
            out.push_str(&format!("| {} | {does} |\n", keys.join(" ")));
        }
    }
    out
}

#[test]
fn the_readme_key_table_is_the_help() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = "<!-- keys: generated from src/keymap.rs -->\n";
    let end = "<!-- /keys -->";
    let table = readme
        .split(start)
        .nth(1)
        .and_then(|rest| rest.split(end).next())
        .expect("README has the key table markers");
    let expected = readme_key_table();
    assert!(
        table == expected,
        "README's key table differs from src/keymap.rs; it should read:\n{expected}"
    );
}

#[test]
fn the_attribute_filter_counts_rows_as_the_title_does() {
    let unfiltered = screen(&alice(), 80, 24);
    assert!(unfiltered.contains("2 Attributes (9)"), "{unfiltered}");
    let mut app = alice();
    drive(&mut app, typed("fe"));
    let filtered = screen(&app, 80, 24);
    // alice has 11 attributes; email_verified and phone_number_verified are the ✓ notes.
    assert!(
        filtered.contains("2 Attributes (9 of 9, filter \"e\")"),
        "{filtered}"
    );
}
