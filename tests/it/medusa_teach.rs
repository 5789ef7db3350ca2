//! What the medusa lesson teaches, checked against computations written here:
//! its questions' answers from the tree rebuilt out of the context's paths
//! (Medusa's construction: sort by length then ranks; a node attends to
//! itself, the root and its ancestors; its position id is its depth) and
//! acceptance by walking the tree; its events against the summary's text.

use crate::questions::{int, ints};
use learndeck::lesson::{Answer, Lesson, Question};
use proptest::prelude::*;

/// Picks tried at each state, enough to reach every kind.
const PICKS: u64 = 6;

fn build(settings: &[(&str, &str)], seed: u64) -> Box<dyn Lesson> {
    crate::questions::lesson_with("medusa", settings, seed)
}

use crate::questions::texts as strings;

/// Paths as rank lists, in Medusa's order: by length, then lexicographically.
fn sorted_paths(context: &toml::Table) -> Vec<Vec<usize>> {
    let mut paths: Vec<Vec<usize>> = strings(context, "paths")
        .iter()
        .map(|p| p.split(',').map(|r| r.parse().expect("a rank")).collect())
        .collect();
    paths.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    paths
}

/// Node of each path (root 0, path i is node i + 1); the parent of a node is
/// the node of its path minus the last rank.
fn parent_of(paths: &[Vec<usize>], node: usize) -> usize {
    let path = &paths[node - 1];
    if path.len() == 1 {
        return 0;
    }
    let prefix = &path[..path.len() - 1];
    1 + paths
        .iter()
        .position(|p| p == prefix)
        .expect("a prefix node")
}

fn yes(question: &Question) -> bool {
    match &question.answer {
        Answer::Choice { correct, options } => {
            assert_eq!(options.len(), 2);
            *correct == 0
        }
        other => panic!("not yes/no: {other:?}"),
    }
}

/// Checks every question asked in a run against the rebuilt tree.
fn check_run(settings: &[(&str, &str)], seed: u64, passes: usize) -> Vec<&'static str> {
    let mut lesson = build(settings, seed);
    let mut kinds = Vec::new();
    for _ in 0..passes {
        let mut expect_written = None;
        for pick in 0..PICKS {
            let Some(question) = lesson.question(pick) else {
                continue;
            };
            kinds.push(question.kind);
            let context = &question.context;
            let paths = sorted_paths(context);
            assert_eq!(
                strings(context, "paths"),
                paths
                    .iter()
                    .map(|p| p.iter().map(usize::to_string).collect::<Vec<_>>().join(","))
                    .collect::<Vec<_>>(),
                "the context lists the paths in Medusa's order"
            );
            match question.kind {
                "positions" => {
                    // A node's position id is its path's length (the root's 0).
                    let nodes = ints(context, "nodes");
                    assert!(!nodes.is_empty() && nodes.len() <= 5, "{nodes:?}");
                    let expected = nodes
                        .iter()
                        .map(|&n| {
                            if n == 0 {
                                0
                            } else {
                                paths[n as usize - 1].len() as i64
                            }
                        })
                        .collect();
                    assert_eq!(question.answer, Answer::List(expected));
                }
                "mask" => {
                    let (i, j) = (int(context, "i") as usize, int(context, "j") as usize);
                    let mut up = i;
                    let mut ancestors = vec![i, 0];
                    while up != 0 {
                        up = parent_of(&paths, up);
                        ancestors.push(up);
                    }
                    assert_eq!(yes(&question), ancestors.contains(&j), "i={i} j={j}");
                }
                "accepted" => {
                    let tokens = strings(context, "tokens");
                    let base = strings(context, "base");
                    assert_eq!(tokens.len(), paths.len() + 1);
                    // Walk: a node is accepted when its parent is and its
                    // token is the base choice after the parent.
                    let mut depth_ok = vec![Some(0usize); paths.len() + 1];
                    let mut longest = 0;
                    for node in 1..=paths.len() {
                        let up = parent_of(&paths, node);
                        depth_ok[node] = match depth_ok[up] {
                            Some(d) if tokens[node] == base[up] => Some(d + 1),
                            _ => None,
                        };
                        longest = longest.max(depth_ok[node].unwrap_or(0));
                    }
                    assert_eq!(question.answer, Answer::Integer(longest as i64 + 1));
                    expect_written = Some(longest + 1);
                }
                other => panic!("unknown kind {other}"),
            }
        }
        let before = total(&*lesson);
        if !lesson.step() {
            break;
        }
        // The pass then writes that many tokens (unless the length cut it).
        if let Some(written) = expect_written.filter(|_| !lesson.is_finished()) {
            assert_eq!(total(&*lesson) - before, written);
        }
    }
    kinds
}

