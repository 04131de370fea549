//! ARCHITECTURE.md's invariants that a reading of the source can check: only `cognito/sdk.rs`
//! names the AWS SDK crates, and no error is a bare `String` (errors are thiserror enums).
//! The source is read with comments and string contents blanked, so prose about a rule is
//! not taken for a breach of it; each check is also shown to catch a planted breach.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, as (path relative to the crate, text).
pub(crate) fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.sort();
    assert!(files.len() > 20, "src/ not found under {}", root.display());
    (files.into_iter())
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, text)
        })
        .collect()
}

/// `text` with comments removed and string and char literals emptied (`"…"` becomes `""`),
/// newlines kept so line numbers still hold.
pub(crate) fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if c == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && raw_start(&chars, i + 1)))
            && !at(i.wrapping_sub(1)).is_alphanumeric()
        {
            // r"…" / r#"…"#: no escapes; ends at a quote followed by as many #s.
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                    j += 1 + hashes;
                    break;
                }
                if chars[j] == '\n' {
                    out.push('\n');
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                // An escape skips the next character: a line continuation's newline too.
                let step = if chars[j] == '\\' { 2 } else { 1 };
                if chars[j..(j + step).min(chars.len())].contains(&'\n') {
                    out.push('\n');
                }
                j += step;
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if c == '\'' && (at(i + 2) == '\'' || (at(i + 1) == '\\' && char_end(&chars, i))) {
            // A char literal ('x', '\n', '\u{1b}'), not a lifetime ('a).
            let mut j = i + 1;
            if at(j) == '\\' {
                j += 2;
            } else {
                j += 1;
            }
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the `#`s at `i` open a raw string (`#…#"`).
fn raw_start(chars: &[char], mut i: usize) -> bool {
    while chars.get(i) == Some(&'#') {
        i += 1;
    }
    chars.get(i) == Some(&'"')
}

/// Whether an escaped char literal starting at `i` closes within a few characters.
fn char_end(chars: &[char], i: usize) -> bool {
    (i + 3..(i + 12).min(chars.len())).any(|j| chars[j] == '\'')
}

/// The line of byte offset `at` in `text`, 1-based.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Each `Result<…, E>` that `code` names (also over several lines and behind nested
/// generics), as (line, `E` with its spaces removed; "" for `io::Result<T>` and the like).
fn result_errors(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut start = 0;
    while let Some(pos) = code[start..].find("Result<") {
        let at = start + pos;
        start = at + "Result<".len();
        let word_before = at
            .checked_sub(1)
            .map(|b| bytes[b].is_ascii_alphanumeric() || bytes[b] == b'_')
            .unwrap_or(false);
        if word_before {
            continue;
        }
        // The generic arguments up to the matching `>`, split at depth 0.
        let (mut depth, mut args, mut arg) = (1, Vec::new(), String::new());
        for c in code[start..].chars() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' | ')' | ']' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            if c == ',' && depth == 1 {
                args.push(std::mem::take(&mut arg));
            } else {
                arg.push(c);
            }
        }
        args.push(arg);
        let error: String = (args.get(1).map(String::as_str).unwrap_or(""))
            .split_whitespace()
            .collect();
        found.push((line_of(code, at), error));
    }
    found
}

