//! Coordinator trainings and visits to other centers, as the secretariat records them, and
//! counted in the annual report as the seed report counts them (研修: 内部1, 外部2, OJT2;
//! 3 coordinators trained; a two-day visit to five organisations). Nobody but the
//! secretariat and coordinators sees them.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(trainings_and_visits_are_counted_in_the_report);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

async fn trainings_and_visits_are_counted_in_the_report(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    for (email, name, role) in [
        ("c1@example.jp", "青葉 一", Role::Coordinator),
        ("c2@example.jp", "宮城 二", Role::Coordinator),
        ("c3@example.jp", "若林 三", Role::Coordinator),
        ("member@example.jp", "会員", Role::Member),
    ] {
        server.create_account(email, "a password", name, role).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let secretariat = server.secretariat().await;
    let coordinator = log_in(&server, "c1@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;

    // The coordinators' checkboxes, by name.
    let form = secretariat.get("/trainings/new").await.html();
    let id_of = |name: &str| {
        let label = form.attrs("label[for^='participant-']", "for");
        let texts = form.texts("label[for^='participant-']");
        let at = texts.iter().position(|t| t.contains(name)).unwrap_or_else(|| panic!("{name} in {texts:?}"));
        label[at].trim_start_matches("participant-").to_owned()
    };
    let (c1, c2, c3) = (id_of("青葉 一"), id_of("宮城 二"), id_of("若林 三"));
    let fy = socialhub::i18n::FiscalYear::of(socialhub::i18n::wareki::jst_date(chrono::Utc::now())).0;
    let day = |m: u32, d: u32| format!("{}-{m:02}-{d:02}", if m < 4 { fy + 1 } else { fy });
    let trainings: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("kind", "internal".into()),
            ("held_on", day(12, 6)),
            ("title", "コーディネーター業務の基礎".into()),
            ("lecturer", "渡邊一馬".into()),
            ("participant", c1.clone()),
            ("participant", c2.clone()),
        ],
        vec![
            ("kind", "external".into()),
            ("held_on", day(2, 28)),
            ("title", "連携オンラインセミナー基礎編".into()),
            ("participant", c1.clone()),
            ("participant", c2.clone()),
            ("others", "１".into()),
        ],
        vec![
            ("kind", "external".into()),
            ("held_on", day(3, 5)),
            ("title", "連携オンラインセミナー実践編".into()),
            ("participant", c3.clone()),
            ("others", "2".into()),
        ],
        vec![
            ("kind", "ojt".into()),
            ("held_on", day(3, 15)),
            ("title", "プロボノプロジェクトのブラッシュアップ".into()),
            ("participant", c1.clone()),
        ],
        vec![
            ("kind", "ojt".into()),
            ("held_on", day(3, 29)),
            ("title", "プロボノプロジェクトのブラッシュアップ".into()),
            ("participant", c1.clone()),
        ],
    ];
    let mut first = String::new();
    for fields in &trainings {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = coordinator.submit("/trainings/new", "/trainings", &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        if first.is_empty() {
            first = page.location().to_owned();
        }
    }
    let shown = coordinator.get(&first).await.html();
    let participants = shown.text("#participants").unwrap();
    assert!(
        participants.starts_with("2名（") && participants.contains("青葉 一") && participants.contains("宮城 二"),
        "{participants}"
    );
    // A refused form keeps what was typed.
    let refused = coordinator
        .submit("/trainings/new", "/trainings", &[("title", "研修"), ("others", "たくさん"), ("participant", &c2)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert_eq!(html.attr("#others", "value").as_deref(), Some("たくさん"));
    assert!(html.attr(&format!("#participant-{c2}"), "checked").is_some(), "ticked stays ticked");
    assert!(html.text("#kind-error").is_some() && html.text("#held_on-error").is_some());

    let visit = secretariat
        .submit(
            "/visits/new",
            "/visits",
            &[
                ("starts_on", &day(8, 30)),
                ("ends_on", &day(8, 31)),
                ("destination", "京都市"),
                ("visitors", "2"),
                ("organisations", "龍谷大学 政策学部\n公益財団法人京都地域創造基金\n京都市市民活動総合センター\n京都市文化市民局地域自治推進課\n京都市下京いきいき市民活動センター"),
                ("people_met", "教授 深尾昌峰氏\nセンター長 内田香奈氏"),
                ("learnt", "協働による多様な取組"),
                ("shared_with_city", "報告書で市に共有"),
            ],
        )
        .await;
    assert_eq!(visit.status, StatusCode::SEE_OTHER, "{}", visit.body);
    let visit = visit.location().to_owned();
    assert_eq!(coordinator.get(&visit).await.html().count("#organisations li"), 5);
    assert!(coordinator.get("/visits").await.html().text("#visit-counts").unwrap().contains("2日"));

    let report: serde_json::Value =
        serde_json::from_str(&secretariat.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body)
            .unwrap();
    let i = &report["innovation"];
    assert_eq!(i["trainings"]["by_kind"], serde_json::json!([["internal", 1], ["external", 2], ["ojt", 2]]), "{i}");
    assert_eq!(i["trainings"]["coordinators_trained"], 3);
    assert_eq!(i["visits"], serde_json::json!({"visits": 1, "days": 2, "organisations": 5}));
    let page = secretariat.get(&format!("/admin/reports/annual?fiscal_year={fy}")).await.html();
    assert_eq!(page.text("#coordinators-trained").as_deref(), Some("3"));

    // Nobody else: a member is refused, another center finds nothing; deleting is the
    // secretariat's.
    for p in ["/trainings", "/trainings/new", first.as_str(), "/visits", "/visits/new", visit.as_str()] {
        assert_eq!(member.get(p).await.status, StatusCode::FORBIDDEN, "member GET {p}");
        assert_eq!(server.browser().get(p).await.status, StatusCode::SEE_OTHER, "visitor GET {p}");
    }
    for p in [first.as_str(), visit.as_str()] {
        assert_eq!(other_center.get(p).await.status, StatusCode::NOT_FOUND, "other center GET {p}");
        assert_eq!(coordinator.submit(p, &format!("{p}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(secretariat.submit(p, &format!("{p}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(secretariat.get(p).await.status, StatusCode::NOT_FOUND);
    }
}
