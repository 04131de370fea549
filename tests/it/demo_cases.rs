//! The demo pool's users for each sign-in case issue 20 names, drawn at 80×24: the Status pane
//! (verdict, findings and the rule each names) and the MFA pane (after the auth-factors read
//! its opening makes). una: email MFA her only factor; walter: TOTP and email MFA, his only
//! verified channel the email that is also a factor; pia: a passkey in a pool that allows
//! WEB_AUTHN; erin: RESET_REQUIRED whom no channel reaches. (lou's lockout is computed from
//! the real clock, so it is checked by text in `diagnose_cli`, not pinned in a snapshot.)

use cognito_tui::app::{App, Pane};
use cognito_tui::cognito::lookup::LookupMode;

use crossterm::event::KeyCode;

use crate::common::app::{connect, key, pinned, screen, send, serve, typed};

/// `username` looked up on the demo pool, at a pinned clock.
fn shown(username: &str) -> App {
    let mut app = App::new("us-east-1_DemoPool1", pinned());
    connect(&mut app);
    let lookup = app.start_lookup(username, LookupMode::Auto);
    serve(&mut app, &lookup);
    assert_eq!(
        app.user().map(|u| u.found.user.username.as_str()),
        Some(username)
    );
    app
}

/// The Status pane with the whole diagnosis (`d` reads the sign-in history; the cursor then
/// moves down to the findings), then the MFA pane once its read is answered.
fn panes(username: &str) -> (String, String) {
    let mut app = shown(username);
    send(&mut app, typed("1"));
    for cmd in send(&mut app, typed("d")) {
        serve(&mut app, &cmd);
    }
    send(&mut app, (0..13).map(|_| key(KeyCode::Down)));
    let status = screen(&app, 80, 24);
    let cmds = send(&mut app, typed("3"));
    assert_eq!(app.focus(), Pane::Mfa);
    for cmd in &cmds {
        serve(&mut app, cmd);
    }
    (status, screen(&app, 80, 24))
}

#[test]
fn status_and_mfa_panes_of_each_sign_in_case() {
    // (user, what the Status pane must say, what the MFA pane must say)
    let cases = [
        ("una", "no_recovery_channel · R3", "EMAIL_OTP"),
        ("walter", "no_recovery_channel · R3", "SOFTWARE_TOKEN_MFA"),
        ("pia", "Diagnosis: nothing found", "WEB_AUTHN  passkey"),
        ("erin", "no_recovery_channel · R4", "EMAIL_OTP"),
    ];
    for (user, in_status, in_mfa) in cases {
        let (status, mfa) = panes(user);
        assert!(status.contains(in_status), "{user}: {status}");
        assert!(mfa.contains(in_mfa), "{user}: {mfa}");
        insta::assert_snapshot!(format!("status_{user}"), status);
        insta::assert_snapshot!(format!("mfa_{user}"), mfa);
    }
}
