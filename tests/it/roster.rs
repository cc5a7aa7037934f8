//! Roster import and export: the shared fixture gives the report's FY2023 tables; bad
//! files are refused whole with every problem named; the same file twice changes nothing.

use reqwest::StatusCode;
use socialhub::attendance::store as attendance;
use socialhub::event::EventKind;
use socialhub::event::store::{self as events, Listing};
use socialhub::i18n::FiscalYear;
use socialhub::sector::Sector;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, run_cli};

const FIXTURE: &[u8] = include_bytes!("../../fixtures/roster-fy2022-fy2023.csv");

/// The report's FY2023 table (情報交換会, 令和5年度): date, participants by sector
/// (市民, 企業, 大学, NPO, 行政, 議員), first-timers (None: —).
const FY2023: [(&str, [i64; 6], Option<i64>); 11] = [
    ("2023-04-20", [11, 9, 2, 18, 6, 0], Some(23)),
    ("2023-05-18", [12, 5, 1, 11, 3, 0], Some(20)),
    ("2023-06-15", [3, 2, 4, 8, 2, 0], Some(5)),
    ("2023-08-17", [9, 4, 1, 6, 6, 0], Some(13)),
    ("2023-09-21", [8, 1, 1, 12, 2, 0], Some(11)),
    ("2023-11-16", [6, 3, 2, 8, 2, 0], Some(3)),
    ("2023-12-21", [1, 4, 0, 11, 3, 0], Some(4)),
    ("2023-12-26", [7, 0, 0, 0, 0, 0], None),
    ("2024-01-18", [3, 4, 0, 15, 2, 0], Some(8)),
    ("2024-02-15", [3, 3, 1, 7, 3, 1], Some(5)),
    ("2024-03-21", [3, 1, 0, 10, 0, 0], Some(2)),
];

on_both_backends!(
    a_long_roster_runs_as_a_job_with_progress_and_is_taken_whole_or_not_at_all,
    a_job_left_by_a_stopped_server_is_marked_interrupted,
    the_fixture_gives_the_reports_fy2023_tables,
    bad_rosters_import_nothing,
    an_unknown_kind_on_the_page_imports_nothing,
    exported_rosters_import_again,
    a_roster_saved_by_excel_in_shift_jis_imports,
    names_without_an_address_are_kept_once,
    dates_are_read_as_people_type_them,
);

/// A date in a roster as a spreadsheet or a person writes it (2023/4/20, 令和5年4月20日,
/// full-width digits) is the same day: one session with everyone in it.
async fn dates_are_read_as_people_type_them(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let roster = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n\
                  2023-04-20,地域の担い手,佐藤 花子,hanako@example.jp,,NPO,○,会場\r\n\
                  2023/4/20,地域の担い手,鈴木 一郎,ichiro@example.jp,,市民,○,会場\r\n\
                  令和5年4月20日（木）,地域の担い手,高橋 三郎,saburo@example.jp,,企業,,会場\r\n\
                  ２０２３－０４－２０,地域の担い手,田中 四郎,shiro@example.jp,,大学,,オンライン\r\n";
    let page = upload(&office, roster.as_bytes().to_vec(), "roster.csv").await;
    assert!(page.status.is_success() || page.status.is_redirection(), "{}", page.body);
    let tenant = server.tenant().await;
    let all = events::list(&server.db, tenant, Listing::All, 10).await.unwrap();
    assert_eq!(all.len(), 1, "one session: {all:?}");
    assert_eq!(socialhub::i18n::wareki::jst_date(all[0].starts_at).to_string(), "2023-04-20");
    let tally = attendance::tally(&server.db, tenant, all[0].id).await.unwrap();
    assert_eq!((tally.participants, tally.first_timers, tally.venue, tally.online), (4, Some(2), 3, 1));
}

