//! Social issues: bring one anonymously, see it wait for approval, see it published,
//! support it, watch it move through the stages; moderation with reasons and a log;
//! authorisation for every role and for another center; markup comes back escaped.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(an_anonymous_issue_waits_then_is_supported_and_moves_on, who_may_do_what_with_issues);

async fn an_anonymous_issue_waits_then_is_supported_and_moves_on(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let visitor = server.browser();
    let bad =
        visitor.submit("/issues/new", "/issues", &[("title", ""), ("description", ""), ("place", "若林区")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.html().attr("#place", "value").as_deref(), Some("若林区"), "input kept");
    assert_eq!(bad.html().text("#title-error").as_deref(), Some("題名を入力してください。"));

    let sent = visitor
        .submit(
            "/issues/new",
            "/issues",
            &[
                ("title", "空き家が増えて<script>alert(1)</script>見守りが届かない"),
                ("description", "町内会で話題に。<img src=x onerror=alert(1)> **高齢**の一人暮らし"),
                ("place", "若林区"),
                ("tag", "居住支援"),
                ("tag", "高齢者"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.body.contains("事務局が内容を確認してから公開します"));
    assert!(!visitor.get("/issues").await.body.contains("空き家が増えて"), "waiting for approval");

    let office = server.secretariat().await;
    let queue = office.get("/admin/moderation").await;
    let action = queue.html().attr("#pending-heading ~ ul form", "action").expect("pending issue");
    let id: i64 = action.split('/').nth(3).unwrap().parse().unwrap();
    assert_eq!(visitor.get(&format!("/issues/{id}")).await.status, StatusCode::NOT_FOUND);
    let hide_without_reason = office.submit("/admin/moderation", &action, &[("action", "hide"), ("reason", "")]).await;
    assert_eq!(hide_without_reason.status, StatusCode::SEE_OTHER);
    assert!(office.get("/admin/moderation").await.body.contains("理由を書いてください"));
    office.submit("/admin/moderation", &action, &[("action", "approve")]).await;

    let page = visitor.get(&format!("/issues/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)"), "title escaped");
    assert!(page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"), "title shown as text");
    assert!(!page.body.contains("onerror") && page.body.contains("<strong>高齢</strong>"), "Markdown sanitised");
    assert_eq!(page.html().text("dd:nth-of-type(2)").as_deref(), Some("匿名"));
    assert_eq!(visitor.post_raw(&format!("/issues/{id}/support"), &[]).await.status, StatusCode::FORBIDDEN, "no token");

    server.create_account("m@example.jp", "member password", "共感 さん", Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    member.submit(&format!("/issues/{id}"), &format!("/issues/{id}/support"), &[]).await;
    assert_eq!(member.get(&format!("/issues/{id}")).await.html().text("#supporters").as_deref(), Some("わたしも 1人"));
    member.submit(&format!("/issues/{id}"), &format!("/issues/{id}/support"), &[]).await;
    assert_eq!(member.get(&format!("/issues/{id}")).await.html().text("#supporters").as_deref(), Some("わたしも 0人"));
    member.submit(&format!("/issues/{id}"), &format!("/issues/{id}/support"), &[]).await;

    let moved = office
        .submit(
            &format!("/issues/{id}"),
            &format!("/admin/issues/{id}/stage"),
            &[("stage", "2"), ("note", "居住支援ラボで取り上げ")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let page = visitor.get(&format!("/issues/{id}")).await;
    assert_eq!(page.html().text("#stage").as_deref(), Some("② 課題対応"));
    assert!(page.body.contains("居住支援ラボで取り上げ"));

    // A member signs an issue: published at once, with their name.
    let signed =
        member.submit("/issues/new", "/issues", &[("title", "通学路が暗い"), ("description", "街灯が少ない")]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    let list = visitor.get("/issues").await;
    assert!(list.body.contains("通学路が暗い") && list.body.contains("わたしも 1人"));

    // Reported, then hidden with a reason; the log keeps who did what.
    visitor.submit(&format!("/issues/{id}"), &format!("/issues/{id}/report"), &[("reason", "個人が特定できる")]).await;
    // The report puts the issue in the moderators' queue, marked, until someone decides.
    let flagged = office.get("/admin/moderation").await.html().texts("#flagged li");
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(flagged[0].contains("通報あり") && flagged[0].contains("個人が特定できる"), "{flagged:?}");
    office
        .submit(
            "/admin/issues",
            &format!("/admin/issues/{id}/moderation"),
            &[("action", "hide"), ("reason", "個人情報を含むため")],
        )
        .await;
    assert_eq!(visitor.get(&format!("/issues/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(office.get("/admin/moderation").await.html().texts("#flagged li").is_empty(), "decided: out of the queue");
    let log = office.get("/admin/moderation").await.html().texts("#log-heading ~ div tbody tr");
    assert!(
        log[0].contains("非公開") && log[0].contains("個人情報を含むため") && log[0].contains("事務局 担当"),
        "{log:?}"
    );
    assert!(log.iter().any(|r| r.contains("報告") && r.contains("個人が特定できる")), "{log:?}");
}

async fn who_may_do_what_with_issues(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account("member@example.jp", "member password", "会員", Role::Member).await;
    server.create_account("coord@example.jp", "coordinator pw", "コーディネーター", Role::Coordinator).await;
    server.create_account_in(tagajo.id, "office@tagajo.jp", "tagajo password", "多賀城 事務局", Role::Admin).await;
    let member = server.browser();
    member.log_in("member@example.jp", "member password").await;
    member.submit("/issues/new", "/issues", &[("title", "仙台の課題"), ("description", "説明")]).await;
    let id = member.get("/issues").await.html().attr(".event-item h3 a", "href").unwrap();
    let id = id.rsplit('/').next().unwrap().to_owned();

    let coordinator = server.browser();
    coordinator.log_in("coord@example.jp", "coordinator pw").await;
    let anonymous = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "tagajo password").await;

    // The secretariat's routes: members and coordinators are refused, visitors sent to log in.
    for (who, b, expected) in
        [("member", &member, 403), ("coordinator", &coordinator, 403), ("visitor", &anonymous, 303)]
    {
        assert_eq!(b.get("/admin/issues").await.status.as_u16(), expected, "{who} GET /admin/issues");
        assert_eq!(b.get("/admin/moderation").await.status.as_u16(), expected, "{who} GET /admin/moderation");
        let stage = b.submit("/issues", &format!("/admin/issues/{id}/stage"), &[("stage", "3")]).await;
        assert_eq!(stage.status.as_u16(), expected, "{who} stage");
        let hide = b
            .submit("/issues", &format!("/admin/issues/{id}/moderation"), &[("action", "hide"), ("reason", "x")])
            .await;
        assert_eq!(hide.status.as_u16(), expected, "{who} hide");
    }
    // Supporting needs a login.
    let support = anonymous.submit(&format!("/issues/{id}"), &format!("/issues/{id}/support"), &[]).await;
    assert_eq!(support.status, StatusCode::SEE_OTHER);
    assert!(support.location().starts_with("/login"));
    // Another center's secretariat cannot see or touch it.
    assert_eq!(other_center.get(&format!("/issues/{id}")).await.status, StatusCode::NOT_FOUND);
    for (path, fields) in [
        (format!("/issues/{id}/support"), vec![]),
        (format!("/issues/{id}/report"), vec![("reason", "x")]),
        (format!("/admin/issues/{id}/stage"), vec![("stage", "4")]),
        (format!("/admin/issues/{id}/moderation"), vec![("action", "hide"), ("reason", "x")]),
    ] {
        assert_eq!(other_center.submit("/issues", &path, &fields).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!other_center.get("/issues").await.body.contains("仙台の課題"));
    let page = member.get(&format!("/issues/{id}")).await;
    assert_eq!(page.html().text("#stage").as_deref(), Some("① 課題発見・主体形成"), "unchanged");
}

on_both_backends!(a_session_takes_up_an_issue);

async fn a_session_takes_up_an_issue(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("m@example.jp", "member password", "会員", Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    member
        .submit(
            "/issues/new",
            "/issues",
            &[("title", "ヤングケアラーの孤立"), ("description", "学校でも気づかれにくい")],
        )
        .await;
    let href = member.get("/issues").await.html().attr(".event-item h3 a", "href").unwrap();
    let issue_id = href.rsplit('/').next().unwrap().to_owned();

    let office = server.secretariat().await;
    let form = office.get("/admin/events/new").await;
    assert!(form.body.contains("ヤングケアラーの孤立"), "published issues are offered");
    let fields = |issue: &str| {
        vec![
            ("kind", "info_exchange".to_owned()),
            ("title", "あなたはヤングケアラーという存在を知っていますか？".to_owned()),
            ("date", "2099-05-18".to_owned()),
            ("start_time", "19:00".to_owned()),
            ("end_time", "20:30".to_owned()),
            ("venue", "サポートセンター".to_owned()),
            ("social_issue", issue.to_owned()),
        ]
    };
    let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad = as_refs(&fields("999999"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = office.submit("/admin/events/new", "/admin/events", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("選んだ課題が見つかりません"));
    let good = as_refs(&fields(&issue_id));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = office.submit("/admin/events/new", "/admin/events", &good).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    office.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    let event_id = admin_path.rsplit('/').next().unwrap();

    let event_page = member.get(&format!("/events/{event_id}")).await;
    assert_eq!(event_page.html().attr("dd a[href^='/issues/']", "href").as_deref(), Some(href.as_str()));
    let issue_page = member.get(&href).await;
    assert!(issue_page.html().texts("#events-heading ~ ul li").iter().any(|t| t.contains("ヤングケアラーという存在")));
}

on_both_backends!(new_issues_have_an_atom_feed);

async fn new_issues_have_an_atom_feed(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("m@example.jp", "member password", "会員 一郎", Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    member.submit("/issues/new", "/issues", &[("title", "街灯 & <暗い> 道"), ("description", "夜道が**怖い**")]).await;
    server
        .browser()
        .submit("/issues/new", "/issues", &[("title", "承認待ちの課題"), ("description", "まだ非公開")])
        .await;
    let feed = server.browser().get("/issues.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.header("content-type").starts_with("application/atom+xml"));
    assert!(feed.body.starts_with("<?xml") && feed.body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.body.contains("<title>街灯 &amp; &lt;暗い&gt; 道</title>"), "{}", feed.body);
    assert!(feed.body.contains("&lt;strong&gt;怖い&lt;/strong&gt;"), "HTML content escaped once");
    assert!(feed.body.contains("<name>会員 一郎</name>"));
    assert!(!feed.body.contains("承認待ちの課題"), "only published issues");
    assert_eq!(feed.body.matches("<entry>").count(), 1);
}

on_both_backends!(comments_from_visitors_wait_members_speak_at_once);

async fn comments_from_visitors_wait_members_speak_at_once(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("m@example.jp", "member password", "声 太郎", Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    member
        .submit("/issues/new", "/issues", &[("title", "防災倉庫の鍵"), ("description", "誰が持っているか分からない")])
        .await;
    let path = member.get("/issues").await.html().attr(".event-item h3 a", "href").unwrap();

    let visitor = server.browser();
    let empty = visitor.submit(&path, &format!("{path}/comments"), &[("body", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.html().text("#body-error").as_deref(), Some("内容を入力してください。"));
    let sent = visitor.submit(&path, &format!("{path}/comments"), &[("body", "町内会長が<b>持っています</b>")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert!(visitor.get(&path).await.body.contains("事務局が確認してから公開します"));
    assert!(!visitor.get(&path).await.body.contains("町内会長が"), "waits for approval");
    member.submit(&path, &format!("{path}/comments"), &[("body", "自治会でも確認します")]).await;
    let page = visitor.get(&path).await;
    assert!(page.html().texts(".comment").iter().any(|c| c.contains("声 太郎") && c.contains("自治会でも確認します")));

    // Members cannot moderate; the secretariat approves; markup stays text.
    let office = server.secretariat().await;
    let queue = office.get("/admin/moderation").await;
    let action = queue.html().attr("#comments-heading ~ ul form", "action").expect("a waiting comment");
    let refused = member.submit(&path, &action, &[("action", "approve")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    office.submit("/admin/moderation", &action, &[("action", "approve")]).await;
    let page = visitor.get(&path).await;
    assert!(page.body.contains("町内会長が") && !page.body.contains("<b>持っています</b>"), "escaped");
    let anonymous = page.html().texts(".comment");
    assert!(anonymous.iter().any(|c| c.contains("匿名") && c.contains("町内会長が")), "{anonymous:?}");

    // A reader reports a comment; the log shows it for the secretariat.
    let report_action = visitor.get(&path).await.html().attr(".comment form", "action").expect("report form");
    let reported = visitor.submit(&path, &report_action, &[("reason", "不正確")]).await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER);
    let queue = office.get("/admin/moderation").await.html();
    let log = queue.texts("#log-heading ~ div tbody tr");
    assert!(log.iter().any(|r| r.contains("コメント") && r.contains("報告") && r.contains("不正確")), "{log:?}");
    let flagged = queue.texts("#flagged li");
    assert!(flagged.len() == 1 && flagged[0].contains("町内会長が") && flagged[0].contains("不正確"), "{flagged:?}");

    // Another center cannot touch it.
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account_in(tagajo.id, "office@tagajo.jp", "tagajo password", "多賀城 事務局", Role::Admin).await;
    let other = server.browser_at("tagajo.test");
    other.log_in("office@tagajo.jp", "tagajo password").await;
    let hide = other.submit("/issues", &action, &[("action", "hide"), ("reason", "x")]).await;
    assert_eq!(hide.status, StatusCode::NOT_FOUND);
    let comment = other.submit("/issues", &format!("{path}/comments"), &[("body", "x")]).await;
    assert_eq!(comment.status, StatusCode::NOT_FOUND);
    let report = other.submit("/issues", &report_action, &[("reason", "x")]).await;
    assert_eq!(report.status, StatusCode::NOT_FOUND);
}

on_both_backends!(followers_hear_what_happens_to_an_issue);

async fn followers_hear_what_happens_to_an_issue(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("a@example.jp", "author password", "提起 一郎", Role::Member).await;
    server.create_account("b@example.jp", "follower password", "関心 花子", Role::Member).await;
    let author = server.browser();
    author.log_in("a@example.jp", "author password").await;
    author.submit("/issues/new", "/issues", &[("title", "公園の遊具が古い"), ("description", "危ない")]).await;
    let href = author.get("/issues").await.html().attr(".event-item h3 a", "href").unwrap();
    let id = href.rsplit('/').next().unwrap().to_owned();
    let follower = server.browser();
    follower.log_in("b@example.jp", "follower password").await;
    let visitor = server.browser();
    let refused = visitor.submit(&href, &format!("{href}/follow"), &[]).await;
    assert!(refused.status == StatusCode::SEE_OTHER && refused.location().starts_with("/login"), "visitors log in");
    follower.submit(&href, &format!("{href}/follow"), &[]).await;
    assert_eq!(
        follower.get(&href).await.html().attr("form[action$='/follow'] button", "aria-pressed").as_deref(),
        Some("true")
    );

    let office = server.secretariat().await;
    office.submit(&href, &format!("/admin/issues/{id}/stage"), &[("stage", "2"), ("note", "ラボで検討")]).await;
    // Followers receive issue news at once unless they chose otherwise: the postman's next
    // round mails it, in each one's language (Japanese here).
    assert_eq!(server.deliver_mail().await.sent, 2);
    for (who, email) in [(&author, "a@example.jp"), (&follower, "b@example.jp")] {
        let notes = who.get("/notifications").await.html().texts("#notifications li");
        assert!(
            notes.iter().any(|n| n.contains("「公園の遊具が古い」の段階が進みました") && n.contains("新着")),
            "{email}: {notes:?}"
        );
        let mail = server.wait_for_mail(email).await;
        assert!(mail.body.contains(&href) && mail.body.contains("段階が進みました"), "{}", mail.body);
        assert!(!mail.body.contains("moved to a new stage"), "one language: {}", mail.body);
    }
    // A comment tells the others, not its writer.
    follower.submit(&href, &format!("{href}/comments"), &[("body", "子どもが怪我をしました")]).await;
    let author_notes = author.get("/notifications").await.html().texts("#notifications li");
    assert!(author_notes.iter().any(|n| n.contains("新しい意見")), "{author_notes:?}");
    let follower_notes = follower.get("/notifications").await.html().texts("#notifications li");
    assert!(!follower_notes.iter().any(|n| n.contains("新しい意見")), "{follower_notes:?}");
    // Approving a comment already shown tells nobody again.
    let told = author.get("/notifications").await.html().count("#notifications li");
    let report = author.get(&href).await.html().attr(".comment form[action^='/comments/']", "action").unwrap();
    let comment = report.trim_start_matches("/comments/").trim_end_matches("/report").to_owned();
    let again = office.submit(&href, &format!("/admin/comments/{comment}/moderation"), &[("action", "approve")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(author.get("/notifications").await.html().count("#notifications li"), told);
    // Read, then unfollowed: nothing new arrives.
    follower.submit("/notifications", "/notifications/read", &[]).await;
    assert!(!follower.get("/notifications").await.body.contains("新着"));
    follower.submit(&href, &format!("{href}/follow"), &[]).await;
    office.submit(&href, &format!("/admin/issues/{id}/stage"), &[("stage", "3")]).await;
    assert_eq!(follower.get("/notifications").await.html().count("#notifications li"), 1, "only the stage change");
    assert_eq!(author.get("/notifications").await.html().count("#notifications li"), 3);
    // What they follow and were told is part of their data.
    let export: serde_json::Value = serde_json::from_str(&follower.get("/account/export").await.body).unwrap();
    assert_eq!(export["social_issues"]["following"], serde_json::json!([]), "unfollowed");
    assert_eq!(export["social_issues"]["comments"][0]["body"], "子どもが怪我をしました");
    assert_eq!(export["notifications"].as_array().map(Vec::len), Some(1));
    let export: serde_json::Value = serde_json::from_str(&author.get("/account/export").await.body).unwrap();
    assert_eq!(export["social_issues"]["following"][0].to_string(), id);
    assert_eq!(export["social_issues"]["brought"][0]["title"], "公園の遊具が古い");
    // Another center's reader cannot follow it.
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account_in(tagajo.id, "t@tagajo.jp", "tagajo password", "多賀城 会員", Role::Member).await;
    let other = server.browser_at("tagajo.test");
    other.log_in("t@tagajo.jp", "tagajo password").await;
    assert_eq!(other.submit("/issues", &format!("{href}/follow"), &[]).await.status, StatusCode::NOT_FOUND);
}
