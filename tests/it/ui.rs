//! The dashboard as a user sees it: snapshots at common sizes, and random key
//! sequences with random resizes that must always draw.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use learndeck::action::{KEYS, Key};
use learndeck::app::App;
use learndeck::config::{Config, Language};
use learndeck::headless::render_text;
use learndeck::lesson::ParamValue;
use learndeck::lessons::REGISTRY;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::dashboard::{app_on, app_with, press};

fn steps(app: &mut App, n: usize) {
    for _ in 0..n {
        press(app, KeyCode::Char('n'));
    }
}

/// A lesson part-way through a run, as a user sees it: snapshot
/// `{id}_{moment}_{w}x{h}` at every size listed.
struct Shot {
    id: &'static str,
    moment: &'static str,
    steps: u64,
    sizes: &'static [(u16, u16)],
}

const SMALL_AND_LARGE: &[(u16, u16)] = &[(80, 24), (160, 48)];

const fn shot(id: &'static str, moment: &'static str, steps: u64) -> Shot {
    Shot {
        id,
        moment,
        steps,
        sizes: SMALL_AND_LARGE,
    }
}

const SHOTS: &[Shot] = &[
    shot("knapsack", "mid_run", 20),
    Shot {
        id: "knapsack",
        moment: "finished",
        steps: 200,
        sizes: &[(160, 48)],
    },
    shot("optim", "mid_run", 300),
    shot("heap", "mid_run", 20),
    shot("sorts", "mid_run", 60),
    shot("maxgap", "mid_run", 25),
    shot("combsum", "mid_run", 14),
    shot("precision", "mid_run", 200),
    shot("medusa", "mid_run", 8),
    shot("mtp", "mid_run", 6),
    shot("map", "mid_run", 18),
    shot("score", "mid_run", 600),
    shot("sde", "mid_run", 250),
];

#[test]
fn lessons_mid_run_at_common_sizes() {
    for &Shot {
        id,
        moment,
        steps,
        sizes,
    } in SHOTS
    {
        let mut app = app_on(id);
        app.advance(steps);
        for &(width, height) in sizes {
            insta::assert_snapshot!(
                format!("{id}_{moment}_{width}x{height}"),
                render_text(&mut app, width, height)
            );
        }
    }
}

#[test]
fn knapsack_one_row_forward_80x24() {
    let settings = [("mode", "1d"), ("order", "forward")];
    let mut app = app_with("knapsack", Language::En, &settings);
    steps(&mut app, 12);
    insta::assert_snapshot!(render_text(&mut app, 80, 24));
}

/// An exact fill where a cell cannot be reached (step 22 writes f[2][10] =
/// −∞) and at its end, in both languages at the two common sizes.
#[test]
fn knapsack_exact_fill_unreachable_and_finished() {
    for (lang, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
        let mut app = app_with("knapsack", lang, &[("fill", "exact")]);
        app.advance(22);
        for (width, height) in [(80, 24), (120, 36)] {
            insta::assert_snapshot!(
                format!("knapsack_exact_unreachable_{tag}_{width}x{height}"),
                render_text(&mut app, width, height)
            );
        }
        app.advance(200);
        for (width, height) in [(80, 24), (120, 36)] {
            insta::assert_snapshot!(
                format!("knapsack_exact_finished_{tag}_{width}x{height}"),
                render_text(&mut app, width, height)
            );
        }
    }
}

#[test]
fn help_and_explanation_80x24() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help", render_text(&mut app, 80, 24));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Char('L'));
    insta::assert_snapshot!("explanation_zh", render_text(&mut app, 80, 24));
}

#[test]
fn optim_divergence_is_reported_per_optimizer() {
    let settings = [
        ("surface", "rosenbrock"),
        ("lr", "1"),
        ("optimizers", "sgd,adam"),
    ];
    let mut app = app_with("optim", Language::En, &settings);
    app.advance(40);
    let screen = render_text(&mut app, 160, 48);
    assert!(screen.contains("sgd diverged at step"), "{screen}");
    assert!(!screen.contains("adam diverged"), "{screen}");
}

