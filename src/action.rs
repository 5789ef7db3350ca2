//! Every action a user can take, and the one key table that drives input
//! handling, the footer hints and the help overlay alike.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextLesson,
    PrevLesson,
    /// Open the lesson at this tab index (0-based).
    GotoLesson(usize),
    /// Open the go-to prompt: a lesson is then chosen by its id.
    GotoPrompt,
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
    /// Any printable character, typed into the input line or the go-to prompt.
    Typed,
    /// Not a key: a mouse click on a tab, listed so help mentions it.
    ClickTab,
    /// Not a key: a mouse click on the tab bar's `‹` or `›` mark.
    ClickMore,
    /// Not a key: text pasted at once (the terminal's bracketed paste).
    Paste,
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
                KeyCode::Delete => "Delete".to_string(),
                KeyCode::Home => "Home".to_string(),
                KeyCode::End => "End".to_string(),
                KeyCode::PageUp => "PgUp".to_string(),
                KeyCode::PageDown => "PgDn".to_string(),
                other => format!("{other:?}"),
            },
            Key::Digits => "1–9, 0".to_string(),
            Key::Typed => "typing".to_string(),
            Key::ClickTab => "click".to_string(),
            Key::ClickMore => "click ‹ ›".to_string(),
            Key::Paste => "paste".to_string(),
        }
    }

    /// Whether `event` is a press of this key (of one of a family's keys).
    /// A key held with Ctrl is only ever a `Ctrl` key; one held with Alt is
    /// typed text for no one.
    fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        match (self, event.code) {
            (Key::Ctrl(c), KeyCode::Char(pressed)) => ctrl && pressed.eq_ignore_ascii_case(c),
            _ if ctrl => false,
            (Key::Char(c), KeyCode::Char(pressed)) => *c == pressed,
            (Key::Code(code), pressed) => *code == pressed,
            (Key::Digits, KeyCode::Char(d)) => d.is_ascii_digit(),
            (Key::Typed, KeyCode::Char(c)) => !alt && !c.is_control(),
            _ => false,
        }
    }
}

/// An action that a family of keys shares in the table (the digits, any
/// typed character, the arrows): the key pressed fills in which one.
pub trait KeyFamily: Copy {
    fn for_key(self, _code: KeyCode) -> Self {
        self
    }
}

impl KeyFamily for Action {
    fn for_key(self, code: KeyCode) -> Self {
        match (self, code) {
            (Action::GotoLesson(_), KeyCode::Char(d)) => match d.to_digit(10) {
                Some(0) => Action::GotoLesson(9),
                Some(d) => Action::GotoLesson(d as usize - 1),
                None => self,
            },
            _ => self,
        }
    }
}

/// One line of a key table.
pub struct Binding<A: 'static = Action> {
    pub keys: &'static [Key],
    pub action: A,
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
        keys: &[Key::Char('g')],
        action: Action::GotoPrompt,
        help: "go to a lesson by id",
        footer: None,
    },
    Binding {
        keys: &[Key::ClickMore],
        // A click on a mark opens the nearest lesson hidden on its side.
        action: Action::GotoLesson(0),
        help: "nearest hidden lesson",
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

/// A cursor move in the input line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    Left,
    Right,
    Home,
    End,
}

/// What a deletion in the input line removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deletion {
    /// The character before the cursor.
    Back,
    /// The character under the cursor.
    Forward,
    ToStart,
    /// The list entry or word before the cursor.
    WordBack,
    ToEnd,
}

/// What the input line does with keys while a value is being typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditAction {
    Apply,
    Cancel,
    Move(Motion),
    Delete(Deletion),
    Insert(char),
    /// Text pasted at once; the App takes it from the event.
    Paste,
    Quit,
}

impl KeyFamily for EditAction {
    fn for_key(self, code: KeyCode) -> Self {
        match (self, code) {
            (EditAction::Insert(_), KeyCode::Char(c)) => EditAction::Insert(c),
            (EditAction::Move(_), KeyCode::Left) => EditAction::Move(Motion::Left),
            (EditAction::Move(_), KeyCode::Right) => EditAction::Move(Motion::Right),
            (EditAction::Move(_), KeyCode::Home) => EditAction::Move(Motion::Home),
            (EditAction::Move(_), KeyCode::End) => EditAction::Move(Motion::End),
            _ => self,
        }
    }
}

