//! Matching detections to ground truth, the precision/recall curve, and AP
//! by VOC2007's 11 points, VOC2010's all points and COCO's 101 points.

use rustc_hash::FxHashMap;

use super::data::{BoxXyxy, DataSet};

/// Intersection over union; `plus_one` is the old VOC pixel convention
/// (widths and heights counted as x2 − x1 + 1).
pub fn iou(a: &BoxXyxy, b: &BoxXyxy, plus_one: bool) -> f64 {
    let one = if plus_one { 1.0 } else { 0.0 };
    let iw = (a[2].min(b[2]) - a[0].max(b[0]) + one).max(0.0);
    let ih = (a[3].min(b[3]) - a[1].max(b[1]) + one).max(0.0);
    let inter = iw * ih;
    let area = |r: &BoxXyxy| (r[2] - r[0] + one) * (r[3] - r[1] + one);
    let union = area(a) + area(b) - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Each detection takes its best-IoU box, matched or not; no fall-back.
    Voc,
    /// Each detection takes the best still-unmatched box above the threshold.
    Coco,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Tp,
    Fp,
    /// Matched a difficult box: neither TP nor FP.
    Ignored,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Tp => "tp",
            Outcome::Fp => "fp",
            Outcome::Ignored => "ignored",
        }
    }
}

/// One detection, judged in rank order.
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub image: usize,
    /// Index into the image's detections.
    pub det: usize,
    pub score: f64,
    /// IoU with the box it was matched against (or its best box; 0 with none).
    pub iou: f64,
    pub gt: Option<usize>,
    pub outcome: Outcome,
    pub cum_tp: usize,
    pub cum_fp: usize,
}

