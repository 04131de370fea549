//! The TUI's MFA-code popup (issue 23.3): an assume-role profile with `mfa_serial` asks for
//! its code in a popup before its first request; Enter sends the digits to the credential
//! provider, which sends them to STS with the device's serial number; Esc fails the requests
//! that needed the role with "no MFA code entered", and the app goes on; a refresh (the
//! role's credentials expired) asks again through the same popup. The code reaches neither
//! the audit log, the trace log nor the escape hatch.
//!
//! The model's side on a TestBackend (snapshot, keys, tiny terminals); the whole path through
//! the real binary in tmux, against a stub STS (AssumeRole in the service model's XML shape,
//! answered only with the right SerialNumber and TokenCode) and a stub Cognito that records
//! which access key signed each request.

use cognito_tui::app::{App, Cmd, Msg, Overlay, update};
use cognito_tui::cognito::mfa_code::MfaRequest;
use crossterm::event::KeyCode;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::app::{key, pinned_demo_app, screen, send, typed};
use crate::common::tmux::Tmux;

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/jane";

/// The demo app with a provider's request for profile `support`'s code open in the popup;
/// where the provider waits for the answer.
fn asked(
    app: &mut App,
) -> tokio::sync::oneshot::Receiver<Option<cognito_tui::cognito::mfa_code::MfaCode>> {
    let (request, answer) = MfaRequest::new("support", SERIAL);
    assert!(update(app, Msg::MfaCodeAsked(request)).is_empty());
    answer
}

/// The one `Cmd::AnswerMfa` in `cmds`, sent on as the worker does.
fn answer_sent(cmds: Vec<Cmd>) {
    let [Cmd::AnswerMfa { reply, code }] = <[Cmd; 1]>::try_from(cmds).expect("one command") else {
        panic!("not an AnswerMfa");
    };
    reply.send(code);
}

#[test]
fn the_popup_names_the_profile_and_device_and_takes_keys_from_the_key_table() {
    let mut app = pinned_demo_app();
    let _answer = asked(&mut app);
    send(&mut app, typed("4821"));
    insta::assert_snapshot!("mfa_code_popup", screen(&app, 80, 24));
    let shown = screen(&app, 80, 24);
    let keymap = app.keymap();
    let (enter, esc) = (
        keymap.key(
            cognito_tui::keymap::Context::Input,
            cognito_tui::keymap::Action::Submit,
        ),
        keymap.key(
            cognito_tui::keymap::Context::Input,
            cognito_tui::keymap::Action::Cancel,
        ),
    );
    assert!(shown.contains(&format!("and press {enter};")), "{shown}");
    assert!(shown.contains(&format!("{esc} cancels")), "{shown}");
    assert!(
        shown.contains("› 4821"),
        "the code is drawn as typed: {shown}"
    );
    // Too small to be useful, drawn without a panic all the same.
    for (w, h) in [(10, 20), (20, 10), (1, 1)] {
        let _ = screen(&app, w, h);
    }
}

#[tokio::test]
async fn enter_sends_the_digits_to_the_provider_and_esc_sends_none() {
    let mut app = pinned_demo_app();
    let answer = asked(&mut app);
    // Not six digits: said, and the popup stays.
    assert!(send(&mut app, typed("12345")).is_empty());
    assert!(send(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert_eq!(
        app.notice(),
        Some("an MFA code is the 6 digits your device shows")
    );
    assert!(matches!(app.overlay(), Overlay::MfaCode(_)));
    send(&mut app, typed("6"));
    answer_sent(send(&mut app, [key(KeyCode::Enter)]));
    assert_eq!(answer.await.unwrap().unwrap().expose(), "123456");
    assert_eq!(app.overlay(), &Overlay::None);
    assert_eq!(app.notice(), Some("MFA code sent for profile support"));
    assert!(
        !format!("{app:?}").contains("123456"),
        "the model keeps no code"
    );

    // Esc: none, and the app says what follows.
    let answer = asked(&mut app);
    send(&mut app, typed("99"));
    answer_sent(send(&mut app, [key(KeyCode::Esc)]));
    assert_eq!(answer.await.unwrap(), None);
    assert_eq!(app.overlay(), &Overlay::None);
    assert!(app.notice().unwrap().starts_with("no MFA code entered"));
}

#[test]
fn the_popup_opens_over_another_and_gives_it_back() {
    let mut app = pinned_demo_app();
    send(&mut app, typed("?"));
    assert!(matches!(app.overlay(), Overlay::Help { .. }), "the control");
    let _answer = asked(&mut app);
    assert!(matches!(app.overlay(), Overlay::MfaCode(_)));
    // Typed keys are the code's, not the help's.
    send(&mut app, typed("123456"));
    let cmds = send(&mut app, [key(KeyCode::Enter)]);
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::AnswerMfa { code: Some(_), .. }]
    ));
    assert!(matches!(app.overlay(), Overlay::Help { .. }));
}

