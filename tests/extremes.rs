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
