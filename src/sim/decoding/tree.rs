//! Medusa's candidate tree and the buffers it is verified with.
//!
//! A tree is a list of paths; path `p` of depth `d` takes the token of rank
//! `p[d-1]` in head `d-1`'s top-k list, below the root (the base model's own
//! next token). The buffers follow Medusa's construction step by step:
//!
//! 1. sort the paths by (length, then lexicographically); node 0 is the root
//!    and node `i + 1` is sorted path `i`;
//! 2. attention mask: the identity, plus column 0, plus for every node the
//!    columns of all its ancestors;
//! 3. position id of a node = its depth;
//! 4. retrieve indices: walk the sorted paths from the end, skipping any path
//!    already covered as a prefix of a chosen one; each chosen path becomes a
//!    row of node indices along it, with a leading 0 (the root), padded with −1
//!    to the longest row.

use crate::i18n::Said;
use crate::{said, tr};
use std::collections::HashMap;
use std::fmt::Write as _;

/// One candidate: the top-k rank taken at each depth.
pub type TreePath = Vec<usize>;

/// Padding in retrieve rows shorter than the longest.
pub const PAD: i64 = -1;

/// Medusa's default tree for Vicuna-7B ("mc_sim_7b_63"), found by simulation
/// in the Medusa repository: 63 paths, up to 4 deep, over 10 top-k ranks.
pub const MC_SIM_7B_63: &[&[usize]] = &[
    &[0],
    &[0, 0],
    &[1],
    &[0, 1],
    &[2],
    &[0, 0, 0],
    &[1, 0],
    &[0, 2],
    &[3],
    &[0, 3],
    &[4],
    &[0, 4],
    &[2, 0],
    &[0, 5],
    &[0, 0, 1],
    &[5],
    &[0, 6],
    &[6],
    &[0, 7],
    &[0, 1, 0],
    &[1, 1],
    &[7],
    &[0, 8],
    &[0, 0, 2],
    &[3, 0],
    &[0, 9],
    &[8],
    &[9],
    &[1, 0, 0],
    &[0, 2, 0],
    &[1, 2],
    &[0, 0, 3],
    &[4, 0],
    &[2, 1],
    &[0, 0, 4],
    &[0, 0, 5],
    &[0, 0, 0, 0],
    &[0, 1, 1],
    &[0, 0, 6],
    &[0, 3, 0],
    &[5, 0],
    &[1, 3],
    &[0, 0, 7],
    &[0, 0, 8],
    &[0, 0, 9],
    &[6, 0],
    &[0, 4, 0],
    &[1, 4],
    &[7, 0],
    &[0, 1, 2],
    &[2, 0, 0],
    &[3, 1],
    &[2, 2],
    &[8, 0],
    &[0, 5, 0],
    &[1, 5],
    &[1, 0, 1],
    &[0, 2, 1],
    &[9, 0],
    &[0, 6, 0],
    &[0, 0, 0, 1],
    &[1, 6],
    &[0, 7, 0],
];

/// The tree and its buffers, ready for one verification pass.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeBuffers {
    /// Sorted paths; node `i + 1` is `paths[i]`.
    pub paths: Vec<TreePath>,
    /// `mask[i][j]`: node `i` attends to node `j`.
    pub mask: Vec<Vec<bool>>,
    /// Position id of each node: its depth (the root is 0).
    pub positions: Vec<usize>,
    /// One row per path that is no other path's prefix: node indices from the
    /// root down, padded with `PAD`.
    pub retrieve: Vec<Vec<i64>>,
    /// Parent node of each node (the root's is itself).
    parents: Vec<usize>,
}

