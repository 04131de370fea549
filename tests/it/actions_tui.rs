//! The write actions in the TUI, key by key: the `x` menu offers each only where it applies,
//! the group pickers, confirmations that name user and pool, the typed phrase a delete
//! needs. Every command is served by the worker's own jobs on one demo session, so the
//! refresh after a write shows its effect. Snapshots of the new menus, pickers and confirmations.

use clap::Parser;
use cognito_tui::act::Write;
use cognito_tui::app::{App, Cmd, GroupChange, GroupChoices, MenuItem, Msg, Overlay, update};
use cognito_tui::cli::Cli;
use cognito_tui::cognito::lookup::LookupMode;
use cognito_tui::cognito::{
    CognitoError, ErrorKind, InviteDelivery, UserStatus, VerifiedAttribute, WriteAction,
};
use cognito_tui::keymap::Context;
use cognito_tui::session::Target;
use cognito_tui::worker::{self, gate::Audit};
use crossterm::event::KeyCode;

use crate::common::app::{connect, key, screen, send, typed};

/// An app with writes allowed and the worker's jobs, on one demo session, serving its
/// commands (so a write's effect is read back by the refresh).
struct Desk {
    app: App,
    job: worker::Job,
    runtime: tokio::runtime::Runtime,
}

impl Desk {
    /// `query` looked up, with `--allow-write`, the clock fixed for snapshots.
    fn new(query: &str) -> Self {
        let settings = cognito_tui::app::Settings {
            allow_write: true,
            ..crate::common::app::pinned()
        };
        let mut app = App::new("us-east-1_DemoPool1", settings);
        connect(&mut app);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let cli = Cli::parse_from(["cognito-tui", "--demo", "--allow-write"]);
        let target = Target::without_config(&cli.target);
        let (pool, demo) = target.pool().unwrap();
        let (progress, _) = tokio::sync::mpsc::unbounded_channel();
        let job = runtime.block_on(async {
            let session = target.connect(pool, demo).await;
            let job = worker::Job::new(session, Audit::new(None, progress));
            // The worker's one DescribeUserPool per connection, as lookups use it.
            let schema = job.session.backend.describe_pool(&job.session.pool).await;
            let _ = job.schema.set(schema.unwrap());
            job
        });
        let mut desk = Desk { app, job, runtime };
        let cmd = desk.app.start_lookup(query, LookupMode::Auto);
        desk.serve(vec![cmd]);
        assert!(
            desk.app.error().is_none(),
            "{query}: {:?}",
            desk.app.error()
        );
        desk
    }

    /// Sends keys; returns the commands they produced (not yet served).
    fn keys(&mut self, keys: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
        send(&mut self.app, keys)
    }

    fn press(&mut self, code: KeyCode) -> Vec<Cmd> {
        self.keys([key(code)])
    }

    /// Runs the worker's job for each command, then for whatever the answers asked for,
    /// until nothing is left.
    fn serve(&mut self, mut cmds: Vec<Cmd>) {
        while !cmds.is_empty() {
            let mut next = Vec::new();
            for cmd in cmds {
                let (progress, _) = tokio::sync::mpsc::unbounded_channel();
                let control = worker::Control::new(progress);
                let answers = (self.runtime).block_on(worker::answer(&self.job, cmd, &control));
                for msg in answers {
                    next.extend(update(&mut self.app, msg));
                }
            }
            cmds = next;
        }
    }

    fn labels(&self) -> Vec<&'static str> {
        self.app.menu_items().iter().map(MenuItem::label).collect()
    }

    /// Opens the menu and moves to `label`; Enter is left to the test.
    fn menu_to(&mut self, label: &str) {
        let at = self
            .labels()
            .iter()
            .position(|l| *l == label)
            .unwrap_or_else(|| panic!("{label} not offered: {:?}", self.labels()));
        self.keys([key(KeyCode::Char('x'))]);
        self.keys(std::iter::repeat_n(key(KeyCode::Char('j')), at));
        assert_eq!(*self.app.overlay(), Overlay::Actions { cursor: at });
    }

    fn user(&self) -> &cognito_tui::cognito::User {
        &self.app.user().expect("a user is loaded").found.user
    }

    fn notice(&self) -> &str {
        self.app.notice().unwrap_or_default()
    }

    /// The one write the keys produced.
    fn write_of(cmds: &[Cmd]) -> WriteAction {
        match cmds {
            [Cmd::Write { write, .. }] => write.action.clone(),
            other => panic!("expected one write, got {other:?}"),
        }
    }
}

