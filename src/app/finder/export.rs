//! A finder's list to a CSV file (Ctrl-S): the file name prompt and the answer.

use crate::app::{App, Cmd, LineInput};
use crate::cognito::UserSummary;
use crate::keymap::Action;
use crate::sanitize::sanitize;

use super::Finder;

/// The file name offered when the export prompt opens.
pub const EXPORT_DEFAULT_FILE: &str = "users.csv";

/// Attribute columns of an exported list, after `-o csv`'s fixed ones.
pub const EXPORT_ATTRIBUTES: [&str; 3] = ["email", "phone_number", "name"];

/// Keys while the export prompt is open: typing edits the name, Enter writes, Esc cancels.
pub(in crate::app) fn export_prompt_key(app: &mut App, action: Action, edited: bool) -> Vec<Cmd> {
    if edited {
        return Vec::new();
    }
    match action {
        Action::Cancel => {
            app.finders.export_prompt = None;
            app.notice = Some("export cancelled".into());
            Vec::new()
        }
        Action::Submit => {
            let name = app
                .finders
                .export_prompt
                .as_ref()
                .map(|p| p.text.trim().to_string())
                .unwrap_or_default();
            if name.is_empty() {
                app.notice = Some("type a file name for the CSV (Esc cancels)".into());
                return Vec::new();
            }
            app.finders.export_prompt = None;
            let mut users = shown_users(app);
            // Privacy mode masks the file as `--redact` masks `-o csv`: the same cells.
            if app.redact {
                users = (users.iter())
                    .map(|u| crate::redact::mask_summary(u, &[]))
                    .collect();
            }
            let id = app.next_request_id();
            app.notice = Some(format!(
                "writing {} users to {}{}…",
                users.len(),
                sanitize(&name),
                if app.redact {
                    " (masked: privacy mode)"
                } else {
                    ""
                }
            ));
            app.finders.exporting = Some((id, name.clone()));
            vec![Cmd::ExportList {
                id,
                path: std::path::PathBuf::from(name),
                users,
            }]
        }
        _ => Vec::new(),
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
    let path = sanitize(&path).into_owned();
    app.notice = Some(match result {
        Ok(n) => format!("✓ wrote {n} users to {path} (CSV)"),
        Err(e) => format!("✗ nothing written to {path}: {}", sanitize(&e.to_string())),
    });
}

/// Ctrl-S: opens the prompt for the file name, unless an export is being written.
pub(in crate::app) fn open_prompt(app: &mut App) {
    if app.finders.exporting.is_some() {
        app.notice = Some("an export is still being written".into());
    } else {
        app.finders.export_prompt = Some(LineInput::with_text(EXPORT_DEFAULT_FILE));
        app.notice = Some(format!(
            "CSV of the {} users shown: Enter writes (never over a file), Esc cancels",
            shown_users_count(app)
        ));
    }
}