/// A row with a name but no e-mail keeps the name on the session's roster; importing the
/// file again adds nobody.
async fn names_without_an_address_are_kept_once(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let roster = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n\
                  2023-07-13,まちの話,当日 太郎,,町内会,市民,○,会場\r\n\
                  2023-07-13,まちの話,当日 太郎,,町内会,市民,,会場\r\n\
                  2023-07-13,まちの話,匿名,,,市民,—,オンライン\r\n";
    let first = upload(&office, roster.as_bytes().to_vec(), "names.csv").await;
    assert!(first.body.contains("新しい参加者：2"), "two namesakes are two people: {}", first.body);
    assert!(first.body.contains("新しい参加記録：3"), "{}", first.body);
    let again = upload(&office, roster.as_bytes().to_vec(), "names.csv").await;
    assert!(again.body.contains("新しい参加者：0") && again.body.contains("新しい参加記録：0"), "{}", again.body);
    let tenant = server.tenant().await;
    let event = events::list(&server.db, tenant, Listing::Past, 10).await.unwrap().pop().unwrap();
    let lines = attendance::roster(&server.db, tenant, event.id).await.unwrap();
    let names: Vec<Option<String>> = lines.iter().map(|l| l.name.clone()).collect();
    assert_eq!(names.iter().filter(|n| n.as_deref() == Some("当日 太郎")).count(), 2, "{names:?}");
    assert_eq!(names.iter().filter(|n| n.is_none()).count(), 1, "the anonymous row stays nobody");
}

/// Excel on Japanese Windows saves "CSV (コンマ区切り)" in Shift_JIS: the page takes it.
async fn a_roster_saved_by_excel_in_shift_jis_imports(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(SMALL);
    assert!(!unmappable && std::str::from_utf8(&sjis).is_err());
    let page = upload(&office, sjis.into_owned(), "名簿.csv").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("新しいセッション：2"), "{}", page.body);
    let tenant = server.tenant().await;
    let sessions = events::list(&server.db, tenant, Listing::Past, 100).await.unwrap();
    assert!(sessions.iter().any(|e| e.title == "読書会") && sessions.iter().any(|e| e.title == "事例研究"));
}

/// A small roster without a 種別 column: two sessions, three rows.
const SMALL: &str = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n\
                     2023-05-11,読書会,佐藤 花子,hanako@example.jp,,NPO,○,会場\r\n\
                     2023-05-11,読書会,鈴木 一郎,ichiro@example.jp,,市民,,オンライン\r\n\
                     2023-06-08,事例研究,佐藤 花子,hanako@example.jp,,NPO,,会場\r\n";

async fn import_fixture(server: &TestServer) -> socialhub::roster::import::ImportSummary {
    let rows = socialhub::roster::parse_file(FIXTURE, EventKind::InfoExchange).expect("fixture parses");
    socialhub::roster::import::import(&server.db, server.tenant().await, &rows).await.expect("import")
}

async fn the_fixture_gives_the_reports_fy2023_tables(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let first = import_fixture(&server).await;
    assert_eq!(first.rows, 473);
    assert_eq!(first.attendances_created, 473);
    assert_eq!(first.events_created, 21);
    let again = import_fixture(&server).await;
    assert_eq!((again.events_created, again.people_created, again.attendances_created), (0, 0, 0), "idempotent");
    assert_eq!(again.attendances_unchanged, 473);

    let tenant = server.tenant().await;
    let (from, to) = FiscalYear(2023).utc_range();
    let fy2023 = events::list_published_between(&server.db, tenant, from, to).await.unwrap();
    let info: Vec<_> = fy2023.iter().filter(|e| e.kind == EventKind::InfoExchange).collect();
    assert_eq!(info.len(), 11);
    let mut total = 0;
    let mut first_timers = 0;
    let mut by_sector = [0i64; 6];
    for (event, (date, sectors, first)) in info.iter().zip(FY2023) {
        let local = socialhub::i18n::wareki::jst_date(event.starts_at).to_string();
        assert_eq!(local, date);
        let stats = attendance::tally(&server.db, tenant, event.id).await.unwrap();
        let got: Vec<i64> = Sector::ALL.iter().map(|s| stats.sectors.get(*s)).collect();
        assert_eq!(got, sectors, "{date} by sector");
        assert_eq!(stats.participants, sectors.iter().sum::<i64>(), "{date}");
        assert_eq!(stats.first_timers, first, "{date} first-timers");
        assert_eq!(event.anonymous, first.is_none(), "{date} anonymous");
        total += stats.participants;
        first_timers += stats.first_timers.unwrap_or(0);
        for (i, n) in got.iter().enumerate() {
            by_sector[i] += n;
        }
    }
    assert_eq!((total, first_timers), (250, 94));
    assert_eq!(by_sector, [66, 36, 12, 106, 29, 1]);

    // The secretariat sees the same on the event's page; the anonymous one shows —.
    let office = server.secretariat().await;
    let anonymous = info.iter().find(|e| e.anonymous).unwrap();
    let page = office.get(&format!("/admin/events/{}", anonymous.id.0)).await;
    assert_eq!(page.html().text("#stat-participants").as_deref(), Some("7"));
    assert_eq!(page.html().text("#stat-first-timers").as_deref(), Some("—"));
    assert_eq!(page.html().text("#stat-online").as_deref(), Some("7"));
    let all = events::list(&server.db, tenant, Listing::All, 100).await.unwrap();
    assert_eq!(all.len(), 21);
}

