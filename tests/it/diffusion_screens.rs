//! The score and SDE lessons as a learner sees them at 120×36 and 80×24:
//! which panels are on screen, what the panels say (checked against values
//! worked out here), `schedule = both` against two separate runs, and
//! snapshots in both languages.

use crossterm::event::KeyCode;
use learndeck::config::Language;
use learndeck::headless::render_text;
use learndeck::lesson::timeline::Replayable;
use learndeck::lesson::{Lesson, ParamSet};
use learndeck::lessons;
use learndeck::lessons::score::model::{Schedule, Settings, Smld};
use learndeck::sim::diffusion::target::Mixture;

use crate::dashboard::{app_with, press};

/// A lesson built from its defaults with `settings`, seed `seed`.
fn lesson(id: &str, settings: &[(&str, &str)], seed: u64) -> Box<dyn Lesson> {
    let entry = lessons::find(id).expect("a lesson");
    let mut params: ParamSet = entry.defaults();
    for (key, value) in settings {
        params.set_text(key, value).expect("a valid setting");
    }
    (entry.build)(&params, seed).expect("builds")
}

/// Shares by nearest mean (squared distance), of all particles.
fn shares(means: &[[f64; 2]], particles: &[[f64; 2]]) -> Vec<f64> {
    let mut counts = vec![0usize; means.len()];
    for p in particles
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        let d = |m: &[f64; 2]| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2);
        let best = (0..means.len()).fold(0, |b, k| if d(&means[k]) < d(&means[b]) { k } else { b });
        counts[best] += 1;
    }
    counts
        .iter()
        .map(|&c| c as f64 / particles.len() as f64)
        .collect()
}

fn floats(value: &toml::Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_float().expect("a float"))
        .collect()
}

/// The score lesson's settings at its defaults under `schedule`.
fn score_settings(schedule: Schedule) -> Settings {
    let params: ParamSet = lessons::find("score").expect("score").defaults();
    let float = |key: &str| params.float(key).expect(key);
    let count = |key: &str| params.count(key).expect(key);
    Settings {
        sigma_max: float("sigma_max"),
        sigma_min: float("sigma_min"),
        levels: count("levels"),
        steps_per_level: count("steps_per_level"),
        epsilon: float("epsilon"),
        plain_epsilon: float("plain_epsilon"),
        denoise: params.flag("denoise").expect("denoise"),
        schedule,
    }
}

#[test]
fn both_is_the_annealed_and_the_plain_run_of_the_same_seed() {
    let target = Mixture::two();
    let seed = 3;
    let mut both = lesson("score", &[("schedule", "both")], seed);
    while both.step() {}
    let summary = both.summary();
    let twin = summary["plain"].as_table().expect("a [plain] table");
    for (schedule, table) in [(Schedule::Annealed, &summary), (Schedule::Plain, twin)] {
        let mut alone = Smld::new(target.clone(), score_settings(schedule), 2000, seed);
        while alone.step() {}
        let want = shares(&target.means, &alone.particles);
        let got = floats(&table["mode_weights"]);
        assert_eq!(got, want, "{schedule:?}");
        let n = alone.particles.len() as f64;
        let mean_x = alone.particles.iter().map(|p| p[0]).sum::<f64>() / n;
        assert!(
            (floats(&table["mean"])[0] - mean_x).abs() < 1e-9,
            "{schedule:?}"
        );
    }
    // The defaults' contrast, side by side: plain misses by ≥ 0.1, annealed
    // is within 0.03.
    let error = |table: &toml::Table| {
        floats(&table["mode_weights"])
            .iter()
            .zip(&target.weights)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    };
    assert!(error(&summary) <= 0.03 && error(twin) >= 0.1);
    let columns = both.trace_columns();
    for key in ["plain_mean_x", "plain_std_y", "plain_alpha"] {
        assert!(columns.contains(&key), "{columns:?}");
    }
    assert_eq!(
        both.pseudocode(learndeck::i18n::Lang::En)
            .iter()
            .filter(|l| l.contains("annealed:") || l.contains("plain:"))
            .count(),
        2
    );
}

/// The plane of the score map at 120×36: rows below the title, and the
/// columns (start, count) right of the y labels.
const PLANE_ROWS: usize = 23;
const PLANE_COLUMNS: (usize, usize) = (6, 48);

