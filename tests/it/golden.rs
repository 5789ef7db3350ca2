//! `learndeck trace ID` and `trace ID --summary` stay byte-identical through
//! refactoring: every lesson at its defaults and a few `--set` cases, against
//! the outputs recorded in `tests/golden/`. A deliberate change of output
//! re-records them with `LEARNDECK_BLESS=1 cargo test --test golden`, and the
//! diff of `tests/golden/` is then part of the change, for a reviewer to read.

use std::path::PathBuf;
use std::process::Command;

/// (file name, arguments after `trace`).
const CASES: &[(&str, &[&str])] = &[
    ("score.csv", &["score"]),
    ("score.toml", &["score", "--summary"]),
    ("sde.csv", &["sde"]),
    ("sde.toml", &["sde", "--summary"]),
    ("optim.csv", &["optim"]),
    ("optim.toml", &["optim", "--summary"]),
    ("precision.csv", &["precision"]),
    ("precision.toml", &["precision", "--summary"]),
    ("medusa.csv", &["medusa"]),
    ("medusa.toml", &["medusa", "--summary"]),
    ("mtp.csv", &["mtp"]),
    ("mtp.toml", &["mtp", "--summary"]),
    ("map.csv", &["map"]),
    ("map.toml", &["map", "--summary"]),
    ("knapsack.csv", &["knapsack"]),
    ("knapsack.toml", &["knapsack", "--summary"]),
    ("heap.csv", &["heap"]),
    ("heap.toml", &["heap", "--summary"]),
    ("sorts.csv", &["sorts"]),
    ("sorts.toml", &["sorts", "--summary"]),
    ("maxgap.csv", &["maxgap"]),
    ("maxgap.toml", &["maxgap", "--summary"]),
    ("combsum.csv", &["combsum"]),
    ("combsum.toml", &["combsum", "--summary"]),
    // A few settings away from the defaults, one or two per lesson family.
    (
        "score-ring8-learned.toml",
        &[
            "score",
            "--summary",
            "--steps",
            "300",
            "--set",
            "target=ring8",
            "--set",
            "score=learned",
            "--set",
            "train_steps=200",
            "--seed",
            "7",
        ],
    ),
    (
        "sde-ve-pc.toml",
        &[
            "sde",
            "--summary",
            "--set",
            "sde=ve",
            "--set",
            "sampler=pc",
            "--set",
            "n_steps=100",
        ],
    ),
    (
        "optim-four-bowl.csv",
        &[
            "optim",
            "--steps",
            "50",
            "--set",
            "optimizers=sgd,momentum,adam,adamw",
            "--set",
            "surface=bowl",
        ],
    ),
    (
        "precision-values.toml",
        &[
            "precision",
            "--summary",
            "--steps",
            "20",
            "--set",
            "values=1.0004882812509095,2047.4999999850988,nan,-0,inf",
        ],
    ),
    (
        "medusa-typical.toml",
        &[
            "medusa",
            "--summary",
            "--set",
            "temperature=0.7",
            "--set",
            "order=2",
            "--seed",
            "3",
        ],
    ),
    ("mtp-depth3.toml", &["mtp", "--summary", "--set", "depth=3"]),
    (
        "map-coco.csv",
        &["map", "--set", "method=coco101", "--set", "iou=0.3"],
    ),
    (
        "map-textbook.toml",
        &[
            "map",
            "--summary",
            "--set",
            "iou=0.7",
            "--set",
            "rules=textbook",
        ],
    ),
    (
        "knapsack-forward.toml",
        &[
            "knapsack",
            "--summary",
            "--set",
            "mode=1d",
            "--set",
            "order=forward",
        ],
    ),
    (
        "heap-sort.csv",
        &[
            "heap",
            "--set",
            "input=5,3,9,1,7,3",
            "--set",
            "ops=push:4,pop,pushpop:2,replace:8,sort",
        ],
    ),
    (
        "sorts-radix.csv",
        &["sorts", "--set", "algo=radix", "--set", "base=2"],
    ),
    (
        "maxgap-dup.toml",
        &["maxgap", "--summary", "--set", "data=7,7,7,8"],
    ),
    (
        "combsum-once.csv",
        &[
            "combsum",
            "--set",
            "candidates=10,1,2,7,6,1,5",
            "--set",
            "target=8",
            "--set",
            "variant=once",
        ],
    ),
];

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

#[test]
fn traces_and_summaries_match_the_recorded_outputs() {
    let bless = std::env::var_os("LEARNDECK_BLESS").is_some();
    let home = std::env::temp_dir().join(format!("learndeck-golden-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("temp dir");
    let mut differ = Vec::new();
    for (file, args) in CASES {
        let out = Command::new(env!("CARGO_BIN_EXE_learndeck"))
            .arg("trace")
            .args(*args)
            .env("XDG_CONFIG_HOME", &home)
            .env("HOME", &home)
            .env("LC_ALL", "C")
            .env("LANG", "C")
            .output()
            .expect("the binary runs");
        assert!(
            out.status.success(),
            "trace {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let path = golden_dir().join(file);
        if bless {
            std::fs::write(&path, &out.stdout).expect("golden file written");
            continue;
        }
        let recorded = std::fs::read(&path).unwrap_or_default();
        if recorded != out.stdout {
            differ.push(format!("{file} (trace {})", args.join(" ")));
        }
    }
    assert!(
        differ.is_empty(),
        "output changed for: {}\n(if meant, re-record with LEARNDECK_BLESS=1 and review the diff)",
        differ.join(", ")
    );
}