async fn bad_rosters_import_nothing(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let bad = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n\
               2023-04-20,よい行,佐藤 花子,hanako@example.jp,,NPO,○,会場\r\n\
               2023-04-31,悪い日付,鈴木 一郎,ichiro@example.jp,,学生,○,会場\r\n";
    let page = upload(&office, bad.as_bytes().to_vec(), "roster.csv").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = page.html().texts(".error-summary li");
    assert_eq!(
        problems,
        [
            "3行目「日付」: 「2023-04-31」は日付として読めません（例：2023-04-20、2023/4/20、令和5年4月20日）。",
            "3行目「属性」: 「学生」は属性として読めません（市民・企業・大学・NPO・行政・議員のいずれか）。",
        ]
    );
    let tenant = server.tenant().await;
    assert!(events::list(&server.db, tenant, Listing::All, 10).await.unwrap().is_empty(), "nothing half-written");

    // The same in an XLSX workbook: its rows are lines, the header line 1.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in bad.lines().enumerate() {
        for (c, cell) in line.trim_end_matches('\r').split(',').enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    let page = upload(&office, book.save_to_buffer().unwrap(), "roster.xlsx").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert_eq!(page.html().texts(".error-summary li"), problems);
    assert!(events::list(&server.db, tenant, Listing::All, 10).await.unwrap().is_empty(), "nothing half-written");

    // A name with a NUL (which PostgreSQL text cannot hold) is refused by line and column.
    let nul = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n\
               2023-04-20,よい行,佐藤 花子,hanako@example.jp,,NPO,○,会場\r\n\
               2023-04-20,よい行,鈴木\u{0}一郎,ichiro@example.jp,,市民,○,会場\r\n";
    let page = upload(&office, nul.as_bytes().to_vec(), "roster.csv").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert_eq!(
        page.html().texts(".error-summary li"),
        ["3行目「氏名」: 制御文字（U+0000）が含まれています。取り除いてから、もう一度取り込んでください。"]
    );
    assert!(events::list(&server.db, tenant, Listing::All, 10).await.unwrap().is_empty(), "nothing imported");

    // Not a spreadsheet at all.
    let page = upload(&office, vec![0xff, 0xfe, 0x00, 0x41], "roster.csv").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // No file chosen.
    let page = upload(&office, Vec::new(), "").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("ファイルを選んでください"));
}

async fn an_unknown_kind_on_the_page_imports_nothing(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let page = upload_as(&office, SMALL.as_bytes().to_vec(), "roster.csv", " 勉強 ").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.html().texts(".error-summary li"),
        ["「勉強」は種別として読めません。使える種別：情報交換会（info_exchange）・勉強会（study）・報告会（report）\
          ・研修（training）・事務局ミーティング（secretariat_meeting）。"]
    );
    assert!(page.html().attr("form[enctype]", "action").is_some(), "the form again");
    assert_eq!(page.html().attr("#kind option[selected]", "value"), None, "not silently 情報交換会");
    let tenant = server.tenant().await;
    assert!(events::list(&server.db, tenant, Listing::All, 10).await.unwrap().is_empty(), "nothing imported");

    // In English, with a bad row as well: every problem at once.
    office.submit("/", "/lang", &[("lang", "en"), ("next", "/admin/roster")]).await;
    let bad_row = format!("{SMALL}2023-06-31,x,,,,市民,,会場\r\n");
    let page = upload_as(&office, bad_row.into_bytes(), "roster.csv", "sutdy").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = page.html().texts(".error-summary li");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("sutdy is not a kind. Accepted kinds: 情報交換会 (info_exchange), 勉強会 (study)"));
    assert!(problems[1].starts_with("line 5, column 日付: "), "{problems:?}");
    assert!(events::list(&server.db, tenant, Listing::All, 10).await.unwrap().is_empty(), "nothing imported");
}