#[test]
fn score_at_120x36_shows_every_share_bar_the_schedule_axes_and_means() {
    for target in ["two", "ring8", "grid9"] {
        let mut app = app_with("score", Language::En, &[("target", target)]);
        app.advance(700);
        let screen = render_text(&mut app, 120, 36);
        let mixture = match target {
            "two" => Mixture::two(),
            "ring8" => Mixture::ring8(),
            _ => Mixture::grid9(),
        };
        for (k, w) in mixture.weights.iter().enumerate() {
            // A bar line: its number, then the target weight after a slash.
            let bar = screen
                .lines()
                .any(|l| l.contains(&format!(" {k} ")) && l.contains(&format!("/{w:.3}")));
            assert!(bar, "{target}: no bar for component {k}\n{screen}");
        }
        assert!(screen.contains("noise schedule"), "{screen}");
        // The x axis: the window's ends and its centre under the plane.
        assert!(
            screen.lines().any(|l| {
                let l = l.replace(['│', '┌', '┐'], " ");
                let words: Vec<&str> = l.split_whitespace().collect();
                words
                    .windows(3)
                    .any(|w| w[1] == "0" && w[0].starts_with('-') && w[2] == &w[0][1..])
            }),
            "{target}: no x axis\n{screen}"
        );
        // Every mean is marked by its number on the plane: as many digits as
        // components inside the map's rows.
        // The plane: under the map's title, right of the y labels, above the
        // x labels; its bands, dots and arrows hold no digit.
        let lines: Vec<&str> = screen.lines().collect();
        let top = lines
            .iter()
            .position(|l| l.contains("particles over p_σ"))
            .expect("the map");
        let map_rows: String = lines[top + 1..]
            .iter()
            .take(PLANE_ROWS)
            .map(|l| {
                l.chars()
                    .skip(PLANE_COLUMNS.0)
                    .take(PLANE_COLUMNS.1)
                    .collect::<String>()
            })
            .collect();
        for k in 0..mixture.means.len() {
            let digit = char::from_digit(k as u32, 10).expect("a digit");
            assert!(map_rows.contains(digit), "{target}: mean {k} unmarked");
        }
        assert!(!screen.contains("v page"), "{target}: all on one page");
    }
}

#[test]
fn preset_targets_mark_the_custom_parameters_not_in_use() {
    let screen = |target: &str| {
        let mut app = app_with("score", Language::En, &[("target", target)]);
        render_text(&mut app, 120, 36)
    };
    let unused = |screen: &str, key: &str| {
        screen
            .lines()
            .any(|l| l.contains(&format!("│ {key} ")) && l.contains(" unused"))
    };
    let preset = screen("two");
    for key in ["means", "weights", "tau"] {
        assert!(unused(&preset, key), "{key}\n{preset}");
    }
    let custom = screen("custom");
    for key in ["means", "weights", "tau"] {
        assert!(!unused(&custom, key), "{key}\n{custom}");
    }
    // The same mechanism, from the parameters alone.
    let entry = lessons::find("score").expect("score");
    let mut params = entry.defaults();
    let means = |params: &ParamSet| {
        let spec = params
            .specs()
            .iter()
            .find(|s| s.key == "means")
            .expect("means");
        params.in_use(spec)
    };
    assert!(!means(&params));
    params.set_text("target", "custom").expect("custom");
    assert!(means(&params));
}

#[test]
fn the_learned_score_title_names_sigma() {
    let mut app = app_with("score", Language::En, &[("score", "learned")]);
    let screen = render_text(&mut app, 120, 36);
    assert!(screen.contains("error σ²·‖"), "{screen}");
    assert!(!screen.contains("error s²"), "{screen}");
}

