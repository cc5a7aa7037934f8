//! Company hearings (企業ヒアリング): the record the report's chapter on companies is made
//! from. Each holds the company, its industry and size, when and how it was heard (a
//! visit, by mail, at an event such as an expo, online), what it does for society, and its
//! answers under the report's four headings (地域社会への考え、意識 / 日頃注視している地域課題 /
//! 従業員のプロボノや社会貢献活動を促進するうえでの課題 / 課題解決に向けて連携したいと思うセクター),
//! with tags for the barriers and issues it names, the kinds of body it wants to work with,
//! and the follow-up.
//!
//! Hearings are the secretariat's and the coordinators' only: nobody else reads or finds
//! them (they are not in search). The aggregate ([`Summary`]: how many companies name each
//! barrier, issue and kind of partner, and how hearings were held) holds no company's name
//! and goes into the annual report.

use chrono::{DateTime, NaiveDate, Utc};

use crate::account::AccountId;
use crate::db::{Db, StoreResult};
use crate::i18n::Lang;
use crate::organisation::Kind as BodyKind;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// A hearing's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct HearingId(pub i64);

/// How a hearing was held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// 訪問.
    Visit,
    /// メール.
    Mail,
    /// At an event (an expo, a fair).
    Event,
    Online,
}

crate::text_code!(Method { Visit = "visit", Mail = "mail", Event = "event", Online = "online" });

impl Method {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("hearing-method-{}", self.code()))
    }
}

/// How many people the company employs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Size {
    Unknown,
    /// Up to 5.
    Micro,
    /// 6 to 50.
    Small,
    /// 51 to 300.
    Medium,
    /// Over 300.
    Large,
}

crate::text_code!(Size { Unknown = "unknown", Micro = "micro", Small = "small", Medium = "medium", Large = "large" });

impl Size {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("hearing-size-{}", self.code()))
    }
}

/// A hearing as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hearing {
    pub id: HearingId,
    pub tenant_id: TenantId,
    pub draft: HearingDraft,
    pub recorded_by: Option<AccountId>,
    pub created_at: DateTime<Utc>,
}

/// A validated hearing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HearingDraft {
    pub company: String,
    pub industry: String,
    pub size: Size,
    pub held_on: NaiveDate,
    /// The last day, when it ran over several (an exchange of mails).
    pub held_until: Option<NaiveDate>,
    pub method: Method,
    /// The event it was held at (SENDAI SDGs Expo2023), or other circumstances.
    pub occasion: String,
    /// What it does for society (CSR, CSV, its own business where it meets local issues).
    pub activities: String,
    /// 地域社会への考え、意識.
    pub community_view: String,
    /// 日頃注視している地域課題.
    pub issues_watched: String,
    /// 従業員のプロボノや社会貢献活動を促進するうえでの課題.
    pub probono_barriers: String,
    /// 課題解決に向けて連携したいと思うセクター, as said.
    pub partners_wanted: String,
    /// The same as kinds of body, for counting.
    pub partner_kinds: Vec<BodyKind>,
    /// Barriers named (人手不足, 情報発信不足 …), NFKC.
    pub barrier_tags: Vec<String>,
    /// Issues watched (高齢者の孤立, 食品ロス …), NFKC.
    pub issue_tags: Vec<String>,
    pub follow_up: String,
}

/// The hearing form as typed (pairs, since `partner` repeats).
#[derive(Clone, Debug, Default)]
pub struct HearingForm {
    pub company: String,
    pub industry: String,
    pub size: String,
    pub held_on: String,
    pub held_until: String,
    pub method: String,
    pub occasion: String,
    pub activities: String,
    pub community_view: String,
    pub issues_watched: String,
    pub probono_barriers: String,
    pub partners_wanted: String,
    pub partners: Vec<String>,
    pub barrier_tags: String,
    pub issue_tags: String,
    pub follow_up: String,
}

const TEXT_MAX: usize = 10_000;

