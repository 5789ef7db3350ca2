//! Guided tours: `assets/tours/<id>.toml`, a list of stops, each a prepared
//! state of the lesson with narration in both languages.
//!
//! ```toml
//! [[stop]]
//! en = "# What f[i][j] means\nThe best value of the first i items in capacity j."
//! zh = "# f[i][j] 的含义\n……"
//! set = { mode = "2d" }      # over the built-in defaults, not the user's values
//! seed = 1                   # optional
//! until = "event:take:2"     # start | step:N | event:ID | event:ID:K | end
//! ask = false                # optional: pose the lesson's question here
//! ```
//!
//! A stop is the same for everyone: its parameters are the built-in defaults
//! with `set` applied, and its seed is `seed` or the built-in one.

use serde::Deserialize;

use crate::config::DEFAULT_SEED;
use crate::i18n::Lang;
use crate::lesson::{Event, Lesson, LessonEntry, ParamError, ParamSet};

/// The most steps a stop may run to reach its `until`; a tour file whose
/// stop needs more fails its test.
pub const MAX_TOUR_STEPS: u64 = 100_000;

/// Where a stop's run stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Until {
    Start,
    Step(u64),
    /// The `nth` (1-based) step that raises event `id`.
    Event {
        id: String,
        nth: usize,
    },
    End,
}

impl Until {
    fn parse(text: &str, entry: &LessonEntry) -> Result<Until, String> {
        let parts: Vec<&str> = text.split(':').collect();
        let until = match parts.as_slice() {
            ["start"] => Until::Start,
            ["end"] => Until::End,
            ["step", n] => Until::Step(
                n.parse()
                    .map_err(|_| format!("until: '{n}' is not a step number"))?,
            ),
            ["event", id] => Until::Event {
                id: id.to_string(),
                nth: 1,
            },
            ["event", id, k] => Until::Event {
                id: id.to_string(),
                nth: k
                    .parse()
                    .ok()
                    .filter(|&k| k >= 1)
                    .ok_or_else(|| format!("until: '{k}' is not a count from 1"))?,
            },
            _ => {
                return Err(format!(
                    "until: '{text}' is not start, step:N, event:ID, event:ID:K or end"
                ));
            }
        };
        if let Until::Event { id, .. } = &until
            && !entry.events.iter().any(|kind| kind.id == id)
        {
            let known: Vec<&str> = entry.events.iter().map(|kind| kind.id).collect();
            return Err(format!(
                "until: {} has no event '{id}'; its events are {}",
                entry.id,
                known.join(", ")
            ));
        }
        Ok(until)
    }
}

/// One stop as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StopFile {
    en: String,
    zh: String,
    #[serde(default)]
    set: toml::Table,
    seed: Option<u64>,
    until: String,
    #[serde(default)]
    ask: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TourFile {
    stop: Vec<StopFile>,
}

/// One stop, checked against its lesson.
#[derive(Clone, Debug)]
pub struct Stop {
    en: String,
    zh: String,
    /// The built-in defaults with the stop's `set` applied.
    pub params: ParamSet,
    pub seed: u64,
    pub until: Until,
    pub ask: bool,
}

impl Stop {
    /// The narration, title line included (Markdown).
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The first line without its Markdown heading marks.
    pub fn title(&self, lang: Lang) -> &str {
        self.text(lang)
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches('#')
            .trim()
    }

    /// The narration after the title line.
    pub fn body(&self, lang: Lang) -> &str {
        let text = self.text(lang);
        text.split_once('\n').map_or("", |(_, rest)| rest.trim())
    }

    /// The `until` as written back, for `tour --summary`.
    pub fn until_text(&self) -> String {
        match &self.until {
            Until::Start => "start".into(),
            Until::End => "end".into(),
            Until::Step(n) => format!("step:{n}"),
            Until::Event { id, nth: 1 } => format!("event:{id}"),
            Until::Event { id, nth } => format!("event:{id}:{nth}"),
        }
    }

    /// The lesson as the stop prepares it, at step 0.
    pub fn build(&self, entry: &LessonEntry) -> Result<Box<dyn Lesson>, ParamError> {
        (entry.build)(&self.params, self.seed)
    }
}

/// A lesson's tour.
#[derive(Clone, Debug)]
pub struct Tour {
    pub stops: Vec<Stop>,
}

impl Tour {
    /// Reads and checks `text`, the tour of `entry`: every key known, every
    /// value one its parameter accepts, the lesson buildable at every stop.
    pub fn parse(entry: &LessonEntry, text: &str) -> Result<Tour, String> {
        let file: TourFile =
            toml::from_str(text).map_err(|e| format!("tour of {}: {}", entry.id, e.message()))?;
        if file.stop.is_empty() {
            return Err(format!("tour of {}: no [[stop]]", entry.id));
        }
        let mut stops = Vec::with_capacity(file.stop.len());
        for (n, stop) in file.stop.into_iter().enumerate() {
            let at = |m: String| format!("tour of {}, stop {}: {m}", entry.id, n + 1);
            let mut params = entry.defaults();
            for (key, value) in &stop.set {
                params.set_toml(key, value).map_err(|e| at(e.to_string()))?;
            }
            (entry.validate)(&params).map_err(|e| at(e.to_string()))?;
            let until = Until::parse(&stop.until, entry).map_err(at)?;
            for (lang, text) in [("en", &stop.en), ("zh", &stop.zh)] {
                if text.trim().is_empty() {
                    return Err(at(format!("{lang} is empty")));
                }
            }
            stops.push(Stop {
                en: stop.en,
                zh: stop.zh,
                params,
                seed: stop.seed.unwrap_or(DEFAULT_SEED),
                until,
                ask: stop.ask,
            });
        }
        Ok(Tour { stops })
    }

    /// The tour of `entry`, if it has one. The files are checked by the
    /// tests, so a broken one is a bug; it is reported, not hidden.
    pub fn of(entry: &LessonEntry) -> Option<Result<Tour, String>> {
        entry.tour.map(|text| Tour::parse(entry, text))
    }
}

/// Runs `step` (one step forward that reports the events it raised;
/// `false` at the end of the run) until `until` holds. `Err` when
/// `MAX_TOUR_STEPS` pass first; `Ok` with the last step's events.
pub fn run_until(
    until: &Until,
    mut step: impl FnMut(&mut Vec<Event>) -> bool,
) -> Result<Vec<Event>, String> {
    let mut raised = Vec::new();
    let mut seen = 0;
    let mut taken = 0;
    let target = match until {
        Until::Start => return Ok(raised),
        Until::Step(n) => *n,
        Until::Event { .. } | Until::End => MAX_TOUR_STEPS,
    };
    while taken < target.min(MAX_TOUR_STEPS) {
        raised.clear();
        if !step(&mut raised) {
            return match until {
                Until::End => Ok(raised),
                _ => Err(format!("the run ended at step {taken} before {until:?}")),
            };
        }
        taken += 1;
        if let Until::Event { id, nth } = until {
            seen += raised
                .iter()
                .filter(|event| event.kind == id)
                .count()
                .min(1);
            if seen >= *nth {
                return Ok(raised);
            }
        }
    }
    match until {
        Until::Step(n) if taken == *n => Ok(raised),
        _ => Err(format!("{until:?} not reached in {MAX_TOUR_STEPS} steps")),
    }
}
