//! Scalar fields drawn as heat maps, with Braille overlays for paths and points.
//!
//! A heat map gives each cell one band of a colour ramp (or, without colour, a
//! shade character); a [`DotLayer`] draws paths at 2×4 Braille dots per cell
//! on top, in the path's own colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::theme::Theme;

/// Shades for the bands when there is no colour, light to dense.
const SHADES: &[char] = &[' ', '.', ':', '-', '=', '+', '*', '#'];
/// Braille: dot bits by (column, row) within a cell, Unicode's numbering.
const BRAILLE_BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
const BRAILLE_BASE: u32 = 0x2800;

/// The rectangle of the plane a map shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Window {
    /// Cell (column, row) of a point, `None` outside; row 0 is the top (largest y).
    pub fn cell(&self, p: [f64; 2], area: Rect) -> Option<(u16, u16)> {
        let (dx, dy) = self.fraction(p)?;
        let col = (dx * f64::from(area.width)).min(f64::from(area.width) - 1.0);
        let row = ((1.0 - dy) * f64::from(area.height)).min(f64::from(area.height) - 1.0);
        Some((col as u16, row as u16))
    }

    /// Position as fractions of the window's width and height, `None` outside.
    fn fraction(&self, [x, y]: [f64; 2]) -> Option<(f64, f64)> {
        let dx = (x - self.x.0) / (self.x.1 - self.x.0);
        let dy = (y - self.y.0) / (self.y.1 - self.y.0);
        ((0.0..=1.0).contains(&dx) && (0.0..=1.0).contains(&dy)).then_some((dx, dy))
    }

    /// The plane point at the centre of cell (col, row).
    pub fn point(&self, col: u16, row: u16, area: Rect) -> [f64; 2] {
        let fx = (f64::from(col) + 0.5) / f64::from(area.width.max(1));
        let fy = (f64::from(row) + 0.5) / f64::from(area.height.max(1));
        [
            self.x.0 + fx * (self.x.1 - self.x.0),
            self.y.1 - fy * (self.y.1 - self.y.0),
        ]
    }
}

/// Band index (0..bands) of each cell of `area`, row by row, from a field
/// sampled at cell centres and scaled between its smallest and largest value.
pub fn bands(
    field: impl Fn([f64; 2]) -> f64,
    window: &Window,
    area: Rect,
    bands: usize,
) -> (Vec<u8>, f64, f64) {
    let mut values = Vec::with_capacity(usize::from(area.width) * usize::from(area.height));
    for row in 0..area.height {
        for col in 0..area.width {
            values.push(field(window.point(col, row, area)));
        }
    }
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let top = bands.saturating_sub(1) as f64;
    let banded = values
        .iter()
        .map(|v| {
            if v.is_finite() {
                (((v - lo) / span) * top).round().clamp(0.0, top) as u8
            } else {
                top as u8
            }
        })
        .collect();
    (banded, lo, hi)
}

/// Draws precomputed bands: background colours from the theme's ramp, or shade
/// characters when it has none.
pub fn render_bands(bands: &[u8], area: Rect, buf: &mut Buffer, theme: &Theme) {
    for (at, &band) in bands.iter().enumerate() {
        let col = (at % usize::from(area.width.max(1))) as u16;
        let row = (at / usize::from(area.width.max(1))) as u16;
        if row >= area.height {
            break;
        }
        let cell = &mut buf[(area.x + col, area.y + row)];
        if theme.ramp.is_empty() {
            let shade = SHADES[usize::from(band).min(SHADES.len() - 1)];
            cell.set_char(shade).set_style(theme.dim);
        } else {
            let colour = theme.ramp[usize::from(band).min(theme.ramp.len() - 1)];
            cell.set_char(' ').set_style(Style::new().bg(colour));
        }
    }
}

/// Number of bands a theme draws.
pub fn band_count(theme: &Theme) -> usize {
    if theme.ramp.is_empty() {
        SHADES.len()
    } else {
        theme.ramp.len()
    }
}

/// One path's dots over an area, at 2×4 dots per cell.
pub struct DotLayer {
    width: usize,
    height: usize,
    dots: Vec<u8>,
}

impl DotLayer {
    pub fn new(area: Rect) -> DotLayer {
        let (width, height) = (usize::from(area.width), usize::from(area.height));
        DotLayer {
            width,
            height,
            dots: vec![0; width * height],
        }
    }

    fn dot_of(&self, window: &Window, p: [f64; 2]) -> Option<(i64, i64)> {
        let (dx, dy) = window.fraction(p)?;
        let x = (dx * (self.width * 2) as f64).min((self.width * 2) as f64 - 1.0);
        let y = ((1.0 - dy) * (self.height * 4) as f64).min((self.height * 4) as f64 - 1.0);
        Some((x as i64, y as i64))
    }

    fn set(&mut self, x: i64, y: i64) {
        if x < 0 || y < 0 {
            return;
        }
        let (x, y) = (x as usize, y as usize);
        if x >= self.width * 2 || y >= self.height * 4 {
            return;
        }
        self.dots[(y / 4) * self.width + x / 2] |= BRAILLE_BITS[x % 2][y % 4];
    }

    /// A polyline through `points`; segments with an end outside the window are skipped.
    pub fn polyline(&mut self, window: &Window, points: impl Iterator<Item = [f64; 2]>) {
        let mut previous = None;
        for p in points {
            let here = self.dot_of(window, p);
            if let (Some(a), Some(b)) = (previous, here) {
                self.line(a, b);
            } else if let Some((x, y)) = here {
                self.set(x, y);
            }
            previous = here;
        }
    }

    /// Bresenham's line between two dots.
    fn line(&mut self, (x0, y0): (i64, i64), (x1, y1): (i64, i64)) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        loop {
            self.set(x, y);
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    /// Draws the dots in `colour` over whatever the cells hold (keeping their background).
    pub fn render(&self, area: Rect, buf: &mut Buffer, colour: Option<Color>) {
        for (at, &bits) in self.dots.iter().enumerate() {
            if bits == 0 {
                continue;
            }
            let col = (at % self.width) as u16;
            let row = (at / self.width) as u16;
            let Some(symbol) = char::from_u32(BRAILLE_BASE + u32::from(bits)) else {
                continue;
            };
            let cell = &mut buf[(area.x + col, area.y + row)];
            cell.set_char(symbol);
            if let Some(colour) = colour {
                cell.set_fg(colour);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_maps_corners_to_corner_cells() {
        let w = Window {
            x: (-1.0, 1.0),
            y: (-1.0, 1.0),
        };
        let area = Rect::new(0, 0, 10, 5);
        assert_eq!(w.cell([-1.0, 1.0], area), Some((0, 0)));
        assert_eq!(w.cell([1.0, -1.0], area), Some((9, 4)));
        assert_eq!(w.cell([2.0, 0.0], area), None);
    }

    #[test]
    fn bands_span_the_whole_ramp() {
        let w = Window {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
        };
        let (b, lo, hi) = bands(|[x, _]| x, &w, Rect::new(0, 0, 8, 1), 4);
        assert_eq!(b.first(), Some(&0));
        assert_eq!(b.last(), Some(&3));
        assert!(lo < hi);
    }

    #[test]
    fn a_line_sets_every_dot_between_its_ends() {
        let mut layer = DotLayer::new(Rect::new(0, 0, 2, 1));
        layer.line((0, 0), (3, 3));
        // The diagonal of a 4×4 dot square: two dots in each of the two cells.
        assert_eq!(layer.dots[0].count_ones() + layer.dots[1].count_ones(), 4);
    }
}
