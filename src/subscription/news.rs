//! News and the mails that carry it: what became visible since the last look is claimed
//! once ([`announce`]) and mailed at once to those who chose so; the same pieces of news,
//! read again by period, make the digests ([`super::digest`]).

use chrono::{DateTime, Utc};

use super::store::{self, Pending, Reader};
use super::{Cadence, Kind, Scope, UnsubscribeKey};
use crate::account::AccountId;
use crate::db::{StoreResult, Tx};
use crate::i18n::{Lang, wareki};
use crate::mail::outbox::{self, Outgoing};
use crate::notification::Notification;
use crate::tenant::Tenant;

/// A center as its mails speak of it: its name, where it is reached and the key of its
/// unsubscribe links.
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    pub tenant: &'a Tenant,
    /// Where the center is reached, without a trailing slash.
    pub base: &'a str,
    pub key: &'a UnsubscribeKey,
}

impl Site<'_> {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The absolute one-click unsubscribe address for the reader and scope.
    pub fn unsubscribe_url(&self, reader: &Reader, scope: Scope) -> String {
        self.url(&self.key.path(self.tenant.id, (reader.account, reader.since), scope))
    }

    /// The end of every mail: why it came, where to choose, how to stop it.
    pub fn footer(&self, reader: &Reader, scope: Scope, why: &str) -> String {
        let lang = reader.lang;
        format!(
            "\n-- \n{why}\n{}\n{}\n{}\n{}\n",
            lang.t("subscription-mail-settings"),
            self.url("/account/mail"),
            lang.t("subscription-mail-stop"),
            self.unsubscribe_url(reader, scope)
        )
    }

    /// A mail to the reader, with its unsubscribe address in the headers too.
    pub fn mail(&self, reader: &Reader, scope: Scope, subject: String, body: String) -> Outgoing {
        Outgoing {
            tenant: self.tenant.id,
            account: Some(reader.account),
            to: reader.email.clone(),
            subject,
            body,
            unsubscribe_url: self.unsubscribe_url(reader, scope),
        }
    }
}

/// One piece of news for everyone who receives its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub title: String,
    /// Its page, a path within the center's site.
    pub path: String,
    /// A session's start or a consultation's close.
    pub when: Option<DateTime<Utc>>,
    /// Who wrote it (not told of their own post).
    pub author: Option<AccountId>,
}

