//! The sign-in diagnosis as a pure function: tables over status × enabled, MFA configuration
//! × factors, verified flags × pool roles, invitation ages, sign-in history and missing
//! inputs; and properties that hold for any user, pool and history.

use cognito_tui::cognito::{Attribute, AuthEvent, MfaOption, PoolSchema, User, UserStatus};
use cognito_tui::diagnose::{Code, Diagnosis, Severity, diagnose};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime, macros::datetime};

const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

fn user(status: Option<UserStatus>, enabled: bool, attrs: &[(&str, &str)]) -> User {
    User {
        username: "pat".into(),
        attributes: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect(),
        created: Some(NOW - Duration::days(400)),
        last_modified: Some(NOW - Duration::days(2)),
        enabled,
        status,
        ..User::default()
    }
}

/// A confirmed, enabled user with a verified email: nothing wrong.
fn healthy() -> User {
    user(
        Some(UserStatus::Confirmed),
        true,
        &[("email", "pat@example.com"), ("email_verified", "true")],
    )
}

/// An alias pool with email recovery, MFA off, no threat protection.
fn pool() -> PoolSchema {
    PoolSchema {
        alias_attributes: vec!["email".into()],
        mfa_configuration: Some("OFF".into()),
        temporary_password_validity_days: Some(7),
        recovery_mechanisms: Some(vec!["verified_email".into()]),
        advanced_security_mode: Some("OFF".into()),
        ..PoolSchema::default()
    }
}

fn protected_pool() -> PoolSchema {
    PoolSchema {
        advanced_security_mode: Some("ENFORCED".into()),
        ..pool()
    }
}

fn codes(d: &Diagnosis) -> Vec<&'static str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}

fn finding(d: &Diagnosis, code: Code) -> &cognito_tui::diagnose::Finding {
    d.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {} in {:?}", code.as_str(), codes(d)))
}

#[test]
fn status_by_enabled_table() {
    use Severity::*;
    // (status, code it gives, severity, can sign in when enabled)
    type Row = (Option<UserStatus>, Option<Code>, Severity, Option<bool>);
    let table: Vec<Row> = vec![
        (Some(UserStatus::Confirmed), None, Info, Some(true)),
        (
            Some(UserStatus::Unconfirmed),
            Some(Code::Unconfirmed),
            Blocker,
            Some(false),
        ),
        (
            Some(UserStatus::ForceChangePassword),
            Some(Code::MustChangePassword),
            Info,
            Some(true),
        ),
        (
            Some(UserStatus::ResetRequired),
            Some(Code::ResetRequired),
            Blocker,
            Some(false),
        ),
        (
            Some(UserStatus::Compromised),
            Some(Code::Compromised),
            Blocker,
            Some(false),
        ),
        (
            Some(UserStatus::Archived),
            Some(Code::Archived),
            Blocker,
            Some(false),
        ),
        (
            Some(UserStatus::ExternalProvider),
            Some(Code::ExternalProvider),
            Info,
            Some(true),
        ),
        (
            Some(UserStatus::Unknown),
            Some(Code::UnknownStatus),
            Warning,
            None,
        ),
        (
            Some(UserStatus::Other("BRAND_NEW".into())),
            Some(Code::UnknownStatus),
            Warning,
            None,
        ),
        (None, Some(Code::UnknownStatus), Warning, None),
    ];
    for (status, code, severity, can) in table {
        for enabled in [true, false] {
            let u = user(
                status.clone(),
                enabled,
                &[("email", "pat@example.com"), ("email_verified", "true")],
            );
            let d = diagnose(&u, Some(&pool()), None, NOW);
            let label = format!("{status:?} enabled={enabled}");
            if let Some(code) = code {
                assert_eq!(finding(&d, code).severity, severity, "{label}");
            }
            assert_eq!(
                d.findings.iter().any(|f| f.code == Code::Disabled),
                !enabled,
                "{label}"
            );
            let expected = if enabled { can } else { Some(false) };
            assert_eq!(d.can_sign_in, expected, "{label}: {:?}", codes(&d));
            // Threat protection is off in this pool: one info says so, nothing else.
            assert_eq!(
                d.findings
                    .iter()
                    .filter(|f| f.code == Code::NoSignInHistory)
                    .count(),
                1
            );
        }
    }
}