#[test]
fn sde_at_120x36_writes_out_f_and_g_for_the_chosen_sde() {
    // At step 0 of a reverse run t = 1: β(1) = beta_max.
    let (beta_max, sigma_min, sigma_max): (f64, f64, f64) = (20.0, 0.01, 20.0);
    let mut app = app_with("sde", Language::En, &[]);
    let screen = render_text(&mut app, 120, 36);
    for line in ["f(x,t) = −½β(t)·x", "g(t) = √β(t)", "β(t) = 0.1 + 19.9·t"] {
        assert!(screen.contains(line), "{line}\n{screen}");
    }
    let now = format!("f = −{:.2}·x, g = {:.2}", beta_max / 2.0, beta_max.sqrt());
    assert!(screen.contains(&now), "{now}\n{screen}");
    assert!(screen.contains("spread of p_t"), "{screen}");
    let mut app = app_with("sde", Language::En, &[("sde", "ve")]);
    let screen = render_text(&mut app, 120, 36);
    let g = sigma_max * (2.0 * (sigma_max / sigma_min).ln()).sqrt();
    for line in [
        "f(x,t) = 0".to_string(),
        "σ(t) = 0.01·2000^t".to_string(),
        format!("f = 0, g = {g:.2}"),
    ] {
        assert!(screen.contains(&line), "{line}\n{screen}");
    }
    assert!(!screen.contains("v page"), "{screen}");
}

#[test]
fn at_80x24_the_second_page_holds_the_rest_one_key_away() {
    for id in ["score", "sde"] {
        let mut app = app_with(id, Language::En, &[]);
        let first = render_text(&mut app, 80, 24);
        assert!(first.contains("v page 1/2"), "{first}");
        press(&mut app, KeyCode::Char('v'));
        let second = render_text(&mut app, 80, 24);
        let wanted = if id == "score" {
            "noise schedule"
        } else {
            "spread of p_t"
        };
        assert!(second.contains(wanted), "{second}");
    }
}

/// A snapshot moment: lesson, settings, steps, name.
type Shot = (
    &'static str,
    &'static [(&'static str, &'static str)],
    u64,
    &'static str,
);

#[test]
fn snapshots_at_120x36_and_80x24_in_both_languages() {
    let shots: &[Shot] = &[
        ("score", &[], 700, "mid"),
        ("score", &[("schedule", "both")], 2001, "both_end"),
        ("score", &[("target", "ring8")], 2001, "ring8_end"),
        ("sde", &[], 300, "mid"),
        ("sde", &[("direction", "forward")], 500, "forward_end"),
        ("sde", &[("sde", "both")], 300, "both_mid"),
    ];
    for &(id, settings, steps, moment) in shots {
        for (language, tag) in [(Language::En, "en"), (Language::Zh, "zh")] {
            let mut app = app_with(id, language, settings);
            app.advance(steps);
            insta::assert_snapshot!(
                format!("teach_{id}_{moment}_{tag}_120x36"),
                render_text(&mut app, 120, 36)
            );
            insta::assert_snapshot!(
                format!("teach_{id}_{moment}_{tag}_80x24"),
                render_text(&mut app, 80, 24)
            );
            press(&mut app, KeyCode::Char('v'));
            insta::assert_snapshot!(
                format!("teach_{id}_{moment}_{tag}_80x24_page2"),
                render_text(&mut app, 80, 24)
            );
        }
    }
}

/// The shares the explanations and tours quote, at the default seed (1):
/// score annealed 0.791 and plain 0.503 for component 0; sde VP + em 0.788,
/// VE + em 0.78, + pc 0.80, + ode 0.75. Counted here by nearest mean.
#[test]
fn the_shares_the_texts_quote_hold_at_the_default_seed() {
    use learndeck::lessons::sde::model::{Direction, Process, Sampler, SdeRun};
    use learndeck::sim::diffusion::sde::Sde;
    let target = Mixture::two();
    let seed = learndeck::config::DEFAULT_SEED;
    for (schedule, quoted, digits) in [(Schedule::Annealed, 0.791, 3), (Schedule::Plain, 0.503, 3)]
    {
        let mut run = Smld::new(target.clone(), score_settings(schedule), 2000, seed);
        while run.step() {}
        let share = shares(&target.means, &run.particles)[0];
        let half_unit = 0.5 * 10f64.powi(-digits);
        assert!(
            (share - quoted).abs() <= half_unit + 1e-12,
            "{schedule:?}: {share}"
        );
    }
    let vp = Sde::Vp {
        beta_min: 0.1,
        beta_max: 20.0,
    };
    let ve = Sde::Ve {
        sigma_min: 0.01,
        sigma_max: 20.0,
    };
    for (sde, sampler, quoted, digits) in [
        (vp, Sampler::Em, 0.788, 3),
        (ve, Sampler::Em, 0.78, 2),
        (ve, Sampler::Pc, 0.79, 2),
        (ve, Sampler::Ode, 0.75, 2),
    ] {
        let process = Process {
            sde,
            sampler,
            direction: Direction::Reverse,
            snr: 0.16,
            n_steps: 500,
        };
        let mut run = SdeRun::new(target.clone(), process, 2000, seed);
        while run.step() {}
        let share = shares(&target.means, &run.particles)[0];
        let half_unit = 0.5 * 10f64.powi(-digits);
        assert!(
            (share - quoted).abs() <= half_unit + 1e-12,
            "{sde:?} {sampler:?}: {share}"
        );
    }
}

