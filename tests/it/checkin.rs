//! Check-in at the venue: self check-in opens at the start, anonymous sessions keep nobody's
//! name or address and count each browser once, walk-ins keep the name they give, and a
//! whole venue behind one address can check in while codes cannot be guessed.

use chrono::{TimeDelta, Utc};
use reqwest::StatusCode;
use socialhub::attendance::store as attendance;
use socialhub::event::EventId;
use socialhub::sector::Sector;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(
    self_check_in_opens_at_the_start_and_closes_after_the_grace,
    an_anonymous_session_keeps_no_name_and_counts_each_browser_once,
    a_walk_in_without_an_address_keeps_the_name,
    a_venue_behind_one_address_checks_in_but_codes_cannot_be_guessed,
    self_check_in_guards_addresses_codes_and_seats,
    a_coordinator_keeps_the_door,
);

/// A published session starting `start_minutes` from now (negative: in the past), 90
/// minutes long, at the venue and online.
async fn session(server: &TestServer, title: &str, start_minutes: i64, anonymous: bool) -> EventId {
    let start = Utc::now() + TimeDelta::minutes(start_minutes);
    let draft = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::InfoExchange,
        title: title.to_owned(),
        description: String::new(),
        starts_at: start,
        ends_at: start + TimeDelta::minutes(90),
        venue: "仙台市市民活動サポートセンター".to_owned(),
        online_url: "https://zoom.example/j/123".to_owned(),
        venue_capacity: None,
        online_capacity: None,
        anonymous,
        fee_yen: 0,
        registration_closes_at: None,
        cohosts: Vec::new(),
        social_issue_id: None,
        lab_id: None,
    };
    server.insert_event(&draft, socialhub::event::Status::Published).await
}

async fn code_of(server: &TestServer, event: EventId) -> String {
    socialhub::event::store::get(&server.db, server.tenant().await, event).await.unwrap().checkin_code
}

async fn participants(server: &TestServer, event: EventId) -> i64 {
    attendance::tally(&server.db, server.tenant().await, event).await.unwrap().participants
}

