//! The `socialhub` command: defaults, clear one-line errors, admin and demo commands,
//! backup, and graceful shutdown of `serve`.

use std::time::Duration;

use crate::support::run_cli;

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