async fn exported_rosters_import_again(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    import_fixture(&server).await;
    let tenant = server.tenant().await;
    let office = server.secretariat().await;
    let event = events::list(&server.db, tenant, Listing::Past, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.title.contains("ヤングケアラー"))
        .unwrap();
    let csv = office.get_bytes(&format!("/admin/events/{}/roster.csv", event.id.0)).await;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("日付,テーマ,氏名,メール,所属,属性,初参加,参加方法,種別\r\n"), "{text}");
    assert_eq!(text.matches("\r\n").count(), 33, "header and 32 participants, CRLF");
    let page = upload(&office, csv.clone(), "export.csv").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("新しい参加記録：0"), "{}", page.body);

    let xlsx = office.get_bytes(&format!("/admin/events/{}/roster.xlsx", event.id.0)).await;
    assert!(xlsx.starts_with(b"PK"));
    let rows = socialhub::roster::parse_file(&xlsx, EventKind::InfoExchange).expect("XLSX reads back");
    assert_eq!(rows.len(), 32);

    // A 勉強会 roster (its kind chosen on the page by its Japanese name) exports with its
    // 種別 and imports back as the same sessions, whatever the page's default kind.
    let page = upload_as(&office, SMALL.as_bytes().to_vec(), "study.csv", "勉強会").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("新しいセッション：2"), "{}", page.body);
    let study = events::list(&server.db, tenant, Listing::Past, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.title == "読書会")
        .unwrap();
    assert_eq!(study.kind, EventKind::Study);
    let csv = office.get_bytes(&format!("/admin/events/{}/roster.csv", study.id.0)).await;
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n2023-05-11,読書会,佐藤 花子,hanako@example.jp,,NPO,○,会場,勉強会\r\n"), "{text}");
    let page = upload(&office, csv, "export.csv").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("新しいセッション：0"), "{}", page.body);
    assert!(page.body.contains("新しい参加記録：0"), "{}", page.body);
    let xlsx = office.get_bytes(&format!("/admin/events/{}/roster.xlsx", study.id.0)).await;
    let rows = socialhub::roster::parse_file(&xlsx, EventKind::InfoExchange).expect("XLSX reads back");
    assert_eq!(rows.iter().map(|r| r.kind).collect::<Vec<_>>(), [EventKind::Study; 2]);

    // A session created on the platform is its own record: its roster imported back (the
    // people known by their e-mail, and the one known only by a name) changes nothing.
    let live = server.published_event("ウェブで作った回", -2, Some(10)).await;
    let checkin = format!("/admin/events/{}/checkin", live.0);
    let walkins = format!("/admin/events/{}/walkins", live.0);
    for fields in [
        &[("name", "当日 太郎"), ("sector", "npo"), ("mode", "venue")][..],
        &[("name", "青葉 次郎"), ("email", "jiro@example.jp"), ("sector", "citizen"), ("mode", "venue")][..],
    ] {
        assert_eq!(office.submit(&checkin, &walkins, fields).await.status, StatusCode::SEE_OTHER);
    }
    let csv = office.get_bytes(&format!("/admin/events/{}/roster.csv", live.0)).await;
    let page = upload(&office, csv, "live.csv").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("新しいセッション：0"), "{}", page.body);
    assert!(page.body.contains("新しい参加記録：0"), "{}", page.body);
    assert!(page.body.contains("このサイトで記録しているため変更しなかったセッション：1（2行）"), "{}", page.body);
    assert!(page.body.contains("取り込み済みの行：0"), "{}", page.body);
    let stats = attendance::tally(&server.db, tenant, live).await.unwrap();
    assert_eq!(stats.participants, 2);
    let same_title = events::list(&server.db, tenant, Listing::Past, 100).await.unwrap();
    assert_eq!(same_title.iter().filter(|e| e.title == "ウェブで作った回").count(), 1, "no second session");

    // Members cannot download rosters.
    server.create_account("m@example.jp", "member password", "会員", socialhub::account::Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    assert_eq!(member.get(&format!("/admin/events/{}/roster.csv", event.id.0)).await.status, StatusCode::FORBIDDEN);
}

async fn upload(browser: &crate::support::Browser, bytes: Vec<u8>, name: &str) -> crate::support::Page {
    upload_as(browser, bytes, name, "info_exchange").await
}

/// Uploads with the page's kind field set to `kind` (as a browser would send it, or not).
async fn upload_as(browser: &crate::support::Browser, bytes: Vec<u8>, name: &str, kind: &str) -> crate::support::Page {
    let page = browser.get("/admin/roster").await;
    let action = page.html().attr("form[enctype]", "action").expect("upload form");
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str("text/csv").unwrap();
    let form = reqwest::multipart::Form::new().part("file", part).text("kind", kind.to_owned());
    let sent = browser.post_multipart(&action, form).await;
    if sent.status != StatusCode::SEE_OTHER {
        return sent;
    }
    follow_job(browser, sent.location()).await
}

