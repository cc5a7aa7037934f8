//! Atom feeds (RFC 4287), for feed readers and the city's portal.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// One entry of a feed.
pub struct Entry {
    /// Unique within the feed (`article-12`).
    pub id: String,
    pub title: String,
    pub url: String,
    pub updated: DateTime<Utc>,
    pub author: String,
    /// The whole text as HTML, or …
    pub content_html: Option<String>,
    /// … a line of plain text.
    pub summary: Option<String>,
}

/// A feed of a center.
pub struct Feed<'a> {
    /// Unique among the center's feeds (`articles`).
    pub id: &'static str,
    pub title: String,
    pub lang: &'static str,
    pub base_url: &'a str,
    /// The page the feed follows (`/articles`); the feed is at the same path + `.atom`.
    pub path: &'static str,
    pub entries: Vec<Entry>,
}

/// Text for XML content and attributes.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl Feed<'_> {
    pub fn render(&self) -> String {
        let host =
            url::Url::parse(self.base_url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
        let updated = self.entries.iter().map(|e| e.updated).max().unwrap_or_else(crate::db::now).to_rfc3339();
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
             <title>{}</title>\n<id>tag:{host},2026:{}</id>\n<updated>{updated}</updated>\n\
             <link rel=\"self\" href=\"{}{}.atom\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>\n",
            self.lang,
            xml(&self.title),
            self.id,
            xml(self.base_url),
            self.path,
            xml(self.base_url),
            self.path,
        );
        for e in &self.entries {
            let body = match (&e.content_html, &e.summary) {
                (Some(html), _) => format!("<content type=\"html\">{}</content>", xml(html)),
                (None, Some(text)) => format!("<summary>{}</summary>", xml(text)),
                (None, None) => String::new(),
            };
            out.push_str(&format!(
                "<entry>\n<title>{}</title>\n<id>tag:{host},2026:{}</id>\n<link href=\"{}\"/>\n\
                 <updated>{}</updated>\n<author><name>{}</name></author>\n{body}\n</entry>\n",
                xml(&e.title),
                e.id,
                xml(&e.url),
                e.updated.to_rfc3339(),
                xml(&e.author),
            ));
        }
        out.push_str("</feed>\n");
        out
    }
}

impl IntoResponse for Feed<'_> {
    fn into_response(self) -> Response {
        ([(axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], self.render()).into_response()
    }
}
