//! Help for the command line, through the real binary: `get --help` shows the query as
//! required (or `-`, or `--from FILE`) and lists the options every command takes in one
//! block, in `--help`'s order; `man` is one page that names no other page, with the TUI's
//! keys from the key table and the exit codes README documents.

use crate::common::cli;

/// The long options of a help text, in the order it lists them.
fn long_options(help: &str) -> Vec<String> {
    help.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("-o, ").unwrap_or(line);
            let line = line.strip_prefix("-h, ").unwrap_or(line);
            let line = line.strip_prefix("-V, ").unwrap_or(line);
            let name = line.strip_prefix("--")?;
            Some(name.split([' ', '=']).next()?.to_string())
        })
        .collect()
}

#[test]
fn get_help_shows_the_query_as_required() {
    let help = cli::run_args(&["get", "--help"]);
    assert_eq!(help.code, 0, "{}", help.stderr);
    let usage: Vec<&str> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Usage:"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        usage,
        [
            "Usage: cognito-tui get [OPTIONS] <QUERY|->",
            "       cognito-tui get [OPTIONS] --from <FILE>",
        ],
        "{}",
        help.stdout
    );
    // Without any of the three: a usage error naming them, exit 2.
    let none = cli::run_args(&["get", "--demo"]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(
        none.stderr.contains("<QUERY|-|--from <FILE>>"),
        "{}",
        none.stderr
    );
    // Positive control: each of the three alone is accepted.
    let one = cli::run_args(&["get", "--demo", "alice", "-o", "json"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    let from = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(from.path(), "alice\n").unwrap();
    let batch = cli::run_args(&["get", "--demo", "--from", from.path().to_str().unwrap()]);
    assert_eq!(batch.code, 0, "{}", batch.stderr);
}

#[test]
fn get_help_lists_the_options_every_command_takes_in_the_order_of_help() {
    let top = cli::run_args(&["--help"]);
    let get = cli::run_args(&["get", "--help"]);
    assert_eq!((top.code, get.code), (0, 0), "{}{}", top.stderr, get.stderr);
    let global: Vec<String> = long_options(
        top.stdout
            .split("Global options:")
            .nth(1)
            .expect("--help has a Global options block"),
    );
    assert!(global.len() >= 8, "{global:?}");
    let listed = long_options(&get.stdout);
    // The global ones, as `get --help` lists them: the same order, one block at the end.
    let at: Vec<usize> = global
        .iter()
        .map(|g| {
            listed
                .iter()
                .position(|o| o == g)
                .unwrap_or_else(|| panic!("get --help lacks --{g}: {listed:?}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[1] == w[0] + 1), "{listed:?}");
    assert_eq!(at.last(), Some(&(listed.len() - 1)), "{listed:?}");
    // get's own options come first, in their declared order.
    let own = &listed[..at[0]];
    assert_eq!(
        own,
        [
            "from",
            "all-pools",
            "pools",
            "attributes",
            "by",
            "output",
            "query",
            "include",
            "help"
        ],
        "{listed:?}"
    );
}

/// The page's text with roff's escapes of `-` and `\` undone.
fn man_page() -> String {
    let r = cli::run_args(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
        .replace("\\e", "\\")
}

#[test]
fn the_man_page_names_no_other_page() {
    let page = man_page();
    // Positive control: the page does name commands and a page reference would be seen.
    assert!(page.contains(".SS \"cognito-tui get\""), "{page}");
    let refs: Vec<&str> = page
        .match_indices("(1)")
        .map(|(i, _)| {
            page[..i]
                .rsplit(|c: char| c.is_whitespace() || c == '"')
                .next()
                .unwrap()
        })
        .collect();
    assert!(refs.is_empty(), "the page refers to other pages: {refs:?}");
    assert!(
        !page.contains("cognito-tui-"),
        "a per-command page is named"
    );
    // Every command's own options are on this page.
    for option in [
        "--from",
        "--all-pools",
        "--limit",
        "--starting-token",
        "--include",
    ] {
        assert!(
            page.contains(&format!("\\fB{option}\\fR")),
            "{option} missing"
        );
    }
}

#[test]
fn the_man_page_has_every_key_of_the_key_table() {
    use cognito_tui::keymap::{HELP_ORDER, bindings};
    let page = man_page();
    assert!(page.contains(".SH KEYS"), "{page}");
    let mut count = 0;
    for context in HELP_ORDER {
        for b in bindings(context, true) {
            let entry = format!(".TP\n\\fB{}\\fR\n{}", b.label, b.help);
            assert!(page.contains(&entry), "the man page lacks {entry:?}");
            count += 1;
        }
    }
    assert!(count > 40, "only {count} bindings were checked");
}

#[test]
fn the_man_page_and_readme_list_the_same_exit_codes() {
    use cognito_tui::cli::EXIT_CODES;
    let page = man_page();
    let section = page
        .split(".SH \"EXIT STATUS\"")
        .nth(1)
        .expect("EXIT STATUS");
    for (code, meaning) in EXIT_CODES {
        let entry = format!(".TP\n\\fB{code}\\fR\n{}", meaning.replace('`', ""));
        assert!(section.contains(&entry), "the man page lacks {entry:?}");
    }
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table: Vec<(i32, String)> = readme
        .split("### Exit codes")
        .nth(1)
        .expect("README's exit codes")
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').splitn(2, '|').collect();
            (
                cells[0].trim().parse().expect("a code"),
                cells[1].trim().to_string(),
            )
        })
        .collect();
    let listed: Vec<(i32, String)> = EXIT_CODES
        .iter()
        .map(|(c, m)| (*c, m.to_string()))
        .collect();
    assert_eq!(
        table, listed,
        "README's exit codes differ from cli::EXIT_CODES"
    );
    // The commands use the names in src/exit.rs, and those are this list
    // (exit_codes::the_documented_list_is_the_named_codes_in_order).
}
