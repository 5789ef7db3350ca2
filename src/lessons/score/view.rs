//! Drawing the score lesson: particles over the noised density with the
//! score field, axes and the target's means, the share of particles per
//! component, the noise schedule with the current level, and the
//! pseudocode. With `schedule = both` the annealed and the plain cloud
//! stand side by side.
//!
//! At 120×36 the map, every share bar and the schedule fit on one page;
//! where they do not (80×24, or two clouds), the schedule and the
//! pseudocode move to a second page.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::ScoreLesson;
use super::model::{Schedule, Smld};
use crate::i18n::Tr;
use crate::lesson::Lesson;
use crate::theme::Look;
use crate::widgets::chart::{self, Series};
use crate::widgets::particles::{
    SIDE_MIN, beside_map, map_rows_for, moments_line, render_error_map, render_loss, render_map,
    render_shares, share_rows, weight_lines,
};
use crate::widgets::pseudocode;
use crate::widgets::words::render_status;
use crate::widgets::wrap::wrap;
use crate::{said, tr};

/// Rows the status lines above the map take at most (a banner, the run,
/// the moments, the target), for working out the page count.
const INFO_ROWS: u16 = 4;
/// The narrowest map of two side by side (`both`).
const BOTH_MAP_MIN: u16 = 40;
/// Share lines under a map when the side column does not fit.
const SHARES_UNDER_MAP: usize = 4;
/// The least rows worth a schedule chart.
const CHART_MIN_ROWS: u16 = 8;

const ANNEALED: Tr = tr!("annealed", "退火");
const PLAIN: Tr = tr!("plain", "不退火");

/// Pages the view needs: one when everything fits beside the map(s).
pub fn pages(lesson: &ScoreLesson, area: Rect) -> usize {
    let body = Rect {
        height: area.height.saturating_sub(INFO_ROWS),
        ..area
    };
    if fits_one_page(lesson, body) { 1 } else { 2 }
}

fn fits_one_page(lesson: &ScoreLesson, body: Rect) -> bool {
    if lesson.plain_twin().is_some() {
        body.width >= 2 * BOTH_MAP_MIN + SIDE_MIN
    } else {
        beside_map(body, SIDE_MIN).is_some()
    }
}

pub fn render(lesson: &ScoreLesson, page: usize, area: Rect, buf: &mut Buffer, theme: &Look) {
    let body = render_status(&info_lines(lesson, theme), area, buf);
    let one_page = fits_one_page(lesson, body);
    if !one_page && page % 2 == 1 {
        render_second_page(lesson, body, buf, theme);
        return;
    }
    match lesson.plain_twin() {
        Some(plain) => render_both(lesson, plain, one_page, body, buf, theme),
        None => render_one(lesson, body, buf, theme),
    }
}

