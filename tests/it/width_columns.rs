//! Columns never shift: the picker, the recent-lookups list, the browse finder and the row
//! lists lay out values holding the worst cases for display width (emoji with variation
//! selectors, ZWJ sequences, flags, combining marks, CJK, halfwidth katakana with sound
//! marks) and every column starts at the same terminal cell in every row. Positions are read
//! from ratatui's buffer, cell by cell: what a terminal shows, not what a string counts.

use cognito_tui::app::{App, Cmd, Msg, update};
use cognito_tui::cognito::lookup::{
    Ambiguous, Found, LookupMode, LookupOutcome, MatchedBy, Resolution, Via,
};
use cognito_tui::cognito::{
    Attribute, FilterAttribute, ListFilter, User, UserPage, UserStatus, UserSummary,
};
use cognito_tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::common::app::{buffer, connect, send, text, typed};

/// Usernames whose display width a char count or a char-by-char cut gets wrong.
const WORST: [&str; 8] = [
    "❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}❤\u{FE0F}",
    "👩\u{200D}💻👩\u{200D}💻 dev",
    "🇩🇪🇫🇷🇯🇵🇩🇪🇫🇷🇯🇵🇩🇪🇫🇷🇯🇵🇩🇪🇫🇷",
    "e\u{301}e\u{301}e\u{301}mile\u{301}",
    "李雷李雷李雷李雷李雷李雷李雷",
    "ｶﾞｷﾞｸﾞｹﾞｺﾞ",
    "a李b雷c李d雷e李f雷g李h雷",
    "plain.ascii",
];

fn app() -> App {
    let mut app = App::new("us-east-1_DemoPool1", crate::common::app::pinned());
    connect(&mut app);
    app
}

fn summary(username: &str) -> UserSummary {
    UserSummary {
        username: username.into(),
        attributes: vec![Attribute::new("email", format!("{username}@ex.example"))],
        created: None,
        last_modified: None,
        enabled: true,
        status: Some(UserStatus::Confirmed),
    }
}

/// A lookup's answer: `username` found by username, with `attributes`.
fn found(username: &str, attributes: Vec<Attribute>) -> LookupOutcome {
    let user = User {
        username: username.into(),
        attributes,
        created: None,
        last_modified: None,
        enabled: true,
        status: Some(UserStatus::Confirmed),
        mfa_options: None,
        preferred_mfa: None,
        mfa_settings: None,
    };
    LookupOutcome::Found(Box::new(Found {
        user,
        resolution: Resolution {
            matched_by: MatchedBy::Username,
            via: Via::AdminGetUser,
            calls: 1,
        },
    }))
}

/// Row `y` as a terminal shows it: each drawn grapheme with its cell, the cells a wide
/// grapheme covers left out.
fn visible_cells(buf: &Buffer, y: u16) -> Vec<(u16, &str)> {
    let mut out = Vec::new();
    let mut x = 0;
    while x < buf.area.width {
        let symbol = buf[(x, y)].symbol();
        out.push((x, symbol));
        x += cognito_tui::width::width(symbol).max(1) as u16;
    }
    out
}

/// The cell where `needle` (ASCII) starts on row `y`, if it is there.
fn cell_of(buf: &Buffer, y: u16, needle: &str) -> Option<u16> {
    let width = buf.area.width;
    (0..width).find(|&x| {
        needle.chars().enumerate().all(|(i, c)| {
            x + (i as u16) < width && buf[(x + i as u16, y)].symbol() == c.to_string()
        })
    })
}

/// Rows holding `needle`, with where it starts.
fn column(buf: &Buffer, needle: &str) -> Vec<(u16, u16)> {
    (0..buf.area.height)
        .filter_map(|y| cell_of(buf, y, needle).map(|x| (y, x)))
        .collect()
}

fn assert_one_column(buf: &Buffer, needle: &str, rows: usize) {
    assert_one_column_in(buf, needle, rows, |_| true);
}

