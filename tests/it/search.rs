//! Search across the public records (issue 16): a query finds exactly the records that
//! contain it as written, never a private one; the index follows every write, on every
//! instance; the page and the command line answer alike.

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::event::Status;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, event_draft, run_cli};

on_both_backends!(
    a_query_finds_exactly_the_public_records_containing_it,
    the_index_follows_writes_on_every_instance,
    results_come_in_pages_and_filter_by_kind_and_year,
    similar_issues_are_suggested_before_one_is_brought,
    open_needs_and_offers_shown_to_everyone_are_found,
);

pub fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The titles found for a query, in the order shown.
pub async fn titles(b: &crate::support::Browser, query: &str) -> Vec<String> {
    let page = b.get(&format!("/search?q={}", urlencode(query))).await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.body);
    page.html().inline_texts(".search-hits h3")
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn a_query_finds_exactly_the_public_records_containing_it(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let start = chrono::Utc::now() + chrono::TimeDelta::days(10);
    let mut study = event_draft("居住支援の勉強会", start);
    study.description = "住まいに困る人を**地域で**支えます。ＮＰＯ法人と不動産会社が登壇。".into();
    study.venue = "仙台市市民活動サポートセンター".into();
    server.insert_event(&study, Status::Published).await;
    let mut other = event_draft("居住の支援を考える", start);
    other.description = "ボランティアの集まり".into();
    other.venue = "若林区文化センター".into();
    server.insert_event(&other, Status::Published).await;
    let mut draft = event_draft("下書きの居住支援セッション", start);
    draft.description = "まだ公開していません".into();
    server.insert_event(&draft, Status::Draft).await;
    let mut internal = event_draft("事務局ミーティング 居住支援", start);
    internal.kind = socialhub::event::EventKind::SecretariatMeeting;
    server.insert_event(&internal, Status::Published).await;

    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let issue = |title: &str, description: &str| socialhub::social_issue::NewIssue {
        title: title.into(),
        description: description.into(),
        place: "若林区".into(),
        tags: vec!["防災".into()],
        anonymous: false,
    };
    socialhub::social_issue::bring(
        &server.db,
        tenant,
        &issue("防災訓練に若い人が来ない", "町内会の悩み"),
        Some(author),
    )
    .await
    .unwrap();
    // Brought without signing: waiting for approval, not public.
    socialhub::social_issue::bring(&server.db, tenant, &issue("防災無線が聞こえない", "承認待ち"), None).await.unwrap();

    let b = server.browser();
    assert_eq!(titles(&b, "居住支援").await, ["居住支援の勉強会"], "not 居住の支援, no draft, nothing internal");
    assert_eq!(sorted(titles(&b, "居住").await), ["居住の支援を考える", "居住支援の勉強会"]);
    assert_eq!(titles(&b, "npo").await, ["居住支援の勉強会"], "ＮＰＯ in the text, npo typed");
    assert_eq!(titles(&b, "ﾎﾞﾗﾝﾃｨｱ").await, ["居住の支援を考える"], "half-width kana");
    assert_eq!(titles(&b, "ぼらんてぃあ").await, ["居住の支援を考える"], "hiragana for katakana");
    assert_eq!(titles(&b, "防災").await, ["防災訓練に若い人が来ない"], "the pending issue is not found");
    assert_eq!(titles(&b, "若林区 町内会").await, ["防災訓練に若い人が来ない"]);
    assert!(titles(&b, "防災 居住").await.is_empty());
    assert!(titles(&b, "承認待ち").await.is_empty());
    assert!(titles(&b, "まだ公開").await.is_empty());
    assert_eq!(titles(&b, "仙台").await, ["居住支援の勉強会"], "the venue is searched");

    // The match is marked in the snippet, and the page says how many were found.
    let page = b.get(&format!("/search?q={}", urlencode("地域で支え"))).await.html();
    assert_eq!(page.texts(".search-hits mark"), ["地域で支え"]);
    assert_eq!(page.text("#search-count").as_deref(), Some("1件"));
    assert_eq!(page.attr("#search-q", "value").as_deref(), Some("地域で支え"));
    // Every page has the search box in its header.
    let home = b.get("/").await.html();
    assert_eq!(home.attr("form[role=search]", "action").as_deref(), Some("/search"));
    // Nothing typed, or only punctuation: no error, nothing found.
    assert_eq!(b.get("/search").await.status, StatusCode::OK);
    assert_eq!(b.get("/search?q=%E3%80%81&kind=nonsense&fy=x&page=-1").await.status, StatusCode::OK);
    // Markup typed into the box stays text.
    let typed = b.get("/search?q=%3Cscript%3E").await;
    assert!(!typed.body.contains("<script>"), "{}", typed.body);

    // In English, the Japanese titles are marked as Japanese.
    b.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let en = b.get(&format!("/search?q={}", urlencode("居住支援"))).await.html();
    assert_eq!(en.attrs(".search-hits h3", "lang"), ["ja"]);
    assert_eq!(en.text("#search-count").as_deref(), Some("Found: 1"));
}