/// Where `code` names a `Result` whose error type is a bare `String` (also over several
/// lines and behind nested generics), and where it builds or maps to a `String` error.
fn string_errors(code: &str) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = (result_errors(code).into_iter())
        .filter(|(_, error)| {
            matches!(
                error.as_str(),
                "String" | "std::string::String" | "&str" | "&'staticstr" | "Box<str>"
            )
        })
        .map(|(line, error)| (line, format!("Result<…, {error}>")))
        .collect();
    for (i, line) in code.lines().enumerate() {
        let flat: String = line.split_whitespace().collect();
        for bad in [
            "Err(format!(",
            "Err(String::from(",
            "Err(\"\".to_string())",
            "Err(\"\".into())",
            "Err(\"\".to_owned())",
            ".map_err(ToString::to_string)",
            ".map_err(String::from)",
        ] {
            if flat.contains(bad) {
                found.push((i + 1, bad.to_string()));
            }
        }
        // `.map_err(|e| format!(…))` and `.map_err(|e| e.to_string())`.
        if let Some(p) = flat.find(".map_err(|") {
            let rest = &flat[p + ".map_err(|".len()..];
            if let Some(bar) = rest.find('|') {
                let (name, body) = (&rest[..bar], &rest[bar + 1..]);
                if body.starts_with("format!(") || body.starts_with(&format!("{name}.to_string())"))
                {
                    found.push((i + 1, format!(".map_err(|{name}| {body}")));
                }
            }
        }
    }
    found
}

#[test]
fn no_error_is_a_bare_string() {
    let mut breaches = Vec::new();
    for (path, text) in sources() {
        for (line, what) in string_errors(&code_only(&text)) {
            breaches.push(format!("{path}:{line}: {what}"));
        }
    }
    assert!(
        breaches.is_empty(),
        "errors are thiserror enums, not strings (ARCHITECTURE.md, Invariants):\n{}",
        breaches.join("\n")
    );
}

#[test]
fn the_string_error_check_catches_what_it_should_and_nothing_else() {
    let planted = r##"
        const LONG: &str = "a string over \
                            two lines";
        fn a() -> Result<u8, String> { Ok(1) }
        fn b() -> std::result::Result<
            Vec<(String, u8)>,
            String,
        > { Ok(Vec::new()) }
        fn c() -> Result<(), &'static str> { Err("no") }
        fn d(p: &Path) -> io::Result<()> { x.map_err(|e| format!("cannot read {e}"))?; Ok(()) }
        fn e() { let r: Result<(), _> = Err(format!("bad")); }
        fn f() { y.map_err(|err| err.to_string()) }
    "##;
    let lines: Vec<usize> = (string_errors(&code_only(planted)).iter())
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(lines, [4, 5, 9, 10, 11, 12], "{planted}");

    let fine = r##"
        // A comment may say Result<(), String>, and so may a doc comment:
        /// returns `Result<_, String>` no more; Err(format!("…")) neither
        /* nor a block comment: Result<u8, String> */
        fn ok() -> Result<String, QueryError> { Ok("Result<u8, String>".into()) }
        fn json() -> serde_json::Result<String> { todo!() }
        fn io() -> std::io::Result<Vec<String>> { todo!() }
        fn nested() -> Result<HashMap<String, String>, Error> { todo!() }
        fn lifetimes<'a>(s: &'a str) -> Result<&'a str, KeyError> { let c = '"'; Ok(s) }
        fn raw() -> &'static str { r#"Err(format!("x"))"# }
        fn message(e: Error) -> String { format!("failed: {e}") }
        fn mapped() { x.map_err(Error::Io); y.map_err(|e| Error::Parse(e.to_string())); }
    "##;
    assert_eq!(string_errors(&code_only(fine)), [], "{fine}");
}

/// The integer types an exit code could be passed as.
const EXIT_CODE_TYPES: [&str; 8] = ["i32", "u8", "i64", "u32", "i16", "u16", "isize", "usize"];

/// Where `code` names a `Result` whose error is a bare integer (an exit code instead of a
/// typed error), as a type or in a turbofish (`Ok::<_, i32>`).
fn exit_code_errors(code: &str) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = (result_errors(code).into_iter())
        .filter(|(_, error)| EXIT_CODE_TYPES.contains(&error.as_str()))
        .map(|(line, error)| (line, format!("Result<…, {error}>")))
        .collect();
    for (i, line) in code.lines().enumerate() {
        let flat: String = line.split_whitespace().collect();
        for int in EXIT_CODE_TYPES {
            for maker in ["Ok::<_,", "Err::<_,"] {
                if flat.contains(&format!("{maker}{int}>")) {
                    found.push((i + 1, format!("{maker} {int}>")));
                }
            }
        }
    }
    found.sort();
    found
}

