//! The footer: the keys the screen offers now, from the key table, fitted to the width.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::{App, Overlay};
use crate::keymap::{Action, Context, FooterHint};
use crate::width::Cells;

use super::Theme;

/// The keys for `action` in `context`, as the binding table in use writes them.
pub fn keys_for(app: &App, context: Context, action: Action) -> &str {
    app.keymap().label(context, action)
}

/// The first key bound to `action` in `context` ("Esc" of "Esc q"), for one-line hints.
pub fn first_key(app: &App, context: Context, action: Action) -> &str {
    app.keymap().key(context, action)
}

/// Whether the screen offers `action` now, and the word the footer gives it (None hides it).
fn footer_offer(
    app: &App,
    context: Context,
    action: Action,
    word: &'static str,
) -> Option<&'static str> {
    use crate::app::Finder;
    use Action as A;
    let user = app.user().is_some();
    let has_pool = app.has_pool();
    let browsing = app.finder() == Some(Finder::Browse);
    let shown = match (context, action) {
        (Context::Main, A::Cancel) => app.error().is_some(),
        (Context::Main, A::OpenLookup(_) | A::Search | A::Browse | A::LoadAll) => has_pool,
        (Context::Main, A::Recent) => !app.recent().is_empty(),
        (
            Context::Main,
            A::FocusNext
            | A::Open
            | A::Copy
            | A::Filter
            | A::Refresh
            | A::EscapeHatch
            | A::Actions
            | A::AllPools,
        ) => user,
        (Context::Main, A::Reveal) => user && app.redact(),
        (Context::Main, A::Privacy) => user,
        (Context::Finder, A::LoadAll) => {
            browsing && app.browse().loading_all.is_none() && !app.browse().pager.done
        }
        (Context::Finder, A::Refresh) => app.finder() == Some(Finder::Search),
        (Context::Finder, A::BrowseFilter) => browsing,
        (Context::Finder, A::ExportList) => {
            app.finder() != Some(Finder::Pools) && app.export_prompt().is_none()
        }
        (Context::Finder, A::Cancel) if browsing && app.browse().loading_all.is_some() => {
            return Some("stop loading");
        }
        (Context::Input, A::Up) => matches!(app.overlay(), Overlay::Recent { .. }),
        // The all-pools popup that says no pools are named has nothing to move to or open.
        (Context::List, A::Up | A::Submit) => {
            !matches!(app.overlay(), Overlay::AllPools(all) if all.rows.is_empty())
        }
        (Context::Input, A::Submit) => {
            return Some(match app.overlay() {
                Overlay::Lookup { .. } => "look up",
                Overlay::Recent { .. } => "open",
                Overlay::Confirm { .. } => "confirm",
                Overlay::AllPools(_) => "look up in every pool",
                Overlay::Help { .. } | Overlay::Filter { .. } => "keep filter",
                _ => word,
            });
        }
        (Context::Input, A::Cancel) => {
            return Some(match app.overlay() {
                Overlay::Help { .. } | Overlay::Filter { .. } => "clear filter",
                Overlay::Recent { .. } => "close",
                _ => word,
            });
        }
        _ => true,
    };
    shown.then_some(word)
}

/// The hints that fit in `width` columns, in priority order; when some are left out the
/// last hint is `more`, pointing at the help (where everything is).
fn fit_footer(
    mut hints: Vec<FooterHint>,
    more: Option<FooterHint>,
    width: usize,
) -> Vec<FooterHint> {
    let cost = |h: &FooterHint| h.keys.cells() + 1 + h.word.cells() + 2;
    let total = |hs: &[FooterHint]| 1 + hs.iter().map(cost).sum::<usize>();
    let Some(more) = more else {
        while hints.len() > 1 && total(&hints) > width {
            hints.pop();
        }
        return hints;
    };
    let mut all = hints.clone();
    all.push(FooterHint {
        word: "help",
        ..more.clone()
    });
    if total(&all) <= width {
        return all;
    }
    while !hints.is_empty() && total(&hints) + cost(&more) > width {
        hints.pop();
    }
    hints.push(more);
    hints
}

/// What the footer draws: the hints for what the screen offers now, in priority order,
/// fitted to the width it is drawn in.
pub struct FooterView<'a> {
    pub hints: Vec<FooterHint>,
    /// The last hint when some are left out: where the rest are (None: nowhere to point).
    pub more: Option<FooterHint>,
    pub theme: &'a Theme,
}

impl<'a> FooterView<'a> {
    /// The footer as the app is now.
    pub fn of(app: &App, theme: &'a Theme) -> Self {
        let context = app.context();
        let mut hints = app.keymap().footer(context, app.allow_write(), |a, w| {
            footer_offer(app, context, a, w)
        });
        let typing = match app.overlay() {
            Overlay::Confirm {
                phrase: Some(_),
                write,
                ..
            } => Some(if write.action == crate::cognito::WriteAction::DeleteUser {
                "username and pool id's end"
            } else {
                "the username"
            }),
            Overlay::Recent { .. } => Some("to filter"),
            _ if app.finder() == Some(crate::app::Finder::Pools) && context == Context::Finder => {
                Some("a name or pool id")
            }
            // Browse's line is labelled "Filter ›" already: its footer's room goes to the
            // keys nobody would guess (Ctrl-T, Ctrl-S, Ctrl-L).
            _ if context == Context::Finder && app.finder() == Some(crate::app::Finder::Browse) => {
                None
            }
            _ if context == Context::Finder => Some("to filter"),
            _ => None,
        };
        if let Some(word) = typing {
            hints.insert(
                0,
                FooterHint {
                    keys: "type".into(),
                    word,
                    action: Action::Insert(' '),
                },
            );
        }
        // The whole table: `?` from the panes, F1 (the global key) from a finder.
        let more = match context {
            Context::Main | Context::Finder => Some(FooterHint {
                keys: app.keymap().key(context, Action::Help).to_string(),
                word: "more",
                action: Action::Help,
            }),
            _ => None,
        };
        Self { hints, more, theme }
    }

    /// The hints that fit in `width` columns.
    pub fn fitted(self, width: usize) -> Vec<FooterHint> {
        fit_footer(self.hints, self.more, width)
    }
}

impl Widget for FooterView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut spans = vec![Span::raw(" ")];
        for hint in self.fitted(area.width as usize) {
            spans.push(Span::styled(hint.keys, theme.key()));
            spans.push(Span::raw(format!(" {}  ", hint.word)));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}
