//! The interface in English and Chinese. Every user-facing string is written
//! once per language, side by side: a fixed one as `tr!("en", "中文")`, one
//! built at run time (a refusal, a notice) as `said!("en {x}", "中文 {x}")`.
//! Neither compiles without both languages, and `tests/i18n.rs` reads every
//! pair in the source to check that the two name the same `{placeholders}`
//! and that the Chinese is not the English copied.
//!
//! Scripts' outputs (CSV, TOML, command-line errors) stay English.

use std::fmt;

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The other language: what `L` switches to.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// Chinese when the locale says so (`LC_ALL`, else `LANG`, starting `zh`).
    pub fn from_locale(lc_all: Option<&str>, lang: Option<&str>) -> Lang {
        let locale = lc_all.filter(|v| !v.is_empty()).or(lang).unwrap_or("");
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language the environment asks for.
    pub fn from_environment() -> Lang {
        let lc_all = std::env::var("LC_ALL").ok();
        let lang = std::env::var("LANG").ok();
        Lang::from_locale(lc_all.as_deref(), lang.as_deref())
    }
}

/// A fixed string in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Tr {
    pub const fn new(en: &'static str, zh: &'static str) -> Tr {
        Tr { en, zh }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// `tr!("English", "中文")`: a fixed string in both languages.
#[macro_export]
macro_rules! tr {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::i18n::Tr::new($en, $zh)
    };
}

/// A string made at run time, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub en: String,
    pub zh: String,
}

impl Said {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The same text in both languages: a value, a name, a number.
    pub fn plain(text: impl Into<String>) -> Said {
        let text = text.into();
        Said {
            en: text.clone(),
            zh: text,
        }
    }

    /// This text followed by `more` (joined by a space in English).
    pub fn then(self, more: &Said) -> Said {
        Said {
            en: format!("{} {}", self.en, more.en),
            zh: format!("{}{}", self.zh, more.zh),
        }
    }
}

impl From<Tr> for Said {
    fn from(tr: Tr) -> Said {
        Said {
            en: tr.en.to_string(),
            zh: tr.zh.to_string(),
        }
    }
}

/// English, for scripts and logs.
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// `said!("{n} steps/s", "每秒 {n} 步")`: both formatted from the same
/// variables in scope (inline format arguments only).
#[macro_export]
macro_rules! said {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::i18n::Said {
            en: format!($en),
            zh: format!($zh),
        }
    };
}

/// `n` and an English noun that agrees with it: `count_en(1, "node",
/// "nodes")` is "1 node", any other count takes the plural ("0 nodes",
/// "2 nodes"). Chinese nouns have no plural, so a `said!` pair writes
/// `"{nodes_en}"` in English and `"{nodes} 个节点"` in Chinese.
pub fn count_en<T>(n: T, one: &str, many: &str) -> String
where
    T: fmt::Display + PartialEq + From<u8>,
{
    let noun = if n == T::from(1) { one } else { many };
    format!("{n} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zh_locale_picks_chinese_and_lc_all_wins() {
        assert_eq!(Lang::from_locale(None, Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(
            Lang::from_locale(Some("en_US.UTF-8"), Some("zh_CN")),
            Lang::En
        );
        assert_eq!(Lang::from_locale(Some(""), Some("zh_TW")), Lang::Zh);
        assert_eq!(Lang::from_locale(None, None), Lang::En);
    }

    #[test]
    fn pairs_pick_their_language() {
        let t = tr!("paused", "已暂停");
        assert_eq!(t.get(Lang::Zh), "已暂停");
        let n = 3;
        let s = said!("{n} steps", "{n} 步");
        assert_eq!(s.get(Lang::En), "3 steps");
        assert_eq!(s.get(Lang::Zh), "3 步");
        assert_eq!(Lang::En.other(), Lang::Zh);
    }

    #[test]
    fn an_english_count_is_singular_for_exactly_one() {
        assert_eq!(count_en(1usize, "node", "nodes"), "1 node");
        assert_eq!(count_en(0usize, "node", "nodes"), "0 nodes");
        assert_eq!(count_en(2u64, "pass", "passes"), "2 passes");
        assert_eq!(count_en(11u64, "pass", "passes"), "11 passes");
        assert_eq!(
            count_en(1usize, "candidate/pass", "candidates/pass"),
            "1 candidate/pass"
        );
    }
}
