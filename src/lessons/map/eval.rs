//! Matching detections to ground truth, the precision/recall curve, and AP
//! by VOC2007's 11 points, VOC2010's all points and COCO's 101 points.
//!
//! Two rule sets judge the VOC methods. `devkit` is `voc_eval.py` as
//! py-faster-rcnn and Detectron2 ship it, down to its floating point: IoU
//! with the +1 pixel convention, a match only when IoU > t, the 11 recall
//! levels of `np.arange(0., 1.1, 0.1)` (0.30000000000000004, …) and numpy's
//! summation. `textbook` is the definition: continuous coordinates, a match
//! at IoU ≥ t, levels exactly i/10. COCO's AP is always pycocotools'
//! (`COCOeval.evaluateImg` and `accumulate`): crowd boxes matched by
//! intersection over the detection's area, at most 100 detections per image,
//! the 101 recall levels of `np.linspace(0, 1, 101)`.

use rustc_hash::FxHashMap;

use super::data::{BoxXyxy, DataSet};

/// The rule set of the VOC methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// `voc_eval.py` exactly.
    Devkit,
    /// The definition: continuous boxes, IoU ≥ t, levels i/10.
    Textbook,
}

impl Rules {
    /// The other rule set, to compare with.
    pub fn other(self) -> Rules {
        match self {
            Rules::Devkit => Rules::Textbook,
            Rules::Textbook => Rules::Devkit,
        }
    }

    /// Whether widths and heights count as x2 − x1 + 1 (VOC's pixel grid).
    pub fn plus_one(self) -> bool {
        self == Rules::Devkit
    }

    /// Whether an overlap `iou` reaches `threshold`: `voc_eval.py` tests
    /// `ovmax > ovthresh`, strictly; the textbook says "at least".
    pub fn reaches(self, iou: f64, threshold: f64) -> bool {
        match self {
            Rules::Devkit => iou > threshold,
            Rules::Textbook => iou >= threshold,
        }
    }

    /// The 11 recall levels of VOC2007.
    pub fn levels(self) -> [f64; VOC07_LEVELS] {
        std::array::from_fn(|i| {
            let i = i as f64;
            match self {
                // numpy's arange fills start + i·step, step = 0.1: 3·0.1 is
                // 0.30000000000000004, just above the recall 3/10.
                Rules::Devkit => 0.0 + i * 0.1,
                Rules::Textbook => i / 10.0,
            }
        })
    }
}

/// Two APs closer than this differ only in the order their terms were
/// summed (the devkit adds p/11 level by level), not in what was summed.
pub const SAME_AP: f64 = 1e-12;

/// Whether two APs differ in what was summed, not just in rounding.
pub fn aps_differ(a: f64, b: f64) -> bool {
    (a - b).abs() > SAME_AP
}

/// Recall levels of VOC2007's AP.
pub const VOC07_LEVELS: usize = 11;
/// Recall levels of COCO's AP (`np.linspace(0, 1, 101)`).
pub const COCO_LEVELS: usize = 101;
/// Most detections per image (and class) COCO's AP looks at (`maxDets`).
pub const COCO_MAX_DETS: usize = 100;
/// pycocotools caps its threshold just below 1 (`min(t, 1 - 1e-10)`), so a
/// perfect overlap still matches at t = 1.
const COCO_IOU_CAP: f64 = 1.0 - 1e-10;

