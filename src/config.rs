//! config.toml: the built-in defaults, a user's overrides, and validation that
//! names the key path of anything wrong.

use crate::{said, tr};
use std::path::{Path, PathBuf};

use crate::error::{UserError, echo};
use crate::files::{self, MIB, line_col};
use crate::i18n::Lang;
use crate::lesson::{Choice, ParamSet, ParamSpec, ParamValue, choices};
use crate::lessons::{self, REGISTRY};
use crate::theme::ThemeName;

/// The documented defaults, compiled in.
pub const BUILTIN: &str = include_str!("../config.toml");
const BUILTIN_NAME: &str = "built-in config.toml";

pub const MAX_SPEED: i64 = 10_000;
const MAX_FPS: i64 = 120;
pub const DEFAULT_SEED: u64 = 1;
/// The largest config file read; the documented one is about 10 KB.
pub const MAX_CONFIG_BYTES: u64 = MIB;
/// The first lesson written, and the one a new user sees first.
const DEFAULT_START_LESSON: &str = "knapsack";

/// Settings of the dashboard itself (`[ui]`).
#[derive(Clone, Debug, PartialEq)]
pub struct UiConfig {
    pub fps: u32,
    pub theme: &'static str,
    pub language: Language,
    pub start_lesson: &'static str,
    /// Steps per second at start-up.
    pub speed: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub seed: u64,
    pub ui: UiConfig,
    /// One parameter set per lesson, in registry order.
    pub lessons: Vec<ParamSet>,
}

/// The interface language a configuration asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Chinese when `LC_ALL` or `LANG` starts with `zh`, else English.
    Auto,
    En,
    Zh,
}
choices!(Language { Language::Auto => "auto", Language::En => "en", Language::Zh => "zh" });

impl Language {
    /// The language to start in.
    pub fn resolve(self) -> Lang {
        match self {
            Language::Auto => Lang::from_environment(),
            Language::En => Lang::En,
            Language::Zh => Lang::Zh,
        }
    }
}
// Declared here, where the palette is read, so the theme imports no lessons.
choices!(ThemeName {
    ThemeName::Dark => "dark",
    ThemeName::Light => "light",
    ThemeName::Mono => "mono",
});

mod key {
    pub const FPS: &str = "fps";
    pub const THEME: &str = "theme";
    pub const LANGUAGE: &str = "language";
    pub const START_LESSON: &str = "start_lesson";
    pub const SPEED: &str = "speed";
    pub const SEED: &str = "seed";
}

/// Longest lesson id `start_lesson` may name.
const MAX_LESSON_ID: usize = 64;
/// Frames per second and steps per second at start-up, by default.
const DEFAULT_FPS: i64 = 30;
const DEFAULT_SPEED: i64 = 5;

/// The `[ui]` keys, checked by the same validator as lesson parameters.
fn ui_specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::int(key::FPS, 1..=MAX_FPS, DEFAULT_FPS)
            .help(tr!("frames per second while playing", "播放时每秒的帧数")),
        ParamSpec::choice(key::THEME, ThemeName::Dark).help(tr!("colour palette", "配色方案")),
        ParamSpec::choice(key::LANGUAGE, Language::Auto).help(tr!(
            "interface language: auto (from LANG), en or zh",
            "界面语言：auto（按 LANG）、en 或 zh"
        )),
        ParamSpec::text(key::START_LESSON, MAX_LESSON_ID, DEFAULT_START_LESSON)
            .help(tr!("lesson shown at start-up", "启动时显示的课程")),
        ParamSpec::int(key::SPEED, 1..=MAX_SPEED, DEFAULT_SPEED)
            .help(tr!("steps per second at start-up", "启动时每秒的步数")),
    ]
}

fn seed_spec() -> ParamSpec {
    ParamSpec::int(key::SEED, 0..=i64::MAX, DEFAULT_SEED as i64).help(tr!(
        "seed of every lesson's random generator",
        "每个课程的随机数种子"
    ))
}

impl Config {
    /// Every key at the defaults the lessons declare (before config.toml is read).
    fn from_specs() -> Result<Config, UserError> {
        Ok(Config {
            seed: DEFAULT_SEED,
            ui: ui_from_set(&ParamSet::defaults("ui", ui_specs()))?,
            lessons: REGISTRY.iter().map(|entry| entry.defaults()).collect(),
        })
    }

    /// The built-in configuration alone.
    pub fn builtin() -> Result<Config, UserError> {
        let mut config = Config::from_specs()?;
        config.apply_text(BUILTIN, BUILTIN_NAME)?;
        Ok(config)
    }

