//! Popups over the panes: an error, the ambiguous-match picker, recent lookups, the help,
//! a full value, the escape hatch, and the write-action menu and confirmations. Each is
//! drawn from a view holding what it shows ([`PopupView::of`] builds it from the model).

use crate::redact::shown_username;
use crate::width::{Cells, fit};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Clear, Paragraph, StatefulWidget, Widget, Wrap,
};

use super::columns::{Column, cell};
use super::rows::{Segment, to_line, truncate};
use super::{Theme, centered};
use crate::app::{
    AllPools, App, ErrorView, GroupChange, GroupChoices, LineInput, MenuItem, Overlay,
    POOL_SUFFIX_LEN, Tone,
};
use crate::cognito::{UserSummary, WriteAction};
use crate::keymap::Keymap;
use crate::sanitize::sanitize;

pub(super) fn popup_block(title: String, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme.border(true))
        .padding(ratatui::widgets::Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.title(true)))
}

/// Lines a paragraph of `lines` wraps to at `width` (a close estimate, for sizing).
pub(super) fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = width.max(1) as usize;
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(width) as u16)
        .sum()
}

/// `lines` wrapped in `block`, at most `max_width` wide and as tall as the text (a close
/// estimate), centered over `area`, scrolled down `scroll` lines; returns where it was drawn.
pub(super) fn text_popup(
    buf: &mut Buffer,
    area: Rect,
    lines: Vec<Line>,
    block: Block,
    max_width: u16,
    scroll: u16,
) -> Rect {
    let width = area.width.saturating_sub(4).min(max_width);
    let height = wrapped_height(&lines, width.saturating_sub(4)) + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(rect, buf);
    rect
}

/// The error of the last lookup, over the panes; the app keeps working underneath.
pub struct ErrorPopup<'a> {
    /// The error as the screen shows it (masked in privacy mode).
    pub error: ErrorView,
    pub theme: &'a Theme,
}

impl<'a> ErrorPopup<'a> {
    /// `error`, already as shown.
    pub fn new(error: ErrorView, theme: &'a Theme) -> Self {
        Self { error, theme }
    }
}

impl Widget for ErrorPopup<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (error, theme) = (self.error, self.theme);
        let mut lines = Vec::new();
        if let Some(exception) = &error.exception {
            lines.push(Line::from(Span::styled(exception.clone(), theme.error())));
        }
        lines.push(Line::from(error.message.clone()));
        if let Some(hint) = &error.hint {
            lines.push(Line::from(""));
            lines.push(super::hint_line(hint, theme));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "Esc dismisses · / looks up another user",
            theme.tone(Tone::Dim),
        )));
        let block = popup_block(error.title.clone(), theme).border_style(theme.error());
        text_popup(buf, area, lines, block, 72, 0);
    }
}

/// The popup the overlay asks for, holding what it draws.
pub struct PopupView<'a> {
    pub popup: Popup<'a>,
    pub theme: &'a Theme,
}

/// One popup's content.
pub enum Popup<'a> {
    /// No popup (or one drawn in the bar: the lookup and the attribute filter).
    None,
    /// The ambiguous-match picker: four columns, sized to the width it is drawn in.
    Picker {
        title: String,
        /// The matches, drawn username, status, enabled, email.
        matches: &'a [UserSummary],
        /// Privacy mode: usernames and emails masked.
        redact: bool,
        /// Only the first page is shown.
        more: bool,
        cursor: usize,
    },
    /// Recent lookups, the write actions, or a group to pick.
    List(ListPopup<'a>),
    /// The key bindings, filtered and scrolled; rows are laid out for the width drawn in.
    Help {
        keymap: &'a Keymap,
        allow_write: bool,
        filter: &'a str,
        scroll: u16,
    },
    /// The equivalent aws command and the console address.
    Hatch {
        command: &'a str,
        url: &'a str,
        demo: bool,
    },
    /// Asking before a write action.
    Confirm(ConfirmPopup<'a>),
    /// A full value.
    Detail {
        title: &'a str,
        text: &'a str,
        scroll: u16,
    },
    /// The current query in every named pool.
    AllPools {
        all: &'a AllPools,
        looks: super::allpools::Looks,
    },
}

/// A list in a popup: title, an optional filter line, rows, the selected one, a footer.
pub struct ListPopup<'a> {
    pub title: String,
    pub input: Option<&'a LineInput>,
    pub rows: Vec<Vec<Segment>>,
    pub cursor: usize,
    pub footer: String,
}

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