impl HearingForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> HearingForm {
        let mut f = HearingForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "company" => f.company = v,
                "industry" => f.industry = v,
                "size" => f.size = v,
                "held_on" => f.held_on = v,
                "held_until" => f.held_until = v,
                "method" => f.method = v,
                "occasion" => f.occasion = v,
                "activities" => f.activities = v,
                "community_view" => f.community_view = v,
                "issues_watched" => f.issues_watched = v,
                "probono_barriers" => f.probono_barriers = v,
                "partners_wanted" => f.partners_wanted = v,
                "partner" => f.partners.push(v),
                "barrier_tags" => f.barrier_tags = v,
                "issue_tags" => f.issue_tags = v,
                "follow_up" => f.follow_up = v,
                _ => {}
            }
        }
        f
    }

    /// The form filled with a hearing, for editing.
    pub fn of(d: &HearingDraft) -> HearingForm {
        HearingForm {
            company: d.company.clone(),
            industry: d.industry.clone(),
            size: d.size.code().to_owned(),
            held_on: d.held_on.to_string(),
            held_until: d.held_until.map(|d| d.to_string()).unwrap_or_default(),
            method: d.method.code().to_owned(),
            occasion: d.occasion.clone(),
            activities: d.activities.clone(),
            community_view: d.community_view.clone(),
            issues_watched: d.issues_watched.clone(),
            probono_barriers: d.probono_barriers.clone(),
            partners_wanted: d.partners_wanted.clone(),
            partners: d.partner_kinds.iter().map(|k| k.code().to_owned()).collect(),
            barrier_tags: d.barrier_tags.join("、"),
            issue_tags: d.issue_tags.join("、"),
            follow_up: d.follow_up.clone(),
        }
    }

    pub fn has_partner(&self, kind: &BodyKind) -> bool {
        self.partners.iter().any(|p| p == kind.code())
    }

    /// Validates the form: the company, the date and how it was held are required; names
    /// and answers are kept as written, tags folded (NFKC).
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<HearingDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let company = self.company.trim();
        if company.is_empty() {
            errors.add("company", "hearing-error-company");
        }
        for (field, text, max) in
            [("company", &self.company, 120), ("industry", &self.industry, 120), ("occasion", &self.occasion, 200)]
        {
            if text.trim().chars().count() > max || text.trim().contains(['\r', '\n']) {
                errors.add(field, "hearing-error-line");
            }
        }
        let size = if self.size.trim().is_empty() { Some(Size::Unknown) } else { Size::from_code(self.size.trim()) };
        if size.is_none() {
            errors.add("size", "hearing-error-size");
        }
        let held_on = errors.date("held_on", &self.held_on, "hearing-error-held-on", "hearing-error-date");
        let held_until = if self.held_until.trim().is_empty() {
            None
        } else {
            let d = crate::i18n::wareki::parse_date(&self.held_until);
            if d.is_none() {
                errors.add("held_until", "hearing-error-date");
            }
            d
        };
        if let (Some(a), Some(b)) = (held_on, held_until)
            && b < a
        {
            errors.add("held_until", "hearing-error-until");
        }
        let method = Method::from_code(self.method.trim());
        if method.is_none() {
            errors.add("method", "hearing-error-method");
        }
        for (field, text) in [
            ("activities", &self.activities),
            ("community_view", &self.community_view),
            ("issues_watched", &self.issues_watched),
            ("probono_barriers", &self.probono_barriers),
            ("partners_wanted", &self.partners_wanted),
            ("follow_up", &self.follow_up),
        ] {
            if text.trim().chars().count() > TEXT_MAX {
                errors.add(field, "hearing-error-text-long");
            }
        }
        let mut partner_kinds = Vec::new();
        for p in &self.partners {
            match BodyKind::from_code(p.trim()) {
                Some(k) if !partner_kinds.contains(&k) => partner_kinds.push(k),
                Some(_) => {}
                None => errors.add("partners", "hearing-error-partner"),
            }
        }
        partner_kinds.sort_by_key(|k| BodyKind::ALL.iter().position(|x| x == k));
        let barrier_tags = crate::article::parse_tags(&self.barrier_tags);
        let issue_tags = crate::article::parse_tags(&self.issue_tags);
        for (field, tags) in [("barrier_tags", &barrier_tags), ("issue_tags", &issue_tags)] {
            if tags.len() > 20 || tags.iter().any(|t| t.chars().count() > 30) {
                errors.add(field, "hearing-error-tags");
            }
        }
        match (size, held_on, method) {
            (Some(size), Some(held_on), Some(method)) if errors.is_empty() => Ok(HearingDraft {
                company: company.to_owned(),
                industry: self.industry.trim().to_owned(),
                size,
                held_on,
                held_until,
                method,
                occasion: self.occasion.trim().to_owned(),
                activities: self.activities.trim().to_owned(),
                community_view: self.community_view.trim().to_owned(),
                issues_watched: self.issues_watched.trim().to_owned(),
                probono_barriers: self.probono_barriers.trim().to_owned(),
                partners_wanted: self.partners_wanted.trim().to_owned(),
                partner_kinds,
                barrier_tags,
                issue_tags,
                follow_up: self.follow_up.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// The year's hearings in numbers, without any company's name: what the report prints.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Hearings held.
    pub hearings: usize,
    /// Companies heard, told apart by name (however written in width or spacing).
    pub companies: usize,
    /// Hearings by how they were held, in [`Method::ALL`] order: (code, count).
    pub by_method: Vec<(&'static str, usize)>,
    /// How many companies named each barrier, the most named first.
    pub barriers: Vec<(String, usize)>,
    /// How many companies named each issue, the most named first.
    pub issues: Vec<(String, usize)>,
    /// How many companies want to work with each kind of body, in [`BodyKind::ALL`] order.
    pub partners: Vec<(&'static str, usize)>,
}

/// Counts hearings: each tag and kind of partner once per company, however many hearings
/// it had.
pub fn summarise(hearings: &[Hearing]) -> Summary {
    use std::collections::{BTreeMap, HashMap, HashSet};
    /// What one company named: barriers, issues, kinds of partner.
    type Named<'a> = (HashSet<&'a str>, HashSet<&'a str>, HashSet<BodyKind>);
    let mut companies: HashMap<String, Named<'_>> = HashMap::new();
    let mut by_method: BTreeMap<Method, usize> = BTreeMap::new();
    for h in hearings {
        let d = &h.draft;
        *by_method.entry(d.method).or_default() += 1;
        let entry = companies.entry(crate::i18n::compare_key(&d.company)).or_default();
        entry.0.extend(d.barrier_tags.iter().map(String::as_str));
        entry.1.extend(d.issue_tags.iter().map(String::as_str));
        entry.2.extend(d.partner_kinds.iter().copied());
    }
    let count = |pick: &dyn Fn(&Named<'_>) -> Vec<String>| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for c in companies.values() {
            for t in pick(c) {
                *n.entry(t).or_default() += 1;
            }
        }
        let mut v: Vec<(String, usize)> = n.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let barriers = count(&|c| c.0.iter().map(|s| (*s).to_owned()).collect());
    let issues = count(&|c| c.1.iter().map(|s| (*s).to_owned()).collect());
    let partners =
        BodyKind::ALL.iter().map(|k| (k.code(), companies.values().filter(|c| c.2.contains(k)).count())).collect();
    Summary {
        hearings: hearings.len(),
        companies: companies.len(),
        by_method: Method::ALL.iter().map(|m| (m.code(), by_method.get(m).copied().unwrap_or(0))).collect(),
        barriers,
        issues,
        partners,
    }
}

/// Records a hearing.
///
/// # Errors
/// The database fails.
pub async fn record(db: &Db, tenant: TenantId, by: AccountId, draft: &HearingDraft) -> StoreResult<HearingId> {
    db.write(async |tx| store::insert(tx, tenant, by, draft).await).await
}

/// Saves an edited hearing.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`].
pub async fn update(db: &Db, tenant: TenantId, id: HearingId, draft: &HearingDraft) -> StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, id, draft).await).await
}

/// Deletes a hearing recorded in error.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`].
pub async fn delete(db: &Db, tenant: TenantId, id: HearingId) -> StoreResult<()> {
    db.write(async |tx| store::delete(tx, tenant, id).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HearingForm {
        HearingForm::from_pairs(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    fn hearing(company: &str, method: Method, barriers: &[&str], partners: &[BodyKind]) -> Hearing {
        let draft =
            form(&[("company", company), ("held_on", "2024-01-12"), ("method", method.code())]).validate().unwrap();
        Hearing {
            id: HearingId(1),
            tenant_id: TenantId(1),
            draft: HearingDraft {
                barrier_tags: barriers.iter().map(|s| (*s).to_owned()).collect(),
                partner_kinds: partners.to_vec(),
                ..draft
            },
            recorded_by: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn the_form_needs_a_company_a_date_and_a_way() {
        let d = form(&[
            ("company", " 株式会社みやぎ "),
            ("held_on", "令和6年1月12日"),
            ("method", "visit"),
            ("partner", "government"),
            ("partner", "neighbourhood"),
            ("partner", "government"),
            ("barrier_tags", "人手不足、情報発信不足"),
        ])
        .validate()
        .unwrap();
        assert_eq!(d.company, "株式会社みやぎ");
        assert_eq!(d.size, Size::Unknown);
        assert_eq!(d.partner_kinds, [BodyKind::Government, BodyKind::Neighbourhood]);
        assert_eq!(d.barrier_tags, ["人手不足", "情報発信不足"]);
        let fields: Vec<_> = form(&[("held_on", "1月32日"), ("size", "huge"), ("partner", "club")])
            .validate()
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["company", "size", "held_on", "method", "partners"]);
    }

    #[test]
    fn each_company_counts_once_for_what_it_names() {
        let hearings = [
            hearing("株式会社みやぎ", Method::Visit, &["人手不足"], &[BodyKind::Government]),
            hearing("株式会社 みやぎ", Method::Mail, &["人手不足", "情報発信不足"], &[BodyKind::Government]),
            hearing("仙台味噌", Method::Event, &["人手不足"], &[BodyKind::University]),
        ];
        let s = summarise(&hearings);
        assert_eq!((s.hearings, s.companies), (3, 2));
        assert_eq!(s.by_method, [("visit", 1), ("mail", 1), ("event", 1), ("online", 0)]);
        assert_eq!(s.barriers, [("人手不足".to_owned(), 2), ("情報発信不足".to_owned(), 1)]);
        let partners: std::collections::HashMap<_, _> = s.partners.into_iter().collect();
        assert_eq!((partners["government"], partners["university"], partners["npo"]), (1, 1, 0));
        for lang in [Lang::Ja, Lang::En] {
            for m in Method::ALL {
                assert!(!m.label(lang).starts_with("hearing-"));
            }
            for z in Size::ALL {
                assert!(!z.label(lang).starts_with("hearing-"));
            }
        }
    }
}
