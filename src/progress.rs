//! What a learner has done, kept between runs: per lesson, the tour stops
//! seen and, per question kind, how often it was asked and answered right.
//!
//! The file is `$XDG_STATE_HOME/learndeck/progress.toml`, else
//! `~/.local/state/learndeck/progress.toml`; with neither variable set (or
//! set to a relative path, which the XDG rules say to ignore) there is no
//! file and nothing is saved. learndeck writes it; its format:
//!
//! ```toml
//! version = 1
//!
//! [lesson.knapsack.tour]
//! seen = [0, 1, 2]    # stop indices visited, counted from 0
//! stops = 5           # the tour's length when last walked (absent: unknown)
//!
//! [lesson.knapsack.quiz.cell]    # one table per question kind
//! asked = 4
//! right = 3
//! last = 2025-05-01T09:30:00Z    # when last answered, UTC
//! ```
//!
//! A file that cannot be read or does not hold exactly this (bad TOML, wrong
//! types, unknown keys, more right than asked, too large, a directory) is
//! renamed `progress.toml.bad` (`.bad.1`, … when that is taken) and the
//! session starts fresh: a learner's record is never overwritten unseen. A
//! file from a newer learndeck (a higher `version`) is left as it is and this
//! session does not save. Writes go to a temporary file in the same
//! directory, are synced, then renamed over the old file, so a crash leaves
//! the old file or the new one, never half of one.
//!
//! Two dashboards open at once each write what they know: the last to save
//! wins (no locking; progress is a convenience, not a ledger).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use toml::value::{Date, Datetime, Offset, Time};
use unicode_width::UnicodeWidthStr;

use crate::error::{UserError, echo, escape_controls};
use crate::files::{self, MIB};
use crate::i18n::Said;
use crate::said;

/// The file's name inside `learndeck/` of the state directory.
pub const FILE_NAME: &str = "progress.toml";
/// The format this build reads and writes; a file with a higher one is left alone.
pub const VERSION: u32 = 1;
/// The largest file read: every lesson's record is a few kilobytes at most,
/// so anything near this is not ours.
pub const MAX_FILE_BYTES: u64 = MIB;
/// The longest tour recorded. A stop count beyond it is a caller's bug, and
/// is not written down (it would make `seen` unbounded).
pub const MAX_TOUR_STOPS: u32 = 1_000;
/// How many set-aside copies may pile up (`.bad`, `.bad.1` … `.bad.9`)
/// before a corrupt file is left in place and saving stops instead.
const MAX_BAD_COPIES: u32 = 10;
/// The state directory is private to its user (the XDG base directory rules).
#[cfg(unix)]
const STATE_DIR_MODE: u32 = 0o700;
const SECONDS_PER_MINUTE: u64 = 60;
const SECONDS_PER_HOUR: u64 = 3_600;
const SECONDS_PER_DAY: u64 = 86_400;
const PERCENT: u64 = 100;
/// The first line of the file, so a reader knows whose it is.
const HEADER: &str = "# learndeck's progress: tour stops seen and questions answered, per lesson.\n\
                      # Written by learndeck (see README.md, \"Progress\"); safe to delete.\n";

/// Everything recorded, by lesson id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[serde(default = "current_version")]
    version: u32,
    #[serde(default, rename = "lesson", skip_serializing_if = "BTreeMap::is_empty")]
    lessons: BTreeMap<String, LessonProgress>,
}

fn current_version() -> u32 {
    VERSION
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: VERSION,
            lessons: BTreeMap::new(),
        }
    }
}

/// One lesson's record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonProgress {
    #[serde(default, skip_serializing_if = "Tour::is_empty")]
    pub tour: Tour,
    /// By question kind (`cell`, `take`, `best` for knapsack).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quiz: BTreeMap<String, KindStats>,
}

/// The stops of a lesson's tour that were shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tour {
    /// Stop indices, from 0.
    #[serde(default)]
    pub seen: BTreeSet<u32>,
    /// The tour's length when a stop was last recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stops: Option<u32>,
}

impl Tour {
    fn is_empty(&self) -> bool {
        self.seen.is_empty() && self.stops.is_none()
    }

