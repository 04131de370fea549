//! One hostile fixture through every output format of every one-shot command, through the
//! real binary against moto: C0, C1 (U+009B, the one-byte CSI), DEL, `ESC[2J`, an OSC 52
//! clipboard write, U+202E, U+200B, U+2028, a tag character (U+E0041) and a BOM, in a
//! username and a name. The oracle is independent of the product: a literal list of bidi,
//! zero-width, separator, tag and format characters plus `char::is_control`, never
//! `sanitize::is_unsafe`. Each check has its positive control: the value is there, escaped
//! (JSON parses back to the raw value; text, CSV and TSV show the escapes). A property test
//! then sends any string through the sink's renderers.

use proptest::prelude::*;

use crate::common::cli;
use crate::common::emulator::{Emulator, Kind};
use crate::common::proxy::RecordingProxy;
use crate::common::seed;
use cognito_tui::cognito::{Attribute, UserSummary};
use cognito_tui::output;
use cognito_tui::output::table::{Delimited, TableWriter};

/// Every kind of character a terminal acts on or hides, between plain letters.
const HOSTILE: &str = "A\u{1}B\u{9b}C\u{7f}D\u{1b}[2JE\u{1b}]52;c;SGVsbG8=\u{7}F\u{202e}G\u{200b}H\u{2028}I\u{E0041}J\u{feff}K";
/// The same as the reader sees it: typed out by hand, not by the product's sanitizer.
const ESCAPED: &str = r"A\x01B\u{9b}C\x7fD\x1b[2JE\x1b]52;c;SGVsbG8=\x07F\u{202e}G\u{200b}H\u{2028}I\u{e0041}J\u{feff}K";
const EMAIL: &str = "hostile@example.com";

/// Characters that must never reach a terminal raw, besides `char::is_control`: bidi
/// controls and isolates, zero-width and joiner characters, line and paragraph separators,
/// invisible operators, the BOM, soft hyphen, the Mongolian vowel separator, Arabic letter
/// mark, the tag block, interlinear annotations.
fn listed(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{061c}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{E0000}'..='\u{E007F}')
}

/// The characters of `text` the oracle forbids, `allowed` aside (line ends, TSV's tabs).
fn forbidden(text: &str, allowed: &[char]) -> Vec<char> {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter(|&c| !allowed.contains(&c) && (c.is_control() || listed(c)))
        .collect()
}

/// Whether any string in the JSON `value` is exactly `wanted`.
fn holds_string(value: &serde_json::Value, wanted: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == wanted,
        serde_json::Value::Array(items) => items.iter().any(|v| holds_string(v, wanted)),
        serde_json::Value::Object(map) => map.values().any(|v| holds_string(v, wanted)),
        _ => false,
    }
}

/// How a format's output is checked.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Json,
    Ndjson,
    Text,
    Csv,
    Tsv,
}

/// The oracle and the positive control for one command's output.
fn check(what: &str, shape: Shape, run: &cli::Run, username: &str) {
    assert!(run.code == 0, "{what}: exit {}: {}", run.code, run.stderr);
    let allowed: &[char] = match shape {
        Shape::Tsv => &['\n', '\t'],
        _ => &['\n'],
    };
    assert_eq!(
        forbidden(&run.stdout, allowed),
        Vec::<char>::new(),
        "{what}: {:?}",
        run.stdout
    );
    assert_eq!(
        forbidden(&run.stderr, &['\n']),
        Vec::<char>::new(),
        "{what}: {:?}",
        run.stderr
    );
    match shape {
        Shape::Json => {
            let value: serde_json::Value = serde_json::from_str(&run.stdout).expect(what);
            assert!(holds_string(&value, username), "{what}: {}", run.stdout);
        }
        Shape::Ndjson => {
            let lines = cli::json_lines(&run.stdout);
            assert!(lines.iter().any(|l| holds_string(l, username)), "{what}");
        }
        Shape::Text | Shape::Csv | Shape::Tsv => {
            let shown = format!("u{ESCAPED}");
            assert!(run.stdout.contains(&shown), "{what}: {}", run.stdout);
        }
    }
}

