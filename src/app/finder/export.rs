//! A finder's list to a CSV file (Ctrl-S): the file name prompt and the answer.
//!
//! A list written from the TUI is never silently partial: when browse has pages not read yet,
//! the prompt says so and offers both — Enter loads the rest first (load-all, with its
//! progress and Esc) and writes the whole list; Ctrl-S again writes only what is loaded, and
//! the prompt, the result and the audit line say "60 of ~148 — the rest not loaded".

use crate::app::{App, Cmd, LineInput};
use crate::cognito::UserSummary;
use crate::keymap::{Action, Context};
use crate::sanitize::sanitize;

use super::Finder;

/// The file name offered when the export prompt opens.
pub const EXPORT_DEFAULT_FILE: &str = "users.csv";

/// Attribute columns of an exported list, after `-o csv`'s fixed ones.
pub const EXPORT_ATTRIBUTES: [&str; 3] = ["email", "phone_number", "name"];

/// Keys while the export prompt is open: typing edits the name, Enter writes (loading the
/// rest of a browse first), Ctrl-S writes only what is loaded, Esc cancels.
pub(in crate::app) fn export_prompt_key(app: &mut App, action: Action, edited: bool) -> Vec<Cmd> {
    if edited {
        return Vec::new();
    }
    match action {
        Action::Cancel => {
            app.finders.export_prompt = None;
            app.layers.say("export cancelled");
            Vec::new()
        }
        Action::Submit | Action::ExportList => {
            let name = app
                .finders
                .export_prompt
                .as_ref()
                .map(|p| p.text.trim().to_string())
                .unwrap_or_default();
            if name.is_empty() {
                app.layers.say("type a file name for the CSV (Esc cancels)");
                return Vec::new();
            }
            app.finders.export_prompt = None;
            if action == Action::Submit && unread_pages(app) {
                return load_then_write(app, name);
            }
            write_shown(app, name)
        }
        _ => Vec::new(),
    }
}

/// Whether the open finder is a browse with pages Cognito has not been asked for yet.
fn unread_pages(app: &App) -> bool {
    app.finders.open == Some(Finder::Browse) && !app.finders.browse.pager.done
}

/// Enter with pages unread: load-all first; the file is written when its last page comes.
fn load_then_write(app: &mut App, name: String) -> Vec<Cmd> {
    let cmds = super::browse::load_all(app);
    if app.finders.browse.loading_all.is_none() {
        // Nothing to load after all (or a load-all that would not start): write now.
        return write_shown(app, name);
    }
    app.layers.say(format!(
        "loading the rest, then writing the whole list to {} ({} stops: nothing written)",
        sanitize(&name),
        app.keymap().key(Context::Finder, Action::Cancel)
    ));
    app.finders.export_after_load = Some(name);
    cmds
}

