//! Where the shell's fixed parts and the tab bar's tabs are: geometry only,
//! shared by the drawing (`ui`) and the App's mouse hit-testing, so that a
//! click lands where the tab was drawn. Imports neither.

use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::UnicodeWidthStr;

/// Below this size the dashboard shows only how large it needs to be.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Where the fixed parts of the shell go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShellLayout {
    pub tabs: Rect,
    pub body: Rect,
    /// The step bar: the run's position, rewind window and key moments.
    pub step_bar: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl ShellLayout {
    /// `None` when the area is below the usable size.
    pub fn new(area: Rect) -> Option<ShellLayout> {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return None;
        }
        let [tabs, body, step_bar, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        Some(ShellLayout {
            tabs,
            body,
            step_bar,
            status,
            footer,
        })
    }
}

pub const MORE_LEFT: &str = "‹";
pub const MORE_RIGHT: &str = "›";

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
pub fn hidden_neighbours(slots: &[TabSlot], count: usize) -> (Option<usize>, Option<usize>) {
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
