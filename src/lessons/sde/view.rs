//! Drawing the SDE lesson: particles and tracked trails over the density of
//! p_t, the spread over time against the closed form, the share per
//! component, and the pseudocode.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::SdeLesson;
use super::model::{Direction, Sampler, SdeRun};
use crate::lesson::Lesson;
use crate::sim::diffusion::sde::Sde;
use crate::theme::Look;
use crate::widgets::chart::{self, Axes, Series};
use crate::widgets::particles::{
    SIDE_MIN, beside_map, map_rows_for, moments_line, render_error_map, render_loss, render_map,
    render_shares, share_rows, weight_lines,
};
use crate::widgets::words::render_status;
use crate::widgets::{fitting_title, panel, pseudocode};
use crate::{said, tr};

pub fn render(lesson: &SdeLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
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
    let mut info = vec![Line::from(vec![
        Span::styled(
            match lesson.twin() {
                Some(twin) => format!(
                    "{} | {} · {}",
                    run.sde.name(),
                    twin.sde.name(),
                    how.get(lang)
                ),
                None => format!("{} SDE · {}", run.sde.name(), how.get(lang)),
            },
            theme.title,
        ),
        Span::styled(
            format!(" · t = {t:.4} · x_t = {m:.3}·x0 + {s:.3}·z"),
            theme.text,
        ),
    ])];
    for cloud in std::iter::once(run).chain(lesson.twin()) {
        let moments = moments_line(&cloud.particles, theme);
        let mut closed = closed_form_line(cloud, theme);
        if lesson.twin().is_some() {
            // Which run each line is about; the moments make room for the
            // second run's closed form (the status area keeps four rows).
            let name = format!("{}: ", cloud.sde.name());
            closed.spans.insert(0, Span::styled(name, theme.text));
        } else {
            info.push(moments);
        }
        info.push(closed);
    }
    let body = render_status(&info, area, buf);
    if let Some(twin) = lesson.twin() {
        render_both(lesson, twin, page, body, buf, theme);
        return;
    }
    let trails = trails(lesson);
    let count = trails.len();
    let title = said!(
        " particles over p_t (t = {t:.3}), score arrows, {count} trails ",
        " p_t 上的粒子（t = {t:.3}）、分数箭头、{count} 条轨迹 "
    );
    // Without "particles" (the dots say it) the arrows and trails still get
    // named at 120 columns, where the full English title is too long.
    let medium_title = said!(
        " p_t (t = {t:.3}), score arrows, {count} trails ",
        " p_t（t = {t:.3}）、分数箭头、{count} 条轨迹 "
    );
    let short_title = said!(
        " particles over p_t (t = {t:.3}) ",
        " p_t 上的粒子（t = {t:.3}） "
    );
    let one_page = beside_map(body, SIDE_MIN).is_some();
    if !one_page && page % 2 == 1 {
        render_second_page(lesson, body, buf, theme);
        return;
    }
    if let Some([map, side]) = beside_map(body, SIDE_MIN) {
        let shorter = fitting_title(medium_title.get(lang), short_title.get(lang), map.width);
        let title = fitting_title(title.get(lang), shorter, map.width);
        draw_map(lesson, title, &trails, map, buf, theme);
        let code = lesson.pseudocode(theme.lang);
        let code_rows = code.len() as u16 + 2;
        let coefficients = coefficient_lines(run, theme);
        let shares = share_rows(run.target.means.len());
        let sde_rows = coefficients.len() as u16 + 2;
        let room_for_code = side.width >= pseudocode::panel_width(code)
            && side.height >= shares + sde_rows + code_rows + CHART_MIN_ROWS;
        let [sde, spread, bars, code_area] = Layout::vertical([
            Constraint::Length(sde_rows),
            Constraint::Fill(1),
            Constraint::Length(shares),
            Constraint::Length(if room_for_code { code_rows } else { 0 }),
        ])
        .areas(side);
        render_run_panels(lesson, coefficients, [sde, spread, bars], buf, theme);
        if room_for_code {
            pseudocode::render_lesson(
                tr!(" sampler ", " 采样器 ").get(lang),
                lesson,
                code_area,
                buf,
                theme,
            );
        }
    } else {
        let mut weights = weight_lines(&run.target, &run.particles, body.width, theme);
        weights.truncate(SHARES_UNDER_MAP);
        let [map, bars] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len() as u16),
        ])
        .areas(body);
        let shorter = fitting_title(medium_title.get(lang), short_title.get(lang), map.width);
        let title = fitting_title(title.get(lang), shorter, map.width);
        draw_map(lesson, title, &trails, map, buf, theme);
        Paragraph::new(weights).render(bars, buf);
    }
}

/// Rows the status lines above the map take at most, for the page count.
const INFO_ROWS: u16 = 3;

