//! Text popups: the error of the last lookup, and a full value (Enter on a row).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::app::{App, ErrorView, PasswordShown, PoolSettings, Tone};
use crate::cognito::lookup::LookupMode;
use crate::keymap::{Action, Context, Keymap};
use crate::sanitize::sanitize;
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

/// A temporary password just set (AdminSetUserPassword), as the popup shows it: the only
/// place it is ever drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPopup {
    /// `Temporary password for bob`, sanitized (masked in privacy mode).
    pub title: String,
    /// The password; None in privacy mode, where the copy key is the way to it.
    pub password: Option<String>,
    /// The pool it was set in, sanitized.
    pub pool_label: String,
    /// How long it lasts: the pool's `TemporaryPasswordValidityDays` (else the legacy
    /// `UnusedAccountValidityDays`, else 7), as the app knows it.
    pub valid_days: i32,
}

impl PasswordPopup {
    /// The popup for `shown`, with the pool's validity and privacy mode from `app`.
    pub fn of(app: &App, shown: &PasswordShown) -> Self {
        let username = crate::redact::shown_username(app.redact(), &shown.username);
        Self {
            title: format!("Temporary password for {}", sanitize(&username)),
            password: (!app.redact()).then(|| shown.password.expose().to_string()),
            pool_label: sanitize(&shown.pool_label).into_owned(),
            valid_days: match app.pool_settings() {
                PoolSettings::Known(schema) => schema.invitation_validity().0,
                _ => crate::cognito::DEFAULT_TEMPORARY_PASSWORD_DAYS,
            },
        }
    }
}

/// The temporary password in its own popup, with what the agent tells the user.
pub(crate) fn password(
    buf: &mut Buffer,
    area: Rect,
    shown: &PasswordPopup,
    keymap: &Keymap,
    theme: &Theme,
) {
    let keys = format!(
        "{} copies it · {} closes: it is not shown again",
        keymap.key(Context::Detail, Action::Copy),
        keymap.key(Context::Detail, Action::Cancel)
    );
    let value = match &shown.password {
        Some(p) => Span::styled(p.clone(), theme.tone(Tone::Good)),
        None => Span::styled("(hidden in privacy mode)", theme.tone(Tone::Dim)),
    };
    let lines = vec![
        Line::from(format!("Set in {}. Shown this once:", shown.pool_label)),
        Line::from(""),
        Line::from(vec![Span::raw("    "), value]),
        Line::from(""),
        Line::from(format!(
            "The user signs in with it within {} days and must then choose a new password \
             (FORCE_CHANGE_PASSWORD). It is not kept, logged or audited.",
            shown.valid_days
        )),
        Line::from(""),
        Line::from(Span::styled(keys, theme.tone(Tone::Dim))),
    ];
    let block = popup_block(shown.title.clone(), theme);
    text_popup(buf, area, lines, block, 72, 0);
}
