//! Snapshots of the rendered screen on ratatui's TestBackend. Users come from real lookups
//! on the embedded demo pool; the clock and the time zone are fixed so the snapshots do not
//! depend on when or where they run.

use cognito_tui::app::{App, Cmd, Msg, Settings, update};
use cognito_tui::cognito::demo::DemoBackend;
use cognito_tui::cognito::lookup::{self, LookupError, LookupMode};
use cognito_tui::cognito::{CognitoError, ErrorKind};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use crate::common::app::{
    buffer, demo_app_with, demo_lookup, key, pinned, pinned_demo_app as demo_app, screen, send,
    serve, typed,
};

/// The first frame: before the worker has connected.
fn fresh_app() -> App {
    App::new("us-east-1_DemoPool1", pinned())
}

/// Starts a lookup and answers it with `result`.
fn answer_with(app: &mut App, query: &str, result: Result<lookup::LookupOutcome, LookupError>) {
    let Cmd::Lookup { id, .. } = app.start_lookup(query, LookupMode::Auto) else {
        unreachable!()
    };
    update(app, Msg::LookupDone { id, result });
}

/// Looks `query` up in the demo pool the way the worker does.
fn look_up(app: &mut App, query: &str, mode: LookupMode) {
    let Cmd::Lookup { id, .. } = app.start_lookup(query, mode) else {
        unreachable!()
    };
    let result = demo_lookup(query, mode, true);
    update(app, Msg::LookupDone { id, result });
}

fn app_with(query: &str) -> App {
    started_with(pinned(), query)
}

/// `query` looked up in an app started with `settings`.
fn started_with(settings: Settings, query: &str) -> App {
    let mut app = demo_app_with(settings);
    look_up(&mut app, query, LookupMode::Auto);
    assert!(app.error().is_none(), "{query}: {:?}", app.error());
    app
}

macro_rules! snap {
    ($name:expr, $app:expr) => {
        snap!($name, $app, 80, 24)
    };
    ($name:expr, $app:expr, $w:expr, $h:expr) => {
        insta::assert_snapshot!($name, screen(&$app, $w, $h))
    };
}

#[test]
fn empty_start_before_and_after_connecting() {
    snap!("start_connecting", fresh_app());
    snap!("start_connected", demo_app());
}

#[test]
fn loading_shows_the_spinner_and_keeps_the_previous_user() {
    let mut app = demo_app();
    send(&mut app, typed("/alice"));
    snap!("lookup_bar_typing", app);
    send(&mut app, [key(KeyCode::Enter), Msg::Tick, Msg::Tick]);
    snap!("loading_empty", app);
    let mut app = app_with("bob");
    send(&mut app, typed("r"));
    snap!("loading_refresh", app);
}

#[test]
fn each_user_status() {
    for (name, query) in [
        ("status_confirmed_mfa_totp", "alice"),
        ("status_unconfirmed", "carol"),
        ("status_force_change_password", "dave"),
        ("status_reset_required_mfa_email", "erin"),
        ("status_compromised", "frank"),
        ("status_archived_disabled", "grace"),
        ("status_unknown", "heidi"),
        (
            "status_external_provider_identities",
            "google_104893221457820364112",
        ),
        ("status_confirmed_disabled", "judy"),
    ] {
        snap!(name, app_with(query));
    }
}

#[test]
fn mfa_variants() {
    snap!("mfa_none", app_with("omar.haddad"));
    snap!("mfa_sms_with_legacy_options", app_with("bob"));
    snap!("mfa_sms_and_totp", app_with("kenji.tanaka"));
}

#[test]
fn found_through_list_users() {
    // bob's phone is not an alias in the demo pool: AdminGetUser misses, ListUsers finds.
    snap!("found_by_phone_via_list_users", app_with("+15550100002"));
}