async fn register_guest(b: &Browser, event: EventId, name: &str, email: &str) {
    let path = format!("/events/{}", event.0);
    let page = b
        .submit(
            &path,
            &format!("{path}/registrations"),
            &[
                ("mode", "venue"),
                ("name", name),
                ("email", email),
                ("furigana", "サンカ シャ"),
                ("sector", "npo"),
                ("affiliation", ""),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
}

async fn self_check_in(b: &Browser, code: &str, fields: &[(&str, &str)]) -> crate::support::Page {
    let mut all = vec![("code", code)];
    all.extend_from_slice(fields);
    b.submit(&format!("/checkin?code={code}"), "/checkin", &all).await
}

async fn self_check_in_opens_at_the_start_and_closes_after_the_grace(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let later = session(&server, "これからの会", 60, false).await;
    let ended = session(&server, "終わった会", -(90 + 150), false).await;
    let now = session(&server, "始まった会", -1, false).await;
    let guest = server.browser();
    // (Registration closes at the end: only the other two take her.)
    for event in [later, now] {
        register_guest(&guest, event, "佐藤 美咲", "misaki@example.jp").await;
    }

    // Before the start: refused with the time it opens, the input kept, nothing recorded.
    let code = code_of(&server, later).await;
    let opens = socialhub::event::store::get(&server.db, server.tenant().await, later)
        .await
        .unwrap()
        .starts_at
        .with_timezone(&socialhub::i18n::wareki::jst())
        .format("%H:%M")
        .to_string();
    let early = self_check_in(&guest, &code, &[("email", "misaki@example.jp")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = early.html();
    let notice = html.text("#checkin-notice").expect("a notice");
    assert!(notice.starts_with(&format!("受付は開始時刻（{opens}）から")), "{notice}");
    assert_eq!(html.attr("#email", "value").as_deref(), Some("misaki@example.jp"), "input kept");
    assert_eq!(participants(&server, later).await, 0);
    // The scanned QR code already says so, in the reader's language.
    let scanned = guest.get(&format!("/checkin?code={code}")).await;
    assert!(scanned.html().text("#checkin-notice").unwrap().contains(&opens));
    let english = server.browser();
    english.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let scanned = english.get(&format!("/checkin?code={code}")).await;
    let notice = scanned.html().text("#checkin-notice").unwrap();
    assert!(notice.starts_with(&format!("Check-in opens at the start time ({opens})")), "{notice}");
    // The secretariat can still check people in before the start.
    let office = server.secretariat().await;
    let walk = office
        .submit(
            &format!("/admin/events/{}/checkin", later.0),
            &format!("/admin/events/{}/walkins", later.0),
            &[("name", "早め 到着"), ("sector", "company"), ("mode", "venue")],
        )
        .await;
    assert_eq!(walk.status, StatusCode::SEE_OTHER);
    assert_eq!(participants(&server, later).await, 1);

    // Two hours and more after the end: closed.
    let late = self_check_in(&guest, &code_of(&server, ended).await, &[("email", "misaki@example.jp")]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.html().text("#checkin-notice").unwrap().contains("受付は終了しました"));
    assert_eq!(participants(&server, ended).await, 0);

    // During the session: checked in, once.
    let code = code_of(&server, now).await;
    let ok = self_check_in(&guest, &code, &[("email", "misaki@example.jp")]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.html().text("#checkin-status").as_deref(), Some("受付しました。ようこそ！"));
    let again = self_check_in(&guest, &code, &[("email", "misaki@example.jp")]).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.html().text("#checkin-status").unwrap().contains("すでに受付済み"));
    assert_eq!(participants(&server, now).await, 1);
    // A code that matches nothing says so.
    let wrong = self_check_in(&guest, "ZZZZZZ", &[("email", "misaki@example.jp")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.html().text("#code-error").unwrap().contains("見つかりません"));
}

async fn an_anonymous_session_keeps_no_name_and_counts_each_browser_once(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let event = session(&server, "顔出しなしの会", -1, true).await;
    let path = format!("/events/{}", event.0);

    // Registering asks for no name or address, and keeps none.
    let visitor = server.browser();
    let page = visitor.get(&path).await.html();
    assert_eq!(page.count("input[name=name]") + page.count("input[name=email]"), 0);
    let registered = visitor.submit(&path, &format!("{path}/registrations"), &[("mode", "venue")]).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let online = server.browser();
    let registered = online.submit(&path, &format!("{path}/registrations"), &[("mode", "online")]).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    let list = socialhub::registration::store::list_for_event(&server.db, tenant, event).await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|r| r.person_id.is_none() && r.name.is_empty()));

    // Self check-in: no address asked; once per browser; a 市民 whose first time is unknown.
    let code = code_of(&server, event).await;
    let form = visitor.get(&format!("/checkin?code={code}")).await.html();
    assert_eq!(form.count("input[name=email]") + form.count("input[name=name]"), 0);
    let done = self_check_in(&visitor, &code, &[("email", "someone@example.jp")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.html().text("#checkin-status").as_deref(), Some("受付しました。ようこそ！"));
    assert!(!done.body.contains("someone@example.jp"), "nothing typed is kept");
    let cookie = done.header("set-cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Path=/checkin"), "{cookie}");
    let max_age: i64 = cookie.split("Max-Age=").nth(1).and_then(|v| v.split(';').next()?.parse().ok()).unwrap();
    assert!((3600..=6 * 3600).contains(&max_age), "kept until the check-in closes, not for ever: {max_age}");
    let stats = attendance::tally(&server.db, tenant, event).await.unwrap();
    assert_eq!((stats.participants, stats.sectors.get(Sector::Citizen), stats.first_time_unknown), (1, 1, 1));
    assert_eq!(stats.first_timers, None);

    let again = self_check_in(&visitor, &code, &[]).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.html().text("#checkin-status").unwrap().contains("すでに受付済み"));
    assert_eq!(participants(&server, event).await, 1, "a second submit records nothing");
    let scanned_again = visitor.get(&format!("/checkin?code={code}")).await.html();
    assert!(scanned_again.text("#checkin-status").unwrap().contains("すでに受付済み"));
    // Another phone is another participant.
    let other = self_check_in(&server.browser(), &code, &[]).await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(participants(&server, event).await, 2);

    // The walk-in form asks only the mode, and keeps nothing else that is sent.
    let office = server.secretariat().await;
    let checkin = format!("/admin/events/{}/checkin", event.0);
    let page = office.get(&checkin).await.html();
    for field in ["name", "email", "affiliation", "first_time"] {
        assert_eq!(page.count(&format!("form[action$=walkins] input[name={field}]")), 0, "{field}");
    }
    assert_eq!(page.count("form[action$=walkins] select[name=sector]"), 0);
    let walk = office
        .submit(
            &checkin,
            &format!("/admin/events/{}/walkins", event.0),
            &[("name", "山田 花子"), ("email", "hanako@example.jp"), ("sector", "company"), ("mode", "venue")],
        )
        .await;
    assert_eq!(walk.status, StatusCode::SEE_OTHER);
    // The secretariat's tap and the online link count each registration once. (At an
    // anonymous session nothing ties a registration to the phone that checked itself in:
    // the visitor who self-checked in above and whose registration is tapped here counts
    // twice. The secretariat uses one way of checking in per anonymous session.)
    let tap = page.attr(".checkin-item form", "action").expect("a check-in button");
    for _ in 0..2 {
        assert_eq!(office.submit(&checkin, &tap, &[]).await.status, StatusCode::SEE_OTHER);
    }
    let join = registered.html().attr("a[href*='/join?token=']", "href").expect("join link on the page");
    let join = join.strip_prefix(&online.base).unwrap_or(&join).to_owned();
    let token = join.split("token=").nth(1).unwrap().to_owned();
    for _ in 0..2 {
        assert_eq!(online.submit(&join, "/join", &[("token", &token)]).await.status, StatusCode::SEE_OTHER);
    }
    let stats = attendance::tally(&server.db, tenant, event).await.unwrap();
    assert_eq!((stats.participants, stats.sectors.get(Sector::Citizen), stats.first_time_unknown), (5, 5, 5));
    assert_eq!((stats.venue, stats.online), (4, 1));
    let roster = attendance::roster(&server.db, tenant, event).await.unwrap();
    assert!(roster.iter().all(|l| l.name.is_none() && l.email.is_none()), "{roster:?}");
}

async fn a_walk_in_without_an_address_keeps_the_name(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let event = session(&server, "情報交換会", -1, false).await;
    let office = server.secretariat().await;
    let checkin = format!("/admin/events/{}/checkin", event.0);
    let walkins = format!("/admin/events/{}/walkins", event.0);
    let walk = |fields: &'static [(&'static str, &'static str)]| {
        let (office, checkin, walkins) = (&office, &checkin, &walkins);
        async move { office.submit(checkin, walkins, fields).await }
    };
    let named =
        walk(&[("name", "当日 太郎"), ("sector", "npo"), ("affiliation", "NPO法人あおば"), ("mode", "venue")]).await;
    assert_eq!(named.status, StatusCode::SEE_OTHER);
    let nobody = walk(&[("name", ""), ("sector", "citizen"), ("mode", "online")]).await;
    assert_eq!(nobody.status, StatusCode::SEE_OTHER);
    // The same name again is someone else as far as anyone can tell: counted again.
    let namesake = walk(&[("name", "当日 太郎"), ("sector", "npo"), ("mode", "venue")]).await;
    assert_eq!(namesake.status, StatusCode::SEE_OTHER);

    let long_name = "長".repeat(101);
    let bad = office.submit(&checkin, &walkins, &[("name", &long_name), ("sector", "npo"), ("mode", "venue")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert!(html.text("#name-error").is_some());
    assert_eq!(html.attr("#name", "value"), Some(long_name.clone()), "input kept");

    let stats = attendance::tally(&server.db, tenant, event).await.unwrap();
    assert_eq!(stats.participants, 3);
    assert_eq!(stats.first_time_unknown, 3, "without an address nobody's history is known");
    let roster = attendance::roster(&server.db, tenant, event).await.unwrap();
    let names: Vec<_> = roster.iter().map(|l| l.name.clone()).collect();
    assert_eq!(names, [Some("当日 太郎".to_owned()), None, Some("当日 太郎".to_owned())]);
    assert_eq!(roster[0].affiliation.as_deref(), Some("NPO法人あおば"));
    let csv = String::from_utf8(office.get_bytes(&format!("/admin/events/{}/roster.csv", event.0)).await).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].contains("当日 太郎") && !lines[1].contains("匿名"), "{csv}");
    assert!(lines[2].contains("匿名"), "{csv}");
    // People known only by a name cannot be told apart across sessions: the year's count of
    // different people leaves them out, as it leaves out anonymous participants.
    let fy = socialhub::i18n::fiscal_year::FiscalYear::of_instant(Utc::now() - TimeDelta::minutes(1));
    let report = socialhub::report::store::annual(&server.db, tenant, fy, socialhub::event::EventKind::InfoExchange)
        .await
        .unwrap();
    assert_eq!((report.totals.participants, report.totals.unique_people), (3, 0));
}

