//! Every action a user can take, and the one key table that drives input
//! handling, the footer hints and the help overlay alike.

use crate::i18n::{Lang, Tr};
use crate::tr;
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
    /// Run or rewind to the next / previous key moment.
    NextEvent,
    PrevEvent,
    /// Open the prompt for a step number to go to.
    StepPrompt,
    /// Ask a question about the current state.
    Ask,
    /// Quiz mode: playing stops before marked moments and asks first.
    QuizMode,
    /// The guided tour: start it or go to the next stop; the previous stop.
    TourNext,
    TourPrevious,
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
    /// The lesson's next page, when its view spreads over several.
    NextPage,
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
    pub fn label(&self, lang: Lang) -> String {
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
            Key::Typed => tr!("typing", "输入").get(lang).to_string(),
            Key::ClickTab => tr!("click", "点击").get(lang).to_string(),
            Key::ClickMore => tr!("click ‹ ›", "点击 ‹ ›").get(lang).to_string(),
            Key::Paste => tr!("paste", "粘贴").get(lang).to_string(),
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
            (Action::NextParam, KeyCode::Up | KeyCode::Char('k')) => Action::PrevParam,
            (Action::NextEvent, KeyCode::Char('[')) => Action::PrevEvent,
            (Action::TourNext, KeyCode::Char('T')) => Action::TourPrevious,
            (Action::IncreaseParam, KeyCode::Left | KeyCode::Char('h')) => Action::DecreaseParam,
            (Action::ScrollUp, KeyCode::PageDown) => Action::ScrollDown,
            (Action::ScrollTop, KeyCode::End) => Action::ScrollEnd,
            _ => self,
        }
    }
}

/// One line of a key table.
pub struct Binding<A: 'static = Action> {
    pub keys: &'static [Key],
    pub action: A,
    /// What it does, for help.
    pub help: Tr,
    /// A short word for the footer, when it earns a place there.
    pub footer: Option<Tr>,
}