#[test]
fn a_learned_score_shows_its_training_first() {
    let mut config = Config::builtin().expect("valid");
    config.ui.language = Language::En;
    for set in config
        .lessons
        .iter_mut()
        .filter(|s| ["score", "sde"].contains(&s.lesson()))
    {
        set.set_text("score", "learned").expect("valid");
        set.set_text("train_steps", "30").expect("valid");
        set.set_text("particles", "200").expect("valid");
    }
    for lesson in ["score", "sde"] {
        let mut app = App::new(&config, Some(lesson), true).expect("builds");
        app.advance(10);
        let screen = render_text(&mut app, 160, 48);
        assert!(screen.contains("training loss"), "{screen}");
        assert!(screen.contains("learned score: error"), "{screen}");
        app.advance(40);
        let screen = render_text(&mut app, 160, 48);
        assert!(
            !screen.contains("learned score: error"),
            "sampling has started: {screen}"
        );
    }
}

#[test]
fn the_footer_always_offers_the_explanation_help_and_quit() {
    for lesson in REGISTRY {
        let mut app = app_on(lesson.id);
        for width in [60, 80, 100, 160] {
            let screen = render_text(&mut app, width, 30);
            let footer = screen.lines().last().unwrap_or_default();
            assert!(
                footer.contains("e explain")
                    && footer.contains("? help")
                    && footer.contains("q quit"),
                "{} at {width}: {footer}",
                lesson.id
            );
        }
    }
}

#[test]
fn help_that_does_not_fit_pages_with_pgdn_and_closes_on_any_other_key() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('?'));
    let first = render_text(&mut app, 80, 24);
    assert!(first.contains("PgDn PgUp"), "{first}");
    assert!(first.contains("next lesson"), "{first}");
    // Whole descriptions, not cut at a narrow column.
    assert!(first.contains("go to a lesson by id"), "{first}");
    for _ in 0..5 {
        press(&mut app, KeyCode::PageDown);
    }
    let last = render_text(&mut app, 80, 24);
    assert!(app.show_help);
    assert!(last.contains("Progress:"), "the last line shows: {last}");
    press(&mut app, KeyCode::PageUp);
    assert!(app.show_help);
    press(&mut app, KeyCode::Char('x'));
    assert!(!app.show_help);
    // At 160×48 it fits whole: no paging.
    press(&mut app, KeyCode::Char('?'));
    let whole = render_text(&mut app, 160, 48);
    assert!(whole.contains("any key closes"), "{whole}");
    assert!(whole.contains("Progress:"), "{whole}");
}

#[test]
fn too_small_says_how_large_it_must_be() {
    let mut app = app_on("knapsack");
    let text = render_text(&mut app, 40, 10);
    insta::assert_snapshot!(text);
    assert!(text.contains("at least"));
}

#[test]
fn too_small_in_chinese_draws_even_one_or_two_columns_wide() {
    // A two-column character cannot fit in one column; centring it must not
    // draw outside the buffer.
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('L'));
    for width in 1..=4 {
        for height in [1, 13] {
            render_text(&mut app, width, height);
        }
    }
    assert!(render_text(&mut app, 40, 10).contains("至少"));
}

