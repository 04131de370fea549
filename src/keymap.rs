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
            Self::List => "Pickers (matches, recent lookups, all pools)",
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
    /// Load the sign-in history so the diagnosis can check risk blocks and failures.
    LoadHistory,
    /// Browse: the next server-side filter (status, enabled) in the cycle.
    BrowseFilter,
    /// Search or browse: write the list shown to a CSV file.
    ExportList,
    /// Look the current query up in every named pool of the config.
    AllPools,
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
        ("load_history", Action::LoadHistory),
        ("browse_filter", Action::BrowseFilter),
        ("export_list", Action::ExportList),
        ("all_pools", Action::AllPools),
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

mod table;
pub use table::{BINDINGS, FOOTER};

use KeyCode as K;

/// One hint of the footer: the keys as pressed and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterHint {
    pub keys: String,
    pub word: &'static str,
    /// The first action of the hint, for callers that restyle or reword it.
    pub action: Action,
}

/// One line of the help, before wrapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A context's heading.
    Heading(&'static str),
    /// A binding: its keys and what it does.
    Binding { keys: String, help: &'static str },
    /// Between contexts.
    Blank,
    /// Nothing matched the filter.
    NoMatch,
}

/// The contexts in the order the help lists them.
pub const HELP_ORDER: [Context; 10] = [
    Context::Main,
    Context::Global,
    Context::Finder,
    Context::Input,
    Context::List,
    Context::Detail,
    Context::Hatch,
    Context::Menu,
    Context::Confirm,
    Context::Help,
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

/// A key name in the config file's `[keys]` that names no key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a key (try \"x\", \"ctrl-x\", \"f5\", \"enter\")")]
pub struct KeyError(pub String);

/// An override in the config file's `[keys]` that can't apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// The name is no action's; `known` lists the actions.
    #[error("[keys] {name:?} is not an action; the actions are {known}")]
    NotAnAction { name: String, known: String },
    /// The action exists; the key names no key.
    #[error("[keys] {name}: {key}")]
    NotAKey { name: String, key: KeyError },
}

/// Parses a key as a config file writes it: `x`, `X`, `ctrl-x`, `enter`, `esc`, `tab`,
/// `f5`, `pgup`, `up`…
pub fn parse_key(text: &str) -> Result<Key, KeyError> {
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
                _ => return Err(KeyError(text.to_string())),
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
        K::Up => "↑".into(),
        K::Down => "↓".into(),
        K::Left => "←".into(),
        K::Right => "→".into(),
        K::Delete => "Del".into(),
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
    ) -> (Self, Vec<OverrideError>) {
        let mut keymap = Self::default();
        let mut problems = Vec::new();
        for (name, text) in overrides {
            let Some((_, action)) = Action::NAMED.iter().find(|(n, _)| n == name) else {
                let known: Vec<&str> = Action::NAMED.iter().map(|(n, _)| *n).collect();
                problems.push(OverrideError::NotAnAction {
                    name: name.clone(),
                    known: known.join(", "),
                });
                continue;
            };
            let key = match parse_key(text) {
                Ok(key) => key,
                Err(key) => {
                    let name = name.clone();
                    problems.push(OverrideError::NotAKey { name, key });
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

    /// The footer's hints for `context`, most useful first. `offer` says whether the screen
    /// offers an action now and may reword it (None hides it). The keys are each action's
    /// first key as the table in use binds it.
    pub fn footer(
        &self,
        context: Context,
        allow_write: bool,
        offer: impl Fn(Action, &'static str) -> Option<&'static str>,
    ) -> Vec<FooterHint> {
        FOOTER
            .iter()
            .filter(|(ctx, _, _)| *ctx == context)
            .filter_map(|(_, actions, word)| {
                let word = offer(actions[0], word)?;
                let keys: Option<Vec<String>> = actions
                    .iter()
                    .map(|a| {
                        self.bindings(context, allow_write)
                            .find(|b| b.action == *a)
                            .and_then(|b| b.keys.first())
                            .map(key_label)
                    })
                    .collect();
                Some(FooterHint {
                    keys: keys?.join("/"),
                    word,
                    action: actions[0],
                })
            })
            .collect()
    }

    /// The help's lines: every binding of every context, or only those whose keys, text or
    /// heading contain `filter` (ignoring case).
    pub fn help_lines(&self, allow_write: bool, filter: &str) -> Vec<HelpLine> {
        let needle = filter.trim().to_lowercase();
        let mut lines = Vec::new();
        for context in HELP_ORDER {
            let heading_matches = context.title().to_lowercase().contains(&needle);
            let bindings: Vec<_> = self
                .bindings(context, allow_write)
                .filter(|b| {
                    needle.is_empty()
                        || heading_matches
                        || b.label.to_lowercase().contains(&needle)
                        || b.help.to_lowercase().contains(&needle)
                })
                .collect();
            if bindings.is_empty() {
                continue;
            }
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Heading(context.title()));
            lines.extend(bindings.into_iter().map(|b| HelpLine::Binding {
                keys: b.label.to_string(),
                help: b.help,
            }));
        }
        if lines.is_empty() {
            lines.push(HelpLine::NoMatch);
        }
        lines
    }

    /// How the keys of `action` in `context` are written ("?" if unbound).
    pub fn label(&self, context: Context, action: Action) -> &str {
        self.bindings(context, true)
            .find(|b| b.action == action)
            .map_or("?", |b| &b.label)
    }

    /// The first key of `action`'s label in `context` ("Esc" of "Esc q"): what a one-line
    /// hint names ("Esc closes"), so a rebound key shows its new name there too.
    pub fn key(&self, context: Context, action: Action) -> &str {
        let label = self.label(context, action);
        label.split(' ').next().unwrap_or(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The help shows labels, not keys: a key missing from its label is a binding nobody
    /// can discover (Ctrl-R was).
    #[test]
    fn every_key_is_written_in_its_label() {
        for b in BINDINGS
            .iter()
            .filter(|b| !matches!(b.action, Action::FocusPane(_)))
        {
            let words: Vec<&str> = b.label.split_whitespace().collect();
            for k in b.keys.iter() {
                let name = key_label(k);
                assert!(
                    words.contains(&name.as_str()),
                    "{:?} {:?}: {name} is not in {:?}",
                    b.context,
                    b.action,
                    b.label
                );
            }
        }
    }

    #[test]
    fn a_key_that_is_not_one_is_refused_with_examples() {
        assert_eq!(parse_key("C-x").map(|k| k.mods), Ok(KeyModifiers::CONTROL));
        assert_eq!(
            parse_key("ctrl-").unwrap_err().to_string(),
            r#""ctrl-" is not a key (try "x", "ctrl-x", "f5", "enter")"#
        );
    }

    #[test]
    fn every_footer_hint_is_bound_in_its_context() {
        let keymap = Keymap::default();
        for (context, actions, word) in FOOTER {
            for a in *actions {
                assert!(
                    keymap.bindings(*context, true).any(|b| b.action == *a),
                    "{context:?}: {word} ({a:?}) has no binding"
                );
            }
        }
    }
}