fn total(lesson: &dyn Lesson) -> usize {
    lesson.summary()["tokens"].as_array().map_or(0, Vec::len)
}

#[test]
fn the_defaults_ask_every_kind_and_each_answer_checks_out() {
    let mut kinds = check_run(&[], 1, 6);
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds, ["accepted", "mask", "positions"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn answers_match_the_rebuilt_tree_on_random_trees_and_seeds(
        which in 0usize..4,
        heads in 1usize..=5,
        seed in any::<u64>(),
    ) {
        let tree = ["mc_sim_7b_63", "small", "chain", "0;1;2;0,0;0,1;1,0;0,0,0"][which];
        let heads = heads.to_string();
        check_run(&[("tree", tree), ("heads", &heads), ("length", "20")], seed, 4);
    }
}

#[test]
fn events_name_the_accepted_path_and_where_verification_stopped() {
    let mut lesson = build(&[], 3);
    let summary_tree = lesson.summary();
    let positions = ints(&summary_tree.clone(), "tree_positions");
    let depth = *positions.iter().max().expect("nodes") as usize;
    let mut before = total(&*lesson);
    while lesson.step() {
        let written = total(&*lesson) - before;
        before = total(&*lesson);
        let mut events = Vec::new();
        lesson.events(&mut events);
        let accepted = events.iter().find(|e| e.kind == "accept");
        let rejected = events.iter().find(|e| e.kind == "reject");
        let n = accepted.map_or(0, |e| {
            let (n, path) = e.detail.split_once(",p=").expect("n and path");
            let n: usize = n.trim_start_matches("n=").parse().expect("a count");
            // The path names one rank per accepted token.
            let ranks = path.trim_matches(['[', ']']).split(',').count();
            assert_eq!(ranks, n, "{}", e.detail);
            n
        });
        if !lesson.is_finished() {
            assert_eq!(written, n + 1, "root plus accepted");
        }
        match rejected {
            Some(e) => assert_eq!(e.detail, format!("d={}", n + 1)),
            None => assert_eq!(n, depth, "no reject only when the whole depth is accepted"),
        }
    }
}

/// At 120×36 and 80×24, in both languages, a pass that accepted a path of
/// three: the tree shows it ✓ and the mask shows its nodes and tokens.
#[test]
fn snapshots_show_the_accepted_path_and_the_mask() {
    use crate::dashboard::app_with;
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    // The first pass at the defaults that accepts three drafts (which pass
    // that is depends on the corpus, and the corpus on every explanation).
    const SEARCH: u64 = 40;
    for (lang, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
        let mut app = app_with("medusa", lang, &[]);
        let mut found = false;
        for _ in 0..SEARCH {
            app.advance(1);
            let mut events = Vec::new();
            app.lesson().events(&mut events);
            if events
                .iter()
                .any(|e| e.kind == "accept" && e.detail.starts_with("n=3"))
            {
                found = true;
                break;
            }
        }
        assert!(found, "no pass in the first {SEARCH} accepts three drafts");
        for (width, height) in [(120, 36), (80, 24)] {
            let screen = render_text(&mut app, width, height);
            assert!(screen.matches('✓').count() >= 4, "root and three: {screen}");
            assert!(screen.contains("█"), "the mask is drawn: {screen}");
            insta::assert_snapshot!(format!("medusa_accepted_{tag}_{width}x{height}"), screen);
        }
        // Below one page: the whole mask a window at a time, a key away; after
        // its pages the bars and pseudocode, then both drafters.
        let (_, pages) = footer_pages(&render_text(&mut app, 80, 24)).expect("pages");
        assert!(pages > BASE_PAGES, "the 64 nodes need pages of their own");
        for page in 2..=pages {
            crate::dashboard::press(&mut app, crossterm::event::KeyCode::Char('v'));
            let screen = render_text(&mut app, 80, 24);
            let name = match page {
                2 => "mask",
                p if p == pages - 1 => "bars",
                p if p == pages => "drafters",
                _ => continue,
            };
            insta::assert_snapshot!(format!("medusa_accepted_{tag}_80x24_{name}"), screen);
        }
    }
}

/// Width of a mask row's label on screen (node number and token).
const MASK_LABEL: usize = 10;
/// The mask panel's title, as the English screen draws it.
const MASK_TITLE: &str = "┌ tree attention mask";

/// Which node attends to which, rebuilt from the summary's
/// `retrieve_indices`: each row lists a leaf's nodes from the root down, so
/// node i sees j exactly when j comes at or before i in a row holding i.
fn mask_from_paths(lesson: &dyn Lesson) -> Vec<Vec<bool>> {
    let summary = lesson.summary();
    let nodes = ints(&summary, "tree_positions").len();
    let mut mask = vec![vec![false; nodes]; nodes];
    mask[0][0] = true;
    let rows = summary["retrieve_indices"]
        .as_array()
        .expect("retrieve_indices");
    for row in rows {
        let chain: Vec<usize> = row
            .as_array()
            .expect("a row")
            .iter()
            .filter_map(toml::Value::as_integer)
            .filter(|&n| n >= 0)
            .map(|n| n as usize)
            .collect();
        for (at, &i) in chain.iter().enumerate() {
            for &j in &chain[..=at] {
                mask[i][j] = true;
            }
        }
    }
    // The summary's own mask agrees (it is what the view draws from).
    let printed = summary["tree_mask"].as_array().expect("tree_mask");
    for (i, row) in printed.iter().enumerate() {
        let row: Vec<bool> = row
            .as_str()
            .expect("a row")
            .chars()
            .map(|c| c == '1')
            .collect();
        assert_eq!(row, mask[i], "tree_mask row {i}");
    }
    mask
}

/// One mask drawn on screen: the node of each row and column, and the cells.
struct ShownMask {
    rows: Vec<usize>,
    cols: Vec<usize>,
    cells: Vec<Vec<char>>,
}

/// Reads the mask panel off an English screen: the header's digit rows name
/// the columns, each row's label starts with its node number.
fn read_mask(screen: &str, nodes: usize) -> Option<ShownMask> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let (top, x) = lines.iter().enumerate().find_map(|(y, line)| {
        let text: String = line.iter().collect();
        text.find(MASK_TITLE)
            .map(|byte| (y, text[..byte].chars().count()))
    })?;
    let header = (nodes.max(1) - 1).to_string().len();
    let cell_x = x + 1 + MASK_LABEL;
    let is_cell = |c: &char| *c == '█' || *c == '·';
    let first_row = &lines[top + 1 + header];
    let width = first_row[cell_x..]
        .iter()
        .take_while(|c| is_cell(c))
        .count();
    let cols: Vec<usize> = (0..width)
        .map(|col| {
            let digits: String = (0..header)
                .map(|row| lines[top + 1 + row][cell_x + col])
                .filter(|c| !c.is_whitespace())
                .collect();
            digits.parse().expect("a column number")
        })
        .collect();
    let (mut rows, mut cells) = (Vec::new(), Vec::new());
    for line in &lines[top + 1 + header..] {
        let label: String = line[x + 1..x + 1 + MASK_LABEL].iter().collect();
        // The number, then ✓ on the accepted path or a space, then the token.
        let label = label.trim_start();
        let number: String = label.chars().take_while(char::is_ascii_digit).collect();
        let after = label[number.len()..].chars().next();
        let (Ok(node), Some(' ' | '✓')) = (number.parse(), after) else {
            break;
        };
        rows.push(node);
        cells.push(line[cell_x..cell_x + width].to_vec());
    }
    Some(ShownMask { rows, cols, cells })
}