impl<'a> PopupView<'a> {
    /// The popup the app's overlay asks for.
    pub fn of(app: &'a App, theme: &'a Theme) -> Self {
        let popup = match &app.overlay {
            Overlay::Picker { ambiguous, cursor } => {
                let filter = match app.redact {
                    true => crate::redact::mask_ambiguous(ambiguous, &[]).description(),
                    false => ambiguous.description(),
                };
                let title = format!(
                    "{} users match {}{}",
                    ambiguous.matches.len(),
                    sanitize(&filter),
                    if ambiguous.more { " (more exist)" } else { "" }
                );
                Popup::Picker {
                    title,
                    matches: &ambiguous.matches,
                    redact: app.redact,
                    more: ambiguous.more,
                    cursor: *cursor,
                }
            }
            Overlay::Recent { input, cursor } => Popup::List(recent(app, input, *cursor, theme)),
            Overlay::Help { scroll, filter, .. } => Popup::Help {
                keymap: &app.keymap,
                allow_write: app.allow_write,
                filter: &filter.text,
                scroll: *scroll,
            },
            Overlay::Hatch { command, url } => Popup::Hatch {
                command,
                url,
                demo: app.demo,
            },
            Overlay::Actions { cursor } => Popup::List(actions_menu(app, *cursor, theme)),
            Overlay::Groups { change, cursor } => {
                Popup::List(groups_picker(app, *change, *cursor, theme))
            }
            // Exactly the write that will be sent: its pool, not the pool in use now.
            Overlay::Confirm {
                write,
                phrase,
                input,
            } => Popup::Confirm(ConfirmPopup {
                action: write.action.clone(),
                username: sanitize(&shown_username(app.redact, &write.username)).into_owned(),
                pool: sanitize(&write.pool_label).into_owned(),
                phrase: phrase
                    .as_deref()
                    .map(|phrase| sanitize(&crate::redact::shown(app.redact, phrase)).into_owned()),
                // What is typed names the user: in privacy mode it is echoed as dots.
                typed: match app.redact {
                    true => "•".repeat(input.text.chars().count()),
                    false => sanitize(&input.text).into_owned(),
                },
                input,
            }),
            Overlay::Detail {
                title,
                text,
                scroll,
                ..
            } => Popup::Detail {
                title,
                text,
                scroll: *scroll,
            },
            Overlay::AllPools(all) => Popup::AllPools {
                all,
                looks: super::allpools::Looks {
                    redact: app.redact,
                    spinner: app.spinner,
                },
            },
            Overlay::None | Overlay::Lookup { .. } | Overlay::Filter { .. } => Popup::None,
        };
        Self { popup, theme }
    }
}

