//! Several `serve` instances on one database share login sessions, CSRF secrets and rate
//! limits, so a center can add instances behind a load balancer.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(instances_share_sessions_and_limits);

async fn instances_share_sessions_and_limits(backend: Backend) {
    let Some(first) = TestServer::start(backend).await else { return };
    let second = first.another_instance().await;
    first.create_account("shared@example.jp", "shared password", "共有 太郎", Role::Member).await;

    let on_first = first.browser();
    on_first.log_in("shared@example.jp", "shared password").await;
    // Same cookies, other instance: still logged in, and its forms accept the token.
    let on_second = on_first.at(format!("http://{}", second.addr));
    let account = on_second.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("共有 太郎"));
    let token = on_first.get("/account").await.html().csrf_token().unwrap();
    let saved = on_second
        .post_raw(
            "/account",
            &[
                ("csrf_token", &token),
                ("display_name", "共有 次郎"),
                ("furigana", "キョウユウ ジロウ"),
                ("sector", "npo"),
                ("affiliation", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(on_first.get("/account").await.body.contains("共有 次郎"));

    // Login attempts from one address count on both instances together (the login above
    // was the first of them).
    let attacker = first.browser();
    let attacker_second = attacker.at(format!("http://{}", second.addr));
    let limit = socialhub::rate_limit::LOGIN.max;
    for i in 1..limit {
        let b = if i % 2 == 0 { &attacker } else { &attacker_second };
        let p = b.submit("/login", "/login", &[("email", "shared@example.jp"), ("password", "wrong guess")]).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let blocked =
        attacker_second.submit("/login", "/login", &[("email", "shared@example.jp"), ("password", "wrong")]).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);

    // Logging out on one instance ends the session on the other.
    on_second.submit("/account", "/logout", &[]).await;
    assert_eq!(on_first.get("/account").await.status, StatusCode::SEE_OTHER);
}