/// The footer's `page i/n` (`翻页 i/n`), when the view has pages.
fn footer_pages(screen: &str) -> Option<(usize, usize)> {
    let footer = screen.lines().last()?;
    footer.split_whitespace().find_map(|word| {
        let (i, n) = word.split_once('/')?;
        Some((i.parse().ok()?, n.parse().ok()?))
    })
}

/// Pages below one page without the whole mask: the first, the bars and
/// code, the drafters.
const BASE_PAGES: usize = 3;

/// Walks `v` through every page at `width`×`height`; returns the pages'
/// screens in order (one screen when there are no pages).
fn every_page(app: &mut learndeck::app::App, width: u16, height: u16) -> Vec<String> {
    use learndeck::headless::render_text;
    let first = render_text(app, width, height);
    let Some((1, pages)) = footer_pages(&first) else {
        assert!(!first.contains(" v page"), "no pages, no key: {first}");
        return vec![first];
    };
    let mut screens = vec![first];
    for page in 2..=pages {
        crate::dashboard::press(app, crossterm::event::KeyCode::Char('v'));
        let screen = render_text(app, width, height);
        assert_eq!(footer_pages(&screen), Some((page, pages)), "{screen}");
        screens.push(screen);
    }
    // One more press comes back to the first page.
    crate::dashboard::press(app, crossterm::event::KeyCode::Char('v'));
    assert_eq!(
        footer_pages(&render_text(app, width, height)),
        Some((1, pages))
    );
    screens
}

