//! Personal data (issue 20): consent to the privacy notice recorded with its version,
//! asked again when the notice changes, and in the person's export (JSON and CSV); a
//! guest's request answered by the secretariat (found by e-mail, disclosed, corrected,
//! deleted), each step in the access log, the annual report's numbers unchanged.

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::privacy::NOTICE_VERSION;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, event_draft, jst_day};

on_both_backends!(
    consent_is_recorded_asked_again_when_the_notice_changes_and_exported,
    a_guests_request_is_answered_and_logged_and_the_report_keeps_its_numbers,
    what_outlives_its_retention_is_purged_and_the_report_keeps_its_numbers,
    a_deleted_account_leaves_every_list_and_export_and_the_report_keeps_its_numbers,
    every_form_that_asks_for_personal_data_says_what_it_is_for
);

/// The fiscal year (April–March) of today, in Japan.
fn this_fiscal_year() -> i32 {
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::TimeDelta::hours(9)).date_naive();
    if today.month() >= 4 { today.year() } else { today.year() - 1 }
}

/// A session that took place three hours ago, with people checked in at the door by the
/// secretariat (each a walk-in form's fields).
async fn held_with_walk_ins(
    server: &TestServer,
    office: &crate::support::Browser,
    title: &str,
    walk_ins: &[&[(&str, &str)]],
) -> socialhub::event::EventId {
    let draft = event_draft(title, chrono::Utc::now() - chrono::TimeDelta::hours(3));
    let held = server.insert_event(&draft, socialhub::event::Status::Published).await;
    let checkin = format!("/admin/events/{}/checkin", held.0);
    let walkins = format!("/admin/events/{}/walkins", held.0);
    for fields in walk_ins {
        let walked = office.submit(&checkin, &walkins, fields).await;
        assert_eq!(walked.status, StatusCode::SEE_OTHER, "{}", walked.body);
    }
    held
}

