//! Detection data sets: the lesson's TOML schema and COCO-format JSON pairs,
//! read into one in-memory form with errors that name the file and place.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::echo;
use crate::files::{self, MIB, line_col};

/// An axis-aligned box [x1, y1, x2, y2].
pub type BoxXyxy = [f64; 4];

#[derive(Clone, Debug, PartialEq)]
pub struct GroundTruth {
    pub class: String,
    pub bbox: BoxXyxy,
    /// Not a positive: finding it is neither right nor wrong (VOC's
    /// `difficult`, COCO's `ignore`).
    pub difficult: bool,
    /// COCO's `iscrowd`: a region of many objects, which COCO matches by
    /// intersection over the detection's area, any number of times (also not
    /// a positive). A `difficult` box of the TOML schema is one too, as
    /// converting VOC to COCO makes it.
    pub crowd: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    pub class: String,
    pub bbox: BoxXyxy,
    pub score: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub name: String,
    pub gt: Vec<GroundTruth>,
    pub det: Vec<Detection>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DataSet {
    pub images: Vec<Image>,
}

impl DataSet {
    /// Class names in sorted order.
    pub fn classes(&self) -> Vec<String> {
        // Inserted one by one, borrowed: a data set names few classes over
        // many boxes, so the set stays small (collecting would sort every box).
        let mut names = std::collections::BTreeSet::new();
        for image in &self.images {
            names.extend(image.gt.iter().map(|g| g.class.as_str()));
            names.extend(image.det.iter().map(|d| d.class.as_str()));
        }
        names.into_iter().map(str::to_string).collect()
    }
}

/// The shipped default data set.
pub const DEFAULT_TOML: &str = include_str!("../../../assets/data/detections.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    images: Vec<TomlImage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlImage {
    name: String,
    #[serde(default)]
    gt: Vec<TomlGt>,
    #[serde(default)]
    det: Vec<TomlDet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlGt {
    class: String,
    #[serde(rename = "box")]
    bbox: BoxXyxy,
    #[serde(default)]
    difficult: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlDet {
    class: String,
    #[serde(rename = "box")]
    bbox: BoxXyxy,
    score: f64,
}

fn check_box(bbox: &BoxXyxy, what: &str) -> Result<(), String> {
    if bbox.iter().any(|v| !v.is_finite()) {
        return Err(format!(
            "{what}: box has a value that is not a finite number"
        ));
    }
    if bbox[2] < bbox[0] || bbox[3] < bbox[1] {
        return Err(format!(
            "{what}: box [{}, {}, {}, {}] has x2 < x1 or y2 < y1",
            bbox[0], bbox[1], bbox[2], bbox[3]
        ));
    }
    Ok(())
}

/// Parses the lesson's TOML schema; `name` is used in messages.
pub fn parse_toml(text: &str, name: &str) -> Result<DataSet, String> {
    let file: TomlFile = toml::from_str(text).map_err(|err| {
        let place = err
            .span()
            .map(|span| line_col(text, span.start))
            .map_or(String::new(), |(l, c)| format!(" at line {l}, column {c}"));
        format!("{name}{place}: {}", err.message().trim())
    })?;
    let mut images = Vec::with_capacity(file.images.len());
    for (at, image) in file.images.into_iter().enumerate() {
        let what = format!("{name}: images[{at}] ({})", echo(&image.name));
        for (k, g) in image.gt.iter().enumerate() {
            check_box(&g.bbox, &format!("{what}.gt[{k}]"))?;
        }
        for (k, d) in image.det.iter().enumerate() {
            check_box(&d.bbox, &format!("{what}.det[{k}]"))?;
            if !d.score.is_finite() {
                return Err(format!("{what}.det[{k}]: score is not a finite number"));
            }
        }
        images.push(Image {
            name: image.name,
            gt: image
                .gt
                .into_iter()
                .map(|g| GroundTruth {
                    class: g.class,
                    bbox: g.bbox,
                    difficult: g.difficult,
                    crowd: g.difficult,
                })
                .collect(),
            det: image
                .det
                .into_iter()
                .map(|d| Detection {
                    class: d.class,
                    bbox: d.bbox,
                    score: d.score,
                })
                .collect(),
        });
    }
    Ok(DataSet { images })
}

#[derive(Deserialize)]
struct CocoGt {
    images: Vec<CocoImage>,
    annotations: Vec<CocoAnnotation>,
    categories: Vec<CocoCategory>,
}

#[derive(Deserialize)]
struct CocoImage {
    id: u64,
    #[serde(default)]
    file_name: Option<String>,
}

#[derive(Deserialize)]
struct CocoAnnotation {
    image_id: u64,
    category_id: u64,
    bbox: [f64; 4],
    #[serde(default)]
    iscrowd: u8,
    #[serde(default)]
    ignore: u8,
}

#[derive(Deserialize)]
struct CocoCategory {
    id: u64,
    name: String,
}

#[derive(Deserialize)]
struct CocoDet {
    image_id: u64,
    category_id: u64,
    bbox: [f64; 4],
    score: f64,
}

fn json_error(name: &str, err: &serde_json::Error) -> String {
    format!(
        "{name} at line {}, column {}: {err}",
        err.line(),
        err.column()
    )
    .replace(
        &format!(" at line {} column {}", err.line(), err.column()),
        "",
    )
}

/// Parses a COCO ground-truth file and a COCO results file. Boxes are
/// [x, y, w, h]; `iscrowd` annotations become crowd boxes, `ignore` ones
/// ignored boxes. Images are taken in id order, as pycocotools does (it
/// matters only for detections of equal score in different images).
pub fn parse_coco(
    gt_text: &str,
    gt_name: &str,
    det_text: &str,
    det_name: &str,
) -> Result<DataSet, String> {
    let gt: CocoGt = serde_json::from_str(gt_text).map_err(|e| json_error(gt_name, &e))?;
    let dets: Vec<CocoDet> =
        serde_json::from_str(det_text).map_err(|e| json_error(det_name, &e))?;
    let categories: BTreeMap<u64, String> =
        gt.categories.into_iter().map(|c| (c.id, c.name)).collect();
    let class = |id: u64, what: &str| {
        categories.get(&id).cloned().ok_or_else(|| {
            format!("{what} has category_id {id}, which is not among the categories of {gt_name}")
        })
    };
    let xyxy = |b: [f64; 4]| [b[0], b[1], b[0] + b[2], b[1] + b[3]];
    let mut index: BTreeMap<u64, usize> = BTreeMap::new();
    let mut images = Vec::with_capacity(gt.images.len());
    let mut listed = gt.images;
    listed.sort_by_key(|image| image.id);
    for image in listed {
        index.insert(image.id, images.len());
        images.push(Image {
            name: image
                .file_name
                .unwrap_or_else(|| format!("image {}", image.id)),
            gt: Vec::new(),
            det: Vec::new(),
        });
    }
    for (k, a) in gt.annotations.into_iter().enumerate() {
        let at = *index.get(&a.image_id).ok_or_else(|| {
            format!(
                "{gt_name}: annotations[{k}] refers to image_id {}, which is not listed",
                a.image_id
            )
        })?;
        let bbox = xyxy(a.bbox);
        check_box(&bbox, &format!("{gt_name}: annotations[{k}]"))?;
        images[at].gt.push(GroundTruth {
            class: class(a.category_id, &format!("{gt_name}: annotations[{k}]"))?,
            bbox,
            difficult: a.iscrowd != 0 || a.ignore != 0,
            crowd: a.iscrowd != 0,
        });
    }
    for (k, d) in dets.into_iter().enumerate() {
        let at = *index.get(&d.image_id).ok_or_else(|| {
            format!(
                "{det_name}: [{k}] refers to image_id {}, which {gt_name} does not list",
                d.image_id
            )
        })?;
        let bbox = xyxy(d.bbox);
        check_box(&bbox, &format!("{det_name}: [{k}]"))?;
        if !d.score.is_finite() {
            return Err(format!("{det_name}: [{k}]: score is not a finite number"));
        }
        images[at].det.push(Detection {
            class: class(d.category_id, &format!("{det_name}: [{k}]"))?,
            bbox,
            score: d.score,
        });
    }
    Ok(DataSet { images })
}

/// What the `data` parameter may name, for a path that cannot be read.
const DATA_FORMS: &str =
    "allowed: empty for the shipped set, FILE.toml, or GT.json,DET.json (COCO)";

/// The largest TOML data file read (about 100,000 boxes): parsing TOML takes
/// about fifty times the file's size in memory, so this keeps it near 400 MB.
pub const MAX_TOML_BYTES: u64 = 8 * MIB;
/// The largest COCO JSON file read: JSON is read straight into boxes, and
/// COCO's own val2017 annotations (25 MB with their masks) fit.
pub const MAX_JSON_BYTES: u64 = 64 * MIB;
/// Most images a data set may hold.
pub const MAX_IMAGES: usize = 10_000;
/// Most ground-truth boxes, and most detections, in one image.
pub const MAX_BOXES_PER_IMAGE: usize = 10_000;
/// Most classes a data set may name.
pub const MAX_CLASSES: usize = 1_000;

fn read(path: &Path, limit: u64) -> Result<String, String> {
    files::read_text(path, limit).map_err(|err| format!("{err}; {DATA_FORMS}"))
}

/// Refuses a data set beyond the documented limits, naming the one broken.
fn check_limits(data: &DataSet, name: &str) -> Result<(), String> {
    if data.images.len() > MAX_IMAGES {
        return Err(format!(
            "{name}: {} images, but at most {MAX_IMAGES} are allowed",
            data.images.len()
        ));
    }
    for (at, image) in data.images.iter().enumerate() {
        let most = image.gt.len().max(image.det.len());
        if most > MAX_BOXES_PER_IMAGE {
            return Err(format!(
                "{name}: image {} ({}) has {} ground truths and {} detections, \
                 but at most {MAX_BOXES_PER_IMAGE} of each are allowed per image",
                at + 1,
                echo(&image.name),
                image.gt.len(),
                image.det.len()
            ));
        }
    }
    let classes = data.classes().len();
    if classes > MAX_CLASSES {
        return Err(format!(
            "{name}: {classes} classes, but at most {MAX_CLASSES} are allowed"
        ));
    }
    Ok(())
}

/// Loads the `data` parameter: empty for the shipped set, a `.toml` path, or
/// `GT.json,DET.json` for a COCO pair.
pub fn load(spec: &str) -> Result<DataSet, String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return parse_toml(DEFAULT_TOML, "assets/data/detections.toml");
    }
    if let Some((gt, det)) = spec.split_once(',') {
        let (gt, det) = (Path::new(gt.trim()), Path::new(det.trim()));
        let det_name = echo(&det.display().to_string());
        let data = parse_coco(
            &read(gt, MAX_JSON_BYTES)?,
            &echo(&gt.display().to_string()),
            &read(det, MAX_JSON_BYTES)?,
            &det_name,
        )?;
        check_limits(&data, &det_name)?;
        return Ok(data);
    }
    let path = Path::new(spec);
    let name = echo(&path.display().to_string());
    let data = parse_toml(&read(path, MAX_TOML_BYTES)?, &name)?;
    check_limits(&data, &name)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(n: usize, class: impl Fn(usize) -> String) -> Vec<Detection> {
        (0..n)
            .map(|k| Detection {
                class: class(k),
                bbox: [0.0, 0.0, 1.0, 1.0],
                score: 0.5,
            })
            .collect()
    }

    #[test]
    fn data_beyond_each_limit_is_refused_by_name() {
        let image = |det: Vec<Detection>| Image {
            name: "im".into(),
            gt: Vec::new(),
            det,
        };
        let fine = DataSet {
            images: vec![image(boxes(MAX_BOXES_PER_IMAGE, |_| "a".into()))],
        };
        assert_eq!(check_limits(&fine, "d.toml"), Ok(()));
        let crowded = DataSet {
            images: vec![image(boxes(MAX_BOXES_PER_IMAGE + 1, |_| "a".into()))],
        };
        let err = check_limits(&crowded, "d.toml").expect_err("too many boxes");
        assert!(
            err.contains("at most 10000 of each are allowed per image"),
            "{err}"
        );
        let many = DataSet {
            images: (0..=MAX_IMAGES).map(|_| image(Vec::new())).collect(),
        };
        let err = check_limits(&many, "d.toml").expect_err("too many images");
        assert!(err.contains("10001 images, but at most 10000"), "{err}");
        let classes = DataSet {
            images: vec![image(boxes(MAX_CLASSES + 1, |k| format!("c{k}")))],
        };
        let err = check_limits(&classes, "d.toml").expect_err("too many classes");
        assert!(err.contains("1001 classes, but at most 1000"), "{err}");
    }

    #[test]
    fn the_shipped_set_parses() {
        let data = load("").expect("shipped data");
        assert!(data.images.len() >= 25);
        assert!(data.classes().len() >= 3);
    }

    #[test]
    fn toml_errors_name_the_place() {
        let err = parse_toml(
            "[[images]]\nname = \"a\"\ngt = [ { class = \"car\", box = [1, 2, 3] } ]\n",
            "f.toml",
        )
        .unwrap_err();
        assert!(err.starts_with("f.toml at line 3"), "{err}");
        let err = parse_toml("[[images]]\nname = \"a\"\ndet = [ { class = \"car\", box = [5, 0, 1, 1], score = 0.5 } ]\n", "f.toml")
            .unwrap_err();
        assert!(err.contains("x2 < x1"), "{err}");
        let err = parse_toml("[[images]]\nnam = \"a\"\n", "f.toml").unwrap_err();
        assert!(err.contains("nam"), "{err}");
    }

    #[test]
    fn a_small_coco_pair_reads_with_xywh_boxes() {
        let gt = r#"{"images":[{"id":7,"file_name":"a.jpg"}],
            "annotations":[{"image_id":7,"category_id":1,"bbox":[10,20,30,40]}],
            "categories":[{"id":1,"name":"cat"}]}"#;
        let det = r#"[{"image_id":7,"category_id":1,"bbox":[11,21,30,40],"score":0.9}]"#;
        let data = parse_coco(gt, "gt.json", det, "det.json").expect("valid pair");
        assert_eq!(data.images[0].gt[0].bbox, [10.0, 20.0, 40.0, 60.0]);
        assert_eq!(data.images[0].det[0].class, "cat");
        let err = parse_coco(gt, "gt.json", "[{\"image_id\":8}]", "det.json").unwrap_err();
        assert!(err.starts_with("det.json"), "{err}");
        let err = parse_coco("{", "gt.json", det, "det.json").unwrap_err();
        assert!(err.contains("gt.json at line 1"), "{err}");
    }
}
