//! Privacy mode in every pane and popup of the TUI: a user whose username is an email address
//! and who carries every standard personal attribute, devices and sign-in context, drawn on
//! ratatui's TestBackend with privacy on. Each screen is snapshotted, and each is checked to
//! hold none of the user's personal values; copies and the escape hatch too.

use cognito_tui::app::{App, Cmd, Msg, Settings, update};
use cognito_tui::cognito::listing::{Fetched, Listing};
use cognito_tui::cognito::lookup::{
    Ambiguous, Found, LookupError, LookupMode, LookupOutcome, MatchedBy, Resolution, Via,
};
use cognito_tui::cognito::{
    Attribute, AuthEvent, CognitoError, Device, ErrorKind, FilterAttribute, ListFilter, User,
    UserStatus, UserSummary,
};
use crossterm::event::KeyCode;
use time::macros::datetime;

use crate::common::app::{connect, key, screen, send, typed};

const USERNAME: &str = "jo.doe@example.com";

/// Every personal value of the fixture; none may be drawn or copied in privacy mode.
const PERSONAL: [&str; 20] = [
    "jo.doe@example.com",
    "jo.doe",
    "+351912345678",
    "Josephine",
    "Doe-Silva",
    "nonbinary-x",
    "1988-04-12",
    "pt-BR",
    "Europe/Lisbon",
    "Rua Augusta",
    "pics.example",
    "jo-doe.example",
    "tenant-lisbon-7",
    "Pixel 8 of Jo",
    "198.51.100.23",
    "203.0.113.77",
    "Lisbon",
    "Portugal",
    "Chrome 120",
    "ann.other@example.com",
];

fn attributes() -> Vec<Attribute> {
    [
        ("sub", "7d1e6c2a-4b3f-4e8d-9a10-5c2b7e4f9a31"),
        ("email", USERNAME),
        ("email_verified", "true"),
        ("phone_number", "+351912345678"),
        ("phone_number_verified", "true"),
        ("given_name", "Josephine"),
        ("family_name", "Doe-Silva"),
        ("gender", "nonbinary-x"),
        ("birthdate", "1988-04-12"),
        ("locale", "pt-BR"),
        ("zoneinfo", "Europe/Lisbon"),
        ("address", "12 Rua Augusta"),
        ("picture", "https://pics.example/jo.png"),
        ("website", "https://jo-doe.example"),
        ("custom:tenant", "tenant-lisbon-7"),
    ]
    .into_iter()
    .map(|(n, v)| Attribute::new(n, v))
    .collect()
}

fn user() -> User {
    User {
        username: USERNAME.into(),
        attributes: attributes(),
        created: Some(datetime!(2024-03-01 10:00:00 UTC)),
        last_modified: Some(datetime!(2025-12-01 10:00:00 UTC)),
        enabled: true,
        status: Some(UserStatus::Confirmed),
        mfa_options: None,
        preferred_mfa: None,
        mfa_settings: None,
    }
}

fn app() -> App {
    let settings = Settings {
        allow_write: true,
        redact: true,
        ..crate::common::app::pinned()
    };
    let mut app = App::new("us-east-1_DemoPool1", settings);
    connect(&mut app);
    app
}

/// Starts a lookup of `query` and answers it with `result`.
fn answer(app: &mut App, query: &str, result: Result<LookupOutcome, LookupError>) {
    let Cmd::Lookup { id, .. } = app.start_lookup(query, LookupMode::Auto) else {
        unreachable!()
    };
    update(app, Msg::LookupDone { id, result });
}

fn found(app: &mut App) {
    let found = Found {
        user: user(),
        resolution: Resolution {
            matched_by: MatchedBy::Username,
            via: Via::AdminGetUser,
            calls: 1,
        },
    };
    answer(app, USERNAME, Ok(LookupOutcome::Found(Box::new(found))));
}

/// Opens list pane `digit` and answers its fetch with `listing`.
fn open_list(app: &mut App, digit: char, listing: Listing) {
    for cmd in send(app, typed(&digit.to_string())) {
        if let Cmd::FetchList { id, .. } = cmd {
            let result = Ok(Fetched {
                listing: listing.clone(),
                more: false,
            });
            update(app, Msg::ListDone { id, result });
        }
    }
}

