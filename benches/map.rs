//! Speed of the mAP lesson (issue: detection mAP): evaluating 5,000 images
//! with 20 detections each, all methods (AP@[.5:.95] included), target under
//! 200 ms; parsing the same set from TOML is measured beside it.
//!
//! Bounded work (issue: responsive and bounded): the whole evaluation the
//! lesson builds — every class, both rules, every method — of one image with
//! 5,000 ground truths and 5,000 detections, and of 50,000 detections over
//! 5,000 images, each under a second.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use learndeck::lessons::map::data::{DataSet, Detection, GroundTruth, Image, parse_toml};
use learndeck::lessons::map::eval::{Rules, class_ap, evaluate_class, prepare_all};

const IMAGES: usize = 5_000;
const DETECTIONS: usize = 20;
const BOXES: usize = 8;
const CLASSES: [&str; 4] = ["car", "person", "dog", "bicycle"];

fn synthetic() -> DataSet {
    generate(IMAGES, BOXES, DETECTIONS, 600.0)
}

/// `images` images of `boxes` ground truths each, scattered over a square of
/// side `field`, and `detections` detections each near one of them.
fn generate(images: usize, boxes: usize, detections: usize, field: f64) -> DataSet {
    let mut state = 7u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let images = (0..images)
        .map(|i| {
            let gt: Vec<GroundTruth> = (0..boxes)
                .map(|k| {
                    let (x, y) = (next() * field, next() * field * 2.0 / 3.0);
                    GroundTruth {
                        class: CLASSES[k % CLASSES.len()].into(),
                        bbox: [x, y, x + 20.0 + next() * 60.0, y + 20.0 + next() * 60.0],
                        difficult: next() < 0.05,
                        crowd: false,
                    }
                })
                .collect();
            let det = (0..detections)
                .map(|k| {
                    let g = &gt[k % boxes];
                    let shift = next() * 12.0 - 6.0;
                    Detection {
                        class: g.class.clone(),
                        bbox: [
                            g.bbox[0] + shift,
                            g.bbox[1] - shift,
                            g.bbox[2] + shift,
                            g.bbox[3],
                        ],
                        score: next(),
                    }
                })
                .collect();
            Image {
                name: format!("img-{i}"),
                gt,
                det,
            }
        })
        .collect();
    DataSet { images }
}

fn to_toml(data: &DataSet) -> String {
    let mut out = String::new();
    for im in &data.images {
        out.push_str(&format!("[[images]]\nname = \"{}\"\ngt = [\n", im.name));
        for g in &im.gt {
            out.push_str(&format!(
                "  {{ class = \"{}\", box = [{:?}, {:?}, {:?}, {:?}], difficult = {} }},\n",
                g.class, g.bbox[0], g.bbox[1], g.bbox[2], g.bbox[3], g.difficult
            ));
        }
        out.push_str("]\ndet = [\n");
        for d in &im.det {
            out.push_str(&format!(
                "  {{ class = \"{}\", box = [{:?}, {:?}, {:?}, {:?}], score = {:?} }},\n",
                d.class, d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3], d.score
            ));
        }
        out.push_str("]\n");
    }
    out
}

fn evaluate(c: &mut Criterion) {
    let data = synthetic();
    let mut group = c.benchmark_group("map_5000_images_x_20_detections");
    group.sample_size(10);
    group.bench_function("all_methods_all_classes", |b| {
        b.iter(|| {
            let aps: Vec<_> = CLASSES
                .iter()
                .map(|class| class_ap(&data, class, 0.5, Rules::Devkit))
                .collect();
            black_box(aps)
        });
    });
    let text = to_toml(&data);
    group.bench_function("parse_toml", |b| {
        b.iter(|| black_box(parse_toml(&text, "bench.toml").map(|d| d.images.len())));
    });
    group.finish();
}

/// Everything the lesson computes when it is built, for every class.
fn whole_evaluation(data: &DataSet) -> usize {
    prepare_all(data)
        .iter()
        .map(|p| evaluate_class(p, 0.5, Rules::Devkit).voc.judged.len())
        .sum()
}

fn bounded(c: &mut Criterion) {
    let mut group = c.benchmark_group("map_bounded");
    group.sample_size(10);
    let crowded = generate(1, 5_000, 5_000, 3_000.0);
    group.bench_function("one_image_5000_gt_x_5000_det", |b| {
        b.iter(|| black_box(whole_evaluation(&crowded)));
    });
    let many = generate(5_000, 4, 10, 600.0);
    group.bench_function("5000_images_50000_det", |b| {
        b.iter(|| black_box(whole_evaluation(&many)));
    });
    group.finish();
}

criterion_group!(benches, evaluate, bounded);
criterion_main!(benches);
