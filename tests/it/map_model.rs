//! AP and matching against hand-worked examples and properties.

use learndeck::lessons::map::data::{DataSet, Detection, GroundTruth, Image};
use learndeck::lessons::map::eval::{
    Outcome, Rule, Rules, ap_coco101, ap_voc07, ap_voc10, class_ap, envelope, judge,
};
use proptest::prelude::*;

pub(crate) fn gt(class: &str, bbox: [f64; 4]) -> GroundTruth {
    GroundTruth {
        class: class.into(),
        bbox,
        difficult: false,
        crowd: false,
    }
}

pub(crate) fn det(class: &str, bbox: [f64; 4], score: f64) -> Detection {
    Detection {
        class: class.into(),
        bbox,
        score,
    }
}

const A: [f64; 4] = [0.0, 0.0, 10.0, 10.0];
const B: [f64; 4] = [20.0, 0.0, 30.0, 10.0];
const FAR: [f64; 4] = [50.0, 50.0, 60.0, 60.0];

fn image(gt: Vec<GroundTruth>, det: Vec<Detection>) -> Image {
    Image {
        name: "img".into(),
        gt,
        det,
    }
}

#[test]
fn eleven_point_and_all_point_ap_differ() {
    // Two positives; ranked: hit, false alarm, hit.
    // recall 0.5, 0.5, 1.0; precision 1, 1/2, 2/3.
    let data = DataSet {
        images: vec![image(
            vec![gt("car", A), gt("car", B)],
            vec![det("car", A, 0.9), det("car", FAR, 0.8), det("car", B, 0.7)],
        )],
    };
    let (r, p) = judge(&data, "car", 0.5, Rule::Voc(Rules::Textbook)).curve();
    assert_eq!(r, vec![0.5, 0.5, 1.0]);
    // VOC07: six levels (0 … 0.5) reach precision 1, five (0.6 … 1) reach 2/3.
    let voc07 = (6.0 + 5.0 * 2.0 / 3.0) / 11.0;
    // VOC10: the envelope is 1, 2/3, 2/3: area 0.5·1 + 0.5·2/3.
    let voc10 = 0.5 + 0.5 * 2.0 / 3.0;
    assert!((ap_voc07(&r, &p, Rules::Textbook) - voc07).abs() < 1e-12);
    assert!((ap_voc10(&r, &p, Rules::Textbook) - voc10).abs() < 1e-12);
    assert!((voc07 - voc10).abs() > 0.01);
    // COCO: 51 levels (0 … 0.5) read 1, 50 levels (0.51 … 1) read 2/3.
    let coco = (51.0 + 50.0 * 2.0 / 3.0) / 101.0;
    assert!((ap_coco101(&r, &p) - coco).abs() < 1e-12);
}

#[test]
fn a_duplicate_detection_is_a_false_positive() {
    let data = DataSet {
        images: vec![image(
            vec![gt("car", A)],
            vec![det("car", A, 0.9), det("car", [0.5, 0.0, 10.5, 10.0], 0.8)],
        )],
    };
    let result = judge(&data, "car", 0.5, Rule::Voc(Rules::Textbook));
    let outcomes: Vec<Outcome> = result.judged.iter().map(|j| j.outcome).collect();
    assert_eq!(outcomes, vec![Outcome::Tp, Outcome::Fp]);
}

#[test]
fn a_difficult_box_makes_its_detection_ignored() {
    let mut hard = gt("car", A);
    hard.difficult = true;
    let data = DataSet {
        images: vec![image(
            vec![hard, gt("car", B)],
            vec![det("car", A, 0.9), det("car", B, 0.8)],
        )],
    };
    let result = judge(&data, "car", 0.5, Rule::Voc(Rules::Textbook));
    assert_eq!(result.positives, 1);
    assert_eq!(result.judged[0].outcome, Outcome::Ignored);
    assert_eq!(result.judged[1].outcome, Outcome::Tp);
    // The ignored detection costs nothing: a perfect curve.
    let (r, p) = result.curve();
    assert_eq!((r, p), (vec![1.0], vec![1.0]));
}

#[test]
fn a_perfect_detector_scores_one_everywhere() {
    let data = DataSet {
        images: vec![image(
            vec![gt("dog", A), gt("dog", B)],
            vec![det("dog", A, 0.9), det("dog", B, 0.8)],
        )],
    };
    let ap = class_ap(&data, "dog", 0.5, Rules::Textbook);
    assert_eq!(
        (ap.voc07, ap.voc10, ap.coco101, ap.coco),
        (1.0, 1.0, 1.0, 1.0)
    );
}

