//! The Medusa lesson: simulated heads guess ahead, a candidate tree is
//! verified by the base model in one pass, the longest agreeing branch is kept.

mod view;

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Field, Lesson, LessonEntry, ParamError, ParamKind, ParamSet, ParamSpec, ParamValue,
    delegate_timeline,
};
use crate::lessons::decoding::accept::{POSTERIOR_ALPHA, POSTERIOR_THRESHOLD};
use crate::lessons::decoding::medusa::{Medusa, Settings, prune};
use crate::lessons::decoding::ngram::{Token, Vocab};
use crate::lessons::decoding::tree::{TreeBuffers, TreePath, mc_sim_7b_63, parse_paths};
use crate::lessons::decoding::{self, language_model};
use crate::theme::Theme;

pub const ENTRY: LessonEntry = LessonEntry {
    id: "medusa",
    title: "Medusa",
    summary: "Medusa heads guess ahead; a candidate tree is verified in one pass of a real n-gram model",
    specs,
    validate,
    build,
    explanation: include_str!("../../../assets/lessons/medusa.md"),
};

const MAX_HEADS: i64 = 5;
/// The deepest rank a custom path may name (Medusa takes each head's top 10).
const MAX_RANK: usize = 9;
const MAX_PATHS: usize = 255;
const MAX_TREE_TEXT: usize = 4_000;
/// Rewind: passes between checkpoints, and checkpoints kept.
const CHECKPOINT_EVERY: u64 = 16;
const CHECKPOINTS_KEPT: usize = 128;

fn specs() -> Vec<ParamSpec> {
    let mut specs = vec![
        ParamSpec {
            key: "heads",
            help: "Medusa heads; 0 is plain decoding, one token a pass",
            kind: ParamKind::Int {
                min: 0,
                max: MAX_HEADS,
                step: 1,
            },
            default: ParamValue::Int(4),
        },
        ParamSpec::float(
            "head_quality",
            "1 = each head is the exact marginal; 0 = seeded noise",
            0.0,
            1.0,
            false,
            0.8,
        ),
        ParamSpec {
            key: "tree",
            help: "chain, small, mc_sim_7b_63, or paths such as 0;1;0,0;0,1",
            kind: ParamKind::Text {
                max_len: MAX_TREE_TEXT,
            },
            default: ParamValue::Text("mc_sim_7b_63".to_string()),
        },
    ];
    specs.extend(decoding::run_specs("the heap keeps"));
    specs.extend([
        ParamSpec::float(
            "temperature",
            "0 = greedy decoding and acceptance; above 0 = sampling, typical acceptance",
            0.0,
            2.0,
            false,
            0.0,
        ),
        ParamSpec::float(
            "posterior_threshold",
            "typical acceptance: hard probability bar",
            0.0,
            1.0,
            false,
            POSTERIOR_THRESHOLD,
        ),
        ParamSpec::float(
            "posterior_alpha",
            "typical acceptance: entropy-scaled bar alpha·exp(−H)",
            0.0,
            1.0,
            false,
            POSTERIOR_ALPHA,
        ),
        ParamSpec::float(
            "tree_cost",
            "relative cost of one extra tree node in a pass (for the speed-up estimate)",
            0.0,
            0.1,
            false,
            0.01,
        ),
    ]);
    specs
}

/// The tree a `tree` value names.
fn tree_paths(text: &str) -> Result<Vec<TreePath>, String> {
    let paths = match text.trim() {
        "mc_sim_7b_63" => mc_sim_7b_63(),
        "chain" => (1..=MAX_HEADS as usize).map(|d| vec![0; d]).collect(),
        "small" => parse_paths("0;1;2;0,0;0,1;1,0;0,0,0;0,0,1;0,1,0;0,0,0,0")?,
        custom => parse_paths(custom)?,
    };
    if paths.len() > MAX_PATHS {
        return Err(format!("{} paths; at most {MAX_PATHS}", paths.len()));
    }
    if let Some(deep) = paths.iter().find(|p| p.len() > MAX_HEADS as usize) {
        return Err(format!(
            "a path of depth {} needs more than the {MAX_HEADS} heads there can be",
            deep.len()
        ));
    }
    if paths.iter().flatten().any(|&r| r > MAX_RANK) {
        return Err(format!(
            "ranks go from 0 to {MAX_RANK} (each head's top 10)"
        ));
    }
    TreeBuffers::new(&paths)?;
    Ok(paths)
}

fn validate(params: &ParamSet) -> Result<(), ParamError> {
    tree_paths(params.text("tree")).map_err(|m| ParamError::new(params.path("tree"), m))?;
    decoding::prompt_words(params)?;
    Ok(())
}

