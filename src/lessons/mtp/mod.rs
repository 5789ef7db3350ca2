//! The multi-token prediction lesson: sequential modules draft the next few
//! tokens, each seeing the drafts before it; the base model verifies them in
//! one pass, greedily or by speculative sampling.

mod questions;
mod view;

use crate::tr;
use std::cell::OnceCell;
use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::timeline::{Checkpoints, Replayable};
use crate::lesson::{
    Event, EventKind, Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec,
    Question, Timeline, validate,
};
use crate::lessons::language_model;
use crate::sim::decoding::accept::{POSTERIOR_ALPHA, POSTERIOR_THRESHOLD};
use crate::sim::decoding::medusa::{self, Medusa};
use crate::sim::decoding::mtp::{Mtp, Settings};
use crate::sim::decoding::ngram::{NGram, Token, Vocab};
use crate::sim::decoding::tree::{TreeBuffers, mc_sim_7b_63};
use crate::sim::decoding::{self, RunSetup};
use crate::theme::Look;

pub const ENTRY: LessonEntry = LessonEntry {
    id: "mtp",
    title: tr!("Multi-token prediction", "多词元预测"),
    summary: "DeepSeek-style MTP modules draft a causal chain of tokens; one pass verifies them",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/mtp.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/mtp.toml")),
    questions: questions::KINDS,
};

const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::ACCEPT,
        ask: Some(questions::kind::ACCEPTED),
        label: tr!("drafts accepted", "草稿被接受"),
        why: tr!(
            "the base model agreed with the first n drafts: one pass wrote n + 1 tokens",
            "基座模型认可了前 n 个草稿：一次前向写出 n + 1 个词"
        ),
    },
    EventKind {
        id: event::REJECT,
        ask: None,
        label: tr!("draft rejected", "草稿被拒"),
        why: tr!(
            "draft d is not what the base model would write there: it and every later draft are dropped",
            "第 d 个草稿不是基座模型在那里会写的词：它和之后的草稿全被丢弃"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const ACCEPT: &str = "accept";
    pub const REJECT: &str = "reject";
}

const MAX_DEPTH: i64 = 4;
const MAX_TEMPERATURE: f64 = 2.0;
const CHECKPOINT_EVERY: u64 = 16;
const CHECKPOINTS_KEPT: usize = 128;
/// DeepSeek-V3's reported acceptance of the second token, and its speed-up.
pub const REPORTED_ACCEPTANCE: (f64, f64) = (0.85, 0.90);
pub const REPORTED_SPEED_UP: f64 = 1.8;

mod key {
    pub const DEPTH: &str = "depth";
    pub const MODULE_QUALITY: &str = "module_quality";
    pub const TEMPERATURE: &str = "temperature";
}

fn specs() -> Vec<ParamSpec> {
    let mut specs = vec![
        ParamSpec::int(key::DEPTH, 1..=MAX_DEPTH, 1).help(tr!(
            "sequential MTP modules (DeepSeek-V3 uses 1)",
            "顺序 MTP 模块的个数（DeepSeek-V3 用 1 个）"
        )),
        ParamSpec::float(key::MODULE_QUALITY, 0.0..=1.0, 0.8).help(tr!(
            "1 = each module is the base model's own next-token distribution; 0 = seeded noise",
            "1 = 每个模块就是基座模型自己的下一词分布；0 = 带种子的噪声"
        )),
    ];
    specs.extend(decoding::run_specs("a good guess"));
    specs.push(
        ParamSpec::float(key::TEMPERATURE, 0.0..=MAX_TEMPERATURE, 0.0).help(tr!(
            "0 = greedy drafting and verification; above 0 = speculative sampling",
            "0 = 贪心起草与验证；大于 0 = 投机采样"
        )),
    );
    specs
}

/// The modules' settings and the run.
struct Setup {
    settings: Settings,
    run: RunSetup,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let run = RunSetup::from_params(params)?;
        Ok(Setup {
            settings: Settings {
                depth: params.count(key::DEPTH)?,
                quality: params.float(key::MODULE_QUALITY)?,
                temperature: params.float(key::TEMPERATURE)?,
                length: run.length,
                no_repeat: run.no_repeat,
            },
            run,
        })
    }
}

fn build(params: &ParamSet, seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    let Setup { settings, run } = Setup::from_params(params)?;
    let (lm, vocab) = language_model(run.order);
    let prompt = vocab.encode(&run.words);
    let model = Mtp::new(lm, settings, &prompt, seed);
    Ok(Box::new(MtpLesson {
        vocab,
        seed,
        comparison: OnceCell::new(),
        timeline: Checkpoints::new(model, CHECKPOINT_EVERY, CHECKPOINTS_KEPT),
    }))
}

/// Tokens per pass of whole greedy runs on the same prompt, length, rule,
/// seed and quality: MTP's chain, Medusa's chain with as many heads as MTP has
/// modules, and Medusa's default tree cut to those heads. Greedy for all
/// three, so the acceptance rule is the same (keep while the candidate is
/// the base model's choice) and the text is the same plain-decoding text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    pub depth: usize,
    pub mtp_chain: f64,
    pub medusa_chain: f64,
    pub medusa_tree: f64,
    /// Candidates below the root that Medusa's cut tree verifies each pass.
    pub tree_candidates: usize,
}

