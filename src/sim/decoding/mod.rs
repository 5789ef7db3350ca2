//! What the `medusa` and `mtp` lessons share: the n-gram model and its
//! training, Medusa's tree buffers, the rules that verify drafted tokens
//! against the base model, both decoders, and the run parameters (prompt,
//! length, temperature) the two lessons read alike.

use crate::tr;
use std::sync::Arc;

use ngram::{NGram, Token, Vocab, tokenize, tokenize_prompt};
use rand::RngExt;

use crate::lesson::{FromParams, ParamError, ParamSet, ParamSpec};

pub mod accept;
pub mod medusa;
pub mod mtp;
pub mod ngram;
pub mod norepeat;
pub mod tree;

/// Add-k smoothing constant of the toy model. k·V is about 1 for our
/// vocabulary, so counted successors dominate and sampling (temperature > 0)
/// stays near the text; with 0.01 the smoothing mass swamped the counts and
/// sampled text became a word salad. Every word still keeps some probability.
pub const SMOOTHING: f64 = 0.001;

/// The project's own text for the toy model (written for it, in our words).
pub const CORPUS: &str = include_str!("../../../assets/data/corpus.txt");

/// The vocabulary of `texts` (in order of first appearance) and the n-gram
/// model of `order` trained on them, tokenised as `tokenize` does (English
/// words; other scripts are dropped).
pub fn train(texts: &[&str], order: usize) -> (Arc<NGram>, Arc<Vocab>) {
    let words: Vec<String> = texts.iter().flat_map(|t| tokenize(t)).collect();
    let vocab = Vocab::from_words(&words);
    let model = NGram::train(&vocab.encode(&words), vocab.len(), order, SMOOTHING);
    (Arc::new(model), Arc::new(vocab))
}

/// Noise weights are U^NOISE_SHARPNESS, normalised: a few random tokens get
/// most of the mass, so a poor drafter is confidently wrong, as an untrained
/// one is.
const NOISE_SHARPNESS: i32 = 8;

/// A simulated trained drafter: quality·p + (1 − quality)·noise, the noise
/// drawn from `rng`.
pub fn blend_with_noise(p: &[f64], quality: f64, rng: &mut impl RngExt) -> Vec<f64> {
    let noise: Vec<f64> = (0..p.len())
        .map(|_| rng.random::<f64>().powi(NOISE_SHARPNESS))
        .collect();
    let total: f64 = noise.iter().sum();
    p.iter()
        .zip(&noise)
        .map(|(a, n)| quality * a + (1.0 - quality) * n / total)
        .collect()
}

/// Generated tokens per pass; 0 before the first pass.
pub fn tokens_per_pass(generated: usize, passes: u64) -> f64 {
    if passes == 0 {
        0.0
    } else {
        generated as f64 / passes as f64
    }
}

const MAX_LENGTH: i64 = 1_000;
const MAX_PROMPT: usize = 200;

/// The keys of the parameters both decoding lessons take.
pub mod key {
    pub const ORDER: &str = "order";
    pub const PROMPT: &str = "prompt";
    pub const LENGTH: &str = "length";
    pub const NO_REPEAT_NGRAM: &str = "no_repeat_ngram";
}

/// The parameters both decoding lessons take for the base model and the run.
pub fn run_specs(default_prompt: &str) -> Vec<ParamSpec> {
    vec![
        ParamSpec::int(key::ORDER, 2..=4, 3)
            .help(tr!("n of the base n-gram model", "基座 n 元语法模型的 n")),
        ParamSpec::text(key::PROMPT, MAX_PROMPT, default_prompt).help(tr!(
            "the words decoding starts from (unknown words become <unk>)",
            "解码开始时的文字（不认识的词记作 <unk>）"
        )),
        ParamSpec::int(key::LENGTH, 1..=MAX_LENGTH, 60)
            .step(10)
            .help(tr!("tokens to generate", "要生成的词数")),
        ParamSpec::int(
            key::NO_REPEAT_NGRAM,
            0..=norepeat::MAX_N as i64,
            norepeat::DEFAULT_N as i64,
        )
        .help(tr!(
            "ban a token that would repeat an n-gram already in the text (0 = off)",
            "禁止会让文本中已有的 n 元组再次出现的词（0 = 关闭）"
        )),
    ]
}

/// The base model and run both decoding lessons read from `run_specs`.
pub struct RunSetup {
    pub order: usize,
    /// The prompt's words (at least one).
    pub words: Vec<String>,
    /// Tokens to generate.
    pub length: usize,
    /// n of the no-repeat rule; 0 is off.
    pub no_repeat: usize,
}

impl FromParams for RunSetup {
    fn from_params(params: &ParamSet) -> Result<RunSetup, ParamError> {
        let words = tokenize_prompt(params.text(key::PROMPT)?);
        if words.is_empty() {
            return Err(ParamError::new(
                params.path(key::PROMPT),
                tr!("needs at least one word", "至少需要一个词"),
            ));
        }
        Ok(RunSetup {
            order: params.count(key::ORDER)?,
            words,
            length: params.count(key::LENGTH)?,
            no_repeat: params.count(key::NO_REPEAT_NGRAM)?,
        })
    }
}

/// The summary keys both decoding lessons report.
pub fn summary_table(
    vocab: &Vocab,
    generated: &[Token],
    passes: u64,
    acceptance_by_depth: Vec<f64>,
) -> toml::Table {
    let text: Vec<&str> = generated.iter().map(|&t| vocab.word(t)).collect();
    let mut table = toml::Table::new();
    table.insert(
        "tokens".into(),
        toml::Value::Array(
            generated
                .iter()
                .map(|&t| toml::Value::Integer(i64::from(t)))
                .collect(),
        ),
    );
    table.insert("text".into(), text.join(" ").into());
    table.insert(
        "passes".into(),
        toml::Value::Integer(i64::try_from(passes).unwrap_or(i64::MAX)),
    );
    table.insert(
        "tokens_per_pass".into(),
        tokens_per_pass(generated.len(), passes).into(),
    );
    table.insert(
        "acceptance_by_depth".into(),
        toml::Value::Array(
            acceptance_by_depth
                .into_iter()
                .map(toml::Value::Float)
                .collect(),
        ),
    );
    table
}

/// Kept ÷ tried at each depth, 0 where nothing was tried.
pub fn shares(kept: &[u64], tried: &[u64]) -> Vec<f64> {
    kept.iter()
        .zip(tried)
        .map(|(&k, &t)| if t == 0 { 0.0 } else { k as f64 / t as f64 })
        .collect()
}

/// Both lessons' listings have the same shape: line 0 is the prefill, lines
/// 1–6 run in every pass (6 is the update), line 7 is the end.
pub const PASS_LINES: &[usize] = &[1, 2, 3, 4, 5, 6];
const PREFILL_LINE: usize = 0;
const UPDATE_LINE: usize = 6;
const END_LINE: usize = 7;

/// The listing line a decoding run is at.
pub fn current_line(finished: bool, passes: u64) -> usize {
    if finished {
        END_LINE
    } else if passes == 0 {
        PREFILL_LINE
    } else {
        UPDATE_LINE
    }
}

/// The trace columns of both decoding lessons: one row per pass.
pub const TRACE_COLUMNS: &[&str] = &["step", "accepted", "new_tokens", "total_tokens", "passes"];
