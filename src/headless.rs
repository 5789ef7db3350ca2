//! Lessons without a terminal: `list`, `trace` (CSV or `--summary` TOML) and
//! `snapshot` (one frame as plain text).

use std::io::{self, Write};

use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};

use crate::app::{App, TourRun};
use crate::cli::{RunArgs, TourArgs};
use crate::config::{self, Config};
use crate::error::UserError;
use crate::i18n::Lang;
use crate::lesson::trace::csv_line;
use crate::lesson::{Field, Lesson, LessonEntry, ParamSet};
use crate::lessons::{self, REGISTRY};
use crate::tour::Tour;
use crate::ui;

/// Safety net for lessons that finish: no run is longer than this without `--steps`.
pub const MAX_HEADLESS_STEPS: u64 = 100_000_000;

/// `learndeck list`: every lesson, its parameters, what they allow and their defaults.
pub fn list(config: &Config, out: &mut impl Write) -> io::Result<()> {
    for entry in REGISTRY {
        writeln!(
            out,
            "{:<10} {} — {}",
            entry.id, entry.title.en, entry.summary
        )?;
        let params = config
            .lesson(entry.id)
            .cloned()
            .unwrap_or_else(|| entry.defaults());
        let key_width = params.longest_key();
        for (spec, value) in params.specs().iter().zip(params.values()) {
            writeln!(
                out,
                "  {:<key_width$}  {} (default {value}; {})",
                spec.key,
                spec.help.en,
                spec.allowed()
            )?;
        }
        for kind in entry.events {
            writeln!(
                out,
                "  event {}: {} — {}",
                kind.id, kind.label.en, kind.why.en
            )?;
        }
        for kind in entry.questions {
            writeln!(out, "  question {}: {}", kind.id, kind.label.en)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The lesson named on the command line and its parameters: config values, then `--set`.
pub fn resolve(
    config: &Config,
    args: &RunArgs,
) -> Result<(&'static LessonEntry, ParamSet), UserError> {
    let entry = lessons::find(&args.lesson).ok_or_else(|| {
        UserError::new(format!(
            "unknown lesson '{}'; known lessons are {}",
            crate::error::echo(&args.lesson),
            lessons::ids()
        ))
    })?;
    let mut params = config
        .lesson(entry.id)
        .cloned()
        .unwrap_or_else(|| entry.defaults());
    config::apply_settings(&mut params, &args.set)?;
    // Not validated here: building checks the same, and for some lessons
    // (map reads and judges a whole data set) checking is the build's work.
    Ok((entry, params))
}

/// Builds the lesson for `trace`.
pub fn build(config: &Config, args: &RunArgs) -> Result<Box<dyn Lesson>, UserError> {
    let (entry, params) = resolve(config, args)?;
    Ok((entry.build)(&params, config.seed)?)
}

/// `learndeck trace`: the CSV header, then the rows of each step.
pub fn trace(lesson: &mut dyn Lesson, steps: Option<u64>, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", lesson.trace_columns().join(","))?;
    let mut rows = Vec::new();
    lesson.trace_start(&mut rows);
    let limit = steps
        .or(lesson.headless_steps())
        .unwrap_or(MAX_HEADLESS_STEPS);
    for _ in 0..limit {
        for row in rows.drain(..) {
            writeln!(out, "{}", csv_line(&row))?;
        }
        if !lesson.step() {
            break;
        }
        lesson.trace_step(&mut rows);
    }
    for row in rows.drain(..) {
        writeln!(out, "{}", csv_line(&row))?;
    }
    Ok(())
}

/// `learndeck trace --events`: run as `trace` does and print each key moment
/// as CSV `step,event,detail`, the step numbered as in `trace`.
pub fn events(lesson: &mut dyn Lesson, steps: Option<u64>, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "step,event,detail")?;
    let limit = steps
        .or(lesson.headless_steps())
        .unwrap_or(MAX_HEADLESS_STEPS);
    let mut raised = Vec::new();
    for _ in 0..limit {
        if !lesson.step() {
            break;
        }
        lesson.events(&mut raised);
        for event in raised.drain(..) {
            let row = [
                Field::from(lesson.steps()),
                Field::Text(event.kind.to_string()),
                Field::Text(event.detail),
            ];
            writeln!(out, "{}", csv_line(&row))?;
        }
    }
    Ok(())
}

/// `learndeck trace --summary`: run, then print the final state as TOML.
pub fn summary(
    lesson: &mut dyn Lesson,
    steps: Option<u64>,
    out: &mut impl Write,
) -> io::Result<()> {
    let limit = steps
        .or(lesson.headless_steps())
        .unwrap_or(MAX_HEADLESS_STEPS);
    for _ in 0..limit {
        if !lesson.step() {
            break;
        }
    }
    let text = toml::to_string(&lesson.summary()).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

/// The largest frame `snapshot` draws, in cells: a frame is held whole in
/// memory (about 50 bytes a cell), so this keeps it near 50 MB.
pub const MAX_SNAPSHOT_CELLS: u64 = 1_000_000;

/// Refuses a frame larger than `MAX_SNAPSHOT_CELLS`.
fn check_frame(width: u16, height: u16) -> Result<(), UserError> {
    let cells = u64::from(width) * u64::from(height);
    if cells > MAX_SNAPSHOT_CELLS {
        return Err(UserError::new(format!(
            "--width × --height: {width} × {height} is {cells} cells, over the limit of \
             {MAX_SNAPSHOT_CELLS} (1000 × 1000, or any other shape of that area)"
        )));
    }
    Ok(())
}

/// `learndeck tour`: every stop of a lesson's tour, as the dashboard shows
/// it — a `stop K/N: TITLE` line, the narration and the frame — or, with
/// `--summary`, as TOML.
pub fn tour(config: &Config, args: &TourArgs) -> Result<String, UserError> {
    check_frame(args.width, args.height)?;
    let entry = lessons::find(&args.lesson).ok_or_else(|| {
        UserError::new(format!(
            "unknown lesson '{}'; known lessons are {}",
            crate::error::echo(&args.lesson),
            lessons::ids()
        ))
    })?;
    let with_tours: Vec<&str> = REGISTRY
        .iter()
        .filter(|e| e.tour.is_some())
        .map(|e| e.id)
        .collect();
    let tour = match Tour::of(entry) {
        Some(tour) => tour.map_err(UserError::new)?,
        None => {
            return Err(UserError::new(format!(
                "{} has no tour yet; lessons with one: {}",
                entry.id,
                with_tours.join(", ")
            )));
        }
    };
    let count = tour.stops.len();
    let mut app = App::new(config, Some(entry.id), true)?;
    let lang = app.lang();
    app.tour = Some(TourRun {
        tab: app.active,
        tour: tour.clone(),
        stop: 0,
    });
    let mut text = String::new();
    let mut stops = Vec::new();
    for (k, stop) in tour.stops.iter().enumerate() {
        app.go_to_stop(k);
        if let Some(notice) = app.notice.as_ref().filter(|n| n.is_error) {
            return Err(UserError::new(notice.text.en.clone()));
        }
        if args.summary {
            let mut table = toml::Table::new();
            let events: Vec<toml::Value> = app
                .tab()
                .events_now()
                .iter()
                .map(|event| toml::Value::from(event.kind))
                .collect();
            table.insert("index".into(), toml::Value::from(k as i64 + 1));
            table.insert("title_en".into(), stop.title(Lang::En).into());
            table.insert("title_zh".into(), stop.title(Lang::Zh).into());
            table.insert("until".into(), stop.until_text().into());
            let step = i64::try_from(app.lesson().steps()).unwrap_or(i64::MAX);
            table.insert("step".into(), toml::Value::from(step));
            table.insert("events".into(), toml::Value::Array(events));
            stops.push(toml::Value::Table(table));
        } else {
            text.push_str(&format!("stop {}/{count}: {}\n", k + 1, stop.title(lang)));
            text.push_str(stop.body(lang));
            text.push_str("\n\n");
            text.push_str(&render_text(&mut app, args.width, args.height));
            text.push('\n');
        }
    }
    if args.summary {
        let mut root = toml::Table::new();
        root.insert("stop".into(), toml::Value::Array(stops));
        text = toml::to_string(&root).map_err(|e| UserError::new(e.to_string()))?;
    }
    Ok(text)
}

/// `learndeck snapshot`: the dashboard on a lesson after `steps` steps, as text.
pub fn snapshot(
    config: &Config,
    args: &RunArgs,
    width: u16,
    height: u16,
) -> Result<String, UserError> {
    check_frame(width, height)?;
    let (entry, params) = resolve(config, args)?;
    let mut config = config.clone();
    if let Some(slot) = config
        .lessons
        .iter_mut()
        .find(|set| set.lesson() == entry.id)
    {
        *slot = params;
    }
    let mut app = App::new(&config, Some(entry.id), true)?;
    for _ in 0..args.steps.unwrap_or(0) {
        if !app.tabs[app.active].step() {
            break;
        }
    }
    Ok(render_text(&mut app, width, height))
}

/// Draws `app` at a size and returns the screen as text.
pub fn render_text(app: &mut App, width: u16, height: u16) -> String {
    app.size = Size::new(width, height);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    ui::render(app, area, &mut buf);
    ui::buffer_to_text(&buf)
}
