//! The generated center of the matching benchmark: its people and organisations, and the
//! needs and offers they post (deterministic: a seeded generator, so every run makes the
//! same center), written to the database through the store as the pages write them.
//!
//! Each need and offer is typed as a member fills the form (`PostForm`: skills as codes,
//! tags separated by 、 or spaces, dates as ISO, with slashes or in 和暦) and validated into
//! the `Draft` the store saves, so that what is stored is what the application would store.

use chrono::{Datelike, NaiveDate, TimeDelta};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use socialhub::account::{AccountId, Profile, Role};
use socialhub::db::{Db, StoreError, StoreResult};
use socialhub::i18n::Lang;
use socialhub::organisation::{Kind as OrganisationKind, OrganisationDraft, OrganisationId};
use socialhub::probono::{Behalf, Draft, Kind, NeedId, NeedStatus, OfferId, OfferStatus, PostForm, store};
use socialhub::sector::Sector;
use socialhub::skill::Skill;
use socialhub::tenant::TenantId;
use socialhub::visibility::Visibility;

/// Sendai's five wards.
pub const WARDS: [&str; 5] = ["青葉区", "宮城野区", "若林区", "太白区", "泉区"];
/// A district of each ward, for places written as 若林区荒井.
const TOWNS: [[&str; 2]; 5] =
    [["一番町", "上杉"], ["榴岡", "岩切"], ["荒井", "六丁の目"], ["長町", "秋保"], ["泉中央", "将監"]];

/// The pool of tags, the commoner first.
pub const TAGS: [&str; 50] = [
    "子ども食堂",
    "防災",
    "まちづくり",
    "居住支援",
    "高齢者",
    "子育て",
    "多文化共生",
    "学習支援",
    "フードバンク",
    "空き家",
    "見守り",
    "日本語教室",
    "震災伝承",
    "復興",
    "環境",
    "町内会",
    "地域包括ケア",
    "障害者支援",
    "不登校",
    "ひとり親",
    "生活困窮",
    "就労支援",
    "ひきこもり",
    "国際交流",
    "若者",
    "大学生",
    "企業連携",
    "広報",
    "資金調達",
    "助成金",
    "イベント運営",
    "避難所",
    "移動支援",
    "買い物支援",
    "健康づくり",
    "食品ロス",
    "子どもの居場所",
    "農業",
    "漁業",
    "観光",
    "文化財",
    "音楽",
    "スポーツ",
    "図書館",
    "読み聞かせ",
    "IT支援",
    "DX",
    "SDGs",
    "会計",
    "法務",
];

const SENTENCES: &[&str] = &[
    "地域の子どもたちが安心して過ごせる場所づくりに取り組んでいます。",
    "活動を始めて三年目になり、参加者が増えてきました。",
    "これまでボランティアだけで運営してきましたが、人手が足りなくなっています。",
    "専門的な知識をお持ちの方に、短い時間でもご協力いただけると助かります。",
    "平日の夜か土日に、月に二回ほど集まって作業しています。",
    "詳しい内容は、まずオンラインでご相談させてください。",
    "成果物は団体のウェブサイトと報告書で紹介させていただきます。",
    "交通費はこちらで負担します。",
    "仕事で身につけたことを地域の活動に役立てたいと考えています。",
    "これまでにNPOの広報物やイベントのお手伝いをした経験があります。",
    "ご連絡をいただければ、日程はできるだけ合わせます。",
    "震災のあと、町内会の皆さんと一緒に続けてきた取り組みです。",
    "助成金の申請に向けて、資料を整えたいと考えています。",
    "少人数の団体なので、気軽にご相談ください。",
];

const EQUIPMENT: &[&str] =
    &["プロジェクター", "長机とパイプ椅子", "テント", "音響機材", "ノートパソコン", "軽トラック"];

/// A need or an offer as generated.
pub struct Posted {
    /// The index of the person who posts it.
    pub poster: usize,
    /// The index of the organisation it is posted for, if any.
    pub organisation: Option<usize>,
    /// As validated from the form; posted for oneself (the organisation's id is known
    /// only once it is stored).
    pub draft: Draft,
    /// What becomes of it after it is posted.
    pub status: Status,
}

/// What becomes of a need or an offer after it is posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    /// A need met or closed, an offer closed.
    Done(NeedStatus),
}

impl Posted {
    pub fn open(&self) -> bool {
        self.status == Status::Open
    }
}

/// The generated center.
pub struct Center {
    pub people: usize,
    pub organisations: Vec<String>,
    pub needs: Vec<Posted>,
    pub offers: Vec<Posted>,
}

/// An index in `0..n`, the first ones commoner (the smaller of two draws).
fn skewed(r: &mut StdRng, n: usize) -> usize {
    r.random_range(0..n).min(r.random_range(0..n))
}

/// An item of `weighted` (value, weight out of the weights' sum).
fn weighted<T: Copy>(r: &mut StdRng, weighted: &[(T, u32)]) -> T {
    let mut x = r.random_range(0..weighted.iter().map(|w| w.1).sum::<u32>());
    for (value, weight) in weighted {
        if x < *weight {
            return *value;
        }
        x -= weight;
    }
    unreachable!("x is below the sum of the weights")
}

