//! The house rules a compiler does not check (ARCHITECTURE.md, "Rules"):
//! - no two files of `src/` import each other, directly or round a loop;
//! - `src/sim/` imports nothing from `lessons`, `ui`, ratatui or crossterm;
//! - a lesson's `model.rs` imports no ratatui or crossterm.
//!
//! A file's imports are its `use` declarations (groups expanded) and the
//! `crate::…` and `super::…` paths written in its code, each resolved to the
//! file that defines the module it names. A parent naming its child module
//! (`view::render(…)`) is the module tree, not an import, and `$crate::…` in
//! a macro body is an import of the file that uses the macro.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/lessons/knapsack/mod.rs` → [lessons, knapsack].
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src_dir()).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file defining the longest prefix of `module` that is a file.
fn file_of(module: &[String], files: &BTreeMap<Vec<String>, PathBuf>) -> Option<PathBuf> {
    (0..=module.len())
        .rev()
        .find_map(|len| files.get(&module[..len]).cloned())
}

/// Source without comments and string literals, so that neither is read as a path.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let prefix = &tree[..open];
    let inner = tree[open + 1..].trim_end().trim_end_matches('}');
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .flat_map(|item| expand(&format!("{prefix}{}", item.trim())))
        .collect()
}

/// The paths a file's code names: its `use` trees, expanded, and every
/// `crate::…` or `super::…` path written elsewhere.
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let starts_word = before.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let tail = &rest[at + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if starts_word {
            paths.extend(expand(&tail[..end]));
        }
        rest = &tail[end..];
    }
    for anchor in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(anchor) {
            let path: String = rest[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // `$crate::…` in a macro body is the caller's import, not this file's.
            if !rest[..at].ends_with('$') {
                paths.push(path);
            }
            rest = &rest[at + anchor.len()..];
        }
    }
    paths
}

/// The module a path names, from the module `here` it is written in.
fn resolve(path: &str, here: &[String], is_mod_file: bool) -> Option<Vec<String>> {
    let segments: Vec<&str> = path
        .split("::")
        .map(|s| {
            s.trim()
                .trim_end_matches(" as")
                .split(' ')
                .next()
                .unwrap_or("")
        })
        .filter(|s| !s.is_empty())
        .collect();
    let (first, rest) = segments.split_first()?;
    // A file `a/b.rs` is module a::b; its `super` is a. A `mod.rs` likewise.
    let mut base: Vec<String> = match *first {
        "crate" => Vec::new(),
        "self" => here.to_vec(),
        "super" => here[..here.len().checked_sub(1)?].to_vec(),
        // A bare first segment: a child module (in a module file) or an
        // external crate; only children are files of ours.
        child if is_mod_file => {
            let mut m = here.to_vec();
            m.push(child.to_string());
            m
        }
        _ => return None,
    };
    let mut rest = rest.iter().peekable();
    while rest.peek() == Some(&&"super") {
        base.pop();
        rest.next();
    }
    base.extend(rest.map(|s| s.to_string()));
    Some(base)
}

struct House {
    /// file → the files it imports.
    imports: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// file → its code without comments and strings.
    code: BTreeMap<PathBuf, String>,
}

fn house() -> House {
    let mut paths = Vec::new();
    rust_files(&src_dir(), &mut paths);
    let files: BTreeMap<Vec<String>, PathBuf> =
        paths.iter().map(|p| (module_of(p), p.clone())).collect();
    let mut imports = BTreeMap::new();
    let mut code = BTreeMap::new();
    for file in &paths {
        let text = code_only(&std::fs::read_to_string(file).expect("source readable"));
        // Tests may reach anywhere: only the code that ships counts.
        let shipped = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
        let here = module_of(file);
        let is_mod_file = matches!(
            file.file_name().and_then(|n| n.to_str()),
            Some("mod.rs" | "lib.rs" | "main.rs")
        );
        let targets: BTreeSet<PathBuf> = named_paths(&shipped)
            .iter()
            .filter_map(|p| resolve(p, &here, is_mod_file))
            .filter_map(|m| file_of(&m, &files))
            // The crate root holds only module declarations and macros.
            .filter(|target| target != file && !module_of(target).is_empty())
            .collect();
        imports.insert(file.clone(), targets);
        code.insert(file.clone(), shipped);
    }
    House { imports, code }
}

