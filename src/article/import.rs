//! Bringing an archive in (`socialhub import articles PATH`): a folder of Markdown files
//! with front matter, and WordPress eXtended RSS files (note.com's export). Every file is
//! read and checked first; a problem is named by file and line and nothing is imported.
//! Each article remembers where it came from (the file's name, or the post's guid), so
//! importing again updates it and never makes a second.

use std::path::Path;

use super::{Category, Draft, Status};
use crate::db::{Db, StoreResult};
use crate::tenant::TenantId;

/// An article read from a file, ready to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// Where it came from: `md:NAME` or `wxr:GUID`.
    pub key: String,
    pub draft: Draft,
    pub status: Status,
    /// Pictures and documents of the folder the text refers to: the reference as written,
    /// and the file checked and cleaned. Saved with the article, the references rewritten.
    pub files: Vec<(String, crate::file::Checked)>,
    /// Pictures of an export on the web, not found in the folder: to bring with
    /// [`fetch_pictures`] before saving, so that the article shows them from the platform.
    pub remote: Vec<Remote>,
}

/// A picture an export's text shows from the web, and where the reference is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remote {
    pub url: String,
    pub file: String,
    pub line: usize,
}

/// A problem with a file, at a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Reads every `.md` and `.xml` file of the folder (sorted by name). `default` is the
/// category of posts from a blog export that name none the platform knows.
///
/// # Errors
/// Every problem found, in every file; the folder itself cannot be read.
pub fn read_folder(dir: &Path, default: Category) -> Result<Vec<Imported>, Vec<Problem>> {
    let problem = |file: &str, line, message: String| Problem { file: file.to_owned(), line, message };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return Err(vec![problem(&dir.display().to_string(), 0, format!("cannot read the folder: {e}"))]),
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let local = local_files(dir);
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if ext != "md" && ext != "xml" {
            continue;
        }
        let text = match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                problems.push(problem(&name, 1, "not UTF-8 text".into()));
                continue;
            }
            Err(e) => {
                problems.push(problem(&name, 0, format!("cannot read: {e}")));
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let read =
            if ext == "md" { markdown_file(&name, text).map(|a| vec![a]) } else { wxr_file(&name, text, default) };
        match read {
            Ok(mut read) => {
                for a in &mut read {
                    // A Markdown file's pictures must be in the folder; an export's are
                    // brought when they are (else they stay where they are on the web).
                    let line_of =
                        |reference: &str| text.lines().position(|l| l.contains(reference)).map_or(1, |i| i + 1);
                    if let Err(found) = attach(&mut a.files, &a.draft.body, &local, ext == "md") {
                        problems.extend(found.into_iter().map(|(reference, message)| Problem {
                            file: name.clone(),
                            line: line_of(&reference),
                            message,
                        }));
                    }
                    for url in pictures(&a.draft.body) {
                        let web = url.starts_with("https://") || url.starts_with("http://");
                        if web && !a.files.iter().any(|(r, _)| *r == url) {
                            let line = line_of(&url);
                            a.remote.push(Remote { url, file: name.clone(), line });
                        }
                    }
                }
                articles.append(&mut read);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    // The same source twice (two exports of one blog) is one article.
    let mut seen = std::collections::HashSet::new();
    articles.retain(|a: &Imported| seen.insert(a.key.clone()));
    if problems.is_empty() { Ok(articles) } else { Err(problems) }
}

/// Every file under the folder (three levels down), by its name, but the articles.
fn local_files(dir: &Path) -> std::collections::HashMap<String, std::path::PathBuf> {
    let mut found = std::collections::HashMap::new();
    let mut todo = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                if depth < 3 {
                    todo.push((path, depth + 1));
                }
            } else if let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) {
                found.entry(name).or_insert(path);
            }
        }
    }
    found
}

