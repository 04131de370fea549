//! The default key table and the footer's priorities: the data that drives dispatch, the
//! help and the footer, kept apart from the code in `keymap.rs` that reads it.

use std::borrow::Cow;

use crossterm::event::KeyCode;

use super::{Action, Binding, Context, ch, ctrl, key};
use crate::cognito::lookup::LookupMode;

macro_rules! bind {
    ($ctx:ident, [$($k:expr),+], $label:expr, $action:expr, $help:expr) => {
        Binding { context: Context::$ctx, keys: Cow::Borrowed(&[$($k),+]), label: Cow::Borrowed($label), action: $action, help: $help, write: false }
    };
}

/// A binding that exists only with `--allow-write`.
macro_rules! bind_write {
    ($ctx:ident, [$($k:expr),+], $label:expr, $action:expr, $help:expr) => {
        Binding { context: Context::$ctx, keys: Cow::Borrowed(&[$($k),+]), label: Cow::Borrowed($label), action: $action, help: $help, write: true }
    };
}

use Action as A;
use KeyCode as K;

/// Every default binding, in the order the help overlay lists them.
pub const BINDINGS: &[Binding] = &[
    bind!(
        Global,
        [ctrl('c')],
        "Ctrl-C",
        A::ForceQuit,
        "quit, from anywhere"
    ),
    bind!(
        Global,
        [key(K::F(1))],
        "F1",
        A::Help,
        "this help, from anywhere (typing included)"
    ),
    bind!(
        Main,
        [ch('/')],
        "/",
        A::OpenLookup(LookupMode::Auto),
        "look up: username, alias or sub, detected"
    ),
    bind!(
        Main,
        [ch('u')],
        "u",
        A::OpenLookup(LookupMode::Username),
        "look up by username"
    ),
    bind!(
        Main,
        [ch('a')],
        "a",
        A::OpenLookup(LookupMode::Alias),
        "look up by alias: email, phone, preferred_username"
    ),
    bind!(
        Main,
        [ch('s')],
        "s",
        A::OpenLookup(LookupMode::Sub),
        "look up by sub (UUID)"
    ),
    bind!(Main, [key(K::Tab)], "Tab", A::FocusNext, "next pane"),
    bind!(
        Main,
        [key(K::BackTab)],
        "Shift-Tab",
        A::FocusPrev,
        "previous pane"
    ),
    bind!(
        Main,
        [ch('1'), ch('2'), ch('3'), ch('4'), ch('5'), ch('6')],
        "1-6",
        A::FocusPane(0),
        "jump to a pane; 4-6 fetch their list when opened"
    ),
    bind!(Main, [ch('k'), key(K::Up)], "k ↑", A::Up, "previous row"),
    bind!(Main, [ch('j'), key(K::Down)], "j ↓", A::Down, "next row"),
    bind!(
        Main,
        [key(K::PageUp), ctrl('b')],
        "PgUp Ctrl-B",
        A::PageUp,
        "page up"
    ),
    bind!(
        Main,
        [key(K::PageDown), ctrl('f')],
        "PgDn Ctrl-F",
        A::PageDown,
        "page down"
    ),
    bind!(Main, [ch('g'), key(K::Home)], "g Home", A::Top, "first row"),
    bind!(Main, [ch('G'), key(K::End)], "G End", A::Bottom, "last row"),
    bind!(
        Main,
        [key(K::Enter)],
        "Enter",
        A::Open,
        "show the whole value"
    ),
    bind!(
        Main,
        [ch('y')],
        "y",
        A::Copy,
        "copy the selected value (OSC 52)"
    ),
    bind!(
        Main,
        [ch('r')],
        "r",
        A::Refresh,
        "refresh the user, or reload the open list (4-6)"
    ),
    bind!(
        Main,
        [ch('p')],
        "p",
        A::Privacy,
        "privacy mode: mask personal values (and copies)"
    ),
    bind!(
        Main,
        [ch('v')],
        "v",
        A::Reveal,
        "reveal the selected masked value until you move"
    ),
    bind!(
        Main,
        [ch('c')],
        "c",
        A::EscapeHatch,
        "escape hatch: aws command (sent to the clipboard), console page"
    ),
    bind_write!(
        Main,
        [ch('x')],
        "x",
        A::Actions,
        "actions: enable/disable, reset password, sign out"
    ),
    bind!(Main, [ch('f')], "f", A::Filter, "filter attributes (fuzzy)"),
    bind!(
        Main,
        [ch('t')],
        "t",
        A::Search,
        "type-ahead search: ListUsers prefix queries as you type"
    ),
    bind!(
        Main,
        [ch('b')],
        "b",
        A::Browse,
        "browse the pool, fuzzy filter over the users loaded"
    ),
    bind!(
        Main,
        [ctrl('l'), ch('L')],
        "Ctrl-L L",
        A::LoadAll,
        "browse and load every user, with progress (Esc stops)"
    ),
    bind!(Main, [ch('P')], "P", A::Pools, "choose another user pool"),
    bind!(
        Main,
        [ch('A')],
        "A",
        A::AllPools,
        "which pool? the lookup in every named pool"
    ),
    bind!(
        Main,
        [ch('d')],
        "d",
        A::LoadHistory,
        "load sign-in history: completes the diagnosis"
    ),
    bind!(
        Main,
        [ch('h'), ctrl('r')],
        "h Ctrl-R",
        A::Recent,
        "recent lookups (fuzzy)"
    ),
    bind!(Main, [ch('?')], "?", A::Help, "this help"),
    bind!(
        Main,
        [key(K::Esc)],
        "Esc",
        A::Cancel,
        "dismiss the error, clear the filter"
    ),
    bind!(Main, [ch('q')], "q", A::Quit, "quit"),
    bind!(Input, [key(K::Enter)], "Enter", A::Submit, "submit"),
    bind!(Input, [key(K::Esc)], "Esc", A::Cancel, "cancel"),
    bind!(
        Input,
        [key(K::Left), ctrl('b')],
        "← Ctrl-B",
        A::CursorLeft,
        "cursor left"
    ),
    bind!(
        Input,
        [key(K::Right), ctrl('f')],
        "→ Ctrl-F",
        A::CursorRight,
        "cursor right"
    ),
    bind!(
        Input,
        [key(K::Home), ctrl('a')],
        "Home Ctrl-A",
        A::CursorHome,
        "start of line"
    ),
    bind!(
        Input,
        [key(K::End), ctrl('e')],
        "End Ctrl-E",
        A::CursorEnd,
        "end of line"
    ),
    bind!(
        Input,
        [key(K::Backspace), ctrl('h')],
        "Backspace Ctrl-H",
        A::DeleteBack,
        "delete before the cursor"
    ),
    bind!(
        Input,
        [key(K::Delete), ctrl('d')],
        "Del Ctrl-D",
        A::DeleteForward,
        "delete under the cursor"
    ),
    bind!(
        Input,
        [ctrl('u')],
        "Ctrl-U",
        A::ClearLine,
        "delete to the start of the line"
    ),
    bind!(
        Input,
        [ctrl('w')],
        "Ctrl-W",
        A::DeleteWord,
        "delete the word before the cursor"
    ),
    bind!(
        Input,
        [key(K::Up), ctrl('p')],
        "↑ Ctrl-P",
        A::Up,
        "previous match (recent lookups)"
    ),
    bind!(
        Input,
        [key(K::Down), ctrl('n')],
        "↓ Ctrl-N",
        A::Down,
        "next match (recent lookups)"
    ),
    bind!(
        Finder,
        [key(K::Enter)],
        "Enter",
        A::Submit,
        "open the selected user (one AdminGetUser) or pool"
    ),
    bind!(
        Finder,
        [key(K::Esc)],
        "Esc",
        A::Cancel,
        "stop loading all, else close"
    ),
    bind!(
        Finder,
        [key(K::Up), ctrl('p')],
        "↑ Ctrl-P",
        A::Up,
        "previous (no request)"
    ),
    bind!(
        Finder,
        [key(K::Down), ctrl('n')],
        "↓ Ctrl-N",
        A::Down,
        "next (no request; browse reads the next page near the end)"
    ),
    bind!(Finder, [key(K::PageUp)], "PgUp", A::PageUp, "page up"),
    bind!(Finder, [key(K::PageDown)], "PgDn", A::PageDown, "page down"),
    bind!(
        Finder,
        [ctrl('r')],
        "Ctrl-R",
        A::Refresh,
        "search: ask Cognito again, not the cache"
    ),
    bind!(
        Finder,
        [ctrl('l')],
        "Ctrl-L",
        A::LoadAll,
        "browse: load every user (Esc stops)"
    ),
    bind!(
        Finder,
        [ctrl('t')],
        "Ctrl-T",
        A::BrowseFilter,
        "browse: filter by status, asked of Cognito (Enabled, Disabled, CONFIRMED, UNCONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, none)"
    ),
    bind!(
        Finder,
        [ctrl('s')],
        "Ctrl-S",
        A::ExportList,
        "save the list shown to a CSV file you name (browse: all of it, or what is loaded)"
    ),
    bind!(List, [ch('k'), key(K::Up)], "k ↑", A::Up, "previous"),
    bind!(List, [ch('j'), key(K::Down)], "j ↓", A::Down, "next"),
    bind!(List, [ch('g'), key(K::Home)], "g Home", A::Top, "first"),
    bind!(List, [ch('G'), key(K::End)], "G End", A::Bottom, "last"),
    bind!(
        List,
        [key(K::Enter)],
        "Enter",
        A::Submit,
        "open the selected user"
    ),
    bind!(List, [key(K::Esc), ch('q')], "Esc q", A::Cancel, "close"),
    bind!(List, [ch('?')], "?", A::Help, "this help"),
    bind!(Help, [ch('k'), key(K::Up)], "k ↑", A::Up, "scroll up"),
    bind!(Help, [ch('j'), key(K::Down)], "j ↓", A::Down, "scroll down"),
    bind!(
        Help,
        [key(K::PageUp), ctrl('b')],
        "PgUp Ctrl-B",
        A::PageUp,
        "page up"
    ),
    bind!(
        Help,
        [key(K::PageDown), ctrl('f'), ch(' ')],
        "PgDn Ctrl-F Space",
        A::PageDown,
        "page down"
    ),
    bind!(Help, [ch('g'), key(K::Home)], "g Home", A::Top, "top"),
    bind!(Help, [ch('G'), key(K::End)], "G End", A::Bottom, "bottom"),
    bind!(
        Help,
        [ch('/')],
        "/",
        A::Filter,
        "filter the help: type a key or a word, Enter keeps it, Esc clears it"
    ),
    bind!(
        Help,
        [key(K::Esc), ch('q'), ch('?')],
        "Esc q ?",
        A::Cancel,
        "clear the filter, else close the help"
    ),
    bind!(Detail, [ch('k'), key(K::Up)], "k ↑", A::Up, "scroll up"),
    bind!(
        Detail,
        [ch('j'), key(K::Down)],
        "j ↓",
        A::Down,
        "scroll down"
    ),
    bind!(Detail, [ch('y')], "y", A::Copy, "copy the value"),
    bind!(Detail, [ch('?')], "?", A::Help, "this help"),
    bind!(
        Hatch,
        [ch('y'), ch('c')],
        "y c",
        A::Copy,
        "copy the aws command"
    ),
    bind!(
        Hatch,
        [ch('o')],
        "o",
        A::CopyUrl,
        "copy the console address"
    ),
    bind!(Hatch, [ch('?')], "?", A::Help, "this help"),
    bind!(
        Hatch,
        [key(K::Esc), key(K::Enter), ch('q')],
        "Esc Enter q",
        A::Cancel,
        "close"
    ),
    bind_write!(Menu, [ch('k'), key(K::Up)], "k ↑", A::Up, "previous action"),
    bind_write!(Menu, [ch('j'), key(K::Down)], "j ↓", A::Down, "next action"),
    // A pool may have thousands of groups to pick from.
    bind_write!(Menu, [ch('g'), key(K::Home)], "g Home", A::Top, "first"),
    bind_write!(Menu, [ch('G'), key(K::End)], "G End", A::Bottom, "last"),
    bind_write!(
        Menu,
        [key(K::Enter)],
        "Enter",
        A::Submit,
        "choose: a confirmation follows"
    ),
    bind_write!(Menu, [key(K::Esc), ch('q')], "Esc q", A::Cancel, "close"),
    bind_write!(Menu, [ch('?')], "?", A::Help, "this help"),
    bind_write!(
        Confirm,
        [ch('y'), key(K::Enter)],
        "y Enter",
        A::Submit,
        "yes, do it"
    ),
    bind_write!(
        Confirm,
        [ch('n'), key(K::Esc), ch('q')],
        "n Esc q",
        A::Cancel,
        "no, cancel"
    ),
    bind!(
        Detail,
        [key(K::Esc), key(K::Enter), ch('q')],
        "Esc Enter q",
        A::Cancel,
        "close"
    ),
];

