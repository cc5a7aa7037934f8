//! The demo's labs as the report tells them: 居住支援 (born of an issue, its roadmap in two
//! versions, consulted in April 2023 with the result published, and open for comment on
//! its second version now) and 地域自治・町内会 (from the September 2023 session's study group).

use crate::account::store as account_store;
use crate::db::{Db, StoreError};

const ROADMAP_V1: &str = "# 居住支援ロードマップ

住まいに困っている人が、地域の中で安心して暮らし続けられるように、専門領域の団体と市民、企業が力を合わせます。

## 1年目：相談をつなぐ
居住支援法人、不動産会社、福祉の相談窓口が顔を合わせ、相談を受けたら互いにつなぐ仕組みをつくります。

## 2年目：見守りを地域で
入居後の見守りを町内会や民生委員と分担し、孤立を防ぎます。

## 3年目：担い手を増やす
大家さんや企業のプロボノと一緒に、空き家を住まいとして活かす事例をつくります。
";

const ROADMAP_V2_CHANGES: [(&str, &str); 2] = [
    (
        "居住支援法人、不動産会社、福祉の相談窓口が顔を合わせ、",
        "居住支援法人、不動産会社、福祉の相談窓口が区ごとに顔を合わせ、",
    ),
    ("入居後の見守りを町内会や民生委員と分担し、", "入居後の見守りを町内会や民生委員、母子支援の団体と分担し、"),
];

/// Two labs as in the report (居住支援, 地域自治・町内会), with members, meetings, a roadmap
/// in two versions, its first version's consultation of April 2023 answered and published,
/// and a consultation on the second open for a month; unless labs exist already.
pub(super) async fn labs(db: &Db, tenant: crate::tenant::TenantId) -> anyhow::Result<()> {
    use crate::lab::{LabDraft, LabRole, MeetingDraft, store};
    use crate::sector::Sector::{Citizen, Government, Npo};
    if !store::list(db, tenant).await?.is_empty() {
        return Ok(());
    }
    let account = |email: &'static str| async move {
        account_store::find_by_email(db, tenant, email).await?.map(|(a, _)| a.id).ok_or(StoreError::NotFound)
    };
    let (admin, member) = (account("admin@example.jp").await?, account("member@example.jp").await?);
    let issue = crate::social_issue::NewIssue {
        title: "保証人がいなくて部屋を借りられない".to_owned(),
        description: "高齢の一人暮らしやひとり親の世帯が、保証人がいないために部屋を借りられない相談が続いています。"
            .to_owned(),
        place: "仙台市".to_owned(),
        tags: vec!["居住支援".to_owned(), "高齢者".to_owned()],
        anonymous: false,
    };
    let today = crate::i18n::wareki::jst_date(chrono::Utc::now());
    let window = crate::consultation::WindowForm {
        version: "2".to_owned(),
        opens_on: (today - chrono::Days::new(1)).to_string(),
        closes_on: (today + chrono::Days::new(30)).to_string(),
    }
    .validate()
    .map_err(|_| anyhow::anyhow!("demo consultation window"))?;
    // 地域自治・町内会 grew out of the information exchange of 21 September 2023 (令和5年9月
    // の情報交換会); the report gives neither lab's founding day: 居住支援 is dated before
    // FY2023 (its roadmap was open for comment in April 2023), the other the next month.
    let september = crate::event::japan_instant(day(2023, 9, 21), chrono::NaiveTime::MIN);
    let town_origin =
        crate::event::store::list_published_between(db, tenant, september, september + chrono::Days::new(1))
            .await?
            .into_iter()
            .find(|e| e.title.contains("町内会"))
            .map(|e| e.id);
    let housing = db
        .write(async |tx| {
            let issue_id = crate::social_issue::store::insert(tx, tenant, &issue, Some(member)).await?;
            crate::social_issue::follow::follow(tx, tenant, issue_id, member).await?;
            let housing = store::insert(
                tx,
                tenant,
                &LabDraft {
                    title: "居住支援".to_owned(),
                    description: "専門領域の団体と市民、企業の掛け算で、居住支援を進めるロードマップをつくります。"
                        .to_owned(),
                    social_issue_id: Some(issue_id),
                    event_id: None,
                    founded_on: day(2022, 11, 1),
                },
            )
            .await?;
            let town = store::insert(
                tx,
                tenant,
                &LabDraft {
                    title: "地域自治・町内会".to_owned(),
                    description: "令和5年9月の情報交換会の参加者有志による勉強会から発足しました。".to_owned(),
                    social_issue_id: None,
                    event_id: town_origin,
                    founded_on: day(2023, 10, 1),
                },
            )
            .await?;
            for (lab, email, role) in [
                (housing, "coordinator@example.jp", LabRole::Lead),
                (housing, "member@example.jp", LabRole::Member),
                (housing, "company@example.jp", LabRole::ProBono),
                (town, "member@example.jp", LabRole::Lead),
            ] {
                store::set_member(tx, tenant, lab, email, role).await?;
            }
            // The meetings of the report (FY2023): the 居住支援 lab's exchange of 19 October
            // (5 people, their sectors not given), the 町内会 lab's two study meetings of
            // February (2 people at the first; 4 at the second: NPO, city staff, citizens).
            for (lab, date, members, guests, others, minutes) in [
                (
                    housing,
                    (2023, 10, 19),
                    vec![],
                    vec![],
                    5,
                    "昨今の居住支援の全国的な動きや、それぞれの現場での支援ケースを共有した。",
                ),
                (town, (2024, 2, 4), vec![member], vec![], 1, "多賀城市の「未来自治トーク」に参加し、事例を学んだ。"),
                (
                    town,
                    (2024, 2, 13),
                    vec![member],
                    vec![(Npo, 1), (Government, 1), (Citizen, 1)],
                    0,
                    "2月4日の参加報告と、最近話題の町内会事例のシェア＆ディスカッションを行った。",
                ),
            ] {
                let draft = MeetingDraft {
                    held_on: day(date.0, date.1, date.2),
                    minutes: minutes.to_owned(),
                    with_probono: false,
                    members,
                    guests,
                    others,
                };
                crate::lab::meeting::store::insert(tx, tenant, lab, &draft, admin).await?;
            }
            crate::roadmap::store::insert(tx, tenant, housing, ROADMAP_V1, "初版", admin).await?;
            let v2 = ROADMAP_V2_CHANGES.iter().fold(ROADMAP_V1.to_owned(), |text, (from, to)| text.replace(from, to));
            crate::roadmap::store::insert(tx, tenant, housing, &v2, "相談窓口を区ごとに、母子支援の団体と連携", admin)
                .await?;
            crate::consultation::store::insert(tx, tenant, housing, &window).await?;
            Ok::<_, StoreError>(housing)
        })
        .await?;
    consulted_in_april_2023(db, tenant, housing).await
}