/// Checks each mask drawn on `screens` cell by cell; returns the row nodes
/// of the whole-mask pages (those after the first) in order.
fn check_masks(screens: &[String], mask: &[Vec<bool>]) -> Vec<Vec<usize>> {
    let nodes = mask.len();
    let mut pages = Vec::new();
    for (page, screen) in screens.iter().enumerate() {
        let Some(shown) = read_mask(screen, nodes) else {
            continue;
        };
        for (r, &i) in shown.rows.iter().enumerate() {
            for (c, &j) in shown.cols.iter().enumerate() {
                let expected = if mask[i][j] { '█' } else { '·' };
                assert_eq!(shown.cells[r][c], expected, "node {i} sees {j}? {screen}");
            }
        }
        if page > 0 {
            assert!(screen.contains("v: next page"), "{screen}");
            // Columns left out are only ever ones these rows do not see.
            if shown.cols.len() < nodes {
                assert!(
                    screen.contains("columns: just the nodes these rows see"),
                    "{screen}"
                );
                for &i in &shown.rows {
                    for j in (0..nodes).filter(|j| !shown.cols.contains(j)) {
                        assert!(!mask[i][j], "node {i} sees {j}, not drawn: {screen}");
                    }
                }
            }
            pages.push(shown.rows);
        }
    }
    pages
}