/// The keys of the input line, in the order help and its footer list them.
pub const EDIT_KEYS: &[Binding<EditAction>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: EditAction::Apply,
        help: "apply the value",
        footer: Some("apply"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: EditAction::Cancel,
        help: "cancel, keep old value",
        footer: Some("cancel"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Left), Key::Code(KeyCode::Right)],
        // The arrow pressed picks the direction.
        action: EditAction::Move(Motion::Left),
        help: "move the cursor",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Code(KeyCode::End)],
        // The key pressed picks the end.
        action: EditAction::Move(Motion::Home),
        help: "to the start / end",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Backspace)],
        action: EditAction::Delete(Deletion::Back),
        help: "delete before cursor",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Delete)],
        action: EditAction::Delete(Deletion::Forward),
        help: "delete at the cursor",
        footer: None,
    },
    Binding {
        keys: &[Key::Ctrl('u')],
        action: EditAction::Delete(Deletion::ToStart),
        help: "delete to the start",
        footer: Some("del start"),
    },
    Binding {
        keys: &[Key::Ctrl('w')],
        action: EditAction::Delete(Deletion::WordBack),
        help: "delete entry before",
        footer: Some("del entry"),
    },
    Binding {
        keys: &[Key::Ctrl('k')],
        action: EditAction::Delete(Deletion::ToEnd),
        help: "delete to the end",
        footer: Some("del end"),
    },
    Binding {
        keys: &[Key::Typed],
        // The character typed is the one inserted.
        action: EditAction::Insert(' '),
        help: "insert; first replaces",
        footer: None,
    },
    Binding {
        keys: &[Key::Paste],
        action: EditAction::Paste,
        help: "insert at the cursor",
        footer: None,
    },
    Binding {
        keys: &[Key::Ctrl('c')],
        action: EditAction::Quit,
        help: "quit",
        footer: None,
    },
];

/// What the go-to prompt (after `g`) does with keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GotoAction {
    /// Another letter of a lesson id.
    Type(char),
    Open,
    DeleteBack,
    Cancel,
}

impl KeyFamily for GotoAction {
    fn for_key(self, code: KeyCode) -> Self {
        match (self, code) {
            (GotoAction::Type(_), KeyCode::Char(c)) => GotoAction::Type(c),
            _ => self,
        }
    }
}

/// The keys of the go-to prompt; any other key closes it and acts as usual.
pub const GOTO_KEYS: &[Binding<GotoAction>] = &[
    Binding {
        keys: &[Key::Typed],
        // The character typed is the one added.
        action: GotoAction::Type(' '),
        help: "id; one match opens",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: GotoAction::Open,
        help: "open the first match",
        footer: Some("open"),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Backspace)],
        action: GotoAction::DeleteBack,
        help: "delete a letter",
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: GotoAction::Cancel,
        help: "cancel",
        footer: Some("cancel"),
    },
];

/// The action `table` binds to a key press, if any.
fn resolve<A: KeyFamily>(table: &[Binding<A>], event: &KeyEvent) -> Option<A> {
    table
        .iter()
        .find(|binding| binding.keys.iter().any(|key| key.matches(event)))
        .map(|binding| binding.action.for_key(event.code))
}

/// The action bound to a key press in the dashboard, if any.
pub fn lookup(event: &KeyEvent) -> Option<Action> {
    resolve(KEYS, event)
}

/// The input line's reading of a key press.
pub fn lookup_edit(event: &KeyEvent) -> Option<EditAction> {
    resolve(EDIT_KEYS, event)
}

/// The input line's reading of a terminal event: a key, or a paste.
pub fn lookup_edit_event(event: &Event) -> Option<EditAction> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => lookup_edit(key),
        Event::Paste(_) => EDIT_KEYS
            .iter()
            .find(|binding| binding.keys.contains(&Key::Paste))
            .map(|binding| binding.action),
        _ => None,
    }
}

/// The go-to prompt's reading of a key press.
pub fn lookup_goto(event: &KeyEvent) -> Option<GotoAction> {
    resolve(GOTO_KEYS, event)
}

