//! The real binary in a pseudo-terminal: a user's session from the first frame
//! to quitting, and proof that the terminal is handed back however it ends.
#![cfg(unix)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ENTER_ALTERNATE: &str = "\x1b[?1049h";
const LEAVE_ALTERNATE: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";
/// Drawn on the status line of every frame.
const FRAME_MARK: &str = "steps/s";
const BRACKETED_PASTE_ON: &str = "\x1b[?2004h";
const BRACKETED_PASTE_OFF: &str = "\x1b[?2004l";
const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";
/// Ctrl-U as a terminal sends it.
const CTRL_U: &str = "\x15";
/// Generous: the test binary is an unoptimised build.
const PATIENCE: Duration = Duration::from_secs(30);
/// Lets the dashboard read one key before the next arrives.
const KEY_GAP: Duration = Duration::from_millis(25);

struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Copies the terminal's output into `output` until the program is gone.
    reader: thread::JoinHandle<()>,
    // Kept open until the session ends: dropping it hangs up the terminal.
    _master: Box<dyn MasterPty + Send>,
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("learndeck-pty-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn start(name: &str, args: &[&str]) -> Session {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal opens");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_learndeck"));
    command.args(args);
    let home = scratch(name);
    command.env("XDG_CONFIG_HOME", &home);
    command.env("HOME", &home);
    // The screens these tests read are English, whatever the machine's locale.
    command.env("LC_ALL", "C");
    command.env("LANG", "C");
    command.env("TERM", "xterm-256color");
    let child = pty.slave.spawn_command(command).expect("the binary starts");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&output);
    let reader = thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        // Reading ends with EOF or EIO once the program has exited.
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock()
                .expect("output lock")
                .extend_from_slice(&chunk[..n]);
        }
    });
    let writer = pty.master.take_writer().expect("writer");
    Session {
        child,
        writer,
        output,
        reader,
        _master: pty.master,
    }
}

impl Session {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().expect("output lock")).into_owned()
    }

    /// As `wait_for`, but only in what was written after `from` bytes.
    fn wait_for_after(&self, from: usize, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self
            .text()
            .get(from..)
            .is_some_and(|new| new.contains(needle))
        {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} within {PATIENCE:?} after byte {from}: {:?}",
                self.text().get(from..).unwrap_or("")
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} within {PATIENCE:?}; the output ends: {:?}",
                // The end is what the last keys drew.
                self.text()
                    .chars()
                    .rev()
                    .take(3_000)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        for key in keys.chars() {
            let mut bytes = [0u8; 4];
            self.writer
                .write_all(key.encode_utf8(&mut bytes).as_bytes())
                .expect("key sent");
            self.writer.flush().expect("key flushed");
            thread::sleep(KEY_GAP);
        }
    }

    /// Sends `text` as a terminal with bracketed paste on sends a paste: in
    /// one write, between the start and end marks.
    fn paste(&mut self, text: &str) {
        let bracketed = format!("{PASTE_START}{text}{PASTE_END}");
        self.writer
            .write_all(bracketed.as_bytes())
            .expect("paste sent");
        self.writer.flush().expect("paste flushed");
        thread::sleep(KEY_GAP);
    }

    /// Everything the program wrote, once it has ended and the terminal has
    /// been read to the end: its last bytes (leaving the alternate screen)
    /// can still be in flight when its exit status is already known.
    fn final_text(&self) -> String {
        let deadline = Instant::now() + PATIENCE;
        while !self.reader.is_finished() {
            assert!(
                Instant::now() < deadline,
                "output still open after {PATIENCE:?}"
            );
            thread::sleep(Duration::from_millis(20));
        }
        self.text()
    }

    /// The exit code, waiting for the program to end.
    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "still running after {PATIENCE:?}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("a running child has a pid")
    }
}

