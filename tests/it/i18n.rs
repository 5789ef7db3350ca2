//! Every user-facing string has a Chinese one (src/i18n.rs): each `tr!` and
//! `said!` pair in the source names the same placeholders in both languages,
//! and the Chinese is not the English copied.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literal at the start of `text` (after spaces and commas):
/// its value and what follows it. Raw strings are not used for pairs.
fn literal(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut value = String::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[at + 2..])),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('\n') => {
                    // A line continuation: the next line's indent is dropped.
                    while chars.clone().next().is_some_and(|(_, c)| c.is_whitespace()) {
                        chars.next();
                    }
                }
                Some(other) => value.push(other),
                None => return None,
            },
            c => value.push(c),
        }
    }
    None
}

/// `{name}` placeholders (not `{{`), as written, except that a name's
/// language suffix is dropped: `{allowed_en}` in English is `{allowed_zh}`
/// in Chinese, the same value said in each language.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open..open + close + 1];
        found.insert(
            name.replace("_en}", "}")
                .replace("_zh}", "}")
                .replace("_en:", ":")
                .replace("_zh:", ":"),
        );
        rest = rest[open + close + 1..].to_string();
    }
    found
}

/// Text that reads the same in both languages: symbols, numbers, units and
/// names (of algorithms, formats, people's papers) with no other words.
fn language_free(text: &str) -> bool {
    const NAMES: &[&str] = &[
        "Adam", "AdamW", "SGD", "AMSGrad", "Medusa", "MTP", "FP16", "FP32", "BF16", "VE", "VP",
        "sub-VP", "COCO", "VOC", "VOC07", "VOC10", "AP", "mAP", "IoU", "TP", "FP", "ODE", "SDE",
        "SMLD", "NCSN", "heapq", "DP", "PC", "EM", "ULP", "NaN", "inf", "amp", "fp16", "fp32",
        "bf16", "master", "Langevin",
    ];
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|word| word.chars().any(|c| c.is_ascii_alphabetic()))
        .all(|word| NAMES.contains(&word) || word.len() == 1)
}

