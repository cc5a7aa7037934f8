//! The `socialhub` command: defaults, clear one-line errors, admin and demo commands,
//! backup and restore (the drill under load), and graceful shutdown of `serve`.

use std::time::Duration;

use reqwest::StatusCode;

use crate::support::{Backend, TestServer, run_cli};

#[test]
fn migrate_with_no_configuration_uses_sqlite_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run_cli(&["migrate"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("sqlite database is up to date"), "{out}");
    assert!(dir.path().join("socialhub.sqlite3").exists());
}

#[test]
fn an_unreachable_database_stops_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) =
        run_cli(&["migrate"], &[("SOCIALHUB_DATABASE_URL", "postgres://nobody:secret@127.0.0.1:1/none")], dir.path());
    assert_eq!(code, 1);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("socialhub: cannot connect to PostgreSQL at postgres://nobody:***@127.0.0.1:1/none"),
        "{err}"
    );
    assert!(!err.contains("secret") && !err.contains("panicked"), "{err}");

    let (code, _, err) = run_cli(&["migrate", "--database-url", "mysql://x/y"], &[], dir.path());
    assert_eq!(code, 1);
    assert!(err.starts_with("socialhub: unsupported database URL"), "{err}");

    let (code, _, err) = run_cli(&["serve", "--database-url", "sqlite:///nonexistent-dir/x/y.db"], &[], dir.path());
    assert_eq!(code, 1);
    assert_eq!(err.lines().filter(|l| l.starts_with("socialhub:")).count(), 1, "{err}");
    assert!(err.contains("cannot open the SQLite database"), "{err}");
}

#[test]
fn bad_configuration_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("socialhub.toml"), "listen = 42\n").unwrap();
    let (code, _, err) = run_cli(&["migrate"], &[], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("invalid configuration in socialhub.toml"), "{err}");
    let (code, _, err) =
        run_cli(&["migrate"], &[("SOCIALHUB_LISTEN", "everywhere")], tempfile::tempdir().unwrap().path());
    assert_eq!(code, 1);
    assert!(err.contains("SOCIALHUB_LISTEN=everywhere"), "{err}");
}