impl TreeBuffers {
    /// Builds the buffers; refuses an empty path, a repeated path, or a path
    /// whose prefix is missing (Medusa's construction needs every ancestor).
    pub fn new(paths: &[TreePath]) -> Result<TreeBuffers, Said> {
        let mut sorted: Vec<TreePath> = paths.to_vec();
        sorted.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        let mut node_of: HashMap<&[usize], usize> = HashMap::with_capacity(sorted.len());
        for (at, path) in sorted.iter().enumerate() {
            if path.is_empty() {
                return Err(tr!(
                    "an empty path; every path names at least one rank",
                    "有一条空路径；每条路径至少要写一个名次"
                )
                .into());
            }
            if node_of.insert(path.as_slice(), at + 1).is_some() {
                let path = path_text(path);
                return Err(said!("path {path} appears twice", "路径 {path} 出现了两次"));
            }
        }
        let nodes = sorted.len() + 1;
        let mut parents = vec![0; nodes];
        let mut positions = vec![0; nodes];
        let mut mask = vec![vec![false; nodes]; nodes];
        for (row, cells) in mask.iter_mut().enumerate() {
            cells[row] = true;
            cells[0] = true;
        }
        for (at, path) in sorted.iter().enumerate() {
            let node = at + 1;
            positions[node] = path.len();
            for depth in 1..path.len() {
                let prefix = &path[..depth];
                let ancestor = *node_of.get(prefix).ok_or_else(|| {
                    let (path, prefix) = (path_text(path), path_text(prefix));
                    said!(
                        "path {path} needs its prefix {prefix} in the tree too",
                        "路径 {path} 需要它的前缀 {prefix} 也在树里"
                    )
                })?;
                mask[node][ancestor] = true;
                if depth + 1 == path.len() {
                    parents[node] = ancestor;
                }
            }
        }
        let retrieve = retrieve_rows(&sorted, &node_of);
        Ok(TreeBuffers {
            paths: sorted,
            mask,
            positions,
            retrieve,
            parents,
        })
    }

    /// Nodes including the root.
    pub fn nodes(&self) -> usize {
        self.positions.len()
    }

    /// The deepest path's length (0 for a tree that is only the root).
    pub fn depth(&self) -> usize {
        self.positions.iter().copied().max().unwrap_or(0)
    }

    /// The node above `node`; `None` for the root.
    pub fn parent(&self, node: usize) -> Option<usize> {
        (node > 0 && node < self.nodes()).then(|| self.parents[node])
    }

    /// The mask as rows of 0 and 1, as the summary prints it.
    pub fn mask_rows(&self) -> Vec<String> {
        self.mask
            .iter()
            .map(|row| row.iter().map(|&on| if on { '1' } else { '0' }).collect())
            .collect()
    }
}

