//! Mutated input never panics: config files, `--set` values and the `map`
//! data files either load or come back as an error message. Each case runs
//! the library under `catch_unwind`, so a panic fails with the input shown.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use learndeck::app::App;
use learndeck::config::{self, BUILTIN, Config, Language};
use learndeck::lessons::REGISTRY;
use learndeck::lessons::map::data;
use proptest::prelude::*;

/// Steps a lesson built from fuzzed settings takes before it reports.
const STEPS: usize = 20;
/// Characters that matter to TOML, to numbers and to our list syntax.
const NASTY: &[&str] = &[
    "=",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    ",",
    ".",
    "-",
    "+",
    "e",
    "E",
    "0",
    "9",
    "\n",
    "#",
    " ",
    "inf",
    "nan",
    "1e308",
    "-1e308",
    "99999999999999999999",
    "true",
    "[[",
    "]]",
    "\u{0}",
    "\u{ff}",
    "中",
    "ﬀ",
    "\\",
    "\"\"\"",
];
/// COCO files small enough to mutate everywhere.
const COCO_GT: &str = r#"{"images":[{"id":1},{"id":2}],"annotations":[{"image_id":1,"category_id":3,"bbox":[0,0,10,10],"iscrowd":0},{"image_id":2,"category_id":3,"bbox":[5,5,4,4],"iscrowd":1}],"categories":[{"id":3,"name":"cat"}]}"#;
const COCO_DET: &str = r#"[{"image_id":1,"category_id":3,"bbox":[0,0,10,10],"score":0.5},{"image_id":2,"category_id":3,"bbox":[1,1,3,3],"score":0.9}]"#;
const MAP_TOML: &str = include_str!("../../assets/data/detections.toml");

#[derive(Clone, Debug)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: &'static str },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), prop::sample::select(NASTY))
            .prop_map(|(at, text)| Edit::Insert { at, text }),
        (any::<usize>(), 1usize..80).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

/// Applies `edits` to `text` at character positions (taken modulo its length).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let spot = |at: usize, chars: &Vec<char>| at % (chars.len() + 1);
        match edit {
            Edit::Delete { at, len } => {
                let from = spot(*at, &chars);
                let to = (from + len).min(chars.len());
                chars.drain(from..to);
            }
            Edit::Insert { at, text } => {
                let from = spot(*at, &chars);
                chars.splice(from..from, text.chars());
            }
            Edit::Duplicate { at, len } => {
                let from = spot(*at, &chars);
                let to = (from + len).min(chars.len());
                let copy: Vec<char> = chars[from..to].to_vec();
                chars.splice(to..to, copy);
            }
            Edit::Truncate { at } => {
                let from = spot(*at, &chars);
                chars.truncate(from);
            }
        }
    }
    chars.into_iter().collect()
}

