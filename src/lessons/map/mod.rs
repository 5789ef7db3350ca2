//! The detection mAP lesson: detections judged one by one, the PR curve, and
//! AP by VOC2007, VOC2010 and COCO's rules side by side.

pub mod data;
pub mod eval;
pub mod questions;
mod view;

use crate::error::echo;
use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::timeline::Stages;
use crate::lesson::{Choice, Event, EventKind, Question};
use crate::lesson::{
    Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline, choices,
    validate,
};
use crate::theme::Look;
use data::DataSet;
use eval::{ClassAp, ClassEvaluation, ClassResult, Rules, evaluate_class, prepare_all};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "map",
    title: tr!("Detection mAP", "检测 mAP"),
    summary: "IoU matching, PR curve, VOC07 11-point vs VOC10 all-point vs COCO 101-point AP, devkit vs textbook rules",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/map.md"),
    events: EVENTS,
    tour: Some(include_str!("../../../assets/tours/map.toml")),
    questions: questions::KINDS,
};

/// The key moments: each detection's verdict, and where the rule sets part.
const EVENTS: &[EventKind] = &[
    EventKind {
        id: event::TP,
        ask: Some(questions::kind::VERDICT),
        label: tr!("true positive", "真正例"),
        why: tr!(
            "the detection's best box overlaps it enough and was still free: a hit",
            "检测的最佳框重叠足够且尚未被认领：命中"
        ),
    },
    EventKind {
        id: event::FP,
        ask: Some(questions::kind::VERDICT),
        label: tr!("false positive", "假正例"),
        why: tr!(
            "too little overlap, or its box was already claimed: a false alarm or a duplicate",
            "重叠不够，或它的框已被认领：误报或重复检测"
        ),
    },
    EventKind {
        id: event::IGNORED,
        ask: Some(questions::kind::VERDICT),
        label: tr!("ignored", "忽略"),
        why: tr!(
            "it matched a difficult (or crowd) box: neither right nor wrong",
            "它匹配到困难（或人群）框：不算对也不算错"
        ),
    },
    EventKind {
        id: event::RULES_DISAGREE,
        ask: None,
        label: tr!("rules disagree", "规则分歧"),
        why: tr!(
            "devkit and textbook judge this differently: +1 pixel IoU, IoU > t against ≥ t, \
             or the 11 levels of np.arange (0.30000000000000004 is above 3/10)",
            "devkit 与 textbook 的判定不同：+1 像素的 IoU、IoU > t 与 ≥ t，\
             或 np.arange 的 11 个召回点（0.30000000000000004 大于 3/10）"
        ),
    },
];

/// The event ids, written once for the kinds and the steps that raise them.
mod event {
    pub const TP: &str = "tp";
    pub const FP: &str = "fp";
    pub const IGNORED: &str = "ignored";
    pub const RULES_DISAGREE: &str = "rules-disagree";
}

const MAX_PATH: usize = 4_096;
const MAX_CLASS_NAME: usize = 100;
const MIN_IOU: f64 = 0.05;
const MAX_IOU: f64 = 0.95;

/// The AP method whose curve is drawn, and with it the matching rule stepped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Voc07,
    Voc10,
    Coco101,
}
choices!(Method { Method::Voc07 => "voc07", Method::Voc10 => "voc10", Method::Coco101 => "coco101" });
choices!(Rules { Rules::Devkit => "devkit", Rules::Textbook => "textbook" });

mod key {
    pub const CLASS: &str = "class";
    pub const IOU: &str = "iou";
    pub const METHOD: &str = "method";
    pub const RULES: &str = "rules";
    pub const DATA: &str = "data";
}

/// `class` when every class of the data is stepped through.
const ALL_CLASSES: &str = "all";

fn specs() -> Vec<ParamSpec> {
    vec![
        ParamSpec::text(key::CLASS, MAX_CLASS_NAME, ALL_CLASSES).help(tr!(
            "all, or one class name of the data",
            "all，或数据中的某一个类别名"
        )),
        ParamSpec::float(key::IOU, MIN_IOU..=MAX_IOU, 0.5).help(tr!(
            "IoU a detection needs to match a box",
            "检测框与真值框匹配所需的 IoU"
        )),
        ParamSpec::choice(key::METHOD, Method::Voc07).help(tr!(
            "curve drawn and matching stepped: voc07, voc10 (VOC matching) or coco101 (COCO)",
            "画哪条曲线、按哪种匹配逐步判定：voc07、voc10（VOC 匹配）或 coco101（COCO）"
        )),
        ParamSpec::choice(key::RULES, Rules::Devkit).help(tr!(
            "VOC rules: devkit (voc_eval.py: +1 pixel, IoU > t, np.arange levels) or textbook",
            "VOC 规则：devkit（voc_eval.py：+1 像素、IoU > t、np.arange 召回点）或 textbook"
        )),
        ParamSpec::text(key::DATA, MAX_PATH, "").help(tr!(
            "empty: the shipped set; FILE.toml; or GT.json,DET.json (COCO)",
            "留空：自带数据集；FILE.toml；或 GT.json,DET.json（COCO）"
        )),
    ]
}