#[test]
fn disabled_names_the_enable_action() {
    let mut u = healthy();
    u.enabled = false;
    let d = diagnose(&u, Some(&pool()), None, NOW);
    let f = finding(&d, Code::Disabled);
    assert!(f.message.contains("Enabled=false"));
    assert!(f.fix.contains("x → enable user"), "{}", f.fix);
    assert_eq!(
        f.action,
        Some(cognito_tui::cognito::WriteAction::EnableUser)
    );
    assert!(
        d.verdict()
            .starts_with("✗ cannot sign in: the user is disabled")
    );
    let c = diagnose(
        &user(Some(UserStatus::Compromised), true, &[]),
        Some(&pool()),
        None,
        NOW,
    );
    assert_eq!(
        finding(&c, Code::Compromised).action,
        Some(cognito_tui::cognito::WriteAction::ResetPassword)
    );
}

#[test]
fn invitation_age_table() {
    // (validity days in the pool, days since last sent, expired?)
    let table = [
        (Some(7), 2, false),
        (Some(7), 6, false),
        (Some(7), 7, true),
        (Some(7), 19, true),
        (Some(1), 2, true),
        (Some(30), 19, false),
        (None, 6, false), // Cognito's default: 7 days
        (None, 8, true),
    ];
    for (days, age, expired) in table {
        let mut u = user(Some(UserStatus::ForceChangePassword), true, &[]);
        u.last_modified = Some(NOW - Duration::days(age));
        let p = PoolSchema {
            temporary_password_validity_days: days,
            ..pool()
        };
        let d = diagnose(&u, Some(&p), None, NOW);
        let label = format!("{days:?} days, sent {age} days ago");
        if expired {
            let f = finding(&d, Code::TemporaryPasswordExpired);
            assert_eq!(f.severity, Severity::Blocker, "{label}");
            assert!(f.message.contains("UserLastModifiedDate"), "{label}");
            assert!(
                f.message.contains("TemporaryPasswordValidityDays"),
                "{label}"
            );
            assert!(f.fix.contains("MessageAction=RESEND"), "{label}");
            assert_eq!(d.can_sign_in, Some(false), "{label}");
            let ago = age - i64::from(days.unwrap_or(7));
            assert!(
                d.verdict().contains(&format!("expired {ago} day"))
                    || (ago == 0 && d.verdict().contains("expired 0 minutes")),
                "{label}: {}",
                d.verdict()
            );
        } else {
            assert_eq!(
                finding(&d, Code::MustChangePassword).severity,
                Severity::Info
            );
            assert!(
                !codes(&d).contains(&"temporary_password_expired"),
                "{label}"
            );
            assert_eq!(d.can_sign_in, Some(true), "{label}");
        }
    }
}

#[test]
fn invitation_date_falls_back_to_creation_and_is_unchecked_without_dates_or_pool() {
    let mut u = user(Some(UserStatus::ForceChangePassword), true, &[]);
    u.last_modified = None;
    u.created = Some(NOW - Duration::days(10));
    let d = diagnose(&u, Some(&pool()), None, NOW);
    assert!(
        finding(&d, Code::TemporaryPasswordExpired)
            .message
            .contains("UserCreateDate")
    );

    u.created = None;
    let d = diagnose(&u, Some(&pool()), None, NOW);
    assert_eq!(d.can_sign_in, None);
    assert_eq!(d.not_checked, vec![Code::TemporaryPasswordExpired]);
    assert!(d.verdict().starts_with("? no blocker found"));

    let u = user(Some(UserStatus::ForceChangePassword), true, &[]);
    let d = diagnose(&u, None, None, NOW);
    assert_eq!(d.can_sign_in, None);
    assert!(d.not_checked.contains(&Code::TemporaryPasswordExpired));
    assert!(
        finding(&d, Code::PoolSettingsUnavailable)
            .message
            .contains("temporary_password_expired")
    );
}

