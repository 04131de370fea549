//! `where EXPR` in the TUI's browse filter line, on the embedded demo pool: the rows the
//! expression keeps (checked against the demo's users read here, not through the filter), and
//! a bad expression's column on the browse status line with no row shown.

use cognito_tui::app::{App, Cmd, Msg};

use crate::common::app::{
    ch, demo_app_with, demo_first_page, pinned, pinned_demo_app as demo_app, screen, send, serve,
    typed,
};

/// Sends `msgs`, serving the browse pages they ask for.
fn drive(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    let mut queue: Vec<Cmd> = send(app, msgs);
    while let Some(cmd) = queue.pop() {
        if matches!(cmd, Cmd::BrowsePage { .. }) {
            queue.extend(serve(app, &cmd));
        }
    }
}

fn shown(app: &App) -> Vec<String> {
    let b = app.browse();
    let mut names: Vec<String> = b
        .matches()
        .map(|i| b.store.row(i as usize).username.to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_where_expression_in_the_browse_line_keeps_the_rows_it_matches() {
    let mut app = demo_app();
    drive(&mut app, [ch('b')]);
    let everyone = shown(&app).len();
    drive(
        &mut app,
        typed("where email endswith acme.example and not Enabled = false"),
    );
    let expected = demo_first_page(|u| {
        u.enabled
            && u.attribute("email")
                .is_some_and(|e| e.ends_with("acme.example"))
    });
    assert!(
        !expected.is_empty() && expected.len() < everyone,
        "{expected:?} of {everyone}"
    );
    assert_eq!(shown(&app), expected);
}

#[test]
fn a_bad_where_expression_says_its_column_on_the_status_line() {
    let mut app = demo_app();
    drive(&mut app, [ch('b')]);
    assert!(
        !shown(&app).is_empty(),
        "the positive control: rows before the expression"
    );
    drive(&mut app, typed("where emial = x"));
    assert_eq!(shown(&app), Vec::<String>::new());
    let text = screen(&app, 160, 20);
    assert!(
        text.contains("--where, column 1: unknown attribute"),
        "{text}"
    );
}

/// In privacy mode the same status line keeps the column and leaves the expression out: its
/// values can be personal (the filter line above it is the operator's own typing, shown as
/// search's is). The plain run is the positive control for the echo.
#[test]
fn a_bad_where_expression_in_privacy_mode_keeps_its_values_off_the_screen() {
    let broken = r#"where email = "kim.fischer@example.com" and"#;
    let mut plain = demo_app();
    drive(&mut plain, [ch('b')]);
    drive(&mut plain, typed(broken));
    let text = screen(&plain, 200, 20);
    assert!(
        text.contains("(in: email = \"kim.fischer@example.com\" and)"),
        "{text}"
    );

    let mut app = demo_app_with(cognito_tui::app::Settings {
        redact: true,
        ..pinned()
    });
    drive(&mut app, [ch('b')]);
    drive(&mut app, typed(broken));
    let text = screen(&app, 200, 20);
    assert!(text.contains("--where, column 38: "), "{text}");
    assert!(!text.contains("(in: email"), "{text}");
}
