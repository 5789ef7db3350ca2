//! What the mtp lesson teaches, checked here: its questions' answers worked
//! out again from their context (keep drafts while each equals the base
//! model's choice at its position; the next token is the base choice just
//! after the kept ones), and its events against the text each pass writes.

use learndeck::lesson::{Answer, Lesson};
use proptest::prelude::*;

fn build(settings: &[(&str, &str)], seed: u64) -> Box<dyn Lesson> {
    crate::questions::lesson_with("mtp", settings, seed)
}

use crate::questions::texts as strings;

fn total(lesson: &dyn Lesson) -> usize {
    lesson.summary()["tokens"].as_array().map_or(0, Vec::len)
}

fn check_run(settings: &[(&str, &str)], seed: u64) -> Vec<&'static str> {
    let mut lesson = build(settings, seed);
    let mut kinds = Vec::new();
    loop {
        for pick in 0..2 {
            let Some(question) = lesson.question(pick) else {
                continue;
            };
            kinds.push(question.kind);
            let drafts = strings(&question.context, "drafts");
            let base = strings(&question.context, "base");
            let kept = drafts.iter().zip(&base).take_while(|(d, b)| d == b).count();
            match (question.kind, &question.answer) {
                ("accepted", answer) => {
                    assert_eq!(base.len(), drafts.len());
                    assert_eq!(*answer, Answer::Integer(kept as i64));
                }
                ("next", Answer::Choice { options, correct }) => {
                    assert_eq!(base.len(), drafts.len() + 1);
                    assert_eq!(options[*correct].en, base[kept]);
                }
                (kind, answer) => panic!("unexpected {kind} {answer:?}"),
            }
        }
        let before = total(&*lesson);
        if !lesson.step() {
            break;
        }
        let mut events = Vec::new();
        lesson.events(&mut events);
        let n = events
            .iter()
            .find(|e| e.kind == "accept")
            .map_or(0, |e| e.detail.trim_start_matches("n=").parse().expect("n"));
        if !lesson.is_finished() {
            assert_eq!(total(&*lesson) - before, n + 1);
        }
        if let Some(e) = events.iter().find(|e| e.kind == "reject") {
            assert_eq!(e.detail, format!("d={}", n + 1));
        }
    }
    kinds
}

#[test]
fn the_defaults_ask_both_kinds() {
    let mut kinds = check_run(&[], 1);
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds, ["accepted", "next"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn answers_and_events_match_the_drafts_at_any_depth_and_quality(
        depth in 1usize..=4,
        quality in 0.0f64..=1.0,
        seed in any::<u64>(),
    ) {
        let (depth, quality) = (depth.to_string(), format!("{quality:.2}"));
        check_run(&[("depth", &depth), ("module_quality", &quality), ("length", "20")], seed);
    }
}

/// At 120×36 (one page) and 80×24 (first two pages), in both languages,
/// three modules mid-run: the drafts with ✓/✗, acceptance both ways and the
/// comparison rows.
#[test]
fn snapshots_show_the_drafts_the_comparison_and_both_acceptances() {
    use crate::dashboard::{app_with, press};
    use crossterm::event::KeyCode;
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    const PASSES: u64 = 6;
    for (lang, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
        let mut app = app_with("mtp", lang, &[("depth", "3")]);
        app.advance(PASSES);
        let screen = render_text(&mut app, 120, 36);
        assert!(screen.contains("Medusa"), "{screen}");
        insta::assert_snapshot!(format!("mtp_depth3_{tag}_120x36"), screen);
        let first = render_text(&mut app, 80, 24);
        insta::assert_snapshot!(format!("mtp_depth3_{tag}_80x24_page1"), first);
        press(&mut app, KeyCode::Char('v'));
        let second = render_text(&mut app, 80, 24);
        insta::assert_snapshot!(format!("mtp_depth3_{tag}_80x24_page2"), second);
    }
}

/// English counts agree with their noun: one module in the status, one
/// draft and one candidate a pass in the comparison; never "1 candidates".
#[test]
fn english_counts_take_the_singular_for_exactly_one() {
    use crate::dashboard::app_with;
    use crate::medusa_teach::plural_after_one;
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    /// Passes looked at for each depth.
    const PASSES: usize = 4;
    for depth in ["1", "2"] {
        let mut app = app_with("mtp", Language::En, &[("depth", depth)]);
        for _ in 0..=PASSES {
            for (width, height) in [(120, 36), (80, 24)] {
                let screen = render_text(&mut app, width, height);
                assert_eq!(plural_after_one(&screen), None, "{screen}");
            }
            let screen = render_text(&mut app, 120, 36);
            if depth == "1" {
                assert!(screen.contains(" 1 module ·"), "{screen}");
                assert!(screen.contains("MTP chain, 1 draft/pass "), "{screen}");
                assert!(
                    screen.contains("Medusa chain, 1 candidate/pass "),
                    "{screen}"
                );
            } else {
                assert!(screen.contains(" 2 modules ·"), "{screen}");
                assert!(
                    screen.contains("Medusa chain, 2 candidates/pass"),
                    "{screen}"
                );
            }
            app.advance(1);
        }
    }
}
