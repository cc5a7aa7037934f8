//! The people directory (ソーシャルハブの名簿): what a member tells the network about
//! themselves (name, sector, areas of interest, skills offered, what they look for, the
//! labs and sessions they took part in) and, part by part, who may see it: everyone,
//! members, coordinators, or nobody ([`crate::visibility`]).
//!
//! A person is in the directory only once they have saved their directory profile, and
//! only for those who may see their name: nothing personal is shown to the public unless
//! they chose it. Their organisations are shown as each membership's own choice says
//! ([`crate::organisation`]).

use crate::account::AccountId;
use crate::i18n::Lang;
use crate::sector::Sector;
use crate::validate::FieldErrors;
use crate::visibility::{Viewer, Visibility};

pub mod store;
pub mod web;

/// The parts of a profile, each shown as its person chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Name,
    Sector,
    Interests,
    Skills,
    Seeking,
    /// The labs and sessions they took part in.
    Activity,
}

crate::text_code!(Part {
    Name = "name",
    Sector = "sector",
    Interests = "interests",
    Skills = "skills",
    Seeking = "seeking",
    Activity = "activity",
});

impl Part {
    /// What the part is called on the form.
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("directory-part-{}", self.code()))
    }
}

/// Who sees each part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub name: Visibility,
    pub sector: Visibility,
    pub interests: Visibility,
    pub skills: Visibility,
    pub seeking: Visibility,
    pub activity: Visibility,
}

impl Shown {
    /// What the form offers before a person first saves: their name and what they write
    /// for members; what they did (labs, sessions) for nobody. Nothing for the public.
    pub fn suggested() -> Shown {
        Shown {
            name: Visibility::Members,
            sector: Visibility::Members,
            interests: Visibility::Members,
            skills: Visibility::Members,
            seeking: Visibility::Members,
            activity: Visibility::Nobody,
        }
    }

    pub fn of(&self, part: Part) -> Visibility {
        match part {
            Part::Name => self.name,
            Part::Sector => self.sector,
            Part::Interests => self.interests,
            Part::Skills => self.skills,
            Part::Seeking => self.seeking,
            Part::Activity => self.activity,
        }
    }
}

/// A person's directory profile as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub account_id: AccountId,
    /// The account's display name (family name first).
    pub name: String,
    pub sector: Sector,
    /// Areas of interest: the same tags as issues.
    pub interests: Vec<String>,
    pub skills: String,
    pub seeking: String,
    pub shown: Shown,
    /// When the person last saved it.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What one viewer sees of a profile: `None` for every part not shown to them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub account_id: AccountId,
    pub name: String,
    pub sector: Option<Sector>,
    pub interests: Vec<String>,
    pub skills: Option<String>,
    pub seeking: Option<String>,
    pub activity: bool,
}

impl Profile {
    /// The profile as `viewer` sees it; the person themselves sees all of it. `None` when
    /// the name is not shown to the viewer: then nothing of the person is.
    pub fn seen_by(&self, viewer: Viewer, themselves: bool) -> Option<Seen> {
        let shows = |part: Part| themselves || self.shown.of(part).shows_to(viewer);
        if !shows(Part::Name) {
            return None;
        }
        let text = |part: Part, t: &String| (shows(part) && !t.trim().is_empty()).then(|| t.clone());
        Some(Seen {
            account_id: self.account_id,
            name: self.name.clone(),
            sector: shows(Part::Sector).then_some(self.sector),
            interests: if shows(Part::Interests) { self.interests.clone() } else { Vec::new() },
            skills: text(Part::Skills, &self.skills),
            seeking: text(Part::Seeking, &self.seeking),
            activity: shows(Part::Activity),
        })
    }
}

/// The directory form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub interests: String,
    pub skills: String,
    pub seeking: String,
    pub name_shown: String,
    pub sector_shown: String,
    pub interests_shown: String,
    pub skills_shown: String,
    pub seeking_shown: String,
    pub activity_shown: String,
}

/// A validated directory profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileDraft {
    pub interests: Vec<String>,
    pub skills: String,
    pub seeking: String,
    pub shown: Shown,
}

/// The longest skills or seeking text.
const TEXT_MAX: usize = 2_000;

impl ProfileForm {
    /// The form filled with a stored profile, or the suggested choices for one not yet
    /// saved.
    pub fn of(p: Option<&Profile>) -> ProfileForm {
        let shown = p.map_or_else(Shown::suggested, |p| p.shown);
        ProfileForm {
            interests: p.map(|p| p.interests.join(", ")).unwrap_or_default(),
            skills: p.map(|p| p.skills.clone()).unwrap_or_default(),
            seeking: p.map(|p| p.seeking.clone()).unwrap_or_default(),
            name_shown: shown.name.code().to_owned(),
            sector_shown: shown.sector.code().to_owned(),
            interests_shown: shown.interests.code().to_owned(),
            skills_shown: shown.skills.code().to_owned(),
            seeking_shown: shown.seeking.code().to_owned(),
            activity_shown: shown.activity.code().to_owned(),
        }
    }

