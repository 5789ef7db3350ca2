//! Every action a user can take, and the one key table that drives input
//! handling, the footer hints and the help overlay alike.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextLesson,
    PrevLesson,
    /// Open the lesson at this tab index (0-based).
    GotoLesson(usize),
    PlayPause,
    StepForward,
    StepBack,
    Reset,
    Reseed,
    /// Copy the command that reproduces the run.
    CopyCommand,
    Faster,
    Slower,
    PrevParam,
    NextParam,
    DecreaseParam,
    IncreaseParam,
    EditParam,
    ToggleExplain,
    ToggleLanguage,
    ToggleHelp,
    /// The explanation pane: a page up or down, its top or its end.
    ScrollUp,
    ScrollDown,
    ScrollTop,
    ScrollEnd,
    /// Close the topmost overlay or discard pending edits.
    Cancel,
}

/// A key, or a family of keys, as written in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// `1`–`9` open tabs 1–9 and `0` tab 10.
    Digits,
    /// Not a key: a mouse click on a tab, listed so help mentions it.
    ClickTab,
}

impl Key {
    /// The name shown in the footer and help.
    pub fn label(&self) -> String {
        match self {
            Key::Char(' ') => "Space".to_string(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(code) => match code {
                KeyCode::Tab => "Tab".to_string(),
                KeyCode::BackTab => "Shift-Tab".to_string(),
                KeyCode::Up => "↑".to_string(),
                KeyCode::Down => "↓".to_string(),
                KeyCode::Left => "←".to_string(),
                KeyCode::Right => "→".to_string(),
                KeyCode::Enter => "Enter".to_string(),
                KeyCode::Esc => "Esc".to_string(),
                KeyCode::Backspace => "Backspace".to_string(),
                KeyCode::PageUp => "PgUp".to_string(),
                KeyCode::PageDown => "PgDn".to_string(),
                KeyCode::Home => "Home".to_string(),
                KeyCode::End => "End".to_string(),
                other => format!("{other:?}"),
            },
            Key::Digits => "1–9, 0".to_string(),
            Key::ClickTab => "click".to_string(),
        }
    }

    fn action_for(&self, event: &KeyEvent, action: Action) -> Option<Action> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match (self, event.code) {
            (Key::Ctrl(c), KeyCode::Char(pressed)) if ctrl => {
                (pressed.eq_ignore_ascii_case(c)).then_some(action)
            }
            (_, _) if ctrl => None,
            (Key::Char(c), KeyCode::Char(pressed)) => (*c == pressed).then_some(action),
            (Key::Code(code), pressed) => (*code == pressed).then_some(action),
            (Key::Digits, KeyCode::Char(d)) => d
                .to_digit(10)
                .map(|d| Action::GotoLesson(if d == 0 { 9 } else { d as usize - 1 })),
            _ => None,
        }
    }
}

/// One line of the key table.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// What it does, for help.
    pub help: &'static str,
    /// A short word for the footer, when it earns a place there.
    pub footer: Option<&'static str>,
}