/// As [`assert_one_column`], only on the rows `keep` accepts.
fn assert_one_column_in(buf: &Buffer, needle: &str, rows: usize, keep: impl Fn(u16) -> bool) {
    let found: Vec<(u16, u16)> = column(buf, needle)
        .into_iter()
        .filter(|&(y, _)| keep(y))
        .collect();
    let text = text(buf);
    assert!(found.len() >= rows, "{needle}: only {found:?}\n{text}");
    let first = found[0].1;
    assert!(
        found.iter().all(|&(_, x)| x == first),
        "{needle} shifts: {found:?}\n{text}"
    );
}

#[test]
fn picker_columns_line_up() {
    let mut app = app();
    let Cmd::Lookup { id, .. } = app.start_lookup("x@ex.example", LookupMode::Auto) else {
        unreachable!()
    };
    let ambiguous = Ambiguous {
        filter: ListFilter::exact(FilterAttribute::Email, "x@ex.example"),
        matches: WORST.iter().map(|u| summary(u)).collect(),
        matched_by: vec![MatchedBy::Email; WORST.len()],
        more: false,
        calls: 2,
    };
    let result = Ok(LookupOutcome::Ambiguous(ambiguous));
    update(&mut app, Msg::LookupDone { id, result });
    let buf = buffer(&app, 100, 30);
    assert_one_column(&buf, "CONFIRMED", WORST.len());
    assert_one_column(&buf, "enabled", WORST.len());
    insta::assert_snapshot!("picker_worst_widths", text(&buf));
}

#[test]
fn recent_lookups_line_up() {
    let mut app = app();
    for name in WORST {
        let Cmd::Lookup { id, .. } = app.start_lookup(name, LookupMode::Username) else {
            unreachable!()
        };
        let email = vec![Attribute::new("email", format!("{name}@ex.example"))];
        let result = Ok(found(name, email));
        update(&mut app, Msg::LookupDone { id, result });
    }
    send(&mut app, typed("h"));
    let buf = buffer(&app, 100, 30);
    // The popup's rows (the Status pane behind it says CONFIRMED too).
    let in_popup = |y: u16| cell_of(&buf, y, "║").is_some();
    assert_one_column_in(&buf, "CONFIRMED", WORST.len(), in_popup);
    insta::assert_snapshot!("recent_worst_widths", text(&buf));
}

#[test]
fn browse_columns_line_up_at_every_width() {
    for width in [60u16, 77, 80, 101, 120] {
        let mut app = app();
        let cmds = send(&mut app, typed("b"));
        let Some(Cmd::BrowsePage { id, .. }) = cmds.first() else {
            panic!("browse sent {cmds:?}")
        };
        let page = UserPage {
            users: WORST.iter().map(|u| summary(u)).collect(),
            next_token: None,
        };
        update(
            &mut app,
            Msg::BrowsePage {
                id: *id,
                result: Ok(page),
            },
        );
        let buf = buffer(&app, width, 24);
        assert_one_column(&buf, "CONFIRMED", WORST.len());
        assert_one_column(&buf, "yes", WORST.len());
        if width == 80 {
            insta::assert_snapshot!("browse_worst_widths", text(&buf));
        }
    }
}

