//! Guided tours: every tour file loads and every stop is reached; broken
//! files are refused with the place and the reason; the dashboard and
//! `learndeck tour` walk them alike.

use crate::dashboard::press;
use crossterm::event::KeyCode;
use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lessons::{self, REGISTRY};
use learndeck::tour::{self, Tour};

#[test]
fn every_tour_loads_and_every_stop_is_reached() {
    let mut tours = 0;
    for entry in REGISTRY {
        let Some(tour) = Tour::of(entry) else {
            continue;
        };
        tours += 1;
        let tour = tour.unwrap_or_else(|why| panic!("{why}"));
        for (k, stop) in tour.stops.iter().enumerate() {
            let mut lesson = stop.build(entry).expect("a stop's lesson builds");
            let reached = tour::run_until(&stop.until, |out| {
                let moved = lesson.step();
                lesson.events(out);
                moved
            });
            assert!(reached.is_ok(), "{} stop {}: {reached:?}", entry.id, k + 1);
            for lang in [learndeck::i18n::Lang::En, learndeck::i18n::Lang::Zh] {
                assert!(!stop.title(lang).is_empty(), "{} stop {}", entry.id, k + 1);
                assert!(!stop.body(lang).is_empty(), "{} stop {}", entry.id, k + 1);
            }
        }
    }
    assert!(tours >= 1);
}

#[test]
fn the_knapsack_tour_covers_the_seed_points() {
    let entry = lessons::find("knapsack").expect("knapsack");
    let tour = Tour::of(entry).expect("a tour").expect("valid");
    assert!(tour.stops.len() >= 5);
    let untils: Vec<String> = tour.stops.iter().map(|s| s.until_text()).collect();
    for wanted in ["event:take", "event:choose", "event:reuse"] {
        assert!(
            untils.iter().any(|u| u.starts_with(wanted)),
            "{wanted} in {untils:?}"
        );
    }
}

#[test]
fn broken_tours_are_refused_with_the_place_and_the_reason() {
    let entry = lessons::find("knapsack").expect("knapsack");
    let stop = |extra: &str| format!("[[stop]]\nen = \"# a\\nb\"\nzh = \"# 甲\\n乙\"\n{extra}\n");
    let cases = [
        (stop("until = \"start\"\ncolour = 1"), "colour"),
        (
            stop("until = \"start\"\nset = { capacity = -3 }"),
            "capacity",
        ),
        (stop("until = \"start\"\nset = { speed = 3 }"), "speed"),
        (stop("until = \"event:explode\""), "explode"),
        (stop("until = \"step:x\""), "step"),
        (stop("until = \"later\""), "later"),
        (stop("until = \"event:take:0\""), "count"),
        ("".to_string(), "stop"),
        (
            "[[stop]]\nen = \"\"\nzh = \"# 甲\\n乙\"\nuntil = \"start\"\n".to_string(),
            "en is empty",
        ),
    ];
    for (text, named) in cases {
        let why = Tour::parse(entry, &text).expect_err(&text);
        assert!(why.contains(named), "{text}: {why}");
    }
    // Valid, but its `until` is never reached: right to left never reuses.
    let never = Tour::parse(entry, &stop("until = \"event:reuse\"")).expect("valid file");
    let stop = &never.stops[0];
    let mut lesson = stop.build(entry).expect("builds");
    let reached = tour::run_until(&stop.until, |out| {
        let moved = lesson.step();
        lesson.events(out);
        moved
    });
    assert!(reached.is_err());
}

fn app_on(id: &str, language: Language) -> learndeck::app::App {
    crate::dashboard::app_with(id, language, &[])
}