#[test]
fn typing_a_bad_value_keeps_the_old_one_and_says_why() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down); // capacity
    press(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    for c in "-3".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let error = app
        .editor
        .as_ref()
        .and_then(|e| e.error.clone())
        .map(|e| e.en);
    assert_eq!(
        error.as_deref(),
        Some("lesson.knapsack.capacity: -3 is below the minimum 0")
    );
    assert_eq!(app.tab().params.get("capacity"), Some(&ParamValue::Int(10)));
    let screen = render_text(&mut app, 80, 24);
    assert!(screen.contains("below the minimum 0"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(app.editor.is_none());
}

#[test]
fn a_long_refusal_is_shown_whole_in_a_narrow_input_box() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Enter); // weights
    press(&mut app, KeyCode::End); // keep the old list, add to it
    for c in ",x".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let error = app
        .editor
        .as_ref()
        .and_then(|e| e.error.clone())
        .expect("refused")
        .en;
    let screen = render_text(&mut app, 80, 24);
    // Wrapped over several lines of the box: every word of it is on screen,
    // in order.
    let on_screen: Vec<&str> = screen
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect();
    let words: Vec<&str> = error.split_whitespace().collect();
    assert!(words.len() > 10, "{error}");
    assert!(
        on_screen
            .windows(words.len())
            .any(|w| w == words.as_slice()),
        "{error}\n{screen}"
    );
}

#[test]
fn mismatched_lists_wait_as_pending_until_they_agree() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Enter); // weights
    press(&mut app, KeyCode::End);
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    press(&mut app, KeyCode::Enter); // 2,4,5,6
    assert!(app.tab().pending.is_some());
    assert_eq!(
        app.tab().params.get("weights"),
        Some(&ParamValue::IntList(vec![2, 4, 5, 6, 7]))
    );
    let screen = render_text(&mut app, 80, 24);
    assert!(screen.contains("5 values for 4 weights"), "{screen}");
    press(&mut app, KeyCode::Down); // values
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::End);
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    press(&mut app, KeyCode::Enter); // 5,8,7,10
    assert!(app.tab().pending.is_none());
    assert_eq!(
        app.tab().params.get("weights"),
        Some(&ParamValue::IntList(vec![2, 4, 5, 6]))
    );
    assert_eq!(
        app.tab().params.get("values"),
        Some(&ParamValue::IntList(vec![5, 8, 7, 10]))
    );
}

#[test]
fn stepping_back_retraces_every_step() {
    let mut app = app_on("knapsack");
    let before = render_text(&mut app, 80, 24);
    steps(&mut app, 30);
    for _ in 0..30 {
        press(&mut app, KeyCode::Char('p'));
    }
    let notice_free = {
        app.notice = None;
        render_text(&mut app, 80, 24)
    };
    // All but the step bar (third row from the bottom), which still marks
    // the key moments this run has passed.
    let without_bar = |screen: &str| {
        let mut rows: Vec<&str> = screen.lines().collect();
        let bar = rows.remove(rows.len() - 3);
        (rows.join("\n"), bar.to_string())
    };
    let (now, bar_now) = without_bar(&notice_free);
    let (start, bar_start) = without_bar(&before);
    assert_eq!(now, start);
    let marks = |bar: &str| bar.matches('◆').count();
    assert!(
        marks(&bar_now) > marks(&bar_start),
        "{bar_start}\n{bar_now}"
    );
}

#[test]
fn clicking_a_tab_opens_it() {
    let mut app = app_on("knapsack");
    render_text(&mut app, 80, 24);
    let click = |column| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row: 0,
            modifiers: KeyModifiers::NONE,
        })
    };
    let titles: Vec<&str> = REGISTRY.iter().map(|e| e.title.en).collect();
    let slots = learndeck::ui::layout::layout(&titles, app.active, 80);
    let other = slots
        .iter()
        .find(|s| s.index != app.active)
        .expect("another tab is visible at 80 columns");
    assert!(app.handle_event(&click(other.x + other.width / 2)));
    assert_eq!(app.active, other.index);
}