/// The data set read, the classes to step through, and how to judge them.
struct Setup {
    data: DataSet,
    /// Classes stepped through (one, or all).
    stepped: Vec<String>,
    threshold: f64,
    rules: Rules,
    method: Method,
}

impl FromParams for Setup {
    fn from_params(params: &ParamSet) -> Result<Setup, ParamError> {
        let data = data::load(params.text(key::DATA)?).map_err(|m| {
            ParamError::new(params.path(key::DATA), said!("{m}", "数据读不了：{m}"))
        })?;
        let classes = data.classes();
        let chosen = params.text(key::CLASS)?.trim();
        let stepped: Vec<String> = if chosen.is_empty() || chosen == ALL_CLASSES {
            classes
        } else if classes.iter().any(|c| c == chosen) {
            vec![chosen.to_string()]
        } else {
            return Err(ParamError::new(params.path(key::CLASS), {
                let (c, known) = (echo(chosen), echo(&classes.join(", ")));
                said!(
                    "'{c}' is not a class of the data; use all or one of {known}",
                    "数据中没有类别“{c}”；请用 all 或 {known} 之一"
                )
            }));
        };
        Ok(Setup {
            data,
            stepped,
            threshold: params.float(key::IOU)?,
            rules: params.choice(key::RULES)?,
            method: params.choice(key::METHOD)?,
        })
    }
}

/// What the lesson steps through, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The detections of class `class` are ranked by score.
    Rank { class: usize },
    /// Detection `k` (in rank order) of class `class` is judged.
    Judge { class: usize, k: usize },
    /// The precision envelope of the class is drawn.
    Envelope { class: usize },
    /// The AP of the class is read off: points or area.
    Area { class: usize },
}

impl Stage {
    pub fn class(self) -> usize {
        match self {
            Stage::Rank { class }
            | Stage::Judge { class, .. }
            | Stage::Envelope { class }
            | Stage::Area { class } => class,
        }
    }
}

/// One class of the data: its name, positives, AP by each method under the
/// chosen rules, and the VOC methods' AP under the other rules.
#[derive(Clone, Debug)]
pub struct ClassRow {
    pub class: String,
    pub positives: usize,
    pub aps: ClassAp,
    pub aps_other: ClassAp,
}

struct Evaluation {
    data: DataSet,
    /// Classes stepped through (one, or all): every way of judging them.
    stepped: Vec<ClassEvaluation>,
    /// Every class of the data.
    rows: Vec<ClassRow>,
    stages: Vec<Stage>,
    rules: Rules,
    method: Method,
    threshold: f64,
}

fn evaluate(setup: Setup) -> Evaluation {
    let Setup {
        data,
        stepped,
        threshold,
        rules,
        method,
    } = setup;
    let evaluated: Vec<ClassEvaluation> = prepare_all(&data)
        .iter()
        .map(|p| evaluate_class(p, threshold, rules))
        .collect();
    let rows = evaluated
        .iter()
        .map(|e| ClassRow {
            class: e.voc.class.clone(),
            positives: e.voc.positives,
            aps: e.aps,
            aps_other: e.aps_other,
        })
        .collect();
    let stepped: Vec<ClassEvaluation> = stepped
        .iter()
        .filter_map(|class| evaluated.iter().find(|e| e.voc.class == *class).cloned())
        .collect();
    let mut stages = Vec::new();
    for (class, e) in stepped.iter().enumerate() {
        stages.push(Stage::Rank { class });
        stages.extend((0..e.voc.judged.len()).map(|k| Stage::Judge { class, k }));
        stages.push(Stage::Envelope { class });
        stages.push(Stage::Area { class });
    }
    Evaluation {
        data,
        stepped,
        rows,
        stages,
        rules,
        method,
        threshold,
    }
}

fn build(params: &ParamSet, _seed: u64) -> Result<Box<dyn Lesson>, ParamError> {
    // Evaluation is deterministic: the seed changes nothing.
    let eval = evaluate(Setup::from_params(params)?);
    Ok(Box::new(MapLesson {
        stages: Stages::new(eval.stages.len()),
        eval,
    }))
}

