//! Colours and emphasis. Only the 8 basic ANSI colours, so the scheme reads the same on
//! 16-colour terminals and light or dark backgrounds; under `NO_COLOR` no colour at all,
//! with bold, reverse video and dim carrying the meaning instead.

use ratatui::style::{Color, Modifier, Style};

use crate::app::Tone;

/// The styles the view uses.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// A theme with colour, or without (NO_COLOR).
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    /// Whether `NO_COLOR` asks for no colour (any non-empty value, per no-color.org).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// Pane borders; the focused pane stands out.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }

    /// Pane titles.
    pub fn title(&self, focused: bool) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if focused {
            s.patch(self.fg(Color::Cyan))
        } else {
            s
        }
    }

    /// Row labels (attribute names, "Username", ...).
    pub fn label(&self) -> Style {
        self.fg(Color::Blue)
    }

    /// The selected row.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    /// A value or note with a meaning.
    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Normal => Style::new(),
            Tone::Good => self.fg(Color::Green),
            Tone::Warn => self.fg(Color::Yellow),
            Tone::Bad => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Tone::Dim => {
                if self.color {
                    Style::new().fg(Color::DarkGray)
                } else {
                    Style::new().add_modifier(Modifier::DIM)
                }
            }
        }
    }

    /// Keys in the footer and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The title bar.
    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Error headings.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Prompts and the spinner.
    pub fn accent(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
}