/// A popup's state is where the terminal cursor goes, if it has a line being typed.
impl StatefulWidget for PopupView<'_> {
    type State = Option<Position>;

    fn render(self, area: Rect, buf: &mut Buffer, cursor: &mut Option<Position>) {
        let theme = self.theme;
        let typed_at = match self.popup {
            Popup::None => None,
            Popup::Picker {
                title,
                matches,
                redact,
                more,
                cursor,
            } => picker(buf, area, title, matches, redact, more, cursor, theme),
            Popup::List(list) => list_popup(buf, area, list, theme),
            Popup::Help {
                keymap,
                allow_write,
                filter,
                scroll,
            } => {
                help(buf, area, keymap, allow_write, scroll, filter, theme);
                None
            }
            Popup::Hatch { command, url, demo } => {
                hatch(buf, area, command, url, demo, theme);
                None
            }
            Popup::Confirm(confirm) => confirm_popup(buf, area, confirm, theme),
            Popup::AllPools { all, looks } => super::allpools::render(buf, area, all, looks, theme),
            Popup::Detail {
                title,
                text,
                scroll,
            } => {
                let width = area.width.saturating_sub(4).min(90);
                let lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
                let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
                let rect = centered(area, width, height.max(3));
                Clear.render(rect, buf);
                Paragraph::new(lines)
                    .block(
                        popup_block(title.to_string(), theme)
                            .title_bottom(Line::from(" y copy · Esc close ").right_aligned()),
                    )
                    .wrap(Wrap { trim: false })
                    .scroll((scroll, 0))
                    .render(rect, buf);
                None
            }
        };
        if typed_at.is_some() {
            *cursor = typed_at;
        }
    }
}

/// The ambiguous-match picker.
#[allow(clippy::too_many_arguments)]
fn picker(
    buf: &mut Buffer,
    area: Rect,
    title: String,
    matches: &[UserSummary],
    redact: bool,
    more: bool,
    cursor: usize,
    theme: &Theme,
) -> Option<Position> {
    let rows = match_rows(redact, matches, area, theme);
    let footer = if more {
        "Only the first page is shown: narrow the query. Enter opens the user."
    } else {
        "Enter opens the selected user (one AdminGetUser)."
    };
    list_popup(
        buf,
        area,
        ListPopup {
            title,
            input: None,
            rows,
            cursor,
            footer: footer.to_string(),
        },
        theme,
    )
}

/// Rows of ambiguous matches (username, status, enabled, email; sanitized, masked in
/// privacy mode), the columns sized to what a popup over `area` leaves.
pub(super) fn match_rows(
    redact: bool,
    matches: &[UserSummary],
    area: Rect,
    theme: &Theme,
) -> Vec<Vec<Segment>> {
    let cells: Vec<[String; 4]> = (matches.iter())
        .map(|m| {
            let email = m.attribute("email").unwrap_or("-");
            let email = match redact {
                true => crate::redact::mask_attribute("email", email),
                false => email.to_string(),
            };
            [
                sanitize(&shown_username(redact, &m.username)).into_owned(),
                m.status
                    .as_ref()
                    .map_or("-".into(), |s| sanitize(s.as_wire()).into_owned()),
                (if m.enabled { "enabled" } else { "DISABLED" }).to_string(),
                sanitize(&email).into_owned(),
            ]
        })
        .collect();
    // Widths by content inside the popup (border and padding take 4 columns).
    let inner = area.width.saturating_sub(4).min(96).saturating_sub(4) as usize;
    let want = |i: usize| cells.iter().map(|c| c[i].cells()).max().unwrap_or(1);
    let widths = super::columns::fit(
        inner,
        &[
            Column::new(want(0), 8, 0),
            Column::new(want(1), 6, 1),
            Column::new(want(2), 3, 2),
            Column::new(want(3), 5, 3),
        ],
    );
    (cells.into_iter().zip(matches))
        .map(|(c, m)| {
            let styles = [
                theme.label(),
                super::plain(),
                theme.tone(if m.enabled { Tone::Good } else { Tone::Bad }),
                super::plain(),
            ];
            (c.into_iter().zip(styles).zip(&widths))
                .flat_map(|((text, style), &w)| cell(&[(text, style)], w))
                .collect()
        })
        .collect()
}

