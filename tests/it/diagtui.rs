//! The sign-in diagnosis in the TUI's Status pane: the verdict on the first row, coloured and
//! marked by severity, every finding in a Diagnosis section; `d` loads the sign-in history to
//! complete it; privacy mode applies. Users are real lookups on the embedded demo pool with a
//! fixed clock.

use cognito_tui::app::{App, Cmd, ListState, Msg, Pane, update};
use cognito_tui::cognito::lookup::LookupMode;
use cognito_tui::cognito::{Backend, PageRequest, demo::DemoBackend};
use cognito_tui::diagnose::Severity;
use cognito_tui::ui;
use futures::executor::block_on;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::common::app::{ch, demo_lookup, pinned_demo_app as demo_app, send, serve};

fn look_up(app: &mut App, query: &str) {
    let Cmd::Lookup { id, .. } = app.start_lookup(query, LookupMode::Auto) else {
        unreachable!()
    };
    let result = demo_lookup(query, LookupMode::Auto, true);
    update(app, Msg::LookupDone { id, result });
    assert!(app.error().is_none(), "{query}: {:?}", app.error());
}

/// Presses `d` and serves the one request it makes (sign-in history).
fn load_history(app: &mut App) -> Vec<Cmd> {
    let cmds = send(app, [ch('d')]);
    for cmd in &cmds {
        serve(app, cmd);
    }
    cmds
}

