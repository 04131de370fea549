//! Overlays: the popups and input lines that take the keyboard while open, and their keys.
//! Only one exists at a time, so there is no popup stack to keep consistent.

use super::actions::{GroupChange, submit_typed};
use super::{App, Cmd, LineInput, move_in_list};
use crate::cognito::lookup::{self, Ambiguous, LookupMode, QueryShape};
use crate::keymap::{Action, HelpLine, Keymap};
use crate::sanitize::sanitize;
use unicode_segmentation::UnicodeSegmentation;

use crate::width::Cells;

/// A popup or input line that takes the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// The lookup bar.
    Lookup {
        mode: LookupMode,
        input: LineInput,
    },
    /// Editing the attribute filter (applied as you type).
    Filter {
        input: LineInput,
    },
    /// Several users matched: choose one.
    Picker {
        ambiguous: Ambiguous,
        cursor: usize,
    },
    /// This session's lookups, fuzzy-filtered.
    Recent {
        input: LineInput,
        cursor: usize,
    },
    /// Every key binding; `/` filters them.
    Help {
        /// First drawn line (after wrapping).
        scroll: u16,
        /// Only bindings containing this text are listed.
        filter: LineInput,
        /// The filter is being typed.
        typing: bool,
        /// What was open when the help was asked for (F1 from a popup or an input line):
        /// closing the help returns to it.
        behind: Option<Box<Overlay>>,
    },
    /// One value in full.
    Detail {
        title: String,
        text: String,
        copy: String,
        scroll: u16,
    },
    /// The equivalent aws command and the console address (both sanitized).
    Hatch {
        command: String,
        url: String,
    },
    /// The write actions that apply to the user (only with `--allow-write`).
    Actions {
        cursor: usize,
    },
    /// Choosing the group to add the user to or remove them from (only with
    /// `--allow-write`); the choices come from [`App::group_choices`].
    Groups {
        change: GroupChange,
        cursor: usize,
    },
    /// The current lookup in every named pool of the config, one row per pool.
    AllPools(Box<super::AllPools>),
    /// Asking before a write action. `phrase` is what must be typed into `input` (the
    /// username; for a delete also the pool id's end); without one, y or n answers.
    Confirm {
        /// The write as it will be sent: made when this confirmation opened, shown as is.
        write: crate::act::Write,
        phrase: Option<String>,
        input: LineInput,
    },
    /// A temporary password just set, shown once (`actions::act_password` has its keys).
    Password(Box<super::actions::PasswordShown>),
    /// A credential provider waits for an MFA code (`mfa_code.rs` has its keys).
    MfaCode(Box<super::MfaCodeEntry>),
}

impl Overlay {
    /// The help, unfiltered, at the top.
    pub fn help() -> Self {
        Self::Help {
            scroll: 0,
            filter: LineInput::default(),
            typing: false,
            behind: None,
        }
    }
}

/// F1 (or `?` where no line is being typed): the help, from wherever the keys are; what was
/// open stays behind it and comes back when it closes.
pub(super) fn open_help(app: &mut App) -> Vec<Cmd> {
    let behind = app.layers.take();
    app.layers.open(Overlay::Help {
        scroll: 0,
        filter: LineInput::default(),
        typing: false,
        behind: (behind != Overlay::None).then(|| Box::new(behind)),
    });
    Vec::new()
}

pub(super) fn input_mut(overlay: &mut Overlay) -> Option<&mut LineInput> {
    match overlay {
        Overlay::Help {
            filter,
            typing: true,
            ..
        } => Some(filter),
        Overlay::Lookup { input, .. }
        | Overlay::Filter { input }
        | Overlay::Recent { input, .. }
        | Overlay::Confirm { input, .. } => Some(input),
        Overlay::AllPools(all) => all.input.as_mut(),
        Overlay::MfaCode(entry) => Some(&mut entry.input),
        _ => None,
    }
}

/// Live effects of editing: the attribute filter applies as you type; the recent list
/// jumps back to its best match.
pub(super) fn after_edit(app: &mut App) {
    match app.layers.overlay_mut() {
        Overlay::Filter { input } => {
            app.user.filter_attributes(&input.text);
        }
        Overlay::Recent { cursor, .. } => *cursor = 0,
        Overlay::Help { scroll, .. } => *scroll = 0,
        _ => {}
    }
}

