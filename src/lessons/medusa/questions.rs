//! Medusa's questions: how many tokens the next pass writes (greedy), whether
//! one tree node attends to another, and the position ids of a few nodes. Nodes are
//! numbered as the summary's `tree_mask` and `tree_positions` number them:
//! the root 0, then the paths in Medusa's sorted order. Every answer is read
//! off the model (a copy stepped forward, or the tree it verifies with).

use crate::i18n::count_en;
use crate::lesson::timeline::Replayable;
use crate::lesson::{Answer, Question, QuestionKind};
use crate::sim::decoding::medusa::Medusa;
use crate::sim::decoding::ngram::Vocab;
use crate::sim::decoding::tree::{TreeBuffers, path_text};
use crate::{said, tr};

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const ACCEPTED: &str = "accepted";
    pub const MASK: &str = "mask";
    pub const POSITIONS: &str = "positions";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::ACCEPTED,
        label: tr!("tokens the next pass writes", "下一次前向写出的词数"),
    },
    QuestionKind {
        id: kind::MASK,
        label: tr!("does node i attend to node j", "节点 i 能否看见节点 j"),
    },
    QuestionKind {
        id: kind::POSITIONS,
        label: tr!("position ids of tree nodes", "树节点的位置编号"),
    },
];

/// Spreads picks over the nodes (a prime, so consecutive picks land apart).
const SPREAD: u64 = 7_919;

/// One question, `pick` choosing its kind among those that apply.
pub fn ask(model: &Medusa, vocab: &Vocab, pick: u64) -> Option<Question> {
    let count = KINDS.len() as u64;
    (0..count).find_map(|offset| match (pick % count + offset) % count {
        0 => accepted(model, vocab),
        1 => mask(model.tree(), pick),
        _ => positions(model.tree(), pick),
    })
}

/// The tree's sorted paths as the context lists them (`0,1`), node i + 1 first.
fn paths_value(tree: &TreeBuffers) -> toml::Value {
    toml::Value::Array(
        tree.paths
            .iter()
            .map(|p| toml::Value::String(path_text(p)))
            .collect(),
    )
}

fn words(vocab: &Vocab, tokens: &[u32]) -> toml::Value {
    toml::Value::Array(
        tokens
            .iter()
            .map(|&t| toml::Value::String(vocab.word(t).to_string()))
            .collect(),
    )
}

