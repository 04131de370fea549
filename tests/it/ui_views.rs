//! The views drawn on their own, without an `App`: each holds exactly what it draws, so it
//! can be built by hand, drawn into a buffer and read back.

use cognito_tui::app::{ErrorView, LineInput, Throttle};
use cognito_tui::keymap::{Action, FooterHint};
use cognito_tui::ui::{BarView, ErrorPopup, FooterView, HeaderView, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{StatefulWidget, Widget};

/// The buffer's rows as text (the test strings are single-width).
fn lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

fn draw(widget: impl Widget, width: u16, height: u16) -> Vec<String> {
    let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
    widget.render(buf.area, &mut buf);
    lines(&buf)
}

#[test]
fn the_header_gives_the_target_way_to_the_badges_and_what_is_in_flight() {
    let theme = Theme::new(false);
    let header = || HeaderView {
        pool: "acme-prod (eu-west-1_AbC123)".into(),
        target: "eu-west-1 · cognito-idp.eu-west-1.amazonaws.com".into(),
        activity: "⠋ looking up \"bob\" (auto) ".into(),
        privacy: true,
        writes: false,
        throttle: Some(Throttle {
            queued: 0,
            backing_off: true,
            category: Some("user_list"),
        }),
        syslog_down: false,
        theme: &theme,
    };
    let right = " PRIVACY   THROTTLED user_list: backing off  ⠋ looking up \"bob\" (auto) ";
    let [wide] = draw(header(), 200, 1).try_into().unwrap();
    assert!(
        wide.starts_with(
            " cognito-tui │ acme-prod (eu-west-1_AbC123) │ eu-west-1 · cognito-idp.eu-west-1"
        ),
        "{wide}"
    );
    assert!(wide.ends_with(right), "{wide}");
    assert!(!wide.contains('…'), "{wide}");
    // Narrower: the target is cut, visibly, and what is in flight stays whole.
    let [narrow] = draw(header(), 100, 1).try_into().unwrap();
    assert!(
        narrow.starts_with(" cognito-tui │ acme-prod (e…"),
        "{narrow}"
    );
    assert!(narrow.ends_with(right), "{narrow}");
}

#[test]
fn the_footer_keeps_what_fits_and_points_at_the_rest() {
    let theme = Theme::new(false);
    let hint = |keys: &str, word: &'static str| FooterHint {
        keys: keys.into(),
        word,
        action: Action::Quit,
    };
    let footer = || FooterView {
        hints: vec![
            hint("/", "look up"),
            hint("t", "search"),
            hint("b", "browse"),
        ],
        more: Some(hint("?", "more")),
        theme: &theme,
    };
    let wide: Vec<&str> = footer().fitted(80).iter().map(|h| h.word).collect();
    assert_eq!(wide, ["look up", "search", "browse", "help"]);
    let narrow: Vec<&str> = footer().fitted(24).iter().map(|h| h.word).collect();
    assert_eq!(narrow, ["look up", "more"]);
    let [line] = draw(footer(), 24, 1).try_into().unwrap();
    assert_eq!(line.trim_end(), " / look up  ? more");
}

#[test]
fn an_error_popup_is_drawn_centred_with_its_hint() {
    let theme = Theme::new(false);
    let error = ErrorView {
        title: "AdminGetUser failed".into(),
        exception: Some("UserNotFoundException".into()),
        message: "User does not exist.".into(),
        hint: Some("check the pool".into()),
    };
    let screen = draw(
        ErrorPopup::new(error, &cognito_tui::keymap::Keymap::default(), &theme),
        60,
        12,
    )
    .join("\n");
    for want in [
        " AdminGetUser failed ",
        "UserNotFoundException",
        "User does not exist.",
        "What to do: check the pool",
        "Esc dismisses · / looks up another user",
    ] {
        assert!(screen.contains(want), "{want:?} missing from\n{screen}");
    }
    // Centred: the rows above and below it are left alone.
    assert!(screen.lines().next().unwrap().trim().is_empty(), "{screen}");
}

#[test]
fn the_bar_puts_the_cursor_where_typing_goes_even_when_the_text_scrolls() {
    let theme = Theme::new(false);
    fn bar<'a>(input: &'a LineInput, theme: &'a Theme) -> BarView<'a> {
        BarView {
            input: Some(("Username › ", input)),
            notice: None,
            theme,
        }
    }
    let area = Rect::new(0, 0, 30, 1);
    let mut buf = Buffer::empty(area);
    let short = LineInput::with_text("bob");
    let mut cursor = None;
    bar(&short, &theme).render(area, &mut buf, &mut cursor);
    assert_eq!(lines(&buf)[0].trim_end(), " Username › bob");
    assert_eq!(cursor, Some(Position::new(15, 0)));

    // Longer than the line: it scrolls, and the cursor stays on the line, after the text.
    let long = LineInput::with_text(&"x".repeat(60));
    let mut buf = Buffer::empty(area);
    let mut cursor = None;
    bar(&long, &theme).render(area, &mut buf, &mut cursor);
    let line = &lines(&buf)[0];
    assert!(line.starts_with(" …x"), "{line}");
    let at = cursor.expect("a cursor");
    assert!(at.x < area.width, "{at:?}");
    assert_eq!(
        line[..].chars().nth(at.x as usize - 1),
        Some('x'),
        "{line} {at:?}"
    );

    // Nothing typed here: the cursor is left to whoever else draws an input.
    let mut cursor = Some(Position::new(3, 3));
    BarView {
        input: None,
        notice: Some("saved".into()),
        theme: &theme,
    }
    .render(area, &mut Buffer::empty(area), &mut cursor);
    assert_eq!(cursor, Some(Position::new(3, 3)));
}
