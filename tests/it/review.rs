//! What a review of the core found, each retried over HTTP on both databases: a lab's
//! lead against another lab's consultation, sessions counted once they have taken place,
//! where imported sessions were held, an account's places given up when it is deleted,
//! internal meetings counted but never shown, sessions over two days, and first-timers
//! counted where known when some walk-ins' first times are not.

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::consultation::{self, Status};
use socialhub::event::{EventDraft, EventKind, Mode};
use socialhub::lab::{self, LabRole};

use crate::on_both_backends;
use crate::support::{Backend, TestServer, run_cli};

on_both_backends!(
    a_lead_cannot_moderate_another_labs_consultation,
    a_session_counts_once_it_has_taken_place,
    imported_sessions_keep_where_people_took_part,
    deleting_an_account_gives_its_places_to_those_waiting,
    internal_meetings_count_but_are_never_shown,
    a_session_over_two_days_counts_once
);

/// A lab of the tenant with a lead, a roadmap and a consultation open now, with one
/// comment waiting for moderation; returns (consultation, comment).
async fn lab_with_a_waiting_comment(
    server: &TestServer,
    theme: &str,
    lead: &str,
) -> (consultation::ConsultationId, consultation::CommentId) {
    let db = &server.db;
    let tenant = server.tenant().await;
    let draft = crate::support::lab_draft(theme);
    let id = lab::open(db, tenant, &draft).await.unwrap();
    lab::set_member(db, tenant, id, lead, LabRole::Lead).await.unwrap();
    let office = socialhub::account::store::find_by_email(db, tenant, lead).await.unwrap().unwrap().0;
    socialhub::roadmap::save(db, tenant, id, "## 1年目\n相談窓口\n", "初版", office.id).await.unwrap();
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap()).date_naive();
    let window = consultation::WindowForm {
        version: "1".into(),
        opens_on: (today - chrono::Days::new(1)).to_string(),
        closes_on: (today + chrono::Days::new(10)).to_string(),
    }
    .validate()
    .unwrap();
    let c = consultation::open(db, tenant, id, &window).await.unwrap();
    let status = consultation::comment(db, tenant, c, 1, None, &format!("{theme}への匿名の意見")).await.unwrap();
    assert_eq!(status, Some(Status::Pending));
    let comments = consultation::store::comments(db, tenant, c, None).await.unwrap();
    (c, comments[0].id)
}

async fn a_lead_cannot_moderate_another_labs_consultation(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("lead-a@example.jp", "lead a password", "住まい リーダー", Role::Member).await;
    server.create_account("lead-b@example.jp", "lead b password", "町内会 リーダー", Role::Member).await;
    let (a, _) = lab_with_a_waiting_comment(&server, "居住支援", "lead-a@example.jp").await;
    let (b, b_comment) = lab_with_a_waiting_comment(&server, "地域自治・町内会", "lead-b@example.jp").await;
    let lead_a = server.browser();
    lead_a.log_in("lead-a@example.jp", "lead a password").await;
    let manage_a = format!("/consultations/{}/manage", a.0);

    // Through the address of the lab's own consultation, a comment of the other lab's.
    let hide = [("action", "hide"), ("reason", "関係ない")];
    let forged = format!("/consultations/{}/comments/{}/moderation", a.0, b_comment.0);
    assert_eq!(lead_a.submit(&manage_a, &forged, &hide).await.status, StatusCode::NOT_FOUND);
    let approve = lead_a.submit(&manage_a, &forged, &[("action", "approve")]).await;
    assert_eq!(approve.status, StatusCode::NOT_FOUND);
    // Through the other consultation's own address: not the lead's to moderate.
    let direct = format!("/consultations/{}/comments/{}/moderation", b.0, b_comment.0);
    assert_eq!(lead_a.submit(&manage_a, &direct, &hide).await.status, StatusCode::FORBIDDEN);

    // Nothing changed and nothing was logged.
    let tenant = server.tenant().await;
    let comments = consultation::store::comments(&server.db, tenant, b, None).await.unwrap();
    assert_eq!(comments[0].status, Status::Pending);
    let log = socialhub::moderation::store::list_log(&server.db, tenant, 10).await.unwrap();
    assert!(log.is_empty(), "{log:?}");
    // The moderators' queue lists it, for the secretariat.
    let office = server.secretariat().await;
    let waiting = office.get("/admin/moderation").await.html().texts("#comments-heading ~ ul li");
    assert!(waiting.iter().any(|c| c.contains("地域自治・町内会への匿名の意見")), "{waiting:?}");
    // Its own lead decides.
    let lead_b = server.browser();
    lead_b.log_in("lead-b@example.jp", "lead b password").await;
    let manage_b = format!("/consultations/{}/manage", b.0);
    assert_eq!(lead_b.submit(&manage_b, &direct, &[("action", "approve")]).await.status, StatusCode::SEE_OTHER);
    let comments = consultation::store::comments(&server.db, tenant, b, None).await.unwrap();
    assert_eq!(comments[0].status, Status::Published);
}

