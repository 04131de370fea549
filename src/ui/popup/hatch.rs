//! The escape hatch: the equivalent aws command and the console address.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::Tone;
use crate::keymap::{Action, Context, Keymap};
use crate::ui::Theme;

use super::frame::*;

/// The equivalent aws command (already copied) and the console address.
pub(crate) fn hatch(
    buf: &mut Buffer,
    area: Rect,
    command: &str,
    url: &str,
    demo: bool,
    keymap: &Keymap,
    theme: &Theme,
) {
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
    let keys = format!(
        " {} copy command · {} copy address · {} close ",
        keymap.key(Context::Hatch, Action::Copy),
        keymap.key(Context::Hatch, Action::CopyUrl),
        keymap.key(Context::Hatch, Action::Cancel),
    );
    let block =
        popup_block("Escape hatch".into(), theme).title_bottom(Line::from(keys).right_aligned());
    text_popup(buf, area, lines, block, 100, 0);
}