/// The terminal was handed back: after the last time the alternate screen was
/// entered, it was left and the cursor shown again.
fn assert_restored(output: &str) {
    let entered = output.rfind(ENTER_ALTERNATE).expect("the dashboard drew");
    let tail = &output[entered..];
    assert!(tail.contains(LEAVE_ALTERNATE), "alternate screen not left");
    assert!(tail.contains(SHOW_CURSOR), "cursor not shown again");
    assert!(
        output.contains(BRACKETED_PASTE_ON) && tail.contains(BRACKETED_PASTE_OFF),
        "bracketed paste not turned off again"
    );
    assert!(!output.contains("panicked"), "a panic: {output}");
}

#[test]
fn a_whole_session_then_q_hands_the_terminal_back() {
    let mut session = start("session", &["--lesson", "knapsack"]);
    session.wait_for(FRAME_MARK);
    for _ in 0..learndeck::lessons::REGISTRY.len() {
        // Play a moment, pause, step back, change a parameter, open help and
        // the explanation in both languages, then go to the next lesson.
        session.keys(" ");
        thread::sleep(Duration::from_millis(150));
        session.keys(" p.lj?xeL\x1b\tL");
    }
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
    assert_restored(&session.final_text());
}

#[test]
fn ctrl_c_quits_cleanly() {
    let mut session = start("ctrl-c", &["--lesson", "optim"]);
    session.wait_for(FRAME_MARK);
    session.keys(" \x03");
    assert_eq!(session.exit_code(), 0);
    assert_restored(&session.final_text());
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut session = start("sigterm", &["--lesson", "heap"]);
    session.wait_for(FRAME_MARK);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &session.pid().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    // 128 + SIGTERM, the shell's convention for "ended by signal 15".
    assert_eq!(session.exit_code(), 143);
    assert_restored(&session.final_text());
}

#[test]
fn a_bad_config_is_reported_on_the_normal_screen_with_exit_2() {
    let dir = scratch("bad-config");
    let path = dir.join("config.toml");
    std::fs::write(&path, "[lesson.knapsack]\ncapacity = -3\n").expect("write config");
    let path = path.display().to_string();
    let mut session = start("bad-config", &["--config", &path]);
    assert_eq!(session.exit_code(), 2);
    session.wait_for("lesson.knapsack.capacity");
    let output = session.final_text();
    assert!(
        !output.contains(ENTER_ALTERNATE),
        "the screen changed: {output:?}"
    );
}

/// How soon `q` must end a run at full speed on the heaviest settings. The
/// dashboard answers in tens of milliseconds (README, Performance); this bound
/// is generous for an unoptimised test build on a loaded machine, and far
/// below the minutes a run without a step budget took.
const QUIT_BOUND: Duration = Duration::from_secs(5);

/// Plays `args` at the top speed for a moment, then quits with `q` and
/// returns how long the dashboard took to end.
fn quit_at_top_speed(name: &str, args: &[&str]) -> Duration {
    let mut session = start(name, args);
    session.wait_for(FRAME_MARK);
    // `+` up to the top speed, then play.
    session.keys(&"+".repeat(learndeck::app::SPEEDS.len()));
    session.keys(" ");
    thread::sleep(Duration::from_millis(1_500));
    let asked = Instant::now();
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
    let took = asked.elapsed();
    assert_restored(&session.final_text());
    took
}

#[test]
fn q_answers_at_once_while_sde_runs_100k_particles_at_top_speed() {
    let took = quit_at_top_speed(
        "budget-sde",
        &[
            "--lesson",
            "sde",
            "--set",
            "particles=100000",
            "--set",
            "sampler=pc",
            "--set",
            "n_steps=10000",
        ],
    );
    assert!(took < QUIT_BOUND, "q took {took:?}");
}

#[test]
fn q_answers_at_once_while_score_runs_100k_particles_at_top_speed() {
    let took = quit_at_top_speed(
        "budget-score",
        &[
            "--lesson",
            "score",
            "--set",
            "particles=100000",
            "--set",
            "levels=100",
        ],
    );
    assert!(took < QUIT_BOUND, "q took {took:?}");
}

