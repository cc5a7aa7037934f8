//! The secretariat's operations page (issue 20): version, database, migrations, mail
//! waiting, the last backup and the disk, read from the installation itself.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, run_cli};

on_both_backends!(the_secretariat_sees_the_state_of_the_installation);

async fn the_secretariat_sees_the_state_of_the_installation(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("plain@example.jp", "plain password", "一般 会員", Role::Member).await;
    let office = server.secretariat().await;
    let page = office.get("/admin/operations").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = page.html();
    assert_eq!(html.text("#ops-version").as_deref(), Some(format!("socialhub {}", env!("CARGO_PKG_VERSION")).as_str()));
    let database = html.text("#ops-database").unwrap();
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap().count();
    let applied = html.text("#ops-migrations").unwrap();
    assert!(applied.starts_with(&format!("{migrations} / {migrations} · 最新です")), "{applied}");
    assert!(html.text("#ops-mail").unwrap().contains("送信待ち"), "{}", page.body);
    assert_eq!(html.text("#ops-jobs").as_deref(), Some("実行中 0件 · この7日間に失敗 0件"), "{}", page.body);
    assert!(html.text("#ops-disk").unwrap().starts_with("空き "), "{}", page.body);
    match backend {
        Backend::Sqlite => {
            assert!(database.starts_with("sqlite · ") && database.contains("test.sqlite3"), "{database}");
            assert!(html.text("#ops-backup").unwrap().starts_with("記録がありません"));
            // A backup taken: the page says when.
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("b.sqlite3");
            let env = [("SOCIALHUB_DATABASE_URL", server.database_url.as_str())];
            let (code, _, err) = run_cli(&["backup", "--output", out.to_str().unwrap()], &env, dir.path());
            assert_eq!(code, 0, "{err}");
            let again = office.get("/admin/operations").await.html();
            let backup = again.text("#ops-backup").unwrap();
            assert!(backup.starts_with("令和") && backup.contains('日'), "{backup}");
        }
        Backend::Postgres => assert_eq!(database, "postgres"),
    }
    let member = server.browser();
    member.log_in("plain@example.jp", "plain password").await;
    assert_eq!(member.get("/admin/operations").await.status, StatusCode::FORBIDDEN);
}
