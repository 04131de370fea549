//! Text popups: the error of the last lookup, and a full value (Enter on a row).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::app::{ErrorView, Tone};
use crate::cognito::lookup::LookupMode;
use crate::keymap::{Action, Context, Keymap};
use crate::ui::{Theme, centered};

use super::frame::*;

/// The error of the last lookup, over the panes; the app keeps working underneath.
pub struct ErrorPopup<'a> {
    /// The error as the screen shows it (masked in privacy mode).
    pub error: ErrorView,
    /// The way out, in the keys of the key table ("Esc dismisses · / looks up another user").
    pub keys: String,
    pub theme: &'a Theme,
}

impl<'a> ErrorPopup<'a> {
    /// `error`, already as shown, with the way out in `keymap`'s keys.
    pub fn new(error: ErrorView, keymap: &Keymap, theme: &'a Theme) -> Self {
        let keys = format!(
            "{} dismisses · {} looks up another user",
            keymap.key(Context::Main, Action::Cancel),
            keymap.key(Context::Main, Action::OpenLookup(LookupMode::Auto)),
        );
        Self { error, keys, theme }
    }
}

impl Widget for ErrorPopup<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (error, theme, keys) = (self.error, self.theme, self.keys);
        let mut lines = Vec::new();
        if let Some(exception) = &error.exception {
            lines.push(Line::from(Span::styled(exception.clone(), theme.error())));
        }
        lines.push(Line::from(error.message.clone()));
        if let Some(hint) = &error.hint {
            lines.push(Line::from(""));
            lines.push(crate::ui::hint_line(hint, theme));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(keys, theme.tone(Tone::Dim))));
        let block = popup_block(error.title.clone(), theme).border_style(theme.error());
        text_popup(buf, area, lines, block, 72, 0);
    }
}

/// A full value, wrapped and scrolled.
pub(crate) fn detail(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    text: &str,
    scroll: u16,
    keymap: &Keymap,
    theme: &Theme,
) {
    let keys = format!(
        " {} copy · {} close ",
        keymap.key(Context::Detail, Action::Copy),
        keymap.key(Context::Detail, Action::Cancel)
    );
    let width = area.width.saturating_sub(4).min(90);
    let lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
    let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
    let rect = centered(area, width, height.max(3));
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(popup_block(title.to_string(), theme).title_bottom(Line::from(keys).right_aligned()))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(rect, buf);
}