/// The job's page once the job has ended (the page says whether it still runs).
async fn follow_job(browser: &crate::support::Browser, job: &str) -> crate::support::Page {
    assert!(job.starts_with("/admin/roster/jobs/"), "the upload leads to its job: {job}");
    for _ in 0..1200 {
        let page = browser.get(job).await;
        if page.html().attr("#job", "data-job-running").as_deref() == Some("no") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job {job} did not end within a minute");
}

#[test]
fn the_cli_imports_and_refuses_like_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("roster.csv");
    std::fs::write(&fixture, FIXTURE).unwrap();
    let env = [("LANG", "ja_JP.UTF-8")];
    let (code, out, err) = run_cli(&["import", "roster", fixture.to_str().unwrap()], &env, dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("473行を読みました：新しいセッション 21"), "{out}");
    let (code, out, _) = run_cli(&["import", "roster", fixture.to_str().unwrap()], &env, dir.path());
    assert_eq!(code, 0);
    assert!(out.contains("新しいセッション 0、新しい参加者 0、新しい参加記録 0、取り込み済み 473"), "{out}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "日付,テーマ,属性,参加方法\n2023-05-01,x,市民,会場\n2023-05-01,x,市民,徒歩\n\n2023-05-01,x,,会場\n",
    )
    .unwrap();
    let (code, _, err) = run_cli(&["import", "roster", bad.to_str().unwrap()], &[("LANG", "en_US.UTF-8")], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("line 3, column 参加方法: 徒歩 is not a way of taking part"), "{err}");
    assert!(err.contains("line 5, column 属性:  is not a sector"), "{err}");
    assert!(err.contains("Nothing was imported because of 2 problems."), "{err}");
}

#[tokio::test]
async fn the_cli_takes_a_kind_by_its_japanese_name_and_refuses_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("study.csv");
    std::fs::write(&roster, SMALL).unwrap();
    let roster = roster.to_str().unwrap();

    // A typo is refused with the accepted values, and imports nothing.
    let (code, out, err) =
        run_cli(&["import", "roster", roster, "--kind", "勉強"], &[("LANG", "ja_JP.UTF-8")], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("「勉強」は種別として読めません。"), "{err}");
    assert!(err.contains("情報交換会（info_exchange）・勉強会（study）"), "{err}");
    assert!(err.contains("事務局ミーティング（secretariat_meeting）"), "{err}");
    let (code, _, err) =
        run_cli(&["import", "roster", roster, "--kind", "sutdy"], &[("LANG", "en_US.UTF-8")], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("sutdy is not a kind. Accepted kinds: 情報交換会 (info_exchange), 勉強会 (study)"), "{err}");

    // The Japanese name (full-width and spaced as typed) gives 勉強会 sessions.
    let (code, out, err) =
        run_cli(&["import", "roster", roster, "--kind", "　勉強会 "], &[("LANG", "ja_JP.UTF-8")], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3行を読みました：新しいセッション 2"), "{out}");
    let url = format!("sqlite://{}", dir.path().join("socialhub.sqlite3").display());
    let db = socialhub::db::Db::connect(&url).await.unwrap();
    let tenant = socialhub::tenant::store::get_default(&db).await.unwrap().id;
    let kinds: Vec<EventKind> =
        events::list(&db, tenant, Listing::All, 10).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Study; 2], "only the accepted import's sessions, as 勉強会");
    db.close().await;
}

/// A roster of `sessions` sessions of `per_session` people each, everyone a new address;
/// `last` replaces the last row.
pub fn long_roster(sessions: usize, per_session: usize, last: Option<&str>) -> String {
    let sectors = ["市民", "企業", "大学", "NPO", "行政"];
    let mut csv = String::from("日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n");
    let day = chrono::NaiveDate::from_ymd_opt(2019, 4, 1).unwrap();
    for s in 0..sessions {
        let date = day + chrono::TimeDelta::days(s as i64);
        for p in 0..per_session {
            let sector = sectors[(s + p) % sectors.len()];
            let first = if p % 3 == 0 { "○" } else { "" };
            csv.push_str(&format!(
                "{date},長い名簿の回{s},参加 {s}-{p},p{s}-{p}@example.jp,NPO法人{p},{sector},{first},会場\r\n"
            ));
        }
    }
    if let Some(last) = last {
        let end = csv.trim_end_matches("\r\n").rfind("\r\n").unwrap() + 2;
        csv.truncate(end);
        csv.push_str(last);
        csv.push_str("\r\n");
    }
    csv
}