macro_rules! snap {
    ($name:expr, $app:expr) => {
        insta::assert_snapshot!($name, screen(&$app, 80, 24))
    };
}

#[test]
fn the_menu_offers_each_action_only_where_it_applies() {
    let always = ["Reset password", "Sign out everywhere"];
    // alice: enabled, TOTP, confirmed, both addresses verified.
    let alice = Desk::new("alice");
    assert_eq!(
        alice.labels(),
        [
            "Disable",
            always[0],
            always[1],
            "Reset MFA",
            "Add to a group…",
            "Remove from a group…",
            "Temporary password",
            "Delete user"
        ]
    );
    // dave never signed in: the invitation can be re-sent, to his email.
    let dave = Desk::new("dave");
    assert!(dave.labels().contains(&"Resend invitation"));
    assert!(
        dave.app
            .menu_items()
            .contains(&MenuItem::Do(WriteAction::ResendInvitation(
                InviteDelivery::Email
            )))
    );
    assert!(!dave.labels().contains(&"Reset MFA"), "dave has no MFA");
    // carol never entered her code, and her email is not verified.
    let carol = Desk::new("carol");
    for label in ["Confirm sign-up", "Mark email verified"] {
        assert!(carol.labels().contains(&label), "{label}");
    }
    for label in ["Resend invitation", "Mark phone verified", "Reset MFA"] {
        assert!(!carol.labels().contains(&label), "{label}");
    }
    // trent: disabled, unconfirmed, an unverified phone and no email.
    let trent = Desk::new("trent");
    assert_eq!(trent.labels()[0], "Enable");
    assert!(trent.labels().contains(&"Mark phone verified"));
    assert!(!trent.labels().contains(&"Mark email verified"));
    // Once judy's groups are known to be none, there is nothing to remove her from.
    let mut judy = Desk::new("judy");
    assert!(judy.labels().contains(&"Remove from a group…"));
    let cmds = judy.keys([key(KeyCode::Char('4'))]);
    judy.serve(cmds);
    assert!(!judy.labels().contains(&"Remove from a group…"));
    for desk in [&alice, &dave, &carol, &trent, &judy] {
        assert_eq!(desk.labels().last(), Some(&"Delete user"));
    }
}

#[test]
fn reset_mfa_needs_the_username_typed_then_the_refresh_shows_no_mfa() {
    let mut desk = Desk::new("kenji.tanaka");
    assert!(
        desk.user()
            .mfa_settings
            .as_ref()
            .is_some_and(|s| s.len() == 2)
    );
    desk.menu_to("Reset MFA");
    assert!(desk.press(KeyCode::Enter).is_empty());
    assert!(matches!(
        desk.app.overlay(),
        Overlay::Confirm { write: Write { action: WriteAction::ResetMfa, .. }, phrase: Some(p), .. } if p == "kenji.tanaka"
    ));
    assert_eq!(desk.app.context(), Context::Input);
    assert!(desk.keys(typed("y")).is_empty(), "y is a letter here");
    desk.keys([key(KeyCode::Backspace)]);
    assert!(desk.keys(typed("kenji")).is_empty());
    assert!(
        desk.press(KeyCode::Enter).is_empty(),
        "half a username confirms nothing"
    );
    assert!(desk.notice().contains("type the username kenji.tanaka"));
    desk.keys(typed(".tanaka"));
    let cmds = desk.press(KeyCode::Enter);
    assert_eq!(Desk::write_of(&cmds), WriteAction::ResetMfa);
    desk.serve(cmds);
    assert!(
        desk.notice()
            .contains("MFA reset for kenji.tanaka in us-east-1_DemoPool1")
    );
    assert_eq!(desk.user().mfa_settings, None, "refreshed: no MFA left");
    assert!(!desk.labels().contains(&"Reset MFA"));
}

