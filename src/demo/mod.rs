//! Demo data: accounts for each role in the default center, the attendance roster of
//! FY2022–FY2023 (`fixtures/roster-fy2022-fy2023.csv`, a copy of the shared fixture whose
//! FY2023 part adds up to the report's tables), and a second center (多賀城, on host
//! `tagajo.localhost`) to show tenants. Loading it twice changes nothing.

use crate::account::{Profile, Role, password, store as account_store};
use crate::db::{Db, StoreError};
use crate::sector::Sector;
use crate::tenant::store as tenant_store;

mod labs;
use labs::labs;

/// The password of every demo account. Demo data is for trying the platform, never for
/// a real center.
pub const DEMO_PASSWORD: &str = "socialhub-demo";

/// The shared fixture roster, built into the binary.
const ROSTER: &[u8] = include_bytes!("../../fixtures/roster-fy2022-fy2023.csv");

struct DemoAccount {
    email: &'static str,
    name: &'static str,
    furigana: &'static str,
    sector: Sector,
    affiliation: &'static str,
    role: Role,
}

const ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount {
        email: "admin@example.jp",
        name: "青葉 花子",
        furigana: "アオバ ハナコ",
        sector: Sector::Npo,
        affiliation: "ソーシャルハブ事務局",
        role: Role::Admin,
    },
    DemoAccount {
        email: "coordinator@example.jp",
        name: "宮城 太郎",
        furigana: "ミヤギ タロウ",
        sector: Sector::Npo,
        affiliation: "NPO法人底上げ",
        role: Role::Coordinator,
    },
    DemoAccount {
        email: "member@example.jp",
        name: "仙台 一郎",
        furigana: "センダイ イチロウ",
        sector: Sector::Citizen,
        affiliation: "五橋町内会",
        role: Role::Member,
    },
    DemoAccount {
        email: "company@example.jp",
        name: "杜 優子",
        furigana: "モリ ユウコ",
        sector: Sector::Company,
        affiliation: "株式会社杜の都技研",
        role: Role::Member,
    },
];