fn devices() -> Listing {
    Listing::Devices(vec![Device {
        key: "us-east-1_0f1e2d3c-dev".into(),
        attributes: vec![
            Attribute::new("device_name", "Pixel 8 of Jo"),
            Attribute::new("last_ip_used", "198.51.100.23"),
            Attribute::new("dev:device_remembered_status", "remembered"),
        ],
        created: Some(datetime!(2025-01-01 09:00:00 UTC)),
        last_modified: None,
        last_authenticated: Some(datetime!(2026-01-14 09:00:00 UTC)),
    }])
}

fn sign_ins() -> Listing {
    Listing::SignIns(vec![AuthEvent {
        id: Some("ev-1".into()),
        event_type: Some("SignIn".into()),
        created: Some(datetime!(2026-01-14 09:00:00 UTC)),
        response: Some("Pass".into()),
        risk_level: Some("Low".into()),
        risk_decision: Some("NoRisk".into()),
        ip_address: Some("203.0.113.77".into()),
        city: Some("Lisbon".into()),
        country: Some("Portugal".into()),
        device_name: Some("Chrome 120, Linux".into()),
        ..AuthEvent::default()
    }])
}

fn assert_private(what: &str, text: &str) {
    for value in PERSONAL {
        assert!(!text.contains(value), "{what}: {value:?} shown\n{text}");
    }
}

/// Snapshots the screen and checks that no personal value is on it.
macro_rules! private_snap {
    ($name:expr, $app:expr) => {
        private_snap!($name, $app, 120, 32)
    };
    ($name:expr, $app:expr, $w:expr, $h:expr) => {{
        let text = screen(&$app, $w, $h);
        assert_private($name, &text);
        insta::assert_snapshot!($name, text);
    }};
}

#[test]
fn every_pane_masks_personal_values() {
    let mut app = app();
    found(&mut app);
    private_snap!("privacy_attributes_and_status", app);
    send(&mut app, typed("1"));
    private_snap!("privacy_status_pane", app);
    // An empty list names the user.
    open_list(&mut app, '4', Listing::Groups(Vec::new()));
    private_snap!("privacy_no_groups", app);
    open_list(&mut app, '5', devices());
    private_snap!("privacy_devices", app);
    send(&mut app, [key(KeyCode::Enter)]);
    private_snap!("privacy_device_detail", app);
    send(&mut app, [key(KeyCode::Esc)]);
    open_list(&mut app, '6', sign_ins());
    private_snap!("privacy_sign_ins", app);
    send(&mut app, [key(KeyCode::Enter)]);
    private_snap!("privacy_sign_in_detail", app);
    // The same screens with privacy off do show the values (the fixture is real).
    send(&mut app, [key(KeyCode::Esc)]);
    send(&mut app, typed("p"));
    assert!(screen(&app, 120, 32).contains("Lisbon"));
}

/// The texts `cmds` would copy to the clipboard.
fn copies(cmds: Vec<Cmd>) -> Vec<String> {
    cmds.into_iter()
        .filter_map(|cmd| match cmd {
            Cmd::Copy(text) => Some(text),
            _ => None,
        })
        .collect()
}

/// Presses `y` on every row of the Attributes pane: what each press copies (one copy per
/// row, asserted) and the screen after it (its notice says what was copied).
fn copy_every_attribute(app: &mut App) -> Vec<(String, String)> {
    send(app, typed("2"));
    let rows = app.rows(cognito_tui::app::Pane::Attributes).len();
    assert!(rows >= 10, "{rows} rows");
    let mut out = Vec::new();
    for row in 0..rows {
        let copied = copies(send(app, typed("y")));
        assert_eq!(copied.len(), 1, "row {row}: `y` copies once: {copied:?}");
        out.push((copied[0].clone(), screen(app, 120, 32)));
        send(app, typed("j"));
    }
    out
}