/// The dashboard's keys, in the order help lists them.
pub const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Tab)],
        action: Action::NextLesson,
        help: tr!("next lesson", "下一课"),
        footer: Some(tr!("lesson", "课程")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::BackTab)],
        action: Action::PrevLesson,
        help: tr!("previous lesson", "上一课"),
        footer: None,
    },
    Binding {
        keys: &[Key::Digits, Key::ClickTab],
        // The digit pressed picks the tab; the index here is never used.
        action: Action::GotoLesson(0),
        help: tr!("open lesson 1–10", "打开第 1–10 课"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('g')],
        action: Action::GotoPrompt,
        help: tr!("go to a lesson by id", "按 id 跳到课程"),
        footer: None,
    },
    Binding {
        keys: &[Key::ClickMore],
        // A click on a mark opens the nearest lesson hidden on its side.
        action: Action::GotoLesson(0),
        help: tr!("nearest hidden lesson", "最近的隐藏课程"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char(' ')],
        action: Action::PlayPause,
        help: tr!("play / pause", "播放 / 暂停"),
        footer: Some(tr!("play", "播放")),
    },
    Binding {
        keys: &[Key::Char('n'), Key::Char('.')],
        action: Action::StepForward,
        help: tr!("step forward", "前进一步"),
        footer: Some(tr!("step", "单步")),
    },
    Binding {
        keys: &[Key::Char('p'), Key::Char(',')],
        action: Action::StepBack,
        help: tr!("step back (rewind)", "后退一步（回放）"),
        footer: Some(tr!("back", "后退")),
    },
    Binding {
        keys: &[Key::Char(']'), Key::Char('[')],
        action: Action::NextEvent,
        help: tr!("next / previous key moment", "下一个 / 上一个关键时刻"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('t'), Key::Char('T')],
        action: Action::TourNext,
        help: tr!(
            "tour: start, next / previous stop",
            "导览：开始、下一站 / 上一站"
        ),
        footer: Some(tr!("tour", "导览")),
    },
    Binding {
        keys: &[Key::Char('a')],
        action: Action::Ask,
        help: tr!("ask me a question", "向我提问"),
        footer: Some(tr!("ask", "提问")),
    },
    Binding {
        keys: &[Key::Char('A')],
        action: Action::QuizMode,
        help: tr!(
            "quiz mode: ask before key moments",
            "测验模式：关键时刻前先提问"
        ),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('G')],
        action: Action::StepPrompt,
        help: tr!("go to a step by number", "跳到第几步"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('r')],
        action: Action::Reset,
        help: tr!("reset to step 0", "重置到第 0 步"),
        footer: Some(tr!("reset", "重置")),
    },
    Binding {
        keys: &[Key::Char('R')],
        action: Action::Reseed,
        help: tr!("reset with a new seed", "换新种子重置"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('y')],
        action: Action::CopyCommand,
        help: tr!("copy run's command", "复制本次运行的命令"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('+'), Key::Char('=')],
        action: Action::Faster,
        help: tr!("faster (steps/s)", "加速（步/秒）"),
        footer: Some(tr!("faster", "加速")),
    },
    Binding {
        keys: &[Key::Char('-'), Key::Char('_')],
        action: Action::Slower,
        help: tr!("slower (steps/s)", "减速（步/秒）"),
        footer: Some(tr!("slower", "减速")),
    },
    Binding {
        // The key pressed picks the direction (`for_key`).
        keys: &[
            Key::Code(KeyCode::Down),
            Key::Char('j'),
            Key::Code(KeyCode::Up),
            Key::Char('k'),
        ],
        action: Action::NextParam,
        help: tr!("choose a parameter", "选择参数"),
        footer: Some(tr!("param", "参数")),
    },
    Binding {
        keys: &[
            Key::Code(KeyCode::Right),
            Key::Char('l'),
            Key::Code(KeyCode::Left),
            Key::Char('h'),
        ],
        action: Action::IncreaseParam,
        help: tr!("change the parameter", "调整参数"),
        footer: Some(tr!("change", "调整")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: Action::EditParam,
        help: tr!("type a value or list", "输入数值或列表"),
        footer: Some(tr!("type", "输入")),
    },
    Binding {
        keys: &[Key::Char('v')],
        action: Action::NextPage,
        help: tr!(
            "next page of the lesson, if it has more",
            "课程视图的下一页（如果还有）"
        ),
        // Named in the footer only while the lesson has more than one page.
        footer: Some(tr!("page", "翻页")),
    },
    Binding {
        keys: &[Key::Char('e')],
        action: Action::ToggleExplain,
        help: tr!("explanation pane", "讲解窗格"),
        footer: Some(tr!("explain", "讲解")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageUp), Key::Code(KeyCode::PageDown)],
        action: Action::ScrollUp,
        help: tr!("a page (explanation, help)", "翻一页（讲解、帮助）"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Code(KeyCode::End)],
        action: Action::ScrollTop,
        help: tr!("explanation: top / end", "讲解：开头 / 末尾"),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('L')],
        action: Action::ToggleLanguage,
        help: tr!("language: English/中文", "语言：English/中文"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: Action::Cancel,
        help: tr!(
            "close pane, leave tour, drop edits",
            "关闭窗格、离开导览、丢弃修改"
        ),
        footer: None,
    },
    Binding {
        keys: &[Key::Char('?')],
        action: Action::ToggleHelp,
        help: tr!("this help", "本帮助"),
        footer: Some(tr!("help", "帮助")),
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c')],
        action: Action::Quit,
        help: tr!("quit", "退出"),
        footer: Some(tr!("quit", "退出")),
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
        help: tr!("apply the value", "应用这个值"),
        footer: Some(tr!("apply", "应用")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: EditAction::Cancel,
        help: tr!("cancel, keep old value", "取消，保留旧值"),
        footer: Some(tr!("cancel", "取消")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Left), Key::Code(KeyCode::Right)],
        // The arrow pressed picks the direction.
        action: EditAction::Move(Motion::Left),
        help: tr!("move the cursor", "移动光标"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Code(KeyCode::End)],
        // The key pressed picks the end.
        action: EditAction::Move(Motion::Home),
        help: tr!("to the start / end", "到开头 / 末尾"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Backspace)],
        action: EditAction::Delete(Deletion::Back),
        help: tr!("delete before cursor", "删除光标前"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Delete)],
        action: EditAction::Delete(Deletion::Forward),
        help: tr!("delete at the cursor", "删除光标处"),
        footer: None,
    },
    Binding {
        keys: &[Key::Ctrl('u')],
        action: EditAction::Delete(Deletion::ToStart),
        help: tr!("delete to the start", "删到开头"),
        footer: Some(tr!("del start", "删到头")),
    },
    Binding {
        keys: &[Key::Ctrl('w')],
        action: EditAction::Delete(Deletion::WordBack),
        help: tr!("delete entry before", "删除前一项"),
        footer: Some(tr!("del entry", "删一项")),
    },
    Binding {
        keys: &[Key::Ctrl('k')],
        action: EditAction::Delete(Deletion::ToEnd),
        help: tr!("delete to the end", "删到末尾"),
        footer: Some(tr!("del end", "删到尾")),
    },
    Binding {
        keys: &[Key::Typed],
        // The character typed is the one inserted.
        action: EditAction::Insert(' '),
        help: tr!("insert; first replaces", "插入；第一次输入替换旧值"),
        footer: None,
    },
    Binding {
        keys: &[Key::Paste],
        action: EditAction::Paste,
        help: tr!("insert at the cursor", "插入到光标处"),
        footer: None,
    },
    Binding {
        keys: &[Key::Ctrl('c')],
        action: EditAction::Quit,
        help: tr!("quit", "退出"),
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
        help: tr!("id; one match opens", "课程 id；唯一匹配即打开"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: GotoAction::Open,
        help: tr!("open the first match", "打开第一个匹配"),
        footer: Some(tr!("open", "打开")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Backspace)],
        action: GotoAction::DeleteBack,
        help: tr!("delete a letter", "删一个字母"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: GotoAction::Cancel,
        help: tr!("cancel", "取消"),
        footer: Some(tr!("cancel", "取消")),
    },
];