/// `sde = both`: VP and VE side by side, each map over its SDE's
/// coefficients; the spread of both against their closed forms and the
/// share bars on page 2.
fn render_both(
    lesson: &SdeLesson,
    twin: &SdeRun,
    page: usize,
    body: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let run = lesson.model();
    if page % 2 == 1 {
        let rows = share_rows(run.target.means.len());
        let [spread, bars] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(rows)]).areas(body);
        render_spread(lesson, spread, buf, theme);
        let halves: [Rect; 2] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bars);
        for (cloud, half) in [run, twin].into_iter().zip(halves) {
            render_shares(
                Some(cloud.sde.name()),
                &cloud.target,
                &cloud.particles,
                Vec::new(),
                half,
                buf,
                theme,
            );
        }
        return;
    }
    let halves: [Rect; 2] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(body);
    let trails = trails(lesson);
    for (cloud, half) in [run, twin].into_iter().zip(halves) {
        let coefficients = coefficient_lines(cloud, theme);
        let sde_rows = coefficients.len() as u16 + 2;
        let map_rows = map_rows_for(half.width).min(half.height.saturating_sub(sde_rows));
        let [map, sde, bars] = Layout::vertical([
            Constraint::Length(map_rows),
            Constraint::Length(sde_rows),
            Constraint::Fill(1),
        ])
        .areas(half);
        let t = cloud.time();
        let name = cloud.sde.name();
        let title = said!(" {name}: p_t (t = {t:.3}) ", " {name}：p_t（t = {t:.3}） ");
        // Trails are VP's tracked particles: drawn on its map only.
        let own: &[Vec<[f64; 2]>] = if std::ptr::eq(cloud, run) {
            &trails
        } else {
            &[]
        };
        match cloud.source.net() {
            Some(net) if cloud.steps < cloud.training_steps() => {
                render_error_map(net, t, cloud.sde.kernel(t), "s(t)", map, buf, theme);
            }
            _ => render_map(
                title.get(theme.lang),
                &cloud.target,
                cloud.sde.kernel(t),
                &cloud.particles,
                own,
                map,
                buf,
                theme,
            ),
        }
        render_coefficients(coefficients, sde, buf, theme);
        if bars.height >= share_rows(cloud.target.means.len()) {
            render_shares(
                Some(name),
                &cloud.target,
                &cloud.particles,
                Vec::new(),
                bars,
                buf,
                theme,
            );
        }
    }
}
/// Share lines under a map when the side column does not fit.
const SHARES_UNDER_MAP: usize = 4;
/// The least rows worth the spread chart.
const CHART_MIN_ROWS: u16 = 8;
/// Below this the spread chart leaves out the centre chart under it.
const CENTRE_CHART_MIN_ROWS: u16 = 20;

/// Pages the view needs: one when the side column fits beside the map; two
/// with `sde = both`.
pub fn pages(lesson: &SdeLesson, area: Rect) -> usize {
    if lesson.twin().is_some() {
        return 2;
    }
    let body = Rect {
        height: area.height.saturating_sub(INFO_ROWS),
        ..area
    };
    if beside_map(body, SIDE_MIN).is_some() {
        1
    } else {
        2
    }
}

/// The second page: the SDE's coefficients, the spread against the closed
/// form, every share bar, the sampler.
fn render_second_page(lesson: &SdeLesson, body: Rect, buf: &mut Buffer, theme: &Look) {
    let run = lesson.model();
    let code = lesson.pseudocode(theme.lang);
    let coefficients = coefficient_lines(run, theme);
    let top_rows = (coefficients.len() as u16 + 2).max(share_rows(run.target.means.len()));
    let code_rows = code.len() as u16 + 2;
    // The chart before the listing, which the explanation pane (e) shows too.
    let code_rows = if body.height >= top_rows + code_rows + CHART_MIN_ROWS {
        code_rows
    } else {
        0
    };
    let [top, spread, code_area] = Layout::vertical([
        Constraint::Length(top_rows),
        Constraint::Fill(1),
        Constraint::Length(code_rows),
    ])
    .areas(body);
    let [sde, bars] =
        Layout::horizontal([Constraint::Length(SIDE_MIN), Constraint::Fill(1)]).areas(top);
    render_run_panels(lesson, coefficients, [sde, spread, bars], buf, theme);
    if code_rows > 0 {
        pseudocode::render_lesson(
            tr!(" sampler ", " 采样器 ").get(theme.lang),
            lesson,
            code_area,
            buf,
            theme,
        );
    }
}

