//! The write actions: the menu, the group picker and the confirmation before a write.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::app::{App, GroupChange, GroupChoices, LineInput, MenuItem, POOL_SUFFIX_LEN, Tone};
use crate::cognito::WriteAction;
use crate::keymap::{Action, Context, Keymap};
use crate::redact::shown_username;
use crate::sanitize::sanitize;
use crate::ui::rows::Segment;
use crate::ui::{Theme, centered};

use super::frame::*;

/// The confirmation before a write action.
pub struct ConfirmPopup<'a> {
    pub action: WriteAction,
    /// The user, as shown and sanitized.
    pub username: String,
    /// The pool's label, sanitized.
    pub pool: String,
    /// What must be typed to confirm (shown and sanitized); None: y or Enter confirms.
    pub phrase: Option<String>,
    /// What is typed so far, as echoed (dots in privacy mode).
    pub typed: String,
    /// The line being typed, for the cursor.
    pub input: &'a LineInput,
}

pub(crate) fn pool_line(app: &App) -> String {
    sanitize(&app.pool_label()).into_owned()
}

impl<'a> ConfirmPopup<'a> {
    /// The confirmation the overlay asks for, as the screen shows it.
    pub fn of(
        app: &App,
        write: &crate::act::Write,
        phrase: Option<&str>,
        input: &'a LineInput,
    ) -> Self {
        ConfirmPopup {
            action: write.action.clone(),
            username: sanitize(&shown_username(app.redact(), &write.username)).into_owned(),
            pool: sanitize(&write.pool_label).into_owned(),
            phrase: phrase
                .map(|phrase| sanitize(&crate::redact::shown(app.redact(), phrase)).into_owned()),
            // What is typed names the user: in privacy mode it is echoed as dots.
            typed: match app.redact() {
                true => "•".repeat(input.text.chars().count()),
                false => sanitize(&input.text).into_owned(),
            },
            input,
        }
    }
}

/// The loaded user's username as the screen shows it (masked in privacy mode), sanitized.
pub(crate) fn loaded_username(app: &App) -> String {
    app.user().map_or(String::new(), |u| {
        sanitize(&shown_username(app.redact(), &u.found.user.username)).into_owned()
    })
}

pub(crate) fn actions_menu(app: &App, cursor: usize, theme: &Theme) -> ListPopup<'static> {
    let username = loaded_username(app);
    let rows: Vec<Vec<Segment>> = app
        .menu_items()
        .into_iter()
        .map(|item| {
            let tone = match item {
                MenuItem::Do(WriteAction::DeleteUser) => theme.tone(Tone::Bad),
                _ => theme.label(),
            };
            vec![
                (format!("{:<22}", item.label()), tone),
                (
                    sanitize(&item.description()).into_owned(),
                    crate::ui::plain(),
                ),
            ]
        })
        .collect();
    ListPopup {
        title: format!("Actions on {username} in {}", pool_line(app)),
        input: None,
        rows,
        cursor,
        footer: format!(
            "{} asks for confirmation (… picks a group first) · {} closes.",
            app.keymap().key(Context::Menu, Action::Submit),
            app.keymap().key(Context::Menu, Action::Cancel)
        ),
    }
}

pub(crate) fn groups_picker(
    app: &App,
    change: GroupChange,
    cursor: usize,
    theme: &Theme,
) -> ListPopup<'static> {
    let username = loaded_username(app);
    let (title, empty, source) = match change {
        GroupChange::Add => (
            format!("Add {username} to a group of {}", pool_line(app)),
            format!("no group of this pool that {username} is not already in"),
            "the pool's groups (ListGroups)",
        ),
        GroupChange::Remove => (
            format!("Remove {username} from a group"),
            format!("{username} is in no groups"),
            "the user's groups (AdminListGroupsForUser)",
        ),
    };
    let (choose, back) = (
        app.keymap().key(Context::Menu, Action::Submit),
        app.keymap().key(Context::Menu, Action::Cancel),
    );
    let back = format!("{back} goes back to the actions.");
    let (rows, footer) = match app.group_choices(change) {
        GroupChoices::Ready(groups) if groups.is_empty() => {
            (vec![vec![(empty, theme.tone(Tone::Dim))]], back.clone())
        }
        GroupChoices::Ready(groups) => (
            groups
                .iter()
                .map(|g| {
                    vec![
                        (format!("{:<28} ", sanitize(&g.name)), theme.label()),
                        (
                            sanitize(g.description.as_deref().unwrap_or("")).into_owned(),
                            crate::ui::plain(),
                        ),
                    ]
                })
                .collect(),
            format!("{choose} asks for confirmation · {back}"),
        ),
        GroupChoices::Loading => (
            vec![vec![(format!("loading {source}…"), theme.tone(Tone::Dim))]],
            back.clone(),
        ),
        GroupChoices::Failed(why) => (
            vec![vec![(sanitize(&why).into_owned(), theme.error())]],
            back.clone(),
        ),
    };
    ListPopup {
        title,
        input: None,
        rows,
        cursor,
        footer,
    }
}

