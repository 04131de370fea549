//! The main screen's keys: lookups, panes, copying, privacy, the escape hatch, the write menu.

use super::overlay::copied_notice;
use super::{App, Cmd, LineInput, Overlay, Pane, allpools, diagnosis, finder};
use crate::cognito::lookup::LookupMode;
use crate::hatch::{aws_command, console_url};
use crate::keymap::Action;
use crate::sanitize::sanitize;

/// A key on the main screen (no popup, no finder).
pub(super) fn act_main(app: &mut App, action: Action) -> Vec<Cmd> {
    // A lookup can be typed before a pool is chosen: submitting it opens the picker.
    if action == Action::Recent && !app.has_pool() {
        app.layers.say("choose a user pool first");
        return app.open_pools();
    }
    match action {
        Action::Quit => app.should_quit = true,
        Action::OpenLookup(mode) => {
            app.layers.clear();
            app.layers.open(Overlay::Lookup {
                mode,
                input: LineInput::default(),
            });
        }
        Action::FocusNext | Action::FocusPrev => {
            let (i, n) = (app.user.focus().index(), Pane::ALL.len());
            let next = if action == Action::FocusNext {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            return focus_on(app, Pane::ALL[next]);
        }
        Action::FocusPane(i) => {
            if let Some(pane) = Pane::ALL.get(i) {
                return focus_on(app, *pane);
            }
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => app.move_cursor(action),
        Action::Open | Action::Copy | Action::Refresh => return act_on_row(app, action),
        Action::Filter => {
            app.user.focus_attributes();
            app.layers.open(Overlay::Filter {
                input: LineInput::with_text(app.user.attr_filter()),
            });
        }
        Action::Recent => {
            if app.user.recent().is_empty() {
                app.layers.say("no lookups yet in this session");
            } else {
                app.layers.open(Overlay::Recent {
                    input: LineInput::default(),
                    cursor: 0,
                });
            }
        }
        Action::Help => app.layers.open(Overlay::help()),
        Action::LoadHistory => return diagnosis::load_history(app),
        Action::AllPools => return allpools::open(app),
        Action::Search | Action::Browse | Action::LoadAll | Action::Pools => {
            return finder::open(app, action);
        }

        _ => return act_main_more(app, action),
    }
    Vec::new()
}

/// The main screen's keys about the user on screen: privacy, the escape hatch, the write menu.
fn act_main_more(app: &mut App, action: Action) -> Vec<Cmd> {
    match action {
        Action::Privacy => {
            app.redact = !app.redact;
            app.user.hide_revealed();
            app.layers.say(if app.redact {
                "privacy mode on: personal values are masked (v reveals the selected one)"
            } else {
                "privacy mode off"
            });
        }
        Action::Reveal => {
            if app.selected_is_masked() {
                app.user.reveal_selected();
                app.layers.say("revealed until the selection moves");
            } else if !app.redact {
                app.layers.say("nothing is masked: privacy mode is off (p)");
            } else {
                app.layers.say("the selected value is not masked");
            }
        }
        Action::EscapeHatch => {
            let (Some(loaded), Some(session)) = (app.user.loaded(), app.pool.session()) else {
                app.layers.say("look a user up first (/)");
                return Vec::new();
            };
            // In privacy mode the command names the masked username: it is shown and copied.
            let username = &crate::redact::shown_username(app.redact, &loaded.found.user.username);
            let command = sanitize(&aws_command(session, &session.pool, username)).into_owned();
            let url = console_url(session, &session.pool, username)
                .map(|u| sanitize(&u).into_owned())
                .unwrap_or_else(|| "(no console address: the Region is not known)".into());
            app.layers
                .say(format!("aws command: {}", copied_notice(&command)));
            app.layers.open(Overlay::Hatch {
                command: command.clone(),
                url,
            });
            return vec![Cmd::Copy(command)];
        }
        Action::Actions => match app.write_refusal() {
            Some(why) => app.layers.say(why),
            None if app.user.loaded().is_none() => app.layers.say("look a user up first (/)"),
            None => app.layers.open(Overlay::Actions { cursor: 0 }),
        },
        // Esc peels one layer: the error, else the notice, else the attribute filter.
        Action::Cancel
            if app.layers.take_error().is_none() && app.layers.take_notice().is_none() =>
        {
            app.user.clear_filter();
        }
        _ => {}
    }
    Vec::new()
}

/// Moves the focus to `pane`, opening its list if it is a list pane.
fn focus_on(app: &mut App, pane: Pane) -> Vec<Cmd> {
    app.user.focus_on(pane);
    let mut cmds = app.open_list(pane, false);
    if pane == Pane::Mfa {
        cmds.extend(super::diagnosis::open_factors(app));
    }
    cmds
}

/// Enter, y and r on the main screen: the selected row in full, copied, or read again.
fn act_on_row(app: &mut App, action: Action) -> Vec<Cmd> {
    match action {
        Action::Open => {
            if app.layers.take_error().is_some() {
                return Vec::new();
            }
            // A diagnosis finding offers the write action that fixes it.
            if let Some(cmds) = super::diagnosis::open_finding(app) {
                return cmds;
            }
            if let Some(row) = app.selected_row() {
                app.layers.open(Overlay::Detail {
                    title: row.label,
                    text: row.detail,
                    copy: row.copy,
                    scroll: 0,
                });
            }
        }
        Action::Copy => match app.selected_row() {
            Some(row) => {
                app.layers
                    .say(format!("{}: {}", row.label, copied_notice(&row.copy)));
                return vec![Cmd::Copy(row.copy)];
            }
            None => app.layers.say("nothing to copy: look a user up first (/)"),
        },
        Action::Refresh if app.user.focus().list().is_some() && app.user.loaded().is_some() => {
            return app.open_list(app.user.focus(), true);
        }
        Action::Refresh => match app.user.loaded() {
            Some(loaded) => {
                let username = loaded.found.user.username.clone();
                return vec![app.start_lookup(&username, LookupMode::Username)];
            }
            None => app
                .layers
                .say("nothing to refresh: look a user up first (/)"),
        },
        _ => {}
    }
    Vec::new()
}