async fn consent_is_recorded_asked_again_when_the_notice_changes_and_exported(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };

    // Signing up records consent to this version: no question afterwards.
    let member = server.browser();
    member.sign_up_and_log_in(&server, "agreed@example.jp", "agreed password", "同意 一郎").await;
    let home = member.get("/").await;
    assert_eq!(home.html().count("#consent-again"), 0, "{}", home.body);
    let privacy = member.get("/privacy").await;
    assert!(privacy.body.contains("版に同意いただいています"), "{}", privacy.body);

    // The export holds it, as JSON and as CSV for Excel.
    let export: serde_json::Value = serde_json::from_str(&member.get("/account/export").await.body).unwrap();
    assert_eq!(export["account"]["consented_notice"], NOTICE_VERSION);
    assert_eq!(export["privacy_consents"][0]["notice_version"], NOTICE_VERSION);
    assert_eq!(export["privacy_consents"][0]["form"], "sign_up");
    let csv = member.get_bytes("/account/export.csv").await;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(csv.starts_with("区分,番号,項目,値\r\n"), "{csv}");
    assert!(csv.contains(&format!("privacy_consents,1,notice_version,{NOTICE_VERSION}\r\n")), "{csv}");
    assert!(csv.contains("account,,display_name,同意 一郎\r\n"), "{csv}");

    // An account that never agreed (made by the secretariat) is asked on every page until
    // it does; agreeing once is enough.
    server.create_account("made@example.jp", "made password", "作成 二郎", Role::Member).await;
    let made = server.browser();
    made.log_in("made@example.jp", "made password").await;
    for path in ["/", "/events", "/account"] {
        let page = made.get(path).await;
        assert_eq!(page.html().count("#consent-again"), 1, "{path}: {}", page.body);
    }
    let agreed = made.submit("/privacy", "/privacy/consent", &[]).await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    assert_eq!(made.get("/").await.html().count("#consent-again"), 0);
    let history = made.get("/privacy").await.html().texts("#main li");
    let version = socialhub::privacy::notice_date();
    let label = format!("{}版", socialhub::i18n::wareki::format_date(socialhub::i18n::Lang::Ja, version));
    assert!(history.iter().any(|li| li.contains("改訂後の同意") && li.contains(&label)), "{history:?}");
    // The secretariat finds the guests' page from its own.
    let office = server.secretariat().await;
    assert!(office.get("/admin/events").await.html().attr("a[href='/admin/people']", "href").is_some());

    // A changed notice asks again: someone who agreed to an older version.
    server.create_account("old@example.jp", "old password", "古い 三郎", Role::Member).await;
    let tenant = server.tenant().await;
    let old = socialhub::account::store::find_by_email(&server.db, tenant, "old@example.jp").await.unwrap().unwrap().0;
    // (Written as the notice of an older release would have been agreed to.)
    server
        .db
        .write(async |tx| {
            socialhub::with_tx!(tx, |c| {
                sqlx::query(
                    "INSERT INTO privacy_consent (tenant_id, account_id, notice_version, form, given_at) \
                     VALUES ($1, $2, '2020-04-01', 'sign_up', $3)",
                )
                .bind(tenant)
                .bind(old.id)
                .bind(socialhub::db::now())
                .execute(&mut *c)
                .await?
                .rows_affected()
            });
            Ok::<_, socialhub::db::StoreError>(())
        })
        .await
        .unwrap();
    let reader = server.browser();
    reader.log_in("old@example.jp", "old password").await;
    assert_eq!(reader.get("/").await.html().count("#consent-again"), 1);
    let notice = reader.get("/privacy").await;
    assert!(notice.body.contains("あらためて同意してください"), "{}", notice.body);
    reader.submit("/privacy", "/privacy/consent", &[]).await;
    assert_eq!(reader.get("/").await.html().count("#consent-again"), 0);

    // Every form that asks for personal data says what it is for.
    let event = server.published_event("目的の書かれた会", 48, Some(10)).await;
    for (browser, path) in [
        (&server.browser(), "/signup".to_owned()),
        (&server.browser(), format!("/events/{}", event.0)),
        (&made, "/account".to_owned()),
    ] {
        let purpose = browser.get(&path).await.html().text("form p.purpose");
        assert!(
            purpose.as_deref().is_some_and(|p| p.starts_with("利用目的：") && p.contains("集計")),
            "{path}: {purpose:?}"
        );
    }

    // A visitor is not asked, and cannot agree without an account.
    let visitor = server.browser();
    assert_eq!(visitor.get("/").await.html().count("#consent-again"), 0);
    let token = visitor.get("/privacy").await.html().csrf_token().unwrap();
    let refused = visitor.post_raw("/privacy/consent", &[("csrf_token", &token)]).await;
    assert!(refused.location().starts_with("/login"), "{}", refused.status);

    // A guest's registration records their consent with the person.
    let path = format!("/events/{}", event.0);
    let guest = server.browser();
    let fields = [
        ("mode", "venue"),
        ("name", "申込 花子"),
        ("furigana", "モウシコミ ハナコ"),
        ("email", "guest@example.jp"),
        ("sector", "citizen"),
        ("consent", "yes"),
    ];
    let done = guest.submit(&path, &format!("{path}/registrations"), &fields).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let recorded: Vec<(String, String)> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_as(
            "SELECT c.notice_version, c.form FROM privacy_consent c JOIN person p ON p.id = c.person_id \
             WHERE p.email = 'guest@example.jp'",
        )
        .fetch_all(p)
        .await
        .unwrap()
    });
    assert_eq!(recorded, [(NOTICE_VERSION.to_owned(), "registration".to_owned())]);
}

