//! Skills (スキル): the one list needs and offers name what they ask for and give by, so
//! that a need for デザイン finds every offer of デザイン however each was written.

use crate::i18n::Lang;

/// A skill of the shared list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skill {
    Design,
    Web,
    Writing,
    Photo,
    Accounting,
    Legal,
    Management,
    Fundraising,
    Research,
    Events,
    Translation,
    Care,
    Education,
    Repairs,
}

crate::text_code!(Skill {
    Design = "design",
    Web = "web",
    Writing = "writing",
    Photo = "photo",
    Accounting = "accounting",
    Legal = "legal",
    Management = "management",
    Fundraising = "fundraising",
    Research = "research",
    Events = "events",
    Translation = "translation",
    Care = "care",
    Education = "education",
    Repairs = "repairs",
});

impl Skill {
    /// The name shown to people: デザイン / Design, …
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("skill-{}", self.code()))
    }

    /// Skills as stored: codes separated by spaces, unknown ones left out.
    pub fn parse_list(stored: &str) -> Vec<Skill> {
        let mut skills: Vec<Skill> = stored.split_whitespace().filter_map(Skill::from_code).collect();
        skills.sort();
        skills.dedup();
        skills
    }

    /// Skills as stored: codes separated by spaces, in the list's order.
    pub fn store_list(skills: &[Skill]) -> String {
        let mut skills = skills.to_vec();
        skills.sort();
        skills.dedup();
        skills.iter().map(|s| s.code()).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skill_has_a_name_in_both_languages_and_a_list_keeps_its_order() {
        for lang in [Lang::Ja, Lang::En] {
            for s in Skill::ALL {
                assert!(!s.label(lang).starts_with("skill-"), "{s:?} in {lang:?}");
            }
        }
        assert_eq!(Skill::store_list(&[Skill::Legal, Skill::Design, Skill::Legal]), "design legal");
        assert_eq!(Skill::parse_list("legal unknown design"), [Skill::Design, Skill::Legal]);
    }
}