    /// Built-in defaults overridden by `path`, or by the user's XDG file when
    /// no path is given and that file exists.
    pub fn load(path: Option<&Path>) -> Result<Config, UserError> {
        let mut config = Config::builtin()?;
        let user = match path {
            Some(path) => Some(path.to_path_buf()),
            None => user_config_path().filter(|p| p.is_file()),
        };
        if let Some(path) = user {
            let name = echo(&path.display().to_string());
            let text = files::read_text(&path, MAX_CONFIG_BYTES).map_err(UserError::new)?;
            config.apply_text(&text, &name)?;
        }
        Ok(config)
    }

    /// Parses `text` and applies its keys over the current values.
    pub fn apply_text(&mut self, text: &str, name: &str) -> Result<(), UserError> {
        let table: toml::Table = toml::from_str(text).map_err(|err| {
            let place = err
                .span()
                .map(|span| line_col(text, span.start))
                .map_or(String::new(), |(line, col)| {
                    format!(" at line {line}, column {col}")
                });
            UserError::new(format!(
                "{name}: not valid TOML{place}: {}",
                err.message().trim()
            ))
        })?;
        self.apply(&table).map_err(|err| err.within(name))
    }

    /// Applies every key of `table`; unknown keys and bad values are errors.
    fn apply(&mut self, table: &toml::Table) -> Result<(), UserError> {
        for (key, value) in table {
            match (key.as_str(), value) {
                ("seed", value) => {
                    let checked = seed_spec()
                        .from_toml(value)
                        .map_err(|m| UserError::new(format!("seed: {m}")))?;
                    if let ParamValue::Int(n) = checked {
                        self.seed = n.unsigned_abs();
                    }
                }
                ("ui", toml::Value::Table(ui)) => self.apply_ui(ui)?,
                ("lesson", toml::Value::Table(lessons)) => {
                    for (id, value) in lessons {
                        self.apply_lesson(id, value)?;
                    }
                }
                ("ui" | "lesson", other) => {
                    return Err(UserError::new(format!(
                        "{key}: expected a table, found the {} {}",
                        other.type_str(),
                        echo(&other.to_string())
                    )));
                }
                _ => {
                    return Err(UserError::new(format!(
                        "{}: unknown key; the top level has seed, [ui] and [lesson.ID]",
                        echo(key)
                    )));
                }
            }
        }
        for set in &self.lessons {
            if let Some(entry) = lessons::find(set.lesson()) {
                (entry.validate)(set)?;
            }
        }
        Ok(())
    }

    fn apply_ui(&mut self, table: &toml::Table) -> Result<(), UserError> {
        let mut set = ParamSet::defaults("ui", ui_specs());
        for (key, value) in ui_to_values(&self.ui) {
            set.set_toml(key, &value)?;
        }
        for (key, value) in table {
            set.set_toml(key, value).map_err(|mut err| {
                err.path = format!("ui.{}", echo(key));
                if set.index_of(key).is_none() {
                    let known = ui_specs()
                        .iter()
                        .map(|s| s.key)
                        .collect::<Vec<_>>()
                        .join(", ");
                    err.message = said!(
                        "unknown key; [ui] has {known}",
                        "没有这个键；[ui] 的键有 {known}"
                    );
                }
                UserError::from(err)
            })?;
        }
        self.ui = ui_from_set(&set)?;
        Ok(())
    }

    fn apply_lesson(&mut self, id: &str, value: &toml::Value) -> Result<(), UserError> {
        let Some(set) = self.lessons.iter_mut().find(|set| set.lesson() == id) else {
            return Err(UserError::new(format!(
                "lesson.{}: unknown lesson; known lessons are {}",
                echo(id),
                lessons::ids()
            )));
        };
        let toml::Value::Table(table) = value else {
            return Err(UserError::new(format!(
                "lesson.{id}: expected a table of parameters, found the {} {}",
                value.type_str(),
                echo(&value.to_string())
            )));
        };
        for (key, value) in table {
            set.set_toml(key, value)?;
        }
        Ok(())
    }

    /// The parameter set of lesson `id`.
    pub fn lesson(&self, id: &str) -> Option<&ParamSet> {
        self.lessons.iter().find(|set| set.lesson() == id)
    }

    /// Applies the dashboard's `--set` settings to lesson `id`, the one it opens on.
    pub fn apply_settings(&mut self, id: &str, settings: &[String]) -> Result<(), UserError> {
        if settings.is_empty() {
            return Ok(());
        }
        let set = self
            .lessons
            .iter_mut()
            .find(|set| set.lesson() == id)
            .ok_or_else(|| {
                UserError::new(format!(
                    "unknown lesson '{}'; known lessons are {}",
                    echo(id),
                    lessons::ids()
                ))
            })?;
        apply_settings(set, settings)
    }
}