#[test]
fn a_click_while_typing_a_value_changes_no_lesson() {
    let mut app = app_on("knapsack");
    render_text(&mut app, 80, 24);
    press(&mut app, KeyCode::Enter);
    let titles: Vec<&str> = REGISTRY.iter().map(|e| e.title.en).collect();
    let other = learndeck::ui::layout::layout(&titles, app.active, 80)
        .into_iter()
        .find(|s| s.index != app.active)
        .expect("another tab is visible at 80 columns");
    assert!(!app.handle_event(&click_at(other.x, 0)));
    assert!(!app.handle_event(&click_at(79, 0)));
    assert_eq!(app.tab().entry.id, "knapsack");
    assert!(app.editor.is_some());
}

#[test]
fn clicking_a_scroll_mark_opens_the_nearest_hidden_lesson() {
    let mut app = app_on("score");
    render_text(&mut app, 80, 24);
    let titles: Vec<&str> = REGISTRY.iter().map(|e| e.title.en).collect();
    // Click › until the last lesson, "Combination sum", is open.
    for _ in 0..REGISTRY.len() {
        if app.active + 1 == REGISTRY.len() {
            break;
        }
        let before = app.active;
        let hidden_right = learndeck::ui::layout::layout(&titles, before, 80)
            .last()
            .map_or(0, |slot| slot.index + 1);
        assert!(app.handle_event(&click_at(79, 0)));
        assert_eq!(app.active, hidden_right, "› opens the nearest hidden");
    }
    assert_eq!(app.tab().entry.id, "combsum");
    let screen = render_text(&mut app, 80, 24);
    assert!(screen.starts_with('‹'), "{screen}");
    // ‹ goes back the same way.
    let first_shown = learndeck::ui::layout::layout(&titles, app.active, 80)
        .first()
        .map_or(0, |slot| slot.index);
    assert!(app.handle_event(&click_at(0, 0)));
    assert_eq!(app.active, first_shown - 1);
}