/// The status lines: a divergence banner, the run, the cloud's moments
/// (each cloud's with `both`) and the target sampled.
fn info_lines(lesson: &ScoreLesson, theme: &Look) -> Vec<Line<'static>> {
    let lang = theme.lang;
    let model = lesson.model();
    let (sigma, alpha) = model.sigma_alpha();
    let schedule = match (model.settings.schedule, model.is_training()) {
        (_, true) => tr!("training the score network", "训练分数网络"),
        _ if lesson.plain_twin().is_some() => tr!("annealed and plain", "退火与不退火"),
        (Schedule::Annealed, false) => ANNEALED,
        (Schedule::Plain, false) => tr!("plain (σ_L only)", "不退火（只用 σ_L）"),
    };
    let (schedule_en, schedule_zh) = (schedule.en, schedule.zh);
    let (level, levels) = (model.level() + 1, model.sigmas.len());
    let particles = model.particles.len();
    // Spaces around the numbers in the Chinese too: the status line wraps there.
    let mut info = vec![Line::from(vec![
        Span::styled(
            said!(
                "{schedule_en} · level {level}/{levels} · σ = {sigma:.4} · α = {alpha:.3e}",
                "{schedule_zh} · 噪声级 {level}/{levels} · σ = {sigma:.4} · α = {alpha:.3e}"
            )
            .get(lang)
            .to_string(),
            theme.title,
        ),
        Span::styled(
            said!(" · {particles} particles", " · {particles} 个粒子")
                .get(lang)
                .to_string(),
            theme.dim,
        ),
    ])];
    match lesson.plain_twin() {
        Some(plain) => {
            let alpha = plain.settings.plain_epsilon;
            for (name, cloud, alpha) in [(ANNEALED, model, None), (PLAIN, plain, Some(alpha))] {
                let mut line = moments_line(&finite(cloud), theme);
                let (name_en, name_zh) = (name.en, name.zh);
                let name = match alpha {
                    Some(alpha) => said!("{name_en} (α = {alpha}): ", "{name_zh}（α = {alpha}）："),
                    None => said!("{name_en}: ", "{name_zh}："),
                };
                line.spans
                    .insert(0, Span::styled(name.get(lang).to_string(), theme.text));
                info.push(line);
            }
        }
        None => info.push(moments_line(&finite(model), theme)),
    }
    info.push(target_line(lesson, theme));
    let clouds = [Some(model), lesson.plain_twin()];
    for (cloud, name) in clouds.into_iter().zip([ANNEALED, PLAIN]) {
        let Some(cloud) = cloud else { continue };
        let Some(first) = cloud.first_diverged else {
            continue;
        };
        let n = cloud.diverged;
        let banner = if lesson.plain_twin().is_some() {
            let (name_en, name_zh) = (name.en, name.zh);
            said!(
                "⚠ {name_en}: {n} particles diverged (first at step {first}): not drawn, not in any share",
                "⚠ {name_zh}：{n} 个粒子发散（第 {first} 步起）：不画出，也不计入任何占比"
            )
        } else {
            said!(
                "⚠ {n} particles diverged (first at step {first}): not drawn, not in any share",
                "⚠ {n} 个粒子发散（第 {first} 步起）：不画出，也不计入任何占比"
            )
        };
        // First: the status area keeps only a few rows.
        info.insert(0, Line::styled(banner.get(lang).to_string(), theme.error));
    }
    info
}

/// A cloud's finite particles: diverged ones have no place on the map and
/// no nearest mean.
fn finite(cloud: &Smld) -> Vec<[f64; 2]> {
    cloud
        .particles
        .iter()
        .copied()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .collect()
}

/// One cloud: the map, and beside it the schedule, the share bars and (when
/// there is room) the pseudocode; under it the first share bars when the
/// side column does not fit.
fn render_one(lesson: &ScoreLesson, body: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let components = model.target.means.len();
    if let Some([map, side]) = beside_map(body, SIDE_MIN) {
        draw_map(lesson, model, None, map, buf, theme);
        let code = lesson.pseudocode(theme.lang);
        let code_rows = code.len() as u16 + 2;
        // The other schedule's line wraps in the side column's width.
        let other = other_schedule_line(lesson, side.width.saturating_sub(2), theme);
        let shares = share_rows(components) + other.len() as u16;
        let room_for_code = side.width >= pseudocode::panel_width(code)
            && side.height >= shares + code_rows + CHART_MIN_ROWS;
        let [sched, bars, code_area] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(shares),
            Constraint::Length(if room_for_code { code_rows } else { 0 }),
        ])
        .areas(side);
        draw_schedule(lesson, sched, buf, theme);
        render_shares(None, &model.target, &finite(model), other, bars, buf, theme);
        if room_for_code {
            pseudocode::render_lesson(
                code_title(lesson).get(theme.lang),
                lesson,
                code_area,
                buf,
                theme,
            );
        }
    } else {
        let mut weights = weight_lines(&model.target, &finite(model), body.width, theme);
        weights.truncate(SHARES_UNDER_MAP);
        let [map, bars] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len() as u16),
        ])
        .areas(body);
        draw_map(lesson, model, None, map, buf, theme);
        Paragraph::new(weights).render(bars, buf);
    }
}

