//! The annual report: the fixture gives the city's FY2023 tables exactly; other rosters
//! (written by the shared generator with other seeds) agree with the shared independent
//! tally; the page, CSV, XLSX and JSON say the same.

use reqwest::StatusCode;
use socialhub::event::EventKind;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, run_cli};

const FIXTURE: &[u8] = include_bytes!("../../fixtures/roster-fy2022-fy2023.csv");

on_both_backends!(the_fy2023_report_matches_the_citys_tables);

async fn the_fy2023_report_matches_the_citys_tables(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let rows = socialhub::roster::parse_file(FIXTURE, EventKind::InfoExchange).unwrap();
    socialhub::roster::import::import(&server.db, server.tenant().await, &rows).await.unwrap();
    let office = server.secretariat().await;

    let page = office.get("/admin/reports/annual?fiscal_year=2023&kind=info_exchange").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(html.text("h1").as_deref(), Some("令和5年度 情報交換会"));
    // Sessions, sectors, the comparison, the sessions held by kind, and the network (five
    // figures, then organisations by six sectors).
    // …and where the participants came from, one line per body; then open innovation
    // (nine figures; trainings by three kinds, coordinators trained and three figures of
    // visits; hearings by four ways held and by seven kinds of partner, no barriers named).
    let bodies = fy2023_bodies();
    assert_eq!(html.count(".report-table tbody tr"), 11 + 6 + 10 + 1 + 5 + 6 + bodies.len() + 9 + 7 + 4 + 7);
    let people: std::collections::HashSet<&String> = bodies.values().flat_map(|(p, _)| p).collect();
    assert_eq!(html.text("#bodies-summary"), Some(format!("{}団体{}名", bodies.len(), people.len())));
    let first = html.texts("#bodies tbody tr").first().cloned().unwrap_or_default();
    let (key, (p, n)) =
        bodies.iter().max_by_key(|(k, (p, n))| (p.len(), *n, std::cmp::Reverse(k.to_string()))).unwrap();
    assert!(first.ends_with(&format!(" {} {n}", p.len())), "{first} for {key}");
    // A roster's people are not members: the network had none at the end of FY2023.
    assert_eq!(html.text("#network-members").as_deref(), Some("0"));
    assert_eq!(html.texts("#held-by-kind tbody tr"), ["情報交換会 11 250"]);
    assert_eq!(html.text("#total-participants").as_deref(), Some("250"));
    assert_eq!(html.text("#total-first-timers").as_deref(), Some("94"));
    assert_eq!(html.texts(".share"), ["26%", "14%", "5%", "42%", "12%", "0.4%"]);
    assert!(page.body.contains("令和5年4月20日（木）"));
    assert!(page.body.contains("<svg"), "charts");
    // The anonymous session shows — for first-timers; FY2022 had 45.
    let first_row = html.texts("#sessions-caption ~ tbody tr");
    assert!(first_row.iter().any(|r| r.contains("顔出しなし") && r.contains("—")), "{first_row:?}");
    let compare = html.texts("#compare-heading ~ .table-scroll table tbody tr");
    assert!(compare.iter().any(|r| r == "初参加者数 45 94 ×2.1"), "{compare:?}");

    let json: serde_json::Value =
        serde_json::from_str(&office.get("/admin/reports/annual.json?fiscal_year=2023").await.body).unwrap();
    assert_eq!(json["events"].as_array().unwrap().len(), 11);
    assert_eq!(json["events"][0]["date"], "2023-04-20");
    assert_eq!(json["events"][0]["participants"], 46);
    assert_eq!(json["events"][0]["first_timers"], 23);
    assert_eq!(json["events"][0]["sectors"]["npo"], 18);
    assert!(json["events"][7]["first_timers"].is_null(), "unknown is null");
    assert_eq!(json["totals"]["participants"], 250);
    assert_eq!(json["totals"]["first_timers"], 94);
    assert_eq!(json["totals"]["sectors"]["citizen"], 66);
    assert_eq!(json["totals"]["sectors"]["councilor"], 1);
    assert_eq!(json["previous"]["first_timers"], 45);
    assert_eq!(json["bodies"]["people"], people.len());
    assert_eq!(json["bodies"]["lines"].as_array().unwrap().len(), bodies.len());

    let csv = office.get_bytes("/admin/reports/annual.csv?fiscal_year=2023").await;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n合計,,11回,250,94,66,36,12,106,29,1,"), "{text}");
    assert!(text.contains("\r\n割合,,,,,26%,14%,5%,42%,12%,0.4%,"), "{text}");
    let xlsx = office.get_bytes("/admin/reports/annual.xlsx?fiscal_year=2023").await;
    assert!(xlsx.starts_with(b"PK"));

    // Members do not see the report; a year without sessions is an empty report, not an error.
    server.create_account("m@example.jp", "member password", "会員", socialhub::account::Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    assert_eq!(member.get("/admin/reports/annual").await.status, StatusCode::FORBIDDEN);
    let empty = office.get("/admin/reports/annual?fiscal_year=１９９０&kind=nonsense").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.html().text("#total-participants").as_deref(), Some("0"));
}