/// What the 居住支援 lab heard on its first roadmap in April 2023, when it was shown at the
/// center's plaza (paragraph, comment, how it came), a copy among them.
const APRIL_2023_COMMENTS: [(i64, &str, crate::consultation::Channel); 6] = {
    use crate::consultation::Channel::{Paper, Post, Venue};
    [
        (3, "区ごとに相談できる窓口があれば、遠くまで出かけずに済みます。若林区にも窓口をつくってください。", Paper),
        (3, "区ごとに相談できる窓口があれば、遠くまで出かけずに済みます。若林区にも窓口をつくってください。", Paper),
        (3, "不動産会社と福祉の窓口がつながっておらず、たらい回しにされました。互いにつなぐ仕組みに賛成です。", Venue),
        (4, "ひとり親の世帯の見守りには、母子支援の団体にも加わってもらうのがよいと思います。", Post),
        (4, "民生委員だけでは手が足りません。町内会の見守り活動にも早めに声をかけてください。", Venue),
        (5, "空き家を住まいとして活かす取り組みに賛成です。大家として協力できることがあれば知らせてください。", Paper),
    ]
};

/// The result rows of April 2023: paragraph, 意見の概要, 考え方, the reason of a change, and
/// the comments each answers (by their place in [`APRIL_2023_COMMENTS`]).
const APRIL_2023_RESULT: [(i64, &str, &str, &str, &[usize]); 4] = [
    (
        3,
        "相談窓口を区ごとに設け、窓口どうしをつないでほしい。",
        "ご意見を踏まえ、相談窓口の連携を区ごとに進めることとしました。",
        "連携の単位を区ごととしました。",
        &[0, 1, 2],
    ),
    (
        4,
        "ひとり親世帯の見守りに母子支援の団体も加えてほしい。",
        "ご意見のとおり、母子支援の団体とも見守りを分担します。",
        "見守りを分担する相手に母子支援の団体を加えました。",
        &[3],
    ),
    (4, "町内会の見守り活動と早めに連携してほしい。", "2年目の初めに町内会の皆さんと話し合う場を設けます。", "", &[4]),
    (
        5,
        "空き家の活用に大家として協力したい。",
        "3年目の事例づくりで、大家さんの皆さんにご協力をお願いします。",
        "",
        &[5],
    ),
];

/// The lab's consultation of April 2023 on its first roadmap, with the comments received
/// on paper, by post and at the plaza, answered row by row and published with version 2.
async fn consulted_in_april_2023(
    db: &Db,
    tenant: crate::tenant::TenantId,
    lab: crate::lab::LabId,
) -> anyhow::Result<()> {
    use crate::consultation::{Received, ResponseDraft, store};
    let window = crate::consultation::WindowForm {
        version: "1".to_owned(),
        // 令和5年4月1日(土)～4月30日(日), at the center's plaza, as the report says.
        opens_on: "2023-04-01".to_owned(),
        closes_on: "2023-04-30".to_owned(),
    }
    .validate()
    .map_err(|_| anyhow::anyhow!("demo consultation of April 2023"))?;
    let received: Vec<Received> = APRIL_2023_COMMENTS
        .iter()
        .map(|(paragraph, body, channel)| Received {
            paragraph: *paragraph,
            body: (*body).to_owned(),
            channel: *channel,
            contact_email: String::new(),
        })
        .collect();
    let received_at = window.opens_at + chrono::Days::new(10);
    let id = db
        .write(async |tx| {
            let id = store::insert(tx, tenant, lab, &window).await?;
            store::insert_received(tx, tenant, id, &received, received_at).await?;
            Ok::<_, StoreError>(id)
        })
        .await?;
    // Entered in order, so in order of paragraph and then as listed.
    let comments: Vec<_> = store::comments(db, tenant, id, None).await?.into_iter().map(|k| k.id).collect();
    let consultation = store::get(db, tenant, id).await?;
    db.write(async |tx| {
        for (paragraph, summary, response, reason, answers) in APRIL_2023_RESULT {
            let draft = ResponseDraft {
                paragraph,
                summary: summary.to_owned(),
                response: response.to_owned(),
                changed: !reason.is_empty(),
                change_reason: reason.to_owned(),
                comments: answers.iter().map(|&k| comments[k]).collect(),
            };
            store::add_response(tx, tenant, id, &draft).await?;
        }
        store::publish_result(tx, tenant, &consultation, 2).await?;
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(())
}

/// A day of the demo's calendar.
fn day(year: i32, month: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}