/// `both`: the annealed and the plain cloud side by side, each with its
/// share bars under it; the schedule beside them when there is room.
fn render_both(
    lesson: &ScoreLesson,
    plain: &Smld,
    one_page: bool,
    body: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let [clouds, side] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(if one_page { SIDE_MIN } else { 0 }),
    ])
    .areas(body);
    let halves: [Rect; 2] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(clouds);
    let model = lesson.model();
    // The map as tall as its square plane needs at this width; the rest
    // (at least every bar, when it fits) to the shares.
    let rows = share_rows(model.target.means.len()).min(body.height / 2);
    let map_rows = map_rows_for(halves[0].width).min(body.height.saturating_sub(rows));
    for ((cloud, name), half) in [(model, ANNEALED), (plain, PLAIN)].into_iter().zip(halves) {
        let [map, bars] =
            Layout::vertical([Constraint::Length(map_rows), Constraint::Fill(1)]).areas(half);
        draw_map(lesson, cloud, Some(name), map, buf, theme);
        let name = name.get(theme.lang);
        render_shares(
            Some(name),
            &cloud.target,
            &finite(cloud),
            Vec::new(),
            bars,
            buf,
            theme,
        );
    }
    if one_page {
        draw_schedule(lesson, side, buf, theme);
    }
}

/// The second page: the noise schedule, every share bar, the pseudocode.
fn render_second_page(lesson: &ScoreLesson, body: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    let code = lesson.pseudocode(theme.lang);
    let clouds: Vec<(&Smld, Option<Tr>)> = match lesson.plain_twin() {
        Some(plain) => vec![(model, Some(ANNEALED)), (plain, Some(PLAIN))],
        None => vec![(model, None)],
    };
    let columns = clouds.len() as u16;
    let other = other_schedule_line(lesson, body.width / columns - 2, theme);
    let shares = share_rows(model.target.means.len()) + other.len() as u16;
    if clouds.len() == 1 && body.height < shares + CHART_MIN_ROWS {
        // Eight or nine bars leave the chart no rows: side by side instead.
        let [sched, bars] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(SIDE_MIN)]).areas(body);
        let other = other_schedule_line(lesson, SIDE_MIN - 2, theme);
        draw_schedule(lesson, sched, buf, theme);
        render_shares(None, &model.target, &finite(model), other, bars, buf, theme);
        return;
    }
    let code_rows = code.len() as u16 + 2;
    // The chart before the listing, which the explanation pane (e) shows too.
    let code_rows = if body.height >= shares + code_rows + CHART_MIN_ROWS {
        code_rows
    } else {
        0
    };
    let [sched, bars, code_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(shares),
        Constraint::Length(code_rows),
    ])
    .areas(body);
    draw_schedule(lesson, sched, buf, theme);
    let columns = Layout::horizontal(vec![Constraint::Fill(1); clouds.len()]).split(bars);
    for ((cloud, name), area) in clouds.into_iter().zip(columns.iter()) {
        let name = name.map(|n| n.get(theme.lang));
        let extra = if name.is_none() {
            other.clone()
        } else {
            Vec::new()
        };
        render_shares(
            name,
            &cloud.target,
            &finite(cloud),
            extra,
            *area,
            buf,
            theme,
        );
    }
    if code_rows > 0 {
        pseudocode::render_lesson(
            code_title(lesson).get(theme.lang),
            lesson,
            code_area,
            buf,
            theme,
        );
    }
}

fn code_title(lesson: &ScoreLesson) -> Tr {
    if lesson.plain_twin().is_some() {
        return tr!(" annealed and plain Langevin ", " 退火与不退火的朗之万 ");
    }
    match lesson.model().settings.schedule {
        Schedule::Annealed => tr!(" annealed Langevin ", " 退火朗之万 "),
        Schedule::Plain => tr!(" plain Langevin ", " 不退火的朗之万 "),
    }
}

