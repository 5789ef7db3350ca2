//! The Medusa lesson: simulated heads guess ahead, a candidate tree is
//! verified by the base model in one pass, the longest agreeing branch is kept.

mod questions;
mod view;

use crate::i18n::Said;
use crate::{said, tr};
use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::timeline::Checkpoints;
use crate::lesson::{
    Event, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec,
    Question, Timeline, validate,
};
use crate::lessons::language_model;
use crate::sim::decoding::accept::{POSTERIOR_ALPHA, POSTERIOR_THRESHOLD};
use crate::sim::decoding::medusa::{Medusa, Settings, prune};
use crate::sim::decoding::ngram::{Token, Vocab};
use crate::sim::decoding::tree::{TreeBuffers, TreePath, mc_sim_7b_63, parse_paths, path_text};
use crate::sim::decoding::{self, RunSetup};
use crate::theme::Look;

pub const ENTRY: LessonEntry = LessonEntry {
    id: "medusa",
    title: tr!("Medusa", "Medusa"),
    summary: "Medusa heads guess ahead; a candidate tree is verified in one pass of a real n-gram model",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/medusa.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/medusa.toml")),
    questions: questions::KINDS,
};

const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::ACCEPT,
        ask: Some(questions::kind::ACCEPTED),
        label: tr!("drafts accepted", "草稿被接受"),
        why: tr!(
            "the base model agreed with n candidates along path p (their ranks): one pass wrote n + 1 tokens",
            "基座模型认可了路径 p（各层名次）上的 n 个候选：一次前向写出 n + 1 个词"
        ),
    },
    EventKind {
        id: event::REJECT,
        ask: None,
        label: tr!("verification stopped", "验证停下"),
        why: tr!(
            "no candidate at depth d matched the base model's choice: the rest of the tree is thrown away",
            "深度 d 处没有候选等于基座模型的选择：树的其余部分都被丢弃"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const ACCEPT: &str = "accept";
    pub const REJECT: &str = "reject";
}

const MAX_HEADS: i64 = 5;
/// The deepest rank a custom path may name (Medusa takes each head's top 10).
const MAX_RANK: usize = 9;
const MAX_PATHS: usize = 255;
const MAX_TREE_TEXT: usize = 4_000;
const MAX_TEMPERATURE: f64 = 2.0;
const MAX_TREE_COST: f64 = 0.1;
/// Rewind: passes between checkpoints, and checkpoints kept.
const CHECKPOINT_EVERY: u64 = 16;
const CHECKPOINTS_KEPT: usize = 128;

mod key {
    pub const HEADS: &str = "heads";
    pub const HEAD_QUALITY: &str = "head_quality";
    pub const TREE: &str = "tree";
    pub const TEMPERATURE: &str = "temperature";
    pub const POSTERIOR_THRESHOLD: &str = "posterior_threshold";
    pub const POSTERIOR_ALPHA: &str = "posterior_alpha";
    pub const TREE_COST: &str = "tree_cost";
}

fn specs() -> Vec<ParamSpec> {
    let mut specs = vec![
        ParamSpec::int(key::HEADS, 0..=MAX_HEADS, 4).help(tr!(
            "Medusa heads; 0 is plain decoding, one token a pass",
            "Medusa 头的个数；0 即普通解码，每次前向一个词"
        )),
        ParamSpec::float(key::HEAD_QUALITY, 0.0..=1.0, 0.8).help(tr!(
            "1 = each head is the exact marginal; 0 = seeded noise",
            "1 = 每个头都是精确的边缘分布；0 = 带种子的噪声"
        )),
        ParamSpec::text(key::TREE, MAX_TREE_TEXT, "mc_sim_7b_63").help(tr!(
            "chain, small, mc_sim_7b_63, or paths such as 0;1;0,0;0,1",
            "chain、small、mc_sim_7b_63，或路径，如 0;1;0,0;0,1"
        )),
    ];
    specs.extend(decoding::run_specs("the heap keeps"));
    specs.extend([
        ParamSpec::float(key::TEMPERATURE, 0.0..=MAX_TEMPERATURE, 0.0).help(tr!(
            "0 = greedy decoding and acceptance; above 0 = sampling, typical acceptance",
            "0 = 贪心解码与贪心接受；大于 0 = 采样，典型接受"
        )),
        ParamSpec::float(key::POSTERIOR_THRESHOLD, 0.0..=1.0, POSTERIOR_THRESHOLD).help(tr!(
            "typical acceptance: hard probability bar",
            "典型接受：固定的概率门槛"
        )),
        ParamSpec::float(key::POSTERIOR_ALPHA, 0.0..=1.0, POSTERIOR_ALPHA).help(tr!(
            "typical acceptance: entropy-scaled bar alpha·exp(−H)",
            "典型接受：随熵缩放的门槛 alpha·exp(−H)"
        )),
        ParamSpec::float(key::TREE_COST, 0.0..=MAX_TREE_COST, 0.01).help(tr!(
            "relative cost of one extra tree node in a pass (for the speed-up estimate)",
            "每次前向中多一个树节点的相对代价（用于估计加速比）"
        )),
    ]);
    specs
}

/// The tree, the drafting and acceptance settings, and the run.
struct Setup {
    paths: Vec<TreePath>,
    tree: TreeBuffers,
    settings: Settings,
    run: RunSetup,
    tree_cost: f64,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let tree_error = |m: Said| ParamError::new(params.path(key::TREE), m);
        let paths = tree_paths(params.text(key::TREE)?).map_err(tree_error)?;
        let run = RunSetup::from_params(params)?;
        let settings = Settings {
            heads: params.count(key::HEADS)?,
            quality: params.float(key::HEAD_QUALITY)?,
            temperature: params.float(key::TEMPERATURE)?,
            posterior_threshold: params.float(key::POSTERIOR_THRESHOLD)?,
            posterior_alpha: params.float(key::POSTERIOR_ALPHA)?,
            length: run.length,
            no_repeat: run.no_repeat,
        };
        let tree = TreeBuffers::new(&prune(&paths, settings.heads)).map_err(tree_error)?;
        Ok(Setup {
            paths,
            tree,
            settings,
            run,
            tree_cost: params.float(key::TREE_COST)?,
        })
    }
}

