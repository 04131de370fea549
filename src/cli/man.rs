//! The man page, from the same definitions as `--help`: one page, `cognito-tui(1)`, holding
//! every command's synopsis and options (the packages install no other page, so it names
//! none), the terminal UI's keys from the one key table, and the exit codes from
//! [`super::EXIT_CODES`].

use clap::CommandFactory;
use clap_mangen::Man;
use roff::{Roff, bold, italic, roman};

use super::{Cli, EXIT_CODES};
use crate::keymap::{HELP_ORDER, bindings};

/// The whole page, as roff.
pub fn page() -> std::io::Result<Vec<u8>> {
    let cmd = Cli::command();
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    commands(&mut out)?;
    // The top-level examples, under a heading that says so (clap_mangen writes "EXTRA").
    let mut examples = Vec::new();
    man.render_extra_section(&mut examples)?;
    let examples = String::from_utf8_lossy(&examples).replace(".SH EXTRA", ".SH EXAMPLES");
    out.extend_from_slice(examples.as_bytes());
    out.extend(keys().render().into_bytes());
    out.extend(exit_status().render().into_bytes());
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// COMMANDS: each command's usage, description, own options and examples, here rather than
/// on pages of their own (clap_mangen's SUBCOMMANDS section points at `cognito-tui-get(1)`,
/// which nothing installs).
fn commands(out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut built = Cli::command();
    built.build();
    out.extend(
        Roff::new()
            .control("SH", ["COMMANDS"])
            .render()
            .into_bytes(),
    );
    for sub in Cli::command().get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let mut with_usage = built
            .find_subcommand(sub.get_name())
            .cloned()
            .unwrap_or_else(|| sub.clone());
        command(out, sub, &mut with_usage, "cognito-tui")?;
    }
    Ok(())
}

/// One command (and its own commands, as `audit verify`).
fn command(
    out: &mut Vec<u8>,
    sub: &clap::Command,
    built: &mut clap::Command,
    parent: &str,
) -> std::io::Result<()> {
    let name = format!("{parent} {}", sub.get_name());
    let usage = built.render_usage().to_string();
    let mut roff = Roff::new();
    roff.control("SS", [name.as_str()]);
    for line in usage.trim_start_matches("Usage: ").lines() {
        roff.control("br", []).text([bold(line.trim())]);
    }
    let about = sub.get_long_about().or(sub.get_about());
    if let Some(about) = about {
        roff.control("PP", []).text([roman(about.to_string())]);
    }
    out.extend(roff.render().into_bytes());
    if sub.get_arguments().any(|a| !a.is_hide_set()) {
        let mut options = Vec::new();
        Man::new(sub.clone()).render_options_section(&mut options)?;
        // Its section headings become paragraphs of this command's subsection.
        let options =
            String::from_utf8_lossy(&options).replace(".SH OPTIONS", ".PP\n\\fBOptions\\fR");
        out.extend_from_slice(options.as_bytes());
    }
    if let Some(after) = sub.get_after_help() {
        let mut roff = Roff::new();
        roff.control("PP", []).control("nf", []);
        for line in after.to_string().lines() {
            roff.text([roman(line)]).control("br", []);
        }
        out.extend(roff.control("fi", []).render().into_bytes());
    }
    for inner in sub.get_subcommands() {
        if inner.get_name() == "help" {
            continue;
        }
        let mut inner_built = built
            .find_subcommand(inner.get_name())
            .cloned()
            .unwrap_or_else(|| inner.clone());
        command(out, inner, &mut inner_built, &name)?;
    }
    Ok(())
}

/// KEYS: the terminal UI's bindings, every context in the help overlay's order, from the
/// key table (`src/keymap/table.rs`) as the help overlay and README show them.
fn keys() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["KEYS"]);
    roff.control("PP", []).text([roman(
        "Started without a command, cognito-tui is a terminal UI. Its keys, as its help \
         lists them; a [keys] table in the config file can rebind them.",
    )]);
    for context in HELP_ORDER {
        let rows: Vec<_> = bindings(context, true).collect();
        if rows.is_empty() {
            continue;
        }
        roff.control("SS", [context.title()]);
        for b in rows {
            let mut does = b.help.to_string();
            if b.write {
                does.push_str(" (with --allow-write)");
            }
            roff.control("TP", [])
                .text([bold(b.label.to_string())])
                .text([roman(does)]);
        }
    }
    roff
}

/// EXIT STATUS: the documented exit codes.
fn exit_status() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_CODES {
        roff.control("TP", [])
            .text([bold(code.to_string())])
            .text([roman(meaning.replace('`', ""))]);
    }
    roff.control("PP", []).text([
        roman("Stopped by a signal: 128 plus its number ("),
        italic("130"),
        roman(" Ctrl-C, "),
        italic("143"),
        roman(" SIGTERM, "),
        italic("129"),
        roman(" SIGHUP)."),
    ]);
    roff
}
