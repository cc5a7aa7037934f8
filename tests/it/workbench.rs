//! The consultation workbench (issue 19): comments received outside the page taken in
//! through the command line, all or nothing; copies folded with the right counts; the
//! groups measured against the themes the comments were written in.
//!
//! The fixtures (`tests/fixtures/consultations/`) are consultations of our own: a lab's
//! roadmap, its comments (`段落,意見,提出方法`) written in several themes per paragraph
//! with form letters copied, some with a line changed, and the theme of each comment.

use reqwest::StatusCode;
use socialhub::account::Role;
use socialhub::consultation::reading::adjusted_rand_index;

use crate::on_both_backends;
use crate::support::{Backend, Browser, TestServer, jst_day, run_cli};

on_both_backends!(
    received_comments_are_folded_and_grouped_through_the_command_line,
    a_lead_enters_paper_comments_folds_and_drafts_the_result_on_the_workbench,
    the_lab_renames_merges_splits_and_moves_groups,
    a_lead_imports_received_comments_from_a_csv_file_on_the_workbench,
);

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/consultations/");

/// The fixtures, the form letters in each: (paragraph, how many comments the fold of its
/// copies, identical and near, holds), and what the grouping achieves on it (adjusted Rand
/// index against the themes), kept from slipping back. The issue's aim is 0.75; see
/// docs/performance.md for the figures. `bosai` was written after the grouping was tuned
/// and never tuned on: it shows what an unseen consultation gets.
/// A fixture: its name, its form letters, the least index of agreement it must keep.
type Fixture = (&'static str, [(i64, usize); 2], f64);

const CONSULTATIONS: [Fixture; 3] =
    [("kyoju", [(2, 15), (3, 12)], 0.55), ("chonaikai", [(2, 23), (5, 17)], 0.55), ("bosai", [(2, 7), (3, 6)], 0.40)];

/// A lab 居住支援 led by lead@example.jp (who has an account), its roadmap (the kyoju
/// fixture) and a consultation open on it from yesterday to next week: the lead's browser
/// and the consultation's id.
async fn lab_with_open_consultation(server: &TestServer) -> (Browser, String) {
    let office = server.secretariat().await;
    let lead = server.browser();
    lead.log_in("lead@example.jp", "a password").await;
    let created = office.submit("/labs/new", "/labs", &[("title", "居住支援"), ("founded_on", "2023-10-01")]).await;
    let lab = created.location().rsplit('/').next().unwrap().to_owned();
    let members = format!("/labs/{lab}/members");
    office.submit(&members, &members, &[("email", "lead@example.jp"), ("role", "lead")]).await;
    let roadmap = std::fs::read_to_string(format!("{FIXTURES}kyoju.roadmap.md")).unwrap();
    lead.submit(&format!("/labs/{lab}/roadmap/new"), &format!("/labs/{lab}/roadmap"), &[("body", &roadmap)]).await;
    let opened = lead
        .submit(
            &format!("/labs/{lab}/consultations/new"),
            &format!("/labs/{lab}/consultations"),
            &[("version", "1"), ("opens_on", &jst_day(-1)), ("closes_on", &jst_day(7))],
        )
        .await;
    let c = opened.location().rsplit('/').next().unwrap().to_owned();
    (lead, c)
}

async fn received_comments_are_folded_and_grouped_through_the_command_line(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("lead@example.jp", "a password", "主宰 花子", Role::Member).await;
    let office = server.secretariat().await;
    let lead = server.browser();
    lead.log_in("lead@example.jp", "a password").await;
    let dir = tempfile::tempdir().unwrap();
    let env = [("SOCIALHUB_DATABASE_URL", server.database_url.as_str()), ("LANG", "ja")];
    let cli = |args: &[&str]| run_cli(args, &env, dir.path());

    for (name, letters, floor) in CONSULTATIONS {
        // The lab, its roadmap and a consultation open on it.
        let created = office.submit("/labs/new", "/labs", &[("title", name), ("founded_on", "2023-10-01")]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let lab = created.location().rsplit('/').next().unwrap().to_owned();
        let members = format!("/labs/{lab}/members");
        office.submit(&members, &members, &[("email", "lead@example.jp"), ("role", "lead")]).await;
        let roadmap = std::fs::read_to_string(format!("{FIXTURES}{name}.roadmap.md")).unwrap();
        let saved = lead
            .submit(&format!("/labs/{lab}/roadmap/new"), &format!("/labs/{lab}/roadmap"), &[("body", &roadmap)])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let opened = lead
            .submit(
                &format!("/labs/{lab}/consultations/new"),
                &format!("/labs/{lab}/consultations"),
                &[("version", "1"), ("opens_on", &jst_day(-1)), ("closes_on", &jst_day(7))],
            )
            .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);

        // The command line lists it with its id.
        let (code, out, err) = cli(&["consultation", "list", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let list: serde_json::Value = serde_json::from_str(&out).unwrap();
        let listed = list.as_array().unwrap().iter().find(|c| c["lab"] == name).expect("listed");
        assert_eq!((listed["phase"].as_str(), listed["version"].as_i64()), (Some("open"), Some(1)));
        let id = listed["id"].as_i64().unwrap().to_string();

        // A file with a mistake takes nothing, and says where.
        let csv = std::fs::read(format!("{FIXTURES}{name}.csv")).unwrap();
        let mut wrong = csv.clone();
        wrong.extend_from_slice("9,段落がない,紙\r\n1,,会場\r\n".as_bytes());
        let rows = csv.iter().filter(|b| **b == b'\n').count();
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, &wrong).unwrap();
        let (code, _, err) = cli(&["consultation", "comments", "import", "--id", &id, bad.to_str().unwrap()]);
        assert_eq!(code, 1);
        assert!(err.contains(&format!("{}行目「段落」", rows + 1)), "{err}");
        assert!(err.contains(&format!("{}行目「意見」: 意見が空です。", rows + 2)), "{err}");
        assert!(err.contains("2件の誤りがあるため、何も取り込みませんでした。"), "{err}");
        let (_, out, _) = cli(&["consultation", "groups", "--id", &id, "--format", "json"]);
        assert_eq!(
            out.trim(),
            r#"{
  "paragraphs": []
}"#
        );

        // The file as written is taken whole.
        let good = dir.path().join(format!("{name}.csv"));
        std::fs::write(&good, &csv).unwrap();
        let (code, out, err) = cli(&["consultation", "comments", "import", "--id", &id, good.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), format!("{}件の意見を取り込みました。", rows - 1));

        // Folded and grouped: every comment once, copies counted in their fold.
        let (code, out, err) = cli(&["consultation", "groups", "--id", &id, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let groups: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut reader = csv::Reader::from_reader(&csv[..]);
        let comments: Vec<(i64, String)> =
            reader.records().map(|r| r.unwrap()).map(|r| (r[0].parse().unwrap(), r[1].to_owned())).collect();
        let themes: Vec<String> = std::fs::read_to_string(format!("{FIXTURES}{name}.themes.txt"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(themes.len(), comments.len());
        let mut seen = vec![false; comments.len()];
        let (mut truth, mut found) = (Vec::new(), Vec::new());
        let mut theme_ids = std::collections::HashMap::new();
        let mut group_number = 0;
        for p in groups["paragraphs"].as_array().unwrap() {
            let paragraph = p["paragraph"].as_i64().unwrap();
            let mut counts = Vec::new();
            for g in p["groups"].as_array().unwrap() {
                assert!(!g["label"].as_str().unwrap().is_empty());
                for e in g["entries"].as_array().unwrap() {
                    let texts: Vec<&str> = e["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
                    assert_eq!(e["count"].as_u64(), Some(texts.len() as u64));
                    assert_eq!(e["text"].as_str(), Some(texts[0]));
                    counts.push(texts.len());
                    for t in texts {
                        let at = (0..comments.len())
                            .find(|&i| !seen[i] && comments[i].0 == paragraph && comments[i].1 == t)
                            .unwrap_or_else(|| {
                                panic!("{name}: {t} is not a comment of paragraph {paragraph}, or twice")
                            });
                        seen[at] = true;
                        let next = theme_ids.len();
                        truth.push(*theme_ids.entry(themes[at].clone()).or_insert(next));
                        found.push(group_number);
                    }
                }
                group_number += 1;
            }
            // Each form letter's copies are one entry with their number; nothing else is folded.
            let mut expected: Vec<usize> = letters.iter().filter(|(lp, _)| *lp == paragraph).map(|(_, n)| *n).collect();
            counts.sort_unstable_by(|a, b| b.cmp(a));
            let folded: Vec<usize> = counts.iter().copied().filter(|&c| c > 1).collect();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            assert_eq!(folded, expected, "{name} paragraph {paragraph}: folds");
        }
        assert!(seen.iter().all(|s| *s), "{name}: every comment is in a group");
        let ari = adjusted_rand_index(&truth, &found);
        eprintln!("{name}: adjusted Rand index of the groups against the themes {ari:.3}");
        assert!(ari >= floor, "{name}: {ari:.3}");
    }
}

/// Tried as a lab's lead would: paper comments entered (a wrong one kept as typed), copies
/// shown folded with their count, a fold undone and done again, a comment marked outside
/// the scope, a row drafted by ticking while the window is still open.
async fn a_lead_enters_paper_comments_folds_and_drafts_the_result_on_the_workbench(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("lead@example.jp", "a password", "主宰 花子", Role::Member).await;
    server.create_account("member@example.jp", "a password", "会員 次郎", Role::Member).await;
    let (lead, c) = lab_with_open_consultation(&server).await;
    let workbench = format!("/consultations/{c}/workbench");
    let received = format!("/consultations/{c}/received");

    // Paper comments: a form letter three times (one with its punctuation changed), and
    // another; a wrong address is refused with what was typed kept.
    let letter = "保証料の一部を市が補助する制度をつくってください。家賃の安い物件ほど保証料の負担が重く、年金暮らしの高齢者には払えません。";
    let wrong = lead
        .submit(
            &workbench,
            &received,
            &[("paragraph", "2"), ("channel", "paper"), ("received-body", letter), ("received-contact", "宛先なし")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.html().text("#received-body").as_deref(), Some(letter));
    assert_eq!(wrong.html().attr("#received-contact", "value").as_deref(), Some("宛先なし"));
    assert!(wrong.html().text("#received-contact-error").is_some());
    let copy = letter.replace('。', "．");
    for (body, channel, contact) in [
        (letter, "paper", "hanako@example.jp"),
        (letter, "fax", ""),
        (copy.as_str(), "post", ""),
        ("協力してくれる不動産会社をもっと増やしてほしい。", "venue", ""),
    ] {
        let sent = lead
            .submit(
                &workbench,
                &received,
                &[("paragraph", "2"), ("channel", channel), ("received-body", body), ("received-contact", contact)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let page = lead.get(&workbench).await.html();
    assert_eq!(
        page.text("#unanswered").as_deref(),
        Some("まだ回答していない意見：4件（結果の行で答えるか、範囲外とします）")
    );
    let legends = page.texts("#paragraph-2 ~ form legend, .comment-group legend");
    assert!(legends.iter().any(|l| l.contains("3件（うち同文 3件）")), "{legends:?}");
    let values = page.attrs("input[name='comment']", "value");
    let folded = values.iter().find(|v| v.split(' ').count() == 3).expect("the copies are one entry").clone();
    let single = values.iter().find(|v| !v.contains(' ')).expect("the other comment").clone();
    assert_eq!(values.len(), 2);

    // The fold undone: three entries; done again: one.
    let undo = lead
        .submit(&workbench, &format!("/consultations/{c}/folds"), &[("action", "apart"), ("comment", &folded)])
        .await;
    assert_eq!(undo.status, StatusCode::SEE_OTHER);
    assert_eq!(lead.get(&workbench).await.html().attrs("input[name='comment']", "value").len(), 4);
    lead.submit(&workbench, &format!("/consultations/{c}/folds"), &[("action", "fold"), ("comment", &folded)]).await;
    assert_eq!(lead.get(&workbench).await.html().attrs("input[name='comment']", "value").len(), 2);

    // Outside the scope, then back; a row drafted while the window is open.
    let out =
        lead.submit(&workbench, &format!("/consultations/{c}/scope"), &[("action", "out"), ("comment", &single)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let page = lead.get(&workbench).await.html();
    assert_eq!(
        page.text("#unanswered").as_deref(),
        Some("まだ回答していない意見：3件（結果の行で答えるか、範囲外とします）")
    );
    assert!(page.texts(".entries li").iter().any(|t| t.contains("協力してくれる不動産会社") && t.contains("範囲外")));
    let empty = lead
        .submit(
            &workbench,
            &format!("/consultations/{c}/responses"),
            &[("paragraph", "2"), ("summary", "補助を"), ("response", "検討します")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "a row answers some comment");
    assert!(empty.html().text("#comments-2").is_some());
    assert_eq!(empty.html().text("#summary-2").as_deref(), Some("補助を"));
    let row = lead
        .submit(
            &workbench,
            &format!("/consultations/{c}/responses"),
            &[
                ("paragraph", "2"),
                ("summary", "保証料の補助を求める意見"),
                ("response", "市と協議します。"),
                ("changed", "no"),
                ("comment", &folded),
            ],
        )
        .await;
    assert_eq!(row.status, StatusCode::SEE_OTHER, "{}", row.body);
    let page = lead.get(&workbench).await.html();
    assert_eq!(
        page.text("#unanswered").as_deref(),
        Some("まだ回答していない意見：0件（結果の行で答えるか、範囲外とします）")
    );
    assert!(page.texts(".entries li").iter().any(|t| t.contains("保証料の一部") && t.contains("回答済み")));

    // Another member sees none of it, but comments on the page, signed.
    let member = server.browser();
    member.log_in("member@example.jp", "a password").await;
    assert_eq!(member.get(&workbench).await.status, StatusCode::FORBIDDEN);
    let c_path = format!("/consultations/{c}");
    let signed = member
        .submit(&c_path, &format!("{c_path}/comments"), &[("paragraph", "1"), ("body", "ラボの名前が分かりにくい")])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);

    // Closed and published once every comment is answered or outside the scope; each
    // commenter who can be told is told, with the row that answers them.
    crate::labs::close_window(&server, &c).await;
    let manage = format!("{c_path}/manage");
    let refused = lead.submit(&manage, &format!("{c_path}/publish"), &[("version", "1")]).await;
    assert_eq!(refused.location(), workbench, "one comment is not answered");
    let theirs = lead.get(&workbench).await.html().attrs("input[name='comment']", "value");
    let theirs = theirs.iter().find(|v| **v != folded && **v != single).unwrap().clone();
    lead.submit(&workbench, &format!("{c_path}/scope"), &[("action", "out"), ("comment", &theirs)]).await;
    let published = lead.submit(&manage, &format!("{c_path}/publish"), &[("version", "1")]).await;
    assert_eq!(published.location(), format!("{c_path}#result-heading"));
    let result = server.browser().get(&c_path).await.html();
    assert!(result.text("#row-1").is_some_and(|r| r.contains("保証料の補助を求める意見") && r.contains('3')));
    // The table as municipalities publish it, for spreadsheets.
    let csv = server.browser().get_bytes(&format!("{c_path}/result.csv")).await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{FEFF}番号,該当箇所（段落）,意見の概要,件数,考え方,修正の有無,"), "{csv}");
    assert!(csv.contains("\r\n1,第2段落,保証料の補助を求める意見,3,市と協議します。,無,\r\n"), "{csv}");
    assert!(server.browser().get_bytes(&format!("{c_path}/result.xlsx")).await.starts_with(b"PK"));
    server.deliver_mail().await;
    let mail = server.wait_for_mail("hanako@example.jp").await;
    assert_eq!(mail.subject, "【結果公表】居住支援ロードマップへの意見募集");
    assert!(mail.body.contains(&format!("{c_path}#row-1")), "{}", mail.body);
    let told = member.get("/notifications").await.html();
    assert!(
        told.attrs("a", "href").iter().any(|h| h == &format!("{c_path}#result-heading")),
        "{:?}",
        told.attrs("a", "href")
    );
    // Published once: doing it again tells nobody again.
    let again = lead.submit(&manage, &format!("{c_path}/publish"), &[("version", "1")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    server.deliver_mail().await;
    assert_eq!(server.mails_to("hanako@example.jp").len(), 1);
}

/// Groups as the lab makes them: renamed, an entry moved, one split off into a new group,
/// two merged; kept as made, while a comment that comes later is grouped apart.
async fn the_lab_renames_merges_splits_and_moves_groups(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("lead@example.jp", "a password", "主宰 花子", Role::Member).await;
    let (lead, c) = lab_with_open_consultation(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kyoju.csv");
    std::fs::copy(format!("{FIXTURES}kyoju.csv"), &file).unwrap();
    let env = [("SOCIALHUB_DATABASE_URL", server.database_url.as_str())];
    let (code, _, err) =
        run_cli(&["consultation", "comments", "import", "--id", &c, file.to_str().unwrap()], &env, dir.path());
    assert_eq!(code, 0, "{err}");
    let workbench = format!("/consultations/{c}/workbench");
    let groups = format!("/consultations/{c}/groups");
    // The groups of paragraph 2 as the page shows them: (key, label, entry values).
    let read = async || {
        let html = lead.get(&workbench).await.html();
        let keys = html.attrs("#to-2 option", "value");
        let labels = html.texts("#to-2 option");
        let mut out = Vec::new();
        for (key, label) in keys.into_iter().zip(labels).filter(|(k, _)| k != "new") {
            out.push((key, label));
        }
        (html, out)
    };
    let (_, before) = read().await;
    assert!(before.len() >= 3, "{before:?}");
    assert!(before.iter().all(|(k, _)| k.starts_with('c')), "computed at first");

    // Renamed: every group of the paragraph is now the lab's, the first with its new name.
    let (first, _) = before[0].clone();
    let renamed = lead
        .submit(
            &workbench,
            &groups,
            &[("group_paragraph", "2"), ("rename", &first), (&format!("label-{first}"), "保証料の補助")],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let (html, kept) = read().await;
    assert_eq!(kept.len(), before.len());
    assert!(kept.iter().all(|(k, _)| k.starts_with('g')), "{kept:?}");
    assert_eq!(kept[0].1, "保証料の補助");
    let empty = lead
        .submit(
            &workbench,
            &groups,
            &[("group_paragraph", "2"), ("rename", &kept[0].0), (&format!("label-{}", kept[0].0), " ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::SEE_OTHER);
    assert_eq!(read().await.1[0].1, "保証料の補助", "an empty name changes nothing");

    // An entry of the second group moved into the first; then split off into a new group.
    let second: Vec<String> = html.attrs(".comment-group input[name='comment']", "value").into_iter().collect();
    let (g1, g2) = (kept[0].0.clone(), kept[1].0.clone());
    let cli_groups = || {
        let (code, out, err) = run_cli(&["consultation", "groups", "--id", &c, "--format", "json"], &env, dir.path());
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["paragraphs"].as_array().unwrap().iter().find(|p| p["paragraph"] == 2).unwrap()["groups"].clone()
    };
    let g = cli_groups();
    let texts_of = |group: &serde_json::Value| {
        group["entries"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    let entries_of = |groups: &serde_json::Value, i: usize| texts_of(&groups[i]);
    let moving_text = entries_of(&g, 1)[0].clone();
    let moving = second
        .iter()
        .find(|v| {
            let first_id = v.split(' ').next().unwrap();
            html.text(&format!("label[for='entry-{first_id}']")).is_some_and(|t| t.contains(&moving_text))
        })
        .expect("the entry's checkbox")
        .clone();
    let moved = lead
        .submit(&workbench, &groups, &[("group_paragraph", "2"), ("action", "move"), ("to", &g1), ("comment", &moving)])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let after = cli_groups();
    assert_eq!(after[0]["label"], "保証料の補助");
    assert!(entries_of(&after, 0).contains(&moving_text), "moved into the first");
    let split = lead
        .submit(
            &workbench,
            &groups,
            &[("group_paragraph", "2"), ("action", "move"), ("to", "new"), ("comment", &moving)],
        )
        .await;
    assert_eq!(split.status, StatusCode::SEE_OTHER);
    let after = cli_groups();
    let alone =
        after.as_array().unwrap().iter().find(|g| texts_of(g) == [moving_text.clone()]).expect("a group of its own");
    assert!(moving_text.starts_with(alone["label"].as_str().unwrap().trim_end_matches('…')));

    // Two groups merged: every entry of the second ticked and moved into the first.
    let (html, kept) = read().await;
    assert_eq!(kept[1].0, g2);
    let all_of_second: Vec<String> = {
        let texts = entries_of(&cli_groups(), 1);
        html.attrs(".comment-group input[name='comment']", "value")
            .into_iter()
            .filter(|v| {
                let id = v.split(' ').next().unwrap();
                html.text(&format!("label[for='entry-{id}']"))
                    .is_some_and(|t| texts.iter().any(|x| t.contains(x.as_str())))
            })
            .collect()
    };
    let mut fields = vec![("group_paragraph", "2".to_owned()), ("action", "move".to_owned()), ("to", g1.clone())];
    fields.extend(all_of_second.iter().map(|v| ("comment", v.clone())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    lead.submit(&workbench, &groups, &fields).await;
    let (_, merged) = read().await;
    assert!(!merged.iter().any(|(k, _)| *k == g2), "the emptied group is gone: {merged:?}");
    assert_eq!(merged.len(), kept.len() - 1);

    // A comment that comes later is grouped apart from the groups the lab keeps.
    lead.submit(
        &workbench,
        &format!("/consultations/{c}/received"),
        &[
            ("paragraph", "2"),
            ("channel", "paper"),
            ("received-body", "後から届いた意見です。"),
            ("received-contact", ""),
        ],
    )
    .await;
    let (_, later) = read().await;
    assert_eq!(later.last().map(|(k, _)| k.starts_with('c')), Some(true), "{later:?}");
    assert_eq!(later.iter().filter(|(k, _)| k.starts_with('g')).count(), merged.len());
}

/// The lead takes a CSV file of received comments on the workbench, as the command line
/// does: a file with mistakes is refused whole, each mistake named by its line and column;
/// the corrected file (as Excel saves it, with a BOM and CRLF) is taken, and the page says
/// how many, without taking them again when it is shown again.
async fn a_lead_imports_received_comments_from_a_csv_file_on_the_workbench(backend: Backend) {
    let Some(server) = TestServer::start(backend).await else { return };
    server.create_account("lead@example.jp", "a password", "主宰 花子", Role::Member).await;
    let (lead, c) = lab_with_open_consultation(&server).await;
    let paragraphs =
        socialhub::roadmap::blocks(&std::fs::read_to_string(format!("{FIXTURES}kyoju.roadmap.md")).unwrap()).len();
    let workbench = format!("/consultations/{c}/workbench");
    let send = |bytes: Vec<u8>| {
        let lead = &lead;
        let workbench = &workbench;
        let c = &c;
        async move {
            let token = lead.get(workbench).await.html().csrf_token().unwrap();
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("意見.csv").mime_str("text/csv").unwrap(),
            );
            lead.post_multipart(&format!("/consultations/{c}/received.csv?csrf_token={token}"), form).await
        }
    };
    let unanswered = |p: &crate::support::Page| p.html().text("#unanswered").unwrap_or_default();

    // No file chosen: said so.
    let token = lead.get(&workbench).await.html().csrf_token().unwrap();
    let none = lead
        .post_multipart(&format!("/consultations/{c}/received.csv?csrf_token={token}"), reqwest::multipart::Form::new())
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(none.html().texts("#import-problems-title + ul li"), ["ファイルを選んでください。"]);

    // A paragraph the version does not have (line 3) and a way of sending nobody knows
    // (line 4): refused whole, each named, nothing taken.
    let wrong = format!(
        "段落,意見,提出方法,連絡先\n1,出張相談を増やしてください。,紙,\n{},存在しない段落への意見。,郵送,\n2,大家さんへの説明会を開いてほしい。,伝書鳩,\n",
        paragraphs + 1
    );
    let refused = send(wrong.into_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let html = refused.html();
    assert_eq!(html.text("#import-problems-title").as_deref(), Some("2件の誤りがあるため、何も取り込みませんでした。"));
    let problems = html.texts("#import-problems-title + ul li");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains('3') && problems[0].contains("段落"), "{problems:?}");
    assert!(
        problems[1].contains('4') && problems[1].contains("提出方法") && problems[1].contains("伝書鳩"),
        "{problems:?}"
    );
    assert!(unanswered(&refused).contains("0件"), "{}", unanswered(&refused));

    // Corrected, saved by Excel: BOM and CRLF. Taken, and said how many.
    let right = "\u{feff}段落,意見,提出方法,連絡先\r\n1,出張相談を増やしてください。,紙,\r\n2,大家さんへの説明会を開いてほしい。,会場,\r\n2,保証料の補助を検討してください。,メール,taro@example.jp\r\n";
    let taken = send(right.as_bytes().to_vec()).await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
    assert_eq!(taken.location(), format!("/consultations/{c}/workbench?imported=3#import-heading"));
    let shown = lead.get(&format!("/consultations/{c}/workbench?imported=3")).await;
    assert_eq!(shown.html().text("#import-heading + p.flash").as_deref(), Some("3件の意見を取り込みました。"));
    assert!(unanswered(&shown).contains("3件"), "{}", unanswered(&shown));
    // Shown again: nothing taken again.
    let again = lead.get(&format!("/consultations/{c}/workbench?imported=3")).await;
    assert!(unanswered(&again).contains("3件"), "{}", unanswered(&again));
    let bodies = again.html().texts(".entries label");
    assert_eq!(bodies.iter().filter(|b| b.contains("保証料の補助を検討してください。")).count(), 1, "{bodies:?}");
}
