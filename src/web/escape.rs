//! HTML escaping for the templates (configured in `askama.toml` for `.html`): the same
//! output as askama's own escaper (`&#60;` `&#62;` `&#38;` `&#34;` `&#39;`), but it looks
//! for those five bytes eight at a time instead of one by one. Most of what a page
//! inserts is Japanese text with nothing to escape, and askama's byte loop was a quarter
//! of the cost of rendering the event page.

use std::fmt::{self, Write};

/// The templates' HTML escaper.
#[derive(Clone, Copy, Debug, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> fmt::Result {
        let bytes = s.as_bytes();
        let mut last = 0;
        while let Some(at) = find_special(bytes, last) {
            if last < at {
                dest.write_str(&s[last..at])?;
            }
            dest.write_str(entity(bytes[at]))?;
            last = at + 1;
        }
        if last < s.len() {
            dest.write_str(&s[last..])?;
        }
        Ok(())
    }
}

fn entity(b: u8) -> &'static str {
    match b {
        b'<' => "&#60;",
        b'>' => "&#62;",
        b'&' => "&#38;",
        b'"' => "&#34;",
        _ => "&#39;",
    }
}

fn is_special(b: u8) -> bool {
    matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'')
}

/// The position of the first byte to escape at or after `from`.
fn find_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        if let Some(at) = find_in_8(eight) {
            return Some(i + at);
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| is_special(b)).map(|at| i + at)
}

/// Eight bytes compared with the five at once: a byte of `x ^ c·0x01…01` is zero where
/// `x` has `c`, and `(v - 0x01…01) & !v & 0x80…80` marks zero bytes. A borrow can mark a
/// byte above a zero byte too, never one below it, so the lowest mark is the first match.
fn find_in_8(chunk: [u8; 8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(chunk);
    let zero_where = |c: u8| {
        let v = x ^ (ONES * u64::from(c));
        v.wrapping_sub(ONES) & !v & HIGH
    };
    let marks = zero_where(b'<') | zero_where(b'>') | zero_where(b'&') | zero_where(b'"') | zero_where(b'\'');
    (marks != 0).then(|| (marks.trailing_zeros() / 8) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::filters::Escaper;

    fn ours(s: &str) -> String {
        let mut out = String::new();
        Html.write_escaped_str(&mut out, s).unwrap();
        out
    }

    fn askamas(s: &str) -> String {
        let mut out = String::new();
        askama::filters::Html.write_escaped_str(&mut out, s).unwrap();
        out
    }

    #[test]
    fn the_same_output_as_askama_at_every_position() {
        let specials = ['<', '>', '&', '"', '\'', 'a', 'あ', ' ', '\n'];
        // Every special character at every offset of strings across the 8-byte chunks.
        for len in 0..40 {
            for (k, c) in specials.iter().enumerate() {
                for at in 0..len {
                    let s: String = (0..len)
                        .map(|i| {
                            if i == at {
                                *c
                            } else if (i + k) % 7 == 0 {
                                '会'
                            } else {
                                'x'
                            }
                        })
                        .collect();
                    assert_eq!(ours(&s), askamas(&s), "{s:?}");
                }
            }
        }
        let mixed = "<script>alert('x & \"y\"')</script> 令和5年4月20日（木）<b>";
        assert_eq!(ours(mixed), askamas(mixed));
        assert_eq!(ours("a<b"), "a&#60;b");
        assert_eq!(ours("底上げ"), "底上げ");
        assert_eq!(ours(""), "");
    }

    #[derive(askama::Template)]
    #[template(source = "<p title=\"{{ t }}\">{{ t }}</p>{{ n }}{{ t|safe }}", ext = "html")]
    struct Probe<'a> {
        t: &'a str,
        n: i64,
    }

    #[test]
    fn templates_escape_text_and_attributes() {
        use askama::Template;
        let html = Probe { t: "<O'Neil & \"底上げ\">", n: -3 }.render().unwrap();
        assert_eq!(
            html,
            "<p title=\"&#60;O&#39;Neil &#38; &#34;底上げ&#34;&#62;\">&#60;O&#39;Neil &#38; &#34;底上げ&#34;&#62;</p>-3<O'Neil & \"底上げ\">"
        );
    }
}
