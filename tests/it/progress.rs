//! The progress file (src/progress.rs): it round-trips, survives corruption,
//! a read-only directory and a missing home, writes atomically, and
//! `learndeck progress` prints it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use learndeck::files::MIB;
use learndeck::progress::{FILE_NAME, Progress, Saving, Store};

/// A fresh, empty scratch folder per test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("learndeck-progress-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Some of everything: a finished tour, one begun, answers of two kinds.
fn record(store: &mut Store) {
    for stop in 0..3 {
        assert_eq!(store.record_stop("knapsack", stop, 3), None);
    }
    assert_eq!(store.record_stop("heap", 1, 4), None);
    assert_eq!(
        store.record_answer("knapsack", "cell", true, at(1_700_000_000)),
        None
    );
    assert_eq!(
        store.record_answer("knapsack", "take", false, at(1_700_000_100)),
        None
    );
}

#[test]
fn progress_round_trips_through_the_file() {
    let dir = scratch("round-trip");
    // The state directory does not exist yet: saving creates it.
    let file = dir.join("state").join("learndeck").join(FILE_NAME);
    let (mut store, warning) = Store::at(Some(file.clone()), false);
    assert_eq!(warning, None);
    record(&mut store);
    let (again, warning) = Store::at(Some(file.clone()), false);
    assert_eq!(warning, None);
    assert_eq!(again.progress(), store.progress());
    assert!(again.progress().tour_finished("knapsack"));
    assert!(!again.progress().tour_finished("heap"));
    assert_eq!(again.progress().accuracy("knapsack"), Some((1, 2)));
    assert_eq!(
        again
            .progress()
            .last_answered("knapsack")
            .map(|t| t.to_string()),
        Some("2023-11-14T22:15:00Z".to_string())
    );
}

#[test]
fn saves_leave_no_temporary_file_behind() {
    let dir = scratch("atomic");
    let file = dir.join(FILE_NAME);
    let (mut store, _) = Store::at(Some(file.clone()), false);
    record(&mut store);
    assert_eq!(names(&dir), [FILE_NAME]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A directory it creates is private; the test's own is not checked.
        let nested = dir.join("new").join(FILE_NAME);
        Progress::default().save(&nested).expect("saved");
        let mode = std::fs::metadata(dir.join("new"))
            .expect("created")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

/// `bytes` as the progress file: moved aside byte for byte, one warning,
/// a fresh start, and the next save writes a new file.
fn survives(name: &str, bytes: &[u8]) {
    let dir = scratch(name);
    let file = dir.join(FILE_NAME);
    std::fs::write(&file, bytes).expect("written");
    let (mut store, warning) = Store::at(Some(file.clone()), false);
    let warning = warning.expect("a warning");
    assert!(warning.en.contains("progress.toml.bad"), "{}", warning.en);
    assert!(warning.zh.contains("progress.toml.bad"), "{}", warning.zh);
    assert!(store.progress().is_empty());
    assert_eq!(store.saving(), &Saving::On);
    assert_eq!(
        std::fs::read(dir.join("progress.toml.bad")).expect("set aside"),
        bytes
    );
    record(&mut store);
    assert_eq!(names(&dir), ["progress.toml", "progress.toml.bad"]);
}

#[test]
fn a_corrupt_file_is_moved_aside_and_progress_starts_fresh() {
    survives("bad-toml", b"[lesson.knapsack\nseen = oops\n");
    survives("wrong-types", b"[lesson.knapsack.tour]\nseen = \"all\"\n");
    survives(
        "contradiction",
        b"[lesson.k.quiz.cell]\nasked = 1\nright = 5\n",
    );
    survives("not-utf8", &[0xff, 0xfe, 0x00, 0x80]);
    let big = vec![b'#'; usize::try_from(MIB).expect("fits") + 1];
    survives("too-large", &big);
}

#[test]
fn a_directory_in_the_files_place_is_moved_aside() {
    let dir = scratch("directory");
    let file = dir.join(FILE_NAME);
    std::fs::create_dir(&file).expect("a directory");
    let (mut store, warning) = Store::at(Some(file.clone()), false);
    assert!(warning.is_some());
    assert!(dir.join("progress.toml.bad").is_dir());
    record(&mut store);
    assert!(file.is_file());
}

#[test]
fn a_file_from_a_newer_learndeck_is_left_alone() {
    let dir = scratch("newer");
    let file = dir.join(FILE_NAME);
    let text = "version = 99\n[lesson.knapsack.badges]\ngold = 1\n";
    std::fs::write(&file, text).expect("written");
    let (mut store, warning) = Store::at(Some(file.clone()), false);
    assert!(warning.is_some_and(|w| w.en.contains("newer")));
    assert!(matches!(store.saving(), Saving::Off(_)));
    record(&mut store);
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), text);
    assert_eq!(names(&dir), [FILE_NAME]);
}

#[test]
fn no_progress_neither_reads_nor_writes() {
    let dir = scratch("disabled");
    let file = dir.join(FILE_NAME);
    std::fs::write(&file, "garbage").expect("written");
    let (mut store, warning) = Store::at(Some(file.clone()), true);
    assert_eq!(warning, None);
    assert_eq!(store.saving(), &Saving::Disabled);
    record(&mut store);
    assert!(store.progress().tour_finished("knapsack"), "kept in memory");
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "garbage");
    assert!(store.describe().en.contains("--no-progress"));
}