pub(super) fn act_help(app: &mut App, action: Action) -> Vec<Cmd> {
    let rows = match app.layers.overlay() {
        Overlay::Help { filter, .. } => help_rows(
            app.keymap(),
            app.allow_write(),
            &filter.text,
            help_page(app.screen).0,
        )
        .len(),
        _ => return Vec::new(),
    };
    let page = help_page(app.screen).1.max(1);
    // The last page is full: scrolling stops where the last line reaches the bottom.
    let max = rows.saturating_sub(page).min(u16::MAX as usize) as u16;
    let step = page.saturating_sub(1).max(1).min(u16::MAX as usize) as u16;
    let Overlay::Help {
        scroll,
        filter,
        typing,
        behind,
    } = app.layers.overlay_mut()
    else {
        return Vec::new();
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(step),
        Action::PageDown => *scroll = scroll.saturating_add(step),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = max,
        Action::Filter => *typing = true,
        Action::Submit => *typing = false,
        Action::Cancel if !filter.text.is_empty() || *typing => {
            *filter = LineInput::default();
            *typing = false;
            *scroll = 0;
        }
        _ => {
            let behind = behind.take().map_or(Overlay::None, |b| *b);
            app.layers.open(behind);
        }
    }
    if let Overlay::Help { scroll, .. } = app.layers.overlay_mut() {
        *scroll = (*scroll).min(max);
    }
    Vec::new()
}

/// Columns of the help's key column, indent included.
pub const HELP_KEYS_WIDTH: usize = 20;

/// One drawn line of the help: the keys (blank where a binding's text wraps on), the text,
/// and whether it is a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    pub keys: String,
    pub text: String,
    pub heading: bool,
}

/// Text columns and rows inside the help popup on a `screen` of (width, height): the popup is
/// at most 72 wide with a border and a column of padding each side, over the body (the
/// screen less the header, the bar and the footer).
pub fn help_page(screen: (u16, u16)) -> (usize, usize) {
    let width = screen.0.saturating_sub(4).min(72).saturating_sub(4);
    let height = screen.1.saturating_sub(3).saturating_sub(2);
    (width as usize, height as usize)
}

/// The help as drawn at `width` columns: long descriptions wrap under their own column
/// instead of being cut.
pub fn help_rows(keymap: &Keymap, allow_write: bool, filter: &str, width: usize) -> Vec<HelpRow> {
    let mut rows = Vec::new();
    for line in keymap.help_lines(allow_write, filter) {
        match line {
            HelpLine::Heading(title) => {
                rows.extend(wrap_words(title, width).into_iter().map(|text| HelpRow {
                    keys: String::new(),
                    text,
                    heading: true,
                }))
            }
            HelpLine::Blank => rows.push(HelpRow {
                keys: String::new(),
                text: String::new(),
                heading: false,
            }),
            HelpLine::NoMatch => rows.push(HelpRow {
                keys: String::new(),
                text: format!("no binding matches {:?}", sanitize(filter)),
                heading: false,
            }),
            HelpLine::Binding { keys, help } => {
                let keys = format!("  {keys}");
                // Keys longer than their column get a line of their own.
                let (first, indent) = if keys.cells() < HELP_KEYS_WIDTH {
                    (
                        format!("{keys}{}", " ".repeat(HELP_KEYS_WIDTH - keys.cells())),
                        HELP_KEYS_WIDTH,
                    )
                } else {
                    rows.push(HelpRow {
                        keys,
                        text: String::new(),
                        heading: false,
                    });
                    (" ".repeat(HELP_KEYS_WIDTH), HELP_KEYS_WIDTH)
                };
                let text_width = width.saturating_sub(indent).max(8);
                for (i, text) in wrap_words(help, text_width).into_iter().enumerate() {
                    rows.push(HelpRow {
                        keys: if i == 0 {
                            first.clone()
                        } else {
                            " ".repeat(indent)
                        },
                        text,
                        heading: false,
                    });
                }
            }
        }
    }
    rows
}

