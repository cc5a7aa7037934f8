//! A lab's meetings (ラボのミーティング): when, who came (the lab's members ticked, each
//! counted in their sector of that day, and the others by sector or of unknown sector),
//! whether pro bono partners took part, and the minutes, read by the lab's members only.
//! The annual report's lab table counts them (`lab::store::activity`).

use chrono::NaiveDate;

use super::LabId;
use crate::account::AccountId;
use crate::i18n::normalize_identifier;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;

/// A lab meeting's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct MeetingId(pub i64);

/// One meeting of a lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub held_on: NaiveDate,
    /// Everyone who came: the members ticked, the others by sector, those of unknown sector.
    pub attendees: i64,
    /// Whether pro bono partners took part.
    pub with_probono: bool,
    /// As written (Markdown), for editing.
    pub minutes: String,
    pub minutes_html: String,
}

/// Who came to a meeting, as recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attendance {
    /// The lab's members who came (still with an account).
    pub members: Vec<AccountId>,
    /// The others, by sector.
    pub guests: Vec<(Sector, i64)>,
}

/// The meeting form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeetingForm {
    pub held_on: String,
    pub minutes: String,
    pub with_probono: bool,
    /// The members ticked (their account ids as sent).
    pub members: Vec<String>,
    /// The others by sector as typed, in [`Sector::ALL`] order.
    pub guests: [String; 6],
    /// The others of unknown sector, as typed.
    pub others: String,
}

/// A validated meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingDraft {
    pub held_on: NaiveDate,
    pub minutes: String,
    pub with_probono: bool,
    /// The members who came (those who are not the lab's members are not recorded).
    pub members: Vec<AccountId>,
    /// The others by sector (none of 0).
    pub guests: Vec<(Sector, i64)>,
    /// The others of unknown sector.
    pub others: i64,
}

/// The most people one meeting records.
const MOST: i64 = 10_000;

impl MeetingForm {
    /// The form as sent (`member` repeated, `guest_<sector>`, `others`, `with_probono`).
    pub fn from_pairs(pairs: &[(String, String)]) -> MeetingForm {
        let mut form = MeetingForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "held_on" => form.held_on.clone_from(value),
                "minutes" => form.minutes.clone_from(value),
                "with_probono" => form.with_probono = !value.is_empty(),
                "member" => form.members.push(value.clone()),
                "others" => form.others.clone_from(value),
                _ => {
                    if let Some(i) =
                        name.strip_prefix("guest_").and_then(|code| Sector::ALL.iter().position(|s| s.code() == code))
                    {
                        form.guests[i].clone_from(value);
                    }
                }
            }
        }
        form
    }

    /// The form filled with a meeting's record, for correcting it.
    pub fn of(m: &Meeting, attendance: &Attendance) -> MeetingForm {
        let mut guests: [String; 6] = Default::default();
        for (sector, n) in &attendance.guests {
            if let Some(i) = Sector::ALL.iter().position(|s| s == sector) {
                guests[i] = n.to_string();
            }
        }
        let named = attendance.members.len() as i64 + attendance.guests.iter().map(|(_, n)| n).sum::<i64>();
        let others = m.attendees - named;
        MeetingForm {
            held_on: m.held_on.to_string(),
            minutes: m.minutes.clone(),
            with_probono: m.with_probono,
            members: attendance.members.iter().map(|a| a.0.to_string()).collect(),
            guests,
            others: if others > 0 { others.to_string() } else { String::new() },
        }
    }

    /// Whether the member is ticked.
    pub fn ticked(&self, account: &AccountId) -> bool {
        self.members.iter().any(|m| *m == account.0.to_string())
    }

    /// The others of a sector as typed.
    pub fn guests_of(&self, sector: &Sector) -> &str {
        Sector::ALL.iter().position(|s| s == sector).map_or("", |i| self.guests[i].as_str())
    }

    /// Validates the form; the date and the counts accept full-width digits, an empty count
    /// is none.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<MeetingDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let held_on = errors.date("held_on", &self.held_on, "lab-error-date-required", "lab-error-date");
        let mut count = |field: &'static str, typed: &str| {
            let typed = normalize_identifier(typed);
            match typed.trim() {
                "" => 0,
                n => n.parse::<i64>().ok().filter(|n| (0..=MOST).contains(n)).unwrap_or_else(|| {
                    errors.add(field, "lab-error-attendees");
                    0
                }),
            }
        };
        const FIELDS: [&str; 6] =
            ["guest_citizen", "guest_company", "guest_university", "guest_npo", "guest_government", "guest_councilor"];
        let guests: Vec<(Sector, i64)> = Sector::ALL
            .iter()
            .zip(FIELDS)
            .zip(&self.guests)
            .map(|((sector, field), typed)| (*sector, count(field, typed)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let others = count("others", &self.others);
        let mut members: Vec<AccountId> = self.members.iter().filter_map(|m| m.parse().ok()).map(AccountId).collect();
        members.sort_by_key(|a| a.0);
        members.dedup();
        let total = members.len() as i64 + guests.iter().map(|(_, n)| n).sum::<i64>() + others;
        if total > MOST {
            errors.add("others", "lab-error-attendees");
        }
        let minutes = self.minutes.trim();
        if minutes.chars().count() > 20_000 {
            errors.add("minutes", "lab-error-minutes-long");
        }
        match held_on {
            Some(held_on) if errors.is_empty() => Ok(MeetingDraft {
                held_on,
                minutes: minutes.to_owned(),
                with_probono: self.with_probono,
                members,
                guests,
                others,
            }),
            _ => Err(errors),
        }
    }
}

