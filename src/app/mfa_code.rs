//! The MFA-code popup: a credential provider (an assume-role profile with `mfa_serial`) waits
//! for a code; the popup opens over whatever was open, Enter sends the digits back, Esc sends
//! none (the requests that needed the role fail saying so, and the app goes on). The code is
//! not masked — it is good for seconds and only with the device — but it is kept nowhere
//! after Enter: not in the model, not in a notice, and its `Debug` hides it.

use super::{App, Cmd, LineInput, Overlay};
use crate::cognito::mfa_code::{MfaCode, MfaRequest};
use crate::keymap::Action;
use crate::sanitize::sanitize;

/// The popup's state: the request it answers, the line being typed, and what was open
/// before it (back when it closes).
#[derive(Clone, PartialEq, Eq)]
pub struct MfaCodeEntry {
    pub(crate) request: MfaRequest,
    pub(crate) input: LineInput,
    pub(crate) behind: Option<Box<Overlay>>,
}

impl std::fmt::Debug for MfaCodeEntry {
    /// Without the typed digits: a model printed in a test's failure or a log line must not
    /// carry a code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaCodeEntry")
            .field("profile", &self.request.profile)
            .field("serial", &self.request.serial)
            .field("typed", &self.input.text.chars().count())
            .finish()
    }
}

impl MfaCodeEntry {
    /// The profile whose role needs the code.
    pub fn profile(&self) -> &str {
        &self.request.profile
    }

    /// The MFA device the profile names (`mfa_serial`).
    pub fn serial(&self) -> &str {
        &self.request.serial
    }

    /// The line being typed.
    pub fn input(&self) -> &LineInput {
        &self.input
    }
}

/// A provider asks: the popup opens over what was open (a popup asking for an earlier code,
/// whose provider stopped waiting, is replaced).
pub(super) fn asked(app: &mut App, request: MfaRequest) -> Vec<Cmd> {
    let behind = match app.layers.take() {
        Overlay::None => None,
        Overlay::MfaCode(earlier) => earlier.behind,
        other => Some(Box::new(other)),
    };
    app.layers.open(Overlay::MfaCode(Box::new(MfaCodeEntry {
        request,
        input: LineInput::default(),
        behind,
    })));
    Vec::new()
}

/// Enter and Esc (the line's edits are the input's own).
pub(super) fn act(app: &mut App, action: Action) -> Vec<Cmd> {
    let Overlay::MfaCode(entry) = app.layers.overlay() else {
        return Vec::new();
    };
    let code = match action {
        Action::Submit => match MfaCode::parse(&entry.input.text) {
            Ok(code) => Some(code),
            Err(e) => {
                app.layers.say(e.to_string());
                return Vec::new();
            }
        },
        Action::Cancel => None,
        _ => return Vec::new(),
    };
    let Overlay::MfaCode(entry) = app.layers.take() else {
        return Vec::new();
    };
    let MfaCodeEntry {
        request, behind, ..
    } = *entry;
    app.layers.open(behind.map_or(Overlay::None, |b| *b));
    let profile = sanitize(&request.profile).into_owned();
    app.layers.say(match (&code, request.reply.is_waiting()) {
        (_, false) => format!(
            "the request that asked for profile {profile}'s MFA code ran out of time \
             (--timeout): the next request asks again"
        ),
        (Some(_), true) => format!("MFA code sent for profile {profile}"),
        (None, true) => format!(
            "no MFA code entered: requests that need profile {profile}'s role fail until one is"
        ),
    });
    vec![Cmd::AnswerMfa {
        reply: request.reply,
        code,
    }]
}

/// The provider stopped waiting (its request's `--timeout` ran out): the popup closes saying
/// so, rather than taking a code nobody will use. Checked on the tick, which runs while the
/// popup is open.
pub(super) fn withdrawn(app: &mut App) {
    let Overlay::MfaCode(entry) = app.layers.overlay() else {
        return;
    };
    if entry.request.reply.is_waiting() {
        return;
    }
    let profile = sanitize(&entry.request.profile).into_owned();
    let behind = match app.layers.take() {
        Overlay::MfaCode(entry) => entry.behind,
        _ => None,
    };
    app.layers.open(behind.map_or(Overlay::None, |b| *b));
    app.layers.say(format!(
        "the request that asked for profile {profile}'s MFA code ran out of time (--timeout): \
         the next request asks again"
    ));
}