fn recent<'a>(app: &App, input: &'a LineInput, cursor: usize, theme: &Theme) -> ListPopup<'a> {
    let rows: Vec<Vec<Segment>> = app
        .recent_matches()
        .into_iter()
        .map(|e| {
            vec![
                (
                    fit(&sanitize(&shown_username(app.redact, &e.username)), 24) + " ",
                    theme.label(),
                ),
                (
                    fit(
                        if app.redact {
                            &e.detail_masked
                        } else {
                            &e.detail
                        },
                        30,
                    ) + " ",
                    super::plain(),
                ),
                (
                    e.status.clone(),
                    theme.tone(if e.enabled { Tone::Normal } else { Tone::Bad }),
                ),
            ]
        })
        .collect();
    ListPopup {
        title: format!("Recent lookups ({})", app.recent.len()),
        input: Some(input),
        rows,
        cursor,
        footer: "Type to filter (fuzzy) · Enter looks the user up again".to_string(),
    }
}

/// Clears `rect` and draws an empty popup titled `title` on it; returns the inside.
pub(super) fn popup_frame(buf: &mut Buffer, rect: Rect, title: String, theme: &Theme) -> Rect {
    Clear.render(rect, buf);
    let block = popup_block(title, theme);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// The rows that fit in `area`, scrolled to keep `cursor` in view, the cursor's highlighted.
pub(super) fn visible_rows(
    rows: Vec<Vec<Segment>>,
    cursor: usize,
    area: Rect,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let visible = area.height as usize;
    let cursor = cursor.min(rows.len().saturating_sub(1));
    let offset = (cursor + 1).saturating_sub(visible);
    (rows.into_iter().enumerate())
        .skip(offset)
        .take(visible)
        .map(|(i, segs)| {
            let mut segs = truncate(&segs, area.width as usize);
            if i != cursor {
                return to_line(segs);
            }
            for (_, style) in &mut segs {
                *style = style.patch(theme.selected(true));
            }
            to_line(segs).style(theme.selected(true))
        })
        .collect()
}

/// Draws a list popup; returns where the terminal cursor goes (its filter line, if any).
fn list_popup(buf: &mut Buffer, area: Rect, popup: ListPopup, theme: &Theme) -> Option<Position> {
    let ListPopup {
        title,
        input,
        rows,
        cursor,
        footer,
    } = popup;
    let width = area.width.saturating_sub(4).min(96);
    let extra = if input.is_some() { 2 } else { 0 };
    let height = (rows.len() as u16 + 4 + extra).min(area.height);
    let rect = centered(area, width, height.max(5));
    let inner = popup_frame(buf, rect, title, theme);
    let [input_area, list_area, footer_area] = Layout::vertical([
        Constraint::Length(extra),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(inner);
    let mut typed_at = None;
    if let Some(input) = input {
        let text = sanitize(&input.text);
        Paragraph::new(Line::from(vec![
            Span::styled("› ", theme.accent()),
            Span::raw(text.into_owned()),
        ]))
        .render(input_area, buf);
        typed_at = super::input_cursor(input_area, input_area.y, 2, input);
    }
    let mut lines = visible_rows(rows, cursor, list_area, theme);
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "no matches",
            theme.tone(Tone::Dim),
        )));
    }
    Paragraph::new(lines).render(list_area, buf);
    Paragraph::new(vec![
        Line::from(""),
        Line::from(Span::styled(footer, theme.tone(Tone::Dim))),
    ])
    .render(footer_area, buf);
    typed_at
}

/// The equivalent aws command (already copied) and the console address.
fn hatch(buf: &mut Buffer, area: Rect, command: &str, url: &str, demo: bool, theme: &Theme) {
    let mut lines = vec![
        Line::from(Span::styled(
            "The same lookup with the AWS CLI (sent to the clipboard, OSC 52):",
            theme.label(),
        )),
        Line::from(command.to_string()),
        Line::from(""),
        Line::from(Span::styled("The user in the AWS console:", theme.label())),
        Line::from(url.to_string()),
    ];
    if demo {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "This is the demo pool: the command and the page only work for a real pool.",
            theme.tone(Tone::Dim),
        )));
    }
    let block = popup_block("Escape hatch".into(), theme)
        .title_bottom(Line::from(" y copy command · o copy address · Esc close ").right_aligned());
    text_popup(buf, area, lines, block, 100, 0);
}

fn pool_line(app: &App) -> String {
    sanitize(&app.pool_label()).into_owned()
}