async fn the_index_follows_writes_on_every_instance(backend: Backend) {
    let Some(first) = TestServer::start(backend).await else { return };
    let second = first.another_instance().await;
    let tenant = first.tenant().await;
    let on_first = first.browser();
    let on_second = on_first.at(format!("http://{}", second.addr));

    // A session published through the first instance's pages is found on the second.
    let office = first.secretariat().await;
    let start = chrono::Utc::now() + chrono::TimeDelta::days(3);
    let mut draft = event_draft("空き家の見守り勉強会", start);
    draft.description = "空き家の見守りを町内会で".into();
    let id = first.insert_event(&draft, Status::Draft).await;
    assert!(titles(&on_second, "見守り").await.is_empty(), "a draft is not found");
    let publish = office
        .submit(
            &format!("/admin/events/{}", id.0),
            &format!("/admin/events/{}/status", id.0),
            &[("status", "published")],
        )
        .await;
    assert_eq!(publish.status, StatusCode::SEE_OTHER, "{}", publish.body);
    assert_eq!(titles(&on_second, "見守り").await, ["空き家の見守り勉強会"]);
    assert_eq!(titles(&on_first, "見守り").await, ["空き家の見守り勉強会"]);

    // An issue hidden by moderation disappears from both.
    let author = first.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let new = socialhub::social_issue::NewIssue {
        title: "見守りの担い手が足りない".into(),
        description: "高齢化".into(),
        place: String::new(),
        tags: vec![],
        anonymous: false,
    };
    let issue = socialhub::social_issue::bring(&first.db, tenant, &new, Some(author)).await.unwrap();
    assert_eq!(sorted(titles(&on_second, "見守り").await), ["空き家の見守り勉強会", "見守りの担い手が足りない"]);
    second
        .db
        .write(async |tx| {
            socialhub::social_issue::store::set_status(
                tx,
                tenant,
                issue,
                socialhub::social_issue::Status::Hidden,
                "個人情報",
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(titles(&on_first, "見守り").await, ["空き家の見守り勉強会"]);
    assert_eq!(titles(&on_second, "見守り").await, ["空き家の見守り勉強会"]);

    // A lab renamed: its roadmap, which carries its name, is found by the new name.
    let lab = first.open_lab("居住支援").await;
    let lead = first.create_account_in(tenant, "l@example.jp", "lead password", "主宰 さん", Role::Member).await;
    socialhub::roadmap::save(&first.db, tenant, lab, "# 見通し\n\n相談窓口", "最初の版", lead).await.unwrap();
    let renamed = crate::support::lab_draft("住まいの支え");
    socialhub::lab::update(&second.db, tenant, lab, &renamed).await.unwrap();
    assert_eq!(sorted(titles(&on_first, "住まいの支え").await), ["住まいの支え", "住まいの支え ロードマップ"]);
    assert!(titles(&on_first, "居住支援").await.is_empty());

    // `search reindex` asks every instance to rebuild; they still answer the same.
    socialhub::search::store::request_rebuild(&first.db).await.unwrap();
    assert_eq!(titles(&on_second, "見守り").await, ["空き家の見守り勉強会"]);
    assert_eq!(titles(&on_first, "住まいの支え ロードマップ").await, ["住まいの支え ロードマップ"]);
}

async fn results_come_in_pages_and_filter_by_kind_and_year(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    // 25 sessions on 防災, in fiscal years 2023 (before April 2024) and 2024.
    for i in 0..25 {
        let start = if i < 5 {
            chrono::DateTime::parse_from_rfc3339("2024-03-10T10:00:00+09:00").unwrap().to_utc()
        } else {
            chrono::Utc::now() + chrono::TimeDelta::days(i)
        };
        let mut draft = event_draft(&format!("防災セッション {i}"), start);
        draft.description = "地域の防災を話し合います".into();
        server.insert_event(&draft, Status::Published).await;
    }
    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let new = socialhub::social_issue::NewIssue {
        title: "防災倉庫の鍵".into(),
        description: "誰が持っているか".into(),
        place: String::new(),
        tags: vec!["防災".into(), "町内会".into()],
        anonymous: false,
    };
    socialhub::social_issue::bring(&server.db, tenant, &new, Some(author)).await.unwrap();

    let b = server.browser();
    let first = b.get("/search?q=%E9%98%B2%E7%81%BD").await.html();
    assert_eq!(first.text("#search-count").as_deref(), Some("26件"));
    assert_eq!(first.count(".search-hits li"), 20);
    let next = first.attr("a[rel=next]", "href").expect("a next page");
    let second = b.get(&next).await.html();
    assert_eq!(second.count(".search-hits li"), 6);
    assert!(second.attr("a[rel=prev]", "href").is_some());
    let all: std::collections::HashSet<String> =
        first.inline_texts(".search-hits h3").into_iter().chain(second.inline_texts(".search-hits h3")).collect();
    assert_eq!(all.len(), 26, "no record on both pages");

    let issues = b.get("/search?q=%E9%98%B2%E7%81%BD&kind=issue").await.html();
    assert_eq!(issues.inline_texts(".search-hits h3"), ["防災倉庫の鍵"]);
    let tagged = b.get(&format!("/search?q={}&tag={}", urlencode("防災"), urlencode("町内会"))).await.html();
    assert_eq!(tagged.inline_texts(".search-hits h3"), ["防災倉庫の鍵"]);
    let fy2023 = b.get("/search?q=%E9%98%B2%E7%81%BD&kind=event&fy=2023").await.html();
    assert_eq!(fy2023.text("#search-count").as_deref(), Some("5件"));
}

#[test]
fn the_command_line_prints_hits_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_cli(&["demo"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run_cli(&["search", "居住支援", "--format", "json", "--limit", "2"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    let hits: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(hits.len(), 2, "{out}");
    for hit in &hits {
        let keys: Vec<&str> = hit.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(sorted(keys.iter().map(|k| (*k).to_owned()).collect()), ["kind", "snippet", "title", "url"]);
        assert!(
            hit["snippet"].as_str().unwrap().contains("居住支援")
                || hit["title"].as_str().unwrap().contains("居住支援")
        );
        assert!(hit["url"].as_str().unwrap().starts_with('/'));
    }
    let (code, out, _) = run_cli(&["search", "存在しないことば", "--format", "json"], &[], dir.path());
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "[]");
    let (code, out, err) = run_cli(&["search", "reindex"], &[], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("the search index holds"), "{out}");
    let (code, _, err) = run_cli(&["search", "x", "--kind", "poem"], &[], dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("unknown kind poem"), "{err}");
}

async fn similar_issues_are_suggested_before_one_is_brought(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let tenant = server.tenant().await;
    let author = server.create_account_in(tenant, "a@example.jp", "author password", "提起 さん", Role::Member).await;
    let new = |title: &str| socialhub::social_issue::NewIssue {
        title: title.into(),
        description: "町内会で話題になっています".into(),
        place: String::new(),
        tags: vec![],
        anonymous: false,
    };
    let there = socialhub::social_issue::bring(&server.db, tenant, &new("防災訓練に若い人が来ない"), Some(author))
        .await
        .unwrap();
    let hidden =
        socialhub::social_issue::bring(&server.db, tenant, &new("防災訓練の若者参加"), Some(author)).await.unwrap();
    server
        .db
        .write(async |tx| {
            socialhub::social_issue::store::set_status(
                tx,
                tenant,
                hidden,
                socialhub::social_issue::Status::Hidden,
                "重複",
            )
            .await
        })
        .await
        .unwrap();

    let b = server.browser();
    let fields =
        [("title", "防災訓練に若者が参加しない"), ("description", "どうすれば来てくれるか"), ("place", "若林区")];
    let first = b.submit("/issues/new", "/issues", &fields).await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.html();
    assert_eq!(html.text("#similar-heading").as_deref(), Some("似た課題がすでにあります"));
    assert_eq!(html.attrs(".similar-issues a", "href"), [format!("/issues/{}", there.0)], "not the hidden one");
    assert_eq!(html.attr("#title", "value").as_deref(), Some("防災訓練に若者が参加しない"), "the input is kept");
    assert_eq!(html.text("#description").as_deref(), Some("どうすれば来てくれるか"));
    assert_eq!(html.attr("input[name=similar_seen]", "value").as_deref(), Some("yes"));
    assert_eq!(
        socialhub::social_issue::store::list(&server.db, tenant, socialhub::social_issue::Status::Pending, 10)
            .await
            .unwrap()
            .len(),
        0,
        "nothing sent yet"
    );

    // Sent anyway: it waits for approval like any anonymous issue.
    let mut again = fields.to_vec();
    again.push(("similar_seen", "yes"));
    let sent = b.submit("/issues/new", "/issues", &again).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.html().count("#similar-heading") == 0, "{}", sent.body);
    let pending =
        socialhub::social_issue::store::list(&server.db, tenant, socialhub::social_issue::Status::Pending, 10)
            .await
            .unwrap();
    assert_eq!(pending.len(), 1);

    // Nothing like it: sent at once.
    let other =
        b.submit("/issues/new", "/issues", &[("title", "公園のベンチが壊れている"), ("description", "座れない")]).await;
    assert_eq!(other.html().count("#similar-heading"), 0);
    let pending =
        socialhub::social_issue::store::list(&server.db, tenant, socialhub::social_issue::Status::Pending, 10)
            .await
            .unwrap();
    assert_eq!(pending.len(), 2);
}

/// Needs and offers shown to everyone are found while they are open, by their words,
/// skills and place, never by who posted them; one shown to members only, one met, or
/// one whose poster has left is not.
async fn open_needs_and_offers_shown_to_everyone_are_found(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 花子", Role::Member).await;
    let npo = server.browser();
    npo.log_in("npo@example.jp", "a password").await;
    let post = async |form: &str, to: &str, fields: &[(&str, &str)]| {
        let sent = npo.submit(form, to, fields).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        sent.location().to_owned()
    };
    let need = post(
        "/needs/new",
        "/needs",
        &[
            ("title", "チラシを作りたい"),
            ("body", "秋祭りの案内"),
            ("kind", "skill"),
            ("skill", "design"),
            ("place", "若林区"),
            ("visibility", "public"),
        ],
    )
    .await;
    post("/offers/new", "/offers", &[("title", "会議室を貸せます"), ("kind", "place"), ("visibility", "members")])
        .await;
    post(
        "/offers/new",
        "/offers",
        &[("title", "会計の相談にのります"), ("kind", "skill"), ("skill", "accounting"), ("visibility", "public")],
    )
    .await;

    let visitor = server.browser();
    assert_eq!(titles(&visitor, "チラシ").await, ["チラシを作りたい"]);
    assert_eq!(titles(&visitor, "秋祭り").await, ["チラシを作りたい"], "its text");
    assert_eq!(titles(&visitor, "若林区").await, ["チラシを作りたい"], "its place");
    assert_eq!(titles(&visitor, "デザイン").await, ["チラシを作りたい"], "its skill");
    assert_eq!(titles(&visitor, "会計").await, ["会計の相談にのります"]);
    assert!(titles(&visitor, "会議室").await.is_empty(), "shown to members only");
    assert!(titles(&visitor, "青葉").await.is_empty(), "the poster is never named");
    let page = visitor.get(&format!("/search?q={}&kind=need", urlencode("チラシ"))).await;
    assert_eq!(page.html().attrs(".search-hits h3 a", "href"), std::slice::from_ref(&need));
    assert!(!page.body.contains("青葉 花子"));

    // Met, the need is no longer asked for; the poster gone, nothing of theirs is found.
    let met = npo.submit(&need, &format!("{need}/status"), &[("status", "met")]).await;
    assert_eq!(met.status, StatusCode::SEE_OTHER, "{}", met.body);
    assert!(titles(&visitor, "チラシ").await.is_empty());
    let deleted = npo.submit("/account/delete", "/account/delete", &[("password", "a password")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert!(titles(&visitor, "会計").await.is_empty());
}