#[test]
fn attribute_rows_line_up_and_stay_inside_the_pane() {
    let mut app = app();
    let Cmd::Lookup { id, .. } = app.start_lookup("plain.ascii", LookupMode::Username) else {
        unreachable!()
    };
    let mut attributes: Vec<Attribute> = WORST
        .iter()
        .enumerate()
        .map(|(i, v)| Attribute::new(format!("custom:{i}"), format!("{v}{v}{v} end")))
        .collect();
    attributes.push(Attribute::new("custom:名前", "value"));
    attributes.push(Attribute::new("custom:❤\u{FE0F}", "value"));
    update(
        &mut app,
        Msg::LookupDone {
            id,
            result: Ok(found("plain.ascii", attributes)),
        },
    );
    for width in [80u16, 97, 120] {
        let buf = buffer(&app, width, 30);
        let text = text(&buf);
        // Every value of the Attributes pane starts in one column…
        let starts: Vec<u16> = (0..buf.area.height)
            .filter(|&y| cell_of(&buf, y, "custom:").is_some())
            .map(|y| {
                let label = cell_of(&buf, y, "custom:").unwrap();
                let cells = visible_cells(&buf, y);
                cells
                    .iter()
                    .skip_while(|(x, _)| *x < label)
                    .skip_while(|(_, s)| *s != " ")
                    .find(|(_, s)| *s != " ")
                    .map_or(0, |(x, _)| *x)
            })
            .collect();
        assert!(starts.len() >= 8, "{text}");
        assert!(starts.iter().all(|&x| x == starts[0]), "{starts:?}\n{text}");
        // …every value either fits (its " end" shows) or is cut with a visible "…"…
        for y in 0..buf.area.height {
            if (0..8).any(|i| cell_of(&buf, y, &format!("custom:{i} ")).is_some()) {
                assert!(
                    cell_of(&buf, y, " end").is_some()
                        || (0..buf.area.width).any(|x| buf[(x, y)].symbol() == "…"),
                    "row {y} was cut without its ellipsis\n{text}"
                );
            }
        }
        // …and every row that was cut ends in "…" right before the pane's border.
        for y in 0..buf.area.height {
            if let Some(x) = (0..buf.area.width).find(|&x| buf[(x, y)].symbol() == "…") {
                let border = (x + 1..buf.area.width).find(|&b| buf[(b, y)].symbol() != " ");
                assert!(
                    border.is_some_and(|b| ["┃", "│"].contains(&buf[(b, y)].symbol())),
                    "row {y} cut at {x} lost its border\n{text}"
                );
            }
        }
        if width == 80 {
            insta::assert_snapshot!("attributes_worst_widths", text);
        }
    }
}

/// `get -o text` lines attribute values up in one column whatever the names hold.
#[tokio::test]
async fn get_text_lines_attribute_values_up() {
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let attributes: Vec<serde_json::Value> =
        ["custom:名前", "custom:ｶﾞｷﾞ", "custom:e\u{301}", "email"]
            .iter()
            .map(|n| serde_json::json!({"Name": n, "Value": "VALUE"}))
            .collect();
    let user = serde_json::json!({"Username": "wide", "Enabled": true,
        "UserStatus": "CONFIRMED", "UserAttributes": attributes});
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.AdminGetUser",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(user.to_string()))
        .mount(&server)
        .await;
    let url = server.uri();
    let r = tokio::task::spawn_blocking(move || {
        crate::common::cli::run_args(&[
            "get",
            "--pool",
            "eu-west-1_AbC123",
            "--endpoint-url",
            &url,
            "--by",
            "username",
            "wide",
            "-o",
            "text",
        ])
    })
    .await
    .unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let columns: Vec<usize> = r
        .stdout
        .lines()
        .filter_map(|l| l.find("VALUE").map(|i| cognito_tui::width::width(&l[..i])))
        .collect();
    assert_eq!(columns.len(), 4, "{}", r.stdout);
    assert!(
        columns.iter().all(|&c| c == columns[0]),
        "{columns:?}\n{}",
        r.stdout
    );
}

/// A lookup bar longer than the screen scrolls by cells: the text ends where the cursor is.
#[test]
fn a_long_wide_query_scrolls_to_the_cursor() {
    let mut app = app();
    send(&mut app, typed("/"));
    send(&mut app, typed(&"李".repeat(50)));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::view(&app, f)).unwrap();
    let cursor = terminal.get_cursor_position().unwrap();
    let buf = terminal.backend().buffer().clone();
    let row = visible_cells(&buf, cursor.y);
    let last = row
        .iter()
        .rev()
        .find(|(_, s)| *s == "李")
        .map(|(x, _)| *x)
        .unwrap_or_else(|| panic!("no query on the cursor's line\n{}", text(&buf)));
    assert_eq!(
        last + 2,
        cursor.x,
        "the cursor follows the last character\n{}",
        text(&buf)
    );
}