/// The loaded user's username as the screen shows it (masked in privacy mode), sanitized.
fn loaded_username(app: &App) -> String {
    app.user.as_ref().map_or(String::new(), |u| {
        sanitize(&shown_username(app.redact, &u.found.user.username)).into_owned()
    })
}

fn actions_menu(app: &App, cursor: usize, theme: &Theme) -> ListPopup<'static> {
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
                (sanitize(&item.description()).into_owned(), super::plain()),
            ]
        })
        .collect();
    ListPopup {
        title: format!("Actions on {username} in {}", pool_line(app)),
        input: None,
        rows,
        cursor,
        footer: "Enter asks for confirmation (… picks a group first) · Esc closes.".to_string(),
    }
}

fn groups_picker(
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
    let (rows, footer) = match app.group_choices(change) {
        GroupChoices::Ready(groups) if groups.is_empty() => (
            vec![vec![(empty, theme.tone(Tone::Dim))]],
            "Esc goes back to the actions.".to_string(),
        ),
        GroupChoices::Ready(groups) => (
            groups
                .iter()
                .map(|g| {
                    vec![
                        (format!("{:<28} ", sanitize(&g.name)), theme.label()),
                        (
                            sanitize(g.description.as_deref().unwrap_or("")).into_owned(),
                            super::plain(),
                        ),
                    ]
                })
                .collect(),
            "Enter asks for confirmation · Esc goes back to the actions.".to_string(),
        ),
        GroupChoices::Loading => (
            vec![vec![(format!("loading {source}…"), theme.tone(Tone::Dim))]],
            "Esc goes back to the actions.".to_string(),
        ),
        GroupChoices::Failed(why) => (
            vec![vec![(sanitize(&why).into_owned(), theme.error())]],
            "Esc goes back to the actions.".to_string(),
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
fn confirm_popup(
    buf: &mut Buffer,
    area: Rect,
    confirm: ConfirmPopup,
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
    match (&phrase, &action) {
        (Some(phrase), WriteAction::DeleteUser) => {
            lines.push(Line::from(vec![
                Span::raw("Type the username and the pool id's last "),
                Span::raw(format!("{POOL_SUFFIX_LEN} characters, ")),
                Span::styled(phrase.clone(), theme.title(true)),
                Span::raw(", and press Enter to delete; Esc cancels."),
            ]));
        }
        (Some(_), _) => lines.push(Line::from(format!(
            "Type the username ({username}) and press Enter to confirm; Esc cancels."
        ))),
        (None, _) => lines.push(Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" or Enter does it · "),
            Span::styled("n", theme.key()),
            Span::raw(" or Esc cancels"),
        ])),
    }
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
        super::input_cursor(inner, y, 2, input)
    })
}

fn help(
    buf: &mut Buffer,
    area: Rect,
    keymap: &Keymap,
    allow_write: bool,
    scroll: u16,
    filter: &str,
    theme: &Theme,
) {
    let width = area.width.saturating_sub(4).min(72);
    let rect = centered(area, width, area.height);
    Clear.render(rect, buf);
    let block = popup_block("Help: key bindings".into(), theme).title_bottom(
        Line::from(" j/k PgUp/PgDn g/G scroll · / filter · Esc close ").right_aligned(),
    );
    let inner = block.inner(rect);
    let rows = crate::app::help_rows(keymap, allow_write, filter, inner.width as usize);
    let max_scroll = rows.len().saturating_sub(inner.height as usize);
    let lines: Vec<Line> = rows
        .into_iter()
        .skip((scroll as usize).min(max_scroll))
        .take(inner.height as usize)
        .map(|row| {
            if row.heading {
                Line::from(Span::styled(row.text, theme.title(true)))
            } else {
                Line::from(vec![
                    Span::styled(row.keys, theme.key()),
                    Span::raw(row.text),
                ])
            }
        })
        .collect();
    Paragraph::new(lines).block(block).render(rect, buf);
}
