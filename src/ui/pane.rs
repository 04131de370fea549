//! A pane of rows as a widget: its border, numbered title and position, then the rows or a
//! message in their place. It holds exactly what it draws, not the whole model, so a pane
//! can be built and drawn on its own.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Padding, Paragraph, Widget};

use super::rows::{RowLayout, RowList};
use super::theme::Theme;
use crate::app::{App, Pane, Row};

/// What one pane draws.
pub struct PaneView<'a> {
    /// Which pane (its number on the border).
    pub pane: Pane,
    pub title: String,
    pub focused: bool,
    /// The selected row.
    pub cursor: usize,
    pub rows: Vec<Row>,
    pub layout: RowLayout,
    /// Drawn instead of the rows (not loaded yet, nothing matches, unavailable…).
    pub message: Option<Paragraph<'static>>,
    pub theme: &'a Theme,
}

impl<'a> PaneView<'a> {
    /// `pane` as the app has it: its rows, selection and focus, titled by its name; wrapped
    /// values beside labels up to 24 columns wide.
    pub fn of(app: &App, pane: Pane, theme: &'a Theme) -> Self {
        let rows = app.rows(pane);
        Self {
            pane,
            title: pane.title().to_string(),
            focused: app.focus() == pane,
            cursor: app.cursor(pane),
            layout: RowLayout::fitted(&rows, 24, true),
            rows,
            message: None,
            theme,
        }
    }

    /// Labels as wide as the widest (up to `max`); values wrapped or cut to one line.
    pub fn labels(mut self, max: usize, wrap: bool) -> Self {
        self.layout = RowLayout::fitted(&self.rows, max, wrap);
        self
    }

    /// The border, with " 1 Title " on top and " row/rows " at the bottom right.
    fn block(&self) -> Block<'static> {
        let focused = self.focused;
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_type(if focused {
                BorderType::Thick
            } else {
                BorderType::Plain
            })
            .border_style(self.theme.border(focused))
            .padding(Padding::horizontal(1))
            .title(Span::styled(
                format!(" {} {} ", self.pane.index() + 1, self.title),
                self.theme.title(focused),
            ));
        let len = self.rows.len();
        if len > 0 {
            let position = self.cursor.min(len - 1) + 1;
            block = block.title_bottom(Line::from(format!(" {position}/{len} ")).right_aligned());
        }
        block
    }
}

impl Widget for PaneView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = self.block();
        let inner = block.inner(area);
        block.render(area, buf);
        match self.message {
            Some(message) => message.render(inner, buf),
            None => RowList {
                rows: &self.rows,
                cursor: self.cursor,
                focused: self.focused,
                layout: self.layout,
                theme: self.theme,
            }
            .render(inner, buf),
        }
    }
}