#[test]
fn every_pair_says_the_same_in_both_languages() {
    let mut files = Vec::new();
    rust_files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut pairs = 0;
    let mut wrong = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source readable");
        for mac in ["tr!(", "said!("] {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(mac) {
                // `include_str!(` ends in `tr!(` too: only a whole name counts.
                let whole = rest[..at]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_');
                rest = &rest[at + mac.len()..];
                if !whole {
                    continue;
                }
                // The macros' own definitions name `$en`, not literals.
                let Some((en, after)) = literal(rest) else {
                    continue;
                };
                let Some((zh, _)) = literal(after) else {
                    wrong.push(format!("{}: {mac}\"{en}\" has no Chinese", file.display()));
                    continue;
                };
                pairs += 1;
                let place = format!("{}: {en:?} / {zh:?}", file.display());
                if placeholders(&en) != placeholders(&zh) {
                    wrong.push(format!("{place}: the placeholders differ"));
                }
                if zh.trim().is_empty() && !en.trim().is_empty() {
                    wrong.push(format!("{place}: the Chinese is empty"));
                }
                if zh == en && !language_free(&en) {
                    wrong.push(format!("{place}: the Chinese is the English"));
                }
            }
        }
    }
    assert!(pairs > 0, "no pairs found: the scan is broken");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_scanner_reads_literals_and_placeholders() {
    let (en, rest) = literal(r#""a {n} \"b\"", "c {n}")"#).expect("a literal");
    assert_eq!(en, "a {n} \"b\"");
    let (zh, _) = literal(rest).expect("a second literal");
    assert_eq!(zh, "c {n}");
    assert_eq!(
        placeholders("{a} {{x}} {b:.2}"),
        BTreeSet::from(["{a}".to_string(), "{b:.2}".to_string()])
    );
    assert!(language_free("AdamW — 3 x"));
    assert!(!language_free("step size"));
}

/// Every lesson's parameter sets worth a listing of their own: the defaults,
/// and each choice of each choice parameter (a mode, an algorithm).
fn listing_variants(entry: &learndeck::lesson::LessonEntry) -> Vec<learndeck::lesson::ParamSet> {
    let defaults = entry.defaults();
    let mut sets = vec![defaults.clone()];
    for spec in defaults.specs() {
        if let learndeck::lesson::ParamKind::Choice(options) = spec.kind {
            for option in options {
                let mut set = defaults.clone();
                if set.set_text(spec.key, option).is_ok() {
                    sets.push(set);
                }
            }
        }
    }
    sets
}

/// Steps run before reading a listing the second time.
const RUN_FOR_LISTINGS: usize = 3_000;

#[test]
fn pseudocode_is_the_same_code_in_both_languages() {
    use learndeck::i18n::Lang;
    let mut wrong = Vec::new();
    for entry in learndeck::lessons::REGISTRY {
        for params in listing_variants(entry) {
            let Ok(mut lesson) = (entry.build)(&params, 1) else {
                continue;
            };
            // Some listings change once the run is under way (a traceback).
            for _ in 0..2 {
                let (en, zh) = (lesson.pseudocode(Lang::En), lesson.pseudocode(Lang::Zh));
                let code = |line: &str| line.split('#').next().unwrap_or("").trim_end().to_string();
                if en.len() != zh.len() {
                    wrong.push(format!(
                        "{}: {} English lines, {} Chinese",
                        entry.id,
                        en.len(),
                        zh.len()
                    ));
                    continue;
                }
                for (e, z) in en.iter().zip(zh) {
                    if code(e) != code(z) {
                        wrong.push(format!("{}: {e:?} and {z:?} differ before '#'", entry.id));
                    }
                    if e.contains('#')
                        && e == z
                        && !language_free(e.split('#').nth(1).unwrap_or(""))
                    {
                        wrong.push(format!(
                            "{}: the comment of {e:?} is not translated",
                            entry.id
                        ));
                    }
                }
                // To the end, or far enough for an open-ended lesson.
                for _ in 0..RUN_FOR_LISTINGS {
                    if !lesson.step() {
                        break;
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Words that may stay Latin on a Chinese screen: key names, the program's
/// name and command-line flags (the reproduce command is for a shell), and
/// proper names of methods and formats.
const LATIN_ALLOWED: &[&str] = &[
    // keys
    "Tab",
    "Space",
    "Enter",
    "Esc",
    "PgUp",
    "PgDn",
    "Home",
    "End",
    "Shift",
    "Ctrl",
    "Alt",
    "Backspace",
    "Delete",
    // the command line
    "learndeck",
    "lesson",
    "seed",
    "set",
    "id",
    // proper names
    "Medusa",
    "Adam",
    "AdamW",
    "SMLD",
    "SDE",
    "mAP",
    "MTP",
    "FP16",
    "BF16",
    "FP32",
    "VOC",
    "COCO",
    "English",
];

/// The Latin words of two letters or more in `text` that are neither a
/// lesson id nor in [`LATIN_ALLOWED`]. Single letters are key names (`n`,
/// `p`, `?`) or symbols.
fn english_words(text: &str) -> Vec<String> {
    let ids: Vec<&str> = learndeck::lessons::REGISTRY.iter().map(|e| e.id).collect();
    // A command-line flag (`--no-progress`) is typed as it is, in any language.
    let without_flags: String = text
        .split(' ')
        .map(|word| match word.find("--") {
            Some(at) => &word[..at],
            None => word,
        })
        .collect::<Vec<_>>()
        .join(" ");
    without_flags
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| word.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .filter(|word| !ids.contains(word) && !LATIN_ALLOWED.contains(word))
        .map(str::to_string)
        .collect()
}

fn chinese_app(id: &str) -> learndeck::app::App {
    let mut config = learndeck::config::Config::builtin().expect("the built-in config is valid");
    config.ui.language = learndeck::config::Language::Zh;
    learndeck::app::App::new(&config, Some(id), true).expect("every lesson builds")
}

fn press(app: &mut learndeck::app::App, code: crossterm::event::KeyCode) {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The rows strictly inside the first box whose top-left corner opens a row
/// with `title`, cut to the box's columns.
fn inside_box(screen: &str, title: &str) -> Option<Vec<String>> {
    use unicode_width::UnicodeWidthStr;
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows
        .iter()
        .position(|row| row.contains(&format!("┌ {title}")))?;
    let (before, _) = rows[top].split_once(&format!("┌ {title}"))?;
    let left = before.width();
    let (box_top, _) = rows[top][before.len()..].split_once('┐')?;
    let width = box_top.width();
    let mut inside = Vec::new();
    for row in &rows[top + 1..] {
        let mut column = 0;
        let cut: String = row
            .chars()
            .filter(|c| {
                let at = column;
                column += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                at > left && at < left + width
            })
            .collect();
        if cut.starts_with('─') || cut.trim_start().starts_with('└') {
            break;
        }
        inside.push(cut);
    }
    Some(inside)
}

#[test]
fn the_shell_speaks_chinese_on_every_lesson() {
    use crossterm::event::KeyCode;
    const WIDTH: u16 = 120;
    const HEIGHT: u16 = 36;
    let mut found = Vec::new();
    for entry in learndeck::lessons::REGISTRY {
        let mut app = chinese_app(entry.id);
        // At the start, running, and after a step: status and footer change.
        let mut screens = vec![learndeck::headless::render_text(&mut app, WIDTH, HEIGHT)];
        press(&mut app, KeyCode::Char('n'));
        screens.push(learndeck::headless::render_text(&mut app, WIDTH, HEIGHT));
        press(&mut app, KeyCode::Char(' '));
        screens.push(learndeck::headless::render_text(&mut app, WIDTH, HEIGHT));
        press(&mut app, KeyCode::Char(' '));
        for screen in &screens {
            let rows: Vec<&str> = screen.lines().collect();
            // The last two rows: the status line and the footer.
            for row in &rows[rows.len() - 2..] {
                for word in english_words(row) {
                    found.push(format!("{} status/footer: {word:?} in {row:?}", entry.id));
                }
            }
        }
        press(&mut app, KeyCode::Char('?'));
        let screen = learndeck::headless::render_text(&mut app, WIDTH, HEIGHT);
        let help = inside_box(&screen, "按键").unwrap_or_else(|| panic!("{screen}"));
        for row in &help {
            for word in english_words(row) {
                found.push(format!("{} help: {word:?} in {row:?}", entry.id));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
