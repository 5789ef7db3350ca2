//! MTP's questions, about the next greedy pass: how many drafts the base
//! model keeps, and which token it adds after them. Both are read off a copy
//! of the model stepped one pass.

use crate::lesson::timeline::Replayable;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::sim::decoding::mtp::{Mtp, Pass};
use crate::sim::decoding::ngram::Vocab;
use crate::{said, tr};

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const ACCEPTED: &str = "accepted";
    pub const NEXT: &str = "next";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::ACCEPTED,
        label: tr!("drafts the base model keeps", "基座模型保留的草稿数"),
    },
    QuestionKind {
        id: kind::NEXT,
        label: tr!(
            "the token the base model adds after the kept drafts",
            "保留的草稿之后基座模型添上的词"
        ),
    },
];

/// One question, `pick` choosing its kind; greedy passes only (speculative
/// sampling keeps a draft by a coin toss, which no one can predict).
pub fn ask(model: &Mtp, vocab: &Vocab, pick: u64) -> Option<Question> {
    if model.is_finished() || model.settings().temperature > 0.0 {
        return None;
    }
    let mut copy = model.clone();
    if !copy.step() {
        return None;
    }
    let pass = &copy.last;
    if pick.is_multiple_of(2) {
        accepted(pass, vocab)
    } else {
        next(pass, vocab)
    }
}

fn words(vocab: &Vocab, tokens: &[u32]) -> toml::Value {
    toml::Value::Array(
        tokens
            .iter()
            .map(|&t| toml::Value::String(vocab.word(t).to_string()))
            .collect(),
    )
}

/// The drafts, and the base model's choice at each drafted position (after
/// the root, after the root and the first draft, …); with `beyond`, also its
/// choice after the last draft.
fn context(pass: &Pass, vocab: &Vocab, beyond: bool) -> toml::Table {
    let mut context = toml::Table::new();
    context.insert("root".into(), vocab.word(pass.root).into());
    context.insert("drafts".into(), words(vocab, &pass.drafts));
    let shown = (pass.drafts.len() + usize::from(beyond)).min(pass.base.len());
    context.insert("base".into(), words(vocab, &pass.base[..shown]));
    context
}

fn accepted(pass: &Pass, vocab: &Vocab) -> Option<Question> {
    let kept = pass.accepted;
    let why = if kept == pass.drafts.len() {
        said!(
            "every draft equals the base model's choice at its position: all {kept} are kept",
            "每个草稿都等于基座模型在该位置的选择：{kept} 个全部保留"
        )
    } else {
        let position = kept + 1;
        said!(
            "draft {position} differs from the base model's choice there, so it and every draft \
             after it are dropped: {kept} kept",
            "第 {position} 个草稿与基座模型在那里的选择不同，它和之后的草稿全被丢弃：保留 {kept} 个"
        )
    };
    Some(Question {
        kind: kind::ACCEPTED,
        prompt: said!(
            "The modules drafted these tokens after the root; the base model's greedy choice at \
             each position is given. How many drafts are kept?",
            "MTP 模块在根之后起草了这些词；给出了基座模型在每个位置的贪心选择。保留几个草稿？"
        ),
        answer: Answer::Integer(kept as i64),
        why,
        context: context(pass, vocab, false),
        steps: 1,
    })
}

/// `next`: the token after the kept drafts, the base model's own choice
/// there (a correction, or a bonus token when every draft was kept).
fn next(pass: &Pass, vocab: &Vocab) -> Option<Question> {
    let answer = *pass.base.get(pass.accepted)?;
    let mut options: Vec<u32> = Vec::new();
    for &t in pass.drafts.iter().chain(&pass.base) {
        if !options.contains(&t) && options.len() < crate::lesson::question::MAX_OPTIONS {
            options.push(t);
        }
    }
    let correct = options.iter().position(|&t| t == answer)?;
    let word = vocab.word(answer).to_string();
    let why = if pass.accepted == pass.drafts.len() {
        said!(
            "every draft was kept; the base model's pass also gives its choice after the last \
             one, '{word}', a bonus token",
            "草稿全被保留；基座模型这次前向还给出了最后一个草稿之后的选择“{word}”，白得一个词"
        )
    } else {
        said!(
            "the first rejected draft is replaced by the base model's own choice there, '{word}'",
            "第一个被拒的草稿由基座模型在那里自己的选择“{word}”替换"
        )
    };
    Some(Question {
        kind: kind::NEXT,
        prompt: said!(
            "The modules drafted these tokens after the root; the base model's greedy choice at \
             each position is given. Which token comes right after the kept drafts?",
            "MTP 模块在根之后起草了这些词；给出了基座模型在每个位置的贪心选择。紧接在保留的草稿之后的是哪个词？"
        ),
        answer: Answer::Choice {
            options: options
                .iter()
                .map(|&t| {
                    let w = vocab.word(t).to_string();
                    crate::i18n::Said {
                        en: w.clone(),
                        zh: w,
                    }
                })
                .collect(),
            correct,
        },
        why,
        context: context(pass, vocab, true),
        steps: 1,
    })
}