#[test]
fn resend_confirm_and_mark_verified_ask_yes_or_no() {
    let mut dave = Desk::new("dave");
    dave.menu_to("Resend invitation");
    dave.press(KeyCode::Enter);
    assert_eq!(dave.app.context(), Context::Confirm, "y or n");
    let cmds = dave.keys(typed("y"));
    assert_eq!(
        Desk::write_of(&cmds),
        WriteAction::ResendInvitation(InviteDelivery::Email)
    );
    dave.serve(cmds);
    assert!(
        dave.notice()
            .contains("invitation re-sent by email to dave")
    );
    assert!(dave.app.error().is_none());

    let mut carol = Desk::new("carol");
    carol.menu_to("Confirm sign-up");
    carol.press(KeyCode::Enter);
    let cmds = carol.press(KeyCode::Enter);
    assert_eq!(Desk::write_of(&cmds), WriteAction::ConfirmSignUp);
    carol.serve(cmds);
    assert_eq!(carol.user().status, Some(UserStatus::Confirmed));
    assert!(!carol.labels().contains(&"Confirm sign-up"));

    carol.menu_to("Mark email verified");
    carol.press(KeyCode::Enter);
    assert!(carol.keys(typed("n")).is_empty());
    assert!(carol.notice().contains("cancelled"));
    carol.menu_to("Mark email verified");
    carol.press(KeyCode::Enter);
    let cmds = carol.keys(typed("y"));
    assert_eq!(
        Desk::write_of(&cmds),
        WriteAction::MarkVerified(VerifiedAttribute::Email)
    );
    carol.serve(cmds);
    assert_eq!(carol.user().attribute("email_verified"), Some("true"));
    assert!(!carol.labels().contains(&"Mark email verified"));
}

#[test]
fn add_to_group_picks_from_list_groups_less_the_users_own() {
    let mut desk = Desk::new("alice");
    desk.menu_to("Add to a group…");
    let cmds = desk.press(KeyCode::Enter);
    // The pool's groups, and alice's so those she is in are left out.
    assert!(
        matches!(
            cmds[..],
            [Cmd::FetchList { .. }, Cmd::FetchPoolGroups { .. }]
        ),
        "{cmds:?}"
    );
    assert_eq!(
        desk.app.group_choices(GroupChange::Add),
        GroupChoices::Loading
    );
    snap!("add_group_loading", desk.app);
    desk.serve(cmds);
    let GroupChoices::Ready(choices) = desk.app.group_choices(GroupChange::Add) else {
        panic!("{:?}", desk.app.group_choices(GroupChange::Add))
    };
    let names: Vec<&str> = choices.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["beta-testers", "us-east-1_DemoPool1_Google"]);
    snap!("add_group_picker", desk.app);
    // Esc goes back to the menu; the pool's groups are not fetched a second time.
    desk.press(KeyCode::Esc);
    assert!(matches!(desk.app.overlay(), Overlay::Actions { .. }));
    let cmds = desk.press(KeyCode::Enter);
    assert!(cmds.is_empty(), "{cmds:?}");
    desk.press(KeyCode::Enter);
    assert!(matches!(
        desk.app.overlay(),
        Overlay::Confirm { write: Write { action: WriteAction::AddToGroup(g), .. }, phrase: None, .. } if g == "beta-testers"
    ));
    snap!("confirm_add_to_group", desk.app);
    let cmds = desk.keys(typed("y"));
    desk.serve(cmds);
    assert!(
        desk.notice().contains("added to beta-testers: alice"),
        "{}",
        desk.notice()
    );
    // The Groups pane fetches again and shows the new membership.
    let cmds = desk.keys([key(KeyCode::Char('4'))]);
    assert!(matches!(cmds[..], [Cmd::FetchList { .. }]));
    desk.serve(cmds);
    let GroupChoices::Ready(mine) = desk.app.group_choices(GroupChange::Remove) else {
        panic!()
    };
    let names: Vec<&str> = mine.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["admins", "support", "beta-testers"]);
}