    /// Every stop seen, of a tour whose length is known.
    pub fn finished(&self) -> bool {
        match self.stops {
            Some(stops) if stops > 0 => self.seen.range(..stops).count() == stops as usize,
            _ => false,
        }
    }
}

/// Answers to one kind of question.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindStats {
    pub asked: u32,
    pub right: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Datetime>,
}

/// Why a file could not be taken as progress.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// Unreadable or not progress: the reason, in English.
    Corrupt(String),
    /// Written by a newer learndeck, in this format version.
    Newer(i64),
}

impl ReadError {
    /// What to tell the user, naming the file.
    pub fn said(&self, path: &Path) -> Said {
        let file = shown(path);
        match self {
            ReadError::Corrupt(why) => said!(
                "{file} is not a progress file: {why}",
                "{file} 不是学习进度文件：{why}"
            ),
            ReadError::Newer(version) => said!(
                "{file} was written by a newer learndeck (format {version})",
                "{file} 由更新版本的 learndeck 写入（格式 {version}）"
            ),
        }
    }
}

/// A problem met while loading, for the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub message: Said,
    /// True when the file is still in place and must not be written over.
    pub blocks_saving: bool,
}

impl Progress {
    /// The file at `path` as it is, without changing anything: `None` when
    /// there is none (`learndeck progress` reads it this way).
    pub fn read(path: &Path) -> Result<Option<Progress>, ReadError> {
        // No file there, nor a directory to hold one: nothing recorded yet.
        match fs::symlink_metadata(path) {
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(None);
            }
            _ => {}
        }
        let text = files::read_text(path, MAX_FILE_BYTES).map_err(ReadError::Corrupt)?;
        Progress::parse(&text).map(Some)
    }

    /// Progress from the text of a file.
    pub fn parse(text: &str) -> Result<Progress, ReadError> {
        let at = |err: toml::de::Error| {
            let place = err.span().map_or(String::new(), |span| {
                let (line, col) = files::line_col(text, span.start);
                format!("line {line}, column {col}: ")
            });
            ReadError::Corrupt(format!("{place}{}", err.message().trim()))
        };
        // The version first: a newer file may have keys this build rejects.
        let table: toml::Table = toml::from_str(text).map_err(at)?;
        if let Some(version) = table.get("version").and_then(toml::Value::as_integer)
            && version > i64::from(VERSION)
        {
            return Err(ReadError::Newer(version));
        }
        let progress: Progress = toml::from_str(text).map_err(at)?;
        progress.check().map_err(ReadError::Corrupt)?;
        Ok(progress)
    }

    /// What serde cannot say: counts and stops that contradict each other.
    fn check(&self) -> Result<(), String> {
        for (id, lesson) in &self.lessons {
            let id = echo(id);
            if let Some(stops) = lesson.tour.stops
                && stops > MAX_TOUR_STOPS
            {
                return Err(format!(
                    "lesson.{id}.tour: {stops} stops is over the limit of {MAX_TOUR_STOPS}"
                ));
            }
            let limit = lesson.tour.stops.unwrap_or(MAX_TOUR_STOPS);
            if let Some(stop) = lesson.tour.seen.range(limit..).next() {
                return Err(format!(
                    "lesson.{id}.tour: stop {stop} seen of a tour of {limit} stops"
                ));
            }
            for (kind, stats) in &lesson.quiz {
                if stats.right > stats.asked {
                    let kind = echo(kind);
                    return Err(format!(
                        "lesson.{id}.quiz.{kind}: {} right of {} asked",
                        stats.right, stats.asked
                    ));
                }
                if stats.last.is_some_and(|last| last.date.is_none()) {
                    let kind = echo(kind);
                    return Err(format!(
                        "lesson.{id}.quiz.{kind}.last: a time without a date"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The file at `path`, or a fresh start. A file that is not progress is
    /// moved aside (never overwritten) and said so once; if it cannot be
    /// moved, or a newer learndeck wrote it, the warning blocks saving.
    pub fn load(path: &Path) -> (Progress, Option<Warning>) {
        let error = match Progress::read(path) {
            Ok(found) => return (found.unwrap_or_default(), None),
            Err(error) => error,
        };
        let problem = error.said(path);
        let warning = match error {
            ReadError::Newer(_) => Warning {
                message: problem.then(&said!(
                    "— left as it is; progress is not saved this session.",
                    "——保持原样；本次不保存学习进度。"
                )),
                blocks_saving: true,
            },
            ReadError::Corrupt(_) => match move_aside(path) {
                Ok(aside) => {
                    let aside = shown(&aside);
                    Warning {
                        message: problem.then(&said!(
                            "— moved to {aside}; progress starts afresh.",
                            "——已移至 {aside}；学习进度重新开始。"
                        )),
                        blocks_saving: false,
                    }
                }
                Err(err) => Warning {
                    message: problem.then(&said!(
                        "— could not move it aside ({err}); progress is not saved this session.",
                        "——无法移走它（{err}）；本次不保存学习进度。"
                    )),
                    blocks_saving: true,
                },
            },
        };
        (Progress::default(), Some(warning))
    }

    /// Writes the file atomically, creating its directory if need be. The
    /// error names the file.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let name = shown(path);
        let body = toml::to_string(self).map_err(|err| format!("{name}: {err}"))?;
        write_atomic(path, &format!("{HEADER}\n{body}")).map_err(|err| format!("{name}: {err}"))
    }

    /// Records that stop `stop` (from 0) of a tour of `of` stops was shown;
    /// true if that is news. A different length means the tour changed: the
    /// stops past its end are forgotten. Impossible values are not recorded.
    pub fn record_stop(&mut self, lesson: &str, stop: u32, of: u32) -> bool {
        if stop >= of || of > MAX_TOUR_STOPS {
            return false;
        }
        let tour = &mut self.lessons.entry(lesson.to_string()).or_default().tour;
        let resized = tour.stops != Some(of);
        if resized {
            tour.seen.retain(|&seen| seen < of);
            tour.stops = Some(of);
        }
        tour.seen.insert(stop) || resized
    }

    /// Records an answer to a question of `kind` at time `now`.
    pub fn record_answer(&mut self, lesson: &str, kind: &str, right: bool, now: SystemTime) {
        let stats = self
            .lessons
            .entry(lesson.to_string())
            .or_default()
            .quiz
            .entry(kind.to_string())
            .or_default();
        stats.asked = stats.asked.saturating_add(1);
        if right {
            stats.right = stats.right.saturating_add(1);
        }
        stats.last = Some(utc(now));
    }

    /// Every stop of the lesson's tour seen.
    pub fn tour_finished(&self, lesson: &str) -> bool {
        self.lessons.get(lesson).is_some_and(|l| l.tour.finished())
    }

    /// Right and asked over all the lesson's question kinds; `None` before
    /// the first answer.
    pub fn accuracy(&self, lesson: &str) -> Option<(u64, u64)> {
        let quiz = &self.lessons.get(lesson)?.quiz;
        let right = quiz.values().map(|s| u64::from(s.right)).sum();
        let asked: u64 = quiz.values().map(|s| u64::from(s.asked)).sum();
        (asked > 0).then_some((right, asked))
    }

    /// When a question of the lesson was last answered.
    pub fn last_answered(&self, lesson: &str) -> Option<Datetime> {
        let quiz = &self.lessons.get(lesson)?.quiz;
        quiz.values()
            .filter_map(|s| s.last)
            .max_by_key(|last| unix_seconds(last).unwrap_or(i64::MIN))
    }

    pub fn lesson(&self, id: &str) -> Option<&LessonProgress> {
        self.lessons.get(id)
    }

    /// The lessons with a record, by id.
    pub fn lessons(&self) -> impl Iterator<Item = (&str, &LessonProgress)> {
        self.lessons.iter().map(|(id, l)| (id.as_str(), l))
    }

    pub fn is_empty(&self) -> bool {
        self.lessons.is_empty()
    }

    /// The table `learndeck progress` prints: a row for each lesson of
    /// `order` (the tab order), then any other lesson the file names.
    pub fn table(&self, order: &[&str]) -> String {
        let others = self
            .lessons
            .keys()
            .filter(|id| !order.contains(&id.as_str()));
        let rows: Vec<[String; 4]> = order
            .iter()
            .copied()
            .chain(others.map(String::as_str))
            .map(|id| self.row(id))
            .collect();
        let header = ["lesson", "tour", "quiz", "last answered"].map(String::from);
        let mut widths = [0; 4];
        for row in std::iter::once(&header).chain(&rows) {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (cell, width) in row.iter().zip(widths) {
                line.push_str(cell);
                line.push_str(&" ".repeat(width - cell.width() + 2));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    fn row(&self, id: &str) -> [String; 4] {
        let none = || "-".to_string();
        let lesson = self.lessons.get(id);
        let tour = lesson
            .map(|l| &l.tour)
            .filter(|t| !t.is_empty())
            .map_or_else(none, |t| {
                let seen = t.seen.len();
                t.stops
                    .map_or(format!("{seen}/?"), |stops| format!("{seen}/{stops}"))
            });
        let quiz = self.accuracy(id).map_or_else(none, |(right, asked)| {
            // Rounded to the nearest percent, in integers.
            let percent = (right * PERCENT * 2 + asked) / (asked * 2);
            format!("{right}/{asked} {percent}%")
        });
        let last = self.last_answered(id).map_or_else(none, |t| t.to_string());
        [echo(id), tour, quiz, last]
    }
}

/// What `learndeck progress` prints: the table, or where the file would be.
pub fn report(path: Option<&Path>, order: &[&str]) -> Result<String, UserError> {
    let Some(path) = path else {
        return Ok(format!("{}\n", no_place().en));
    };
    let name = shown(path);
    match Progress::read(path) {
        Ok(Some(progress)) if !progress.is_empty() => Ok(progress.table(order)),
        Ok(_) => Ok(format!(
            "No progress recorded yet; the dashboard keeps it in {name}\n"
        )),
        Err(error) => Err(UserError::new(format!(
            "{}; the dashboard will set it aside and start afresh",
            error.said(path).en
        ))),
    }
}

/// Where progress is kept: `$XDG_STATE_HOME/learndeck/progress.toml`, else
/// `$HOME/.local/state/learndeck/progress.toml`; `None` without either.
pub fn default_path() -> Option<PathBuf> {
    path_from(std::env::var_os("XDG_STATE_HOME"), std::env::var_os("HOME"))
}

/// `default_path` from the variables' values. Relative values are ignored,
/// as the XDG rules ask: they would put the file wherever learndeck was run.
fn path_from(state_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let absolute = |value: Option<OsString>| value.map(PathBuf::from).filter(|p| p.is_absolute());
    let base = absolute(state_home)
        .or_else(|| absolute(home).map(|home| home.join(".local").join("state")))?;
    Some(base.join("learndeck").join(FILE_NAME))
}

/// A path in a message: whole (it is ours, and the user needs all of it to
/// find the file), with control characters escaped.
fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string())
}

/// Why there is no file: neither variable names a directory.
pub fn no_place() -> Said {
    said!(
        "Progress is not saved: neither XDG_STATE_HOME nor HOME is set to a directory.",
        "不保存学习进度：XDG_STATE_HOME 和 HOME 都没有设置为目录。"
    )
}

/// Whether the store writes what it records.
#[derive(Clone, Debug, PartialEq)]
pub enum Saving {
    On,
    /// `--no-progress`: neither read nor written.
    Disabled,
    /// Wanted but not possible; the reason was said once.
    Off(Said),
}

/// The dashboard's progress: the record, where it lives, and whether it can
/// be written. Recording always works; saving may not, and says so once.
#[derive(Clone, Debug)]
pub struct Store {
    path: Option<PathBuf>,
    progress: Progress,
    saving: Saving,
}

impl Store {
    /// The store at the default place; `disabled` is `--no-progress`. The
    /// message, if any, is for the status line.
    pub fn open(disabled: bool) -> (Store, Option<Said>) {
        Store::at(default_path(), disabled)
    }

    /// The store at `path` (`None`: there is no place for it).
    pub fn at(path: Option<PathBuf>, disabled: bool) -> (Store, Option<Said>) {
        let fresh = |path, saving| Store {
            path,
            progress: Progress::default(),
            saving,
        };
        if disabled {
            return (fresh(path, Saving::Disabled), None);
        }
        let Some(file) = path else {
            let message = no_place();
            return (fresh(None, Saving::Off(message.clone())), Some(message));
        };
        let (progress, warning) = Progress::load(&file);
        let saving = match &warning {
            Some(warning) if warning.blocks_saving => Saving::Off(warning.message.clone()),
            _ => Saving::On,
        };
        let store = Store {
            path: Some(file),
            progress,
            saving,
        };
        (store, warning.map(|w| w.message))
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn saving(&self) -> &Saving {
        &self.saving
    }

    /// Records a tour stop and saves if that was news; a message only when
    /// saving has just failed.
    pub fn record_stop(&mut self, lesson: &str, stop: u32, of: u32) -> Option<Said> {
        if self.progress.record_stop(lesson, stop, of) {
            self.save()
        } else {
            None
        }
    }

    /// Records an answer and saves; a message only when saving has just failed.
    pub fn record_answer(
        &mut self,
        lesson: &str,
        kind: &str,
        right: bool,
        now: SystemTime,
    ) -> Option<Said> {
        self.progress.record_answer(lesson, kind, right, now);
        self.save()
    }

    /// Writes the record if saving is on. The first failure turns saving
    /// off for the session (the record stays in memory) and is the only one
    /// reported: a read-only home should not fill the status line.
    pub fn save(&mut self) -> Option<Said> {
        let (Saving::On, Some(path)) = (&self.saving, &self.path) else {
            return None;
        };
        let err = self.progress.save(path).err()?;
        let message = said!(
            "Progress is not saved this session: {err}",
            "本次不保存学习进度：{err}"
        );
        self.saving = Saving::Off(message.clone());
        Some(message)
    }

    /// One line for the help screen: where progress is kept, or why not.
    pub fn describe(&self) -> Said {
        match (&self.saving, &self.path) {
            (Saving::Disabled, _) => said!(
                "Progress: not kept (--no-progress).",
                "学习进度：不记录（--no-progress）。"
            ),
            (Saving::Off(why), _) => why.clone(),
            (Saving::On, Some(path)) => {
                let file = shown(path);
                said!("Progress: {file}", "学习进度：{file}")
            }
            (Saving::On, None) => no_place(),
        }
    }
}

/// Moves a bad file (or directory) to the first free `NAME.bad`, `NAME.bad.1`, …
fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(".bad");
    for copy in 0..MAX_BAD_COPIES {
        let mut candidate = name.clone();
        if copy > 0 {
            candidate.push(format!(".{copy}"));
        }
        let aside = path.with_file_name(candidate);
        match fs::symlink_metadata(&aside) {
            Ok(_) => continue,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                fs::rename(path, &aside)?;
                return Ok(aside);
            }
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other(format!(
        "{MAX_BAD_COPIES} earlier copies are already set aside"
    )))
}

/// Distinguishes the temporary files of one process's saves.
static SAVES: AtomicU64 = AtomicU64::new(0);

/// Writes `text` to `path` through a temporary file in the same directory
/// (a rename is atomic only within one file system), synced before the
/// rename so the new name never points at unwritten data.
fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, STATE_DIR_MODE);
    builder.create(dir)?;
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    let save = SAVES.fetch_add(1, Ordering::Relaxed);
    name.push(format!(".{}.{save}.tmp", std::process::id()));
    let temporary = dir.join(name);
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if let Err(err) = written {
        let _ = fs::remove_file(&temporary);
        return Err(err);
    }
    // The rename itself is durable once the directory is synced; if that
    // fails the new file is still in place, so it is not an error.
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// `now` as a UTC date and time to the second (before 1970 reads as 1970).
fn utc(now: SystemTime) -> Datetime {
    let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days(seconds / SECONDS_PER_DAY);
    let of_day = seconds % SECONDS_PER_DAY;
    // Each narrowing below is of a value already in range by construction.
    Datetime {
        date: Some(Date {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: month as u8,
            day: day as u8,
        }),
        time: Some(Time {
            hour: (of_day / SECONDS_PER_HOUR) as u8,
            minute: (of_day % SECONDS_PER_HOUR / SECONDS_PER_MINUTE) as u8,
            second: Some((of_day % SECONDS_PER_MINUTE) as u8),
            nanosecond: None,
        }),
        offset: Some(Offset::Z),
    }
}

/// Seconds since 1970 of a date and time (a local time taken as UTC); for
/// ordering answers only.
fn unix_seconds(datetime: &Datetime) -> Option<i64> {
    let date = datetime.date?;
    let days = days_from_civil(
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let (hour, minute) = (SECONDS_PER_HOUR as i64, SECONDS_PER_MINUTE as i64);
    let time = datetime.time.map_or(0, |t| {
        i64::from(t.hour) * hour + i64::from(t.minute) * minute + i64::from(t.second.unwrap_or(0))
    });
    let offset = match datetime.offset {
        Some(Offset::Custom { minutes }) => i64::from(minutes) * minute,
        _ => 0,
    };
    Some(days * SECONDS_PER_DAY as i64 + time - offset)
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days on or after the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    const DAYS_PER_ERA: u64 = 146_097;
    // Days from 0000-03-01 to 1970-01-01: eras start in March.
    let z = days + 719_468;
    let era = z / DAYS_PER_ERA;
    let doe = z - era * DAYS_PER_ERA;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "learndeck-progress-unit-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn dates_convert_both_ways() {
        assert_eq!(utc(at(0)).to_string(), "1970-01-01T00:00:00Z");
        // 2024-02-29T12:34:56Z, a leap day.
        assert_eq!(utc(at(1_709_210_096)).to_string(), "2024-02-29T12:34:56Z");
        for seconds in [0, 951_782_400, 1_709_210_096, 4_102_444_800] {
            assert_eq!(unix_seconds(&utc(at(seconds))), Some(seconds as i64));
        }
        let east: Datetime = "2024-01-01T09:00:00+09:00".parse().expect("a datetime");
        let utc_midnight: Datetime = "2024-01-01T00:00:00Z".parse().expect("a datetime");
        assert_eq!(unix_seconds(&east), unix_seconds(&utc_midnight));
    }

    #[test]
    fn a_tour_is_finished_when_every_stop_was_seen() {
        let mut p = Progress::default();
        assert!(!p.tour_finished("knapsack"));
        assert!(p.record_stop("knapsack", 0, 3));
        assert!(p.record_stop("knapsack", 2, 3));
        assert!(!p.record_stop("knapsack", 2, 3), "seen already: no news");
        assert!(!p.tour_finished("knapsack"));
        assert!(p.record_stop("knapsack", 1, 3));
        assert!(p.tour_finished("knapsack"));
        // The tour grew: finished no longer, the stops seen are kept.
        assert!(p.record_stop("knapsack", 0, 4));
        assert!(!p.tour_finished("knapsack"));
        // It shrank: stops past its end are forgotten.
        assert!(p.record_stop("knapsack", 0, 2));
        assert_eq!(
            p.lesson("knapsack").map(|l| l.tour.seen.clone()),
            Some(BTreeSet::from([0, 1]))
        );
        assert!(p.tour_finished("knapsack"));
        assert!(
            !p.record_stop("knapsack", 5, 5),
            "stop 5 of 5 does not exist"
        );
        assert!(!p.record_stop("knapsack", 0, MAX_TOUR_STOPS + 1));
    }

    #[test]
    fn accuracy_sums_the_kinds_and_last_is_the_latest() {
        let mut p = Progress::default();
        assert_eq!(p.accuracy("knapsack"), None);
        p.record_answer("knapsack", "cell", true, at(100));
        p.record_answer("knapsack", "cell", false, at(300));
        p.record_answer("knapsack", "take", true, at(200));
        assert_eq!(p.accuracy("knapsack"), Some((2, 3)));
        assert_eq!(p.last_answered("knapsack"), Some(utc(at(300))));
        assert_eq!(p.accuracy("heap"), None);
    }

    #[test]
    fn text_round_trips() {
        let mut p = Progress::default();
        p.record_stop("knapsack", 1, 5);
        p.record_answer("knapsack", "cell", true, at(1_700_000_000));
        let dir = scratch("text");
        let file = dir.join(FILE_NAME);
        p.save(&file).expect("saved");
        let text = fs::read_to_string(&file).expect("read back");
        assert!(text.starts_with("# learndeck's progress"), "{text}");
        assert!(text.contains("[lesson.knapsack.quiz.cell]"), "{text}");
        assert!(text.contains("last = 2023-11-14T22:13:20Z"), "{text}");
        assert_eq!(Progress::parse(&text), Ok(p));
    }

    #[test]
    fn contradictions_and_strangers_are_corrupt() {
        for text in [
            "[lesson.x.quiz.cell]\nasked = 1\nright = 2\n",
            "[lesson.x.quiz.cell]\nasked = -1\nright = 0\n",
            "[lesson.x.tour]\nseen = [3]\nstops = 3\n",
            "[lesson.x.tour]\nstops = 100000\n",
            "[lesson.x.quiz.cell]\nasked = 1\nright = 1\nlast = 12:00:00\n",
            "colour = \"blue\"\n",
            "[lesson.x]\ntour = 3\n",
            "version = \"one\"\n",
            "not toml",
        ] {
            assert!(
                matches!(Progress::parse(text), Err(ReadError::Corrupt(_))),
                "{text:?} was accepted"
            );
        }
        assert_eq!(
            Progress::parse("version = 2\nfuture = true\n"),
            Err(ReadError::Newer(2))
        );
        assert_eq!(Progress::parse(""), Ok(Progress::default()));
    }

    #[test]
    fn the_place_follows_xdg_then_home() {
        let some = |s: &str| Some(OsString::from(s));
        assert_eq!(
            path_from(some("/state"), some("/home/u")),
            Some(PathBuf::from("/state/learndeck/progress.toml"))
        );
        assert_eq!(
            path_from(some(""), some("/home/u")),
            Some(PathBuf::from(
                "/home/u/.local/state/learndeck/progress.toml"
            ))
        );
        assert_eq!(
            path_from(some("relative"), some("/home/u")),
            Some(PathBuf::from(
                "/home/u/.local/state/learndeck/progress.toml"
            ))
        );
        assert_eq!(path_from(None, some("")), None);
        assert_eq!(path_from(None, None), None);
    }

    #[test]
    fn set_aside_copies_do_not_overwrite_each_other() {
        let dir = scratch("aside");
        let file = dir.join(FILE_NAME);
        for round in 0..3 {
            fs::write(&file, format!("bad {round}")).expect("written");
            let (_, warning) = Progress::load(&file);
            assert!(warning.is_some_and(|w| !w.blocks_saving));
        }
        let read = |name: &str| fs::read_to_string(dir.join(name)).expect("set aside");
        assert_eq!(read("progress.toml.bad"), "bad 0");
        assert_eq!(read("progress.toml.bad.1"), "bad 1");
        assert_eq!(read("progress.toml.bad.2"), "bad 2");
        assert!(!file.exists());
    }

    #[test]
    fn the_table_lists_lessons_in_order_then_strangers() {
        let mut p = Progress::default();
        p.record_stop("knapsack", 0, 5);
        p.record_answer("knapsack", "cell", true, at(0));
        p.record_answer("knapsack", "cell", true, at(0));
        p.record_answer("knapsack", "take", false, at(0));
        p.record_stop("gone", 0, 1);
        let table = p.table(&["heap", "knapsack"]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(lines[0].starts_with("lesson"), "{table}");
        assert!(lines[1].starts_with("heap      -"), "{table}");
        assert!(
            lines[2].contains("1/5") && lines[2].contains("2/3 67%"),
            "{table}"
        );
        assert!(lines[2].ends_with("1970-01-01T00:00:00Z"), "{table}");
        assert!(
            lines[3].starts_with("gone") && lines[3].contains("1/1"),
            "{table}"
        );
    }
}
