//! Asking to join a lab (issue 21): a member asks with a word to the lead, the lead is
//! told and accepts or declines, the member is told; the request is in the member's
//! export while it waits, and can be withdrawn.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, TestServer};

on_both_backends!(a_member_asks_to_join_and_the_lead_answers);

async fn a_member_asks_to_join_and_the_lead_answers(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let lab = server.open_lab("地域自治・町内会").await.0;
    let (page, members) = (format!("/labs/{lab}"), format!("/labs/{lab}/members"));
    for (email, name) in
        [("lead@example.jp", "代表 一郎"), ("asks@example.jp", "申込 二郎"), ("other@example.jp", "別人 三郎")]
    {
        server.create_account(email, "a password", name, Role::Member).await;
    }
    office.submit(&members, &members, &[("email", "lead@example.jp"), ("role", "lead")]).await;
    let log_in = |email: &'static str| {
        let b = server.browser();
        async move {
            b.log_in(email, "a password").await;
            b
        }
    };
    let (lead, asks, other) =
        (log_in("lead@example.jp").await, log_in("asks@example.jp").await, log_in("other@example.jp").await);

    // A visitor is not offered the form; a member of the lab neither.
    assert_eq!(server.browser().get(&page).await.html().count("form[action$='/join']"), 0);
    assert_eq!(lead.get(&page).await.html().count("form[action$='/join']"), 0);

    // Too long a word: refused, kept.
    let long = "町".repeat(501);
    let refused = asks.submit(&page, &format!("{page}/join"), &[("note", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().text("#note-error").as_deref(), Some("ひとことは500文字以内にしてください。"));
    assert_eq!(refused.html().text("#note"), Some(long));

    let word = "町内会の役員をしています。勉強会に参加したいです。";
    let asked = asks.submit(&page, &format!("{page}/join"), &[("note", word)]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let mine = asks.get(&page).await.html();
    assert!(mine.text("#join-status").unwrap().contains("参加を申し込んでいます"));
    let export: serde_json::Value = serde_json::from_str(&asks.get("/account/export").await.body).unwrap();
    assert_eq!(export["labs"][0]["role"], "requested", "{}", export["labs"]);
    assert_eq!(export["labs"][0]["note"], word);
    // Another asks, then withdraws.
    other.submit(&page, &format!("{page}/join"), &[("note", "")]).await;
    let withdrawn = other.submit(&page, &format!("{page}/join/withdraw"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(other.get(&page).await.html().count("#join-status"), 0);

    // The lead is told, and sees the request with its word; not a member yet.
    let told = lead.get("/notifications").await.html().texts("#notifications li");
    assert!(told.iter().any(|n| n.contains("「地域自治・町内会」ラボに参加の申し込みがありました。")), "{told:?}");
    let list = lead.get(&members).await.html();
    let requests = list.texts("#requests li");
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(requests[0].contains("申込 二郎") && requests[0].contains(word), "{requests:?}");
    assert!(!server.browser().get(&page).await.body.contains("申込 二郎"));
    let answer = list.attr("#requests form", "action").unwrap();
    assert_eq!(lead.submit(&members, &answer, &[("answer", "")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(asks.submit(&page, &answer, &[("answer", "accept")]).await.status, StatusCode::FORBIDDEN);
    // Nor the lead of another lab.
    let elsewhere = server.open_lab("居住支援").await.0;
    server.create_account("lead2@example.jp", "a password", "他ラボ 四郎", Role::Member).await;
    let others = format!("/labs/{elsewhere}/members");
    office.submit(&others, &others, &[("email", "lead2@example.jp"), ("role", "lead")]).await;
    let lead2 = log_in("lead2@example.jp").await;
    assert_eq!(
        lead2.submit(&format!("/labs/{elsewhere}"), &answer, &[("answer", "accept")]).await.status,
        StatusCode::FORBIDDEN
    );

    // Accepted: a member, told so; the request is gone.
    let accepted = lead.submit(&members, &answer, &[("answer", "accept")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert!(server.browser().get(&page).await.html().texts(".members li").iter().any(|m| m.starts_with("申込 二郎")));
    let told = asks.get("/notifications").await.html().texts("#notifications li");
    assert!(told.iter().any(|n| n.contains("「地域自治・町内会」ラボのメンバーになりました。")), "{told:?}");
    assert_eq!(lead.get(&members).await.html().count("#requests li"), 0);
    assert_eq!(lead.submit(&members, &answer, &[("answer", "decline")]).await.status, StatusCode::NOT_FOUND);

    // Declined: told, not a member.
    other.submit(&page, &format!("{page}/join"), &[("note", "")]).await;
    let answer = lead.get(&members).await.html().attr("#requests form", "action").unwrap();
    assert_eq!(lead.submit(&members, &answer, &[("answer", "decline")]).await.status, StatusCode::SEE_OTHER);
    let told = other.get("/notifications").await.html().texts("#notifications li");
    assert!(told.iter().any(|n| n.contains("お断りとなりました")), "{told:?}");
    assert!(!server.browser().get(&page).await.body.contains("別人 三郎"));
    assert!(other.get(&page).await.html().count("form[action$='/join']") == 1, "may ask again");
}
