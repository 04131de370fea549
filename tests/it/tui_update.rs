//! Key → action → state/commands, without a terminal. Users come from real lookups on the
//! embedded demo pool, through the same `lookup` the worker runs.

use cognito_tui::act::Write;
use cognito_tui::app::{
    App, Cmd, ListKind, ListState, Listing, MenuItem, Msg, Overlay, Pane, SessionInfo, Settings,
    update,
};
use cognito_tui::cognito::WriteAction;
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::{self, LookupMode};
use cognito_tui::cognito::{CognitoError, ErrorKind};
use cognito_tui::keymap::{self, Action, Context};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::common::app::{ch, ctrl, demo_app, demo_app_with, demo_lookup, key, send, serve, typed};

/// Types a lookup with `trigger`, submits it and applies the answer.
fn look_up(app: &mut App, trigger: char, query: &str) {
    let mut msgs = vec![ch(trigger)];
    msgs.extend(typed(query));
    msgs.push(key(KeyCode::Enter));
    let cmds = send(app, msgs);
    assert_eq!(cmds.len(), 1, "one lookup for {query:?}: {cmds:?}");
    serve(app, &cmds[0]);
}

fn username(app: &App) -> &str {
    &app.user()
        .as_ref()
        .expect("a user is loaded")
        .found
        .user
        .username
}

#[test]
fn each_lookup_key_opens_the_bar_in_its_mode_and_enter_submits() {
    for (trigger, mode, query) in [
        ('/', LookupMode::Auto, "alice"),
        ('u', LookupMode::Username, "bob"),
        ('a', LookupMode::Alias, "ally"),
        ('s', LookupMode::Sub, "13ec8665-a4ff-5525-87b0-8063bbe0cb29"),
    ] {
        let mut app = demo_app();
        assert!(send(&mut app, [ch(trigger)]).is_empty());
        assert!(
            matches!(app.overlay(), Overlay::Lookup { mode: m, input } if *m == mode && input.text.is_empty())
        );
        assert_eq!(app.context(), Context::Input);
        let cmds = send(&mut app, typed(query));
        assert!(cmds.is_empty(), "typing makes no request");
        let cmds = send(&mut app, [key(KeyCode::Enter)]);
        assert_eq!(
            cmds,
            vec![Cmd::Lookup {
                id: 1,
                query: query.into(),
                mode
            }]
        );
        assert_eq!(*app.overlay(), Overlay::None);
        assert_eq!(app.pending().map(|p| p.id), Some(1));
        serve(&mut app, &cmds[0]);
        assert!(app.pending().is_none());
        let expected = if trigger == 'u' { "bob" } else { "alice" };
        assert_eq!(username(&app), expected);
    }
}

