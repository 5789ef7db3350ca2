//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Default snapshot size: the classic terminal.
pub const SNAPSHOT_WIDTH: u16 = 80;
pub const SNAPSHOT_HEIGHT: u16 = 24;

/// `quiz --count` when not given, and its most: enough to try oneself, few
/// enough that a small table's run still has room for them.
pub const QUESTIONS: u32 = 5;
pub const MAX_QUESTIONS: u32 = 100;

#[derive(Debug, Parser)]
#[command(
    name = "learndeck",
    version,
    about = "A terminal learning dashboard: each tab is a lesson backed by a live simulation.",
    after_help = "Keys in the dashboard: ? shows them all. Docs: README.md."
)]
pub struct Cli {
    /// Open the dashboard on this lesson (see `learndeck list`).
    #[arg(long, value_name = "ID")]
    pub lesson: Option<String>,
    /// Set a parameter of the lesson the dashboard opens on, as in [lesson.ID]
    /// of config.toml; lists are comma-separated.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Read this config file instead of $XDG_CONFIG_HOME/learndeck/config.toml.
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// Seed for every lesson's random generator (overrides the config's `seed`).
    #[arg(long, value_name = "S", global = true)]
    pub seed: Option<u64>,
    /// Interface language of the dashboard and of snapshot frames (overrides
    /// [ui] language and LANG), and of quiz's options. trace and its errors
    /// stay English.
    #[arg(long, value_name = "LANG", global = true, value_parser = ["en", "zh"])]
    pub lang: Option<String>,
    /// Neither read nor write the progress file (tour stops seen, questions
    /// answered) in this session.
    #[arg(long, global = true)]
    pub no_progress: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the lessons with their parameters, ranges and defaults.
    List,
    /// Run a lesson without a terminal; CSV on stdout, one row per step.
    Trace(TraceArgs),
    /// Draw one frame of the dashboard on a lesson as plain text.
    Snapshot(SnapshotArgs),
    /// Print a lesson's guided tour: each stop's title, narration and frame.
    Tour(TourArgs),
    /// Play a lesson with the seed and print questions about its run as TOML.
    #[command(long_about = QUIZ_ABOUT)]
    Quiz(QuizArgs),
    /// Print what the progress file holds: tour stops seen and questions
    /// answered, per lesson.
    Progress(ProgressArgs),
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Print only the progress file's path.
    #[arg(long)]
    pub path: bool,
}

/// `quiz --help`: what is printed and where along the run the questions fall.
const QUIZ_ABOUT: &str = "\
Play a lesson with the seed and print questions about its run as TOML: one
[[question]] each with step, kind, prompt_en, prompt_zh, answer (as a learner
would type it), options (choices only, in --lang), why_en, why_zh, watch (how
many steps the question is about) and context (the data to check it by hand).

Where the questions fall: before each one the run moves forward a random
number of steps drawn from the seed, 0 to span/N-1 before the first and 1 to
span/N before each next, span being the run's length; the kinds take turns
from a seeded start. Where the state has nothing to ask (knapsack's
traceback) it moves on a step at a time; a run that ends first prints fewer
than N. The same seed and --set give the same questions.";

/// What `trace` and `snapshot` share: the lesson and its settings.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The lesson id.
    pub lesson: String,
    /// Set a parameter, as in [lesson.ID] of config.toml; lists are comma-separated.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Steps to run. trace: default to the end (or the lesson's default run
    /// length for open-ended lessons); snapshot: default 0.
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Print the final state as TOML instead of the CSV trace.
    #[arg(long, conflicts_with = "events")]
    pub summary: bool,
    /// Print the key moments as CSV `step,event,detail` instead of the trace.
    #[arg(long)]
    pub events: bool,
}

#[derive(Debug, Args)]
pub struct TourArgs {
    /// The lesson id.
    pub lesson: String,
    /// Width of each stop's frame, in columns.
    #[arg(long, default_value_t = SNAPSHOT_WIDTH, value_name = "W")]
    pub width: u16,
    /// Height of each stop's frame, in rows.
    #[arg(long, default_value_t = SNAPSHOT_HEIGHT, value_name = "H")]
    pub height: u16,
    /// Print TOML instead: one [[stop]] with index, title_en, title_zh,
    /// until, step (the step reached) and events (ids its last step raised).
    #[arg(long)]
    pub summary: bool,
}

#[derive(Debug, Args)]
pub struct QuizArgs {
    /// The lesson id.
    pub lesson: String,
    /// Set a parameter, as in [lesson.ID] of config.toml; lists are comma-separated.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// How many questions to ask (1 to 100).
    #[arg(
        long,
        value_name = "N",
        default_value_t = QUESTIONS,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_QUESTIONS))
    )]
    pub count: u32,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Width in columns.
    #[arg(long, default_value_t = SNAPSHOT_WIDTH, value_name = "W")]
    pub width: u16,
    /// Height in rows.
    #[arg(long, default_value_t = SNAPSHOT_HEIGHT, value_name = "H")]
    pub height: u16,
}