/// The addresses a text refers to: Markdown links and pictures, HTML `src` and `href`.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [("](", ")"), ("src=\"", "\""), ("href=\"", "\"")] {
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            rest = &rest[at + open.len()..];
            if let Some(end) = rest.find(close) {
                let reference = rest[..end].split_whitespace().next().unwrap_or_default();
                if !reference.is_empty() && !out.iter().any(|r| r == reference) {
                    out.push(reference.to_owned());
                }
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The pictures a text shows: Markdown's `![…](…)` and HTML's `<img src="…">`.
fn pictures(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |reference: &str| {
        let reference = reference.split_whitespace().next().unwrap_or_default();
        if !reference.is_empty() && !out.iter().any(|r| r == reference) {
            out.push(reference.to_owned());
        }
    };
    let mut rest = text;
    while let Some(at) = rest.find("![") {
        rest = &rest[at + 2..];
        let Some(open) = rest.find("](") else { break };
        rest = &rest[open + 2..];
        if let Some(end) = rest.find(')') {
            add(&rest[..end]);
        }
    }
    let mut rest = text;
    while let Some(at) = rest.find("<img") {
        rest = &rest[at + 4..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(src) = tag.find("src=\"") {
            let value = &tag[src + 5..];
            add(&value[..value.find('"').unwrap_or(value.len())]);
        }
    }
    out
}

/// Longest wait for one picture from the web.
const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Brings the pictures an export shows from the web ([`Imported::remote`]), each checked
/// and cleaned like an upload, so that the article shows them from the platform (its pages
/// load nothing from elsewhere). A picture that cannot be brought is a problem at its
/// line; putting the file in the folder, under the name at the end of its address, is the
/// way around.
///
/// # Errors
/// Every picture that could not be brought or is not a picture.
pub async fn fetch_pictures(articles: &mut [Imported]) -> Result<(), Vec<Problem>> {
    if articles.iter().all(|a| a.remote.is_empty()) {
        return Ok(());
    }
    let client = reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .user_agent(concat!("socialhub/", env!("CARGO_PKG_VERSION"), " (import articles)"))
        .build()
        .map_err(|e| vec![Problem { file: String::new(), line: 0, message: format!("cannot fetch pictures: {e}") }])?;
    let mut brought: std::collections::HashMap<String, Result<crate::file::Checked, String>> =
        std::collections::HashMap::new();
    let mut problems = Vec::new();
    for a in articles.iter_mut() {
        for remote in std::mem::take(&mut a.remote) {
            if !brought.contains_key(&remote.url) {
                let got = fetch_picture(&client, &remote.url).await;
                brought.insert(remote.url.clone(), got);
            }
            match &brought[&remote.url] {
                Ok(checked) => a.files.push((remote.url.clone(), checked.clone())),
                Err(message) => problems.push(Problem {
                    file: remote.file.clone(),
                    line: remote.line,
                    message: format!("cannot bring the picture {}: {message}", remote.url),
                }),
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// One picture from the web, checked by its content, no bigger than an upload may be.
async fn fetch_picture(client: &reqwest::Client, url: &str) -> Result<crate::file::Checked, String> {
    let mut response = client.get(url).send().await.map_err(|e| e.without_url().to_string())?;
    if !response.status().is_success() {
        return Err(format!("the server answered {}", response.status()));
    }
    let too_big = || format!("larger than {} MB", crate::file::MAX_BYTES / 1024 / 1024);
    if response.content_length().is_some_and(|n| n > crate::file::MAX_BYTES as u64) {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.without_url().to_string())? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > crate::file::MAX_BYTES {
            return Err(too_big());
        }
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = percent_decoded(path.rsplit('/').next().unwrap_or_default());
    let checked =
        crate::file::check(&name, &bytes).map_err(|why| crate::i18n::Lang::En.t(why.message()).into_owned())?;
    if !checked.kind.is_image() {
        return Err("not a picture".to_owned());
    }
    Ok(checked)
}

/// Reads and checks the folder's files the body refers to. `required`: a relative
/// reference to a file not in the folder is a problem. Problems: (reference, message).
fn attach(
    files: &mut Vec<(String, crate::file::Checked)>,
    body: &str,
    local: &std::collections::HashMap<String, std::path::PathBuf>,
    required: bool,
) -> Result<(), Vec<(String, String)>> {
    let mut problems = Vec::new();
    for reference in references(body) {
        let relative = !reference.contains("://")
            && !reference.starts_with('/')
            && !reference.starts_with('#')
            && !reference.starts_with("mailto:");
        let name = reference.split(['?', '#']).next().unwrap_or_default().rsplit('/').next().unwrap_or_default();
        let Some(path) = local.get(name).or_else(|| local.get(&percent_decoded(name))) else {
            if relative && required {
                problems.push((reference.clone(), format!("{reference} is not in the folder")));
            }
            continue;
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push((reference.clone(), format!("cannot read {reference}: {e}")));
                continue;
            }
        };
        match crate::file::check(name, &bytes) {
            Ok(checked) => files.push((reference, checked)),
            Err(why) => {
                problems.push((reference.clone(), format!("{reference}: {}", crate::i18n::Lang::En.t(why.message()))))
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

fn percent_decoded(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

/// A Markdown file: front matter between `---` lines (`title`, `date`, `category`, `tags`,
/// and `draft: true` for a draft), then the body.
fn markdown_file(name: &str, text: &str) -> Result<Imported, Vec<Problem>> {
    let problem = |line, message: &str| Problem { file: name.to_owned(), line, message: message.to_owned() };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, l)) if l.trim_end() == "---" => {}
        _ => {
            return Err(vec![problem(
                1,
                "the file must start with front matter: a line ---, then title:, date:, category:",
            )]);
        }
    }
    let (mut title, mut date, mut category, mut tags, mut draft) = (None, None, None, Vec::new(), false);
    let mut problems = Vec::new();
    let mut body_from = None;
    for (n, line) in lines.by_ref() {
        if line.trim_end() == "---" {
            body_from = Some(n);
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            problems.push(problem(n, "expected key: value"));
            continue;
        };
        let value = unquote(value.trim());
        match key.trim() {
            "title" if value.is_empty() => problems.push(problem(n, "the title is empty")),
            "title" => title = Some(value.to_owned()),
            "date" => match crate::i18n::wareki::parse_date(value) {
                Some(d) => date = Some(d),
                None => problems.push(problem(n, "the date must be like 2023-04-20, 2023/4/20 or 令和5年4月20日")),
            },
            "category" => match Category::from_name(value) {
                Some(c) => category = Some(c),
                None => problems.push(problem(
                    n,
                    "unknown category: セッション報告, ラボ成果, ヒアリング要約, お知らせ or 事例集 \
                     (session_report, lab_result, hearing_summary, notice, casebook)",
                )),
            },
            "tags" => tags = super::parse_tags(value.trim_start_matches('[').trim_end_matches(']')),
            "draft" => draft = matches!(value, "true" | "yes"),
            other => problems.push(Problem {
                file: name.to_owned(),
                line: n,
                message: format!("unknown key {other}: title, date, category, tags or draft"),
            }),
        }
    }
    let Some(end) = body_from else {
        return Err(vec![problem(1, "the front matter is not closed by a line ---")]);
    };
    for (missing, what) in [(title.is_none(), "title"), (date.is_none(), "date"), (category.is_none(), "category")] {
        if missing && !problems.iter().any(|p| p.message.contains(what)) {
            problems.push(Problem {
                file: name.to_owned(),
                line: end,
                message: format!("the front matter has no {what}"),
            });
        }
    }
    let body: String = lines.map(|(_, l)| l).collect::<Vec<_>>().join("\n").trim().to_owned();
    if body.is_empty() {
        problems.push(problem(end + 1, "the article has no text after the front matter"));
    }
    match (title, date, category) {
        (Some(title), Some(date), Some(category)) if problems.is_empty() => Ok(Imported {
            key: format!("md:{name}"),
            draft: Draft {
                title,
                body,
                category,
                tags,
                dated_at: crate::i18n::wareki::jst_midnight(date),
                event_id: None,
                lab_id: None,
                social_issue_id: None,
            },
            status: if draft { Status::Draft } else { Status::Published },
            files: Vec::new(),
            remote: Vec::new(),
        }),
        _ => Err(problems),
    }
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v)
}

/// One `<item>` of an export as read.
#[derive(Default)]
struct Item {
    line: usize,
    title: String,
    guid: String,
    link: String,
    content: String,
    post_date: String,
    pub_date: String,
    status: String,
    post_type: String,
    categories: Vec<String>,
    tags: Vec<String>,
}

/// A WordPress eXtended RSS file: its posts (`wp:post_type` post), published or draft.
fn wxr_file(name: &str, text: &str, default: Category) -> Result<Vec<Imported>, Vec<Problem>> {
    use quick_xml::events::Event;
    let line_at =
        |pos: u64| text.as_bytes()[..(pos as usize).min(text.len())].iter().filter(|b| **b == b'\n').count() + 1;
    let problem = |line, message: String| Problem { file: name.to_owned(), line, message };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut items = Vec::new();
    let mut item: Option<Item> = None;
    let mut field = String::new();
    let mut domain = String::new();
    let mut value = String::new();
    loop {
        let at = reader.buffer_position();
        match reader.read_event() {
            Err(e) => return Err(vec![problem(line_at(reader.error_position()), format!("not well-formed XML: {e}"))]),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                let tag = e.name().as_ref().to_owned();
                if tag == "item" {
                    item = Some(Item { line: line_at(at), ..Item::default() });
                } else if item.is_some() {
                    domain =
                        e.try_get_attribute("domain").ok().flatten().map(|a| a.value.into_owned()).unwrap_or_default();
                    field = tag;
                    value.clear();
                }
            }
            Ok(Event::Text(t)) => {
                if item.is_some() {
                    value.push_str(t.as_ref());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if item.is_some() {
                    let name = r.as_ref().to_owned();
                    let c = match name.as_str() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        n => n
                            .strip_prefix("#x")
                            .map_or_else(
                                || n.strip_prefix('#').and_then(|d| d.parse().ok()),
                                |h| u32::from_str_radix(h, 16).ok(),
                            )
                            .and_then(char::from_u32),
                    };
                    value.extend(c);
                }
            }
            Ok(Event::CData(t)) => {
                if item.is_some() {
                    value.push_str(t.as_ref());
                }
            }
            Ok(Event::End(e)) => {
                let tag = e.name().as_ref().to_owned();
                if tag == "item" {
                    items.extend(item.take());
                } else if let Some(it) = item.as_mut() {
                    let v = value.trim().to_owned();
                    match tag.as_str() {
                        "title" => it.title = v,
                        "guid" => it.guid = v,
                        "link" => it.link = v,
                        "content:encoded" => it.content = v,
                        "wp:post_date" => it.post_date = v,
                        "pubDate" => it.pub_date = v,
                        "wp:status" => it.status = v,
                        "wp:post_type" => it.post_type = v,
                        "category" if domain == "post_tag" => it.tags.push(v),
                        "category" => it.categories.push(v),
                        _ => {}
                    }
                    field.clear();
                    value.clear();
                }
            }
            Ok(_) => {}
        }
    }
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for it in items {
        if !it.post_type.is_empty() && it.post_type != "post" {
            continue;
        }
        let date = crate::i18n::wareki::parse_date(it.post_date.split(' ').next().unwrap_or_default())
            .or_else(|| chrono::DateTime::parse_from_rfc2822(&it.pub_date).ok().map(|d| d.date_naive()));
        let key = if it.guid.is_empty() { it.link.clone() } else { it.guid.clone() };
        let mut wrong = |m: &str| problems.push(problem(it.line, m.to_owned()));
        if it.title.is_empty() {
            wrong("the post has no title");
        }
        if key.is_empty() {
            wrong("the post has neither guid nor link, so importing again could not find it");
        }
        if it.content.trim().is_empty() {
            wrong("the post has no content:encoded text");
        }
        let Some(date) = date else {
            wrong("the post has no readable wp:post_date or pubDate");
            continue;
        };
        let category = it.categories.iter().find_map(|c| Category::from_name(c)).unwrap_or(default);
        let mut tags = Vec::new();
        for t in it.tags.iter().chain(it.categories.iter().filter(|c| Category::from_name(c).is_none())) {
            for t in super::parse_tags(t) {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        articles.push(Imported {
            key: format!("wxr:{key}"),
            draft: Draft {
                title: it.title,
                body: it.content,
                category,
                tags,
                dated_at: crate::i18n::wareki::jst_midnight(date),
                event_id: None,
                lab_id: None,
                social_issue_id: None,
            },
            status: if it.status.is_empty() || it.status == "publish" { Status::Published } else { Status::Draft },
            files: Vec::new(),
            remote: Vec::new(),
        });
    }
    if problems.is_empty() { Ok(articles) } else { Err(problems) }
}

/// How an import went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
}

/// Saves the articles read, in one transaction: new ones created, ones imported before
/// updated (a link the secretariat added since is kept).
///
/// # Errors
/// The database fails (and nothing is saved).
pub async fn import(db: &Db, tenant: TenantId, articles: &[Imported]) -> StoreResult<Outcome> {
    db.write(async |tx| {
        let mut outcome = Outcome::default();
        for a in articles {
            let mut draft = a.draft.clone();
            for (reference, file) in &a.files {
                let id = crate::file::store::insert(tx, tenant, file, None).await?;
                draft.body = draft.body.replace(reference.as_str(), &format!("/files/{}/{}", id.0, file.name));
            }
            let a = Imported { draft, ..a.clone() };
            let a = &a;
            match super::store::find_imported(tx, tenant, &a.key).await? {
                Some(id) => {
                    super::store::update_imported(tx, tenant, id, &a.draft, a.status).await?;
                    outcome.updated += 1;
                }
                None => {
                    super::store::insert(tx, tenant, &a.draft, a.status, None, Some(&a.key)).await?;
                    outcome.created += 1;
                }
            }
        }
        Ok(outcome)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_what_a_text_shows_not_what_it_links_to() {
        let text = "![会場](https://a.example/1.jpg \"題\")\n[報告](https://a.example/report.pdf)\n\
                    <a href=\"https://a.example/x.png\">x</a><img alt=\"\" src=\"https://a.example/2.png?w=1\">";
        assert_eq!(pictures(text), ["https://a.example/1.jpg", "https://a.example/2.png?w=1"]);
    }

    #[test]
    fn front_matter_is_read_and_checked_by_line() {
        let ok = markdown_file(
            "report.md",
            "---\ntitle: \"第1回 情報交換会の報告\"\ndate: 令和5年4月20日\ncategory: セッション報告\ntags: [情報交換会, 居住支援]\n---\n\n# 当日\n\n話し合いました。\n",
        )
        .unwrap();
        assert_eq!(ok.key, "md:report.md");
        assert_eq!(ok.draft.title, "第1回 情報交換会の報告");
        assert_eq!(ok.draft.tags, ["情報交換会", "居住支援"]);
        assert_eq!(ok.draft.body, "# 当日\n\n話し合いました。");
        assert_eq!(ok.status, Status::Published);

        let bad = markdown_file("bad.md", "---\ntitle: x\ndate: 2023-13-01\ncategory: 日記\nauthor: me\n---\nbody\n")
            .unwrap_err();
        let lines: Vec<usize> = bad.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4, 5], "{bad:?}");
        assert!(bad[1].to_string().starts_with("bad.md:4: unknown category"));
        let unclosed = markdown_file("open.md", "---\ntitle: x\n").unwrap_err();
        assert_eq!(unclosed[0].line, 1);
        let none = markdown_file("plain.md", "# only text\n").unwrap_err();
        assert!(none[0].message.contains("front matter"));
    }

    const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>ソーシャルハブ</title>
<item>
  <title>居住支援ラボ 勉強会の報告 &amp; 次回</title>
  <link>https://note.com/hub/n/n123</link>
  <pubDate>Sat, 20 May 2023 10:00:00 +0900</pubDate>
  <guid isPermaLink="false">https://note.com/hub/n/n123</guid>
  <content:encoded><![CDATA[<p>大家さんと<strong>プロボノ</strong>の話。</p><p><img src="https://assets.example/a.jpg"></p>]]></content:encoded>
  <wp:post_date>2023-05-20 10:00:00</wp:post_date>
  <wp:status>publish</wp:status>
  <wp:post_type>post</wp:post_type>
  <category domain="category" nicename="lab"><![CDATA[ラボ成果]]></category>
  <category domain="post_tag" nicename="x"><![CDATA[居住支援]]></category>
</item>
<item>
  <title>画像</title>
  <wp:post_type>attachment</wp:post_type>
</item>
</channel>
</rss>
"#;

    #[test]
    fn a_blog_export_gives_its_posts() {
        let posts = wxr_file("note.xml", WXR, Category::SessionReport).unwrap();
        assert_eq!(posts.len(), 1, "attachments are not posts");
        let p = &posts[0];
        assert_eq!(p.key, "wxr:https://note.com/hub/n/n123");
        assert_eq!(p.draft.title, "居住支援ラボ 勉強会の報告 & 次回");
        assert_eq!(p.draft.category, Category::LabResult);
        assert_eq!(p.draft.tags, ["居住支援"]);
        assert!(p.draft.body.contains("<strong>プロボノ</strong>"));
        assert_eq!(crate::i18n::wareki::jst_date(p.draft.dated_at).to_string(), "2023-05-20");

        let broken =
            wxr_file("broken.xml", "<rss>\n<channel>\n<item><title>x</titel>\n", Category::Notice).unwrap_err();
        assert_eq!(broken[0].line, 3, "{broken:?}");
        let untitled = WXR.replace("<title>居住支援ラボ 勉強会の報告 &amp; 次回</title>", "");
        let problems = wxr_file("note.xml", &untitled, Category::Notice).unwrap_err();
        assert_eq!(problems[0].line, 5);
        assert!(problems[0].message.contains("no title"));
    }
}
