//! The sign-in diagnosis as a pure function, rule by rule as `docs/cognito-rules.md` lists
//! them: one table row per rule (inputs → code, severity, CanSignIn, fix), the issue's
//! examples each with a positive control, the index held to the code, and properties that hold
//! for any user, pool, history and auth factors.

use cognito_tui::cognito::{
    Attribute, AuthEvent, AuthFactors, PoolMfa, PoolSchema, User, UserStatus,
};
use cognito_tui::diagnose::{Code, Diagnosis, Finding, Inputs, Severity, diagnose_with, rules};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime, macros::datetime};

const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

fn user(status: UserStatus, attrs: &[(&str, &str)]) -> User {
    User {
        username: "pat".into(),
        attributes: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect(),
        created: Some(NOW - Duration::days(400)),
        last_modified: Some(NOW - Duration::days(2)),
        enabled: true,
        status: Some(status),
        ..User::default()
    }
}

const EMAIL: [(&str, &str); 2] = [("email", "pat@example.com"), ("email_verified", "true")];

/// A confirmed, enabled user with a verified email: nothing wrong.
fn healthy() -> User {
    user(UserStatus::Confirmed, &EMAIL)
}

fn with_mfa(mut u: User, settings: &[&str]) -> User {
    u.mfa_settings = Some(settings.iter().map(|s| s.to_string()).collect());
    u
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

fn protected() -> PoolSchema {
    PoolSchema {
        advanced_security_mode: Some("ENFORCED".into()),
        ..pool()
    }
}

fn mfa_required(offers: PoolMfa) -> PoolSchema {
    PoolSchema {
        mfa_configuration: Some("ON".into()),
        mfa: Some(offers),
        ..pool()
    }
}

fn first_factors(list: &[&str]) -> PoolSchema {
    PoolSchema {
        allowed_first_factors: Some(list.iter().map(|s| s.to_string()).collect()),
        tier: Some("ESSENTIALS".into()),
        ..pool()
    }
}

fn event(response: &str, decision: &str, ago: Duration) -> AuthEvent {
    AuthEvent {
        event_type: Some("SignIn".into()),
        response: Some(response.into()),
        risk_decision: Some(decision.into()),
        created: Some(NOW - ago),
        ..AuthEvent::default()
    }
}

/// `n` failed sign-ins, `gap` apart, the latest `ago` before NOW.
fn failures(n: i32, gap: Duration, ago: Duration) -> Vec<AuthEvent> {
    (0..n)
        .map(|i| event("Fail", "NoRisk", ago + gap * i))
        .collect()
}

/// One row of the rule table: the inputs and what the rule must say.
struct Case {
    rule: &'static str,
    user: User,
    pool: Option<PoolSchema>,
    events: Option<Vec<AuthEvent>>,
    factors: Option<AuthFactors>,
    code: Code,
    severity: Severity,
    can_sign_in: Option<bool>,
    /// A phrase the finding's fix must contain.
    fix: &'static str,
}

fn case(rule: &'static str, user: User, pool: Option<PoolSchema>) -> Case {
    Case {
        rule,
        user,
        pool,
        events: None,
        factors: None,
        code: Code::Disabled,
        severity: Severity::Info,
        can_sign_in: Some(true),
        fix: "",
    }
}

impl Case {
    fn expect(self, code: Code, severity: Severity, can: Option<bool>, fix: &'static str) -> Self {
        Case {
            code,
            severity,
            can_sign_in: can,
            fix,
            ..self
        }
    }
    fn events(self, events: Vec<AuthEvent>) -> Self {
        Case {
            events: Some(events),
            ..self
        }
    }
    fn factors(self, configured: &[&str]) -> Self {
        Case {
            factors: Some(AuthFactors {
                configured: configured.iter().map(|s| s.to_string()).collect(),
                ..AuthFactors::default()
            }),
            ..self
        }
    }
    fn run(&self) -> Diagnosis {
        diagnose_with(&Inputs {
            user: &self.user,
            pool: self.pool.as_ref(),
            events: self.events.as_deref(),
            factors: self.factors.as_ref(),
            now: NOW,
        })
    }
}

fn codes(d: &Diagnosis) -> Vec<&'static str> {
    d.findings.iter().map(|f| f.code.as_str()).collect()
}

