//! Asking a person for an MFA code from inside the credential chain: an assume-role profile
//! with `mfa_serial` (`sdk/mfa.rs`) hands an [`MfaRequest`] to an [`MfaPrompt`] — the TUI's
//! popup — and waits for the code (or for none: cancelled) on the request's [`MfaReply`].
//! The code itself is an [`MfaCode`], which never prints itself: not in a `Debug` of a
//! command, a message or the model, so not in the trace log either.

use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// An MFA code as typed: six digits, as STS's AssumeRole takes `TokenCode` ("a sequence of
/// six numeric digits": AWS STS API Reference, AssumeRole,
/// <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>).
#[derive(Clone, PartialEq, Eq)]
pub struct MfaCode(String);

/// Why what was typed is not an MFA code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an MFA code is the 6 digits your device shows")]
pub struct NotAnMfaCode;

impl MfaCode {
    /// The code in `typed` (spaces around it and between groups of digits dropped).
    pub fn parse(typed: &str) -> Result<Self, NotAnMfaCode> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        match digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
            true => Ok(Self(digits)),
            false => Err(NotAnMfaCode),
        }
    }

    /// A code typed on the terminal, sent as it is: STS says what is wrong with it.
    pub(crate) fn typed(code: &str) -> Self {
        Self(code.to_string())
    }

    /// The digits, for the one place they are sent (AssumeRole's `TokenCode`).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaCode(hidden)")
    }
}

/// Where the code goes back to: the credential provider waiting for it. Sent at most once;
/// `None` means the person cancelled.
#[derive(Clone)]
pub struct MfaReply(Arc<Mutex<Option<oneshot::Sender<Option<MfaCode>>>>>);

impl MfaReply {
    /// Answers the provider (a second answer, or one nobody waits for any more, goes nowhere).
    pub fn send(&self, code: Option<MfaCode>) {
        let sender = self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sender) = sender {
            let _ = sender.send(code);
        }
    }

    /// Whether the provider still waits for this answer: not once answered, nor once the
    /// request that needed the credentials ended (its `--timeout`, or the app quitting).
    pub fn is_waiting(&self) -> bool {
        let sender = self.0.lock().unwrap_or_else(|p| p.into_inner());
        sender.as_ref().is_some_and(|s| !s.is_closed())
    }
}

impl PartialEq for MfaReply {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for MfaReply {}

impl std::fmt::Debug for MfaReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaReply")
            .field("waiting", &self.is_waiting())
            .finish()
    }
}

/// A code asked for: whose role (the profile and its `mfa_serial`) and where it goes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaRequest {
    /// The profile with `mfa_serial`.
    pub profile: String,
    /// The MFA device's ARN (or serial number), as the profile names it.
    pub serial: String,
    pub reply: MfaReply,
}

impl MfaRequest {
    /// A request, and where its answer arrives.
    pub fn new(
        profile: impl Into<String>,
        serial: impl Into<String>,
    ) -> (Self, oneshot::Receiver<Option<MfaCode>>) {
        let (tx, rx) = oneshot::channel();
        let request = Self {
            profile: profile.into(),
            serial: serial.into(),
            reply: MfaReply(Arc::new(Mutex::new(Some(tx)))),
        };
        (request, rx)
    }
}

/// Where a credential provider asks a person for a code: the TUI hands its requests to the
/// model as a message, which opens the popup. Without one, the code is asked for on the
/// terminal (one-shot commands).
#[derive(Clone)]
pub struct MfaPrompt(Arc<dyn Fn(MfaRequest) -> bool + Send + Sync>);

impl MfaPrompt {
    /// A prompt that hands each request to `show` (false: nobody can show it any more).
    pub fn new(show: impl Fn(MfaRequest) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(show))
    }

    /// Asks for the code of `serial` for `profile`; `None` when cancelled, or when nobody is
    /// there to answer.
    pub async fn ask(&self, profile: &str, serial: &str) -> Option<MfaCode> {
        let (request, answer) = MfaRequest::new(profile, serial);
        if !(self.0)(request) {
            return None;
        }
        answer.await.ok().flatten()
    }
}

impl PartialEq for MfaPrompt {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for MfaPrompt {}

impl std::fmt::Debug for MfaPrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaPrompt")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_and_never_prints_itself() {
        assert_eq!(MfaCode::parse(" 123 456 ").unwrap().expose(), "123456");
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(MfaCode::parse(bad), Err(NotAnMfaCode), "{bad:?}");
        }
        let code = MfaCode::parse("987654").unwrap();
        assert!(!format!("{code:?}").contains("987654"));
    }

    #[tokio::test]
    async fn the_reply_reaches_the_provider_once() {
        let (request, answer) = MfaRequest::new("support", "arn:aws:iam::1:mfa/jane");
        assert!(request.reply.is_waiting());
        request.reply.send(MfaCode::parse("123456").ok());
        assert!(!request.reply.is_waiting());
        request.reply.send(None);
        assert_eq!(answer.await.unwrap().unwrap().expose(), "123456");
    }
}