/// `-o FORMAT` and the shape it is checked as; csv/tsv show the `name` column too.
fn formats(json: Shape) -> [(&'static [&'static str], Shape); 4] {
    [
        (&["-o", "json"], json),
        (&["-o", "text"], Shape::Text),
        (&["-o", "csv", "--attributes", "name"], Shape::Csv),
        (&["-o", "tsv", "--attributes", "name"], Shape::Tsv),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hostile_fixture_is_escaped_in_every_format_of_every_command() {
    let Some(moto) = Emulator::start(Kind::Moto) else {
        return;
    };
    let client = seed::client(&moto.url());
    let pool = seed::create_pool(&client, "hostile").await;
    let username = format!("u{HOSTILE}");
    let attributes = [("email", EMAIL), ("name", HOSTILE), ("nickname", HOSTILE)];
    let (created, _) = seed::create_user(&client, &pool, &username, &attributes).await;
    assert_eq!(created, username, "moto keeps the username as sent");
    let url = moto.url();
    // `-o cognito-import` needs GetCSVHeader, which moto lacks: a proxy sends it to a stub
    // answering in the service model's shape, everything else to moto.
    let stub = wiremock::MockServer::start().await;
    let header = [
        "name",
        "email",
        "email_verified",
        "cognito:mfa_enabled",
        "cognito:username",
    ];
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_json(serde_json::json!({"UserPoolId": pool, "CSVHeader": header})),
        )
        .mount(&stub)
        .await;
    let proxy = RecordingProxy::routed(moto.addr, &[("GetCSVHeader", *stub.address())]).await;
    let import_url = proxy.url();
    tokio::task::spawn_blocking(move || {
        run_every_command(&pool, &url, &username);
        let args = [
            &["export", "-o", "cognito-import"][..],
            &cli::target(&pool, &import_url),
        ];
        let run = cli::run_args(&args.concat());
        check("export -o cognito-import", Shape::Csv, &run, &username);
    })
    .await
    .unwrap();
}

/// Every command and format against the pool holding the hostile user.
fn run_every_command(pool: &str, url: &str, username: &str) {
    let target = cli::target(pool, url);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[pools.h]\npool_id = \"{pool}\"\nregion = \"us-east-1\"\nendpoint_url = \"{url}\"\n"
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let mut checked = 0;
    for (format, shape) in formats(Shape::Json) {
        let args = [&["get", EMAIL][..], format, &target].concat();
        check(
            &format!("get {format:?}"),
            shape,
            &cli::run_args(&args),
            username,
        );
        let args = [&["search", "hostile@"][..], format, &target].concat();
        check(
            &format!("search {format:?}"),
            shape,
            &cli::run_args(&args),
            username,
        );
        checked += 2;
    }
    for (format, shape) in formats(Shape::Ndjson) {
        let args = [&["get", "-"][..], format, &target].concat();
        let run = cli::run_with_stdin(&args, &format!("{EMAIL}\n"));
        check(&format!("get - {format:?}"), shape, &run, username);
        let pools = ["--config", config, "get", "--all-pools", EMAIL];
        let run = cli::run_args(&[&pools[..], format].concat());
        check(&format!("--all-pools {format:?}"), shape, &run, username);
        checked += 2;
    }
    for (format, shape) in formats(Shape::Ndjson) {
        if shape == Shape::Text {
            continue; // export has no text format
        }
        let args = [&["export"][..], format, &target].concat();
        check(
            &format!("export {format:?}"),
            shape,
            &cli::run_args(&args),
            username,
        );
        checked += 1;
    }
    for (format, shape) in [("json", Shape::Json), ("text", Shape::Text)] {
        let args = [&["diagnose", EMAIL, "-o", format][..], &target].concat();
        check(
            &format!("diagnose -o {format}"),
            shape,
            &cli::run_args(&args),
            username,
        );
        let args = [&["diagnose", "-", "-o", format][..], &target].concat();
        let run = cli::run_with_stdin(&args, &format!("{EMAIL}\n"));
        let shape = if shape == Shape::Json {
            Shape::Ndjson
        } else {
            shape
        };
        check(&format!("diagnose - -o {format}"), shape, &run, username);
        checked += 2;
    }
    checked += query_and_table_rows(&target, config, username);
    assert_eq!(checked, 35, "every command and format ran");
}

/// `-o table` (wide enough that no cell is cut) and `--query`'s results as JSON and as the
/// AWS CLI's text, through each command; how many ran.
fn query_and_table_rows(target: &[&str], config: &str, username: &str) -> usize {
    let wide = |args: &[&str]| {
        let home = tempfile::tempdir().unwrap();
        let mut command = cli::command(home.path());
        command.env("COLUMNS", "1000").args(args);
        cli::run(command)
    };
    let pools = ["--config", config, "get", "--all-pools", EMAIL];
    let tables: [Vec<&str>; 4] = [
        [&["get", EMAIL][..], target].concat(),
        [&["search", "hostile@"][..], target].concat(),
        [&["export"][..], target].concat(),
        pools.to_vec(),
    ];
    for args in &tables {
        let run = wide(&[&args[..], &["-o", "table"]].concat());
        check(&format!("{args:?} -o table"), Shape::Text, &run, username);
    }
    let queries: [(Vec<&str>, &[&str], Shape); 6] = [
        (
            vec!["get", EMAIL],
            &["--query", "{U: Username}", "-o", "json"],
            Shape::Json,
        ),
        (
            vec!["get", EMAIL],
            &["--query", "[Username]", "-o", "text"],
            Shape::Text,
        ),
        (
            vec!["search", "hostile@"],
            &["--query", "[].Username", "-o", "text"],
            Shape::Text,
        ),
        (vec!["export"], &["--query", "Username"], Shape::Ndjson),
        (
            vec!["diagnose", EMAIL],
            &["--query", "Username", "-o", "text"],
            Shape::Text,
        ),
        (
            pools.to_vec(),
            &["--query", "User", "-o", "json"],
            Shape::Ndjson,
        ),
    ];
    for (command, query, shape) in &queries {
        let with_target = match command[0] {
            "--config" => command.clone(),
            _ => [&command[..], target].concat(),
        };
        let run = cli::run_args(&[&with_target[..], query].concat());
        check(&format!("{command:?} {query:?}"), *shape, &run, username);
    }
    let stdin = format!("{EMAIL}\n");
    for (command, query, shape) in [
        (
            ["get", "-"],
            ["--query", "User.Username", "-o", "json"],
            Shape::Ndjson,
        ),
        (
            ["diagnose", "-"],
            ["--query", "Username", "-o", "text"],
            Shape::Text,
        ),
    ] {
        let run = cli::run_with_stdin(&[&command[..], &query, target].concat(), &stdin);
        check(&format!("{command:?} {query:?}"), shape, &run, username);
    }
    tables.len() + queries.len() + 2
}

#[test]
fn the_oracle_catches_each_hostile_character_the_control_of_the_control() {
    // Independent of the product, but it must itself be able to fail on each character.
    for c in HOSTILE.chars().filter(|c| !c.is_ascii_alphanumeric()) {
        let expected: &[char] = if "[]2;=".contains(c) { &[] } else { &[c] };
        assert_eq!(
            forbidden(&c.to_string(), &[]),
            expected,
            "U+{:04X}",
            c as u32
        );
    }
    assert_eq!(forbidden("a\tb\r\n", &['\n']), vec!['\t']);
}

/// A user whose every shown field is `s`.
fn user_of(s: &str) -> UserSummary {
    let attribute = |name: &str| Attribute {
        name: name.into(),
        value: Some(s.into()),
    };
    UserSummary {
        username: s.into(),
        attributes: vec![attribute("email"), attribute("name"), attribute("sub")],
        enabled: true,
        ..UserSummary::default()
    }
}

/// Characters the generator favours: the hostile ones, then any.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::sample::select(HOSTILE.chars().collect::<Vec<_>>()),
        proptest::sample::select(vec!['\n', '\r', '\t', '\\', '"', ',', '=', '\u{2066}']),
        any::<char>(),
    ]
}

