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
use crate::widgets::chart::{self, Series};
use crate::widgets::particles::{
    SHARE_TITLE, beside_map, moments_line, render_error_map, render_loss, render_map, weight_lines,
};
use crate::widgets::words::render_status;
use crate::widgets::{panel, pseudocode};
use crate::{said, tr};

pub fn render(lesson: &ScoreLesson, area: Rect, buf: &mut Buffer, theme: &Look) {
    let lang = theme.lang;
    let model = lesson.model();
    let (sigma, alpha) = model.sigma_alpha();
    let schedule = match (model.settings.schedule, model.is_training()) {
        (_, true) => tr!("training the score network", "训练分数网络"),
        (Schedule::Annealed, false) => tr!("annealed", "退火"),
        (Schedule::Plain, false) => tr!("plain (σ_L only)", "不退火（只用 σ_L）"),
    };
    let (schedule_en, schedule_zh) = (schedule.en, schedule.zh);
    let (level, levels) = (model.level() + 1, model.sigmas.len());
    let particles = model.particles.len();
    // Diverged particles have no place on the map and no nearest mean.
    let finite: Vec<[f64; 2]> = model
        .particles
        .iter()
        .copied()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .collect();
    // Spaces around the numbers in the Chinese too: the status line wraps there.
    let info = vec![
        Line::from(vec![
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
        ]),
        moments_line(&finite, theme),
        target_line(lesson, theme),
    ];
    let mut info = info;
    // First: the status area keeps only a few rows.
    if let Some(first) = model.first_diverged {
        let n = model.diverged;
        info.insert(
            0,
            Line::styled(
                said!(
                    "⚠ {n} particles diverged (first at step {first}): not drawn, not in any share",
                    "⚠ {n} 个粒子发散（第 {first} 步起）：不画出，也不计入任何占比"
                )
                .get(lang)
                .to_string(),
                theme.error,
            ),
        );
    }
    let body = render_status(&info, area, buf);
    let title = said!(
        " particles over p_σ, score arrows at σ = {sigma:.3} ",
        " p_σ 上的粒子，σ = {sigma:.3} 处的分数箭头 "
    );
    let title = title.get(lang);
    let code = lesson.pseudocode(theme.lang);
    if let Some([map, side]) = beside_map(body, pseudocode::panel_width(code)) {
        draw_map(lesson, &finite, title, map, buf, theme);
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
        let block = panel(SHARE_TITLE.get(lang), theme);
        let inner = block.inner(bars);
        block.render(bars, buf);
        let mut weights = weights;
        if model.is_finished() {
            // Side by side: the same budget under the other schedule.
            let name = match model.settings.schedule {
                Schedule::Annealed => tr!("plain", "不退火"),
                Schedule::Plain => tr!("annealed", "退火"),
            };
            let (name_en, name_zh) = (name.en, name.zh);
            let list = lesson
                .other_schedule_weights()
                .iter()
                .map(|w| format!("{w:.3}"))
                .collect::<Vec<_>>()
                .join(" ");
            weights.push(Line::styled(
                said!(
                    "{name_en}, same budget: {list}",
                    "{name_zh}，同样步数：{list}"
                )
                .get(lang)
                .to_string(),
                theme.other,
            ));
        }
        Paragraph::new(weights).render(inner, buf);
        let code_title = match model.settings.schedule {
            Schedule::Annealed => tr!(" annealed Langevin ", " 退火朗之万 "),
            Schedule::Plain => tr!(" plain Langevin ", " 不退火的朗之万 "),
        };
        pseudocode::render_lesson(code_title.get(lang), lesson, code_area, buf, theme);
    } else {
        let weights = weight_lines(&model.target, &model.particles, area.width, theme);
        let [map, bars] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(weights.len().min(4) as u16),
        ])
        .areas(body);
        draw_map(lesson, &finite, title, map, buf, theme);
        Paragraph::new(weights).render(bars, buf);
    }
}

/// The particle map, or while a learned score trains, its error map at the
/// level sampling will start from.
fn draw_map(
    lesson: &ScoreLesson,
    finite: &[[f64; 2]],
    title: &str,
    area: Rect,
    buf: &mut Buffer,
    theme: &Look,
) {
    let model = lesson.model();
    let (sigma, _) = model.sigma_alpha();
    match model.source.net() {
        Some(net) if model.is_training() => {
            render_error_map(net, sigma.ln(), (1.0, sigma), "σ", area, buf, theme);
        }
        _ => render_map(
            title,
            &model.target,
            (1.0, sigma),
            finite,
            &[],
            area,
            buf,
            theme,
        ),
    }
}

/// σ per step over the whole run, and where the run is now.
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
    let series = vec![
        Series::line("σ", theme.series[3], curve),
        Series {
            name: tr!("now", "当前").get(theme.lang).into(),
            style: theme.current,
            points: vec![(model.steps as f64, sigma)],
            scatter: true,
        },
    ];
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

/// The target actually sampled: its means, weights and τ, and whether the
/// custom-only parameters are in use.
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
    let text = if lesson.custom {
        said!(
            "target: means {means} · weights {weights} · τ {tau}",
            "目标：均值 {means} · 权重 {weights} · τ {tau}"
        )
    } else {
        said!(
            "target: means {means} · weights {weights} · τ {tau} · means/weights/tau: not in use (custom only)",
            "目标：均值 {means} · 权重 {weights} · τ {tau} · means/weights/tau 未使用（仅 custom）"
        )
    };
    Line::styled(text.get(theme.lang).to_string(), theme.dim)
}

/// A number in at most three significant digits, without trailing zeros.
fn short(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