fn draft(kind: EventKind, title: &str, starts_in_hours: i64, minutes: i64) -> EventDraft {
    let start = chrono::Utc::now() + chrono::TimeDelta::hours(starts_in_hours);
    EventDraft {
        kind,
        ends_at: start + chrono::TimeDelta::minutes(minutes),
        ..crate::support::event_draft(title, start)
    }
}

/// The annual report of this fiscal year as JSON, for `kind`.
async fn this_years_report(office: &crate::support::Browser, kind: &str) -> serde_json::Value {
    let fy = socialhub::i18n::FiscalYear::of_instant(chrono::Utc::now()).0;
    let page = office.get(&format!("/admin/reports/annual.json?fiscal_year={fy}&kind={kind}")).await;
    assert_eq!(page.status, StatusCode::OK);
    serde_json::from_str(&page.body).unwrap()
}

async fn a_session_counts_once_it_has_taken_place(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    // All within this fiscal year: two hours ago, under way, and in two hours.
    let held = server.insert_event(&draft(EventKind::InfoExchange, "終わった回", -3, 60), published()).await;
    let running = server.insert_event(&draft(EventKind::InfoExchange, "開催中の回", -1, 120), published()).await;
    let future = server.insert_event(&draft(EventKind::InfoExchange, "これからの回", 2, 60), published()).await;
    let office = server.secretariat().await;
    // Someone checked in at the session under way; nobody came to the one that ended.
    let checkin = format!("/admin/events/{}/checkin", running.0);
    let walk_in = [("mode", "venue"), ("sector", "citizen"), ("name", ""), ("email", ""), ("first_time", "yes")];
    let done = office.submit(&checkin, &format!("/admin/events/{}/walkins", running.0), &walk_in).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let report = this_years_report(&office, "info_exchange").await;
    let titles: Vec<&str> = report["events"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"終わった回") && titles.contains(&"開催中の回"), "{titles:?}");
    assert!(!titles.contains(&"これからの回"), "a session still to come is not held: {titles:?}");
    assert_eq!(report["totals"]["events"], 2);
    assert_eq!(report["totals"]["participants"], 1);
    let _ = (held, future);
}

fn published() -> socialhub::event::Status {
    socialhub::event::Status::Published
}

async fn imported_sessions_keep_where_people_took_part(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let csv = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\n\
               2023-05-18,両方の回,佐藤 花子,a@example.jp,,市民,○,会場\n\
               2023-05-18,両方の回,鈴木 一郎,b@example.jp,,NPO,,オンライン\n\
               2023-06-15,会場の回,高橋 誠,c@example.jp,,企業,○,会場\n\
               2023-07-20,オンラインの回,田中 陽菜,d@example.jp,,大学,○,オンライン\n";
    let rows = socialhub::roster::parse_file(csv.as_bytes(), EventKind::InfoExchange).unwrap();
    socialhub::roster::import::import(&server.db, server.tenant().await, &rows).await.unwrap();
    let data: serde_json::Value =
        serde_json::from_str(&server.browser().get("/events/opendata.json").await.body).unwrap();
    let place = |title: &str| {
        let rows = data.as_array().unwrap();
        let row = rows.iter().find(|r| r["イベント名"] == title).unwrap_or_else(|| panic!("{title}: {data}"));
        row["場所名称"].as_str().unwrap().to_owned()
    };
    assert_eq!(place("両方の回"), "会場／オンライン");
    assert_eq!(place("会場の回"), "会場");
    assert_eq!(place("オンラインの回"), "オンライン");
    let csv = String::from_utf8(server.browser().get_bytes("/events/opendata.csv").await).unwrap();
    let line = csv.lines().find(|l| l.contains("会場の回")).unwrap();
    assert!(line.contains(",会場,") && !line.contains("オンライン"), "{line}");
}

