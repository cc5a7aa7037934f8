//! A lab meeting records who came (issue 21): the members ticked, the others by sector or
//! of unknown sector, whether pro bono partners were there; the annual report's lab table
//! counts meetings, those with pro bono partners, attendances by sector and the lab's study
//! sessions' participants by sector.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, event_draft, jst_day};

on_both_backends!(a_meeting_records_who_came_and_the_report_counts_them_by_sector);

async fn a_meeting_records_who_came_and_the_report_counts_them_by_sector(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let lab = server.open_lab("地域自治・町内会").await;
    let members = format!("/labs/{}/members", lab.0);
    for (email, name, role) in [("lead@example.jp", "代表 一郎", "lead"), ("pro@example.jp", "税理 士郎", "probono")]
    {
        server.create_account(email, "a password", name, Role::Member).await;
        office.submit(&members, &members, &[("email", email), ("role", role)]).await;
    }
    let lead = server.browser();
    lead.log_in("lead@example.jp", "a password").await;
    let (new, meetings) = (format!("/labs/{}/meetings/new", lab.0), format!("/labs/{}/meetings", lab.0));
    let form = lead.get(&new).await.html();
    let boxes = form.attrs("#members input[type=checkbox]", "value");
    assert_eq!(boxes.len(), 2, "each member can be ticked");
    assert_eq!(form.count("#guests input"), 6, "a count per sector");

    // A wrong count is refused, everything kept.
    let today = jst_day(0);
    let fields = |npo: &'static str| {
        vec![
            ("held_on", today.clone()),
            ("member", boxes[0].clone()),
            ("member", boxes[1].clone()),
            ("guest_npo", npo.to_owned()),
            ("guest_government", "１".to_owned()),
            ("others", "1".to_owned()),
            ("with_probono", "1".to_owned()),
            ("minutes", "担い手不足について話し合った。".to_owned()),
        ]
    };
    let wrong = fields("二");
    let refused = lead.submit(&new, &meetings, &crate::support::fields_of(&wrong)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert_eq!(html.text("#guest_npo-error").as_deref(), Some("参加人数を0以上の数字で入力してください。"));
    assert_eq!(html.attr("#guest_npo", "value").as_deref(), Some("二"));
    assert_eq!(html.attr("#guest_government", "value").as_deref(), Some("１"));
    assert_eq!(html.count("#members input[checked]"), 2);
    assert_eq!(html.count("#with_probono[checked]"), 1);

    // Two members (NPO by their accounts), two NPO and one city staff, one unknown: 6.
    let right = fields("2");
    let saved = lead.submit(&new, &meetings, &crate::support::fields_of(&right)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = server.browser().get(&format!("/labs/{}", lab.0)).await.html();
    let listed = page.texts(".meetings li");
    assert!(listed[0].contains("参加 6人") && listed[0].contains("プロボノと"), "{listed:?}");
    let edit = lead.get(&format!("/labs/{}", lab.0)).await.html().attr("a[href$='/edit'][href*='/meetings/']", "href");
    let edit = lead.get(&edit.unwrap()).await.html();
    assert_eq!(edit.count("#members input[checked]"), 2);
    assert_eq!(edit.attr("#guest_npo", "value").as_deref(), Some("2"));
    assert_eq!(edit.attr("#others", "value").as_deref(), Some("1"));
    // One recorded by a number alone: of unknown sector.
    let plain = [("held_on", today.as_str()), ("others", "3")];
    assert_eq!(lead.submit(&new, &meetings, &plain).await.status, StatusCode::SEE_OTHER);

    // A study session of the lab, people checked in at the door by sector.
    let mut draft = event_draft("町内会の勉強会", chrono::Utc::now() - chrono::TimeDelta::hours(3));
    draft.lab_id = Some(lab);
    let session = server.insert_event(&draft, socialhub::event::Status::Published).await;
    let (checkin, walkins) =
        (format!("/admin/events/{}/checkin", session.0), format!("/admin/events/{}/walkins", session.0));
    for sector in ["citizen", "citizen", "government"] {
        let walked = office
            .submit(
                &checkin,
                &walkins,
                &[("name", ""), ("email", ""), ("sector", sector), ("affiliation", ""), ("mode", "venue")],
            )
            .await;
        assert_eq!(walked.status, StatusCode::SEE_OTHER, "{}", walked.body);
    }

    let fy = socialhub::i18n::FiscalYear::of_instant(chrono::Utc::now()).0;
    let report: serde_json::Value =
        serde_json::from_str(&office.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body).unwrap();
    let line = &report["labs"][0];
    assert_eq!(line["lab"], "地域自治・町内会", "{report}");
    assert_eq!((&line["meetings"], &line["probono_meetings"], &line["attendees"]), (&2.into(), &1.into(), &9.into()));
    assert_eq!(line["meeting_sectors"]["npo"], 4, "{line}");
    assert_eq!(line["meeting_sectors"]["government"], 1);
    assert_eq!(line["meeting_unknown"], 4, "one, and the three of the plain record");
    assert_eq!(line["events"], 1);
    assert_eq!(line["session_participants"]["citizen"], 2, "{line}");
    assert_eq!(line["session_participants"]["government"], 1);
    let page = office.get(&format!("/admin/reports/annual?fiscal_year={fy}")).await.html();
    assert_eq!(page.texts("#lab-activity tbody tr"), ["地域自治・町内会 2 1 9 1 3"]);
    assert_eq!(
        page.texts("#lab-sectors tbody tr"),
        ["地域自治・町内会 ミーティング 0 0 0 4 1 0 4 9", "勉強会・セッション 2 0 0 0 1 0 0 3"]
    );
}