fn click_at(column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// Every key the table lists, plus typing keys and keys it does not bind.
fn key_events() -> Vec<KeyEvent> {
    let mut events: Vec<KeyEvent> = KEYS
        .iter()
        .flat_map(|binding| binding.keys.iter())
        .filter_map(|key| match key {
            Key::Char(c) => Some(KeyEvent::new(KeyCode::Char(*c), KeyModifiers::NONE)),
            Key::Code(code) => Some(KeyEvent::new(*code, KeyModifiers::NONE)),
            // Ctrl-C would end the run at once; it is tested on its own.
            Key::Ctrl(_) | Key::ClickTab | Key::ClickMore | Key::Paste => None,
            Key::Typed => Some(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE)),
            Key::Digits => Some(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE)),
        })
        .collect();
    for c in ['0', '1', '9', ',', 'x', '-', ' '] {
        events.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    for code in [
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::F(5),
    ] {
        events.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    // The input line's own keys.
    for c in ['u', 'w', 'k'] {
        events.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    events
}

#[derive(Clone, Debug)]
enum Input {
    Key(usize),
    Paste(String),
    Resize(u16, u16),
    Click(u16, u16),
    Play(u64),
}

fn input() -> impl Strategy<Value = Input> {
    let keys = key_events().len();
    prop_oneof![
        8 => (0..keys).prop_map(Input::Key),
        1 => "[ -~\n\t\u{1b}中]{0,40}".prop_map(Input::Paste),
        1 => prop_oneof![Just((0u16, 0u16)), Just((1, 1)), (0u16..200, 0u16..60)]
            .prop_map(|(w, h)| Input::Resize(w, h)),
        1 => (0u16..200, 0u16..60).prop_map(|(x, y)| Input::Click(x, y)),
        1 => (0u64..500).prop_map(Input::Play),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_and_sizes_always_draw(
        lesson in 0..REGISTRY.len(),
        inputs in prop::collection::vec(input(), 1..120),
    ) {
        let keys = key_events();
        let mut app = app_on(REGISTRY[lesson].id);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
        for input in inputs {
            match input {
                Input::Key(at) => {
                    app.handle_event(&Event::Key(keys[at]));
                }
                Input::Paste(text) => {
                    app.handle_event(&Event::Paste(text));
                }
                Input::Resize(w, h) => {
                    terminal.backend_mut().resize(w, h);
                    app.handle_event(&Event::Resize(w, h));
                }
                Input::Click(x, y) => {
                    app.handle_event(&Event::Mouse(MouseEvent {
                        kind: MouseEventKind::Down(MouseButton::Left),
                        column: x,
                        row: y,
                        modifiers: KeyModifiers::NONE,
                    }));
                }
                Input::Play(n) => {
                    app.advance(n);
                }
            }
            if app.should_quit {
                break;
            }
            terminal
                .draw(|frame| learndeck::ui::draw(&app, frame))
                .expect("every draw succeeds");
        }
    }
}

/// The text rows of the explanation pane on `screen` (below the line that
/// separates them from the pseudocode), without the pane's borders.
fn explanation_rows(screen: &str) -> Vec<String> {
    let rows: Vec<&str> = screen.lines().collect();
    // In display columns, not bytes or characters: the lesson left of the
    // pane draws `·` and `▶`, and in Chinese two-column characters.
    use unicode_width::UnicodeWidthChar;
    let left = rows
        .iter()
        .find_map(|row| {
            row.split_once("┌ explanation")
                .or_else(|| row.split_once("┌ 讲解"))
        })
        .map(|(before, _)| unicode_width::UnicodeWidthStr::width(before))
        .expect("the explanation pane is open");
    let inside: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut column = 0;
            row.chars()
                .skip_while(|c| {
                    let inside_pane = column > left;
                    column += c.width().unwrap_or(0);
                    !inside_pane
                })
                .collect::<String>()
                .trim_end()
                .trim_end_matches('│')
                .trim_end()
                .to_string()
        })
        .collect();
    let separator = inside
        .iter()
        .position(|row| !row.is_empty() && row.chars().all(|c| c == '─'))
        .expect("the pane separates pseudocode from text");
    let bottom = inside
        .iter()
        .rposition(|row| row.starts_with('─'))
        .expect("the pane's bottom border");
    inside[separator + 1..bottom].to_vec()
}

#[test]
fn paging_through_the_explanation_stops_at_its_last_line_and_returns() {
    for (width, height) in [(80, 24), (120, 36), (160, 48)] {
        let mut app = app_on("knapsack");
        press(&mut app, KeyCode::Char('e'));
        let first = render_text(&mut app, width, height);
        let source = learndeck::lesson::explanation_section(app.tab().entry.explanation, "en");
        let last_word = source.split_whitespace().last().expect("text");
        let mut rows = explanation_rows(&first);
        let mut pages = 0;
        loop {
            press(&mut app, KeyCode::PageDown);
            let next = explanation_rows(&render_text(&mut app, width, height));
            if next == rows {
                break;
            }
            // One page on, with the last line of the page before kept on
            // top; the last page stops short, so the pane stays full.
            let at_end = next.last().is_some_and(|row| row.ends_with(last_word));
            assert!(
                next.first() == rows.last() || (at_end && next.contains(&rows[rows.len() - 1])),
                "{width}×{height}: {rows:#?} then {next:#?}"
            );
            rows = next;
            pages += 1;
            assert!(pages < 100, "PgDn never stops");
        }
        assert!(
            pages > 0,
            "the text is longer than one pane at {width}×{height}"
        );
        let bottom = rows.last().expect("rows");
        assert!(bottom.ends_with(last_word), "{width}×{height}: {rows:#?}");
        let at_end = rows.clone();
        for _ in 0..pages {
            press(&mut app, KeyCode::PageUp);
        }
        assert_eq!(render_text(&mut app, width, height), first);
        press(&mut app, KeyCode::End);
        assert_eq!(
            explanation_rows(&render_text(&mut app, width, height)),
            at_end
        );
        press(&mut app, KeyCode::Home);
        assert_eq!(render_text(&mut app, width, height), first);
    }
}

#[test]
fn the_explanation_is_clamped_on_resize_and_starts_over_in_another_language() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('e'));
    render_text(&mut app, 80, 24);
    press(&mut app, KeyCode::End);
    render_text(&mut app, 80, 24);
    // Taller, the pane holds more: its last row is still the text's last line.
    let rows = explanation_rows(&render_text(&mut app, 160, 48));
    assert!(
        rows.last().is_some_and(|row| row.ends_with("work.")),
        "{rows:#?}"
    );
    // PgUp acts on the clamped position at once.
    let top = app.explain_scroll.top();
    press(&mut app, KeyCode::PageUp);
    assert!(app.explain_scroll.top() < top);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Char('L'));
    assert_eq!(app.explain_scroll.top(), 0);
    let zh = explanation_rows(&render_text(&mut app, 160, 48));
    assert!(zh[0].starts_with("有 n 件物品"), "{zh:#?}");
}