#[test]
fn ambiguous_picker() {
    let mut app = demo_app();
    look_up(&mut app, "shared@acme.example", LookupMode::Auto);
    send(&mut app, typed("j"));
    snap!("ambiguous_picker", app);
}

fn cognito_error(kind: ErrorKind, exception: Option<&str>, message: &str) -> LookupError {
    let mut e = CognitoError::new(kind, "AdminGetUser", message);
    if let Some(x) = exception {
        e = e.with_exception(x);
    }
    if kind == ErrorKind::Timeout {
        e.timeout = Some(std::time::Duration::from_secs(20));
    }
    LookupError::Cognito(e)
}

#[test]
fn each_error_kind() {
    let mut app = demo_app();
    look_up(&mut app, "nobody", LookupMode::Auto);
    snap!("error_user_not_found", app);
    let mut app = demo_app();
    look_up(&mut app, &"x".repeat(200), LookupMode::Auto);
    snap!("error_refused_locally", app);
    for (name, kind, exception, message) in [
        (
            "error_pool_not_found",
            ErrorKind::PoolNotFound,
            Some("ResourceNotFoundException"),
            "User pool us-east-1_DemoPool1 does not exist.",
        ),
        (
            "error_invalid_parameter",
            ErrorKind::InvalidParameter,
            Some("InvalidParameterException"),
            "1 validation error detected: Value at 'username' failed to satisfy constraint",
        ),
        (
            "error_throttled",
            ErrorKind::Throttled,
            Some("TooManyRequestsException"),
            "Rate exceeded",
        ),
        (
            "error_not_authorized",
            ErrorKind::NotAuthorized,
            Some("NotAuthorizedException"),
            "User is not authorized to perform this operation",
        ),
        (
            "error_access_denied",
            ErrorKind::AccessDenied,
            Some("AccessDeniedException"),
            "User: arn:aws:sts::123456789012:assumed-role/support/jo is not authorized to perform: cognito-idp:AdminGetUser",
        ),
        (
            "error_credentials",
            ErrorKind::Credentials,
            Some("UnrecognizedClientException"),
            "The security token included in the request is invalid.",
        ),
        (
            "error_internal",
            ErrorKind::Internal,
            Some("InternalErrorException"),
            "Internal server error",
        ),
        (
            "error_timeout",
            ErrorKind::Timeout,
            None,
            "no response within 20 s",
        ),
        (
            "error_network",
            ErrorKind::Network,
            None,
            "dns error: failed to lookup address information",
        ),
        (
            "error_unsupported",
            ErrorKind::Unsupported,
            None,
            "AdminGetUser is not implemented",
        ),
        (
            "error_other",
            ErrorKind::Other,
            Some("SomethingNewException"),
            "something unexpected",
        ),
    ] {
        let mut app = demo_app();
        answer_with(
            &mut app,
            "alice",
            Err(cognito_error(kind, exception, message)),
        );
        snap!(name, app);
    }
    // Over a loaded user, the error is a popup and the user stays underneath.
    let mut app = app_with("alice");
    answer_with(
        &mut app,
        "bob",
        Err(cognito_error(
            ErrorKind::Throttled,
            Some("TooManyRequestsException"),
            "Rate exceeded",
        )),
    );
    snap!("error_over_loaded_user", app);
}

#[test]
fn hostile_values_are_drawn_as_visible_escapes() {
    let mut app = app_with("mallory");
    snap!("hostile_mallory", app, 100, 30);
    // Nothing drawn holds a control, bidi or zero-width character.
    let buf = buffer(&app, 100, 30);
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(cognito_tui::sanitize::is_unsafe),
            "unsafe cell {:?}",
            cell.symbol()
        );
    }
    // The full value of the hyperlink attribute, in the detail popup.
    let link = app
        .rows(cognito_tui::app::Pane::Attributes)
        .iter()
        .position(|r| r.label == "custom:link")
        .unwrap();
    send(&mut app, std::iter::repeat_n(key(KeyCode::Char('j')), link));
    send(&mut app, [key(KeyCode::Enter)]);
    snap!("hostile_mallory_detail", app);
}

