//! What reaches people, tried as its readers would: each chooses per kind of news at once,
//! a daily or weekly digest, or nothing, and the language of their mails; a post reaches
//! a daily reader once, the next morning, in their language, even with two instances;
//! the unsubscribe address works from the mail alone, for its reader only; a restart
//! loses no mail. Then who may change what, route by route, with another center.

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use reqwest::StatusCode;
use socialhub::account::{AccountId, Role};
use socialhub::i18n::wareki;
use socialhub::subscription::{Cadence, Kind};

use crate::on_both_backends;
use crate::support::{Backend, Browser, Mail, TestServer};

on_both_backends!(
    a_post_reaches_each_reader_as_they_chose,
    the_unsubscribe_address_works_from_the_mail_alone,
    mail_waits_in_the_database_until_sent,
    sessions_and_consultations_are_news_when_they_become_visible,
    who_may_change_what_reaches_whom
);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

/// Every field of the settings form: the language and each kind at its default, with
/// `changes` applied.
fn settings<'a>(lang: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![("lang", lang)];
    for kind in Kind::ALL {
        let chosen = changes.iter().find(|(k, _)| *k == kind.code()).map(|(_, c)| *c);
        fields.push((kind.code(), chosen.unwrap_or(kind.default_cadence().code())));
    }
    fields
}

