//! Drawing the SDE lesson: particles and tracked trails over the density of
//! p_t, the spread over time against the closed form, the share per
//! component, and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::SdeLesson;
use super::model::{Direction, Sampler};
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::widgets::chart::{self, Axes, Series};
use crate::widgets::particles::{
    SHARE_TITLE, beside_map, moments_line, render_error_map, render_loss, render_map, weight_lines,
};
use crate::widgets::words::render_status;
use crate::widgets::{panel, pseudocode};
use crate::{said, tr};

pub fn render(lesson: &SdeLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let run = lesson.model();
    let t = run.time();
    let (m, s) = run.sde.kernel(t);
    let snr = run.snr;
    let how = match (run.direction, run.sampler) {
        (Direction::Forward, _) => tr!("forward (noising)", "正向（加噪）").into(),
        (Direction::Reverse, Sampler::Em) => {
            tr!("reverse, Euler–Maruyama", "反向，Euler–Maruyama").into()
        }
        (Direction::Reverse, Sampler::Pc) => said!(
            "reverse, predictor–corrector (snr {snr})",
            "反向，预测–校正（snr {snr}）"
        ),
        (Direction::Reverse, Sampler::Ode) => tr!(
            "reverse, probability-flow ODE (Heun)",
            "反向，概率流 ODE（Heun）"
        )
        .into(),
    };
    let info = vec![
        Line::from(vec![
            Span::styled(
                format!("{} SDE · {}", run.sde.name(), how.get(lang)),
                theme.title,
            ),
            Span::styled(
                format!(" · t = {t:.4} · x_t = {m:.3}·x0 + {s:.3}·z"),
                theme.text,
            ),
        ]),
        moments_line(&run.particles, theme),
        closed_form_line(lesson, theme),
    ];
    let body = render_status(&info, area, buf);
    let trails = trails(lesson);
    let count = trails.len();
    let title = said!(
        " particles over p_t (t = {t:.3}), score arrows, {count} trails ",
        " p_t 上的粒子（t = {t:.3}）、分数箭头、{count} 条轨迹 "
    );
    let title = title.get(lang);
    let code = lesson.pseudocode(theme.lang);
    if let Some([map, side]) = beside_map(body, pseudocode::panel_width(code)) {
        draw_map(lesson, title, &trails, map, buf, theme);
        let weights = weight_lines(&run.target, &run.particles, side.width - 2, theme);
        let [spread, bars, code_area] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len() as u16 + 2),
            Constraint::Length(code.len() as u16 + 2),
        ])
        .areas(side);
        match run.source.net() {
            Some(net) if run.steps < run.training_steps() => render_loss(net, spread, buf, theme),
            _ => render_spread(lesson, spread, buf, theme),
        }
        let block = panel(SHARE_TITLE.get(lang), theme);
        let inner = block.inner(bars);
        block.render(bars, buf);
        Paragraph::new(weights).render(inner, buf);
        pseudocode::render_lesson(
            tr!(" sampler ", " 采样器 ").get(lang),
            lesson,
            code_area,
            buf,
            theme,
        );
    } else {
        let weights = weight_lines(&run.target, &run.particles, area.width, theme);
        let [map, bars] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len().min(4) as u16),
        ])
        .areas(body);
        draw_map(lesson, title, &trails, map, buf, theme);
        Paragraph::new(weights).render(bars, buf);
    }
}

/// The particle map, or while a learned score trains, its error map at t.
fn draw_map(
    lesson: &SdeLesson,
    title: &str,
    trails: &[Vec<[f64; 2]>],
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let run = lesson.model();
    let t = run.time();
    let kernel = run.sde.kernel(t);
    match run.source.net() {
        Some(net) if run.steps < run.training_steps() => {
            render_error_map(net, t, kernel, "s(t)", area, buf, theme);
        }
        _ => render_map(
            title,
            &run.target,
            kernel,
            &run.particles,
            trails,
            area,
            buf,
            theme,
        ),
    }
}