/// A roster too long to take in within a request runs as a job: its page says how far it
/// is while it runs, then what it did; a wrong last row imports nothing of the rest.
async fn a_long_roster_runs_as_a_job_with_progress_and_is_taken_whole_or_not_at_all(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let tenant = server.tenant().await;
    let (sessions, per_session) = (100, 200);
    let rows = sessions * per_session;

    // A wrong last line: refused whole, by line and column, nothing written.
    let bad =
        long_roster(sessions, per_session, Some("2019-04-01,長い名簿の回0,最後 の人,last@example.jp,,学生,,会場"));
    let page = upload(&office, bad.into_bytes(), "long.csv").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let problems = page.html().texts(".error-summary li");
    assert_eq!(
        problems,
        [format!(
            "{}行目「属性」: 「学生」は属性として読めません（市民・企業・大学・NPO・行政・議員のいずれか）。",
            rows + 1
        )]
    );
    assert!(events::list(&server.db, tenant, Listing::All, 10).await.unwrap().is_empty(), "nothing imported");

    // The whole file: the upload answers at once with the job's page, which follows it.
    let roster = long_roster(sessions, per_session, None);
    let form = office.get("/admin/roster").await;
    let action = form.html().attr("form[enctype]", "action").unwrap();
    let part = reqwest::multipart::Part::bytes(roster.into_bytes()).file_name("long.csv");
    let sent = office.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let job = sent.location().to_owned();
    let mut seen = Vec::new();
    let done = loop {
        let page = office.get(&job).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.html();
        if html.attr("#job", "data-job-running").as_deref() == Some("no") {
            break page;
        }
        if let (Some(value), Some(max)) = (html.attr("#job-progress", "value"), html.attr("#job-progress", "max")) {
            seen.push((value.parse::<usize>().unwrap(), max.parse::<usize>().unwrap()));
        }
        assert!(seen.len() < 100_000, "the job ends");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    // Seen half way, rows written out of the file's.
    assert!(seen.iter().any(|(value, max)| *max == rows && *value < rows), "progress shown: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress only grows: {seen:?}");
    let summary = done.html().texts("#job-status li");
    assert_eq!(summary[0], format!("行数：{rows}"), "{summary:?}");
    assert!(summary.contains(&format!("新しい参加記録：{rows}")), "{summary:?}");
    assert_eq!(events::list(&server.db, tenant, Listing::All, 1000).await.unwrap().len(), sessions);
    // The file is not kept once imported (it names people).
    let kept: Vec<Option<Vec<u8>>> = socialhub::with_db!(&server.db, |p| {
        sqlx::query_scalar("SELECT file FROM import_job").fetch_all(p).await.unwrap()
    });
    assert!(kept.iter().all(Option::is_none), "files forgotten");
}

/// A job its server was running when it stopped: the next start marks it interrupted (on
/// SQLite at once, one process serving it; on PostgreSQL once it is an hour old, since
/// another instance may still be running it), and its page says nothing was imported.
async fn a_job_left_by_a_stopped_server_is_marked_interrupted(backend: Backend) {
    use socialhub::roster::{job, store};
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let office = server.secretariat().await;
    let left = server
        .db
        .write(async |tx| {
            let id =
                store::insert(tx, tenant, None, "left.csv", b"x", EventKind::InfoExchange, socialhub::i18n::Lang::Ja)
                    .await?;
            store::start(tx, tenant, id).await?;
            Ok::<_, socialhub::db::StoreError>(id)
        })
        .await
        .unwrap();
    let path = format!("/admin/roster/jobs/{}", left.0);
    let running = office.get(&path).await;
    assert_eq!(running.html().attr("#job", "data-job-running").as_deref(), Some("yes"));
    assert!(running.body.contains("取り込みを待っています"), "no progress here: {}", running.body);
    let marked = job::fail_abandoned(&server.db).await.unwrap();
    let page = office.get(&path).await;
    match backend {
        Backend::Sqlite => {
            assert_eq!(marked, 1);
            assert_eq!(page.html().attr("#job", "data-job-running").as_deref(), Some("no"));
            assert!(page.body.contains("何も取り込まれていません"), "{}", page.body);
        }
        Backend::Postgres => {
            assert_eq!(marked, 0, "a young job may be another instance's");
            assert_eq!(page.html().attr("#job", "data-job-running").as_deref(), Some("yes"));
        }
    }
}