/// Applies `--set KEY=VALUE` settings, in order, over `params`.
pub fn apply_settings(params: &mut ParamSet, settings: &[String]) -> Result<(), UserError> {
    for setting in settings {
        let Some((key, value)) = setting.split_once('=') else {
            return Err(UserError::new(format!(
                "--set '{}': expected KEY=VALUE, for example --set capacity=20",
                echo(setting)
            )));
        };
        params.set_text(key.trim(), value)?;
    }
    Ok(())
}

/// Reads typed `[ui]` values from a checked set.
fn ui_from_set(set: &ParamSet) -> Result<UiConfig, UserError> {
    let start = set.text(key::START_LESSON)?;
    let entry = lessons::find(start).ok_or_else(|| {
        UserError::new(format!(
            "ui.start_lesson: '{}' is not a lesson; known lessons are {}",
            echo(start),
            lessons::ids()
        ))
    })?;
    let theme: ThemeName = set.choice(key::THEME)?;
    let language: Language = set.choice(key::LANGUAGE)?;
    Ok(UiConfig {
        fps: u32::try_from(set.int(key::FPS)?).unwrap_or(1),
        theme: theme.name(),
        language,
        start_lesson: entry.id,
        speed: u32::try_from(set.int(key::SPEED)?).unwrap_or(1),
    })
}

fn ui_to_values(ui: &UiConfig) -> Vec<(&'static str, toml::Value)> {
    vec![
        ("fps", toml::Value::Integer(i64::from(ui.fps))),
        ("theme", ui.theme.into()),
        ("language", ui.language.name().into()),
        ("start_lesson", ui.start_lesson.into()),
        ("speed", toml::Value::Integer(i64::from(ui.speed))),
    ]
}

/// `$XDG_CONFIG_HOME/learndeck/config.toml`, else `~/.config/learndeck/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("learndeck").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(text: &str) -> Result<Config, UserError> {
        let mut config = Config::builtin()?;
        config.apply_text(text, "test.toml")?;
        Ok(config)
    }

    #[test]
    fn builtin_file_documents_exactly_the_declared_defaults() {
        assert_eq!(Config::builtin(), Config::from_specs());
        let table: toml::Table = toml::from_str(BUILTIN).expect("config.toml parses");
        let lessons = table["lesson"].as_table().expect("a [lesson] table");
        for entry in REGISTRY {
            let documented = lessons[entry.id].as_table().expect("a table per lesson");
            for spec in (entry.specs)() {
                assert_eq!(
                    documented.get(spec.key),
                    Some(&ParamSpec::to_toml(&spec.default)),
                    "config.toml must document lesson.{}.{}",
                    entry.id,
                    spec.key
                );
            }
            assert_eq!(documented.len(), (entry.specs)().len());
        }
        let ui = table["ui"].as_table().expect("a [ui] table");
        for spec in ui_specs() {
            assert_eq!(ui.get(spec.key), Some(&ParamSpec::to_toml(&spec.default)));
        }
    }

    #[test]
    fn user_values_override_key_by_key() {
        let config = with("[lesson.knapsack]\ncapacity = 20\n[ui]\nfps = 10\n").expect("valid");
        let set = config.lesson("knapsack").expect("knapsack");
        assert_eq!(set.get("capacity"), Some(&ParamValue::Int(20)));
        assert_eq!(
            set.get("weights"),
            Some(&ParamValue::IntList(vec![2, 4, 5, 6, 7]))
        );
        assert_eq!(config.ui.fps, 10);
        assert_eq!(config.ui.theme, "dark");
    }

    #[test]
    fn errors_name_the_key_path() {
        let err = with("[lesson.knapsack]\ncapacity = -3\n").unwrap_err();
        assert_eq!(
            err.0,
            "test.toml: lesson.knapsack.capacity: -3 is below the minimum 0"
        );
        let err = with("[ui]\nfsp = 3\n").unwrap_err();
        assert!(err.0.starts_with("test.toml: ui.fsp: unknown key"), "{err}");
        let err = with("[lesson.knapsak]\n").unwrap_err();
        assert!(err.0.contains("lesson.knapsak: unknown lesson"), "{err}");
        let err = with("colour = 1\n").unwrap_err();
        assert!(err.0.contains("colour: unknown key"), "{err}");
        let err = with("[ui]\nstart_lesson = \"nope\"\n").unwrap_err();
        assert!(err.0.contains("ui.start_lesson"), "{err}");
    }

    #[test]
    fn list_length_mismatch_names_both_lengths() {
        let err = with("[lesson.knapsack]\nweights = [1, 2, 3]\n").unwrap_err();
        assert_eq!(
            err.0,
            "test.toml: lesson.knapsack.values: 5 values for 3 weights; \
             the two lists must have the same length"
        );
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = with("[ui]\nfps = = 3\n").unwrap_err();
        assert!(
            err.0.starts_with("test.toml: not valid TOML at line 2"),
            "{err}"
        );
        assert!(!err.0.contains('\n'), "one line: {err}");
    }
}