#[test]
fn copies_notices_and_the_escape_hatch_are_masked() {
    // Privacy off first: the copies really carry the values (so their absence means something).
    let mut plain = app();
    send(&mut plain, typed("p"));
    found(&mut plain);
    let plain_copies: String = copy_every_attribute(&mut plain)
        .into_iter()
        .map(|(copy, _)| copy + "\n")
        .collect();
    for value in [
        "jo.doe@example.com",
        "+351912345678",
        "Josephine",
        "tenant-lisbon-7",
    ] {
        assert!(
            plain_copies.contains(value),
            "{value} not copied: {plain_copies}"
        );
    }

    let mut app = app();
    found(&mut app);
    // Every attribute row: what `y` copies and the notice that says so.
    for (copy, screen) in copy_every_attribute(&mut app) {
        assert_private("copy", &copy);
        assert_private("notice", &screen);
    }
    send(&mut app, typed("1"));
    let username = copies(send(&mut app, typed("y")));
    assert_eq!(
        username.len(),
        1,
        "`y` on the status pane copies: {username:?}"
    );
    assert_private("copied username", &username[0]);
    let hatch = copies(send(&mut app, typed("c")));
    assert!(!hatch.is_empty(), "`c` copies the escape hatch's command");
    for text in &hatch {
        assert_private("escape hatch copy", text);
    }
    private_snap!("privacy_escape_hatch", app);
    send(&mut app, [key(KeyCode::Esc)]);
    send(&mut app, typed("x"));
    private_snap!("privacy_actions_menu", app);
    send(&mut app, typed("j"));
    send(&mut app, [key(KeyCode::Enter)]);
    send(&mut app, typed("jo.doe@ex"));
    private_snap!("privacy_confirm", app);
    // The group pickers name the user.
    send(&mut app, [key(KeyCode::Esc)]);
    send(&mut app, typed("x"));
    send(&mut app, typed("jjj"));
    send(&mut app, [key(KeyCode::Enter)]);
    private_snap!("privacy_group_picker", app);
    // Deleting asks for the username and the pool's last characters: the phrase is masked.
    send(&mut app, [key(KeyCode::Esc)]);
    send(&mut app, typed("x"));
    send(&mut app, typed("jjjjj"));
    send(&mut app, [key(KeyCode::Enter)]);
    send(&mut app, typed("jo.doe@example.com oPool1"));
    private_snap!("privacy_confirm_delete", app);
}

#[test]
fn popups_and_lists_mask_the_query() {
    let mut app = app();
    answer(
        &mut app,
        "ann.other@example.com",
        Err(LookupError::NotFound {
            pool: "us-east-1_DemoPool1".into(),
            query: "ann.other@example.com".into(),
            tried: vec![
                "AdminGetUser ann.other@example.com".into(),
                "ListUsers email = \"ann.other@example.com\"".into(),
            ],
            calls: 2,
            suggestions: Vec::new(),
        }),
    );
    private_snap!("privacy_not_found", app);
    send(&mut app, [key(KeyCode::Esc)]);
    let mut e = CognitoError::new(
        ErrorKind::InvalidParameter,
        "AdminGetUser",
        "1 validation error detected: Value 'ann.other@example.com' at 'username' failed",
    );
    e.exception = Some("InvalidParameterException".into());
    answer(
        &mut app,
        "ann.other@example.com",
        Err(LookupError::Cognito(e)),
    );
    private_snap!("privacy_cognito_error", app);
    send(&mut app, [key(KeyCode::Esc)]);

    let summary = |username: &str| UserSummary {
        username: username.into(),
        attributes: vec![Attribute::new("email", "ann.other@example.com")],
        created: None,
        last_modified: None,
        enabled: true,
        status: Some(UserStatus::Confirmed),
    };
    let ambiguous = Ambiguous {
        filter: ListFilter::exact(FilterAttribute::Email, "ann.other@example.com"),
        matches: vec![summary("ann.other@example.com"), summary("+351912345678")],
        matched_by: vec![MatchedBy::Username, MatchedBy::Email],
        more: false,
        calls: 2,
    };
    answer(
        &mut app,
        "ann.other@example.com",
        Ok(LookupOutcome::Ambiguous(ambiguous)),
    );
    private_snap!("privacy_picker_email_usernames", app);
    send(&mut app, [key(KeyCode::Esc)]);
    found(&mut app);
    send(&mut app, typed("h"));
    private_snap!("privacy_recent_email_username", app);
    // A hidden value can't be found by typing it into the filter (it would tell it away).
    send(&mut app, typed("doe@ex"));
    assert!(app.recent_matches().is_empty());
    // p (privacy off), h again, the same text.
    send(&mut app, [key(KeyCode::Esc), key(KeyCode::Char('p'))]);
    send(&mut app, typed("hdoe@ex"));
    assert_eq!(app.recent_matches().len(), 1, "privacy off: it matches");
}
