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
    let mut levels = 0;
    while levels < 63 && (1usize << levels) <= len {
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
    let label_width = (0..len).map(|i| node(i).0.width()).max().unwrap_or(1) as u16;
    let levels = levels_that_fit(len, area, label_width);
    for depth in 0..levels {
        let first = (1usize << depth) - 1;
        let y = area.y + 2 * depth as u16;
        for k in 0..(1usize << depth) {
            let i = first + k;
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
    fn levels_stop_at_the_area() {
        assert_eq!(levels_that_fit(100, Rect::new(0, 0, 200, 3), 2), 2);
        assert_eq!(levels_that_fit(0, Rect::new(0, 0, 200, 30), 2), 0);
        assert_eq!(levels_that_fit(3, Rect::new(0, 0, 0, 0), 2), 0);
    }
}
