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
                    let mut expected = vec![0];
                    expected.extend(paths.iter().map(|p| p.len() as i64));
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
        // Below one page: the bars and pseudocode, then both drafters, a key away.
        for page in [2, 3] {
            crate::dashboard::press(&mut app, crossterm::event::KeyCode::Char('v'));
            let screen = render_text(&mut app, 80, 24);
            insta::assert_snapshot!(format!("medusa_accepted_{tag}_80x24_page{page}"), screen);
        }
    }
}
