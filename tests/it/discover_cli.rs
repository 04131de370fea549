//! Issue 15's messages, through the binary: an HTML error page is named as one, text output
//! shows timestamps without float noise, and each subcommand's help lists only options that
//! do something there, with examples.

use crate::common::cli;

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn get_against(server: &MockServer, extra: &[&str]) -> cli::Run {
    cli::get_alice_async(&server.uri(), extra).await
}

#[tokio::test]
async fn an_html_error_page_is_named_as_one_not_as_malformed_json() {
    // moto answers operations it lacks (AdminListDevices) this way.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("content-type", "text/html; charset=utf-8")
                .set_body_string("<!doctype html><title>500 Internal Server Error</title>"),
        )
        .mount(&server)
        .await;
    let r = get_against(&server, &["--max-attempts", "1"]).await;
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the endpoint answered HTTP 500 with an HTML page"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("does it implement AdminGetUser?"),
        "{}",
        r.stderr
    );
    for parser_noise in ["malformed", "unexpected token", "offset 0"] {
        assert!(!r.stderr.contains(parser_noise), "{}", r.stderr);
    }
}

#[tokio::test]
async fn text_output_shows_whole_milliseconds_not_float_noise() {
    let server = MockServer::start().await;
    // 1795099776.045 is not exact in binary floating point: parsed, it carries
    // nanoseconds like .045000076.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string(
                    r#"{"Username":"alice","Enabled":true,"UserStatus":"CONFIRMED",
                        "UserCreateDate":1795099776.045,"UserLastModifiedDate":1795099777,
                        "UserAttributes":[{"Name":"sub","Value":"s-1"}]}"#,
                ),
        )
        .mount(&server)
        .await;
    let r = get_against(&server, &["-o", "text"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("2026-11-19T14:49:36.045Z"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("2026-11-19T14:49:37Z"), "{}", r.stdout);
    assert!(!r.stdout.contains(".045000"), "{}", r.stdout);
}

#[test]
fn each_subcommand_help_lists_what_works_there_with_two_examples() {
    for sub in ["get", "search", "diagnose", "export"] {
        let r = cli::run_args(&[sub, "--help"]);
        assert_eq!(r.code, 0, "{sub}: {}", r.stderr);
        // --redact works everywhere (privacy mode masks every output), so it is offered.
        assert!(r.stdout.contains("--redact"), "{sub} --help lacks --redact");
        for tui_only in ["--allow-write", "--lookup"] {
            assert!(
                !r.stdout.contains(tui_only),
                "{sub} --help offers {tui_only}:\n{}",
                r.stdout
            );
        }
        let examples: Vec<&str> = r
            .stdout
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{sub} --help has no examples:\n{}", r.stdout))
            .lines()
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(examples.len(), 2, "{sub}: {examples:?}");
        for example in examples {
            assert!(
                example
                    .trim_start()
                    .starts_with(&format!("cognito-tui {sub} ")),
                "{sub}: {example}"
            );
        }
    }
    // The TUI's own flags are still offered, and still work, where they do something.
    let r = cli::run_args(&["--help"]);
    assert!(r.stdout.contains("--allow-write") && r.stdout.contains("--redact"));
    let r = cli::run_args(&["search", "--demo", "al", "--allow-write"]);
    assert_eq!(r.code, 2, "search takes no --allow-write: {}", r.stderr);
}