#[test]
fn q_answers_at_once_while_medusa_samples_its_longest_text() {
    let took = quit_at_top_speed(
        "budget-medusa",
        &[
            "--lesson",
            "medusa",
            "--set",
            "temperature=2",
            "--set",
            "length=1000",
            "--set",
            "order=4",
        ],
    );
    assert!(took < QUIT_BOUND, "q took {took:?}");
}

#[test]
fn a_run_that_cannot_keep_up_says_the_speed_it_reached() {
    let mut session = start("reached", &["--lesson", "sde", "--set", "particles=100000"]);
    session.wait_for(FRAME_MARK);
    session.keys(&"+".repeat(learndeck::app::SPEEDS.len()));
    session.keys(" ");
    session.wait_for("steps/s of 10000");
    session.keys("q");
    assert_eq!(session.exit_code(), 0);
}

#[test]
fn without_a_terminal_the_dashboard_says_so_and_writes_nothing() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_learndeck"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{:?}", output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("needs a terminal; `learndeck trace` runs without one"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// Standard base64, as OSC 52 carries the clipboard text.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (at, &b)| n | u32::from(b) << (16 - 8 * at));
        for at in 0..4 {
            if at <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * at) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What `y` sends when the run's command is `command`: the way to read a
/// value back from the dashboard, whole, whatever the screen diff drew.
fn copied(command: &str) -> String {
    format!("\x1b]52;c;{}\x1b\\", base64(command.as_bytes()))
}

#[test]
fn base64_matches_the_standard_examples() {
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"f"), "Zg==");
}

#[test]
fn ctrl_u_typing_and_enter_set_a_value() {
    let mut session = start("editor", &["--lesson", "knapsack"]);
    session.wait_for(FRAME_MARK);
    // Capacity (the third parameter): the old value opens selected; Ctrl-U
    // clears it, as it deletes everything before the cursor at its end.
    session.keys("jj\r");
    session.keys(CTRL_U);
    session.keys("37\r");
    session.keys("y");
    session.wait_for(&copied(
        "learndeck --lesson knapsack --seed 1 --set capacity=37",
    ));
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
    assert_restored(&session.final_text());
}

#[test]
fn a_bracketed_paste_of_a_long_list_is_one_edit() {
    let mut session = start("paste-list", &["--lesson", "sorts"]);
    session.wait_for(FRAME_MARK);
    // Its digits would open lessons and its commas step back, were they keys.
    let list: Vec<String> = (0..1_500).map(|n| ((n * 37) % 2_000).to_string()).collect();
    let list = list.join(",");
    session.keys("j\r"); // data
    session.paste(&format!("{list}\n"));
    session.keys("\ry");
    session.wait_for(&copied(&format!(
        "learndeck --lesson sorts --seed 1 --set data={list}"
    )));
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
}

#[test]
fn a_paste_outside_the_input_line_changes_nothing() {
    let mut session = start("paste-outside", &["--lesson", "knapsack"]);
    session.wait_for(FRAME_MARK);
    // As keys: open lesson 1, step, reset with a new seed, quit.
    session.paste("1nRq");
    session.keys("y");
    session.wait_for(&copied("learndeck --lesson knapsack --seed 1"));
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
}

/// How long a 100 KB paste may take from the first byte sent to the screen
/// after it, in this unoptimised build on a loaded machine; a release build
/// takes milliseconds. The character-at-a-time editor took over 10 s for 9 KB.
const PASTE_BOUND: Duration = Duration::from_secs(5);

