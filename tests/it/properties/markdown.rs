//! Markdown: whatever is written renders to safe HTML and readable text.

use super::*;

/// HTML and links that would run script, load another page or restyle this one.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x]( javascript:alert(1) \"t\")",
    "![x](javascript:alert(1))",
    "![x](x \"\\\" onerror=\\\"alert(1)\")",
    "<javascript:alert(1)>",
    "[r]\n\n[r]: javascript:alert(1)\n",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<IFRAME SRCDOC=\"<script>alert(1)</script>\">",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p onclick=\"alert(1)\">x</p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea></textarea><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```\n",
    "<a href=\"https://example.jp/\" onclick=\"alert(1)\" target=_blank>ok</a>",
    "[ok](https://example.jp/ \"title\")",
    "居住支援",
    "**太字**",
];

/// Markdown's own signs, to put the fragments in every context (headings, quotes, lists,
/// code, tables, links).
const MARKDOWN_SIGNS: &[&str] = &[
    "\n", "\n\n", "    ", "# ", "## ", "> ", "- ", "1. ", "**", "*", "_", "`", "```\n", "[", "]", "(", ")", "![", "<",
    ">", "&", "|", "\\", "---\n", "<div>\n", "</div>\n", "\t", "\r\n", "\"", "'", "=", " ",
];

fn hostile_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => select(HOSTILE).prop_map(str::to_owned),
        4 => select(MARKDOWN_SIGNS).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// Attributes that hold an address a browser loads or follows.
const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc"];

/// Elements that run script, load other pages or change this one's look.
const FORBIDDEN: &[&str] =
    &["script", "iframe", "style", "object", "embed", "frame", "base", "meta", "link", "form", "svg", "math"];

/// HTML is safe to put in a page: no element that runs or loads anything, no event
/// handler attribute, no address that runs script (however it is spelled once parsed).
fn assert_safe(html: &str) -> Result<(), TestCaseError> {
    let lower = html.to_ascii_lowercase();
    for tag in ["<script", "<iframe", "<style", "<object", "<embed"] {
        prop_assert!(!lower.contains(tag), "{tag} in {html}");
    }
    let document = scraper::Html::parse_fragment(html);
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else { continue };
        let name = element.name().to_ascii_lowercase();
        prop_assert!(!FORBIDDEN.contains(&name.as_str()), "<{name}> in {html}");
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            prop_assert!(!attribute.starts_with("on"), "{attribute}= in {html}");
            if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                // What a browser reads as the scheme: controls and white space dropped.
                let address: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    prop_assert!(!address.starts_with(scheme), "{attribute}={value:?} in {html}");
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever is written, Markdown mixed with HTML, scripts and hostile links included,
    /// renders without a panic to HTML that runs nothing: no script, iframe, style, object
    /// or embed element, no `on…=` attribute, no `javascript:` (nor `vbscript:`, `data:`)
    /// address. Its plain text for open data is made without a panic too.
    #[test]
    fn whatever_is_written_renders_to_safe_html(md in hostile_markdown()) {
        assert_safe(&render_markdown(&md))?;
        let _ = markdown_to_text(&md);
        let _ = html_text(&md);
    }

    /// Text with nothing Markdown or HTML reads as markup comes out whole, as one
    /// paragraph.
    #[test]
    fn plain_text_comes_out_whole(words in prop::collection::vec("[a-zA-Z0-9あ-んア-ン居住支援地域防災、。]{1,8}", 1..12)) {
        let text = words.join(" ");
        prop_assert_eq!(render_markdown(&text), format!("<p>{text}</p>\n"));
        prop_assert_eq!(markdown_to_text(&text), text);
    }

    /// The text of HTML keeps what is around a script or a style (in any case), drops
    /// what is inside it, and leaves text without tags or entities as it is.
    #[test]
    fn html_text_drops_scripts_and_keeps_the_text(
        before in "[^<&]{0,20}",
        inside in "[^<]{0,20}",
        after in "[^<&]{0,20}",
        tag in select(&["script", "SCRIPT", "Script", "style", "STYLE"][..]),
    ) {
        prop_assert_eq!(html_text(&before), before.clone());
        let html = format!("{before}<{tag} type=\"text/javascript\">{inside}</{tag}>{after}");
        prop_assert_eq!(html_text(&html), format!("{before}{after}"));
    }
}

proptest! {
    #![proptest_config(cases(64))]

    /// The plain text of Markdown (open data) holds nothing of a script or a style written
    /// among its text, as its HTML holds nothing of it.
    #[test]
    fn plain_text_holds_nothing_of_a_script(
        before in "[あ-ん居住支援 ]{0,8}",
        inside in "[a-z]{1,12}",
        after in "[あ-ん居住支援 ]{0,8}",
        tag in select(&["script", "style"][..]),
    ) {
        let md = format!("{before}<{tag}>zq{inside}</{tag}>{after}");
        prop_assert!(!render_markdown(&md).contains("zq"), "{}", render_markdown(&md));
        prop_assert!(!markdown_to_text(&md).contains("zq"), "{:?} gives {:?}", md, markdown_to_text(&md));
    }
}
