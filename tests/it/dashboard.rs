//! The dashboard driven as a test drives it: built from the built-in
//! configuration with some settings, keys pressed one at a time.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use learndeck::app::App;
use learndeck::config::{Config, Language};

/// The dashboard on lesson `id` in `language`, with `settings` applied to it.
pub fn app_with(id: &str, language: Language, settings: &[(&str, &str)]) -> App {
    let mut config = Config::builtin().expect("the built-in config is valid");
    config.ui.language = language;
    let set = config
        .lessons
        .iter_mut()
        .find(|set| set.lesson() == id)
        .expect("a lesson of the registry");
    for (key, value) in settings {
        set.set_text(key, value).expect("a valid setting");
    }
    App::new(&config, Some(id), true).expect("every lesson builds")
}

/// The dashboard on lesson `id` at its defaults, in English.
pub fn app_on(id: &str) -> App {
    app_with(id, Language::En, &[])
}

pub fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}
