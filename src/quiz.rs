//! `learndeck quiz`: a lesson's questions asked along one seeded run, as TOML.
//!
//! The run is the lesson built with the seed, as `trace` builds it. Before
//! each question it moves forward a random number of steps, drawn from the
//! same seed: 0 to `span / N − 1` before the first, 1 to `span / N` before
//! each next one, where `span` is the run's length (its total, or its
//! default length for an open-ended lesson). So N questions fit in one run,
//! spread over it, and the same seed asks the same questions. The kinds
//! take turns (the lesson's `pick`, counted up from a seeded start). Where the
//! state has nothing to ask (knapsack's traceback), the run moves on a step
//! at a time until it does or the run ends; then fewer than N are printed.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use crate::cli::{MAX_QUESTIONS, QuizArgs, RunArgs};
use crate::config::Config;
use crate::error::UserError;
use crate::headless::{self, MAX_HEADLESS_STEPS};
use crate::i18n::Lang;
use crate::lesson::question::Answer;
use crate::lesson::{Lesson, LessonEntry, ParamSet, Question};
use crate::lessons::REGISTRY;

/// The printed sheet: which run, then the questions in the order asked.
#[derive(Serialize)]
struct Sheet {
    lesson: &'static str,
    seed: u64,
    question: Vec<Asked>,
}

/// One question as printed.
#[derive(Serialize)]
struct Asked {
    /// Steps taken when it is asked: it is about the steps after this one.
    step: u64,
    kind: &'static str,
    prompt_en: String,
    prompt_zh: String,
    /// The right answer as a learner would type it.
    answer: String,
    /// A choice's options in `--lang`, `a` first.
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<String>>,
    why_en: String,
    why_zh: String,
    /// How many steps the question is about, which the dashboard runs after
    /// the reply.
    watch: u64,
    context: toml::Table,
}

impl Asked {
    fn new(step: u64, question: Question, lang: Lang) -> Asked {
        let options = match &question.answer {
            Answer::Choice { options, .. } => Some(
                options
                    .iter()
                    .map(|option| option.get(lang).to_string())
                    .collect(),
            ),
            _ => None,
        };
        Asked {
            step,
            kind: question.kind,
            answer: question.answer.typed(),
            options,
            prompt_en: question.prompt.en,
            prompt_zh: question.prompt.zh,
            why_en: question.why.en,
            why_zh: question.why.zh,
            watch: question.steps,
            context: question.context,
        }
    }
}

/// `learndeck quiz`: builds the lesson with `config.seed`, asks `--count`
/// questions along its run and returns them as TOML, choices' options in
/// `lang`. A lesson that asks no questions is refused, one line.
pub fn quiz(config: &Config, args: &QuizArgs, lang: Lang) -> Result<String, UserError> {
    let run = RunArgs {
        lesson: args.lesson.clone(),
        set: args.set.clone(),
        steps: None,
    };
    let (entry, params) = headless::resolve(config, &run)?;
    if entry.questions.is_empty() {
        return Err(UserError::new(format!(
            "lesson '{}' asks no questions yet; lessons with questions: {}",
            entry.id,
            with_questions()
        )));
    }
    let mut lesson = (entry.build)(&params, config.seed)?;
    let span = span(entry, &params, config.seed, lesson.as_ref())?;
    let count = args.count.clamp(1, MAX_QUESTIONS);
    let asked = ask_along(lesson.as_mut(), span, count, config.seed);
    let sheet = Sheet {
        lesson: entry.id,
        seed: config.seed,
        question: asked
            .into_iter()
            .map(|(step, question)| Asked::new(step, question, lang))
            .collect(),
    };
    // Every field is a string, an integer or a table of them: nothing the
    // TOML writer refuses; a failure would still be reported, not hidden.
    toml::to_string(&sheet).map_err(|err| UserError::new(format!("quiz output: {err}")))
}

/// The questions asked along one run: (steps taken when asked, question).
/// Public for the tests, which check the spread and the answers.
pub fn ask_along(
    lesson: &mut dyn Lesson,
    span: u64,
    count: u32,
    seed: u64,
) -> Vec<(u64, Question)> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let largest_gap = (span / u64::from(count.max(1))).max(1);
    let mut asked = Vec::new();
    let mut searched = 0;
    let first_pick: u64 = rng.random();
    for at in 0..count {
        let gap = if at == 0 {
            rng.random_range(0..largest_gap)
        } else {
            rng.random_range(1..=largest_gap)
        };
        for _ in 0..gap {
            if !lesson.step() {
                break;
            }
        }
        // The kinds take turns from a seeded start, so a quiz is not one kind
        // asked over and over.
        let pick = first_pick.wrapping_add(u64::from(at));
        let question = loop {
            if let Some(question) = lesson.question(pick) {
                break Some(question);
            }
            searched += 1;
            if searched > MAX_HEADLESS_STEPS || !lesson.step() {
                break None;
            }
        };
        match question {
            Some(question) => asked.push((lesson.steps(), question)),
            None => break,
        }
    }
    asked
}

/// The run's length: its total when the lesson knows it, its default length
/// when it is open-ended, else counted on a second copy run to its end.
fn span(
    entry: &LessonEntry,
    params: &ParamSet,
    seed: u64,
    lesson: &dyn Lesson,
) -> Result<u64, UserError> {
    if let Some(steps) = lesson.total_steps().or(lesson.headless_steps()) {
        return Ok(steps);
    }
    let mut copy = (entry.build)(params, seed)?;
    let mut steps = 0;
    while steps < MAX_HEADLESS_STEPS && copy.step() {
        steps += 1;
    }
    Ok(steps)
}

/// The ids of the lessons that ask questions, for the refusal.
fn with_questions() -> String {
    let ids: Vec<&str> = REGISTRY
        .iter()
        .filter(|entry| !entry.questions.is_empty())
        .map(|entry| entry.id)
        .collect();
    ids.join(", ")
}
