//! Key bindings: one table maps (context, key) to an [`Action`]. The same table drives
//! dispatch, the help overlay and the footer, so what the help says is what the keys do.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::cognito::lookup::LookupMode;

/// Where the keyboard focus is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Anywhere, before any other context.
    Global,
    /// The three panes.
    Main,
    /// A line being typed: the lookup bar, the attribute filter, the recent-lookups filter.
    Input,
    /// A list in a popup: the ambiguous-match picker and the recent lookups.
    List,
    /// The help overlay.
    Help,
    /// The full-value popup.
    Detail,
    /// The escape-hatch popup: the equivalent aws command and the console address.
    Hatch,
    /// The write-actions menu (only with `--allow-write`).
    Menu,
    /// A yes/no confirmation of a write action (typed ones use [`Context::Input`]).
    Confirm,
    /// The finders: type-ahead search, browsing the pool, the pool picker. Typing filters;
    /// the line-editing keys of [`Context::Input`] apply too.
    Finder,
}

impl Context {
    /// Heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Main => "Panes",
            Self::Input => "Typing (lookup bar, filters)",
            Self::List => "Pickers (matches, recent lookups)",
            Self::Help => "Help",
            Self::Detail => "Full value",
            Self::Hatch => "Escape hatch (aws command, console)",
            Self::Menu => "Actions menu (--allow-write)",
            Self::Confirm => "Confirming an action",
            Self::Finder => "Search, browse and pool picker (plus the typing keys)",
        }
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    OpenLookup(LookupMode),
    FocusNext,
    FocusPrev,
    FocusPane(usize),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Copy,
    Refresh,
    Help,
    Recent,
    Filter,
    Cancel,
    Submit,
    /// Privacy mode on/off.
    Privacy,
    /// Show the selected value unmasked until the selection moves.
    Reveal,
    /// The equivalent aws command and console address of the user.
    EscapeHatch,
    /// Copy the console address (escape hatch popup).
    CopyUrl,
    /// The write-actions menu; only bound with `--allow-write`.
    Actions,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    DeleteBack,
    DeleteForward,
    ClearLine,
    DeleteWord,
    /// Type-ahead search: ListUsers prefix queries as you type.
    Search,
    /// Browse the pool page by page with a local fuzzy filter.
    Browse,
    /// Read every page of the pool (browse), with progress; Esc cancels.
    LoadAll,
    /// Choose another user pool.
    Pools,
    /// A printable character typed into a line.
    Insert(char),
}

