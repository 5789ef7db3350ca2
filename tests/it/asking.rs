//! Questions in the dashboard: `a` asks, the reply grades and then runs the
//! steps the question was about; `A` stops before a marked moment to ask.

use crate::dashboard::{app_on, press, type_text};
use crossterm::event::KeyCode;
use learndeck::headless::render_text;

#[test]
fn a_right_answer_and_a_wrong_one_are_graded_recorded_and_then_run() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('a'));
    let asking = app.asking.as_ref().expect("a question");
    let (answer, steps) = (asking.question.answer.typed(), asking.question.steps);
    let before = app.lesson().steps();
    type_text(&mut app, &answer);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.asking.as_ref().and_then(|a| a.right), Some(true));
    // The step(s) the question was about have run.
    assert_eq!(app.lesson().steps(), before + steps);
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("Right"), "{screen}");
    assert_eq!(app.progress.progress().accuracy("knapsack"), Some((1, 1)));

    // Keys work as usual under the reply; `a` asks the next question.
    press(&mut app, KeyCode::Char('a'));
    let asking = app.asking.as_ref().expect("a second question");
    assert!(asking.is_open());
    let right = asking.question.answer.typed();
    let shown = asking.question.answer.shown().en;
    // Something else of the same form: a number one off, or the other letter.
    let wrong = match right.parse::<i64>() {
        Ok(n) => (n + 1).to_string(),
        Err(_) => if right == "a" { "b" } else { "a" }.to_string(),
    };
    type_text(&mut app, &wrong);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.asking.as_ref().and_then(|a| a.right), Some(false));
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("Not quite"), "{screen}");
    // The reply names the right answer as the lesson shows it ("a (yes)");
    // the panel may wrap between the two.
    assert!(screen.contains("answer is"), "{screen}");
    assert!(screen.contains(&shown), "{shown} in {screen}");
    assert_eq!(app.progress.progress().accuracy("knapsack"), Some((1, 2)));
    assert!(render_text(&mut app, 160, 48).contains("50%"));
    press(&mut app, KeyCode::Esc);
    assert!(app.asking.is_none());
}

#[test]
fn an_unreadable_answer_says_what_form_is_wanted_and_waits() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "lots");
    press(&mut app, KeyCode::Enter);
    let asking = app.asking.as_ref().expect("still asking");
    assert!(asking.is_open());
    assert!(asking.unreadable.is_some());
    // While the answer line is open, letters are the answer, not commands.
    let steps = app.lesson().steps();
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.lesson().steps(), steps);
}

#[test]
fn quiz_mode_stops_before_a_marked_moment_and_asks_first() {
    let mut app = app_on("knapsack");
    press(&mut app, KeyCode::Char('A'));
    assert!(app.quiz_mode);
    press(&mut app, KeyCode::Char(' '));
    app.advance(1_000);
    let asking = app.asking.as_ref().expect("stopped to ask");
    assert!(!app.playing);
    // The step about to raise the moment has not run yet: it is the one
    // asked about.
    assert!(app.tab().events_now().iter().all(|e| e.kind != "take"));
    let answer = asking.question.answer.typed();
    type_text(&mut app, &answer);
    press(&mut app, KeyCode::Enter);
    assert!(app.tab().events_now().iter().any(|e| e.kind == "take"));
    // Playing on asks before the next one, not the same one again.
    let asked_at = app.lesson().steps();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    app.advance(1_000);
    assert!(app.asking.is_some());
    assert!(app.lesson().steps() >= asked_at);

    // A new run asks again where the last one did.
    let first_stop = asked_at - 1;
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Char(' '));
    app.advance(1_000);
    assert!(app.asking.as_ref().is_some_and(|a| a.is_open()));
    assert_eq!(app.lesson().steps(), first_stop);
}