#[test]
fn remove_from_group_picks_from_the_users_groups() {
    let mut desk = Desk::new("alice");
    desk.menu_to("Remove from a group…");
    let cmds = desk.press(KeyCode::Enter);
    assert!(matches!(cmds[..], [Cmd::FetchList { .. }]), "{cmds:?}");
    desk.serve(cmds);
    snap!("remove_group_picker", desk.app);
    desk.keys([key(KeyCode::Char('j')), key(KeyCode::Enter)]);
    assert!(matches!(
        desk.app.overlay(),
        Overlay::Confirm { write: Write { action: WriteAction::RemoveFromGroup(g), .. }, .. } if g == "support"
    ));
    let cmds = desk.press(KeyCode::Enter);
    desk.serve(cmds);
    assert!(desk.notice().contains("removed from support: alice"));
    let cmds = desk.keys([key(KeyCode::Char('4'))]);
    desk.serve(cmds);
    let GroupChoices::Ready(mine) = desk.app.group_choices(GroupChange::Remove) else {
        panic!()
    };
    assert_eq!(
        mine.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["admins"]
    );
}

#[test]
fn delete_needs_the_username_and_the_pool_ids_end_typed() {
    let mut desk = Desk::new("alice");
    desk.menu_to("Delete user");
    desk.press(KeyCode::Enter);
    assert!(matches!(
        desk.app.overlay(),
        Overlay::Confirm { write: Write { action: WriteAction::DeleteUser, .. }, phrase: Some(p), .. } if p == "alice oPool1"
    ));
    snap!("confirm_delete_empty", desk.app);
    // The username alone is not enough, nor the wrong pool.
    desk.keys(typed("alice"));
    assert!(desk.press(KeyCode::Enter).is_empty());
    assert!(
        desk.notice().contains("type alice oPool1"),
        "{}",
        desk.notice()
    );
    desk.keys(typed(" xPool1"));
    assert!(desk.press(KeyCode::Enter).is_empty());
    desk.keys(std::iter::repeat_n(key(KeyCode::Backspace), 6));
    desk.keys(typed("oPool1"));
    snap!("confirm_delete_typed", desk.app);
    let cmds = desk.press(KeyCode::Enter);
    assert_eq!(Desk::write_of(&cmds), WriteAction::DeleteUser);
    desk.serve(cmds);
    // Nothing to refresh: the user is gone from the screen and from the recent lookups.
    assert!(desk.app.user().is_none());
    assert!(desk.app.recent().iter().all(|e| e.username != "alice"));
    assert!(
        desk.notice()
            .contains("deleted alice in us-east-1_DemoPool1")
    );
    snap!("deleted", desk.app);
    let cmd = desk.app.start_lookup("alice", LookupMode::Username);
    desk.serve(vec![cmd]);
    assert_eq!(
        desk.app.error().and_then(|e| e.exception.as_deref()),
        Some("UserNotFoundException")
    );
}

#[test]
fn a_failed_write_is_shown_and_nothing_is_refreshed() {
    let mut desk = Desk::new("alice");
    desk.menu_to("Add to a group…");
    let cmds = desk.press(KeyCode::Enter);
    desk.serve(cmds);
    desk.press(KeyCode::Enter);
    let Cmd::Write { id, .. } = desk.press(KeyCode::Enter).remove(0) else {
        panic!()
    };
    // The group was deleted in the meantime.
    let gone = CognitoError::new(
        ErrorKind::PoolNotFound,
        "AdminAddUserToGroup",
        "Group not found.",
    )
    .with_exception("ResourceNotFoundException");
    assert!(
        update(
            &mut desk.app,
            Msg::WriteDone {
                id,
                result: Err(gone)
            }
        )
        .is_empty()
    );
    let error = desk.app.error().expect("shown");
    assert!(
        error
            .hint
            .as_deref()
            .unwrap()
            .contains("the group does not exist")
    );
    assert!(desk.app.writing().is_none());
}

