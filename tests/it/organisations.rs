//! Organisations, tried as their users would: an NPO records itself, a colleague asks to
//! belong and is confirmed, and each person's choice of who sees that they belong is what
//! the public, a member and a coordinator see. Then who may do what, route by route, with
//! a member of another center.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(an_npo_records_itself_and_a_colleague_joins, who_may_do_what_with_organisations);

/// The names an organisation's page shows under 所属する人.
async fn shown(b: &Browser, path: &str) -> Vec<String> {
    b.get(path)
        .await
        .html()
        .texts("#people li")
        .into_iter()
        .map(|t| t.replace("管理者", "").trim().to_owned())
        .collect()
}

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

async fn an_npo_records_itself_and_a_colleague_joins(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    for (email, name, role) in [
        ("npo@example.jp", "青葉 太郎", Role::Member),
        ("colleague@example.jp", "青葉 花子", Role::Member),
        ("member@example.jp", "会員 一郎", Role::Member),
        ("coord@example.jp", "調整 次郎", Role::Coordinator),
    ] {
        server.create_account(email, "a password", name, role).await;
    }
    let npo = log_in(&server, "npo@example.jp").await;
    let colleague = log_in(&server, "colleague@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let anonymous = server.browser();

    // A bad form keeps what was typed and says what is wrong, in Japanese.
    let bad = npo
        .submit(
            "/organisations/new",
            "/organisations",
            &[("name", " "), ("kind", "club"), ("activities", "子ども食堂")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.html().text("#name-error").as_deref(), Some("団体名を入力してください。"));
    assert_eq!(bad.html().text("#kind-error").as_deref(), Some("種類を選んでください。"));
    assert_eq!(bad.html().text("#activities").as_deref(), Some("子ども食堂"), "input kept");

    let fields = [
        ("name", "特定非営利活動法人あおば"),
        ("kind", "npo"),
        ("place", "仙台市青葉区"),
        ("activities", "居住支援と子ども食堂"),
        ("seeking", "会計の相談、ボランティア"),
        ("visibility", "public"),
    ];
    let created = npo.submit("/organisations/new", "/organisations", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let path = created.location().to_owned();
    let again = npo.submit("/organisations/new", "/organisations", &fields).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("その名前の団体はすでに登録されています。"));

    // Everyone reads what it does and looks for; its admin chose to be shown to all.
    let page = anonymous.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.html().text("#seeking").as_deref(), Some("会計の相談、ボランティア"));
    assert_eq!(page.html().text("#organisation-kind").as_deref(), Some("NPO・市民活動団体"));
    assert_eq!(shown(&anonymous, &path).await, ["青葉 太郎"]);
    let list = anonymous.get("/organisations?kind=npo").await;
    assert!(list.body.contains("特定非営利活動法人あおば"));
    assert!(!anonymous.get("/organisations?kind=company").await.body.contains("特定非営利活動法人あおば"));

    // Search finds it by what it does and looks for, in the same box as everything else.
    assert_eq!(crate::search::titles(&anonymous, "会計の相談").await, ["特定非営利活動法人あおば"]);
    assert_eq!(crate::search::titles(&anonymous, "子ども食堂").await, ["特定非営利活動法人あおば"]);

    // A colleague asks to belong, shown to members only; nobody sees them before the
    // organisation's admin confirms.
    let asked = colleague.submit(&path, &format!("{path}/join"), &[("visibility", "members")]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let mine = colleague.get(&path).await;
    assert!(mine.html().text("#own-status").unwrap().contains("承認を待っています"), "{}", mine.body);
    assert_eq!(shown(&member, &path).await, ["青葉 太郎"]);
    assert_eq!(member.get(&format!("{path}/people")).await.status, StatusCode::FORBIDDEN);
    let people = npo.get(&format!("{path}/people")).await;
    assert!(people.html().text("tbody").unwrap().contains("承認待ち"));
    let waiting = people.html().attrs("form[action$='/confirm']", "action");
    assert_eq!(waiting.len(), 1, "only the colleague waits");
    assert_eq!(npo.submit(&format!("{path}/people"), &waiting[0], &[]).await.status, StatusCode::SEE_OTHER);

    // Members only: the public does not see the colleague, a member and a coordinator do.
    assert_eq!(shown(&anonymous, &path).await, ["青葉 太郎"]);
    assert_eq!(shown(&member, &path).await, ["青葉 太郎", "青葉 花子"]);
    assert_eq!(shown(&coordinator, &path).await, ["青葉 太郎", "青葉 花子"]);
    assert!(colleague.get(&path).await.html().text("#own-status").unwrap().contains("所属しています"));

    // Coordinators only, then nobody: each level shows to exactly whom it says.
    colleague.submit(&path, &format!("{path}/join"), &[("visibility", "coordinators")]).await;
    assert_eq!(shown(&anonymous, &path).await, ["青葉 太郎"]);
    assert_eq!(shown(&member, &path).await, ["青葉 太郎"]);
    assert_eq!(shown(&coordinator, &path).await, ["青葉 太郎", "青葉 花子"]);
    colleague.submit(&path, &format!("{path}/join"), &[("visibility", "nobody")]).await;
    for b in [&anonymous, &member, &coordinator, &colleague] {
        assert_eq!(shown(b, &path).await, ["青葉 太郎"]);
    }
    assert!(!anonymous.get(&path).await.body.contains("青葉 花子"), "not anywhere on the page");
    // Nor does search tell who belongs, to anyone.
    for b in [&anonymous, &member, &coordinator] {
        assert!(crate::search::titles(b, "青葉 花子").await.iter().all(|t| t != "特定非営利活動法人あおば"));
    }
    // Edited, it is found by its new words.
    let edited: Vec<(&str, &str)> =
        fields.iter().map(|&(k, v)| if k == "seeking" { (k, "デザインのプロボノ") } else { (k, v) }).collect();
    assert_eq!(npo.submit(&format!("{path}/edit"), &path, &edited).await.status, StatusCode::SEE_OTHER);
    assert_eq!(crate::search::titles(&member, "デザインのプロボノ").await, ["特定非営利活動法人あおば"]);
    assert!(crate::search::titles(&member, "会計の相談").await.is_empty());
    // The person's export holds the link and their choice.
    let export: serde_json::Value = serde_json::from_str(&colleague.get("/account/export").await.body).unwrap();
    assert_eq!(export["organisations"][0]["name"], "特定非営利活動法人あおば");
    assert_eq!(export["organisations"][0]["shown_to"], "nobody");
    // Its admins still see everyone who belongs, to manage them.
    assert!(npo.get(&format!("{path}/people")).await.body.contains("青葉 花子"));

    // The only admin cannot leave it without an admin; after appointing another they can.
    let left = npo.submit(&path, &format!("{path}/leave"), &[]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    let after = npo.get(&path).await;
    assert!(after.body.contains("管理者が少なくとも1人必要です"), "{}", after.body);
    assert!(after.html().text("#own-status").unwrap().contains("所属しています"));
    let appoint = npo.get(&format!("{path}/people")).await.html().attrs("form[action$='/admin']", "action");
    assert_eq!(appoint.len(), 2, "each who belongs");
    for action in &appoint {
        npo.submit(&format!("{path}/people"), action, &[("admin", "1")]).await;
    }
    assert!(colleague.get(&path).await.body.contains(&format!("{path}/edit")), "the colleague manages it now");
    assert_eq!(npo.submit(&path, &format!("{path}/leave"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(npo.get(&path).await.html().text("#own-status"), None, "no longer linked");
    assert_eq!(shown(&anonymous, &path).await, Vec::<String>::new());
}

type Case = (String, Vec<(&'static str, String)>, [bool; 2]);

async fn who_may_do_what_with_organisations(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    for (email, name, role) in [
        ("admin-of-org@example.jp", "団体 管理者", Role::Member),
        ("waiting@example.jp", "申し出 中", Role::Member),
        ("member@example.jp", "会員", Role::Member),
        ("coord@example.jp", "コーディネーター", Role::Coordinator),
    ] {
        server.create_account(email, "a password", name, role).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let secretariat = server.secretariat().await;
    let org_admin = log_in(&server, "admin-of-org@example.jp").await;
    let waiting = log_in(&server, "waiting@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let anonymous = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;

    let path = org_admin
        .submit("/organisations/new", "/organisations", &[("name", "若林区町内会連合会"), ("kind", "neighbourhood")])
        .await
        .location()
        .to_owned();
    waiting.submit(&path, &format!("{path}/join"), &[("visibility", "public")]).await;
    let people = org_admin.get(&format!("{path}/people")).await;
    let confirm = people.html().attr("form[action$='/confirm']", "action").unwrap();
    let person = confirm.trim_end_matches("/confirm").to_owned();

    // Public pages: everyone of the center reads them; another center finds nothing.
    for b in [&anonymous, &member, &waiting, &coordinator, &org_admin, &secretariat] {
        for p in ["/organisations", path.as_str()] {
            assert_eq!(b.get(p).await.status, StatusCode::OK, "GET {p}");
        }
    }
    assert_eq!(other_center.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!other_center.get("/organisations").await.body.contains("若林区町内会連合会"));

    // (action, fields, who may: the organisation's admin, the secretariat). Any member
    // records an organisation and says they belong; managing it is its admins' and the
    // secretariat's.
    let edit = vec![("name", "若林区町内会連合会".to_owned()), ("kind", "neighbourhood".to_owned())];
    let cases: Vec<Case> = vec![
        (path.clone(), edit, [true, true]),
        (confirm.clone(), vec![], [true, true]),
        (format!("{person}/admin"), vec![("admin", "0".into())], [true, true]),
        (format!("{person}/remove"), vec![], [true, true]),
    ];
    let gets = [(format!("{path}/edit"), [true, true]), (format!("{path}/people"), [true, true])];
    let readers: [(&str, &Browser, Option<usize>); 5] = [
        ("organisation's admin", &org_admin, Some(0)),
        ("secretariat", &secretariat, Some(1)),
        ("member waiting to belong", &waiting, None),
        ("coordinator", &coordinator, None),
        ("visitor", &anonymous, None),
    ];
    for (who, b, index) in readers {
        let allowed = |may: &[bool; 2]| index.is_some_and(|i| may[i]);
        for (p, may) in &gets {
            let expected = if allowed(may) {
                200
            } else if who == "visitor" {
                303
            } else {
                403
            };
            assert_eq!(b.get(p).await.status.as_u16(), expected, "{who} GET {p}");
        }
        for (action, fields, may) in &cases {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = if who == "visitor" { "/login" } else { path.as_str() };
            let status = b.submit(page, action, &fields).await.status.as_u16();
            if allowed(may) {
                assert!(status == 303 || status == 422, "{who} POST {action}: {status}");
                // Put the person back as they were for the next reader.
                if action.ends_with("/remove") {
                    waiting.submit(&path, &format!("{path}/join"), &[("visibility", "public")]).await;
                }
            } else {
                let expected = if who == "visitor" { 303 } else { 403 };
                assert_eq!(status, expected, "{who} POST {action}");
            }
        }
    }
    // Recording one and saying one belongs: any member, never a visitor.
    for (action, fields) in [
        ("/organisations", vec![("name", "株式会社みやぎ"), ("kind", "company")]),
        (&format!("{path}/join") as &str, vec![("visibility", "members")]),
    ] {
        assert_eq!(anonymous.submit("/login", action, &fields).await.status, StatusCode::SEE_OTHER, "visitor {action}");
        assert_eq!(coordinator.submit(&path, action, &fields).await.status, StatusCode::SEE_OTHER, "{action}");
    }
    assert!(anonymous.get("/organisations/new").await.status == StatusCode::SEE_OTHER);
    // Another center's secretariat: nothing of this center exists for them.
    for (action, fields, _) in &cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            other_center.submit("/organisations", action, &fields).await.status,
            StatusCode::NOT_FOUND,
            "{action}"
        );
    }
    for action in [format!("{path}/join"), format!("{path}/leave")] {
        assert_eq!(other_center.submit("/organisations", &action, &[]).await.status, StatusCode::NOT_FOUND, "{action}");
    }
    for p in [format!("{path}/edit"), format!("{path}/people")] {
        assert_eq!(other_center.get(&p).await.status, StatusCode::NOT_FOUND, "other center GET {p}");
    }
    // Forged forms without a token change nothing.
    assert_eq!(org_admin.post_raw(&format!("{person}/remove"), &[]).await.status, StatusCode::FORBIDDEN);
}

on_both_backends!(the_network_is_counted_for_the_annual_report);

/// The annual report's network numbers: members and new members, organisations by the
/// sector they count in, and members who took part in more than one program.
async fn the_network_is_counted_for_the_annual_report(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    for email in ["a@example.jp", "b@example.jp", "c@example.jp"] {
        server.create_account(email, "a password", "会員", Role::Member).await;
    }
    let office = server.secretariat().await;
    let a = log_in(&server, "a@example.jp").await;
    let b = log_in(&server, "b@example.jp").await;
    // A brings an issue and belongs to a lab: two programs. B brings an issue only.
    for (who, title) in [(&a, "空き家が増えている"), (&b, "担い手が足りない")] {
        let sent = who.submit("/issues/new", "/issues", &[("title", title), ("description", "説明")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let lab = office
        .submit("/labs/new", "/labs", &[("title", "居住支援"), ("founded_on", "2023-10-01")])
        .await
        .location()
        .to_owned();
    office
        .submit(&format!("{lab}/members"), &format!("{lab}/members"), &[("email", "a@example.jp"), ("role", "member")])
        .await;
    a.submit("/organisations/new", "/organisations", &[("name", "NPOあおば"), ("kind", "npo")]).await;
    b.submit("/organisations/new", "/organisations", &[("name", "五橋町内会"), ("kind", "neighbourhood")]).await;

    // C posts on the board and comments on it: one program, counted once.
    let c = log_in(&server, "c@example.jp").await;
    let board = [("category", "notice"), ("audience", "public"), ("title", "お知らせ"), ("body", "本文")];
    let post = c.submit("/board/new", "/board", &board).await.location().to_owned();
    c.submit(&post, &format!("{post}/comments"), &[("body", "追記")]).await;
    let fy = socialhub::i18n::FiscalYear::of_instant(chrono::Utc::now()).0;
    let page = office.get(&format!("/admin/reports/annual?fiscal_year={fy}")).await.html();
    assert_eq!(page.text("#network-members").as_deref(), Some("4"), "three members and the secretariat");
    assert_eq!(page.text("#network-new-members").as_deref(), Some("4"));
    assert_eq!(page.text("#network-several").as_deref(), Some("1"));
    assert_eq!(page.text("#network-organisations").as_deref(), Some("2"));
    assert_eq!(page.text("#network-posts").as_deref(), Some("1"));
    let by_sector = page.texts("#organisations-by-sector tbody tr");
    assert!(by_sector.iter().any(|r| r.contains("市民") && r.contains('1')), "{by_sector:?}");
    assert!(by_sector.iter().any(|r| r.contains("NPO") && r.contains('1')), "{by_sector:?}");
    let json: serde_json::Value =
        serde_json::from_str(&office.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body).unwrap();
    assert_eq!(json["network"]["in_several_programs"], 1);
    // The year before: none of it yet.
    let before = office.get(&format!("/admin/reports/annual?fiscal_year={}", fy - 1)).await.html();
    assert_eq!(before.text("#network-members").as_deref(), Some("0"));
    assert_eq!(before.text("#network-organisations").as_deref(), Some("0"));
}

on_both_backends!(a_session_counts_the_organisations_its_people_came_from);

/// 「11団体15名」: the check-in page counts the bodies attendees came from, however their
/// names were typed, linking the center's registered organisations.
async fn a_session_counts_the_organisations_its_people_came_from(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 太郎", Role::Member).await;
    let npo = log_in(&server, "npo@example.jp").await;
    let org = npo
        .submit("/organisations/new", "/organisations", &[("name", "NPO法人あおば"), ("kind", "npo")])
        .await
        .location()
        .to_owned();
    let office = server.secretariat().await;
    let event = server.published_event("報告会", -1, Some(50)).await;
    let checkin = format!("/admin/events/{}/checkin", event.0);
    let walkins = format!("/admin/events/{}/walkins", event.0);
    for (name, affiliation) in [
        ("一 太郎", "ＮＰＯ法人あおば"),
        ("二 花子", "npo法人 あおば"),
        ("三 次郎", "仙台市"),
        ("四 三郎", "仙台市"),
        ("五 四郎", ""),
    ] {
        let fields = [("name", name), ("sector", "npo"), ("mode", "venue"), ("affiliation", affiliation)];
        assert_eq!(office.submit(&checkin, &walkins, &fields).await.status, StatusCode::SEE_OTHER);
    }
    let page = office.get(&checkin).await.html();
    assert_eq!(page.text("#bodies-count").as_deref(), Some("2団体4名"));
    assert_eq!(page.texts("#bodies li"), ["NPO法人あおば — 2名", "仙台市 — 2名"]);
    assert_eq!(page.attr("#bodies a", "href"), Some(org.clone()));

    // A person's 所属 links to the organisation it names, however typed; free text stays.
    let saved = npo
        .submit(
            "/account",
            "/account",
            &[
                ("display_name", "青葉 太郎"),
                ("furigana", "アオバ タロウ"),
                ("sector", "npo"),
                ("affiliation", "ＮＰＯ法人 あおば"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let account = npo.get("/account").await.html();
    assert_eq!(account.attr("#affiliation-organisation a", "href"), Some(org.clone()));
    assert_eq!(account.attr("#affiliation", "value").as_deref(), Some("ＮＰＯ法人 あおば"), "as typed");
    let accounts = office.get("/admin/accounts").await.html();
    assert!(accounts.attrs("td a", "href").contains(&org), "linked in the secretariat's list");
    let later = server.published_event("次の報告会", 48, Some(50)).await;
    let registered = npo
        .submit(&format!("/events/{}", later.0), &format!("/events/{}/registrations", later.0), &[("mode", "venue")])
        .await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let list = office.get(&format!("/admin/events/{}/checkin", later.0)).await.html();
    assert_eq!(list.attr(".who a", "href"), Some(org), "linked at the door");
    // An affiliation that names no recorded organisation is plain text.
    npo.submit(
        "/account",
        "/account",
        &[("display_name", "青葉 太郎"), ("furigana", "アオバ タロウ"), ("sector", "npo"), ("affiliation", "個人")],
    )
    .await;
    let account = npo.get("/account").await.html();
    assert_eq!(account.attr("#affiliation-organisation a", "href").as_deref(), Some("/organisations"));
}
