//! A binary tree stored as an array (children of i at 2i+1 and 2i+2), drawn
//! level by level with box-drawing edges:
//!
//! ```text
//!        1
//!    ┌───┴───┐
//!    3       2
//!  ┌─┴─┐   ┌─┘
//!  5   9   8
//! ```

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

/// How many levels of `len` nodes fit in `area` with labels `label_width` wide.
pub fn levels_that_fit(len: usize, area: Rect, label_width: u16) -> usize {
    subtree_levels_that_fit(0, len, area, label_width)
}

/// Slot of the `k`-th node (0-based, left to right) `depth` levels below `root`.
fn slot(root: usize, depth: usize, k: usize) -> usize {
    ((root + 1) << depth) - 1 + k
}

/// How many levels of the subtree under `root` fit in `area`.
pub fn subtree_levels_that_fit(root: usize, len: usize, area: Rect, label_width: u16) -> usize {
    let mut levels = 0;
    while levels < 63 && root < len && slot(root, levels, 0) < len {
        let nodes_on_level = 1u32 << levels;
        let rows_needed = 2 * levels as u16 + 1;
        let columns_needed = u32::from(label_width + 1) * nodes_on_level;
        if rows_needed > area.height || columns_needed > u32::from(area.width) {
            break;
        }
        levels += 1;
    }
    levels
}

/// Levels below and including `root` that exist among `len` nodes.
pub fn subtree_depth(root: usize, len: usize) -> usize {
    (0..63)
        .take_while(|&d| root < len && slot(root, d, 0) < len)
        .count()
}

/// Centre column of node `k` (0-based within its level) on level `depth`.
fn centre(area: Rect, depth: usize, k: usize) -> u16 {
    let slots = 1u32 << (depth + 1);
    let x = (u32::from(area.width) * (2 * k as u32 + 1)) / slots;
    area.x + x as u16
}

/// Draws nodes `0..len` as far as they fit; `node(i)` gives the label and its
/// style. Returns the number of levels drawn.
pub fn render(
    len: usize,
    node: &dyn Fn(usize) -> (String, Style),
    edge_style: Style,
    area: Rect,
    buf: &mut Buffer,
) -> usize {
    render_subtree(0, len, node, edge_style, area, buf)
}

/// Draws the subtree under `root` (of a tree of `len` nodes) as far as it
/// fits, `root` on the top row; for a tree too large to show whole, the
/// part around the nodes in focus. Returns the number of levels drawn.
pub fn render_subtree(
    root: usize,
    len: usize,
    node: &dyn Fn(usize) -> (String, Style),
    edge_style: Style,
    area: Rect,
    buf: &mut Buffer,
) -> usize {
    let label_width = (0..len).map(|i| node(i).0.width()).max().unwrap_or(1) as u16;
    let levels = subtree_levels_that_fit(root, len, area, label_width);
    for depth in 0..levels {
        let y = area.y + 2 * depth as u16;
        for k in 0..(1usize << depth) {
            let i = slot(root, depth, k);
            if i >= len {
                break;
            }
            let (label, style) = node(i);
            let x = centre(area, depth, k).saturating_sub(label.width() as u16 / 2);
            buf.set_stringn(
                x.max(area.x),
                y,
                &label,
                usize::from(area.right() - x.max(area.x)),
                style,
            );
            // The edge row to the children.
            let left = 2 * i + 1;
            if depth + 1 >= levels || left >= len {
                continue;
            }
            let edge_y = y + 1;
            let parent_x = centre(area, depth, k);
            let left_x = centre(area, depth + 1, 2 * k);
            let right_x = (left + 1 < len).then(|| centre(area, depth + 1, 2 * k + 1));
            let end_x = right_x.unwrap_or(parent_x);
            for x in left_x..=end_x {
                buf.set_string(x, edge_y, "─", edge_style);
            }
            buf.set_string(left_x, edge_y, "┌", edge_style);
            match right_x {
                Some(rx) => {
                    buf.set_string(rx, edge_y, "┐", edge_style);
                    buf.set_string(parent_x, edge_y, "┴", edge_style);
                }
                None => buf.set_string(parent_x, edge_y, "┘", edge_style),
            }
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::buffer_to_text;

    #[test]
    fn a_small_heap_draws_with_edges() {
        let values = [1, 3, 2, 5, 9, 8];
        let area = Rect::new(0, 0, 16, 5);
        let mut buf = Buffer::empty(area);
        let levels = render(
            values.len(),
            &|i| (values[i].to_string(), Style::new()),
            Style::new(),
            area,
            &mut buf,
        );
        assert_eq!(levels, 3);
        let text = buffer_to_text(&buf);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].trim(), "1");
        assert!(lines[1].contains('┴'));
        assert_eq!(lines[2].split_whitespace().collect::<Vec<_>>(), ["3", "2"]);
        assert_eq!(
            lines[4].split_whitespace().collect::<Vec<_>>(),
            ["5", "9", "8"]
        );
    }

    #[test]
    fn a_subtree_draws_from_its_root() {
        // Nodes 0..15: the subtree under 2 is 2; 5, 6; 11, 12, 13, 14.
        let area = Rect::new(0, 0, 24, 5);
        let mut buf = Buffer::empty(area);
        let levels = render_subtree(
            2,
            15,
            &|i| (i.to_string(), Style::new()),
            Style::new(),
            area,
            &mut buf,
        );
        assert_eq!(levels, 3);
        let text = buffer_to_text(&buf);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].trim(), "2");
        assert_eq!(lines[2].split_whitespace().collect::<Vec<_>>(), ["5", "6"]);
        assert_eq!(
            lines[4].split_whitespace().collect::<Vec<_>>(),
            ["11", "12", "13", "14"]
        );
        assert_eq!(subtree_depth(2, 15), 3);
        assert_eq!(subtree_depth(0, 100), 7);
        assert_eq!(subtree_depth(7, 15), 1);
    }

    #[test]
    fn levels_stop_at_the_area() {
        assert_eq!(levels_that_fit(100, Rect::new(0, 0, 200, 3), 2), 2);
        assert_eq!(levels_that_fit(0, Rect::new(0, 0, 200, 30), 2), 0);
        assert_eq!(levels_that_fit(3, Rect::new(0, 0, 0, 0), 2), 0);
    }
}
