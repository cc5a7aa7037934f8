//! The people directory, tried as its users would: a member fills their profile and sees
//! exactly what the public, a member and a coordinator each see of it, part by part and
//! level by level, through the directory's pages, search and their export, and that no
//! feed, open data or mail carries any part of it; leaving the directory or the platform
//! takes them out of all of it. Then who may do what.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::search::titles;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(each_part_shows_to_exactly_whom_its_person_chose, who_may_do_what_with_the_directory);

const NAME: &str = "見守 花子";
const INTEREST: &str = "見守り活動";
const SKILLS: &str = "帳簿づけの手伝い";
const SEEKING: &str = "倉庫の貸し借り";
const PARTS: [&str; 6] = ["name", "sector", "interests", "skills", "seeking", "activity"];
const LEVELS: [&str; 4] = ["public", "members", "coordinators", "nobody"];
const FEEDS: [&str; 5] =
    ["/issues.atom", "/articles.atom", "/events.ics", "/events/opendata.json", "/events/opendata.csv"];

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

/// Saves the profile with the name shown to everyone and one part at one level, the rest
/// to nobody (or, for the name itself, everything else to everyone).
async fn choose(person: &Browser, part: &str, level: &str) {
    let mut fields: Vec<(String, String)> = vec![
        ("interests".into(), INTEREST.into()),
        ("skills".into(), SKILLS.into()),
        ("seeking".into(), SEEKING.into()),
    ];
    for p in PARTS {
        let v = if p == part {
            level
        } else if p == "name" || part == "name" {
            "public"
        } else {
            "nobody"
        };
        fields.push((format!("{p}_shown"), v.into()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = person.submit("/account/directory", "/account/directory", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

/// Whether the part can be seen on the person's page, and in their line of the list.
async fn sees(b: &Browser, page: &str, part: &str) -> (bool, bool) {
    let html = b.get(page).await.html();
    let on_page = match part {
        "name" => html.text("h1").as_deref() == Some(NAME),
        "sector" => html.text("#sector").is_some(),
        "interests" => html.text("#interests").is_some_and(|t| t.contains(INTEREST)),
        "skills" => html.text("#skills").as_deref() == Some(SKILLS),
        "seeking" => html.text("#seeking").as_deref() == Some(SEEKING),
        _ => html.text("#activity").is_some_and(|t| t.contains("記録ラボ")),
    };
    let list = b.get("/people").await.html().texts("#people li");
    let line = list.iter().find(|l| l.contains(NAME));
    let in_list = match part {
        "name" => line.is_some(),
        "sector" => line.is_some_and(|l| l.contains("NPO")),
        "interests" => line.is_some_and(|l| l.contains(INTEREST)),
        "skills" => line.is_some_and(|l| l.contains(SKILLS)),
        // The list shows neither what they look for nor what they did.
        _ => on_page,
    };
    (on_page, in_list)
}

async fn each_part_shows_to_exactly_whom_its_person_chose(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("hanako@example.jp", "a password", NAME, Role::Member).await;
    server.create_account("member@example.jp", "a password", "会員 一郎", Role::Member).await;
    server.create_account("coord@example.jp", "a password", "調整 次郎", Role::Coordinator).await;
    let office = server.secretariat().await;
    let hanako = log_in(&server, "hanako@example.jp").await;
    let member = log_in(&server, "member@example.jp").await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let anonymous = server.browser();
    let lab = office
        .submit("/labs/new", "/labs", &[("title", "記録ラボ"), ("founded_on", "2023-10-01")])
        .await
        .location()
        .to_owned();
    office
        .submit(
            &format!("{lab}/members"),
            &format!("{lab}/members"),
            &[("email", "hanako@example.jp"), ("role", "member")],
        )
        .await;

    // Before saving a profile nobody is in the directory, whatever their account says.
    for b in [&anonymous, &member, &coordinator] {
        assert!(!b.get("/people").await.body.contains(NAME));
    }
    let form = hanako.get("/account/directory").await.html();
    assert_eq!(form.attr("#name_shown option[selected]", "value").as_deref(), Some("members"), "suggested");
    assert_eq!(form.attr("#activity_shown option[selected]", "value").as_deref(), Some("nobody"));
    // A choice the form does not offer is refused, never taken as public.
    let bad = hanako
        .submit("/account/directory", "/account/directory", &[("skills", SKILLS), ("name_shown", "everyone")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.html().text("#skills").as_deref(), Some(SKILLS), "input kept");
    assert!(!anonymous.get("/people").await.body.contains(NAME));

    // She attended a public session and an internal meeting: only the first may show.
    let tenant = server.tenant().await;
    let account =
        socialhub::account::store::find_by_email(&server.db, tenant, "hanako@example.jp").await.unwrap().unwrap().0;
    let start = chrono::Utc::now() - chrono::TimeDelta::days(3);
    let open = crate::support::event_draft("記録ラボの勉強会", start);
    let internal = socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::SecretariatMeeting,
        ..crate::support::event_draft("事務局の打ち合わせ", start)
    };
    for draft in [open, internal] {
        let id = server.insert_event(&draft, socialhub::event::Status::Published).await;
        server
            .db
            .write(async |tx| {
                let event = socialhub::event::store::get_in(tx, tenant, id).await?;
                let person = socialhub::person::store::for_account(tx, tenant, &account).await?;
                let new = socialhub::attendance::NewAttendance {
                    person: Some(person),
                    registration: None,
                    sector: socialhub::sector::Sector::Npo,
                    mode: socialhub::event::Mode::Venue,
                    first_time: socialhub::attendance::FirstTime::Given(None),
                    source: socialhub::attendance::Source::Walkin,
                    import_key: None,
                };
                socialhub::attendance::store::record(tx, tenant, &event, new).await
            })
            .await
            .unwrap();
    }

    choose(&hanako, "skills", "public").await;
    let page = hanako.get("/people").await.html().attr("#people a[href^='/people/']", "href").unwrap();
    let viewers: [(&str, &Browser, usize); 3] =
        [("visitor", &anonymous, 0), ("member", &member, 1), ("coordinator", &coordinator, 2)];
    for part in PARTS {
        for (l, level) in LEVELS.iter().enumerate() {
            choose(&hanako, part, level).await;
            for (who, b, rank) in viewers {
                // public: 0 and up; members: 1 and up; coordinators: 2; nobody: never.
                let expected = l < 3 && rank >= l;
                let (on_page, in_list) = sees(b, &page, part).await;
                assert_eq!(on_page, expected, "{part} at {level}: {who} on the page");
                assert_eq!(in_list, expected, "{part} at {level}: {who} in the list");
                if part == "name" && !expected {
                    assert_eq!(b.get(&page).await.status, StatusCode::NOT_FOUND, "{who}: no page at all");
                }
            }
            // The person always sees all of it.
            assert!(sees(&hanako, &page, part).await.0, "{part} at {level}: themselves");
            // Feeds and open data carry no part of a profile, at any level.
            for feed in FEEDS {
                let body = anonymous.get(feed).await.body;
                assert!(![INTEREST, SKILLS, SEEKING].iter().any(|t| body.contains(t)), "{part} at {level}: {feed}");
            }
            // Search holds only what everyone may read.
            let query = match part {
                "name" => Some(NAME),
                "interests" => Some(INTEREST),
                "skills" => Some(SKILLS),
                "seeking" => Some(SEEKING),
                _ => None,
            };
            if let Some(q) = query {
                for (who, b, _) in viewers {
                    let found = titles(b, q).await.iter().any(|t| t == NAME);
                    assert_eq!(found, *level == "public", "{part} at {level}: {who} searching {q}");
                }
            }
        }
    }

    // What she did shows sessions anyone may see, never an internal meeting.
    choose(&hanako, "activity", "public").await;
    let activity = anonymous.get(&page).await.html().text("#activity").unwrap();
    assert!(activity.contains("記録ラボの勉強会") && !activity.contains("事務局の打ち合わせ"), "{activity}");

    // Filters match only what the reader may see: interests shown to coordinators only.
    choose(&hanako, "interests", "coordinators").await;
    let filtered = format!("/people?interest={}", crate::search::urlencode(INTEREST));
    assert!(!member.get(&filtered).await.body.contains(NAME));
    assert!(coordinator.get(&filtered).await.body.contains(NAME));

    // The export holds the profile and the choices.
    let export: serde_json::Value = serde_json::from_str(&hanako.get("/account/export").await.body).unwrap();
    assert_eq!(export["directory"]["skills"], SKILLS);
    assert_eq!(export["directory"]["shown_to"]["interests"], "coordinators");

    // Mails carry no part of a profile either, even with every part public: news of her
    // post reaches a member at once and in the next morning's digest with its title and
    // address only.
    choose(&hanako, "name", "public").await;
    member
        .submit(
            "/account/mail",
            "/account/mail",
            &[
                ("lang", "ja"),
                ("board_notice", "immediately"),
                ("board_grant", "daily"),
                ("board_project", "weekly"),
                ("board_data", "weekly"),
                ("board_event", "weekly"),
                ("event", "weekly"),
                ("issue", "immediately"),
                ("consultation", "weekly"),
            ],
        )
        .await;
    for (category, title) in [("notice", "見守りの集まり"), ("grant", "見守り助成金")] {
        let fields = [("category", category), ("audience", "members"), ("title", title), ("body", "詳しくは本文で。")];
        assert_eq!(hanako.submit("/board/new", "/board", &fields).await.status, StatusCode::SEE_OTHER);
    }
    let now = chrono::Utc::now();
    server.postman().await.round(now).await.unwrap();
    let morning =
        socialhub::i18n::wareki::jst_midnight(socialhub::i18n::wareki::jst_date(now) + chrono::TimeDelta::days(1))
            + chrono::TimeDelta::hours(7);
    server.postman().await.round(morning).await.unwrap();
    let mails = server.mails_to("member@example.jp");
    assert_eq!(mails.len(), 2, "one at once, one digest: {mails:?}");
    for m in &mails {
        assert!(m.body.contains("見守りの集まり") || m.body.contains("見守り助成金"), "{}", m.body);
        for part in [INTEREST, SKILLS, SEEKING, NAME] {
            assert!(!m.body.contains(part) && !m.subject.contains(part), "{part} in {}", m.body);
        }
    }

    // Leaving the directory takes them out of its pages and its search.
    choose(&hanako, "skills", "public").await;
    assert_eq!(titles(&anonymous, SKILLS).await, [NAME]);
    assert_eq!(
        hanako.submit("/account/directory", "/account/directory/withdraw", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(anonymous.get(&page).await.status, StatusCode::NOT_FOUND);
    assert!(titles(&anonymous, SKILLS).await.is_empty());
    // And leaving the platform, likewise.
    choose(&hanako, "skills", "public").await;
    assert_eq!(titles(&anonymous, SKILLS).await, [NAME]);
    let deleted = hanako.submit("/account/delete", "/account/delete", &[("password", "a password")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert_eq!(coordinator.get(&page).await.status, StatusCode::NOT_FOUND);
    assert!(titles(&anonymous, SKILLS).await.is_empty());
    assert!(!coordinator.get("/people").await.body.contains(NAME));
}

async fn who_may_do_what_with_the_directory(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    server.create_account("hanako@example.jp", "a password", NAME, Role::Member).await;
    server.create_account_in(tagajo.id, "office@tagajo.jp", "a password", "多賀城 事務局", Role::Admin).await;
    let hanako = log_in(&server, "hanako@example.jp").await;
    let anonymous = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "a password").await;
    choose(&hanako, "skills", "public").await;
    let page = anonymous.get("/people").await.html().attr("#people a", "href").unwrap();
    assert_eq!(anonymous.get(&page).await.status, StatusCode::OK);

    // Only a member edits their own profile; a visitor is sent to log in.
    assert_eq!(anonymous.get("/account/directory").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.submit("/login", "/account/directory", &[("skills", "x")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(anonymous.submit("/login", "/account/directory/withdraw", &[]).await.status, StatusCode::SEE_OTHER);
    // Another center: the person does not exist there, even public.
    assert_eq!(other_center.get(&page).await.status, StatusCode::NOT_FOUND);
    assert!(!other_center.get("/people").await.body.contains(NAME));
    // Forged forms without a token change nothing.
    assert_eq!(hanako.post_raw("/account/directory/withdraw", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(anonymous.get(&page).await.status, StatusCode::OK);
}