/// ARCHITECTURE.md: the one-shot commands fail with a typed `CliError` (its `exit_code()`,
/// said once in `main`), never a `Result<_, i32>` carrying a code whose message was printed
/// wherever the error was made.
#[test]
fn no_result_carries_a_bare_exit_code() {
    let mut breaches = Vec::new();
    for (path, text) in sources() {
        for (line, what) in exit_code_errors(&code_only(&text)) {
            breaches.push(format!("{path}:{line}: {what}"));
        }
    }
    assert!(
        breaches.is_empty(),
        "a command's error is a CliError, not an exit code (ARCHITECTURE.md, Invariants):\n{}",
        breaches.join("\n")
    );
}

#[test]
fn the_exit_code_check_catches_a_planted_code_and_not_a_typed_error() {
    let planted = r##"
        async fn get_one() -> Result<i32, i32> { Ok(0) }
        fn open() -> std::result::Result<
            Trail,
            u8,
        > { todo!() }
        fn lookups() { let x = async { Ok::<_, i32>(1) }; }
    "##;
    let lines: Vec<usize> = (exit_code_errors(&code_only(planted)).iter())
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(lines, [2, 3, 7], "{planted}");
    let fine = r##"
        // Result<(), i32> in a comment, and "Result<u8, i32>" in a string
        pub async fn get() -> Result<i32, CliError> { Ok(3) }
        fn score() -> Option<i32> { None }
        fn parse() -> Result<i32, ParseIntError> { "1".parse() }
        fn pages() -> Result<Vec<(String, i32)>, CliError> { Ok(Vec::new()) }
        fn io() -> std::io::Result<i32> { Ok(0) }
    "##;
    assert_eq!(exit_code_errors(&code_only(fine)), [], "{fine}");
}

/// The crates only `cognito/sdk.rs` may name.
const SDK_CRATES: [&str; 5] = [
    "aws_sdk_",
    "aws_config",
    "aws_smithy_",
    "aws_types",
    "aws_credential_types",
];

