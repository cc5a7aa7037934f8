//! Tenants: the centers one deployment hosts (e.g. Sendai and Tagajo), each chosen by the
//! host name a request arrives on. Every record belongs to a tenant; every store function
//! takes the tenant first.

pub mod store;
pub mod web;

use crate::validate::FieldErrors;

/// A tenant's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct TenantId(pub i64);

/// A center hosted by this deployment.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Tenant {
    pub id: TenantId,
    /// Short stable name used on the command line (`sendai`).
    pub slug: String,
    /// The center's name as shown on its pages.
    pub name: String,
}

/// Why a new tenant was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TenantError {
    #[error("a slug is 1-40 characters of a-z, 0-9 and '-'")]
    InvalidSlug,
    #[error("the name must not be empty")]
    EmptyName,
    #[error("invalid host name {0}")]
    InvalidHost(String),
}

/// Checks a slug: lower-case ASCII letters, digits and hyphens, 1-40 characters.
///
/// # Errors
/// [`TenantError::InvalidSlug`].
pub fn validate_slug(slug: &str) -> Result<(), TenantError> {
    let ok = !slug.is_empty()
        && slug.len() <= 40
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok { Ok(()) } else { Err(TenantError::InvalidSlug) }
}

/// Normalises a `Host` header or a configured host name: lower case, without port.
/// Returns `None` for something that is not a host name.
pub fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    // Strip the port, but keep bracketed IPv6 literals whole.
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        (format!("[{inner}]"), after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (host.clone(), None),
        }
    };
    // A port, if any, is digits only: `host:80@evil.example` is no host name.
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'[' | b']' | b':'));
    valid.then_some(name)
}

/// Where a center is and how the public reaches it, as open data names it: the
/// municipality's code and name (全国地方公共団体コード, 市区町村名) and the contact phone.
/// Empty until the secretariat fills it in.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Locality {
    /// Six digits, the last a check digit (e.g. 041009 for Sendai); empty if not set.
    pub municipality_code: String,
    /// 市区町村名 (e.g. 仙台市); empty for a prefecture's own code.
    pub municipality: String,
    /// 連絡先電話番号 as the center publishes it (e.g. 022-212-3010).
    pub phone: String,
}

impl Locality {
    /// 都道府県名, from the code's first two digits.
    pub fn prefecture(&self) -> &'static str {
        prefecture_of(&self.municipality_code).unwrap_or("")
    }
}

/// The form of [`Locality`] as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LocalityForm {
    pub municipality_code: String,
    pub municipality: String,
    pub phone: String,
}

impl LocalityForm {
    pub fn of(l: &Locality) -> LocalityForm {
        LocalityForm {
            municipality_code: l.municipality_code.clone(),
            municipality: l.municipality.clone(),
            phone: l.phone.clone(),
        }
    }

    /// Checks the form. The code is an identifier: full-width digits and spaces are
    /// normalised (NFKC) and must then be six digits with a valid check digit, or empty.
    /// Names are kept as typed (trimmed).
    ///
    /// # Errors
    /// Each field at fault, with a message id.
    pub fn validate(&self) -> Result<Locality, FieldErrors> {
        use crate::i18n::normalize_identifier;
        let mut errors = FieldErrors::default();
        let code: String =
            normalize_identifier(&self.municipality_code).chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if !code.is_empty() && !municipality_code_is_valid(&code) {
            errors.add("municipality_code", "center-error-code");
        }
        let municipality = self.municipality.trim().to_owned();
        if municipality.chars().count() > 40 {
            errors.add("municipality", "center-error-municipality");
        }
        // Japanese input methods type the hyphen as a minus sign, a long-vowel mark or a
        // dash, which NFKC leaves as they are.
        let phone: String = normalize_identifier(&self.phone)
            .chars()
            .map(|c| if matches!(c, '−' | 'ー' | '‐' | '–' | '—' | '―') { '-' } else { c })
            .collect();
        if phone.chars().count() > 20
            || !phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' '))
        {
            errors.add("phone", "center-error-phone");
        }
        errors.into_result(Locality { municipality_code: code, municipality, phone })
    }
}