/// dx = f dt + g dw for the SDE chosen: f and g in general, the schedule
/// with the parameters' numbers, and both at the current t.
fn coefficient_lines(run: &SdeRun, theme: &Look) -> Vec<Line<'static>> {
    let t = run.time();
    let line = |text: String| Line::styled(text, theme.text);
    let mut lines = vec![Line::styled(
        format!("{}: dx = f(x,t) dt + g(t) dw", run.sde.name()),
        theme.title,
    )];
    match run.sde {
        Sde::Ve {
            sigma_min,
            sigma_max,
        } => {
            let ratio = sigma_max / sigma_min;
            let root = (2.0 * ratio.ln()).sqrt();
            let ratio = short(ratio);
            lines.extend([
                line("f(x,t) = 0".into()),
                line(format!("σ(t) = {sigma_min}·{ratio}^t")),
                line(format!("g(t) = σ(t)·√(2 ln {ratio})")),
                line(format!("     = {root:.3}·σ(t)")),
            ]);
        }
        Sde::Vp { beta_min, beta_max } | Sde::SubVp { beta_min, beta_max } => {
            let slope = beta_max - beta_min;
            lines.push(line("f(x,t) = −½β(t)·x".into()));
            lines.push(line(if matches!(run.sde, Sde::Vp { .. }) {
                "g(t) = √β(t)".into()
            } else {
                "g(t) = √(β(t)·(1 − e^(−2∫β)))".into()
            }));
            lines.push(line(format!("β(t) = {beta_min} + {}·t", short(slope))));
        }
    }
    let f = run.sde.drift_scale(t);
    let g = run.sde.diffusion2(t).sqrt();
    lines.push(Line::styled(
        said!("now, at t = {t:.3}:", "当前 t = {t:.3}：")
            .get(theme.lang)
            .to_string(),
        theme.key,
    ));
    lines.push(Line::styled(
        if f == 0.0 {
            format!("f = 0, g = {g:.2}")
        } else {
            format!("f = {f:.2}·x, g = {g:.2}").replace('-', "−")
        },
        theme.key,
    ));
    lines
}

/// The panels beside the map, on whichever page holds them: the SDE's
/// coefficients, the spread against its closed form (or the training loss
/// while the network learns), and the share bars.
fn render_run_panels(
    lesson: &SdeLesson,
    coefficients: Vec<Line<'static>>,
    [sde, spread, bars]: [Rect; 3],
    buf: &mut Buffer,
    theme: &Look,
) {
    let run = lesson.model();
    render_coefficients(coefficients, sde, buf, theme);
    match run.source.net() {
        Some(net) if run.steps < run.training_steps() => render_loss(net, spread, buf, theme),
        _ => render_spread(lesson, spread, buf, theme),
    }
    render_shares(
        None,
        &run.target,
        &run.particles,
        Vec::new(),
        bars,
        buf,
        theme,
    );
}

fn render_coefficients(lines: Vec<Line<'static>>, area: Rect, buf: &mut Buffer, theme: &Look) {
    let block = panel(tr!(" the SDE ", " 这个 SDE ").get(theme.lang), theme);
    let inner = block.inner(area);
    block.render(area, buf);
    Paragraph::new(lines).render(inner, buf);
}

/// A number without trailing zeros, at most three decimals.
fn short(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
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

/// Marks of the closed form along t in the spread chart.
const CLOSED_FORM_MARKS: u32 = 20;

/// Empirical std per axis over time against √(m²·Var(target) + s²), and the
/// mean against m(t)·mean(target).
fn render_spread(lesson: &SdeLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let history = lesson.history();
    let empirical =
        |d: usize| -> Vec<(f64, f64)> { history.iter().map(|(_, s)| (s.t, s.std[d])).collect() };
    // The closed form as marks at every 1/CLOSED_FORM_MARKS of t, not a
    // line: a line on the same cells as the measured one hides it, marks
    // let both show, and a mark sitting on the line is the agreement.
    let marks = |value: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        (0..=CLOSED_FORM_MARKS)
            .map(|i| {
                let t = f64::from(i) / f64::from(CLOSED_FORM_MARKS);
                (t, value(t))
            })
            .collect()
    };
    let theory = marks(&|t| lesson.theory_std(t)[0]);
    let mut series = vec![
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
        Series {
            scatter: true,
            ..Series::line(
                tr!("closed form", "解析解").get(lang),
                theme.series[3],
                theory,
            )
        },
    ];
    if let Some(twin) = lesson.twin() {
        // VE's spread (x) and its closed form √(m²σ_d² + s²) beside VP's.
        let (_, var) = twin.target.moments();
        let ve: Vec<(f64, f64)> = history
            .iter()
            .filter_map(|(_, s)| s.twin_std.map(|std| (s.t, std[0])))
            .collect();
        let ve_theory = marks(&|t| {
            let (m, s) = twin.sde.kernel(t);
            (m * m * var[0] + s * s).sqrt()
        });
        series[1] = Series::line(
            tr!("VE std x", "VE x 标准差").get(lang),
            theme.series[0],
            ve,
        );
        series.push(Series {
            scatter: true,
            ..Series::line(
                tr!("VE closed form", "VE 解析解").get(lang),
                theme.series[1],
                ve_theory,
            )
        });
    }
    let axes = Axes {
        x_label: "t",
        y_label: tr!("std", "标准差").get(lang),
        log_y: true,
        x_range: Some([0.0, 1.0]),
        y_range: None,
    };
    let [spread, centre] = if area.height >= CENTRE_CHART_MIN_ROWS {
        Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(area)
    } else {
        [area, Rect::default()]
    };
    let title = tr!("spread of p_t (log)", "p_t 离散度（对数）");
    chart::render_xy(title.get(lang), &axes, &series, spread, buf, theme);
    if centre.is_empty() {
        return;
    }
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
fn closed_form_line(run: &SdeRun, theme: &Look) -> Line<'static> {
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
