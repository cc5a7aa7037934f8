//! The roles table of `docs/roles.md`, tried route by route: each row's route as a
//! visitor, a member, the record's owner, a coordinator, the secretariat, another center's
//! secretariat and another center's member, expecting what the table says. The table is
//! read from the file, so the document and the behaviour cannot drift apart; and every
//! route the code declares must have a row, and every row a route.

use std::collections::HashMap;

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, Page, TestServer};

on_both_backends!(every_route_answers_each_reader_as_the_roles_table_says);

const READERS: [&str; 7] = ["visitor", "member", "owner", "coordinator", "secretariat", "other center", "other member"];
const CELLS: [&str; 7] = ["✓", "303", "login", "403", "404", "400", "—"];
const PASSWORD: &str = "a password";

/// A row of the table.
struct Row {
    method: String,
    route: String,
    cells: Vec<String>,
}

fn rows() -> Vec<Row> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/roles.md")).expect("docs/roles.md");
    doc.lines()
        .filter(|l| l.starts_with("| GET ") || l.starts_with("| POST "))
        .map(|l| {
            let cells: Vec<String> = l.trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect();
            assert_eq!(cells.len(), 1 + READERS.len(), "a row of a route and a cell per reader: {l}");
            let (method, route) = cells[0].split_once(' ').expect("method and route");
            Row { method: method.to_owned(), route: route.to_owned(), cells: cells[1..].to_vec() }
        })
        .collect()
}