/// Draws the confirmation; returns where the terminal cursor goes when a phrase is typed.
pub(crate) fn confirm_popup(
    buf: &mut Buffer,
    area: Rect,
    confirm: ConfirmPopup,
    keymap: &Keymap,
    theme: &Theme,
) -> Option<Position> {
    let ConfirmPopup {
        action,
        username,
        pool,
        phrase,
        typed,
        input,
    } = confirm;
    let tone = match action {
        WriteAction::DeleteUser => Tone::Bad,
        _ => Tone::Warn,
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw("About to "),
            Span::styled(
                sanitize(&action.description()).into_owned(),
                theme.tone(tone),
            ),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("User  ", theme.label()),
            Span::styled(username.clone(), theme.title(true)),
        ]),
        Line::from(vec![Span::styled("Pool  ", theme.label()), Span::raw(pool)]),
        Line::from(vec![
            Span::styled("Call  ", theme.label()),
            // Every request the action is (Reset MFA is two), in order.
            Span::raw(
                action
                    .steps()
                    .iter()
                    .map(WriteAction::operation)
                    .collect::<Vec<_>>()
                    .join(", then "),
            ),
        ]),
        Line::from(""),
    ];
    if let Some(note) = action.confirmation_note() {
        lines.extend([Line::from(note), Line::from("")]);
    }
    lines.push(how_to_confirm(
        phrase.as_deref(),
        &action,
        &username,
        keymap,
        theme,
    ));
    if phrase.is_some() {
        lines.push(Line::from(vec![
            Span::styled("› ", theme.accent()),
            Span::raw(typed),
        ]));
    }
    let width = area.width.saturating_sub(4).min(72);
    let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = popup_block(format!("Confirm: {}", action.operation()), theme)
        .border_style(theme.tone(tone));
    let inner = block.inner(rect);
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .render(rect, buf);
    // The typed text is the popup's last line.
    phrase.as_ref().and_then(|_| {
        let y = (inner.y + inner.height)
            .saturating_sub(1)
            .min(area.bottom().saturating_sub(1));
        crate::ui::input_cursor(inner, y, 2, input)
    })
}

/// How to confirm: the phrase to type and Enter, or the confirmation's own keys.
fn how_to_confirm(
    phrase: Option<&str>,
    action: &WriteAction,
    username: &str,
    keymap: &Keymap,
    theme: &Theme,
) -> Line<'static> {
    // Typing: Enter and Esc of the line; else the confirmation's own keys ("y or Enter").
    let submit = keymap.key(Context::Input, Action::Submit);
    let cancel = keymap.key(Context::Input, Action::Cancel);
    let yes = keymap.label(Context::Confirm, Action::Submit).to_string();
    let no = keymap.label(Context::Confirm, Action::Cancel).to_string();
    match (phrase, action) {
        (Some(phrase), WriteAction::DeleteUser) => Line::from(vec![
            Span::raw("Type the username and the pool id's last "),
            Span::raw(format!("{POOL_SUFFIX_LEN} characters, ")),
            Span::styled(phrase.to_string(), theme.title(true)),
            Span::raw(format!(", and press {submit} to delete; {cancel} cancels.")),
        ]),
        (Some(_), _) => Line::from(format!(
            "Type the username ({username}) and press {submit} to confirm; {cancel} cancels."
        )),
        (None, _) => {
            let mut spans = or_keys(&yes, "does it", theme);
            spans.push(Span::raw(" · "));
            spans.extend(or_keys(&no, "cancels", theme));
            Line::from(spans)
        }
    }
}

/// "y or Enter does it": the first two keys of a label (the first drawn as a key), then `what`.
fn or_keys(label: &str, what: &str, theme: &Theme) -> Vec<Span<'static>> {
    let mut keys = label.split(' ');
    let first = keys.next().unwrap_or(label).to_string();
    let rest = match keys.next() {
        Some(second) => format!(" or {second} {what}"),
        None => format!(" {what}"),
    };
    vec![Span::styled(first, theme.key()), Span::raw(rest)]
}