#[test]
fn the_popup_closes_when_its_provider_stops_waiting() {
    let mut app = pinned_demo_app();
    let answer = asked(&mut app);
    send(&mut app, typed("12"));
    assert!(app.busy(), "the tick runs while a code is asked for");
    update(&mut app, Msg::Tick);
    assert!(matches!(app.overlay(), Overlay::MfaCode(_)), "the control");
    // The request's --timeout ran out: the provider's receiver is gone.
    drop(answer);
    update(&mut app, Msg::Tick);
    assert_eq!(app.overlay(), &Overlay::None);
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("ran out of time (--timeout)"), "{notice}");
}

/// STS's AssumeRole answer in the service model's XML shape: credentials `key_id` until
/// `expires`.
fn assume_role_answer(key_id: &str, expires: &str) -> ResponseTemplate {
    let arn = "arn:aws:sts::123456789012:assumed-role/support/cognito-tui";
    let body = crate::bastion_identity::sts_credentials_until("AssumeRole", key_id, arn, expires);
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/xml")
        .set_body_string(body)
}

/// The codes the test types: the first role's credentials come back already expired, so the
/// next request refreshes them (a second prompt); the second's last.
const FIRST: &str = "731904";
const SECOND: &str = "582613";

/// STS answering AssumeRole only with the device's serial number and one of the two codes.
async fn sts() -> MockServer {
    let server = MockServer::start().await;
    let serial = "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fjane";
    for (code, key, expires) in [
        (FIRST, "ASIAFIRSTROLEAAAAAAA", "2020-01-01T00:00:00Z"),
        (SECOND, "ASIASECONDROLEBBBBBB", "2099-01-01T00:00:00Z"),
    ] {
        Mock::given(method("POST"))
            .and(body_string_contains("Action=AssumeRole"))
            .and(body_string_contains(serial))
            .and(body_string_contains(format!("TokenCode={code}")))
            .respond_with(assume_role_answer(key, expires))
            .mount(&server)
            .await;
    }
    server
}

const POOL: &str = "eu-west-1_MfaPool1";

/// Cognito: DescribeUserPool (MFA off, so no GetUserPoolMfaConfig) and AdminGetUser alice.
async fn cognito() -> MockServer {
    let server = MockServer::start().await;
    let pool = serde_json::json!({"UserPool": {"Id": POOL, "Name": "mfa-pool", "MfaConfiguration": "OFF"}});
    crate::common::stub::answer(&server, "DescribeUserPool", pool).await;
    let alice: serde_json::Value = serde_json::from_str(crate::common::stub::ALICE).unwrap();
    crate::common::stub::answer(&server, "AdminGetUser", alice).await;
    server
}