#[test]
fn long_and_unicode_values() {
    let mut app = app_with("victor");
    snap!("long_value_truncated", app);
    let bio = app
        .rows(cognito_tui::app::Pane::Attributes)
        .iter()
        .position(|r| r.label == "custom:bio")
        .unwrap();
    send(&mut app, std::iter::repeat_n(key(KeyCode::Char('j')), bio));
    send(&mut app, [key(KeyCode::Enter)]);
    snap!("long_value_detail", app);
    snap!("unicode_cjk", app_with("李雷"));
    snap!("unicode_multiline_address", app_with("zoë.müller"));
}

#[test]
fn help_overlay() {
    let mut app = demo_app();
    send(&mut app, typed("?"));
    snap!("help_80x24", app);
    snap!("help_120x40", app, 120, 40);
    send(&mut app, typed("jjjjjjjjjjjjjjjjjjjj"));
    snap!("help_scrolled", app);
}

#[test]
fn sizes() {
    let app = app_with("alice");
    snap!("alice_120x40", app, 120, 40);
    snap!("alice_minimum_60x16", app, 60, 16);
    snap!("too_small_59x16", app, 59, 16);
    snap!("too_small_80x15", app, 80, 15);
}

#[test]
fn no_size_panics() {
    let mut apps = vec![fresh_app(), app_with("mallory"), app_with("victor")];
    let mut picker = demo_app();
    look_up(&mut picker, "shared@acme.example", LookupMode::Auto);
    apps.push(picker);
    let mut help = app_with("alice");
    send(&mut help, typed("?"));
    apps.push(help);
    let mut error = app_with("alice");
    answer_with(
        &mut error,
        "x",
        Err(cognito_error(ErrorKind::Network, None, "refused")),
    );
    apps.push(error);
    let mut typing = app_with("alice");
    send(
        &mut typing,
        typed(&format!("/{}", "long query ".repeat(20))),
    );
    apps.push(typing);
    for app in &apps {
        for w in (0..=130).step_by(3).chain([1, 2, 59, 60, 80]) {
            for h in (0..=45).step_by(2).chain([1, 15, 16, 24]) {
                buffer(app, w, h);
            }
        }
    }
}

#[test]
fn attribute_filter_and_recent_lookups() {
    let mut app = app_with("alice");
    send(&mut app, typed("fphone"));
    snap!("attribute_filter_typing", app);
    let mut app = demo_app();
    for q in ["alice", "bob", "kenji.tanaka", "judy", "mallory"] {
        look_up(&mut app, q, LookupMode::Auto);
    }
    send(&mut app, typed("h"));
    send(&mut app, typed("ac"));
    snap!("recent_lookups_filtered", app);
}

#[test]
fn no_color_draws_no_colour_but_keeps_the_selection_visible() {
    let app = app_with("dave");
    let coloured = |buf: &Buffer| {
        buf.content()
            .iter()
            .any(|c| c.fg != Color::Reset || c.bg != Color::Reset)
    };
    assert!(coloured(&buffer(&app, 80, 24)));
    let no_color = Settings {
        color: false,
        ..pinned()
    };
    let buf = buffer(&started_with(no_color, "dave"), 80, 24);
    assert!(!coloured(&buf), "NO_COLOR: every cell in default colours");
    assert!(
        buf.content()
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED)),
        "the selection is shown in reverse video"
    );
    // 16-colour safe: only the 8 basic ANSI colours (and their bright black) are used.
    for cell in buffer(&app, 80, 24).content() {
        for c in [cell.fg, cell.bg] {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{c:?} needs more than 16 colours"
            );
        }
    }
}