async fn deleting_an_account_gives_its_places_to_those_waiting(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("一席だけの回", 48, Some(1)).await;
    let past = server.published_event("前の回", -24 * 7, None).await;
    server.create_account("leaving@example.jp", "leaving password", "去る 人", Role::Member).await;
    let leaving = server.browser();
    leaving.log_in("leaving@example.jp", "leaving password").await;
    let path = format!("/events/{}", event.0);
    let placed = leaving.submit(&path, &format!("{path}/registrations"), &[("mode", "venue")]).await;
    assert_eq!(placed.status, StatusCode::OK);
    // They came to a past session: the center's count keeps that attendance.
    let office = server.secretariat().await;
    let tenant = server.tenant().await;
    let person = server
        .db
        .write(async |tx| {
            let account =
                socialhub::account::store::find_by_email(&server.db, tenant, "leaving@example.jp").await?.unwrap().0;
            socialhub::person::store::for_account(tx, tenant, &account).await
        })
        .await
        .unwrap();
    let e = socialhub::event::store::get(&server.db, tenant, past).await.unwrap();
    let new = socialhub::attendance::NewAttendance {
        person: Some(person),
        registration: None,
        sector: socialhub::sector::Sector::Npo,
        mode: Mode::Venue,
        first_time: socialhub::attendance::FirstTime::FromHistory,
        source: socialhub::attendance::Source::Checkin,
        import_key: None,
    };
    server.db.write(async |tx| socialhub::attendance::store::record(tx, tenant, &e, new).await).await.unwrap();
    // A guest waits for the only seat.
    let guest = server.browser();
    let fields = [
        ("mode", "venue"),
        ("name", "待つ 人"),
        ("email", "waiting@example.jp"),
        ("furigana", "サンカ シャ"),
        ("sector", "citizen"),
        ("affiliation", ""),
        ("consent", "yes"),
    ];
    let waiting = guest.submit(&path, &format!("{path}/registrations"), &fields).await;
    assert!(waiting.body.contains("キャンセル待ち"), "{}", waiting.body);

    let deleted = leaving.submit("/account/delete", "/account/delete", &[("password", "leaving password")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    let seats = socialhub::registration::store::seats(
        &server.db,
        tenant,
        &socialhub::event::store::get(&server.db, tenant, event).await.unwrap(),
    )
    .await
    .unwrap();
    assert_eq!((seats[0].registered, seats[0].waiting), (1, 0), "the guest has the seat now");
    let list = socialhub::registration::store::list_for_event(&server.db, tenant, event).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "待つ 人");
    assert!(server.wait_for_mail("waiting@example.jp").await.subject.contains("一席だけの回"));
    // The past attendance still counts, with no name left.
    let tally = socialhub::attendance::store::tally(&server.db, tenant, past).await.unwrap();
    assert_eq!((tally.participants, tally.sectors.get(socialhub::sector::Sector::Npo)), (1, 1));
    let roster = socialhub::attendance::store::roster(&server.db, tenant, past).await.unwrap();
    assert!(roster[0].name.as_deref().is_none_or(str::is_empty) && roster[0].email.is_none(), "{roster:?}");
    let _ = office;
}

async fn internal_meetings_count_but_are_never_shown(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let meeting = server
        .insert_event(&draft(EventKind::SecretariatMeeting, "事務局ミーティング（第12回）", -5, 60), published())
        .await;
    let open = server.insert_event(&draft(EventKind::InfoExchange, "情報交換会", -5, 60), published()).await;
    let visitor = server.browser();
    let list = visitor.get("/events").await;
    assert!(list.body.contains("情報交換会") && !list.body.contains("事務局ミーティング（第12回）"));
    assert_eq!(visitor.get(&format!("/events/{}", meeting.0)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.get(&format!("/events/{}/calendar.ics", meeting.0)).await.status, StatusCode::NOT_FOUND);
    assert!(!visitor.get("/events.ics").await.body.contains("事務局ミーティング"));
    assert!(!visitor.get("/events/opendata.json").await.body.contains("事務局ミーティング"));
    let csv = String::from_utf8(visitor.get_bytes("/events/opendata.csv").await).unwrap();
    assert!(!csv.contains("事務局ミーティング") && csv.contains("情報交換会"));
    // The secretariat sees it and counts it.
    let office = server.secretariat().await;
    assert_eq!(office.get(&format!("/events/{}", meeting.0)).await.status, StatusCode::OK);
    assert!(office.get("/admin/events").await.body.contains("事務局ミーティング（第12回）"));
    let report = this_years_report(&office, "secretariat_meeting").await;
    assert_eq!(report["totals"]["events"], 1);
    let kinds = report["kinds"].as_array().unwrap();
    assert!(kinds.iter().any(|k| k["kind"] == "secretariat_meeting" && k["events"] == 1), "{kinds:?}");
    assert!(kinds.iter().any(|k| k["kind"] == "info_exchange" && k["events"] == 1), "{kinds:?}");
    let _ = open;
}

async fn a_session_over_two_days_counts_once(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let form = [
        ("kind", "study"),
        ("title", "先進地視察（1泊2日）"),
        ("date", "2023-08-05"),
        ("start_time", "09:00"),
        ("end_date", "2023-08-06"),
        ("end_time", "16:00"),
        ("venue", "多賀城市市民活動サポートセンター"),
    ];
    let created = office.submit("/admin/events/new", "/admin/events", &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    let id = admin_path.rsplit('/').next().unwrap().to_owned();
    office.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    let page = server.browser().get(&format!("/events/{id}")).await;
    assert!(page.body.contains("令和5年8月5日（土）〜令和5年8月6日（日）"), "{}", page.body);
    // The last day before the first is refused, the form kept.
    let mut early = form.to_vec();
    early[4] = ("end_date", "2023-08-04");
    let bad = office.submit("/admin/events/new", "/admin/events", &early).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html().text("#end_date-error").is_some(), "{}", bad.body);
    // Counted once, in the year of its first day.
    let report = office.get("/admin/reports/annual.json?fiscal_year=2023&kind=study").await;
    let report: serde_json::Value = serde_json::from_str(&report.body).unwrap();
    assert_eq!(report["totals"]["events"], 1);
    assert_eq!(report["events"][0]["date"], "2023-08-05");
    let csv = String::from_utf8(server.browser().get_bytes("/events/opendata.csv").await).unwrap();
    let line = csv.lines().find(|l| l.contains("先進地視察")).unwrap();
    assert!(line.contains("2023-08-05,2023-08-06,09:00,16:00"), "{line}");
}

/// Rosters from the shared generator in which some people in ordinary sessions are
/// walk-ins whose first time nobody asked (—): every session's known first-timers still
/// count, and the report agrees with the shared independent tally, session by session.
#[test]
fn walk_ins_of_unknown_first_time_leave_the_known_first_timers_counted() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/domain/fixtures");
    if !shared.join("tally.py").exists() {
        assert!(std::env::var_os("CI").is_none(), "the shared fixtures must be beside the repository in CI");
        eprintln!("SKIPPED: no ../shared/domain/fixtures beside the repository");
        return;
    }
    for seed in ["7", "2023"] {
        let dir = tempfile::tempdir().unwrap();
        let generated = dir.path().join("generated.csv");
        let made = std::process::Command::new("python3")
            .arg(shared.join("make_rosters.py"))
            .args(["--seed", seed])
            .arg(&generated)
            .status()
            .expect("python3");
        assert!(made.success());
        // Every seventh person of an ordinary session becomes a walk-in who gave only a
        // name (no address), first time not asked.
        let text = std::fs::read_to_string(&generated).unwrap();
        let mut lines: Vec<String> = Vec::new();
        let mut partial = 0;
        for (i, line) in text.lines().enumerate() {
            let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
            if i > 0 && cells[2] != "匿名" && i % 7 == 0 {
                cells[3] = String::new();
                cells[6] = "—".to_owned();
                partial += 1;
            }
            lines.push(cells.join(","));
        }
        assert!(partial > 10);
        let roster = dir.path().join("roster.csv");
        std::fs::write(&roster, lines.join("\n") + "\n").unwrap();
        let (code, _, err) = run_cli(&["import", "roster", roster.to_str().unwrap()], &[], dir.path());
        assert_eq!(code, 0, "{err}");
        let mut seen_partial = false;
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
                if g["first_time_unknown"].as_i64().unwrap() > 0 && !g["first_timers"].is_null() {
                    seen_partial = true;
                    assert!(g["first_timers"].as_i64().unwrap() > 0, "known first-timers kept: {g}");
                }
            }
            assert_eq!(expected["totals"]["participants"], got["totals"]["participants"]);
            assert_eq!(expected["totals"]["first_timers"], got["totals"]["first_timers"]);
            assert_eq!(expected["totals"]["sectors"], got["totals"]["sectors"]);
        }
        assert!(seen_partial, "seed {seed}: sessions with some first times unknown");
    }
}