#[test]
fn a_missing_home_runs_without_saving_and_says_so() {
    let (mut store, warning) = Store::at(None, false);
    assert!(warning.is_some_and(|w| w.en.contains("HOME")));
    assert!(matches!(store.saving(), Saving::Off(_)));
    record(&mut store);
    assert_eq!(store.progress().accuracy("knapsack"), Some((1, 2)));
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_runs_without_saving_and_says_so_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("read-only");
    let file = dir.join(FILE_NAME);
    let corrupt = dir.join("corrupt");
    std::fs::create_dir(&corrupt).expect("a folder");
    std::fs::write(corrupt.join(FILE_NAME), "garbage").expect("written");
    let set_mode = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    set_mode(&dir, 0o555);
    set_mode(&corrupt, 0o555);
    // Root writes anywhere: then there is nothing to test.
    let probe = dir.join("probe");
    let writable = std::fs::write(&probe, "").is_ok();
    if !writable {
        let (mut store, warning) = Store::at(Some(file.clone()), false);
        assert_eq!(warning, None, "no file yet: nothing to say until a save");
        let first = store.record_answer("knapsack", "cell", true, at(0));
        assert!(first.is_some_and(|w| w.en.contains("not saved")));
        assert_eq!(store.record_answer("knapsack", "cell", true, at(1)), None);
        assert!(matches!(store.saving(), Saving::Off(_)));
        assert_eq!(store.progress().accuracy("knapsack"), Some((2, 2)));
        assert!(!file.exists());

        // A corrupt file that cannot be moved aside is not written over.
        let stuck = corrupt.join(FILE_NAME);
        let (mut store, warning) = Store::at(Some(stuck.clone()), false);
        assert!(warning.is_some_and(|w| w.en.contains("could not move it aside")));
        record(&mut store);
        assert_eq!(std::fs::read_to_string(&stuck).expect("kept"), "garbage");
    }
    set_mode(&dir, 0o755);
    set_mode(&corrupt, 0o755);
}

#[test]
fn a_place_that_cannot_be_created_runs_without_saving() {
    // A file where the directory should be: refused even to root, unlike
    // a read-only directory.
    let dir = scratch("blocked");
    std::fs::write(dir.join("learndeck"), "a file").expect("written");
    let file = dir.join("learndeck").join(FILE_NAME);
    let (mut store, warning) = Store::at(Some(file), false);
    assert_eq!(warning, None);
    let first = store.record_answer("knapsack", "cell", true, at(0));
    assert!(first.is_some_and(|w| w.en.contains("not saved") && w.zh.contains("不保存")));
    assert_eq!(store.record_stop("knapsack", 0, 2), None, "said once");
    assert!(store.describe().en.contains("not saved"));
    assert_eq!(store.progress().accuracy("knapsack"), Some((1, 1)));
}

#[test]
fn a_corrupt_file_with_no_room_aside_is_not_written_over() {
    let dir = scratch("no-room");
    let file = dir.join(FILE_NAME);
    std::fs::write(&file, "garbage").expect("written");
    std::fs::write(dir.join("progress.toml.bad"), "old").expect("written");
    for copy in 1..10 {
        std::fs::write(dir.join(format!("progress.toml.bad.{copy}")), "old").expect("written");
    }
    let (mut store, warning) = Store::at(Some(file.clone()), false);
    assert!(warning.is_some_and(|w| w.en.contains("could not move it aside")));
    record(&mut store);
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "garbage");
}

/// The binary with its state in `state` (and no other home to find).
fn learndeck(state: Option<&Path>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_learndeck"));
    command
        .args(args)
        .env_remove("HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env("LC_ALL", "C")
        .env("LANG", "C");
    if let Some(state) = state {
        command.env("XDG_STATE_HOME", state);
    }
    command.output().expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_progress_command_prints_a_table() {
    let state = scratch("cli-table");
    let file = state.join("learndeck").join(FILE_NAME);
    let (mut store, _) = Store::at(Some(file.clone()), false);
    record(&mut store);
    let out = learndeck(Some(&state), &["progress"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let row = |id: &str| {
        text.lines()
            .find(|line| line.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no {id} row in:\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        text.lines()
            .next()
            .map(str::split_whitespace)
            .map(Vec::from_iter),
        Some(vec!["lesson", "tour", "quiz", "last", "answered"])
    );
    assert_eq!(
        row("knapsack"),
        ["knapsack", "3/3", "1/2", "50%", "2023-11-14T22:15:00Z"]
    );
    assert_eq!(row("heap"), ["heap", "1/4", "-", "-"]);
    assert_eq!(row("optim"), ["optim", "-", "-", "-"]);

    let out = learndeck(Some(&state), &["progress", "--path"]);
    assert_eq!(stdout(&out).trim_end(), file.display().to_string());
}

#[test]
fn the_progress_command_without_a_file_says_where_it_would_be() {
    let state = scratch("cli-empty");
    let out = learndeck(Some(&state), &["progress"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains("No progress recorded yet"), "{text}");
    assert!(
        text.contains(
            &state
                .join("learndeck")
                .join(FILE_NAME)
                .display()
                .to_string()
        ),
        "{text}"
    );
    // Nothing is created by looking.
    assert!(names(&state).is_empty());

    let out = learndeck(None, &["progress"]);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).contains("not saved"), "{}", stdout(&out));
    let out = learndeck(None, &["progress", "--path"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_progress_command_reports_a_corrupt_file_and_leaves_it() {
    let state = scratch("cli-corrupt");
    let file = state.join("learndeck").join(FILE_NAME);
    std::fs::create_dir_all(state.join("learndeck")).expect("dir");
    std::fs::write(&file, "[lesson").expect("written");
    let out = learndeck(Some(&state), &["progress"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("not a progress file"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "[lesson");
}

#[test]
fn no_progress_is_a_global_flag() {
    let out = learndeck(None, &["--no-progress", "list"]);
    assert!(out.status.success(), "{out:?}");
    let out = learndeck(None, &["progress", "--no-progress"]);
    assert!(out.status.success(), "{out:?}");
}
