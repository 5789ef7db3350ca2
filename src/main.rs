//! learndeck: parse the command line, load config, dispatch.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use learndeck::app::App;
use learndeck::cli::{Cli, Command};
use learndeck::config::{Config, Language};
use learndeck::error::{self, EXIT_BAD_INPUT, UserError};
use learndeck::i18n::Lang;
use learndeck::lessons::REGISTRY;
use learndeck::theme::Theme;
use learndeck::{headless, progress, quiz, tui};

/// Exit code when writing the output fails for a reason other than a closed pipe.
const EXIT_IO: u8 = 1;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err)
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            // clap's first line says what was wrong; keep the promise of one line.
            // Its first paragraph says what was wrong, sometimes over several
            // lines (the missing argument is on the second): one line of it.
            let rendered = err.render().to_string();
            let first: Vec<&str> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let first = if first.is_empty() {
                "invalid arguments".to_string()
            } else {
                first.join(" ")
            };
            eprintln!("{} (see learndeck --help)", error::one_line(&first));
            return ExitCode::from(EXIT_BAD_INPUT as u8);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(err)) => {
            eprintln!("learndeck: {err}");
            ExitCode::from(EXIT_BAD_INPUT as u8)
        }
        // A reader that stops early (`| head`) is not an error.
        Err(Failure::Io(err)) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(err)) => {
            eprintln!("learndeck: {err}");
            ExitCode::from(EXIT_IO)
        }
    }
}

enum Failure {
    User(UserError),
    Io(io::Error),
}

impl From<UserError> for Failure {
    fn from(err: UserError) -> Self {
        Failure::User(err)
    }
}

impl From<io::Error> for Failure {
    fn from(err: io::Error) -> Self {
        Failure::Io(err)
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(seed) = cli.seed {
        config.seed = seed;
    }
    match cli.lang.as_deref() {
        Some("zh") => config.ui.language = Language::Zh,
        Some(_) => config.ui.language = Language::En,
        None => {}
    }
    if cli.command.is_some() && !cli.set.is_empty() {
        return Err(UserError::new(
            "--set before a subcommand has no lesson to apply to; put it after the lesson, \
             for example: learndeck trace optim --set lr=0.01",
        )
        .into());
    }
    // Scripts' output stays English unless --lang asks otherwise (not the
    // config's `auto`, which reads the locale).
    let script_lang = match cli.lang.as_deref() {
        Some("zh") => Lang::Zh,
        _ => Lang::En,
    };
    let stdout = io::stdout();
    match cli.command {
        Some(Command::List) => {
            let mut out = BufWriter::new(stdout.lock());
            headless::list(&config, &mut out)?;
            out.flush()?;
        }
        Some(Command::Trace(args)) => {
            let mut lesson = headless::build(&config, &args.run)?;
            let mut out = BufWriter::new(stdout.lock());
            if args.summary {
                headless::summary(lesson.as_mut(), args.run.steps, &mut out)?;
            } else if args.events {
                headless::events(lesson.as_mut(), args.run.steps, &mut out)?;
            } else {
                headless::trace(lesson.as_mut(), args.run.steps, &mut out)?;
            }
            out.flush()?;
        }
        Some(Command::Tour(args)) => {
            let text = headless::tour(&config, &args)?;
            let mut out = stdout.lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(Command::Snapshot(args)) => {
            let text = headless::snapshot(&config, &args.run, args.width, args.height)?;
            let mut out = stdout.lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(Command::Quiz(args)) => {
            let text = quiz::quiz(&config, &args, script_lang)?;
            let mut out = stdout.lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(Command::Progress(args)) => {
            let path = progress::default_path();
            let text = if args.path {
                let path = path.ok_or_else(|| UserError::new(progress::no_place().en))?;
                format!("{}\n", path.display())
            } else {
                let order: Vec<&str> = REGISTRY.iter().map(|entry| entry.id).collect();
                progress::report(path.as_deref(), &order)?
            };
            let mut out = stdout.lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        None => {
            // Everything that can fail on bad input fails here, before the
            // terminal changes mode, so the message lands on a normal screen.
            let mut app = App::from_command_line(
                &config,
                cli.lesson.as_deref(),
                &cli.set,
                Theme::no_color_requested(),
            )?;
            tui::ensure_terminal()?;
            // A missing, read-only or corrupt progress file never stops the
            // dashboard: it says so once on the status line.
            let (store, warning) = progress::Store::open(cli.no_progress);
            app.progress = store;
            if let Some(warning) = warning {
                app.notify_error(warning);
            }
            tui::run(&mut app)?;
        }
    }
    Ok(())
}