/// Step 4 of the construction: rows for the paths no chosen path covers,
/// walking from the last sorted path back.
fn retrieve_rows(sorted: &[TreePath], node_of: &HashMap<&[usize], usize>) -> Vec<Vec<i64>> {
    let mut covered: Vec<&[usize]> = Vec::new();
    let mut rows: Vec<Vec<i64>> = Vec::new();
    for path in sorted.iter().rev() {
        if covered.contains(&path.as_slice()) {
            continue;
        }
        let mut row = vec![0];
        for depth in 1..=path.len() {
            let prefix = &path[..depth];
            // Every prefix is a node: `new` checked it before calling.
            row.push(node_of.get(prefix).map_or(PAD, |&n| n as i64));
            covered.push(prefix);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        // A tree that is only the root (plain decoding): one row, the root.
        rows.push(vec![0]);
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for row in &mut rows {
        row.resize(width, PAD);
    }
    rows
}

/// Parses a custom tree such as `0;1;0,0;0,1;0,0,0`.
pub fn parse_paths(text: &str) -> Result<Vec<TreePath>, Said> {
    let mut paths = Vec::new();
    for (at, part) in text.split(';').enumerate() {
        let part = part.trim();
        let path: Result<TreePath, _> = part.split(',').map(|r| r.trim().parse()).collect();
        match path {
            Ok(path) => paths.push(path),
            Err(_) => {
                let (n, part) = (at + 1, crate::error::echo(part));
                return Err(said!(
                    "path {n} '{part}' is not a comma-separated list of ranks (0, 1, 2, …)",
                    "第 {n} 条路径“{part}”不是以逗号分隔的名次（0, 1, 2, …）"
                ));
            }
        }
    }
    Ok(paths)
}

/// A path as the custom-tree syntax writes it: `0,1,2`.
pub fn path_text(path: &[usize]) -> String {
    let mut text = String::new();
    for (at, rank) in path.iter().enumerate() {
        if at > 0 {
            text.push(',');
        }
        let _ = write!(text, "{rank}");
    }
    text
}

/// The built-in tree as owned paths.
pub fn mc_sim_7b_63() -> Vec<TreePath> {
    MC_SIM_7B_63.iter().map(|p| p.to_vec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example() {
        let tree = TreeBuffers::new(&parse_paths("0;1;0,0;0,1").expect("parses")).expect("valid");
        assert_eq!(tree.positions, [0, 1, 1, 2, 2]);
        assert_eq!(tree.retrieve, [[0, 1, 4], [0, 1, 3], [0, 2, -1]]);
        assert_eq!(
            tree.mask_rows(),
            ["10000", "11000", "10100", "11010", "11001"]
        );
        assert_eq!(tree.parent(3), Some(1));
        assert_eq!(tree.parent(2), Some(0));
        assert_eq!(tree.parent(0), None);
    }

    #[test]
    fn mc_sim_7b_63_has_64_nodes_and_42_rows() {
        let tree = TreeBuffers::new(&mc_sim_7b_63()).expect("valid");
        assert_eq!(tree.nodes(), 64);
        // Depth counts of the preset: 10 paths of length 1, 28 of 2, 23 of 3, 2 of 4.
        let mut expected = vec![0];
        for (depth, count) in [(1, 10), (2, 28), (3, 23), (4, 2)] {
            expected.extend(std::iter::repeat_n(depth, count));
        }
        assert_eq!(tree.positions, expected);
        assert_eq!(tree.retrieve.len(), 42);
        assert!(tree.retrieve.iter().all(|row| row.len() == 5));
        // The last sorted path, [0, 0, 0, 1], is node 63 and heads the rows.
        assert_eq!(tree.retrieve[0], [0, 1, 11, 39, 63]);
    }

    /// Brute force: a row per leaf (a path no other path extends), each the
    /// chain of ancestors; the mask row of a node marks exactly its chain.
    #[test]
    fn rows_are_the_leaves_and_the_mask_is_the_ancestor_relation() {
        let paths = mc_sim_7b_63();
        let tree = TreeBuffers::new(&paths).expect("valid");
        let is_prefix = |a: &[usize], b: &[usize]| a.len() < b.len() && b[..a.len()] == *a;
        let leaves = paths
            .iter()
            .filter(|p| !paths.iter().any(|q| is_prefix(p, q)))
            .count();
        assert_eq!(tree.retrieve.len(), leaves);
        for row in &tree.retrieve {
            let real: Vec<usize> = row
                .iter()
                .filter(|&&n| n != PAD)
                .map(|&n| n as usize)
                .collect();
            for pair in real.windows(2) {
                assert_eq!(tree.parent(pair[1]), Some(pair[0]));
            }
        }
        for node in 1..tree.nodes() {
            let mut chain = vec![node];
            while let Some(up) = tree.parent(*chain.last().expect("non-empty")) {
                chain.push(up);
            }
            for col in 0..tree.nodes() {
                assert_eq!(
                    tree.mask[node][col],
                    chain.contains(&col),
                    "({node}, {col})"
                );
            }
        }
    }

    #[test]
    fn a_tree_of_only_the_root_has_one_row() {
        let tree = TreeBuffers::new(&[]).expect("valid");
        assert_eq!(tree.nodes(), 1);
        assert_eq!(tree.retrieve, [[0]]);
        assert_eq!(tree.mask_rows(), ["1"]);
    }

    #[test]
    fn bad_trees_say_what_is_wrong() {
        let missing = TreeBuffers::new(&parse_paths("0;0,1,2").expect("parses"));
        assert_eq!(
            missing.expect_err("refused").en,
            "path 0,1,2 needs its prefix 0,1 in the tree too"
        );
        let twice = TreeBuffers::new(&parse_paths("0;1;0").expect("parses"));
        assert_eq!(twice.expect_err("refused").en, "path 0 appears twice");
        assert!(
            parse_paths("0;a")
                .expect_err("refused")
                .en
                .contains("path 2 'a'")
        );
        assert!(parse_paths("0;;1").is_err());
    }
}