#[test]
fn detections_without_positives_have_no_recall() {
    let data = DataSet {
        images: vec![image(vec![gt("car", A)], vec![det("cat", A, 0.9)])],
    };
    let result = judge(&data, "cat", 0.5, Rule::Voc(Rules::Textbook));
    assert_eq!(result.positives, 0);
    assert!(result.recall(&result.judged[0]).is_nan());
}

#[test]
fn voc_does_not_fall_back_but_coco_does() {
    // Two boxes side by side; the top detection takes the left one, the
    // second detection's best box is also the left one, but it overlaps the
    // right one enough too.
    let left = [0.0, 0.0, 10.0, 10.0];
    let right = [2.0, 0.0, 12.0, 10.0];
    let data = DataSet {
        images: vec![image(
            vec![gt("person", left), gt("person", right)],
            vec![
                det("person", left, 0.9),
                det("person", [1.0, 0.0, 11.0, 10.0], 0.8),
            ],
        )],
    };
    let voc = judge(&data, "person", 0.5, Rule::Voc(Rules::Textbook));
    let coco = judge(&data, "person", 0.5, Rule::Coco);
    assert_eq!(voc.judged[1].outcome, Outcome::Fp);
    assert_eq!(coco.judged[1].outcome, Outcome::Tp);
    assert_eq!(coco.judged[1].gt, Some(1));
}

fn random_data() -> impl Strategy<Value = DataSet> {
    let boxes = (0.0f64..90.0, 0.0f64..90.0, 2.0f64..20.0, 2.0f64..20.0)
        .prop_map(|(x, y, w, h)| [x, y, x + w, y + h]);
    let gts = prop::collection::vec(
        (boxes.clone(), any::<bool>(), prop::bool::weighted(0.1)),
        0..5,
    );
    let dets = prop::collection::vec((boxes, 0.0f64..1.0), 0..6);
    prop::collection::vec((gts, dets), 1..6).prop_map(|images| DataSet {
        images: images
            .into_iter()
            .map(|(gts, dets)| Image {
                name: "x".into(),
                gt: gts
                    .into_iter()
                    .map(|(b, cls, difficult)| GroundTruth {
                        class: if cls { "a" } else { "b" }.into(),
                        bbox: b,
                        difficult,
                        crowd: false,
                    })
                    .collect(),
                det: dets
                    .into_iter()
                    .map(|(b, s)| Detection {
                        class: "a".into(),
                        bbox: b,
                        score: s,
                    })
                    .collect(),
            })
            .collect(),
    })
}

proptest! {
    #[test]
    fn ap_stays_in_the_unit_interval(data in random_data(), t in 0.1f64..0.9) {
        prop_assume!(judge(&data, "a", t, Rule::Voc(Rules::Textbook)).positives > 0);
        let ap = class_ap(&data, "a", t, Rules::Textbook);
        for v in [ap.voc07, ap.voc10, ap.coco101, ap.coco] {
            prop_assert!((0.0..=1.0).contains(&v), "{}", v);
        }
    }

    #[test]
    fn the_envelope_never_increases(p in prop::collection::vec(0.0f64..=1.0, 0..50)) {
        let e = envelope(&p);
        prop_assert!(e.windows(2).all(|w| w[0] >= w[1]));
        prop_assert!(e.iter().zip(&p).all(|(e, p)| e >= p));
    }

    #[test]
    fn reordering_the_input_keeps_ap_when_scores_keep_their_order(data in random_data(), seed in any::<u64>()) {
        // Make scores distinct so the ranking is the same whatever the input order.
        let mut data = data;
        let mut k = 0.0;
        for im in &mut data.images {
            for d in &mut im.det {
                k += 1.0;
                d.score = k / 1000.0;
            }
        }
        prop_assume!(judge(&data, "a", 0.5, Rule::Voc(Rules::Textbook)).positives > 0);
        let before = class_ap(&data, "a", 0.5, Rules::Textbook);
        let mut shuffled = data.clone();
        let mut state = seed;
        for im in &mut shuffled.images {
            let n = im.det.len();
            for i in (1..n).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                let j = (state >> 33) as usize % (i + 1);
                im.det.swap(i, j);
            }
        }
        prop_assert_eq!(class_ap(&shuffled, "a", 0.5, Rules::Textbook), before);
    }

    #[test]
    fn a_higher_iou_threshold_never_adds_true_positives(data in random_data(), t in 0.1f64..0.8, dt in 0.0f64..0.2) {
        let tps = |t: f64| {
            judge(&data, "a", t, Rule::Voc(Rules::Textbook))
                .judged
                .iter()
                .filter(|j| j.outcome == Outcome::Tp)
                .count()
        };
        prop_assert!(tps(t + dt) <= tps(t));
    }
}
