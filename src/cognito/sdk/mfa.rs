//! Assume-role profiles with `mfa_serial`. The Rust SDK sends AssumeRole without the MFA code
//! (it has no prompt: awslabs/aws-sdk-rust#527) and STS refuses it; here the code is asked
//! for — in the TUI's popup when the session has an [`MfaPrompt`], else on the terminal, as
//! the AWS CLI does — and sent with the role's AssumeRole. The role's credentials are cached
//! by the SDK's identity cache for their lifetime; a refresh asks again, the same way. With
//! no terminal, or a terminal a full-screen program holds in raw mode, it fails saying so.

use std::time::Duration;

/// How long the credential cache waits for credentials: long enough for a person to type the
/// code (the SDK's default, a few seconds, is for machines). The request's own `--timeout`
/// (20 s by default) still bounds the whole of it.
pub(super) const PROMPT_TIMEOUT: Duration = Duration::from_secs(300);

use std::io::{BufRead, BufReader, Write};
use std::time::SystemTime;

use aws_config::BehaviorVersion;
use aws_config::Region;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials, SharedCredentialsProvider, future};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::cognito::mfa_code::{MfaCode, MfaPrompt};

/// An assume-role profile whose role needs an MFA code.
#[derive(Debug)]
pub(super) struct MfaRole {
    pub profile: String,
    pub role_arn: String,
    pub mfa_serial: String,
    /// The source profile's credentials, which call AssumeRole.
    pub source: SharedCredentialsProvider,
    pub region: Option<Region>,
    pub http: SharedHttpClient,
    /// Where the code is asked for (the TUI's popup); `None`: on the terminal.
    pub prompt: Option<MfaPrompt>,
}

/// Why no code could be had: no terminal, a terminal in raw mode, or none entered.
#[derive(Debug, thiserror::Error)]
enum NoPrompt {
    #[error(
        "profile {profile} assumes its role with an MFA device (mfa_serial = {serial}), and \
         there is no terminal to ask for the code on: run it on a terminal"
    )]
    NoTerminal { profile: String, serial: String },
    #[error(
        "profile {profile} assumes its role with an MFA device (mfa_serial = {serial}), and \
         the terminal is held by a full-screen program: run it on a terminal of its own"
    )]
    TerminalBusy { profile: String, serial: String },
    /// Nothing typed, the popup cancelled (Esc), or the app quit before answering.
    #[error("no MFA code entered for profile {0}: its role's requests fail until one is")]
    NoCode(String),
}

impl ProvideCredentials for MfaRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.assume())
    }
}

impl MfaRole {
    /// The code, from the popup or the terminal.
    async fn code(&self) -> Result<MfaCode, CredentialsError> {
        let (profile, serial) = (self.profile.clone(), self.mfa_serial.clone());
        let asked = match &self.prompt {
            Some(prompt) => (prompt.ask(&profile, &serial).await).ok_or(NoPrompt::NoCode(profile)),
            None => tokio::task::spawn_blocking(move || ask_code(&profile, &serial))
                .await
                .map_err(CredentialsError::unhandled)?,
        };
        // Not "not loaded": that would send the chain on to its next link, and the reason
        // would be lost.
        asked.map_err(CredentialsError::provider_error)
    }

    async fn assume(&self) -> provider::Result {
        let code = self.code().await?;
        let config = aws_config::defaults(BehaviorVersion::latest())
            .region(self.region.clone())
            .http_client(self.http.clone())
            .credentials_provider(self.source.clone())
            .load()
            .await;
        let answer = aws_sdk_sts::Client::new(&config)
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(format!("cognito-tui-{}", crate::login::os_user()))
            .serial_number(&self.mfa_serial)
            .token_code(code.expose())
            .send()
            .await
            .map_err(|e| {
                let full = aws_sdk_sts::error::DisplayErrorContext(&e).to_string();
                CredentialsError::provider_error(format!("AssumeRole with MFA: {full}"))
            })?;
        let issued = answer.credentials.ok_or_else(|| {
            CredentialsError::provider_error("AssumeRole answered no credentials")
        })?;
        let expiry = SystemTime::try_from(issued.expiration).ok();
        Ok(Credentials::new(
            issued.access_key_id,
            issued.secret_access_key,
            Some(issued.session_token),
            expiry,
            "AssumeRoleWithMfa",
        ))
    }
}

/// Asks for the code on the controlling terminal (never stdin, which may be a batch).
fn ask_code(profile: &str, serial: &str) -> Result<MfaCode, NoPrompt> {
    let no_terminal = || NoPrompt::NoTerminal {
        profile: profile.into(),
        serial: serial.into(),
    };
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| no_terminal())?;
    if raw_mode(&tty) {
        return Err(NoPrompt::TerminalBusy {
            profile: profile.into(),
            serial: serial.into(),
        });
    }
    let mut out = &tty;
    write!(out, "MFA code for {serial} (profile {profile}): ").map_err(|_| no_terminal())?;
    out.flush().map_err(|_| no_terminal())?;
    let mut line = String::new();
    BufReader::new(&tty)
        .read_line(&mut line)
        .map_err(|_| no_terminal())?;
    let code = line.trim();
    if code.is_empty() {
        return Err(NoPrompt::NoCode(profile.into()));
    }
    // Sent as typed: STS says what is wrong with a code that is not six digits.
    Ok(MfaCode::typed(code))
}

/// Whether the terminal is out of canonical (line) mode: the TUI holds it.
#[cfg(unix)]
fn raw_mode(tty: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: tcgetattr only writes into the termios we pass, for a descriptor we own.
    unsafe {
        let mut modes: libc::termios = std::mem::zeroed();
        libc::tcgetattr(tty.as_raw_fd(), &mut modes) == 0 && modes.c_lflag & libc::ICANON == 0
    }
}

#[cfg(not(unix))]
fn raw_mode(_tty: &std::fs::File) -> bool {
    false
}

/// The named profile's MFA role, when it has `role_arn`, `mfa_serial` and `source_profile`
/// (the source profile read from `files`, as the named one was).
#[allow(deprecated)] // aws-config's own name for the aws-runtime type
pub(super) fn from_profile(
    named: &str,
    profiles: Option<&aws_config::profile::ProfileSet>,
    config: &aws_config::provider_config::ProviderConfig,
    files: aws_config::profile::profile_file::ProfileFiles,
    (region, http, prompt): (Option<Region>, SharedHttpClient, Option<MfaPrompt>),
) -> Option<MfaRole> {
    let profile = profiles?.get_profile(named)?;
    let (role_arn, mfa_serial) = (profile.get("role_arn")?, profile.get("mfa_serial")?);
    let source_profile = profile.get("source_profile")?;
    let source = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .configure(config)
        .profile_files(files)
        .profile_name(source_profile)
        .build();
    Some(MfaRole {
        profile: named.into(),
        role_arn: role_arn.into(),
        mfa_serial: mfa_serial.into(),
        source: SharedCredentialsProvider::new(source),
        region,
        http,
        prompt,
    })
}