fn short(path: &Path) -> String {
    path.strip_prefix(src_dir())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// One import cycle, if there is any: depth-first search for a back edge.
fn a_cycle(imports: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        file: &PathBuf,
        imports: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        marks: &mut BTreeMap<PathBuf, Mark>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        marks.insert(file.clone(), Mark::Open);
        stack.push(file.clone());
        for next in imports.get(file).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|f| f == next).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, imports, marks, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(file.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for file in imports.keys() {
        if !marks.contains_key(file)
            && let Some(cycle) = visit(file, imports, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn no_two_files_import_each_other_even_round_a_loop() {
    let house = house();
    if let Some(cycle) = a_cycle(&house.imports) {
        let names: Vec<String> = cycle.iter().map(|f| short(f)).collect();
        panic!("an import cycle: {}", names.join(" → "));
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let (a, b, c) = (
        PathBuf::from("a.rs"),
        PathBuf::from("b.rs"),
        PathBuf::from("c.rs"),
    );
    let mut imports = BTreeMap::new();
    imports.insert(a.clone(), BTreeSet::from([b.clone()]));
    imports.insert(b.clone(), BTreeSet::from([c.clone()]));
    imports.insert(c.clone(), BTreeSet::new());
    assert_eq!(a_cycle(&imports), None);
    imports.insert(c.clone(), BTreeSet::from([a.clone()]));
    assert!(a_cycle(&imports).is_some());
}

#[test]
fn use_trees_expand_and_paths_resolve() {
    assert_eq!(
        expand("crate::lesson::{timeline::{Checkpoints, Timeline}, Field}"),
        [
            "crate::lesson::timeline::Checkpoints",
            "crate::lesson::timeline::Timeline",
            "crate::lesson::Field"
        ]
    );
    let here = vec![
        "lessons".to_string(),
        "knapsack".to_string(),
        "view".to_string(),
    ];
    assert_eq!(
        resolve("super::KnapsackLesson", &here, false),
        Some(vec![
            "lessons".to_string(),
            "knapsack".to_string(),
            "KnapsackLesson".to_string()
        ])
    );
    assert_eq!(resolve("ratatui::buffer::Buffer", &here, false), None);
}

#[test]
fn simulations_import_nothing_of_lessons_ui_or_the_terminal() {
    let house = house();
    let sim = src_dir().join("sim");
    let mut wrong = Vec::new();
    for (file, code) in &house.code {
        if !file.starts_with(&sim) {
            continue;
        }
        for forbidden in [
            "crate::lessons",
            "crate::ui",
            "crate::app",
            "ratatui",
            "crossterm",
        ] {
            if code.contains(forbidden) {
                wrong.push(format!("{} uses {forbidden}", short(file)));
            }
        }
        for target in &house.imports[file] {
            if !target.starts_with(&sim) && !target.starts_with(src_dir().join("lesson")) {
                // Plain helpers that import nothing themselves: messages,
                // the two languages, bounded file reads.
                let allowed = ["error.rs", "i18n.rs", "files.rs"]
                    .iter()
                    .any(|f| target == &src_dir().join(f));
                if !allowed {
                    wrong.push(format!("{} imports {}", short(file), short(target)));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn models_never_draw() {
    let house = house();
    let models: Vec<String> = house
        .code
        .iter()
        .filter(|(file, _)| file.file_name().is_some_and(|n| n == "model.rs"))
        .filter(|(_, code)| code.contains("ratatui") || code.contains("crossterm"))
        .map(|(file, _)| short(file))
        .collect();
    assert!(models.is_empty(), "models that draw: {models:?}");
}