/// Reads one method's AP out of a class's row.
type PickAp = fn(&ClassRow) -> f64;

pub struct MapLesson {
    eval: Evaluation,
    /// Stages shown so far.
    stages: Stages,
}

impl MapLesson {
    pub fn stage(&self) -> Option<Stage> {
        self.stage_at(self.stages.at())
    }
    /// The stage shown after `step` steps (None before the first).
    pub fn stage_at(&self, step: usize) -> Option<Stage> {
        step.checked_sub(1)
            .and_then(|i| self.eval.stages.get(i))
            .copied()
    }
    pub fn steps_taken(&self) -> usize {
        self.stages.at()
    }
    pub fn data(&self) -> &DataSet {
        &self.eval.data
    }
    /// The stepped classes, judged every way.
    pub fn stepped(&self) -> &[ClassEvaluation] {
        &self.eval.stepped
    }
    /// The judgement stepped through for class `class`: VOC matching under
    /// the rules for the VOC methods, COCO's for coco101.
    pub fn result(&self, class: usize) -> Option<&ClassResult> {
        let e = self.eval.stepped.get(class)?;
        Some(match self.eval.method {
            Method::Coco101 => &e.coco,
            Method::Voc07 | Method::Voc10 => &e.voc,
        })
    }
    /// The judgement it is compared with: the other rule set (VOC methods),
    /// or VOC under the rules (coco101).
    pub fn compared(&self, class: usize) -> Option<&ClassResult> {
        let e = self.eval.stepped.get(class)?;
        Some(match self.eval.method {
            Method::Coco101 => &e.voc,
            Method::Voc07 | Method::Voc10 => &e.voc_other,
        })
    }
    pub fn rows(&self) -> &[ClassRow] {
        &self.eval.rows
    }
    pub fn rules(&self) -> Rules {
        self.eval.rules
    }
    pub fn method(&self) -> Method {
        self.eval.method
    }
    pub fn threshold(&self) -> f64 {
        self.eval.threshold
    }

    /// mAP of one method: the mean over classes with positives.
    pub fn map_of(&self, pick: impl Fn(&ClassRow) -> f64) -> f64 {
        let counted: Vec<f64> = self
            .eval
            .rows
            .iter()
            .filter(|row| row.positives > 0)
            .map(pick)
            .collect();
        if counted.is_empty() {
            0.0
        } else {
            counted.iter().sum::<f64>() / counted.len() as f64
        }
    }

    /// The VOC07 AP of the class under (chosen rules, other rules).
    pub fn voc07_both(&self, class: usize) -> Option<(f64, f64)> {
        let name = &self.eval.stepped.get(class)?.voc.class;
        let row = self.eval.rows.iter().find(|r| r.class == *name)?;
        Some((row.aps.voc07, row.aps_other.voc07))
    }
}

const CODE: &[&str] = &[
    "for each class: rank its detections by score (ties: input order)",
    "  for each detection d: best box g of d's image and class",
    "    if IoU(d, g) > t (devkit; textbook ≥ t): difficult → ignore; unmatched → TP; else FP",
    "    else: FP        (COCO: best still-unmatched box ≥ t; crowd: area of d)",
    "    precision = TP/(TP+FP); recall = TP/positives",
    "  envelope: precision[i] = max(precision[i..])",
    "  AP: 11 points (VOC07), area (VOC10) or 101 points (COCO)",
    "mAP = mean AP over classes with positives",
];

/// Digits of an IoU in an event's detail: enough to tell 0.5 from just above it.
const DETAIL_DIGITS: usize = 4;

