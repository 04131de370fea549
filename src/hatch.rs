//! The escape hatch: the `aws` command and the console address that reproduce a lookup
//! outside this tool, quoted and encoded so they are safe to paste and to display.

use crate::app::SessionInfo;
use crate::cognito::PoolId;

/// The `aws cognito-idp admin-get-user` command that reproduces the lookup, shell-quoted.
pub fn aws_command(session: &SessionInfo, pool: &str, username: &str) -> String {
    let mut words = vec![
        "aws".to_string(),
        "cognito-idp".into(),
        "admin-get-user".into(),
        "--user-pool-id".into(),
        shell_quote(pool),
        "--username".into(),
        shell_quote(username),
    ];
    if let Some(region) = console_region(session, pool) {
        words.push("--region".into());
        words.push(shell_quote(&region));
    }
    if let Some(profile) = &session.profile {
        words.push("--profile".into());
        words.push(shell_quote(profile));
    }
    if session.target.starts_with("http://") || session.target.starts_with("https://") {
        words.push("--endpoint-url".into());
        words.push(shell_quote(&session.target));
    }
    words.join(" ")
}

fn console_region(session: &SessionInfo, pool: &str) -> Option<String> {
    session
        .region
        .clone()
        .or_else(|| PoolId::parse(pool).ok()?.region().map(str::to_string))
}

/// The AWS console page of the user, or None when the Region is unknown.
pub fn console_url(session: &SessionInfo, pool: &str, username: &str) -> Option<String> {
    let region = console_region(session, pool)?;
    let region = url_encode(&region);
    Some(format!(
        "https://{region}.console.aws.amazon.com/cognito/v2/idp/user-pools/{}/user-management/\
         users/details/{}?region={region}",
        url_encode(pool),
        url_encode(username)
    ))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Quotes a word for a POSIX shell: bare when it is plainly safe, in single quotes otherwise,
/// and as bash's `$'…'` with escapes when it holds characters a terminal must not receive
/// (so the command both runs as the real username and displays safely).
pub fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    if !word.chars().any(crate::sanitize::is_unsafe) {
        return format!("'{}'", word.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in word.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if crate::sanitize::is_unsafe(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            // bash reads at most 4 hex digits after \u: the tag block needs \U.
            c if crate::sanitize::is_unsafe(c) && (c as u32) > 0xFFFF => {
                out.push_str(&format!("\\U{:08x}", c as u32))
            }
            c if crate::sanitize::is_unsafe(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
