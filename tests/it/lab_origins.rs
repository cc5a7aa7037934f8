//! Where a lab came from and when (issue 21): its founding day, and the session it grew
//! out of, linked both ways; the demo's labs as the FY2023 report tells them.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, event_draft};

on_both_backends!(a_lab_records_its_founding_day_and_the_session_it_grew_out_of, the_demo_labs_follow_the_report);

async fn a_lab_records_its_founding_day_and_the_session_it_grew_out_of(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let held = server
        .insert_event(
            &event_draft("いつかはあなたも町内会役員！？", chrono::Utc::now() - chrono::TimeDelta::days(30)),
            socialhub::event::Status::Published,
        )
        .await;
    let draft =
        server.insert_event(&event_draft("まだ下書きの会", chrono::Utc::now()), socialhub::event::Status::Draft).await;
    let session = format!("/events/{}", held.0);

    // The session's page offers the secretariat to open a lab from it, the form filled.
    let page = office.get(&session).await;
    let start = page.html().attr("a[href^='/labs/new?event=']", "href").expect("a way to open a lab here");
    let form = office.get(&start).await;
    assert_eq!(form.html().attr("#event", "value"), Some(held.0.to_string()));
    let today = crate::support::jst_day(0);
    assert_eq!(form.html().attr("#founded_on", "value"), Some(today));

    // Bad input is the form's error, everything typed kept.
    for (event, founded_on, field, message) in [
        ("999999", "令和5年10月1日", "#event-error", "その番号の公開されたセッションはありません。"),
        (&draft.0.to_string()[..], "令和5年10月1日", "#event-error", "その番号の公開されたセッションはありません。"),
        ("九", "令和5年10月1日", "#event-error", "セッションの番号は数字で入力してください。"),
        (&held.0.to_string()[..], "", "#founded_on-error", "発足した日を入力してください。"),
        (
            &held.0.to_string()[..],
            "10月1日ごろ",
            "#founded_on-error",
            "発足した日は 2023-10-01 や 令和5年10月1日 のように入力してください。",
        ),
    ] {
        let fields = [("title", "地域自治・町内会"), ("event", event), ("founded_on", founded_on)];
        let refused = office.submit(&start, "/labs", &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{event} {founded_on}");
        let html = refused.html();
        assert_eq!(html.text(field).as_deref(), Some(message), "{event} {founded_on}");
        assert_eq!(html.attr("#event", "value").as_deref(), Some(event));
        assert_eq!(html.attr("#founded_on", "value").as_deref(), Some(founded_on));
        assert_eq!(html.attr("#title", "value").as_deref(), Some("地域自治・町内会"));
    }

    // Saved: the lab says when and where it came from; the session lists the lab.
    let fields =
        [("title", "地域自治・町内会"), ("event", &format!("＃{}", held.0)[..]), ("founded_on", "令和5年10月1日")];
    let saved = office.submit(&start, "/labs", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let lab_path = saved.location().to_owned();
    let lab = server.browser().get(&lab_path).await.html();
    assert_eq!(lab.text("#lab-founded").as_deref(), Some("令和5年10月1日（日）"));
    assert_eq!(lab.attr("#lab-event a", "href"), Some(session.clone()));
    assert!(lab.text("#lab-event").unwrap().contains("いつかはあなたも町内会役員！？"));
    let visitor_sees = server.browser().get(&session).await.html();
    assert_eq!(visitor_sees.attr("#born-labs a", "href"), Some(lab_path.clone()));
    assert_eq!(visitor_sees.count("a[href^='/labs/new']"), 0, "only the secretariat opens labs");

    // Its lead corrects the day; a session later made a draft is no longer named.
    server.create_account("lead@example.jp", "lead password", "代表 花子", Role::Member).await;
    let members = format!("{lab_path}/members");
    office.submit(&members, &members, &[("email", "lead@example.jp"), ("role", "lead")]).await;
    let lead = server.browser();
    lead.log_in("lead@example.jp", "lead password").await;
    let edit = format!("{lab_path}/edit");
    let form = lead.get(&edit).await.html();
    assert_eq!(form.attr("#founded_on", "value").as_deref(), Some("2023-10-01"));
    assert_eq!(form.attr("#event", "value"), Some(held.0.to_string()));
    let fields = [("title", "地域自治・町内会"), ("event", &held.0.to_string()[..]), ("founded_on", "2023/9/28")];
    let corrected = lead.submit(&edit, &lab_path, &fields).await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER, "{}", corrected.body);
    let lab = server.browser().get(&lab_path).await.html();
    assert_eq!(lab.text("#lab-founded").as_deref(), Some("令和5年9月28日（木）"));
}

/// The demo's 地域自治・町内会 lab grew out of the information exchange of 21 September
/// 2023, as the report says, and that session's page lists it.
async fn the_demo_labs_follow_the_report(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    socialhub::demo::load(&server.db).await.unwrap();
    let visitor = server.browser();
    let labs = visitor.get("/labs").await.html();
    let town = labs
        .attrs("a[href^='/labs/']", "href")
        .into_iter()
        .find(|href| labs.text(&format!("a[href='{href}']")).is_some_and(|t| t == "地域自治・町内会"))
        .expect("the 町内会 lab");
    let page = visitor.get(&town).await.html();
    let origin = page.text("#lab-event").unwrap_or_default();
    assert!(
        origin.contains("いつかはあなたも町内会役員！？") && origin.contains("（令和5年9月21日（木））"),
        "{origin}"
    );
    let session = page.attr("#lab-event a", "href").unwrap();
    let born = visitor.get(&session).await.html();
    assert_eq!(born.attr("#born-labs a", "href"), Some(town));
}
