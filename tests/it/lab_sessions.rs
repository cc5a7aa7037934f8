//! A lab's lead runs the lab's study sessions without being the secretariat (issue 21):
//! plans one for their lab (never for another lab, nor for none), publishes it, reads its
//! registrations and roster, checks people in at the door; the secretariat still sees and
//! corrects it; a lead of another lab and a plain member cannot; the report's lab table
//! counts its participants by sector.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(a_labs_lead_plans_and_runs_its_study_session);

async fn a_labs_lead_plans_and_runs_its_study_session(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let (town, housing) = (server.open_lab("地域自治・町内会").await, server.open_lab("居住支援").await);
    for (email, name) in
        [("lead@example.jp", "代表 一郎"), ("other@example.jp", "別ラボ 二郎"), ("plain@example.jp", "会員 三郎")]
    {
        server.create_account(email, "a password", name, Role::Member).await;
    }
    for (lab, email, role) in
        [(town, "lead@example.jp", "lead"), (town, "plain@example.jp", "member"), (housing, "other@example.jp", "lead")]
    {
        let members = format!("/labs/{}/members", lab.0);
        office.submit(&members, &members, &[("email", email), ("role", role)]).await;
    }
    let log_in = |email: &'static str| {
        let b = server.browser();
        async move {
            b.log_in(email, "a password").await;
            b
        }
    };
    let (lead, other, plain) =
        (log_in("lead@example.jp").await, log_in("other@example.jp").await, log_in("plain@example.jp").await);

    // The lab page offers its lead to plan a session; the form is for their lab only.
    let lab_page = lead.get(&format!("/labs/{}", town.0)).await.html();
    let new = lab_page.attr("a[href^='/admin/events/new?lab=']", "href").expect("a way to plan one");
    let form = lead.get(&new).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.html().attrs("#lab option", "value"), [town.0.to_string()], "their lab, and not none");
    assert_eq!(form.html().attr("#kind option[selected]", "value").as_deref(), Some("study"));
    assert_eq!(plain.get("/admin/events/new").await.status, StatusCode::FORBIDDEN, "a member leads no lab");
    assert_eq!(lead.get("/admin/events").await.status, StatusCode::FORBIDDEN, "the list is the secretariat's");

    // Tomorrow evening: open for registration; its door is kept by the lead.
    let day = crate::support::jst_day(1);
    let session = |lab: String| {
        vec![
            ("kind", "study".to_owned()),
            ("title", "町内会の担い手を考える勉強会".to_owned()),
            ("date", day.clone()),
            ("start_time", "19:00".to_owned()),
            ("end_time", "20:30".to_owned()),
            ("venue", "仙台市市民活動サポートセンター".to_owned()),
            ("venue_capacity", "20".to_owned()),
            ("lab", lab),
        ]
    };
    // Never for another lab, nor for none; a wrong form keeps what was typed.
    let elsewhere = send(&lead, &new, "/admin/events", &session(housing.0.to_string())).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&lead, &new, "/admin/events", &session(String::new())).await.status, StatusCode::FORBIDDEN);
    let mut untitled = session(town.0.to_string());
    untitled[1].1 = String::new();
    let refused = send(&lead, &new, "/admin/events", &untitled).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().attr("#venue", "value").as_deref(), Some("仙台市市民活動サポートセンター"));

    let created = send(&lead, &new, "/admin/events", &session(town.0.to_string())).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    let id = admin_path.rsplit('/').next().unwrap().to_owned();
    // Its draft is on the lab page for the lead, with a way to manage it; not for others.
    let listed = lead.get(&format!("/labs/{}", town.0)).await.html();
    assert_eq!(listed.attr("#lab-sessions a[href^='/admin/events/']", "href"), Some(admin_path.clone()));
    assert_eq!(server.browser().get(&format!("/labs/{}", town.0)).await.html().count("#lab-sessions"), 0);
    let published = lead.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);

    // Another lab's lead and a plain member cannot touch it; the secretariat corrects it.
    for who in [&other, &plain] {
        assert_eq!(who.get(&admin_path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(who.get(&format!("/admin/events/{id}/checkin")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(who.get(&format!("/admin/events/{id}/roster.csv")).await.status, StatusCode::FORBIDDEN);
    }
    let mut corrected = session(town.0.to_string());
    corrected[6].1 = "25".to_owned();
    let saved = send(&office, &format!("{admin_path}/edit"), &admin_path, &corrected).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(server.browser().get(&format!("/events/{id}")).await.body.contains("残り 25席"));

    // People register; the lead keeps the door: a registration checked in, a walk-in.
    let guest = server.browser();
    let event_path = format!("/events/{id}");
    let registered = guest
        .submit(
            &event_path,
            &format!("{event_path}/registrations"),
            &[
                ("mode", "venue"),
                ("name", "参加 花子"),
                ("furigana", "サンカ ハナコ"),
                ("email", "hanako@example.jp"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let door = format!("/admin/events/{id}/checkin");
    let list = lead.get(&door).await;
    assert_eq!(list.status, StatusCode::OK);
    let check_in = list.html().attr(&format!("form[action^='{door}/']"), "action").expect("a registration to check in");
    assert_eq!(lead.submit(&door, &check_in, &[]).await.status, StatusCode::SEE_OTHER);
    let walk_in = [("name", ""), ("email", ""), ("sector", "government"), ("affiliation", "仙台市"), ("mode", "venue")];
    let walked = lead.submit(&door, &format!("/admin/events/{id}/walkins"), &walk_in).await;
    assert_eq!(walked.status, StatusCode::SEE_OTHER, "{}", walked.body);
    let roster = String::from_utf8(lead.get_bytes(&format!("/admin/events/{id}/roster.csv")).await).unwrap();
    assert!(roster.contains("参加 花子"), "{roster}");

    // The report's lab table counts the session's participants by sector.
    let fy = socialhub::i18n::FiscalYear::of(day.parse().unwrap()).0;
    let report: serde_json::Value =
        serde_json::from_str(&office.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body).unwrap();
    let line = report["labs"].as_array().unwrap().iter().find(|l| l["lab"] == "地域自治・町内会").unwrap().clone();
    assert_eq!(line["events"], 1, "{line}");
    assert_eq!(line["session_participants"]["citizen"], 1, "{line}");
    assert_eq!(line["session_participants"]["government"], 1, "{line}");
}

/// Sends a form's fields, taking its token from `page`.
async fn send(
    b: &crate::support::Browser,
    page: &str,
    action: &str,
    fields: &[(&'static str, String)],
) -> crate::support::Page {
    b.submit(page, action, &crate::support::fields_of(fields)).await
}
