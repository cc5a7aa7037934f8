//! Digests: a day's or a week's news in one mail, the next morning (07:00 in Japan) or on
//! Monday morning. Each digest is claimed once per center and period (`digest_run`) in
//! the transaction that queues its mails.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use super::news::{Item, Site, greeting, note_lines};
use super::store::{self, Reader};
use super::{Cadence, Kind, Scope};
use crate::account::AccountId;
use crate::db::{StoreResult, Tx};
use crate::i18n::{Lang, wareki};
use crate::mail::outbox::{self, Outgoing};
use crate::notification::Notification;

/// The hour (in Japan) from which the last period's digest goes out.
pub const SEND_HOUR: u32 = 7;
/// How many pieces of news of one kind a digest lists; the rest are counted and linked.
pub const LISTED: usize = 10;

/// The days a digest covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub cadence: Cadence,
    /// Its first day, in Japan.
    pub first_day: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    /// The latest period whose digest is due at `now`: the day before (from 07:00 in
    /// Japan), or the last whole week from Monday to Sunday (from Monday 07:00).
    pub fn due(cadence: Cadence, now: DateTime<Utc>) -> Period {
        let local = now.with_timezone(&wareki::jst());
        let today = local.date_naive();
        let before_hour = chrono::Timelike::hour(&local) < SEND_HOUR;
        let first_day = if cadence == Cadence::Weekly {
            let monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
            let this_monday_due = today != monday || !before_hour;
            monday - TimeDelta::days(if this_monday_due { 7 } else { 14 })
        } else {
            today - TimeDelta::days(if before_hour { 2 } else { 1 })
        };
        Period::starting(cadence, first_day)
    }

    /// The periods whose digests are owed at `now`, oldest first: the latest due, and
    /// those between it and `last` (the latest built) that were missed while no instance
    /// ran, up to a week of days or four weeks. Before any digest was built, the latest
    /// due only.
    pub fn owed(cadence: Cadence, last: Option<NaiveDate>, now: DateTime<Utc>) -> Vec<Period> {
        let due = Period::due(cadence, now);
        let Some(last) = last else { return vec![due] };
        let (step, most) = if cadence == Cadence::Weekly { (7, 4) } else { (1, 7) };
        let mut owed: Vec<Period> = (0..most)
            .map(|k| due.first_day - TimeDelta::days(step * k))
            .take_while(|first| *first > last)
            .map(|first| Period::starting(cadence, first))
            .collect();
        owed.reverse();
        owed
    }

    /// The period of `cadence` that starts on `first_day`.
    pub fn starting(cadence: Cadence, first_day: NaiveDate) -> Period {
        let days = if cadence == Cadence::Weekly { 7 } else { 1 };
        Period {
            cadence,
            first_day,
            from: wareki::jst_midnight(first_day),
            to: wareki::jst_midnight(first_day + TimeDelta::days(days)),
        }
    }

    /// As the subject says it: the day, or the week's first and last days.
    pub fn label(&self, lang: Lang) -> String {
        let first = wareki::format_date(lang, self.first_day);
        if self.cadence == Cadence::Weekly {
            let last = wareki::format_date(lang, self.first_day + TimeDelta::days(6));
            format!("{first}〜{last}")
        } else {
            first
        }
    }
}

/// Where the whole list of a kind of news is.
fn list_path(kind: Kind) -> String {
    match kind {
        Kind::Event => "/events".to_owned(),
        Kind::Issue => "/notifications".to_owned(),
        Kind::Consultation => "/labs".to_owned(),
        board => format!("/board?category={}", board.code().trim_start_matches("board_")),
    }
}

/// One kind's part of a digest: its heading, up to [`LISTED`] items, and how many more.
fn section(lang: Lang, site: &Site<'_>, kind: Kind, lines: &[String]) -> String {
    let mut s =
        lang.t_args("subscription-digest-heading", &[("kind", &kind.label(lang)), ("count", &lines.len().to_string())]);
    s.push('\n');
    for line in lines.iter().take(LISTED) {
        s.push_str(line);
    }
    if lines.len() > LISTED {
        s.push_str(&lang.t_args("subscription-digest-more", &[("count", &(lines.len() - LISTED).to_string())]));
        s.push_str(&format!("\n  {}\n", site.url(&list_path(kind))));
    }
    s.push('\n');
    s
}

/// Everything a digest of one period may tell, read once for all its readers.
struct News {
    items: HashMap<Kind, Vec<Item>>,
    notes: HashMap<AccountId, Vec<Notification>>,
    /// Sections already written, by language and kind (the same for every reader).
    written: HashMap<(Lang, Kind), String>,
}

impl News {
    async fn read(tx: &mut Tx, site: &Site<'_>, period: &Period) -> StoreResult<News> {
        let tenant = site.tenant.id;
        let (from, to) = (period.from, period.to);
        let mut items: HashMap<Kind, Vec<Item>> = HashMap::new();
        let posts = crate::board::store::news_between(tx, tenant, from, to).await?.into_iter().map(Item::of_post);
        let events = crate::event::store::news_between(tx, tenant, from, to).await?.into_iter().map(Item::of_event);
        let consultations = crate::consultation::store::news_between(tx, tenant, from, to)
            .await?
            .into_iter()
            .map(Item::of_consultation);
        for item in posts.chain(events).chain(consultations) {
            items.entry(item.kind).or_default().push(item);
        }
        let mut notes: HashMap<AccountId, Vec<Notification>> = HashMap::new();
        for (account, note) in crate::notification::store::between(tx, tenant, from, to).await? {
            notes.entry(account).or_default().push(note);
        }
        Ok(News { items, notes, written: HashMap::new() })
    }