#[test]
fn scroll_keys_with_the_explanation_closed_say_how_to_open_it() {
    let mut app = app_on("knapsack");
    let before = app.explain_scroll.top();
    for key in [
        KeyCode::PageDown,
        KeyCode::End,
        KeyCode::Home,
        KeyCode::PageUp,
    ] {
        press(&mut app, key);
        assert_eq!(app.explain_scroll.top(), before);
        let notice = app.notice.as_ref().map(|n| n.text.en.as_str());
        assert!(notice.is_some_and(|n| n.starts_with("e opens the explanation")));
    }
}

#[test]
fn medusa_explanation_lists_160x48() {
    let mut app = app_on("medusa");
    press(&mut app, KeyCode::Char('e'));
    render_text(&mut app, 160, 48);
    press(&mut app, KeyCode::PageDown);
    insta::assert_snapshot!(render_text(&mut app, 160, 48));
}

fn ctrl(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn editor_text(app: &App) -> String {
    app.editor
        .as_ref()
        .map(|e| e.text().to_string())
        .unwrap_or_default()
}

#[test]
fn the_input_line_80x24() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Enter); // weights, opened selected
    insta::assert_snapshot!("input_line_selected", render_text(&mut app, 80, 24));
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right);
    typed(&mut app, "9");
    insta::assert_snapshot!("input_line_editing", render_text(&mut app, 80, 24));
}

/// The cells of the input line's row: the row holding the `> ` prompt.
fn input_row(buf: &ratatui::buffer::Buffer) -> Vec<&ratatui::buffer::Cell> {
    let width = usize::from(buf.area.width);
    let rows: Vec<&[ratatui::buffer::Cell]> = buf.content().chunks(width).collect();
    let row = rows
        .iter()
        .find(|row| {
            row.windows(2)
                .any(|w| w[0].symbol() == ">" && w[1].symbol() == " ")
        })
        .expect("the input line is drawn");
    row.iter().collect()
}

fn draw(app: &App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    learndeck::ui::render(app, area, &mut buf);
    buf
}

#[test]
fn the_selection_and_the_cursor_are_drawn_where_they_are() {
    use ratatui::style::Modifier;
    let mut app = app_on("knapsack");
    app.size = ratatui::layout::Size::new(80, 24);
    press(&mut app, KeyCode::Enter);
    let buf = draw(&app, 80, 24);
    let row = input_row(&buf);
    let value: Vec<&&ratatui::buffer::Cell> = row
        .iter()
        .skip_while(|c| c.symbol() != ">")
        .skip(2)
        .take("2,4,5,6,7".len())
        .collect();
    let text: String = value.iter().map(|c| c.symbol()).collect();
    assert_eq!(text, "2,4,5,6,7");
    // Selected whole (reversed in the colourless theme the tests draw with).
    assert!(
        value
            .iter()
            .all(|c| c.modifier.contains(Modifier::REVERSED))
    );
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right);
    let buf = draw(&app, 80, 24);
    let row = input_row(&buf);
    let reversed: Vec<&str> = row
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .map(|c| c.symbol())
        .collect();
    // Only the cursor is reversed now, on the second character.
    assert_eq!(reversed, [","]);
}