#[test]
fn purge_says_its_periods_and_what_it_removed_in_each_center() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_cli(&["demo"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    let env = [("SOCIALHUB_RETENTION_GUEST_DAYS", "30"), ("SOCIALHUB_RETENTION_ACCESS_LOG_DAYS", "10")];
    let (code, out, err) = run_cli(&["purge"], &env, dir.path());
    assert_eq!(code, 0, "{err}");
    // The access log keeps a year at least, whatever is configured.
    assert!(out.contains("guests 30 days after their last session") && out.contains("access log 365 days"), "{out}");
    assert!(out.lines().any(|l| l.ends_with("access log lines deleted")), "{out}");
    let (code, _, err) = run_cli(&["purge"], &[("SOCIALHUB_RETENTION_GUEST_DAYS", "0")], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("SOCIALHUB_RETENTION_GUEST_DAYS=0"), "{err}");
}

#[test]
fn admin_create_tenants_demo_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("SOCIALHUB_ADMIN_PASSWORD", "first admin password")];
    let (code, out, err) = run_cli(
        &[
            "admin",
            "create",
            "--email",
            "ＯＦＦＩＣＥ@example.jp",
            "--name",
            "青葉 花子",
            "--furigana",
            "あおば はなこ",
        ],
        &env,
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created secretariat account office@example.jp"), "{out}");
    let (code, _, err) = run_cli(
        &["admin", "create", "--email", "office@example.jp", "--name", "x", "--furigana", "エックス"],
        &env,
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("already has an account"), "{err}");
    let (code, _, err) = run_cli(
        &["admin", "create", "--email", "b@example.jp", "--name", "x", "--furigana", "Ekkusu"],
        &env,
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("furigana: Enter the furigana in katakana or hiragana."), "{err}");
    let (code, _, err) = run_cli(
        &["admin", "create", "--email", "a@example.jp", "--name", "x", "--furigana", "エックス"],
        &[("SOCIALHUB_ADMIN_PASSWORD", "short")],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("password: The password must have at least 10 characters."), "{err}");

    let (code, out, err) = run_cli(
        &["admin", "tenant", "add", "--slug", "kyoto", "--name", "京都ソーシャルハブ", "--host", "Kyoto.Example.JP"],
        &[],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added center"), "{out}");
    let (_, out, _) = run_cli(&["admin", "tenant", "list"], &[], dir.path());
    assert!(out.contains("kyoto\t京都ソーシャルハブ\tkyoto.example.jp"), "{out}");
    let (code, _, err) =
        run_cli(&["admin", "tenant", "add", "--slug", "Bad Slug", "--name", "x", "--host", "x.jp"], &[], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("slug"), "{err}");

    let (code, out, err) = run_cli(&["demo"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("demo data: 8 new accounts"), "{out}");
    let (code, out, _) = run_cli(&["demo"], &[], dir.path());
    assert_eq!(code, 0);
    assert!(
        out.contains("demo data: 0 new accounts, 0 new events, 0 new attendances"),
        "loading twice changes nothing: {out}"
    );

    let backup = dir.path().join("backup.sqlite3");
    let (code, out, err) = run_cli(&["backup", "--output", backup.to_str().unwrap()], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("backed up"), "{out}");
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);
    let (code, _, err) = run_cli(&["backup", "--output", backup.to_str().unwrap()], &[], dir.path());
    assert_eq!(code, 1, "does not overwrite");
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_socialhub"))
        .args(["serve", "--listen", &listen])
        .current_dir(dir.path())
        .env_remove("SOCIALHUB_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut answered = false;
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(&listen) {
            use std::io::{Read, Write};
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            let mut response = String::new();
            let _ = s.read_to_string(&mut response);
            answered = response.starts_with("HTTP/1.1 200") && response.ends_with("ok\n");
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(answered, "serve answered /healthz");
    assert!(dir.path().join("socialhub.sqlite3").exists(), "default database in the working directory");
    let status = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            exited = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let exited = exited.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("serve did not stop on SIGTERM")
    });
    assert!(exited.success(), "clean exit: {exited:?}");
}

/// Registrations that keep coming, each a new person from a new address, from four
/// writers, until stopped; every one must be answered with success.
struct Load {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    answered: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    writers: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    async fn start(server: &TestServer, event: socialhub::event::EventId) -> Load {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let b = Arc::new(server.browser());
        let token = Arc::new(b.get(&format!("/events/{}", event.0)).await.html().csrf_token().unwrap());
        let (stop, answered) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
        let mut writers = Vec::new();
        for w in 0..4 {
            let (b, token, stop, answered) = (b.clone(), token.clone(), stop.clone(), answered.clone());
            writers.push(tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let email = format!("drill{w}-{i}@example.jp");
                    let ip = format!("10.9.{w}.{}", i % 250);
                    let sent = b
                        .post_raw_from(
                            &ip,
                            &format!("/events/{}/registrations", event.0),
                            &[
                                ("csrf_token", token.as_str()),
                                ("mode", "online"),
                                ("name", "訓練 参加"),
                                ("email", &email),
                                ("furigana", "クンレン サンカ"),
                                ("sector", "citizen"),
                                ("consent", "yes"),
                            ],
                        )
                        .await;
                    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
                    answered.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            }));
        }
        Load { stop, answered, writers }
    }

    /// How many were answered so far.
    fn answered(&self) -> usize {
        self.answered.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Stops the writers; how many were answered in all.
    async fn stop(self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let answered = self.answered.clone();
        for w in self.writers {
            w.await.unwrap();
        }
        answered.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The ids of the registrations a database holds.
async fn registration_ids(url: &str) -> Vec<i64> {
    let db = socialhub::db::Db::connect(url).await.unwrap();
    let ids: Vec<i64> = socialhub::with_db!(&db, |p| {
        sqlx::query_scalar("SELECT id FROM registration ORDER BY id").fetch_all(p).await.unwrap()
    });
    db.close().await;
    ids
}

/// The backup drill on SQLite: backups taken with `socialhub backup` while registrations
/// keep coming (each a new person from a new address) are restored elsewhere with
/// `socialhub restore`, which checks them first; the restored database holds exactly the
/// backup's rows, every registration answered before the backup began is in it, and a
/// server started on it shows them. What is not a sound backup is refused and changes
/// nothing; a database still open by a server is not replaced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_under_load_restore_elsewhere_with_the_same_data() {
    let Some(server) = TestServer::start_with(Backend::Sqlite, |c| c.trust_proxy = Some(true)).await else { return };
    let event = server.published_event("防災と地域", 72, None).await;
    let load = Load::start(&server, event).await;
    let dir = tempfile::tempdir().unwrap();
    let live = [("SOCIALHUB_DATABASE_URL", server.database_url.as_str())];
    // Three backups while the registrations come.
    let mut backups = Vec::new();
    for k in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let before = load.answered();
        let file = dir.path().join(format!("drill-{k}.sqlite3"));
        let path = file.to_str().unwrap().to_owned();
        let (code, _, err) = tokio::task::spawn_blocking({
            let cwd = dir.path().to_owned();
            let env = live.map(|(k, v)| (k, v.to_owned()));
            move || run_cli(&["backup", "--output", &path], &[(env[0].0, env[0].1.as_str())], &cwd)
        })
        .await
        .unwrap();
        assert_eq!(code, 0, "{err}");
        backups.push((file, before));
    }
    let total = load.stop().await;
    assert!(total > backups[2].1, "registrations kept coming during the backups ({total})");

    for (k, (file, before)) in backups.iter().enumerate() {
        // Restored elsewhere (a new machine's empty directory).
        let elsewhere = dir.path().join(format!("elsewhere-{k}"));
        std::fs::create_dir(&elsewhere).unwrap();
        let url = format!("sqlite://{}", elsewhere.join("socialhub.sqlite3").display());
        let env = [("SOCIALHUB_DATABASE_URL", url.as_str())];
        let (code, out, err) = run_cli(&["restore", file.to_str().unwrap()], &env, &elsewhere);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("SQLite's integrity check passed"), "{out}");
        let in_backup = registration_ids(&format!("sqlite://{}", file.display())).await;
        let restored = registration_ids(&url).await;
        assert_eq!(restored, in_backup, "backup {k}: the restored database holds the backup's rows");
        assert!(restored.len() >= *before, "backup {k}: {} rows, {before} answered before it began", restored.len());
        assert!(out.contains("rows: tenant 1, account "), "{out}");
    }
    assert_eq!(registration_ids(&server.database_url).await.len(), total);

    // A server on the last restored copy shows the registrations it holds (its database is
    // counted after the server's start and the secretariat's account, which add none).
    let url = format!("sqlite://{}", dir.path().join("elsewhere-2/socialhub.sqlite3").display());
    let restored = TestServer::start_on_database(&url).await;
    let office = restored.secretariat().await;
    let in_last = registration_ids(&url).await.len();
    let page = office.get(&format!("/admin/events/{}", event.0)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("申し込み {in_last}人")), "{in_last}: {}", page.body);

    // Not a backup, or a damaged one: refused, and the database in place is untouched.
    let target = dir.path().join("elsewhere-0");
    let env = [("SOCIALHUB_DATABASE_URL", format!("sqlite://{}", target.join("socialhub.sqlite3").display()))];
    let env = [(env[0].0, env[0].1.as_str())];
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "これはバックアップではありません。\n").unwrap();
    let (code, _, err) = run_cli(&["restore", text.to_str().unwrap()], &env, &target);
    assert_eq!(code, 1);
    assert!(err.contains("is not a SQLite database"), "{err}");
    let mut damaged = std::fs::read(&backups[0].0).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle..middle + 4096].fill(0xA5);
    let damaged_file = dir.path().join("damaged.sqlite3");
    std::fs::write(&damaged_file, damaged).unwrap();
    let (code, _, err) = run_cli(&["restore", damaged_file.to_str().unwrap()], &env, &target);
    assert_eq!(code, 1, "a damaged backup is refused");
    assert!(err.contains("was not restored"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["socialhub.sqlite3"], "nothing else was left or changed");

    // The live database, open by the server, is not replaced.
    let (code, _, err) = run_cli(&["restore", backups[0].0.to_str().unwrap()], &live, dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("is in use"), "{err}");
}

