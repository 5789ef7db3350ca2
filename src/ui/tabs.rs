//! The tab bar: every lesson in registry order, scrolled so the active tab is
//! always visible however narrow the terminal.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::App;

use super::layout::{MORE_LEFT, MORE_RIGHT, hidden_neighbours, layout};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let titles = app.tab_titles();
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
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
    use crate::ui::layout::hit;

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