    /// The reader's digest, or `None` when nothing they chose for it happened.
    fn mail(&mut self, site: &Site<'_>, period: &Period, reader: &Reader) -> Option<Outgoing> {
        let lang = reader.lang;
        let mut body = String::new();
        for kind in reader.choices.kinds_at(period.cadence) {
            if kind == Kind::Issue {
                if let Some(notes) = self.notes.get(&reader.account) {
                    let lines: Vec<String> = notes.iter().map(|n| note_lines(n, lang, site)).collect();
                    body.push_str(&section(lang, site, kind, &lines));
                }
                continue;
            }
            let Some(items) = self.items.get(&kind) else { continue };
            let written = self.written.entry((lang, kind)).or_insert_with(|| {
                let lines: Vec<String> = items.iter().map(|i| i.lines(lang, site)).collect();
                section(lang, site, kind, &lines)
            });
            body.push_str(written);
        }
        if body.is_empty() {
            return None;
        }
        let center = &site.tenant.name;
        let cadence = period.cadence.code();
        let subject = lang.t_args(
            &format!("subscription-digest-subject-{cadence}"),
            &[("center", center), ("period", &period.label(lang))],
        );
        let why = lang.t_args(&format!("subscription-digest-why-{cadence}"), &[("center", center)]);
        let scope = Scope::Digest(period.cadence);
        let text = format!(
            "{}\n\n{}\n\n{body}{}",
            greeting(reader),
            lang.t_args(&format!("subscription-digest-intro-{cadence}"), &[("period", &period.label(lang))]),
            site.footer(reader, scope, &why)
        );
        Some(site.mail(reader, scope, subject, text))
    }
}

/// Builds and queues the center's digests of `period`, unless they were already built
/// (by this instance or another); returns how many mails were queued, or `None` when
/// the period was already taken.
///
/// # Errors
/// The database fails.
pub async fn build(tx: &mut Tx, site: &Site<'_>, period: &Period, now: DateTime<Utc>) -> StoreResult<Option<usize>> {
    let tenant = site.tenant.id;
    if !store::claim_digest(tx, tenant, period.cadence, period.first_day, now).await? {
        return Ok(None);
    }
    let readers = store::readers(tx, tenant).await?;
    let mut news = News::read(tx, site, period).await?;
    let mails: Vec<Outgoing> = readers.iter().filter_map(|r| news.mail(site, period, r)).collect();
    outbox::enqueue(tx, &mails, now).await?;
    store::set_digest_mails(tx, tenant, period.cadence, period.first_day, mails.len()).await?;
    Ok(Some(mails.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_day_is_due_the_next_morning_in_japan() {
        // 2026-12-01 06:59 JST: the 29th's digest is still the latest due.
        let p = Period::due(Cadence::Daily, at("2026-11-30T21:59:00Z"));
        assert_eq!(p.first_day, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        // 07:00 JST: the 30th's.
        let p = Period::due(Cadence::Daily, at("2026-11-30T22:00:00Z"));
        assert_eq!(p.first_day, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(p.from, at("2026-11-29T15:00:00Z"));
        assert_eq!(p.to, at("2026-11-30T15:00:00Z"));
    }

    #[test]
    fn digests_missed_while_nothing_ran_are_owed_up_to_a_limit() {
        let now = at("2026-12-01T03:00:00Z"); // Tuesday 12:00 JST: the 30th is due.
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let firsts = |v: Vec<Period>| v.iter().map(|p| p.first_day).collect::<Vec<_>>();
        assert_eq!(firsts(Period::owed(Cadence::Daily, None, now)), [day(30)], "a first start owes the latest");
        assert_eq!(firsts(Period::owed(Cadence::Daily, Some(day(30)), now)), Vec::<NaiveDate>::new());
        assert_eq!(firsts(Period::owed(Cadence::Daily, Some(day(27)), now)), [day(28), day(29), day(30)]);
        assert_eq!(Period::owed(Cadence::Daily, Some(day(1)), now).len(), 7, "a week at most");
        assert_eq!(firsts(Period::owed(Cadence::Weekly, Some(day(9)), now)), [day(16), day(23)]);
        let p = Period::owed(Cadence::Daily, Some(day(28)), now);
        assert_eq!(p[0].to, p[1].from, "one after the other");
    }

    #[test]
    fn a_week_is_due_on_monday_morning() {
        // Monday 2026-11-30 06:00 JST: the week of 16–22 November is the latest due.
        let p = Period::due(Cadence::Weekly, at("2026-11-29T21:00:00Z"));
        assert_eq!(p.first_day, NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        // From 07:00, 23–29 November; and still on Tuesday.
        for now in ["2026-11-29T22:00:00Z", "2026-12-01T03:00:00Z"] {
            let p = Period::due(Cadence::Weekly, at(now));
            assert_eq!(p.first_day, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), "{now}");
            assert_eq!(p.to - p.from, TimeDelta::days(7));
        }
        assert_eq!(
            Period::due(Cadence::Weekly, at("2026-12-01T03:00:00Z")).label(Lang::Ja),
            "令和8年11月23日（月）〜令和8年11月29日（日）"
        );
    }
}
