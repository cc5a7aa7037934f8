//! The roles table of `docs/roles.md`, tried route by route: each row's route as a
//! visitor, a member, the record's owner, a coordinator, the secretariat and another
//! center's secretariat, expecting what the table says. The table is read from the file,
//! so the document and the behaviour cannot drift apart; and every route of the areas it
//! covers must have a row.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(every_route_answers_each_reader_as_the_roles_table_says);

const READERS: [&str; 6] = ["visitor", "member", "owner", "coordinator", "secretariat", "other center"];

/// The rows of the table: (method, route, expected per reader).
fn rows() -> Vec<(String, String, Vec<String>)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/roles.md")).expect("docs/roles.md");
    doc.lines()
        .filter(|l| l.starts_with("| GET ") || l.starts_with("| POST "))
        .map(|l| {
            let cells: Vec<String> = l.trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect();
            assert_eq!(cells.len(), 7, "a row of seven cells: {l}");
            let (method, route) = cells[0].split_once(' ').expect("method and route");
            (method.to_owned(), route.to_owned(), cells[1..].to_vec())
        })
        .collect()
}

/// The routes the areas of the table declare in their code.
fn declared_routes() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
    let mut routes = Vec::new();
    for file in
        ["probono/web.rs", "introduction/web.rs", "hearing/web.rs", "training/web.rs", "visit/web.rs", "project/web.rs"]
    {
        let code = std::fs::read_to_string(format!("{root}{file}")).unwrap();
        for line in code.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
            let path = line.trim_start_matches(".route(\"").split('"').next().unwrap().to_owned();
            for method in ["get", "post"] {
                if line.contains(&format!("{method}(")) || line.contains(&format!(".{method}(")) {
                    routes.push(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
    }
    routes
}

/// The table's placeholder names as the router spells them.
fn as_router_path(route: &str) -> String {
    let mut out = String::new();
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..=open]);
        let close = rest[open..].find('}').unwrap() + open;
        let name = &rest[open + 1..close];
        out.push_str(match name {
            "person" => "account",
            _ => "id",
        });
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_route_of_these_areas_has_a_row() {
    let documented: Vec<String> = rows().iter().map(|(m, r, _)| format!("{m} {}", as_router_path(r))).collect();
    let missing: Vec<String> = declared_routes().into_iter().filter(|r| !documented.contains(r)).collect();
    assert!(missing.is_empty(), "routes without a row in docs/roles.md: {missing:?}");
    for (_, route, cells) in rows() {
        for c in cells {
            assert!(["✓", "login", "403", "404", "—"].contains(&c.as_str()), "{route}: {c}");
        }
    }
}

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

/// What a form for the route is sent with (enough to pass the checks before the form's own).
fn fields(route: &str) -> Vec<(&'static str, String)> {
    let v = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    if route.ends_with("/status") {
        v(&[("status", "open")])
    } else if route.ends_with("/answer") {
        v(&[("answer", "accepted")])
    } else if route.ends_with("/outcome") {
        v(&[("outcome", "met")])
    } else if route.ends_with("/updates") {
        v(&[("title", "進捗"), ("body", "進みました"), ("audience", "public")])
    } else if route.ends_with("/members") {
        v(&[("email", "person@example.jp")])
    } else if route.starts_with("/needs") || route.starts_with("/offers") {
        v(&[("title", "会場を探しています"), ("kind", "place"), ("visibility", "public")])
    } else if route.starts_with("/hearings") {
        v(&[("company", "株式会社みやぎ"), ("held_on", "2024-01-12"), ("method", "visit")])
    } else if route.starts_with("/trainings") {
        v(&[("kind", "internal"), ("held_on", "2023-12-06"), ("title", "基礎研修")])
    } else if route.starts_with("/visits") {
        v(&[("starts_on", "2023-08-30"), ("destination", "京都市")])
    } else if route.starts_with("/projects") {
        v(&[("title", "空き家の見守り"), ("status", "active")])
    } else {
        Vec::new()
    }
}

async fn every_route_answers_each_reader_as_the_roles_table_says(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    for (email, name, role) in [
        ("owner@example.jp", "持ち主 花子", Role::Member),
        ("partner@example.jp", "相手 次郎", Role::Member),
        ("person@example.jp", "仲間 三郎", Role::Member),
        ("member@example.jp", "会員 四郎", Role::Member),
        ("coord@example.jp", "つなぐ 五郎", Role::Coordinator),
    ] {
        server.create_account(email, "a password", name, role).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let owner = log_in(&server, "owner@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let secretariat = server.secretariat().await;
    let visitor = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;

    // The records the table names.
    let made = |p: crate::support::Page| {
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
        p.location().rsplit('/').next().unwrap().to_owned()
    };
    let need = made(
        owner
            .submit(
                "/needs/new",
                "/needs",
                &[("title", "表試験のニーズ"), ("kind", "skill"), ("skill", "design"), ("visibility", "public")],
            )
            .await,
    );
    let offer = made(
        owner
            .submit(
                "/offers/new",
                "/offers",
                &[("title", "表試験のオファー"), ("kind", "place"), ("visibility", "members")],
            )
            .await,
    );
    let introduction = made(
        coordinator
            .submit(
                "/introductions/new",
                "/introductions",
                &[("a_email", "owner@example.jp"), ("b_email", "partner@example.jp"), ("purpose", "会計の相談")],
            )
            .await,
    );
    let hearing = made(
        coordinator
            .submit(
                "/hearings/new",
                "/hearings",
                &[("company", "表試験の企業"), ("held_on", "2024-01-12"), ("method", "visit")],
            )
            .await,
    );
    let training = made(
        coordinator
            .submit(
                "/trainings/new",
                "/trainings",
                &[("kind", "internal"), ("held_on", "2023-12-06"), ("title", "表試験の研修")],
            )
            .await,
    );
    let visit = made(
        coordinator
            .submit("/visits/new", "/visits", &[("starts_on", "2023-08-30"), ("destination", "表試験の視察先")])
            .await,
    );
    let project = made(owner.submit("/projects/new", "/projects", &[("title", "表試験のプロジェクト")]).await);
    owner.submit("/", &format!("/projects/{project}/members"), &[("email", "person@example.jp")]).await;
    let person = {
        let html = owner.get(&format!("/projects/{project}")).await.html();
        let actions = html.attrs("#members form[action$='/remove']", "action");
        let texts = html.texts("#members li");
        let at = texts.iter().position(|t| t.contains("仲間 三郎")).expect("the member is listed");
        let mine = texts.iter().position(|t| t.contains("持ち主 花子")).expect("the lead is listed");
        assert!(at != mine);
        actions
            .iter()
            .find(|a| !owner_action(a, &actions, &texts))
            .and_then(|a| a.split("/members/").nth(1))
            .and_then(|a| a.split('/').next())
            .expect("the member's id")
            .to_owned()
    };
    let event = server.published_event("情報交換会", 24, None).await.0.to_string();

    let fill = |route: &str| {
        route
            .replace("{need}", &need)
            .replace("{offer}", &offer)
            .replace("{introduction}", &introduction)
            .replace("{hearing}", &hearing)
            .replace("{training}", &training)
            .replace("{visit}", &visit)
            .replace("{project}", &project)
            .replace("{person}", &person)
            .replace("{event}", &event)
    };
    let browsers: [Option<&Browser>; 6] =
        [Some(&visitor), Some(&member), Some(&owner), Some(&coordinator), Some(&secretariat), Some(&other_center)];
    for (method, route, expected) in rows() {
        let path = fill(&route);
        for (i, b) in browsers.iter().enumerate() {
            let (who, want) = (READERS[i], expected[i].as_str());
            let Some(b) = b else { continue };
            if want == "—" {
                continue;
            }
            let mut sent = fields(&route);
            if route == "/introductions" && method == "POST" {
                sent = vec![("need", need.clone()), ("offer", offer.clone()), ("purpose", "紹介".to_owned())];
            }
            let page = if method == "GET" {
                b.get(&path).await
            } else {
                let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
                b.submit("/", &path, &sent).await
            };
            let status = page.status.as_u16();
            let to_login = status == 303 && page.location().starts_with("/login");
            let ok = match want {
                "✓" if method == "GET" => status == 200,
                "✓" => (status == 303 && !to_login) || status == 422,
                "login" => to_login,
                "403" => status == 403,
                "404" => status == 404,
                _ => false,
            };
            assert!(
                ok,
                "{method} {route} as {who}: expected {want}, got {status} {}",
                page.headers.get("location").map(|l| l.to_str().unwrap_or("")).unwrap_or("")
            );
            if want == "✓" && who == "other center" && method == "GET" {
                assert!(!page.body.contains("表試験の"), "{route} shows this center's records to another");
            }
            // Put back what a permitted removal took away, for the next reader.
            if route.ends_with("/remove") && (200..400).contains(&status) && !to_login {
                owner.submit("/", &format!("/projects/{project}/members"), &[("email", "person@example.jp")]).await;
            }
        }
    }
}

/// Whether a remove form on the members list is the lead's own (its item names the lead).
fn owner_action(action: &str, actions: &[String], texts: &[String]) -> bool {
    actions.iter().position(|a| a == action).is_some_and(|i| texts.get(i).is_some_and(|t| t.contains("持ち主 花子")))
}
