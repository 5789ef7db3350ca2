//! Drawing the score lesson: particles over the noised density with the
//! score field, the noise schedule with the current level, the share of
//! particles per component, and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::ScoreLesson;
use super::model::Schedule;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::theme::Theme;
use crate::widgets::chart::{self, Series};
use crate::widgets::particles::{
    beside_map, moments_line, render_error_map, render_loss, render_map, weight_lines,
};
use crate::widgets::words::render_status;
use crate::widgets::{panel, pseudocode};

pub fn render(lesson: &ScoreLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let (sigma, alpha) = model.sigma_alpha();
    let schedule = match (model.settings.schedule, model.is_training()) {
        (_, true) => "training the score network",
        (Schedule::Annealed, false) => "annealed",
        (Schedule::Plain, false) => "plain (σ_L only)",
    };
    let info = vec![
        Line::from(vec![
            Span::styled(
                format!(
                    "{schedule} · level {}/{} · σ = {sigma:.4} · α = {alpha:.3e}",
                    model.level() + 1,
                    model.sigmas.len()
                ),
                theme.title,
            ),
            Span::styled(format!(" · {} particles", model.particles.len()), theme.dim),
        ]),
        moments_line(&model.particles, theme),
    ];
    let body = render_status(&info, area, buf);
    let title = format!(" particles over p_σ, score arrows at σ = {sigma:.3} ");
    let code = lesson.pseudocode(theme.lang);
    if let Some([map, side]) = beside_map(body, pseudocode::panel_width(code)) {
        draw_map(lesson, &title, map, buf, theme);
        let weights = weight_lines(&model.target, &model.particles, side.width - 2, theme);
        let [sched, bars, code_area] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len() as u16 + 3),
            Constraint::Length(code.len() as u16 + 2),
        ])
        .areas(side);
        match model.source.net() {
            Some(net) if model.is_training() => render_loss(net, sched, buf, theme),
            _ => render_schedule(lesson, sched, buf, theme),
        }
        let block = panel(" share of particles per component │ target ", theme);
        let inner = block.inner(bars);
        block.render(bars, buf);
        let mut weights = weights;
        if model.is_finished() {
            // Side by side: the same budget under the other schedule.
            let (name, other) = match model.settings.schedule {
                Schedule::Annealed => ("plain", lesson.other_schedule_weights()),
                Schedule::Plain => ("annealed", lesson.other_schedule_weights()),
            };
            let list = other
                .iter()
                .map(|w| format!("{w:.3}"))
                .collect::<Vec<_>>()
                .join(" ");
            weights.push(Line::styled(
                format!("{name}, same budget: {list}"),
                theme.other,
            ));
        }
        Paragraph::new(weights).render(inner, buf);
        pseudocode::render_lesson(" annealed Langevin ", lesson, code_area, buf, theme);
    } else {
        let weights = weight_lines(&model.target, &model.particles, area.width, theme);
        let [map, bars] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len().min(4) as u16),
        ])
        .areas(body);
        draw_map(lesson, &title, map, buf, theme);
        Paragraph::new(weights).render(bars, buf);
    }
}

/// The particle map, or while a learned score trains, its error map at the
/// level sampling will start from.
fn draw_map(lesson: &ScoreLesson, title: &str, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let model = lesson.model();
    let (sigma, _) = model.sigma_alpha();
    match model.source.net() {
        Some(net) if model.is_training() => {
            render_error_map(net, sigma.ln(), (1.0, sigma), area, buf, theme);
        }
        _ => render_map(
            title,
            &model.target,
            (1.0, sigma),
            &model.particles,
            &[],
            area,
            buf,
            theme,
        ),
    }
}

/// σ per step over the whole run, and where the run is now.
fn render_schedule(lesson: &ScoreLesson, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let model = lesson.model();
    let t = model.settings.steps_per_level.max(1) as f64;
    let sigma_at = |level: usize| match model.settings.schedule {
        Schedule::Annealed => model.sigmas[level],
        Schedule::Plain => model.sigmas[model.sigmas.len() - 1],
    };
    let mut curve = Vec::new();
    for level in 0..model.sigmas.len() {
        curve.push((level as f64 * t, sigma_at(level)));
        curve.push(((level + 1) as f64 * t, sigma_at(level)));
    }
    let (sigma, _) = model.sigma_alpha();
    let series = vec![
        Series::line("σ", theme.series[3], curve),
        Series {
            name: "now".into(),
            style: theme.current,
            points: vec![(model.steps as f64, sigma)],
            scatter: true,
        },
    ];
    chart::render("noise schedule (log)", "σ", &series, true, area, buf, theme);
}
