//! Accounts: sign-up, verification, login, logout, reset, profile, export, deletion, roles.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(
    sign_up_verify_log_in_edit_profile_log_out,
    sign_up_answers_the_same_for_known_addresses,
    bad_sign_up_keeps_the_input_and_explains,
    login_fails_alike_for_unknown_address_and_wrong_password,
    password_reset_by_mail,
    login_is_rate_limited,
    people_export_and_delete_their_data,
    secretariat_manages_roles,
);

async fn sign_up_verify_log_in_edit_profile_log_out(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let browser = server.browser();
    let done = browser
        .submit(
            "/signup",
            "/signup",
            &[
                ("email", "Ｍｉｓａｋｉ@Example.JP"),
                ("password", "correct horse battery"),
                ("display_name", "佐藤 美咲"),
                ("furigana", "さとう みさき"),
                ("sector", "npo"),
                ("affiliation", "NPO法人あおば子ども食堂"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.html().text("h1").as_deref(), Some("確認メールを送りました"));

    // Full-width input was normalised: the mail goes to the half-width, lower-case address.
    let mails = server.mails_to("misaki@example.jp");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "メールアドレスの確認");
    assert!(mails[0].body.contains("佐藤 美咲 様"), "{}", mails[0].body);

    // Not verified yet: login explains and sends the mail again.
    let early = browser
        .submit("/login", "/login", &[("email", "misaki@example.jp"), ("password", "correct horse battery")])
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("メールアドレスの確認がまだです"));
    assert_eq!(server.mails_to("misaki@example.jp").len(), 2);

    let link = server.mails_to("misaki@example.jp").pop().unwrap().link("/account/verify");
    let path = link.strip_prefix(&browser.base).expect("link to this server");
    let token = path.split("token=").nth(1).unwrap();
    // Opening the link (as a mail scanner would) verifies nothing; its button does.
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.html().attr("form[action='/account/verify'] input[name=token]", "value").as_deref(), Some(token));
    let early = browser
        .submit("/login", "/login", &[("email", "misaki@example.jp"), ("password", "correct horse battery")])
        .await;
    assert!(early.body.contains("メールアドレスの確認がまだです"), "still unverified after the link was opened");
    let verified = browser.submit(path, "/account/verify", &[("token", token)]).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER);
    assert_eq!(verified.location(), "/login");
    assert!(browser.get("/login").await.body.contains("メールアドレスを確認しました"));
    // A verification link works once.
    assert_eq!(browser.submit(path, "/account/verify", &[("token", token)]).await.status, StatusCode::BAD_REQUEST);

    let login = browser
        .submit(
            "/login?next=%2Faccount",
            "/login",
            &[("email", "misaki@example.jp"), ("password", "correct horse battery"), ("next", "/account")],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), "/account");
    let account = browser.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    let html = account.html();
    assert_eq!(html.attr("#display_name", "value").as_deref(), Some("佐藤 美咲"));
    assert_eq!(html.attr("#furigana", "value").as_deref(), Some("サトウ ミサキ"), "kept from sign-up, in katakana");
    assert_eq!(html.attr("#sector option[selected]", "value").as_deref(), Some("npo"));
    assert!(account.body.contains("misaki@example.jp"));

    let saved = browser
        .submit(
            "/account",
            "/account",
            &[("display_name", "佐藤 みさき"), ("furigana", ""), ("sector", "citizen"), ("affiliation", "")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::UNPROCESSABLE_ENTITY, "the profile asks for the フリガナ");
    assert_eq!(saved.html().text("#furigana-error").as_deref(), Some("フリガナを入力してください。"));
    assert_eq!(saved.html().attr("#display_name", "value").as_deref(), Some("佐藤 みさき"), "the input is kept");
    let saved = browser
        .submit(
            "/account",
            "/account",
            &[
                ("display_name", "佐藤 みさき"),
                ("furigana", "サトウ ミサキ"),
                ("sector", "citizen"),
                ("affiliation", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let account = browser.get("/account").await;
    assert!(account.body.contains("プロフィールを保存しました"));
    assert_eq!(account.html().attr("#display_name", "value").as_deref(), Some("佐藤 みさき"));
    assert_eq!(account.html().attr("#sector option[selected]", "value").as_deref(), Some("citizen"));

    let out = browser.submit("/account", "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);
}

async fn sign_up_answers_the_same_for_known_addresses(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let fields = |pw: &'static str| {
        [
            ("email", "taken@example.jp"),
            ("password", pw),
            ("display_name", "山田 花子"),
            ("furigana", "サンカ シャ"),
            ("sector", "citizen"),
            ("affiliation", ""),
            ("consent", "yes"),
        ]
    };
    let first = server.browser().submit("/signup", "/signup", &fields("first password")).await;
    let second = server.browser().submit("/signup", "/signup", &fields("second password")).await;
    assert_eq!(first.status, second.status);
    assert_eq!(first.html().text("main"), second.html().text("main"));
    let mails = server.mails_to("taken@example.jp");
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].subject, "登録のお申し込みについて");
    assert!(mails[1].body.contains("/password/forgot"));
    // The second sign-up did not replace the first password.
    let link = mails[0].link("/account/verify");
    let browser = server.browser();
    let path = link.strip_prefix(&browser.base).unwrap();
    browser.submit(path, "/account/verify", &[("token", path.split("token=").nth(1).unwrap())]).await;
    let wrong =
        browser.submit("/login", "/login", &[("email", "taken@example.jp"), ("password", "second password")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    browser.log_in("taken@example.jp", "first password").await;
}

async fn bad_sign_up_keeps_the_input_and_explains(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let browser = server.browser();
    let page = browser
        .submit(
            "/signup",
            "/signup",
            &[
                ("email", "not-an-address"),
                ("password", "short"),
                ("display_name", "鈴木 一郎"),
                ("sector", ""),
                ("affiliation", "<b>町内会</b>"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.html();
    assert_eq!(html.attr("#email", "value").as_deref(), Some("not-an-address"));
    assert_eq!(html.attr("#display_name", "value").as_deref(), Some("鈴木 一郎"));
    assert_eq!(html.attr("#affiliation", "value").as_deref(), Some("<b>町内会</b>"), "kept, and escaped in HTML");
    assert!(!page.body.contains("<b>町内会</b>"));
    assert_eq!(html.attr("#password", "value").as_deref(), Some(""), "passwords are never sent back");
    assert_eq!(html.attr("#email", "aria-invalid").as_deref(), Some("true"));
    assert!(html.attr("#email", "aria-describedby").unwrap().contains("email-error"));
    assert_eq!(
        html.text("#email-error").as_deref(),
        Some("メールアドレスの形式が正しくありません（例：taro@example.jp）。")
    );
    assert_eq!(html.text("#password-error").as_deref(), Some("パスワードは10文字以上にしてください。"));
    assert_eq!(html.text("#furigana-error").as_deref(), Some("フリガナを入力してください。"));
    assert_eq!(html.text("#sector-error").as_deref(), Some("属性を選んでください。"));
    assert_eq!(html.text("#consent-error").as_deref(), Some("個人情報の取り扱いへの同意が必要です。"));
    assert_eq!(html.count(".error-summary li"), 5);
    assert!(server.mails().is_empty());

    browser.submit("/", "/lang", &[("lang", "en"), ("next", "/signup")]).await;
    let page = browser.submit("/signup", "/signup", &[("email", "x@y")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.html().text("#email-error").as_deref(), Some("Enter an e-mail address like taro@example.jp."));
}

async fn login_fails_alike_for_unknown_address_and_wrong_password(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("known@example.jp", "the right password", "高橋 健", Role::Member).await;
    let browser = server.browser();
    let wrong =
        browser.submit("/login", "/login", &[("email", "known@example.jp"), ("password", "a wrong password")]).await;
    let unknown =
        browser.submit("/login", "/login", &[("email", "nobody@example.jp"), ("password", "a wrong password")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(wrong.html().text("#email-error"), unknown.html().text("#email-error"));
    assert_eq!(
        wrong.html().text("#email-error").as_deref(),
        Some("メールアドレスまたはパスワードが正しくありません。")
    );
    assert_eq!(wrong.html().attr("#email", "value").as_deref(), Some("known@example.jp"));
    browser.log_in("known@example.jp", "the right password").await;
    let home = browser.get("/").await;
    assert!(home.body.contains("高橋 健さん、ようこそ。"));
}

async fn password_reset_by_mail(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("forgetful@example.jp", "old password 1", "伊藤 誠", Role::Member).await;
    let elsewhere = server.browser();
    elsewhere.log_in("forgetful@example.jp", "old password 1").await;
    assert_eq!(elsewhere.get("/account").await.status, StatusCode::OK);

    let browser = server.browser();
    let unknown = browser.submit("/password/forgot", "/password/forgot", &[("email", "stranger@example.jp")]).await;
    let known = browser.submit("/password/forgot", "/password/forgot", &[("email", "forgetful@example.jp")]).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(unknown.html().text("main"), known.html().text("main"));
    assert!(server.mails_to("stranger@example.jp").is_empty());
    let mail = server.wait_for_mail("forgetful@example.jp").await;
    assert_eq!(mail.subject, "パスワードの再設定");
    let link = mail.link("/password/reset");
    let path = link.strip_prefix(&browser.base).unwrap();
    let token = path.split("token=").nth(1).unwrap().to_owned();

    let mismatch = browser
        .submit(
            path,
            "/password/reset",
            &[("token", &token), ("password", "new password 22"), ("password_confirm", "other password")],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mismatch.html().text("#password_confirm-error").as_deref(), Some("確認用のパスワードが一致しません。"));
    let done = browser
        .submit(
            path,
            "/password/reset",
            &[("token", &token), ("password", "new password 22"), ("password_confirm", "new password 22")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    // The link is used up; the old password and the old session are gone.
    assert_eq!(browser.get(path).await.status, StatusCode::BAD_REQUEST);
    let old =
        browser.submit("/login", "/login", &[("email", "forgetful@example.jp"), ("password", "old password 1")]).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(elsewhere.get("/account").await.status, StatusCode::SEE_OTHER);
    browser.log_in("forgetful@example.jp", "new password 22").await;
}

/// Failed logins are limited per account and address together, per account and per
/// address: one person who keeps mistyping is stopped without stopping the others on the
/// same Wi-Fi; guessing one account from many addresses is stopped at the account's limit;
/// trying many accounts from one address is stopped at the address's.
async fn login_is_rate_limited(backend: Backend) {
    use socialhub::rate_limit::{LOGIN_FAILED_ACCOUNT, LOGIN_FAILED_ADDRESS, LOGIN_FAILED_PAIR};
    // Behind a proxy that says who is asking, so the test can ask from many addresses.
    let Some(server) = TestServer::start_with(backend, |c| c.trust_proxy = Some(true)).await else { return };
    server.create_account("mistyping@example.jp", "the right one", "打間 違", Role::Member).await;
    server.create_account("neighbour@example.jp", "mine is fine", "隣 席子", Role::Member).await;
    server.create_account("target@example.jp", "very secret 9", "的 狙子", Role::Member).await;
    let browser = server.browser();
    let token = browser.get("/login").await.html().csrf_token().unwrap();
    let try_from = |ip: &'static str, email: String, password: &'static str| {
        let (browser, token) = (&browser, token.clone());
        async move {
            browser
                .post_raw_from(ip, "/login", &[("csrf_token", &token), ("email", &email), ("password", password)])
                .await
        }
    };

    // At a venue (one address): one person mistypes until stopped; the right password then
    // waits too, and what was typed is kept. Their neighbour logs in.
    for _ in 0..LOGIN_FAILED_PAIR.max {
        let p = try_from("203.0.113.7", "mistyping@example.jp".into(), "wrong one").await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let blocked = try_from("203.0.113.7", "mistyping@example.jp".into(), "the right one").await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.html().attr("#email", "value").as_deref(), Some("mistyping@example.jp"));
    assert!(blocked.body.contains("しばらく待ってからもう一度お試しください"));
    let neighbour = try_from("203.0.113.7", "neighbour@example.jp".into(), "mine is fine").await;
    assert_eq!(neighbour.status, StatusCode::SEE_OTHER, "{}", neighbour.body);
    // From home, the same person still gets in.
    let home = server.browser();
    home.log_in("mistyping@example.jp", "the right one").await;

    // One account guessed from many addresses: stopped once the account's failures add up,
    // from whichever address comes next, as is one that does not exist.
    const ADDRESSES: [&str; 25] = [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "198.51.100.4",
        "198.51.100.5",
        "198.51.100.6",
        "198.51.100.7",
        "198.51.100.8",
        "198.51.100.9",
        "198.51.100.10",
        "198.51.100.11",
        "198.51.100.12",
        "198.51.100.13",
        "198.51.100.14",
        "198.51.100.15",
        "198.51.100.16",
        "198.51.100.17",
        "198.51.100.18",
        "198.51.100.19",
        "198.51.100.20",
        "198.51.100.21",
        "198.51.100.22",
        "198.51.100.23",
        "198.51.100.24",
        "198.51.100.25",
    ];
    assert!(ADDRESSES.len() as i64 > LOGIN_FAILED_ACCOUNT.max);
    for (i, ip) in ADDRESSES.iter().take(LOGIN_FAILED_ACCOUNT.max as usize).enumerate() {
        for who in ["target@example.jp", "nobody-here@example.jp"] {
            let p = try_from(ip, who.into(), "guess guess").await;
            assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "guess {i} on {who}");
        }
    }
    for who in ["target@example.jp", "nobody-here@example.jp"] {
        let p = try_from(ADDRESSES[24], who.into(), "very secret 9").await;
        assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS, "{who}");
    }

    // Many accounts tried from one address: stopped at the address's limit; another
    // address is not.
    for i in 0..LOGIN_FAILED_ADDRESS.max {
        let p = try_from("192.0.2.99", format!("sprayed{i}@example.jp"), "password1").await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "spray {i}");
    }
    let sprayer = try_from("192.0.2.99", "neighbour@example.jp".into(), "mine is fine").await;
    assert_eq!(sprayer.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = try_from("192.0.2.100", "neighbour@example.jp".into(), "mine is fine").await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
}

async fn people_export_and_delete_their_data(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("leaving@example.jp", "my password 1", "渡辺 翔", Role::Member).await;
    let browser = server.browser();
    browser.log_in("leaving@example.jp", "my password 1").await;
    let export = browser.get("/account/export").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.header("content-disposition").contains("attachment"));
    let json: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(json["account"]["email"], "leaving@example.jp");
    assert_eq!(json["account"]["display_name"], "渡辺 翔");
    assert!(!export.body.contains("argon2"), "no password hash in the export");

    let wrong = browser.submit("/account/delete", "/account/delete", &[("password", "not my password")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let deleted = browser.submit("/account/delete", "/account/delete", &[("password", "my password 1")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/").await.body.contains("アカウントを削除しました"));
    let again =
        browser.submit("/login", "/login", &[("email", "leaving@example.jp"), ("password", "my password 1")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn secretariat_manages_roles(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("office@example.jp", "office password", "事務局 一郎", Role::Admin).await;
    server.create_account("member@example.jp", "member password", "会員 花子", Role::Member).await;
    let member = server.browser();
    member.log_in("member@example.jp", "member password").await;
    assert_eq!(member.get("/admin/accounts").await.status, StatusCode::FORBIDDEN);

    let admin = server.browser();
    admin.log_in("office@example.jp", "office password").await;
    let list = admin.get("/admin/accounts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("会員 花子") && list.body.contains("member@example.jp"));
    let id = socialhub::account::store::find_by_email(
        &server.db,
        socialhub::tenant::store::get_default(&server.db).await.unwrap().id,
        "member@example.jp",
    )
    .await
    .unwrap()
    .unwrap()
    .0
    .id
    .0;
    let changed =
        admin.submit("/admin/accounts", &format!("/admin/accounts/{id}/role"), &[("role", "coordinator")]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let page = member.get("/account").await;
    assert!(page.body.contains("コーディネーター"), "{}", page.body);
    // A member cannot change roles, not even their own.
    let denied = member.submit("/account", &format!("/admin/accounts/{id}/role"), &[("role", "admin")]).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}