/// The Status pane as drawn on a 120-column screen (tall enough for the whole section), and
/// the colour of the verdict's first character.
fn status_pane(app: &App) -> (String, Color) {
    let mut terminal = Terminal::new(TestBackend::new(120, 60)).unwrap();
    terminal.draw(|f| ui::view(app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    let mut verdict_color = Color::Reset;
    for y in 1..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect::<String>();
        if y == 2 {
            // "│ Sign-in  ✗ …": the symbol is at column 11.
            verdict_color = buf[(11, y)].fg;
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if line.starts_with('└') {
            break;
        }
    }
    (out, verdict_color)
}

/// The verdict and section of `query`'s user, with privacy off then on.
fn both_modes(query: &str, history: bool) -> [(String, Color); 2] {
    let mut app = demo_app();
    look_up(&mut app, query);
    if history {
        assert_eq!(load_history(&mut app).len(), 1);
    }
    let off = status_pane(&app);
    send(&mut app, [ch('p')]);
    assert!(app.redact());
    [off, status_pane(&app)]
}

#[test]
fn verdict_and_section_for_each_severity_with_privacy_off_and_on() {
    // (name, query, load the history first, the verdict's symbol and colour)
    let cases = [
        (
            "blocker",
            "judy@acme.example",
            true,
            "✗ cannot sign in",
            Color::Red,
        ),
        (
            "warning",
            "nina.patel@globex.example",
            true,
            "! can sign in, but",
            Color::Yellow,
        ),
        (
            "unsure",
            "alice@acme.example",
            false,
            "? no blocker found",
            Color::Yellow,
        ),
        (
            "clear",
            "alice@acme.example",
            true,
            "✓ can sign in",
            Color::Green,
        ),
    ];
    for (name, query, history, verdict, color) in cases {
        let [(off, off_color), (on, on_color)] = both_modes(query, history);
        assert!(
            off.contains(&format!("│ Sign-in  {verdict}")),
            "{name}:\n{off}"
        );
        assert!(off.contains("── Diagnosis: "), "{name}:\n{off}");
        assert_eq!((off_color, on_color), (color, color), "{name}");
        assert!(!on.contains(query), "privacy masks the query:\n{on}");
        insta::assert_snapshot!(format!("{name}_privacy_off"), off);
        insta::assert_snapshot!(format!("{name}_privacy_on"), on);
    }
}

#[test]
fn the_verdict_follows_the_worst_finding() {
    let mut app = demo_app();
    for user in ["judy", "grace", "dave", "carol", "erin", "frank", "heidi"] {
        look_up(&mut app, user);
        let d = app.diagnosis().expect("the pool's settings are known");
        let verdict = &app.rows(Pane::Status)[0];
        assert_eq!(verdict.label, "Sign-in");
        let symbol = match (d.worst(), d.can_sign_in) {
            (Some(Severity::Blocker), _) => "✗",
            (_, None) => "?",
            (Some(Severity::Warning), _) => "!",
            _ => "✓",
        };
        assert!(
            verdict.value.starts_with(symbol),
            "{user}: {}",
            verdict.value
        );
        // Every finding has its row in the section, in the diagnosis' order.
        let rows = app.rows(Pane::Status);
        let heading = rows
            .iter()
            .position(|r| r.value.starts_with("── Diagnosis"))
            .expect("a Diagnosis section");
        // After the heading, the pool's sign-in policy, then one row per finding.
        assert_eq!(rows[heading + 1].label, "Policy");
        let codes: Vec<&str> = rows[heading + 2..]
            .iter()
            .map(|r| r.note.as_ref().unwrap().0.as_str())
            .collect();
        // Each row names its finding's code and rule.
        let expected: Vec<String> = d
            .findings
            .iter()
            .map(|f| format!("{} · {}", f.code.as_str(), f.rule.id))
            .collect();
        assert_eq!(codes, expected, "{user}");
    }
}

/// The personal attributes README lists for privacy mode (the standard profile attributes),
/// typed out here rather than taken from `redact::is_personal`; `custom:` attributes are
/// personal too.
const PERSONAL_ATTRIBUTES: [&str; 16] = [
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "address",
];

/// The diagnosis rows (the verdict and the Diagnosis section) of the user on screen, each
/// as what is drawn, its detail and what `y` copies.
fn diagnosis_texts(app: &App) -> Vec<String> {
    let rows = app.rows(Pane::Status);
    let heading = rows
        .iter()
        .position(|r| r.value.starts_with("── Diagnosis"))
        .expect("a Diagnosis section");
    std::iter::once(&rows[0])
        .chain(&rows[heading..])
        .flat_map(|r| [r.value.clone(), r.detail.clone(), r.copy.clone()])
        .collect()
}

/// Counts whether `app`'s diagnosis names one of `personal` with privacy off, then turns
/// privacy on and asserts it names none.
fn check_diagnosis_privacy(app: &mut App, personal: &[&str]) -> bool {
    let plain = diagnosis_texts(app);
    let shown = personal.iter().any(|v| plain.iter().any(|t| t.contains(v)));
    send(app, [ch('p')]);
    assert!(app.redact());
    for text in diagnosis_texts(app) {
        for value in personal {
            assert!(!text.contains(value), "{value:?} in {text:?}");
        }
    }
    shown
}

/// A user federated through a SAML provider whose name is someone's mailbox: the diagnosis
/// names the provider, so with privacy off a personal value is in it.
fn federated_user() -> cognito_tui::cognito::User {
    use cognito_tui::cognito::{Attribute, User, UserStatus};
    User {
        username: "jo.doe@example.com".into(),
        attributes: vec![
            Attribute::new("sub", "7d1e6c2a-4b3f-4e8d-9a10-5c2b7e4f9a31"),
            Attribute::new("email", "jo.doe@example.com"),
            Attribute::new(
                "identities",
                r#"[{"providerName":"jo.doe@example.com","providerType":"SAML"}]"#,
            ),
        ],
        created: None,
        last_modified: None,
        enabled: true,
        status: Some(UserStatus::ExternalProvider),
        mfa_options: None,
        preferred_mfa: None,
        mfa_settings: None,
    }
}

#[test]
fn privacy_mode_keeps_personal_values_out_of_the_diagnosis() {
    use cognito_tui::cognito::lookup::{Found, LookupOutcome, MatchedBy, Resolution, Via};
    // The demo pool's users: their diagnoses are prose about settings.
    let backend = DemoBackend::embedded();
    let pool = backend.pool_id();
    let mut page = block_on(backend.list_users(&pool, None, PageRequest::first(60))).unwrap();
    assert!(page.users.len() > 20, "the demo pool has its users");
    for summary in page.users.drain(..) {
        let mut app = demo_app();
        look_up(&mut app, &summary.username);
        load_history(&mut app);
        let user = app.user().unwrap().found.user.clone();
        let personal: Vec<&str> = user
            .attributes
            .iter()
            .filter(|a| {
                PERSONAL_ATTRIBUTES.contains(&a.name.as_str()) || a.name.starts_with("custom:")
            })
            .filter_map(|a| a.value.as_deref())
            .filter(|v| v.len() > 3)
            .collect();
        check_diagnosis_privacy(&mut app, &personal);
    }
    // The positive control: a diagnosis that does name a personal value with privacy off.
    let mut app = demo_app();
    let Cmd::Lookup { id, .. } = app.start_lookup("jo.doe@example.com", LookupMode::Auto) else {
        unreachable!()
    };
    let found = Found {
        user: federated_user(),
        resolution: Resolution {
            matched_by: MatchedBy::Username,
            via: Via::AdminGetUser,
            calls: 1,
        },
    };
    let result = Ok(LookupOutcome::Found(Box::new(found)));
    update(&mut app, Msg::LookupDone { id, result });
    assert!(
        check_diagnosis_privacy(&mut app, &["jo.doe@example.com", "jo.doe"]),
        "with privacy off the federated user's diagnosis names the provider:\n{:?}",
        diagnosis_texts(&app)
    );
}

#[test]
fn d_loads_the_history_once_and_completes_the_diagnosis() {
    let mut app = demo_app();
    assert!(send(&mut app, [ch('d')]).is_empty(), "no user yet");
    assert!(app.notice().unwrap().contains("look a user up first"));

    look_up(&mut app, "alice");
    let before = app.diagnosis().unwrap();
    assert_eq!(before.can_sign_in, None, "history not loaded: unsure");
    assert!(
        app.rows(Pane::Status)[0]
            .value
            .contains("d loads the sign-in history")
    );

    let cmds = load_history(&mut app);
    assert!(
        matches!(
            cmds.as_slice(),
            [Cmd::FetchList {
                list: cognito_tui::app::ListKind::SignIns,
                ..
            }]
        ),
        "{cmds:?}"
    );
    assert!(matches!(app.lists().sign_ins, ListState::Loaded(_)));
    let after = app.diagnosis().unwrap();
    assert_ne!(after.can_sign_in, None, "history loaded: {after:?}");
    assert_eq!(after.skipped().count(), 0, "{:?}", after.not_checked);
    assert_eq!(app.focus(), Pane::Attributes, "d does not move the focus");

    // Loaded once: `d` again asks nothing.
    assert!(send(&mut app, [ch('d')]).is_empty());
    assert!(app.notice().unwrap().contains("already loaded"));
}

#[test]
fn without_pool_settings_the_diagnosis_says_what_it_could_not_check() {
    let mut app = demo_app();
    let pool = app.pool_name().to_string();
    let refused = cognito_tui::cognito::CognitoError::new(
        cognito_tui::cognito::ErrorKind::AccessDenied,
        "DescribeUserPool",
        "not allowed",
    );
    update(
        &mut app,
        Msg::PoolDescribed {
            pool,
            result: Err(refused),
        },
    );
    look_up(&mut app, "alice");
    let rows = app.rows(Pane::Status);
    assert!(
        rows.iter().any(|r| r
            .note
            .as_ref()
            .is_some_and(|n| n.0 == "pool_settings_unavailable · P5")),
        "{rows:#?}"
    );
    // Before DescribeUserPool answers the pane says it is reading, and no section is shown.
    let mut fresh = App::new("us-east-1_DemoPool1", crate::common::app::demo());
    let session = app.session().cloned().expect("connected");
    update(&mut fresh, Msg::Connected(session));
    // The same user found again, before the pool's description has come.
    let found = app.user().expect("a user").found.clone();
    let lookup = fresh.start_lookup(&found.user.username, LookupMode::Username);
    let Cmd::Lookup { id, .. } = lookup else {
        panic!("{lookup:?}")
    };
    let result = Ok(cognito_tui::cognito::lookup::LookupOutcome::Found(
        Box::new(found),
    ));
    update(&mut fresh, Msg::LookupDone { id, result });
    let rows = fresh.rows(Pane::Status);
    assert!(
        rows[0].value.contains("reading the pool's settings"),
        "{:?}",
        rows[0]
    );
    assert!(!rows.iter().any(|r| r.value.starts_with("── Diagnosis")));
}

/// The Sign-ins pane of a pool whose description says threat protection is off asks
/// nothing (AdminListUserAuthEvents would only refuse) and says why, as `d` does; with
/// threat protection on, opening it fetches the history (the control).
#[test]
fn the_sign_ins_pane_asks_nothing_of_a_pool_without_threat_protection() {
    let open_sign_ins = |mode: &str| {
        let mut app = demo_app();
        let pool = app.pool_name().to_string();
        let schema = cognito_tui::cognito::PoolSchema {
            advanced_security_mode: Some(mode.into()),
            ..Default::default()
        };
        update(
            &mut app,
            Msg::PoolDescribed {
                pool,
                result: Ok(schema),
            },
        );
        look_up(&mut app, "alice");
        let cmds = send(&mut app, [ch('6')]);
        (app, cmds)
    };
    let (app, cmds) = open_sign_ins("OFF");
    assert!(cmds.is_empty(), "{cmds:?}");
    match &app.lists().sign_ins {
        ListState::Unavailable(note) => assert!(note.contains("no threat protection"), "{note}"),
        other => panic!("{other:?}"),
    }
    let (_, cmds) = open_sign_ins("AUDIT");
    assert!(
        matches!(
            cmds.as_slice(),
            [Cmd::FetchList {
                list: cognito_tui::app::ListKind::SignIns,
                ..
            }]
        ),
        "{cmds:?}"
    );
}