/// (operation, access key id of its signature) of every request `server` received.
async fn signed(server: &MockServer) -> Vec<(String, String)> {
    (server.received_requests().await.unwrap_or_default().iter())
        .map(|r| {
            let header = |name: &str| {
                (r.headers.get(name))
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            let op = header("x-amz-target");
            let auth = header("authorization");
            let key = (auth.split("Credential=").nth(1))
                .and_then(|c| c.split('/').next())
                .unwrap_or_default();
            (op.rsplit('.').next().unwrap().to_string(), key.to_string())
        })
        .collect()
}

/// The TokenCode of every request STS received.
async fn codes_sent(sts: &MockServer) -> Vec<String> {
    (sts.received_requests().await.unwrap_or_default().iter())
        .filter(|r| String::from_utf8_lossy(&r.body).starts_with("Action=AssumeRole&"))
        .map(|r| {
            let body = String::from_utf8_lossy(&r.body);
            (body.split('&'))
                .find_map(|p| p.strip_prefix("TokenCode="))
                .unwrap_or("none")
                .to_string()
        })
        .collect()
}

/// The TUI on `POOL` at `cognito` with profile `support` (an MFA role from `base`'s keys),
/// STS at `sts`, a trace log in `dir`, and an audit log there when `audit`; `extra` args.
fn tui_with(
    dir: &std::path::Path,
    (cognito, sts): (&MockServer, &MockServer),
    audit: bool,
    extra: &[&str],
) -> Tmux {
    let env = crate::bastion_identity::mfa_profile(dir, &sts.uri());
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("RUST_LOG", "trace"));
    let (log, audit_log) = (dir.join("tui.log"), dir.join("audit.jsonl"));
    let url = cognito.uri();
    let mut args = vec![
        "--pool",
        POOL,
        "--profile",
        "support",
        "--endpoint-url",
        &url,
    ];
    args.extend(["--log-file", log.to_str().unwrap()]);
    if audit {
        args.extend(["--audit-log", audit_log.to_str().unwrap()]);
    }
    args.extend(extra);
    Tmux::spawn(env!("CARGO_BIN_EXE_cognito-tui"), &args, &env, 110, 30)
}

