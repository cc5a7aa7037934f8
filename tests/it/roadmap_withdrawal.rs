//! A roadmap version withdrawn (issue 21): kept in the history and marked withdrawn with
//! its reason, never the lab's current version again (nor consulted on, nor a result);
//! refused while a consultation on it is open.

use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestServer, jst_day};

on_both_backends!(a_withdrawn_version_stays_in_the_history_and_is_never_current);

async fn a_withdrawn_version_stays_in_the_history_and_is_never_current(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    let office = server.secretariat().await;
    let lab = server.open_lab("居住支援").await.0;
    let (new, roadmap) = (format!("/labs/{lab}/roadmap/new"), format!("/labs/{lab}/roadmap"));
    for (body, note) in
        [("# ロードマップ\n\n相談窓口を一つ。\n", "初版"), ("# ロードマップ\n\n相談窓口を百か所。\n", "拡大")]
    {
        let saved = office.submit(&new, &roadmap, &[("body", body), ("note", note)]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let v2 = format!("{roadmap}/2");
    let withdraw = format!("{v2}/withdraw");

    // Not while people are commenting on it: refused, the reason kept.
    let window = [("version", "2".to_owned()), ("opens_on", jst_day(-1)), ("closes_on", jst_day(7))];
    let window: Vec<(&str, &str)> = window.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let consultations = format!("/labs/{lab}/consultations");
    let opened = office.submit(&format!("{consultations}/new"), &consultations, &window).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let consultation = opened.location().rsplit('/').next().unwrap().to_owned();
    let reason = [("withdrawn_note", "百か所は誤り。相談窓口の数を確かめます。")];
    let refused = office.submit(&v2, &withdraw, &reason).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(
        refused.html().text("#withdrawn_note-error").as_deref(),
        Some("この版には、受付中または受付前の意見募集があります。意見募集が終わってから取り下げてください。")
    );
    assert_eq!(refused.html().text("#withdrawn_note").as_deref(), Some(reason[0].1));

    // Never by the lead of another lab.
    let elsewhere = server.open_lab("地域自治・町内会").await.0;
    server.create_account("lead2@example.jp", "a password", "他ラボ 四郎", socialhub::account::Role::Member).await;
    let others = format!("/labs/{elsewhere}/members");
    office.submit(&others, &others, &[("email", "lead2@example.jp"), ("role", "lead")]).await;
    let lead2 = server.browser();
    lead2.log_in("lead2@example.jp", "a password").await;
    assert_eq!(lead2.submit(&format!("/labs/{elsewhere}"), &withdraw, &reason).await.status, StatusCode::FORBIDDEN);

    // Once it has closed: withdrawn, kept in the history with when and why.
    crate::labs::close_window(&server, &consultation).await;
    let withdrawn = office.submit(&v2, &withdraw, &reason).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER, "{}", withdrawn.body);
    assert_eq!(withdrawn.location(), v2);
    let reader = server.browser();
    let current = reader.get(&roadmap).await;
    assert_eq!(current.location(), format!("{roadmap}/1"), "the current version is the one before");
    let page = reader.get(&v2).await;
    assert_eq!(page.status, StatusCode::OK, "still there to read");
    let notice = page.html().text("#withdrawn").unwrap();
    assert!(notice.starts_with("この版は取り下げられました") && notice.contains(reason[0].1), "{notice}");
    assert_eq!(page.html().attr("#not-current a", "href"), Some(format!("{roadmap}/1")));
    let v1 = reader.get(&format!("{roadmap}/1")).await.html();
    assert_eq!(v1.count("#not-current"), 0, "version 1 is current again");
    let lab_page = reader.get(&format!("/labs/{lab}")).await.html();
    let listed = lab_page.texts("#roadmap-heading + ul li");
    assert!(listed[0].starts_with("第2版 取り下げ"), "{listed:?}");
    assert!(!listed[1].contains("取り下げ"), "{listed:?}");
    assert_eq!(office.get(&v2).await.html().count(&format!("form[action='{withdraw}']")), 0, "withdrawn once");
    assert_eq!(office.submit(&format!("{roadmap}/1"), &withdraw, &reason).await.status, StatusCode::NOT_FOUND);

    // Nobody consults on it any more, nor publishes it as a result.
    let form = office.get(&format!("{consultations}/new")).await.html();
    assert_eq!(form.attrs("#version option", "value"), ["1"]);
    let again = office.submit(&format!("{consultations}/new"), &consultations, &window).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let manage = office.get(&format!("/consultations/{consultation}/manage")).await.html();
    assert_eq!(manage.attrs("#result-version option", "value"), ["1"]);

    // The next version starts from the current one and takes the next number.
    let next = office.get(&new).await.html();
    assert_eq!(next.text("#body").as_deref(), Some("# ロードマップ 相談窓口を一つ。"), "(text() joins the lines)");
    let saved = office.submit(&new, &roadmap, &[("body", "# ロードマップ\n\n相談窓口を三つ。\n"), ("note", "")]).await;
    assert_eq!(saved.location(), format!("{roadmap}/3"));
    assert_eq!(reader.get(&roadmap).await.location(), format!("{roadmap}/3"));
}