/// Loads the demo data into `db`.
///
/// # Errors
/// The database fails.
pub async fn load(db: &Db) -> anyhow::Result<()> {
    let default = tenant_store::get_default(db).await?;
    let tagajo = match tenant_store::insert(db, "tagajo", "多賀城ソーシャルハブ", &["tagajo.localhost".to_owned()])
        .await
    {
        Ok(Ok(_)) | Err(StoreError::Conflict { .. }) => tenant_store::get_by_slug(db, "tagajo").await?,
        Ok(Err(e)) => anyhow::bail!("demo center: {e}"),
        Err(e) => return Err(e.into()),
    };
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut created = 0;
    for tenant in [&default, &tagajo] {
        for a in &ACCOUNTS {
            let profile = Profile {
                display_name: a.name.to_owned(),
                furigana: a.furigana.to_owned(),
                sector: a.sector,
                affiliation: a.affiliation.to_owned(),
            };
            match crate::account::create_verified(db, tenant.id, a.email, &hash, &profile, a.role).await {
                Ok(id) => {
                    // The demo's people agreed to the notice when they signed up.
                    crate::privacy::agree(db, tenant.id, id).await?;
                    created += 1;
                }
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let rows = crate::roster::parse_file(ROSTER, crate::event::EventKind::InfoExchange)
        .map_err(|e| anyhow::anyhow!("demo roster: {}", e[0].describe(crate::i18n::Lang::En)))?;
    let roster = crate::roster::import::import(db, default.id, &rows).await?;
    upcoming_session(db, default.id).await?;
    labs(db, default.id).await?;
    organisations(db, default.id).await?;
    board(db, default.id).await?;
    articles(db, default.id).await?;
    open_innovation(db, default.id).await?;
    db.analyze().await?;
    println!(
        "demo data: {created} new accounts, {} new events, {} new attendances; log in as admin@example.jp (事務局), \
         coordinator@example.jp or member@example.jp with the password {DEMO_PASSWORD}; a second center answers on \
         http://tagajo.localhost:PORT/",
        roster.events_created, roster.attendances_created
    );
    Ok(())
}

/// The demo accounts' organisations (their 所属), each person shown as a real one might
/// choose: the coordinator to everyone, the member to members, the company's person to
/// nobody; unless organisations exist already.
async fn organisations(db: &Db, tenant: crate::tenant::TenantId) -> anyhow::Result<()> {
    use crate::organisation::{Kind, OrganisationDraft, store};
    use crate::visibility::Visibility;
    if !store::list(db, tenant, None).await?.is_empty() {
        return Ok(());
    }
    let records = [
        (
            "coordinator@example.jp",
            "NPO法人底上げ",
            Kind::Npo,
            "仙台市青葉区",
            "若者の居場所づくりと、居住支援の相談。",
            "プロボノ（会計、デザイン）、ボランティア",
            Visibility::Public,
        ),
        (
            "member@example.jp",
            "五橋町内会",
            Kind::Neighbourhood,
            "仙台市若林区五橋",
            "防災訓練、見守り、夏祭り。",
            "若い担い手",
            Visibility::Members,
        ),
        (
            "company@example.jp",
            "株式会社杜の都技研",
            Kind::Company,
            "仙台市泉区",
            "業務システムの開発。社員のプロボノを進めています。",
            "地域の課題を知る機会",
            Visibility::Nobody,
        ),
    ];
    for (email, name, kind, place, activities, seeking, shown) in records {
        let Some((account, _)) = account_store::find_by_email(db, tenant, email).await? else { continue };
        let draft = OrganisationDraft {
            name: name.to_owned(),
            kind,
            place: place.to_owned(),
            activities: activities.to_owned(),
            seeking: seeking.to_owned(),
        };
        crate::organisation::create(db, tenant, &draft, account.id, shown).await?;
    }
    // Two of them in the directory: the coordinator to everyone, the member to members.
    use crate::directory::{ProfileDraft, Shown};
    let profiles = [
        (
            "coordinator@example.jp",
            "居住支援,若者",
            "相談の受け止め方、団体どうしのつなぎ",
            "居住支援に関心のある不動産会社",
            Visibility::Public,
        ),
        ("member@example.jp", "防災,町内会", "町内会の運営の経験", "町内会の若い担い手", Visibility::Members),
    ];
    for (email, interests, skills, seeking, shown) in profiles {
        let Some((account, _)) = account_store::find_by_email(db, tenant, email).await? else { continue };
        let draft = ProfileDraft {
            interests: interests.split(',').map(str::to_owned).collect(),
            skills: skills.to_owned(),
            seeking: seeking.to_owned(),
            shown: Shown {
                name: shown,
                sector: shown,
                interests: shown,
                skills: shown,
                seeking: shown,
                activity: Visibility::Members,
            },
        };
        crate::directory::save(db, tenant, account.id, &draft).await?;
    }
    Ok(())
}

/// Three posts on the board, as the Facebook group had: a pinned notice from the
/// secretariat, grant information for everyone and data for members; unless posts exist.
async fn board(db: &Db, tenant: crate::tenant::TenantId) -> anyhow::Result<()> {
    use crate::board::{Audience, Category, PostDraft, store};
    if !store::list(db, tenant, true, None, 1, 0).await?.is_empty() {
        return Ok(());
    }
    let posts = [
        (
            "admin@example.jp",
            Category::Notice,
            Audience::Public,
            "掲示板をはじめました",
            "Facebookグループに代わって、ソーシャルハブのお知らせや情報をここで共有します。",
            true,
        ),
        (
            "coordinator@example.jp",
            Category::Grant,
            Audience::Public,
            "地域づくり活動への助成金（締切 6月30日）",
            "NPOや町内会の地域づくり活動が対象です。相談はコーディネーターまで。",
            false,
        ),
        (
            "member@example.jp",
            Category::Data,
            Audience::Members,
            "町内会アンケートの集計",
            "五橋町内会で行った担い手アンケートの集計です。ラボの勉強会で使います。",
            false,
        ),
    ];
    for (email, category, audience, title, body, pinned) in posts {
        let Some((account, _)) = account_store::find_by_email(db, tenant, email).await? else { continue };
        let draft = PostDraft { category, audience, title: title.to_owned(), body: body.to_owned(), event_id: None };
        let id = crate::board::post(db, tenant, &draft, account.id).await?;
        if pinned {
            crate::board::pin(db, tenant, id, true).await?;
        }
    }
    Ok(())
}

/// Two published articles of the archive: a session report and a lab's result.
async fn articles(db: &Db, tenant: crate::tenant::TenantId) -> anyhow::Result<()> {
    use crate::article::{Category, Draft, Status, store};
    if !store::all(db, tenant).await?.is_empty() {
        return Ok(());
    }
    let admin = account_store::find_by_email(db, tenant, "admin@example.jp").await?.map(|(a, _)| a.id);
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).map(crate::i18n::wareki::jst_midnight);
    let (Some(april), Some(may)) = (day(2023, 4, 20), day(2023, 5, 20)) else { return Ok(()) };
    let session = crate::event::store::list_published_between(db, tenant, april, april + chrono::TimeDelta::days(1))
        .await?
        .into_iter()
        .next()
        .map(|e| e.id);
    let lab = crate::lab::store::list(db, tenant).await?.into_iter().find(|l| l.title == "居住支援");
    let report = Draft {
        title: "令和5年度 第1回 情報交換会の報告".to_owned(),
        body: "# 当日のようす\n\n市民、NPO、企業、大学、行政から参加があり、地域の課題を持ち寄りました。\n\n\
               - 話題提供：居住支援の現場から\n- グループ対話：担い手をどう増やすか"
            .to_owned(),
        category: Category::SessionReport,
        tags: vec!["情報交換会".to_owned()],
        dated_at: april,
        event_id: session,
        lab_id: None,
        social_issue_id: None,
    };
    let result = Draft {
        title: "居住支援ラボ プロボノとの打ち合わせ".to_owned(),
        body: "大家さんや不動産会社のプロボノと、空き家を住まいとして活かす事例づくりを話し合いました。\n\n\
               次回はロードマップの案を市民に示し、意見を募ります。"
            .to_owned(),
        category: Category::LabResult,
        tags: vec!["居住支援".to_owned(), "プロボノ".to_owned()],
        dated_at: may,
        event_id: None,
        lab_id: lab.as_ref().map(|l| l.id),
        social_issue_id: lab.and_then(|l| l.social_issue_id),
    };
    db.write(async |tx| {
        for a in [&report, &result] {
            store::insert(tx, tenant, a, Status::Published, admin, None).await?;
        }
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(())
}

/// Next month's 情報交換会 (third Thursday, 19:00–20:30, hybrid), unless one is planned.
async fn upcoming_session(db: &Db, tenant: crate::tenant::TenantId) -> anyhow::Result<()> {
    use crate::event::{EventDraft, EventKind, Status, japan_instant, store};
    use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
    if !store::list(db, tenant, store::Listing::Upcoming, 1).await?.is_empty() {
        return Ok(());
    }
    let today = crate::i18n::wareki::jst_date(chrono::Utc::now());
    let (y, m) = if today.month() == 12 { (today.year() + 1, 1) } else { (today.year(), today.month() + 1) };
    let date = NaiveDate::from_weekday_of_month_opt(y, m, Weekday::Thu, 3).unwrap_or(today);
    let at = |h, min| japan_instant(date, NaiveTime::from_hms_opt(h, min, 0).unwrap_or_default());
    let draft = EventDraft {
        kind: EventKind::InfoExchange,
        title: "空き家と居住支援 ― 地域でできること".to_owned(),
        description: "住まいに困っている方を地域でどう支えるか、居住支援ラボの取り組みを紹介し、\
                      参加者どうしで話し合います。\n\n- 話題提供：居住支援ラボ\n- 進行：事務局"
            .to_owned(),
        starts_at: at(19, 0),
        ends_at: at(20, 30),
        venue: "仙台市市民活動サポートセンター 研修室5".to_owned(),
        online_url: "https://zoom.example/j/0000000000".to_owned(),
        venue_capacity: Some(30),
        online_capacity: Some(100),
        anonymous: false,
        fee_yen: 0,
        // 申込締切: the day before, at midnight.
        registration_closes_at: Some(japan_instant(date, NaiveTime::MIN)),
        cohosts: vec!["NPO法人底上げ".to_owned()],
        social_issue_id: None,
        lab_id: None,
    };
    db.write(async |tx| store::insert(tx, tenant, &draft, Status::Published).await).await?;
    Ok(())
}

/// Pro bono needs and offers that match, a project of the 居住支援 lab, and the report's
/// FY2023 coordination work: four of its company hearings (the companies invented), its
/// five coordinator trainings and the visit to Kyoto; unless needs exist already.
async fn open_innovation(db: &Db, tenant: crate::tenant::TenantId) -> anyhow::Result<()> {
    use crate::probono::{Behalf, PostForm};
    if !crate::probono::store::open_needs(db, tenant).await?.is_empty() {
        return Ok(());
    }
    let account = |email: &'static str| async move {
        account_store::find_by_email(db, tenant, email).await?.map(|(a, _)| a.id).ok_or(StoreError::NotFound)
    };
    let (admin, coordinator, member, company) = (
        account("admin@example.jp").await?,
        account("coordinator@example.jp").await?,
        account("member@example.jp").await?,
        account("company@example.jp").await?,
    );
    let organisations = crate::organisation::store::list(db, tenant, None).await?;
    let org = |name: &str| organisations.iter().find(|o| o.name == name).map(|o| Behalf::Organisation(o.id));
    let post = |title: &str, kind: &str, skills: &[&str], tags: &str, place: &str, online: bool, shown: &str| {
        let mut f = PostForm::new_with(crate::visibility::Visibility::from_code(shown).unwrap_or_default());
        f.title = title.to_owned();
        f.kind = kind.to_owned();
        f.skills = skills.iter().map(|s| (*s).to_owned()).collect();
        f.tags = tags.to_owned();
        f.place = place.to_owned();
        f.online = online;
        f
    };
    let invalid = |e: crate::validate::FieldErrors| anyhow::anyhow!("demo pro bono: {:?}", e.0);
    let refused = |_| anyhow::anyhow!("demo pro bono refused");
    let needs = [
        (
            coordinator,
            "NPO法人底上げ",
            post("会計の相談（年に数回）", "skill", &["accounting"], "居住支援", "仙台市青葉区", true, "public"),
        ),
        (
            coordinator,
            "NPO法人底上げ",
            post("チラシのデザインを10時間", "skill", &["design", "writing"], "若者", "", true, "public"),
        ),
        (
            member,
            "五橋町内会",
            post("若林区の会場（夏祭りの打ち合わせ）", "place", &[], "町内会", "若林区", false, "members"),
        ),
    ];
    for (by, name, form) in needs {
        let mut draft = form.validate().map_err(invalid)?;
        draft.behalf = org(name).unwrap_or(Behalf::Own);
        crate::probono::save_need(db, tenant, by, None, &draft, None).await.map_err(refused)?;
    }
    let offers = [
        post(
            "ウェブとデザインの相談（月5時間まで）",
            "skill",
            &["web", "design"],
            "若者、SDGs",
            "仙台市泉区",
            true,
            "members",
        ),
        post("会議室を平日の夜にお貸しします", "place", &[], "", "仙台市泉区", false, "members"),
    ];
    for form in offers {
        let mut draft = form.validate().map_err(invalid)?;
        draft.behalf = org("株式会社杜の都技研").unwrap_or(Behalf::Own);
        crate::probono::save_offer(db, tenant, company, None, &draft, None).await.map_err(refused)?;
    }
    // A project of the 居住支援 lab, active.
    if let Some(lab) = crate::lab::store::list(db, tenant).await?.into_iter().find(|l| l.title == "居住支援") {
        let draft = crate::project::ProjectDraft {
            title: "空き家を住まいに活かすプロジェクト".to_owned(),
            description:
                "大家さん、不動産会社、居住支援法人が組んで、空き家を住まいに困っている人に貸す事例をつくります。"
                    .to_owned(),
            status: crate::project::Status::Active,
            issue: lab.social_issue_id,
            event: None,
            lab: Some(lab.id),
        };
        crate::project::start(db, tenant, admin, &draft).await?;
    }
    // The report's hearings, trainings and visit (FY2023).
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("demo date"));
    let tags = |t: &str| t.split('、').map(str::to_owned).collect::<Vec<_>>();
    use crate::hearing::{HearingDraft, Method, Size};
    use crate::organisation::Kind as Body;
    let hearings = [
        (
            "株式会社みやぎ電設（仮名）",
            "電気設備、土木",
            Size::Medium,
            day(2024, 1, 12)?,
            None,
            Method::Visit,
            "",
            "地域の足の確保のためのモビリティ社会実験、社屋の多目的ホールを使った地域住民とのサークル活動",
            "地域の発展の先に自社の持続可能な経営が成り立つと考えている。",
            "高齢者の孤立",
            "人手不足",
            vec![Body::Government, Body::Neighbourhood],
        ),
        (
            "杜の味噌醸造（仮名）",
            "食品",
            Size::Small,
            day(2024, 2, 19)?,
            None,
            Method::Visit,
            "",
            "小学校や大学での味噌・醤油文化の食育の授業",
            "活気あるまちづくりと企業成長は不可分である。",
            "食品ロス、地産地消の推進",
            "情報発信不足、地域住民と関わる機会がない",
            vec![Body::University, Body::Npo],
        ),
        (
            "青葉不動産（仮名）",
            "不動産",
            Size::Small,
            day(2023, 12, 1)?,
            Some(day(2024, 1, 31)?),
            Method::Mail,
            "",
            "外国人支援団体と連携した住まいの紹介、多言語での対応",
            "社員一人一人が地域社会の一員。",
            "外国人への差別、偏見是正",
            "人材不足、本来事業と社会課題の解決の接点が見えない",
            vec![Body::Npo, Body::Government],
        ),
        (
            "仙台の食品製造A社（仮名）",
            "食品製造",
            Size::Small,
            day(2023, 11, 24)?,
            None,
            Method::Event,
            "SENDAI SDGs Expo2023",
            "未利用資源の活用",
            "SDGsの観点から何かしたいと思うが、利益あってのこと。",
            "未利用資源の活用",
            "人手不足",
            vec![Body::Government],
        ),
    ];
    for (
        company_name,
        industry,
        size,
        held_on,
        held_until,
        method,
        occasion,
        activities,
        view,
        issues,
        barriers,
        partners,
    ) in hearings
    {
        let draft = HearingDraft {
            company: company_name.to_owned(),
            industry: industry.to_owned(),
            size,
            held_on,
            held_until,
            method,
            occasion: occasion.to_owned(),
            activities: activities.to_owned(),
            community_view: view.to_owned(),
            issues_watched: issues.to_owned(),
            probono_barriers: barriers.to_owned(),
            partners_wanted: partners
                .iter()
                .map(|k| k.label(crate::i18n::Lang::Ja).into_owned())
                .collect::<Vec<_>>()
                .join("、"),
            partner_kinds: partners,
            barrier_tags: tags(barriers),
            issue_tags: tags(issues),
            follow_up: String::new(),
        };
        crate::hearing::record(db, tenant, coordinator, &draft).await?;
    }
    use crate::training::{Kind as Training, TrainingDraft};
    let trainings = [
        (
            Training::Internal,
            day(2023, 12, 6)?,
            "コーディネーター業務の基礎",
            "",
            "NPO法人せんだい・みやぎNPOセンター 渡邊一馬",
            1,
        ),
        (Training::External, day(2024, 2, 28)?, "連携オンラインセミナー基礎編", "東北チャレンジコミュニティ", "", 2),
        (
            Training::External,
            day(2024, 3, 5)?,
            "連携オンラインセミナー実践編",
            "東北チャレンジコミュニティ",
            "NPO法人ETIC 瀬沼希望",
            2,
        ),
        (
            Training::Ojt,
            day(2024, 3, 15)?,
            "プロボノプロジェクトのブラッシュアップ（ソーシャルラボ・事務局ミーティング）",
            "",
            "",
            0,
        ),
        (
            Training::Ojt,
            day(2024, 3, 29)?,
            "プロボノプロジェクトのブラッシュアップ（ソーシャルラボ・事務局ミーティング）",
            "",
            "",
            0,
        ),
    ];
    for (kind, held_on, title, organiser, lecturer, others) in trainings {
        let draft = TrainingDraft {
            kind,
            held_on,
            title: title.to_owned(),
            organiser: organiser.to_owned(),
            lecturer: lecturer.to_owned(),
            content: String::new(),
            others,
            participants: vec![coordinator],
        };
        crate::training::record(db, tenant, &draft).await?;
    }
    let visit = crate::visit::VisitDraft {
        starts_on: day(2023, 8, 30)?,
        ends_on: day(2023, 8, 31)?,
        destination: "京都市".to_owned(),
        purpose: "協働による多様な取組の展開について新たな知見を得ること、今後の市民活動サポートセンターの機能検討"
            .to_owned(),
        organisations: tags(
            "龍谷大学 政策学部、公益財団法人京都地域創造基金、京都市市民活動総合センター、京都市文化市民局地域自治推進課、京都市下京いきいき市民活動センター",
        ),
        people_met: tags(
            "教授 深尾昌峰氏、専務理事 可児卓馬氏、センター長 内田香奈氏、副センター長 真鍋拓司氏、市民活動支援係長 別府隆男氏、市民活動支援担当 岩沢真梨絵氏、センター長 吉田隆真氏",
        ),
        learnt: String::new(),
        shared_with_city: String::new(),
        visitors: 2,
    };
    crate::visit::record(db, tenant, &visit).await?;
    Ok(())
}