/// Where `code` names one of [`SDK_CRATES`] (as a path, not inside a longer name).
fn sdk_mentions(code: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        for krate in SDK_CRATES {
            let hit = line.match_indices(krate).any(|(at, _)| {
                !line[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if hit {
                found.push((i + 1, krate));
            }
        }
    }
    found
}

#[test]
fn only_the_sdk_backend_names_the_aws_sdk() {
    let mut breaches = Vec::new();
    let mut sdk_seen = false;
    for (path, text) in sources() {
        let mentions = sdk_mentions(&code_only(&text));
        if path == "src/cognito/sdk.rs" {
            sdk_seen = !mentions.is_empty();
            continue;
        }
        // The SDK backend's own submodules (client construction: `sdk/client.rs`).
        if path.starts_with("src/cognito/sdk/") {
            continue;
        }
        for (line, krate) in mentions {
            breaches.push(format!("{path}:{line}: {krate}"));
        }
    }
    assert!(
        sdk_seen,
        "src/cognito/sdk.rs names no SDK crate: is the check blind?"
    );
    assert!(
        breaches.is_empty(),
        "only src/cognito/sdk.rs sees AWS SDK types (ARCHITECTURE.md, Invariants):\n{}",
        breaches.join("\n")
    );
    let planted = "use aws_sdk_cognitoidentityprovider as cip;\n// aws_config in a comment\n\
                   fn f(x: my_aws_config::X) { aws_smithy_types::DateTime::from_secs(0); }";
    assert_eq!(
        sdk_mentions(&code_only(planted)),
        [(1, "aws_sdk_"), (3, "aws_smithy_")]
    );
}

/// Every top-level room of `src/` and its layer. A room missing here fails
/// [`dependencies_point_one_way_and_rooms_stay_small`]: say where a new one sits.
const LAYERS: [(&str, Layer); 31] = [
    ("", Layer::Entry),
    ("tui", Layer::Entry),
    ("ui", Layer::View),
    ("app", Layer::Model),
    ("worker", Layer::Worker),
    ("oneshot", Layer::OneShot),
    ("export", Layer::OneShot),
    ("filter", Layer::Domain),
    ("act", Layer::Domain),
    ("output", Layer::Domain),
    ("tabular", Layer::Domain),
    ("cognito", Layer::Domain),
    ("search", Layer::Domain),
    ("session", Layer::Domain),
    ("time", Layer::Domain),
    ("ratelimit", Layer::Domain),
    ("diagnose", Layer::Domain),
    ("config", Layer::Domain),
    ("paths", Layer::Domain),
    ("login", Layer::Domain),
    ("phone", Layer::Domain),
    ("audit", Layer::Domain),
    ("cli", Layer::Domain),
    ("keymap", Layer::Domain),
    ("hatch", Layer::Domain),
    ("sanitize", Layer::Domain),
    ("redact", Layer::Domain),
    ("width", Layer::Domain),
    ("exit", Layer::Domain),
    ("log", Layer::Domain),
    ("hangup", Layer::Domain),
];

/// Where a room sits; each layer names the layers it must never import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// `main.rs`, `lib.rs`, `tui.rs`: they wire everything together.
    Entry,
    /// `ui`: reads the model, draws.
    View,
    /// `app`: the model and `update`, no IO.
    Model,
    /// The one code that awaits IO for the TUI.
    Worker,
    /// The one-shot commands.
    OneShot,
    /// Everything below: Cognito, search, sessions, output, the leaves.
    Domain,
}

impl Layer {
    /// The layers this one must not import.
    fn forbidden(self) -> &'static [Layer] {
        use Layer::*;
        match self {
            Entry => &[],
            View => &[Entry, Worker, OneShot],
            Model => &[Entry, View, Worker, OneShot],
            Worker => &[Entry, View, OneShot],
            OneShot => &[Entry, View, Model, Worker],
            Domain => &[Entry, View, Model, Worker, OneShot],
        }
    }
}

/// Where the rooms of `graph` break [`LAYERS`]: an import against the arrows, or a room with
/// no layer.
fn layer_breaches(graph: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<String> {
    let layer = |room: &str| LAYERS.iter().find(|(r, _)| *r == room).map(|(_, l)| *l);
    let mut breaches = Vec::new();
    for (room, uses) in rooms(graph) {
        let Some(from) = layer(&room) else {
            breaches.push(format!(
                "src/{room}: no layer in LAYERS (tests/it/invariants.rs)"
            ));
            continue;
        };
        for used in uses {
            match layer(&used) {
                Some(to) if from.forbidden().contains(&to) => {
                    breaches.push(format!("{room} ({from:?}) imports {used} ({to:?})"))
                }
                _ => {}
            }
        }
    }
    breaches
}

/// Dependencies point one way (ARCHITECTURE.md: ui → app → the domain; the worker and the
/// one-shot commands beside them, nothing below importing anything above), for every room
/// of `src/`, leaves included; and the rooms stay small enough to read: no source file over
/// 900 lines, `app.rs` (the model's dispatch) at most 800.
#[test]
fn dependencies_point_one_way_and_rooms_stay_small() {
    let files = sources();
    let mut breaches = layer_breaches(&import_graph(&files));
    for (path, text) in &files {
        let lines = text.lines().count();
        let most = if path == "src/app.rs" { 800 } else { 900 };
        if lines > most {
            breaches.push(format!("{path} has {lines} lines (at most {most})"));
        }
    }
    assert!(breaches.is_empty(), "{breaches:#?}");
    let file = |p: &str, t: &str| (p.to_string(), t.to_string());
    let planted = [
        file(
            "src/lib.rs",
            "pub mod app; pub mod cognito; pub mod ui; pub mod newroom;",
        ),
        file("src/cognito/mod.rs", "mod sdk;"),
        file("src/cognito/sdk.rs", "use crate::app::Msg;"),
        file("src/app.rs", "use crate::ui::view;"),
        file("src/ui/mod.rs", "use crate::app::App;"),
        file("src/newroom.rs", ""),
    ];
    assert_eq!(
        layer_breaches(&import_graph(&planted)),
        [
            "app (Model) imports ui (View)",
            "cognito (Domain) imports app (Model)",
            "src/newroom: no layer in LAYERS (tests/it/invariants.rs)",
        ]
    );
}

/// The module a source file is, as `::`-joined path segments (`src/app/finder/mod.rs` is
/// `app::finder`, `src/lib.rs` and `src/main.rs` the crate root, "").
fn module_of(path: &str) -> String {
    let rel = path.trim_start_matches("src/").trim_end_matches(".rs");
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    if rel == "lib" || rel == "main" {
        return String::new();
    }
    rel.replace('/', "::")
}

/// `code` without its `#[cfg(test)] mod … { … }` blocks: their `super` is the file itself.
fn without_test_modules(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at..];
        let Some(open) = rest.find('{') else { break };
        if !rest[..open].contains("mod ") {
            out.replace_range(at..at + "#[cfg(test)]".len(), "");
            continue;
        }
        let mut depth = 0;
        let mut end = rest.len();
        for (i, c) in rest.char_indices().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(at..at + end, "");
    }
    out
}

