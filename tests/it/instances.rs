//! Several `serve` instances on one database share login sessions, CSRF secrets and rate
//! limits, and each shows the event page as it is now, so a center can add instances
//! behind a load balancer.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(instances_share_sessions_and_limits);

async fn instances_share_sessions_and_limits(backend: Backend) {
    let Some(first) = TestServer::start(backend).await else { return };
    let second = first.another_instance().await;
    first.create_account("shared@example.jp", "shared password", "共有 太郎", Role::Member).await;

    let on_first = first.browser();
    on_first.log_in("shared@example.jp", "shared password").await;
    // Same cookies, other instance: still logged in, and its forms accept the token.
    let on_second = on_first.at(format!("http://{}", second.addr));
    let account = on_second.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("共有 太郎"));
    let token = on_first.get("/account").await.html().csrf_token().unwrap();
    let saved = on_second
        .post_raw(
            "/account",
            &[
                ("csrf_token", &token),
                ("display_name", "共有 次郎"),
                ("furigana", "キョウユウ ジロウ"),
                ("sector", "npo"),
                ("affiliation", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(on_first.get("/account").await.body.contains("共有 次郎"));

    // Failed logins from one address count on both instances together.
    let attacker = first.browser();
    let attacker_second = attacker.at(format!("http://{}", second.addr));
    let limit = socialhub::rate_limit::LOGIN_FAILED_PAIR.max;
    for i in 0..limit {
        let b = if i % 2 == 0 { &attacker } else { &attacker_second };
        let p = b.submit("/login", "/login", &[("email", "shared@example.jp"), ("password", "wrong guess")]).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let blocked =
        attacker_second.submit("/login", "/login", &[("email", "shared@example.jp"), ("password", "wrong")]).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);

    // Logging out on one instance ends the session on the other.
    on_second.submit("/account", "/logout", &[]).await;
    assert_eq!(on_first.get("/account").await.status, StatusCode::SEE_OTHER);
}

on_both_backends!(the_event_page_is_current_on_every_instance_after_any_write);

/// The page as `b` sees it once it contains `expected`, within a few seconds (a change on
/// PostgreSQL reaches the other instances as a notification, after its commit).
async fn eventually_contains(b: &Browser, path: &str, expected: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let page = b.get(path).await;
        if page.body.contains(expected) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{path} never showed {expected:?}: {}", page.body);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// On PostgreSQL an instance keeps the event pages it has read until PostgreSQL announces
/// a change to what they read (`db::changes`): a registration through another instance, a
/// change made outside the platform, and changes made while the connection listening for
/// announcements was broken all show. On SQLite every view reads the file.
async fn the_event_page_is_current_on_every_instance_after_any_write(backend: Backend) {
    let Some(first) = TestServer::start(backend).await else { return };
    let second = first.another_instance().await;
    let event = first.published_event("空き家の見守り勉強会", 48, Some(2)).await;
    let path = format!("/events/{}", event.0);
    let on_second = second.browser();
    assert!(on_second.get(&path).await.body.contains("残り 2席"));

    let guest = [
        ("mode", "venue"),
        ("name", "佐藤 美咲"),
        ("email", "misaki@example.jp"),
        ("furigana", "サトウ ミサキ"),
        ("sector", "citizen"),
        ("affiliation", ""),
        ("consent", "yes"),
    ];
    let done = first.browser().submit(&path, &format!("{path}/registrations"), &guest).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    eventually_contains(&on_second, &path, "残り 1席").await;

    // A change made by another process on the same database (the command line).
    let outside = socialhub::db::Db::connect(&first.database_url).await.unwrap();
    outside
        .write(async |tx| {
            socialhub::with_tx!(tx, |c| {
                sqlx::query("UPDATE event SET title = '空き家の見守り勉強会（第2回）' WHERE id = $1")
                    .bind(event.0)
                    .execute(&mut *c)
                    .await
                    .map(|done| done.rows_affected())
            })
            .map_err(socialhub::db::StoreError::from)
        })
        .await
        .unwrap();
    eventually_contains(&on_second, &path, "空き家の見守り勉強会（第2回）").await;
    let socialhub::db::Db::Postgres(pg) = &outside else { return };

    // The page is kept, not read again: a change that fires no trigger (replication
    // mode) is not shown…
    let mut conn = pg.pool.acquire().await.unwrap();
    sqlx::query("SET session_replication_role = replica").execute(&mut *conn).await.unwrap();
    let silent = "UPDATE event SET title = $1 WHERE id = $2";
    sqlx::query(silent).bind("知らされない変更").bind(event.0).execute(&mut *conn).await.unwrap();
    for _ in 0..3 {
        assert!(on_second.get(&path).await.body.contains("（第2回）"), "the kept page is shown");
    }
    // …until a change is announced.
    sqlx::query("SELECT pg_notify('socialhub_change', '')").execute(&mut *conn).await.unwrap();
    eventually_contains(&on_second, &path, "知らされない変更").await;

    // The connections listening are cut; what changes meanwhile, unannounced, shows once
    // they listen again (not only when a kept page gets old).
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(cut, [true, true], "both instances listen");
    sqlx::query(silent).bind("切れている間の変更").bind(event.0).execute(&mut *conn).await.unwrap();
    eventually_contains(&on_second, &path, "切れている間の変更").await;
    // Once both listen again, the page kept from before the cut is not shown again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let listening: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        if listening == 2 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the instances listen again");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    for _ in 0..3 {
        assert!(on_second.get(&path).await.body.contains("切れている間の変更"));
    }
    // And an announced change shows again.
    sqlx::query("SET session_replication_role = origin").execute(&mut *conn).await.unwrap();
    sqlx::query(silent).bind("また知らされる変更").bind(event.0).execute(&mut *conn).await.unwrap();
    eventually_contains(&on_second, &path, "また知らされる変更").await;
}

/// On PostgreSQL a roster import's progress shows on every instance's page of the job,
/// not only on the one running it (which records it in the job's row every second). The
/// import is held at its first attendance by a lock, so the page is read mid-way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_jobs_progress_shows_on_another_instance() {
    use sqlx::Connection;
    let Some(first) = TestServer::start(Backend::Postgres).await else { return };
    let second = first.another_instance().await;
    let office = first.secretariat().await;
    let elsewhere = office.at(format!("http://{}", second.addr));
    let (sessions, per_session) = (3, 50);
    let rows = sessions * per_session;

    let mut holder = sqlx::PgConnection::connect(&first.database_url).await.unwrap();
    let mut held = holder.begin().await.unwrap();
    sqlx::query("LOCK TABLE attendance IN EXCLUSIVE MODE").execute(&mut *held).await.unwrap();
    let form = office.get("/admin/roster").await;
    let action = form.html().attr("form[enctype]", "action").unwrap();
    let roster = crate::roster::long_roster(sessions, per_session, None);
    let part = reqwest::multipart::Part::bytes(roster.into_bytes()).file_name("held.csv");
    let sent = office.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let job = sent.location().to_owned();

    let progress = |page: &crate::support::Page| {
        let html = page.html();
        html.attr("#job-progress", "value").zip(html.attr("#job-progress", "max"))
    };
    let expected = Some(("0".to_owned(), rows.to_string()));
    let mut shown = None;
    for _ in 0..200 {
        shown = progress(&elsewhere.get(&job).await);
        if shown.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(shown, expected, "the other instance shows how far the job is");
    assert_eq!(progress(&office.get(&job).await), expected, "and so does the one running it");
    held.rollback().await.unwrap();

    for _ in 0..400 {
        let page = elsewhere.get(&job).await;
        if page.html().attr("#job", "data-job-running").as_deref() == Some("no") {
            let summary = page.html().texts("#job-status li");
            assert!(summary.contains(&format!("新しい参加記録：{rows}")), "{summary:?}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job did not end");
}