#[test]
fn mfa_configuration_by_factor_table() {
    type Factor = (&'static str, fn(&mut User));
    let factors: Vec<Factor> = vec![
        ("none", |_| {}),
        ("totp", |u| {
            u.mfa_settings = Some(vec!["SOFTWARE_TOKEN_MFA".into()])
        }),
        ("sms listed", |u| {
            u.mfa_settings = Some(vec!["SMS_MFA".into()])
        }),
        ("email otp listed", |u| {
            u.mfa_settings = Some(vec!["EMAIL_OTP".into()])
        }),
        ("legacy sms option", |u| {
            u.mfa_options = Some(vec![MfaOption {
                delivery_medium: Some("SMS".into()),
                attribute_name: Some("phone_number".into()),
            }])
        }),
        ("verified phone", |u| {
            u.attributes
                .push(Attribute::new("phone_number", "+15550100001"));
            u.attributes
                .push(Attribute::new("phone_number_verified", "true"));
        }),
        ("verified email", |u| {
            u.attributes.push(Attribute::new("email_verified", "true"))
        }),
    ];
    for mfa in ["OFF", "OPTIONAL", "ON"] {
        for (name, add) in &factors {
            // An unverified email, so "none" really has no factor.
            let mut u = user(
                Some(UserStatus::Confirmed),
                true,
                &[("email", "pat@example.com")],
            );
            add(&mut u);
            let p = PoolSchema {
                mfa_configuration: Some(mfa.into()),
                ..pool()
            };
            let d = diagnose(&u, Some(&p), None, NOW);
            let expect = mfa == "ON" && *name == "none";
            assert_eq!(
                codes(&d).contains(&"mfa_required_not_set_up"),
                expect,
                "MFA {mfa}, factor {name}: {:?}",
                codes(&d)
            );
            if expect {
                let f = finding(&d, Code::MfaRequiredNotSetUp);
                assert_eq!(f.severity, Severity::Blocker);
                assert!(f.message.contains("MfaConfiguration=ON"));
                assert_eq!(d.can_sign_in, Some(false));
            }
        }
    }
    // Federated users never meet Cognito's MFA.
    let u = user(Some(UserStatus::ExternalProvider), true, &[]);
    let p = PoolSchema {
        mfa_configuration: Some("ON".into()),
        ..pool()
    };
    assert!(!codes(&diagnose(&u, Some(&p), None, NOW)).contains(&"mfa_required_not_set_up"));
}

#[test]
fn verified_flags_by_pool_role_table() {
    // (username attrs, alias attrs, recovery, email flag, expect email_unverified, words)
    type Row<'a> = (
        &'a [&'a str],
        &'a [&'a str],
        Option<&'a [&'a str]>,
        Option<&'a str>,
        bool,
        &'a str,
    );
    let table: Vec<Row> = vec![
        (
            &[],
            &["email"],
            Some(&["verified_email"]),
            Some("false"),
            true,
            "a sign-in alias and a password-recovery channel",
        ),
        (
            &[],
            &["email"],
            Some(&["verified_phone_number"]),
            Some("false"),
            true,
            "can't sign in with it",
        ),
        (
            &["email"],
            &[],
            Some(&["verified_phone_number"]),
            Some("false"),
            true,
            "sign-in with it still works",
        ),
        (
            &[],
            &[],
            Some(&["verified_email"]),
            None,
            true,
            "email_verified=absent",
        ),
        (
            &[],
            &[],
            None,
            Some("false"),
            true,
            "password-recovery channel",
        ), // legacy recovery
        (
            &[],
            &[],
            Some(&["verified_phone_number"]),
            Some("false"),
            false,
            "",
        ),
        (&[], &[], Some(&["admin_only"]), Some("false"), false, ""),
        (
            &[],
            &["email"],
            Some(&["verified_email"]),
            Some("true"),
            false,
            "",
        ),
    ];
    for (username_attrs, aliases, recovery, flag, expect, words) in table {
        let mut attrs = vec![("email", "pat@example.com")];
        if let Some(flag) = flag {
            attrs.push(("email_verified", flag));
        }
        let u = user(Some(UserStatus::Confirmed), true, &attrs);
        let p = PoolSchema {
            username_attributes: username_attrs.iter().map(|s| s.to_string()).collect(),
            alias_attributes: aliases.iter().map(|s| s.to_string()).collect(),
            recovery_mechanisms: recovery.map(|r| r.iter().map(|s| s.to_string()).collect()),
            ..pool()
        };
        let d = diagnose(&u, Some(&p), None, NOW);
        let label = format!("{username_attrs:?} {aliases:?} {recovery:?} {flag:?}");
        assert_eq!(codes(&d).contains(&"email_unverified"), expect, "{label}");
        if expect {
            let f = finding(&d, Code::EmailUnverified);
            assert_eq!(f.severity, Severity::Warning);
            assert!(f.message.contains(words), "{label}: {}", f.message);
            // A warning never stops sign-in by itself.
            assert_eq!(d.can_sign_in, Some(true), "{label}");
        }
    }
    // Phone the same way, as an alias.
    let u = user(
        Some(UserStatus::Confirmed),
        true,
        &[
            ("email", "pat@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15550100001"),
            ("phone_number_verified", "false"),
        ],
    );
    let p = PoolSchema {
        alias_attributes: vec!["phone_number".into()],
        ..pool()
    };
    let d = diagnose(&u, Some(&p), None, NOW);
    assert!(
        finding(&d, Code::PhoneUnverified)
            .message
            .contains("phone_number_verified=false")
    );
}

