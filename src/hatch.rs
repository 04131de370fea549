//! The escape hatch: the `aws` command and the console address that reproduce a lookup
//! outside this tool, quoted and encoded so they are safe to paste and to display.

use crate::cognito::PoolId;
use crate::session::SessionInfo;

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

/// Quotes a word so that bash, zsh, dash and fish all read it back as exactly `word`, and so
/// that the quoted text itself is safe to show: bare when it is plainly safe; otherwise runs
/// of ordinary characters in single quotes, `'` and `\` escaped outside them (fish reads
/// `\\` and `\'` inside single quotes, POSIX shells don't), and every character a terminal
/// must not receive written as `"$(printf '\ooo…')"` — octal UTF-8 bytes, which every one of
/// these shells' printf decodes the same way. (Command substitution drops trailing newlines,
/// so a word ending in a newline comes back without it; Cognito usernames never contain
/// whitespace or control characters.)
pub fn shell_quote(word: &str) -> String {
    use crate::sanitize::is_unsafe;
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    if word.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    let mut quoted = String::new();
    let mut bytes = String::new();
    let flush_quoted = |out: &mut String, quoted: &mut String| {
        if !quoted.is_empty() {
            out.push('\'');
            out.push_str(quoted);
            out.push('\'');
            quoted.clear();
        }
    };
    let flush_bytes = |out: &mut String, bytes: &mut String| {
        if !bytes.is_empty() {
            out.push_str(&format!("\"$(printf '{bytes}')\""));
            bytes.clear();
        }
    };
    for c in word.chars() {
        // A printf run ending in a newline would lose it to the command substitution: the
        // next character joins the run.
        if is_unsafe(c) || bytes.ends_with("\\012") {
            flush_quoted(&mut out, &mut quoted);
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                bytes.push_str(&format!("\\{b:03o}"));
            }
            continue;
        }
        flush_bytes(&mut out, &mut bytes);
        match c {
            '\'' | '\\' => {
                flush_quoted(&mut out, &mut quoted);
                out.push('\\');
                out.push(c);
            }
            c => quoted.push(c),
        }
    }
    flush_quoted(&mut out, &mut quoted);
    flush_bytes(&mut out, &mut bytes);
    out
}
