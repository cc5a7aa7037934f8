//! Articles (issue 16): the secretariat writes and publishes session reports and the
//! like; the gallery, the article, its feed and the search show the published ones only;
//! a linked lab or issue shows the article back.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(
    the_secretariat_publishes_an_article_and_everyone_finds_it,
    only_the_secretariat_writes_articles,
    comments_on_articles_are_moderated,
);

async fn the_secretariat_publishes_an_article_and_everyone_finds_it(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let lab = server.open_lab("居住支援").await;
    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let new = socialhub::social_issue::NewIssue {
        title: "保証人がいない".into(),
        description: "部屋を借りられない".into(),
        place: String::new(),
        tags: vec![],
        anonymous: false,
    };
    let issue = socialhub::social_issue::bring(&server.db, tenant, &new, Some(author)).await.unwrap();
    let office = server.secretariat().await;

    // Sent empty: every problem named, nothing saved.
    let bad =
        office.submit("/admin/articles/new", "/admin/articles", &[("date", "令和6年13月1日"), ("category", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert_eq!(html.text("#title-error").as_deref(), Some("題名を入力してください。"));
    assert_eq!(html.text("#body-error").as_deref(), Some("本文を入力してください。"));
    assert!(html.text("#date-error").unwrap().contains("令和6年4月18日"));
    assert_eq!(html.attr("#date", "value").as_deref(), Some("令和6年13月1日"), "the input is kept");

    let lab_id = lab.0.to_string();
    let issue_id = issue.0.to_string();
    let body = "![会場のようす](/static/icon.svg)\n\n# 話し合ったこと\n\n**居住支援**の担い手について。<script>alert(1)</script>";
    let fields = [
        ("title", "第3回 居住支援ラボの報告"),
        ("category", "lab_result"),
        ("date", "令和5年5月20日"),
        ("body", body),
        ("tags", "居住支援、プロボノ"),
        ("lab_id", lab_id.as_str()),
        ("social_issue_id", issue_id.as_str()),
        ("action", "publish"),
    ];
    let saved = office.submit("/admin/articles/new", "/admin/articles", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let path = saved.location().to_owned();
    // A draft beside it.
    let draft = office
        .submit(
            "/admin/articles/new",
            "/admin/articles",
            &[
                ("title", "下書きの報告"),
                ("category", "notice"),
                ("date", "2024/4/1"),
                ("body", "まだ居住支援の途中"),
                ("action", "draft"),
            ],
        )
        .await;
    assert_eq!(draft.status, StatusCode::SEE_OTHER);
    let draft_path = draft.location().to_owned();

    let visitor = server.browser();
    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(html.text("h1").as_deref(), Some("第3回 居住支援ラボの報告"));
    assert_eq!(html.text(".description h2").as_deref(), Some("話し合ったこと"), "headings below the page's own");
    assert!(!page.body.contains("<script>alert"), "sanitised");
    assert!(page.body.contains("令和5年5月20日"));
    assert_eq!(html.attr("dl.facts a[href^='/labs/']", "href"), Some(format!("/labs/{}", lab.0)));
    assert_eq!(html.attrs(".event-kind a.tag", "href").len(), 2);
    assert_eq!(visitor.get(&draft_path).await.status, StatusCode::NOT_FOUND, "a draft is the secretariat's");
    assert_eq!(office.get(&draft_path).await.status, StatusCode::OK);

    // The gallery: the published one, with its first picture as the cover.
    let gallery = visitor.get("/articles").await.html();
    assert_eq!(gallery.texts(".gallery h2"), ["第3回 居住支援ラボの報告"]);
    assert_eq!(gallery.attr(".gallery img.cover", "src").as_deref(), Some("/static/icon.svg"));
    assert_eq!(gallery.attr(".gallery img.cover", "alt").as_deref(), Some(""));
    let notices = visitor.get("/articles?category=notice").await.html();
    assert_eq!(notices.count(".gallery-item"), 0);
    // Shown back on the lab's and the issue's pages.
    let lab_page = visitor.get(&format!("/labs/{}", lab.0)).await.html();
    assert_eq!(lab_page.attrs("section[aria-labelledby=articles-heading] a", "href"), [path.as_str()]);
    let issue_page = visitor.get(&format!("/issues/{}", issue.0)).await.html();
    // A session's report is shown on the session's page once it has taken place.
    let held = server.published_event("第3回 ラボ勉強会", -48, Some(20)).await;
    let report = office
        .submit(
            "/admin/articles/new",
            "/admin/articles",
            &[
                ("title", "勉強会の報告"),
                ("category", "session_report"),
                ("date", "2024-04-18"),
                ("body", "報告です"),
                ("event_id", &held.0.to_string()),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(report.status, StatusCode::SEE_OTHER, "{}", report.body);
    let session = visitor.get(&format!("/events/{}", held.0)).await.html();
    assert_eq!(session.attrs("section[aria-labelledby=articles-heading] a", "href"), [report.location()]);
    assert_eq!(issue_page.attrs("section[aria-labelledby=articles-heading] a", "href"), [path.as_str()]);
    // The feed and the search, without the draft.
    let feed = visitor.get("/articles.atom").await;
    assert!(feed.header("content-type").starts_with("application/atom+xml"));
    assert!(feed.body.contains("第3回 居住支援ラボの報告") && !feed.body.contains("下書きの報告"));
    let found = visitor.get("/search?q=%E5%B1%85%E4%BD%8F%E6%94%AF%E6%8F%B4&kind=article").await.html();
    assert_eq!(found.inline_texts(".search-hits h3"), ["第3回 居住支援ラボの報告"]);

    // Unpublished again by an edit: gone from the gallery and the search.
    let id = path.rsplit('/').next().unwrap();
    let mut again = fields.to_vec();
    again.retain(|(k, _)| *k != "action");
    again.push(("action", "draft"));
    let edited = office.submit(&format!("/admin/articles/{id}/edit"), &format!("/admin/articles/{id}"), &again).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    assert_eq!(visitor.get("/articles").await.html().texts(".gallery h2"), ["勉強会の報告"], "the other one only");
    let found = visitor.get("/search?q=%E5%B1%85%E4%BD%8F%E6%94%AF%E6%8F%B4&kind=article").await.html();
    assert_eq!(found.count(".search-hits li"), 0);
}

async fn only_the_secretariat_writes_articles(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("member@example.jp", "member password", "会員 さん", Role::Member).await;
    let member = server.browser();
    member.log_in("member@example.jp", "member password").await;
    for path in ["/admin/articles", "/admin/articles/new"] {
        assert_eq!(member.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let token = member.get("/articles").await.html().csrf_token().unwrap();
    let posted = member
        .post_raw(
            "/admin/articles",
            &[("csrf_token", &token), ("title", "x"), ("category", "notice"), ("date", "2024-04-01"), ("body", "x")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let office = server.secretariat().await;
    assert_eq!(office.get("/admin/articles").await.status, StatusCode::OK);
    // Another center's lab cannot be linked.
    server.add_tenant("kyoto", "京都", "kyoto.localhost").await;
    let kyoto = socialhub::tenant::store::get_by_slug(&server.db, "kyoto").await.unwrap().id;
    let theirs = socialhub::lab::open(&server.db, kyoto, &crate::support::lab_draft("京都のラボ")).await.unwrap();
    let theirs = theirs.0.to_string();
    let refused = office
        .submit(
            "/admin/articles/new",
            "/admin/articles",
            &[("title", "x"), ("category", "notice"), ("date", "2024-04-01"), ("body", "x"), ("lab_id", &theirs)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html().text("#event_id-error").is_some());
    assert_eq!(socialhub::article::store::all(&server.db, server.tenant().await).await.unwrap().len(), 0);
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn found(dir: &std::path::Path, query: &str) -> Vec<String> {
    let (code, out, err) =
        crate::support::run_cli(&["search", query, "--kind", "article", "--format", "json"], &[], dir);
    assert_eq!(code, 0, "{err}");
    let hits: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let mut titles: Vec<String> = hits.iter().map(|h| h["title"].as_str().unwrap().to_owned()).collect();
    titles.sort();
    titles
}

#[test]
fn an_archive_is_brought_in_once_and_updated_after() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    write(
        &archive,
        "2023-04-20.md",
        "---\ntitle: 第1回 情報交換会の報告\ndate: 令和5年4月20日\ncategory: セッション報告\ntags: [情報交換会]\n---\n\n市民と企業が集まりました。\n",
    );
    write(
        &archive,
        "draft.md",
        "---\ntitle: 書きかけの報告\ndate: 2023/6/1\ncategory: notice\ndraft: true\n---\n途中\n",
    );
    write(
        &archive,
        "note.xml",
        "<?xml version=\"1.0\"?>\n<rss xmlns:content=\"c\" xmlns:wp=\"w\"><channel>\n<item><title>ラボの報告</title>\
         <guid>https://note.com/x/n/1</guid><content:encoded><![CDATA[<p>ラボで話した報告</p>]]></content:encoded>\
         <wp:post_date>2023-05-20 10:00:00</wp:post_date><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\
         </item>\n</channel></rss>\n",
    );
    write(&archive, "notes.txt", "not an article");
    // A picture beside the text, with the place it was taken in its EXIF.
    std::fs::create_dir(archive.join("images")).unwrap();
    let exif = b"Exif\0\0GPS 38.2N";
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend(((exif.len() + 2) as u16).to_be_bytes());
    jpeg.extend(exif);
    jpeg.extend([0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
    std::fs::write(archive.join("images").join("venue.jpg"), &jpeg).unwrap();
    write(
        &archive,
        "photo.md",
        "---\ntitle: 会場の写真つき報告\ndate: 2023-08-01\ncategory: lab_result\n---\n\n![会場](images/venue.jpg)\n\n写真です。\n",
    );
    let folder = archive.to_str().unwrap();
    let (code, out, err) = crate::support::run_cli(&["import", "articles", folder], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4 new, 0 updated"), "{out}");
    assert_eq!(
        found(dir.path(), "報告"),
        ["ラボの報告", "会場の写真つき報告", "第1回 情報交換会の報告"],
        "the draft is not public"
    );
    // The picture was brought in without its EXIF, and the text points at it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = format!("sqlite://{}", dir.path().join("socialhub.sqlite3").display());
    let body = runtime.block_on(async {
        let db = socialhub::db::Db::connect(&url).await.unwrap();
        let tenant = socialhub::tenant::store::get_default(&db).await.unwrap().id;
        let all = socialhub::article::store::all(&db, tenant).await.unwrap();
        let photo = all.iter().find(|a| a.title == "会場の写真つき報告").unwrap();
        let file = socialhub::file::store::list(&db, tenant, 10).await.unwrap();
        assert_eq!(file.len(), 1);
        let stored = socialhub::file::store::get(&db, tenant, file[0].id).await.unwrap();
        assert!(!String::from_utf8_lossy(&stored.bytes).contains("GPS"));
        photo.body.clone()
    });
    assert!(body.starts_with("![会場](/files/") && body.contains("/venue.jpg)"), "{body}");

    // Again, with a title changed: updated, not doubled.
    write(
        &archive,
        "2023-04-20.md",
        "---\ntitle: 第1回 情報交換会の報告（改訂）\ndate: 令和5年4月20日\ncategory: セッション報告\n---\n\n市民と企業が集まりました。\n",
    );
    let (code, out, err) = crate::support::run_cli(&["import", "articles", folder], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0 new, 4 updated"), "{out}");
    assert_eq!(found(dir.path(), "報告"), ["ラボの報告", "会場の写真つき報告", "第1回 情報交換会の報告（改訂）"]);

    // A bad file among good ones: each problem named by file and line, nothing imported.
    write(&archive, "bad.md", "---\ntitle: 壊れた報告\ndate: 2023-02-30\ncategory: 日記\n---\n本文\n");
    write(
        &archive,
        "new.md",
        "---\ntitle: 新しい報告\ndate: 2023-07-01\ncategory: お知らせ\n---\n本文\n\n![図](images/missing.png)\n",
    );
    let (code, _, err) = crate::support::run_cli(&["import", "articles", folder], &[], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("bad.md:3: the date must be like"), "{err}");
    assert!(err.contains("bad.md:4: unknown category"), "{err}");
    assert!(err.contains("new.md:8: images/missing.png is not in the folder"), "{err}");
    assert!(err.contains("nothing was imported: 3 problems"), "{err}");
    assert!(!found(dir.path(), "新しい報告").iter().any(|t| t == "新しい報告"), "nothing imported");
}

async fn comments_on_articles_are_moderated(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let saved = office
        .submit(
            "/admin/articles/new",
            "/admin/articles",
            &[
                ("title", "報告"),
                ("category", "notice"),
                ("date", "2024-04-01"),
                ("body", "本文"),
                ("action", "publish"),
            ],
        )
        .await;
    let path = saved.location().to_owned();
    let comments = format!("{path}/comments");

    // A visitor's comment waits; a member's shows at once.
    let visitor = server.browser();
    let sent = visitor.submit(&path, &comments, &[("body", "来月もありますか")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let empty = visitor.submit(&path, &comments, &[("body", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html().text("#body-error").is_some());
    server.create_account("member@example.jp", "member password", "会員 さん", Role::Member).await;
    let member = server.browser();
    member.log_in("member@example.jp", "member password").await;
    member.submit(&path, &comments, &[("body", "参加してよかったです")]).await;
    let page = visitor.get(&path).await.html();
    assert_eq!(page.texts(".comment-body"), ["参加してよかったです"]);

    // The visitor's waits in the moderators' queue; approved, it shows.
    let queue = office.get("/admin/moderation").await;
    assert!(queue.body.contains("来月もありますか"), "{}", queue.body);
    let tenant = server.tenant().await;
    let pending = socialhub::moderation::store::pending(&server.db, tenant).await.unwrap();
    let waiting = pending.iter().find(|p| p.subject == socialhub::moderation::Subject::ArticleComment).unwrap();
    let approved = office
        .submit("/admin/moderation", &waiting.action(), &[("action", "approve"), ("back", "/admin/moderation")])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert_eq!(visitor.get(&path).await.html().texts(".comment-body").len(), 2);

    // A reader reports the member's comment; the secretariat hides it with a reason.
    let page = visitor.get(&path).await.html();
    let report = page.attrs(".report-post form", "action");
    let reported = visitor.submit(&path, &report[1], &[("reason", "宣伝です")]).await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER);
    let flagged = socialhub::moderation::store::flagged(&server.db, tenant).await.unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].post.link(), format!("{path}#comment-{}", flagged[0].post.subject_id));
    let hidden = office
        .submit(
            "/admin/moderation",
            &flagged[0].post.action(),
            &[("action", "hide"), ("reason", "宣伝"), ("back", "/admin/moderation")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    assert_eq!(visitor.get(&path).await.html().texts(".comment-body"), ["来月もありますか"]);
    // Members do not moderate.
    let forged = member.submit(&path, &flagged[0].post.action(), &[("action", "restore")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Taken back to draft, the article's comments are no one's to see, nor to report.
    let remaining = visitor.get(&path).await.html().attrs(".report-post form", "action");
    assert_eq!(remaining.len(), 1);
    let id = path.rsplit('/').next().unwrap();
    let drafted = office
        .submit(
            &format!("/admin/articles/{id}/edit"),
            &format!("/admin/articles/{id}"),
            &[("title", "報告"), ("category", "notice"), ("date", "2024-04-01"), ("body", "本文"), ("action", "save")],
        )
        .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    assert_eq!(visitor.get(&path).await.status, StatusCode::NOT_FOUND);
    let reported = visitor.submit("/articles", &remaining[0], &[("reason", "宣伝です")]).await;
    assert_eq!(reported.status, StatusCode::NOT_FOUND);
}

/// A PNG with its author in a text chunk.
fn png_with_author() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], &b"0123456789abc"[..]), (b"tEXt", b"Author\0me"), (b"IEND", b"")] {
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(kind);
        png.extend(data);
        png.extend([0, 0, 0, 0]);
    }
    png
}

/// A web server of pictures on a random port, as note.com's is for its export: a PNG,
/// a page of HTML named like a picture, and nothing else. Returns its address.
fn picture_server(runtime: &tokio::runtime::Runtime) -> String {
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/img/hall.png", get(|| async { ([("content-type", "image/png")], png_with_author()) }))
        .route("/img/page.png", get(|| async { ([("content-type", "image/png")], "<html><script>x</script>") }));
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let address = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn export_showing(pictures: &[String]) -> String {
    let images: String = pictures.iter().map(|p| format!("<p><img src=\"{p}\" alt=\"\"></p>")).collect();
    format!(
        "<?xml version=\"1.0\"?>\n<rss xmlns:content=\"c\" xmlns:wp=\"w\"><channel>\n<item><title>会場の様子</title>\n\
         <guid>https://note.com/x/n/2</guid>\n<content:encoded><![CDATA[<p>写真で振り返ります</p>\n{images}]]></content:encoded>\n\
         <wp:post_date>2023-06-01 10:00:00</wp:post_date><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>\n\
         </item>\n</channel></rss>\n"
    )
}

#[test]
fn an_exports_pictures_are_brought_from_the_web() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let web = picture_server(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    let folder = archive.to_str().unwrap();

    // A picture that is not one, and one the server does not have: each named at its
    // line, nothing imported.
    let bad = [format!("{web}/img/hall.png"), format!("{web}/img/page.png"), format!("{web}/img/gone.jpg")];
    write(&archive, "note.xml", &export_showing(&bad));
    let (code, _, err) = crate::support::run_cli(&["import", "articles", folder], &[], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("note.xml:6: cannot bring the picture {web}/img/page.png: ")), "{err}");
    assert!(
        err.contains(&format!("note.xml:6: cannot bring the picture {web}/img/gone.jpg: the server answered 404")),
        "{err}"
    );
    assert!(err.contains("nothing was imported: 2 problems"), "{err}");
    assert!(found(dir.path(), "振り返り").is_empty(), "nothing imported");

    // The picture brought, without its text chunk; the article shows it from the platform.
    let good = format!("{web}/img/hall.png?width=800");
    write(&archive, "note.xml", &export_showing(std::slice::from_ref(&good)));
    let (code, out, err) = crate::support::run_cli(&["import", "articles", folder], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 new, 0 updated"), "{out}");
    let url = format!("sqlite://{}", dir.path().join("socialhub.sqlite3").display());
    let (body, stored) = runtime.block_on(async {
        let db = socialhub::db::Db::connect(&url).await.unwrap();
        let tenant = socialhub::tenant::store::get_default(&db).await.unwrap().id;
        let article = socialhub::article::store::all(&db, tenant).await.unwrap().remove(0);
        let files = socialhub::file::store::list(&db, tenant, 10).await.unwrap();
        assert_eq!(files.len(), 1);
        let stored = socialhub::file::store::get(&db, tenant, files[0].id).await.unwrap();
        (article.body, (files[0].url(), stored.bytes))
    });
    assert!(body.contains(&format!("<img src=\"{}\"", stored.0)), "{body}");
    assert!(!body.contains(&web), "{body}");
    assert!(stored.0.ends_with("/hall.png"), "{}", stored.0);
    assert!(stored.1.starts_with(b"\x89PNG") && !String::from_utf8_lossy(&stored.1).contains("Author"));
}
