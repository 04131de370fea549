//! ARCHITECTURE.md's "one output sink": nothing in `src/` writes to stdout or stderr except
//! `src/output/`, where every format gets its escaping and every write error its exit code.
//! The source is read with comments and strings blanked (`invariants::code_only`); the
//! check is shown to catch a planted breach of each kind, and to let the sink's own calls
//! and prose about the rule pass.

use crate::invariants::{code_only, sources};

/// The sink: the only module that may name the process's stdout and stderr.
const SINK: &str = "src/output/";

/// The TUI's own terminal: ratatui/crossterm draw on stdout, and `tui.rs` hands it to
/// crossterm for bracketed paste and the OSC 52 copy, and asks whether it is a terminal.
/// Exact lines, so any other use in `tui.rs` is still a breach.
const TERMINAL_LINES: [(&str, &str); 3] = [
    (
        "src/tui.rs",
        "crossterm::execute!(std::io::stdout(), DisableBracketedPaste)",
    ),
    (
        "src/tui.rs",
        "crossterm::execute!(std::io::stdout(), EnableBracketedPaste)",
    ),
    ("src/tui.rs", "let mut out = std::io::stdout();"),
];

/// The TUI's question "is stdout a terminal?", which writes nothing.
const TERMINAL_QUESTION: (&str, &str) = ("src/tui.rs", "std::io::stdout().is_terminal()");

/// Everywhere: printing macros, the process's handles, serde_json straight to a writer.
const ANYWHERE: [&str; 10] = [
    "println!",
    "print!",
    "eprintln!",
    "eprint!",
    "dbg!",
    "stdout()",
    "stderr()",
    "io::stdout",
    "io::stderr",
    "to_writer",
];

/// The one-shot commands have nothing of their own to write to: a `write!` there can only
/// be a handle that went around the sink.
const COMMAND_MODULES: [&str; 4] = [
    "src/main.rs",
    "src/oneshot.rs",
    "src/oneshot/",
    "src/export.rs",
];
const IN_COMMANDS: [&str; 4] = ["write!", "writeln!", ".write_all(", ".write("];

/// Each write around the sink in `code` (comments and strings already blanked), as
/// (line, what) — for the file at `path`.
fn breaches(path: &str, code: &str) -> Vec<(usize, &'static str)> {
    if path.starts_with(SINK) {
        return Vec::new();
    }
    let command = COMMAND_MODULES.iter().any(|m| path.starts_with(m));
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let allowed = TERMINAL_LINES
            .iter()
            .chain([&TERMINAL_QUESTION])
            .any(|(file, allowed)| *file == path && line.contains(allowed));
        if allowed {
            continue;
        }
        let forbidden = ANYWHERE
            .iter()
            .chain(IN_COMMANDS.iter().filter(|_| command));
        for what in forbidden {
            if line.contains(what) {
                found.push((i + 1, *what));
            }
        }
    }
    found
}

#[test]
fn only_the_output_sink_writes_to_stdout_and_stderr() {
    let mut all = Vec::new();
    let mut sink_files = 0;
    for (path, text) in sources() {
        sink_files += usize::from(path.starts_with(SINK));
        for (line, what) in breaches(&path, &code_only(&text)) {
            all.push(format!("{path}:{line}: {what}"));
        }
    }
    assert!(sink_files >= 3, "src/output/ not found");
    assert!(
        all.is_empty(),
        "writes around the output sink (use output::Stdout, output::error/say…):\n{}",
        all.join("\n")
    );
}

#[test]
fn the_sink_check_catches_a_planted_breach_of_each_kind() {
    let planted = r#"
        fn a() { println!("x"); }
        fn b() { eprintln!("error: {}", e); }
        fn c() { print!("x"); eprint!("\r"); }
        fn d() { let _ = std::io::stdout().lock(); }
        fn e() { writeln!(std::io::stderr(), "x").ok(); }
        fn f() { serde_json::to_writer(&mut out, &v)?; }
        fn g() { tracing_subscriber::fmt().with_writer(std::io::stderr); }
        fn h() { dbg!(x); }
    "#;
    let code = code_only(planted);
    let caught: Vec<&str> = breaches("src/somewhere.rs", &code)
        .into_iter()
        .map(|(_, what)| what)
        .collect();
    for what in [
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "stdout()",
        "stderr()",
        "to_writer",
        "io::stderr",
        "dbg!",
    ] {
        assert!(caught.contains(&what), "{what} not caught: {caught:?}");
    }
    // In a command module a write on any handle is a breach too.
    let command = code_only("fn p(w: &mut W) { writeln!(w, \"{}\", line)?; w.write_all(b)?; }");
    assert_eq!(breaches("src/oneshot/batch.rs", &command).len(), 2);
    assert_eq!(breaches("src/oneshot/diagnose.rs", &command).len(), 2);
    // The same inside the sink, in a comment or a string, or through the sink, passes.
    assert!(breaches("src/output/sink.rs", &code).is_empty());
    let clean = code_only(
        "// never println! here, nor std::io::stdout()\n\
         fn q() { output::error(\"eprintln! is not used\"); out.json_line(&v)?; }",
    );
    assert!(breaches("src/oneshot/batch.rs", &clean).is_empty());
    // tui.rs may hand stdout to crossterm on the lines named, and nowhere else.
    let tui = code_only(
        "let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste);\n\
         let _ = writeln!(std::io::stderr(), \"x\");",
    );
    let lines: Vec<usize> = breaches("src/tui.rs", &tui).iter().map(|b| b.0).collect();
    assert!(
        !lines.is_empty() && lines.iter().all(|&l| l == 2),
        "{lines:?}"
    );
}
