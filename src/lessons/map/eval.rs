//! Matching detections to ground truth, the precision/recall curve, and AP
//! by VOC2007's 11 points, VOC2010's all points and COCO's 101 points.

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

/// One class's detections ranked, each with its overlaps: computed once and
/// matched at any threshold and by either rule (AP@[.5:.95] matches ten times).
#[derive(Clone, Debug)]
pub struct Prepared {
    class: String,
    positives: usize,
    /// (image, detection index, score, range into `candidates`), best score first.
    ranked: Vec<(usize, usize, f64, std::ops::Range<usize>)>,
    /// (box index in its image, IoU, difficult) for every box of the class.
    candidates: Vec<(usize, f64, bool)>,
    /// Where each image's boxes start in a flat "claimed" array.
    offsets: Vec<usize>,
    boxes: usize,
}

pub fn prepare(data: &DataSet, class: &str, plus_one: bool) -> Prepared {
    let mut ranked = Vec::new();
    let mut candidates = Vec::new();
    let mut positives = 0;
    let mut offsets = Vec::with_capacity(data.images.len());
    let mut boxes = 0;
    for (i, image) in data.images.iter().enumerate() {
        offsets.push(boxes);
        boxes += image.gt.len();
        positives += image
            .gt
            .iter()
            .filter(|g| g.class == class && !g.difficult)
            .count();
        for (k, det) in image.det.iter().enumerate() {
            if det.class != class {
                continue;
            }
            let start = candidates.len();
            candidates.extend(
                image
                    .gt
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.class == class)
                    .map(|(g, gt)| (g, iou(&det.bbox, &gt.bbox, plus_one), gt.difficult)),
            );
            ranked.push((i, k, det.score, start..candidates.len()));
        }
    }
    // A stable sort: equal scores keep their input order.
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2));
    Prepared {
        class: class.to_string(),
        positives,
        ranked,
        candidates,
        offsets,
        boxes,
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

/// The candidate with the highest IoU among those `keep` accepts; the first on ties.
fn best(
    candidates: &[(usize, f64, bool)],
    keep: impl Fn(&(usize, f64, bool)) -> bool,
) -> Option<(usize, f64, bool)> {
    candidates
        .iter()
        .filter(|c| keep(c))
        .fold(None, |best: Option<(usize, f64, bool)>, c| match best {
            Some(b) if b.1 >= c.1 => Some(b),
            _ => Some(*c),
        })
}

pub fn judge_prepared(p: &Prepared, threshold: f64, rule: Rule) -> ClassResult {
    let mut claimed = vec![false; p.boxes];
    let (mut tp, mut fp) = (0, 0);
    let mut judged = Vec::with_capacity(p.ranked.len());
    for (image, det, score, range) in &p.ranked {
        let candidates = &p.candidates[range.clone()];
        let at = |g: usize| p.offsets[*image] + g;
        let (gt, overlap, outcome) = match rule {
            Rule::Voc => match best(candidates, |_| true) {
                Some((g, o, difficult)) if o >= threshold => {
                    if difficult {
                        (Some(g), o, Outcome::Ignored)
                    } else if !claimed[at(g)] {
                        claimed[at(g)] = true;
                        (Some(g), o, Outcome::Tp)
                    } else {
                        (Some(g), o, Outcome::Fp)
                    }
                }
                Some((_, o, _)) => (None, o, Outcome::Fp),
                None => (None, 0.0, Outcome::Fp),
            },
            Rule::Coco => {
                let regular = best(candidates, |c| {
                    !c.2 && c.1 >= threshold && !claimed[at(c.0)]
                });
                // A difficult (crowd) box only when no regular one is left; it may be hit again.
                let crowd = best(candidates, |c| c.2 && c.1 >= threshold);
                match (regular, crowd) {
                    (Some((g, o, _)), _) => {
                        claimed[at(g)] = true;
                        (Some(g), o, Outcome::Tp)
                    }
                    (None, Some((g, o, _))) => (Some(g), o, Outcome::Ignored),
                    (None, None) => {
                        let o = candidates.iter().map(|c| c.1).fold(0.0, f64::max);
                        (None, o, Outcome::Fp)
                    }
                }
            }
        };
        match outcome {
            Outcome::Tp => tp += 1,
            Outcome::Fp => fp += 1,
            Outcome::Ignored => {}
        }
        judged.push(Judged {
            image: *image,
            det: *det,
            score: *score,
            iou: overlap,
            gt,
            outcome,
            cum_tp: tp,
            cum_fp: fp,
        });
    }
    ClassResult {
        class: p.class.clone(),
        positives: p.positives,
        judged,
    }
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
    let prepared = prepare(data, class, plus_one);
    let voc = judge_prepared(&prepared, threshold, Rule::Voc);
    if voc.positives == 0 {
        return ClassAp {
            voc07: f64::NAN,
            voc10: f64::NAN,
            coco101: f64::NAN,
            coco: f64::NAN,
        };
    }
    let (r, p) = voc.curve();
    let coco_at = |t: f64| {
        let (r, p) = judge_prepared(&prepared, t, Rule::Coco).curve();
        ap_coco101(&r, &p)
    };
    ClassAp {
        voc07: ap_voc07(&r, &p),
        voc10: ap_voc10(&r, &p),
        coco101: coco_at(threshold),
        coco: coco_thresholds().map(coco_at).sum::<f64>() / 10.0,
    }
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
