//! The detection mAP lesson: detections judged one by one, the PR curve, and
//! AP by VOC2007, VOC2010 and COCO's rules side by side.

pub mod data;
pub mod eval;
mod view;

use crate::error::echo;
use crate::{said, tr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::i18n::Lang;
use crate::lesson::timeline::Stages;
use crate::lesson::{
    Field, FromParams, Lesson, LessonEntry, ParamError, ParamSet, ParamSpec, Timeline, choices,
    validate,
};
use crate::theme::Look;
use data::DataSet;
use eval::{ClassAp, ClassResult, Rule, evaluate_class, prepare_all};

pub const ENTRY: LessonEntry = LessonEntry {
    id: "map",
    title: tr!("Detection mAP", "检测 mAP"),
    summary: "IoU matching, PR curve, VOC07 11-point vs VOC10 all-point vs COCO 101-point AP",
    specs,
    validate: validate::<Setup>,
    build,
    explanation: include_str!("../../../assets/lessons/map.md"),
    events: &[],
    tour: None,
    questions: &[],
};

const MAX_PATH: usize = 4_096;
const MAX_CLASS_NAME: usize = 100;
const MIN_IOU: f64 = 0.05;
const MAX_IOU: f64 = 0.95;

/// The AP method whose curve is drawn, and with it the matching rule stepped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Voc10,
    Voc07,
    Coco101,
}
choices!(Method { Method::Voc10 => "voc10", Method::Voc07 => "voc07", Method::Coco101 => "coco101" });

mod key {
    pub const CLASS: &str = "class";
    pub const IOU: &str = "iou";
    pub const METHOD: &str = "method";
    pub const DATA: &str = "data";
    pub const PIXEL_PLUS_ONE: &str = "pixel_plus_one";
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
        ParamSpec::choice(key::METHOD, Method::Voc10).help(tr!(
            "curve drawn and matching rule stepped: voc10, voc07 (VOC rule) or coco101 (COCO rule)",
            "画哪条曲线、按哪种匹配规则逐步判定：voc10、voc07（VOC 规则）或 coco101（COCO 规则）"
        )),
        ParamSpec::text(key::DATA, MAX_PATH, "").help(tr!(
            "empty: the shipped set; FILE.toml; or GT.json,DET.json (COCO)",
            "留空：自带数据集；FILE.toml；或 GT.json,DET.json（COCO）"
        )),
        ParamSpec::flag(key::PIXEL_PLUS_ONE, false).help(tr!(
            "old VOC convention: widths and heights + 1",
            "旧 VOC 约定：宽和高都加 1"
        )),
    ]
}

/// The data set read, the classes to step through, and how to judge them.
struct Setup {
    data: DataSet,
    /// Classes stepped through (one, or all).
    stepped: Vec<String>,
    threshold: f64,
    plus_one: bool,
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
            plus_one: params.flag(key::PIXEL_PLUS_ONE)?,
            method: params.choice(key::METHOD)?,
        })
    }
}

/// What the lesson steps through, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Detection `k` (in rank order) of class `class` is judged.
    Judge { class: usize, k: usize },
    /// The precision envelope of the class is drawn.
    Envelope { class: usize },
    /// The AP of the class is read off: points or area.
    Area { class: usize },
}

struct Evaluation {
    data: DataSet,
    /// Classes stepped through (one, or all).
    results: Vec<ClassResult>,
    /// The same classes under the other matching rule, to show where they differ.
    other_rule: Vec<ClassResult>,
    /// AP of every class of the data, and whether it has positives.
    aps: Vec<(String, usize, ClassAp)>,
    stages: Vec<Stage>,
    rule: Rule,
    method: Method,
    threshold: f64,
}

