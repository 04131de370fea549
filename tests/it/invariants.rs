//! ARCHITECTURE.md's invariants that a reading of the source can check: only `cognito/sdk.rs`
//! names the AWS SDK crates, and no error is a bare `String` (errors are thiserror enums).
//! The source is read with comments and string contents blanked, so prose about a rule is
//! not taken for a breach of it; each check is also shown to catch a planted breach.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, as (path relative to the crate, text).
fn sources() -> Vec<(String, String)> {
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

/// Where `code` names a `Result` whose error type is a bare `String` (also over several
/// lines and behind nested generics), and where it builds or maps to a `String` error.
fn string_errors(code: &str) -> Vec<(usize, String)> {
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
        if matches!(
            error.as_str(),
            "String" | "std::string::String" | "&str" | "&'staticstr" | "Box<str>"
        ) {
            found.push((line_of(code, at), format!("Result<…, {error}>")));
        }
    }
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

/// The domain layers never reach up into the model or the view (ARCHITECTURE: dependencies
/// point one way), and the rooms stay small enough to read: no source file over 900 lines,
/// `app.rs` (the model's dispatch) at most 800.
#[test]
fn dependencies_point_one_way_and_rooms_stay_small() {
    let mut breaches = Vec::new();
    for (path, text) in sources() {
        let domain = path.starts_with("src/cognito/")
            || path.starts_with("src/search/")
            || path == "src/session.rs"
            || path == "src/time.rs";
        let code = code_only(&text);
        if domain && (code.contains("crate::app") || code.contains("crate::ui")) {
            breaches.push(format!("{path} imports the model or the view"));
        }
        let lines = text.lines().count();
        let most = if path == "src/app.rs" { 800 } else { 900 };
        if lines > most {
            breaches.push(format!("{path} has {lines} lines (at most {most})"));
        }
    }
    assert!(breaches.is_empty(), "{breaches:#?}");
}
