//! The mAP lesson's questions: the IoU of the next detection with its best
//! box, its verdict, and the class's AP once every detection is judged. The
//! answers are read off the lesson's own evaluation, the one the next steps
//! reveal; the context holds what it takes to work them out by hand.

use crate::i18n::Said;
use crate::lesson::{Answer, Choice, Question, QuestionKind};
use crate::{said, tr};

use super::eval::{Outcome, Rules, coco_overlap, iou};
use super::{MapLesson, Method, Stage};

/// The question ids, written once for the kinds and the questions.
pub mod kind {
    pub const IOU: &str = "iou";
    pub const VERDICT: &str = "verdict";
    pub const AP: &str = "ap";
}

pub const KINDS: &[QuestionKind] = &[
    QuestionKind {
        id: kind::IOU,
        label: tr!("the IoU of the next detection", "下一个检测的 IoU"),
    },
    QuestionKind {
        id: kind::VERDICT,
        label: tr!("TP, FP or ignored", "TP、FP 还是忽略"),
    },
    QuestionKind {
        id: kind::AP,
        label: tr!("the class's AP", "这个类别的 AP"),
    },
];

/// An IoU typed to three decimals counts as right.
const IOU_TOLERANCE: f64 = 0.001;
/// An AP typed to three decimals counts as right.
const AP_TOLERANCE: f64 = 0.001;

/// One question, `pick` choosing its kind among those that apply to the
/// next step.
pub fn ask(lesson: &MapLesson, pick: u64) -> Option<Question> {
    let askers: [fn(&MapLesson) -> Option<Question>; 3] = [iou_question, verdict, ap];
    let count = askers.len() as u64;
    (0..count).find_map(|offset| {
        let at = (pick % count + offset) % count;
        askers.get(usize::try_from(at).ok()?)?(lesson)
    })
}

/// The stage the next step shows.
fn next(lesson: &MapLesson) -> Option<Stage> {
    lesson.stage_at(lesson.steps_taken() + 1)
}

fn boxed(b: [f64; 4]) -> toml::Value {
    toml::Value::Array(b.iter().map(|&v| v.into()).collect())
}

/// `iou`: the overlap of the next detection with its best box, by the rules.
fn iou_question(lesson: &MapLesson) -> Option<Question> {
    let Some(Stage::Judge { class, k }) = next(lesson) else {
        return None;
    };
    let e = lesson.stepped().get(class)?;
    let j = e.voc.judged.get(k)?;
    let g = j.gt?;
    let image = lesson.data().images.get(j.image)?;
    let (a, b) = (image.det.get(j.det)?.bbox, image.gt.get(g)?.bbox);
    let rules = lesson.rules();
    let name = &image.name;
    let prompt = said!(
        "The next detection in {name} has box a; its best box is b. What is their IoU?",
        "{name} 中的下一个检测框是 a，与它重叠最多的真值框是 b。它们的 IoU 是多少？"
    );
    let o = j.iou;
    let why = match rules {
        Rules::Devkit => said!(
            "the devkit counts pixels: widths and heights are x2 − x1 + 1, so the IoU is {o:.4}",
            "devkit 按像素计数：宽和高是 x2 − x1 + 1，所以 IoU 是 {o:.4}"
        ),
        Rules::Textbook => said!(
            "shared area over covered area, on continuous coordinates: {o:.4}",
            "连续坐标下，共同面积除以覆盖面积：{o:.4}"
        ),
    };
    let mut context = toml::Table::new();
    context.insert("a".into(), boxed(a));
    context.insert("b".into(), boxed(b));
    context.insert("rules".into(), rules.name().into());
    Some(Question {
        kind: kind::IOU,
        prompt,
        answer: Answer::Number {
            value: j.iou,
            tolerance: IOU_TOLERANCE,
        },
        why,
        context,
        steps: 1,
    })
}

