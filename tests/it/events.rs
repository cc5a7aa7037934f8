//! The sessions program: the secretariat publishes a session, people register (member,
//! guest, anonymous), seats and the waiting list, cancellation, check-in at the door,
//! self check-in, online joining, calendar feeds and open data.

use std::sync::Arc;

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::attendance::store as attendance;
use socialhub::event::EventId;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(
    the_secretariat_creates_and_publishes_a_session,
    guests_and_members_register_and_cancel,
    registration_refuses_bad_input_and_closed_sessions,
    a_thousand_concurrent_registrations_fill_fifty_seats_exactly,
    check_in_at_the_door_by_self_and_online,
    calendars_and_open_data,
    open_data_csv_defuses_formulas,
    calendar_files_have_no_bare_carriage_returns,
    events_of_another_center_answer_404,
    online_seats_and_the_two_lists,
);

fn guest(name: &str, furigana: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("mode", "venue".to_owned()),
        ("name", name.to_owned()),
        ("email", email.to_owned()),
        ("furigana", furigana.to_owned()),
        ("sector", "citizen".to_owned()),
        ("affiliation", "五橋町内会".to_owned()),
        ("consent", "yes".to_owned()),
    ]
}

async fn register(b: &Browser, event: EventId, fields: &[(&'static str, String)]) -> crate::support::Page {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let path = format!("/events/{}", event.0);
    b.submit(&path, &format!("{path}/registrations"), &f).await
}

async fn the_secretariat_creates_and_publishes_a_session(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let bad = office
        .submit(
            "/admin/events/new",
            "/admin/events",
            &[
                ("kind", "info_exchange"),
                ("title", ""),
                ("date", "2099-02-30"),
                ("start_time", "19:00"),
                ("end_time", "18:00"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert_eq!(html.text("#title-error").as_deref(), Some("テーマを入力してください。"));
    assert_eq!(
        html.text("#date-error").as_deref(),
        Some("開催日は 2024-04-18 や 令和6年4月18日 の形で入力してください。")
    );
    assert_eq!(html.attr("#date", "value").as_deref(), Some("2099-02-30"), "input kept");
    // An empty date asks for one; a date in 和暦 or with slashes is taken.
    let empty = office.submit("/admin/events/new", "/admin/events", &[("kind", "info_exchange"), ("date", " ")]).await;
    assert_eq!(empty.html().text("#date-error").as_deref(), Some("開催日を入力してください。"));
    assert_eq!(empty.html().text("#title-error").as_deref(), Some("テーマを入力してください。"));
    for date in ["令和81年9月21日", "2099/9/21"] {
        let page =
            office.submit("/admin/events/new", "/admin/events", &[("kind", "info_exchange"), ("date", date)]).await;
        assert_eq!(page.html().count("#date-error"), 0, "{date} is a date");
    }
    assert_eq!(html.text("#venue-error").as_deref(), Some("会場かオンライン会議のURLのどちらかを入力してください。"));

    let created = office
        .submit(
            "/admin/events/new",
            "/admin/events",
            &[
                ("kind", "info_exchange"),
                ("title", "いつかはあなたも町内会役員！？"),
                ("description", "**町内会**の話 <script>alert(1)</script>"),
                ("date", "２０９９-０９-２１"),
                ("start_time", "19:00"),
                ("end_time", "20:30"),
                ("venue", "仙台市市民活動サポートセンター"),
                ("venue_capacity", "30"),
                ("online_url", "https://zoom.example/j/42"),
                ("cohosts", "NPO法人底上げ\n"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    let id: i64 = admin_path.rsplit('/').next().unwrap().parse().unwrap();
    // A draft is hidden from the public.
    let public = server.browser();
    assert_eq!(public.get(&format!("/events/{id}")).await.status, StatusCode::NOT_FOUND);
    let published = office.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);

    let page = public.get(&format!("/events/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(html.text("h1").as_deref(), Some("いつかはあなたも町内会役員！？"));
    assert!(page.body.contains("令和81年9月21日（月） 19:00–20:30"), "era date and Japan time");
    assert!(
        page.body.contains("<strong>町内会</strong>") && !page.body.contains("<script>alert"),
        "sanitised Markdown"
    );
    assert!(page.body.contains("残り 30席"));
    assert!(page.body.contains("NPO法人底上げ"));
    assert!(!page.body.contains("zoom.example"), "the online address goes only to registered people");
    let list = public.get("/events").await;
    assert!(list.html().texts(".event-item h3").contains(&"いつかはあなたも町内会役員！？".to_owned()));
}

async fn guests_and_members_register_and_cancel(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("健常と障害の間", 48, Some(1)).await;
    let first = server.browser();
    let done = register(&first, event, &guest("佐藤 美咲", "サトウ ミサキ", "misaki@example.jp")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.html().text("h1").as_deref(), Some("申し込みました"));
    let mail = server.mails_to("misaki@example.jp").pop().expect("confirmation");
    assert_eq!(mail.subject, "【申し込み完了】健常と障害の間");
    assert!(mail.body.contains("仙台市市民活動サポートセンター"));
    let cancel_link = mail.link("/registrations/cancel");

    // Registering twice adds nothing; the page answers as for anyone (so it tells nobody
    // who registered) and the address itself is told.
    let twice = register(&first, event, &guest("佐藤 美咲", "サトウ ミサキ", "Misaki@Example.jp")).await;
    assert_eq!(twice.status, StatusCode::OK);
    assert_eq!(twice.html().text("h1").as_deref(), Some("申し込みました"));
    assert_eq!(server.mails_to("misaki@example.jp").pop().unwrap().subject, "【お申し込み済みです】健常と障害の間");

    // The one seat is taken: a member goes on the waiting list.
    server.create_account("ichiro@example.jp", "member password", "鈴木 一郎", Role::Member).await;
    let member = server.browser();
    member.log_in("ichiro@example.jp", "member password").await;
    let page = member.get(&format!("/events/{}", event.0)).await;
    assert!(page.body.contains("満席です"));
    assert!(page.body.contains("鈴木 一郎さんとして申し込みます"));
    let waiting = register(&member, event, &[("mode", "venue".to_owned())]).await;
    assert_eq!(waiting.html().text("h1").as_deref(), Some("キャンセル待ちで受け付けました"));
    // A member registering twice is told so.
    let again = register(&member, event, &[("mode", "venue".to_owned())]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("すでに申し込まれています"));
    assert_eq!(server.mails_to("ichiro@example.jp").pop().unwrap().subject, "【キャンセル待ち】健常と障害の間");
    // The page counts both: the seat taken and the one waiting (online still open).
    let page = server.browser().get(&format!("/events/{}", event.0)).await;
    assert!(page.body.contains("満席です（キャンセル待ち 1人）"), "{}", page.body);

    // The guest cancels by the mail's link; the member moves up and is told.
    let path = cancel_link.strip_prefix(&first.base).unwrap();
    let confirm = first.get(path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let token = path.split("token=").nth(1).unwrap();
    let cancelled = first.submit(path, "/registrations/cancel", &[("token", token)]).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert!(cancelled.body.contains("キャンセルしました"));
    assert_eq!(server.mails_to("ichiro@example.jp").pop().unwrap().subject, "【席が空きました】健常と障害の間");
    // The link works once.
    assert_eq!(first.get(path).await.status, StatusCode::NOT_FOUND);
    let seats = socialhub::registration::store::seats(
        &server.db,
        server.tenant().await,
        &socialhub::event::store::get(&server.db, server.tenant().await, event).await.unwrap(),
    )
    .await
    .unwrap();
    assert_eq!((seats[0].registered, seats[0].waiting), (1, 0));
    // Online: the confirmation carries the join link.
    let online = register(
        &server.browser(),
        event,
        &[
            ("mode", "online".to_owned()),
            ("name", "林 誠".into()),
            ("email", "makoto@example.jp".into()),
            ("furigana", "サンカ シャ".into()),
            ("sector", "npo".into()),
            ("affiliation", String::new()),
            ("consent", "yes".into()),
        ],
    )
    .await;
    assert_eq!(online.status, StatusCode::OK);
    assert!(server.mails_to("makoto@example.jp").pop().unwrap().body.contains("/join?token="));
}

async fn registration_refuses_bad_input_and_closed_sessions(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("教育を十分に受けられなかった人たちのこと", 48, Some(10)).await;
    let b = server.browser();
    let bad = register(
        &b,
        event,
        &[("mode", "boat".to_owned()), ("name", "".into()), ("email", "nope".into()), ("affiliation", "町内会".into())],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.html();
    assert_eq!(html.text("#mode-error").as_deref(), Some("参加方法を選んでください。"));
    assert_eq!(html.text("#name-error").as_deref(), Some("氏名を入力してください。"));
    assert_eq!(html.attr("#email", "value").as_deref(), Some("nope"), "input kept");
    assert_eq!(html.attr("#affiliation", "value").as_deref(), Some("町内会"));
    assert!(html.text("#consent-error").is_some());
    assert!(server.mails().is_empty(), "nothing sent");

    // Past and cancelled sessions take no registrations.
    let past = server.published_event("過去の回", -48, None).await;
    let page = b.get(&format!("/events/{}", past.0)).await;
    assert!(page.body.contains("申し込みは受け付けていません"));
    let token = page.html().csrf_token().unwrap();
    let late = b
        .post_raw(
            &format!("/events/{}/registrations", past.0),
            &[
                ("csrf_token", &token),
                ("mode", "venue"),
                ("name", "x"),
                ("email", "x@example.jp"),
                ("furigana", "サンカ シャ"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("このセッションはすでに終わっています"));
    let tenant = server.tenant().await;
    socialhub::event::set_status(&server.db, tenant, event, socialhub::event::Status::Cancelled).await.unwrap();
    let page = b.get(&format!("/events/{}", event.0)).await;
    assert!(page.body.contains("このセッションは中止になりました"));
    let closed = b
        .post_raw(
            &format!("/events/{}/registrations", event.0),
            &[
                ("csrf_token", &token),
                ("mode", "venue"),
                ("name", "x"),
                ("email", "x@example.jp"),
                ("furigana", "サンカ シャ"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(closed.body.contains("中止または未公開"));
    // A forged form without token.
    let forged = b.post_raw(&format!("/events/{}/registrations", event.0), &[("mode", "venue")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // English readers get English messages.
    b.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let closed =
        b.post_raw(&format!("/events/{}/registrations", event.0), &[("csrf_token", &token), ("mode", "venue")]).await;
    assert!(closed.body.contains("This session does not take registrations"), "{}", closed.body);
    let seats = socialhub::registration::store::list_for_event(&server.db, tenant, event).await.unwrap();
    assert!(seats.is_empty(), "nothing was written");
}

async fn a_thousand_concurrent_registrations_fill_fifty_seats_exactly(backend: Backend) {
    // Each registration comes from its own address, as from a thousand people.
    let Some(server) = TestServer::start_with(backend, |c| c.trust_proxy = Some(true)).await else { return };
    let event = server.published_event("能登半島地震に学ぶ", 72, Some(50)).await;
    let b = Arc::new(server.browser());
    let page = b.get(&format!("/events/{}", event.0)).await;
    let token = Arc::new(page.html().csrf_token().unwrap());
    let mut tasks = Vec::new();
    for i in 0..1000 {
        let b = b.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let email = format!("person{i}@example.jp");
            let ip = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
            b.post_raw_from(
                &ip,
                &format!("/events/{}/registrations", event.0),
                &[
                    ("csrf_token", token.as_str()),
                    ("mode", "venue"),
                    ("name", "参加 者"),
                    ("email", &email),
                    ("furigana", "サンカ シャ"),
                    ("sector", "citizen"),
                    ("consent", "yes"),
                ],
            )
            .await
            .status
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == StatusCode::OK {
            ok += 1;
        }
    }
    assert_eq!(ok, 1000, "every registration was answered");
    let tenant = server.tenant().await;
    let list = socialhub::registration::store::list_for_event(&server.db, tenant, event).await.unwrap();
    let registered = list.iter().filter(|r| r.status == socialhub::registration::Status::Registered).count();
    let waiting = list.iter().filter(|r| r.status == socialhub::registration::Status::Waiting).count();
    assert_eq!((registered, waiting), (50, 950));
    let mut people: Vec<_> = list.iter().map(|r| r.person_id).collect();
    people.sort_by_key(|p| p.map(|p| p.0));
    people.dedup();
    assert_eq!(people.len(), 1000, "no duplicates");
}

async fn check_in_at_the_door_by_self_and_online(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    // Started ten minutes ago: the door is open.
    let event = server.published_event("情報交換会", 0, Some(20)).await;
    register(&server.browser(), event, &guest("佐藤 美咲", "サトウ ミサキ", "misaki@example.jp")).await;
    register(&server.browser(), event, &guest("中村 由美", "ナカムラ ユミ", "yumi@example.jp")).await;
    let online_guest = server.browser();
    let mut fields = guest("林 誠", "ハヤシ マコト", "makoto@example.jp");
    fields[0].1 = "online".into();
    register(&online_guest, event, &fields).await;
    // 中村 由美 came to an earlier session: not her first time.
    let earlier = server.published_event("前回", -24 * 30, None).await;
    let e = socialhub::event::store::get(&server.db, tenant, earlier).await.unwrap();
    let walk_in = socialhub::attendance::checkin::WalkIn {
        mode: socialhub::event::Mode::Venue,
        sector: socialhub::sector::Sector::Citizen,
        email: Some("yumi@example.jp".into()),
        name: "中村 由美".into(),
        furigana: "ナカムラ ユミ".into(),
        affiliation: String::new(),
        first_time: socialhub::attendance::FirstTime::FromHistory,
    };
    socialhub::attendance::checkin::walk_in(&server.db, tenant, &e, walk_in).await.unwrap();

    let office = server.secretariat().await;
    let list = office.get(&format!("/admin/events/{}/checkin", event.0)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("<svg"), "QR code for self check-in");
    let html = list.html();
    let who = html.texts(".checkin-item .who");
    assert!(who[0].starts_with("佐藤 美咲 サトウ ミサキ"), "in あいうえお order: {who:?}");
    let first_button = html.attr(".checkin-item form", "action").expect("a check-in button");
    let marked = office.submit(&format!("/admin/events/{}/checkin", event.0), &first_button, &[]).await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER);
    // A walk-in without an address: first time unknown unless told.
    let walk = office
        .submit(
            &format!("/admin/events/{}/checkin", event.0),
            &format!("/admin/events/{}/walkins", event.0),
            &[("name", "当日 参加"), ("sector", "company"), ("mode", "venue"), ("first_time", "yes")],
        )
        .await;
    assert_eq!(walk.status, StatusCode::SEE_OTHER);
    let bad_walk = office
        .submit(
            &format!("/admin/events/{}/checkin", event.0),
            &format!("/admin/events/{}/walkins", event.0),
            &[("name", "x"), ("email", "bad"), ("sector", ""), ("mode", "venue")],
        )
        .await;
    assert_eq!(bad_walk.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Self check-in with the code shown at the venue, full-width and lower case accepted.
    let code = socialhub::event::store::get(&server.db, tenant, event).await.unwrap().checkin_code;
    let typed: String = code.to_lowercase().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect();
    let me = server.browser();
    let wrong = me.submit("/checkin", "/checkin", &[("code", "ZZZZZZ"), ("email", "yumi@example.jp")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stranger = me.submit("/checkin", "/checkin", &[("code", &typed), ("email", "stranger@example.jp")]).await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = me
        .submit(&format!("/checkin?code={code}"), "/checkin", &[("code", &typed), ("email", "yumi@example.jp")])
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("受付しました"), "{}", ok.body);

    // Online: the mail's link records attendance and forwards to the meeting.
    let join = server.mails_to("makoto@example.jp").pop().unwrap().link("/join?token=");
    let join_path = join.strip_prefix(&online_guest.base).unwrap().to_owned();
    let token = join_path.split("token=").nth(1).unwrap().to_owned();
    // Opening the link (as a mail scanner would) records nothing; its button joins.
    let page = online_guest.get(&join_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("参加する") && !page.body.contains("zoom.example"));
    assert_eq!(attendance::tally(&server.db, tenant, event).await.unwrap().online, 0);
    let joined = online_guest.submit(&join_path, "/join", &[("token", &token)]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert_eq!(joined.location(), "https://zoom.example/j/123");

    let stats = attendance::tally(&server.db, tenant, event).await.unwrap();
    assert_eq!(stats.participants, 4);
    assert_eq!((stats.venue, stats.online), (3, 1));
    assert_eq!(stats.sectors.get(socialhub::sector::Sector::Company), 1);
    // First times: two first-time guests by history, the told walk-in; yumi came before.
    assert_eq!(stats.first_timers, Some(3));
    // Counting twice does nothing.
    online_guest.submit(&join_path, "/join", &[("token", &token)]).await;
    assert_eq!(attendance::tally(&server.db, tenant, event).await.unwrap().participants, 4);
}

async fn calendars_and_open_data(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let event = server.published_event("あなたはヤングケアラーという存在を知っていますか？", 24, Some(40)).await;
    let b = server.browser();
    let feed = b.get("/events.ics").await;
    assert!(feed.header("content-type").starts_with("text/calendar"));
    assert!(feed.body.contains("BEGIN:VCALENDAR") && feed.body.contains("SUMMARY:あなたはヤングケアラー"));
    assert!(!feed.body.contains("zoom.example"), "no meeting address in public calendars");
    let one = b.get(&format!("/events/{}/calendar.ics", event.0)).await;
    assert_eq!(one.body.matches("BEGIN:VEVENT").count(), 1);

    let csv = b.get_bytes("/events/opendata.csv").await;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let header = text.split("\r\n").next().unwrap();
    assert_eq!(header, socialhub::event::opendata::COLUMNS.join(","));
    assert!(text.contains("あなたはヤングケアラーという存在を知っていますか？"));
    let json: serde_json::Value = serde_json::from_str(&b.get("/events/opendata.json").await.body).unwrap();
    assert_eq!(json[0]["イベント名"], "あなたはヤングケアラーという存在を知っていますか？");
    assert_eq!(json[0]["開始時間"].as_str().unwrap().len(), 5);
    assert_eq!(json[0]["定員"], "会場40名");
    assert!(json[0]["主催者"].as_str().unwrap().contains("NPO法人底上げ"));
}

/// A title a spreadsheet would run as a formula is written as text in the CSV (a leading
/// `'`, as the roster export does); the JSON, read by programs, keeps it as it is.
async fn open_data_csv_defuses_formulas(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.published_event("=HYPERLINK(\"http://x\")", 24, Some(40)).await;
    let b = server.browser();
    let csv = b.get_bytes("/events/opendata.csv").await;
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let title = socialhub::event::opendata::COLUMNS.iter().position(|c| *c == "イベント名").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][title], "'=HYPERLINK(\"http://x\")");
    let json: serde_json::Value = serde_json::from_str(&b.get("/events/opendata.json").await.body).unwrap();
    assert_eq!(json[0]["イベント名"], "=HYPERLINK(\"http://x\")");
}

/// A CR typed into a title, and the CR LF line breaks a text area sends, reach the
/// calendar files escaped: no CR but those that end the file's lines.
async fn calendar_files_have_no_bare_carriage_returns(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let created = office
        .submit(
            "/admin/events/new",
            "/admin/events",
            &[
                ("kind", "info_exchange"),
                ("title", "一行目\rSUMMARY:偽物"),
                ("description", "説明1\r\n説明2"),
                ("date", "2099-09-21"),
                ("start_time", "19:00"),
                ("end_time", "20:30"),
                ("venue", "会場\rLOCATION:偽物"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    let id: i64 = admin_path.rsplit('/').next().unwrap().parse().unwrap();
    office.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    let b = server.browser();
    for path in ["/events.ics".to_owned(), format!("/events/{id}/calendar.ics")] {
        let ics = b.get(&path).await.body;
        assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
        for (i, _) in ics.match_indices('\r') {
            assert_eq!(ics.as_bytes().get(i + 1), Some(&b'\n'), "bare CR in {path} at {i}: {ics:?}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("\r\nSUMMARY:一行目\\nSUMMARY:偽物\r\n"), "{unfolded}");
        assert!(unfolded.contains("\r\nLOCATION:会場\\nLOCATION:偽物\r\n"), "{unfolded}");
        assert!(unfolded.contains("\r\nDESCRIPTION:説明1\\n説明2\\n\\n"), "{unfolded}");
    }
}

async fn events_of_another_center_answer_404(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let sendai_event = server.published_event("仙台の回", 24, Some(10)).await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account_in(tagajo.id, "office@tagajo.jp", "tagajo password", "多賀城 事務局", Role::Admin).await;
    let b = server.browser_at("tagajo.test");
    b.log_in("office@tagajo.jp", "tagajo password").await;
    for path in [
        format!("/events/{}", sendai_event.0),
        format!("/events/{}/calendar.ics", sendai_event.0),
        format!("/admin/events/{}", sendai_event.0),
        format!("/admin/events/{}/edit", sendai_event.0),
        format!("/admin/events/{}/checkin", sendai_event.0),
        format!("/admin/events/{}/roster.csv", sendai_event.0),
    ] {
        assert_eq!(b.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let cancel = b
        .submit("/admin/events", &format!("/admin/events/{}/status", sendai_event.0), &[("status", "cancelled")])
        .await;
    assert_eq!(cancel.status, StatusCode::NOT_FOUND);
    let reg = b.submit("/events", &format!("/events/{}/registrations", sendai_event.0), &[("mode", "venue")]).await;
    assert_eq!(reg.status, StatusCode::NOT_FOUND);
    assert!(!b.get("/events").await.body.contains("仙台の回"));
    assert!(!String::from_utf8(b.get_bytes("/events/opendata.csv").await).unwrap().contains("仙台の回"));
    let e = socialhub::event::store::get(&server.db, server.tenant().await, sendai_event).await.unwrap();
    assert_eq!(e.status, socialhub::event::Status::Published, "unchanged");
}

on_both_backends!(reminders_go_out_once_the_day_before);

async fn reminders_go_out_once_the_day_before(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let soon = server.published_event("明日の回", 20, Some(10)).await;
    let later = server.published_event("来週の回", 24 * 7, Some(10)).await;
    register(&server.browser(), soon, &guest("佐藤 美咲", "サトウ ミサキ", "misaki@example.jp")).await;
    let english = server.browser();
    english.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    register(&english, soon, &guest("Smith Anna", "スミス アンナ", "anna@example.jp")).await;
    register(&server.browser(), later, &guest("中村 由美", "ナカムラ ユミ", "yumi@example.jp")).await;
    let second = server.another_instance().await;
    let mailer = socialhub::mail::Mailer::from_config(
        &socialhub::config::Layer { mailbox_dir: Some(server.mailbox.clone()), ..Default::default() }.resolve(),
    )
    .unwrap();
    let base = format!("http://{}", server.addr);
    // Two instances look at once: each reminder goes out once.
    let (a, b) = tokio::join!(
        socialhub::registration::reminder::send_due(&server.db, &mailer, &base, "http"),
        socialhub::registration::reminder::send_due(&second.db, &mailer, &base, "http"),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    let to_misaki: Vec<_> =
        server.mails_to("misaki@example.jp").into_iter().filter(|m| m.subject.contains("明日のご案内")).collect();
    assert_eq!(to_misaki.len(), 1);
    assert!(to_misaki[0].body.contains("明日の回"));
    assert!(
        server.mails_to("anna@example.jp").iter().any(|m| m.subject == "Tomorrow: 明日の回"),
        "in the registrant's language"
    );
    assert!(
        !server.mails_to("yumi@example.jp").iter().any(|m| m.subject.contains("明日のご案内")),
        "not yet for next week"
    );
    assert_eq!(socialhub::registration::reminder::send_due(&server.db, &mailer, &base, "http").await.unwrap(), 0);
}

/// The online meeting has its own seats and waiting list, and its address goes only to
/// those with a place; the public list tells upcoming sessions from past ones.
async fn online_seats_and_the_two_lists(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let start = chrono::Utc::now() + chrono::TimeDelta::hours(30);
    let draft = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::InfoExchange,
        title: "オンラインの回".to_owned(),
        description: String::new(),
        starts_at: start,
        ends_at: start + chrono::TimeDelta::minutes(90),
        venue: String::new(),
        online_url: "https://zoom.example/j/999".to_owned(),
        venue_capacity: None,
        online_capacity: Some(1),
        anonymous: false,
        fee_yen: 0,
        registration_closes_at: None,
        cohosts: Vec::new(),
        social_issue_id: None,
        lab_id: None,
    };
    let event = server.insert_event(&draft, socialhub::event::Status::Published).await;
    let past = server.published_event("先月の回", -24 * 30, Some(10)).await;

    let list = server.browser().get("/events").await.html();
    let upcoming = list.texts("section[aria-labelledby=upcoming-heading] a").join(" ");
    let earlier = list.texts("section[aria-labelledby=past-heading] a").join(" ");
    assert!(upcoming.contains("オンラインの回") && !upcoming.contains("先月の回"), "{upcoming}");
    assert!(earlier.contains("先月の回") && !earlier.contains("オンラインの回"), "{earlier}");
    let past_page = server.browser().get(&format!("/events/{}", past.0)).await;
    assert!(past_page.body.contains("申し込みは受け付けていません"));
    assert_eq!(past_page.html().count("form[action$=\"/registrations\"]"), 0, "no form for a past session");

    let online = |name: &str, email: &str| {
        vec![
            ("mode", "online".to_owned()),
            ("name", name.to_owned()),
            ("email", email.to_owned()),
            ("furigana", "サンカ シャ".to_owned()),
            ("sector", "npo".to_owned()),
            ("affiliation", String::new()),
            ("consent", "yes".to_owned()),
        ]
    };
    let first = server.browser();
    let placed = register(&first, event, &online("林 誠", "makoto@example.jp")).await;
    assert_eq!(placed.html().text("h1").as_deref(), Some("申し込みました"));
    let second = server.browser();
    let waiting = register(&second, event, &online("高橋 花子", "hanako@example.jp")).await;
    assert_eq!(waiting.html().text("h1").as_deref(), Some("キャンセル待ちで受け付けました"), "one online seat");
    let page = server.browser().get(&format!("/events/{}", event.0)).await;
    assert!(!page.body.contains("zoom.example"), "the meeting's address is not public");

    // The waiting guest's mail carries the join link, which does not forward to the
    // meeting until a place is free (the link cannot be made again later: only its hash is kept).
    let join = server.mails_to("hanako@example.jp").pop().unwrap().link("/join?token=");
    let join_path = join.strip_prefix(&second.base).unwrap().to_owned();
    let refused = second.get(&join_path).await;
    assert_eq!(refused.status, StatusCode::OK);
    assert_eq!(refused.html().text("h1").as_deref(), Some("まだ席が確定していません"));
    assert!(!refused.body.contains("zoom.example"));

    let cancel = server.mails_to("makoto@example.jp").pop().unwrap().link("/registrations/cancel");
    let path = cancel.strip_prefix(&first.base).unwrap();
    let token = path.split("token=").nth(1).unwrap();
    assert_eq!(first.submit(path, "/registrations/cancel", &[("token", token)]).await.status, StatusCode::OK);
    let promoted = server.mails_to("hanako@example.jp").pop().unwrap();
    assert_eq!(promoted.subject, "【席が空きました】オンラインの回");
    assert!(promoted.body.contains("キャンセル待ちのお知らせメールにある参加リンク"));
    let token = join_path.split("token=").nth(1).unwrap().to_owned();
    let forwarded = second.submit(&join_path, "/join", &[("token", &token)]).await;
    assert_eq!(forwarded.status, StatusCode::SEE_OTHER);
    assert_eq!(forwarded.location(), "https://zoom.example/j/999");
}

on_both_backends!(the_event_page_reads_the_same_through_both_paths);

/// On a SQLite file the event page is read on the calling thread (rusqlite), elsewhere
/// through the pool (sqlx): the same event read both ways is the same page, with every
/// part of it filled (co-hosts, seats and the waiting in both modes, a published issue,
/// a lab). On PostgreSQL both calls take the pool.
async fn the_event_page_reads_the_same_through_both_paths(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let db = &server.db;
    let issue = socialhub::social_issue::NewIssue {
        title: "空き家の見守り".into(),
        description: "一人暮らしが増えています".into(),
        place: "若林区".into(),
        tags: vec!["居住支援".into()],
        anonymous: false,
    };
    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let issue = socialhub::social_issue::bring(db, tenant, &issue, Some(author)).await.unwrap();
    let lab = server.open_lab("居住支援").await;
    let start = chrono::Utc::now() + chrono::TimeDelta::hours(30);
    let draft = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::Study,
        title: "勉強会「住まいと福祉」".into(),
        description: "**大家さん**と話す\n\n- 第1部\n- 第2部".into(),
        starts_at: start,
        ends_at: start + chrono::TimeDelta::minutes(90),
        venue: "仙台市市民活動サポートセンター 研修室5".into(),
        online_url: "https://zoom.example/j/9".into(),
        venue_capacity: Some(1),
        online_capacity: Some(1),
        anonymous: false,
        fee_yen: 0,
        registration_closes_at: None,
        cohosts: vec!["NPO法人底上げ".into(), "居住支援ラボ".into()],
        social_issue_id: Some(issue),
        lab_id: Some(lab),
    };
    let event = server.insert_event(&draft, socialhub::event::Status::Published).await;
    for (i, mode) in ["venue", "venue", "online", "online", "online"].into_iter().enumerate() {
        let mut fields = guest(&format!("参加 {i}"), "サンカ", &format!("p{i}@example.jp"));
        fields[0].1 = mode.into();
        register(&server.browser(), event, &fields).await;
    }
    let on_thread = socialhub::event::store::page(db, tenant, event).await.unwrap();
    let through_pool = socialhub::event::store::page_through_pool(db, tenant, event).await.unwrap();
    assert_eq!(on_thread, through_pool);
    let counts = on_thread.counts;
    assert_eq!(
        (counts.venue_registered, counts.venue_waiting, counts.online_registered, counts.online_waiting),
        (1, 1, 1, 2)
    );
    assert_eq!(on_thread.event.cohosts, ["NPO法人底上げ", "居住支援ラボ"]);
    assert_eq!(on_thread.issue_title.as_deref(), Some("空き家の見守り"));
    assert_eq!(on_thread.lab_title.as_deref(), Some("居住支援"));
    assert!(on_thread.event.description_html.contains("<strong>大家さん</strong>"));
    // Another tenant's id is not found either way.
    let other = socialhub::tenant::TenantId(tenant.0 + 1000);
    assert!(socialhub::event::store::page(db, other, event).await.is_err());
    assert!(socialhub::event::store::page_through_pool(db, other, event).await.is_err());
}