/// The kinds as a center's needs and offers spread over them: skills the most.
pub const KINDS: [(Kind, u32); 5] =
    [(Kind::Skill, 40), (Kind::Time, 20), (Kind::Place, 15), (Kind::Equipment, 15), (Kind::Money, 10)];

/// A date as people type it: ISO, with slashes, or in 和暦 (令和).
fn typed(r: &mut StdRng, d: NaiveDate) -> String {
    match r.random_range(0..10) {
        0 => format!("{}/{}/{}", d.year(), d.month(), d.day()),
        1 => format!("令和{}年{}月{}日", d.year() - 2018, d.month(), d.day()),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

/// One need (`need`) or offer, as typed into the form and validated.
fn post(r: &mut StdRng, need: bool, today: NaiveDate, people: usize, organisations: usize) -> Posted {
    let kind = weighted(r, &KINDS);
    let skill_count = match kind {
        Kind::Skill => weighted(r, &[(1, 50), (2, 35), (3, 15)]),
        Kind::Time => usize::from(r.random_bool(0.3)),
        _ => usize::from(r.random_bool(0.1)),
    };
    let skills: Vec<Skill> = (0..skill_count).map(|_| Skill::ALL[skewed(r, Skill::ALL.len())]).collect();
    let tag_count = weighted(r, &[(0, 15), (1, 30), (2, 30), (3, 15), (4, 10)]);
    let tags: Vec<&str> = (0..tag_count).map(|_| TAGS[skewed(r, TAGS.len())]).collect();
    let with_place = match kind {
        Kind::Place => !need || r.random_bool(0.95),
        _ => r.random_bool(0.65),
    };
    let place = if with_place {
        let ward = r.random_range(0..WARDS.len());
        match r.random_range(0..20) {
            0..9 => WARDS[ward].to_owned(),
            9..16 => format!("仙台市{}", WARDS[ward]),
            _ => format!("{}{}", WARDS[ward], TOWNS[ward][r.random_range(0..2)]),
        }
    } else {
        String::new()
    };
    let online = r.random_bool(match kind {
        Kind::Skill => 0.4,
        Kind::Time => 0.2,
        Kind::Money => 0.3,
        Kind::Equipment => 0.05,
        Kind::Place => 0.0,
    });
    // When: none, from, until, or both (some of them over by today).
    let start = today + TimeDelta::days(r.random_range(-240..=180));
    let end = start + TimeDelta::days(r.random_range(7..=180));
    let until = today + TimeDelta::days(r.random_range(-60..=240));
    let (starts_on, ends_on) = match r.random_range(0..20) {
        0..7 => (String::new(), String::new()),
        7..11 => (typed(r, start), String::new()),
        11..13 => (String::new(), typed(r, until)),
        _ => (typed(r, start), typed(r, end)),
    };
    let visibility = if need {
        weighted(r, &[(Visibility::Public, 60), (Visibility::Members, 30), (Visibility::Coordinators, 10)])
    } else {
        weighted(r, &[(Visibility::Public, 40), (Visibility::Members, 45), (Visibility::Coordinators, 15)])
    };
    let organisation = r.random_bool(if need { 0.5 } else { 0.3 }).then(|| r.random_range(0..organisations));
    let status = match r.random_range(0..100) {
        0..8 if need => Status::Done(NeedStatus::Met),
        8..12 if need => Status::Done(NeedStatus::Closed),
        0..10 if !need => Status::Done(NeedStatus::Closed),
        _ => Status::Open,
    };

    let skill = skills.first().map(|s| s.label(Lang::Ja).into_owned()).unwrap_or_default();
    let tag = tags.first().copied().unwrap_or("地域");
    let where_ = if place.is_empty() { "仙台市内" } else { place.as_str() };
    let hours = r.random_range(2..=40);
    let title = match (kind, need) {
        (Kind::Skill, true) => format!("{tag}の活動で{skill}のできる方を探しています（{hours}時間ほど）"),
        (Kind::Skill, false) => format!("{skill}で{hours}時間お手伝いします"),
        (Kind::Time, true) => format!("{where_}での{tag}の当日スタッフを{}名募集", hours % 8 + 1),
        (Kind::Time, false) => format!("週末に{hours}時間ほどお手伝いできます"),
        (Kind::Place, true) => format!("{where_}で{}名ほどの会場を探しています", hours * 5),
        (Kind::Place, false) => format!("{where_}の会議室をお貸しします（{}名まで）", hours * 5),
        (Kind::Money, true) => format!("{tag}の活動資金のご支援をお願いします"),
        (Kind::Money, false) => format!("{tag}の活動に寄付します"),
        (Kind::Equipment, true) => format!("{}をお借りしたい", EQUIPMENT[hours as usize % EQUIPMENT.len()]),
        (Kind::Equipment, false) => format!("{}をお貸しします", EQUIPMENT[hours as usize % EQUIPMENT.len()]),
    };
    let body: String = (0..r.random_range(2..=6)).map(|_| SENTENCES[r.random_range(0..SENTENCES.len())]).collect();
    let form = PostForm {
        title,
        body,
        kind: kind.code().to_owned(),
        skills: skills.iter().map(|s| s.code().to_owned()).collect(),
        tags: tags.join(if r.random_bool(0.5) { "、" } else { " " }),
        place,
        online,
        starts_on,
        ends_on,
        visibility: visibility.code().to_owned(),
        on_behalf: String::new(),
    };
    let draft = form.validate().unwrap_or_else(|e| panic!("a generated form is valid: {e:?}\n{form:?}"));
    Posted { poster: r.random_range(0..people), organisation, draft, status }
}

/// A center of `needs` needs and `offers` offers posted by 3,000 people, some for one of
/// 150 organisations; `today` is the day the suggestions are asked for.
pub fn center(needs: usize, offers: usize, today: NaiveDate) -> Center {
    let mut r = StdRng::seed_from_u64(18);
    let people = 3_000;
    let organisations: Vec<String> =
        (0..150).map(|i| format!("NPO法人{}{}の会 {i}", WARDS[i % WARDS.len()], TAGS[(i * 7) % TAGS.len()])).collect();
    let needs = (0..needs).map(|_| post(&mut r, true, today, people, organisations.len())).collect();
    let offers = (0..offers).map(|_| post(&mut r, false, today, people, organisations.len())).collect();
    Center { people, organisations, needs, offers }
}

/// The ids the database gave, in the generated order.
pub struct Ids {
    pub needs: Vec<NeedId>,
    pub offers: Vec<OfferId>,
}

/// Rows written in one transaction.
const CHUNK: usize = 2_500;

/// Writes the center through the store (not timed): the people and organisations, then
/// the needs and offers in transactions of 2,500 (`store::insert_need`, `insert_offer`),
/// then the statuses of those met or closed (`store::set_need_status`,
/// `set_offer_status`).
pub async fn fill(db: &Db, tenant: TenantId, c: &Center) -> StoreResult<Ids> {
    let accounts: Vec<AccountId> = db
        .write(async |tx| {
            let mut ids = Vec::with_capacity(c.people);
            for i in 0..c.people {
                let profile = Profile {
                    display_name: format!("会員 {i}"),
                    furigana: "カイイン".into(),
                    sector: Sector::Citizen,
                    affiliation: String::new(),
                };
                let email = format!("member{i}@example.jp");
                ids.push(
                    socialhub::account::store::insert(
                        tx,
                        tenant,
                        &email,
                        "$argon2id$not-a-real-hash",
                        &profile,
                        Role::Member,
                        true,
                    )
                    .await?,
                );
            }
            Ok::<_, StoreError>(ids)
        })
        .await?;
    let organisations: Vec<OrganisationId> = db
        .write(async |tx| {
            let mut ids = Vec::with_capacity(c.organisations.len());
            for (i, name) in c.organisations.iter().enumerate() {
                let draft = OrganisationDraft {
                    name: name.clone(),
                    kind: OrganisationKind::Npo,
                    place: format!("仙台市{}", WARDS[i % WARDS.len()]),
                    activities: SENTENCES[i % SENTENCES.len()].to_owned(),
                    seeking: String::new(),
                };
                ids.push(socialhub::organisation::store::insert(tx, tenant, &draft).await?);
            }
            Ok::<_, StoreError>(ids)
        })
        .await?;
    let draft = |p: &Posted| Draft {
        behalf: p.organisation.map_or(Behalf::Own, |o| Behalf::Organisation(organisations[o])),
        ..p.draft.clone()
    };

    let mut needs = Vec::with_capacity(c.needs.len());
    for chunk in c.needs.chunks(CHUNK) {
        let ids = db
            .write(async |tx| {
                let mut ids = Vec::with_capacity(chunk.len());
                for p in chunk {
                    ids.push(store::insert_need(tx, tenant, accounts[p.poster], &draft(p)).await?);
                }
                Ok::<_, StoreError>(ids)
            })
            .await?;
        needs.extend(ids);
    }
    let mut offers = Vec::with_capacity(c.offers.len());
    for chunk in c.offers.chunks(CHUNK) {
        let ids = db
            .write(async |tx| {
                let mut ids = Vec::with_capacity(chunk.len());
                for p in chunk {
                    ids.push(store::insert_offer(tx, tenant, accounts[p.poster], &draft(p)).await?);
                }
                Ok::<_, StoreError>(ids)
            })
            .await?;
        offers.extend(ids);
    }
    db.write(async |tx| {
        for (p, id) in c.needs.iter().zip(&needs) {
            if let Status::Done(status) = p.status {
                store::set_need_status(tx, tenant, *id, status).await?;
            }
        }
        for (p, id) in c.offers.iter().zip(&offers) {
            if !p.open() {
                store::set_offer_status(tx, tenant, *id, OfferStatus::Closed).await?;
            }
        }
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(Ids { needs, offers })
}