fn evaluate(setup: Setup) -> Evaluation {
    let Setup {
        data,
        stepped,
        threshold,
        plus_one,
        method,
    } = setup;
    let (rule, other) = if method == Method::Coco101 {
        (Rule::Coco, Rule::Voc)
    } else {
        (Rule::Voc, Rule::Coco)
    };
    let evaluated: Vec<eval::ClassEvaluation> = prepare_all(&data, plus_one)
        .iter()
        .map(|p| evaluate_class(p, threshold))
        .collect();
    let by_rule = |e: &eval::ClassEvaluation, rule: Rule| match rule {
        Rule::Voc => e.voc.clone(),
        Rule::Coco => e.coco.clone(),
    };
    let of_class = |class: &String| evaluated.iter().find(|e| e.voc.class == *class);
    let (results, other_rule): (Vec<ClassResult>, Vec<ClassResult>) = stepped
        .iter()
        .filter_map(of_class)
        .map(|e| (by_rule(e, rule), by_rule(e, other)))
        .unzip();
    let aps = evaluated
        .iter()
        .map(|e| (e.voc.class.clone(), e.voc.positives, e.aps))
        .collect();
    let mut stages = Vec::new();
    for (class, result) in results.iter().enumerate() {
        stages.extend((0..result.judged.len()).map(|k| Stage::Judge { class, k }));
        stages.push(Stage::Envelope { class });
        stages.push(Stage::Area { class });
    }
    Evaluation {
        data,
        results,
        other_rule,
        aps,
        stages,
        rule,
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

/// Reads one method's AP out of a class's results.
type PickAp = fn(&ClassAp) -> f64;

pub struct MapLesson {
    eval: Evaluation,
    /// Stages shown so far.
    stages: Stages,
}

impl MapLesson {
    pub fn stage(&self) -> Option<Stage> {
        self.stages.at().checked_sub(1).map(|i| self.eval.stages[i])
    }
    pub fn data(&self) -> &DataSet {
        &self.eval.data
    }
    pub fn results(&self) -> &[ClassResult] {
        &self.eval.results
    }
    pub fn other_rule(&self) -> &[ClassResult] {
        &self.eval.other_rule
    }
    pub fn aps(&self) -> &[(String, usize, ClassAp)] {
        &self.eval.aps
    }
    pub fn rule(&self) -> Rule {
        self.eval.rule
    }
    pub fn method(&self) -> Method {
        self.eval.method
    }
    pub fn threshold(&self) -> f64 {
        self.eval.threshold
    }

    /// mAP of one method: the mean over classes with positives.
    pub fn map_of(&self, pick: impl Fn(&ClassAp) -> f64) -> f64 {
        let counted: Vec<f64> = self
            .eval
            .aps
            .iter()
            .filter(|(_, positives, _)| *positives > 0)
            .map(|(_, _, ap)| pick(ap))
            .collect();
        if counted.is_empty() {
            0.0
        } else {
            counted.iter().sum::<f64>() / counted.len() as f64
        }
    }
}

const CODE: &[&str] = &[
    "for each class: rank its detections by score (ties: input order)",
    "  for each detection d: best box g of d's image and class",
    "    if IoU(d, g) ≥ t: difficult → ignore; unmatched → TP; else FP",
    "    else: FP        (COCO: best still-unmatched box ≥ t)",
    "    precision = TP/(TP+FP); recall = TP/positives",
    "  envelope: precision[i] = max(precision[i..])",
    "  AP: 11 points (VOC07), area (VOC10) or 101 points (COCO)",
    "mAP = mean AP over classes with positives",
];

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
            None => 0,
            Some(Stage::Judge { class, k }) => match self.eval.results[class].judged[k].outcome {
                eval::Outcome::Fp if self.eval.results[class].judged[k].gt.is_none() => 3,
                _ => 2,
            },
            Some(Stage::Envelope { .. }) => 5,
            Some(Stage::Area { .. }) if self.is_finished() => 7,
            Some(Stage::Area { .. }) => 6,
        }
    }
    fn render(&self, area: Rect, buf: &mut Buffer, look: &Look) {
        view::render(self, area, buf, look);
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
        let result = &self.eval.results[class];
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
        let methods: [(&str, PickAp); 4] = [
            ("voc07", |a| a.voc07),
            ("voc10", |a| a.voc10),
            ("coco101", |a| a.coco101),
            ("coco", |a| a.coco),
        ];
        for (name, pick) in methods {
            table.insert(format!("map_{name}"), self.map_of(pick).into());
            let mut per_class = toml::Table::new();
            for (class, positives, ap) in &self.eval.aps {
                if *positives > 0 {
                    per_class.insert(class.clone(), pick(ap).into());
                }
            }
            table.insert(format!("ap_{name}"), toml::Value::Table(per_class));
        }
        let mut positives = toml::Table::new();
        for (class, count, _) in &self.eval.aps {
            positives.insert(
                class.clone(),
                toml::Value::Integer(i64::try_from(*count).unwrap_or(i64::MAX)),
            );
        }
        table.insert("positives".into(), toml::Value::Table(positives));
        table
    }
}
