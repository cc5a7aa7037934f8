//! Suggested matches: the open offers that could meet a need, each with the reasons it was
//! suggested (the skills and tags they share, the place, online, the time they have in
//! common), best first.
//!
//! An offer is suggested only when it is of the need's kind, open, not over, available at
//! some time the need is (when both say when), and shares a skill, a place, a tag (in any
//! case) or online with it (a common time adds to the reasons, never alone); a
//! need for a skill is met only by an offer of one of its skills, a need for a place only
//! by an offer in that place. Shared skills weigh most (3 each), then the place and tags
//! (2), online and a common time (1).

use chrono::NaiveDate;

use super::{Kind, Need, Offer, OfferStatus, Terms};
use crate::skill::Skill;

/// Why an offer was suggested.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    Skill(Skill),
    Tag(String),
    /// In the need's place (the offer's place as written).
    Place(String),
    /// Both will do it online.
    Online,
    /// Available in the need's time (the time they have in common).
    Period(Option<NaiveDate>, Option<NaiveDate>),
}

/// One suggested offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion<'a> {
    pub offer: &'a Offer,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// Whether two places are the same or one lies in the other (若林区 in 仙台市若林区); a
/// place of one character (区) names nowhere in particular.
fn same_place(a: &str, b: &str) -> bool {
    let (a, b) = (crate::i18n::compare_key(a), crate::i18n::compare_key(b));
    let named = |p: &str| p.chars().count() >= 2;
    named(&a) && named(&b) && (a.contains(&b) || b.contains(&a))
}

/// The time two windows have in common, `None` when they have none. An open end is open.
fn common_time(need: &Terms, offer: &Terms) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let starts = need.starts_on.max(offer.starts_on);
    let ends = match (need.ends_on, offer.ends_on) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match (starts, ends) {
        (Some(s), Some(e)) if e < s => None,
        _ => Some((starts, ends)),
    }
}

/// Why `offer` could meet `need`, and how well; `None` when it could not.
pub fn reasons(need: &Terms, offer: &Terms, today: NaiveDate) -> Option<(u32, Vec<Reason>)> {
    if need.kind.is_none() || need.kind != offer.kind || offer.ends_on.is_some_and(|e| e < today) {
        return None;
    }
    let mut reasons = Vec::new();
    let mut score = 0;
    let skills: Vec<Skill> = need.skills.iter().copied().filter(|s| offer.skills.contains(s)).collect();
    if need.kind == Some(Kind::Skill) && !need.skills.is_empty() && skills.is_empty() {
        return None;
    }
    score += 3 * u32::try_from(skills.len()).unwrap_or(u32::MAX / 4);
    reasons.extend(skills.into_iter().map(Reason::Skill));
    let place = same_place(&need.place, &offer.place);
    if need.kind == Some(Kind::Place) && !need.place.trim().is_empty() && !place {
        return None;
    }
    if place {
        score += 2;
        reasons.push(Reason::Place(offer.place.clone()));
    }
    let offer_tags: Vec<String> = offer.tags.iter().map(|t| t.to_lowercase()).collect();
    for t in need.tags.iter().filter(|t| offer_tags.contains(&t.to_lowercase())) {
        score += 2;
        reasons.push(Reason::Tag(t.clone()));
    }
    if need.online && offer.online {
        score += 1;
        reasons.push(Reason::Online);
    }
    let (from, until) = common_time(need, offer)?;
    if score == 0 {
        return None;
    }
    let said = |t: &Terms| t.starts_on.is_some() || t.ends_on.is_some();
    if said(need) && said(offer) {
        score += 1;
        reasons.push(Reason::Period(from, until));
    }
    Some((score, reasons))
}

/// The offers among `offers` that could meet `need`, best first (then the newest), at
/// most `limit`; never one of its poster's own.
pub fn suggest<'a>(need: &Need, offers: &'a [Offer], today: NaiveDate, limit: usize) -> Vec<Suggestion<'a>> {
    let mut found: Vec<Suggestion<'a>> = offers
        .iter()
        // Never the poster's own offer.
        .filter(|o| o.status == OfferStatus::Open && o.tenant_id == need.tenant_id && o.account_id != need.account_id)
        .filter_map(|offer| {
            reasons(&need.terms, &offer.terms, today).map(|(score, reasons)| Suggestion { offer, score, reasons })
        })
        .collect();
    found.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| b.offer.created_at.cmp(&a.offer.created_at)));
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        s.parse().ok()
    }

    fn terms(kind: Kind, skills: &[Skill], place: &str) -> Terms {
        Terms { kind: Some(kind), skills: skills.to_vec(), place: place.into(), ..Terms::default() }
    }

    #[test]
    fn a_skill_is_met_by_that_skill_and_the_reasons_say_why() {
        let today = day("2023-06-01").unwrap();
        let mut need = terms(Kind::Skill, &[Skill::Design, Skill::Writing], "若林区");
        need.tags = vec!["子ども食堂".into()];
        need.starts_on = day("2023-06-01");
        need.ends_on = day("2023-06-30");
        let mut offer = terms(Kind::Skill, &[Skill::Design], "仙台市 若林区");
        offer.tags = vec!["子ども食堂".into(), "SDGs".into()];
        offer.starts_on = day("2023-06-15");
        let (score, reasons) = reasons(&need, &offer, today).unwrap();
        assert_eq!(
            reasons,
            [
                Reason::Skill(Skill::Design),
                Reason::Place("仙台市 若林区".into()),
                Reason::Tag("子ども食堂".into()),
                Reason::Period(day("2023-06-15"), day("2023-06-30")),
            ]
        );
        assert_eq!(score, 3 + 2 + 2 + 1);
        // Another skill, another kind, a time over or apart: no match.
        assert!(super::reasons(&need, &terms(Kind::Skill, &[Skill::Legal], "若林区"), today).is_none());
        assert!(super::reasons(&need, &terms(Kind::Time, &[Skill::Design], ""), today).is_none());
        let mut later = offer.clone();
        later.starts_on = day("2023-07-01");
        assert!(super::reasons(&need, &later, today).is_none());
        let mut over = offer.clone();
        over.starts_on = None;
        over.ends_on = day("2023-05-31");
        assert!(super::reasons(&need, &over, today).is_none());
    }

    #[test]
    fn a_place_is_met_only_in_that_place_and_online_counts_when_both_say_so() {
        let today = day("2023-06-01").unwrap();
        let need = terms(Kind::Place, &[], "若林区");
        assert!(super::reasons(&need, &terms(Kind::Place, &[], "青葉区"), today).is_none());
        assert!(super::reasons(&need, &terms(Kind::Place, &[], "区"), today).is_none(), "one character is nowhere");
        assert_eq!(super::reasons(&need, &terms(Kind::Place, &[], "若林区荒井"), today).unwrap().0, 2);
        let mut help = terms(Kind::Time, &[], "");
        help.online = true;
        let mut given = terms(Kind::Time, &[], "青葉区");
        assert!(super::reasons(&help, &given, today).is_none(), "nothing in common");
        given.online = true;
        assert_eq!(super::reasons(&help, &given, today).unwrap().1, [Reason::Online]);
    }
}
