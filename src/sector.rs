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

// In the order the report lists them.
crate::text_code!(Sector {
    Citizen = "citizen",
    Company = "company",
    University = "university",
    Npo = "npo",
    Government = "government",
    Councilor = "councilor",
});

impl Sector {
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

/// Counts per sector, in [`Sector::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SectorCounts(pub [i64; 6]);

impl SectorCounts {
    pub fn get(&self, s: Sector) -> i64 {
        Sector::ALL.iter().position(|x| *x == s).map_or(0, |i| self.0[i])
    }

    pub fn add(&mut self, s: Sector, n: i64) {
        if let Some(i) = Sector::ALL.iter().position(|x| *x == s) {
            self.0[i] += n;
        }
    }

    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }

    /// Simpson's diversity, 1 − Σ pᵢ²: 0 when everyone is of one sector, up to 5/6 when
    /// the six sectors are equally present. `None` without participants.
    pub fn diversity(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| 1.0 - self.0.iter().map(|n| (*n as f64 / total as f64).powi(2)).sum::<f64>())
    }
}

impl serde::Serialize for SectorCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(6))?;
        for (sector, n) in Sector::ALL.iter().zip(self.0) {
            m.serialize_entry(sector.code(), &n)?;
        }
        m.end()
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