/// What the footer offers in each context, most useful first: the actions (their first keys
/// joined by `/`) and the word shown. The view drops what the screen can't do right now and
/// what doesn't fit; the help lists everything.
pub const FOOTER: &[(Context, &[Action], &str)] = &[
    (Context::Main, &[A::Cancel], "dismiss"),
    (Context::Main, &[A::OpenLookup(LookupMode::Auto)], "lookup"),
    (Context::Main, &[A::Search], "search"),
    (Context::Main, &[A::Browse], "browse"),
    (Context::Main, &[A::FocusNext], "pane"),
    (Context::Main, &[A::Open], "view"),
    (Context::Main, &[A::Copy], "copy"),
    (Context::Main, &[A::Actions], "actions"),
    (Context::Main, &[A::Reveal], "reveal"),
    (Context::Main, &[A::Recent], "recent"),
    (Context::Main, &[A::Filter], "filter"),
    (Context::Main, &[A::Refresh], "refresh"),
    (Context::Main, &[A::EscapeHatch], "aws cmd"),
    (Context::Main, &[A::LoadAll], "load all"),
    (Context::Main, &[A::Pools], "pools"),
    (Context::Main, &[A::AllPools], "all pools"),
    (Context::Main, &[A::Privacy], "privacy"),
    (Context::Main, &[A::Quit], "quit"),
    (Context::Finder, &[A::Submit], "open"),
    (Context::Finder, &[A::Cancel], "close"),
    // Browse's two keys nobody would guess, before the arrows everybody tries.
    (Context::Finder, &[A::BrowseFilter], "filter"),
    (Context::Finder, &[A::ExportList], "save"),
    (Context::Finder, &[A::LoadAll], "load all"),
    (Context::Finder, &[A::Up, A::Down], "move"),
    (Context::Finder, &[A::Refresh], "ask again"),
    (Context::Finder, &[A::PageUp, A::PageDown], "page"),
    (Context::Input, &[A::Submit], "submit"),
    (Context::Input, &[A::Cancel], "cancel"),
    (Context::Input, &[A::Up, A::Down], "move"),
    (Context::Input, &[A::CursorLeft, A::CursorRight], "cursor"),
    (Context::Input, &[A::ClearLine], "clear"),
    (Context::Input, &[A::DeleteWord], "delete word"),
    (Context::List, &[A::Up, A::Down], "move"),
    (Context::List, &[A::Submit], "open"),
    (Context::List, &[A::Cancel], "close"),
    (Context::Help, &[A::Up, A::Down], "scroll"),
    (Context::Help, &[A::PageUp, A::PageDown], "page"),
    (Context::Help, &[A::Cancel], "close"),
    (Context::Help, &[A::Filter], "filter"),
    (Context::Help, &[A::Top, A::Bottom], "top/bottom"),
    (Context::Detail, &[A::Up, A::Down], "scroll"),
    (Context::Detail, &[A::Copy], "copy"),
    (Context::Detail, &[A::Cancel], "close"),
    (Context::Hatch, &[A::Copy], "copy command"),
    (Context::Hatch, &[A::CopyUrl], "copy console address"),
    (Context::Hatch, &[A::Cancel], "close"),
    (Context::Menu, &[A::Up, A::Down], "move"),
    (Context::Menu, &[A::Submit], "choose"),
    (Context::Menu, &[A::Cancel], "cancel"),
    (Context::Confirm, &[A::Submit], "yes, do it"),
    (Context::Confirm, &[A::Cancel], "cancel"),
];