/// `accepted`: greedy only (typical acceptance's bar needs whole
/// distributions, too much to read by hand). The context is the next pass's
/// tree with its candidate on each node and the base model's choice after
/// each node; the answer counts the root, the accepted candidates and so the
/// token the pass adds of its own (the bonus, next pass's root) is the
/// emitted count: accepted + 1.
fn accepted(model: &Medusa, vocab: &Vocab) -> Option<Question> {
    if model.is_finished() || model.settings().temperature > 0.0 || model.tree().nodes() < 2 {
        return None;
    }
    let mut copy = model.clone();
    if !copy.step() {
        return None;
    }
    let pass = &copy.last;
    let verdict = pass.verdict?;
    let tree = copy.tree();
    let written = verdict.accepted + 1;
    let path = pass
        .accepted_nodes(tree)
        .iter()
        .map(|&n| vocab.word(pass.tokens[n]).to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let mut context = toml::Table::new();
    context.insert("paths".into(), paths_value(tree));
    context.insert("tokens".into(), words(vocab, &pass.tokens));
    context.insert("base".into(), words(vocab, &pass.base));
    // Just the root when its first candidate is wrong: "1 token".
    let written_en = count_en(written, "token", "tokens");
    Some(Question {
        kind: kind::ACCEPTED,
        prompt: said!(
            "Node 0 is the root; node i + 1 is path i. A candidate is accepted when it equals the \
             base model's choice after its parent, all the way from the root. How many tokens \
             does this pass write (the root and every accepted candidate)?",
            "节点 0 是根，节点 i + 1 是第 i 条路径。候选词等于基座模型在其父节点之后的选择时被接受，\
             必须从根一路接受下来。这次前向写出多少个词（根加上每个被接受的候选）？"
        ),
        answer: Answer::Integer(written as i64),
        why: said!(
            "the longest accepted branch is {path}: {written_en}; the base model's choice \
             after its last node becomes the next root (the bonus token)",
            "最长的被接受分支是 {path}：共 {written} 个词；基座模型在它最后一个节点之后的选择成为\
             下一个根（额外的那个词）"
        ),
        context,
        steps: 1,
    })
}

/// `mask`: does node i attend to node j? `pick` chooses i among the nodes
/// below the root and, by turns, j among i's ancestors or among the others.
fn mask(tree: &TreeBuffers, pick: u64) -> Option<Question> {
    let nodes = tree.nodes();
    if nodes < 3 {
        return None;
    }
    let spread = pick.wrapping_mul(SPREAD);
    let i = 1 + usize::try_from(spread % (nodes as u64 - 1)).ok()?;
    let ancestors: Vec<usize> = std::iter::successors(tree.parent(i), |&n| tree.parent(n))
        .filter(|&n| n > 0)
        .collect();
    let others: Vec<usize> = (1..nodes)
        .filter(|&n| n != i && !ancestors.contains(&n))
        .collect();
    let from = if pick % 2 == 1 && !ancestors.is_empty() {
        &ancestors
    } else if !others.is_empty() {
        &others
    } else {
        &ancestors
    };
    let j = *from.get(usize::try_from(spread / 2 % from.len() as u64).ok()?)?;
    let sees = tree.mask[i][j];
    let (pi, pj) = (path_text(&tree.paths[i - 1]), path_text(&tree.paths[j - 1]));
    let mut context = toml::Table::new();
    context.insert("paths".into(), paths_value(tree));
    context.insert("i".into(), (i as i64).into());
    context.insert("j".into(), (j as i64).into());
    let why = if sees {
        said!(
            "node {j} (path {pj}) is an ancestor of node {i} (path {pi}): its path is a prefix, so \
             node {i}'s token follows it in that candidate",
            "节点 {j}（路径 {pj}）是节点 {i}（路径 {pi}）的祖先：它的路径是前缀，在这个候选里\
             节点 {i} 的词就接在它后面"
        )
    } else {
        said!(
            "node {j} (path {pj}) is not on node {i}'s branch (path {pi}): another candidate, \
             which node {i} must not see",
            "节点 {j}（路径 {pj}）不在节点 {i} 的分支（路径 {pi}）上：那是另一个候选，\
             节点 {i} 不能看见它"
        )
    };
    Some(Question {
        kind: kind::MASK,
        prompt: said!(
            "Node 0 is the root; node i + 1 is path i. Does node {i} (path {pi}) attend to \
             node {j} (path {pj})?",
            "节点 0 是根，节点 i + 1 是第 i 条路径。节点 {i}（路径 {pi}）能看见节点 {j}（路径 {pj}）吗？"
        ),
        answer: Answer::yes_no(sees),
        why,
        context,
        steps: 0,
    })
}

/// Nodes a `positions` question asks about: enough to show that nodes of one
/// depth share an id, few enough to type.
const POSITION_NODES: usize = 5;

/// `positions`: the position ids of a few nodes spread over the tree (the
/// paths are sorted by length, so evenly spaced nodes span the depths).
fn positions(tree: &TreeBuffers, pick: u64) -> Option<Question> {
    let candidates = tree.nodes().checked_sub(1).filter(|&n| n > 0)?;
    let count = POSITION_NODES.min(candidates);
    let stride = candidates / count;
    let start = usize::try_from(pick.wrapping_mul(SPREAD) % stride as u64).ok()?;
    let nodes: Vec<usize> = (0..count).map(|k| 1 + start + k * stride).collect();
    let listed = nodes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut context = toml::Table::new();
    context.insert("paths".into(), paths_value(tree));
    context.insert(
        "nodes".into(),
        toml::Value::Array(nodes.iter().map(|&n| (n as i64).into()).collect()),
    );
    let depth = tree.depth();
    Some(Question {
        kind: kind::POSITIONS,
        prompt: said!(
            "Node 0 is the root; node i + 1 is path i. What are the position ids of nodes \
             {listed}, in that order?",
            "节点 0 是根，节点 i + 1 是第 i 条路径。节点 {listed} 的位置编号依次是什么？"
        ),
        answer: Answer::List(nodes.iter().map(|&n| tree.positions[n] as i64).collect()),
        why: said!(
            "a node's position id is its depth (its path's length; the root is 0), so \
             candidates at one depth share an id: every candidate at depth d sits d places \
             after the root, up to {depth}",
            "节点的位置编号就是它的深度（路径长度，根为 0），同一深度的候选编号相同：\
             深度为 d 的候选都在根之后第 d 个位置，最深为 {depth}"
        ),
        context,
        steps: 0,
    })
}