#[test]
fn a_long_value_scrolls_so_the_cursor_stays_in_the_box() {
    use ratatui::style::Modifier;
    let mut app = app_on("sorts");
    let data = app
        .tab()
        .shown_params()
        .index_of("data")
        .expect("sorts' list");
    for _ in 0..data {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let list: Vec<String> = (100..400).map(|n| n.to_string()).collect();
    app.handle_event(&Event::Paste(list.join(",")));
    for (at_end, moves) in [(true, 0), (false, 600)] {
        for _ in 0..moves {
            press(&mut app, KeyCode::Left);
        }
        let buf = draw(&app, 80, 24);
        let row = input_row(&buf);
        let cursor: Vec<usize> = row
            .iter()
            .enumerate()
            .filter(|(_, c)| c.modifier.contains(Modifier::REVERSED))
            .map(|(at, _)| at)
            .collect();
        assert_eq!(cursor.len(), 1, "one cursor cell");
        let shown: String = row.iter().map(|c| c.symbol()).collect();
        if at_end {
            assert!(shown.contains(",398,399 "), "{shown}");
        } else {
            // 600 characters back from the end of "100,…,399" (1,199 of them).
            assert_eq!(app.editor.as_ref().map(|e| e.cursor()), Some(599));
            assert!(
                row[cursor[0]].symbol() == &list.join(",")[599..600],
                "{shown}"
            );
        }
    }
}

#[test]
fn ctrl_u_then_typing_sets_a_new_value() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down); // capacity
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Left); // keep the old value…
    ctrl(&mut app, 'u'); // …then delete to the start: "0" is left
    assert_eq!(editor_text(&app), "0");
    ctrl(&mut app, 'k');
    assert_eq!(editor_text(&app), "");
    typed(&mut app, "37");
    press(&mut app, KeyCode::Enter);
    assert!(app.editor.is_none());
    assert_eq!(app.tab().params.get("capacity"), Some(&ParamValue::Int(37)));
}

#[test]
fn typing_over_the_selection_replaces_the_old_value() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Enter); // weights 2,4,5,6,7
    typed(&mut app, "3,4,2");
    assert_eq!(editor_text(&app), "3,4,2");
    ctrl(&mut app, 'w');
    assert_eq!(editor_text(&app), "3,4,");
}

#[test]
fn a_value_wrong_on_its_own_stays_in_the_input_line() {
    let mut app = app_on("heap");
    press(&mut app, KeyCode::Down); // ops
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "frob:3");
    press(&mut app, KeyCode::Enter);
    let error = app
        .editor
        .as_ref()
        .and_then(|e| e.error.clone())
        .map(|e| e.en);
    assert_eq!(
        error.as_deref(),
        Some(
            "lesson.heap.ops: operation 1: 'frob:3' is not an operation; \
             use push:N, pop, pushpop:N, replace:N or sort"
        )
    );
    assert!(app.tab().pending.is_none(), "not a pending edit");
    assert_eq!(editor_text(&app), "frob:3");
}

#[test]
fn five_weights_and_four_values_wait_as_pending_in_either_order() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Down); // values first: 5,8,7,10
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "5,8,7,10");
    press(&mut app, KeyCode::Enter);
    assert!(app.editor.is_none(), "{:?}", app.editor);
    assert!(app.tab().pending.is_some());
    press(&mut app, KeyCode::Up); // then weights: 2,4,5,6
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "2,4,5,6");
    press(&mut app, KeyCode::Enter);
    assert!(app.tab().pending.is_none());
    assert_eq!(
        app.tab().params.get("values"),
        Some(&ParamValue::IntList(vec![5, 8, 7, 10]))
    );
}