async fn a_guests_request_is_answered_and_logged_and_the_report_keeps_its_numbers(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;

    // A guest came to a session that took place (a walk-in who gave an address), and
    // holds the one seat of an upcoming one, with another guest waiting.
    let asker: &[(&str, &str)] = &[
        ("name", "請求 太郎"),
        ("furigana", "セイキュウ タロウ"),
        ("email", "asker@example.jp"),
        ("sector", "npo"),
        ("affiliation", "NPO法人請求"),
        ("mode", "venue"),
    ];
    let past = held_with_walk_ins(&server, &office, "開示請求の前の会", &[asker]).await;
    let checkin = format!("/admin/events/{}/checkin", past.0);
    let upcoming = server.published_event("開示請求の後の会", 48, Some(1)).await;
    let path = format!("/events/{}", upcoming.0);
    for (name, email) in [("請求 太郎", "asker@example.jp"), ("待機 次子", "waiting@example.jp")] {
        let fields = [
            ("mode", "venue"),
            ("name", name),
            ("furigana", "カナ"),
            ("email", email),
            ("sector", "npo"),
            ("consent", "yes"),
        ];
        let done = server.browser().submit(&path, &format!("{path}/registrations"), &fields).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    server.create_account("self@example.jp", "self password", "自分 で", Role::Member).await;
    let fy = this_fiscal_year();
    let report_url = format!("/admin/reports/annual.json?fiscal_year={fy}");
    let before: serde_json::Value = serde_json::from_str(&office.get(&report_url).await.body).unwrap();

    // Found by the address as the person gives it (full width too).
    let form = office.get("/admin/people").await;
    assert_eq!(form.status, StatusCode::OK);
    let found = office.submit("/admin/people", "/admin/people", &[("email", "ＡＳＫＥＲ@example.jp")]).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let html = found.html();
    let held = html.texts("dl.facts dd");
    assert_eq!(&held[..5], ["請求 太郎", "セイキュウ タロウ", "asker@example.jp", "NPO", "NPO法人請求"], "{held:?}");
    let json = html.attr("a[href$='/export.json']", "href").expect("the disclosure's link");
    let guest_page = json.trim_end_matches("/export.json").to_owned();
    // Nobody found: said so; an account's address: sent to the account's own page.
    let none = office.submit("/admin/people", "/admin/people", &[("email", "nobody@example.jp")]).await;
    assert!(none.body.contains("見つかりませんでした"), "{}", none.body);
    let account = office.submit("/admin/people", "/admin/people", &[("email", "self@example.jp")]).await;
    assert!(account.body.contains("アカウントのものです"), "{}", account.body);
    let typo = office.submit("/admin/people", "/admin/people", &[("email", "not an address")]).await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(typo.html().attr("#email", "value").as_deref(), Some("not an address"));

    // Disclosed: everything held, as JSON and CSV.
    let data: serde_json::Value = serde_json::from_str(&office.get(&json).await.body).unwrap();
    assert_eq!(data["person"]["name"], "請求 太郎");
    assert_eq!(data["sessions"]["attendances"][0]["event"], "開示請求の前の会");
    assert_eq!(data["sessions"]["registrations"][0]["event"], "開示請求の後の会");
    assert_eq!(data["privacy_consents"][0]["form"], "registration");
    let csv = office.get_bytes(&format!("{guest_page}/export.csv")).await;
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(csv.contains("person,,name,請求 太郎\r\n"), "{csv}");

    // Corrected: a wrong input comes back as typed, with the reason.
    let taken = office
        .submit(
            &guest_page,
            &format!("{guest_page}/correct"),
            &[("name", "請求 太朗"), ("email", "waiting@example.jp"), ("sector", "npo"), ("furigana", "")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert_eq!(taken.html().attr("#name", "value").as_deref(), Some("請求 太朗"));
    assert!(taken.body.contains("ほかの方の情報に使われています"));
    let corrected = office
        .submit(
            &guest_page,
            &format!("{guest_page}/correct"),
            &[
                ("name", "請求 太朗"),
                ("furigana", "せいきゅう たろう"),
                ("email", "asker@example.jp"),
                ("sector", "npo"),
                ("affiliation", "NPO法人請求"),
            ],
        )
        .await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER, "{}", corrected.body);
    let held = office.get(&guest_page).await.html().texts("dl.facts dd");
    assert_eq!(&held[..2], ["請求 太朗", "セイキュウ タロウ"]);

    // Deleted: only with the box ticked; then found nowhere, the waiting guest moves up.
    let unticked = office.submit(&guest_page, &format!("{guest_page}/delete"), &[]).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let deleted = office.submit(&guest_page, &format!("{guest_page}/delete"), &[("confirm", "yes")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert_eq!(office.get(&guest_page).await.status, StatusCode::NOT_FOUND);
    let gone = office.submit("/admin/people", "/admin/people", &[("email", "asker@example.jp")]).await;
    assert!(gone.body.contains("見つかりませんでした"), "{}", gone.body);
    for page in [checkin.clone(), format!("/admin/events/{}/checkin", upcoming.0)] {
        let body = office.get(&page).await.body;
        // The bodies present are counted (「NPO法人請求 — 1名」, as the report counts them);
        // no line of the list names the guest or what they gave.
        let body = match (body.find("<ul id=\"bodies\">"), body.find("</ul>")) {
            (Some(start), Some(_)) => {
                let end = start + body[start..].find("</ul>").unwrap();
                format!("{}{}", &body[..start], &body[end..])
            }
            _ => body,
        };
        for named in ["請求 太", "セイキュウ", "NPO法人請求", "asker@"] {
            assert!(!body.contains(named), "{page} still shows {named}: {body}");
        }
    }
    let roster = String::from_utf8(office.get_bytes(&format!("/admin/events/{}/roster.csv", past.0)).await).unwrap();
    for named in ["請求 太", "セイキュウ", "NPO法人請求", "asker@"] {
        assert!(!roster.contains(named), "the roster still shows {named}: {roster}");
    }
    let moved_up = server.wait_for_mail("waiting@example.jp").await;
    assert!(moved_up.body.contains("開示請求の後の会"), "{}", moved_up.body);
    // The report counts the same: the attendance stays, with its sector and no name.
    let after: serde_json::Value = serde_json::from_str(&office.get(&report_url).await.body).unwrap();
    assert_eq!(after, before);

    // Every step is in the access log, by the secretariat.
    let log = office.get("/admin/access-log").await.html();
    for (class, label) in [
        ("guest-looked-up", "申込者情報の閲覧（本人の請求）"),
        ("guest-disclosed", "申込者情報の開示"),
        ("guest-corrected", "申込者情報の訂正"),
        ("guest-deleted", "申込者情報の削除"),
    ] {
        let cells = log.texts(&format!("tr.access-{class} td"));
        assert!(cells.len() >= 5, "{class}: {cells:?}");
        assert_eq!(&cells[1..4], ["事務局 担当", label, "asker@example.jp"], "{class}");
    }
    // Only the secretariat.
    let member = server.browser();
    member.sign_up_and_log_in(&server, "curious@example.jp", "curious password", "好奇 心").await;
    assert_eq!(member.get("/admin/people").await.status, StatusCode::FORBIDDEN);
}

async fn what_outlives_its_retention_is_purged_and_the_report_keeps_its_numbers(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let office = server.secretariat().await;
    server.create_account("member@example.jp", "member password", "会員 四郎", Role::Member).await;

    // A session held today: a guest who registered, a walk-in who gave only a name, and a
    // member. A session in a year and a month: another guest.
    held_with_walk_ins(
        &server,
        &office,
        "保存期間の前の会",
        &[
            &[("name", "過去 花子"), ("email", "past@example.jp"), ("sector", "citizen"), ("mode", "venue")],
            &[("name", "名前 だけ"), ("email", ""), ("sector", "company"), ("mode", "venue")],
        ],
    )
    .await;
    let later = server
        .insert_event(
            &event_draft("一年後の会", chrono::Utc::now() + chrono::TimeDelta::days(400)),
            socialhub::event::Status::Published,
        )
        .await;
    let path = format!("/events/{}", later.0);
    let fields = [
        ("mode", "venue"),
        ("name", "未来 次郎"),
        ("furigana", "ミライ"),
        ("email", "future@example.jp"),
        ("sector", "npo"),
        ("consent", "yes"),
    ];
    let done = server.browser().submit(&path, &format!("{path}/registrations"), &fields).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    // A consultation whose comment left an address, closed with no result.
    let lead = server.browser();
    let lab = office.submit("/labs/new", "/labs", &[("title", "保存期間ラボ"), ("founded_on", "2023-10-01")]).await;
    let lab = lab.location().rsplit('/').next().unwrap().to_owned();
    let members = format!("/labs/{lab}/members");
    server.create_account("lead@example.jp", "lead password", "主宰 五郎", Role::Member).await;
    office.submit(&members, &members, &[("email", "lead@example.jp"), ("role", "lead")]).await;
    lead.log_in("lead@example.jp", "lead password").await;
    lead.submit(
        &format!("/labs/{lab}/roadmap/new"),
        &format!("/labs/{lab}/roadmap"),
        &[("body", "## 目標\n\n住まいの相談を増やす。")],
    )
    .await;
    let opened = lead
        .submit(
            &format!("/labs/{lab}/consultations/new"),
            &format!("/labs/{lab}/consultations"),
            &[("version", "1"), ("opens_on", &jst_day(-1)), ("closes_on", &jst_day(7))],
        )
        .await;
    let consultation = opened.location().rsplit('/').next().unwrap().to_owned();
    let received = format!("/consultations/{consultation}/received");
    let entered = lead
        .submit(
            &format!("/consultations/{consultation}/workbench"),
            &received,
            &[
                ("paragraph", "1"),
                ("received-body", "相談窓口を増やしてください。"),
                ("channel", "paper"),
                ("received-contact", "paper@example.jp"),
            ],
        )
        .await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);

    // An access log line from long ago (written as an older release would have).
    let long_ago = chrono::Utc::now() - chrono::TimeDelta::days(4 * 365);
    server
        .db
        .write(async |tx| {
            socialhub::with_tx!(tx, |c| {
                sqlx::query("INSERT INTO access_log (tenant_id, at, action, subject) VALUES ($1, $2, 'export-downloaded', 'old@example.jp')")
                    .bind(tenant)
                    .bind(long_ago)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
            Ok::<_, socialhub::db::StoreError>(())
        })
        .await
        .unwrap();

    let fy = this_fiscal_year();
    let report_url = format!("/admin/reports/annual.json?fiscal_year={fy}");
    let before: serde_json::Value = serde_json::from_str(&office.get(&report_url).await.body).unwrap();
    let retention = socialhub::privacy::Retention::default();

    // Today nothing has outlived its period but the old log line.
    let now = socialhub::db::now();
    let today = socialhub::privacy::retention::purge(&server.db, tenant, retention, now).await.unwrap();
    assert_eq!((today.guests, today.contacts, today.access_log), (0, 0, 1));

    // A year and ten days on: the guest and the walk-in of the session held are erased,
    // the guest of the session to come is kept, the member untouched; the comment's
    // address is forgotten (its consultation closed over a year before), its text kept.
    let on = now + chrono::TimeDelta::days(375);
    let purged = socialhub::privacy::retention::purge(&server.db, tenant, retention, on).await.unwrap();
    assert_eq!((purged.guests, purged.contacts, purged.access_log), (2, 1, 0));
    let people: Vec<(String, Option<String>, bool)> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_as("SELECT name, email, erased_at IS NOT NULL FROM person ORDER BY id").fetch_all(p).await.unwrap()
    });
    assert!(people.contains(&("未来 次郎".to_owned(), Some("future@example.jp".to_owned()), false)), "{people:?}");
    // (The walk-in known only by a name is emptied, not marked erased: never told apart.)
    assert_eq!(people.iter().filter(|(_, _, erased)| *erased).count(), 1, "{people:?}");
    assert!(
        !people
            .iter()
            .any(|(n, e, _)| n.contains("過去") || n.contains("名前") || e.as_deref() == Some("past@example.jp"))
    );
    let contacts: Vec<(String, String)> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_as("SELECT body, contact_email FROM consultation_comment").fetch_all(p).await.unwrap()
    });
    assert_eq!(contacts, [("相談窓口を増やしてください。".to_owned(), String::new())]);

    // The report counts the same; the purges are in the access log.
    let after: serde_json::Value = serde_json::from_str(&office.get(&report_url).await.body).unwrap();
    assert_eq!(after, before);
    let log = office.get("/admin/access-log?action=retention-purged").await.html();
    let lines = log.texts("tr.access-retention-purged td:nth-child(4)");
    assert_eq!(lines, ["guests=2 contacts=1 access_log=0", "guests=0 contacts=0 access_log=1"]);
    // Nothing left to purge: nothing logged.
    let again = socialhub::privacy::retention::purge(&server.db, tenant, retention, on).await.unwrap();
    assert!(again.is_empty());

    // The privacy notice says how long.
    let notice = server.browser().get("/privacy").await.html();
    let said = notice.text("#retention").unwrap();
    assert!(said.contains("最後のセッションから365日") && said.contains("90日") && said.contains("1095日"), "{said}");
}

/// (Their directory profile and its search document go too: `tests/it/directory.rs`.)
async fn a_deleted_account_leaves_every_list_and_export_and_the_report_keeps_its_numbers(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    server.create_account("leaving@example.jp", "leaving password", "退会 三郎", Role::Member).await;
    server.create_account("staying@example.jp", "staying password", "残留 四郎", Role::Member).await;
    let walk_in = |name, email| {
        [("name", name), ("email", email), ("sector", "university"), ("affiliation", "東北大学"), ("mode", "venue")]
    };
    let (leaving, staying) = (walk_in("退会 三郎", "leaving@example.jp"), walk_in("残留 四郎", "staying@example.jp"));
    let held = held_with_walk_ins(&server, &office, "年の瀬の会", &[&leaving, &staying]).await;
    let checkin = format!("/admin/events/{}/checkin", held.0);
    // The leaving member is in a lab and wrote on the board: two programs last year.
    let lab = server.open_lab("退会前のラボ").await;
    let members = format!("/labs/{}/members", lab.0);
    let added = office.submit(&members, &members, &[("email", "leaving@example.jp"), ("role", "member")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let leaving = server.browser();
    leaving.log_in("leaving@example.jp", "leaving password").await;
    let board = [("title", "退会前の投稿"), ("body", "本文"), ("category", "grant"), ("audience", "public")];
    let posted = leaving.submit("/board/new", "/board", &board).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    // All of it last year: the accounts made, the session held in June, the lab joined,
    // the post written.
    let last_year = this_fiscal_year() - 1;
    let june = chrono::NaiveDate::from_ymd_opt(last_year, 6, 1).unwrap().and_hms_opt(5, 0, 0).unwrap().and_utc();
    server
        .db
        .write(async |tx| {
            socialhub::with_tx!(tx, |c| {
                sqlx::query(
                    "UPDATE account SET created_at = $1 WHERE email IN ('leaving@example.jp', 'staying@example.jp')",
                )
                .bind(june - chrono::TimeDelta::days(30))
                .execute(&mut *c)
                .await?;
                sqlx::query("UPDATE lab_member SET created_at = $1").bind(june).execute(&mut *c).await?;
                sqlx::query("UPDATE board_post SET created_at = $1").bind(june).execute(&mut *c).await?;
                sqlx::query("UPDATE event SET starts_at = $1, ends_at = $2 WHERE id = $3")
                    .bind(june)
                    .bind(june + chrono::TimeDelta::minutes(90))
                    .bind(held.0)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
            Ok::<_, socialhub::db::StoreError>(())
        })
        .await
        .unwrap();
    let report_url = format!("/admin/reports/annual.json?fiscal_year={last_year}");
    let before: serde_json::Value = serde_json::from_str(&office.get(&report_url).await.body).unwrap();
    assert_eq!(before["totals"]["unique_people"], 2, "{before}");
    assert_eq!(before["network"]["members"], 2, "{before}");
    assert_eq!(before["network"]["in_several_programs"], 1, "{before}");
    let this_year_url = format!("/admin/reports/annual.json?fiscal_year={}", this_fiscal_year());
    let this_year: serde_json::Value = serde_json::from_str(&office.get(&this_year_url).await.body).unwrap();

    let deleted = leaving.submit("/account/delete", "/account/delete", &[("password", "leaving password")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);

    let roster = String::from_utf8(office.get_bytes(&format!("/admin/events/{}/roster.csv", held.0)).await).unwrap();
    let list = office.get(&checkin).await.body;
    let accounts = office.get("/admin/accounts").await.body;
    for (what, text) in [("roster", &roster), ("check-in list", &list), ("accounts", &accounts)] {
        for named in ["退会", "leaving@", "タイカイ"] {
            assert!(!text.contains(named), "the {what} still shows {named}: {text}");
        }
    }
    assert!(roster.contains("残留 四郎"), "{roster}");
    // Last year's report is as it was; this year, still under way, has one member fewer
    // at its end (会員数（年度末）).
    let after: serde_json::Value = serde_json::from_str(&office.get(&report_url).await.body).unwrap();
    assert_eq!(after, before);
    let now: serde_json::Value = serde_json::from_str(&office.get(&this_year_url).await.body).unwrap();
    assert_eq!(now["network"]["members"].as_i64().unwrap(), this_year["network"]["members"].as_i64().unwrap() - 1);
    // Nor is it counted twice when a member in two programs leaves in the year itself.
    let both = server.browser();
    both.sign_up_and_log_in(&server, "both@example.jp", "both password", "両方 六郎").await;
    let added = office.submit(&members, &members, &[("email", "both@example.jp"), ("role", "member")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let posted = both.submit("/board/new", "/board", &board).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let this_year: serde_json::Value = serde_json::from_str(&office.get(&this_year_url).await.body).unwrap();
    let several = this_year["network"]["in_several_programs"].as_i64().unwrap();
    assert!(several >= 1, "{this_year}");
    let deleted = both.submit("/account/delete", "/account/delete", &[("password", "both password")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    let now: serde_json::Value = serde_json::from_str(&office.get(&this_year_url).await.body).unwrap();
    assert_eq!(now["network"]["in_several_programs"].as_i64().unwrap(), several, "{now}");
    assert_eq!(now["network"]["posts"], this_year["network"]["posts"], "{now}");
}

/// The forms beyond sign-up, registration and the profile (tested with consent above):
/// those where staff add someone or keep records about people, and those where a member
/// publishes something under their name.
async fn every_form_that_asks_for_personal_data_says_what_it_is_for(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let member = server.browser();
    member.sign_up_and_log_in(&server, "purpose@example.jp", "purpose password", "目的 五郎").await;
    let lab = server.open_lab("目的を書くラボ").await;
    let project = member.submit("/projects/new", "/projects", &[("title", "目的を書く企画")]).await;
    assert_eq!(project.status, StatusCode::SEE_OTHER, "{}", project.body);
    let organisation =
        member.submit("/organisations/new", "/organisations", &[("name", "目的を書く会"), ("kind", "npo")]).await;
    assert_eq!(organisation.status, StatusCode::SEE_OTHER, "{}", organisation.body);
    let visitor = server.browser();
    for (browser, path, says) in [
        (&office, format!("/labs/{}/members", lab.0), "アカウントを探して"),
        (&office, format!("/labs/{}/meetings/new", lab.0), "議事録"),
        (&member, project.location().to_owned(), "アカウントを探して"),
        (&member, "/organisations/new".to_owned(), "管理者として記録"),
        (&member, organisation.location().to_owned(), "所属の申し出"),
        (&office, "/hearings/new".to_owned(), "アクセス記録"),
        (&office, "/visits/new".to_owned(), "視察の記録"),
        (&office, "/trainings/new".to_owned(), "研修の記録"),
        (&member, "/account/directory".to_owned(), "取り下げ"),
        (&member, "/needs/new".to_owned(), "紹介"),
        (&member, "/offers/new".to_owned(), "紹介"),
        (&member, "/issues/new".to_owned(), "名前を出さずに"),
        (&member, "/board/new".to_owned(), "表示名"),
        (&visitor, "/password/forgot".to_owned(), "リンクを送る"),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let purpose = page.html().text("form p.purpose");
        assert!(
            purpose.as_deref().is_some_and(|p| p.starts_with("利用目的：") && p.contains(says)),
            "{path}: {purpose:?}"
        );
    }
}
