//! Company hearings as the secretariat and coordinators keep them: recorded under the
//! report's four headings, counted without names on the aggregate page and in the annual
//! report, and seen by nobody else (not by members, not by search, not by another center).

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(coordinators_record_hearings_and_the_report_counts_them);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

async fn coordinators_record_hearings_and_the_report_counts_them(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account("coord@example.jp", "a password", "若林 つなぐ", Role::Coordinator).await;
    server.create_account("member@example.jp", "a password", "会員", Role::Member).await;
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let secretariat = server.secretariat().await;
    let visitor = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;

    // A refused form keeps what was typed.
    let refused = coordinator
        .submit(
            "/hearings/new",
            "/hearings",
            &[("company", "株式会社みやぎ電設"), ("held_on", "1月32日"), ("method", "visit")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().attr("#company", "value").as_deref(), Some("株式会社みやぎ電設"));
    assert!(refused.html().text("#held_on-error").is_some());

    let fy = socialhub::i18n::FiscalYear::of(socialhub::i18n::wareki::jst_date(chrono::Utc::now())).0;
    let day = format!("{fy}-12-06");
    let hearings: [&[(&str, &str)]; 3] = [
        &[
            ("company", "株式会社みやぎ電設"),
            ("industry", "電気設備、土木"),
            ("size", "medium"),
            ("held_on", &day),
            ("method", "visit"),
            ("activities", "地域の足の確保のためのモビリティ社会実験"),
            ("community_view", "地域の発展の先に自社の持続可能な経営が成り立つ。"),
            ("issues_watched", "高齢者の孤立"),
            ("issue_tags", "高齢者の孤立"),
            ("probono_barriers", "人手不足で手が回らない。"),
            ("barrier_tags", "人手不足、情報発信不足"),
            ("partners_wanted", "行政、町内会、大学"),
            ("partner", "government"),
            ("partner", "neighbourhood"),
            ("partner", "university"),
            ("follow_up", "ラボの勉強会に招く"),
        ],
        // The same company again, written in another width: it counts once.
        &[
            ("company", "株式会社 みやぎ電設"),
            ("held_on", &day),
            ("method", "mail"),
            ("barrier_tags", "人手不足"),
            ("partner", "government"),
        ],
        &[
            ("company", "仙台味噌醸造"),
            ("industry", "食品"),
            ("held_on", &day),
            ("method", "event"),
            ("occasion", "SENDAI SDGs Expo"),
            ("barrier_tags", "人手不足"),
        ],
    ];
    let mut paths = Vec::new();
    for fields in hearings {
        let page = coordinator.submit("/hearings/new", "/hearings", fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        paths.push(page.location().to_owned());
    }
    let first = &paths[0];
    let shown = coordinator.get(first).await;
    assert!(shown.body.contains("地域の発展の先に") && shown.body.contains("ラボの勉強会に招く"));
    assert_eq!(shown.html().text("#partner-kinds").map(|t| t.contains("町内会")), Some(true), "{}", shown.body);

    let summary = coordinator.get(&format!("/hearings/summary?fiscal_year={fy}")).await.html();
    assert_eq!(summary.text("#summary-counts").as_deref(), Some("ヒアリング3件（2社）"));
    let barriers = summary.texts("#hearing-barriers tbody tr");
    assert_eq!(
        barriers.first().map(|r| r.split_whitespace().collect::<Vec<_>>().join(" ")).as_deref(),
        Some("人手不足 2"),
        "{barriers:?}"
    );
    let methods = summary.texts("#hearing-methods tr");
    assert!(methods.iter().any(|r| r.contains("訪問") && r.contains('1')), "{methods:?}");
    assert!(!summary.text("main").unwrap_or_default().contains("みやぎ電設"), "the aggregate names no company");

    // The annual report carries the same numbers.
    let report: serde_json::Value =
        serde_json::from_str(&secretariat.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body)
            .unwrap();
    let h = &report["innovation"]["hearings"];
    assert_eq!((h["hearings"].as_i64(), h["companies"].as_i64()), (Some(3), Some(2)), "{h}");
    assert_eq!(h["by_method"][0], serde_json::json!(["visit", 1]));
    let page = secretariat.get(&format!("/admin/reports/annual?fiscal_year={fy}")).await.html();
    assert_eq!(page.text("#report-hearings-counts").as_deref(), Some("ヒアリング3件（2社）"));

    // Nobody else sees them: members are refused, visitors asked to log in, another
    // center finds nothing, and search never shows a hearing.
    for p in ["/hearings", "/hearings/new", "/hearings/summary", first.as_str(), &format!("{first}/edit")] {
        assert_eq!(member.get(p).await.status, StatusCode::FORBIDDEN, "member GET {p}");
        assert_eq!(visitor.get(p).await.status, StatusCode::SEE_OTHER, "visitor GET {p}");
        assert_eq!(secretariat.get(p).await.status, StatusCode::OK, "secretariat GET {p}");
    }
    assert_eq!(other_center.get(first).await.status, StatusCode::NOT_FOUND);
    assert!(!other_center.get("/hearings").await.body.contains("みやぎ電設"));
    assert_eq!(
        member.submit("/needs", first, &[("company", "x"), ("held_on", &day), ("method", "visit")]).await.status,
        StatusCode::FORBIDDEN
    );
    // A public organisation of a like name is found; the hearings never are.
    member.submit("/organisations/new", "/organisations", &[("name", "みやぎ電設協力会"), ("kind", "other")]).await;
    for b in [&visitor, &member, &coordinator] {
        let hits = b.get("/search?q=みやぎ電設").await.html().texts(".search-hits > li");
        assert_eq!(hits.len(), 1, "search shows no hearing: {hits:?}");
        assert!(hits[0].contains("協力会"), "{hits:?}");
    }
    // Editing: coordinators and the secretariat; deleting: the secretariat only.
    let edited = coordinator
        .submit(
            &format!("{first}/edit"),
            first,
            &[("company", "株式会社みやぎ電設"), ("held_on", &day), ("method", "online")],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    assert_eq!(coordinator.get(first).await.html().text("#method").as_deref(), Some("オンライン"));
    assert_eq!(coordinator.submit(first, &format!("{first}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other_center.submit("/hearings", &format!("{first}/delete"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(secretariat.submit(first, &format!("{first}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(secretariat.get(first).await.status, StatusCode::NOT_FOUND);
}