/// The recorded positions of each tracked particle, oldest first.
fn trails(lesson: &SdeLesson) -> Vec<Vec<[f64; 2]>> {
    let tracked = lesson
        .history()
        .iter()
        .next()
        .map_or(0, |(_, sample)| sample.tracked.len());
    (0..tracked)
        .map(|k| {
            lesson
                .history()
                .iter()
                .filter_map(|(_, sample)| sample.tracked.get(k).copied())
                .collect()
        })
        .collect()
}

/// Empirical std per axis over time against √(m²·Var(target) + s²), and the
/// mean against m(t)·mean(target).
fn render_spread(lesson: &SdeLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let history = lesson.history();
    let empirical =
        |d: usize| -> Vec<(f64, f64)> { history.iter().map(|(_, s)| (s.t, s.std[d])).collect() };
    let theory: Vec<(f64, f64)> = (0..=100)
        .map(|i| {
            let t = f64::from(i) / 100.0;
            (t, lesson.theory_std(t)[0])
        })
        .collect();
    let series = vec![
        Series::line(
            tr!("std x", "x 标准差").get(lang),
            theme.series[2],
            empirical(0),
        ),
        Series::line(
            tr!("std y", "y 标准差").get(lang),
            theme.series[0],
            empirical(1),
        ),
        Series::line(
            tr!("closed form", "解析解").get(lang),
            theme.series[3],
            theory,
        ),
    ];
    let axes = Axes {
        x_label: "t",
        y_label: tr!("std", "标准差").get(lang),
        log_y: true,
        x_range: Some([0.0, 1.0]),
        y_range: None,
    };
    let [spread, centre] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(area);
    let title = tr!("spread of p_t (log)", "p_t 离散度（对数）");
    chart::render_xy(title.get(lang), &axes, &series, spread, buf, theme);
    // The centre: empirical mean against m(t)·mean of the target.
    let run = lesson.model();
    let (target_mean, _) = run.target.moments();
    let means =
        |d: usize| -> Vec<(f64, f64)> { history.iter().map(|(_, s)| (s.t, s.mean[d])).collect() };
    let theory_mean: Vec<(f64, f64)> = (0..=100)
        .map(|i| {
            let t = f64::from(i) / 100.0;
            (t, run.sde.kernel(t).0 * target_mean[0])
        })
        .collect();
    let series = vec![
        Series::line(tr!("mean x", "x 均值").get(lang), theme.series[2], means(0)),
        Series::line(tr!("mean y", "y 均值").get(lang), theme.series[0], means(1)),
        Series::line(
            tr!("m(t)·mean x", "m(t)·x 均值").get(lang),
            theme.series[3],
            theory_mean,
        ),
    ];
    let axes = Axes {
        x_label: "t",
        y_label: tr!("mean", "均值").get(lang),
        log_y: false,
        x_range: Some([0.0, 1.0]),
        y_range: None,
    };
    let title = tr!("centre of p_t", "p_t 的中心");
    chart::render_xy(title.get(lang), &axes, &series, centre, buf, theme);
}

/// The closed form beside the data's own variance: Var(p_t) = m²·σ_d² + s²
/// per axis (x shown). VP sends it to 1 whatever σ_d² is; it stays 1 all the
/// way only when the data's variance is 1.
fn closed_form_line(lesson: &SdeLesson, theme: &Look) -> Line<'static> {
    let run = lesson.model();
    let t = run.time();
    let (m, s) = run.sde.kernel(t);
    let (_, data_var) = run.target.moments();
    let data = data_var[0];
    let var = m * m * data + s * s;
    // Short enough for the status line at 80 columns in either language.
    let text = said!(
        "data σ_d² {data:.2} · closed form m²σ_d²+s² = {var:.2}",
        "数据 σ_d² {data:.2} · 闭式 m²σ_d²+s² = {var:.2}"
    );
    Line::from(Span::styled(text.get(theme.lang).to_string(), theme.text))
}