fn compare(lm: &Arc<NGram>, s: &Settings, prompt: &[Token], seed: u64) -> Comparison {
    let greedy = Settings {
        temperature: 0.0,
        ..s.clone()
    };
    let mut mtp = Mtp::new(Arc::clone(lm), greedy, prompt, seed);
    while mtp.step() {}
    let medusa_run = |paths: Vec<Vec<usize>>| -> (f64, usize) {
        let settings = medusa::Settings {
            heads: s.depth,
            quality: s.quality,
            temperature: 0.0,
            posterior_threshold: POSTERIOR_THRESHOLD,
            posterior_alpha: POSTERIOR_ALPHA,
            length: s.length,
            no_repeat: s.no_repeat,
        };
        let Ok(tree) = TreeBuffers::new(&medusa::prune(&paths, s.depth)) else {
            return (0.0, 0);
        };
        let candidates = tree.nodes() - 1;
        let mut m = Medusa::new(Arc::clone(lm), Arc::new(tree), settings, prompt, seed);
        while m.step() {}
        (m.tokens_per_pass(), candidates)
    };
    let chain: Vec<Vec<usize>> = (1..=s.depth).map(|d| vec![0; d]).collect();
    let (medusa_chain, _) = medusa_run(chain);
    let (medusa_tree, tree_candidates) = medusa_run(mc_sim_7b_63());
    Comparison {
        depth: s.depth,
        mtp_chain: mtp.tokens_per_pass(),
        medusa_chain,
        medusa_tree,
        tree_candidates,
    }
}

pub struct MtpLesson {
    vocab: Arc<Vocab>,
    /// Medusa's comparison run decodes with the same seed.
    seed: u64,
    /// The comparison, run once when first shown: three whole decodings are
    /// too much to do for every lesson at start-up.
    comparison: OnceCell<Comparison>,
    timeline: Checkpoints<Mtp>,
}

impl MtpLesson {
    pub fn model(&self) -> &Mtp {
        self.timeline.model()
    }
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }
    pub fn word(&self, token: Token) -> &str {
        self.vocab.word(token)
    }
    pub fn comparison(&self) -> Comparison {
        *self.comparison.get_or_init(|| {
            let m = self.model();
            compare(m.lm(), m.settings(), m.prompt(), self.seed)
        })
    }
    /// Kept share at each drafted position given the pass reached it
    /// (every earlier draft kept), in 0..=1.
    pub fn acceptance_by_depth(&self) -> Vec<f64> {
        let m = self.model();
        decoding::shares(&m.kept, &m.drafted)
    }
    /// Kept share at each drafted position over all passes, in 0..=1.
    pub fn unconditional_acceptance(&self) -> Vec<f64> {
        let m = self.model();
        let passes = vec![m.passes; m.kept.len()];
        decoding::shares(&m.kept, &passes)
    }
}

const CODE: &[&str] = &[
    "t₁ ← root: the base choice after the text (prefill)",
    "h₀ ← the main model's hidden state that predicted t₁",
    "for k in 1..D: h_k ← TRM_k(M_k[RMSNorm(h_(k−1)); RMSNorm(Emb(t_k))])",
    "  draft t_(k+1) ← OutHead(h_k)   (k places after the root)",
    "verify all drafts in one pass of the main model",
    "keep drafts while accepted (greedy, or min(1, p/q))",
    "text += root + kept; root ← correction or next token",
    "until length tokens are written",
];

impl Lesson for MtpLesson {
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
        CODE
    }
    fn current_line(&self) -> usize {
        decoding::current_line(self.is_finished(), self.timeline.steps())
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, 0, area, buf, look);
    }
    fn pages(&self, area: Rect) -> usize {
        view::pages(area)
    }
    fn render_page(&self, page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, page, area, buf, look);
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        decoding::TRACE_COLUMNS
    }
    fn events(&self, out: &mut Vec<Event>) {
        let m = self.model();
        if m.passes == 0 {
            return;
        }
        let last = &m.last;
        if last.accepted > 0 {
            let n = last.accepted;
            out.push(Event::new(event::ACCEPT, format!("n={n}")));
        }
        if last.accepted < last.drafts.len() {
            let depth = last.accepted + 1;
            out.push(Event::new(event::REJECT, format!("d={depth}")));
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self.model(), &self.vocab, pick)
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let m = self.model();
        rows.push(vec![
            self.timeline.steps().into(),
            (m.last.accepted as u64).into(),
            (m.last.emitted.len() as u64).into(),
            (m.generated().len() as u64).into(),
            m.passes.into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let m = self.model();
        let mut table = decoding::summary_table(
            &self.vocab,
            m.generated(),
            m.passes,
            self.acceptance_by_depth(),
        );
        let c = self.comparison();
        table.insert(
            "acceptance_unconditional".into(),
            toml::Value::Array(
                self.unconditional_acceptance()
                    .into_iter()
                    .map(toml::Value::Float)
                    .collect(),
            ),
        );
        table.insert(
            "greedy_mtp_chain_tokens_per_pass".into(),
            c.mtp_chain.into(),
        );
        table.insert("medusa_chain_tokens_per_pass".into(), c.medusa_chain.into());
        table.insert("medusa_tokens_per_pass".into(), c.medusa_tree.into());
        table.insert(
            "medusa_tree_candidates".into(),
            (c.tree_candidates as i64).into(),
        );
        table.insert("finished".into(), self.is_finished().into());
        table
    }
}
