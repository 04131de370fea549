//! tests/README.md: no test changes the process environment. An in-process test gives the
//! AWS SDK its credentials and AWS files through `Target::sdk` (`common::target`); a child
//! process gets its environment with `Command::env`. A variable set in the test process
//! would reach every test running beside it, and a constructor before `main` (the `ctor`
//! crate) would hide that from a reader.

use std::path::Path;

use crate::invariants::code_only;

/// What changes the process environment, or runs code before `main`.
const CHANGES_THE_ENVIRONMENT: [&str; 4] = ["set_var(", "remove_var(", "ctor::", "#[ctor"];

/// Where `code` (comments and strings blanked) changes the environment, as (line, what).
fn environment_changes(code: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let flat: String = line.split_whitespace().collect();
        for what in CHANGES_THE_ENVIRONMENT {
            if flat.contains(what) {
                found.push((i + 1, what));
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, as (path, text).
fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn no_test_changes_the_process_environment() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
        &mut files,
    );
    assert!(files.len() > 20, "tests/ not found");
    let mut breaches = Vec::new();
    for (path, text) in &files {
        for (line, what) in environment_changes(&code_only(text)) {
            breaches.push(format!("{path}:{line}: {what}"));
        }
    }
    assert!(breaches.is_empty(), "{breaches:#?}");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    let ctor = (manifest.unwrap().lines()).any(|l| l.trim_start().starts_with("ctor "));
    assert!(!ctor, "Cargo.toml names the ctor crate again");
}

#[test]
fn the_environment_check_catches_a_planted_change_and_not_prose() {
    let planted = "#[ctor::ctor(unsafe)]\nfn isolate() {\n    unsafe { std::env::set_var(\"HOME\", \"/x\") };\n\
                   unsafe { std::env::remove_var(\"AWS_PROFILE\") }\n}";
    let lines: Vec<usize> = (environment_changes(&code_only(planted)).iter())
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(lines, [1, 1, 3, 4], "{planted}");
    let fine = "// never std::env::set_var( here\nlet c = Command::new(\"x\").env(\"HOME\", home);\n\
                let s = \"set_var(\";\nlet v = std::env::var(\"CI\");";
    assert_eq!(environment_changes(&code_only(fine)), []);
}
