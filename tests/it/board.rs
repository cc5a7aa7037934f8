//! The community board, tried as its users would: members post for everyone or for
//! members only, readers mark posts useful, a session is announced from its page, the
//! secretariat pins and moderates, readers report; search finds what everyone may read
//! and nothing else. Then who may do what, route by route, with another center.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::search::titles;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(members_share_news_and_the_secretariat_keeps_order, who_may_do_what_with_the_board);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

async fn post(b: &Browser, fields: &[(&str, &str)]) -> String {
    let saved = b.submit("/board/new", "/board", fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    saved.location().to_owned()
}

async fn members_share_news_and_the_secretariat_keeps_order(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 太郎", Role::Member).await;
    server.create_account("reader@example.jp", "a password", "読者 花子", Role::Member).await;
    let npo = log_in(&server, "npo@example.jp").await;
    let reader = log_in(&server, "reader@example.jp").await;
    let office = server.secretariat().await;
    let anonymous = server.browser();

    // A bad form keeps what was typed and says what is wrong.
    let bad = npo
        .submit("/board/new", "/board", &[("category", "diary"), ("title", ""), ("body", "本文だけ"), ("event", "abc")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert_eq!(html.text("#category-error").as_deref(), Some("分類を選んでください。"));
    assert_eq!(html.text("#title-error").as_deref(), Some("題名を入力してください。"));
    assert_eq!(html.text("#event-error").as_deref(), Some("セッションの番号は数字で入力してください。"));
    assert_eq!(html.text("#body").as_deref(), Some("本文だけ"), "input kept");

    let grant = post(
        &npo,
        &[
            ("category", "grant"),
            ("audience", "public"),
            ("title", "みやぎ地域助成金の募集"),
            ("body", "締切は**5月31日**です。"),
        ],
    )
    .await;
    let data = post(
        &npo,
        &[
            ("category", "data"),
            ("audience", "members"),
            ("title", "会員向けの調査データ"),
            ("body", "空き家調査の集計表"),
        ],
    )
    .await;

    // The public reads the public post only; members read both.
    let list = anonymous.get("/board").await.html().texts("#posts h2");
    assert_eq!(list, ["みやぎ地域助成金の募集"]);
    assert_eq!(anonymous.get(&data).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reader.get("/board").await.html().texts("#posts h2"),
        ["会員向けの調査データ", "みやぎ地域助成金の募集"]
    );
    assert_eq!(reader.get("/board?category=grant").await.html().texts("#posts h2"), ["みやぎ地域助成金の募集"]);
    assert!(anonymous.get(&grant).await.html().text("#post-body").unwrap().contains("5月31日"));
    // Search finds what everyone may read, and nothing else, for anyone.
    assert_eq!(titles(&anonymous, "地域助成金").await, ["みやぎ地域助成金の募集"]);
    for b in [&anonymous, &reader, &office] {
        assert!(titles(b, "空き家調査").await.is_empty());
    }

    // Marking useful, and taking it back.
    let react = format!("{grant}/reaction");
    assert_eq!(reader.submit(&grant, &react, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.get(&grant).await.html().text("#reaction-count").as_deref(), Some("参考になった 1人"));
    reader.submit(&grant, &react, &[]).await;
    assert_eq!(anonymous.get(&grant).await.html().text("#reaction-count").as_deref(), Some("参考になった 0人"));
    reader.submit(&grant, &react, &[]).await;
    npo.submit(&grant, &react, &[]).await;
    assert_eq!(anonymous.get(&grant).await.html().text("#reaction-count").as_deref(), Some("参考になった 2人"));

    // The secretariat pins the older post to the top.
    office.submit(&grant, &format!("{grant}/pin"), &[("pinned", "1")]).await;
    assert_eq!(
        reader.get("/board").await.html().texts("#posts h2"),
        ["みやぎ地域助成金の募集", "会員向けの調査データ"]
    );

    // A session announced from its page.
    let event = server.published_event("第5回 情報交換会", 24 * 7, Some(30)).await;
    let event_page = format!("/events/{}", event.0);
    let link = npo.get(&event_page).await.html().attr("a[href^='/board/new?event=']", "href").unwrap();
    let form = npo.get(&link).await.html();
    assert_eq!(form.attr("#category option[selected]", "value").as_deref(), Some("event"));
    assert_eq!(form.attr("#event", "value"), Some(event.0.to_string()));
    assert_eq!(form.attr("#title", "value").as_deref(), Some("第5回 情報交換会"));
    let fields = [
        ("category", "event"),
        ("audience", "public"),
        ("title", "第5回 情報交換会のご案内"),
        ("body", "ぜひご参加ください"),
        ("event", &event.0.to_string()),
    ];
    let announced = post(&npo, &fields).await;
    assert_eq!(anonymous.get(&announced).await.html().attr("#announced a", "href"), Some(event_page.clone()));
    let mut unknown_event = fields[..4].to_vec();
    unknown_event.push(("event", "999999"));
    let unknown = npo.submit("/board/new", "/board", &unknown_event).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("その番号の公開セッションはありません"));

    // A reader reports; the secretariat hides it with a reason, then restores it.
    let reported = anonymous.submit(&grant, &format!("{grant}/report"), &[("reason", "宣伝です")]).await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER);
    assert!(office.get("/admin/moderation").await.body.contains("みやぎ地域助成金の募集"));
    let moderation = format!("/admin/board/{}/moderation", grant.rsplit('/').next().unwrap());
    let refused = office.submit(&grant, &moderation, &[("action", "hide"), ("reason", "")]).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.get(&grant).await.status, StatusCode::OK, "no reason, not hidden");
    office.submit(&grant, &moderation, &[("action", "hide"), ("reason", "広告のため")]).await;
    assert_eq!(anonymous.get(&grant).await.status, StatusCode::NOT_FOUND);
    assert_eq!(reader.get(&grant).await.status, StatusCode::NOT_FOUND);
    assert!(npo.get(&grant).await.body.contains("広告のため"), "its author sees why");
    assert!(!anonymous.get("/board").await.body.contains("みやぎ地域助成金の募集"));
    assert!(titles(&anonymous, "地域助成金").await.is_empty());
    office.submit(&grant, &moderation, &[("action", "restore")]).await;
    assert_eq!(anonymous.get(&grant).await.status, StatusCode::OK);
    assert_eq!(titles(&anonymous, "地域助成金").await, ["みやぎ地域助成金の募集"]);

    // Members comment; an empty comment is refused with the input's place kept; the
    // secretariat hides a comment a reader reported, then restores it.
    let comments = format!("{grant}/comments");
    let empty = reader.submit(&grant, &comments, &[("body", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html().text("#body-error").is_some());
    assert_eq!(reader.submit(&grant, &comments, &[("body", "応募します！")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.get(&grant).await.html().texts(".comments .comment-body"), ["応募します！"]);
    assert_eq!(anonymous.post_raw(&comments, &[("body", "x")]).await.status, StatusCode::FORBIDDEN, "no token");
    let comment = anonymous.get(&grant).await.html().attr(".comments li", "id").unwrap();
    let comment = comment.trim_start_matches("comment-").to_owned();
    let report = format!("/board-comments/{comment}/report");
    assert_eq!(anonymous.submit(&grant, &report, &[("reason", "不適切")]).await.status, StatusCode::SEE_OTHER);
    assert!(office.get("/admin/moderation").await.body.contains("応募します！"));
    let hide = format!("/admin/board-comments/{comment}/moderation");
    assert_eq!(
        reader.submit(&grant, &hide, &[("action", "hide"), ("reason", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
    office.submit(&grant, &hide, &[("action", "hide"), ("reason", "個人情報")]).await;
    assert!(anonymous.get(&grant).await.html().texts(".comments .comment-body").is_empty());
    assert!(office.get(&grant).await.body.contains("応募します！"), "the secretariat still sees it, to restore");
    office.submit(&grant, &hide, &[("action", "restore")]).await;
    assert_eq!(anonymous.get(&grant).await.html().texts(".comments .comment-body"), ["応募します！"]);

    // A comment on a members' post cannot be reported, or even found, by a visitor.
    let on_data = format!("{data}/comments");
    reader.submit(&data, &on_data, &[("body", "会員だけのコメント")]).await;
    let hidden_comment = reader.get(&data).await.html().attr(".comments li", "id").unwrap();
    let report = format!("/board-comments/{}/report", hidden_comment.trim_start_matches("comment-"));
    assert_eq!(anonymous.submit("/login", &report, &[("reason", "x")]).await.status, StatusCode::NOT_FOUND);
    assert!(!office.get("/admin/moderation").await.body.contains("会員だけのコメント"));

    // Its author edits it; the export holds their posts.
    let edit = [
        ("category", "grant"),
        ("audience", "members"),
        ("title", "みやぎ地域助成金（締切延長）"),
        ("body", "6月まで"),
    ];
    assert_eq!(npo.submit(&format!("{grant}/edit"), &grant, &edit).await.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.get(&grant).await.status, StatusCode::NOT_FOUND, "now for members only");
    assert!(titles(&anonymous, "地域助成金").await.is_empty());
    let export: serde_json::Value = serde_json::from_str(&npo.get("/account/export").await.body).unwrap();
    assert_eq!(export["board_posts"].as_array().unwrap().len(), 3);
    let mine: serde_json::Value = serde_json::from_str(&reader.get("/account/export").await.body).unwrap();
    assert_eq!(mine["board_comments"].as_array().unwrap().len(), 2);

    // Thirty posts to a page; the older ones are a page further, none lost from view.
    for n in 0..30 {
        let title = format!("お知らせ {n:02}");
        post(&npo, &[("category", "notice"), ("audience", "public"), ("title", &title), ("body", "本文")]).await;
    }
    let first = anonymous.get("/board").await.html();
    assert_eq!(first.count("#posts li"), 30);
    let next = first.attr("a[rel=next]", "href").unwrap();
    assert_eq!(next, "/board?page=2");
    let second: Vec<String> = anonymous.get(&next).await.html().texts("#posts h2");
    assert_eq!(second, ["第5回 情報交換会のご案内"], "the oldest public post");
    assert!(anonymous.get("/board?page=abc").await.status.is_success());
}

/// (action, fields, who may: the author, the secretariat, another member, a coordinator)
type Case = (String, Vec<(&'static str, &'static str)>, [bool; 4]);

async fn who_may_do_what_with_the_board(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    for (email, role) in [
        ("author@example.jp", Role::Member),
        ("other@example.jp", Role::Member),
        ("coord@example.jp", Role::Coordinator),
    ] {
        server.create_account(email, "a password", "会員", role).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let author = log_in(&server, "author@example.jp").await;
    let other = log_in(&server, "other@example.jp").await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let secretariat = server.secretariat().await;
    let anonymous = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;
    let fields = [("category", "notice"), ("audience", "public"), ("title", "お知らせ"), ("body", "本文")];
    let path = post(&author, &fields).await;
    let id = path.rsplit('/').next().unwrap().to_owned();

    let cases: Vec<Case> = vec![
        (path.clone(), fields.to_vec(), [true, true, false, false]),
        (format!("{path}/pin"), vec![("pinned", "1")], [false, true, false, false]),
        (format!("/admin/board/{id}/moderation"), vec![("action", "restore")], [false, true, false, false]),
        (format!("{path}/reaction"), vec![], [true, true, true, true]),
        (format!("{path}/comments"), vec![("body", "コメント")], [true, true, true, true]),
        ("/board".to_owned(), fields.to_vec(), [true, true, true, true]),
    ];
    let readers: [(&str, &Browser, Option<usize>); 5] = [
        ("author", &author, Some(0)),
        ("secretariat", &secretariat, Some(1)),
        ("another member", &other, Some(2)),
        ("coordinator", &coordinator, Some(3)),
        ("visitor", &anonymous, None),
    ];
    for (who, b, index) in readers {
        let allowed = |may: &[bool; 4]| index.is_some_and(|i| may[i]);
        let edit = b.get(&format!("{path}/edit")).await.status.as_u16();
        let expected_edit = if allowed(&cases[0].2) {
            200
        } else if who == "visitor" {
            303
        } else {
            403
        };
        assert_eq!(edit, expected_edit, "{who} GET edit");
        for (action, fields, may) in &cases {
            let page = if who == "visitor" { "/login" } else { path.as_str() };
            let status = b.submit(page, action, fields).await.status.as_u16();
            if allowed(may) {
                assert_eq!(status, 303, "{who} POST {action}");
            } else {
                let expected = if who == "visitor" { 303 } else { 403 };
                assert_eq!(status, expected, "{who} POST {action}");
            }
        }
    }
    // A visitor may read and report a public post.
    assert_eq!(anonymous.get(&path).await.status, StatusCode::OK);
    assert_eq!(
        anonymous.submit(&path, &format!("{path}/report"), &[("reason", "x")]).await.status,
        StatusCode::SEE_OTHER
    );
    // Another center: the post does not exist there.
    assert_eq!(other_center.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other_center.get(&format!("{path}/edit")).await.status, StatusCode::NOT_FOUND);
    for (action, fields, _) in &cases[..5] {
        assert_eq!(other_center.submit("/board", action, fields).await.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert!(other_center.get("/board").await.html().texts("#posts h2").is_empty());
    // Forged forms without a token change nothing.
    assert_eq!(secretariat.post_raw(&format!("{path}/pin"), &[("pinned", "0")]).await.status, StatusCode::FORBIDDEN);
}
