//! A million steps of every open-ended lesson: the rewind log fills to what it
//! promises (at least MIN_REWIND steps back) and then stops growing, however
//! long the run. A log that kept everything would reach a million steps back.

use learndeck::lesson::timeline::MIN_REWIND;
use learndeck::lessons::REGISTRY;

const MILLION: u64 = 1_000_000;
/// Steps after which every log has long filled up: the deepest it reaches by
/// then is its ceiling for the rest of the run.
const FILLED_BY: u64 = 100_000;

#[test]
fn open_ended_lessons_keep_their_rewind_log_bounded_over_a_million_steps() {
    let mut open_ended = Vec::new();
    for entry in REGISTRY {
        let mut lesson = (entry.build)(&entry.defaults(), 1).expect("defaults build");
        if lesson.total_steps().is_some() {
            continue;
        }
        open_ended.push(entry.id);
        let mut ceiling = 0;
        let mut taken = 0;
        while taken < MILLION && lesson.step() {
            taken += 1;
            let depth = lesson.rewind_depth();
            if taken <= FILLED_BY {
                ceiling = ceiling.max(depth);
            } else {
                assert!(
                    depth <= ceiling,
                    "{}: {depth} steps back at step {taken}, more than the {ceiling} of the first {FILLED_BY}",
                    entry.id
                );
            }
        }
        let depth = lesson.rewind_depth();
        assert!(
            depth >= MIN_REWIND.min(taken as usize),
            "{}: only {depth} steps back after {taken}",
            entry.id
        );
    }
    for id in ["optim", "precision"] {
        assert!(
            open_ended.contains(&id),
            "{id} runs forever: {open_ended:?}"
        );
    }
}