/// The dashboard's keys, in the order help lists them.
pub const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Tab)],
        action: Action::NextLesson,
        help: "next lesson",
        footer: Some("lesson"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::BackTab)],
        action: Action::PrevLesson,
        help: "previous lesson",
        footer: None,
    },
    Binding {
        keys: &[Key::Digits, Key::ClickTab],
        // The digit pressed picks the tab; the index here is never used.
        action: Action::GotoLesson(0),
        help: "open lesson 1–10",
        footer: None,
    },
    Binding {
        keys: &[Key::Char(' ')],
        action: Action::PlayPause,
        help: "play / pause",
        footer: Some("play"),
    },
    Binding {
        keys: &[Key::Char('n'), Key::Char('.')],
        action: Action::StepForward,
        help: "step forward",
        footer: Some("step"),
    },
    Binding {
        keys: &[Key::Char('p'), Key::Char(',')],
        action: Action::StepBack,
        help: "step back (rewind)",
        footer: Some("back"),
    },
    Binding {
        keys: &[Key::Char('r')],
        action: Action::Reset,
        help: "reset to step 0",
        footer: Some("reset"),
    },
    Binding {
        keys: &[Key::Char('R')],
        action: Action::Reseed,
        help: "reset with a new seed",
        footer: None,
    },
    Binding {
        keys: &[Key::Char('y')],
        action: Action::CopyCommand,
        help: "copy run's command",
        footer: None,
    },
    Binding {
        keys: &[Key::Char('+'), Key::Char('=')],
        action: Action::Faster,
        help: "faster (steps/s)",
        footer: Some("faster"),
    },
    Binding {
        keys: &[Key::Char('-'), Key::Char('_')],
        action: Action::Slower,
        help: "slower (steps/s)",
        footer: Some("slower"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        action: Action::PrevParam,
        help: "previous parameter",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        action: Action::NextParam,
        help: "next parameter",
        footer: Some("param"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Left), Key::Char('h')],
        action: Action::DecreaseParam,
        help: "decrease parameter",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Right), Key::Char('l')],
        action: Action::IncreaseParam,
        help: "increase parameter",
        footer: Some("change"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: Action::EditParam,
        help: "type a value or list",
        footer: Some("type"),
    },
    Binding {
        keys: &[Key::Char('e')],
        action: Action::ToggleExplain,
        help: "explanation pane",
        footer: Some("explain"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageUp)],
        action: Action::ScrollUp,
        help: "explanation: page up",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageDown)],
        action: Action::ScrollDown,
        help: "explanation: page down",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home)],
        action: Action::ScrollTop,
        help: "explanation: top",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::End)],
        action: Action::ScrollEnd,
        help: "explanation: end",
        footer: None,
    },
    Binding {
        keys: &[Key::Char('L')],
        action: Action::ToggleLanguage,
        help: "language: English/中文",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: Action::Cancel,
        help: "close pane, drop edits",
        footer: None,
    },
    Binding {
        keys: &[Key::Char('?')],
        action: Action::ToggleHelp,
        help: "this help",
        footer: Some("help"),
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c')],
        action: Action::Quit,
        help: "quit",
        footer: Some("quit"),
    },
];

/// What the input line does with keys while a value is being typed.
pub enum EditAction {
    Apply,
    Cancel,
    DeleteBack,
    Insert(char),
    Quit,
}

/// The keys of the input line, listed in help and its footer.
pub const EDIT_KEYS: &[(&str, &str)] = &[
    ("Enter", "apply the value"),
    ("Esc", "cancel, keep old value"),
    ("Backspace", "delete"),
    ("Ctrl-C", "quit"),
];

/// The action bound to a key press in the dashboard, if any.
pub fn lookup(event: &KeyEvent) -> Option<Action> {
    KEYS.iter().find_map(|binding| {
        binding
            .keys
            .iter()
            .find_map(|key| key.action_for(event, binding.action))
    })
}

/// The input line's reading of a key press.
pub fn lookup_edit(event: &KeyEvent) -> Option<EditAction> {
    if event.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(event.code, KeyCode::Char('c' | 'C')).then_some(EditAction::Quit);
    }
    match event.code {
        KeyCode::Enter => Some(EditAction::Apply),
        KeyCode::Esc => Some(EditAction::Cancel),
        KeyCode::Backspace => Some(EditAction::DeleteBack),
        KeyCode::Char(c) => Some(EditAction::Insert(c)),
        _ => None,
    }
}

/// The label of a binding's keys: `n / .`.
pub fn keys_label(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(Key::label)
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn every_action_key_resolves_to_its_binding() {
        for binding in KEYS {
            for key in binding.keys {
                let event = match key {
                    Key::Char(c) => press(KeyCode::Char(*c)),
                    Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL),
                    Key::Code(code) => press(*code),
                    Key::Digits | Key::ClickTab => continue,
                };
                assert_eq!(lookup(&event), Some(binding.action), "{key:?}");
            }
        }
    }

    #[test]
    fn digits_open_tabs_with_zero_as_ten() {
        assert_eq!(
            lookup(&press(KeyCode::Char('1'))),
            Some(Action::GotoLesson(0))
        );
        assert_eq!(
            lookup(&press(KeyCode::Char('0'))),
            Some(Action::GotoLesson(9))
        );
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for binding in KEYS {
            for key in binding.keys {
                assert!(!seen.contains(key), "{key:?} bound twice");
                seen.push(*key);
            }
        }
    }

    #[test]
    fn ctrl_c_quits_but_plain_c_does_nothing() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&ctrl_c), Some(Action::Quit));
        assert_eq!(lookup(&press(KeyCode::Char('c'))), None);
    }
}