fn by_rule<'a>(d: &'a Diagnosis, id: &str) -> &'a Finding {
    d.findings
        .iter()
        .find(|f| f.rule.id == id)
        .unwrap_or_else(|| panic!("no finding of rule {id} in {:?}", codes(d)))
}

fn run(u: &User, p: Option<&PoolSchema>, events: Option<&[AuthEvent]>) -> Diagnosis {
    diagnose_with(&Inputs {
        user: u,
        pool: p,
        events,
        factors: None,
        now: NOW,
    })
}

/// walter: verified email only, email MFA on; erin: the same, RESET_REQUIRED.
fn walter() -> User {
    with_mfa(healthy(), &["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
}

fn erin() -> User {
    let mut u = user(
        UserStatus::ResetRequired,
        &[
            ("email", "erin@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+447700900123"),
            ("phone_number_verified", "false"),
        ],
    );
    u.mfa_settings = Some(vec!["EMAIL_OTP".into()]);
    u
}

fn email_then_phone() -> PoolSchema {
    PoolSchema {
        mfa_configuration: Some("OPTIONAL".into()),
        recovery_mechanisms: Some(vec![
            "verified_email".into(),
            "verified_phone_number".into(),
        ]),
        ..pool()
    }
}

fn rule_cases() -> Vec<Case> {
    use Severity::*;
    let min = Duration::minutes;
    let mut disabled = healthy();
    disabled.enabled = false;
    let fcp = |days| {
        let mut u = user(UserStatus::ForceChangePassword, &EMAIL);
        u.last_modified = Some(NOW - Duration::days(days));
        u
    };
    let external = user(
        UserStatus::ExternalProvider,
        &[("identities", r#"[{"providerName":"Google"}]"#)],
    );
    let unverified_email = user(
        UserStatus::Confirmed,
        &[("email", "pat@example.com"), ("email_verified", "false")],
    );
    let phone_pool = PoolSchema {
        recovery_mechanisms: Some(vec!["verified_phone_number".into()]),
        ..pool()
    };
    let unverified_phone = user(
        UserStatus::Confirmed,
        &[
            ("email", "pat@example.com"),
            ("email_verified", "true"),
            ("phone_number", "+15550100"),
            ("phone_number_verified", "false"),
        ],
    );
    let totp_only = PoolMfa {
        totp: true,
        ..PoolMfa::default()
    };
    let mut takeover = event("Pass", "AccountTakeover", Duration::hours(2));
    takeover.challenges = vec!["Password:Success".into(), "Mfa:Success".into()];
    let mut leaked = event("Fail", "NoRisk", Duration::hours(3));
    leaked.compromised_credentials = Some(true);
    let essentials_off = PoolSchema {
        tier: Some("ESSENTIALS".into()),
        ..pool()
    };
    let failing = PoolSchema {
        email_configuration_failure: Some("SES identity is not verified".into()),
        ..pool()
    };
    vec![
        case("S1", disabled, Some(pool())).expect(Code::Disabled, Blocker, Some(false), "AdminEnableUser"),
        case("S2", user(UserStatus::Unconfirmed, &EMAIL), Some(pool()))
            .expect(Code::Unconfirmed, Blocker, Some(false), "AdminConfirmSignUp"),
        case("S3", user(UserStatus::ResetRequired, &EMAIL), Some(pool()))
            .expect(Code::ResetRequired, Blocker, Some(false), "“Forgot password” and sets a new password with the code Cognito sends to their verified email"),
        case("S4", user(UserStatus::Compromised, &EMAIL), Some(pool()))
            .expect(Code::Compromised, Warning, None, "AWS Support"),
        case("S5", user(UserStatus::Archived, &EMAIL), Some(pool()))
            .expect(Code::Archived, Warning, None, "AWS Support"),
        case("S6", external, Some(pool()))
            .expect(Code::ExternalProvider, Info, Some(true), "check the account at Google"),
        case("S7", user(UserStatus::Unknown, &EMAIL), Some(pool()))
            .expect(Code::UnknownStatus, Warning, None, "AWS console"),
        case("I1", fcp(2), Some(pool()))
            .expect(Code::MustChangePassword, Info, Some(true), "temporary password from the invitation"),
        case("I2", fcp(10), Some(pool()))
            .expect(Code::TemporaryPasswordExpired, Blocker, Some(false), "MessageAction=RESEND"),
        case("M1", healthy(), Some(mfa_required(totp_only)))
            .expect(Code::MfaRequiredNotSetUp, Warning, Some(true), "MFA setup step"),
        case("R1", unverified_email, Some(pool()))
            .expect(Code::EmailUnverified, Warning, Some(true), "email_verified=true"),
        case("R2", unverified_phone, Some(phone_pool))
            .expect(Code::PhoneUnverified, Warning, Some(true), "phone_number_verified=true"),
        case("R3", walter(), Some(email_then_phone()))
            .expect(Code::NoRecoveryChannel, Warning, Some(true), "AdminSetUserPassword"),
        case("R4", erin(), Some(email_then_phone()))
            .expect(Code::NoRecoveryChannel, Blocker, Some(false), "AdminSetUserPassword with Permanent=false"),
        case("H1", healthy(), Some(protected()))
            .events(vec![event("Fail", "Block", Duration::hours(1))])
            .expect(Code::BlockedByRisk, Warning, Some(true), "AdminUpdateAuthEventFeedback"),
        case("H2", healthy(), Some(protected()))
            .events(vec![takeover])
            .expect(Code::RiskRequiredMfa, Info, Some(true), "MFA challenge"),
        case("H3", healthy(), Some(protected()))
            .events(vec![leaked])
            .expect(Code::CompromisedCredentials, Warning, Some(true), "“Forgot password”"),
        case("H4", healthy(), Some(protected()))
            .events(failures(15, Duration::seconds(30), min(2)))
            .expect(Code::LockedOut, Blocker, Some(false), "Wait until about 12:13 UTC"),
        case("H5", healthy(), Some(protected()))
            .events(vec![event("Fail", "NoRisk", Duration::hours(1)), event("Fail", "NoRisk", Duration::hours(2))])
            .expect(Code::RecentFailures, Warning, Some(true), "“Forgot password”"),
        case("H6", healthy(), Some(essentials_off))
            .expect(Code::NoSignInHistory, Info, Some(true), "Ask the user"),
        case("H7", healthy(), Some(protected()))
            .expect(Code::SignInHistoryNotLoaded, Info, None, "Load the sign-in history"),
        case("P1", with_mfa(healthy(), &["SOFTWARE_TOKEN_MFA"]), Some(first_factors(&["PASSWORD", "EMAIL_OTP"])))
            .expect(Code::MfaExcludesPasswordless, Info, Some(true), "Reset MFA"),
        case("P2", healthy(), Some(first_factors(&["PASSWORD"])))
            .factors(&["WEB_AUTHN"])
            .expect(Code::NoAllowedFirstFactor, Blocker, Some(false), "AdminSetUserPassword"),
        case("P3", user(UserStatus::Confirmed, &[("phone_number", "+15550100")]), Some(first_factors(&["PASSWORD", "EMAIL_OTP"])))
            .expect(Code::EmailOtpUnreachable, Info, Some(true), "email_verified=true"),
        case("P4", healthy(), Some(failing))
            .expect(Code::MessageDeliveryFailing, Warning, Some(true), "Authentication methods"),
        case("P5", healthy(), None)
            .expect(Code::PoolSettingsUnavailable, Info, None, "DescribeUserPool"),
    ]
}

/// One row per rule in docs/cognito-rules.md: the rule's finding, with its code, severity,
/// the verdict's CanSignIn and the fix.
#[test]
fn rule_table() {
    let table = rule_cases();
    for c in &table {
        let d = c.run();
        let f = by_rule(&d, c.rule);
        assert_eq!(f.code, c.code, "{}", c.rule);
        assert_eq!(f.severity, c.severity, "{}", c.rule);
        assert_eq!(d.can_sign_in, c.can_sign_in, "{}: {:?}", c.rule, codes(&d));
        assert!(f.fix.contains(c.fix), "{}: {}", c.rule, f.fix);
        assert_eq!(rules::by_id(c.rule), Some(f.rule), "{}", c.rule);
    }
    let covered: Vec<&str> = table.iter().map(|c| c.rule).collect();
    let all: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
    assert_eq!(covered, all, "one row per rule, in the index's order");
}

/// The index names every rule with its page and code, and names nothing else.
#[test]
fn the_rules_index_lists_every_rule_with_its_source() {
    let index = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/cognito-rules.md"
    ))
    .expect("docs/cognito-rules.md");
    for r in rules::ALL {
        let row = index
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", r.id)))
            .unwrap_or_else(|| panic!("{} has no row in docs/cognito-rules.md", r.id));
        assert!(row.contains(r.source.url), "{}: {}", r.id, r.source.url);
        assert!(row.contains(r.family.module()), "{}", r.id);
        assert!(row.contains("rule_table"), "{}", r.id);
    }
    let rows = index.lines().filter(|l| {
        l.starts_with("| ")
            && l.as_bytes().get(2).is_some_and(u8::is_ascii_uppercase)
            && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit)
    });
    assert_eq!(
        rows.count(),
        rules::ALL.len(),
        "rows without a rule in the code"
    );
}

#[test]
fn walter_gets_a_recovery_warning_and_erin_a_blocker_fixed_by_an_administrator() {
    let d = run(&walter(), Some(&email_then_phone()), None);
    let f = by_rule(&d, "R3");
    assert!(f.message.contains("email-MFA factor"), "{}", f.message);
    assert_eq!(d.can_sign_in, Some(true));
    // Positive control: without email MFA the verified email recovers him.
    let d = run(
        &with_mfa(healthy(), &["SOFTWARE_TOKEN_MFA"]),
        Some(&email_then_phone()),
        None,
    );
    assert!(
        !codes(&d).contains(&"no_recovery_channel"),
        "{:?}",
        codes(&d)
    );

    let d = run(&erin(), Some(&email_then_phone()), None);
    assert_eq!(d.can_sign_in, Some(false));
    for f in &d.findings {
        assert!(
            !f.fix.contains("“Forgot password”"),
            "{}: {}",
            f.rule.id,
            f.fix
        );
    }
    assert!(by_rule(&d, "S3").fix.contains("AdminSetUserPassword"));
    assert!(
        d.verdict().contains("AdminSetUserPassword"),
        "{}",
        d.verdict()
    );
}

#[test]
fn sms_mfa_reaches_an_unverified_phone() {
    let sms = mfa_required(PoolMfa {
        sms: true,
        ..PoolMfa::default()
    });
    let phone = user(
        UserStatus::Confirmed,
        &[
            ("phone_number", "+15550100"),
            ("phone_number_verified", "false"),
        ],
    );
    assert!(!codes(&run(&phone, Some(&sms), None)).contains(&"mfa_required_not_set_up"));
    // Positive control: no phone at all.
    let none = user(UserStatus::Confirmed, &[]);
    assert!(codes(&run(&none, Some(&sms), None)).contains(&"mfa_required_not_set_up"));
}

#[test]
fn a_verified_email_is_a_factor_only_where_the_pool_has_email_mfa() {
    let offers = |email| {
        mfa_required(PoolMfa {
            totp: true,
            email,
            ..PoolMfa::default()
        })
    };
    let setup = |p: &PoolSchema| {
        codes(&run(&healthy(), Some(p), None)).contains(&"mfa_required_not_set_up")
    };
    assert!(setup(&offers(false)));
    assert!(!setup(&offers(true)));
    let lite = PoolSchema {
        tier: Some("LITE".into()),
        ..offers(true)
    };
    assert!(setup(&lite), "the Lite plan has no email MFA");
    // A fresh invitee sets MFA up at the first sign-in: no warning.
    let mut invitee = healthy();
    invitee.status = Some(UserStatus::ForceChangePassword);
    assert!(
        !codes(&run(&invitee, Some(&offers(false)), None)).contains(&"mfa_required_not_set_up")
    );
}

#[test]
fn invitations_expire_by_the_legacy_validity_when_that_is_all_the_pool_has() {
    let mut u = user(UserStatus::ForceChangePassword, &EMAIL);
    u.last_modified = Some(NOW - Duration::days(10));
    let legacy = PoolSchema {
        temporary_password_validity_days: None,
        unused_account_validity_days: Some(30),
        ..pool()
    };
    let d = run(&u, Some(&legacy), None);
    let f = by_rule(&d, "I1");
    assert!(
        f.message.contains("30 days (UnusedAccountValidityDays"),
        "{}",
        f.message
    );
    assert!(f.message.contains("at the latest"), "{}", f.message);
    assert!(
        f.message.contains("“Forgot password” is refused"),
        "{}",
        f.message
    );
    // Positive control: neither setting, Cognito's 7 days.
    let none = PoolSchema {
        unused_account_validity_days: None,
        ..legacy
    };
    let d = run(&u, Some(&none), None);
    let f = by_rule(&d, "I2");
    assert!(f.headline.contains("at the latest"), "{}", f.headline);
}

#[test]
fn a_block_in_audit_mode_counts_for_nothing_and_in_enforced_mode_is_a_warning() {
    let events = [event("Fail", "Block", Duration::hours(1))];
    let audit = PoolSchema {
        advanced_security_mode: Some("AUDIT".into()),
        ..pool()
    };
    let d = run(&healthy(), Some(&audit), Some(&events));
    assert!(!codes(&d).contains(&"blocked_by_risk"), "{:?}", codes(&d));
    let d = run(&healthy(), Some(&protected()), Some(&events));
    assert_eq!(by_rule(&d, "H1").severity, Severity::Warning);
    assert_eq!(d.can_sign_in, Some(true));
    // Only the latest attempt: a later pass clears it.
    let later = [
        events[0].clone(),
        event("Pass", "NoRisk", Duration::minutes(5)),
    ];
    assert!(
        !codes(&run(&healthy(), Some(&protected()), Some(&later))).contains(&"blocked_by_risk")
    );
}

#[test]
fn six_failures_in_ten_minutes_are_read_with_cognitos_lockout() {
    let six = failures(6, Duration::minutes(2), Duration::minutes(1));
    let d = run(&healthy(), Some(&protected()), Some(&six));
    assert!(!d.verdict().starts_with('✓'), "{}", d.verdict());
    let f = by_rule(&d, "H5");
    assert!(
        f.message.contains("lockout count is running"),
        "{}",
        f.message
    );
    assert!(f.message.contains("about 4 seconds"), "{}", f.message);
    // Fifteen in a row: the lockout is at its ceiling and still running.
    let many = failures(15, Duration::seconds(20), Duration::minutes(3));
    let d = run(&healthy(), Some(&protected()), Some(&many));
    let f = by_rule(&d, "H4");
    assert_eq!(f.headline, "locked out until about 12:12 UTC");
    assert!(
        d.verdict()
            .starts_with("✗ cannot sign in: locked out until about 12:12 UTC"),
        "{}",
        d.verdict()
    );
    // Four failures: no lockout at all.
    let four = failures(4, Duration::seconds(20), Duration::minutes(1));
    let d = run(&healthy(), Some(&protected()), Some(&four));
    assert!(!by_rule(&d, "H5").message.contains("lockout"));
}

#[test]
fn reset_required_names_its_origin_from_the_history() {
    let mut leaked = event("Fail", "NoRisk", Duration::hours(3));
    leaked.compromised_credentials = Some(true);
    let u = user(UserStatus::ResetRequired, &EMAIL);
    let d = run(&u, Some(&protected()), Some(&[leaked]));
    assert!(
        by_rule(&d, "S3")
            .message
            .contains("CompromisedCredentialsDetected: compromised-credentials protection")
    );
    let d = run(&u, Some(&protected()), Some(&[]));
    assert!(
        by_rule(&d, "S3")
            .message
            .contains("shows no CompromisedCredentialsDetected")
    );
}

#[test]
fn history_is_said_to_need_the_plus_plan() {
    let lite = PoolSchema {
        tier: Some("LITE".into()),
        ..pool()
    };
    let d = run(&healthy(), Some(&lite), None);
    assert!(
        by_rule(&d, "H6")
            .message
            .contains("needs the Plus plan; this pool is on LITE")
    );
    let plus = PoolSchema {
        tier: Some("PLUS".into()),
        ..pool()
    };
    let d = run(&healthy(), Some(&plus), None);
    assert!(!by_rule(&d, "H6").message.contains("Plus plan"));
}

#[test]
fn verdicts_and_what_was_not_checked() {
    assert_eq!(
        run(&healthy(), Some(&pool()), None).verdict(),
        "✓ can sign in: nothing found that stops it"
    );
    let d = run(&healthy(), None, None);
    assert_eq!(d.can_sign_in, None);
    assert!(
        d.verdict()
            .starts_with("? no blocker found, but not checked: "),
        "{}",
        d.verdict()
    );
    // Causes out of sight are always listed, with how to check them, and don't make it unsure.
    let d = run(&healthy(), Some(&pool()), None);
    assert_eq!(d.not_checked, Code::OUT_OF_SIGHT);
    assert!(
        Code::AppClientSettings
            .how_to_check()
            .contains("describe-user-pool-client")
    );
    assert!(Code::LambdaTriggers.how_to_check().contains("LambdaConfig"));
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
        offers in prop::option::of((any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())),
        days in prop::option::of(1i32..=365),
        legacy_days in prop::option::of(1i32..=365),
        recovery in prop::option::of(prop::sample::select(vec![
            vec!["verified_email"], vec!["verified_phone_number"],
            vec!["verified_phone_number", "verified_email"], vec!["admin_only"],
        ])),
        security in prop::option::of(prop::sample::select(vec!["OFF", "AUDIT", "ENFORCED"])),
        tier in prop::option::of(prop::sample::select(vec!["LITE", "ESSENTIALS", "PLUS"])),
        first in prop::option::of(prop::sample::subsequence(vec!["EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"], 0..=3)),
        failing in any::<bool>(),
    ) -> PoolSchema {
        PoolSchema {
            username_attributes: names(&username_attrs),
            alias_attributes: names(&aliases),
            mfa_configuration: mfa.map(str::to_string),
            mfa: offers.map(|(sms, totp, email, passkey)| PoolMfa { sms, totp, email, passkey }),
            temporary_password_validity_days: days,
            unused_account_validity_days: legacy_days,
            recovery_mechanisms: recovery.map(|r| names(&r)),
            advanced_security_mode: security.map(str::to_string),
            tier: tier.map(str::to_string),
            allowed_first_factors: first.map(|f| {
                let mut list = vec!["PASSWORD".to_string()];
                list.extend(names(&f));
                list
            }),
            sms_configuration_failure: failing.then(|| "SNS sandbox".to_string()),
            ..PoolSchema::default()
        }
    }
}

