//! The Status pane: who the user is, whether they can sign in, what their status means,
//! when they changed, and how the lookup found them — and, above it, when the newest lookup
//! failed, that the user shown is not its answer.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Theme;
use super::pane::PaneView;
use super::rows::RowLayout;
use crate::app::Tone;
use crate::app::{App, Pane};
use crate::sanitize::sanitize;
use crate::width::Cells;

/// Layout of the Status rows (also used to size the pane).
pub const LAYOUT: RowLayout = RowLayout {
    label_width: 8,
    wrap: true,
};

/// The Status pane, and the line above it while the user shown is not the newest lookup's
/// answer.
pub struct StatusView<'a> {
    pub pane: PaneView<'a>,
    /// "showing alice — the lookup for "bob" found no one", raw (sanitized when drawn).
    pub stale: Option<String>,
    pub theme: &'a Theme,
}

impl StatusView<'_> {
    /// Lines the stale line takes at `width` (0 without one), at most 2.
    pub fn stale_height(&self, width: u16) -> u16 {
        stale_height(self.stale.as_deref(), width)
    }
}

fn stale_height(stale: Option<&str>, width: u16) -> u16 {
    stale.map_or(0, |s| {
        (sanitize(s).cells() as u16 + 1)
            .div_ceil(width.max(1))
            .clamp(1, 2)
    })
}

/// The pane as it is drawn.
pub fn view<'a>(app: &App, theme: &'a Theme) -> StatusView<'a> {
    StatusView {
        pane: PaneView {
            layout: LAYOUT,
            ..PaneView::of(app, Pane::Status, theme)
        },
        stale: stale_line(app),
        theme,
    }
}

/// Until the next lookup answers, a failed one says the user on screen is not its answer
/// (masked in privacy mode).
pub fn stale_line(app: &App) -> Option<String> {
    let (query, not_found) = app.failed_lookup()?;
    let user = &app.user()?.found.user.username;
    let (user, query) = (
        crate::redact::shown_username(app.redact(), user),
        crate::redact::shown_query(app.redact(), query),
    );
    let outcome = if *not_found { "found no one" } else { "failed" };
    Some(format!(
        "⚠ showing {user} — the lookup for {query:?} {outcome}"
    ))
}

impl Widget for StatusView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let height = self.stale_height(area.width).min(area.height);
        let [stale, pane] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
        if let Some(text) = &self.stale {
            Paragraph::new(Span::styled(
                format!(" {}", sanitize(text)),
                self.theme.tone(Tone::Warn),
            ))
            .wrap(Wrap { trim: true })
            .render(stale, buf);
        }
        self.pane.render(pane, buf);
    }
}