/// The tree a `tree` value names.
fn tree_paths(text: &str) -> Result<Vec<TreePath>, Said> {
    let paths = match text.trim() {
        "mc_sim_7b_63" => mc_sim_7b_63(),
        "chain" => (1..=MAX_HEADS as usize).map(|d| vec![0; d]).collect(),
        "small" => parse_paths("0;1;2;0,0;0,1;1,0;0,0,0;0,0,1;0,1,0;0,0,0,0")?,
        custom => parse_paths(custom)?,
    };
    if paths.len() > MAX_PATHS {
        let count = paths.len();
        return Err(said!(
            "{count} paths; at most {MAX_PATHS}",
            "{count} 条路径；至多 {MAX_PATHS} 条"
        ));
    }
    if let Some(deep) = paths.iter().find(|p| p.len() > MAX_HEADS as usize) {
        let depth = deep.len();
        return Err(said!(
            "a path of depth {depth} needs more than the {MAX_HEADS} heads there can be",
            "深度为 {depth} 的路径需要的头比最多的 {MAX_HEADS} 个还多"
        ));
    }
    if paths.iter().flatten().any(|&r| r > MAX_RANK) {
        return Err(said!(
            "ranks go from 0 to {MAX_RANK} (each head's top 10)",
            "名次从 0 到 {MAX_RANK}（每个头的前 10 名）"
        ));
    }
    TreeBuffers::new(&paths)?;
    Ok(paths)
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let setup = Setup::from_params(params)?;
    let (lm, vocab) = language_model(setup.run.order);
    let prompt = vocab.encode(&setup.run.words);
    let model = Medusa::new(lm, Arc::new(setup.tree), setup.settings, &prompt, seed);
    Ok(Box::new(MedusaLesson {
        vocab,
        pruned_from: setup.paths.len(),
        tree_cost: setup.tree_cost,
        timeline: Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
    }))
}

pub struct MedusaLesson {
    vocab: Arc<Vocab>,
    /// Paths in the chosen tree before pruning to the heads there are.
    pruned_from: usize,
    /// Relative cost of one extra tree node, for the speed-up estimate.
    tree_cost: f64,
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
        m.tokens_per_pass() / (1.0 + self.tree_cost * extra)
    }
    /// Accepted share at each depth, in 0..=1.
    pub fn acceptance_by_depth(&self) -> Vec<f64> {
        let m = self.model();
        decoding::shares(&m.accepted_by_depth, &m.tried_by_depth)
    }
}

/// The listing at temperature > 0: the same pass with typical acceptance.
const CODE_TYPICAL: &[&str] = &[
    "root ← a sample from the base distribution at T (prefill)",
    "for each head k: top-10 of its guess k + 2 ahead",
    "candidates ← tree paths: rank p[d] of head d",
    "tree decode: base distribution after every node (one pass)",
    "posterior (typical): accept x while p_T(x | parent) > min(ε, α·exp(−H(p_T)))",
    "best ← longest accepted row (ties: largest Σ ln p_T)",
    "text += root + accepted; root ← a sample after the last one",
    "until length tokens are written",
];

/// The listing at temperature 0.
const CODE: &[&str] = &[
    "root ← base choice after the text (prefill)",
    "for each head k: top-10 of its guess k + 2 ahead",
    "candidates ← tree paths: rank p[d] of head d",
    "tree decode: base distribution after every node (one pass)",
    "posterior (greedy): accept while candidate = base choice at parent",
    "best ← longest accepted row (ties: the first)",
    "text += root + accepted; root ← base after the last one",
    "until length tokens are written",
];

impl Lesson for MedusaLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.timeline
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.timeline
    }

    fn is_finished(&self) -> bool {
        self.model().is_finished()
    }
    /// The same listing in both languages: it has no `#` comments, and its
    /// words are the code itself, which the test holds identical.
    fn pseudocode(&self, _lang: Lang) -> &'static [&'static str] {
        if self.model().settings().temperature > 0.0 {
            CODE_TYPICAL
        } else {
            CODE
        }
    }
    fn current_line(&self) -> usize {
        decoding::current_line(self.is_finished(), self.timeline.steps())
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, 0, area, buf, look);
    }
    fn pages(&self, area: Rect) -> usize {
        view::pages(self, area)
    }
    fn render_page(&self, page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, page, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        decoding::TRACE_COLUMNS
    }
    fn events(&self, out: &mut Vec<Event>) {
        let m = self.model();
        let Some(verdict) = m.last.verdict else {
            return;
        };
        let tree = m.tree();
        if verdict.accepted > 0 {
            let last = m.last.accepted_nodes(tree).last().copied().unwrap_or(0);
            let path = tree
                .paths
                .get(last.wrapping_sub(1))
                .map_or_else(String::new, |p| path_text(p));
            let n = verdict.accepted;
            out.push(Event::new(event::ACCEPT, format!("n={n},p=[{path}]")));
        }
        if verdict.accepted < tree.depth() {
            let depth = verdict.accepted + 1;
            out.push(Event::new(event::REJECT, format!("d={depth}")));
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), &self.vocab, pick)
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let m = self.model();
        let accepted = m.last.verdict.map_or(0, |v| v.accepted);
        rows.push(vec![
            self.timeline.steps().into(),
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