#[test]
fn a_paste_past_the_parameters_limits_is_refused_on_enter_and_kept() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Enter); // weights: at most 40 entries
    let list = vec!["3"; 5_000].join(",");
    assert!(app.handle_event(&Event::Paste(format!("{list}\n"))));
    assert_eq!(editor_text(&app), list, "the trailing newline is dropped");
    press(&mut app, KeyCode::Enter);
    let error = app
        .editor
        .as_ref()
        .and_then(|e| e.error.clone())
        .expect("refused")
        .en;
    assert_eq!(
        error,
        "lesson.knapsack.weights: 5000 entries, but 1 to 40 are allowed"
    );
    assert_eq!(editor_text(&app), list, "still there to be fixed");
    assert_eq!(
        app.tab().params.get("weights"),
        Some(&ParamValue::IntList(vec![2, 4, 5, 6, 7]))
    );
}

#[test]
fn a_paste_outside_the_input_line_changes_nothing_and_fires_nothing() {
    let mut app = app_on("knapsack");
    steps(&mut app, 3);
    let before = (
        app.active,
        app.lesson().steps(),
        app.tab().params.clone(),
        app.playing,
        app.show_help,
        app.show_explain,
        app.speed,
    );
    // Every character here is a command when typed: next lesson, quit, …
    assert!(app.handle_event(&Event::Paste("\t1q ?e+rR".to_string())));
    let after = (
        app.active,
        app.lesson().steps(),
        app.tab().params.clone(),
        app.playing,
        app.show_help,
        app.show_explain,
        app.speed,
    );
    assert_eq!(before, after);
    assert!(!app.should_quit);
    assert!(app.editor.is_none());
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.en.as_str()),
        Some(learndeck::app::PASTE_NOWHERE.en)
    );
}

#[test]
fn g_and_a_prefix_open_any_lesson() {
    let mut app = app_on("knapsack");
    typed(&mut app, "gc");
    assert_eq!(app.tab().entry.id, "combsum", "one match opens at once");
    // The rest of the id is absorbed, not read as commands.
    typed(&mut app, "ombsum");
    assert!(app.goto.is_none());
    typed(&mut app, "gsc");
    assert_eq!(app.tab().entry.id, "score");
    // Typing the whole id: its `r` and `e` reset nothing, open no pane.
    typed(&mut app, "ore");
    assert!(!app.show_explain);
    assert!(app.goto.is_none());
    // Enter opens the first of several matches; Esc cancels.
    typed(&mut app, "gm");
    let footer = render_text(&mut app, 80, 24);
    let footer = footer.lines().last().unwrap_or_default();
    assert!(footer.contains("go to: m"), "{footer}");
    assert!(footer.contains("medusa mtp map maxgap"), "{footer}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab().entry.id, "medusa");
    typed(&mut app, "gh");
    assert_eq!(app.tab().entry.id, "heap");
    press(&mut app, KeyCode::Esc);
    assert!(app.goto.is_none());
    typed(&mut app, "gx");
    let footer = render_text(&mut app, 80, 24);
    assert!(footer.contains("no lesson id starts with x"), "{footer}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.tab().entry.id, "heap");
    // A key the prompt does not read closes it and acts as usual.
    typed(&mut app, "g");
    press(&mut app, KeyCode::Tab);
    assert!(app.goto.is_none());
    assert_eq!(app.tab().entry.id, "sorts");
}

#[test]
fn every_lesson_is_one_g_prefix_away() {
    for (at, entry) in REGISTRY.iter().enumerate() {
        let mut app = app_on("knapsack");
        // The whole id: the prompt closes by itself when it is complete.
        typed(&mut app, &format!("g{}", entry.id));
        assert_eq!(app.active, at, "{}", entry.id);
        assert!(app.goto.is_none());
        assert!(!app.show_explain && app.editor.is_none());
    }
}