/// At 120×36 the `v` cycle reaches every one of the default tree's 64
/// nodes: the first page's compact mask names the key, the whole-mask pages
/// follow it, list consecutive nodes with every column and match the mask
/// rebuilt from the paths; then the bars and code, then the drafters.
#[test]
fn v_pages_through_every_row_of_the_64_node_mask() {
    use crate::dashboard::app_with;
    use learndeck::config::Language;
    const PASSES: u64 = 3;
    let mut app = app_with("medusa", Language::En, &[]);
    app.advance(PASSES);
    let mask = mask_from_paths(app.lesson());
    let nodes = mask.len();
    assert_eq!(nodes, 64);
    let screens = every_page(&mut app, 120, 36);
    assert!(
        screens[0].contains(&format!("v: all {nodes}")),
        "the compact mask names the key: {}",
        screens[0]
    );
    let windows = check_masks(&screens, &mask);
    let listed: Vec<usize> = windows.iter().flatten().copied().collect();
    assert_eq!(
        listed,
        (0..nodes).collect::<Vec<_>>(),
        "every node once, in order"
    );
    // Every column fits at this width, and each page but the last is full,
    // so there are no more pages than the rows need.
    let per_page = windows[0].len();
    assert_eq!(windows.len(), nodes.div_ceil(per_page));
    assert!(windows.iter().rev().skip(1).all(|w| w.len() == per_page));
    let first_mask = read_mask(&screens[1], nodes).expect("a mask");
    assert_eq!(first_mask.cols, (0..nodes).collect::<Vec<_>>());
    // First page, the mask pages, the bars and code, the drafters.
    assert_eq!(screens.len(), 1 + windows.len() + 2);
    assert!(screens[windows.len() + 1].contains("acceptance · head accuracy"));
}

/// Every tree setting and head count at 80×24, 120×36 and 160×48: every
/// page draws, every mask drawn matches the rebuilt mask, the whole-mask
/// pages (when there are any) list every node once, and without them the
/// first page lists every node.
#[test]
fn every_tree_and_size_pages_through_the_whole_mask() {
    use crate::dashboard::app_with;
    use learndeck::config::Language;
    // All paths of one and two ranks below 10: 111 nodes, three-digit numbers.
    let wide: String = (0..10)
        .map(|a| a.to_string())
        .chain((0..10).flat_map(|a| (0..10).map(move |b| format!("{a},{b}"))))
        .collect::<Vec<_>>()
        .join(";");
    let trees = [
        "mc_sim_7b_63",
        "small",
        "chain",
        "0;1;2;0,0;0,1;1,0;0,0,0",
        &wide,
    ];
    for tree in trees {
        for heads in 0..=5 {
            let heads = heads.to_string();
            for (width, height) in [(80, 24), (120, 36), (160, 48)] {
                // A fresh dashboard each size: the page turned is kept
                // across sizes, and each walk starts from the first.
                let settings = [("tree", tree), ("heads", heads.as_str())];
                let mut app = app_with("medusa", Language::En, &settings);
                app.advance(2);
                let mask = mask_from_paths(app.lesson());
                let nodes = mask.len();
                let screens = every_page(&mut app, width, height);
                let windows = check_masks(&screens, &mask);
                let first = read_mask(&screens[0], nodes).expect("the compact mask");
                let at = format!("tree={tree} heads={heads} {width}x{height}");
                if windows.is_empty() {
                    assert_eq!(first.rows.len(), nodes, "{at}: all on the first page");
                } else {
                    let listed: Vec<usize> = windows.iter().flatten().copied().collect();
                    assert_eq!(listed, (0..nodes).collect::<Vec<_>>(), "{at}");
                }
            }
        }
    }
}

/// The first whole-mask page at 120×36 in both languages.
#[test]
fn snapshots_of_the_first_whole_mask_page() {
    use crate::dashboard::{app_with, press};
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    const PASSES: u64 = 3;
    for (lang, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
        let mut app = app_with("medusa", lang, &[]);
        app.advance(PASSES);
        press(&mut app, crossterm::event::KeyCode::Char('v'));
        let screen = render_text(&mut app, 120, 36);
        assert!(screen.contains('█'), "{screen}");
        insta::assert_snapshot!(format!("medusa_mask_page_{tag}_120x36"), screen);
    }
}

/// English nouns that follow a count on the decoding lessons' screens.
const COUNTED: &[&str] = &[
    "node",
    "head",
    "pass",
    "token",
    "module",
    "draft",
    "candidate",
];