    /// The choice typed for a part, as its code.
    pub fn shown(&self, part: Part) -> &str {
        match part {
            Part::Name => &self.name_shown,
            Part::Sector => &self.sector_shown,
            Part::Interests => &self.interests_shown,
            Part::Skills => &self.skills_shown,
            Part::Seeking => &self.seeking_shown,
            Part::Activity => &self.activity_shown,
        }
    }

    /// Validates the form. Interests are tags (full width folded, as identifiers); skills
    /// and what they look for are kept as written. An unknown choice is refused, never
    /// taken as "public".
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<ProfileDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let interests = crate::article::parse_tags(&self.interests);
        if interests.len() > 20 || interests.iter().any(|t| t.chars().count() > 30) {
            errors.add("interests", "directory-error-interests");
        }
        for (field, text) in [("skills", &self.skills), ("seeking", &self.seeking)] {
            if text.trim().chars().count() > TEXT_MAX {
                errors.add(field, "directory-error-text-long");
            }
        }
        let mut choice = |part: Part, field: &'static str| match Visibility::from_code(self.shown(part)) {
            Some(v) => v,
            None => {
                errors.add(field, "directory-error-shown");
                Visibility::Nobody
            }
        };
        let shown = Shown {
            name: choice(Part::Name, "name_shown"),
            sector: choice(Part::Sector, "sector_shown"),
            interests: choice(Part::Interests, "interests_shown"),
            skills: choice(Part::Skills, "skills_shown"),
            seeking: choice(Part::Seeking, "seeking_shown"),
            activity: choice(Part::Activity, "activity_shown"),
        };
        errors.into_result(ProfileDraft {
            interests,
            skills: self.skills.trim().to_owned(),
            seeking: self.seeking.trim().to_owned(),
            shown,
        })
    }
}

/// Saves a person's directory profile.
///
/// # Errors
/// The database fails.
pub async fn save(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    account: AccountId,
    draft: &ProfileDraft,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::upsert(tx, tenant, account, draft).await).await
}

/// Takes a person out of the directory (their profile deleted; their account stays).
///
/// # Errors
/// The database fails.
pub async fn withdraw(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    account: AccountId,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::delete(tx, tenant, account).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(shown: Shown) -> Profile {
        Profile {
            account_id: AccountId(1),
            name: "青葉 花子".into(),
            sector: Sector::Npo,
            interests: vec!["居住支援".into()],
            skills: "会計".into(),
            seeking: "会場".into(),
            shown,
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn every_part_at_every_level_shows_to_exactly_whom_it_says() {
        let viewers = [Viewer::Public, Viewer::Member, Viewer::Coordinator];
        for level in Visibility::ALL {
            for part in Part::ALL {
                // Name shown to all, so that the part alone decides.
                let mut shown = Shown { name: Visibility::Public, ..Shown::default() };
                match part {
                    Part::Name => shown.name = level,
                    Part::Sector => shown.sector = level,
                    Part::Interests => shown.interests = level,
                    Part::Skills => shown.skills = level,
                    Part::Seeking => shown.seeking = level,
                    Part::Activity => shown.activity = level,
                }
                let p = profile(shown);
                for viewer in viewers {
                    let seen = p.seen_by(viewer, false);
                    let visible = match (part, &seen) {
                        (Part::Name, s) => s.is_some(),
                        (_, None) => false,
                        (Part::Sector, Some(s)) => s.sector.is_some(),
                        (Part::Interests, Some(s)) => !s.interests.is_empty(),
                        (Part::Skills, Some(s)) => s.skills.is_some(),
                        (Part::Seeking, Some(s)) => s.seeking.is_some(),
                        (Part::Activity, Some(s)) => s.activity,
                    };
                    assert_eq!(visible, level.shows_to(viewer), "{part:?} at {level:?} to {viewer:?}");
                }
                assert!(p.seen_by(Viewer::Public, true).is_some_and(|s| s.activity && s.skills.is_some()));
            }
        }
    }

    #[test]
    fn nothing_shows_without_the_name() {
        let all_public = Shown {
            name: Visibility::Members,
            sector: Visibility::Public,
            interests: Visibility::Public,
            skills: Visibility::Public,
            seeking: Visibility::Public,
            activity: Visibility::Public,
        };
        assert_eq!(profile(all_public).seen_by(Viewer::Public, false), None);
        assert_eq!(Shown::default().name, Visibility::Nobody);
        assert!(!Shown::suggested().of(Part::Name).shows_to(Viewer::Public), "nothing public by default");
    }

    #[test]
    fn a_choice_never_defaults_to_public() {
        let form =
            ProfileForm {
                interests: "居住支援、ＤＸ".into(), name_shown: "everyone".into(), ..ProfileForm::of(None)
            };
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.0.iter().map(|e| e.field).collect::<Vec<_>>(), ["name_shown"]);
        let ok = ProfileForm { interests: "居住支援、ＤＸ".into(), ..ProfileForm::of(None) }.validate().unwrap();
        assert_eq!(ok.interests, ["居住支援", "DX"]);
    }
}