#[test]
fn recovery_channel_table() {
    // (recovery setting, email verified, phone verified, expect no_recovery_channel)
    let table: Vec<(Option<&[&str]>, bool, bool, bool)> = vec![
        (Some(&["verified_email"]), true, false, false),
        (Some(&["verified_email"]), false, true, true),
        (Some(&["verified_phone_number"]), false, true, false),
        (
            Some(&["verified_phone_number", "verified_email"]),
            false,
            false,
            true,
        ),
        (
            Some(&["verified_phone_number", "verified_email"]),
            true,
            false,
            false,
        ),
        (None, false, false, true),
        (None, false, true, false),
        (Some(&["admin_only"]), false, false, false),
    ];
    for (recovery, email, phone, expect) in table {
        let u = user(
            Some(UserStatus::Confirmed),
            true,
            &[
                ("email", "pat@example.com"),
                ("email_verified", if email { "true" } else { "false" }),
                ("phone_number", "+15550100001"),
                (
                    "phone_number_verified",
                    if phone { "true" } else { "false" },
                ),
            ],
        );
        let p = PoolSchema {
            recovery_mechanisms: recovery.map(|r| r.iter().map(|s| s.to_string()).collect()),
            ..pool()
        };
        let d = diagnose(&u, Some(&p), None, NOW);
        assert_eq!(
            codes(&d).contains(&"no_recovery_channel"),
            expect,
            "{recovery:?} email={email} phone={phone}"
        );
    }
}

fn event(kind: &str, response: &str, decision: Option<&str>, ago: Duration) -> AuthEvent {
    AuthEvent {
        event_type: Some(kind.into()),
        response: Some(response.into()),
        risk_decision: decision.map(str::to_string),
        created: Some(NOW - ago),
        ..AuthEvent::default()
    }
}

#[test]
fn sign_in_history_table() {
    let h = Duration::hours;
    let fail = |ago| event("SignIn", "Fail", Some("NoRisk"), ago);
    let pass = |ago| event("SignIn", "Pass", Some("NoRisk"), ago);
    let block = |ago| event("SignIn", "Fail", Some("Block"), ago);
    // (events, expected codes from history, can sign in)
    let table: Vec<(Vec<AuthEvent>, Vec<&str>, Option<bool>)> = vec![
        (vec![], vec![], Some(true)),
        (vec![pass(h(1))], vec![], Some(true)),
        (
            vec![fail(h(2)), fail(h(3)), fail(h(30))],
            vec!["recent_failures"],
            Some(true),
        ),
        (vec![fail(h(25))], vec![], Some(true)),
        (
            vec![event("ForgotPassword", "Fail", None, h(1))],
            vec![],
            Some(true),
        ),
        // A blocked attempt is not also counted as a failed password.
        (
            vec![block(h(1)), pass(h(5))],
            vec!["blocked_by_risk"],
            Some(false),
        ),
        (
            vec![pass(h(1)), block(h(5)), fail(h(6))],
            vec!["blocked_by_risk", "recent_failures"],
            Some(true),
        ),
        (vec![block(Duration::days(8))], vec![], Some(true)),
    ];
    for (events, expected, can) in table {
        let d = diagnose(&healthy(), Some(&protected_pool()), Some(&events), NOW);
        let got: Vec<&str> = codes(&d)
            .into_iter()
            .filter(|c| ["blocked_by_risk", "recent_failures"].contains(c))
            .collect();
        assert_eq!(got, expected, "{events:?}");
        assert_eq!(d.can_sign_in, can, "{events:?}");
        assert!(!codes(&d).contains(&"no_sign_in_history"));
    }
    let d = diagnose(
        &healthy(),
        Some(&protected_pool()),
        Some(&[fail(h(2)), fail(h(3))]),
        NOW,
    );
    assert!(
        finding(&d, Code::RecentFailures)
            .message
            .starts_with("2 sign-ins failed in the last 24 hours")
    );
}

