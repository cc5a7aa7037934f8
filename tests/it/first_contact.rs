//! The pages people meet first (issue 15): the home page offers what is on now, the
//! sessions list says how many seats are left, and a member sees their own registration on
//! a session's page, with a way to cancel it there.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(
    the_home_page_offers_what_is_on_now,
    a_member_sees_and_cancels_their_registration,
    fees_and_registration_deadlines,
    my_page_gathers_a_members_part,
    japanese_content_is_marked_in_the_english_interface,
    furigana_and_the_check_in_list_at_the_door,
    texts_stored_before_headings_moved_down_are_rendered_again,
);

async fn the_home_page_offers_what_is_on_now(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let db = &server.db;

    // Nothing yet: the page still offers one way to bring an issue, and no feature the
    // platform does not have.
    let empty = server.browser().get("/").await;
    assert_eq!(empty.status, StatusCode::OK);
    let html = empty.html();
    assert_eq!(html.attr("a.button[href='/issues/new']", "href").as_deref(), Some("/issues/new"));
    assert!(empty.body.contains("予定されているセッションはまだありません。"), "{}", empty.body);
    assert!(empty.body.contains("まだ課題は寄せられていません。"));
    for absent in ["オープンイノベーション", "ナレッジコア"] {
        assert!(!empty.body.contains(absent), "the home page promises {absent}");
    }

    // Three sessions to come: one full with one waiting, one with seats left, one without
    // a limit; a fourth, later, is not on the home page (three at most) but is in the list.
    let full = server.published_event("町内会の担い手を考える", 30, Some(1)).await;
    let open = server.published_event("子ども食堂のこれから", 60, Some(20)).await;
    let unlimited = server.published_event("防災と地域のつながり", 90, None).await;
    let later = server.published_event("秋の情報交換会", 400, Some(10)).await;
    for (i, event) in [full, full].into_iter().enumerate() {
        let b = server.browser();
        let path = format!("/events/{}", event.0);
        let fields = [
            ("mode", "venue".to_owned()),
            ("name", format!("参加 {i}")),
            ("email", format!("p{i}@example.jp")),
            ("furigana", "サンカ シャ".to_owned()),
            ("sector", "citizen".to_owned()),
            ("affiliation", String::new()),
            ("consent", "yes".to_owned()),
        ];
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(b.submit(&path, &format!("{path}/registrations"), &f).await.status, StatusCode::OK);
    }

    // An issue with two supporters, and a consultation open for five more days.
    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let other = server.create_account_in(tenant, "b@example.jp", "other password", "共感 さん", Role::Member).await;
    let issue = socialhub::social_issue::NewIssue {
        title: "空き家の見守り".into(),
        description: "一人暮らしが増えています".into(),
        place: "若林区".into(),
        tags: vec![],
        anonymous: false,
    };
    let issue = socialhub::social_issue::bring(db, tenant, &issue, Some(author)).await.unwrap();
    for who in [author, other] {
        socialhub::social_issue::toggle_support(db, tenant, issue, who).await.unwrap();
    }
    let lab = server.open_lab("居住支援").await;
    socialhub::roadmap::save(db, tenant, lab, "# 居住支援\n\n相談窓口をつくる", "最初の版", author).await.unwrap();
    let today = socialhub::i18n::wareki::jst_date(chrono::Utc::now());
    let midnight = |d: chrono::NaiveDate| {
        d.and_time(chrono::NaiveTime::MIN).and_local_timezone(socialhub::i18n::wareki::jst()).unwrap().to_utc()
    };
    let window = socialhub::consultation::Window {
        version: 1,
        opens_at: midnight(today - chrono::Days::new(1)),
        closes_at: midnight(today + chrono::Days::new(6)),
    };
    let consultation = socialhub::consultation::open(db, tenant, lab, &window).await.unwrap();

    let home = server.browser().get("/").await;
    let html = home.html();
    let sessions = html.texts("section[aria-labelledby=home-sessions-heading] li");
    assert_eq!(sessions.len(), 3, "{sessions:?}");
    assert!(sessions[0].contains("町内会の担い手を考える") && sessions[0].contains("会場 満席・キャンセル待ち 1人"));
    assert!(sessions[0].contains("令和") && sessions[0].contains("仙台市市民活動サポートセンター"), "{}", sessions[0]);
    assert!(sessions[1].contains("子ども食堂のこれから") && sessions[1].contains("会場 残り 20席"), "{}", sessions[1]);
    assert!(sessions[2].contains("防災と地域のつながり") && sessions[2].contains("会場 定員なし"), "{}", sessions[2]);
    assert_eq!(html.count(&format!("a[href='/events/{}']", later.0)), 0);
    assert_eq!(html.count(&format!("a[href='/events/{}']", unlimited.0)), 1);
    assert_eq!(html.count(&format!("a[href='/events/{}']", open.0)), 1);
    assert_eq!(html.count("section[aria-labelledby=home-sessions-heading] .full"), 1);

    let consultations = html.texts("section[aria-labelledby=home-consultations-heading] li");
    assert_eq!(consultations.len(), 1, "{consultations:?}");
    assert!(consultations[0].contains("居住支援ロードマップへの意見募集"), "{}", consultations[0]);
    assert!(consultations[0].contains("（あと5日）"), "{}", consultations[0]);
    assert_eq!(html.count(&format!("a[href='/consultations/{}']", consultation.0)), 1);

    let issues = html.texts("section[aria-labelledby=home-issues-heading] li");
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(issues[0].contains("空き家の見守り") && issues[0].contains("わたしも 2人"), "{}", issues[0]);

    // The sessions list says the same of the seats; a past session says nothing of them.
    let list = server.browser().get("/events").await.html();
    let upcoming = list.texts("section[aria-labelledby=upcoming-heading] li");
    assert_eq!(upcoming.len(), 4);
    assert!(upcoming[0].contains("満席・キャンセル待ち 1人"), "{}", upcoming[0]);
    assert!(upcoming[3].contains("秋の情報交換会") && upcoming[3].contains("残り 10席"), "{}", upcoming[3]);

    // In English.
    let b = server.browser();
    b.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let en = b.get("/").await.html();
    let sessions = en.texts("section[aria-labelledby=home-sessions-heading] li");
    assert!(sessions[0].contains("At the venue: Full, 1 on the waiting list"), "{}", sessions[0]);
    let consultations = en.texts("section[aria-labelledby=home-consultations-heading] li");
    assert!(consultations[0].contains("(days left: 5)"), "{}", consultations[0]);
    assert!(consultations[0].contains("Public comment on the 居住支援 roadmap"), "{}", consultations[0]);
    // The lab's name is Japanese within the English sentence, and marked so on its own.
    let marked = en.texts("section[aria-labelledby=home-consultations-heading] h3 a span[lang=ja]");
    assert_eq!(marked, ["居住支援"]);
    assert_eq!(en.count("section[aria-labelledby=home-sessions-heading] h3[lang=ja]"), 3);
    assert_eq!(en.count("section[aria-labelledby=home-issues-heading] h3[lang=ja]"), 1);
    // The secretariat's lists, in English, mark the titles too.
    let office = server.secretariat().await;
    office.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let admin = office.get("/admin/events").await.html();
    assert!(admin.count("td a[lang=ja]") >= 4, "{:?}", admin.texts("td a"));
    let checkin = office.get(&format!("/admin/events/{}/checkin", open.0)).await.html();
    assert_eq!(checkin.attr(".event-kind a", "lang").as_deref(), Some("ja"));
}