impl Action {
    /// The actions a config file may rebind, by the name it uses in `[keys]`.
    pub const NAMED: &[(&'static str, Action)] = &[
        ("quit", Action::Quit),
        ("lookup", Action::OpenLookup(LookupMode::Auto)),
        ("lookup_username", Action::OpenLookup(LookupMode::Username)),
        ("lookup_alias", Action::OpenLookup(LookupMode::Alias)),
        ("lookup_sub", Action::OpenLookup(LookupMode::Sub)),
        ("next_pane", Action::FocusNext),
        ("previous_pane", Action::FocusPrev),
        ("open", Action::Open),
        ("copy", Action::Copy),
        ("refresh", Action::Refresh),
        ("help", Action::Help),
        ("recent", Action::Recent),
        ("filter", Action::Filter),
        ("privacy", Action::Privacy),
        ("reveal", Action::Reveal),
        ("escape_hatch", Action::EscapeHatch),
        ("actions", Action::Actions),
        ("search", Action::Search),
        ("browse", Action::Browse),
        ("load_all", Action::LoadAll),
        ("pools", Action::Pools),
    ];
}

/// A key and the modifiers that must be held (Shift is implied by the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One line of the binding table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    /// Borrowed from the default table, owned where the config file overrides them.
    pub keys: Cow<'static, [Key]>,
    /// How the keys are written in the help and the footer.
    pub label: Cow<'static, str>,
    pub action: Action,
    /// What it does, for the help overlay.
    pub help: &'static str,
    /// Changes users: bound (and listed) only with `--allow-write`.
    pub write: bool,
}

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
        "PgUp",
        A::PageUp,
        "page up"
    ),
    bind!(
        Main,
        [key(K::PageDown), ctrl('f')],
        "PgDn",
        A::PageDown,
        "page down"
    ),
    bind!(Main, [ch('g'), key(K::Home)], "g", A::Top, "first row"),
    bind!(Main, [ch('G'), key(K::End)], "G", A::Bottom, "last row"),
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
        "escape hatch: aws command (copied), console page"
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
        [ch('L')],
        "L",
        A::LoadAll,
        "browse and load every user, with progress"
    ),
    bind!(Main, [ch('P')], "P", A::Pools, "choose another user pool"),
    bind!(
        Main,
        [ch('h'), ctrl('r')],
        "h",
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
        "Backspace",
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
    bind!(List, [ch('k'), key(K::Up)], "k ↑", A::Up, "previous"),
    bind!(List, [ch('j'), key(K::Down)], "j ↓", A::Down, "next"),
    bind!(List, [ch('g'), key(K::Home)], "g", A::Top, "first"),
    bind!(List, [ch('G'), key(K::End)], "G", A::Bottom, "last"),
    bind!(
        List,
        [key(K::Enter)],
        "Enter",
        A::Submit,
        "open the selected user"
    ),
    bind!(List, [key(K::Esc), ch('q')], "Esc q", A::Cancel, "close"),
    bind!(Help, [ch('k'), key(K::Up)], "k ↑", A::Up, "scroll up"),
    bind!(Help, [ch('j'), key(K::Down)], "j ↓", A::Down, "scroll down"),
    bind!(
        Help,
        [key(K::Esc), ch('q'), ch('?')],
        "Esc q ?",
        A::Cancel,
        "close the help"
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
    bind_write!(Menu, [ch('g'), key(K::Home)], "g", A::Top, "first"),
    bind_write!(Menu, [ch('G'), key(K::End)], "G", A::Bottom, "last"),
    bind_write!(
        Menu,
        [key(K::Enter)],
        "Enter",
        A::Submit,
        "choose: a confirmation follows"
    ),
    bind_write!(Menu, [key(K::Esc), ch('q')], "Esc q", A::Cancel, "close"),
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
        "n Esc",
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

fn matches(binding_key: &Key, event: &KeyEvent) -> bool {
    // Shift is part of the character ('G', '?') or of BackTab, so it never has to match.
    let mods = event.modifiers - KeyModifiers::SHIFT;
    let code = match event.code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    binding_key.code == code && binding_key.mods == mods
}

/// The action for `event` in `context` with the default bindings; see [`Keymap::action`].
pub fn action(context: Context, event: &KeyEvent, allow_write: bool) -> Option<Action> {
    Keymap::default().action(context, event, allow_write)
}

/// The default bindings shown in the help overlay for `context`; see [`Keymap::bindings`].
pub fn bindings(context: Context, allow_write: bool) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.context == context && (allow_write || !b.write))
}

/// The binding table in use: the defaults with the config file's `[keys]` overrides applied.
/// An override replaces the keys of the action's bindings in the panes and the finders.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            bindings: BINDINGS.to_vec(),
        }
    }
}

/// Parses a key as a config file writes it: `x`, `X`, `ctrl-x`, `enter`, `esc`, `tab`,
/// `f5`, `pgup`, `up`…
pub fn parse_key(text: &str) -> Result<Key, String> {
    let lower = text.trim().to_ascii_lowercase();
    let (mods, rest) = match lower
        .strip_prefix("ctrl-")
        .or_else(|| lower.strip_prefix("c-"))
    {
        Some(rest) => (KeyModifiers::CONTROL, rest),
        None => (KeyModifiers::NONE, lower.as_str()),
    };
    let code = match rest {
        "enter" | "return" => K::Enter,
        "esc" | "escape" => K::Esc,
        "tab" => K::Tab,
        "backtab" | "shift-tab" => K::BackTab,
        "space" => K::Char(' '),
        "up" => K::Up,
        "down" => K::Down,
        "left" => K::Left,
        "right" => K::Right,
        "home" => K::Home,
        "end" => K::End,
        "pgup" | "pageup" => K::PageUp,
        "pgdn" | "pagedown" => K::PageDown,
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
        {
            K::F(f[1..].parse().expect("checked"))
        }
        _ => {
            // A single character keeps its case ("L" is Shift-L).
            let original = text.trim();
            let original = original.get(original.len() - rest.len()..).unwrap_or(rest);
            let mut chars = original.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => K::Char(if mods.is_empty() {
                    c
                } else {
                    c.to_ascii_lowercase()
                }),
                _ => {
                    return Err(format!(
                        "{text:?} is not a key (try \"x\", \"ctrl-x\", \"f5\", \"enter\")"
                    ));
                }
            }
        }
    };
    Ok(Key { code, mods })
}