/// Every path `code` names from `crate::` or `super::`, braces expanded one level deep and
/// more (`crate::app::{App, finder::{Finder}}` gives `crate::app::App` and
/// `crate::app::finder::Finder`).
fn crate_paths(code: &str) -> Vec<String> {
    fn expand(prefix: &str, rest: &str, out: &mut Vec<String>) {
        // `rest` starts just after `{`: split at depth-0 commas up to the matching `}`.
        let (mut depth, mut part) = (0, String::new());
        for c in rest.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                _ => {}
            }
            if c == ',' && depth == 0 {
                one(prefix, &std::mem::take(&mut part), out);
            } else {
                part.push(c);
            }
        }
        one(prefix, &part, out);
    }
    fn one(prefix: &str, part: &str, out: &mut Vec<String>) {
        let part: String = part.split_whitespace().collect::<Vec<_>>().join(" ");
        let part = part.split(" as ").next().unwrap_or("").trim();
        if part.is_empty() || part == "self" {
            out.push(prefix.to_string());
        } else if let Some(open) = part.find('{') {
            let head = part[..open].trim_end_matches(':');
            expand(&format!("{prefix}::{head}"), &part[open + 1..], out);
        } else {
            out.push(format!("{prefix}::{part}"));
        }
    }
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::"] {
        for (at, _) in code.match_indices(start) {
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':')
            {
                continue;
            }
            let tail = &code[at..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            let path = tail[..end].trim_end_matches(':');
            if tail[end..].starts_with('{') && tail[..end].ends_with("::") {
                expand(path, &tail[end + 1..], &mut out);
            } else {
                out.push(path.to_string());
            }
        }
    }
    out
}

