//! A question in the side panel: the prompt, its options, the form the
//! answer takes; once answered, right or wrong, the answer and why.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};

use crate::app::{App, Asking};
use crate::lesson::question::{Answer, letter};
use crate::widgets::{fitting_title, markdown, panel};
use crate::{said, tr};

pub fn render(app: &App, asking: &Asking, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let lang = app.lang();
    let question = &asking.question;
    let label = crate::lesson::question::kind(app.tab().entry.questions, question.kind)
        .map_or(question.kind, |kind| kind.label.get(lang));
    let full = said!(" question: {label} ", " 提问：{label} ");
    let short = tr!(" question ", " 提问 ");
    let block = panel(
        fitting_title(full.get(lang), short.get(lang), area.width),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    // Markdown, so that the shared wrapper and styles do the layout.
    let mut text = question.prompt.get(lang).to_string();
    if let Answer::Choice { options, .. } = &question.answer {
        text.push_str("\n\n");
        for (at, option) in options.iter().enumerate() {
            text.push_str(&format!("- **{}** {}\n", letter(at), option.get(lang)));
        }
    }
    match asking.right {
        None => {
            let form = question.answer.form();
            let form = form.get(lang);
            text.push_str(&format!(
                "\n\n*{}*",
                said!("Answer: {form}", "回答：{form}").get(lang)
            ));
            if let Some(why) = &asking.unreadable {
                text.push_str(&format!("\n\n**{}**", why.get(lang)));
            }
        }
        Some(right) => {
            let verdict = if right {
                tr!("✓ Right.", "✓ 答对了。")
            } else {
                tr!("✗ Not quite.", "✗ 不对。")
            };
            let answer = question.answer.shown();
            let answer = answer.get(lang);
            let typed = &asking.typed;
            text.push_str(&format!(
                "\n\n**{}** {}\n\n{}\n\n*{}*",
                verdict.get(lang),
                said!(
                    "You said {typed}; the answer is {answer}.",
                    "你答 {typed}；答案是 {answer}。"
                )
                .get(lang),
                question.why.get(lang),
                tr!(
                    "The step it was about has run. a asks again · Esc closes",
                    "题目说的那一步已经执行。a 再问一题 · Esc 关闭"
                )
                .get(lang)
            ));
        }
    }
    let lines = markdown::lines(&text, usize::from(inner.width), theme);
    Paragraph::new(lines).render(inner, buf);
}
