//! Personal data (issue 20): consent to the privacy notice recorded with its version,
//! asked again when the notice changes, and in the person's export (JSON and CSV); a
//! guest's request answered by the secretariat (found by e-mail, disclosed, corrected,
//! deleted), each step in the access log, the annual report's numbers unchanged.

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::privacy::NOTICE_VERSION;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, event_draft};

on_both_backends!(
    consent_is_recorded_asked_again_when_the_notice_changes_and_exported,
    a_guests_request_is_answered_and_logged_and_the_report_keeps_its_numbers
);

/// The fiscal year (April–March) of today, in Japan.
fn this_fiscal_year() -> i32 {
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::TimeDelta::hours(9)).date_naive();
    if today.month() >= 4 { today.year() } else { today.year() - 1 }
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
    assert!(history.iter().any(|li| li.contains("改訂後の同意") && li.contains(NOTICE_VERSION)), "{history:?}");

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

    // A visitor is not asked, and cannot agree without an account.
    let visitor = server.browser();
    assert_eq!(visitor.get("/").await.html().count("#consent-again"), 0);
    let token = visitor.get("/privacy").await.html().csrf_token().unwrap();
    let refused = visitor.post_raw("/privacy/consent", &[("csrf_token", &token)]).await;
    assert!(refused.location().starts_with("/login"), "{}", refused.status);

    // A guest's registration records their consent with the person.
    let event = server.published_event("同意の記録会", 48, Some(10)).await;
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
    let past = server
        .insert_event(
            &event_draft("開示請求の前の会", chrono::Utc::now() - chrono::TimeDelta::hours(4)),
            socialhub::event::Status::Published,
        )
        .await;
    let checkin = format!("/admin/events/{}/checkin", past.0);
    let walked = office
        .submit(
            &checkin,
            &format!("/admin/events/{}/walkins", past.0),
            &[
                ("name", "請求 太郎"),
                ("furigana", "セイキュウ タロウ"),
                ("email", "asker@example.jp"),
                ("sector", "npo"),
                ("affiliation", "NPO法人請求"),
                ("mode", "venue"),
            ],
        )
        .await;
    assert_eq!(walked.status, StatusCode::SEE_OTHER, "{}", walked.body);
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