impl Lesson for MapLesson {
    fn timeline(&self) -> &dyn Timeline {
        &self.stages
    }
    fn timeline_mut(&mut self) -> &mut dyn Timeline {
        &mut self.stages
    }
    fn total_steps(&self) -> Option<u64> {
        Some(self.stages.total() as u64)
    }
    fn is_finished(&self) -> bool {
        self.stages.is_finished()
    }
    /// Rebuilding reads and judges the whole data set again: rewinding is free.
    fn restart(&mut self) -> bool {
        self.stages = Stages::new(self.stages.total());
        true
    }
    /// The same listing in both languages: it has no `#` comments, and its
    /// words are the code itself, which the test holds identical.
    fn pseudocode(&self, _lang: Lang) -> &'static [&'static str] {
        CODE
    }
    fn current_line(&self) -> usize {
        match self.stage() {
            None | Some(Stage::Rank { .. }) => 0,
            Some(Stage::Judge { class, k }) => match self.result(class).map(|r| &r.judged[k]) {
                Some(j) if j.outcome == eval::Outcome::Fp && j.gt.is_none() => 3,
                _ => 2,
            },
            Some(Stage::Envelope { .. }) => 5,
            Some(Stage::Area { .. }) if self.is_finished() => 7,
            Some(Stage::Area { .. }) => 6,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, 0, area, buf, look);
    }
    fn pages(&self, area: Rect) -> usize {
        view::pages(area)
    }
    fn render_page(&self, page: usize, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, page, area, buf, look);
    }
    fn events(&self, out: &mut Vec<Event>) {
        match self.stage() {
            Some(Stage::Judge { class, k }) => {
                let (Some(result), Some(other)) = (self.result(class), self.compared(class)) else {
                    return;
                };
                let j = &result.judged[k];
                let image = &self.eval.data.images[j.image].name;
                let (name, score, iou) = (&result.class, j.score, j.iou);
                let id = match j.outcome {
                    eval::Outcome::Tp => event::TP,
                    eval::Outcome::Fp => event::FP,
                    eval::Outcome::Ignored => event::IGNORED,
                };
                let at = format!("class={name},image={image}");
                out.push(Event::new(
                    id,
                    format!("{at},score={score},iou={iou:.DETAIL_DIGITS$}"),
                ));
                let o = &other.judged[k];
                if self.eval.method != Method::Coco101 && o.outcome != j.outcome {
                    let (mine, theirs) = (self.eval.rules.name(), self.eval.rules.other().name());
                    let (a, b) = (j.outcome.name(), o.outcome.name());
                    out.push(Event::new(
                        event::RULES_DISAGREE,
                        format!(
                            "{at},{mine}={a},{theirs}={b},iou={iou:.DETAIL_DIGITS$}/{:.DETAIL_DIGITS$}",
                            o.iou
                        ),
                    ));
                }
            }
            Some(Stage::Area { class }) if self.eval.method == Method::Voc07 => {
                let Some((mine, theirs)) = self.voc07_both(class) else {
                    return;
                };
                if eval::aps_differ(mine, theirs) {
                    let name = &self.eval.stepped[class].voc.class;
                    let (a, b) = (self.eval.rules.name(), self.eval.rules.other().name());
                    out.push(Event::new(
                        event::RULES_DISAGREE,
                        format!("class={name},voc07,{a}={mine:.4},{b}={theirs:.4}"),
                    ));
                }
            }
            _ => {}
        }
    }
    fn question(&self, pick: u64) -> Option<Question> {
        questions::ask(self, pick)
    }
    fn trace_columns(&self) -> &'static [&'static str] {
        &[
            "step",
            "class",
            "image",
            "score",
            "iou",
            "outcome",
            "cum_tp",
            "cum_fp",
            "precision",
            "recall",
        ]
    }
    fn trace_step(&self, rows: &mut Vec<Vec<Field>>) {
        let Some(Stage::Judge { class, k }) = self.stage() else {
            return;
        };
        let Some(result) = self.result(class) else {
            return;
        };
        let j = &result.judged[k];
        rows.push(vec![
            self.stages.steps().into(),
            Field::Text(result.class.clone()),
            Field::Text(self.eval.data.images[j.image].name.clone()),
            j.score.into(),
            j.iou.into(),
            j.outcome.name().into(),
            j.cum_tp.into(),
            j.cum_fp.into(),
            j.precision().into(),
            result.recall(j).into(),
        ]);
    }
    fn summary(&self) -> toml::Table {
        let mut table = toml::Table::new();
        table.insert("rules".into(), self.eval.rules.name().into());
        let methods: [(&str, PickAp); 6] = [
            ("voc07", |r| r.aps.voc07),
            ("voc10", |r| r.aps.voc10),
            ("coco101", |r| r.aps.coco101),
            ("coco", |r| r.aps.coco),
            ("voc07_other", |r| r.aps_other.voc07),
            ("voc10_other", |r| r.aps_other.voc10),
        ];
        for (name, pick) in methods {
            table.insert(format!("map_{name}"), self.map_of(pick).into());
            let mut per_class = toml::Table::new();
            for row in &self.eval.rows {
                if row.positives > 0 {
                    per_class.insert(row.class.clone(), pick(row).into());
                }
            }
            table.insert(format!("ap_{name}"), toml::Value::Table(per_class));
        }
        let mut positives = toml::Table::new();
        for row in &self.eval.rows {
            positives.insert(
                row.class.clone(),
                toml::Value::Integer(i64::try_from(row.positives).unwrap_or(i64::MAX)),
            );
        }
        table.insert("positives".into(), toml::Value::Table(positives));
        table
    }
}