fn key_label(key: &Key) -> String {
    let name = match key.code {
        K::Char(' ') => "Space".to_string(),
        K::Char(c) => c.to_string(),
        K::F(n) => format!("F{n}"),
        K::Enter => "Enter".into(),
        K::Esc => "Esc".into(),
        K::Tab => "Tab".into(),
        K::BackTab => "Shift-Tab".into(),
        K::PageUp => "PgUp".into(),
        K::PageDown => "PgDn".into(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", name.to_ascii_uppercase())
    } else {
        name
    }
}

impl Keymap {
    /// The defaults with `overrides` (action name → key) applied. Every override that names
    /// no action or no key is reported, and the others still apply.
    pub fn with_overrides<'a>(
        overrides: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> (Self, Vec<String>) {
        let mut keymap = Self::default();
        let mut problems = Vec::new();
        for (name, text) in overrides {
            let Some((_, action)) = Action::NAMED.iter().find(|(n, _)| n == name) else {
                let known: Vec<&str> = Action::NAMED.iter().map(|(n, _)| *n).collect();
                problems.push(format!(
                    "[keys] {name:?} is not an action; the actions are {}",
                    known.join(", ")
                ));
                continue;
            };
            let key = match parse_key(text) {
                Ok(key) => key,
                Err(e) => {
                    problems.push(format!("[keys] {name}: {e}"));
                    continue;
                }
            };
            let label = key_label(&key);
            for binding in keymap.bindings.iter_mut().filter(|b| {
                b.action == *action && matches!(b.context, Context::Main | Context::Finder)
            }) {
                binding.keys = Cow::Owned(vec![key]);
                binding.label = Cow::Owned(label.clone());
            }
        }
        (keymap, problems)
    }

    /// The action for `event` in `context` (global bindings first), or None. In
    /// [`Context::Input`] and [`Context::Finder`], printable characters become
    /// [`Action::Insert`]; the finder also takes the line-editing keys of the input context.
    /// Write bindings exist only when `allow_write` is set.
    pub fn action(&self, context: Context, event: &KeyEvent, allow_write: bool) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let contexts: &[Context] = match context {
            Context::Finder => &[Context::Global, Context::Finder, Context::Input],
            _ => &[Context::Global, context],
        };
        for &ctx in contexts {
            for binding in self
                .bindings
                .iter()
                .filter(|b| b.context == ctx && (allow_write || !b.write))
            {
                if let Some(i) = binding.keys.iter().position(|k| matches(k, event)) {
                    return Some(match binding.action {
                        // One row binds the digits; the digit says which pane.
                        Action::FocusPane(_) => Action::FocusPane(i),
                        other => other,
                    });
                }
            }
        }
        if matches!(context, Context::Input | Context::Finder)
            && let KeyCode::Char(c) = event.code
            && !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::Insert(c));
        }
        None
    }

    /// The bindings shown in the help overlay for `context` (write ones only with
    /// `allow_write`).
    pub fn bindings(&self, context: Context, allow_write: bool) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.context == context && (allow_write || !b.write))
    }

    /// How the keys of `action` in `context` are written ("?" if unbound).
    pub fn label(&self, context: Context, action: Action) -> &str {
        self.bindings(context, true)
            .find(|b| b.action == action)
            .map_or("?", |b| &b.label)
    }
}