fn any_events() -> impl Strategy<Value = Option<Vec<AuthEvent>>> {
    let one = (
        prop::sample::select(vec!["SignIn", "ForgotPassword", "PasswordChange"]),
        prop::sample::select(vec!["Pass", "Fail"]),
        prop::sample::select(vec!["NoRisk", "Block", "AccountTakeover"]),
        0i64..(3 * 24 * 60),
        any::<bool>(),
    )
        .prop_map(|(kind, response, decision, minutes, leaked)| AuthEvent {
            event_type: Some(kind.into()),
            compromised_credentials: Some(leaked),
            challenges: vec!["Password:Failure".into(), "Mfa:Success".into()],
            ..event(response, decision, Duration::minutes(minutes))
        });
    prop::option::of(prop::collection::vec(one, 0..20))
}

fn any_factors() -> impl Strategy<Value = Option<AuthFactors>> {
    prop::option::of(
        prop::sample::subsequence(vec!["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"], 0..=4)
            .prop_map(|f| AuthFactors {
                configured: names(&f),
                ..AuthFactors::default()
            }),
    )
}

/// Whether "Forgot password" can reach the user, written from AccountRecoverySettingType
/// apart from the product's own code: a verified channel in the setting's list that is not
/// the user's MFA factor of the same kind (that exclusion is the setting's; the legacy order
/// predates it).
fn recoverable(u: &User, p: &PoolSchema) -> bool {
    let attr = |n: &str| {
        u.attributes
            .iter()
            .find(|a| a.name == n)
            .and_then(|a| a.value.as_deref())
    };
    let mfa = u.mfa_settings.clone().unwrap_or_default();
    let strict = p.recovery_mechanisms.is_some();
    let channels = p
        .recovery_mechanisms
        .clone()
        .unwrap_or_else(|| names(&["verified_phone_number", "verified_email"]));
    channels.iter().any(|c| match c.as_str() {
        "verified_email" => {
            attr("email").is_some()
                && attr("email_verified") == Some("true")
                && !(strict && mfa.iter().any(|m| m == "EMAIL_OTP"))
        }
        "verified_phone_number" => {
            attr("phone_number").is_some()
                && attr("phone_number_verified") == Some("true")
                && !(strict && mfa.iter().any(|m| m == "SMS_MFA"))
        }
        _ => false,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_blocker_means_cannot_sign_in_and_no_fix_suggests_an_excluded_call(
        u in any_user(),
        p in prop::option::of(any_pool()),
        events in any_events(),
        factors in any_factors(),
    ) {
        let d = diagnose_with(&Inputs {
            user: &u, pool: p.as_ref(), events: events.as_deref(), factors: factors.as_ref(), now: NOW,
        });
        let blocked = d.findings.iter().any(|f| f.severity == Severity::Blocker);
        prop_assert_eq!(blocked, d.can_sign_in == Some(false));
        if d.can_sign_in.is_none() {
            prop_assert!(
                d.skipped().next().is_some()
                    || d.findings.iter().any(|f| matches!(f.code, Code::UnknownStatus | Code::Compromised | Code::Archived))
            );
        }
        prop_assert_eq!(d.verdict().starts_with('✗'), blocked);
        // Blockers first, then warnings, then info; one finding per rule; every rule indexed.
        prop_assert!(d.findings.windows(2).all(|w| w[0].severity >= w[1].severity));
        let mut seen = std::collections::HashSet::new();
        prop_assert!(d.findings.iter().all(|f| seen.insert(f.rule.id)));
        prop_assert!(d.findings.iter().all(|f| rules::by_id(f.rule.id) == Some(f.rule)));
        // No fix suggests a call the rules exclude: "Forgot password" where no channel reaches
        // the user or the status refuses it, and never AdminResetUserPassword.
        let forgot_excluded = u.status == Some(UserStatus::ForceChangePassword)
            || p.as_ref().is_some_and(|p| !recoverable(&u, p));
        for f in &d.findings {
            prop_assert!(!f.fix.contains("AdminResetUserPassword"), "{}: {}", f.rule.id, &f.fix);
            if forgot_excluded {
                prop_assert!(!f.fix.contains("“Forgot password”"), "{}: {}", f.rule.id, &f.fix);
            }
        }
        // Messages name facts, never personal values: privacy mode needs nothing more.
        for f in &d.findings {
            for text in [&f.message, &f.fix, &f.headline] {
                prop_assert!(!text.contains("secret.person") && !text.contains("9876543"), "{}", text);
            }
            prop_assert!(!f.message.is_empty() && !f.fix.is_empty() && !f.remedy.is_empty());
        }
    }
}
