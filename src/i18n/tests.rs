//! Every message exists in Japanese and in English, and every message id the code and
//! templates use exists.

use std::collections::BTreeSet;
use std::path::Path;

use super::Lang;

fn message_ids(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut ids = BTreeSet::new();
    let mut twice = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((id, _)) = line.split_once(" =")
                && !id.starts_with([' ', '#'])
                && !id.is_empty()
                && !ids.insert(id.to_owned())
            {
                twice.push(id.to_owned());
            }
        }
    }
    // Fluent refuses a bundle with a message defined twice, at the first lookup.
    assert!(twice.is_empty(), "defined twice in {lang}: {twice:?}");
    ids
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push(path);
        }
    }
}

/// String literals in code and templates that look like message ids (`prefix-word…`
/// with a prefix the locale files use).
fn used_ids(prefixes: &BTreeSet<String>) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("src"), &mut paths);
    files(&root.join("templates"), &mut paths);
    let mut used = BTreeSet::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        // Literal by literal; a literal right after `=` is an HTML attribute (id, class…).
        while let Some(open) = rest.find('"') {
            let after_attr = rest[..open].ends_with('=');
            let Some(len) = rest[open + 1..].find('"') else { break };
            let literal = &rest[open + 1..open + 1 + len];
            rest = &rest[open + len + 2..];
            let looks_like_id = literal.contains('-')
                && literal.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !literal.ends_with('-');
            let prefix = literal.split('-').next().unwrap_or_default();
            if looks_like_id && !after_attr && prefixes.contains(prefix) {
                used.insert(literal.to_owned());
            }
        }
    }
    used
}

#[test]
fn japanese_and_english_have_the_same_messages() {
    let ja = message_ids("ja");
    let en = message_ids("en");
    assert!(ja.len() > 50, "locale files were read");
    let only_ja: Vec<_> = ja.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&ja).collect();
    assert!(only_ja.is_empty() && only_en.is_empty(), "only ja: {only_ja:?}; only en: {only_en:?}");
}

#[test]
fn every_message_the_code_uses_exists() {
    let ja = message_ids("ja");
    let prefixes: BTreeSet<String> = ja.iter().filter_map(|id| id.split('-').next()).map(str::to_owned).collect();
    // Ids built at run time from codes.
    let mut known = ja.clone();
    known.extend(crate::sector::Sector::ALL.iter().map(|s| format!("sector-{}", s.code())));
    // The access log's codes are stored, not shown (each is shown by its label).
    for a in crate::access_log::Action::ALL {
        known.insert(a.code().to_owned());
        assert!(ja.contains(&format!("access-action-{}", a.code())), "{a:?} has a label");
    }
    let missing: Vec<_> = used_ids(&prefixes).into_iter().filter(|id| !known.contains(id)).collect();
    assert!(missing.is_empty(), "message ids used but not defined: {missing:?}");
    for id in crate::sector::Sector::ALL
        .iter()
        .map(|s| format!("sector-{}", s.code()))
        .chain(crate::account::Role::ALL.iter().map(|r| format!("role-{}", r.code())))
    {
        assert!(ja.contains(&id), "{id} missing");
    }
    for page in crate::web::AppError::all_pages() {
        assert!(ja.contains(page.title) && ja.contains(page.message), "{page:?}");
    }
}

#[test]
fn lookups_use_the_language_and_no_isolation_marks() {
    assert_eq!(Lang::Ja.t("nav-login"), "ログイン");
    assert_eq!(Lang::En.t("nav-login"), "Log in");
    let s = Lang::Ja.t_args("home-welcome-back", &[("name", "佐藤 美咲")]);
    assert_eq!(s, "佐藤 美咲さん、ようこそ。");
    assert!(!s.contains('\u{2068}'));
}

#[test]
fn messages_for_templates_are_escaped_once_and_kept() {
    assert_eq!(Lang::En.t("lab-events"), "The lab's study sessions");
    assert_eq!(Lang::En.t_html("lab-events"), "The lab&#39;s study sessions");
    // Kept: the second look-up gives the very same text, in this thread and in another.
    let first = Lang::En.t_html("lab-events");
    assert!(matches!(first, std::borrow::Cow::Borrowed(_)));
    assert_eq!(Lang::En.t_html("lab-events").as_ptr(), first.as_ptr());
    let other = std::thread::spawn(|| Lang::En.t_html("lab-events").as_ptr() as usize).join().unwrap();
    assert_eq!(other, first.as_ptr() as usize);
    // Plain text and HTML are kept apart, and Japanese needs no escaping.
    assert_eq!(Lang::En.t("lab-events"), "The lab's study sessions");
    assert_eq!(Lang::Ja.t_html("nav-login"), "ログイン");
    // A missing message (its placeholder text quotes the id) is escaped like any other.
    assert_eq!(Lang::En.t_html("no-such-message-id"), Lang::En.t("no-such-message-id").replace('"', "&#34;"));
}

#[test]
fn language_codes() {
    assert_eq!(Lang::from_code("en-US"), Some(Lang::En));
    assert_eq!(Lang::from_code("ja"), Some(Lang::Ja));
    assert_eq!(Lang::from_code("fr"), None);
}

#[test]
fn identifiers_are_normalised_but_not_names() {
    assert_eq!(super::normalize_identifier(" ＡＢＣ０９０ "), "ABC090");
}

#[test]
fn amounts_are_grouped_by_thousands() {
    let cases =
        [(0, "0"), (500, "500"), (1000, "1,000"), (12_345, "12,345"), (1_000_000, "1,000,000"), (-1500, "-1,500")];
    for (n, s) in cases {
        assert_eq!(super::group_digits(n), s);
    }
}

/// The words shown to people: no jargon such as "Markdown" (a short formatting help says
/// how to write instead), and English without Japanese punctuation or full-width brackets.
#[test]
fn messages_speak_plainly_in_each_language() {
    for lang in ["ja", "en"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            for line in std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.starts_with('#')) {
                assert!(!line.contains("Markdown"), "{}: {line}", path.display());
                if lang == "en" {
                    let full_width = ['（', '）', '「', '」', '、', '。', '：', '！', '？'];
                    assert!(!line.contains(full_width), "{}: {line}", path.display());
                }
            }
        }
    }
}