async fn a_venue_behind_one_address_checks_in_but_codes_cannot_be_guessed(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = session(&server, "大勢の会", -1, true).await;
    let code = code_of(&server, event).await;
    // More people than the public forms' limit (60 an hour), all from 127.0.0.1.
    let crowd = socialhub::rate_limit::PUBLIC_FORM.max + 10;
    for i in 0..crowd {
        let page = self_check_in(&server.browser(), &code, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "person {i}: {}", page.body);
    }
    assert_eq!(participants(&server, event).await, crowd);

    // Wrong codes are few before every code, right or wrong, is refused from the address.
    let guesser = server.browser();
    let form = guesser.get("/checkin").await;
    let token = form.html().csrf_token().unwrap();
    for i in 0..socialhub::rate_limit::CHECKIN_CODE_MISS.max {
        let guess = format!("Z{i:05}");
        let page = guesser.post_raw("/checkin", &[("csrf_token", &token), ("code", &guess)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "guess {i}");
    }
    let right = guesser.post_raw("/checkin", &[("csrf_token", &token), ("code", &code)]).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.html().text("#code-error").is_some(), "the form says why");
    assert_eq!(guesser.get(&format!("/checkin?code={code}")).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(participants(&server, event).await, crowd, "nothing recorded");
}

/// What self check-in must not give away or let pile up: who registered (by trying
/// addresses), the venue's allowance of wrong codes (spent by another site's requests),
/// and an anonymous count beyond the hall's seats.
async fn self_check_in_guards_addresses_codes_and_seats(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = session(&server, "受付の守り", -1, false).await;
    let guest = server.browser();
    register_guest(&guest, event, "佐藤 美咲", "misaki@example.jp").await;
    register_guest(&server.browser(), event, "青葉 次郎", "jiro@example.jp").await;
    let code = code_of(&server, event).await;

    // Another site's image or link: the form, the code filled in, nothing looked up or spent.
    let elsewhere = server.browser();
    for _ in 0..socialhub::rate_limit::CHECKIN_CODE_MISS.max + 5 {
        let page = elsewhere.get_with_header("/checkin?code=ZZZZZZ", "sec-fetch-site", "cross-site").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.html().text("#code-error").is_none());
    }
    let page = elsewhere.get_with_header(&format!("/checkin?code={code}"), "sec-fetch-site", "cross-site").await;
    assert!(!page.body.contains("受付の守り"), "another site learns nothing of the code");
    let scanned = guest.get_with_header(&format!("/checkin?code={code}"), "sec-fetch-site", "none").await;
    assert!(scanned.body.contains("受付の守り"), "a scanned QR code shows its session");
    let done = self_check_in(&guest, &code, &[("email", "misaki@example.jp")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(participants(&server, event).await, 1);

    // Trying addresses: a few mistakes are told, then nothing more, even for a right one.
    let prober = server.browser();
    for i in 0..socialhub::rate_limit::CHECKIN_EMAIL_MISS.max {
        let miss = self_check_in(&prober, &code, &[("email", &format!("p{i}@example.jp"))]).await;
        assert_eq!(miss.status, StatusCode::UNPROCESSABLE_ENTITY, "try {i}");
    }
    let locked = self_check_in(&prober, &code, &[("email", "jiro@example.jp")]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("しばらく待ってから"), "{}", locked.body);
    assert_eq!(participants(&server, event).await, 1);

    // An anonymous session with two seats: a third phone (or a cookie thrown away) is refused.
    let start = Utc::now() - TimeDelta::minutes(1);
    let draft = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::InfoExchange,
        title: "二席の会".to_owned(),
        description: String::new(),
        starts_at: start,
        ends_at: start + TimeDelta::minutes(90),
        venue: "小さな部屋".to_owned(),
        online_url: String::new(),
        venue_capacity: Some(2),
        online_capacity: None,
        anonymous: true,
        fee_yen: 0,
        registration_closes_at: None,
        cohosts: Vec::new(),
        social_issue_id: None,
        lab_id: None,
    };
    let small = server.insert_event(&draft, socialhub::event::Status::Published).await;
    let code = code_of(&server, small).await;
    for _ in 0..2 {
        assert_eq!(self_check_in(&server.browser(), &code, &[]).await.status, StatusCode::OK);
    }
    let third = self_check_in(&server.browser(), &code, &[]).await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert!(third.html().text("#checkin-notice").unwrap().contains("会場の定員に達している"));
    assert_eq!(participants(&server, small).await, 2);
}

/// A coordinator checks people in at a session anyone may see, as the secretariat does,
/// from a link on its page; not at a draft or an internal meeting, not in another center,
/// and nothing else of the secretariat's; a member keeps no door.
async fn a_coordinator_keeps_the_door(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("coord@example.jp", "a password", "調整 次郎", socialhub::account::Role::Coordinator).await;
    server.create_account("m@example.jp", "a password", "会員 一郎", socialhub::account::Role::Member).await;
    let coordinator = server.browser();
    coordinator.log_in("coord@example.jp", "a password").await;
    let member = server.browser();
    member.log_in("m@example.jp", "a password").await;
    let event = session(&server, "情報交換会", 30, false).await;
    register_guest(&server.browser(), event, "来場 花子", "hanako@example.jp").await;
    let checkin = format!("/admin/events/{}/checkin", event.0);

    let page = coordinator.get(&format!("/events/{}", event.0)).await.html();
    assert_eq!(page.attr("#door-link", "href"), Some(checkin.clone()), "reached from the session's page");
    let list = coordinator.get(&checkin).await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.html();
    assert_eq!(
        html.attr(".event-kind a", "href"),
        Some(format!("/events/{}", event.0)),
        "no link to what they may not open"
    );
    let action = html.attr("form[action*='/checkin/']", "action").expect("a check-in button");
    assert_eq!(coordinator.submit(&checkin, &action, &[]).await.status, StatusCode::SEE_OTHER);
    let walkin = coordinator
        .submit(
            &checkin,
            &format!("/admin/events/{}/walkins", event.0),
            &[("name", "当日 太郎"), ("sector", "npo"), ("mode", "venue")],
        )
        .await;
    assert_eq!(walkin.status, StatusCode::SEE_OTHER, "{}", walkin.body);
    assert_eq!(participants(&server, event).await, 2);

    // Nothing else of the secretariat's.
    for path in [
        format!("/admin/events/{}", event.0),
        format!("/admin/events/{}/roster.csv", event.0),
        "/admin/events".to_owned(),
    ] {
        assert_eq!(coordinator.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // A member keeps no door, and sees no link to one.
    assert_eq!(member.get(&checkin).await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.submit(&format!("/events/{}", event.0), &action, &[]).await.status, StatusCode::FORBIDDEN);
    assert!(member.get(&format!("/events/{}", event.0)).await.html().attr("#door-link", "href").is_none());
    assert_eq!(server.browser().get(&checkin).await.status, StatusCode::SEE_OTHER, "log in first");

    // Not a draft, not an internal meeting.
    let start = Utc::now() + TimeDelta::hours(2);
    let draft =
        server.insert_event(&crate::support::event_draft("下書き", start), socialhub::event::Status::Draft).await;
    let internal = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::SecretariatMeeting,
        ..crate::support::event_draft("事務局会議", start)
    };
    let internal = server.insert_event(&internal, socialhub::event::Status::Published).await;
    for id in [draft, internal] {
        assert_eq!(coordinator.get(&format!("/admin/events/{}/checkin", id.0)).await.status, StatusCode::NOT_FOUND);
    }
    let office = server.secretariat().await;
    assert_eq!(
        office.get(&format!("/admin/events/{}/checkin", draft.0)).await.status,
        StatusCode::OK,
        "the secretariat keeps every door"
    );

    // A coordinator of another center finds nothing here.
    server.add_tenant("tokyo", "東京ハブ", "tokyo.example").await;
    let tokyo = socialhub::tenant::store::get_by_slug(&server.db, "tokyo").await.unwrap();
    server
        .create_account_in(tokyo.id, "tc@example.jp", "a password", "東 京子", socialhub::account::Role::Coordinator)
        .await;
    let visitor = server.browser_at("tokyo.example");
    visitor.log_in("tc@example.jp", "a password").await;
    assert_eq!(visitor.get(&checkin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.post_raw(&action, &[]).await.status, StatusCode::FORBIDDEN, "no token from another site");
    assert_eq!(participants(&server, event).await, 2);
}
