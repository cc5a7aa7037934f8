//! Serving: a page view, by anyone, writes nothing to the database; state-changing
//! requests do.

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::db::Db;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(page_views_write_nothing);

/// What the database holds that a page view could change: every login session (id, data,
/// expiry), every rate-limit counter, and the number of rows of every table; on a SQLite
/// file also the size and modification time of the file and its write-ahead log.
async fn snapshot(server: &TestServer) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match &server.db {
        Db::Sqlite(..) => {
            let path = server.database_url.trim_start_matches("sqlite://").to_owned();
            for file in [path.clone(), format!("{path}-wal")] {
                let meta = std::fs::metadata(&file).map(|m| (m.len(), m.modified().ok()));
                out.push(format!("{file}: {meta:?}"));
            }
        }
        Db::Postgres(_) => {}
    }
    let sessions: Vec<(String, String, i64)> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_as("SELECT id, data, expires_at FROM login_session ORDER BY id").fetch_all(p).await.unwrap()
    });
    out.extend(sessions.iter().map(|s| format!("{s:?}")));
    let limits: Vec<(String, i64, i64)> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_as("SELECT key, window_start, hits FROM rate_limit ORDER BY key, window_start")
            .fetch_all(p)
            .await
            .unwrap()
    });
    out.extend(limits.iter().map(|l| format!("{l:?}")));
    let tables: Vec<(String,)> = match &server.db {
        Db::Sqlite(s) => sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(&s.readers)
        .await
        .unwrap(),
        Db::Postgres(pg) => {
            sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
                .fetch_all(&pg.pool)
                .await
                .unwrap()
        }
    };
    for (table,) in tables {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) = socialhub::with_db!(&server.db, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(p).await.unwrap()
        });
        out.push(format!("{table}: {n}"));
    }
    out
}

async fn page_views_write_nothing(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("情報交換会：空き家と居住支援", 48, Some(30)).await;
    server.create_account("reader@example.jp", "reader password", "佐藤 花子", Role::Member).await;
    let member = server.browser();
    member.log_in("reader@example.jp", "reader password").await;
    let office = server.secretariat().await;
    let visitor = server.browser();

    // Forms sent (state changes: they may write), one of which leaves a message for the
    // next page.
    let event_page = format!("/events/{}", event.0);
    let registered = member.submit(&event_page, &format!("{event_page}/registrations"), &[("mode", "venue")]).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let admin_page = format!("/admin/events/{}", event.0);
    let published = office.submit(&admin_page, &format!("{admin_page}/status"), &[("status", "published")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let sessions_before: Vec<(String, i64)> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_as("SELECT id, expires_at FROM login_session").fetch_all(p).await.unwrap()
    });
    assert!(!sessions_before.is_empty(), "the logins are kept in the database");

    // Let the clock move on, so that a login session saved again would show a new expiry.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let before = snapshot(&server).await;
    // The page after the form shows its message, then the member and the secretariat read.
    let shown = office.get(published.location()).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.html().count("p.flash"), 1, "the message is shown once: {}", shown.body);
    let again = office.get(published.location()).await;
    assert_eq!(again.html().count("p.flash"), 0, "and not again");
    for path in ["/", "/events", event_page.as_str(), "/account", "/issues", "/labs", "/privacy"] {
        for browser in [&member, &office, &visitor] {
            let page = browser.get(path).await;
            assert!(page.status.is_success() || page.status.is_redirection(), "{path}: {}", page.status);
        }
    }
    let checkin = format!("/admin/events/{}/checkin", event.0);
    for path in ["/admin/events", "/admin/reports/annual", &checkin, "/admin/access-log", "/admin/operations"] {
        let page = office.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
    let after = snapshot(&server).await;
    assert_eq!(before, after, "page views changed the database");
}

/// After the demo data (a bulk load) PostgreSQL has its planner's statistics: without them it
/// took the event page's event through a wrong index until autovacuum's first pass
/// (`Db::analyze`). `reltuples` is -1 for a table never analysed.
#[tokio::test]
async fn the_demo_load_leaves_planner_statistics_on_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, pg_name)) = crate::support::fresh_database(Backend::Postgres, dir.path()).await else { return };
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    socialhub::tenant::store::ensure_default(&db, "せんだい・みやぎソーシャルハブ").await.unwrap();
    let never_analysed = |db: &Db| {
        let Db::Postgres(pg) = db else { unreachable!("a PostgreSQL database") };
        let pool = pg.pool.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT relname::text FROM pg_class WHERE relname IN ('event', 'registration', 'event_cohost', 'lab', \
                 'social_issue') AND relkind = 'r' AND reltuples < 0 ORDER BY relname",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            rows.into_iter().map(|(name,)| name).collect::<Vec<_>>()
        }
    };
    assert_eq!(never_analysed(&db).await.len(), 5, "a fresh database has no statistics yet");
    socialhub::demo::load(&db).await.unwrap();
    assert_eq!(never_analysed(&db).await, Vec::<String>::new());
    db.close().await;
    if let Some(name) = pg_name {
        crate::support::drop_pg_database(name);
    }
}