/// The file-to-file graph of `crate::`/`super::` paths: for each module, the other modules
/// it names (a path goes to the longest module it starts with). A parent naming its own
/// children (`mod x; pub use x::…`) is how Rust nests modules, not an import between rooms,
/// and is not counted; a child naming its parent is.
fn import_graph(files: &[(String, String)]) -> std::collections::BTreeMap<String, Vec<String>> {
    let modules: std::collections::BTreeSet<String> =
        files.iter().map(|(p, _)| module_of(p)).collect();
    let mut graph = std::collections::BTreeMap::new();
    for (path, text) in files {
        let me = module_of(path);
        let mut targets = std::collections::BTreeSet::new();
        for named in crate_paths(&without_test_modules(&code_only(text))) {
            let mut segs: Vec<&str> = Vec::new();
            let mut rest = named.as_str();
            if let Some(r) = rest.strip_prefix("crate") {
                rest = r;
            } else {
                segs = me.split("::").filter(|s| !s.is_empty()).collect();
                while let Some(r) = rest.strip_prefix("super") {
                    segs.pop();
                    rest = r.trim_start_matches("::");
                    if !rest.starts_with("super") {
                        rest = if rest.is_empty() { "" } else { rest };
                        break;
                    }
                }
            }
            segs.extend(rest.split("::").filter(|s| !s.is_empty()));
            let target = (0..=segs.len())
                .rev()
                .map(|k| segs[..k].join("::"))
                .find(|m| modules.contains(m))
                .unwrap_or_default();
            let descendant = !me.is_empty() && target.starts_with(&format!("{me}::"));
            // The crate root declares every room: all of its paths go down.
            let from_root = me.is_empty();
            if target != me && !descendant && !from_root {
                targets.insert(target);
            }
        }
        graph.insert(me, targets.into_iter().collect());
    }
    graph
}

