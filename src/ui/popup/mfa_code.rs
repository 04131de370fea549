//! The MFA-code popup: whose role asks, which device, the line the code is typed on, and the
//! keys (from the key table). The code is drawn as typed: it is good for seconds, only with
//! the device, so masking it would only make typing it harder.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::frame::{popup_block, wrapped_height};
use crate::app::{LineInput, MfaCodeEntry};
use crate::keymap::{Action, Context, Keymap};
use crate::sanitize::sanitize;
use crate::ui::{Theme, centered};

/// What the popup draws.
pub struct MfaCodePopup<'a> {
    pub profile: String,
    pub serial: String,
    pub input: &'a LineInput,
}

impl<'a> MfaCodePopup<'a> {
    /// The popup of the entry open in the model (names from the AWS config: sanitized).
    pub fn of(entry: &'a MfaCodeEntry) -> Self {
        Self {
            profile: sanitize(entry.profile()).into_owned(),
            serial: sanitize(entry.serial()).into_owned(),
            input: entry.input(),
        }
    }
}

/// Draws the popup; returns where the terminal cursor goes (the end of the typed code).
pub(crate) fn mfa_code(
    buf: &mut Buffer,
    area: Rect,
    popup: MfaCodePopup,
    keymap: &Keymap,
    theme: &Theme,
) -> Option<Position> {
    let submit = keymap.key(Context::Input, Action::Submit);
    let cancel = keymap.key(Context::Input, Action::Cancel);
    let lines = vec![
        Line::from(vec![
            Span::raw("Profile "),
            Span::styled(popup.profile, theme.title(true)),
            Span::raw(" assumes its role with an MFA device:"),
        ]),
        Line::from(popup.serial),
        Line::from(""),
        Line::from(vec![
            Span::raw("Type the 6-digit code it shows and press "),
            Span::styled(submit.to_string(), theme.key()),
            Span::raw("; "),
            Span::styled(cancel.to_string(), theme.key()),
            Span::raw(" cancels (the role's requests fail until a code is given)."),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("› ", theme.accent()),
            Span::raw(sanitize(&popup.input.text).into_owned()),
        ]),
    ];
    let width = area.width.saturating_sub(4).min(72);
    let height = (wrapped_height(&lines, width.saturating_sub(4)) + 2).min(area.height);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = popup_block("MFA code".into(), theme);
    let inner = block.inner(rect);
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .render(rect, buf);
    // The typed code is the popup's last line.
    let y = (inner.y + inner.height)
        .saturating_sub(1)
        .min(area.bottom().saturating_sub(1));
    crate::ui::input_cursor(inner, y, 2, popup.input)
}
