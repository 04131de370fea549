//! Popups over the panes: an error, the ambiguous-match picker, recent lookups, the help,
//! a full value, the escape hatch, and the write-action menu and confirmations.

use crate::redact::shown_username;
use crate::width::{Cells, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::columns::{Column, cell};
use super::rows::{Segment, to_line, truncate};
use super::{Theme, centered};
use crate::app::{
    App, ErrorView, GroupChange, GroupChoices, MenuItem, Overlay, POOL_SUFFIX_LEN, Tone,
};
use crate::cognito::WriteAction;
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

/// The error of the last lookup, over the panes; the app keeps working underneath.
pub fn error(error: &ErrorView, frame: &mut Frame, area: Rect, theme: &Theme) {
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
    let width = area.width.saturating_sub(4).min(72);
    let height = wrapped_height(&lines, width.saturating_sub(4)) + 2;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = popup_block(error.title.clone(), theme).border_style(theme.error());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// Whichever popup the overlay asks for.
pub fn overlay(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    match &app.overlay {
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
            let cells: Vec<[String; 4]> = ambiguous
                .matches
                .iter()
                .map(|m| {
                    let email = m.attribute("email").unwrap_or("-");
                    let email = if app.redact {
                        sanitize(&crate::redact::mask_attribute("email", email)).into_owned()
                    } else {
                        sanitize(email).into_owned()
                    };
                    [
                        sanitize(&shown_username(app.redact, &m.username)).into_owned(),
                        m.status
                            .as_ref()
                            .map_or("-".into(), |s| sanitize(s.as_wire()).into_owned()),
                        (if m.enabled { "enabled" } else { "DISABLED" }).to_string(),
                        email,
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
            let rows: Vec<Vec<Segment>> = cells
                .iter()
                .zip(&ambiguous.matches)
                .map(|(c, m)| {
                    let styles = [
                        theme.label(),
                        super::plain(),
                        theme.tone(if m.enabled { Tone::Good } else { Tone::Bad }),
                        super::plain(),
                    ];
                    c.iter()
                        .zip(styles)
                        .zip(&widths)
                        .flat_map(|((text, style), &w)| cell(&[(text.clone(), style)], w))
                        .collect()
                })
                .collect();
            let footer = if ambiguous.more {
                "Only the first page is shown: narrow the query. Enter opens the user."
            } else {
                "Enter opens the selected user (one AdminGetUser)."
            };
            list_popup(frame, area, title, None, rows, *cursor, footer, theme);
        }
        Overlay::Recent { input, cursor } => {
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
            let title = format!("Recent lookups ({})", app.recent.len());
            let footer = "Type to filter (fuzzy) · Enter looks the user up again";
            list_popup(
                frame,
                area,
                title,
                Some(input),
                rows,
                *cursor,
                footer,
                theme,
            );
        }
        Overlay::Help { scroll, filter, .. } => {
            help(app, frame, area, *scroll, &filter.text, theme)
        }
        Overlay::Hatch { command, url } => hatch(frame, area, command, url, app.demo, theme),
        Overlay::Actions { cursor } => actions_menu(app, frame, area, *cursor, theme),
        Overlay::Groups { change, cursor } => {
            groups_picker(app, frame, area, *change, *cursor, theme)
        }
        Overlay::Confirm {
            action,
            username,
            phrase,
            input,
        } => confirm(
            app,
            frame,
            area,
            action,
            username,
            phrase.as_deref(),
            input,
            theme,
        ),
        Overlay::Detail {
            title,
            text,
            scroll,
            ..
        } => {
            let width = area.width.saturating_sub(4).min(90);
            let lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
            let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
            let rect = centered(area, width, height.max(3));
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(
                        popup_block(title.clone(), theme)
                            .title_bottom(Line::from(" y copy · Esc close ").right_aligned()),
                    )
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0)),
                rect,
            );
        }
        Overlay::AllPools(all) => super::allpools::render(app, all, frame, area, theme),
        Overlay::None | Overlay::Lookup { .. } | Overlay::Filter { .. } => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn list_popup(
    frame: &mut Frame,
    area: Rect,
    title: String,
    input: Option<&crate::app::LineInput>,
    rows: Vec<Vec<Segment>>,
    cursor: usize,
    footer: &str,
    theme: &Theme,
) {
    let width = area.width.saturating_sub(4).min(96);
    let extra = if input.is_some() { 2 } else { 0 };
    let height = (rows.len() as u16 + 4 + extra).min(area.height);
    let rect = centered(area, width, height.max(5));
    frame.render_widget(Clear, rect);
    let block = popup_block(title, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [input_area, list_area, footer_area] = Layout::vertical([
        Constraint::Length(extra),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(inner);
    if let Some(input) = input {
        let text = sanitize(&input.text);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("› ", theme.accent()),
                Span::raw(text.into_owned()),
            ])),
            input_area,
        );
        super::show_input_cursor(frame, input_area, input_area.y, 2, input);
    }
    let visible = list_area.height as usize;
    let cursor = cursor.min(rows.len().saturating_sub(1));
    let offset = (cursor + 1).saturating_sub(visible);
    let mut lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, segs)| {
            let mut segs = truncate(&segs, list_area.width as usize);
            if i == cursor {
                for (_, style) in &mut segs {
                    *style = style.patch(theme.selected(true));
                }
            }
            let line = to_line(segs);
            if i == cursor {
                line.style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "no matches",
            theme.tone(Tone::Dim),
        )));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(""),
            Line::from(Span::styled(footer.to_string(), theme.tone(Tone::Dim))),
        ]),
        footer_area,
    );
}