/// A question's answer line.
pub const ANSWER_KEYS: &[Binding<GotoAction>] = &[
    Binding {
        keys: &[Key::Typed],
        // The character typed is the one added.
        action: GotoAction::Type(' '),
        help: tr!("the answer", "答案"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: GotoAction::Open,
        help: tr!("answer", "作答"),
        footer: Some(tr!("answer", "作答")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Backspace)],
        action: GotoAction::DeleteBack,
        help: tr!("delete a character", "删一个字符"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: GotoAction::Cancel,
        help: tr!("skip the question", "跳过这道题"),
        footer: Some(tr!("skip", "跳过")),
    },
];

/// The prompt after `G`: a step number.
pub const STEP_KEYS: &[Binding<GotoAction>] = &[
    Binding {
        keys: &[Key::Digits],
        // The digit typed is the one added.
        action: GotoAction::Type('0'),
        help: tr!("the step number", "步数"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        action: GotoAction::Open,
        help: tr!("go to that step", "跳到这一步"),
        footer: Some(tr!("go", "跳转")),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Backspace)],
        action: GotoAction::DeleteBack,
        help: tr!("delete a digit", "删一位数字"),
        footer: None,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        action: GotoAction::Cancel,
        help: tr!("cancel", "取消"),
        footer: Some(tr!("cancel", "取消")),
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

/// The action bound to a key press on a question's answer line, if any.
pub fn lookup_answer(event: &KeyEvent) -> Option<GotoAction> {
    resolve(ANSWER_KEYS, event)
}

/// The action bound to a key press in the step prompt, if any.
pub fn lookup_step(event: &KeyEvent) -> Option<GotoAction> {
    resolve(STEP_KEYS, event)
}

/// The label of a binding's keys: `n / .`.
pub fn keys_label<A>(binding: &Binding<A>, lang: Lang) -> String {
    binding
        .keys
        .iter()
        .map(|key| key.label(lang))
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
        check_table(STEP_KEYS);
        check_table(ANSWER_KEYS);
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