/// A value as a user might type it, from plausible to absurd.
fn typed_value() -> impl Strategy<Value = String> {
    prop_oneof![
        // Plausible values, so that many settings are accepted and run.
        (0i64..100).prop_map(|n| n.to_string()),
        (0.0f64..1.0).prop_map(|x| x.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| x.to_string()),
        prop::sample::select(NASTY).prop_map(str::to_string),
        prop::collection::vec(-1_000i64..1_000, 0..12).prop_map(|list| {
            list.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        }),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// What reaches the input line: pastes of plausible and absurd text (a
/// long list among them), the line's own keys, and typed characters.
fn editor_event() -> impl Strategy<Value = Event> {
    let ctrl = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    prop_oneof![
        3 => typed_value().prop_map(Event::Paste),
        1 => (1usize..3_000).prop_map(|n| Event::Paste(vec!["7"; n].join(","))),
        1 => "[\\PC\n\r\t\u{1b}]{0,30}".prop_map(Event::Paste),
        2 => prop::sample::select(vec![
            press(KeyCode::Left),
            press(KeyCode::Right),
            press(KeyCode::Home),
            press(KeyCode::End),
            press(KeyCode::Backspace),
            press(KeyCode::Delete),
            ctrl('u'),
            ctrl('w'),
            ctrl('k'),
        ]),
        2 => any::<char>().prop_map(|c| press(KeyCode::Char(c))),
    ]
}

fn no_panic<T>(what: &str, run: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    catch_unwind(AssertUnwindSafe(run))
        .map_err(|_| TestCaseError::fail(format!("panicked on {what}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_config_loads_or_says_why(edits in prop::collection::vec(edit(), 1..6)) {
        let text = mutate(BUILTIN, &edits);
        no_panic(&text, || {
            let mut config = Config::builtin().expect("the built-in config is valid");
    config.ui.language = Language::En;
            if config.apply_text(&text, "fuzz.toml").is_ok() {
                // Every lesson builds from what was accepted, or refuses with a message.
                let _ = App::new(&config, None, true);
            }
        })?;
    }

    #[test]
    fn a_fuzzed_set_is_applied_or_refused(
        lesson in 0..REGISTRY.len(),
        key in any::<prop::sample::Index>(),
        bogus_key in prop::bool::weighted(0.1),
        value in typed_value(),
    ) {
        let entry = &REGISTRY[lesson];
        let mut params = entry.defaults();
        let key = if bogus_key {
            "no_such_key"
        } else {
            params.specs()[key.index(params.specs().len())].key
        };
        let setting = format!("{key}={value}");
        no_panic(&setting, || {
            let applied = config::apply_settings(&mut params, std::slice::from_ref(&setting));
            if applied.is_ok() && (entry.validate)(&params).is_ok()
                && let Ok(mut lesson) = (entry.build)(&params, 1)
            {
                for _ in 0..STEPS {
                    if !lesson.step() {
                        break;
                    }
                }
                let _ = lesson.summary();
            }
        })?;
    }

    #[test]
    fn pasted_and_typed_text_is_applied_or_refused(
        lesson in 0..REGISTRY.len(),
        param in any::<prop::sample::Index>(),
        events in prop::collection::vec(editor_event(), 1..12),
        in_editor in prop::bool::weighted(0.8),
    ) {
        let mut config = Config::builtin().expect("the built-in config is valid");
    config.ui.language = Language::En;
        let mut app = App::new(&config, Some(REGISTRY[lesson].id), true)
            .expect("every lesson builds with defaults");
        let count = app.tab().shown_params().specs().len();
        let area = ratatui::layout::Rect::new(0, 0, 80, 24);
        let what = format!("{:?}", events);
        no_panic(&what, || {
            if in_editor {
                for _ in 0..param.index(count) {
                    app.handle_event(&press(KeyCode::Down));
                }
                app.handle_event(&press(KeyCode::Enter));
            }
            for event in &events {
                app.handle_event(event);
                let mut buf = ratatui::buffer::Buffer::empty(area);
                learndeck::ui::render(&app, area, &mut buf);
            }
            // Enter applies, refuses or keeps a pending edit; never more.
            app.handle_event(&press(KeyCode::Enter));
            let mut buf = ratatui::buffer::Buffer::empty(area);
            learndeck::ui::render(&app, area, &mut buf);
        })?;
    }

    #[test]
    fn mutated_map_data_parses_or_says_why(
        edits in prop::collection::vec(edit(), 1..6),
        which in 0..3usize,
    ) {
        let parsed = match which {
            0 => {
                let text = mutate(MAP_TOML, &edits);
                no_panic(&text, || data::parse_toml(&text, "fuzz.toml"))?
            }
            1 => {
                let text = mutate(COCO_GT, &edits);
                no_panic(&text, || data::parse_coco(&text, "gt.json", COCO_DET, "det.json"))?
            }
            _ => {
                let text = mutate(COCO_DET, &edits);
                no_panic(&text, || data::parse_coco(COCO_GT, "gt.json", &text, "det.json"))?
            }
        };
        if let Err(message) = parsed {
            // One line that says which file is wrong.
            prop_assert!(!message.contains('\n'), "{message}");
            prop_assert!(
                ["fuzz.toml", "gt.json", "det.json"].iter().any(|name| message.contains(name)),
                "names no file: {message}"
            );
        }
    }
}

#[test]
fn the_unmutated_inputs_are_accepted() {
    // Otherwise every case above would only exercise the error path.
    assert!(data::parse_toml(MAP_TOML, "detections.toml").is_ok());
    assert!(data::parse_coco(COCO_GT, "gt.json", COCO_DET, "det.json").is_ok());
    let mut config = Config::builtin().expect("valid");
    config.ui.language = Language::En;
    assert!(config.apply_text(BUILTIN, "config.toml").is_ok());
}