/// The equivalent aws command (already copied) and the console address.
fn hatch(frame: &mut Frame, area: Rect, command: &str, url: &str, demo: bool, theme: &Theme) {
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
    let width = area.width.saturating_sub(4).min(100);
    let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(popup_block("Escape hatch".into(), theme).title_bottom(
                Line::from(" y copy command · o copy address · Esc close ").right_aligned(),
            ))
            .wrap(Wrap { trim: false }),
        rect,
    );
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

fn actions_menu(app: &App, frame: &mut Frame, area: Rect, cursor: usize, theme: &Theme) {
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
    let title = format!("Actions on {username} in {}", pool_line(app));
    let footer = "Enter asks for confirmation (… picks a group first) · Esc closes.";
    list_popup(frame, area, title, None, rows, cursor, footer, theme);
}

fn groups_picker(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    change: GroupChange,
    cursor: usize,
    theme: &Theme,
) {
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
    list_popup(frame, area, title, None, rows, cursor, &footer, theme);
}

#[allow(clippy::too_many_arguments)]
fn confirm(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    action: &WriteAction,
    username: &str,
    phrase: Option<&str>,
    input: &crate::app::LineInput,
    theme: &Theme,
) {
    let username = sanitize(&shown_username(app.redact, username)).into_owned();
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
        Line::from(vec![
            Span::styled("Pool  ", theme.label()),
            Span::raw(pool_line(app)),
        ]),
        Line::from(vec![
            Span::styled("Call  ", theme.label()),
            Span::raw(action.operation()),
        ]),
        Line::from(""),
    ];
    match (phrase, action) {
        (Some(phrase), WriteAction::DeleteUser) => {
            lines.push(Line::from(vec![
                Span::raw("Type the username and the pool id's last "),
                Span::raw(format!("{POOL_SUFFIX_LEN} characters, ")),
                Span::styled(
                    sanitize(&crate::redact::shown(app.redact, phrase)).into_owned(),
                    theme.title(true),
                ),
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
            // What is typed names the user: in privacy mode it is echoed as dots.
            Span::raw(match app.redact {
                true => "•".repeat(input.text.chars().count()),
                false => sanitize(&input.text).into_owned(),
            }),
        ]));
    }
    let width = area.width.saturating_sub(4).min(72);
    let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = popup_block(format!("Confirm: {}", action.operation()), theme)
        .border_style(theme.tone(tone));
    let inner = block.inner(rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
    if phrase.is_some() {
        // The typed text is the popup's last line.
        let y = (inner.y + inner.height)
            .saturating_sub(1)
            .min(area.bottom().saturating_sub(1));
        super::show_input_cursor(frame, inner, y, 2, input);
    }
}

fn help(app: &App, frame: &mut Frame, area: Rect, scroll: u16, filter: &str, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(72);
    let rect = centered(area, width, area.height);
    frame.render_widget(Clear, rect);
    let block = popup_block("Help: key bindings".into(), theme).title_bottom(
        Line::from(" j/k PgUp/PgDn g/G scroll · / filter · Esc close ").right_aligned(),
    );
    let inner = block.inner(rect);
    let rows = crate::app::help_rows(&app.keymap, app.allow_write, filter, inner.width as usize);
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
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