impl Judged {
    pub fn precision(&self) -> f64 {
        let judged = self.cum_tp + self.cum_fp;
        if judged == 0 {
            0.0
        } else {
            self.cum_tp as f64 / judged as f64
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassResult {
    pub class: String,
    /// Ground-truth boxes that are not difficult.
    pub positives: usize,
    pub judged: Vec<Judged>,
}

impl ClassResult {
    pub fn recall(&self, judged: &Judged) -> f64 {
        if self.positives == 0 {
            f64::NAN
        } else {
            judged.cum_tp as f64 / self.positives as f64
        }
    }

    /// (recall, precision) after each detection that counts (ignored ones left out).
    pub fn curve(&self) -> (Vec<f64>, Vec<f64>) {
        self.judged
            .iter()
            .filter(|j| j.outcome != Outcome::Ignored)
            .map(|j| (self.recall(j), j.precision()))
            .unzip()
    }
}

/// One class's boxes and detections, gathered once and judged at any
/// threshold and by either rule (AP@[.5:.95] judges ten times). Overlaps are
/// computed as each detection is judged, against the boxes of its own image
/// and class only: memory stays linear in the boxes, and one image with
/// thousands of boxes costs detections × boxes, not more.
#[derive(Clone, Debug)]
pub struct Prepared {
    class: String,
    positives: usize,
    /// The class's ground truths, grouped by image.
    boxes: Vec<ClassBox>,
    /// The class's detections, best score first (ties keep input order).
    ranked: Vec<Ranked>,
    plus_one: bool,
}

#[derive(Clone, Debug)]
struct ClassBox {
    /// Index among its image's ground truths (all classes).
    index: usize,
    bbox: BoxXyxy,
    difficult: bool,
}

#[derive(Clone, Debug)]
struct Ranked {
    image: usize,
    /// Index among its image's detections (all classes).
    det: usize,
    score: f64,
    bbox: BoxXyxy,
    /// Its image's boxes of the class, in `Prepared::boxes`.
    boxes: std::ops::Range<usize>,
}

/// Gathers one class of the data; see `prepare_all` for every class at once.
pub fn prepare(data: &DataSet, class: &str, plus_one: bool) -> Prepared {
    gather(data, plus_one, Some(class))
        .pop()
        .unwrap_or_else(|| Prepared::empty(class, plus_one))
}

/// Every class of the data gathered in one pass over the boxes, in sorted
/// class order: the work grows with the boxes, not boxes × classes.
pub fn prepare_all(data: &DataSet, plus_one: bool) -> Vec<Prepared> {
    gather(data, plus_one, None)
}

/// Classes numbered as first met: one hash per box, no string ordering.
struct ClassNumbers<'a> {
    only: Option<&'a str>,
    plus_one: bool,
    number: FxHashMap<&'a str, usize>,
    classes: Vec<Prepared>,
}

impl<'a> ClassNumbers<'a> {
    /// The number of class `name`, or None when only another class is wanted.
    fn of(&mut self, name: &'a str) -> Option<usize> {
        if self.only.is_some_and(|c| c != name) {
            return None;
        }
        if let Some(&c) = self.number.get(name) {
            return Some(c);
        }
        self.classes.push(Prepared::empty(name, self.plus_one));
        self.number.insert(name, self.classes.len() - 1);
        Some(self.classes.len() - 1)
    }
}

/// The classes of the data (or only `only`), gathered in one pass.
fn gather(data: &DataSet, plus_one: bool, only: Option<&str>) -> Vec<Prepared> {
    let mut numbers = ClassNumbers {
        only,
        plus_one,
        number: FxHashMap::default(),
        classes: Vec::new(),
    };
    // Per image: where its boxes of each class lie, by class number.
    let mut ranges: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut gts: Vec<(usize, usize)> = Vec::new();
    let mut dets: Vec<(usize, usize)> = Vec::new();
    for (i, image) in data.images.iter().enumerate() {
        gts.clear();
        dets.clear();
        gts.extend(
            image
                .gt
                .iter()
                .enumerate()
                .filter_map(|(g, gt)| numbers.of(&gt.class).map(|c| (c, g))),
        );
        dets.extend(
            image
                .det
                .iter()
                .enumerate()
                .filter_map(|(k, det)| numbers.of(&det.class).map(|c| (c, k))),
        );
        ranges.clear();
        let classes = &mut numbers.classes;
        for &(c, g) in &gts {
            let gt = &image.gt[g];
            let p = &mut classes[c];
            match ranges.iter_mut().find(|(class, _)| *class == c) {
                Some((_, range)) => range.end = p.boxes.len() + 1,
                None => ranges.push((c, p.boxes.len()..p.boxes.len() + 1)),
            }
            p.boxes.push(ClassBox {
                index: g,
                bbox: gt.bbox,
                difficult: gt.difficult,
            });
            if !gt.difficult {
                p.positives += 1;
            }
        }
        for &(c, k) in &dets {
            let det = &image.det[k];
            let boxes = ranges
                .iter()
                .find(|(class, _)| *class == c)
                .map_or(0..0, |(_, range)| range.clone());
            classes[c].ranked.push(Ranked {
                image: i,
                det: k,
                score: det.score,
                bbox: det.bbox,
                boxes,
            });
        }
    }
    let mut classes = numbers.classes;
    for p in &mut classes {
        // A stable sort: equal scores keep their input order.
        p.ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    }
    classes.sort_by(|a, b| a.class.cmp(&b.class));
    classes
}

impl Prepared {
    fn empty(class: &str, plus_one: bool) -> Prepared {
        Prepared {
            class: class.to_string(),
            positives: 0,
            boxes: Vec::new(),
            ranked: Vec::new(),
            plus_one,
        }
    }

    pub fn class(&self) -> &str {
        &self.class
    }

    /// Ground-truth boxes of the class that are not difficult.
    pub fn positives(&self) -> usize {
        self.positives
    }
}

/// Judges every detection of `class` in descending score (ties keep input order).
pub fn judge(
    data: &DataSet,
    class: &str,
    threshold: f64,
    rule: Rule,
    plus_one: bool,
) -> ClassResult {
    judge_prepared(&prepare(data, class, plus_one), threshold, rule)
}

pub fn judge_prepared(p: &Prepared, threshold: f64, rule: Rule) -> ClassResult {
    let mut results = judge_many(p, &[(threshold, rule)]);
    results.pop().unwrap_or_else(|| ClassResult {
        class: p.class.clone(),
        positives: p.positives,
        judged: Vec::new(),
    })
}

/// One overlap of a detection: (box position in `Prepared::boxes`, IoU).
type Overlap = (usize, f64);

/// The first overlap with the highest IoU among those `keep` accepts.
fn best(overlaps: &[Overlap], keep: impl Fn(&Overlap) -> bool) -> Option<Overlap> {
    overlaps
        .iter()
        .filter(|c| keep(c))
        .fold(None, |best: Option<Overlap>, c| match best {
            Some(b) if b.1 >= c.1 => Some(b),
            _ => Some(*c),
        })
}

/// Judges the class once per (threshold, rule), all in one sweep: each
/// detection's overlaps are computed once and shared by every judgement.
pub fn judge_many(p: &Prepared, configs: &[(f64, Rule)]) -> Vec<ClassResult> {
    // Only overlaps that can match under some threshold are kept per
    // detection; the best overall is tracked apart (VOC judges by it).
    let lowest = configs.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
    let mut claimed = vec![vec![false; p.boxes.len()]; configs.len()];
    let mut counts = vec![(0usize, 0usize); configs.len()];
    let mut judged: Vec<Vec<Judged>> = configs
        .iter()
        .map(|_| Vec::with_capacity(p.ranked.len()))
        .collect();
    let mut near: Vec<Overlap> = Vec::new();
    for d in &p.ranked {
        near.clear();
        let mut top: Option<Overlap> = None;
        for at in d.boxes.clone() {
            let o = iou(&d.bbox, &p.boxes[at].bbox, p.plus_one);
            if top.is_none_or(|t| o > t.1) {
                top = Some((at, o));
            }
            if o >= lowest {
                near.push((at, o));
            }
        }
        for (c, &(threshold, rule)) in configs.iter().enumerate() {
            let claimed = &mut claimed[c];
            let difficult = |at: usize| p.boxes[at].difficult;
            let (gt, overlap, outcome) = match rule {
                Rule::Voc => match top {
                    Some((at, o)) if o >= threshold => {
                        if difficult(at) {
                            (Some(at), o, Outcome::Ignored)
                        } else if !claimed[at] {
                            claimed[at] = true;
                            (Some(at), o, Outcome::Tp)
                        } else {
                            (Some(at), o, Outcome::Fp)
                        }
                    }
                    Some((_, o)) => (None, o, Outcome::Fp),
                    None => (None, 0.0, Outcome::Fp),
                },
                Rule::Coco => {
                    let regular = best(&near, |o| {
                        !difficult(o.0) && o.1 >= threshold && !claimed[o.0]
                    });
                    // A difficult (crowd) box only when no regular one is left; it may be hit again.
                    let crowd = best(&near, |o| difficult(o.0) && o.1 >= threshold);
                    match (regular, crowd) {
                        (Some((at, o)), _) => {
                            claimed[at] = true;
                            (Some(at), o, Outcome::Tp)
                        }
                        (None, Some((at, o))) => (Some(at), o, Outcome::Ignored),
                        (None, None) => (None, top.map_or(0.0, |t| t.1), Outcome::Fp),
                    }
                }
            };
            let (tp, fp) = &mut counts[c];
            match outcome {
                Outcome::Tp => *tp += 1,
                Outcome::Fp => *fp += 1,
                Outcome::Ignored => {}
            }
            judged[c].push(Judged {
                image: d.image,
                det: d.det,
                score: d.score,
                iou: overlap,
                gt: gt.map(|at| p.boxes[at].index),
                outcome,
                cum_tp: *tp,
                cum_fp: *fp,
            });
        }
    }
    judged
        .into_iter()
        .map(|judged| ClassResult {
            class: p.class.clone(),
            positives: p.positives,
            judged,
        })
        .collect()
}

/// The precision envelope: each value raised to the best precision at any
/// later (higher-recall) point, so it never increases to the right.
pub fn envelope(precision: &[f64]) -> Vec<f64> {
    let mut out = precision.to_vec();
    for i in (0..out.len().saturating_sub(1)).rev() {
        out[i] = out[i].max(out[i + 1]);
    }
    out
}

/// VOC2007: the mean, over recall levels 0, 0.1, …, 1, of the highest
/// precision at recall at least that level (0 where there is none).
pub fn ap_voc07(recall: &[f64], precision: &[f64]) -> f64 {
    (0..=10)
        .map(|i| {
            let t = f64::from(i) / 10.0;
            recall
                .iter()
                .zip(precision)
                .filter(|(r, _)| **r >= t)
                .map(|(_, p)| *p)
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        / 11.0
}

/// VOC2010 onward: the area under the envelope, padded with (0, 0) and (1, 0),
/// summed over the points where recall changes.
pub fn ap_voc10(recall: &[f64], precision: &[f64]) -> f64 {
    let mut r = vec![0.0];
    r.extend_from_slice(recall);
    r.push(1.0);
    let mut p = vec![0.0];
    p.extend_from_slice(precision);
    p.push(0.0);
    let p = envelope(&p);
    (0..r.len() - 1)
        .filter(|&i| r[i + 1] != r[i])
        .map(|i| (r[i + 1] - r[i]) * p[i + 1])
        .sum()
}

/// COCO: the envelope sampled at recall 0, 0.01, …, 1 (at the first point whose
/// recall reaches each level; 0 past the last), averaged.
pub fn ap_coco101(recall: &[f64], precision: &[f64]) -> f64 {
    let q = envelope(precision);
    (0..=100)
        .map(|i| {
            let t = f64::from(i) * 0.01;
            let at = recall.partition_point(|&r| r < t);
            q.get(at).copied().unwrap_or(0.0)
        })
        .sum::<f64>()
        / 101.0
}

/// IoU thresholds of COCO's AP@[.5:.95].
pub fn coco_thresholds() -> impl Iterator<Item = f64> {
    (0..10).map(|i| 0.5 + f64::from(i) * 0.05)
}

/// AP of every method for one class at `threshold` (VOC matching for the VOC
/// methods, COCO matching for COCO's).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassAp {
    pub voc07: f64,
    pub voc10: f64,
    pub coco101: f64,
    /// AP@[.5:.95] by COCO's 101 points.
    pub coco: f64,
}

/// Without positives there is no recall, so every AP is NaN (undefined):
/// such a class is left out of the mean.
pub fn class_ap(data: &DataSet, class: &str, threshold: f64, plus_one: bool) -> ClassAp {
    evaluate_class(&prepare(data, class, plus_one), threshold).aps
}

/// A class judged every way the lesson shows: by each rule at the chosen
/// threshold, and its AP by every method.
#[derive(Clone, Debug)]
pub struct ClassEvaluation {
    pub voc: ClassResult,
    pub coco: ClassResult,
    pub aps: ClassAp,
}

/// Judges the class by VOC and COCO at `threshold` and by COCO at each
/// threshold of AP@[.5:.95], in one sweep over its detections.
pub fn evaluate_class(p: &Prepared, threshold: f64) -> ClassEvaluation {
    let mut configs = vec![(threshold, Rule::Voc), (threshold, Rule::Coco)];
    configs.extend(coco_thresholds().map(|t| (t, Rule::Coco)));
    let mut results = judge_many(p, &configs).into_iter();
    let empty = || ClassResult {
        class: p.class.clone(),
        positives: p.positives,
        judged: Vec::new(),
    };
    let voc = results.next().unwrap_or_else(empty);
    let coco = results.next().unwrap_or_else(empty);
    let aps = if p.positives == 0 {
        ClassAp {
            voc07: f64::NAN,
            voc10: f64::NAN,
            coco101: f64::NAN,
            coco: f64::NAN,
        }
    } else {
        let coco101 = |result: &ClassResult| {
            let (r, p) = result.curve();
            ap_coco101(&r, &p)
        };
        let (r, p) = voc.curve();
        ClassAp {
            voc07: ap_voc07(&r, &p),
            voc10: ap_voc10(&r, &p),
            coco101: coco101(&coco),
            coco: results.map(|result| coco101(&result)).sum::<f64>() / 10.0,
        }
    };
    ClassEvaluation { voc, coco, aps }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iou_of_simple_boxes() {
        assert_eq!(
            iou(&[0.0, 0.0, 2.0, 2.0], &[1.0, 1.0, 3.0, 3.0], false),
            1.0 / 7.0
        );
        assert_eq!(
            iou(&[0.0, 0.0, 1.0, 1.0], &[2.0, 2.0, 3.0, 3.0], false),
            0.0
        );
        // +1: boxes 0..1 are 2 pixels wide.
        assert_eq!(
            iou(&[0.0, 0.0, 1.0, 1.0], &[1.0, 0.0, 2.0, 1.0], true),
            2.0 / 6.0
        );
    }

    #[test]
    fn envelope_never_rises_to_the_right() {
        assert_eq!(envelope(&[1.0, 0.5, 0.67, 0.5]), vec![1.0, 0.67, 0.67, 0.5]);
    }
}