/// Intersection over union; `plus_one` is the old VOC pixel convention
/// (widths and heights counted as x2 − x1 + 1). Computed in `voc_eval.py`'s
/// order — detection's area, plus the box's, less the intersection — so the
/// devkit's doubles come out bit for bit.
pub fn iou(a: &BoxXyxy, b: &BoxXyxy, plus_one: bool) -> f64 {
    let one = if plus_one { 1.0 } else { 0.0 };
    let iw = (a[2].min(b[2]) - a[0].max(b[0]) + one).max(0.0);
    let ih = (a[3].min(b[3]) - a[1].max(b[1]) + one).max(0.0);
    let inter = iw * ih;
    let area = |r: &BoxXyxy| (r[2] - r[0] + one) * (r[3] - r[1] + one);
    let union = area(a) + area(b) - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

/// pycocotools' overlap of detection `d` with a box: IoU, or for a crowd box
/// the intersection over the detection's own area (`bbIou` with `iscrowd`).
pub fn coco_overlap(d: &BoxXyxy, g: &BoxXyxy, crowd: bool) -> f64 {
    let w = d[2].min(g[2]) - d[0].max(g[0]);
    let h = d[3].min(g[3]) - d[1].max(g[1]);
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let inter = w * h;
    let area = |r: &BoxXyxy| (r[2] - r[0]) * (r[3] - r[1]);
    let union = if crowd {
        area(d)
    } else {
        area(d) + area(g) - inter
    };
    if union <= 0.0 { 0.0 } else { inter / union }
}

/// numpy's `np.sum` of a float64 array: pairwise summation, eight running
/// sums in blocks of up to 128 (`pairwise_sum_DOUBLE`). The devkit's and
/// pycocotools' sums come out bit for bit only when summed this way.
pub fn numpy_sum(values: &[f64]) -> f64 {
    /// numpy's `PW_BLOCKSIZE`.
    const BLOCK: usize = 128;
    /// numpy's unrolling: eight partial sums.
    const UNROLL: usize = 8;
    let n = values.len();
    if n < UNROLL {
        values.iter().fold(0.0, |sum, v| sum + v)
    } else if n <= BLOCK {
        let mut r = [0.0; UNROLL];
        r.copy_from_slice(&values[..UNROLL]);
        let whole = n - n % UNROLL;
        for chunk in values[UNROLL..whole].chunks_exact(UNROLL) {
            for (sum, v) in r.iter_mut().zip(chunk) {
                *sum += v;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &values[whole..] {
            res += v;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % UNROLL;
        numpy_sum(&values[..half]) + numpy_sum(&values[half..])
    }
}

/// `np.linspace(start, stop, num)`: i·step + start, the last exactly `stop`.
pub fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    let div = num.saturating_sub(1).max(1) as f64;
    let step = (stop - start) / div;
    let mut out: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    if let Some(last) = out.last_mut()
        && num > 1
    {
        *last = stop;
    }
    out
}

/// How a detection is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// VOC: each detection takes its best-IoU box, matched or not; no fall-back.
    Voc(Rules),
    /// COCO (pycocotools): the best still-unmatched regular box at or above
    /// the threshold, else the best ignored (crowd) box.
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
/// threshold and by any rule (AP@[.5:.95] judges ten times). Overlaps are
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
}

#[derive(Clone, Debug)]
struct ClassBox {
    /// Index among its image's ground truths (all classes).
    index: usize,
    bbox: BoxXyxy,
    /// Not a positive: VOC's difficult, COCO's ignored (crowd or `ignore`).
    difficult: bool,
    /// COCO's `iscrowd`: matched by intersection over the detection's area,
    /// by any number of detections.
    crowd: bool,
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
    /// Its rank among its image's detections of the class (0 = best):
    /// COCO looks at the first `COCO_MAX_DETS` only.
    in_image: usize,
}

/// Gathers one class of the data; see `prepare_all` for every class at once.
pub fn prepare(data: &DataSet, class: &str) -> Prepared {
    gather(data, Some(class))
        .pop()
        .unwrap_or_else(|| Prepared::empty(class))
}

/// Every class of the data gathered in one pass over the boxes, in sorted
/// class order: the work grows with the boxes, not boxes × classes.
pub fn prepare_all(data: &DataSet) -> Vec<Prepared> {
    gather(data, None)
}

/// Classes numbered as first met: one hash per box, no string ordering.
struct ClassNumbers<'a> {
    only: Option<&'a str>,
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
        self.classes.push(Prepared::empty(name));
        self.number.insert(name, self.classes.len() - 1);
        Some(self.classes.len() - 1)
    }
}