/// The FY2023 attendances of the fixture by affiliation, tallied here on their own: the
/// affiliation as compared (NFKC, lower case, no spaces) → (people by e-mail or name,
/// attendances).
fn fy2023_bodies() -> std::collections::HashMap<String, (std::collections::HashSet<String>, usize)> {
    use unicode_normalization::UnicodeNormalization;
    let mut reader = csv::Reader::from_reader(FIXTURE.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(FIXTURE));
    let mut bodies: std::collections::HashMap<String, (std::collections::HashSet<String>, usize)> =
        std::collections::HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let (date, name, email, affiliation) = (&r[0], &r[2], &r[3], r[4].trim());
        if !("2023-04-01"..="2024-03-31").contains(&date) || affiliation.is_empty() {
            continue;
        }
        let key: String = affiliation.nfkc().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
        let body = bodies.entry(key).or_default();
        body.0.insert(if email.is_empty() { name.to_owned() } else { email.to_owned() });
        body.1 += 1;
    }
    bodies
}

/// Rosters from the shared generator with other seeds, imported and reported by the
/// command line, agree event by event with the shared independent tally.
#[test]
fn other_rosters_agree_with_the_independent_tally() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/domain/fixtures");
    if !shared.join("tally.py").exists() {
        assert!(std::env::var_os("CI").is_none(), "the shared fixtures must be beside the repository in CI");
        eprintln!("SKIPPED: no ../shared/domain/fixtures beside the repository");
        return;
    }
    for seed in ["1", "42", "2024"] {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("roster.csv");
        let made = std::process::Command::new("python3")
            .arg(shared.join("make_rosters.py"))
            .args(["--seed", seed])
            .arg(&roster)
            .status()
            .expect("python3");
        assert!(made.success());
        let (code, _, err) = run_cli(&["import", "roster", roster.to_str().unwrap()], &[], dir.path());
        assert_eq!(code, 0, "{err}");
        for fy in ["2022", "2023"] {
            let tally = std::process::Command::new("python3")
                .arg(shared.join("tally.py"))
                .arg(&roster)
                .arg(fy)
                .output()
                .unwrap();
            let expected: serde_json::Value = serde_json::from_slice(&tally.stdout).unwrap();
            let (code, out, err) =
                run_cli(&["report", "annual", "--fiscal-year", fy, "--format", "json"], &[], dir.path());
            assert_eq!(code, 0, "{err}");
            let got: serde_json::Value = serde_json::from_str(&out).unwrap();
            let (e, g) = (expected["events"].as_array().unwrap(), got["events"].as_array().unwrap());
            assert_eq!(e.len(), g.len(), "seed {seed} FY{fy}: sessions");
            for (e, g) in e.iter().zip(g) {
                for key in ["date", "title", "participants", "first_timers", "sectors"] {
                    assert_eq!(e[key], g[key], "seed {seed} FY{fy} {}: {key}", e["date"]);
                }
            }
            assert_eq!(expected["totals"]["participants"], got["totals"]["participants"]);
            assert_eq!(expected["totals"]["first_timers"], got["totals"]["first_timers"]);
            assert_eq!(expected["totals"]["sectors"], got["totals"]["sectors"]);
        }
    }
}

#[test]
fn the_command_line_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, FIXTURE).unwrap();
    assert_eq!(run_cli(&["import", "roster", roster.to_str().unwrap()], &[], dir.path()).0, 0);
    let (code, html, err) = run_cli(&["report", "annual", "--fiscal-year", "2023", "--lang", "ja"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(html.starts_with("<!doctype html>") && html.contains("令和5年度 情報交換会") && html.contains("@page"));
    let (_, csv, _) =
        run_cli(&["report", "annual", "--fiscal-year", "2023", "--format", "csv", "--lang", "en"], &[], dir.path());
    assert!(csv.contains("Total,,11 sessions,250,94,66,36,12,106,29,1"), "{csv}");
    let out = dir.path().join("report.xlsx");
    let (code, _, _) = run_cli(
        &["report", "annual", "--fiscal-year", "2023", "--format", "xlsx", "--output", out.to_str().unwrap()],
        &[],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    let (code, _, err) = run_cli(&["report", "annual", "--fiscal-year", "99999"], &[], dir.path());
    assert_eq!(code, 1);
    assert!(err.starts_with("socialhub: --fiscal-year 99999 is not a year"), "{err}");
    // The kind by its Japanese name, or refused with the accepted ones named.
    let (code, json, err) = run_cli(
        &["report", "annual", "--fiscal-year", "2023", "--kind", "情報交換会", "--format", "json"],
        &[],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap()["totals"]["participants"], 250);
    let (code, out, err) =
        run_cli(&["report", "annual", "--fiscal-year", "2023", "--kind", "勉強", "--lang", "ja"], &[], dir.path());
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("「勉強」は種別として読めません") && err.contains("勉強会（study）"), "{err}");
}
