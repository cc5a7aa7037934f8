//! What people write (descriptions, minutes, roadmaps): Markdown rendered to safe HTML
//! once, when it is saved, and to plain text for open data.

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
    for event in pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::empty()) {
        match event {
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_start_below_the_pages_title() {
        assert_eq!(render_markdown("# 背景\n\n## 経緯\n\n###### 注"), "<h2>背景</h2>\n<h3>経緯</h3>\n<h6>注</h6>\n");
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