/// Records a meeting of the lab.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's lab.
pub async fn add(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: LabId,
    draft: &MeetingDraft,
    by: AccountId,
) -> crate::db::StoreResult<MeetingId> {
    db.write(async |tx| store::insert(tx, tenant, lab, draft, by).await).await
}

/// Corrects a meeting's record.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another lab's meeting.
pub async fn update(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: LabId,
    id: MeetingId,
    draft: &MeetingDraft,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, lab, id, draft).await).await
}

/// Deletes a meeting recorded by mistake.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another lab's meeting.
pub async fn delete(db: &crate::db::Db, tenant: TenantId, lab: LabId, id: MeetingId) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::delete(tx, tenant, lab, id).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_meeting_counts_the_members_ticked_and_the_others_by_sector() {
        let form = MeetingForm::from_pairs(&pairs(&[
            ("held_on", "２０２４-０２-１３"),
            ("member", "7"),
            ("member", "3"),
            ("member", "7"),
            ("guest_government", "１"),
            ("guest_citizen", ""),
            ("others", "2"),
            ("with_probono", "1"),
            ("minutes", "共有"),
        ]));
        let d = form.validate().unwrap();
        assert_eq!(d.members, [AccountId(3), AccountId(7)], "each once");
        assert_eq!(d.guests, [(Sector::Government, 1)]);
        assert_eq!((d.others, d.with_probono), (2, true));
        let bad = MeetingForm::from_pairs(&pairs(&[("held_on", "10/19"), ("guest_npo", "-1"), ("others", "x")]));
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["held_on", "guest_npo", "others"]);
    }

    #[test]
    fn a_meeting_recorded_before_by_a_number_alone_is_of_unknown_sector() {
        let m = Meeting {
            id: MeetingId(1),
            held_on: NaiveDate::from_ymd_opt(2023, 10, 19).unwrap(),
            attendees: 5,
            with_probono: false,
            minutes: String::new(),
            minutes_html: String::new(),
        };
        let form = MeetingForm::of(&m, &Attendance::default());
        assert_eq!(form.others, "5");
        let form = MeetingForm::of(
            &m,
            &Attendance { members: vec![AccountId(2)], guests: vec![(Sector::Npo, 2), (Sector::Citizen, 1)] },
        );
        assert_eq!((form.others.as_str(), form.guests_of(&Sector::Npo), form.ticked(&AccountId(2))), ("1", "2", true));
    }
}
