//! Privacy mode: masks personal attribute values on screen and in copies, for screen-sharing
//! with a customer on the line. `alice@example.com` becomes `a•••@e•••.com`.

const MASK: &str = "•••";

/// Whether an attribute's value is personal data that privacy mode hides.
pub fn is_personal(attribute: &str) -> bool {
    attribute.starts_with("custom:")
        || matches!(
            attribute,
            "email"
                | "phone_number"
                | "address"
                | "name"
                | "given_name"
                | "family_name"
                | "middle_name"
                | "nickname"
                | "preferred_username"
                | "birthdate"
                | "picture"
                | "profile"
                | "website"
                | "identities"
        )
}

/// The masked form of `value` for `attribute`; non-personal values are returned as they are.
pub fn mask_attribute(attribute: &str, value: &str) -> String {
    if !is_personal(attribute) {
        return value.to_string();
    }
    match attribute {
        "email" => mask_email(value),
        "phone_number" => mask_phone(value),
        _ => mask_text(value),
    }
}

/// `alice@mail.example.com` → `a•••@m•••.com`.
pub fn mask_email(value: &str) -> String {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return mask_text(value);
    };
    let tld = domain.rsplit_once('.').map(|(_, tld)| tld);
    let domain_masked = match tld {
        Some(tld) => format!("{}.{tld}", mask_text(domain)),
        None => mask_text(domain),
    };
    format!("{}@{domain_masked}", mask_text(local))
}

/// `+15550100001` → `+1•••01`: country code's first digit and the last two digits.
pub fn mask_phone(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 6 {
        return MASK.into();
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{MASK}{tail}")
}

/// First character, then a mask: `Alice Anders` → `A•••`. Empty stays empty.
pub fn mask_text(value: &str) -> String {
    match value.chars().next() {
        Some(first) => format!("{first}{MASK}"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_issue_says() {
        assert_eq!(mask_email("alice@example.com"), "a•••@e•••.com");
        assert_eq!(mask_email("zoe@müller.example"), "z•••@m•••.example");
        assert_eq!(mask_email("no-at-sign"), "n•••");
        assert_eq!(mask_phone("+15550100001"), "+1•••01");
        assert_eq!(mask_phone("+1"), "•••");
        assert_eq!(mask_attribute("custom:tenant", "acme"), "a•••");
        assert_eq!(mask_attribute("family_name", "Müller"), "M•••");
        assert_eq!(mask_attribute("email_verified", "true"), "true");
        assert_eq!(mask_attribute("sub", "abc"), "abc");
        assert_eq!(mask_attribute("name", ""), "");
    }
}