#[test]
fn history_not_loaded_or_not_recorded() {
    // Threat protection on, history not loaded: the verdict can't be complete.
    let d = diagnose(&healthy(), Some(&protected_pool()), None, NOW);
    assert_eq!(d.can_sign_in, None);
    assert_eq!(
        d.not_checked,
        vec![Code::BlockedByRisk, Code::RecentFailures]
    );
    assert_eq!(codes(&d), vec!["sign_in_history_not_loaded"]);
    // Threat protection off: history can't exist; one info, and the verdict stands.
    let d = diagnose(&healthy(), Some(&pool()), None, NOW);
    assert_eq!(d.can_sign_in, Some(true));
    assert_eq!(codes(&d), vec!["no_sign_in_history"]);
    assert!(
        finding(&d, Code::NoSignInHistory)
            .message
            .contains("AdvancedSecurityMode=OFF")
    );
    assert_eq!(d.verdict(), "✓ can sign in: nothing found that stops it");
    // AUDIT records history too.
    let audit = PoolSchema {
        advanced_security_mode: Some("AUDIT".into()),
        ..pool()
    };
    assert_eq!(
        diagnose(&healthy(), Some(&audit), None, NOW).can_sign_in,
        None
    );
}

#[test]
fn without_pool_settings_the_diagnosis_says_what_it_could_not_check() {
    let u = user(
        Some(UserStatus::Confirmed),
        true,
        &[("email", "pat@example.com"), ("email_verified", "false")],
    );
    let d = diagnose(&u, None, None, NOW);
    assert_eq!(d.can_sign_in, None);
    assert_eq!(
        d.not_checked,
        vec![
            Code::EmailUnverified,
            Code::NoRecoveryChannel,
            Code::MfaRequiredNotSetUp,
            Code::BlockedByRisk,
            Code::RecentFailures,
        ]
    );
    let f = finding(&d, Code::PoolSettingsUnavailable);
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("DescribeUserPool"));
    assert!(f.message.contains("email_unverified, no_recovery_channel"));
    assert!(
        d.verdict()
            .starts_with("? no blocker found, but not checked: email_unverified")
    );

    // A blocker found without the pool is still a definite "no".
    let mut u = healthy();
    u.enabled = false;
    let d = diagnose(&u, None, None, NOW);
    assert_eq!(d.can_sign_in, Some(false));
}

#[test]
fn verdict_by_severity() {
    let mut u = user(Some(UserStatus::ResetRequired), false, &[]);
    let d = diagnose(&u, Some(&pool()), None, NOW);
    assert_eq!(d.worst(), Some(Severity::Blocker));
    assert_eq!(
        d.verdict(),
        "✗ cannot sign in: the password was reset — the user sets a new password via \
         “Forgot password” (+1 more)"
    );
    u = user(
        Some(UserStatus::Confirmed),
        true,
        &[("email", "pat@example.com"), ("email_verified", "false")],
    );
    let d = diagnose(&u, Some(&pool()), None, NOW);
    assert_eq!(d.worst(), Some(Severity::Warning));
    assert_eq!(
        d.verdict(),
        "! can sign in, but email not verified — verify the email (+1 more)"
    );
    // Unsure because of the record itself, not a check that couldn't run: the verdict says
    // why (it once read "not checked: " with nothing after it).
    let u = user(Some(UserStatus::Unknown), true, &[]);
    let d = diagnose(&u, Some(&pool()), Some(&[]), NOW);
    assert_eq!(d.can_sign_in, None);
    assert!(
        d.verdict()
            .starts_with("? can't tell: status UNKNOWN can't be judged — "),
        "{}",
        d.verdict()
    );
}

// ---- properties ----

fn status() -> impl Strategy<Value = Option<UserStatus>> {
    prop_oneof![
        Just(None),
        prop::sample::select(UserStatus::ALL.to_vec()).prop_map(Some),
        Just(Some(UserStatus::Other("NEW_STATUS".into()))),
    ]
}

fn flag() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![None, Some("true"), Some("false")])
}

