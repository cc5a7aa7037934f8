//! Comments the lab received outside the page (on paper, by post, mail or fax, at the
//! venue where the roadmap was shown), read from a CSV with the columns 段落, 意見 and
//! 提出方法, and optionally 連絡先 (an address to tell of the result). Every problem is
//! named by its line and column, and nothing is taken when anything is wrong.

use super::Channel;
use crate::i18n::normalize_identifier;
use crate::roster::RowError;
use crate::validate::is_stray_control;

/// The longest comment taken, in characters (as on the page).
pub const MAX_CHARS: usize = 4000;

/// A comment received, as the lab enters it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub paragraph: i64,
    pub body: String,
    pub channel: Channel,
    /// Where to tell the commenter of the result; empty for nowhere.
    pub contact_email: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Paragraph,
    Body,
    Channel,
    Contact,
}

impl Column {
    fn from_header(h: &str) -> Option<Column> {
        match normalize_identifier(h).to_lowercase().as_str() {
            "段落" | "該当箇所" | "paragraph" => Some(Column::Paragraph),
            "意見" | "ご意見" | "意見の内容" | "comment" | "body" => Some(Column::Body),
            "提出方法" | "受付方法" | "channel" => Some(Column::Channel),
            "連絡先" | "メール" | "メールアドレス" | "email" | "e-mail" => Some(Column::Contact),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Column::Paragraph => "段落",
            Column::Body => "意見",
            Column::Channel => "提出方法",
            Column::Contact => "連絡先",
        }
    }
}

fn error(line: usize, column: &str, message: &'static str, value: &str) -> RowError {
    RowError { line, column: column.to_owned(), message, value: value.to_owned() }
}

/// Reads received comments from a CSV (UTF-8 with or without BOM, or Shift_JIS, as Excel
/// saves it) for a version with `paragraphs` paragraphs.
///
/// # Errors
/// Every problem found, each at its line and column.
pub fn parse_csv(bytes: &[u8], paragraphs: i64) -> Result<Vec<Received>, Vec<RowError>> {
    let table = crate::roster::read_csv(bytes)?;
    let mut lines = table.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![error(1, "", "roster-error-empty", "")]);
    };
    let mut errors = Vec::new();
    let mut columns = Vec::new();
    for h in &header {
        match Column::from_header(h) {
            Some(c) if !columns.contains(&Some(c)) => columns.push(Some(c)),
            _ => {
                errors.push(error(header_line, h.trim(), "consultation-import-error-column", h.trim()));
                columns.push(None);
            }
        }
    }
    for required in [Column::Paragraph, Column::Body, Column::Channel] {
        if !columns.contains(&Some(required)) {
            errors.push(error(header_line, required.name(), "roster-error-missing-column", ""));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for (line, cells) in lines {
        let cell = |c: Column| {
            columns.iter().position(|x| *x == Some(c)).and_then(|i| cells.get(i)).map_or("", String::as_str)
        };
        let mut bad = false;
        for c in [Column::Paragraph, Column::Body, Column::Channel, Column::Contact] {
            if let Some(found) = cell(c).chars().find(|ch| is_stray_control(*ch)) {
                errors.push(error(line, c.name(), "roster-error-control", &format!("U+{:04X}", u32::from(found))));
                bad = true;
            }
        }
        let paragraph = normalize_identifier(cell(Column::Paragraph)).parse::<i64>().ok();
        let paragraph = paragraph.filter(|n| (1..=paragraphs).contains(n));
        if paragraph.is_none() {
            errors.push(error(line, "段落", "consultation-import-error-paragraph", cell(Column::Paragraph).trim()));
        }
        let body = cell(Column::Body).trim();
        if body.is_empty() {
            errors.push(error(line, "意見", "consultation-import-error-body", ""));
        } else if body.chars().count() > MAX_CHARS {
            errors.push(error(line, "意見", "consultation-import-error-long", &MAX_CHARS.to_string()));
        }
        let channel = Channel::from_name(cell(Column::Channel));
        if channel.is_none() {
            errors.push(error(line, "提出方法", "consultation-import-error-channel", cell(Column::Channel).trim()));
        }
        let contact = cell(Column::Contact).trim();
        let contact_email =
            if contact.is_empty() { Some(String::new()) } else { crate::account::normalize_email(contact) };
        if contact_email.is_none() {
            errors.push(error(line, "連絡先", "roster-error-email", contact));
        }
        if let (false, Some(paragraph), Some(channel), Some(contact_email)) = (bad, paragraph, channel, contact_email)
            && !body.is_empty()
            && body.chars().count() <= MAX_CHARS
        {
            out.push(Received { paragraph, body: body.to_owned(), channel, contact_email });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_comments_are_read_with_their_channel_and_address() {
        let csv = "\u{FEFF}段落,意見,提出方法,連絡先\r\n１,夜も開けてほしい,紙,\r\n2,\"保証料を、補助して\",ＦＡＸ,Hanako@Example.jp\r\n\r\n";
        let got = parse_csv(csv.as_bytes(), 2).unwrap();
        assert_eq!(
            got,
            vec![
                Received {
                    paragraph: 1,
                    body: "夜も開けてほしい".into(),
                    channel: Channel::Paper,
                    contact_email: String::new()
                },
                Received {
                    paragraph: 2,
                    body: "保証料を、補助して".into(),
                    channel: Channel::Fax,
                    contact_email: "hanako@example.jp".into()
                },
            ]
        );
    }

    #[test]
    fn every_problem_is_named_by_line_and_column_and_nothing_is_taken() {
        let csv = "段落,意見,提出方法\n3,多すぎる段落,紙\n1,,会場\n1,電話で,伝書鳩\n";
        let errors = parse_csv(csv.as_bytes(), 2).unwrap_err();
        let at: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.line, e.column.as_str(), e.message)).collect();
        assert_eq!(
            at,
            vec![
                (2, "段落", "consultation-import-error-paragraph"),
                (3, "意見", "consultation-import-error-body"),
                (4, "提出方法", "consultation-import-error-channel"),
            ]
        );
        let missing = parse_csv("段落,意見\n1,a\n".as_bytes(), 2).unwrap_err();
        assert_eq!(missing[0].message, "roster-error-missing-column");
        assert_eq!(missing[0].column, "提出方法");
        let unknown = parse_csv("段落,意見,提出方法,気分\n".as_bytes(), 2).unwrap_err();
        assert_eq!((unknown[0].line, unknown[0].column.as_str()), (1, "気分"));
    }
}
