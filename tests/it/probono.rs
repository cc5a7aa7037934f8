//! Pro bono as new users try it: an NPO posts a need, a company posts an offer, a
//! coordinator sees the match with its reasons and introduces them; one side declines and
//! nothing of either reaches the other anywhere; then both accept another introduction,
//! see each other's contact details, and its outcome appears in the annual report.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer};

on_both_backends!(an_npo_s_need_meets_a_company_s_offer_through_a_coordinator, a_form_keeps_what_was_typed);

async fn log_in(server: &TestServer, email: &str) -> Browser {
    let b = server.browser();
    b.log_in(email, "a password").await;
    b
}

/// Records an organisation as `b` (its first admin) and returns its id.
async fn organisation(b: &Browser, name: &str, kind: &str) -> String {
    let page = b.submit("/organisations/new", "/organisations", &[("name", name), ("kind", kind)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().trim_start_matches("/organisations/").to_owned()
}

/// Everything `b` may open that could mention the other side: the introductions, their
/// pages, notifications, マイページ, the needs and offers, the data export.
async fn everything_seen_by(b: &Browser, pages: &[&str]) -> String {
    let mut seen = String::new();
    for p in ["/introductions", "/notifications", "/mypage", "/needs", "/offers", "/account/export"].iter().chain(pages)
    {
        seen.push_str(&b.get(p).await.body);
    }
    seen
}

async fn an_npo_s_need_meets_a_company_s_offer_through_a_coordinator(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    for (email, name, role) in [
        ("npo@example.jp", "青葉 花子", Role::Member),
        ("company@example.jp", "宮城 太郎", Role::Member),
        ("lawyer@example.jp", "泉 次郎", Role::Member),
        ("coord@example.jp", "若林 つなぐ", Role::Coordinator),
    ] {
        server.create_account(email, "a password", name, role).await;
    }
    let npo = log_in(&server, "npo@example.jp").await;
    let company = log_in(&server, "company@example.jp").await;
    let lawyer = log_in(&server, "lawyer@example.jp").await;
    let coordinator = log_in(&server, "coord@example.jp").await;
    let visitor = server.browser();
    let npo_org = organisation(&npo, "NPO法人あおば子ども食堂", "npo").await;
    let company_org = organisation(&company, "株式会社みやぎデザイン", "company").await;

    // The NPO posts a need for its organisation.
    let page = npo
        .submit(
            "/needs/new",
            "/needs",
            &[
                ("title", "チラシのデザインを10時間"),
                ("kind", "skill"),
                ("skill", "design"),
                ("body", "夏の子ども食堂のお知らせを作りたい。"),
                ("tags", "子ども食堂"),
                ("place", "若林区"),
                ("starts_on", "2026/6/1"),
                ("ends_on", "2099/6/30"),
                ("on_behalf", &format!("o{npo_org}")),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let need = page.location().to_owned();
    let need_id = need.trim_start_matches("/needs/").to_owned();
    // The company offers design for members; a lawyer offers legal advice.
    let offer = company
        .submit(
            "/offers/new",
            "/offers",
            &[
                ("title", "デザインの相談にのります（月5時間まで）"),
                ("kind", "skill"),
                ("skill", "design"),
                ("skill", "web"),
                ("tags", "子ども食堂、SDGs"),
                ("place", "仙台市若林区"),
                ("online", "yes"),
                ("on_behalf", &format!("o{company_org}")),
                ("visibility", "members"),
            ],
        )
        .await
        .location()
        .to_owned();
    assert!(offer.starts_with("/offers/"), "{offer}");
    let offer_id = offer.trim_start_matches("/offers/").to_owned();
    let legal = lawyer
        .submit(
            "/offers/new",
            "/offers",
            &[("title", "契約書を見ます"), ("kind", "skill"), ("skill", "legal"), ("visibility", "members")],
        )
        .await
        .location()
        .to_owned();
    assert!(legal.starts_with("/offers/"), "{legal}");

    // The public reads the need under the NPO's name and never a person's; the offer is
    // for members only.
    let public = visitor.get(&need).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("NPO法人あおば子ども食堂") && !public.body.contains("青葉"), "{}", public.body);
    assert!(visitor.get("/needs").await.body.contains("チラシのデザインを10時間"));
    assert_eq!(visitor.get(&offer).await.status, StatusCode::SEE_OTHER, "members only");
    assert!(!visitor.get("/offers").await.body.contains("デザインの相談"));
    assert!(!lawyer.get(&offer).await.body.contains("宮城"), "an offer never shows its poster");
    // Another member sees no suggestions; the coordinator's queue and the NPO's own page
    // show the company's offer with its reasons, and not the lawyer's.
    assert_eq!(lawyer.get(&need).await.html().count("#suggestions li"), 0);
    let queue = coordinator.get("/coordination").await;
    assert_eq!(queue.status, StatusCode::OK);
    let queue = queue.html();
    assert!(queue.text("#queue").unwrap().contains("デザインの相談にのります"), "{:?}", queue.text("#queue"));
    assert!(!queue.text("#queue").unwrap().contains("契約書"));
    for b in [&coordinator, &npo] {
        let html = b.get(&need).await.html();
        let reasons = html.text("#suggestions .match-reasons").unwrap_or_default();
        for why in ["スキル「デザイン」", "タグ「子ども食堂」", "場所（仙台市若林区）"] {
            assert!(reasons.contains(why), "{why} in {reasons}");
        }
        assert_eq!(html.count("#suggestions li"), 1);
    }
    assert_eq!(npo.get(&need).await.html().count("a[href^='/introductions/new']"), 0, "only coordinators introduce");
    assert_eq!(npo.get("/coordination").await.status, StatusCode::FORBIDDEN);

    // The coordinator introduces them from the match.
    let form_path = format!("/introductions/new?need={need_id}&offer={offer_id}");
    let form = coordinator.get(&form_path).await;
    assert!(form.body.contains("青葉 花子") && form.body.contains("宮城 太郎"), "the coordinator sees both");
    let purpose = form.html().text("#purpose").unwrap();
    for theirs in ["チラシのデザイン", "デザインの相談", "あおば", "みやぎ", "青葉", "宮城"] {
        assert!(!purpose.contains(theirs), "the words both read name neither: {purpose}");
    }
    let first = coordinator
        .submit(&form_path, "/introductions", &[("need", &need_id), ("offer", &offer_id), ("purpose", &purpose)])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let first = first.location().to_owned();
    // Before anyone answers, each sees the purpose and nothing of the other.
    let npo_view = npo.get(&first).await;
    assert!(npo_view.body.contains("チラシのデザインを10時間"), "their own need");
    assert!(!npo_view.body.contains("宮城") && !npo_view.body.contains("company@example.jp"));
    assert!(!npo_view.body.contains(&offer), "not the other's offer, whose page says whose it is");
    assert!(!company.get(&first).await.body.contains(&need), "nor the other's need");
    assert_eq!(npo_view.html().count("form[action$='/answer'] button"), 2);
    assert_eq!(lawyer.get(&first).await.status, StatusCode::NOT_FOUND, "someone else's introduction");
    // The NPO accepts; the company declines.
    assert_eq!(
        npo.submit(&first, &format!("{first}/answer"), &[("answer", "accepted")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!npo.get(&first).await.body.contains("宮城"), "one acceptance shares nothing");
    assert_eq!(
        company.submit(&first, &format!("{first}/answer"), &[("answer", "declined")]).await.status,
        StatusCode::SEE_OTHER
    );
    // Answering again changes nothing; an outcome cannot be recorded.
    let again = npo.submit(&first, &format!("{first}/answer"), &[("answer", "declined")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(npo.get(&first).await.html().text("#own-answer").as_deref(), Some("受ける"));
    assert_eq!(
        coordinator.submit(&first, &format!("{first}/outcome"), &[("outcome", "met")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(coordinator.get(&first).await.html().text("#outcome").is_none(), "no outcome before both accept");
    let npo_sees = everything_seen_by(&npo, &[&first, &need, &offer]).await;
    let company_sees = everything_seen_by(&company, &[&first, &need, &offer]).await;
    assert!(npo_sees.contains("見送りになりました"), "the NPO is told it is not going ahead");
    for name in ["宮城 太郎", "宮城", "company@example.jp"] {
        assert!(!npo_sees.contains(name), "{name} reached the NPO");
    }
    for name in ["青葉 花子", "青葉", "npo@example.jp"] {
        assert!(!company_sees.contains(name), "{name} reached the company");
    }
    // The introduction itself names neither the other's organisation nor links to what
    // would (the offers list shows members the company's offer, as its poster chose).
    let npo_intro = npo.get(&first).await.body;
    assert!(!npo_intro.contains("株式会社みやぎデザイン") && !npo_intro.contains(&offer), "{npo_intro}");
    let company_intro = company.get(&first).await.body;
    assert!(!company_intro.contains("NPO法人あおば子ども食堂") && !company_intro.contains(&need));
    server.deliver_mail().await;
    for mail in server.mails_to("npo@example.jp") {
        assert!(!mail.body.contains("宮城") && !mail.body.contains("company@example.jp"), "{}", mail.body);
    }
    for mail in server.mails_to("company@example.jp") {
        assert!(!mail.body.contains("青葉") && !mail.body.contains("npo@example.jp"), "{}", mail.body);
    }
    // The coordinator sees who declined.
    let seen = coordinator.get(&first).await.html();
    assert_eq!(seen.text("#state").as_deref(), Some("見送りになりました"));
    assert!(seen.text("#people").unwrap().contains("見送る"));

    // Another introduction: both accept and each sees the other's contact details.
    let second = coordinator
        .submit(
            &form_path,
            "/introductions",
            &[("need", &need_id), ("offer", &offer_id), ("purpose", "改めてご紹介します。")],
        )
        .await
        .location()
        .to_owned();
    assert_ne!(second, first);
    company.submit(&second, &format!("{second}/answer"), &[("answer", "accepted")]).await;
    assert!(!company.get(&second).await.body.contains("npo@example.jp"));
    npo.submit(&second, &format!("{second}/answer"), &[("answer", "accepted")]).await;
    let npo_view = npo.get(&second).await.html();
    let contact = npo_view.text("#people").unwrap();
    assert!(
        contact.contains("宮城 太郎")
            && contact.contains("company@example.jp")
            && contact.contains("株式会社みやぎデザイン"),
        "{contact}"
    );
    assert!(!contact.contains("青葉"), "one's own details are not listed as the other's");
    let company_view = company.get(&second).await.html().text("#people").unwrap();
    assert!(company_view.contains("青葉 花子") && company_view.contains("npo@example.jp"), "{company_view}");
    // The NPO records what came of it and marks the need met.
    assert_eq!(
        npo.submit(&second, &format!("{second}/outcome"), &[("outcome", "project_started")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(npo.get(&second).await.html().text("#outcome").as_deref(), Some("プロジェクト開始"));
    assert_eq!(npo.submit(&need, &format!("{need}/status"), &[("status", "met")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(npo.get(&need).await.html().text("#status").as_deref(), Some("満たされた"));
    assert_eq!(
        lawyer.submit(&need, &format!("{need}/status"), &[("status", "open")]).await.status,
        StatusCode::FORBIDDEN
    );

    // The annual report counts them.
    let secretariat = server.secretariat().await;
    let fy = socialhub::i18n::FiscalYear::of(socialhub::i18n::wareki::jst_date(chrono::Utc::now())).0;
    let report: serde_json::Value =
        serde_json::from_str(&secretariat.get(&format!("/admin/reports/annual.json?fiscal_year={fy}")).await.body)
            .unwrap();
    let i = &report["innovation"];
    assert_eq!((i["needs_posted"].as_i64(), i["needs_met"].as_i64()), (Some(1), Some(1)), "{i}");
    let intro = &i["introductions"];
    assert_eq!(
        [&intro["made"], &intro["accepted"], &intro["declined"], &intro["project_started"], &intro["met"]]
            .map(|v| v.as_i64().unwrap()),
        [2, 1, 1, 1, 0],
        "{intro}"
    );
    let page = secretariat.get(&format!("/admin/reports/annual?fiscal_year={fy}")).await.html();
    assert_eq!(page.text("#introductions-project-started").as_deref(), Some("1"));
    // So do the spreadsheets: the CSV's chapter after the sessions, the XLSX's second sheet.
    let csv = secretariat.get_bytes(&format!("/admin/reports/annual.csv?fiscal_year={fy}")).await;
    let csv = String::from_utf8(csv).unwrap();
    let chapter = csv.split("\r\nオープンイノベーション\r\n").nth(1).unwrap_or_else(|| panic!("{csv}"));
    for line in [
        "満たされた困りごと,1",
        "結果：プロジェクト開始,1",
        "うち見送りになった紹介,1",
        "コーディネーターの紹介（つなぐ）,2",
    ] {
        assert!(chapter.contains(&format!("\r\n{line}\r\n")), "{line}: {chapter}");
    }
    let xlsx = secretariat.get_bytes(&format!("/admin/reports/annual.xlsx?fiscal_year={fy}")).await;
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut book.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    assert!(read("xl/workbook.xml").contains("name=\"その他の章\""), "a sheet for the chapters");
    assert!(read("xl/sharedStrings.xml").contains("<t>満たされた困りごと</t>"));

    // The export of each holds their own posts and introductions, nothing of the other.
    let export = npo.get("/account/export").await.body;
    assert!(export.contains("チラシのデザインを10時間") && export.contains("project_started"), "{export}");
    assert!(!export.contains("宮城"));
}

/// A refused form keeps every field as typed and says what is wrong in the reader's
/// language; a member cannot post for an organisation they do not belong to.
async fn a_form_keeps_what_was_typed(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("npo@example.jp", "a password", "青葉 花子", Role::Member).await;
    server.create_account("other@example.jp", "a password", "他 人", Role::Member).await;
    let npo = log_in(&server, "npo@example.jp").await;
    let other = log_in(&server, "other@example.jp").await;
    let org = organisation(&npo, "NPO法人あおば", "npo").await;
    let page = npo
        .submit(
            "/needs/new",
            "/needs",
            &[
                ("title", "会場を探しています"),
                ("kind", "skill"),
                ("place", "若林区"),
                ("starts_on", "6月31日"),
                ("tags", "居住支援"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.html();
    assert_eq!(html.attr("#title", "value").as_deref(), Some("会場を探しています"));
    assert_eq!(html.attr("#starts_on", "value").as_deref(), Some("6月31日"));
    assert_eq!(html.attr("#tags", "value").as_deref(), Some("居住支援"));
    assert!(html.text("#skills-error").is_some() && html.text("#starts_on-error").is_some());
    // Posting for someone else's organisation is refused, as the form's error.
    let page = other
        .submit(
            "/needs/new",
            "/needs",
            &[("title", "会場"), ("kind", "place"), ("visibility", "public"), ("on_behalf", &format!("o{org}"))],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html().text("#on_behalf-error").is_some() || page.body.contains("所属する"), "{}", page.body);
    // Whatever is typed for it is the form's error, never a failure.
    for odd in ["ｏ1", "日本", "é1", "o", "p-1x"] {
        let page = other
            .submit(
                "/needs/new",
                "/needs",
                &[("title", "会場"), ("kind", "place"), ("visibility", "public"), ("on_behalf", odd)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{odd}");
    }
    // In English too.
    other.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let page =
        other.submit("/needs/new", "/needs", &[("title", ""), ("kind", "place"), ("visibility", "public")]).await;
    assert!(page.body.contains("Enter a title"), "{}", page.body);
}