/// Once a single run has finished: the other schedule's final shares with
/// the same budget, the NCSN paper's comparison, wrapped to `width`.
fn other_schedule_line(lesson: &ScoreLesson, width: u16, theme: &Look) -> Vec<Line<'static>> {
    let model = lesson.model();
    if !model.is_finished() || lesson.plain_twin().is_some() {
        return Vec::new();
    }
    let name = match model.settings.schedule {
        Schedule::Annealed => PLAIN,
        Schedule::Plain => ANNEALED,
    };
    let (name_en, name_zh) = (name.en, name.zh);
    let list = lesson
        .other_schedule_weights()
        .iter()
        .map(|w| format!("{w:.3}"))
        .collect::<Vec<_>>()
        .join(" ");
    let text = said!(
        "{name_en}, same budget: {list}",
        "{name_zh}，同样步数：{list}"
    );
    wrap(text.get(theme.lang), usize::from(width.max(1)))
        .into_iter()
        .map(|line| Line::styled(line, theme.other))
        .collect()
}

/// The particle map of `cloud` (named when there are two), or while a
/// learned score trains, its error map at the level sampling will start
/// from.
fn draw_map(
    lesson: &ScoreLesson,
    cloud: &Smld,
    name: Option<Tr>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let lang = theme.lang;
    let model = lesson.model();
    let (sigma, _) = cloud.sigma_alpha();
    let title = match name {
        Some(name) => {
            let (name_en, name_zh) = (name.en, name.zh);
            said!(
                " {name_en}: particles over p_σ, σ = {sigma:.3} ",
                " {name_zh}：p_σ 上的粒子，σ = {sigma:.3} "
            )
        }
        None => said!(
            " particles over p_σ, score arrows at σ = {sigma:.3} ",
            " p_σ 上的粒子，σ = {sigma:.3} 处的分数箭头 "
        ),
    };
    match model.source.net() {
        Some(net) if model.is_training() => {
            render_error_map(net, sigma.ln(), (1.0, sigma), "σ", area, buf, theme);
        }
        _ => render_map(
            title.get(lang),
            &cloud.target,
            (1.0, sigma),
            &finite(cloud),
            &[],
            area,
            buf,
            theme,
        ),
    }
}

/// The schedule, or while a learned score trains, its loss.
fn draw_schedule(lesson: &ScoreLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let model = lesson.model();
    match model.source.net() {
        Some(net) if model.is_training() => render_loss(net, area, buf, theme),
        _ => render_schedule(lesson, area, buf, theme),
    }
}

/// σ per step over the whole run, and where the run is now; with `both`,
/// the plain cloud's constant σ_L beside it.
fn render_schedule(lesson: &ScoreLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
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
    let mut series = vec![Series::line("σ", theme.series[3], curve)];
    if let Some(plain) = lesson.plain_twin() {
        let last = plain.sigmas[plain.sigmas.len() - 1];
        let end = model.langevin_steps() as f64;
        series.push(Series::line(
            tr!("σ plain", "σ 不退火").get(theme.lang),
            theme.series[0],
            vec![(0.0, last), (end, last)],
        ));
    }
    series.push(Series {
        name: tr!("now", "当前").get(theme.lang).into(),
        style: theme.current,
        points: vec![(model.sampling_steps() as f64, sigma)],
        scatter: true,
    });
    chart::render(
        tr!("noise schedule (log)", "噪声调度（对数）").get(theme.lang),
        "σ",
        &series,
        true,
        area,
        buf,
        theme,
    );
}

/// The target actually sampled: its means, weights and τ (a preset's own,
/// not the custom parameters, which the parameter panel marks unused).
fn target_line(lesson: &ScoreLesson, theme: &Look) -> Line<'static> {
    let target = &lesson.model().target;
    let means = target
        .means
        .iter()
        .map(|m| format!("({},{})", short(m[0]), short(m[1])))
        .collect::<Vec<_>>()
        .join(" ");
    let weights = target
        .weights
        .iter()
        .map(|w| short(*w))
        .collect::<Vec<_>>()
        .join(" ");
    let tau = short(target.tau);
    let text = said!(
        "target: means {means} · weights {weights} · τ {tau}",
        "目标：均值 {means} · 权重 {weights} · τ {tau}"
    );
    Line::styled(text.get(theme.lang).to_string(), theme.dim)
}

/// A number in about three significant digits (ring8's weight 0.125 whole,
/// its means 2.83), without trailing zeros, and never "-0".
fn short(x: f64) -> String {
    let text = if x.abs() < 1.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.2}")
    };
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0" } else { text }.to_string()
}