/// The target line shows a preset's own numbers: ring8's eight weights of
/// 1/8 as 0.125 (not 0.12), its means on the circle of radius 4 at 45°
/// steps as 2.83, and no "-0".
#[test]
fn the_target_line_shows_the_presets_real_numbers() {
    let mut app = app_with("score", Language::En, &[("target", "ring8")]);
    let screen = render_text(&mut app, 160, 48);
    let eighth = format!("{:.3}", 1.0 / 8.0);
    let diagonal = format!("{:.2}", 4.0 * std::f64::consts::FRAC_1_SQRT_2);
    assert!(
        screen.matches(&format!("{eighth} ")).count() >= 8,
        "{screen}"
    );
    assert!(
        screen.contains(&format!("({diagonal},{diagonal})")),
        "{screen}"
    );
    assert!(
        !screen.contains("(-0,") && !screen.contains(",-0)"),
        "{screen}"
    );
}

/// `sde = both`: the VP run and a VE twin from the same seed, each the run
/// its own setting gives alone; the VE twin under `[ve]`, its columns in the
/// trace, its spread and closed form on the second page.
#[test]
fn sde_both_is_vp_and_ve_of_the_same_seed() {
    use learndeck::lessons::sde::model::{Direction, Process, Sampler, SdeRun};
    use learndeck::sim::diffusion::sde::Sde;
    let target = Mixture::two();
    let seed = 2;
    let mut both = lesson("sde", &[("sde", "both")], seed);
    while both.step() {}
    let summary = both.summary();
    let ve_table = summary["ve"].as_table().expect("a [ve] table");
    let vp = Sde::Vp {
        beta_min: 0.1,
        beta_max: 20.0,
    };
    let ve = Sde::Ve {
        sigma_min: 0.01,
        sigma_max: 20.0,
    };
    for (sde, table) in [(vp, &summary), (ve, ve_table)] {
        let process = Process {
            sde,
            sampler: Sampler::Em,
            direction: Direction::Reverse,
            snr: 0.16,
            n_steps: 500,
        };
        let mut alone = SdeRun::new(target.clone(), process, 2000, seed);
        while alone.step() {}
        assert_eq!(
            floats(&table["mode_weights"]),
            shares(&target.means, &alone.particles),
            "{sde:?}"
        );
    }
    let columns = both.trace_columns();
    for key in ["ve_t", "ve_mean_x", "ve_std_y"] {
        assert!(columns.contains(&key), "{columns:?}");
    }
    let mut app = app_with("sde", Language::En, &[("sde", "both")]);
    app.advance(100);
    let first = render_text(&mut app, 120, 36);
    for text in ["VP: p_t", "VE: p_t", "f(x,t) = −½β(t)·x", "f(x,t) = 0"] {
        assert!(first.contains(text), "{text}\n{first}");
    }
    press(&mut app, KeyCode::Char('v'));
    let second = render_text(&mut app, 120, 36);
    assert!(second.contains("VE closed form"), "{second}");
    assert!(
        second.contains("VP ·") && second.contains("VE ·"),
        "{second}"
    );
}

/// The sde text and tour give VP's m(1) = exp(−¼(βmax − βmin) − ½βmin) at
/// the defaults (β 0.1 → 20) to two significant digits.
#[test]
fn the_sde_texts_give_vp_m_at_one() {
    let (beta_min, beta_max): (f64, f64) = (0.1, 20.0);
    let m = (-0.25 * (beta_max - beta_min) - 0.5 * beta_min).exp();
    let quoted = format!("m ≈ {m:.4}");
    let text = lessons::find("sde").expect("sde").explanation;
    assert_eq!(text.matches(&quoted).count(), 2, "{quoted} in en and zh");
    let tour = lessons::find("sde").expect("sde").tour.expect("a tour");
    assert_eq!(tour.matches(&quoted).count(), 2, "{quoted} in the tour");
}