/// Splits `text` into lines of at most `width` columns at spaces; a word longer than a line
/// is cut where it must be.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let needed = if line.is_empty() {
            word.cells()
        } else {
            line.cells() + 1 + word.cells()
        };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for g in word.graphemes(true) {
            if line.cells() + g.cells() > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push_str(g);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub(super) fn act_hatch(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Overlay::Hatch { command, url } = app.layers.overlay() {
        let text = match action {
            Action::Copy => command.clone(),
            Action::CopyUrl => url.clone(),
            _ => {
                app.layers.close();
                return Vec::new();
            }
        };
        app.layers.say(copied_notice(&text));
        return vec![Cmd::Copy(text)];
    }
    Vec::new()
}

pub(super) fn act_detail(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Overlay::Detail { scroll, copy, .. } = app.layers.overlay_mut() {
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::Copy => {
                let text = copy.clone();
                app.layers.say(copied_notice(&text));
                return vec![Cmd::Copy(text)];
            }
            _ => app.layers.close(),
        }
    }
    Vec::new()
}

/// "sent 12 characters to the terminal (OSC 52)": whether the terminal puts them on the
/// clipboard is up to it (tmux drops them unless `set-clipboard on`), so no "copied".
pub(super) fn copied_notice(text: &str) -> String {
    let n = text.chars().count();
    format!(
        "sent {n} character{} to the terminal (OSC 52)",
        if n == 1 { "" } else { "s" }
    )
}

pub(super) fn act_input(app: &mut App, action: Action) -> Vec<Cmd> {
    if let Some(input) = input_mut(app.layers.overlay_mut())
        && input.edit(action)
    {
        after_edit(app);
        return Vec::new();
    }
    match (app.layers.overlay_mut(), action) {
        (Overlay::Lookup { .. }, Action::Cancel) => app.layers.close(),
        (Overlay::Lookup { mode, input }, Action::Submit) => {
            let mode = *mode;
            let query = match lookup::validate_query(&input.text) {
                Ok(q) => q,
                Err(message) => {
                    app.layers.say(message.to_string());
                    return Vec::new();
                }
            };
            if mode == LookupMode::Sub && lookup::classify(&query) != QueryShape::Uuid {
                app.layers
                    .say("a sub is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e");
                return Vec::new();
            }
            app.layers.close();
            return app.submit_lookup(&query, mode);
        }
        (Overlay::Help { .. }, _) => return act_help(app, action),
        (Overlay::Filter { .. }, Action::Submit) => app.layers.close(),
        (Overlay::Filter { .. }, Action::Cancel) => {
            app.user.clear_filter();
            app.layers.close();
        }
        (Overlay::Recent { .. }, Action::Cancel) => app.layers.close(),
        (Overlay::Confirm { .. }, Action::Cancel) => {
            app.layers.close();
            app.layers.say("cancelled: nothing was changed");
        }
        (Overlay::Confirm { .. }, Action::Submit) => return submit_typed(app),
        (Overlay::AllPools(_), _) => return super::allpools::act_input(app, action),
        (Overlay::MfaCode(_), _) => return super::mfa_code::act(app, action),
        (Overlay::Recent { .. }, Action::Up | Action::Down) => {
            let len = app.recent_matches().len();
            if let Overlay::Recent { cursor, .. } = app.layers.overlay_mut() {
                *cursor = move_in_list(*cursor, len, action);
            }
        }
        (Overlay::Recent { cursor, .. }, Action::Submit) => {
            let cursor = *cursor;
            let chosen = app.recent_matches().get(cursor).map(|e| e.username.clone());
            if let Some(username) = chosen {
                app.layers.close();
                return app.submit_lookup(&username, LookupMode::Username);
            }
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn act_picker(app: &mut App, action: Action) -> Vec<Cmd> {
    let Overlay::Picker { ambiguous, cursor } = app.layers.overlay_mut() else {
        return Vec::new();
    };
    match action {
        Action::Cancel => app.layers.close(),
        Action::Submit => {
            if let Some(m) = ambiguous.matches.get(*cursor) {
                let username = m.username.clone();
                app.layers.close();
                return app.submit_lookup(&username, LookupMode::Username);
            }
        }
        other => *cursor = move_in_list(*cursor, ambiguous.matches.len(), other),
    }
    Vec::new()
}
