//! Sectors (属性), the categories the report counts participants by:
//! 市民, 企業, 大学, NPO, 行政, 議員.

use std::fmt;

use crate::i18n::{Lang, normalize_identifier};

/// A participant's sector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sector {
    Citizen,
    Company,
    University,
    Npo,
    Government,
    Councilor,
}

impl Sector {
    /// In the order the report lists them.
    pub const ALL: [Sector; 6] =
        [Sector::Citizen, Sector::Company, Sector::University, Sector::Npo, Sector::Government, Sector::Councilor];

    /// The code stored in the database and used in forms and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Sector::Citizen => "citizen",
            Sector::Company => "company",
            Sector::University => "university",
            Sector::Npo => "npo",
            Sector::Government => "government",
            Sector::Councilor => "councilor",
        }
    }

    /// Parses a stored or submitted code.
    pub fn from_code(code: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Parses the Japanese label as written in rosters, full-width or half-width
    /// (ＮＰＯ, NPO, 市民 …), or a code.
    pub fn from_label(label: &str) -> Option<Sector> {
        let l = normalize_identifier(label);
        match l.to_lowercase().as_str() {
            "市民" => Some(Sector::Citizen),
            "企業" => Some(Sector::Company),
            "大学" => Some(Sector::University),
            "npo" => Some(Sector::Npo),
            "行政" => Some(Sector::Government),
            "議員" => Some(Sector::Councilor),
            other => Sector::from_code(other),
        }
    }

    /// The name shown to people: 市民 / Citizens, …
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Sector::Citizen => "sector-citizen",
            Sector::Company => "sector-company",
            Sector::University => "sector-university",
            Sector::Npo => "sector-npo",
            Sector::Government => "sector-government",
            Sector::Councilor => "sector-councilor",
        })
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_in_full_and_half_width() {
        assert_eq!(Sector::from_label("ＮＰＯ"), Some(Sector::Npo));
        assert_eq!(Sector::from_label(" NPO "), Some(Sector::Npo));
        assert_eq!(Sector::from_label("議員"), Some(Sector::Councilor));
        assert_eq!(Sector::from_label("university"), Some(Sector::University));
        assert_eq!(Sector::from_label("その他"), None);
    }

    #[test]
    fn codes_round_trip() {
        for s in Sector::ALL {
            assert_eq!(Sector::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn labels_are_translated() {
        assert_eq!(Sector::Npo.label(Lang::Ja), "NPO");
        assert_eq!(Sector::Government.label(Lang::Ja), "行政");
        assert_eq!(Sector::Government.label(Lang::En), "Government");
    }
}