/// The label of a binding's keys: `n / .`.
pub fn keys_label<A>(binding: &Binding<A>) -> String {
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

    /// A press of `key`: a member of a family stands for it.
    fn event_for(key: &Key) -> Option<KeyEvent> {
        match key {
            Key::Char(c) => Some(press(KeyCode::Char(*c))),
            Key::Ctrl(c) => Some(KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL)),
            Key::Code(code) => Some(press(*code)),
            Key::Digits => Some(press(KeyCode::Char('3'))),
            Key::Typed => Some(press(KeyCode::Char('x'))),
            Key::ClickTab | Key::ClickMore | Key::Paste => None,
        }
    }

    /// Every key a table lists resolves to its own line's action, and no key
    /// is listed twice.
    fn check_table<A: KeyFamily + PartialEq + std::fmt::Debug>(table: &[Binding<A>]) {
        let mut seen = Vec::new();
        for binding in table {
            for key in binding.keys {
                assert!(!seen.contains(key), "{key:?} bound twice");
                seen.push(*key);
                if let Some(event) = event_for(key) {
                    let expected = binding.action.for_key(event.code);
                    assert_eq!(resolve(table, &event), Some(expected), "{key:?}");
                }
            }
        }
    }

    #[test]
    fn every_table_resolves_each_key_to_its_action() {
        check_table(KEYS);
        check_table(EDIT_KEYS);
        check_table(GOTO_KEYS);
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
        assert_eq!(lookup(&press(KeyCode::Char('g'))), Some(Action::GotoPrompt));
    }

    #[test]
    fn ctrl_c_quits_but_plain_c_does_nothing() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&ctrl_c), Some(Action::Quit));
        assert_eq!(lookup(&press(KeyCode::Char('c'))), None);
    }

    #[test]
    fn the_input_line_reads_every_key_it_lists() {
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let cases = [
            (press(KeyCode::Enter), EditAction::Apply),
            (press(KeyCode::Esc), EditAction::Cancel),
            (press(KeyCode::Left), EditAction::Move(Motion::Left)),
            (press(KeyCode::Right), EditAction::Move(Motion::Right)),
            (press(KeyCode::Home), EditAction::Move(Motion::Home)),
            (press(KeyCode::End), EditAction::Move(Motion::End)),
            (
                press(KeyCode::Backspace),
                EditAction::Delete(Deletion::Back),
            ),
            (
                press(KeyCode::Delete),
                EditAction::Delete(Deletion::Forward),
            ),
            (ctrl('u'), EditAction::Delete(Deletion::ToStart)),
            (ctrl('w'), EditAction::Delete(Deletion::WordBack)),
            (ctrl('k'), EditAction::Delete(Deletion::ToEnd)),
            (ctrl('c'), EditAction::Quit),
            (press(KeyCode::Char('q')), EditAction::Insert('q')),
            (
                KeyEvent::new(KeyCode::Char('W'), KeyModifiers::SHIFT),
                EditAction::Insert('W'),
            ),
        ];
        for (event, action) in cases {
            assert_eq!(lookup_edit(&event), Some(action), "{event:?}");
        }
        assert_eq!(
            lookup_edit_event(&Event::Paste("1,2".to_string())),
            Some(EditAction::Paste)
        );
        // Keys the line does not list do nothing in it.
        assert_eq!(lookup_edit(&ctrl('x')), None);
        assert_eq!(lookup_edit(&press(KeyCode::F(5))), None);
        let alt_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
        assert_eq!(lookup_edit(&alt_x), None);
    }

    #[test]
    fn the_goto_prompt_reads_letters_enter_backspace_and_esc() {
        assert_eq!(
            lookup_goto(&press(KeyCode::Char('c'))),
            Some(GotoAction::Type('c'))
        );
        assert_eq!(lookup_goto(&press(KeyCode::Enter)), Some(GotoAction::Open));
        assert_eq!(
            lookup_goto(&press(KeyCode::Backspace)),
            Some(GotoAction::DeleteBack)
        );
        assert_eq!(lookup_goto(&press(KeyCode::Esc)), Some(GotoAction::Cancel));
        assert_eq!(lookup_goto(&press(KeyCode::Tab)), None);
    }
}
