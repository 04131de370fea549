//! The screens before a user is shown: the welcome (the keys that find one) and the pool that
//! can't be used.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::app::{App, ErrorView};
use crate::cognito::lookup::LookupMode;
use crate::keymap::{Action, Context};

use super::{Theme, first_key, hint_line, keys_for};

/// What the first screen draws before any user is loaded: the keys that find one.
pub struct WelcomeView<'a> {
    /// The keys of search, browse, the pool picker and the all-pools lookup, as the binding
    /// table in use has them.
    pub search: &'a str,
    pub browse: &'a str,
    pub pools: &'a str,
    pub all_pools: &'a str,
    /// The lookup keys (`/`, by username, by alias, by sub), then recent lookups, help, quit.
    pub lookups: [&'a str; 4],
    pub recent: &'a str,
    pub help: &'a str,
    pub quit: &'a str,
    /// The demo pool: name a few users to try.
    pub demo: bool,
    pub theme: &'a Theme,
}

impl<'a> WelcomeView<'a> {
    /// The first screen as the app is now.
    pub fn of(app: &'a App, theme: &'a Theme) -> Self {
        Self {
            search: keys_for(app, Context::Main, Action::Search),
            browse: keys_for(app, Context::Main, Action::Browse),
            pools: keys_for(app, Context::Main, Action::Pools),
            all_pools: keys_for(app, Context::Main, Action::AllPools),
            lookups: [
                LookupMode::Auto,
                LookupMode::Username,
                LookupMode::Alias,
                LookupMode::Sub,
            ]
            .map(|mode| first_key(app, Context::Main, Action::OpenLookup(mode))),
            recent: first_key(app, Context::Main, Action::Recent),
            help: first_key(app, Context::Main, Action::Help),
            quit: first_key(app, Context::Main, Action::Quit),
            demo: app.demo(),
            theme,
        }
    }
}

impl Widget for WelcomeView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(" No user loaded ", theme.title(true)));
        let inner = block.inner(area);
        block.render(area, buf);
        let key = |k: &str| Span::styled(format!("{k:>3}  "), theme.key());
        let mut lines = vec![
            Line::from(""),
            Line::from(vec![
                key(self.lookups[0]),
                Span::raw("look up a user: username, email, phone, preferred_username or sub"),
            ]),
            Line::from(vec![key(self.lookups[1]), Span::raw("by username only")]),
            Line::from(vec![
                key(self.lookups[2]),
                Span::raw("by alias: email, phone number or preferred_username"),
            ]),
            Line::from(vec![
                key(self.lookups[3]),
                Span::raw("by sub (the user's UUID)"),
            ]),
            Line::from(vec![
                key(self.search),
                Span::raw("type-ahead search: usernames, emails, names, phones as you type"),
            ]),
            Line::from(vec![
                key(self.browse),
                Span::raw("browse the pool with a fuzzy filter"),
            ]),
            Line::from(vec![key(self.pools), Span::raw("choose another user pool")]),
            Line::from(vec![
                key(self.all_pools),
                Span::raw("which pool is a user in? a lookup in every named pool"),
            ]),
            Line::from(vec![key(self.recent), Span::raw("recent lookups")]),
            Line::from(vec![key(self.help), Span::raw("every key binding")]),
            Line::from(vec![key(self.quit), Span::raw("quit")]),
        ];
        if self.demo {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "  Demo pool: try alice, ally, bob@acme.example, shared@acme.example or mallory",
                theme.tone(crate::app::Tone::Dim),
            )));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

/// What the first screen draws when DescribeUserPool found no such pool (or could not be
/// asked): why, and the keys that get out of it.
pub struct PoolProblemView<'a> {
    pub problem: &'a ErrorView,
    /// The keys of the pool picker and of quit, as the binding table in use has them.
    pub pools: &'a str,
    pub quit: &'a str,
    /// The key of a lookup (`/`).
    pub lookup: &'a str,
    pub theme: &'a Theme,
}

impl<'a> PoolProblemView<'a> {
    /// `problem` with the app's keys.
    pub fn of(app: &'a App, problem: &'a ErrorView, theme: &'a Theme) -> Self {
        Self {
            problem,
            pools: keys_for(app, Context::Main, Action::Pools),
            quit: keys_for(app, Context::Main, Action::Quit),
            lookup: first_key(app, Context::Main, Action::OpenLookup(LookupMode::Auto)),
            theme,
        }
    }
}

impl Widget for PoolProblemView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (problem, theme) = (self.problem, self.theme);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.error())
            .padding(ratatui::widgets::Padding::horizontal(1))
            .title(Span::styled(format!(" {} ", problem.title), theme.error()));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = vec![Line::from("")];
        if let Some(exception) = &problem.exception {
            lines.push(Line::from(Span::styled(exception.clone(), theme.error())));
        }
        lines.push(Line::from(problem.message.clone()));
        if let Some(hint) = &problem.hint {
            lines.push(Line::from(""));
            lines.push(hint_line(hint, theme));
        }
        lines.push(Line::from(""));
        let key = |k: &str| Span::styled(format!("{k:>3}  "), theme.key());
        lines.push(Line::from(vec![
            key(self.pools),
            Span::raw("choose another pool (or type its id)"),
        ]));
        lines.push(Line::from(vec![
            key(self.lookup),
            Span::raw("look a user up here anyway"),
        ]));
        lines.push(Line::from(vec![key(self.quit), Span::raw("quit")]));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