#[test]
fn a_100_kb_paste_lands_in_well_under_the_bound() {
    let mut session = start("paste-100kb", &["--lesson", "knapsack"]);
    session.wait_for(FRAME_MARK);
    session.keys("\r"); // weights: at most 40 entries
    let list = vec!["3"; 50_000].join(",");
    assert!(list.len() >= 99_999);
    let sent = Instant::now();
    session.paste(&list);
    // Enter is refused (far too many entries) and the value stays; Esc
    // drops it, and `y` shows the run unchanged once all of it is done.
    session.keys("\r\x1by");
    session.wait_for(&copied("learndeck --lesson knapsack --seed 1"));
    let took = sent.elapsed();
    assert!(took < PASTE_BOUND, "the paste took {took:?}");
    eprintln!("100 KB paste, refusal and copy: {took:?}");
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
}

/// The answers the dashboard's first two questions on knapsack expect, and
/// the one quiz mode asks before the first take, worked out by the same App
/// in-process (the binary runs the same code with the same defaults).
fn knapsack_answers() -> (String, String, String) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let mut config = learndeck::config::Config::builtin().expect("valid");
    config.ui.language = learndeck::config::Language::En;
    let press = |app: &mut learndeck::app::App, code| {
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    };
    let mut app = learndeck::app::App::new(&config, Some("knapsack"), true).expect("builds");
    let answer = |app: &learndeck::app::App| {
        app.asking
            .as_ref()
            .expect("a question")
            .question
            .answer
            .typed()
    };
    press(&mut app, KeyCode::Char('a'));
    let first = answer(&app);
    for c in first.chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    let second = answer(&app);
    // Quiz mode on a fresh run: the question before the first take.
    let mut app = learndeck::app::App::new(&config, Some("knapsack"), true).expect("builds");
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Char(' '));
    app.advance(1_000);
    (first, second, answer(&app))
}

/// Something of the same form that is not `right`.
fn wrong_answer(right: &str) -> String {
    match right.parse::<i64>() {
        Ok(n) => (n + 1).to_string(),
        Err(_) if right == "a" => "b".to_string(),
        Err(_) => "a".to_string(),
    }
}

#[test]
fn a_tour_a_right_and_a_wrong_answer_a_jump_and_quiz_mode_in_a_real_terminal() {
    let (first, second, quizzed) = knapsack_answers();
    let mut session = start("teaching", &["--lesson", "knapsack"]);
    session.wait_for(FRAME_MARK);

    // ] lands on the first take, which the status line names.
    session.keys("]");
    session.wait_for("take i=1,j=2");

    // A question answered right, then one answered wrong.
    session.keys("r");
    session.keys("a");
    session.keys(&first);
    session.keys("\r");
    session.wait_for("Right");
    session.keys("a");
    session.keys(&wrong_answer(&second));
    session.keys("\r");
    session.wait_for("Not quite");

    // Quiz mode: playing stops before the first take and asks.
    session.keys("r");
    session.keys("A");
    let before_play = session.text().len();
    session.keys(" ");
    // The answer line opens in the footer (the pseudocode says "skip" too).
    session.wait_for_after(before_play, "answer:");
    session.keys(&quizzed);
    session.keys("\r");
    session.keys("A");

    // The tour (last: its stops leave the lesson on their own settings),
    // walked to its end: every stop, then t ends it.
    let stops = learndeck::lessons::find("knapsack")
        .and_then(|entry| entry.tour)
        .map_or(0, |text| text.matches("[[stop]]").count());
    for _ in 0..=stops {
        session.keys("t");
    }
    session.wait_for("tour finished");
    session.keys("q");
    assert_eq!(session.exit_code(), 0, "{}", session.text());
    assert_restored(&session.final_text());

    // What was done is in the progress file under the session's HOME.
    let file = scratch("teaching")
        .join(".local")
        .join("state")
        .join("learndeck")
        .join("progress.toml");
    let progress = learndeck::progress::Progress::read(&file)
        .expect("readable")
        .expect("written");
    assert!(progress.tour_finished("knapsack"));
    assert_eq!(progress.accuracy("knapsack"), Some((2, 3)));
}
