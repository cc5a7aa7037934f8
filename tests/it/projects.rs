//! Projects as a session's participants start one: born in a session or a lab and linked
//! both ways, with members, a status, updates that go to the board and needs of their own;
//! the annual report counts those started. Then who may do what.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer, event_draft};

on_both_backends!(a_project_born_in_a_session_works_and_is_counted);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

async fn a_project_born_in_a_session_works_and_is_counted(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    for (email, name) in
        [("lead@example.jp", "青葉 リーダー"), ("member@example.jp", "宮城 メンバー"), ("other@example.jp", "他 人")]
    {
        server.create_account(email, "a password", name, Role::Member).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let lead = log_in(&server, "lead@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let other = log_in(&server, "other@example.jp").await;
    let visitor = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;
    let held = server.published_event("空き家と地域の情報交換会", -48, None).await;
    let draft = server
        .insert_event(
            &event_draft("準備中の会", chrono::Utc::now() - chrono::TimeDelta::hours(48)),
            socialhub::event::Status::Draft,
        )
        .await;
    let lab = server.open_lab("居住支援ラボ").await;

    // Started from the session's page, it says where it was born; the page links back.
    let event_page = format!("/events/{}", held.0);
    let start =
        lead.get(&event_page).await.html().attr("a[href^='/projects/new?event=']", "href").expect("a way to start one");
    let form = lead.get(&start).await;
    assert!(form.html().text("#origins").unwrap().contains("空き家と地域の情報交換会"));
    let page = lead
        .submit(
            &start,
            "/projects",
            &[("title", "空き家の見守りネットワーク"), ("status", "active"), ("event", &held.0.to_string())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let project = page.location().to_owned();
    let project_id = project.trim_start_matches("/projects/").to_owned();
    assert!(lead.get(&project).await.html().text("#born-in-event").unwrap().contains("空き家と地域の情報交換会"));
    assert!(
        visitor.get(&event_page).await.html().text("#born-projects").unwrap().contains("空き家の見守りネットワーク")
    );
    // One born in the lab, still forming.
    let page = lead
        .submit(
            &format!("/projects/new?lab={}", lab.0),
            "/projects",
            &[("title", "居住支援の相談会"), ("lab", &lab.0.to_string())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        visitor
            .get(&format!("/labs/{}", lab.0))
            .await
            .html()
            .text("#born-projects")
            .unwrap()
            .contains("居住支援の相談会")
    );
    // Never from a session nobody may see.
    assert_eq!(lead.get(&format!("/projects/new?event={}", draft.0)).await.status, StatusCode::NOT_FOUND);
    let sneaked = lead.submit("/projects/new", "/projects", &[("title", "x"), ("event", &draft.0.to_string())]).await;
    assert_eq!(sneaked.status, StatusCode::NOT_FOUND);
    // A refused form keeps what was typed.
    let refused = lead
        .submit(&start, "/projects", &[("title", ""), ("description", "説明"), ("event", &held.0.to_string())])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().text("#description").as_deref(), Some("説明"));

    // The lead adds a member, who posts an update: it goes on the board.
    assert_eq!(
        lead.submit(&project, &format!("{project}/members"), &[("email", "member@example.jp")]).await.status,
        StatusCode::SEE_OTHER
    );
    let posted = member
        .submit(
            &project,
            &format!("{project}/updates"),
            &[("title", "見守り訪問を始めました"), ("body", "10軒を訪ねました。"), ("audience", "public")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let board = visitor.get("/board").await.body;
    assert!(board.contains("【空き家の見守りネットワーク】見守り訪問を始めました"), "{board}");
    assert_eq!(visitor.get(&project).await.html().count("#updates li"), 1);
    assert_eq!(
        other.submit(&project, &format!("{project}/updates"), &[("title", "x"), ("body", "y")]).await.status,
        StatusCode::FORBIDDEN
    );
    // The member posts a need for the project; someone outside it cannot.
    let need = member
        .submit(
            "/needs/new",
            "/needs",
            &[
                ("title", "見守り名簿の整理"),
                ("kind", "time"),
                ("visibility", "public"),
                ("on_behalf", &format!("p{project_id}")),
            ],
        )
        .await;
    assert_eq!(need.status, StatusCode::SEE_OTHER, "{}", need.body);
    assert!(
        visitor.get(need.location()).await.html().text("#posted-by").unwrap().contains("空き家の見守りネットワーク")
    );
    assert!(visitor.get(&project).await.html().text("#project-needs").unwrap().contains("見守り名簿の整理"));
    let refused = other
        .submit(
            "/needs/new",
            "/needs",
            &[("title", "x"), ("kind", "time"), ("visibility", "public"), ("on_behalf", &format!("p{project_id}"))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Members are for members of the center; the only lead cannot leave.
    assert_eq!(visitor.get(&project).await.html().count("#members li"), 0);
    assert_eq!(other.get(&project).await.html().count("#members li"), 2);
    let me = lead.get(&project).await.html().attr("#members form[action$='/remove']", "action").unwrap();
    lead.submit(&project, &me, &[]).await;
    assert_eq!(lead.get(&project).await.html().count("#members li"), 2, "the only lead stays");

    // Who may do what.
    let edit = [("title", "空き家の見守りネットワーク"), ("status", "active"), ("event", &held.0.to_string() as &str)];
    for (who, b, get, post) in
        [("visitor", &visitor, 303, 303), ("other member", &other, 403, 403), ("member", &member, 403, 403)]
    {
        assert_eq!(b.get(&format!("{project}/edit")).await.status.as_u16(), get, "{who} edit");
        let page = if who == "visitor" { "/login" } else { project.as_str() };
        assert_eq!(b.submit(page, &project, &edit).await.status.as_u16(), post, "{who} save");
        assert_eq!(
            b.submit(page, &format!("{project}/members"), &[("email", "other@example.jp")]).await.status.as_u16(),
            post,
            "{who} add"
        );
    }
    assert_eq!(server.secretariat().await.submit(&project, &project, &edit).await.status, StatusCode::SEE_OTHER);
    assert_eq!(other_center.get(&project).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other_center.submit("/projects", &format!("{project}/members"), &[("email", "office@tagajo.jp")]).await.status,
        StatusCode::NOT_FOUND
    );

    // An address nobody has comes back with the address kept and the reason on its field.
    let refused = lead.submit(&project, &format!("{project}/members"), &[("email", "nobody@example.jp")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().attr("#email", "value").as_deref(), Some("nobody@example.jp"));
    assert!(refused.html().text("#email-error").is_some());
    // Done without ever being active: never started.
    lead.submit("/projects/new", "/projects", &[("title", "すぐ終わった企画"), ("status", "done")]).await;
    // The report counts the project started, not the one still forming.
    let fy = socialhub::i18n::FiscalYear::of(socialhub::i18n::wareki::jst_date(chrono::Utc::now())).0;
    let report: serde_json::Value = serde_json::from_str(
        &server.secretariat().await.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body,
    )
    .unwrap();
    assert_eq!(report["innovation"]["projects_started"], 1);
}