/// The first "1 <noun>s" on `screen` where the 1 is a whole number (not the
/// end of 11 or of 0.1) and the noun one the decoding lessons count: a
/// plural after exactly one.
pub(crate) fn plural_after_one(screen: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = screen[from..].find("1 ").map(|i| from + i) {
        from = at + 1;
        let before = screen[..at].chars().last();
        if before.is_some_and(|c| c.is_ascii_digit() || c == '.') {
            continue;
        }
        let word: String = screen[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if COUNTED
            .iter()
            .any(|noun| word == format!("{noun}s") || word == format!("{noun}es"))
        {
            return Some(screen[at..].lines().next().unwrap_or("").to_string());
        }
    }
    None
}

#[test]
fn the_plural_check_tells_one_from_eleven() {
    assert_eq!(
        plural_after_one("4 heads, 1 nodes ·").as_deref(),
        Some("1 nodes ·")
    );
    assert_eq!(
        plural_after_one("saved 1 passes").as_deref(),
        Some("1 passes")
    );
    assert_eq!(plural_after_one("1 head, 11 nodes · 0.1 tokens"), None);
    assert_eq!(plural_after_one("1 node · saved 1 pass"), None);
}

/// Counts in the status and the mask's note agree with their noun in
/// English: "0 heads, 1 node", "1 head", "saved 1 pass", never "1 nodes".
#[test]
fn english_counts_take_the_singular_for_exactly_one() {
    use crate::dashboard::app_with;
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    /// Passes looked at for each setting.
    const PASSES: usize = 6;
    let mut saved_one = false;
    for heads in ["0", "1", "2", "4"] {
        let mut app = app_with("medusa", Language::En, &[("heads", heads)]);
        for _ in 0..=PASSES {
            for (width, height) in [(120, 36), (80, 24)] {
                let screen = render_text(&mut app, width, height);
                assert_eq!(plural_after_one(&screen), None, "{screen}");
                match heads {
                    // No heads: the tree is the root alone.
                    "0" => assert!(screen.contains("0 heads, 1 node ·"), "{screen}"),
                    "1" => assert!(screen.contains(" 1 head, "), "{screen}"),
                    _ => assert!(screen.contains(&format!(" {heads} heads, ")), "{screen}"),
                }
                if screen.contains("saved 1 ") {
                    saved_one = true;
                    assert!(screen.contains("saved 1 pass ·"), "{screen}");
                }
            }
            app.advance(1);
        }
    }
    assert!(
        saved_one,
        "no pass saved exactly one: the singular went unchecked"
    );
    // The mask's note below a one-node tree.
    let mut app = app_with("medusa", Language::En, &[("heads", "0")]);
    app.advance(1);
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("all 1 node "), "{screen}");
}

/// At 120×36 the status breaks between its parts: "4 heads, 64 nodes" is
/// whole on one row, in both languages.
#[test]
fn the_status_breaks_between_its_parts_at_120_columns() {
    use crate::dashboard::app_with;
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    for (lang, part) in [
        (Language::En, "4 heads, 64 nodes"),
        (Language::Zh, "4 个头、64 个节点"),
    ] {
        let mut app = app_with("medusa", lang, &[]);
        for _ in 0..3 {
            let screen = render_text(&mut app, 120, 36);
            assert!(
                screen.lines().any(|l| l.contains(part)),
                "{part} split: {screen}"
            );
            // No status row starts with the separator.
            assert!(!screen.lines().any(|l| l.starts_with(" · ")), "{screen}");
            app.advance(1);
        }
    }
}

/// The longest status (typical acceptance and a cut tree) shows its last
/// words at 80×24 in both languages: nothing falls past the status rows.
#[test]
fn the_longest_status_ends_on_screen_at_80_columns() {
    use crate::dashboard::app_with;
    use learndeck::config::Language;
    use learndeck::headless::render_text;
    for (lang, end) in [(Language::En, "heads' depth"), (Language::Zh, "头数的深度")] {
        let mut app = app_with("medusa", lang, &[("heads", "1"), ("temperature", "0.7")]);
        app.advance(3);
        let screen = render_text(&mut app, 80, 24);
        assert!(screen.contains(end), "{screen}");
    }
}
