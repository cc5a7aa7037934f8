//! The web shell: language, layout, security headers, errors, CSRF, health and metrics.

use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(
    home_page_is_japanese_with_an_english_switch,
    security_headers_and_csp,
    unknown_pages_answer_404_in_the_readers_language,
    forms_without_csrf_token_are_refused,
    oversized_forms_answer_413_in_the_readers_language,
    control_characters_are_removed_from_every_form,
    health_and_metrics
);

async fn home_page_is_japanese_with_an_english_switch(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let browser = server.browser();
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.html();
    assert_eq!(html.attr("html", "lang").as_deref(), Some("ja"));
    assert_eq!(html.text("h1").as_deref(), Some("せんだい・みやぎソーシャルハブ"));
    assert_eq!(html.text("a.skip-link").as_deref(), Some("本文へ移動"));
    assert_eq!(html.count("main#main"), 1);
    assert_eq!(html.count("nav[aria-label]"), 1);

    let switched = browser.submit("/", "/lang", &[("lang", "en"), ("next", "/privacy")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/privacy");
    let privacy = browser.get("/privacy").await;
    let html = privacy.html();
    assert_eq!(html.attr("html", "lang").as_deref(), Some("en"));
    assert_eq!(html.text("h1").as_deref(), Some("Privacy"));
    // The switch back is labelled in its own language.
    assert_eq!(html.attr("button[name=lang]", "lang").as_deref(), Some("ja"));

    // A redirect target elsewhere is never followed.
    let outside = browser.submit("/", "/lang", &[("lang", "ja"), ("next", "//evil.example/")]).await;
    assert_eq!(outside.location(), "/");
}

async fn security_headers_and_csp(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let page = server.browser().get("/").await;
    let csp = page.header("content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("x-frame-options"), "DENY");
    let set_cookie: Vec<_> =
        page.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(
        set_cookie.iter().any(|c| c.starts_with("sh_csrf=") && c.contains("HttpOnly") && c.contains("SameSite=Lax"))
    );
    // No inline style or script that the CSP would block.
    assert!(!page.body.contains("style=\"") && !page.body.contains("<script>"));
}

async fn unknown_pages_answer_404_in_the_readers_language(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let browser = server.browser();
    let page = browser.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.html().text("h1").as_deref(), Some("ページが見つかりません"));
    browser.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let page = browser.get("/no/such/page").await;
    assert_eq!(page.html().text("h1").as_deref(), Some("Page not found"));
    // Pages for members send visitors to log in, then back.
    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=%2Faccount");
    // Secretariat pages too.
    assert_eq!(browser.get("/admin/accounts").await.status, StatusCode::SEE_OTHER);
}

async fn forms_without_csrf_token_are_refused(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let browser = server.browser();
    browser.get("/signup").await;
    let fields = [
        ("email", "forged@example.jp"),
        ("password", "a long password"),
        ("display_name", "偽 太郎"),
        ("furigana", "サンカ シャ"),
        ("sector", "citizen"),
        ("consent", "yes"),
    ];
    let forged = browser.post_raw("/signup", &fields).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(forged.html().text("h1").as_deref(), Some("フォームの有効期限が切れました"));
    let mut wrong = vec![("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")];
    wrong.extend_from_slice(&fields);
    assert_eq!(browser.post_raw("/signup", &wrong).await.status, StatusCode::FORBIDDEN);
    // A token taken from another browser does not fit this browser's cookie.
    let other = server.browser();
    let token = other.get("/signup").await.html().csrf_token().unwrap();
    let mut stolen = vec![("csrf_token", token.as_str())];
    stolen.extend_from_slice(&fields);
    assert_eq!(browser.post_raw("/signup", &stolen).await.status, StatusCode::FORBIDDEN);
    // Nothing was created and no mail went out.
    assert!(server.mails().is_empty());
    let ok = browser.submit("/signup", "/signup", &fields).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(server.mails_to("forged@example.jp").len(), 1);

    // A forged registration, read in English: refused in English, nothing registered.
    let event = server.published_event("偽の申し込み", 24, Some(10)).await;
    let english = server.browser();
    english.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let path = format!("/events/{}/registrations", event.0);
    let forged = english
        .post_raw(
            &path,
            &[
                ("mode", "venue"),
                ("name", "偽 花子"),
                ("email", "forged-guest@example.jp"),
                ("furigana", "サンカ シャ"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(forged.html().text("h1").as_deref(), Some("The form has expired"));
    let tenant = server.tenant().await;
    let listed = socialhub::registration::store::list_for_event(&server.db, tenant, event).await.unwrap();
    assert!(listed.is_empty(), "nothing registered");
    assert!(server.mails_to("forged-guest@example.jp").is_empty());
}

/// A form body over the frame's limit is too large, not a forged form: 413, in the
/// reader's language, and nothing is stored.
async fn oversized_forms_answer_413_in_the_readers_language(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let browser = server.browser();
    // 3 MB once percent-encoded: over the frame's 2 MiB for forms, under the 8 MiB the
    // server reads of any body.
    let huge = "あ".repeat(350_000);
    let fields = [("title", "大きすぎる課題"), ("description", huge.as_str()), ("place", "青葉区")];
    let page = browser.submit("/issues/new", "/issues", &fields).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.body);
    assert_eq!(page.html().attr("html", "lang").as_deref(), Some("ja"));
    assert_eq!(page.html().text("h1").as_deref(), Some("送信内容が大きすぎます"));

    browser.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let page = browser.submit("/issues/new", "/issues", &fields).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.body);
    assert_eq!(page.html().attr("html", "lang").as_deref(), Some("en"));
    assert_eq!(page.html().text("h1").as_deref(), Some("Too large"));

    let office = server.secretariat().await;
    assert!(!office.get("/admin/issues").await.body.contains("大きすぎる課題"), "nothing stored");
}

/// NUL (which PostgreSQL text cannot hold), escape, DEL and C1 controls are taken out of
/// every form, whichever way its token came; line breaks and tabs stay.
async fn control_characters_are_removed_from_every_form(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;

    // A member's issue, token in the body.
    server.create_account("m@example.jp", "member password", "会員 さん", socialhub::account::Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    let fields = [
        ("title", "通学路が\u{0}暗い\u{7f}"),
        ("description", "街灯が\u{1b}[2J少ない\u{85}\r\n二行目\tタブ"),
        ("place", "若林\u{0}区"),
    ];
    let sent = member.submit("/issues/new", "/issues", &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = member.get(sent.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.html().text("h1").as_deref(), Some("通学路が暗い"));
    assert!(page.body.contains("若林区"), "{}", page.body);
    let id: i64 = sent.location().rsplit('/').next().unwrap().parse().unwrap();
    let issue = socialhub::social_issue::store::get(&server.db, tenant, socialhub::social_issue::SocialIssueId(id))
        .await
        .unwrap();
    assert_eq!(issue.title, "通学路が暗い");
    assert_eq!(issue.description, "街灯が[2J少ない\r\n二行目\tタブ", "line breaks and tabs kept");

    // A guest's registration, token in the query string.
    let event = server.published_event("制御文字の回", 24, Some(10)).await;
    let guest = server.browser();
    let path = format!("/events/{}", event.0);
    let token = guest.get(&path).await.html().csrf_token().unwrap();
    let done = guest
        .post_raw(
            &format!("{path}/registrations?csrf_token={token}"),
            &[
                ("mode", "venue"),
                ("name", "佐藤\u{0}美咲"),
                ("email", "misaki@example.jp"),
                ("furigana", "サトウ\u{0}ミサキ"),
                ("sector", "citizen"),
                ("affiliation", "五橋\u{9f}町内会\u{8}"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.html().text("h1").as_deref(), Some("申し込みました"));

    // Another guest, token in the header.
    let other = server.browser();
    let token = other.get(&path).await.html().csrf_token().unwrap();
    let done = other
        .post_with_token_header(
            &format!("{path}/registrations"),
            &token,
            &[
                ("mode", "venue"),
                ("name", "鈴木\u{0}一郎"),
                ("email", "ichiro@example.jp"),
                ("furigana", "サンカ シャ"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let office = server.secretariat().await;
    let list = office.get(&format!("/admin/events/{}/checkin", event.0)).await;
    let names = list.html().texts(".checkin-item .who");
    assert!(names.iter().any(|n| n.starts_with("佐藤美咲 サトウミサキ 五橋町内会 ")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("鈴木一郎 ")), "{names:?}");

    // A code typed into the self check-in form (a GET form) is looked up without the NUL.
    let code = socialhub::event::store::get(&server.db, tenant, event).await.unwrap().checkin_code;
    let form = guest.get(&format!("/checkin?code={}%00", code)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("制御文字の回"), "{}", form.body);
}

/// Health for anyone; metrics only for a scraper with the configured token (without one,
/// for nobody).
async fn health_and_metrics(backend: Backend) {
    let token = "a long random scraper token";
    let Some(server) = TestServer::start_with(backend, |c| {
        c.metrics_token = Some(socialhub::config::Secret(token.to_owned()));
    })
    .await
    else {
        return;
    };
    let browser = server.browser();
    let health = browser.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body, "ok\n");
    browser.get("/").await;
    let scrape = |bearer: Option<&'static str>| {
        let url = format!("http://{}/metrics", server.addr);
        async move {
            let mut request = reqwest::Client::new().get(url);
            if let Some(b) = bearer {
                request = request.header("authorization", format!("Bearer {b}"));
            }
            let res = request.send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    for refused in [None, Some("a long random scraper tokeN"), Some("")] {
        let (status, body) = scrape(refused).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{refused:?}");
        assert!(!body.contains("http_requests_total"));
    }
    let (status, body) = scrape(Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("http_requests_total"), "{body}");
    assert!(body.contains("route=\"/\""), "{body}");
    // Without a token configured, nobody reads them.
    let Some(closed) = TestServer::start(backend).await else { return };
    let metrics = closed.browser().get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::NOT_FOUND);
    let css = browser.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
}