#[test]
fn t_walks_the_tour_t_goes_back_and_esc_leaves_the_lesson_where_it_is() {
    let entry = lessons::find("knapsack").expect("knapsack");
    let tour = Tour::of(entry).expect("a tour").expect("valid");
    let mut app = app_on("knapsack", Language::En);
    // The user's own change is not what the tour starts from.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    for k in 0..tour.stops.len() {
        press(&mut app, KeyCode::Char('t'));
        let run = app.active_tour().expect("touring");
        assert_eq!(run.stop, k);
        assert_eq!(app.tab().params, tour.stops[k].params);
        let screen = render_text(&mut app, 80, 24);
        let title = tour.stops[k].title(learndeck::i18n::Lang::En);
        assert!(screen.contains(&format!("tour {}/", k + 1)), "{screen}");
        assert!(screen.contains(title), "{title} in {screen}");
    }
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(
        app.active_tour().map(|r| r.stop),
        Some(tour.stops.len() - 2)
    );
    press(&mut app, KeyCode::Char('n'));
    let step = app.lesson().steps();
    press(&mut app, KeyCode::Esc);
    assert!(app.active_tour().is_none());
    assert_eq!(app.lesson().steps(), step);
    // t at the last stop ends the tour.
    for _ in 0..=tour.stops.len() {
        press(&mut app, KeyCode::Char('t'));
    }
    assert!(app.active_tour().is_none());
    assert!(render_text(&mut app, 120, 36).contains("tour finished"));
}

/// A tour walks a lesson's idea in a few stops, never one or two.
#[test]
fn every_tour_has_at_least_four_stops() {
    for entry in REGISTRY {
        if let Some(Ok(tour)) = Tour::of(entry) {
            assert!(tour.stops.len() >= 4, "{}: {}", entry.id, tour.stops.len());
        }
    }
}

/// Every tour's every stop, at 80×24 in both languages, shows the end of its
/// narration, so all of it: its last word, or in Chinese its last two
/// characters (a line never starts with the closing 。, so they stay together).
#[test]
fn each_stop_reads_whole_at_80x24_in_both_languages() {
    use learndeck::i18n::Lang;
    for entry in REGISTRY {
        // A tour that does not load fails the test above.
        let Some(Ok(tour)) = Tour::of(entry) else {
            continue;
        };
        for (language, lang) in [(Language::En, Lang::En), (Language::Zh, Lang::Zh)] {
            let mut app = app_on(entry.id, language);
            for (k, stop) in tour.stops.iter().enumerate() {
                press(&mut app, KeyCode::Char('t'));
                let screen = render_text(&mut app, 80, 24);
                let body = stop.body(lang);
                let end: String = match lang {
                    Lang::En => body.split_whitespace().last().unwrap_or("").to_string(),
                    Lang::Zh => {
                        let chars: Vec<char> = body.chars().collect();
                        chars[chars.len().saturating_sub(2)..].iter().collect()
                    }
                };
                assert!(
                    screen.contains(&end),
                    "{} stop {}: {end:?} in {screen}",
                    entry.id,
                    k + 1
                );
            }
        }
    }
}

#[test]
fn the_tour_command_prints_each_stop_and_its_summary() {
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_learndeck"))
            .args(args)
            .env("LC_ALL", "C")
            .output()
            .expect("runs");
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let text = run(&["tour", "knapsack", "--width", "100", "--height", "30"]);
    assert!(text.contains("stop 1/7: What a cell means"), "{text}");
    let zh = run(&["tour", "knapsack", "--lang", "zh"]);
    assert!(zh.contains("stop 5/7: 从左往右"), "{zh}");
    let summary: toml::Table = run(&["tour", "knapsack", "--summary"])
        .parse()
        .expect("TOML");
    let stops = summary["stop"].as_array().expect("stops");
    assert_eq!(stops.len(), 7);
    let reuse = stops
        .iter()
        .find(|s| s["until"].as_str() == Some("event:reuse"))
        .expect("a reuse stop");
    assert_eq!(reuse["step"].as_integer(), Some(3));
    let events = reuse["events"].as_array().expect("events");
    assert!(events.iter().any(|e| e.as_str() == Some("reuse")));

    // Every lesson has a tour now; an unknown one is still refused.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_learndeck"))
        .args(["tour", "nosuch"])
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nosuch"));
}