/// Opens list pane `digit` and answers its fetch from the demo pool.
fn open_list(app: &mut App, digit: char) {
    for cmd in send(app, typed(&digit.to_string())) {
        if matches!(cmd, Cmd::FetchList { .. }) {
            serve(app, &cmd);
        }
    }
}

#[test]
fn list_panes() {
    let mut app = app_with("alice");
    send(&mut app, typed("4"));
    snap!("groups_loading", app);
    let mut app = app_with("alice");
    open_list(&mut app, '4');
    snap!("groups_alice", app);
    open_list(&mut app, '5');
    snap!("devices_alice", app);
    open_list(&mut app, '6');
    snap!("sign_ins_alice", app);
    snap!("sign_ins_alice_120x40", app, 120, 40);
    let mut app = app_with("frank");
    open_list(&mut app, '6');
    snap!("sign_ins_frank_high_risk", app);
    open_list(&mut app, '4');
    snap!("groups_none", app);
    // Hostile device names are escaped like everything else.
    let mut app = app_with("mallory");
    open_list(&mut app, '5');
    snap!("devices_hostile", app);
}

#[test]
fn list_pane_notices() {
    let mut app = app_with("alice");
    let cmds = send(&mut app, typed("6"));
    let Cmd::FetchList { id, .. } = cmds[0] else {
        unreachable!()
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
    snap!("sign_ins_needs_threat_protection", app);
    let cmds = send(&mut app, typed("5"));
    let Cmd::FetchList { id, .. } = cmds[0] else {
        unreachable!()
    };
    let unsupported = CognitoError::new(
        ErrorKind::Unsupported,
        "AdminListDevices",
        "AdminListDevices is not implemented",
    );
    update(
        &mut app,
        Msg::ListDone {
            id,
            result: Err(unsupported),
        },
    );
    snap!("devices_unsupported_emulator", app);
    let cmds = send(&mut app, typed("4"));
    let Cmd::FetchList { id, .. } = cmds[0] else {
        unreachable!()
    };
    let denied = CognitoError::new(
        ErrorKind::AccessDenied,
        "AdminListGroupsForUser",
        "not authorized to perform: cognito-idp:AdminListGroupsForUser",
    )
    .with_exception("AccessDeniedException");
    update(
        &mut app,
        Msg::ListDone {
            id,
            result: Err(denied),
        },
    );
    snap!("groups_access_denied", app);
}

fn writable(query: &str) -> App {
    let mut app = demo_app_with(Settings {
        allow_write: true,
        ..pinned()
    });
    look_up(&mut app, query, LookupMode::Auto);
    app
}

#[test]
fn write_actions_menu_and_confirmations() {
    let mut app = writable("alice");
    snap!("writes_on_header", app);
    send(&mut app, typed("x"));
    snap!("actions_menu", app);
    send(&mut app, [key(KeyCode::Enter)]);
    snap!("confirm_disable_typed_empty", app);
    send(&mut app, typed("ali"));
    snap!("confirm_disable_typed_partial", app);
    let mut app = writable("alice");
    send(&mut app, typed("xjj"));
    send(&mut app, [key(KeyCode::Enter)]);
    snap!("confirm_global_sign_out", app);
    let mut app = writable("alice");
    send(&mut app, typed("xj"));
    send(&mut app, [key(KeyCode::Enter)]);
    snap!("confirm_reset_password", app);
    // A disabled user is offered enable instead of disable.
    let mut app = writable("judy");
    send(&mut app, typed("x"));
    send(&mut app, [key(KeyCode::Enter)]);
    snap!("confirm_enable", app);
    let mut app = writable("alice");
    send(&mut app, typed("?"));
    snap!("help_with_writes", app, 100, 60);
}

#[test]
fn privacy_mode_on_and_off() {
    let mut app = app_with("alice");
    snap!("privacy_off", app);
    send(&mut app, typed("p"));
    snap!("privacy_on", app);
    send(&mut app, typed("jv"));
    snap!("privacy_on_revealed", app);
    let mut app = private_app();
    for q in ["alice", "bob", "+15550100002"] {
        look_up(&mut app, q, LookupMode::Auto);
    }
    snap!("privacy_found_by_phone", app);
    send(&mut app, typed("h"));
    snap!("privacy_recent_lookups", app);
    let mut app = private_app();
    look_up(&mut app, "shared@acme.example", LookupMode::Auto);
    snap!("privacy_picker", app);
}

/// The demo app started in privacy mode (`--redact`).
fn private_app() -> App {
    demo_app_with(Settings {
        redact: true,
        ..pinned()
    })
}

#[test]
fn escape_hatch_popup() {
    let mut app = app_with("alice");
    send(&mut app, typed("c"));
    snap!("escape_hatch", app);
    let mut app = app_with("mallory");
    send(&mut app, typed("c"));
    snap!("escape_hatch_hostile", app, 100, 30);
}

/// The list panes, the actions menu, a confirmation and the escape hatch at every size from
/// 0×0 to 130×45: from the minimum (60×16) up, each screen's box is whole (title, four
/// corners, four edges); below it, the "too small" message instead of a broken layout.
#[test]
fn new_screens_fit_every_size() {
    let mut screens: Vec<(&str, App)> = Vec::new();
    for (digit, title) in [('4', "4 Groups"), ('5', "5 Devices"), ('6', "6 Sign-ins")] {
        let mut app = app_with("alice");
        open_list(&mut app, digit);
        screens.push((title, app));
    }
    let mut menu = writable("alice");
    send(&mut menu, typed("x"));
    screens.push(("Actions on alice in us-east-1_DemoPool1", menu.clone()));
    send(&mut menu, [key(KeyCode::Enter)]);
    send(&mut menu, typed("alice"));
    screens.push(("Confirm: AdminDisableUser", menu));
    let mut hatch = app_with("mallory");
    send(&mut hatch, typed("c"));
    screens.push(("Escape hatch", hatch));
    let sizes = || {
        let widths = (0..=130).step_by(7).chain([17, 18, 59, 60, 61, 80]);
        widths.flat_map(|w| {
            (0..=45)
                .step_by(3)
                .chain([1, 15, 16, 17, 24])
                .map(move |h| (w, h))
        })
    };
    let mut checked = 0;
    for (title, app) in &screens {
        for (w, h) in sizes() {
            let buf = buffer(app, w, h);
            let text = crate::common::app::text(&buf);
            if w >= cognito_tui::ui::MIN_WIDTH && h >= cognito_tui::ui::MIN_HEIGHT {
                crate::common::boxes::closed_box(&buf, title)
                    .unwrap_or_else(|problem| panic!("{w}×{h}: {problem}\n{text}"));
                checked += 1;
            } else {
                assert!(
                    !text.contains(title),
                    "{w}×{h}: {title:?} drawn below the minimum"
                );
                if w >= 18 && h >= 1 {
                    assert!(text.contains("Terminal too small"), "{w}×{h}:\n{text}");
                }
            }
        }
    }
    assert!(checked > 6 * 100, "{checked} sizes at or above the minimum");
}

/// The demo app started with the config's named `pools` (name, pool id).
fn with_named_pools(pools: &[(&str, &str)]) -> App {
    demo_app_with(Settings {
        named_pools: (pools.iter())
            .map(|(n, id)| (n.to_string(), id.to_string()))
            .collect(),
        ..pinned()
    })
}

/// `query` searched for, answered by a pool like the demo's with 70 more users whose names
/// start `al`: more than one ListUsers page (60), so the results are a sample.
fn searched_in_a_big_pool(query: &str) -> App {
    let mut pool: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/demo-pool.json")).unwrap();
    let users = pool["Users"].as_array_mut().unwrap();
    let template = users[0].clone();
    for i in 0..70 {
        let mut user = template.clone();
        user["Username"] = format!("al{i:02}").into();
        user["UserAttributes"] = serde_json::json!([
            {"Name": "sub", "Value": format!("00000000-0000-4000-8000-0000000000{i:02}")},
            {"Name": "email", "Value": format!("al{i:02}@big.example")},
        ]);
        users.push(user);
    }
    let backend = DemoBackend::from_json(&pool.to_string()).unwrap();
    let mut app = demo_app();
    send(&mut app, typed("t"));
    let cmds = send(&mut app, typed(query));
    let Some(Cmd::Search { id, query, .. }) = cmds.last() else {
        panic!("{cmds:?}")
    };
    let results = futures::executor::block_on(cognito_tui::search::search(
        &backend,
        &backend.pool_id(),
        query,
        None,
    ));
    assert!(results.more, "more than a page: {results:?}");
    update(&mut app, Msg::SearchDone { id: *id, results });
    app
}

fn searched(query: &str) -> App {
    let mut app = demo_app();
    send(&mut app, typed("t"));
    let cmds = send(&mut app, typed(query));
    serve(&mut app, cmds.last().unwrap());
    app
}

#[test]
fn finders() {
    snap!("search_results", searched("al"));
    snap!("search_empty", searched("zzz"));
    snap!("search_refine", searched_in_a_big_pool("al"));

    let mut browse = demo_app();
    let cmds = send(&mut browse, typed("b"));
    serve(&mut browse, &cmds[0]);
    snap!("browse_list", browse);
    send(&mut browse, typed("acme"));
    snap!("browse_filtered", browse);
    let mut private = private_app();
    let cmds = send(&mut private, typed("b"));
    serve(&mut private, &cmds[0]);
    send(&mut private, typed("acme"));
    snap!("browse_privacy", private);

    let mut loading = demo_app();
    let cmds = send(&mut loading, typed("L"));
    let Cmd::LoadAll { id, .. } = cmds[0] else {
        panic!()
    };
    serve(
        &mut loading,
        &Cmd::BrowsePage {
            id,
            token: None,
            filter: None,
        },
    );
    snap!("browse_loading_all", loading);

    let mut pools = with_named_pools(&[("prod", "eu-west-1_AbC123")]);
    let cmds = send(&mut pools, typed("P"));
    serve(&mut pools, &cmds[0]);
    snap!("pool_picker", pools);
    send(&mut pools, typed("prod"));
    snap!("pool_picker_filtered", pools);

    // Names wider than their cells (CJK) and longer than their column keep the ids aligned.
    let mut wide = with_named_pools(&[
        ("本番 (東京)", "ap-northeast-1_JpPool1"),
        (
            "a pool name much longer than its column",
            "eu-west-1_AbC123",
        ),
    ]);
    let cmds = send(&mut wide, typed("P"));
    serve(&mut wide, &cmds[0]);
    snap!("pool_picker_wide_names", wide);

    let mut throttled = demo_app();
    // The worker's word when the limiter holds requests back.
    update(
        &mut throttled,
        Msg::Throttle(Some(cognito_tui::app::Throttle {
            queued: 3,
            backing_off: false,
            category: Some("user_list"),
        })),
    );
    snap!("throttled", throttled);
}

/// At 80 columns every column of the browse list starts at the same display column on every
/// row, wide (CJK) characters or not, and the "n/N" counter leaves the header whole.
#[test]
fn finder_columns_line_up_by_display_width() {
    use unicode_width::UnicodeWidthStr;
    let mut browse = demo_app();
    let cmds = send(&mut browse, typed("b"));
    serve(&mut browse, &cmds[0]);
    let text = screen(&browse, 80, 24);
    let lines: Vec<&str> = text.lines().collect();
    let column = |line: &str, needle: &str| line.find(needle).map(|i| line[..i].width());
    let header = lines.iter().find(|l| l.contains("Username")).unwrap();
    assert!(header.contains("Enabled"), "{text}");
    let row = lines.iter().find(|l| l.contains("李雷")).unwrap();
    assert_eq!(column(row, "lilei@"), column(header, "Email"), "{text}");
    assert_eq!(column(row, "CONFIRMED"), column(header, "Status"), "{text}");
    assert_eq!(column(row, "yes"), column(header, "Enabled"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with('┗') && l.contains(" 1/30 ")),
        "{text}"
    );
}

/// Text snapshots can't show styling: check the fuzzy-match highlights cell by cell.
#[test]
fn search_results_highlight_the_matched_characters() {
    use ratatui::style::Modifier;
    let app = searched("al");
    let buf = buffer(&app, 80, 24);
    let cells = |y: u16| -> Vec<String> {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect()
    };
    let row = (0..buf.area.height)
        .find(|&y| cells(y).concat().contains("alice@acme.example"))
        .expect("alice's row");
    let line = cells(row);
    let start = (0..line.len() - 5)
        .find(|&x| line[x..x + 5].concat() == "alice")
        .expect("alice in the username column") as u16;
    let marked = |x: u16| buf[(x, row)].modifier.contains(Modifier::UNDERLINED);
    let mods: Vec<String> = (start..start + 5)
        .map(|x| format!("{:?}", buf[(x, row)].modifier))
        .collect();
    assert!(marked(start) && marked(start + 1), "'a' and 'l': {mods:?}");
    assert!(!marked(start + 2), "'i' is not part of the match: {mods:?}");
}

/// Keys rebound in the config's `[keys]` are the keys every screen names: the first screen,
/// the error popup, the all-pools popup and the too-small screen say the new key, never the
/// default (which the same screens say without the overrides).
#[test]
fn rebound_keys_show_their_new_names_on_every_screen() {
    let rebound = crate::common::app::keymap_with(&[
        ("quit", "ctrl-q"),
        ("lookup", "ctrl-o"),
        ("lookup_username", "U"),
        ("recent", "R"),
        ("help", "H"),
        ("all_pools", "W"),
    ]);
    let screens = |settings: Settings, rebound_all_pools: bool| {
        let mut app = demo_app_with(settings);
        let welcome = screen(&app, 100, 30);
        let too_small = screen(&app, 30, 6);
        answer_with(
            &mut app,
            "nobody",
            demo_lookup("nobody", LookupMode::Auto, true),
        );
        let error = screen(&app, 100, 30);
        send(&mut app, [key(KeyCode::Esc)]);
        // No named pools: the popup says how to name them, and which key asks them all.
        let all_pools = if rebound_all_pools { "W" } else { "A" };
        send(&mut app, typed(all_pools));
        let all_pools = screen(&app, 100, 30);
        [welcome, too_small, error, all_pools].join("\n")
    };
    let defaults = screens(pinned(), false);
    let new = screens(
        Settings {
            keymap: rebound,
            ..pinned()
        },
        true,
    );
    for (default, rebound) in [
        ("  /  look up a user", "Ctrl-O  look up a user"),
        ("  u  by username only", "  U  by username only"),
        ("  h  recent lookups", "  R  recent lookups"),
        ("  ?  every key binding", "  H  every key binding"),
        ("  q  quit", "Ctrl-Q  quit"),
        (
            "  A  which pool is a user in?",
            "  W  which pool is a user in?",
        ),
        ("q quits", "Ctrl-Q quits"),
        ("/ looks up another user", "Ctrl-O looks up another user"),
        ("then A looks a user up", "then W looks a user up"),
    ] {
        assert!(defaults.contains(default), "{default:?} in\n{defaults}");
        assert!(!defaults.contains(rebound), "{rebound:?} in\n{defaults}");
        assert!(new.contains(rebound), "{rebound:?} in\n{new}");
        assert!(!new.contains(default), "{default:?} in\n{new}");
    }
}