prop_compose! {
    fn any_user()(
        status in status(),
        enabled in any::<bool>(),
        email in any::<bool>(),
        email_flag in flag(),
        phone in any::<bool>(),
        phone_flag in flag(),
        settings in prop::sample::subsequence(vec!["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"], 0..=3),
        created in prop::option::of(0i64..60),
        modified in prop::option::of(0i64..60),
        provider in any::<bool>(),
    ) -> User {
        let mut attributes = vec![Attribute::new("sub", "0f8fad5b-d9cb-469f-a165-70867728950e")];
        if email { attributes.push(Attribute::new("email", "secret.person@example.com")); }
        if let Some(f) = email_flag { attributes.push(Attribute::new("email_verified", f)); }
        if phone { attributes.push(Attribute::new("phone_number", "+15559876543")); }
        if let Some(f) = phone_flag { attributes.push(Attribute::new("phone_number_verified", f)); }
        if provider {
            attributes.push(Attribute::new("identities", r#"[{"providerName":"Google","userId":"1"}]"#));
        }
        User {
            username: "someone".into(),
            attributes,
            created: created.map(|d| NOW - Duration::days(d)),
            last_modified: modified.map(|d| NOW - Duration::days(d)),
            enabled,
            status,
            mfa_options: None,
            preferred_mfa: None,
            mfa_settings: Some(settings.into_iter().map(str::to_string).collect()),
        }
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

prop_compose! {
    fn any_pool()(
        username_attrs in prop::sample::subsequence(vec!["email", "phone_number"], 0..=2),
        aliases in prop::sample::subsequence(vec!["email", "phone_number", "preferred_username"], 0..=3),
        mfa in prop::option::of(prop::sample::select(vec!["OFF", "ON", "OPTIONAL"])),
        days in prop::option::of(1i32..=365),
        recovery in prop::option::of(prop::sample::select(vec![
            vec!["verified_email"], vec!["verified_phone_number"],
            vec!["verified_phone_number", "verified_email"], vec!["admin_only"],
        ])),
        security in prop::option::of(prop::sample::select(vec!["OFF", "AUDIT", "ENFORCED"])),
    ) -> PoolSchema {
        PoolSchema {
            username_attributes: names(&username_attrs),
            alias_attributes: names(&aliases),
            mfa_configuration: mfa.map(str::to_string),
            temporary_password_validity_days: days,
            recovery_mechanisms: recovery.map(|r| names(&r)),
            advanced_security_mode: security.map(str::to_string),
            ..PoolSchema::default()
        }
    }
}

fn any_events() -> impl Strategy<Value = Option<Vec<AuthEvent>>> {
    let one = (
        prop::sample::select(vec!["SignIn", "ForgotPassword", "PasswordChange"]),
        prop::sample::select(vec!["Pass", "Fail"]),
        prop::option::of(prop::sample::select(vec![
            "NoRisk",
            "Block",
            "AccountTakeover",
        ])),
        0i64..(10 * 24 * 60),
    )
        .prop_map(|(kind, response, decision, minutes)| {
            event(kind, response, decision, Duration::minutes(minutes))
        });
    prop::option::of(prop::collection::vec(one, 0..8))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_blocker_means_cannot_sign_in(
        u in any_user(),
        p in prop::option::of(any_pool()),
        events in any_events(),
    ) {
        let d = diagnose(&u, p.as_ref(), events.as_deref(), NOW);
        let blocked = d.findings.iter().any(|f| f.severity == Severity::Blocker);
        prop_assert_eq!(blocked, d.can_sign_in == Some(false));
        // "Unknown" only when something really could not be judged.
        if d.can_sign_in.is_none() {
            prop_assert!(
                !d.not_checked.is_empty() || d.findings.iter().any(|f| f.code == Code::UnknownStatus)
            );
        }
        prop_assert_eq!(d.verdict().starts_with('✗'), blocked);
        // Blockers first, then warnings, then info; one finding per code.
        prop_assert!(d.findings.windows(2).all(|w| w[0].severity >= w[1].severity));
        let mut seen = std::collections::HashSet::new();
        prop_assert!(d.findings.iter().all(|f| seen.insert(f.code)));
        // Messages name facts, never personal values: privacy mode needs nothing more.
        for f in &d.findings {
            for text in [&f.message, &f.fix, &f.headline] {
                prop_assert!(!text.contains("secret.person") && !text.contains("9876543"), "{}", text);
            }
            prop_assert!(!f.message.is_empty() && !f.fix.is_empty() && !f.remedy.is_empty());
        }
    }
}