/// The classes of the data (or only `only`), gathered in one pass.
fn gather(data: &DataSet, only: Option<&str>) -> Vec<Prepared> {
    let mut numbers = ClassNumbers {
        only,
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
                difficult: gt.difficult || gt.crowd,
                crowd: gt.crowd,
            });
            if !(gt.difficult || gt.crowd) {
                p.positives += 1;
            }
        }
        // The image's detections of each class, for their rank within it.
        let first_of_image: Vec<usize> = numbers.classes.iter().map(|p| p.ranked.len()).collect();
        for &(c, k) in &dets {
            let det = &image.det[k];
            let boxes = ranges
                .iter()
                .find(|(class, _)| *class == c)
                .map_or(0..0, |(_, range)| range.clone());
            numbers.classes[c].ranked.push(Ranked {
                image: i,
                det: k,
                score: det.score,
                bbox: det.bbox,
                boxes,
                in_image: 0,
            });
        }
        for (c, p) in numbers.classes.iter_mut().enumerate() {
            let from = first_of_image.get(c).copied().unwrap_or(0);
            let mine = &mut p.ranked[from..];
            // pycocotools sorts an image's detections by score with a stable
            // sort (mergesort) and keeps the first maxDets.
            let mut order: Vec<usize> = (0..mine.len()).collect();
            order.sort_by(|&a, &b| mine[b].score.total_cmp(&mine[a].score));
            for (rank, at) in order.into_iter().enumerate() {
                mine[at].in_image = rank;
            }
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
    fn empty(class: &str) -> Prepared {
        Prepared {
            class: class.to_string(),
            positives: 0,
            boxes: Vec::new(),
            ranked: Vec::new(),
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
pub fn judge(data: &DataSet, class: &str, threshold: f64, rule: Rule) -> ClassResult {
    judge_prepared(&prepare(data, class), threshold, rule)
}

pub fn judge_prepared(p: &Prepared, threshold: f64, rule: Rule) -> ClassResult {
    let mut results = judge_many(p, &[(threshold, rule)]);
    results.pop().unwrap_or_else(|| ClassResult {
        class: p.class.clone(),
        positives: p.positives,
        judged: Vec::new(),
    })
}

/// One detection's overlaps with the boxes of its image and class.
struct Overlaps {
    /// (box position in `Prepared::boxes`, IoU with +1, continuous IoU,
    /// pycocotools' overlap), in the boxes' input order.
    all: Vec<(usize, f64, f64, f64)>,
}

impl Overlaps {
    /// `voc_eval.py`'s `ovmax, jmax`: the highest IoU under the rules and
    /// its first box (`np.argmax` takes the first of equals).
    fn top(&self, rules: Rules) -> Option<(usize, f64)> {
        let pick = |o: &(usize, f64, f64, f64)| if rules.plus_one() { o.1 } else { o.2 };
        self.all.iter().fold(None, |best, o| match best {
            Some((_, b)) if b >= pick(o) => best,
            _ => Some((o.0, pick(o))),
        })
    }
}

/// Judges the class once per (threshold, rule), all in one sweep: each
/// detection's overlaps are computed once and shared by every judgement.
pub fn judge_many(p: &Prepared, configs: &[(f64, Rule)]) -> Vec<ClassResult> {
    let mut claimed = vec![vec![false; p.boxes.len()]; configs.len()];
    let mut counts = vec![(0usize, 0usize); configs.len()];
    let mut judged: Vec<Vec<Judged>> = configs
        .iter()
        .map(|_| Vec::with_capacity(p.ranked.len()))
        .collect();
    let mut overlaps = Overlaps { all: Vec::new() };
    for d in &p.ranked {
        overlaps.all.clear();
        for at in d.boxes.clone() {
            let g = &p.boxes[at];
            overlaps.all.push((
                at,
                iou(&d.bbox, &g.bbox, true),
                iou(&d.bbox, &g.bbox, false),
                coco_overlap(&d.bbox, &g.bbox, g.crowd),
            ));
        }
        for (c, &(threshold, rule)) in configs.iter().enumerate() {
            let claimed = &mut claimed[c];
            let (gt, overlap, outcome) = match rule {
                Rule::Voc(rules) => judge_voc(p, &overlaps, rules, threshold, claimed),
                Rule::Coco if d.in_image >= COCO_MAX_DETS => (None, 0.0, Outcome::Ignored),
                Rule::Coco => judge_coco(p, &overlaps, threshold, claimed),
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

/// `voc_eval.py`'s judgement of one detection: its best box decides.
fn judge_voc(
    p: &Prepared,
    overlaps: &Overlaps,
    rules: Rules,
    threshold: f64,
    claimed: &mut [bool],
) -> (Option<usize>, f64, Outcome) {
    match overlaps.top(rules) {
        Some((at, o)) if rules.reaches(o, threshold) => {
            if p.boxes[at].difficult {
                (Some(at), o, Outcome::Ignored)
            } else if !claimed[at] {
                claimed[at] = true;
                (Some(at), o, Outcome::Tp)
            } else {
                (Some(at), o, Outcome::Fp)
            }
        }
        Some((at, o)) => (Some(at), o, Outcome::Fp),
        None => (None, 0.0, Outcome::Fp),
    }
}

/// pycocotools' `evaluateImg` inner loop for one detection.
fn judge_coco(
    p: &Prepared,
    overlaps: &Overlaps,
    threshold: f64,
    claimed: &mut [bool],
) -> (Option<usize>, f64, Outcome) {
    let mut bar = threshold.min(COCO_IOU_CAP);
    let mut m: Option<(usize, f64)> = None;
    // pycocotools puts an image's ignored boxes after its regular ones (a
    // stable sort on the ignore flag).
    let regular = overlaps.all.iter().filter(|o| !p.boxes[o.0].difficult);
    let ignored = overlaps.all.iter().filter(|o| p.boxes[o.0].difficult);
    for &(at, _, _, o) in regular.chain(ignored) {
        let g = &p.boxes[at];
        // Already matched, and not a crowd: skip.
        if claimed[at] && !g.crowd {
            continue;
        }
        // Matched a regular box, and only ignored ones are left: stop.
        if m.is_some_and(|(best, _)| !p.boxes[best].difficult) && g.difficult {
            break;
        }
        // A later box of equal overlap takes over (the test is `<`).
        if o < bar {
            continue;
        }
        bar = o;
        m = Some((at, o));
    }
    match m {
        Some((at, o)) => {
            claimed[at] = true;
            let outcome = if p.boxes[at].difficult {
                Outcome::Ignored
            } else {
                Outcome::Tp
            };
            (Some(at), o, outcome)
        }
        None => {
            // No match: report the best plain IoU, for the table.
            let best = overlaps
                .all
                .iter()
                .map(|o| o.2)
                .fold(None, |b: Option<f64>, o| Some(b.map_or(o, |b| b.max(o))));
            (None, best.unwrap_or(0.0), Outcome::Fp)
        }
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

/// VOC2007's 11 samples: at each level, the highest precision at recall at
/// least that level (0 where there is none).
pub fn voc07_points(recall: &[f64], precision: &[f64], rules: Rules) -> [(f64, f64); VOC07_LEVELS] {
    rules.levels().map(|t| {
        let p = recall
            .iter()
            .zip(precision)
            .filter(|(r, _)| **r >= t)
            .map(|(_, p)| *p)
            .fold(0.0, f64::max);
        (t, p)
    })
}

/// VOC2007: the mean of the 11 samples. The devkit adds `p / 11` level by
/// level (`ap = ap + p / 11.`); the textbook divides the sum.
pub fn ap_voc07(recall: &[f64], precision: &[f64], rules: Rules) -> f64 {
    let points = voc07_points(recall, precision, rules);
    let count = VOC07_LEVELS as f64;
    match rules {
        Rules::Devkit => points.iter().fold(0.0, |ap, (_, p)| ap + p / count),
        Rules::Textbook => points.iter().map(|(_, p)| p).sum::<f64>() / count,
    }
}

/// VOC2010 onward: the area under the envelope, padded with (0, 0) and (1, 0),
/// summed over the points where recall changes (by numpy under the devkit).
pub fn ap_voc10(recall: &[f64], precision: &[f64], rules: Rules) -> f64 {
    let mut r = vec![0.0];
    r.extend_from_slice(recall);
    r.push(1.0);
    let mut p = vec![0.0];
    p.extend_from_slice(precision);
    p.push(0.0);
    let p = envelope(&p);
    let areas: Vec<f64> = (0..r.len() - 1)
        .filter(|&i| r[i + 1] != r[i])
        .map(|i| (r[i + 1] - r[i]) * p[i + 1])
        .collect();
    match rules {
        Rules::Devkit => numpy_sum(&areas),
        Rules::Textbook => areas.iter().sum(),
    }
}

/// COCO's 101 samples (`accumulate`): the envelope read at the first point
/// whose recall reaches each level (`np.searchsorted(..., side='left')`), 0
/// past the last.
pub fn coco101_points(recall: &[f64], precision: &[f64]) -> Vec<(f64, f64)> {
    let q = envelope(precision);
    linspace(0.0, 1.0, COCO_LEVELS)
        .into_iter()
        .map(|t| {
            let at = recall.partition_point(|&r| r < t);
            (t, q.get(at).copied().unwrap_or(0.0))
        })
        .collect()
}

/// COCO: the mean of the 101 samples, as numpy's `np.mean` sums them.
pub fn ap_coco101(recall: &[f64], precision: &[f64]) -> f64 {
    let q: Vec<f64> = coco101_points(recall, precision)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    numpy_sum(&q) / q.len() as f64
}

/// IoU thresholds of COCO's AP@[.5:.95]: `np.linspace(.5, .95, 10)`.
pub fn coco_thresholds() -> Vec<f64> {
    linspace(0.5, 0.95, 10)
}

/// AP of every method for one class at `threshold` (VOC matching under the
/// rule set for the VOC methods, COCO matching for COCO's).
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
pub fn class_ap(data: &DataSet, class: &str, threshold: f64, rules: Rules) -> ClassAp {
    evaluate_class(&prepare(data, class), threshold, rules).aps
}

/// A class judged every way the lesson shows: by each VOC rule set and by
/// COCO at the chosen threshold, and its AP by every method.
#[derive(Clone, Debug)]
pub struct ClassEvaluation {
    /// VOC matching under the chosen rule set.
    pub voc: ClassResult,
    /// VOC matching under the other rule set.
    pub voc_other: ClassResult,
    pub coco: ClassResult,
    pub aps: ClassAp,
    /// The VOC methods' AP under the other rule set (COCO's are the same).
    pub aps_other: ClassAp,
}

impl ClassResult {
    /// pycocotools' curve: precision is tp / (fp + tp + np.spacing(1)).
    pub fn coco_curve(&self) -> (Vec<f64>, Vec<f64>) {
        self.judged
            .iter()
            .filter(|j| j.outcome != Outcome::Ignored)
            .map(|j| {
                let (tp, fp) = (j.cum_tp as f64, j.cum_fp as f64);
                (self.recall(j), tp / (fp + tp + f64::EPSILON))
            })
            .unzip()
    }
}

/// Judges the class by both VOC rule sets and COCO at `threshold`, and by
/// COCO at each threshold of AP@[.5:.95], in one sweep over its detections.
pub fn evaluate_class(p: &Prepared, threshold: f64, rules: Rules) -> ClassEvaluation {
    let mut configs = vec![
        (threshold, Rule::Voc(rules)),
        (threshold, Rule::Voc(rules.other())),
        (threshold, Rule::Coco),
    ];
    configs.extend(coco_thresholds().into_iter().map(|t| (t, Rule::Coco)));
    let mut results = judge_many(p, &configs).into_iter();
    let empty = || ClassResult {
        class: p.class.clone(),
        positives: p.positives,
        judged: Vec::new(),
    };
    let voc = results.next().unwrap_or_else(empty);
    let voc_other = results.next().unwrap_or_else(empty);
    let coco = results.next().unwrap_or_else(empty);
    let undefined = ClassAp {
        voc07: f64::NAN,
        voc10: f64::NAN,
        coco101: f64::NAN,
        coco: f64::NAN,
    };
    if p.positives == 0 {
        return ClassEvaluation {
            voc,
            voc_other,
            coco,
            aps: undefined,
            aps_other: undefined,
        };
    }
    let q = |result: &ClassResult| {
        let (r, p) = result.coco_curve();
        coco101_points(&r, &p)
            .into_iter()
            .map(|(_, p)| p)
            .collect::<Vec<f64>>()
    };
    let at_t = q(&coco);
    let coco101 = numpy_sum(&at_t) / at_t.len() as f64;
    // pycocotools' per-class AP@[.5:.95]: one np.mean over all ten rows.
    let every: Vec<f64> = results.flat_map(|result| q(&result)).collect();
    let coco_all = numpy_sum(&every) / every.len().max(1) as f64;
    let voc_aps = |result: &ClassResult, rules: Rules| {
        let (r, p) = result.curve();
        ClassAp {
            voc07: ap_voc07(&r, &p, rules),
            voc10: ap_voc10(&r, &p, rules),
            coco101,
            coco: coco_all,
        }
    };
    ClassEvaluation {
        aps: voc_aps(&voc, rules),
        aps_other: voc_aps(&voc_other, rules.other()),
        voc,
        voc_other,
        coco,
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

    #[test]
    fn the_devkit_levels_are_numpys_arange() {
        let levels = Rules::Devkit.levels();
        // The doubles `np.arange(0., 1.1, 0.1)` prints.
        assert_eq!(levels[3].to_string(), "0.30000000000000004");
        assert_eq!(levels[6].to_string(), "0.6000000000000001");
        assert_eq!(levels[7].to_string(), "0.7000000000000001");
        assert_eq!(levels[10], 1.0);
        assert_eq!(Rules::Textbook.levels()[3].to_string(), "0.3");
    }

    #[test]
    fn numpys_sum_is_pairwise() {
        // Below eight values: left to right.
        assert_eq!(numpy_sum(&[0.1, 0.2, 0.3]), (0.1 + 0.2) + 0.3);
        // Eight and more: eight running sums, joined as a tree.
        let v: Vec<f64> = (1..=9).map(|i| f64::from(i) * 0.1).collect();
        let r = |i: usize| v[i];
        let tree = ((r(0) + r(1)) + (r(2) + r(3))) + ((r(4) + r(5)) + (r(6) + r(7))) + r(8);
        assert_eq!(numpy_sum(&v), tree);
    }
}