proptest! {
    /// Any string, through the renderers the sink writes with (JSON through the safe
    /// formatter, text through `terminal_safe`, CSV and TSV through `TableWriter`), comes out
    /// with no control, bidi, zero-width or format character, and JSON parses back to it.
    #[test]
    fn any_string_through_any_format_is_terminal_safe(
        chars in proptest::collection::vec(hostile_char(), 0..40)
    ) {
        let s: String = chars.into_iter().collect();
        let user = user_of(&s);
        let json = cognito_tui::sanitize::to_json_line(&output::users_json([&user])).unwrap();
        prop_assert_eq!(forbidden(&json, &[]), Vec::<char>::new(), "{:?}", json);
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back[0]["Username"].as_str(), Some(s.as_str()));
        let value = serde_json::to_value(output::users_json([&user])).unwrap();
        let aws_text = output::query::aws_text(&value);
        prop_assert_eq!(forbidden(&aws_text, &['\n', '\t']), Vec::<char>::new(), "{:?}", aws_text);
        // One row per user: nothing in a value split a line.
        prop_assert_eq!(aws_text.lines().count(), 1 + user.attributes.len());
        for columns in [20, 80] {
            let table = output::grid::render("T", &value, output::grid::Fit::Exactly(columns));
            prop_assert_eq!(forbidden(&table, &['\n']), Vec::<char>::new(), "{:?}", table);
        }
        let text = output::terminal_safe(&output::users_table([&user])).into_owned();
        prop_assert_eq!(forbidden(&text, &['\n']), Vec::<char>::new(), "{:?}", text);
        for (format, allowed) in [(Delimited::Csv, &['\n'][..]), (Delimited::Tsv, &['\n', '\t'])] {
            let mut buf = Vec::new();
            let mut table = TableWriter::new(&mut buf, format, &["Query"], vec!["name".into()])
                .unwrap();
            table.row(&[&s], Some((&user).into())).unwrap();
            table.flush().unwrap();
            drop(table);
            let written = String::from_utf8(buf).unwrap();
            prop_assert_eq!(forbidden(&written, allowed), Vec::<char>::new(), "{:?}", written);
            // One header and one row: nothing in the value split a line.
            prop_assert_eq!(written.replace("\r\n", "\n").matches('\n').count(), 2);
        }
    }
}
