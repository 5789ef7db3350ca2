//! The command the status line offers reproduces the run: started again, or
//! traced headless, it reaches the same numbers.

use clap::Parser;
use learndeck::action::Action;
use learndeck::app::App;
use learndeck::cli::{Cli, RunArgs};
use learndeck::config::{Config, Language};
use learndeck::headless;
use learndeck::lessons::REGISTRY;

/// Steps taken before the command is read off.
const STEPS: u64 = 7;

/// Splits a command the way a POSIX shell would, for the quoting `App` emits:
/// bare words and single-quoted words with `'\''` for a quote.
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut escaped = false;
    for c in command.chars() {
        if escaped {
            word.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\'' => {
                quoted = !quoted;
                in_word = true;
            }
            '\\' if !quoted => {
                escaped = true;
                in_word = true;
            }
            ' ' if !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                }
                in_word = false;
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

fn summary_of(lesson: &mut dyn learndeck::lesson::Lesson, steps: u64) -> String {
    let mut out = Vec::new();
    headless::summary(lesson, Some(steps), &mut out).expect("summary writes");
    String::from_utf8(out).expect("TOML is UTF-8")
}

#[test]
fn shell_words_undo_the_quoting() {
    assert_eq!(
        shell_words("learndeck --set 'a=x y' --set 'it'\\''s'"),
        ["learndeck", "--set", "a=x y", "--set", "it's"]
    );
}

#[test]
fn the_status_command_reproduces_the_run_in_the_dashboard_and_in_trace() {
    let mut config = Config::builtin().expect("the built-in config is valid");
    config.ui.language = Language::En;
    let mut lessons_with_settings = 0;
    for entry in REGISTRY {
        let mut app = App::new(&config, Some(entry.id), true).expect("builds");
        // Change two parameters and the seed, as a user would, then run a little.
        app.update(Action::IncreaseParam);
        app.update(Action::NextParam);
        app.update(Action::IncreaseParam);
        app.update(Action::Reseed);
        let command = app.reproduce_command();
        for _ in 0..STEPS {
            app.update(Action::StepForward);
        }
        let steps_taken = app.lesson().steps();
        let expected = summary_of(app.tabs[app.active].lesson.as_mut(), 0);
        if command.contains("--set") {
            lessons_with_settings += 1;
        }

        let cli = Cli::try_parse_from(shell_words(&command))
            .unwrap_or_else(|err| panic!("{}: `{command}` does not parse: {err}", entry.id));
        assert!(cli.command.is_none(), "{command}");
        let mut seeded = config.clone();
        seeded.seed = cli.seed.expect("the command names the seed");

        let mut again = App::from_command_line(&seeded, cli.lesson.as_deref(), &cli.set, true)
            .unwrap_or_else(|err| panic!("{}: `{command}` is refused: {err}", entry.id));
        assert_eq!(again.reproduce_command(), command, "{}", entry.id);
        let active = again.active;
        let restarted = summary_of(again.tabs[active].lesson.as_mut(), steps_taken);
        assert_eq!(
            restarted, expected,
            "{}: `{command}` in the dashboard",
            entry.id
        );

        let args = RunArgs {
            lesson: entry.id.to_string(),
            set: cli.set.clone(),
            steps: Some(steps_taken),
        };
        let mut traced = headless::build(&seeded, &args).expect("trace builds");
        let headless = summary_of(traced.as_mut(), steps_taken);
        assert_eq!(
            headless, expected,
            "{}: `{command}` through trace",
            entry.id
        );
    }
    // Most lessons' first two parameters step with the arrow keys; the test
    // is only worth something if the commands carried settings.
    assert!(
        lessons_with_settings * 2 > REGISTRY.len(),
        "only {lessons_with_settings} commands carried a --set"
    );
}