/// A title on one line: a line break someone typed cannot add lines (a false link) to a
/// mail sent in the center's name.
fn one_line(title: &str) -> String {
    title.split(['\r', '\n']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

impl Item {
    pub fn of_post((id, category, title, author): crate::board::store::PostNews) -> Item {
        let title = one_line(&title);
        Item { kind: Kind::of_board(category), title, path: format!("/board/{}", id.0), when: None, author }
    }

    pub fn of_event((id, title, starts_at): crate::event::store::EventNews) -> Item {
        let title = one_line(&title);
        Item { kind: Kind::Event, title, path: format!("/events/{}", id.0), when: Some(starts_at), author: None }
    }

    pub fn of_consultation((id, lab_title, closes_at): crate::consultation::store::ConsultationNews) -> Item {
        Item {
            kind: Kind::Consultation,
            title: one_line(&lab_title),
            path: format!("/consultations/{}", id.0),
            when: Some(closes_at),
            author: None,
        }
    }

    /// Its date, as the mail says it: when a session starts, until when comments are taken.
    pub fn when_label(&self, lang: Lang) -> Option<String> {
        let when = self.when?;
        let date = wareki::format_date(lang, wareki::jst_date(when));
        Some(match self.kind {
            Kind::Consultation => lang.t_args("subscription-until", &[("date", &date)]),
            _ => format!("{date} {}", when.with_timezone(&wareki::jst()).format("%H:%M")),
        })
    }

    /// The item as lines of a mail: title (and date), then its address.
    pub fn lines(&self, lang: Lang, site: &Site<'_>) -> String {
        match self.when_label(lang) {
            Some(when) => format!("・{}（{when}）\n  {}\n", self.title, site.url(&self.path)),
            None => format!("・{}\n  {}\n", self.title, site.url(&self.path)),
        }
    }
}

/// A notification as lines of a mail.
pub fn note_lines(note: &Notification, lang: Lang, site: &Site<'_>) -> String {
    format!("・{}\n  {}\n", one_line(&note.text(lang)), site.url(&note.link))
}

/// The greeting that opens every mail to a reader.
pub fn greeting(reader: &Reader) -> String {
    reader.lang.t_args("subscription-mail-greeting", &[("name", &reader.display_name)])
}

/// The mail telling a reader of one piece of news at once.
fn item_mail(site: &Site<'_>, reader: &Reader, item: &Item) -> Outgoing {
    let lang = reader.lang;
    let kind = item.kind.label(lang);
    let subject = lang
        .t_args("subscription-mail-subject", &[("center", &site.tenant.name), ("kind", &kind), ("title", &item.title)]);
    let why = lang.t_args("subscription-mail-why-now", &[("center", &site.tenant.name), ("kind", &kind)]);
    let body = format!(
        "{}\n\n{}\n\n{}{}",
        greeting(reader),
        lang.t_args("subscription-mail-new", &[("kind", &kind)]),
        item.lines(lang, site),
        site.footer(reader, Scope::Kind(item.kind), &why)
    );
    site.mail(reader, Scope::Kind(item.kind), subject, body)
}

/// The mail telling a reader of one notification at once.
fn note_mail(site: &Site<'_>, reader: &Reader, note: &Notification) -> Outgoing {
    let lang = reader.lang;
    let kind = Kind::Issue.label(lang);
    let subject = lang.t_args(
        "subscription-mail-subject",
        &[("center", &site.tenant.name), ("kind", &kind), ("title", &one_line(&note.subject))],
    );
    let why = lang.t_args("subscription-mail-why-now", &[("center", &site.tenant.name), ("kind", &kind)]);
    let body = format!(
        "{}\n\n{}{}",
        greeting(reader),
        note_lines(note, lang, site),
        site.footer(reader, Scope::Kind(Kind::Issue), &why)
    );
    site.mail(reader, Scope::Kind(Kind::Issue), subject, body)
}

/// Claims the center's news since the last look (of the kinds `pending` says have some)
/// and queues the mails of those who want it at once, in one transaction; returns how
/// many mails were queued.
///
/// # Errors
/// The database fails.
pub async fn announce(tx: &mut Tx, site: &Site<'_>, pending: Pending, now: DateTime<Utc>) -> StoreResult<usize> {
    let tenant = site.tenant.id;
    let mut items: Vec<Item> = Vec::new();
    if pending.posts {
        items.extend(crate::board::store::claim_news(tx, tenant, now).await?.into_iter().map(Item::of_post));
    }
    if pending.events {
        items.extend(crate::event::store::claim_news(tx, tenant, now).await?.into_iter().map(Item::of_event));
    }
    if pending.consultations {
        let opened = crate::consultation::store::claim_news(tx, tenant, now).await?;
        items.extend(opened.into_iter().map(Item::of_consultation));
    }
    let notes = if pending.notifications {
        crate::notification::store::claim_unmailed(tx, tenant, now).await?
    } else {
        Vec::new()
    };
    if items.is_empty() && notes.is_empty() {
        return Ok(0);
    }
    let readers = store::readers(tx, tenant).await?;
    let mut mails = Vec::new();
    for item in &items {
        for reader in &readers {
            if reader.choices.get(item.kind) == Cadence::Immediately && Some(reader.account) != item.author {
                mails.push(item_mail(site, reader, item));
            }
        }
    }
    let by_account = store::by_account(&readers);
    for (account, note) in &notes {
        if let Some(reader) = by_account.get(account)
            && reader.choices.get(Kind::Issue) == Cadence::Immediately
        {
            mails.push(note_mail(site, reader, note));
        }
    }
    outbox::enqueue(tx, &mails, now).await?;
    Ok(mails.len())
}