/// Each import circle of `graph`, as the modules around it (`a → b → a`).
fn cycles(graph: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<String> {
    fn visit(
        node: &str,
        graph: &std::collections::BTreeMap<String, Vec<String>>,
        stack: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
        found: &mut Vec<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut circle = stack[at..].to_vec();
            circle.push(node.to_string());
            found.push(circle.join(" → "));
            return;
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
        done.insert(node.to_string());
    }
    let (mut done, mut found) = (Default::default(), Vec::new());
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

/// `graph` with each module folded into its top-level room (`app::finder::search` into
/// `app`): a circle through a room's children (`hatch` → `app`, `app::main_screen` →
/// `hatch`) is a circle between the rooms even when no two files name each other.
fn rooms(
    graph: &std::collections::BTreeMap<String, Vec<String>>,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let room = |m: &str| m.split("::").next().unwrap_or("").to_string();
    let mut rooms: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (from, tos) in graph {
        let entry = rooms.entry(room(from)).or_default();
        entry.extend((tos.iter().map(|t| room(t))).filter(|t| *t != room(from) && !t.is_empty()));
    }
    (rooms.into_iter())
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

/// No two source files import each other, directly or around a longer circle, and no two
/// top-level rooms do: each can be read, tested and changed from what it uses, without
/// what uses it.
#[test]
fn no_import_circle_between_files() {
    let files = sources();
    let graph = import_graph(&files);
    assert!(
        graph["ui::allpools"].contains(&"ui::popup::frame".to_string()),
        "the graph misses a known import: {:?}",
        graph["ui::allpools"]
    );
    let found: Vec<String> = (cycles(&graph).into_iter().chain(cycles(&rooms(&graph)))).collect();
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_circle_check_catches_a_planted_circle_and_not_a_parent_and_its_child() {
    let file = |p: &str, t: &str| (p.to_string(), t.to_string());
    let planted = [
        file("src/lib.rs", "pub mod a; pub mod b; pub mod c;"),
        file("src/a.rs", "use crate::b::{Thing, more::{X}};"),
        file("src/b/mod.rs", "pub mod more; pub struct Thing;"),
        file("src/b/more.rs", "pub fn f() { crate::c::g() }"),
        file(
            "src/c.rs",
            "// crate::a in a comment is not an import\nuse super::a::A;",
        ),
    ];
    assert_eq!(cycles(&import_graph(&planted)), ["a → b::more → c → a"]);
    // Through a room's children: no two files name each other, the rooms do.
    let through_children = [
        file("src/lib.rs", "pub mod app; pub mod hatch;"),
        file("src/app/mod.rs", "mod keys; pub use crate::session::Info;"),
        file("src/app/keys.rs", "use crate::hatch::command;"),
        file("src/hatch.rs", "use crate::app::Info;"),
    ];
    let graph = import_graph(&through_children);
    assert_eq!(cycles(&graph), Vec::<String>::new());
    assert_eq!(cycles(&rooms(&graph)), ["app → hatch → app"]);
    let fine = [
        file("src/lib.rs", "pub mod app; pub mod ui;"),
        file(
            "src/app/mod.rs",
            "mod finder; pub use finder::Finder; use crate::app::finder::F; pub struct App;",
        ),
        file(
            "src/app/finder.rs",
            "use super::App;\n#[cfg(test)]\nmod tests { use super::*; use crate::ui::x; }",
        ),
        file("src/ui.rs", "use crate::app::{App, Finder};"),
    ];
    assert_eq!(cycles(&import_graph(&fine)), Vec::<String>::new());
}

/// Where `code` names the type `App` (as a word).
fn names_app(code: &str) -> bool {
    code.match_indices("App").any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + 3..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The struct definitions in `code` whose fields name `App`: a view that would keep the model.
fn structs_holding_app(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("struct ") {
        let rest = &code[at..];
        let (Some(open), Some(semi)) = (rest.find('{'), rest.find(';')) else {
            continue;
        };
        if semi < open {
            continue;
        }
        let end = rest[open..].find("\n}").map_or(rest.len(), |e| open + e);
        if names_app(&rest[open..end]) {
            found.push(rest[..open].trim().to_string());
        }
    }
    found
}

/// ARCHITECTURE.md: the model is read by the view (each part's view struct is built from
/// it in `ui/`, and holds only what it draws, never `App`) and by the terminal loop; no
/// other room names `App`.
#[test]
fn only_the_view_and_the_loop_read_the_model_and_no_view_keeps_it() {
    let mut breaches = Vec::new();
    for (path, text) in sources() {
        let code = code_only(&text);
        let allowed = path == "src/app.rs"
            || path.starts_with("src/app/")
            || path.starts_with("src/ui/")
            || path == "src/tui.rs";
        if !allowed && names_app(&code) {
            breaches.push(format!("{path} names App"));
        }
        if path.starts_with("src/ui/") {
            for s in structs_holding_app(&code) {
                breaches.push(format!("{path}: {s} holds App"));
            }
        }
    }
    assert!(breaches.is_empty(), "{breaches:#?}");
    let planted = "pub struct HeaderView<'a> {\n    pub pool: &'a str,\n}\n\
                   pub struct Lazy<'a> {\n    app: &'a App,\n}\nstruct Unit;\n\
                   impl<'a> HeaderView<'a> { fn of(app: &'a App) -> Self { todo!() } }";
    assert_eq!(structs_holding_app(planted), ["struct Lazy<'a>"]);
    assert!(names_app("use crate::app::App;") && !names_app("struct AppError; let apps;"));
}

/// Where `code` assigns the pool in use (`….pool = …`).
fn pool_assignments(code: &str) -> usize {
    code.lines()
        .filter(|l| {
            let flat: String = l.split_whitespace().collect();
            flat.contains(".pool=") && !flat.contains(".pool==")
        })
        .count()
}

/// The fields of `name`'s struct definition in `code` that are `pub` in any form.
fn public_fields(code: &str, name: &str) -> Vec<String> {
    let Some(at) = code.find(&format!("struct {name} {{")) else {
        return vec![format!("no struct {name}")];
    };
    let body = &code[at..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    (body.lines().skip(1))
        .map(str::trim)
        .filter(|l| l.starts_with("pub") && l.contains(':'))
        .map(str::to_string)
        .collect()
}

/// ARCHITECTURE.md: the pool in use is the private `pool` of `PoolSession`, the part of `App`
/// in `app/pools.rs` (so no other file can write it), and it is assigned once there: when the
/// worker has checked the pool switched to (`Msg::PoolSwitched`). The start-up pool's
/// session (`Msg::Connected`) is taken only for that pool. And `App`'s fields, like those of
/// its parts, are private: the model changes through the parts' methods.
#[test]
fn the_pool_in_use_changes_only_on_pool_switched() {
    let mut seen = Vec::new();
    for (path, text) in sources() {
        let n = pool_assignments(&code_only(&text));
        if n > 0 && (path == "src/app.rs" || path.starts_with("src/app/")) {
            seen.push(format!("{path}: {n}"));
        }
    }
    seen.sort();
    assert_eq!(seen, ["src/app/pools.rs: 1"]);
    let files: std::collections::HashMap<_, _> = sources().into_iter().collect();
    let pools = code_only(&files["src/app/pools.rs"]);
    assert_eq!(public_fields(&pools, "PoolSession"), Vec::<String>::new());
    // App is a composition of parts whose fields no file outside `app/` can reach, and each
    // part's fields are its own module's.
    for (path, name) in [
        ("src/app.rs", "App"),
        ("src/app/user.rs", "UserPanes"),
        ("src/app/layers.rs", "Layers"),
        ("src/app/finder/mod.rs", "Finders"),
    ] {
        let code = code_only(&files[path]);
        assert_eq!(public_fields(&code, name), Vec::<String>::new(), "{path}");
    }
    assert_eq!(
        pool_assignments("app.pool = id;\nif app.pool == x {}\nself.pool_status = y;"),
        1
    );
    let planted = "pub(crate) struct PoolSession {\n    /// doc\n    pub(crate) pool: String,\n    \
                   session: Option<S>,\n}";
    assert_eq!(
        public_fields(planted, "PoolSession"),
        ["pub(crate) pool: String,"]
    );
}

/// The names of the `&mut self` methods of `impl App` blocks in `code`.
fn app_mutators(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("impl App {") {
        let block = &code[at..];
        let block = &block[..block.find("\n}").unwrap_or(block.len())];
        for (at, _) in block.match_indices("fn ") {
            let rest = &block[at + 3..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let params = &rest[name.len()..];
            let params = params.trim_start_matches(|c: char| c != '(');
            if params
                .trim_start_matches('(')
                .trim_start()
                .starts_with("&mut self")
            {
                names.push(name);
            }
        }
    }
    names
}

/// The `app.NAME(` calls in `code` whose NAME is one of `mutators`, once each, sorted.
fn mutator_calls(code: &str, mutators: &[String]) -> Vec<String> {
    let mut called: Vec<String> = (mutators.iter())
        .filter(|m| code.contains(&format!("app.{m}(")))
        .cloned()
        .collect();
    called.sort();
    called.dedup();
    called
}

/// ARCHITECTURE.md: besides `update`, only the terminal loop changes the model, and only
/// through the methods it names (start-up's lookup and picker, the clock, its own notices,
/// the worker stopping); the view has `&App` and can't.
#[test]
fn besides_update_only_the_loop_changes_the_model_by_named_methods() {
    let files = sources();
    let mutators: Vec<String> = (files.iter())
        .filter(|(path, _)| path == "src/app.rs" || path.starts_with("src/app/"))
        .flat_map(|(_, text)| app_mutators(&code_only(text)))
        .collect();
    assert!(mutators.contains(&"set_now".to_string()), "{mutators:?}");
    let mut outside = Vec::new();
    for (path, text) in &files {
        if path == "src/app.rs" || path.starts_with("src/app/") {
            continue;
        }
        for call in mutator_calls(&code_only(text), &mutators) {
            outside.push(format!("{path}: {call}"));
        }
    }
    let loop_calls = [
        "add_to_notice",
        "open_pools",
        "say",
        "set_now",
        "start_lookup",
        "worker_stopped",
    ];
    let expected: Vec<String> = (loop_calls.iter())
        .map(|c| format!("src/tui.rs: {c}"))
        .collect();
    assert_eq!(outside, expected);
    let planted = "impl App {\n    pub fn busy(&self) -> bool { true }\n    \
                   pub(crate) fn clear_user(&mut self) {}\n}";
    let mutators = app_mutators(planted);
    assert_eq!(mutators, ["clear_user"]);
    assert_eq!(
        mutator_calls("if app.busy() { app.clear_user(); }", &mutators),
        ["clear_user"]
    );
}
