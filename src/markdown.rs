//! What people write (descriptions, minutes, roadmaps): Markdown rendered to safe HTML
//! once, when it is saved, and to plain text for open data.

/// The version of [`render_markdown`]: raised when what it makes of the same text changes
/// (2: headings start at h2), so that [`render_stored_again`] renders stored text anew.
pub const RENDERER: i64 = 2;

/// Renders every stored text again when it was rendered by an older [`RENDERER`], in one
/// transaction, at start (after the migrations); each concept's store rewrites its own
/// table. True when it did.
///
/// # Errors
/// The database fails.
pub async fn render_stored_again(db: &crate::db::Db) -> crate::db::StoreResult<bool> {
    let stored: i64 = crate::with_db!(db, |pool| {
        sqlx::query_scalar("SELECT version FROM markdown_renderer WHERE id = 1").fetch_one(pool).await?
    });
    if stored >= RENDERER {
        return Ok(false);
    }
    let tenants = crate::tenant::store::list(db).await?;
    db.write(async |tx| {
        for (tenant, _) in &tenants {
            crate::event::store::render_markdown_again(tx, tenant.id).await?;
            crate::social_issue::store::render_markdown_again(tx, tenant.id).await?;
            crate::lab::store::render_markdown_again(tx, tenant.id).await?;
        }
        crate::with_tx!(tx, |c| {
            sqlx::query("UPDATE markdown_renderer SET version = $1 WHERE id = 1")
                .bind(RENDERER)
                .execute(&mut *c)
                .await?;
        });
        Ok(true)
    })
    .await
}

/// Renders again the rows a store names: `select` reads `(id, markdown)` of the tenant
/// (`$1`), `update` writes the HTML (`$3`) of one row (`$2`) of the tenant (`$1`).
///
/// # Errors
/// The database fails.
pub async fn render_rows_again(
    tx: &mut crate::db::Tx,
    tenant: crate::tenant::TenantId,
    select: &'static str,
    update: &'static str,
) -> crate::db::StoreResult<()> {
    let rows: Vec<(i64, String)> =
        crate::with_tx!(tx, |c| sqlx::query_as(select).bind(tenant).fetch_all(&mut *c).await?);
    for (id, markdown) in rows {
        crate::with_tx!(tx, |c| {
            sqlx::query(update).bind(tenant).bind(id).bind(render_markdown(&markdown)).execute(&mut *c).await?;
        });
    }
    Ok(())
}

/// Markdown to safe HTML.
pub fn render_markdown(md: &str) -> String {
    use pulldown_cmark::{Event as Md, HeadingLevel, Tag, TagEnd};
    // Headings in what people write start below the page's own title (h1): `#` is an h2.
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    };
    let events = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::empty()).map(|e| match e {
        Md::Start(Tag::Heading { level, id, classes, attrs }) => {
            Md::Start(Tag::Heading { level: lower(level), id, classes, attrs })
        }
        Md::End(TagEnd::Heading(level)) => Md::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&html).to_string()
}

/// Markdown as plain text, for places that take no markup (open data): the text of each
/// block on its own line, a link's address after its text when the two differ.
pub fn markdown_to_text(md: &str) -> String {
    use pulldown_cmark::{Event as Md, Tag, TagEnd};
    let mut out = String::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    // Inside a script or style opened among the text: its content is not text.
    let mut hidden: Option<&'static str> = None;
    for event in pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::empty()) {
        match event {
            Md::Text(_) | Md::Code(_) if hidden.is_some() => {}
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
            // HTML written among the text (or brought from a blog): its text only.
            Md::Html(t) | Md::InlineHtml(t) => {
                let lower = t.to_ascii_lowercase();
                match hidden {
                    Some(tag) => {
                        if lower.contains(&format!("</{tag}")) {
                            hidden = None;
                        }
                    }
                    None => {
                        out.push_str(&html_text(&t));
                        hidden = ["script", "style"]
                            .into_iter()
                            .find(|tag| lower.contains(&format!("<{tag}")) && !lower.contains(&format!("</{tag}")));
                    }
                }
            }
            Md::SoftBreak | Md::HardBreak => out.push('\n'),
            Md::Start(Tag::Link { dest_url, .. }) => links.push((dest_url.into_string(), out.len())),
            Md::End(TagEnd::Link) => {
                if let Some((url, from)) = links.pop()
                    && out[from..] != url
                {
                    out.push_str(&format!("（{url}）"));
                }
            }
            Md::Start(Tag::Item) => out.push('・'),
            Md::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::BlockQuote(_),
            ) => {
                out.push('\n');
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
    lines.join("\n")
}

/// The text of an HTML fragment: tags dropped (scripts and styles with their content), a
/// line break at blocks, the common entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let raw = &rest[open + 1..open + close];
        let tag = raw.trim_start_matches('/').to_ascii_lowercase();
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
        // A script's or style's content is not text.
        if matches!(name, "script" | "style") && !raw.starts_with('/') {
            let end = format!("</{name}");
            let after = &rest[open + close + 1..];
            rest = match after.to_ascii_lowercase().find(&end) {
                Some(at) => after[at..].find('>').map_or("", |gt| &after[at + gt + 1..]),
                None => "",
            };
            continue;
        }
        if matches!(
            name,
            "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "blockquote" | "figure"
        ) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_start_below_the_pages_title() {
        assert_eq!(render_markdown("# 背景\n\n## 経緯\n\n###### 注"), "<h2>背景</h2>\n<h3>経緯</h3>\n<h6>注</h6>\n");
    }

    #[test]
    fn html_among_the_text_gives_its_text() {
        assert_eq!(html_text("<p>居住支援&amp;防災</p><p>次へ<br>行</p>"), "\n居住支援&防災\n\n次へ\n行\n");
        assert_eq!(markdown_to_text("<p>ブログの<strong>本文</strong></p>"), "ブログの本文");
    }

    #[test]
    fn markdown_is_sanitised() {
        let html = render_markdown("**太字** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>太字</strong>"));
        assert!(!html.contains("<script") && !html.contains("javascript:"));
    }

    #[test]
    fn markdown_becomes_plain_text_for_open_data() {
        let md = "## 内容\n\n**空き家**の活用を考えます。\n詳しくは[募集ページ](https://example.jp/a)へ。\n\n- 第1部 報告\n- 第2部 対話\n\n<script>alert(1)</script>\n";
        assert_eq!(
            markdown_to_text(md),
            "内容\n空き家の活用を考えます。\n詳しくは募集ページ（https://example.jp/a）へ。\n・第1部 報告\n・第2部 対話"
        );
        assert_eq!(markdown_to_text("<https://example.jp/>"), "https://example.jp/", "an address as its own text");
        assert_eq!(markdown_to_text(""), "");
    }
}