/// The prefectures in the order of their codes (JIS X 0401: 01 北海道 … 47 沖縄県).
const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The prefecture of a municipality code (its first two digits).
pub fn prefecture_of(code: &str) -> Option<&'static str> {
    let n: usize = code.get(..2)?.parse().ok()?;
    PREFECTURES.get(n.checked_sub(1)?).copied()
}

/// A 全国地方公共団体コード: six ASCII digits of a prefecture 01–47, the last the check
/// digit of the first five (weights 6, 5, 4, 3, 2; 11 minus the sum modulo 11, last digit).
pub fn municipality_code_is_valid(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if code.len() != 6 || digits.len() != 6 || prefecture_of(code).is_none() {
        return false;
    }
    let sum: u32 = digits[..5].iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    (11 - sum % 11) % 10 == digits[5]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_case() {
        assert_eq!(normalize_host("Tagajo.Example.JP:8080").as_deref(), Some("tagajo.example.jp"));
        assert_eq!(normalize_host("127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(normalize_host("[::1]:80").as_deref(), Some("[::1]"));
        assert_eq!(normalize_host("bad host/"), None);
        assert_eq!(normalize_host("sendai.example.jp:80@evil.example"), None);
        assert_eq!(normalize_host("sendai.example.jp:x"), None);
    }

    #[test]
    fn slugs() {
        assert!(validate_slug("tagajo-2").is_ok());
        assert_eq!(validate_slug("Tagajo"), Err(TenantError::InvalidSlug));
        assert_eq!(validate_slug(""), Err(TenantError::InvalidSlug));
    }

    #[test]
    fn municipality_codes_carry_their_check_digit() {
        // Sendai, Yokohama, Tokyo (the prefecture's own code), Hakodate, Asahikawa.
        for code in ["041009", "141003", "130001", "012025", "012041"] {
            assert!(municipality_code_is_valid(code), "{code}");
        }
        // Sums ≡ 0 and ≡ 1 (mod 11), where 11 minus the remainder has two digits: Sapporo's
        // Chūō ward (01101: 5 + 4 + 2 = 11, check 1), Shinjuku (13104: 33, check 1) and
        // Shibuya (13113: 34, check 0).
        for code in ["011011", "131041", "131130"] {
            assert!(municipality_code_is_valid(code), "{code}");
        }
        assert!(!municipality_code_is_valid("131131"));
        assert!(!municipality_code_is_valid("041008"), "wrong check digit");
        assert!(!municipality_code_is_valid("04100"), "five digits");
        assert!(!municipality_code_is_valid("481006"), "no prefecture 48");
        assert!(!municipality_code_is_valid("001009"), "no prefecture 00");
        assert!(!municipality_code_is_valid("０４１００９"), "full-width is normalised by the form, not here");
        assert_eq!(prefecture_of("041009"), Some("宮城県"));
        assert_eq!(prefecture_of("471003"), Some("沖縄県"));
        assert_eq!(prefecture_of(""), None);
    }

    #[test]
    fn the_locality_form_normalises_the_code_but_not_the_names() {
        let form = LocalityForm {
            municipality_code: " ０４１００９ ".into(),
            municipality: " 仙台市 ".into(),
            phone: "０２２ー２１２−３０１０".into(),
        };
        let l = form.validate().unwrap();
        assert_eq!(l.municipality_code, "041009");
        assert_eq!(l.municipality, "仙台市");
        assert_eq!(l.phone, "022-212-3010");
        assert_eq!(l.prefecture(), "宮城県");
        let bad =
            LocalityForm { municipality_code: "041008".into(), phone: "call us".into(), ..LocalityForm::default() };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.get("municipality_code"), Some("center-error-code"));
        assert_eq!(errors.get("phone"), Some("center-error-phone"));
        assert_eq!(LocalityForm::default().validate().unwrap(), Locality::default(), "all may be left empty");
    }
}
