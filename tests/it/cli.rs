//! The command line as a script sees it: output, exit codes, one-line errors.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A scratch folder per test, so no user config on the machine leaks in.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("learndeck-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(name: &str, args: &[&str]) -> Output {
    let home = scratch(name);
    Command::new(env!("CARGO_BIN_EXE_learndeck"))
        .args(args)
        .env("XDG_CONFIG_HOME", &home)
        .env("HOME", &home)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit code 2, nothing on stdout, one line on stderr that contains `needle`.
fn assert_bad_input(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(out));
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "expected '{needle}' in: {err}");
}

#[test]
fn list_names_lessons_parameters_ranges_and_defaults() {
    let out = run("list", &["list"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("knapsack"));
    assert!(text.contains("capacity"));
    assert!(text.contains("default 10"));
    assert!(text.contains("from 0 to 10000"));
}

#[test]
fn trace_prints_one_row_per_filled_cell() {
    let out = run("trace", &["trace", "knapsack"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(header.starts_with("step,i,j,value,took"), "{header}");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 5 items × 11 capacities.
    assert_eq!(rows.len(), 55);
    // f[5][10] is the optimum of the default instance (items 2 and 4: 8 + 10).
    let last = rows.last().expect("rows");
    assert_eq!(&last[1..4], &["5", "10", "18"]);
    // Row 2's cell at j = 4: taking item 2 (4, 8) beats f[1][4] = 5.
    let cell = rows
        .iter()
        .find(|r| r[1] == "2" && r[2] == "4")
        .expect("cell (2, 4)");
    assert_eq!(&cell[3..5], &["8", "1"]);
}

#[test]
fn trace_respects_steps() {
    let out = run("steps", &["trace", "knapsack", "--steps", "5"]);
    assert_eq!(stdout(&out).lines().count(), 1 + 5);
}

#[test]
fn summary_is_toml_with_the_optimum() {
    let out = run("summary", &["trace", "knapsack", "--summary"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    assert_eq!(table["best"].as_integer(), Some(18));
    let chosen: Vec<i64> = table["chosen"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(toml::Value::as_integer)
        .collect();
    assert_eq!(chosen, vec![2, 4]);
    assert_eq!(table["cells"].as_integer(), Some(55));
    assert_eq!(table["mode"].as_str(), Some("2d"));
    assert_eq!(table["order"].as_str(), Some("reverse"));
}

#[test]
fn set_switches_to_the_forward_row_and_its_unbounded_answer() {
    let out = run(
        "forward",
        &[
            "trace",
            "knapsack",
            "--summary",
            "--set",
            "mode=1d",
            "--set",
            "order=forward",
        ],
    );
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    // Item 1 (weight 2, value 5) five times fills capacity 10 with 25.
    assert_eq!(table["best"].as_integer(), Some(25));
    assert_eq!(table["problem"].as_str(), Some("unbounded"));
    assert_eq!(
        table["chosen"].as_array().map(Vec::len),
        Some(5),
        "{table:?}"
    );
}

#[test]
fn set_takes_comma_separated_lists() {
    let out = run(
        "lists",
        &[
            "trace",
            "knapsack",
            "--summary",
            "--set",
            "weights=1,3,4,5",
            "--set",
            "values=1,4,5,7",
            "--set",
            "capacity=7",
        ],
    );
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    assert_eq!(table["best"].as_integer(), Some(9));
}

#[test]
fn config_file_overrides_defaults() {
    let dir = scratch("config-ok");
    let path = dir.join("mine.toml");
    std::fs::write(&path, "[lesson.knapsack]\ncapacity = 6\n").expect("write");
    let out = run(
        "config-ok",
        &[
            "trace",
            "knapsack",
            "--summary",
            "--config",
            path.to_str().unwrap_or_default(),
        ],
    );
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    assert_eq!(table["capacity"].as_integer(), Some(6));
}

#[test]
fn snapshot_draws_a_frame_of_the_requested_size() {
    let out = run(
        "snapshot",
        &[
            "snapshot", "knapsack", "--steps", "12", "--width", "100", "--height", "30",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 30);
    assert!(text.contains("0/1 knapsack"));
    assert!(text.contains("step 12/60"));
    assert!(!text.contains('\u{1b}'), "no escape sequences");
}

#[test]
fn optim_trace_starts_at_step_zero_with_one_row_per_optimizer() {
    // Pinned to Rosenbrock from (-1.5, 2), not the defaults, for the hand values.
    let out = run(
        "optim",
        &[
            "trace",
            "optim",
            "--steps",
            "3",
            "--set",
            "surface=rosenbrock",
            "--set",
            "start_x=-1.5",
            "--set",
            "start_y=2",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,optimizer,x,y,loss,grad_x,grad_y");
    // Start (-1.5, 2) on Rosenbrock: f = 2.5² + 100·(2 − 2.25)² = 12.5, ∇f = (−155, −50).
    assert_eq!(lines[1], "0,adam,-1.5,2.0,12.5,-155.0,-50.0");
    assert_eq!(lines[2], "0,adamw,-1.5,2.0,12.5,-155.0,-50.0");
    assert_eq!(lines.len(), 1 + 2 * 4);
    assert!(lines[3].starts_with("1,adam,"));
}

#[test]
fn optim_runs_its_configured_length_headless() {
    let out = run(
        "optim-len",
        &[
            "trace",
            "optim",
            "--set",
            "steps=7",
            "--set",
            "optimizers=adam",
        ],
    );
    assert_eq!(stdout(&out).lines().count(), 1 + 8);
}

#[test]
fn a_diverging_optimizer_prints_inf_or_nan_and_is_flagged() {
    let args = [
        "trace",
        "optim",
        "--set",
        "surface=rosenbrock",
        "--set",
        "lr=1",
        "--set",
        "optimizers=sgd,adam",
        "--steps",
        "30",
    ];
    let out = run("diverge", &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(",inf") || text.contains(",nan"), "{text}");
    let mut summary_args = args.to_vec();
    summary_args.push("--summary");
    let out = run("diverge-summary", &summary_args);
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    assert_eq!(table["sgd"]["diverged"].as_bool(), Some(true));
    assert_eq!(table["adam"]["diverged"].as_bool(), Some(false));
    assert_eq!(table["adam"]["steps"].as_integer(), Some(30));
}

#[test]
fn optimizer_lists_are_checked() {
    assert_bad_input(
        &run(
            "optimizers",
            &["trace", "optim", "--set", "optimizers=adam,rmsprop"],
        ),
        "lesson.optim.optimizers: entry 2 'rmsprop' is not one of sgd, momentum, adam, adamw",
    );
    assert_bad_input(
        &run("lr", &["trace", "optim", "--set", "lr=5"]),
        "lesson.optim.lr: 5.0 is above the maximum 1.0",
    );
}

#[test]
fn heap_trace_follows_cpython_event_by_event() {
    let out = run("heap", &["trace", "heap", "--set", "ops=pop"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,op,event,i,j,heap");
    // heapify [5,3,8,1,9,2]: _siftup(2) has a left child only, so no comparison:
    // heap[2] = heap[5] moves 2 up, then 8 is placed at the leaf.
    assert_eq!(lines[1], "1,heapify,move,2,5,5 3 2 1 9 2");
    assert_eq!(lines[2], "2,heapify,place,5,,5 3 2 1 9 8");
    let summary = run(
        "heap-summary",
        &["trace", "heap", "--set", "ops=pop,push:0", "--summary"],
    );
    let table: toml::Table = toml::from_str(&stdout(&summary)).expect("valid TOML");
    let heap: Vec<i64> = table["heap"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(toml::Value::as_integer)
        .collect();
    assert_eq!(heap, vec![0, 3, 2, 5, 9, 8]);
}

#[test]
fn a_pop_on_an_empty_heap_is_refused_before_running() {
    assert_bad_input(
        &run(
            "heap-empty",
            &[
                "trace",
                "heap",
                "--set",
                "input=",
                "--set",
                "ops=push:1,pop,pop",
            ],
        ),
        "lesson.heap.ops: operation 3: 'pop' on an empty heap",
    );
    assert_bad_input(
        &run("heap-typo", &["trace", "heap", "--set", "ops=pop,psh:3"]),
        "lesson.heap.ops: operation 2: 'psh:3' is not an operation",
    );
}

#[test]
fn algorithm_lessons_summarise_their_answers() {
    let sorts = run(
        "sorts",
        &["trace", "sorts", "--summary", "--set", "data=3,-1,2,-1"],
    );
    let table: toml::Table = toml::from_str(&stdout(&sorts)).expect("valid TOML");
    let sorted: Vec<i64> = table["sorted"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(toml::Value::as_integer)
        .collect();
    assert_eq!(sorted, vec![-1, -1, 2, 3]);
    // Span 4 in base 10: one pass.
    assert_eq!(table["passes"].as_integer(), Some(1));

    let gap = run(
        "maxgap",
        &["trace", "maxgap", "--summary", "--set", "data=3,6,9,1"],
    );
    let table: toml::Table = toml::from_str(&stdout(&gap)).expect("valid TOML");
    assert_eq!(table["answer"].as_integer(), Some(3));
    assert_eq!(table["bucket_size"].as_integer(), Some(2));
    assert_eq!(table["bucket_count"].as_integer(), Some(5));

    let comb = run("combsum", &["trace", "combsum", "--summary"]);
    let table: toml::Table = toml::from_str(&stdout(&comb)).expect("valid TOML");
    assert_eq!(
        table["combinations"].to_string(),
        "[[2, 2, 3], [7]]",
        "discovery order, each ascending"
    );
}

#[test]
fn combsum_reuse_refuses_repeated_candidates() {
    assert_bad_input(
        &run(
            "combsum-dup",
            &["trace", "combsum", "--set", "candidates=2,3,2"],
        ),
        "lesson.combsum.candidates: 2 appears twice",
    );
}

#[test]
fn precision_summary_converts_each_value() {
    let out = run(
        "precision",
        &[
            "trace",
            "precision",
            "--summary",
            "--steps",
            "1",
            "--set",
            "values=0.1,65504,1e-8,nan,-0.0",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    let strings = |key: &str| -> Vec<String> {
        table[key]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        strings("fp16_bits"),
        ["0x2e66", "0x7bff", "0x0000", "0x7e00", "0x8000"]
    );
    assert_eq!(strings("bf16_bits")[0], "0x3dcd");
    assert_eq!(strings("fp32_bits")[0], "0x3dcccccd");
    assert_eq!(
        strings("fp16_class"),
        ["normal", "normal", "zero", "nan", "zero"]
    );
    let fp16: Vec<f64> = table["fp16_value"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(toml::Value::as_float)
        .collect();
    assert_eq!(fp16[0], 0.0999755859375);
    assert!(fp16[3].is_nan());
    assert!(table["mode"]["amp"]["final_scale"].as_float().is_some());
}

#[test]
fn precision_trace_has_one_row_per_mode_per_step() {
    let out = run("precision-trace", &["trace", "precision", "--steps", "2"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "step,mode,loss,scale,found_inf,skipped,underflow_frac"
    );
    assert_eq!(lines.len(), 1 + 3 * 5);
    assert!(lines[1].starts_with("0,fp32,"));
    assert!(lines[4].starts_with("0,amp,") && lines[4].contains(",4294967296.0,0,0,"));
}

#[test]
fn map_summary_and_trace_follow_the_contract() {
    let out = run("map", &["trace", "map", "--summary"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    for key in ["map_voc07", "map_voc10", "map_coco101", "map_coco"] {
        let v = table[key].as_float().expect("a number");
        assert!((0.0..=1.0).contains(&v), "{key} = {v}");
    }
    for key in ["ap_voc07", "ap_voc10", "ap_coco101", "ap_coco", "positives"] {
        assert!(
            table[key].as_table().is_some_and(|t| t.contains_key("car")),
            "{key}"
        );
    }
    let trace = run("map-trace", &["trace", "map", "--set", "class=car"]);
    let text = stdout(&trace);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("step,class,image,score,iou,outcome,cum_tp,cum_fp,precision,recall")
    );
    assert!(lines.all(|l| l.split(',').nth(1) == Some("car")));
}

#[test]
fn map_reads_a_coco_pair_and_refuses_broken_files() {
    let dir = scratch("coco");
    let gt = dir.join("gt.json");
    let det = dir.join("det.json");
    std::fs::write(
        &gt,
        r#"{"images":[{"id":1}],"annotations":[{"image_id":1,"category_id":3,"bbox":[0,0,10,10]}],"categories":[{"id":3,"name":"cat"}]}"#,
    )
    .expect("write");
    std::fs::write(
        &det,
        r#"[{"image_id":1,"category_id":3,"bbox":[0,0,10,10],"score":0.5}]"#,
    )
    .expect("write");
    let pair = format!("data={},{}", gt.display(), det.display());
    let out = run("coco-ok", &["trace", "map", "--summary", "--set", &pair]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    assert_eq!(table["map_voc10"].as_float(), Some(1.0));

    std::fs::write(&det, "[{\"image_id\": 1,").expect("write");
    assert_bad_input(
        &run("coco-bad", &["trace", "map", "--set", &pair]),
        "det.json at line 1",
    );
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[[images]]\nname = 3\n").expect("write");
    assert_bad_input(
        &run(
            "toml-bad",
            &[
                "trace",
                "map",
                "--set",
                &format!("data={}", broken.display()),
            ],
        ),
        "broken.toml at line 2",
    );
    std::fs::write(&broken, [0xff, 0xfe, 0x00]).expect("write");
    assert_bad_input(
        &run(
            "toml-binary",
            &[
                "trace",
                "map",
                "--set",
                &format!("data={}", broken.display()),
            ],
        ),
        "not UTF-8",
    );
    let no_file = run(
        "no-file",
        &["trace", "map", "--set", "data=/nonexistent.toml"],
    );
    assert_bad_input(&no_file, "lesson.map.data: /nonexistent.toml: cannot read");
    assert_bad_input(&no_file, "allowed: empty for the shipped set, FILE.toml");
    assert_bad_input(
        &run("class", &["trace", "map", "--set", "class=truck"]),
        "lesson.map.class: 'truck' is not a class of the data",
    );
}

#[test]
fn score_and_sde_follow_the_trace_contract() {
    let out = run(
        "score",
        &["trace", "score", "--steps", "3", "--set", "particles=200"],
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,level,sigma,alpha,mean_x,mean_y,std_x,std_y");
    assert!(lines[1].starts_with("1,1,15.0,"), "{}", lines[1]);
    let out = run(
        "sde",
        &["trace", "sde", "--steps", "2", "--set", "particles=200"],
    );
    assert_eq!(
        stdout(&out).lines().next(),
        Some("step,t,mean_x,mean_y,std_x,std_y")
    );
    let out = run(
        "sde-forward",
        &[
            "trace",
            "sde",
            "--summary",
            "--set",
            "direction=forward",
            "--set",
            "particles=500",
        ],
    );
    let table: toml::Table = toml::from_str(&stdout(&out)).expect("valid TOML");
    assert_eq!(table["t_end"].as_float(), Some(1.0));
    assert!(table["std_theory"].as_array().is_some_and(|a| a.len() == 2));
    assert_bad_input(
        &run(
            "custom",
            &[
                "trace",
                "score",
                "--set",
                "target=custom",
                "--set",
                "means=1,2,3",
            ],
        ),
        "lesson.score.means: 3 numbers make no whole pairs for 2 weights",
    );
}

#[test]
fn unknown_lesson() {
    assert_bad_input(
        &run("bad-lesson", &["trace", "knapsak"]),
        "unknown lesson 'knapsak'",
    );
    assert_bad_input(
        &run("bad-lesson2", &["--lesson", "nope"]),
        "unknown lesson 'nope'",
    );
}

#[test]
fn unknown_key() {
    assert_bad_input(
        &run("bad-key", &["trace", "knapsack", "--set", "capacty=3"]),
        "lesson.knapsack.capacty: unknown parameter",
    );
}

#[test]
fn out_of_range() {
    assert_bad_input(
        &run("range", &["trace", "knapsack", "--set", "capacity=-3"]),
        "lesson.knapsack.capacity: -3 is below the minimum 0",
    );
    assert_bad_input(
        &run("range2", &["trace", "knapsack", "--set", "weights=1,2000"]),
        "lesson.knapsack.weights: entry 2 is 2000, outside 1 to 1000",
    );
    assert_bad_input(
        &run("choice", &["trace", "knapsack", "--set", "mode=3d"]),
        "lesson.knapsack.mode: '3d' is not one of 2d, 1d",
    );
}

#[test]
fn length_mismatch_names_both_lengths() {
    assert_bad_input(
        &run("mismatch", &["trace", "knapsack", "--set", "weights=1,2"]),
        "5 values for 2 weights",
    );
}

#[test]
fn malformed_set() {
    assert_bad_input(
        &run("malformed", &["trace", "knapsack", "--set", "capacity"]),
        "expected KEY=VALUE",
    );
}

#[test]
fn unreadable_config_file() {
    assert_bad_input(
        &run(
            "no-config",
            &["list", "--config", "/nonexistent/learndeck.toml"],
        ),
        "/nonexistent/learndeck.toml: cannot read",
    );
}

#[test]
fn unknown_config_key() {
    let dir = scratch("config-bad");
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[ui]\nframes = 3\n").expect("write");
    assert_bad_input(
        &run(
            "config-bad",
            &["list", "--config", path.to_str().unwrap_or_default()],
        ),
        "ui.frames: unknown key",
    );
}

#[test]
fn config_syntax_error_gives_the_line() {
    let dir = scratch("config-syntax");
    let path = dir.join("broken.toml");
    std::fs::write(&path, "seed = 1\n[ui\n").expect("write");
    assert_bad_input(
        &run(
            "config-syntax",
            &["list", "--config", path.to_str().unwrap_or_default()],
        ),
        "not valid TOML at line 2",
    );
}

#[test]
fn the_xdg_config_is_read_when_present() {
    let home = scratch("xdg");
    std::fs::create_dir_all(home.join("learndeck")).expect("dir");
    std::fs::write(
        home.join("learndeck/config.toml"),
        "[lesson.knapsack]\ncapacity = 99999\n",
    )
    .expect("write");
    assert_bad_input(
        &run("xdg", &["trace", "knapsack"]),
        "lesson.knapsack.capacity: 99999 is above the maximum 10000",
    );
}

#[test]
fn unknown_flag_is_one_line_and_exit_2() {
    assert_bad_input(
        &run("flag", &["trace", "knapsack", "--stepz", "3"]),
        "--stepz",
    );
}

#[test]
fn help_and_version_succeed() {
    assert!(run("help", &["--help"]).status.success());
    let out = run("version", &["--version"]);
    assert!(stdout(&out).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn dashboard_settings_are_checked_before_the_terminal_changes_mode() {
    // Refused with exit 2 and one line on a normal screen, before raw mode.
    let out = run("dash-set", &["--lesson", "optim", "--set", "lr=abc"]);
    assert_bad_input(&out, "lesson.optim.lr");
    let out = run("dash-key", &["--lesson", "optim", "--set", "nosuch=1"]);
    assert_bad_input(&out, "unknown parameter");
    // --set before a subcommand would silently apply to nothing.
    let out = run("dash-sub", &["--set", "lr=0.1", "trace", "optim"]);
    assert_bad_input(&out, "--set before a subcommand");
}

#[test]
fn medusa_reports_the_worked_example_buffers_and_is_lossless() {
    let summary = |name: &str, extra: &[&str]| -> toml::Table {
        let mut args = vec!["trace", "medusa", "--summary", "--set", "length=30"];
        args.extend_from_slice(extra);
        let out = run(name, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        toml::from_str(&stdout(&out)).expect("valid TOML")
    };
    let example = summary("medusa-example", &["--set", "tree=0;1;0,0;0,1"]);
    let ints = |v: &toml::Value| -> Vec<i64> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_integer().expect("integer"))
            .collect()
    };
    assert_eq!(ints(&example["tree_positions"]), [0, 1, 1, 2, 2]);
    let rows: Vec<Vec<i64>> = example["retrieve_indices"]
        .as_array()
        .expect("rows")
        .iter()
        .map(ints)
        .collect();
    assert_eq!(rows, [vec![0, 1, 4], vec![0, 1, 3], vec![0, 2, -1]]);
    // Greedy Medusa writes what plain decoding writes, in fewer passes.
    let plain = summary("medusa-plain", &["--set", "heads=0"]);
    let full = summary(
        "medusa-full",
        &["--set", "heads=5", "--set", "head_quality=1"],
    );
    assert_eq!(plain["text"], full["text"]);
    assert_eq!(plain["passes"].as_integer(), Some(30));
    assert!(full["passes"].as_integer().expect("passes") < 30);
    assert_bad_input(
        &run("medusa-tree", &["trace", "medusa", "--set", "tree=0;0,1,2"]),
        "lesson.medusa.tree: path 0,1,2 needs its prefix 0,1",
    );
}

#[test]
fn mtp_greedy_text_is_plain_decoding_in_fewer_passes() {
    let summary = |name: &str, extra: &[&str]| -> toml::Table {
        let mut args = vec!["trace", "mtp", "--summary", "--set", "length=30"];
        args.extend_from_slice(extra);
        let out = run(name, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        toml::from_str(&stdout(&out)).expect("valid TOML")
    };
    // Exact modules: every draft is kept, so depth 3 writes 4 tokens a pass.
    let exact = summary(
        "mtp-exact",
        &["--set", "depth=3", "--set", "module_quality=1"],
    );
    let noisy = summary("mtp-noisy", &["--set", "module_quality=0"]);
    assert_eq!(exact["text"], noisy["text"]);
    assert_eq!(exact["passes"].as_integer(), Some(8));
    // The comparison: Medusa with as many exact heads and the same prompt
    // writes the same greedy text, so it needs at least one token a pass.
    let medusa = exact["medusa_tokens_per_pass"]
        .as_float()
        .expect("reported");
    assert!(medusa >= 1.0, "{medusa}");
    let header = stdout(&run("mtp-trace", &["trace", "mtp", "--steps", "2"]));
    assert!(
        header.starts_with("step,accepted,new_tokens,total_tokens,passes\n"),
        "{header}"
    );
}

// The red team's inputs (issue: responsive, bounded, safe in what it prints).

#[test]
fn a_device_or_a_fifo_as_config_or_data_is_refused_at_once() {
    let out = run("dev-zero", &["--config", "/dev/zero", "list"]);
    assert_bad_input(&out, "/dev/zero: not a regular file");
    let out = run(
        "dev-zero-data",
        &["trace", "map", "--set", "data=/dev/urandom"],
    );
    assert_bad_input(&out, "lesson.map.data: /dev/urandom: not a regular file");
    #[cfg(unix)]
    {
        let fifo = scratch("fifo").join("pipe");
        let _ = std::fs::remove_file(&fifo);
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let fifo = fifo.display().to_string();
        // Opening a FIFO with no writer would block forever: this returns.
        let out = run("fifo-config", &["--config", &fifo, "list"]);
        assert_bad_input(&out, "not a regular file");
        let data = format!("data={fifo}");
        let out = run("fifo-data", &["trace", "map", "--set", &data]);
        assert_bad_input(&out, "not a regular file");
    }
}

#[test]
fn files_over_their_limit_are_refused_naming_it() {
    let path = scratch("huge-config").join("config.toml");
    // A comment line is valid TOML: only the size is wrong.
    let line = format!("# {}\n", "x".repeat(1_000));
    std::fs::write(&path, line.repeat(1_100)).expect("written");
    let path = path.display().to_string();
    let out = run("huge-config", &["--config", &path, "list"]);
    assert_bad_input(&out, "is over the limit of 1 MiB");
}

#[test]
fn a_snapshot_too_large_to_hold_is_refused() {
    let out = run(
        "huge-snapshot",
        &[
            "snapshot", "knapsack", "--width", "65535", "--height", "65535",
        ],
    );
    assert_bad_input(&out, "over the limit of 1000000");
    let out = run(
        "wide-snapshot",
        &[
            "snapshot", "knapsack", "--width", "1000", "--height", "1000",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn messages_escape_control_characters_and_shorten_long_values() {
    let out = run("newline", &["trace", "optim", "--set", "surface=x\ny"]);
    assert_bad_input(&out, "'x\\ny' is not one of");
    let out = run(
        "escape",
        &["trace", "optim", "--set", "surface=\u{1b}]0;pwned\u{7}"],
    );
    assert_bad_input(&out, "'\\e]0;pwned\\u{7}' is not one of");
    assert!(!stderr(&out).contains('\u{1b}'));
    let long = format!("surface={}", "y".repeat(100_000));
    let out = run("long", &["trace", "optim", "--set", &long]);
    assert_bad_input(&out, "…(100000 bytes)");
    assert!(stderr(&out).len() < 1_000, "{}", stderr(&out));
    let out = run("bad-key", &["trace", "optim", "--set", "\u{1b}[2J=1"]);
    assert_bad_input(&out, "lesson.optim.\\e[2J: unknown parameter");
}

#[test]
fn a_missing_argument_is_named() {
    let out = run("missing", &["trace"]);
    assert_bad_input(&out, "<LESSON>");
}

#[test]
fn words_of_another_script_in_a_prompt_become_unknown_words() {
    let out = run(
        "chinese-prompt",
        &["trace", "mtp", "--summary", "--set", "prompt=漢字"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("text = \"<unk>"), "{}", stdout(&out));
}

#[test]
fn overflowing_custom_targets_are_normalised_or_refused() {
    for lesson in ["score", "sde"] {
        let out = run(
            "huge-weights",
            &[
                "trace",
                lesson,
                "--summary",
                "--steps",
                "200",
                "--set",
                "target=custom",
                "--set",
                "weights=1e308,1e308",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("target_weights = [0.5, 0.5]"), "{text}");
        assert!(!text.contains("nan"), "{text}");
        let out = run(
            "huge-means",
            &[
                "trace",
                lesson,
                "--summary",
                "--set",
                "target=custom",
                "--set",
                "means=1e300,0,-1e300,0",
            ],
        );
        assert_bad_input(
            &out,
            &format!("lesson.{lesson}.means: 1e300 is too far out"),
        );
    }
}