#[test]
fn line_editing_keys_edit_the_query() {
    let mut app = demo_app();
    send(&mut app, [ch('/')]);
    send(&mut app, typed("alice smith"));
    send(&mut app, [ctrl('w')]);
    let text = |app: &App| match app.overlay() {
        Overlay::Lookup { input, .. } => (input.text.clone(), input.cursor),
        other => panic!("bar closed: {other:?}"),
    };
    assert_eq!(text(&app), ("alice ".into(), 6));
    send(&mut app, [key(KeyCode::Backspace), key(KeyCode::Home)]);
    assert_eq!(text(&app), ("alice".into(), 0));
    send(&mut app, [key(KeyCode::Delete), key(KeyCode::Right)]);
    assert_eq!(text(&app), ("lice".into(), 1));
    send(&mut app, [ch('X'), key(KeyCode::Left), key(KeyCode::Left)]);
    assert_eq!(text(&app), ("lXice".into(), 0));
    send(&mut app, [key(KeyCode::End), ctrl('u')]);
    assert_eq!(text(&app), (String::new(), 0));
    // q and ? are text here, not commands.
    send(&mut app, typed("q?"));
    assert_eq!(text(&app), ("q?".into(), 2));
    assert!(!app.should_quit());
    // A paste loses its newline instead of submitting.
    send(&mut app, [ctrl('u'), Msg::Paste("bob\n".into())]);
    assert_eq!(text(&app), ("bob".into(), 3));
    assert!(send(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert_eq!(*app.overlay(), Overlay::None);
    assert!(app.pending().is_none());
}

#[test]
fn invalid_queries_are_refused_before_any_request() {
    let mut app = demo_app();
    send(&mut app, [ch('/')]);
    assert!(send(&mut app, [ch(' '), key(KeyCode::Enter)]).is_empty());
    assert!(app.notice().unwrap().contains("empty"));
    assert!(
        matches!(app.overlay(), Overlay::Lookup { .. }),
        "bar stays open"
    );
    send(&mut app, [key(KeyCode::Esc), ch('s')]);
    let cmds = send(
        &mut app,
        typed("alice").into_iter().chain([key(KeyCode::Enter)]),
    );
    assert!(cmds.is_empty());
    assert!(app.notice().unwrap().contains("UUID"));
}

#[test]
fn a_superseded_result_is_dropped() {
    let mut app = demo_app();
    let first = send(
        &mut app,
        [ch('/')]
            .into_iter()
            .chain(typed("alice"))
            .chain([key(KeyCode::Enter)]),
    );
    let second = send(
        &mut app,
        [ch('/')]
            .into_iter()
            .chain(typed("bob"))
            .chain([key(KeyCode::Enter)]),
    );
    assert!(matches!(second[0], Cmd::Lookup { id: 2, .. }));
    serve(&mut app, &first[0]);
    assert!(app.user().is_none(), "alice's answer came too late");
    assert_eq!(
        app.pending().map(|p| p.id),
        Some(2),
        "still waiting for bob"
    );
    serve(&mut app, &second[0]);
    assert_eq!(username(&app), "bob");
    assert_eq!(
        app.recent().len(),
        1,
        "the dropped answer is not a recent lookup"
    );
}

#[test]
fn ambiguous_matches_open_a_picker_and_choosing_looks_up_by_username() {
    let mut app = demo_app();
    look_up(&mut app, '/', "shared@acme.example");
    let Overlay::Picker { ambiguous, cursor } = app.overlay() else {
        panic!("expected a picker, got {:?}", app.overlay());
    };
    assert_eq!(ambiguous.matches.len(), 2);
    assert_eq!(*cursor, 0);
    assert_eq!(app.context(), Context::List);
    let cmds = send(&mut app, [ch('j'), ch('j'), key(KeyCode::Enter)]);
    assert_eq!(
        cmds,
        vec![Cmd::Lookup {
            id: 2,
            query: "sam.two".into(),
            mode: LookupMode::Username
        }]
    );
    serve(&mut app, &cmds[0]);
    assert_eq!(username(&app), "sam.two");
    // Esc closes a picker without a request.
    look_up(&mut app, 'a', "shared@acme.example");
    assert!(send(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn tab_and_digits_move_focus_and_jk_g_move_within_the_pane() {
    let mut app = demo_app();
    look_up(&mut app, '/', "alice");
    assert_eq!(app.focus(), Pane::Attributes);
    send(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.focus(), Pane::Mfa);
    // Tab goes on to the list panes (fetching each as it opens), then wraps to Status.
    let cmds = send(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.focus(), Pane::Groups);
    assert!(matches!(
        &cmds[..],
        [Cmd::FetchList {
            list: ListKind::Groups,
            ..
        }]
    ));
    send(
        &mut app,
        [key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    assert_eq!(app.focus(), Pane::Status);
    send(
        &mut app,
        [Msg::Key(KeyEvent::new(
            KeyCode::BackTab,
            KeyModifiers::SHIFT,
        ))],
    );
    assert_eq!(app.focus(), Pane::SignIns);
    send(&mut app, [ch('3')]);
    assert_eq!(app.focus(), Pane::Mfa);
    send(&mut app, [ch('2')]);
    assert_eq!(app.focus(), Pane::Attributes);
    let rows = app.rows(Pane::Attributes).len();
    send(&mut app, [ch('j'), key(KeyCode::Down)]);
    assert_eq!(app.cursor(Pane::Attributes), 2);
    send(&mut app, [ch('k')]);
    assert_eq!(app.cursor(Pane::Attributes), 1);
    send(
        &mut app,
        [Msg::Key(KeyEvent::new(
            KeyCode::Char('G'),
            KeyModifiers::SHIFT,
        ))],
    );
    assert_eq!(app.cursor(Pane::Attributes), rows - 1);
    send(&mut app, [ch('j')]);
    assert_eq!(
        app.cursor(Pane::Attributes),
        rows - 1,
        "stops at the bottom"
    );
    send(&mut app, [ch('g'), ch('k')]);
    assert_eq!(app.cursor(Pane::Attributes), 0, "stops at the top");
    send(&mut app, [ch('1'), ch('j')]);
    assert_eq!((app.focus(), app.cursor(Pane::Status)), (Pane::Status, 1));
}

#[test]
fn copy_sends_the_sanitized_value_of_the_selected_row() {
    let mut app = demo_app();
    assert!(send(&mut app, [ch('y')]).is_empty(), "nothing to copy yet");
    look_up(&mut app, 'u', "mallory");
    let rows = app.rows(Pane::Attributes);
    let name = rows.iter().position(|r| r.label == "name").unwrap();
    send(&mut app, std::iter::repeat_n(ch('j'), name));
    let cmds = send(&mut app, [ch('y')]);
    assert_eq!(cmds, vec![Cmd::Copy("Mallory \\x1b[2J\\x1b[Hpwned".into())]);
    assert!(
        app.notice()
            .unwrap()
            .contains("characters to the terminal (OSC 52)")
    );
    // Every value mallory can put on the clipboard is free of control characters.
    for i in 0..rows.len() {
        send(&mut app, [ch('g')]);
        send(&mut app, std::iter::repeat_n(ch('j'), i));
        for cmd in send(&mut app, [ch('y')]) {
            let Cmd::Copy(text) = cmd else { panic!() };
            assert!(
                !text.chars().any(cognito_tui::sanitize::is_unsafe),
                "{text:?}"
            );
        }
    }
    // Status pane: the sub (below the verdict and the username).
    send(&mut app, [ch('1'), ch('j'), ch('j')]);
    assert_eq!(
        send(&mut app, [ch('y')]),
        vec![Cmd::Copy("889c4060-ecb1-5cc2-95fd-1a97cdff5b8c".into())]
    );
}

#[test]
fn enter_shows_the_whole_value_which_can_be_copied() {
    let mut app = demo_app();
    look_up(&mut app, 'u', "victor");
    let bio = app
        .rows(Pane::Attributes)
        .iter()
        .position(|r| r.label == "custom:bio")
        .unwrap();
    send(&mut app, std::iter::repeat_n(ch('j'), bio));
    send(&mut app, [key(KeyCode::Enter)]);
    let Overlay::Detail { title, text, .. } = app.overlay() else {
        panic!("no detail popup: {:?}", app.overlay());
    };
    assert_eq!(title, "custom:bio");
    assert!(text.len() > 200 && text.starts_with("Long biography"));
    let cmds = send(&mut app, [ch('j'), ch('y')]);
    assert!(matches!(&cmds[..], [Cmd::Copy(t)] if t.starts_with("Long biography")));
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn refresh_looks_the_same_user_up_by_username_and_keeps_the_selection() {
    let mut app = demo_app();
    assert!(
        send(&mut app, [ch('r')]).is_empty(),
        "nothing to refresh yet"
    );
    look_up(&mut app, 'a', "ally");
    send(&mut app, [ch('j'), ch('j')]);
    let cmds = send(&mut app, [ch('r')]);
    assert_eq!(
        cmds,
        vec![Cmd::Lookup {
            id: 2,
            query: "alice".into(),
            mode: LookupMode::Username
        }]
    );
    assert!(
        app.user().is_some(),
        "the user stays on screen while refreshing"
    );
    serve(&mut app, &cmds[0]);
    assert_eq!(app.cursor(Pane::Attributes), 2);
    assert_eq!(
        app.notice(),
        Some("alice read again from Cognito: this is how it is now")
    );
    // A different user starts at the top.
    look_up(&mut app, 'u', "bob");
    assert_eq!(app.cursor(Pane::Attributes), 0);
}

#[test]
fn errors_are_shown_and_the_next_lookup_works() {
    let mut app = demo_app();
    look_up(&mut app, '/', "nobody");
    let error = app.error().cloned().expect("an error");
    assert_eq!(error.exception.as_deref(), Some("UserNotFoundException"));
    assert!(error.message.contains("nobody"));
    assert!(app.user().is_none());
    // A Cognito failure carries the exception name, message and a hint.
    let cmds = send(
        &mut app,
        [ch('/')]
            .into_iter()
            .chain(typed("bob"))
            .chain([key(KeyCode::Enter)]),
    );
    assert!(app.error().is_none(), "a new lookup clears the old error");
    let Cmd::Lookup { id, .. } = cmds[0] else {
        panic!()
    };
    let denied = CognitoError::new(ErrorKind::AccessDenied, "AdminGetUser", "not authorized")
        .with_exception("AccessDeniedException");
    update(
        &mut app,
        Msg::LookupDone {
            id,
            result: Err(lookup::LookupError::Cognito(denied)),
        },
    );
    let error = app.error().cloned().unwrap();
    assert_eq!(error.exception.as_deref(), Some("AccessDeniedException"));
    assert!(error.hint.unwrap().contains("cognito-idp:AdminGetUser"));
    send(&mut app, [key(KeyCode::Esc)]);
    assert!(app.error().is_none());
    look_up(&mut app, '/', "bob");
    assert_eq!(username(&app), "bob");
}

#[test]
fn recent_lookups_are_fuzzy_filtered_and_reopened_by_username() {
    let mut app = demo_app();
    send(&mut app, [ch('h')]);
    assert_eq!(*app.overlay(), Overlay::None, "nothing recent yet");
    for q in ["alice", "kenji.tanaka", "bob", "ally"] {
        look_up(&mut app, '/', q);
    }
    let names: Vec<&str> = app.recent().iter().map(|e| e.username.as_str()).collect();
    assert_eq!(
        names,
        ["alice", "bob", "kenji.tanaka"],
        "newest first, no duplicates"
    );
    send(&mut app, [ctrl('r')]);
    assert!(matches!(app.overlay(), Overlay::Recent { .. }));
    // "ken" and "ta": two runs in one field (the ranking rules allow three).
    send(&mut app, typed("kenta"));
    let matches: Vec<&str> = app
        .recent_matches()
        .iter()
        .map(|e| e.username.as_str())
        .collect();
    assert_eq!(matches, ["kenji.tanaka"]);
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        cmds,
        vec![Cmd::Lookup {
            id: 5,
            query: "kenji.tanaka".into(),
            mode: LookupMode::Username
        }]
    );
    // By email too, and arrows move.
    send(&mut app, [ch('h')]);
    send(&mut app, typed("acme"));
    send(&mut app, [key(KeyCode::Down)]);
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert!(matches!(&cmds[..], [Cmd::Lookup { query, .. }] if query == "bob" || query == "alice"));
}

#[test]
fn the_attribute_filter_applies_as_you_type_and_esc_clears_it() {
    let mut app = demo_app();
    look_up(&mut app, '/', "alice");
    let all = app.rows(Pane::Attributes).len();
    send(&mut app, [ch('1'), ch('f')]);
    assert_eq!(app.focus(), Pane::Attributes);
    send(&mut app, typed("custom"));
    let labels: Vec<String> = app
        .rows(Pane::Attributes)
        .into_iter()
        .map(|r| r.label)
        .collect();
    assert_eq!(labels, ["custom:tenant", "custom:plan"]);
    send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(*app.overlay(), Overlay::None);
    assert_eq!(app.attr_filter(), "custom", "Enter keeps the filter");
    // Values match too (fuzzy).
    send(&mut app, [ch('f'), ctrl('u')]);
    send(&mut app, typed("enterprise"));
    assert_eq!(app.rows(Pane::Attributes)[0].label, "custom:plan");
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.attr_filter(), "");
    assert_eq!(app.rows(Pane::Attributes).len(), all);
}

#[test]
fn help_opens_and_closes_and_quit_keys_quit() {
    let mut app = demo_app();
    send(&mut app, [ch('?')]);
    assert!(matches!(app.overlay(), Overlay::Help { .. }));
    send(&mut app, [ch('j'), ch('j')]);
    assert!(matches!(app.overlay(), Overlay::Help { scroll: 2, .. }));
    send(&mut app, [ch('q')]);
    assert_eq!(
        *app.overlay(),
        Overlay::None,
        "q closes the help, not the app"
    );
    assert!(!app.should_quit());
    send(&mut app, [ch('q')]);
    assert!(app.should_quit());

    let mut app = demo_app();
    send(&mut app, [ch('/'), ctrl('c')]);
    assert!(app.should_quit(), "Ctrl-C quits even while typing");
}

#[test]
fn spinner_ticks_only_while_a_request_is_in_flight() {
    let mut app = demo_app();
    send(&mut app, [Msg::Tick, Msg::Tick]);
    assert_eq!(app.spinner(), 0);
    send(
        &mut app,
        [ch('/')]
            .into_iter()
            .chain(typed("alice"))
            .chain([key(KeyCode::Enter)]),
    );
    send(&mut app, [Msg::Tick, Msg::Tick]);
    assert_eq!(app.spinner(), 2);
}

#[test]
fn every_binding_in_the_table_reaches_its_action() {
    use crossterm::event::KeyEventKind;
    for binding in keymap::BINDINGS {
        for (i, k) in binding.keys.iter().enumerate() {
            let shift = match k.code {
                KeyCode::Char(c) if c.is_ascii_uppercase() || "?".contains(c) => {
                    KeyModifiers::SHIFT
                }
                KeyCode::BackTab => KeyModifiers::SHIFT,
                _ => KeyModifiers::NONE,
            };
            let mut event = KeyEvent::new(k.code, k.mods | shift);
            event.kind = KeyEventKind::Press;
            let context = if binding.context == Context::Global {
                Context::Main
            } else {
                binding.context
            };
            let expected = match binding.action {
                Action::FocusPane(_) => Action::FocusPane(i),
                other => other,
            };
            assert_eq!(
                keymap::action(context, &event, true),
                Some(expected),
                "{} in {:?} ({:?})",
                binding.label,
                binding.context,
                k.code
            );
        }
    }
}

#[test]
fn lists_are_fetched_only_when_their_pane_opens() {
    let mut app = demo_app();
    // A lookup asks for the user only: no groups, devices or sign-ins.
    let cmds = send(
        &mut app,
        [ch('/')]
            .into_iter()
            .chain(typed("alice"))
            .chain([key(KeyCode::Enter)]),
    );
    assert!(matches!(&cmds[..], [Cmd::Lookup { .. }]), "{cmds:?}");
    serve(&mut app, &cmds[0]);
    assert_eq!(app.lists().groups, ListState::NotLoaded);
    assert!(send(&mut app, [ch('j'), ch('1'), ch('2')]).is_empty());
    // The MFA pane reads the user's auth factors (AdminGetUserAuthFactors), and nothing else.
    let cmds = send(&mut app, [ch('3')]);
    assert!(
        matches!(&cmds[..], [Cmd::FetchAuthFactors { id: 2, username }] if username == "alice"),
        "{cmds:?}"
    );

    // Opening Groups fetches groups, once.
    let cmds = send(&mut app, [ch('4')]);
    assert_eq!(
        cmds,
        vec![Cmd::FetchList {
            id: 3,
            list: ListKind::Groups,
            username: "alice".into()
        }]
    );
    assert!(app.busy(), "the spinner runs while a list loads");
    serve(&mut app, &cmds[0]);
    let names: Vec<String> = app
        .rows(Pane::Groups)
        .into_iter()
        .map(|r| r.label)
        .collect();
    assert_eq!(names, ["admins", "support"]);
    assert!(
        send(&mut app, [ch('2'), ch('4')]).is_empty(),
        "already loaded"
    );

    // r on a list pane reloads that list only.
    let cmds = send(&mut app, [ch('r')]);
    assert!(matches!(
        &cmds[..],
        [Cmd::FetchList {
            list: ListKind::Groups,
            ..
        }]
    ));
    // A stale answer (an older id) is dropped.
    update(
        &mut app,
        Msg::ListDone {
            id: 2,
            result: Ok(cognito_tui::app::Fetched {
                listing: Listing::Groups(Vec::new()),
                more: false,
            }),
        },
    );
    assert!(matches!(app.lists().groups, ListState::Loading { .. }));
    serve(&mut app, &cmds[0]);
    assert_eq!(app.rows(Pane::Groups).len(), 2);

    // Devices and sign-ins, each on opening.
    let cmds = send(&mut app, [ch('5')]);
    serve(&mut app, &cmds[0]);
    let devices = app.rows(Pane::Devices);
    assert_eq!(devices[0].label, "Chrome 131, macOS 15");
    assert!(devices[0].value.contains("198.51.100.23"));
    assert_eq!(devices[0].note.as_ref().unwrap().0, "remembered");
    let cmds = send(&mut app, [ch('6')]);
    serve(&mut app, &cmds[0]);
    assert_eq!(app.rows(Pane::SignIns).len(), 3);

    // Another user: the lists are forgotten, and the open pane fetches for the new user.
    let cmds = send(
        &mut app,
        [ch('u')]
            .into_iter()
            .chain(typed("frank"))
            .chain([key(KeyCode::Enter)]),
    );
    assert_eq!(cmds.len(), 1);
    let Cmd::Lookup { id, query, mode } = &cmds[0] else {
        panic!()
    };
    let result = demo_lookup(query, *mode, false);
    let cmds = update(&mut app, Msg::LookupDone { id: *id, result });
    assert!(
        matches!(&cmds[..], [Cmd::FetchList { list: ListKind::SignIns, username, .. }] if username == "frank"),
        "{cmds:?}"
    );
    assert_eq!(app.lists().groups, ListState::NotLoaded);
}

#[test]
fn sign_in_history_without_threat_protection_is_a_calm_notice() {
    let mut app = demo_app();
    look_up(&mut app, 'u', "alice");
    let cmds = send(&mut app, [ch('6')]);
    let Cmd::FetchList { id, .. } = cmds[0] else {
        panic!()
    };
    let not_enabled = CognitoError::new(
        ErrorKind::NotEnabled,
        "AdminListUserAuthEvents",
        "Advanced security features are not enabled for this user pool.",
    )
    .with_exception("UserPoolAddOnNotEnabledException");
    update(
        &mut app,
        Msg::ListDone {
            id,
            result: Err(not_enabled),
        },
    );
    assert!(app.error().is_none(), "no error popup");
    let ListState::Unavailable(note) = &app.lists().sign_ins else {
        panic!("{:?}", app.lists().sign_ins)
    };
    assert!(note.contains("sign-in history needs threat protection on this pool"));
}

#[test]
fn without_allow_write_no_key_opens_actions_or_makes_a_write() {
    let mut app = demo_app();
    look_up(&mut app, 'u', "alice");
    assert!(!app.allow_write());
    assert!(app.menu_items().is_empty());
    // Every key in every context: none produces a write command or the actions menu.
    let mut keys: Vec<Msg> = ('!'..='~').map(ch).collect();
    keys.extend([KeyCode::Enter, KeyCode::Esc, KeyCode::Tab].map(key));
    for k in keys {
        let mut probe = app.clone();
        for cmd in update(&mut probe, k.clone()) {
            assert!(!matches!(cmd, Cmd::Write { .. }), "{k:?} gave {cmd:?}");
        }
        assert!(
            !matches!(
                probe.overlay(),
                Overlay::Actions { .. } | Overlay::Groups { .. } | Overlay::Confirm { .. }
            ),
            "{k:?}"
        );
    }
    // Nor is any write binding in the table that applies.
    for context in [Context::Main, Context::Menu, Context::Confirm] {
        assert!(keymap::bindings(context, false).all(|b| !b.write));
    }
    assert_eq!(keymap::bindings(Context::Menu, false).count(), 0);
    assert!(
        keymap::action(
            Context::Main,
            &KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
            false
        )
        .is_none()
    );
}

fn writable_app() -> App {
    let mut app = demo_app_with(Settings {
        allow_write: true,
        ..crate::common::app::demo()
    });
    look_up(&mut app, 'u', "alice");
    app
}

#[test]
fn disabling_needs_the_username_typed_then_refreshes_the_user() {
    let mut app = writable_app();
    send(&mut app, [ch('x')]);
    assert_eq!(*app.overlay(), Overlay::Actions { cursor: 0 });
    // alice is enabled: the menu offers disable, not enable.
    assert_eq!(
        app.menu_items()[..3],
        [
            MenuItem::Do(WriteAction::DisableUser),
            MenuItem::Do(WriteAction::ResetPassword),
            MenuItem::Do(WriteAction::GlobalSignOut)
        ]
    );
    send(&mut app, [key(KeyCode::Enter)]);
    assert!(matches!(
        app.overlay(),
        Overlay::Confirm {
            write: Write {
                action: WriteAction::DisableUser,
                ..
            },
            ..
        }
    ));
    assert_eq!(app.context(), Context::Input, "the username is typed");
    // Enter without the username, or with a wrong one, does nothing.
    assert!(send(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert!(
        send(
            &mut app,
            typed("alicf").into_iter().chain([key(KeyCode::Enter)])
        )
        .is_empty()
    );
    assert!(app.notice().unwrap().contains("type the username"));
    assert!(matches!(app.overlay(), Overlay::Confirm { .. }));
    // y is just a letter here, not a yes.
    send(&mut app, [key(KeyCode::Backspace), ch('y')]);
    assert!(matches!(app.overlay(), Overlay::Confirm { .. }));
    send(&mut app, [key(KeyCode::Backspace), ch('e')]);
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        cmds,
        vec![Cmd::Write {
            id: 2,
            write: Write {
                pool: "us-east-1_DemoPool1".into(),
                pool_label: "us-east-1_DemoPool1".into(),
                username: "alice".into(),
                sub: Some("13ec8665-a4ff-5525-87b0-8063bbe0cb29".into()),
                action: WriteAction::DisableUser,
            },
        }]
    );
    assert!(app.busy());
    // The worker reports success: one AdminGetUser refreshes the user.
    let cmds = update(
        &mut app,
        Msg::WriteDone {
            id: 2,
            result: Ok(()),
        },
    );
    assert_eq!(
        cmds,
        vec![Cmd::Lookup {
            id: 3,
            query: "alice".into(),
            mode: LookupMode::Username
        }]
    );
    assert!(
        app.notice()
            .unwrap()
            .contains("disabled alice in us-east-1_DemoPool1")
    );
}

#[test]
fn sign_out_asks_yes_or_no_and_esc_cancels_anything() {
    let mut app = writable_app();
    send(&mut app, [ch('x'), ch('j'), ch('j'), key(KeyCode::Enter)]);
    assert!(matches!(
        app.overlay(),
        Overlay::Confirm {
            write: Write {
                action: WriteAction::GlobalSignOut,
                ..
            },
            ..
        }
    ));
    assert_eq!(app.context(), Context::Confirm);
    assert!(send(&mut app, [ch('n')]).is_empty());
    assert_eq!(*app.overlay(), Overlay::None);
    assert!(app.notice().unwrap().contains("cancelled"));
    send(&mut app, [ch('x'), ch('j'), ch('j'), key(KeyCode::Enter)]);
    let cmds = send(&mut app, [ch('y')]);
    assert!(matches!(
        &cmds[..],
        [Cmd::Write {
            write: Write {
                action: WriteAction::GlobalSignOut,
                ..
            },
            ..
        }]
    ));
    // A refused write (the read-only guard, say) is shown as an error; nothing is refreshed.
    let Cmd::Write { id, .. } = cmds[0] else {
        panic!()
    };
    let refused = CognitoError::new(ErrorKind::ReadOnly, "AdminUserGlobalSignOut", "refused");
    assert!(
        update(
            &mut app,
            Msg::WriteDone {
                id,
                result: Err(refused)
            }
        )
        .is_empty()
    );
    assert!(
        app.error()
            .as_ref()
            .unwrap()
            .hint
            .as_deref()
            .unwrap()
            .contains("--allow-write")
    );
}

#[test]
fn privacy_mode_masks_screen_and_copies_and_v_reveals_one_value() {
    let mut app = demo_app_with(Settings {
        redact: true,
        ..crate::common::app::demo()
    });
    look_up(&mut app, 'u', "alice");
    let email = app
        .rows(Pane::Attributes)
        .iter()
        .position(|r| r.label == "email")
        .unwrap();
    send(&mut app, std::iter::repeat_n(ch('j'), email));
    assert_eq!(app.rows(Pane::Attributes)[email].value, "a•••@a•••.example");
    assert_eq!(
        send(&mut app, [ch('y')]),
        vec![Cmd::Copy("a•••@a•••.example".into())]
    );
    // The sub is not personal: shown as it is.
    assert_eq!(
        app.rows(Pane::Attributes)[0].value,
        "13ec8665-a4ff-5525-87b0-8063bbe0cb29"
    );
    // v reveals the selected value until the selection moves.
    send(&mut app, [ch('v')]);
    assert_eq!(
        app.rows(Pane::Attributes)[email].value,
        "alice@acme.example"
    );
    assert_eq!(
        send(&mut app, [ch('y')]),
        vec![Cmd::Copy("alice@acme.example".into())]
    );
    send(&mut app, [ch('j'), ch('k')]);
    assert_eq!(app.rows(Pane::Attributes)[email].value, "a•••@a•••.example");
    // p turns privacy mode off and on.
    send(&mut app, [ch('p')]);
    assert!(!app.redact());
    assert_eq!(
        app.rows(Pane::Attributes)[email].value,
        "alice@acme.example"
    );
    send(&mut app, [ch('p')]);
    assert!(app.redact());
    assert!(app.notice().unwrap().contains("privacy mode on"));
}

#[test]
fn escape_hatch_shows_and_copies_the_aws_command_and_console_address() {
    let mut app = demo_app();
    assert!(send(&mut app, [ch('c')]).is_empty(), "no user yet");
    look_up(&mut app, 'u', "alice");
    let cmds = send(&mut app, [ch('c')]);
    let expected = "aws cognito-idp admin-get-user --user-pool-id us-east-1_DemoPool1 \
                    --username alice --region us-east-1";
    assert_eq!(cmds, vec![Cmd::Copy(expected.into())]);
    let Overlay::Hatch { url, .. } = app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert_eq!(
        url,
        "https://us-east-1.console.aws.amazon.com/cognito/v2/idp/user-pools/us-east-1_DemoPool1/\
         user-management/users/details/alice?region=us-east-1"
    );
    let url = url.clone();
    assert_eq!(send(&mut app, [ch('o')]), vec![Cmd::Copy(url)]);
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn escape_hatch_quotes_hostile_usernames_safely() {
    use cognito_tui::hatch::{aws_command, console_url, shell_quote};
    assert_eq!(shell_quote("alice"), "alice");
    assert_eq!(shell_quote("o'brien x"), r"'o'\''brien x'");
    assert_eq!(shell_quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
    // Bytes a terminal must not receive become printf octal escapes, readable by every shell.
    assert_eq!(
        shell_quote("a\u{1b}[2J\u{202e}'"),
        r#"'a'"$(printf '\033')"'[2J'"$(printf '\342\200\256')"\'"#
    );
    let session = SessionInfo {
        pool: "eu-west-1_AbC123".into(),
        region: Some("eu-west-1".into()),
        profile: Some("support desk".into()),
        target: "http://127.0.0.1:9229".into(),
    };
    assert_eq!(
        aws_command(&session, "eu-west-1_AbC123", "zoë müller"),
        "aws cognito-idp admin-get-user --user-pool-id eu-west-1_AbC123 --username 'zoë müller' \
         --region eu-west-1 --profile 'support desk' --endpoint-url http://127.0.0.1:9229"
    );
    let url = console_url(&session, "eu-west-1_AbC123", "zoë/müller?x=1&\u{1b}").unwrap();
    assert!(
        url.ends_with("/users/details/zo%C3%AB%2Fm%C3%BCller%3Fx%3D1%26%1B?region=eu-west-1"),
        "{url}"
    );
    let mut app = demo_app();
    look_up(&mut app, 'u', "mallory");
    for cmd in send(&mut app, [ch('c'), ch('o')]) {
        let Cmd::Copy(text) = cmd else { panic!() };
        assert!(
            !text.chars().any(cognito_tui::sanitize::is_unsafe),
            "{text:?}"
        );
    }
}

// ---- Finding users: type-ahead search, browsing, the pool picker, key overrides ----

fn searches(cmds: &[Cmd]) -> Vec<(u64, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Search {
                id,
                query,
                debounce_ms,
            } => {
                assert_eq!(*debounce_ms, cognito_tui::search::RECOMMENDED_DEBOUNCE_MS);
                Some((*id, query.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn typing_a_search_sends_debounced_searches_and_drops_superseded_results() {
    let mut app = demo_app();
    assert!(send(&mut app, [ch('t')]).is_empty());
    assert_eq!(app.context(), Context::Finder);
    let cmds = send(&mut app, typed("al"));
    let sent = searches(&cmds);
    assert_eq!(sent.len(), 2, "{cmds:?}");
    assert_eq!(sent[1].1, "al");
    // The first search's answer arrives late: dropped.
    let stale = cmds
        .iter()
        .find(|c| matches!(c, Cmd::Search { id, .. } if *id == sent[0].0))
        .unwrap()
        .clone();
    serve(&mut app, &stale);
    assert!(app.search().results.is_none());
    serve(&mut app, cmds.last().unwrap());
    let results = app.search().results.as_ref().expect("results");
    assert_eq!(results.query, "al");
    assert!(results.hits.iter().any(|h| h.user.username == "alice"));
    // Clearing the line cancels what is waiting.
    let cleared = send(&mut app, [ctrl('u')]);
    assert_eq!(cleared, vec![Cmd::CancelSearch]);
    assert!(app.search().results.is_none());
}

#[test]
fn moving_through_results_sends_nothing_and_enter_opens_one_user_by_username() {
    let mut app = demo_app();
    send(&mut app, [ch('t')]);
    let cmds = send(&mut app, typed("al"));
    serve(&mut app, cmds.last().unwrap());
    let hits = app.search().results.as_ref().unwrap().hits.len();
    assert!(hits >= 1, "{hits}");
    let moves = send(
        &mut app,
        [
            key(KeyCode::Down),
            key(KeyCode::Down),
            ctrl('n'),
            key(KeyCode::Up),
            key(KeyCode::PageDown),
            key(KeyCode::PageUp),
            key(KeyCode::Down),
        ],
    );
    assert!(moves.is_empty(), "{moves:?}");
    let chosen = app.search().results.as_ref().unwrap().hits[app.search().cursor]
        .user
        .username
        .clone();
    let open = send(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(
        matches!(&open[0], Cmd::Lookup { query, mode: LookupMode::Username, .. } if *query == chosen)
    );
    assert_eq!(app.finder(), None);
    serve(&mut app, &open[0]);
    assert_eq!(username(&app), chosen);
}

#[test]
fn browsing_reads_a_page_filters_locally_and_enter_opens_the_user() {
    let mut app = demo_app();
    let first = send(&mut app, [ch('b')]);
    assert!(matches!(
        first.as_slice(),
        [Cmd::BrowsePage { token: None, .. }]
    ));
    serve(&mut app, &first[0]);
    assert_eq!(app.browse().store.len(), 30);
    // The filter is local: no request while typing.
    assert!(send(&mut app, typed("mall")).is_empty());
    assert!(app.browse().match_count() >= 1);
    let open = send(&mut app, [key(KeyCode::Enter)]);
    assert!(
        matches!(open.as_slice(), [Cmd::Lookup { query, mode: LookupMode::Username, .. }] if query.starts_with("mallory")),
        "{open:?}"
    );
}

#[test]
fn load_all_starts_reports_progress_and_esc_cancels() {
    let mut app = demo_app();
    let cmds = send(&mut app, [ch('L')]);
    let [Cmd::LoadAll { id, pager }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(pager.pages, 0);
    assert!(app.busy());
    // One page arrives, then Esc stops the rest.
    let backend = DemoBackend::embedded();
    let page = futures::executor::block_on(cognito_tui::search::browse::fetch_page(
        &backend,
        &backend.pool_id(),
        None,
        None,
    ));
    update(
        &mut app,
        Msg::BrowsePage {
            id: *id,
            result: page,
        },
    );
    assert_eq!(app.browse().pager.pages, 1);
    let cancel = send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(cancel, vec![Cmd::CancelLoadAll { id: *id }]);
    assert!(app.browse().loading_all.is_none());
    assert!(app.notice().unwrap().contains("stopped loading"));
    // Esc again closes the finder; a late page of the cancelled load is dropped.
    send(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.finder(), None);
    update(
        &mut app,
        Msg::BrowsePage {
            id: *id,
            result: Ok(Default::default()),
        },
    );
    assert_eq!(app.browse().pager.pages, 1);
}

#[test]
fn the_pool_picker_lists_filters_and_switches_pools() {
    let mut app = demo_app_with(Settings {
        named_pools: vec![("prod".to_string(), "eu-west-1_AbC123".to_string())],
        ..crate::common::app::demo()
    });
    let cmds = send(&mut app, [ch('P')]);
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::ListPools { token: None, .. }]
    ));
    assert!(serve(&mut app, &cmds[0]).is_empty());
    assert!(app.pools().entries.len() >= 2);
    send(&mut app, typed("prod"));
    assert_eq!(app.pool_matches()[0].id, "eu-west-1_AbC123");
    let switch = send(&mut app, [key(KeyCode::Enter)]);
    assert!(
        matches!(switch.as_slice(), [Cmd::SwitchPool { pool, .. }] if pool == "prod"),
        "{switch:?}"
    );
    // The pool in use changes only when the worker has checked the new one (tests/it/pools.rs).
    assert_eq!(app.pool_name(), DemoBackend::embedded().pool_id().as_str());
    assert!(app.session().is_some() && app.finder().is_none());
}

#[test]
fn key_overrides_rebind_actions_and_bad_ones_are_reported() {
    use std::collections::BTreeMap;
    let keys: BTreeMap<String, String> = [
        ("quit".to_string(), "ctrl-q".to_string()),
        ("search".to_string(), "S".to_string()),
        ("nonsense".to_string(), "x".to_string()),
        ("browse".to_string(), "ctrl-".to_string()),
    ]
    .into();
    let (keymap, problems) = keymap::Keymap::with_overrides(&keys);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.to_string().contains("nonsense")));
    assert!(problems.iter().any(|p| p.to_string().contains("browse")));
    let mut app = demo_app_with(Settings {
        keymap: std::sync::Arc::new(keymap),
        ..crate::common::app::demo()
    });
    assert!(send(&mut app, [ch('t')]).is_empty());
    assert_eq!(app.finder(), None, "t no longer opens the search");
    send(
        &mut app,
        [Msg::Key(KeyEvent::new(
            KeyCode::Char('S'),
            KeyModifiers::SHIFT,
        ))],
    );
    assert_eq!(app.context(), Context::Finder);
    send(&mut app, [key(KeyCode::Esc), ch('q')]);
    assert!(!app.should_quit(), "q was replaced");
    send(&mut app, [ctrl('q')]);
    assert!(app.should_quit());
    assert_eq!(app.keymap().label(Context::Main, Action::Quit), "Ctrl-Q");
}
