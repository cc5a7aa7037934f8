//! The access log (issue 20): refused logins, downloads of personal data, profiles read
//! beyond what the public sees and company hearings read, recorded with who, what and
//! from where; read by the secretariat; unchangeable, even by SQL.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(
    refused_logins_and_downloads_of_personal_data_are_logged_for_good,
    reading_a_profile_beyond_the_public_and_a_hearing_is_logged
);

async fn refused_logins_and_downloads_of_personal_data_are_logged_for_good(backend: Backend) {
    let Some(server) = TestServer::start_with(backend, |c| c.trust_proxy = Some(true)).await else { return };
    server.create_account("kept@example.jp", "kept password", "記録 残子", Role::Member).await;
    let event = server.published_event("個人情報と地域活動", 48, Some(20)).await;
    let office = server.secretariat().await;
    let guesser = server.browser();
    let token = guesser.get("/login").await.html().csrf_token().unwrap();

    // A wrong password, then tries until the limit: each refused login is a line.
    let limit = socialhub::rate_limit::LOGIN_FAILED_PAIR.max;
    for _ in 0..=limit {
        guesser
            .post_raw_from(
                "198.51.100.77",
                "/login",
                &[("csrf_token", &token), ("email", "kept@example.jp"), ("password", "not it")],
            )
            .await;
    }
    // The secretariat downloads a roster; a member downloads their own data.
    let roster = office.get(&format!("/admin/events/{}/roster.csv", event.0)).await;
    assert_eq!(roster.status, StatusCode::OK);
    let member = server.browser();
    member.log_in("kept@example.jp", "kept password").await;
    assert_eq!(member.get("/account/export").await.status, StatusCode::OK);

    let page = office.get("/admin/access-log").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = page.html();
    let failed = html.texts("tr.access-login-failed td");
    assert_eq!(failed.len(), 5 * limit as usize, "{failed:?}");
    assert_eq!(&failed[1..5], ["—", "ログイン失敗", "kept@example.jp", "198.51.100.77"]);
    let locked = html.texts("tr.access-login-locked td");
    assert_eq!(&locked[1..5], ["—", "ログイン制限（試行が多すぎる）", "kept@example.jp", "198.51.100.77"]);
    let rosters = html.texts("tr.access-roster-downloaded td");
    assert_eq!(rosters[1], "事務局 担当");
    assert!(rosters[3].starts_with("個人情報と地域活動"), "{rosters:?}");
    let exports = html.texts("tr.access-export-downloaded td");
    assert_eq!(&exports[1..4], ["記録 残子", "本人データのダウンロード", "kept@example.jp"]);
    // One kind at a time.
    let only = office.get("/admin/access-log?action=roster-downloaded").await.html();
    assert_eq!(only.texts("tbody tr").len(), 1);
    // A member may not read it.
    assert_eq!(member.get("/admin/access-log").await.status, StatusCode::FORBIDDEN);

    // Nobody changes or deletes a line, not even with SQL.
    for sql in ["UPDATE access_log SET address = 'nowhere'", "DELETE FROM access_log"] {
        let tried = server
            .db
            .write(async |tx| {
                Ok::<_, socialhub::db::StoreError>(socialhub::with_tx!(tx, |c| {
                    sqlx::query(sql).execute(&mut *c).await.map(|r| r.rows_affected())
                }))
            })
            .await
            .unwrap();
        let err = tried.expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let again = office.get("/admin/access-log").await.html();
    assert_eq!(again.texts("tbody tr").len(), html.texts("tbody tr").len());
}

async fn reading_a_profile_beyond_the_public_and_a_hearing_is_logged(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("shown@example.jp", "shown password", "公開 範囲", Role::Member).await;
    server.create_account("reader@example.jp", "reader password", "閲覧 者", Role::Member).await;
    server.create_account("coord@example.jp", "coord password", "つなぐ 人", Role::Coordinator).await;
    let shown = server.browser();
    shown.log_in("shown@example.jp", "shown password").await;
    // The name and skills for everyone, what they look for for members only.
    let fields = [
        ("skills", "会計"),
        ("seeking", "子ども食堂の仲間"),
        ("name_shown", "public"),
        ("sector_shown", "public"),
        ("interests_shown", "public"),
        ("skills_shown", "public"),
        ("seeking_shown", "members"),
        ("activity_shown", "nobody"),
    ];
    let saved = shown.submit("/account/directory", "/account/directory", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let tenant = server.tenant().await;
    let id =
        socialhub::account::store::find_by_email(&server.db, tenant, "shown@example.jp").await.unwrap().unwrap().0.id.0;
    let profile = format!("/people/{id}");

    // A visitor, and the person themselves, read what is theirs to read: no line.
    assert_eq!(server.browser().get(&profile).await.status, StatusCode::OK);
    assert_eq!(shown.get(&profile).await.status, StatusCode::OK);
    // A member reads more than the public may: a line, by them.
    let reader = server.browser();
    reader.log_in("reader@example.jp", "reader password").await;
    let read = reader.get(&profile).await;
    assert!(read.body.contains("子ども食堂の仲間"), "{}", read.body);

    // A coordinator records a hearing and reads it again.
    let coordinator = server.browser();
    coordinator.log_in("coord@example.jp", "coord password").await;
    let recorded = coordinator
        .submit(
            "/hearings/new",
            "/hearings",
            &[("company", "株式会社記録"), ("held_on", "2026-06-01"), ("method", "visit")],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    assert_eq!(coordinator.get(recorded.location()).await.status, StatusCode::OK);

    let office = server.secretariat().await;
    let log = office.get("/admin/access-log").await.html();
    let profiles = log.texts("tr.access-profile-viewed td");
    assert_eq!(profiles.len(), 5, "one line: {profiles:?}");
    assert_eq!(&profiles[1..4], ["閲覧 者", "名簿（人材データベース）の閲覧", &format!("公開 範囲 (#{id})")]);
    let hearings = log.texts("tr.access-hearing-viewed td");
    assert_eq!(&hearings[1..4], ["つなぐ 人", "企業ヒアリング記録の閲覧", "株式会社記録 (2026-06-01)"]);
}
