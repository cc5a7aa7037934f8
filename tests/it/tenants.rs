//! Tenants: one deployment, several centers by host name, and no way across.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(centers_are_chosen_by_host_and_sealed_from_each_other);

async fn centers_are_chosen_by_host_and_sealed_from_each_other(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let sendai = socialhub::tenant::store::get_default(&server.db).await.unwrap();
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server
        .create_account_in(sendai.id, "office@sendai.example.jp", "sendai password", "仙台 事務局", Role::Admin)
        .await;
    let sendai_member =
        server.create_account_in(sendai.id, "member@example.jp", "sendai member pw", "仙台 会員", Role::Member).await;
    server
        .create_account_in(tagajo.id, "office@tagajo.example.jp", "tagajo password", "多賀城 事務局", Role::Admin)
        .await;
    // The same address may have an account at each center, each its own.
    server.create_account_in(tagajo.id, "member@example.jp", "tagajo member pw", "多賀城 会員", Role::Member).await;

    let at_tagajo = server.browser_at("tagajo.test");
    let home = at_tagajo.get("/").await;
    assert_eq!(home.html().text("h1").as_deref(), Some("多賀城ソーシャルハブ"));
    assert_eq!(server.browser().get("/").await.html().text("h1").as_deref(), Some("せんだい・みやぎソーシャルハブ"));

    // Sendai's credentials do not open Tagajo.
    let refused = at_tagajo
        .submit("/login", "/login", &[("email", "office@sendai.example.jp"), ("password", "sendai password")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused =
        at_tagajo.submit("/login", "/login", &[("email", "member@example.jp"), ("password", "sendai member pw")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Tagajo's secretariat sees only Tagajo's accounts…
    at_tagajo.log_in("office@tagajo.example.jp", "tagajo password").await;
    let list = at_tagajo.get("/admin/accounts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("多賀城 会員"));
    assert!(!list.body.contains("仙台"), "{}", list.body);
    // …and cannot change a Sendai account by its id.
    let cross = at_tagajo
        .submit("/admin/accounts", &format!("/admin/accounts/{}/role", sendai_member.0), &[("role", "admin")])
        .await;
    assert_eq!(cross.status, StatusCode::NOT_FOUND);
    let still = socialhub::account::store::get(&server.db, sendai.id, sendai_member).await.unwrap();
    assert_eq!(still.role, Role::Member);

    // A Sendai login cookie replayed on Tagajo's host is not a login there.
    let at_sendai = server.browser();
    let login_page = at_sendai.get("/login").await;
    let csrf_cookie = login_page.set_cookie("sh_csrf").unwrap();
    let token = login_page.html().csrf_token().unwrap();
    let logged_in = at_sendai
        .post_raw(
            "/login",
            &[("csrf_token", &token), ("email", "office@sendai.example.jp"), ("password", "sendai password")],
        )
        .await;
    let session_cookie = logged_in.set_cookie("sh_session").expect("session cookie");
    let cookie = format!("{session_cookie}; {csrf_cookie}");
    assert_eq!(at_sendai.get_with_cookie("/admin/accounts", &cookie).await.status, StatusCode::OK);
    let replayed = at_tagajo.get_with_cookie("/admin/accounts", &cookie).await;
    assert_eq!(replayed.status, StatusCode::SEE_OTHER, "not logged in at Tagajo");
    assert!(replayed.location().starts_with("/login"));
}

on_both_backends!(a_forged_host_header_cannot_redirect_mail_links);

/// A reset requested with `Host: tagajo.test:80@evil.example` must not send a link to
/// evil.example (the part after the port would become the link's real host).
async fn a_forged_host_header_cannot_redirect_mail_links(backend: Backend) {
    use std::io::{Read, Write};
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account_in(tagajo.id, "victim@example.jp", "victim password", "被害 者", Role::Member).await;
    let page = server.browser_at("tagajo.test").get("/password/forgot").await;
    let cookie = page.set_cookie("sh_csrf").unwrap();
    let token = page.html().csrf_token().unwrap();
    let body = format!("csrf_token={token}&email=victim%40example.jp");
    let addr = server.addr;
    let response = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let request = format!(
            "POST /password/forgot HTTP/1.1\r\nHost: tagajo.test:80@evil.example\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    })
    .await
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for mail in server.mails() {
        assert!(!mail.body.contains("evil.example"), "{}", mail.body);
    }
}

on_both_backends!(open_data_names_the_center_where_it_is);

/// The columns of 自治体標準オープンデータセット「イベント一覧」 in the standard's order,
/// written out here rather than taken from the code under test.
const STANDARD_COLUMNS: [&str; 32] = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
];

async fn open_data_names_the_center_where_it_is(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("空き家と居住支援", 24, Some(30)).await;
    let tenant = server.tenant().await;
    let stored = socialhub::event::store::get(&server.db, tenant, event).await.unwrap();
    let end = stored.ends_at.with_timezone(&socialhub::i18n::wareki::jst());

    // Only the secretariat sets it.
    let stranger = server.browser();
    assert_ne!(stranger.get("/admin/center").await.status, StatusCode::OK);
    let office = server.secretariat().await;
    let page = office.get("/admin/center").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("全国地方公共団体コード"));

    // A wrong check digit and a phone in words: the form comes back with both as typed.
    let bad = office
        .submit(
            "/admin/center",
            "/admin/center",
            &[("municipality_code", "041008"), ("municipality", "仙台市"), ("phone", "お電話で")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("検査数字"), "{}", bad.body);
    assert!(bad.body.contains("電話番号は数字とハイフン"));
    let html = bad.html();
    assert_eq!(html.attr("#municipality_code", "value").as_deref(), Some("041008"));
    assert_eq!(html.attr("#phone", "value").as_deref(), Some("お電話で"));
    assert_eq!(
        socialhub::tenant::store::locality(&server.db, tenant).await.unwrap(),
        Default::default(),
        "nothing saved"
    );

    // Full-width digits are normalised in the code; the prefecture follows from it.
    let saved = office
        .submit(
            "/admin/center",
            "/admin/center",
            &[("municipality_code", "０４１００９"), ("municipality", "仙台市"), ("phone", "022-212-3010")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = office.get("/admin/center").await;
    assert!(page.body.contains("宮城県"));
    assert_eq!(page.html().attr("#municipality_code", "value").as_deref(), Some("041009"));

    let csv = stranger.get_bytes("/events/opendata.csv").await;
    let mut reader = csv::Reader::from_reader(csv.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM"));
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, STANDARD_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| &r[4] == "空き家と居住支援").expect("the event's row");
    let col = |name: &str| row[STANDARD_COLUMNS.iter().position(|c| *c == name).unwrap()].to_owned();
    assert_eq!(col("都道府県コード又は市区町村コード"), "041009");
    assert_eq!(col("都道府県名"), "宮城県");
    assert_eq!(col("市区町村名"), "仙台市");
    assert_eq!(col("連絡先電話番号"), "022-212-3010");
    assert_eq!(col("説明"), "みんなで話しましょう", "plain text, not Markdown");
    assert_eq!(col("参加申込終了日"), end.format("%Y-%m-%d").to_string(), "open until the end");
    assert_eq!(col("参加申込終了時間"), end.format("%H:%M").to_string());

    let json: serde_json::Value = serde_json::from_str(&stranger.get("/events/opendata.json").await.body).unwrap();
    let item = json.as_array().unwrap().iter().find(|e| e["イベント名"] == "空き家と居住支援").unwrap();
    assert_eq!(item["都道府県名"], "宮城県");
    assert_eq!(item["説明"], "みんなで話しましょう");
    let keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = STANDARD_COLUMNS.to_vec();
    let mut got = keys.clone();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected, "the JSON has the standard's keys");
}