async fn choose(server: &TestServer, email: &str, lang: &str, changes: &[(&str, &str)]) -> Browser {
    let b = log_in(server, email).await;
    let saved = b.submit("/account/mail", "/account/mail", &settings(lang, changes)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    b
}

async fn account_id(server: &TestServer, email: &str) -> AccountId {
    let tenant = server.tenant().await;
    socialhub::account::store::find_by_email(&server.db, tenant, email).await.unwrap().unwrap().0.id
}

async fn post_notice(b: &Browser, title: &str) -> String {
    let saved = b
        .submit(
            "/board/new",
            "/board",
            &[("category", "notice"), ("audience", "members"), ("title", title), ("body", "集合は公民館です。")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    saved.location().to_owned()
}

/// 07:00 in Japan on the day after `t`'s day there.
fn next_morning(t: DateTime<Utc>) -> DateTime<Utc> {
    wareki::jst_midnight(wareki::jst_date(t) + TimeDelta::days(1)) + TimeDelta::hours(7)
}

/// 07:00 in Japan on the first Monday after `t`'s day there.
fn next_monday_morning(t: DateTime<Utc>) -> DateTime<Utc> {
    let day = wareki::jst_date(t);
    let days = 7 - i64::from(day.weekday().num_days_from_monday());
    wareki::jst_midnight(day + TimeDelta::days(days)) + TimeDelta::hours(7)
}

fn digests(mails: &[Mail]) -> Vec<&Mail> {
    mails.iter().filter(|m| m.subject.contains("新着") || m.subject.contains("News of")).collect()
}

async fn a_post_reaches_each_reader_as_they_chose(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    for (email, name) in [
        ("npo@example.jp", "青葉 太郎"),
        ("daily@example.jp", "佐藤 美咲"),
        ("anna@example.jp", "Smith Anna"),
        ("now@example.jp", "鈴木 一郎"),
        ("weekly@example.jp", "高橋 花子"),
        ("none@example.jp", "田中 次郎"),
    ] {
        server.create_account(email, "a password", name, Role::Member).await;
    }
    server.add_tenant("tokyo", "東京ハブ", "tokyo.example").await;
    let tokyo = socialhub::tenant::store::get_by_slug(&server.db, "tokyo").await.unwrap();
    let elsewhere = server.create_account_in(tokyo.id, "tokyo@example.jp", "a password", "東 京子", Role::Member).await;
    let mut at_once = socialhub::subscription::Choices::default();
    at_once.set(Kind::BoardNotice, Cadence::Immediately);
    socialhub::subscription::choose(&server.db, tokyo.id, elsewhere, socialhub::i18n::Lang::Ja, &at_once)
        .await
        .unwrap();

    // The form shows the defaults: issues followed at once, the rest weekly.
    let daily = log_in(&server, "daily@example.jp").await;
    let form = daily.get("/account/mail").await.html();
    assert_eq!(form.attr("input[name=board_notice][checked]", "value").as_deref(), Some("weekly"));
    assert_eq!(form.attr("input[name=issue][checked]", "value").as_deref(), Some("immediately"));
    assert_eq!(form.attr("input[name=lang][checked]", "value").as_deref(), Some("ja"));
    // A bad form says what is wrong and keeps what was chosen.
    let mut bad = settings("ja", &[("event", "daily")]);
    bad.retain(|(k, _)| *k != "board_grant");
    bad.push(("board_grant", "sometimes"));
    let page = daily.submit("/account/mail", "/account/mail", &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.html();
    assert_eq!(html.text("#board_grant-error").as_deref(), Some("どれか一つを選んでください。"));
    assert_eq!(html.attr("input[name=event][checked]", "value").as_deref(), Some("daily"), "choice kept");
    let id = account_id(&server, "daily@example.jp").await;
    let tenant = server.tenant().await;
    let before = socialhub::subscription::store::choices(&server.db, tenant, id).await.unwrap();
    assert_eq!(before, socialhub::subscription::Choices::default(), "nothing saved");

    choose(&server, "daily@example.jp", "ja", &[("board_notice", "daily")]).await;
    choose(&server, "anna@example.jp", "en", &[("board_notice", "daily")]).await;
    choose(&server, "now@example.jp", "ja", &[("board_notice", "immediately")]).await;
    choose(&server, "none@example.jp", "ja", &[("board_notice", "never")]).await;
    let english = log_in(&server, "anna@example.jp").await.get("/account/mail").await.html();
    assert_eq!(english.attr("input[name=lang][checked]", "value").as_deref(), Some("en"));

    let npo = log_in(&server, "npo@example.jp").await;
    let path = post_notice(&npo, "防災訓練のお知らせ").await;
    assert!(server.mails().is_empty(), "nothing is mailed from the request");

    // Two instances look at once: the reader who wants it at once gets it once; its
    // author is not told of their own post.
    let now = Utc::now();
    let second = server.another_instance().await;
    let (a, b) = tokio::join!(async { server.postman().await.round(now).await.unwrap() }, async {
        server.postman_on(&second.db).await.round(now).await.unwrap()
    },);
    assert_eq!(a.immediate + b.immediate, 1, "{a:?} {b:?}");
    let to_now = server.mails_to("now@example.jp");
    assert_eq!(to_now.len(), 1);
    assert_eq!(to_now[0].subject, "【せんだい・みやぎソーシャルハブ】お知らせ：防災訓練のお知らせ");
    assert!(to_now[0].body.starts_with("鈴木 一郎 様"), "{}", to_now[0].body);
    assert!(to_now[0].body.contains(&format!("{path}\n")), "{}", to_now[0].body);
    assert!(server.mails_to("npo@example.jp").is_empty());

    // Not before the next morning…
    let morning = next_morning(now);
    let early = server.postman().await.round(morning - TimeDelta::minutes(1)).await.unwrap();
    assert_eq!(early.digests, 0);
    assert!(server.mails_to("daily@example.jp").is_empty());
    // …then once, in each reader's language, whichever instance builds it.
    let (a, b) = tokio::join!(async { server.postman().await.round(morning).await.unwrap() }, async {
        server.postman_on(&second.db).await.round(morning).await.unwrap()
    },);
    assert_eq!(a.digests + b.digests, 2, "{a:?} {b:?}");
    let again = server.postman().await.round(morning + TimeDelta::hours(3)).await.unwrap();
    assert_eq!((again.digests, again.sent), (0, 0));
    let to_daily = server.mails_to("daily@example.jp");
    assert_eq!(to_daily.len(), 1, "{to_daily:?}");
    let day = wareki::format_date(socialhub::i18n::Lang::Ja, wareki::jst_date(now));
    assert_eq!(to_daily[0].subject, format!("【せんだい・みやぎソーシャルハブ】新着のお知らせ（{day}）"));
    assert!(to_daily[0].body.contains("■ お知らせ（1件）\n・防災訓練のお知らせ\n"), "{}", to_daily[0].body);
    assert!(to_daily[0].body.contains(&format!("{path}\n")));
    let to_anna = server.mails_to("anna@example.jp");
    assert_eq!(to_anna.len(), 1);
    assert!(to_anna[0].subject.starts_with("[せんだい・みやぎソーシャルハブ] News of "), "{}", to_anna[0].subject);
    assert!(to_anna[0].body.starts_with("Dear Smith Anna,") && to_anna[0].body.contains("防災訓練のお知らせ"));
    assert!(!to_anna[0].body.contains("様"), "English only: {}", to_anna[0].body);

    // The weekly reader has it on Monday morning, the others not again.
    let monday = next_monday_morning(now);
    server.postman().await.round(monday).await.unwrap();
    let to_weekly = server.mails_to("weekly@example.jp");
    assert_eq!(digests(&to_weekly).len(), 1, "{to_weekly:?}");
    assert!(to_weekly[0].subject.contains("1週間の新着") && to_weekly[0].body.contains("防災訓練のお知らせ"));
    assert_eq!(server.mails_to("daily@example.jp").len(), 1);
    assert!(server.mails_to("none@example.jp").is_empty(), "chose nothing");
    assert!(server.mails_to("tokyo@example.jp").is_empty(), "another center's news");
}

async fn the_unsubscribe_address_works_from_the_mail_alone(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 太郎", Role::Member).await;
    server.create_account("daily@example.jp", "a password", "佐藤 美咲", Role::Member).await;
    server.create_account("other@example.jp", "a password", "田中 次郎", Role::Member).await;
    choose(&server, "daily@example.jp", "ja", &[("board_notice", "daily"), ("event", "daily")]).await;
    choose(&server, "other@example.jp", "ja", &[("board_notice", "daily")]).await;
    let npo = log_in(&server, "npo@example.jp").await;
    post_notice(&npo, "清掃活動の報告").await;
    let now = Utc::now();
    server.postman().await.round(now).await.unwrap();
    server.postman().await.round(next_morning(now)).await.unwrap();
    let mail = server.mails_to("daily@example.jp").pop().expect("a digest");
    let header = mail.header("List-Unsubscribe");
    assert_eq!(mail.header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    let url = header.trim_start_matches('<').trim_end_matches('>').to_owned();
    assert!(mail.body.contains(&url), "the same address in the text: {}", mail.body);
    let path = url.trim_start_matches(&format!("http://{}", server.addr)).to_owned();
    assert!(path.starts_with("/unsubscribe/"), "{path}");

    let id = account_id(&server, "daily@example.jp").await;
    let tenant = server.tenant().await;
    let choices = || async { socialhub::subscription::store::choices(&server.db, tenant, id).await.unwrap() };

    // Opening the link (as a mail scanner would) changes nothing; it shows a button.
    let stranger = server.browser();
    let page = stranger.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("毎日のまとめの配信を止めますか"), "{}", page.body);
    assert_eq!(choices().await.get(Kind::BoardNotice), Cadence::Daily);
    // A signature changed, or another reader's address, is nobody's.
    let forged = format!("{}x", &path[..path.len() - 1]);
    assert_eq!(stranger.get(&forged).await.status, StatusCode::NOT_FOUND);
    assert_eq!(stranger.post_raw(&forged, &[("List-Unsubscribe", "One-Click")]).await.status, StatusCode::NOT_FOUND);
    let other = account_id(&server, "other@example.jp").await;
    let theirs = path.replacen(&format!("/unsubscribe/{}/", id.0), &format!("/unsubscribe/{}/", other.0), 1);
    assert_eq!(stranger.post_raw(&theirs, &[("List-Unsubscribe", "One-Click")]).await.status, StatusCode::NOT_FOUND);
    let weekly = path.replacen("/daily/", "/weekly/", 1);
    assert_eq!(stranger.post_raw(&weekly, &[]).await.status, StatusCode::NOT_FOUND);
    // Another center's host does not know the address either.
    server.add_tenant("tokyo", "東京ハブ", "tokyo.example").await;
    let tokyo = server.browser_at("tokyo.example");
    assert_eq!(tokyo.post_raw(&path, &[("List-Unsubscribe", "One-Click")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(choices().await.get(Kind::BoardNotice), Cadence::Daily);

    // The mail program's one click, with no cookie and no token, stops the daily digest
    // (every kind in it) and nothing else.
    let done = stranger.post_raw(&path, &[("List-Unsubscribe", "One-Click")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.html().text("#unsubscribe-done").unwrap().contains("毎日のまとめ"));
    let after = choices().await;
    assert_eq!(after.get(Kind::BoardNotice), Cadence::Never);
    assert_eq!(after.get(Kind::Event), Cadence::Never);
    assert_eq!(after.get(Kind::Issue), Cadence::Immediately);
    assert_eq!(after.get(Kind::BoardGrant), Cadence::Weekly);
    let theirs = socialhub::subscription::store::choices(&server.db, tenant, other).await.unwrap();
    assert_eq!(theirs.get(Kind::BoardNotice), Cadence::Daily, "only the mail's reader");

    // An address stays its reader's: the other reader leaves, a newcomer may get the same
    // id (SQLite gives the highest one again), and the old address is nobody's.
    let their_mail = server.mails_to("other@example.jp").pop().expect("their digest");
    let their_url = their_mail.header("List-Unsubscribe");
    let their_path = their_url
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_start_matches(&format!("http://{}", server.addr))
        .to_owned();
    let leaving = log_in(&server, "other@example.jp").await;
    let left = leaving.submit("/account/delete", "/account/delete", &[("password", "a password")]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.body);
    server.create_account("newcomer@example.jp", "a password", "新井 一", Role::Member).await;
    let newcomer = account_id(&server, "newcomer@example.jp").await;
    assert_eq!(
        stranger.post_raw(&their_path, &[("List-Unsubscribe", "One-Click")]).await.status,
        StatusCode::NOT_FOUND
    );
    let untouched = socialhub::subscription::store::choices(&server.db, tenant, newcomer).await.unwrap();
    assert_eq!(untouched, socialhub::subscription::Choices::default(), "id {} kept its choices", newcomer.0);
    server.create_account("other@example.jp", "a password", "田中 次郎", Role::Member).await;
    choose(&server, "other@example.jp", "ja", &[("board_notice", "daily")]).await;

    // The next day's news reaches the other reader, not this one.
    post_notice(&npo, "次回の清掃活動").await;
    let later = next_morning(now) + TimeDelta::hours(2);
    server.postman().await.round(later).await.unwrap();
    server.postman().await.round(next_morning(later)).await.unwrap();
    assert_eq!(server.mails_to("daily@example.jp").len(), 1);
    assert!(server.mails_to("other@example.jp").iter().any(|m| m.body.contains("次回の清掃活動")));
}

/// A mail the server cannot send stays in the database and goes out later; a mail claimed
/// by an instance that died goes out when its claim runs out; none is sent twice.
async fn mail_waits_in_the_database_until_sent(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 太郎", Role::Member).await;
    server.create_account("now@example.jp", "a password", "鈴木 一郎", Role::Member).await;
    choose(&server, "now@example.jp", "ja", &[("board_notice", "immediately")]).await;
    let npo = log_in(&server, "npo@example.jp").await;
    post_notice(&npo, "一つ目").await;
    post_notice(&npo, "二つ目").await;
    let now = Utc::now();
    let tenant_sites = server.postman().await;

    // A mailer that cannot write its mailbox (a file stands where the directory should).
    let blocked = server.mailbox.with_extension("blocked");
    std::fs::write(&blocked, b"not a directory").unwrap();
    let broken = socialhub::mail::Mailer::from_config(
        &socialhub::config::Layer { mailbox_dir: Some(blocked.join("box")), ..Default::default() }.resolve(),
    )
    .unwrap();
    let failing = socialhub::subscription::postman::Postman::new(
        server.db.clone(),
        broken,
        format!("http://{}", server.addr),
        "http",
    )
    .await
    .unwrap();
    let round = failing.round(now).await.unwrap();
    assert_eq!((round.immediate, round.sent), (2, 0));
    let pausing = socialhub::mail::outbox::waiting(&server.db, now + TimeDelta::seconds(30)).await.unwrap();
    assert_eq!(pausing, (0, 2, 0), "kept, pausing after the failure");
    // Tried again after a pause, not before.
    assert_eq!(tenant_sites.round(now + TimeDelta::seconds(30)).await.unwrap().sent, 0);
    assert_eq!(tenant_sites.round(now + TimeDelta::minutes(2)).await.unwrap().sent, 2);
    assert_eq!(server.mails_to("now@example.jp").len(), 2);

    // An instance claims a mail and dies before sending it: it goes out after the claim.
    post_notice(&npo, "三つ目").await;
    let later = now + TimeDelta::minutes(5);
    let tenant = socialhub::tenant::store::get_default(&server.db).await.unwrap();
    let key = socialhub::subscription::UnsubscribeKey::load(&server.db).await.unwrap();
    let base = format!("http://{}", server.addr);
    let queued = server
        .db
        .write(async |tx| {
            let site = socialhub::subscription::news::Site { tenant: &tenant, base: &base, key: &key };
            let pending = socialhub::subscription::store::Pending { posts: true, ..Default::default() };
            let n = socialhub::subscription::news::announce(tx, &site, pending, later).await?;
            let claimed = socialhub::mail::outbox::claim(tx, later, 10).await?;
            Ok::<_, socialhub::db::StoreError>((n, claimed.len()))
        })
        .await
        .unwrap();
    assert_eq!(queued, (1, 1));
    assert_eq!(tenant_sites.round(later + TimeDelta::minutes(1)).await.unwrap().sent, 0, "still claimed");
    let after_lease = later + socialhub::mail::outbox::LEASE + TimeDelta::seconds(1);
    assert_eq!(tenant_sites.round(after_lease).await.unwrap().sent, 1);
    assert_eq!(tenant_sites.round(after_lease + TimeDelta::hours(1)).await.unwrap().sent, 0);
    let to_now = server.mails_to("now@example.jp");
    assert_eq!(to_now.len(), 3);
    assert_eq!(to_now.iter().filter(|m| m.subject.contains("三つ目")).count(), 1);
}

/// A session is news when it is published (not as a draft, never an internal meeting), a
/// consultation when it opens; a post hidden by the secretariat before the digest is not
/// in it.
async fn sessions_and_consultations_are_news_when_they_become_visible(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 太郎", Role::Member).await;
    server.create_account("now@example.jp", "a password", "鈴木 一郎", Role::Member).await;
    server.create_account("daily@example.jp", "a password", "佐藤 美咲", Role::Member).await;
    let everything_now: Vec<(&str, &str)> = Kind::ALL.iter().map(|k| (k.code(), "immediately")).collect();
    choose(&server, "now@example.jp", "ja", &everything_now).await;
    let everything_daily: Vec<(&str, &str)> = Kind::ALL.iter().map(|k| (k.code(), "daily")).collect();
    choose(&server, "daily@example.jp", "en", &everything_daily).await;
    let tenant = server.tenant().await;
    let start = Utc::now() + TimeDelta::days(10);
    let draft =
        server.insert_event(&crate::support::event_draft("下書きの回", start), socialhub::event::Status::Draft).await;
    let internal = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::SecretariatMeeting,
        ..crate::support::event_draft("事務局会議", start)
    };
    server.insert_event(&internal, socialhub::event::Status::Published).await;
    let lab = server.open_lab("居住支援ラボ").await;
    let lead = account_id(&server, "npo@example.jp").await;
    socialhub::roadmap::save(&server.db, tenant, lab, "# ロードマップ\n\n第一段落", "初版", lead).await.unwrap();
    let today = wareki::jst_date(Utc::now());
    let window = |from: i64, to: i64| socialhub::consultation::Window {
        version: 1,
        opens_at: wareki::jst_midnight(today + TimeDelta::days(from)),
        closes_at: wareki::jst_midnight(today + TimeDelta::days(to)),
    };
    let later = socialhub::consultation::open(&server.db, tenant, lab, &window(3, 10)).await.unwrap();
    // One that opened days ago (before mail was chosen) is no news now.
    let long_ago = socialhub::consultation::open(&server.db, tenant, lab, &window(-5, 10)).await.unwrap();
    let open_now = socialhub::consultation::open(&server.db, tenant, lab, &window(0, 7)).await.unwrap();
    let npo = log_in(&server, "npo@example.jp").await;
    let hidden = post_notice(&npo, "宣伝の投稿").await;

    let now = Utc::now();
    let round = server.postman().await.round(now).await.unwrap();
    let to_now = server.mails_to("now@example.jp");
    let subjects: Vec<&str> = to_now.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(round.immediate, 2, "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("意見募集の開始：居住支援ラボ")), "{subjects:?}");
    assert!(to_now.iter().any(|m| m.body.contains(&format!("/consultations/{}", open_now.0))));
    assert!(subjects.iter().any(|s| s.contains("宣伝の投稿")), "{subjects:?}");
    assert!(!to_now.iter().any(|m| m.body.contains(&format!("/consultations/{}", later.0))), "not open yet");
    assert!(!to_now.iter().any(|m| m.body.contains(&format!("/consultations/{}", long_ago.0))), "old news");

    // The draft is published: now it is news, once.
    let office = server.secretariat().await;
    let published =
        office.submit("/admin/events", &format!("/admin/events/{}/status", draft.0), &[("status", "published")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    // The secretariat hides the post before the digest.
    let moderation = format!("/admin/board/{}/moderation", hidden.rsplit('/').next().unwrap());
    office.submit(&hidden, &moderation, &[("action", "hide"), ("reason", "広告のため")]).await;
    let a_bit_later = now + TimeDelta::minutes(1);
    assert_eq!(server.postman().await.round(a_bit_later).await.unwrap().immediate, 1);
    let to_now = server.mails_to("now@example.jp");
    let session = to_now.iter().find(|m| m.subject.contains("下書きの回")).expect("the published session");
    assert!(session.subject.contains("新しいイベント"), "{}", session.subject);
    assert!(session.body.contains(&format!("/events/{}", draft.0)));
    assert!(!to_now.iter().any(|m| m.subject.contains("事務局会議")), "internal meetings are no news");
    assert_eq!(server.postman().await.round(a_bit_later).await.unwrap().immediate, 0, "once");

    // The consultation that opens in three days is news then.
    let opening = wareki::jst_midnight(today + TimeDelta::days(3)) + TimeDelta::minutes(1);
    assert_eq!(server.postman().await.round(opening).await.unwrap().immediate, 1);
    assert!(server.mails_to("now@example.jp").iter().any(|m| m.body.contains(&format!("/consultations/{}", later.0))));

    // The daily reader's digest of today: the session and the open consultation, in
    // English; not the hidden post, nor the internal meeting.
    server.postman().await.round(next_morning(now)).await.unwrap();
    let digest = server.mails_to("daily@example.jp").pop().expect("a digest");
    assert!(digest.body.contains("■ New sessions (1)\n・下書きの回"), "{}", digest.body);
    assert!(digest.body.contains("■ Consultations opening (1)\n・居住支援ラボ"), "{}", digest.body);
    assert!(!digest.body.contains("宣伝の投稿") && !digest.body.contains("事務局会議"), "{}", digest.body);
}

async fn who_may_change_what_reaches_whom(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("m@example.jp", "a password", "佐藤 美咲", Role::Member).await;
    let anonymous = server.browser();
    let page = anonymous.get("/account/mail").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "login first");
    assert!(page.location().starts_with("/login"), "{}", page.location());
    let denied = anonymous.post_raw("/account/mail", &settings("ja", &[("board_notice", "never")])).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "no token, no change");

    // A member of another center changes their own choices there, and nothing here.
    server.add_tenant("tokyo", "東京ハブ", "tokyo.example").await;
    let tokyo = socialhub::tenant::store::get_by_slug(&server.db, "tokyo").await.unwrap();
    let t_id = server.create_account_in(tokyo.id, "t@example.jp", "a password", "東 京子", Role::Member).await;
    let visitor = server.browser_at("tokyo.example");
    visitor.log_in("t@example.jp", "a password").await;
    let saved = visitor.submit("/account/mail", "/account/mail", &settings("ja", &[("event", "never")])).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let theirs = socialhub::subscription::store::choices(&server.db, tokyo.id, t_id).await.unwrap();
    assert_eq!(theirs.get(Kind::Event), Cadence::Never);
    let ours = account_id(&server, "m@example.jp").await;
    let tenant = server.tenant().await;
    let untouched = socialhub::subscription::store::choices(&server.db, tenant, ours).await.unwrap();
    assert_eq!(untouched, socialhub::subscription::Choices::default());

    // The member's own change is theirs alone, and in their export.
    let member = choose(&server, "m@example.jp", "en", &[("event", "daily")]).await;
    let export: serde_json::Value = serde_json::from_str(&member.get("/account/export").await.body).unwrap();
    assert_eq!(export["mail_choices"]["event"], "daily");
    assert_eq!(export["account"]["lang"], "en");
    let after = socialhub::subscription::store::choices(&server.db, tenant, ours).await.unwrap();
    assert_eq!(after.get(Kind::Event), Cadence::Daily);
    assert_eq!(
        socialhub::subscription::store::choices(&server.db, tokyo.id, ours).await.unwrap(),
        socialhub::subscription::Choices::default(),
        "an account of this center has nothing in another"
    );
}