fn settings_of(params: &ParamSet) -> Settings {
    Settings {
        heads: params.int("heads") as usize,
        quality: params.float("head_quality"),
        temperature: params.float("temperature"),
        posterior_threshold: params.float("posterior_threshold"),
        posterior_alpha: params.float("posterior_alpha"),
        length: params.int("length") as usize,
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    validate(params)?;
    let paths =
        tree_paths(params.text("tree")).map_err(|m| ParamError::new(params.path("tree"), m))?;
    let settings = settings_of(params);
    let tree = TreeBuffers::new(&prune(&paths, settings.heads))
        .map_err(|m| ParamError::new(params.path("tree"), m))?;
    let (lm, vocab) = language_model(params.int("order") as usize);
    let words = decoding::prompt_words(params)?;
    let prompt = vocab.encode(&words);
    let tree = Arc::new(tree);
    let model = Medusa::new(lm, Arc::clone(&tree), settings, &prompt, seed);
    Ok(Box::new(MedusaLesson {
        params: params.clone(),
        seed,
        vocab,
        pruned_from: paths.len(),
        timeline: Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
    }))
}

pub struct MedusaLesson {
    params: ParamSet,
    seed: u64,
    vocab: Arc<Vocab>,
    /// Paths in the chosen tree before pruning to the heads there are.
    pruned_from: usize,
    timeline: Checkpoints<Medusa>,
}

impl MedusaLesson {
    pub fn model(&self) -> &Medusa {
        self.timeline.model()
    }
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }
    pub fn word(&self, token: Token) -> &str {
        self.vocab.word(token)
    }
    pub fn tree_paths_before_pruning(&self) -> usize {
        self.pruned_from
    }
    /// Tokens per pass ÷ (1 + tree_cost · extra nodes).
    pub fn speed_up(&self) -> f64 {
        let m = self.model();
        let extra = (m.tree().nodes() - 1) as f64;
        m.tokens_per_pass() / (1.0 + self.params.float("tree_cost") * extra)
    }
    /// Accepted share at each depth, in 0..=1.
    pub fn acceptance_by_depth(&self) -> Vec<f64> {
        let m = self.model();
        decoding::shares(&m.accepted_by_depth, &m.tried_by_depth)
    }
}

const CODE: &[&str] = &[
    "root ← base choice after the text (prefill)",
    "for each head k: top-10 of its guess k + 2 ahead",
    "candidates ← tree paths: rank p[d] of head d",
    "tree decode: base distribution after every node (one pass)",
    "posterior: accept while candidate = base choice at parent",
    "best ← longest accepted row (ties: first / likeliest)",
    "text += root + accepted; root ← base after the last one",
    "until length tokens are written",
];

impl Lesson for MedusaLesson {
    delegate_timeline!(timeline);

    fn total_steps(&self) -> Option<u64> {
        None
    }
    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    fn reset(&mut self, seed: u64) {
        self.seed = seed;
        let start = self.model().restarted(seed);
        self.timeline = Checkpoints::new(start, CHECKPOINT_EVERY, CHECKPOINTS_KEPT);
    }
    fn pseudocode(&self) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        decoding::current_line(self.is_finished(), self.steps())
    }
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        view::render(self, area, buf, theme);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        decoding::TRACE_COLUMNS
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let m = self.model();
        let accepted = m.last.verdict.map_or(0, |v| v.accepted);
        rows.push(vec![
            self.steps().into(),
            (accepted as u64).into(),
            (m.last.emitted.len() as u64).into(),
            (m.generated().len() as u64).into(),
            m.passes.into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let m = self.model();
        let ints = |xs: &mut dyn Iterator<Item = i64>| {
            toml::Value::Array(xs.map(toml::Value::Integer).collect())
        };
        let mut table = decoding::summary_table(
            &self.vocab,
            m.generated(),
            m.passes,
            self.acceptance_by_depth(),
        );
        table.insert("speed_up_estimate".into(), self.speed_up().into());
        let tree = m.tree();
        table.insert(
            "tree_positions".into(),
            ints(&mut tree.positions.iter().map(|&p| p as i64)),
        );
        table.insert(
            "tree_mask".into(),
            toml::Value::Array(
                tree.mask_rows()
                    .into_iter()
                    .map(toml::Value::String)
                    .collect(),
            ),
        );
        table.insert(
            "retrieve_indices".into(),
            toml::Value::Array(
                tree.retrieve
                    .iter()
                    .map(|row| ints(&mut row.iter().copied()))
                    .collect(),
            ),
        );
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
