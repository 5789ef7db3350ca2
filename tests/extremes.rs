//! Every numeric parameter of every lesson at its minimum and its maximum:
//! the lesson builds (or refuses with a message), steps, reports and draws
//! without panicking. Non-finite results are allowed; panics are not.

use std::panic::AssertUnwindSafe;

use learndeck::lesson::{ParamKind, ParamValue};
use learndeck::lessons::REGISTRY;
use learndeck::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Steps run at each extreme: enough to leave the start, cheap at 100k particles.
const STEPS: usize = 30;

#[test]
fn every_parameter_survives_its_extremes() {
    let theme = Theme::mono();
    let area = Rect::new(0, 0, 80, 24);
    for entry in REGISTRY {
        let defaults = entry.defaults();
        for (at, spec) in defaults.specs().iter().enumerate() {
            let extremes = match spec.kind {
                ParamKind::Int { min, max, .. } => vec![ParamValue::Int(min), ParamValue::Int(max)],
                ParamKind::Float { min, max, .. } => {
                    vec![ParamValue::Float(min), ParamValue::Float(max)]
                }
                _ => continue,
            };
            for value in extremes {
                let mut params = defaults.clone();
                params.set_index(at, value.clone());
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    let Ok(mut lesson) = (entry.build)(&params, 1) else {
                        // Refused with a message (e.g. sigma_min above sigma_max): fine.
                        return;
                    };
                    for _ in 0..STEPS {
                        if !lesson.step() {
                            break;
                        }
                    }
                    let _ = lesson.summary();
                    let mut rows = Vec::new();
                    lesson.trace_step(&mut rows);
                    let mut buf = Buffer::empty(area);
                    lesson.render(area, &mut buf, &theme);
                    for _ in 0..5 {
                        lesson.step_back();
                    }
                }));
                assert!(
                    outcome.is_ok(),
                    "lesson.{}.{} = {value} panicked",
                    entry.id,
                    spec.key
                );
            }
        }
    }
}

/// A value just outside what each parameter allows, as typed text.
fn invalid_text(kind: &ParamKind) -> String {
    match kind {
        ParamKind::Int { min, .. } => (min - 1).to_string(),
        ParamKind::Float { min, .. } => format_float_below(*min),
        ParamKind::Bool => "maybe".to_string(),
        ParamKind::Choice(_) | ParamKind::ChoiceList { .. } => "no_such_choice".to_string(),
        ParamKind::IntList { .. } | ParamKind::FloatList { .. } => "1,x".to_string(),
        ParamKind::Text { max_len } => "x".repeat(max_len + 1),
    }
}

fn format_float_below(min: f64) -> String {
    if min > 0.0 {
        (min / 2.0).to_string()
    } else {
        (min - 1.0).to_string()
    }
}

#[test]
fn every_parameter_refuses_a_value_outside_its_range_by_name() {
    for entry in REGISTRY {
        let defaults = entry.defaults();
        for spec in defaults.specs() {
            let text = invalid_text(&spec.kind);
            let mut params = defaults.clone();
            let err = params.set_text(spec.key, &text).expect_err(&format!(
                "lesson.{}.{} accepted '{text}'",
                entry.id, spec.key
            ));
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("lesson.{}.{}:", entry.id, spec.key)),
                "{message}"
            );
            assert_eq!(params.values(), defaults.values(), "the old values stay");
        }
    }
}
