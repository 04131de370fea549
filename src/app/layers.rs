//! What is drawn over the panes, a part of [`super::App`] that owns it: the one popup
//! ([`Overlay`]: only one exists at a time), the error popup, the bar's one-line notice and
//! the audit syslog's state for the header's badge. Only the methods here change them.

use super::{ErrorView, Overlay};

/// The popup, the error and the notices (see the module's comment).
#[derive(Debug, Clone)]
pub(crate) struct Layers {
    overlay: Overlay,
    error: Option<ErrorView>,
    /// A one-line message in the bar (copied, refused input, ...).
    notice: Option<String>,
    /// Why the audit syslog receiver is not taking lines (the header says so).
    syslog_down: Option<String>,
}

impl Default for Layers {
    /// Nothing over the panes.
    fn default() -> Self {
        Self {
            overlay: Overlay::None,
            error: None,
            notice: None,
            syslog_down: None,
        }
    }
}

impl Layers {
    /// The popup, if any.
    pub(crate) fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The open popup, to change its own state (a cursor, the line typed).
    pub(crate) fn overlay_mut(&mut self) -> &mut Overlay {
        &mut self.overlay
    }

    /// `overlay` opens, in place of what was open.
    pub(crate) fn open(&mut self, overlay: Overlay) {
        self.overlay = overlay;
    }

    /// The popup closes.
    pub(crate) fn close(&mut self) {
        self.overlay = Overlay::None;
    }

    /// The popup closes and is handed back.
    pub(crate) fn take(&mut self) -> Overlay {
        std::mem::replace(&mut self.overlay, Overlay::None)
    }

    /// The error popup, if any.
    pub(crate) fn error(&self) -> Option<&ErrorView> {
        self.error.as_ref()
    }

    /// `error` is shown.
    pub(crate) fn fail(&mut self, error: ErrorView) {
        self.error = Some(error);
    }

    /// The error closes.
    pub(crate) fn clear_error(&mut self) {
        self.error = None;
    }

    /// The error closes and is handed back (None: there was none).
    pub(crate) fn take_error(&mut self) -> Option<ErrorView> {
        self.error.take()
    }

    /// The bar's notice.
    pub(crate) fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Says `text` in the bar.
    pub(crate) fn say(&mut self, text: impl Into<String>) {
        self.notice = Some(text.into());
    }

    /// The bar says nothing.
    pub(crate) fn quiet(&mut self) {
        self.notice = None;
    }

    /// The notice goes and is handed back (None: there was none).
    pub(crate) fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Adds `text` to the notice in the bar, if one is there.
    pub(crate) fn add_to_notice(&mut self, text: &str) {
        if let Some(notice) = &mut self.notice {
            notice.push_str(text);
        }
    }

    /// Puts back a notice and an error taken before (what a refresh must not clear).
    pub(crate) fn put_back(&mut self, notice: Option<String>, error: Option<ErrorView>) {
        self.notice = notice;
        self.error = error;
    }

    /// A fresh start for a new request: no error, no notice.
    pub(crate) fn clear(&mut self) {
        self.error = None;
        self.notice = None;
    }

    /// Why the audit syslog receiver is not taking lines, if it is not.
    pub(crate) fn syslog_down(&self) -> Option<&str> {
        self.syslog_down.as_deref()
    }

    /// The audit syslog receiver went away (`down`: why) or came back.
    pub(crate) fn set_syslog(&mut self, down: Option<String>) {
        self.syslog_down = down;
    }
}