async fn a_member_sees_and_cancels_their_registration(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("健常と障害の間", 48, Some(1)).await;
    let path = format!("/events/{}", event.0);
    let mut members = Vec::new();
    for (email, name) in
        [("ichiro@example.jp", "鈴木 一郎"), ("jiro@example.jp", "鈴木 次郎"), ("saburo@example.jp", "鈴木 三郎")]
    {
        server.create_account(email, "member password", name, Role::Member).await;
        let b = server.browser();
        b.log_in(email, "member password").await;
        let done = b.submit(&path, &format!("{path}/registrations"), &[("mode", "venue")]).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        members.push(b);
    }

    // Each sees where they stand instead of the form.
    let page = members[0].get(&path).await.html();
    assert_eq!(page.count("form[action$='/registrations']"), 0);
    assert_eq!(page.text("#mine-heading + p").as_deref(), Some("申し込み済みです（会場）。"));
    let page = members[2].get(&path).await.html();
    assert_eq!(
        page.text("#mine-heading + p").as_deref(),
        Some("キャンセル待ちの2番目です（会場）。席が空いたらメールでお知らせします。")
    );
    // Someone else, and a visitor, see the form.
    assert_eq!(server.browser().get(&path).await.html().count("form[action$='/registrations']"), 1);

    // The first cancels from the page: the next on the waiting list gets the seat and is
    // told, and the third moves up to first.
    let cancel = format!("{path}/registration/cancel");
    let done = members[0].submit(&path, &cancel, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), path);
    let page = members[0].get(&path).await.html();
    assert_eq!(page.text(".flash[role=status]").as_deref(), Some("申し込みを取り消しました。"));
    assert_eq!(page.count("form[action$='/registrations']"), 1, "the form again");
    assert_eq!(server.mails_to("jiro@example.jp").pop().unwrap().subject, "【席が空きました】健常と障害の間");
    let page = members[1].get(&path).await.html();
    assert_eq!(page.text("#mine-heading + p").as_deref(), Some("申し込み済みです（会場）。"));
    let page = members[2].get(&path).await.html();
    assert!(page.text("#mine-heading + p").unwrap().starts_with("キャンセル待ちの1番目です"));

    // Cancelling twice cancels nothing; a visitor must log in; another center's session is
    // not found.
    let again = members[0].submit(&path, &cancel, &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    // Said as an error (an alert), not in the green banner of a success.
    let page = members[0].get(&path).await.html();
    assert_eq!(page.text(".flash-error[role=alert]").as_deref(), Some("取り消す申し込みはありません。"));
    assert_eq!(page.count(".flash[role=status]"), 0);
    let visitor = server.browser().submit(&path, &cancel, &[]).await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(visitor.location().starts_with("/login"), "{}", visitor.location());
    let missing = members[1].submit(&path, "/events/999999/registration/cancel", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// 参加費 and 申込締切: the secretariat sets them (full-width and 和暦 read); the page, the
/// list and the open data show them; once the deadline has passed the page says so,
/// offers no form and a registration sent anyway is refused.
async fn fees_and_registration_deadlines(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let day = socialhub::i18n::wareki::jst_date(chrono::Utc::now()) + chrono::Days::new(20);
    let deadline = day - chrono::Days::new(3);
    let (era, year) = socialhub::i18n::wareki::era_year(deadline).unwrap();
    use chrono::Datelike;
    let deadline_typed = format!("{era}{year}年{}月{}日", deadline.month(), deadline.day());
    let form = |fee: &str, deadline: &str| {
        vec![
            ("kind", "study".to_owned()),
            ("title", "NPOの会計入門".to_owned()),
            ("date", day.format("%Y/%-m/%-d").to_string()),
            ("start_time", "13:30".to_owned()),
            ("end_time", "16:00".to_owned()),
            ("venue", "仙台市市民活動サポートセンター".to_owned()),
            ("venue_capacity", "20".to_owned()),
            ("fee", fee.to_owned()),
            ("deadline", deadline.to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let office = &office;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            office.submit("/admin/events/new", "/admin/events", &f).await
        }
    };
    let bad = send(form("五百円", &(day + chrono::Days::new(1)).to_string())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert_eq!(
        html.text("#fee-error").as_deref(),
        Some("参加費は 500 のように円の金額で入力してください（無料のときは空欄）。")
    );
    assert!(html.text("#deadline-error").unwrap().starts_with("申込締切は開催日"));
    assert_eq!(html.attr("#fee", "value").as_deref(), Some("五百円"), "input kept");

    let created = send(form("１，０００円", &deadline_typed)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    let id: i64 = admin_path.rsplit('/').next().unwrap().parse().unwrap();
    let publish = office.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    assert!(publish.status.is_redirection(), "{}", publish.body);

    let page = server.browser().get(&format!("/events/{id}")).await.html();
    let facts = page.texts("dl.facts dt, dl.facts dd").join(" ");
    assert!(facts.contains("参加費 1,000円"), "{facts}");
    let deadline_label = socialhub::i18n::wareki::format_date_ja(deadline);
    assert!(facts.contains(&format!("申込締切 {deadline_label}まで")), "{facts}");
    assert_eq!(page.count("form[action$='/registrations']"), 1);
    let list = server.browser().get("/events").await.html().texts(".event-item").join(" ");
    assert!(list.contains("参加費 1,000円") && list.contains(&format!("申込締切 {deadline_label}")), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&server.browser().get("/events/opendata.json").await.body).unwrap();
    assert_eq!(json[0]["料金(基本)"], "1,000円");
    assert_eq!(json[0]["参加申込終了日"], deadline.to_string());
    assert_eq!(json[0]["参加申込終了時間"], "23:59");

    // A member registers before the deadline.
    server.create_account("early@example.jp", "member password", "早川 一郎", Role::Member).await;
    let early = server.browser();
    early.log_in("early@example.jp", "member password").await;
    assert_eq!(register(&early, socialhub::event::EventId(id)).await.status, StatusCode::OK);

    // The deadline passes (as time would): the page says so and takes no registration.
    let tenant = server.tenant().await;
    let passed = chrono::Utc::now() - chrono::TimeDelta::minutes(1);
    server
        .db
        .write(async |tx| {
            Ok::<_, socialhub::db::StoreError>(socialhub::with_tx!(tx, |c| {
                sqlx::query("UPDATE event SET registration_closes_at = $1 WHERE id = $2")
                    .bind(passed)
                    .bind(id)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            }))
        })
        .await
        .unwrap();
    let b = server.browser();
    let page = b.get(&format!("/events/{id}")).await;
    assert!(page.body.contains("申込締切を過ぎたため、申し込みは締め切りました。"), "{}", page.body);
    assert_eq!(page.html().count("form[action$='/registrations']"), 0);
    let path = format!("/events/{id}");
    let late = b
        .submit(
            &path,
            &format!("{path}/registrations"),
            &[
                ("mode", "venue"),
                ("name", "遅れ 太郎"),
                ("email", "late@example.jp"),
                ("furigana", "サンカ シャ"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("申込締切を過ぎたため"));
    let event = socialhub::event::store::get(&server.db, tenant, socialhub::event::EventId(id)).await.unwrap();
    let seats = socialhub::registration::store::seats(&server.db, tenant, &event).await.unwrap();
    assert_eq!(seats[0].registered, 1, "nothing written but the member's earlier registration");
    let list = server.browser().get("/events").await.html().texts(".event-item").join(" ");
    assert!(!list.contains("残り"), "no seats offered once closed: {list}");
    // Past the deadline a member may still give their seat back, until the session ends.
    let mine = early.get(&path).await.html();
    assert_eq!(mine.text("#mine-heading + p").as_deref(), Some("申し込み済みです（会場）。"));
    assert_eq!(mine.count("form[action$='/registration/cancel']"), 1);
}

/// マイページ: the sessions a member registered for (a seat, the waiting list; not what they
/// cancelled), those they attended, the issues they brought, support and follow, and their
/// signed comments; only theirs, and only for them.
async fn my_page_gathers_a_members_part(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let db = &server.db;
    let me = server.create_account_in(tenant, "hanako@example.jp", "member password", "佐藤 花子", Role::Member).await;
    let other = server.create_account_in(tenant, "jiro@example.jp", "other password", "鈴木 次郎", Role::Member).await;
    let b = server.browser();
    b.log_in("hanako@example.jp", "member password").await;
    let o = server.browser();
    o.log_in("jiro@example.jp", "other password").await;

    let empty = b.get("/mypage").await.html();
    assert_eq!(empty.text("h1").as_deref(), Some("マイページ"));
    assert!(empty.texts("p").iter().any(|p| p.contains("申し込んでいるセッションはありません。")));

    let seat = server.published_event("子ども食堂のこれから", 30, Some(5)).await;
    let full = server.published_event("町内会の担い手を考える", 60, Some(1)).await;
    let dropped = server.published_event("防災と地域のつながり", 90, None).await;
    let past = server.published_event("春の情報交換会", -72, None).await;
    register(&o, full).await;
    for event in [seat, full, dropped] {
        assert_eq!(register(&b, event).await.status, StatusCode::OK);
    }
    b.submit(&format!("/events/{}", dropped.0), &format!("/events/{}/registration/cancel", dropped.0), &[]).await;
    let account = socialhub::account::store::get(db, tenant, me).await.unwrap();
    let past_event = socialhub::event::store::get(db, tenant, past).await.unwrap();
    let arrival = socialhub::attendance::checkin::Arrival::Member(&account);
    assert!(socialhub::attendance::checkin::self_check_in(db, tenant, &past_event, arrival).await.unwrap());

    let issue = |title: &str| socialhub::social_issue::NewIssue {
        title: title.into(),
        description: "説明".into(),
        place: String::new(),
        tags: vec![],
        anonymous: false,
    };
    let mine = socialhub::social_issue::bring(db, tenant, &issue("空き家の見守り"), Some(me)).await.unwrap();
    let theirs = socialhub::social_issue::bring(db, tenant, &issue("公園の遊具"), Some(other)).await.unwrap();
    socialhub::social_issue::toggle_support(db, tenant, theirs, me).await.unwrap();
    let issue_path = format!("/issues/{}", theirs.0);
    assert!(b.submit(&issue_path, &format!("{issue_path}/follow"), &[]).await.status.is_redirection());
    socialhub::social_issue::comment(db, tenant, theirs, Some(me), "うちの近所でも困っています").await.unwrap();
    socialhub::social_issue::comment(db, tenant, theirs, Some(other), "次郎のコメント").await.unwrap();

    let page = b.get("/mypage").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let upcoming = html.texts("section[aria-labelledby=mypage-upcoming-heading] li");
    assert_eq!(upcoming.len(), 2, "{upcoming:?}");
    assert!(
        upcoming[0].contains("子ども食堂のこれから") && upcoming[0].contains("申し込み済み（会場）"),
        "{}",
        upcoming[0]
    );
    assert!(
        upcoming[1].contains("町内会の担い手を考える") && upcoming[1].contains("キャンセル待ち（会場）"),
        "{}",
        upcoming[1]
    );
    assert!(upcoming[0].contains("令和"), "{}", upcoming[0]);
    let attended = html.texts("section[aria-labelledby=mypage-attended-heading] li");
    assert_eq!(attended.len(), 1);
    assert!(attended[0].contains("春の情報交換会"));
    let issues = html.texts("section[aria-labelledby=mypage-issues-heading] li");
    // Brought; supported; followed (the issue they brought is followed from the start).
    assert_eq!(issues.len(), 4, "{issues:?}");
    assert!(issues[0].contains("空き家の見守り"));
    assert_eq!(html.count(&format!("section[aria-labelledby=mypage-issues-heading] a[href='/issues/{}']", mine.0)), 2);
    assert_eq!(
        html.count(&format!("section[aria-labelledby=mypage-issues-heading] a[href='/issues/{}']", theirs.0)),
        2
    );
    let comments = html.texts("section[aria-labelledby=mypage-comments-heading] li");
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert!(comments[0].contains("うちの近所でも困っています") && comments[0].contains("公園の遊具"));
    assert!(!page.body.contains("次郎のコメント") && !page.body.contains("防災と地域のつながり"));

    // The other member sees only theirs; a visitor is asked to log in.
    let theirs_page = o.get("/mypage").await.html();
    assert_eq!(theirs_page.texts("section[aria-labelledby=mypage-upcoming-heading] li").len(), 1);
    assert_eq!(theirs_page.texts("section[aria-labelledby=mypage-comments-heading] li").len(), 1);
    let visitor = server.browser().get("/mypage").await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
    assert!(visitor.location().starts_with("/login"), "{}", visitor.location());
}

/// A member registers at the venue from the session's page.
async fn register(who: &crate::support::Browser, event: socialhub::event::EventId) -> crate::support::Page {
    let path = format!("/events/{}", event.0);
    who.submit(&path, &format!("{path}/registrations"), &[("mode", "venue")]).await
}

/// In the English interface what people wrote in Japanese carries `lang="ja"` (a screen
/// reader reads it in Japanese); English text and the Japanese interface carry none; the
/// headings people write start below the page's title.
async fn japanese_content_is_marked_in_the_english_interface(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let start = chrono::Utc::now() + chrono::TimeDelta::hours(30);
    let draft = |title: &str, description: &str| socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::Study,
        description: description.to_owned(),
        cohosts: vec!["Sendai Volunteer Network".to_owned()],
        ..crate::support::event_draft(title, start)
    };
    let japanese = server
        .insert_event(&draft("居住支援の勉強会", "# 背景\n\n住まいの話"), socialhub::event::Status::Published)
        .await;
    let english = server
        .insert_event(&draft("Study visit", "# Background\n\nHousing"), socialhub::event::Status::Published)
        .await;
    let b = server.browser();
    let ja_page = b.get(&format!("/events/{}", japanese.0)).await.html();
    assert_eq!(ja_page.count("[lang=ja]"), 1, "only the page itself in the Japanese interface");
    assert_eq!(ja_page.text(".description h2").as_deref(), Some("背景"));
    assert_eq!(ja_page.count(".description h1"), 0);

    b.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let page = b.get(&format!("/events/{}", japanese.0)).await.html();
    assert_eq!(page.attr("h1", "lang").as_deref(), Some("ja"));
    assert_eq!(page.attr(".description", "lang").as_deref(), Some("ja"));
    assert_eq!(page.texts("dd[lang=ja]").len(), 1, "the venue; the English co-host is not marked");
    let page = b.get(&format!("/events/{}", english.0)).await.html();
    assert_eq!(page.attr("h1", "lang"), None);
    assert_eq!(page.attr(".description", "lang"), None);
    let list = b.get("/events").await.html();
    assert_eq!(list.attrs("section[aria-labelledby=upcoming-heading] h3", "lang"), ["ja"]);

    // An issue and its comments, likewise.
    let tenant = server.tenant().await;
    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let new = socialhub::social_issue::NewIssue {
        title: "空き家の見守り".into(),
        description: "一人暮らしが増えています".into(),
        place: String::new(),
        tags: vec![],
        anonymous: false,
    };
    let issue = socialhub::social_issue::bring(&server.db, tenant, &new, Some(author)).await.unwrap();
    for body in ["うちの近所でも", "Same here"] {
        socialhub::social_issue::comment(&server.db, tenant, issue, Some(author), body).await.unwrap();
    }
    let page = b.get(&format!("/issues/{}", issue.0)).await.html();
    assert_eq!(page.attr("h1", "lang").as_deref(), Some("ja"));
    assert_eq!(page.attrs(".comment-body", "lang"), ["ja"], "the Japanese comment only");
}

/// フリガナ beside the name (registration, profile, walk-ins), the check-in list in
/// あいうえお order with a search by name, フリガナ or e-mail, and the waiting list apart:
/// its people are not checked in by the tap meant for those with a seat.
async fn furigana_and_the_check_in_list_at_the_door(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("町内会の担い手を考える", 1, Some(3)).await;
    let path = format!("/events/{}", event.0);
    let guest = |name: &str, furigana: &str, email: &str| {
        vec![
            ("mode", "venue".to_owned()),
            ("name", name.to_owned()),
            ("furigana", furigana.to_owned()),
            ("email", email.to_owned()),
            ("sector", "citizen".to_owned()),
            ("affiliation", String::new()),
            ("consent", "yes".to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let path = path.clone();
        let b = server.browser();
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            b.submit(&path, &format!("{path}/registrations"), &f).await
        }
    };
    // フリガナ in kanji is refused, with the input kept.
    let bad = send(guest("渡辺 健", "渡辺", "ken@example.jp")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.html().text("#furigana-error").as_deref(), Some("フリガナはカタカナかひらがなで入力してください。"));
    assert_eq!(bad.html().attr("#furigana", "value").as_deref(), Some("渡辺"));
    // An empty required field asks for it; it does not call the format wrong.
    let empty = send(guest("渡辺 健", "", "")).await;
    assert_eq!(empty.html().text("#email-error").as_deref(), Some("メールアドレスを入力してください。"));
    assert_eq!(empty.html().text("#furigana-error").as_deref(), Some("フリガナを入力してください。"));
    // Three seats, four people: in order of registering, 渡辺 (hiragana), 青木 (half-width),
    // 佐藤 (a member whose account predates フリガナ), then 伊藤 on the waiting list.
    for (name, furigana, email) in
        [("渡辺 健", "わたなべ けん", "ken@example.jp"), ("青木 美咲", "ｱｵｷ ﾐｻｷ", "misaki@example.jp")]
    {
        assert_eq!(send(guest(name, furigana, email)).await.status, StatusCode::OK);
    }
    server.create_account("hanako@example.jp", "member password", "佐藤 花子", Role::Member).await;
    let hanako = server.browser();
    hanako.log_in("hanako@example.jp", "member password").await;
    let registered = hanako.submit(&path, &format!("{path}/registrations"), &[("mode", "venue")]).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    assert_eq!(send(guest("伊藤 誠", "イトウ マコト", "makoto@example.jp")).await.status, StatusCode::OK);
    // A member gives their フリガナ in the profile.
    server.create_account("ueda@example.jp", "member password", "上田 一郎", Role::Member).await;
    let member = server.browser();
    member.log_in("ueda@example.jp", "member password").await;
    let saved = member
        .submit(
            "/account",
            "/account",
            &[
                ("display_name", "上田 一郎"),
                ("furigana", "うえだ いちろう"),
                ("sector", "citizen"),
                ("affiliation", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(member.get("/account").await.html().attr("#furigana", "value").as_deref(), Some("ウエダ イチロウ"));

    let office = server.secretariat().await;
    let list = office.get(&format!("/admin/events/{}/checkin", event.0)).await.html();
    let seated = list.texts("ul[aria-labelledby=list-heading] .who");
    assert_eq!(seated.len(), 3, "{seated:?}");
    assert!(seated[0].starts_with("青木 美咲 アオキ ミサキ"), "{seated:?}");
    assert!(seated[1].starts_with("渡辺 健 ワタナベ ケン"), "{seated:?}");
    assert!(seated[2].starts_with("佐藤 花子"), "no フリガナ comes after the kana: {seated:?}");
    let waiting = list.texts("ul[aria-labelledby=waiting-heading] .who");
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].contains("伊藤 誠") && waiting[0].contains("キャンセル待ち"), "{waiting:?}");

    // The search: hiragana finds katakana, half-width too; the e-mail; several words.
    for (q, who) in
        [("わたなべ", "渡辺 健"), ("ｱｵｷ", "青木 美咲"), ("hanako@", "佐藤 花子"), ("いとう まこと", "伊藤 誠")]
    {
        let found = office.get(&format!("/admin/events/{}/checkin?q={}", event.0, urlencode(q))).await.html();
        let names = found.texts(".checkin-list .who");
        assert_eq!(names.len(), 1, "{q}: {names:?}");
        assert!(names[0].contains(who), "{q}: {names:?}");
        assert_eq!(found.attr("#q", "value").as_deref(), Some(q));
    }

    // The waiting list's person is not checked in by the seated list's tap.
    let tenant = server.tenant().await;
    let registrations = socialhub::registration::store::list_for_event(&server.db, tenant, event).await.unwrap();
    let ito = registrations.iter().find(|r| r.name == "伊藤 誠").unwrap().id;
    let checkin = format!("/admin/events/{}/checkin", event.0);
    let tap = office.submit(&checkin, &format!("{checkin}/{}", ito.0), &[]).await;
    assert_eq!(tap.status, StatusCode::SEE_OTHER);
    let after = office.get(&checkin).await.html();
    assert_eq!(
        after.text(".flash-error").as_deref(),
        Some("この方はキャンセル待ちです。キャンセル待ちの一覧から受付してください。")
    );
    assert_eq!(after.text("#checked-in").as_deref(), Some("0"));
    office.submit(&checkin, &format!("{checkin}/{}", ito.0), &[("waiting_list", "yes")]).await;
    let after = office.get(&checkin).await.html();
    assert_eq!(after.text("#checked-in").as_deref(), Some("1"));
    assert_eq!(after.count("ul[aria-labelledby=waiting-heading] .done"), 1);
}

/// Texts saved when `#` still made an h1 (renderer 1) are rendered again once at start, so
/// no page carries a second h1; a second start finds nothing to do.
async fn texts_stored_before_headings_moved_down_are_rendered_again(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let mut draft =
        crate::support::event_draft("居住支援の情報交換会", chrono::Utc::now() + chrono::TimeDelta::days(7));
    draft.description = "# 背景\n\n住まいの確保。".into();
    let event = server.insert_event(&draft, socialhub::event::Status::Published).await;
    let lab_draft = socialhub::lab::LabDraft {
        description: "# 目的\n\n見守り。".into(),
        ..crate::support::lab_draft("居住支援ラボ")
    };
    let lab = socialhub::lab::open(&server.db, tenant, &lab_draft).await.unwrap();
    server.create_account("lead@example.jp", "lead password", "主宰 花子", Role::Member).await;
    let (lead, _) =
        socialhub::account::store::find_by_email(&server.db, tenant, "lead@example.jp").await.unwrap().unwrap();
    let meeting = socialhub::lab::MeetingDraft {
        held_on: chrono::NaiveDate::from_ymd_opt(2024, 4, 18).unwrap(),
        minutes: "# 決まったこと\n\n窓口をつくる。".into(),
        with_probono: false,
        members: Vec::new(),
        guests: Vec::new(),
        others: 5,
    };
    socialhub::lab::meeting::add(&server.db, tenant, lab, &meeting, lead.id).await.unwrap();
    let issue = socialhub::social_issue::NewIssue {
        title: "空き家の見守り".into(),
        description: "# 困っていること\n\n空き家が増えた。".into(),
        place: String::new(),
        tags: Vec::new(),
        anonymous: false,
    };
    let issue = socialhub::social_issue::bring(&server.db, tenant, &issue, Some(lead.id)).await.unwrap();
    // As the first renderer stored them.
    server
        .db
        .write(async |tx| {
            socialhub::with_tx!(tx, |c| {
                for sql in [
                    "UPDATE event SET description_html = '<h1>背景</h1>'",
                    "UPDATE lab SET description_html = '<h1>目的</h1>'",
                    "UPDATE lab_meeting SET minutes_html = '<h1>決まったこと</h1>'",
                    "UPDATE social_issue SET description_html = '<h1>困っていること</h1>'",
                    "UPDATE markdown_renderer SET version = 1",
                ] {
                    sqlx::query(sql).execute(&mut *c).await?;
                }
            });
            Ok::<_, socialhub::db::StoreError>(())
        })
        .await
        .unwrap();
    let pages = [format!("/events/{}", event.0), format!("/labs/{}", lab.0), format!("/issues/{}", issue.0)];
    let b = server.browser();
    for page in &pages {
        assert_eq!(b.get(page).await.html().count("h1"), 2, "{page}: the old text's h1 beside the page's");
    }

    assert!(socialhub::markdown::render_stored_again(&server.db).await.unwrap());
    assert!(!socialhub::markdown::render_stored_again(&server.db).await.unwrap(), "once");
    for (page, heading) in pages.iter().zip(["背景", "目的", "困っていること"]) {
        let html = b.get(page).await.html();
        assert_eq!(html.count("h1"), 1, "{page}");
        assert!(html.texts("h2").iter().any(|h| h == heading), "{page}: {:?}", html.texts("h2"));
    }
    // The minutes, which the lab's members and the secretariat read.
    let lab_page = server.secretariat().await.get(&pages[1]).await.html();
    assert_eq!(lab_page.count(".minutes h1"), 0);
    assert_eq!(lab_page.count(".minutes h2"), 1, "{:?}", lab_page.texts(".minutes"));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'@' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