/// [`tui_with`] without extra arguments.
fn tui(dir: &std::path::Path, cognito: &MockServer, sts: &MockServer, audit: bool) -> Tmux {
    tui_with(dir, (cognito, sts), audit, &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_asks_in_a_popup_sends_the_code_to_sts_and_asks_again_on_refresh() {
    let (cognito, sts) = (cognito().await, sts().await);
    let dir = tempfile::tempdir().unwrap();
    let (hatch, t) = tokio::task::block_in_place(|| {
        // Without an audit log: its start line's GetCallerIdentity would be the request that
        // meets the expired credentials (the test below has the audit's side).
        let t = tui(dir.path(), &cognito, &sts, false);
        // The pool's first request (DescribeUserPool) needs the role: the popup asks.
        t.wait_for("Type the 6-digit code it shows");
        t.wait_for(SERIAL);
        t.type_text(FIRST);
        t.keys(&["Enter"]);
        t.wait_for("mfa-pool");
        // Those credentials have expired: the lookup's request refreshes them, asking again.
        t.type_text("/");
        t.type_text("alice");
        t.keys(&["Enter"]);
        t.wait_for("Type the 6-digit code it shows");
        t.type_text(SECOND);
        t.keys(&["Enter"]);
        t.wait_for("Username alice");
        // The lookup again: the second credentials last, so no popup this time.
        t.type_text("/");
        t.type_text("alice");
        t.keys(&["Enter"]);
        t.wait_for("read again from Cognito");
        t.type_text("c");
        let hatch = t.wait_for("Escape hatch");
        (hatch, t)
    });
    assert_eq!(
        codes_sent(&sts).await,
        [FIRST, SECOND],
        "one AssumeRole per code"
    );
    let signed = signed(&cognito).await;
    assert_eq!(
        signed,
        [
            ("DescribeUserPool".into(), "ASIAFIRSTROLEAAAAAAA".into()),
            ("AdminGetUser".into(), "ASIASECONDROLEBBBBBB".into()),
            ("AdminGetUser".into(), "ASIASECONDROLEBBBBBB".into()),
        ],
        "each request signed with the role's credentials of its code"
    );
    tokio::task::block_in_place(|| {
        t.keys(&["Escape"]);
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
    });
    assert!(hatch.contains("admin-get-user"), "the control: {hatch}");
    let log = std::fs::read_to_string(dir.path().join("tui.log")).unwrap();
    assert!(
        log.contains("AssumeRole"),
        "the control: the trace log has the STS call"
    );
    for code in [FIRST, SECOND] {
        assert!(!log.contains(code), "the trace log holds {code}");
        assert!(!hatch.contains(code), "the escape hatch holds {code}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_fails_the_connection_saying_no_code_was_entered_and_the_app_goes_on() {
    let (cognito, sts) = (cognito().await, sts().await);
    let dir = tempfile::tempdir().unwrap();
    let screen = tokio::task::block_in_place(|| {
        let t = tui(dir.path(), &cognito, &sts, true);
        t.wait_for("Type the 6-digit code it shows");
        t.keys(&["Escape"]);
        let screen = t.wait_for("no MFA code entered for profile support");
        // Still running: the help opens, and q quits cleanly.
        t.keys(&["F1"]);
        t.wait_for("Help: key bindings");
        t.keys(&["Escape"]);
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
        screen
    });
    assert!(
        !screen.contains("MFA code for"),
        "nothing asked under the screen"
    );
    assert!(sts.received_requests().await.unwrap().is_empty());
    assert!(cognito.received_requests().await.unwrap().is_empty());
}

/// GetCallerIdentity at `sts`, answered (with the role's session ARN) only when signed with
/// the second code's credentials.
async fn caller_identity(sts: &MockServer) {
    let body = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::123456789012:assumed-role/support/cognito-tui</Arn>
    <UserId>AROAEXAMPLE:cognito-tui</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetCallerIdentity"))
        .and(wiremock::matchers::header_regex(
            "authorization",
            "Credential=ASIASECONDROLEBBBBBB/",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/xml")
                .set_body_string(body),
        )
        .mount(sts)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_names_the_assumed_role_and_holds_no_code() {
    let (cognito, sts) = (cognito().await, sts().await);
    caller_identity(&sts).await;
    let dir = tempfile::tempdir().unwrap();
    tokio::task::block_in_place(|| {
        let t = tui(dir.path(), &cognito, &sts, true);
        t.wait_for("Type the 6-digit code it shows");
        t.type_text(SECOND);
        t.keys(&["Enter"]);
        t.wait_for("mfa-pool");
        t.type_text("/");
        t.type_text("alice");
        t.keys(&["Enter"]);
        t.wait_for("Username alice");
        t.type_text("q");
        assert_eq!(t.wait_exit().0, 0);
    });
    assert_eq!(codes_sent(&sts).await, [SECOND]);
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let lines = crate::common::cli::json_lines(&audit);
    assert_eq!(lines[0]["action"], "tui_session", "{audit}");
    assert_eq!(
        lines[0]["caller"], "arn:aws:sts::123456789012:assumed-role/support/cognito-tui",
        "who the role's credentials are, from STS: {audit}"
    );
    assert_eq!(
        lines[0]["credentials"],
        "profile support (assume role, MFA)"
    );
    assert!(audit.contains("\"lookup\""), "the control: {audit}");
    assert!(
        !audit.contains(SECOND),
        "the audit log holds the code:\n{audit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_popup_left_unanswered_past_the_timeout_closes_saying_so() {
    let (cognito, sts) = (cognito().await, sts().await);
    let dir = tempfile::tempdir().unwrap();
    let screen = tokio::task::block_in_place(|| {
        let t = tui_with(dir.path(), (&cognito, &sts), false, &["--timeout", "1"]);
        t.wait_for("Type the 6-digit code it shows");
        let screen = t.wait_for("ran out of time (--timeout)");
        // (Ctrl-C: a retry of the request may already be asking again.)
        t.keys(&["C-c"]);
        assert_eq!(t.wait_exit().0, 0);
        screen
    });
    assert!(
        !screen.contains("Type the 6-digit code"),
        "closed: {screen}"
    );
    assert!(sts.received_requests().await.unwrap().is_empty());
}
