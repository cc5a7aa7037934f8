//! The index's answers: exact matches, centers apart, ranking, snippets.

use super::*;

fn doc(id: i64, title: &str, body: &str) -> Doc {
    Doc {
        tenant: TenantId(1),
        kind: Kind::Issue,
        id,
        title: title.into(),
        body: body.into(),
        tags: vec!["防災".into()],
        date: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        url: format!("/issues/{id}"),
    }
}

fn index(docs: &[Doc]) -> Index {
    Index::of_documents(docs.iter().cloned(), 1).unwrap()
}

fn found(index: &Index, query: &str) -> Vec<i64> {
    let q = Query { text: query.into(), limit: 100, ..Query::default() };
    let mut ids: Vec<i64> = index
        .search_now(TenantId(1), &q)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.url.rsplit('/').next().unwrap().parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

/// Records where a query's bigrams could line up across runs.
fn index_of_runs() -> Index {
    index(&[
        doc(10, "居住支援", ""),
        doc(11, "居住、支援", "居住、再支援。居住者支援"),
        doc(12, "支援者", "居住、援助"),
        doc(13, "ひとり暮らし", "ひとり、暮らし。ひとり暮"),
        doc(14, "NPO法人", "法人 a npo"),
        doc(15, "地域の居住", "支援の輪"),
    ])
}

#[test]
fn a_query_finds_exactly_the_records_containing_it() {
    let index = index(&[
        doc(1, "居住支援の勉強会", "住まいの確保に困る人を地域で支える"),
        doc(2, "居住の支援", "仙台市の取り組み"),
        doc(3, "防災と町内会", "ＮＰＯ法人と町内会が防災訓練。ボランティア募集"),
        doc(4, "Social Hub meeting", "volunteers and NPO staff in 仙台"),
    ]);
    assert_eq!(found(&index, "居住支援"), [1]);
    assert_eq!(found(&index, "居住"), [1, 2]);
    // Bigrams two positions apart never span two runs, and a separator in the query
    // asks for one in the record.
    let runs = index_of_runs();
    assert_eq!(found(&runs, "居住支援"), [10]);
    assert_eq!(found(&runs, "居住・支援"), [11]);
    assert_eq!(found(&runs, "支援者"), [12]);
    assert_eq!(found(&runs, "ひとり暮らし"), [13]);
    assert_eq!(found(&runs, "npo法"), [14]);
    assert_eq!(found(&runs, "法人npo"), Vec::<i64>::new());
    assert_eq!(found(&index, "仙台"), [2, 4]);
    assert_eq!(found(&index, "防災"), [3]);
    assert_eq!(found(&index, "npo"), [3, 4], "ＮＰＯ = NPO");
    assert_eq!(found(&index, "ﾎﾞﾗﾝﾃｨｱ"), [3], "half-width katakana");
    assert_eq!(found(&index, "ぼらんてぃあ"), [3], "hiragana finds katakana");
    assert_eq!(found(&index, "NPO法人"), [3]);
    assert_eq!(found(&index, "防災 町内会"), [3]);
    assert_eq!(found(&index, "防災 居住"), Vec::<i64>::new());
    assert_eq!(found(&index, "volunteer"), Vec::<i64>::new(), "whole words");
    assert_eq!(found(&index, "volunteers"), [4]);
    assert_eq!(found(&index, "援"), [1, 2], "one kanji, anywhere");
    assert_eq!(found(&index, "居住支援の勉強"), [1]);
    assert_eq!(found(&index, "支える人"), Vec::<i64>::new());
    assert_eq!(found(&index, "、"), Vec::<i64>::new());
}

#[test]
fn words_of_any_length_are_found_within_one_run_only() {
    let index = index(&[
        doc(20, "地域の子ども食堂です", "相談窓口から見た町内会"),
        doc(21, "子ども食、ども食堂", "相談窓口、から見た"),
        doc(22, "NPO法人あおば", "町内会長"),
        doc(23, "会長", "町内、会"),
    ]);
    // Three and four characters are one term each; longer words pieces of four.
    assert_eq!(found(&index, "町内会"), [20, 22]);
    assert_eq!(found(&index, "子ども食堂"), [20]);
    assert_eq!(found(&index, "ども食堂で"), [20]);
    assert_eq!(found(&index, "相談窓口から見た"), [20]);
    assert_eq!(found(&index, "相談窓口から見た町内会"), [20]);
    assert_eq!(found(&index, "窓口から見"), [20]);
    assert_eq!(found(&index, "npo法人あお"), [22]);
    assert_eq!(found(&index, "人あおば"), [22]);
    assert_eq!(found(&index, "町内会長"), [22]);
    assert_eq!(found(&index, "町内・会"), [23]);
    assert_eq!(found(&index, "食堂です相談"), Vec::<i64>::new(), "title and body are apart");
}

#[test]
fn each_center_finds_its_own_records_alone() {
    let ours = index(&[doc(1, "防災訓練", "町内会の防災")]);
    let search = |index: &Index, tenant: i64| {
        let q = Query { text: "防災".into(), limit: 10, ..Query::default() };
        index.search_now(TenantId(tenant), &q).unwrap().hits.into_iter().map(|h| h.url).collect::<Vec<_>>()
    };
    assert_eq!(search(&ours, 1), ["/issues/1"]);
    assert!(search(&ours, 2).is_empty(), "an index of one center's records");
    let theirs = Doc { tenant: TenantId(2), url: "/issues/2".into(), ..doc(2, "防災", "防災マップ") };
    let both = index(&[doc(1, "防災訓練", "町内会の防災"), theirs]);
    assert_eq!(search(&both, 1), ["/issues/1"]);
    assert_eq!(search(&both, 2), ["/issues/2"]);
    assert!(search(&both, 3).is_empty());
}

#[test]
fn a_word_in_the_title_ranks_first() {
    let body = "地域の集まりで見守りについて話しました。";
    let docs = [
        doc(1, "集まりの記録", &format!("{body}見守りの担い手")),
        doc(2, "見守りの担い手", &body.repeat(3)),
        doc(3, "会議の記録", &format!("{body}見守りの担い手")),
    ];
    let q = Query { text: "担い手".into(), limit: 10, ..Query::default() };
    let hits = index(&docs).search_now(TenantId(1), &q).unwrap().hits;
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].url, "/issues/2");
}

#[test]
fn snippets_mark_the_matches() {
    let words = text::query_words("居住支援");
    let (s, marks) = snippet("地域の居住支援ラボの記録です", &words);
    assert_eq!(marks.len(), 1);
    assert_eq!(&s[marks[0].0..marks[0].1], "居住支援");
}