/// `verdict`: TP, FP or ignored for the next detection.
fn verdict(lesson: &MapLesson) -> Option<Question> {
    let Some(Stage::Judge { class, k }) = next(lesson) else {
        return None;
    };
    let result = lesson.result(class)?;
    let j = result.judged.get(k)?;
    let image = lesson.data().images.get(j.image)?;
    let det = image.det.get(j.det)?;
    let rules = lesson.rules();
    let coco = lesson.method() == Method::Coco101;
    // The image's boxes of the class, with their overlap by the rule stepped.
    let boxes: Vec<usize> = (0..image.gt.len())
        .filter(|&g| image.gt[g].class == result.class)
        .collect();
    let overlap = |g: usize| {
        let gt = &image.gt[g];
        if coco {
            coco_overlap(&det.bbox, &gt.bbox, gt.crowd)
        } else {
            iou(&det.bbox, &gt.bbox, rules.plus_one())
        }
    };
    // Boxes claimed by earlier detections of the same image.
    let matched = |g: usize| {
        result.judged[..k]
            .iter()
            .any(|o| o.image == j.image && o.gt == Some(g) && o.outcome != Outcome::Fp)
    };
    let name = &image.name;
    let score = det.score;
    let prompt = said!(
        "The next detection ({name}, score {score}): TP, FP or ignored?",
        "下一个检测（{name}，分数 {score}）：TP、FP 还是忽略？"
    );
    let options: Vec<Said> = vec![
        tr!("tp", "真正例").into(),
        tr!("fp", "假正例").into(),
        tr!("ignored", "忽略").into(),
    ];
    let correct = match j.outcome {
        Outcome::Tp => 0,
        Outcome::Fp => 1,
        Outcome::Ignored => 2,
    };
    let t = lesson.threshold();
    let o = j.iou;
    // How the rule stepped compares: the devkit strictly, COCO and the
    // textbook at least.
    let sign = if !coco && rules == Rules::Devkit {
        ">"
    } else {
        "≥"
    };
    let why = match (j.outcome, j.gt) {
        (Outcome::Ignored, None) => said!(
            "beyond COCO's 100 detections per image: not looked at",
            "超出 COCO 每张图 100 个检测的上限：不参与评价"
        ),
        (Outcome::Ignored, Some(_)) => said!(
            "its match (overlap {o:.4}) is a difficult or crowd box: neither right nor wrong",
            "它匹配的框（重叠 {o:.4}）是困难框或人群框：不算对也不算错"
        ),
        (Outcome::Tp, _) => said!(
            "overlap {o:.4} {sign} {t} and the box was still free: a hit",
            "重叠 {o:.4} {sign} {t}，且该框尚未被认领：命中"
        ),
        (Outcome::Fp, Some(_)) if rules.reaches(o, t) || (coco && o >= t) => said!(
            "its best box (overlap {o:.4}) was already claimed: a duplicate",
            "它的最佳框（重叠 {o:.4}）已被认领：重复检测"
        ),
        (Outcome::Fp, _) => match rules {
            Rules::Devkit if !coco && o == t => said!(
                "overlap exactly {t}: the devkit needs IoU > {t}, strictly",
                "重叠恰好是 {t}：devkit 要求 IoU > {t}，严格大于"
            ),
            _ => said!(
                "its best overlap {o:.4} does not reach {t}",
                "它的最大重叠 {o:.4} 达不到 {t}"
            ),
        },
    };
    let mut context = toml::Table::new();
    context.insert("detection".into(), boxed(det.bbox));
    context.insert(
        "boxes".into(),
        toml::Value::Array(boxes.iter().map(|&g| boxed(image.gt[g].bbox)).collect()),
    );
    let flags = |f: &dyn Fn(usize) -> bool| {
        toml::Value::Array(boxes.iter().map(|&g| f(g).into()).collect())
    };
    context.insert("difficult".into(), flags(&|g| image.gt[g].difficult));
    context.insert("crowd".into(), flags(&|g| image.gt[g].crowd));
    context.insert("matched".into(), flags(&matched));
    context.insert(
        "iou".into(),
        toml::Value::Array(boxes.iter().map(|&g| overlap(g).into()).collect()),
    );
    context.insert("threshold".into(), t.into());
    context.insert("method".into(), lesson.method().name().into());
    context.insert("rules".into(), rules.name().into());
    Some(Question {
        kind: kind::VERDICT,
        prompt,
        answer: Answer::Choice { options, correct },
        why,
        context,
        steps: 1,
    })
}

/// `ap`: the class's AP by the method drawn, once every detection is judged.
fn ap(lesson: &MapLesson) -> Option<Question> {
    let class = match next(lesson)? {
        Stage::Envelope { class } | Stage::Area { class } => class,
        Stage::Rank { .. } | Stage::Judge { .. } => return None,
    };
    let result = lesson.result(class)?;
    if result.positives == 0 {
        return None;
    }
    let row = lesson.rows().iter().find(|r| r.class == result.class)?;
    let method = lesson.method();
    let value = match method {
        Method::Voc07 => row.aps.voc07,
        Method::Voc10 => row.aps.voc10,
        Method::Coco101 => row.aps.coco101,
    };
    let steps = match next(lesson)? {
        Stage::Envelope { .. } => 2,
        _ => 1,
    };
    let (name, m, n_gt) = (&result.class, method.name(), result.positives);
    let prompt = said!(
        "Every {name} detection is judged. What is its {m} AP?",
        "{name} 的检测都已判定。它的 {m} AP 是多少？"
    );
    let why = match method {
        Method::Voc07 => said!(
            "the best precision at recall ≥ each of 11 levels, averaged: {value:.4}",
            "在 11 个召回点上各取召回率不低于它的最高精确率，求平均：{value:.4}"
        ),
        Method::Voc10 => said!(
            "the area under the envelope, rectangle by rectangle: {value:.4}",
            "包络线下的面积，一个矩形一个矩形地加：{value:.4}"
        ),
        Method::Coco101 => said!(
            "the envelope read at recall 0, 0.01, …, 1, averaged: {value:.4}",
            "在召回率 0, 0.01, …, 1 处读包络线并求平均：{value:.4}"
        ),
    };
    let mut context = toml::Table::new();
    context.insert(
        "flags".into(),
        toml::Value::Array(
            result
                .judged
                .iter()
                .map(|j| j.outcome.name().into())
                .collect(),
        ),
    );
    context.insert(
        "n_gt".into(),
        toml::Value::Integer(i64::try_from(n_gt).unwrap_or(i64::MAX)),
    );
    context.insert("method".into(), m.into());
    context.insert("rules".into(), lesson.rules().name().into());
    Some(Question {
        kind: kind::AP,
        prompt,
        answer: Answer::Number {
            value,
            tolerance: AP_TOLERANCE,
        },
        why,
        context,
        steps,
    })
}