/// A route's shape, whatever its placeholders are called: the path without its query,
/// each `{…}` as `{}`.
fn shape(route: &str) -> String {
    let path = route.split('?').next().unwrap_or_default();
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// Every `METHOD /path` the code declares with `.route("…", …)`, anywhere under `src/`.
fn declared_routes() -> Vec<String> {
    fn files(dir: &std::path::Path, into: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                files(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                into.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut paths);
    let mut routes = Vec::new();
    for file in paths {
        let code = std::fs::read_to_string(&file).unwrap();
        let mut rest = code.as_str();
        while let Some(at) = rest.find(".route(\"") {
            rest = &rest[at + ".route(\"".len()..];
            let path = rest.split('"').next().unwrap();
            // The methods: up to the next route or the end of the function.
            let after = &rest[path.len()..];
            let end = [after.find(".route("), after.find("\n}")].into_iter().flatten().min().unwrap_or(after.len());
            let methods = &after[..end];
            for method in ["get", "post", "put", "patch", "delete"] {
                let call = format!("{method}(");
                let called = methods
                    .match_indices(&call)
                    .any(|(i, _)| i > 0 && matches!(methods.as_bytes()[i - 1], b' ' | b'.' | b':'));
                if called {
                    routes.push(format!("{} {}", method.to_uppercase(), shape(path)));
                }
            }
        }
    }
    routes
}

#[test]
fn every_route_of_the_app_has_a_row_and_every_row_a_route() {
    let declared = declared_routes();
    assert!(declared.len() > 150, "the routes are found: {}", declared.len());
    let documented: Vec<String> = rows().iter().map(|r| format!("{} {}", r.method, shape(&r.route))).collect();
    let missing: Vec<&String> = declared.iter().filter(|r| !documented.contains(r)).collect();
    assert!(missing.is_empty(), "routes without a row in docs/roles.md: {missing:?}");
    let stale: Vec<&String> = documented.iter().filter(|r| !declared.contains(r)).collect();
    assert!(stale.is_empty(), "rows of docs/roles.md for no route: {stale:?}");
    let mut seen = std::collections::HashSet::new();
    let twice: Vec<&String> = documented.iter().filter(|r| !seen.insert(*r)).collect();
    assert!(twice.is_empty(), "routes with two rows: {twice:?}");
    for row in rows() {
        for c in &row.cells {
            assert!(CELLS.contains(&c.as_str()), "{}: {c}", row.route);
        }
    }
}

/// The records the table's placeholders name, as the test made them.
type Records = HashMap<&'static str, String>;

fn fill(route: &str, records: &Records) -> String {
    let mut out = route.to_owned();
    while let Some(open) = out.find('{') {
        let close = out[open..].find('}').unwrap() + open;
        let name = &out[open + 1..close];
        let value = records.get(name).unwrap_or_else(|| panic!("no record for {{{name}}}"));
        out.replace_range(open..=close, value);
    }
    out
}

/// 501 characters: one more than a roadmap's notes or a word to a lab's lead may have.
static TOO_LONG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| "0".repeat(501));

/// What a form is sent with: enough to pass the checks before the form's own, and nothing
/// that would change the record for the rows after.
fn fields(route: &str) -> Vec<(&'static str, &'static str)> {
    match route {
        "/lang" => vec![("lang", "ja"), ("next", "/")],
        "/login" => vec![("email", "nobody@example.jp"), ("password", "x")],
        "/account/password" => vec![("current_password", "wrong"), ("new_password", "x")],
        "/account/delete" => vec![("password", "wrong")],
        // The lookup finds the guest; a correction without its fields and a deletion
        // without its confirmation change nothing.
        "/admin/people" => vec![("email", "guest@example.jp")],
        "/admin/center" => vec![("municipality_code", "x")],
        "/admin/accounts/{person}/role" => vec![("role", "member")],
        "/admin/events/{event}/status" => vec![("status", "published")],
        // A session of the owner's lab without its title: the form's error, nothing made.
        "/admin/events" => vec![("lab", "{lab}")],
        "/admin/events/{event}" => vec![("lab", "{lab}")],
        "/registrations/cancel" => vec![("token", "{cancel_token}")],
        "/join" => vec![("token", "{join_token}")],
        "/admin/board/{post}/moderation"
        | "/admin/board-comments/{post_comment}/moderation"
        | "/admin/article-comments/{article_comment}/moderation" => vec![("action", "approve")],
        "/admin/issues/{issue}/moderation"
        | "/admin/comments/{issue_comment}/moderation"
        | "/consultations/{consultation}/comments/{comment}/moderation" => vec![("action", "restore")],
        "/admin/issues/{issue}/stage" => vec![("stage", "1")],
        "/organisations/{organisation}/join" => vec![("visibility", "members")],
        "/organisations/{organisation}/people/{person}/admin" => vec![("admin", "0")],
        "/consultations/{consultation}/comments" => vec![("paragraph", "1")],
        "/consultations/{consultation}/groups" => vec![("group_paragraph", "1"), ("action", "move")],
        r if r.ends_with("/report") => vec![("reason", "表試験")],
        r if r.ends_with("/status") => vec![("status", "open")],
        r if r.ends_with("/answer") => vec![("answer", "accepted")],
        r if r.ends_with("/outcome") => vec![("outcome", "met")],
        r if r.starts_with("/projects") && r.ends_with("/updates") => {
            vec![("title", "進捗"), ("body", "進みました"), ("audience", "public")]
        }
        r if r.starts_with("/projects") && r.ends_with("/members") => vec![("email", "person@example.jp")],
        // A lab's member without the part they take: the form's error, nothing changed.
        r if r.starts_with("/labs") && r.ends_with("/members") => vec![("email", "person@example.jp")],
        // A reason too long: the form's error, the version not withdrawn.
        r if r.ends_with("/roadmap/{version}/withdraw") => vec![("withdrawn_note", TOO_LONG.as_str())],
        // A word too long: the form's error, no request; an answer neither yes nor no.
        "/labs/{lab}/join" => vec![("note", TOO_LONG.as_str())],
        "/labs/{lab}/requests/{person}" => vec![("answer", "maybe")],
        "/needs" | "/offers" | "/needs/{need}" | "/offers/{offer}" => {
            vec![("title", "会場を探しています"), ("kind", "place"), ("visibility", "public")]
        }
        r if r.starts_with("/hearings") => {
            vec![("company", "株式会社みやぎ"), ("held_on", "2024-01-12"), ("method", "visit")]
        }
        r if r.starts_with("/trainings") => {
            vec![("kind", "internal"), ("held_on", "2023-12-06"), ("title", "基礎研修")]
        }
        r if r.starts_with("/visits") => vec![("starts_on", "2023-08-30"), ("destination", "京都市")],
        "/projects" | "/projects/{project}" => vec![("title", "空き家の見守り"), ("status", "active")],
        "/introductions" => vec![("need", "{need}"), ("offer", "{offer}"), ("purpose", "紹介")],
        _ => Vec::new(),
    }
}

/// Forms that carry a file: sent as multipart, with no file (the form's own error).
const MULTIPART: [&str; 4] =
    ["/admin/files", "/admin/roster", "/board/{post}/attachments", "/consultations/{consultation}/received.csv"];

/// The first id in a page's links or form actions that follow `prefix`.
fn id_after(html: &str, prefix: &str) -> String {
    let at = html.find(prefix).unwrap_or_else(|| panic!("no {prefix} in the page: {html}"));
    html[at + prefix.len()..].chars().take_while(char::is_ascii_digit).collect()
}

/// The last path segment of a redirect: the id of what was made.
fn made(p: Page) -> String {
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    p.location().rsplit('/').next().unwrap().to_owned()
}

async fn log_in(b: &Browser, email: &str) {
    b.log_in(email, PASSWORD).await;
}

/// Forgets every rate limit's count: the table tries more forms from one address than a
/// person would, and the limits are tested on their own elsewhere.
async fn forget_rate_limits(server: &TestServer) {
    server
        .db
        .write(async |tx| {
            Ok::<_, socialhub::db::StoreError>(socialhub::with_tx!(tx, |c| {
                sqlx::query("DELETE FROM rate_limit").execute(&mut *c).await?.rows_affected()
            }))
        })
        .await
        .unwrap();
}

/// The owner registers for the session online; the registration's id and mailed token.
async fn register_owner(server: &TestServer, owner: &Browser, records: &mut Records) {
    let event = records["event"].clone();
    let path = format!("/events/{event}");
    let confirmations = || {
        server
            .mails_to("owner@example.jp")
            .into_iter()
            .filter(|m| m.body.contains("/registrations/cancel"))
            .collect::<Vec<_>>()
    };
    let before = confirmations().len();
    let done = owner.submit(&path, &format!("{path}/registrations"), &[("mode", "online")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // The confirmation may be written just after the answer.
    let mut mails = confirmations();
    for _ in 0..100 {
        if mails.len() > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        mails = confirmations();
    }
    let link = mails.last().filter(|_| mails.len() > before).expect("a confirmation").link("/registrations/cancel");
    let token = link.split("token=").nth(1).expect("token").to_owned();
    records.insert("cancel_token", token.clone());
    records.insert("join_token", token);
}

/// The registration's id as the check-in list names it.
async fn registration_id(office: &Browser, records: &mut Records) {
    let list = office.get(&format!("/admin/events/{}/checkin", records["event"])).await;
    let id = id_after(&list.body, &format!("/admin/events/{}/checkin/", records["event"]));
    records.insert("registration", id);
}

/// A file on the post, attached by its author: its id and name.
async fn attach(owner: &Browser, records: &mut Records) {
    let post = format!("/board/{}", records["post"]);
    let action = owner.get(&post).await.html().attr("form[enctype]", "action").expect("attach form");
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec()).file_name("表試験の資料.pdf");
    let sent = owner.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let link = owner.get(&post).await.html().attrs("#attachments li a", "href").pop().expect("the attachment");
    let mut parts = link.trim_start_matches(&format!("{post}/files/")).split('/');
    records.insert("file", parts.next().unwrap().to_owned());
    records.insert("file_name", parts.next().unwrap().to_owned());
}

async fn add_to_lab(by: &Browser, lab: &str, email: &str, role: &str) {
    let members = format!("/labs/{lab}/members");
    let added = by.submit(&members, &members, &[("email", email), ("role", role)]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
}

async fn record_meeting(owner: &Browser, records: &mut Records) {
    let lab = records["lab"].clone();
    let sent = owner
        .submit(
            &format!("/labs/{lab}/meetings/new"),
            &format!("/labs/{lab}/meetings"),
            &[("held_on", "2024-02-04"), ("others", "8")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = owner.get(&format!("/labs/{lab}")).await;
    let edits = page.html().attrs("a[href$='/edit'][href*='/meetings/']", "href");
    let meeting = edits.last().expect("the meeting").split("/meetings/").nth(1).unwrap().split('/').next().unwrap();
    records.insert("meeting", meeting.to_owned());
}

async fn every_route_answers_each_reader_as_the_roles_table_says(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    let tenant = server.tenant().await;
    for (email, name, role) in [
        ("owner@example.jp", "持ち主 花子", Role::Member),
        ("partner@example.jp", "相手 次郎", Role::Member),
        ("person@example.jp", "仲間 三郎", Role::Member),
        ("member@example.jp", "会員 四郎", Role::Member),
        ("coord@example.jp", "つなぐ 五郎", Role::Coordinator),
        ("office@example.jp", "事務局 六子", Role::Admin),
    ] {
        server.create_account(email, PASSWORD, name, role).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", PASSWORD, "多賀城 事務局", Role::Admin).await;
    server.create_account_in(tagajo.id, "member@tagajo.jp", PASSWORD, "多賀城 会員", Role::Member).await;

    // The readers, in the table's order, with the address each logs in with.
    let logins: [Option<&str>; 7] = [
        None,
        Some("member@example.jp"),
        Some("owner@example.jp"),
        Some("coord@example.jp"),
        Some("office@example.jp"),
        Some("office@tagajo.jp"),
        Some("member@tagajo.jp"),
    ];
    let browsers: Vec<Browser> =
        (0..READERS.len()).map(|i| if i >= 5 { server.browser_at("tagajo.test") } else { server.browser() }).collect();
    for (b, email) in browsers.iter().zip(logins) {
        if let Some(email) = email {
            log_in(b, email).await;
        }
    }
    let [_, _, owner, coordinator, office, ..] = &browsers[..] else { unreachable!() };
    let person = server.browser();
    log_in(&person, "person@example.jp").await;

    let mut records = Records::new();
    let id_of = async |email: &str| {
        socialhub::account::store::find_by_email(&server.db, tenant, email).await.unwrap().expect("account").0
    };
    let owner_account = id_of("owner@example.jp").await;
    records.insert("person", id_of("person@example.jp").await.id.0.to_string());
    records.insert("asset", "app.css".to_owned());

    // The center's pages and accounts.
    let forgot = person.submit("/password/forgot", "/password/forgot", &[("email", "person@example.jp")]).await;
    assert_eq!(forgot.status, StatusCode::OK, "{}", forgot.body);
    let reset = server.wait_for_mail("person@example.jp").await.link("/password/reset");
    records.insert("reset_token", reset.split("token=").nth(1).expect("token").to_owned());
    let key = socialhub::subscription::UnsubscribeKey::load(&server.db).await.unwrap();
    let link = key.path(
        tenant,
        (owner_account.id, owner_account.created_at),
        socialhub::subscription::Scope::Kind(socialhub::subscription::Kind::Event),
    );
    let mut parts = link.trim_start_matches("/unsubscribe/").split('/');
    for name in ["owner_id", "scope", "sig"] {
        records.insert(name, parts.next().unwrap().to_owned());
    }

    // A lab led by the owner, and its session (a study session) with the owner's registration.
    let lab =
        made(office.submit("/labs/new", "/labs", &[("title", "表試験のラボ"), ("founded_on", "2023-10-01")]).await);
    records.insert("lab", lab.clone());
    add_to_lab(office, &lab, "owner@example.jp", "lead").await;
    let lab_id = socialhub::lab::LabId(lab.parse().unwrap());
    records.insert(
        "event",
        server.published_event_in("表試験の情報交換会", 24, Some(10), Some(lab_id)).await.0.to_string(),
    );
    register_owner(&server, owner, &mut records).await;
    registration_id(office, &mut records).await;
    // A roster import's job.
    let roster_form = office.get("/admin/roster").await;
    let action = roster_form.html().attr("form[enctype]", "action").expect("the upload form");
    let csv = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n2023-04-20,取り込んだ会,,,,市民,,会場\r\n";
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("roster.csv");
    let job = made(office.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await);
    records.insert("job", job);
    // A guest's registration: the person the secretariat answers for.
    let event_path = format!("/events/{}", records["event"]);
    let guest = server.browser();
    let registered = guest
        .submit(
            &event_path,
            &format!("{event_path}/registrations"),
            &[
                ("mode", "online"),
                ("name", "表試験の申込者"),
                ("furigana", "ヒョウシケン"),
                ("email", "guest@example.jp"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let guest_id: i64 = socialhub::with_db!(&server.db, |p| {
        sqlx::query_scalar("SELECT id FROM person WHERE email = 'guest@example.jp'").fetch_one(p).await.unwrap()
    });
    records.insert("guest", guest_id.to_string());

    // The board: a post, its comment and a file.
    let post = made(
        owner
            .submit(
                "/board/new",
                "/board",
                &[("category", "notice"), ("audience", "public"), ("title", "表試験の投稿"), ("body", "本文")],
            )
            .await,
    );
    records.insert("post", post.clone());
    let commented = owner
        .submit(&format!("/board/{post}"), &format!("/board/{post}/comments"), &[("body", "表試験のコメント")])
        .await;
    assert_eq!(commented.status, StatusCode::SEE_OTHER, "{}", commented.body);
    records.insert("post_comment", id_after(&owner.get(&format!("/board/{post}")).await.body, "id=\"comment-"));
    attach(owner, &mut records).await;

    // An article with a comment, and a file of the center.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let article = made(
        office
            .submit(
                "/admin/articles/new",
                "/admin/articles",
                &[
                    ("title", "表試験の記事"),
                    ("body", "本文"),
                    ("category", "session_report"),
                    ("date", today.as_str()),
                    ("action", "publish"),
                ],
            )
            .await,
    );
    records.insert("article", article.clone());
    let commented = owner
        .submit(
            &format!("/articles/{article}"),
            &format!("/articles/{article}/comments"),
            &[("body", "表試験のコメント")],
        )
        .await;
    assert!(commented.status.is_redirection(), "{}", commented.body);
    records.insert(
        "article_comment",
        id_after(&owner.get(&format!("/articles/{article}")).await.body, "/article-comments/"),
    );
    let action = office.get("/admin/files").await.html().attr("form[enctype]", "action").expect("upload form");
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec()).file_name("表試験の案内.pdf");
    let sent = office.post_multipart(&action, reqwest::multipart::Form::new().part("file", part)).await;
    assert!(sent.status.is_redirection(), "{}", sent.body);
    let upload = office.get("/admin/files").await.html().attrs("a[href^='/files/']", "href").pop().expect("the file");
    let mut parts = upload.trim_start_matches("/files/").split('/');
    records.insert("upload", parts.next().unwrap().to_owned());
    records.insert("upload_name", parts.next().unwrap().to_owned());

    // A social issue with a comment.
    let issue = made(
        owner
            .submit(
                "/issues/new",
                "/issues",
                &[("title", "表試験の課題"), ("description", "説明"), ("similar_seen", "1")],
            )
            .await,
    );
    records.insert("issue", issue.clone());
    let commented = owner
        .submit(&format!("/issues/{issue}"), &format!("/issues/{issue}/comments"), &[("body", "表試験のコメント")])
        .await;
    assert!(commented.status.is_redirection(), "{}", commented.body);
    records.insert("issue_comment", id_after(&owner.get(&format!("/issues/{issue}")).await.body, "\"/comments/"));

    // The owner's lab gets a member, a meeting, two roadmap versions and an open
    // consultation with a signed comment.
    add_to_lab(office, &lab, "person@example.jp", "member").await;
    record_meeting(owner, &mut records).await;
    for body in ["表試験の第一段落\n\n第二段落", "表試験の第一段落\n\n第二段落（改訂）"] {
        let saved =
            owner.submit(&format!("/labs/{lab}/roadmap/new"), &format!("/labs/{lab}/roadmap"), &[("body", body)]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    records.insert("version", "2".to_owned());
    let jst = |days: i64| {
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap()).date_naive();
        (today + chrono::TimeDelta::days(days)).format("%Y-%m-%d").to_string()
    };
    let consultation = made(
        owner
            .submit(
                &format!("/labs/{lab}/consultations/new"),
                &format!("/labs/{lab}/consultations"),
                &[("version", "1"), ("opens_on", jst(-1).as_str()), ("closes_on", jst(3).as_str())],
            )
            .await,
    );
    records.insert("consultation", consultation.clone());
    let c_path = format!("/consultations/{consultation}");
    let commented =
        owner.submit(&c_path, &format!("{c_path}/comments"), &[("paragraph", "1"), ("body", "表試験の意見")]).await;
    assert!(commented.status.is_redirection(), "{}", commented.body);
    records.insert("comment", id_after(&owner.get(&format!("{c_path}/manage")).await.body, "id=\"comment-"));
    records.insert("response", "1".to_owned());

    // An organisation the owner keeps, which the person has joined; the person's entry
    // in the directory.
    let organisation =
        made(owner.submit("/organisations/new", "/organisations", &[("name", "表試験の団体"), ("kind", "npo")]).await);
    records.insert("organisation", organisation.clone());
    let rejoin = async |records: &Records| {
        let org = &records["organisation"];
        let joined = person
            .submit(
                &format!("/organisations/{org}"),
                &format!("/organisations/{org}/join"),
                &[("visibility", "public")],
            )
            .await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
        let confirmed = owner
            .submit(
                &format!("/organisations/{org}/people"),
                &format!("/organisations/{org}/people/{}/confirm", records["person"]),
                &[],
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    };
    rejoin(&records).await;
    let shown: Vec<(&str, &str)> =
        ["name_shown", "sector_shown", "interests_shown", "skills_shown", "seeking_shown", "activity_shown"]
            .into_iter()
            .map(|f| (f, "public"))
            .collect();
    let saved = person.submit("/account/directory", "/account/directory", &shown).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // Open innovation: a need, an offer, an introduction, the coordinators' records and a
    // project with the person in it.
    records.insert(
        "need",
        made(
            owner
                .submit(
                    "/needs/new",
                    "/needs",
                    &[("title", "表試験のニーズ"), ("kind", "skill"), ("skill", "design"), ("visibility", "public")],
                )
                .await,
        ),
    );
    records.insert(
        "offer",
        made(
            owner
                .submit(
                    "/offers/new",
                    "/offers",
                    &[("title", "表試験のオファー"), ("kind", "place"), ("visibility", "members")],
                )
                .await,
        ),
    );
    records.insert(
        "introduction",
        made(
            coordinator
                .submit(
                    "/introductions/new",
                    "/introductions",
                    &[("a_email", "owner@example.jp"), ("b_email", "partner@example.jp"), ("purpose", "会計の相談")],
                )
                .await,
        ),
    );
    records.insert(
        "hearing",
        made(
            coordinator
                .submit(
                    "/hearings/new",
                    "/hearings",
                    &[("company", "表試験の企業"), ("held_on", "2024-01-12"), ("method", "visit")],
                )
                .await,
        ),
    );
    records.insert(
        "training",
        made(
            coordinator
                .submit(
                    "/trainings/new",
                    "/trainings",
                    &[("kind", "internal"), ("held_on", "2023-12-06"), ("title", "表試験の研修")],
                )
                .await,
        ),
    );
    records.insert(
        "visit",
        made(
            coordinator
                .submit("/visits/new", "/visits", &[("starts_on", "2023-08-30"), ("destination", "表試験の視察先")])
                .await,
        ),
    );
    let project = made(owner.submit("/projects/new", "/projects", &[("title", "表試験のプロジェクト")]).await);
    records.insert("project", project.clone());
    let add_to_project = async || {
        let added = owner
            .submit(
                &format!("/projects/{project}"),
                &format!("/projects/{project}/members"),
                &[("email", "person@example.jp")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    };
    add_to_project().await;

    // Every row, as every reader.
    let mut wrong = Vec::new();
    for row in rows() {
        forget_rate_limits(&server).await;
        for (i, b) in browsers.iter().enumerate() {
            let (who, want) = (READERS[i], row.cells[i].as_str());
            if want == "—" {
                continue;
            }
            let path = fill(&row.route, &records);
            let page = if row.method == "GET" {
                b.get(&path).await
            } else {
                let token = b.get("/password/forgot").await.html().csrf_token().expect("a form's token");
                if MULTIPART.contains(&row.route.as_str()) {
                    b.post_multipart(&format!("{path}?csrf_token={token}"), reqwest::multipart::Form::new()).await
                } else {
                    let sent: Vec<(&str, String)> =
                        fields(&row.route).into_iter().map(|(k, v)| (k, fill(v, &records))).collect();
                    let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
                    all.extend(sent.iter().map(|(k, v)| (*k, v.as_str())));
                    b.post_raw(&path, &all).await
                }
            };
            let status = page.status.as_u16();
            let to_login = status == 303 && page.location().starts_with("/login");
            let expired = page.body.contains("フォームの有効期限が切れました");
            let ok = match want {
                "✓" if row.method == "GET" => status == 200,
                "✓" => (status == 303 && !to_login) || status == 200 || status == 422,
                "303" => status == 303 && !to_login,
                "login" => to_login,
                "403" => status == 403 && !expired,
                "404" => status == 404,
                "400" => status == 400,
                _ => false,
            };
            if !ok {
                wrong.push(format!(
                    "{} {} as {who}: expected {want}, got {status} {}",
                    row.method,
                    row.route,
                    page.headers.get("location").map(|l| l.to_str().unwrap_or("")).unwrap_or("")
                ));
            }
            if want == "✓" && i >= 5 && row.method == "GET" && page.body.contains("表試験の") {
                wrong.push(format!("{} shows this center's records to {who}", row.route));
            }
            let done = ok && want == "✓";
            // Put back what a permitted action took away, for the next reader.
            if done {
                match row.route.as_str() {
                    "/logout" => {
                        if let Some(email) = logins[i] {
                            log_in(b, email).await;
                        }
                    }
                    "/projects/{project}/members/{person}/remove" => add_to_project().await,
                    "/labs/{lab}/members/{person}/remove" => {
                        add_to_lab(owner, &lab, "person@example.jp", "member").await
                    }
                    "/labs/{lab}/meetings/{meeting}/delete" => record_meeting(owner, &mut records).await,
                    "/organisations/{organisation}/people/{person}/remove" => rejoin(&records).await,
                    "/board/{post}/attachments/{file}/delete" => attach(owner, &mut records).await,
                    "/registrations/cancel" if status == 200 => {
                        register_owner(&server, owner, &mut records).await;
                        registration_id(office, &mut records).await;
                    }
                    "/events/{event}/registration/cancel" if who == "owner" => {
                        register_owner(&server, owner, &mut records).await;
                        registration_id(office, &mut records).await;
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from docs/roles.md:\n{}", wrong.len(), wrong.join("\n"));
}
