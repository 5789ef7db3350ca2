//! The tab bar: every lesson in registry order, scrolled so the active tab is
//! always visible however narrow the terminal.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use crate::app::App;

const MORE_LEFT: &str = "‹";
const MORE_RIGHT: &str = "›";

/// Where one tab's label is drawn, relative to the bar's left edge.
#[derive(Clone, Debug, PartialEq)]
pub struct TabSlot {
    pub index: usize,
    pub x: u16,
    pub width: u16,
    pub label: String,
}

/// The label of tab `index`: its digit key (1–9, then 0 for the tenth) and title.
fn label(index: usize, title: &str) -> String {
    match index {
        0..=8 => format!(" {} {title} ", index + 1),
        9 => format!(" 0 {title} "),
        _ => format!(" {title} "),
    }
}

/// The tabs that fit in `width`, grown outward from the active one; `‹` and `›`
/// take a column each when tabs are hidden on that side.
pub fn layout(titles: &[&str], active: usize, width: u16) -> Vec<TabSlot> {
    let labels: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| label(i, t))
        .collect();
    let widths: Vec<u16> = labels.iter().map(|l| l.width() as u16).collect();
    let total: u16 = widths.iter().sum();
    let (first, last, x0) = if total <= width {
        (0, labels.len().saturating_sub(1), 0)
    } else {
        let room = width.saturating_sub(2);
        let (mut lo, mut hi) = (active, active);
        let mut used = widths.get(active).copied().unwrap_or(0);
        loop {
            let mut grew = false;
            if hi + 1 < labels.len() && used + widths[hi + 1] <= room {
                hi += 1;
                used += widths[hi];
                grew = true;
            }
            if lo > 0 && used + widths[lo - 1] <= room {
                lo -= 1;
                used += widths[lo];
                grew = true;
            }
            if !grew {
                break;
            }
        }
        (lo, hi, 1)
    };
    let mut x = x0;
    let mut slots = Vec::new();
    for index in first..=last.min(labels.len().saturating_sub(1)) {
        if labels.is_empty() {
            break;
        }
        let room = width.saturating_sub(x + x0);
        let w = widths[index].min(room);
        if w == 0 {
            break;
        }
        slots.push(TabSlot {
            index,
            x,
            width: w,
            label: labels[index].clone(),
        });
        x += w;
    }
    slots
}

/// The lessons hidden to the left and right of `slots`, nearest first: the
/// `‹` and `›` marks are drawn (and clickable) where there are any.
fn hidden_neighbours(slots: &[TabSlot], count: usize) -> (Option<usize>, Option<usize>) {
    let left = slots.first().and_then(|s| s.index.checked_sub(1));
    let right = slots
        .last()
        .map(|s| s.index + 1)
        .filter(|&next| next < count);
    (left, right)
}

/// The lesson a click at `column` of the bar opens: a tab's own, or for the
/// `‹` / `›` mark the nearest one hidden on that side — the bar is always
/// laid out around the active tab, so opening it is what scrolls the bar.
pub fn hit(titles: &[&str], active: usize, width: u16, column: u16) -> Option<usize> {
    let slots = layout(titles, active, width);
    let (left, right) = hidden_neighbours(&slots, titles.len());
    if let Some(slot) = slots
        .iter()
        .find(|slot| column >= slot.x && column < slot.x + slot.width)
    {
        return Some(slot.index);
    }
    if column == 0 {
        left
    } else if column + 1 == width {
        right
    } else {
        None
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let titles: Vec<&str> = app.tabs.iter().map(|tab| tab.entry.title).collect();
    let slots = layout(&titles, app.active, area.width);
    let (left, right) = hidden_neighbours(&slots, titles.len());
    buf.set_style(area, theme.dim);
    for slot in &slots {
        let style = if slot.index == app.active {
            theme.selected
        } else {
            theme.text
        };
        buf.set_stringn(
            area.x + slot.x,
            area.y,
            &slot.label,
            usize::from(slot.width),
            style,
        );
    }
    if left.is_some() {
        buf.set_string(area.x, area.y, MORE_LEFT, theme.key);
    }
    if right.is_some() {
        buf.set_string(area.right() - 1, area.y, MORE_RIGHT, theme.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWELVE: [&str; 12] = [
        "Score / SMLD",
        "Diffusion SDE",
        "Adam vs AdamW",
        "Mixed precision",
        "Medusa",
        "Multi-token prediction",
        "Detection mAP",
        "0/1 knapsack",
        "Binary heap",
        "Linear sorts",
        "Maximum gap",
        "Combination sum",
    ];

    #[test]
    fn twelve_tabs_at_80_columns_keep_the_active_one_visible() {
        for active in 0..TWELVE.len() {
            let slots = layout(&TWELVE, active, 80);
            assert!(slots.iter().any(|s| s.index == active), "tab {active}");
            let right = slots.last().map_or(0, |s| s.x + s.width);
            assert!(right <= 79, "leaves room for the › marker");
        }
    }

    #[test]
    fn everything_shows_when_it_fits() {
        let slots = layout(&["a", "b"], 1, 80);
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[0].x, 0);
        assert_eq!(slots[1].label, " 2 b ");
    }

    #[test]
    fn the_marks_open_the_nearest_hidden_lesson() {
        // At 80 columns on the first tab, the last ones are hidden.
        let slots = layout(&TWELVE, 0, 80);
        let last_shown = slots.last().map_or(0, |s| s.index);
        assert!(last_shown < 11);
        assert_eq!(hit(&TWELVE, 0, 80, 79), Some(last_shown + 1));
        assert_eq!(
            hit(&TWELVE, 0, 80, 0),
            None,
            "no ‹ mark: nothing hidden there"
        );
        // On the last tab, the first ones are hidden and › is not drawn.
        let slots = layout(&TWELVE, 11, 80);
        let first_shown = slots.first().map_or(0, |s| s.index);
        assert!(first_shown > 0);
        assert_eq!(hit(&TWELVE, 11, 80, 0), Some(first_shown - 1));
        // Clicking › again and again walks to the last lesson.
        let mut active = 0;
        while let Some(next) = hit(&TWELVE, active, 80, 79).filter(|&n| n != active) {
            assert!(next > active);
            active = next;
        }
        assert_eq!(active, 11);
    }

    #[test]
    fn tiny_widths_do_not_panic() {
        for width in 0..10 {
            layout(&TWELVE, 5, width);
            for column in 0..10 {
                hit(&TWELVE, 5, width, column);
            }
        }
    }
}