/// How much of the list a file of the users shown holds, for the prompt, the result and the
/// audit line: None when it is the whole list.
pub(in crate::app) fn partial_scope(app: &App) -> Option<String> {
    let shown = shown_users_count(app);
    match app.finders.open {
        Some(Finder::Browse) if !app.finders.browse.pager.done => {
            let b = &app.finders.browse;
            // The pool's estimate is a total only for the unfiltered list.
            let total = (b.pager.filter.is_none())
                .then_some(b.estimated_total)
                .flatten()
                .filter(|t| *t as usize > b.store.len());
            Some(match total {
                Some(total) => format!("{shown} of ~{total} — the rest not loaded"),
                None => format!("{shown} loaded — more pages not loaded"),
            })
        }
        Some(Finder::Search) => {
            let results = app.finders.search.results.as_ref()?;
            if !results.waiting.is_empty() {
                Some(format!(
                    "{shown} so far — {} attributes not answered yet",
                    results.waiting.len()
                ))
            } else if results.more {
                Some(format!(
                    "{shown} — a sample: some attributes had more pages (refine the query)"
                ))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Writes the users the finder shows now, saying whether that is the whole list.
fn write_shown(app: &mut App, name: String) -> Vec<Cmd> {
    let mut users = shown_users(app);
    // Privacy mode masks the file as `--redact` masks `-o csv`: the same cells.
    if app.redact {
        users = (users.iter())
            .map(|u| crate::redact::mask_summary(u, &[]))
            .collect();
    }
    let partial = partial_scope(app);
    let id = app.next_request_id();
    app.layers.say(format!(
        "writing {} to {}{}…",
        match &partial {
            Some(p) => format!("{p}:"),
            None => format!("{} users", users.len()),
        },
        sanitize(&name),
        if app.redact {
            " (masked: privacy mode)"
        } else {
            ""
        }
    ));
    app.finders.exporting = Some((id, name.clone()));
    app.finders.export_scope = partial.clone();
    vec![Cmd::ExportList {
        id,
        path: std::path::PathBuf::from(name),
        users,
        scope: partial.unwrap_or_else(|| "whole list".into()),
    }]
}

/// Once the load-all an export waits on has ended, however it ended (its last page, Esc, an
/// error, another filter): writes the file if every page came, else says nothing was written.
pub(in crate::app) fn settle(app: &mut App) -> Vec<Cmd> {
    if app.finders.browse.loading_all.is_some() {
        return Vec::new();
    }
    let Some(name) = app.finders.export_after_load.take() else {
        return Vec::new();
    };
    if app.finders.browse.pager.done && app.finders.browse.error.is_none() {
        write_shown(app, name)
    } else {
        let loaded = app.finders.browse.store.len();
        app.layers.say(format!(
            "nothing written to {}: loading stopped at {loaded} users ({} again writes what is loaded)",
            sanitize(&name),
            app.keymap().label(Context::Finder, Action::ExportList)
        ));
        Vec::new()
    }
}

pub(in crate::app) fn shown_users_count(app: &App) -> usize {
    match app.finders.open {
        Some(Finder::Search) => app
            .finders
            .search
            .results
            .as_ref()
            .map_or(0, |r| r.hits.len()),
        Some(Finder::Browse) => app.finders.browse.match_count(),
        _ => 0,
    }
}

/// The users the finder shows now, in its order: search hits, or the browse matches of the
/// local filter (within the server-side one).
pub(in crate::app) fn shown_users(app: &App) -> Vec<UserSummary> {
    match app.finders.open {
        Some(Finder::Search) => app
            .finders
            .search
            .results
            .as_ref()
            .map(|r| r.hits.iter().map(|h| h.user.clone()).collect())
            .unwrap_or_default(),
        Some(Finder::Browse) => app
            .finders
            .browse
            .matches()
            .map(|i| app.finders.browse.store.row(i as usize).to_summary())
            .collect(),
        _ => Vec::new(),
    }
}

/// An export finished.
pub(in crate::app) fn export_done(
    app: &mut App,
    id: u64,
    result: Result<usize, crate::app::ExportError>,
) {
    let Some((_, path)) = app.finders.exporting.take_if(|(running, _)| *running == id) else {
        return;
    };
    let partial = app.finders.export_scope.take();
    let path = sanitize(&path).into_owned();
    app.layers.say(match (result, partial) {
        (Ok(_), Some(partial)) => format!("✓ wrote {partial} — to {path} (CSV)"),
        (Ok(n), None) => format!("✓ wrote {n} users to {path} (CSV)"),
        (Err(e), _) => format!("✗ nothing written to {path}: {}", sanitize(&e.to_string())),
    });
}

/// Ctrl-S: opens the prompt for the file name, unless an export is being written. The
/// prompt says whether the list shown is all of it, and the choices when it is not.
pub(in crate::app) fn open_prompt(app: &mut App) {
    if app.finders.export_after_load.is_some() {
        app.layers.say("the list is still loading for the export");
        return;
    }
    if app.finders.exporting.is_some() {
        app.layers.say("an export is still being written");
        return;
    }
    app.finders.export_prompt = Some(LineInput::with_text(EXPORT_DEFAULT_FILE));
    let keys = app.keymap();
    let (enter, save, esc) = (
        keys.key(Context::Finder, Action::Submit).to_string(),
        keys.label(Context::Finder, Action::ExportList).to_string(),
        keys.key(Context::Finder, Action::Cancel).to_string(),
    );
    app.layers.say(match partial_scope(app) {
        Some(partial) if unread_pages(app) => format!(
            "CSV: {partial}. {enter} loads the rest, then writes all; {save} writes the {} loaded; {esc} cancels",
            shown_users_count(app)
        ),
        Some(partial) => {
            format!("CSV of {partial}: {enter} writes (never over a file), {esc} cancels")
        }
        None => format!(
            "CSV of the {} users shown: {enter} writes (never over a file), {esc} cancels",
            shown_users_count(app)
        ),
    });
}
