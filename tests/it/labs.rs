//! Labs, roadmaps and consultations, tried as their users would: the secretariat opens a
//! lab on an issue (its followers are told), the lead writes two versions of the roadmap
//! and opens it for comment; people comment paragraph by paragraph (anonymous comments
//! wait for moderation); after the window closes nobody can comment, and the lab
//! publishes the result table. Then who may do what, for every route and every role.

use reqwest::StatusCode;
use socialhub::account::Role;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer, jst_day};

on_both_backends!(a_lab_opens_its_roadmap_for_public_comment, who_may_do_what_with_labs);

/// The id at the end of a path like `/labs/3`.
fn last_id(path: &str) -> String {
    path.trim_end_matches('/').rsplit('/').next().unwrap().split(['#', '?']).next().unwrap().to_owned()
}

/// Moves a consultation's window into the past, as time would.
pub async fn close_window(server: &TestServer, consultation: &str) {
    let id: i64 = consultation.parse().unwrap();
    let past = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
    server
        .db
        .write(async |tx| {
            Ok::<_, socialhub::db::StoreError>(socialhub::with_tx!(tx, |c| {
                sqlx::query("UPDATE consultation SET closes_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(past)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            }))
        })
        .await
        .unwrap();
}

const ROADMAP_V1: &str = "# 居住支援ロードマップ\n\n## 1年目：相談窓口\n住まいに困った人の相談を<script>alert(1)</script>受ける。\n\n## 2年目：見守り\n入居後の見守りを地域で行う。\n";
const ROADMAP_V2: &str = "# 居住支援ロードマップ\n\n## 1年目：相談窓口\n住まいに困った人の相談を区ごとに受ける。\n\n## 2年目：見守り\n入居後の見守りを地域で行う。\n\n## 3年目：大家さんとの連携\n";

async fn a_lab_opens_its_roadmap_for_public_comment(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("m@example.jp", "member password", "会員 花子", Role::Member).await;
    server.create_account("lead@example.jp", "lead password", "居住 リーダー", Role::Member).await;
    let member = server.browser();
    member.log_in("m@example.jp", "member password").await;
    member
        .submit("/issues/new", "/issues", &[("title", "住まい探しが難しい"), ("description", "保証人がいない")])
        .await;
    let issue_href = member.get("/issues").await.html().attr(".event-item h3 a", "href").unwrap();
    let issue = last_id(&issue_href);

    // The secretariat opens a lab; a bad form keeps what was typed.
    let office = server.secretariat().await;
    let bad =
        office.submit("/labs/new", "/labs", &[("title", ""), ("description", "説明"), ("social_issue", "abc")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.html().text("#title-error").as_deref(), Some("テーマを入力してください。"));
    assert_eq!(bad.html().text("#description").as_deref(), Some("説明"), "input kept");
    let unknown = office
        .submit(
            "/labs/new",
            "/labs",
            &[("title", "居住支援"), ("social_issue", "999999"), ("founded_on", "2023-04-01")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("その番号の地域課題はありません"));
    let full_width_issue: String =
        issue.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
    let created = office
        .submit(
            "/labs/new",
            "/labs",
            &[
                ("title", "居住支援"),
                ("description", "専門領域の団体と市民、企業の**掛け算**で"),
                ("social_issue", &full_width_issue),
                ("founded_on", "2023-04-01"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let lab_path = created.location().to_owned();
    let lab = last_id(&lab_path);

    // The issue's author follows it, so they are told, on the site and by mail.
    let notes = member.get("/notifications").await;
    assert!(
        notes
            .html()
            .texts("#notifications li")
            .iter()
            .any(|t| t.contains("「住まい探しが難しい」をラボが取り上げました"))
    );
    server.deliver_mail().await;
    let mail = server.wait_for_mail("m@example.jp").await;
    assert!(mail.body.contains("ラボが取り上げました") && mail.body.contains(&format!("/labs/{lab}")), "{}", mail.body);
    let issue_page = member.get(&issue_href).await;
    assert_eq!(issue_page.html().attr("#labs-heading ~ ul a", "href").as_deref(), Some(lab_path.as_str()));
    let lab_page = member.get(&lab_path).await;
    assert_eq!(lab_page.html().attr("#lab-issue a", "href").as_deref(), Some(issue_href.as_str()));
    assert!(lab_page.body.contains("<strong>掛け算</strong>"));

    // Members and roles; an unknown address is the form's error.
    let no_one = office
        .submit(
            &format!("/labs/{lab}/members"),
            &format!("/labs/{lab}/members"),
            &[("email", "x@example.jp"), ("role", "member")],
        )
        .await;
    assert_eq!(no_one.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_one.html().attr("#email", "value").as_deref(), Some("x@example.jp"));
    assert!(no_one.body.contains("そのメールアドレスで登録している人はいません"));
    for (email, role) in [("ＬＥＡＤ@example.jp", "lead"), ("m@example.jp", "probono")] {
        let added = office
            .submit(
                &format!("/labs/{lab}/members"),
                &format!("/labs/{lab}/members"),
                &[("email", email), ("role", role)],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{email}: {}", added.body);
    }
    let members = server.browser().get(&lab_path).await.html().texts(".members li");
    assert_eq!(members, ["居住 リーダー リーダー", "会員 花子 プロボノ"]);

    // The lead writes two versions; the diff shows what changed, markup stays inert.
    let lead = server.browser();
    lead.log_in("lead@example.jp", "lead password").await;
    let empty =
        lead.submit(&format!("/labs/{lab}/roadmap/new"), &format!("/labs/{lab}/roadmap"), &[("body", " ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (body, note) in [(ROADMAP_V1, "初版"), (ROADMAP_V2, "窓口を区ごとに")] {
        let saved = lead
            .submit(
                &format!("/labs/{lab}/roadmap/new"),
                &format!("/labs/{lab}/roadmap"),
                &[("body", body), ("note", note)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let v1 = server.browser().get(&format!("/labs/{lab}/roadmap/1")).await;
    assert_eq!(v1.html().count(".roadmap .paragraph"), 3);
    assert!(!v1.body.contains("<script>alert(1)"), "sanitised");
    let diff = server.browser().get(&format!("/labs/{lab}/roadmap/2/diff")).await;
    assert_eq!(diff.status, StatusCode::OK);
    let added = diff.html().texts(".diff-added");
    let removed = diff.html().texts(".diff-removed");
    assert!(
        added.iter().any(|l| l.contains("区ごとに受ける")) && added.iter().any(|l| l.contains("大家さん")),
        "{added:?}"
    );
    assert!(
        removed.iter().any(|l| l.contains("&lt;script&gt;") || l.contains("<script>alert(1)</script>")),
        "{removed:?}"
    );
    assert!(!diff.body.contains("<script>alert(1)"), "shown as text");

    // A consultation on version 1, open from yesterday to a week from now.
    let window = [("version", "1".to_owned()), ("opens_on", jst_day(-1)), ("closes_on", jst_day(7))];
    let window: Vec<(&str, &str)> = window.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let wrong = lead
        .submit(
            &format!("/labs/{lab}/consultations/new"),
            &format!("/labs/{lab}/consultations"),
            &[("version", "1"), ("opens_on", "2024-05-01"), ("closes_on", "2024-04-30")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("最終日は開始日より後にしてください"));
    let opened =
        lead.submit(&format!("/labs/{lab}/consultations/new"), &format!("/labs/{lab}/consultations"), &window).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let c_path = opened.location().to_owned();
    let c = last_id(&c_path);
    assert!(server.browser().get("/labs").await.body.contains(&c_path), "listed as open");
    let feed = server.browser().get("/issues.atom").await.body;
    assert!(
        feed.contains(&format!("/consultations/{c}")) && feed.contains("居住支援ロードマップへの意見募集"),
        "{feed}"
    );

    // Comments by paragraph: a visitor's waits, a member's signed one shows, an unsigned one waits.
    let visitor = server.browser();
    let page = visitor.get(&c_path).await;
    assert_eq!(page.html().count("form[action$='/comments'] textarea"), 3, "a form under each paragraph");
    let refused =
        visitor.submit(&c_path, &format!("/consultations/{c}/comments"), &[("paragraph", "2"), ("body", "  ")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().text("#body-error").as_deref(), Some("ご意見を入力してください。"));
    let sent = visitor
        .submit(
            &c_path,
            &format!("/consultations/{c}/comments"),
            &[("paragraph", "2"), ("body", "夜間も<b>相談</b>できると良い")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let no_paragraph =
        visitor.submit(&c_path, &format!("/consultations/{c}/comments"), &[("paragraph", "9"), ("body", "x")]).await;
    assert_eq!(no_paragraph.status, StatusCode::UNPROCESSABLE_ENTITY);
    member
        .submit(&c_path, &format!("/consultations/{c}/comments"), &[("paragraph", "2"), ("body", "区役所にも窓口を")])
        .await;
    member
        .submit(
            &c_path,
            &format!("/consultations/{c}/comments"),
            &[("paragraph", "3"), ("body", "匿名の意見です"), ("anonymous", "yes")],
        )
        .await;
    let public = visitor.get(&c_path).await;
    let shown = public.html().texts("#paragraph-2 .comment");
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("会員 花子") && shown[0].contains("区役所にも窓口を"));
    assert!(!public.body.contains("匿名の意見です") && !public.body.contains("夜間も"), "waiting for moderation");

    // The lead moderates: approves the visitor's, hides the other with a reason.
    let manage = lead.get(&format!("/consultations/{c}/manage")).await;
    assert_eq!(manage.html().text("#count-pending").as_deref(), Some("2"));
    let actions = manage.html().attrs("form[action$='/moderation']", "action");
    assert_eq!(actions.len(), 3, "{actions:?}");
    let pending_of = |text: &str| {
        let ids = manage.html().attrs(".comment", "id");
        let texts = manage.html().texts(".comment");
        let i = texts.iter().position(|t| t.contains(text)).unwrap();
        ids[i].trim_start_matches("comment-").to_owned()
    };
    let (night, anon) = (pending_of("夜間も"), pending_of("匿名の意見です"));
    let moderation = |k: &str| format!("/consultations/{c}/comments/{k}/moderation");
    lead.submit(&format!("/consultations/{c}/manage"), &moderation(&night), &[("action", "approve")]).await;
    lead.submit(&format!("/consultations/{c}/manage"), &moderation(&anon), &[("action", "hide"), ("reason", "重複")])
        .await;
    let public = visitor.get(&c_path).await;
    let shown = public.html().texts("#paragraph-2 .comment");
    assert_eq!(shown.len(), 2);
    assert!(
        public.body.contains("夜間も&lt;b&gt;相談&lt;/b&gt;できると良い") || public.body.contains("夜間も&#60;b&#62;")
    );
    assert!(!public.body.contains("匿名の意見です"));

    // A reader reports a comment; the lab sees the report. A hidden one cannot be reported.
    let signed = pending_of("区役所にも窓口を");
    let reported = visitor
        .submit(&c_path, &format!("/consultations/{c}/comments/{signed}/report"), &[("reason", "事実と違う")])
        .await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER);
    let hidden =
        visitor.submit(&c_path, &format!("/consultations/{c}/comments/{anon}/report"), &[("reason", "x")]).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let reports = lead.get(&format!("/consultations/{c}/manage")).await.html().texts("#reports li");
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(reports[0].contains(&format!("#{signed}")) && reports[0].contains("事実と違う"), "{reports:?}");

    // The window closes: comments are read-only; nobody can comment any more.
    close_window(&server, &c).await;
    let closed = visitor.get(&c_path).await;
    assert_eq!(closed.html().text("#phase").as_deref(), Some("締め切り"));
    assert_eq!(closed.html().count("form[action$='/comments']"), 0, "no comment form");
    assert_eq!(closed.html().texts("#paragraph-2 .comment").len(), 2, "still readable");
    let late = member
        .submit(&c_path, &format!("/consultations/{c}/comments"), &[("paragraph", "1"), ("body", "遅れました")])
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("意見の受付期間ではないため"));

    // The result: grouped comments and the lab's response, linked to version 2, drafted on
    // the workbench by ticking the comments a row answers.
    let responses = format!("/consultations/{c}/responses");
    let manage_path = format!("/consultations/{c}/manage");
    let workbench = format!("/consultations/{c}/workbench");
    let bench = lead.get(&workbench).await.html();
    assert_eq!(
        bench.text("#unanswered").as_deref(),
        Some("まだ回答していない意見：2件（結果の行で答えるか、範囲外とします）")
    );
    let mut ticks = bench.attrs("input[name='comment']", "value");
    ticks.sort();
    let mut expected = vec![night.clone(), signed.clone()];
    expected.sort();
    assert_eq!(ticks, expected, "the two published comments, the hidden one not among them");
    let early = lead.submit(&manage_path, &format!("/consultations/{c}/publish"), &[("version", "2")]).await;
    assert_eq!(early.location(), workbench, "not published while comments are unanswered");
    let wrong = lead
        .submit(
            &workbench,
            &responses,
            &[("paragraph", "2"), ("summary", "窓口"), ("response", "対応"), ("comment", &anon)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "a hidden comment cannot be answered");
    assert_eq!(wrong.html().text("#summary-2").as_deref(), Some("窓口"), "input kept");
    let row = lead
        .submit(
            &workbench,
            &responses,
            &[
                ("paragraph", "２"),
                ("summary", "相談窓口を身近な場所に、夜間にも"),
                ("response", "第2版で区ごとに窓口を設けることにしました。"),
                ("changed", "yes"),
                ("change_reason", "区ごとの窓口を加えました。"),
                ("comment", &night),
                ("comment", &signed),
            ],
        )
        .await;
    assert_eq!(row.status, StatusCode::SEE_OTHER, "{}", row.body);
    assert_eq!(
        lead.get(&manage_path).await.html().text("#unanswered").as_deref(),
        Some("まだ回答していない意見：0件（結果の行で答えるか、範囲外とします）")
    );
    let published = lead.submit(&manage_path, &format!("/consultations/{c}/publish"), &[("version", "2")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let result = visitor.get(&c_path).await;
    assert_eq!(result.html().text("#phase").as_deref(), Some("結果公表"));
    let rows = result.html().texts(".result-table tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains("相談窓口を身近な場所に")
            && rows[0].contains("区ごとに窓口を設けることにしました")
            && rows[0].contains('2')
            && rows[0].contains("有")
            && rows[0].contains("区ごとの窓口を加えました。")
    );
    assert_eq!(result.html().attr("#result-version", "href"), Some(format!("/labs/{lab}/roadmap/2")));
    // What version 2 changed, each change with the rows that said so.
    let changes = result.html().texts(".amendment h4");
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes[0].starts_with("第2段落") && changes[0].ends_with("結果の表の番号 1"), "{changes:?}");
    assert_eq!(changes[1], "第3段落", "added after the third, by no row");
    assert!(result.html().texts(".amendment ins").iter().any(|t| t.contains("相談を区ごとに受ける。")));

    // Meetings: members record them, only members read the minutes; they count in the report.
    let meeting = format!("/labs/{lab}/meetings");
    let bad_meeting = lead
        .submit(&format!("{meeting}/new"), &meeting, &[("held_on", "10月19日"), ("others", "５"), ("minutes", "共有")])
        .await;
    assert_eq!(bad_meeting.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_meeting.html().attr("#others", "value").as_deref(), Some("５"));
    let ok = lead
        .submit(
            &format!("{meeting}/new"),
            &meeting,
            &[("held_on", "2023-10-19"), ("others", "５"), ("minutes", "支援ケースを共有した")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(member.get(&lab_path).await.body.contains("支援ケースを共有した"), "a member reads the minutes");
    // A record is corrected (and a wrong one deleted), so the report counts what happened.
    lead.submit(&format!("{meeting}/new"), &meeting, &[("held_on", "2023-11-01"), ("others", "99")]).await;
    let edits = lead.get(&lab_path).await.html().attrs("a[href$='/edit'][href*='/meetings/']", "href");
    assert_eq!(edits.len(), 2, "{edits:?}");
    let wrong = edits[0].trim_end_matches("/edit").to_owned();
    let refused = lead.submit(&edits[0], &wrong, &[("held_on", "2023-11-01"), ("others", "九十九")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.html().attr("#held_on", "value").as_deref(), Some("2023-11-01"), "input kept");
    assert_eq!(
        visitor.submit(&lab_path, &format!("{wrong}/delete"), &[]).await.status,
        StatusCode::SEE_OTHER,
        "log in first"
    );
    assert_eq!(lead.submit(&edits[0], &format!("{wrong}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
    let fixed = lead
        .submit(
            &edits[1],
            edits[1].trim_end_matches("/edit"),
            &[("held_on", "2023-10-19"), ("others", "5"), ("minutes", "支援ケースを共有した")],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER);
    let outside = visitor.get(&lab_path).await;
    assert!(outside.body.contains("参加 5人") && !outside.body.contains("支援ケースを共有した"));
    let report = office.get("/admin/reports/annual?fiscal_year=2023&kind=info_exchange").await;
    let line = report.html().texts("#lab-activity tbody tr");
    assert_eq!(line, ["居住支援 1 0 5 0 0"], "{}", report.body);

    // The same pages in English.
    let english = server.browser();
    english.submit("/", "/lang", &[("lang", "en"), ("next", "/")]).await;
    let page = english.get(&lab_path).await;
    assert_eq!(page.html().text("#members-heading").as_deref(), Some("Members"));
    assert!(page.body.contains("Lead") && page.body.contains("Pro bono"), "roles in English");
    let page = english.get(&c_path).await;
    assert_eq!(page.html().text("#phase").as_deref(), Some("result published"));
    assert_eq!(page.html().text("#result-heading").as_deref(), Some("Result of the public comment"));
    assert!(page.html().texts(".result-table th").iter().any(|t| t == "The lab's response"));
    let diff = english.get(&format!("/labs/{lab}/roadmap/2/diff")).await;
    assert!(diff.html().text("#diff-summary").unwrap_or_default().contains("lines added"));

    // 会員 花子 leaves: her lab role and follows go, her signed comment stays without her name.
    let export: serde_json::Value = serde_json::from_str(&member.get("/account/export").await.body).unwrap();
    assert_eq!(export["labs"][0]["role"], "probono");
    let comments = export["consultation_comments"].as_array().cloned().unwrap_or_default();
    assert_eq!(comments.len(), 1, "the unsigned comment keeps no link to her: {export}");
    assert_eq!(comments[0]["body"], "区役所にも窓口を");
    member.submit("/account/delete", "/account/delete", &[("password", "member password")]).await;
    assert_eq!(visitor.get(&lab_path).await.html().texts(".members li"), ["居住 リーダー リーダー"]);
    let page = visitor.get(&c_path).await;
    let kept = page.html().texts("#paragraph-2 .comment");
    assert!(
        kept.iter().any(|k| k.contains("区役所にも窓口を") && k.contains("匿名") && !k.contains("会員 花子")),
        "{kept:?}"
    );
}

/// A form to post: the page its token comes from, the action, the fields, and whether
/// the admin, the lab's lead and a lab member may post it.
type Case = (String, String, Vec<(&'static str, String)>, [bool; 3]);

/// Every lab route for every kind of reader.
async fn who_may_do_what_with_labs(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.add_tenant("tagajo", "多賀城ソーシャルハブ", "tagajo.test").await;
    let tagajo = socialhub::tenant::store::get_by_slug(&server.db, "tagajo").await.unwrap();
    for (email, name, role) in [
        ("lead@example.jp", "リーダー", Role::Member),
        ("labber@example.jp", "ラボ会員", Role::Member),
        ("member@example.jp", "会員", Role::Member),
        ("coord@example.jp", "コーディネーター", Role::Coordinator),
        ("advisor@example.jp", "アドバイザー", Role::Member),
    ] {
        server.create_account(email, "a password", name, role).await;
    }
    server.create_account_in(tagajo.id, "office@tagajo.jp", "tagajo password", "多賀城 事務局", Role::Admin).await;
    let admin = server.secretariat().await;
    let lab_path = admin
        .submit("/labs/new", "/labs", &[("title", "地域自治・町内会"), ("founded_on", "2023-10-01")])
        .await
        .location()
        .to_owned();
    let lab = last_id(&lab_path);
    for (email, role) in [("lead@example.jp", "lead"), ("labber@example.jp", "member")] {
        admin
            .submit(
                &format!("/labs/{lab}/members"),
                &format!("/labs/{lab}/members"),
                &[("email", email), ("role", role)],
            )
            .await;
    }
    let log_in = |email: &'static str| {
        let b = server.browser();
        async move {
            b.log_in(email, "a password").await;
            b
        }
    };
    let lead = log_in("lead@example.jp").await;
    let labber = log_in("labber@example.jp").await;
    let member = log_in("member@example.jp").await;
    let coordinator = log_in("coord@example.jp").await;
    let anonymous = server.browser();
    let other_center = server.browser_at("tagajo.test");
    other_center.log_in("office@tagajo.jp", "tagajo password").await;

    lead.submit(
        &format!("/labs/{lab}/roadmap/new"),
        &format!("/labs/{lab}/roadmap"),
        &[("body", "第一段落\n\n第二段落")],
    )
    .await;
    let window = [("version", "1".to_owned()), ("opens_on", jst_day(-1)), ("closes_on", jst_day(3))];
    let window: Vec<(&str, &str)> = window.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let c_path = lead
        .submit(&format!("/labs/{lab}/consultations/new"), &format!("/labs/{lab}/consultations"), &window)
        .await
        .location()
        .to_owned();
    let c = last_id(&c_path);
    anonymous.submit(&c_path, &format!("/consultations/{c}/comments"), &[("paragraph", "1"), ("body", "意見")]).await;
    let meetings = format!("/labs/{lab}/meetings");
    admin.submit(&format!("{meetings}/new"), &meetings, &[("held_on", "2024-02-04"), ("attendees", "8")]).await;
    let edit_meeting = admin.get(&lab_path).await.html().attr("a[href$='/edit'][href*='/meetings/']", "href").unwrap();
    let meeting = edit_meeting.trim_end_matches("/edit").to_owned();
    let comment =
        last_id(&lead.get(&format!("/consultations/{c}/manage")).await.html().attr(".comment", "id").unwrap())
            .trim_start_matches("comment-")
            .to_owned();

    // Public pages: everyone in the center reads them; another center sees nothing.
    let public = [
        "/labs".to_owned(),
        lab_path.clone(),
        format!("/labs/{lab}/roadmap/1"),
        format!("/labs/{lab}/roadmap"),
        c_path.clone(),
    ];
    for who in [&anonymous, &member, &labber, &lead, &coordinator, &admin] {
        for path in &public {
            let page = who.get(path).await;
            assert!(page.status.is_success() || page.status == StatusCode::SEE_OTHER, "GET {path}: {}", page.status);
        }
    }
    for path in &public[1..] {
        assert_eq!(other_center.get(path).await.status, StatusCode::NOT_FOUND, "other center GET {path}");
    }
    assert!(!other_center.get("/labs").await.body.contains("地域自治・町内会"));

    // (page to take the token from, action, fields, who may: admin, lead, lab member)
    let cases: Vec<Case> = vec![
        (
            "/labs".into(),
            "/labs".into(),
            vec![("title", "新しいラボ".into()), ("founded_on", "2023-10-01".into())],
            [true, false, false],
        ),
        (
            lab_path.clone(),
            format!("/labs/{lab}"),
            vec![("title", "地域自治・町内会".into()), ("founded_on", "2023-10-01".into())],
            [true, true, false],
        ),
        (
            lab_path.clone(),
            format!("/labs/{lab}/members"),
            vec![("email", "advisor@example.jp".into()), ("role", "advisor".into())],
            [true, true, false],
        ),
        (
            lab_path.clone(),
            format!("/labs/{lab}/meetings"),
            vec![("held_on", "2024-02-04".into()), ("attendees", "3".into())],
            [true, true, true],
        ),
        (
            lab_path.clone(),
            meeting.clone(),
            vec![("held_on", "2024-02-04".into()), ("attendees", "9".into())],
            [true, true, true],
        ),
        (lab_path.clone(), format!("/labs/{lab}/roadmap"), vec![("body", "改訂".into())], [true, true, false]),
        (
            lab_path.clone(),
            format!("/labs/{lab}/consultations"),
            vec![("version", "1".into()), ("opens_on", "2030-01-01".into()), ("closes_on", "2030-01-31".into())],
            [true, true, false],
        ),
        (
            c_path.clone(),
            format!("/consultations/{c}/comments/{comment}/moderation"),
            vec![("action", "approve".into())],
            [true, true, false],
        ),
        (
            c_path.clone(),
            format!("/consultations/{c}/responses"),
            vec![("paragraph", "1".into()), ("summary", "s".into()), ("response", "r".into())],
            [true, true, false],
        ),
        (c_path.clone(), format!("/consultations/{c}/publish"), vec![("version", "1".into())], [true, true, false]),
    ];
    let gets = [
        ("/labs/new".to_owned(), [true, false, false]),
        (format!("/labs/{lab}/edit"), [true, true, false]),
        (format!("/labs/{lab}/members"), [true, true, false]),
        (format!("/labs/{lab}/meetings/new"), [true, true, true]),
        (edit_meeting.clone(), [true, true, true]),
        (format!("/labs/{lab}/roadmap/new"), [true, true, false]),
        (format!("/labs/{lab}/consultations/new"), [true, true, false]),
        (format!("/consultations/{c}/manage"), [true, true, false]),
    ];
    let readers: [(&str, &Browser, Option<usize>); 6] = [
        ("admin", &admin, Some(0)),
        ("lead", &lead, Some(1)),
        ("lab member", &labber, Some(2)),
        ("member of no lab", &member, None),
        ("coordinator", &coordinator, None),
        ("visitor", &anonymous, None),
    ];
    for (who, b, index) in readers {
        let allowed = |may: &[bool; 3]| index.is_some_and(|i| may[i]);
        for (path, may) in &gets {
            let status = b.get(path).await.status.as_u16();
            let expected = if allowed(may) {
                200
            } else if who == "visitor" {
                303
            } else {
                403
            };
            assert_eq!(status, expected, "{who} GET {path}");
        }
        for (page, action, fields, may) in &cases {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let status = b.submit(page, action, &fields).await.status.as_u16();
            if allowed(may) {
                assert!(status == 303 || status == 422, "{who} POST {action}: {status}");
            } else {
                let expected = if who == "visitor" { 303 } else { 403 };
                assert_eq!(status, expected, "{who} POST {action}");
            }
        }
    }
    // Another center's secretariat: nothing of this center exists for them.
    assert_eq!(member.submit(&lab_path, &format!("{meeting}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other_center.submit("/labs", &format!("{meeting}/delete"), &[]).await.status, StatusCode::NOT_FOUND);
    for path in [format!("/labs/{lab}/edit"), format!("/consultations/{c}/manage"), edit_meeting.clone()] {
        assert_eq!(other_center.get(&path).await.status, StatusCode::NOT_FOUND, "other center GET {path}");
    }
    for (_, action, fields, _) in &cases[1..] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            other_center.submit("/labs", action, &fields).await.status,
            StatusCode::NOT_FOUND,
            "other center POST {action}"
        );
    }
    let report = format!("/consultations/{c}/comments/{comment}/report");
    assert_eq!(other_center.submit("/labs", &report, &[("reason", "x")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(anonymous.submit(&c_path, &report, &[("reason", "x")]).await.status, StatusCode::SEE_OTHER);
    // Forged forms without a token change nothing.
    assert_eq!(admin.post_raw(&format!("/labs/{lab}/roadmap"), &[("body", "x")]).await.status, StatusCode::FORBIDDEN);
}

on_both_backends!(markup_typed_into_a_lab_stays_inert);

/// Script and markup sent through every text field of labs, meetings, roadmaps and
/// consultations come back escaped (plain text) or sanitised (Markdown).
async fn markup_typed_into_a_lab_stays_inert(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    const XSS: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let office = server.secretariat().await;
    let lab_path = office
        .submit(
            "/labs/new",
            "/labs",
            &[("title", &format!("題{XSS}")), ("description", &format!("説明{XSS}")), ("founded_on", "2023-10-01")],
        )
        .await
        .location()
        .to_owned();
    let lab = last_id(&lab_path);
    let meeting = format!("/labs/{lab}/meetings");
    office
        .submit(&format!("{meeting}/new"), &meeting, &[("held_on", "2024-01-10"), ("attendees", "3"), ("minutes", XSS)])
        .await;
    office
        .submit(&format!("/labs/{lab}/roadmap/new"), &format!("/labs/{lab}/roadmap"), &[("body", XSS), ("note", XSS)])
        .await;
    let window = [("version", "1".to_owned()), ("opens_on", jst_day(-1)), ("closes_on", jst_day(1))];
    let window: Vec<(&str, &str)> = window.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let c_path = office.submit(&lab_path, &format!("/labs/{lab}/consultations"), &window).await.location().to_owned();
    let c = last_id(&c_path);
    office.submit(&c_path, &format!("/consultations/{c}/comments"), &[("paragraph", "1"), ("body", XSS)]).await;
    close_window(&server, &c).await;
    let comment = office.get(&format!("/consultations/{c}/manage")).await.html().attr(".comment", "id").unwrap();
    let comment = comment.trim_start_matches("comment-").to_owned();
    office
        .submit(
            &format!("/consultations/{c}/manage"),
            &format!("/consultations/{c}/responses"),
            &[("paragraph", "1"), ("summary", XSS), ("response", XSS), ("comments", &comment)],
        )
        .await;
    office.submit(&c_path, &format!("/consultations/{c}/publish"), &[("version", "1")]).await;
    for path in [
        "/labs".to_owned(),
        lab_path.clone(),
        format!("/labs/{lab}/roadmap/1"),
        c_path.clone(),
        format!("/consultations/{c}/manage"),
        "/issues.atom".to_owned(),
    ] {
        let page = office.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("<script>alert"), "{path}: a script came back");
        assert!(
            !page.body.contains("<img src=x onerror") && !page.body.contains("onerror=\"alert"),
            "{path}: a handler came back"
        );
    }
}

on_both_backends!(a_study_session_belongs_to_its_lab);

async fn a_study_session_belongs_to_its_lab(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let lab_path = office
        .submit("/labs/new", "/labs", &[("title", "居住支援"), ("founded_on", "2023-04-01")])
        .await
        .location()
        .to_owned();
    let lab = last_id(&lab_path);
    let form = office.get("/admin/events/new").await;
    assert_eq!(form.html().text(&format!("#lab option[value='{lab}']")).as_deref(), Some("居住支援"));
    let fields = |lab: &str| {
        [
            ("kind", "study".to_owned()),
            ("title", "事例勉強会：母子向け居住支援".to_owned()),
            ("date", "2023-07-10".to_owned()),
            ("start_time", "19:00".to_owned()),
            ("end_time", "20:30".to_owned()),
            ("venue", "サポートセンター".to_owned()),
            ("lab", lab.to_owned()),
        ]
    };
    let bad = fields("999999");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = office.submit("/admin/events/new", "/admin/events", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("そのラボはありません"));
    assert_eq!(refused.html().attr("#title", "value").as_deref(), Some("事例勉強会：母子向け居住支援"), "input kept");
    let good = fields(&lab);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = office.submit("/admin/events/new", "/admin/events", &good).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let admin_path = created.location().to_owned();
    office.submit(&admin_path, &format!("{admin_path}/status"), &[("status", "published")]).await;
    let event = last_id(&admin_path);
    let page = server.browser().get(&format!("/events/{event}")).await;
    assert_eq!(page.html().attr("dd a[href^='/labs/']", "href").as_deref(), Some(lab_path.as_str()));
    let lab_page = server.browser().get(&lab_path).await;
    assert!(lab_page.html().texts("#events-heading ~ ul li").iter().any(|t| t.contains("母子向け居住支援")));
    let report = office.get("/admin/reports/annual?fiscal_year=2023&kind=study").await;
    assert_eq!(report.html().texts("#lab-activity tbody tr"), ["居住支援 0 0 0 1 0"]);
}