#[test]
fn the_new_menus_and_confirmations() {
    let mut dave = Desk::new("dave");
    dave.keys(typed("x"));
    snap!("menu_force_change_password", dave.app);
    dave.menu_to("Resend invitation");
    dave.press(KeyCode::Enter);
    snap!("confirm_resend_invitation", dave.app);
    let mut carol = Desk::new("carol");
    carol.keys(typed("x"));
    snap!("menu_unconfirmed", carol.app);
    let mut kenji = Desk::new("kenji.tanaka");
    kenji.menu_to("Reset MFA");
    kenji.press(KeyCode::Enter);
    snap!("confirm_reset_mfa", kenji.app);
    let mut judy = Desk::new("judy");
    let cmds = judy.keys([key(KeyCode::Char('4'))]);
    judy.serve(cmds);
    judy.keys(typed("x"));
    snap!("menu_user_in_no_groups", judy.app);
}

/// The real binary in tmux: add to a group through the ListGroups picker, then delete, with
/// both attempts in the audit log (the group named).
#[test]
fn end_to_end_add_to_group_then_delete_audited() {
    use crate::common::tmux::Tmux;
    let dir = tempfile::tempdir().unwrap();
    let (log, audit) = (dir.path().join("tui.log"), dir.path().join("audit.jsonl"));
    let args = [
        "--demo",
        "--allow-write",
        "--log-file",
        log.to_str().unwrap(),
        "--audit-log",
        audit.to_str().unwrap(),
    ];
    let t = Tmux::spawn_tui(&args, 100, 30);
    t.wait_for("WRITES ON");
    t.type_text("u");
    t.type_text("alice");
    t.keys(&["Enter"]);
    t.wait_for("Username alice");
    t.type_text("x");
    t.wait_for("Add to a group…");
    t.type_text("jjjj");
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "Add alice to a group of Acme support demo (us-east-1_DemoPool1)",
        "beta-testers",
    ]);
    t.keys(&["Enter"]);
    t.wait_for("Confirm: AdminAddUserToGroup");
    t.type_text("y");
    t.wait_for("added to beta-testers: alice in Acme support demo (us-east-1_DemoPool1)");
    t.type_text("4");
    t.wait_for("beta-testers");
    t.type_text("x");
    t.wait_for("Delete user");
    t.type_text("jjjjjjj");
    t.keys(&["Enter"]);
    t.wait_for("alice oPool1");
    t.type_text("alice oPool1");
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "deleted alice in Acme support demo (us-east-1_DemoPool1)",
        "No user loaded",
    ]);
    t.type_text("q");
    assert_eq!(t.wait_exit().0, 0);
    let lines = crate::common::audit_log::lines(&audit);
    // Each write twice: the attempt before the request, the outcome after.
    let writes: Vec<(&str, &str, &str)> = lines
        .iter()
        .filter(|l| l.get("phase").is_some())
        .map(|l| {
            assert_eq!(l["username"], "alice");
            assert_eq!(l["pool"], "us-east-1_DemoPool1");
            (
                l["action"].as_str().unwrap(),
                l["phase"].as_str().unwrap(),
                l["group"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        writes,
        [
            ("add_to_group", "attempt", "beta-testers"),
            ("add_to_group", "outcome", "beta-testers"),
            ("delete_user", "attempt", "-"),
            ("delete_user", "outcome", "-"),
        ],
        "{lines:?}"
    );
    let outcomes: Vec<&str> = lines
        .iter()
        .filter(|l| l["phase"] == "outcome")
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["ok", "ok"]);
}

#[test]
fn g_and_shift_g_jump_to_the_ends_of_the_menu_and_pickers() {
    let mut desk = Desk::new("alice");
    desk.keys(typed("xG"));
    let last = desk.app.menu_items().len() - 1;
    assert_eq!(*desk.app.overlay(), Overlay::Actions { cursor: last });
    desk.keys(typed("g"));
    assert_eq!(*desk.app.overlay(), Overlay::Actions { cursor: 0 });
    desk.press(KeyCode::Esc);
    desk.menu_to("Remove from a group…");
    let cmds = desk.press(KeyCode::Enter);
    desk.serve(cmds);
    desk.keys(typed("G"));
    assert_eq!(
        *desk.app.overlay(),
        Overlay::Groups {
            change: GroupChange::Remove,
            cursor: 1
        }
    );
}

/// What AWS's "Adding user pool password requirements" allows and asks, written here apart
/// from the generator: Basic Latin letters, digits and the listed special characters.
fn meets_aws_rules(password: &str, min: usize) -> bool {
    const SPECIAL: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
    password.chars().count() >= min
        && password.chars().any(|c| c.is_ascii_uppercase())
        && password.chars().any(|c| c.is_ascii_lowercase())
        && password.chars().any(|c| c.is_ascii_digit())
        && password.chars().any(|c| SPECIAL.contains(c))
        && password
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
}

/// erin is RESET_REQUIRED with no channel "Forgot password" may use: the agent sets a
/// temporary password. It is made when the confirmation opens (to the demo pool's policy,
/// 12+ characters), sent as confirmed, shown once in its own popup, copied only on `y`, and
/// gone from the screen once closed; the refresh shows erin in FORCE_CHANGE_PASSWORD.
#[test]
fn set_temporary_password_is_shown_once_and_the_user_must_change_it() {
    let mut erin = Desk::new("erin");
    assert_eq!(erin.user().status, Some(UserStatus::ResetRequired));
    erin.menu_to("Temporary password");
    assert!(erin.press(KeyCode::Enter).is_empty());
    let Overlay::Confirm {
        write:
            Write {
                action: WriteAction::SetTemporaryPassword(confirmed),
                ..
            },
        phrase: Some(phrase),
        ..
    } = erin.app.overlay().clone()
    else {
        panic!("{:?}", erin.app.overlay())
    };
    assert_eq!(phrase, "erin");
    let password = confirmed.expose().to_string();
    assert!(meets_aws_rules(&password, 12), "{password}");
    // The confirmation says what is sent, but not the password itself.
    let confirmation = screen(&erin.app, 100, 30);
    assert!(
        confirmation.contains("AdminSetUserPassword"),
        "{confirmation}"
    );
    assert!(!confirmation.contains(&password), "{confirmation}");
    erin.keys(typed("erin"));
    let cmds = erin.press(KeyCode::Enter);
    assert_eq!(
        Desk::write_of(&cmds),
        WriteAction::SetTemporaryPassword(confirmed.clone())
    );
    assert!(!format!("{cmds:?}").contains(&password), "Debug hides it");
    erin.serve(cmds);
    assert!(erin.notice().contains("temporary password set for erin"));
    assert_eq!(erin.user().status, Some(UserStatus::ForceChangePassword));
    let shown = screen(&erin.app, 80, 24);
    assert!(shown.contains(&password), "{shown}");
    insta::assert_snapshot!(
        "temporary_password_shown_once",
        shown.replace(&password, &"X".repeat(password.len()))
    );
    // Copied only when asked, and exactly what was sent.
    assert_eq!(erin.keys(typed("y")), [Cmd::Copy(password.clone())]);
    assert!(erin.press(KeyCode::Esc).is_empty());
    assert_eq!(*erin.app.overlay(), Overlay::None);
    let after = screen(&erin.app, 80, 24);
    assert!(!after.contains(&password), "{after}");
}

/// Each confirmation makes its own password: cancelled and opened again, it differs.
#[test]
fn every_confirmation_generates_a_new_password() {
    let mut erin = Desk::new("erin");
    let mut seen = Vec::new();
    for _ in 0..2 {
        erin.menu_to("Temporary password");
        erin.press(KeyCode::Enter);
        match erin.app.overlay() {
            Overlay::Confirm {
                write:
                    Write {
                        action: WriteAction::SetTemporaryPassword(p),
                        ..
                    },
                ..
            } => seen.push(p.expose().to_string()),
            other => panic!("{other:?}"),
        }
        erin.press(KeyCode::Esc);
    }
    assert_ne!(seen[0], seen[1]);
}

/// Moves the Status pane's cursor to the finding whose note names `code`; returns its row.
fn to_finding(app: &mut App, code: &str) -> usize {
    use cognito_tui::app::Pane;
    send(app, typed("1"));
    let rows = app.rows(Pane::Status);
    let at = rows
        .iter()
        .position(|r| (r.note.as_ref()).is_some_and(|(n, _)| n.starts_with(&format!("{code} · "))))
        .unwrap_or_else(|| panic!("no {code} finding"));
    send(app, typed("g"));
    send(app, std::iter::repeat_n(key(KeyCode::Char('j')), at));
    assert_eq!(app.cursor(Pane::Status), at);
    at
}

/// Enter on a finding whose fix is a write action opens that action's confirmation, the same
/// one `x` opens: erin's blocker gets a temporary password (typed username), her unverified
/// phone a y/n "mark verified", which then runs and refreshes.
#[test]
fn enter_on_a_finding_opens_the_confirmation_of_its_fix() {
    let mut erin = Desk::new("erin");
    for code in ["reset_required", "no_recovery_channel"] {
        to_finding(&mut erin.app, code);
        assert!(erin.press(KeyCode::Enter).is_empty());
        assert!(
            matches!(
                erin.app.overlay(),
                Overlay::Confirm { write: Write { action: WriteAction::SetTemporaryPassword(p), .. }, phrase: Some(u), .. }
                    if !p.is_pending() && u == "erin"
            ),
            "{code}: {:?}",
            erin.app.overlay()
        );
        erin.press(KeyCode::Esc);
    }
    to_finding(&mut erin.app, "phone_unverified");
    erin.press(KeyCode::Enter);
    snap!("finding_offers_mark_phone_verified", erin.app);
    let cmds = erin.keys(typed("y"));
    assert_eq!(
        Desk::write_of(&cmds),
        WriteAction::MarkVerified(VerifiedAttribute::PhoneNumber)
    );
    erin.serve(cmds);
    assert!(
        erin.notice()
            .contains("phone_number marked verified for erin")
    );
    assert_eq!(erin.user().attribute("phone_number_verified"), Some("true"));
}

/// Read-only, Enter on a finding with a fix shows the finding and says how to turn writes on
/// (the message `x` gives); a finding no write fixes says so. Rows that are not findings
/// still open in full, with no such notice.
#[test]
fn enter_on_a_finding_without_writes_says_how_to_turn_them_on() {
    use cognito_tui::app::WRITES_OFF;
    let mut app = crate::common::app::pinned_demo_app();
    let cmd = app.start_lookup("trent", LookupMode::Auto);
    crate::common::app::serve(&mut app, &cmd);
    to_finding(&mut app, "disabled");
    assert!(send(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert!(matches!(app.overlay(), Overlay::Detail { .. }));
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(notice.contains(WRITES_OFF), "{notice}");
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("writes are off: start with --allow-write"),
        "{shown}"
    );
    // The same key in `x` gives the same words.
    send(&mut app, [key(KeyCode::Esc)]);
    send(&mut app, typed("x"));
    assert!(app.notice().unwrap_or_default().contains(WRITES_OFF));

    let mut walter = crate::common::app::pinned_demo_app();
    let cmd = walter.start_lookup("walter", LookupMode::Auto);
    crate::common::app::serve(&mut walter, &cmd);
    to_finding(&mut walter, "no_recovery_channel");
    send(&mut walter, [key(KeyCode::Enter)]);
    assert!(matches!(walter.overlay(), Overlay::Detail { .. }));
    let notice = walter.notice().unwrap_or_default();
    assert!(
        notice.contains("no write action fixes this here"),
        "{notice}"
    );
    // Positive control: the Username row opens in full without a finding's notice.
    send(&mut walter, [key(KeyCode::Esc), key(KeyCode::Esc)]);
    send(&mut walter, typed("gj"));
    send(&mut walter, [key(KeyCode::Enter)]);
    assert!(matches!(walter.overlay(), Overlay::Detail { title, .. } if title == "Username"));
    assert_eq!(walter.notice(), None);
}