/// The backup drill on PostgreSQL, as docs/operations.md tells it: `pg_dump -Fc` while
/// registrations keep coming, `pg_restore` into a new database (as on another machine):
/// every registration answered before the dump began is there, each as the live database
/// holds it, and a server on it (its migrations up to date) shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_dumps_under_load_restore_elsewhere_with_the_same_data() {
    let Some(server) = TestServer::start_with(Backend::Postgres, |c| c.trust_proxy = Some(true)).await else { return };
    let event = server.published_event("防災と地域", 72, None).await;
    let load = Load::start(&server, event).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("drill.dump");
    let before = load.answered();
    let dumped = tokio::task::spawn_blocking({
        let (url, dump) = (server.database_url.clone(), dump.clone());
        move || std::process::Command::new("pg_dump").args(["-Fc", "-d", &url, "-f"]).arg(&dump).output()
    })
    .await
    .unwrap()
    .expect("pg_dump runs (it comes with PostgreSQL)");
    assert!(dumped.status.success(), "{}", String::from_utf8_lossy(&dumped.stderr));
    let total = load.stop().await;
    assert!(total > before, "registrations kept coming during the dump ({before} → {total})");

    let (url, name) = crate::support::fresh_database(Backend::Postgres, dir.path()).await.unwrap();
    let restored = std::process::Command::new("pg_restore")
        .args(["--no-owner", "-d", &url])
        .arg(&dump)
        .output()
        .expect("pg_restore runs");
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let (live, copy) = (registration_ids(&server.database_url).await, registration_ids(&url).await);
    assert_eq!(live.len(), total);
    assert!(copy.len() >= before, "{} restored, {before} answered before the dump", copy.len());
    assert!(copy.iter().all(|id| live.contains(id)), "every restored registration is one the live database holds");

    // A server on the restored database: its migrations are up to date, it shows them.
    let env = [("SOCIALHUB_DATABASE_URL", url.as_str())];
    let (code, out, err) = run_cli(&["migrate"], &env, dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("up to date"), "{out}");
    let served = TestServer::start_on_database(&url).await;
    let office = served.secretariat().await;
    let page = office.get(&format!("/admin/events/{}", event.0)).await;
    assert!(page.body.contains(&format!("申し込み {}人", copy.len())), "{}: {}", copy.len(), page.body);
    drop(served);
    if let Some(name) = name {
        crate::support::drop_pg_database(name);
    }
}
