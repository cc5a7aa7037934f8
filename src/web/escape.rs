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

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The position of the first byte to escape at or after `from`.
fn find_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // All five are below 0x40, and most text (Japanese, Latin letters) has no such
        // byte at all: one test clears most chunks.
        if marks_below(x, 0x40) != 0
            && let Some(at) = find_in_8(x, !0)
        {
            return Some(i + at);
        }
        i += 8;
    }
    let len = bytes.len();
    if i >= len {
        return None;
    }
    if len < 8 {
        return bytes[i..].iter().position(|&b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'')).map(|at| i + at);
    }
    // The last few bytes: the last eight, with the marks of those before `i` cleared.
    let start = len - 8;
    let x = u64::from_le_bytes(bytes[start..].try_into().expect("eight bytes"));
    let seen = 8 * (i - start);
    find_in_8(x, !0 << seen).map(|at| start + at)
}

/// Marks (high bit) bytes of `x` below `n` (at most 0x80), at least one if there is one: a
/// borrow can mark a byte above a marked byte too, so this only tells whether to look.
fn marks_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH
}

/// Marks (high bit) exactly the zero bytes of `v`: adding 0x7f to the low seven bits of a
/// byte sets its high bit unless they are all zero, and never carries into the next byte.
fn zero_bytes(v: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((v & LOW7) + LOW7) | v) & HIGH
}

/// The first of the eight bytes of `x` that is one of the five, among the bytes `keep`
/// covers: a byte of `x ^ c·0x01…01` is zero exactly where `x` has `c`.
fn find_in_8(x: u64, keep: u64) -> Option<usize> {
    let at = |c: u8| zero_bytes(x ^ (ONES * u64::from(c)));
    let marks = (at(b'<') | at(b'>') | at(b'&') | at(b'"') | at(b'\'')) & keep;
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
        // Bytes one off the five ('=' is '<' + 1, '%' is '&' - 1…), where a borrow between
        // bytes could mark the wrong one; and every ASCII byte in every alignment.
        let near = "<=;>?=&%'(\"#!<<>>&&''\"\"=<>=";
        assert_eq!(ours(near), askamas(near));
        for c in ['<', '>', '&', '"', '\''] {
            for next in ['=', ';', '?', '%', '#', '!', '(', ')', '<'] {
                for n in 0..20 {
                    let s = format!("{}{c}{next}{}", "x".repeat(n), "y".repeat(n % 9));
                    assert_eq!(ours(&s), askamas(&s), "{s:?}");
                }
            }
        }
        let ascii: String = (0u8..128).map(char::from).collect();
        for start in 0..8 {
            assert_eq!(ours(&ascii[start..]), askamas(&ascii[start..]));
        }
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
