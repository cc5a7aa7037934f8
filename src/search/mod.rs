//! Search across every public record (ナレッジコア): sessions, issues, labs, roadmaps,
//! consultations, articles, organisations, the directory's public profiles and the board's public posts, in Japanese and English, from one box.
//!
//! Each instance keeps its own index in memory, built from the database at start and then
//! following the change table ([`store`]) that the records' stores write in the
//! transaction of each change. Before answering, a search reads the changes committed since
//! the index last looked (one small read when there are none), so a search on any instance
//! sees every write committed before it, on whichever instance it was made. Only public
//! records are indexed: nothing private can be found.
//!
//! Matching ([`text`]): each word of the query must appear in the record as written, after
//! NFKC, lower case and kana folding; Japanese by pieces of two to four characters of runs
//! of kana and kanji, Latin text by words.

pub mod sources;
pub mod store;
pub mod text;
pub mod web;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, Occur, PhraseQuery, Query as TantivyQuery, RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};

use crate::db::Db;
use crate::i18n::FiscalYear;
use crate::tenant::TenantId;

use text::Pattern;

/// The kinds of record the index holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Event,
    Issue,
    Lab,
    Roadmap,
    Consultation,
    Article,
    Organisation,
    /// A person of the directory, as the public sees them.
    Person,
    /// A public post of the board.
    Post,
    /// An open need shown to everyone (who posted it is never named).
    Need,
    /// An open offer shown to everyone.
    Offer,
}

crate::text_code!(Kind {
    Event = "event",
    Issue = "issue",
    Lab = "lab",
    Roadmap = "roadmap",
    Consultation = "consultation",
    Article = "article",
    Organisation = "organisation",
    Person = "person",
    Post = "post",
    Need = "need",
    Offer = "offer",
});

impl Kind {
    /// The Fluent id of the kind's name.
    pub fn label_id(self) -> &'static str {
        match self {
            Kind::Event => "search-kind-event",
            Kind::Issue => "search-kind-issue",
            Kind::Lab => "search-kind-lab",
            Kind::Roadmap => "search-kind-roadmap",
            Kind::Consultation => "search-kind-consultation",
            Kind::Article => "search-kind-article",
            Kind::Organisation => "search-kind-organisation",
            Kind::Person => "search-kind-person",
            Kind::Post => "search-kind-post",
            Kind::Need => "search-kind-need",
            Kind::Offer => "search-kind-offer",
        }
    }
}

/// What the index holds of one public record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub tenant: TenantId,
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    /// The record's text, plain (Markdown read as text).
    pub body: String,
    pub tags: Vec<String>,
    /// The date it is known by (a session's start, an issue's posting).
    pub date: DateTime<Utc>,
    pub url: String,
}

/// A search as asked.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub text: String,
    pub kind: Option<Kind>,
    pub tag: Option<String>,
    pub fiscal_year: Option<i32>,
    pub offset: usize,
    pub limit: usize,
}

/// One record found.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub title: String,
    pub url: String,
    /// The text around the first match, as plain text.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched, to highlight.
    #[serde(skip)]
    pub marks: Vec<(usize, usize)>,
    /// Byte ranges of `title` that matched.
    #[serde(skip)]
    pub title_marks: Vec<(usize, usize)>,
    #[serde(skip)]
    pub date: DateTime<Utc>,
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A page of hits and how many there are in all.
#[derive(Clone, Debug, Default)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    tenant: Field,
    kind: Field,
    id: Field,
    title: Field,
    /// The body as stored, for snippets (not indexed).
    body: Field,
    /// Title and body, indexed together: what every word of a query must be found in.
    text: Field,
    tag: Field,
    fiscal_year: Field,
    date: Field,
    url: Field,
}

/// The index and how far it has followed the change table.
pub struct Index {
    reader: IndexReader,
    fields: Fields,
    writer: tokio::sync::Mutex<Writer>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("search::Index")
    }
}

struct Writer {
    writer: IndexWriter,
    /// The last change the index holds.
    applied: i64,
}

/// Changes read at once when following the table.
const CHANGES_AT_ONCE: i64 = 1_000;

impl Index {
    /// An empty index in memory, with the tokenizer registered.
    ///
    /// # Errors
    /// tantivy cannot make the index (out of memory).
    fn empty() -> anyhow::Result<(tantivy::Index, Fields)> {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(text::TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let fields = Fields {
            key: schema.add_text_field("key", STRING),
            tenant: schema.add_u64_field("tenant", INDEXED),
            kind: schema.add_text_field("kind", STRING | STORED),
            id: schema.add_i64_field("id", STORED),
            title: schema.add_text_field("title", STORED),
            body: schema.add_text_field("body", STORED),
            text: schema.add_text_field("text", TextOptions::default().set_indexing_options(indexing)),
            tag: schema.add_text_field("tag", STRING),
            fiscal_year: schema.add_u64_field("fiscal_year", INDEXED),
            date: schema.add_i64_field("date", STORED | FAST),
            url: schema.add_text_field("url", STORED),
        };
        let mut index = tantivy::Index::create_in_ram(schema.build());
        // A search reads the index's segments side by side, one core each.
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        index.tokenizers().register(text::TOKENIZER, text::BigramTokenizer);
        Ok((index, fields))
    }

    fn new_empty() -> anyhow::Result<Index> {
        Self::with_threads(1)
    }

    fn with_threads(threads: usize) -> anyhow::Result<Index> {
        let (index, fields) = Self::empty()?;
        let writer = index.writer_with_num_threads(threads, 20_000_000 * threads)?;
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
        Ok(Index { reader, fields, writer: tokio::sync::Mutex::new(Writer { writer, applied: 0 }) })
    }

    /// An index of these documents alone, indexed by `threads` threads (for benchmarks:
    /// a server builds its index from the database with [`Index::build`]).
    ///
    /// # Errors
    /// tantivy fails.
    pub fn of_documents(docs: impl IntoIterator<Item = Doc>, threads: usize) -> anyhow::Result<Index> {
        let me = Self::with_threads(threads.max(1))?;
        {
            let mut w = me.writer.try_lock().expect("a new index has no other user");
            w.writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
            for d in docs {
                w.writer.add_document(me.document(&d))?;
            }
            w.writer.commit()?;
            me.settle(&mut w)?;
        }
        Ok(me)
    }

    /// After a bulk load (indexed without merging): the segments merged into one of about
    /// the same size per core, as a search reads them side by side, one core each; then
    /// the usual merging for the changes that follow.
    ///
    /// # Errors
    /// tantivy fails.
    fn settle(&self, w: &mut Writer) -> anyhow::Result<()> {
        self.reader.reload()?;
        let parts = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let mut segments: Vec<(tantivy::index::SegmentId, u32)> =
            self.reader.searcher().segment_readers().iter().map(|r| (r.segment_id(), r.max_doc())).collect();
        segments.sort_unstable_by_key(|(_, docs)| std::cmp::Reverse(*docs));
        let mut groups: Vec<(u64, Vec<tantivy::index::SegmentId>)> = vec![(0, Vec::new()); parts];
        for (id, docs) in segments {
            if let Some(lightest) = groups.iter_mut().min_by_key(|(total, _)| *total) {
                lightest.0 += u64::from(docs);
                lightest.1.push(id);
            }
        }
        let merges: Vec<_> =
            groups.iter().filter(|(_, ids)| ids.len() > 1).map(|(_, ids)| w.writer.merge(ids)).collect();
        for merge in merges {
            merge.wait()?;
        }
        self.reader.reload()?;
        w.writer.set_merge_policy(Box::<tantivy::indexer::LogMergePolicy>::default());
        Ok(())
    }

    /// The documents in each of the index's segments (for benchmarks: a search reads the
    /// segments side by side).
    pub fn segment_sizes(&self) -> Vec<u32> {
        self.reader.searcher().segment_readers().iter().map(tantivy::SegmentReader::num_docs).collect()
    }

    /// Builds the index of every public record in the database.
    ///
    /// # Errors
    /// The database fails, or tantivy does.
    pub async fn build(db: &Db) -> anyhow::Result<Arc<Index>> {
        let me = Self::new_empty()?;
        {
            let mut w = me.writer.lock().await;
            me.rebuild(db, &mut w).await?;
        }
        Ok(Arc::new(me))
    }

    async fn rebuild(&self, db: &Db, w: &mut Writer) -> anyhow::Result<()> {
        // Changes committed from here on are applied after, so nothing falls between.
        let upto = store::last(db).await?;
        w.writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        w.writer.delete_all_documents()?;
        for (tenant, _) in crate::tenant::store::list(db).await? {
            for doc in sources::all(db, tenant.id).await? {
                w.writer.add_document(self.document(&doc))?;
            }
        }
        w.writer.commit()?;
        self.settle(w)?;
        w.applied = upto;
        Ok(())
    }

    fn key(tenant: TenantId, kind: Kind, id: i64) -> String {
        format!("{}:{}:{id}", tenant.0, kind.code())
    }

    fn document(&self, d: &Doc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, Self::key(d.tenant, d.kind, d.id));
        doc.add_u64(f.tenant, d.tenant.0 as u64);
        doc.add_text(f.kind, d.kind.code());
        doc.add_i64(f.id, d.id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        // The title twice, so that a word in it counts more (cheaper than a second query
        // of the title for each word), then the body, as three texts: a query word never
        // runs from one into the next (`text::FIRST`).
        doc.add_text(f.text, &d.title);
        doc.add_text(f.text, &d.title);
        doc.add_text(f.text, &d.body);
        for tag in &d.tags {
            doc.add_text(f.tag, tag);
        }
        doc.add_u64(f.fiscal_year, FiscalYear::of_instant(d.date).0.max(0) as u64);
        doc.add_i64(f.date, d.date.timestamp());
        doc.add_text(f.url, &d.url);
        doc
    }

    /// Applies the changes committed since the index last looked. Returns how many.
    ///
    /// # Errors
    /// The database fails, or tantivy does.
    pub async fn follow(&self, db: &Db) -> anyhow::Result<usize> {
        // Most calls find nothing new: look before taking the writer.
        if store::last(db).await? <= self.writer.lock().await.applied {
            return Ok(0);
        }
        let mut w = self.writer.lock().await;
        let mut applied = 0;
        loop {
            let changes = store::after(db, w.applied, CHANGES_AT_ONCE).await?;
            let Some(last) = changes.last().map(|c| c.id) else { break };
            if changes.iter().any(|c| c.record.is_none()) {
                self.rebuild(db, &mut w).await?;
                applied += changes.len();
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            for c in &changes {
                let Some((tenant, kind, id)) = c.record else { continue };
                for (kind, id) in sources::affected(db, tenant, kind, id).await? {
                    if !seen.insert((tenant, kind, id)) {
                        continue;
                    }
                    w.writer.delete_term(Term::from_field_text(self.fields.key, &Self::key(tenant, kind, id)));
                    if let Some(doc) = sources::one(db, tenant, kind, id).await? {
                        w.writer.add_document(self.document(&doc))?;
                    }
                }
            }
            w.writer.commit()?;
            self.reader.reload()?;
            w.applied = last;
            applied += changes.len();
        }
        Ok(applied)
    }

    /// Rebuilds the index now (as `socialhub search reindex` asks every instance to).
    ///
    /// # Errors
    /// The database fails, or tantivy does.
    pub async fn rebuild_now(&self, db: &Db) -> anyhow::Result<()> {
        let mut w = self.writer.lock().await;
        self.rebuild(db, &mut w).await
    }

    /// The number of records indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Searches a tenant's public records, after following the changes committed so far.
    ///
    /// # Errors
    /// The database fails, or tantivy does.
    pub async fn search(&self, db: &Db, tenant: TenantId, q: &Query) -> anyhow::Result<Results> {
        self.follow(db).await?;
        self.search_now(tenant, q)
    }

    /// Searches what the index holds now.
    ///
    /// # Errors
    /// tantivy fails (a query expanding to too many terms).
    pub fn search_now(&self, tenant: TenantId, q: &Query) -> anyhow::Result<Results> {
        let words = text::query_words(&q.text);
        if words.is_empty() {
            return Ok(Results::default());
        }
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        // Where every record indexed is the tenant's (one center per deployment, the usual
        // case), asking for the tenant's records would only slow the search down.
        if !only_of(&searcher, f.tenant, tenant)? {
            let t = Term::from_field_u64(f.tenant, tenant.0 as u64);
            clauses.push((Occur::Must, Box::new(TermQuery::new(t, IndexRecordOption::Basic))));
        }
        let phrases = text::query_phrases(&q.text);
        // A filter's term reads no frequencies, so it cannot rank.
        let unfiltered = clauses.is_empty() && q.kind.is_none() && q.tag.is_none() && q.fiscal_year.is_none();
        for phrase in phrases {
            clauses.push((Occur::Must, word_query(f.text, &phrase)?));
        }
        if let Some(kind) = q.kind {
            clauses.push((Occur::Must, term(f.kind, kind.code())));
        }
        if let Some(tag) = &q.tag {
            clauses.push((Occur::Must, term(f.tag, tag)));
        }
        if let Some(fy) = q.fiscal_year {
            let t = Term::from_field_u64(f.fiscal_year, fy.max(0) as u64);
            clauses.push((Occur::Must, Box::new(TermQuery::new(t, IndexRecordOption::Basic))));
        }
        let limit = q.limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit).and_offset(q.offset).order_by_score();
        // Where the query is terms alone (each word one term, no filter), ranking skips the
        // blocks of hits that cannot reach the page and a single term's count is its
        // document frequency: two passes cost less than one scoring every hit. Otherwise
        // one pass ranks and counts, reading positions once.
        let terms_only = clauses.iter().all(|(_, c)| c.is::<TermQuery>()) && unfiltered;
        let query: Box<dyn TantivyQuery> = match clauses.len() {
            1 => clauses.pop().map(|(_, c)| c).expect("one clause"),
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        let (found, total) = if terms_only {
            (searcher.search(&query, &top)?, searcher.search(&query, &Count)?)
        } else {
            searcher.search(&query, &(top, Count))?
        };
        let mut hits = Vec::with_capacity(found.len());
        for (_, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let Some(kind) = Kind::from_code(&text(f.kind)) else { continue };
            let title = text(f.title);
            let body = text(f.body);
            let (snippet, marks) = snippet(&body, &words);
            let title_marks = marks_in(&title, &words);
            let date = doc.get_first(f.date).and_then(|v| v.as_i64()).unwrap_or_default();
            hits.push(Hit {
                kind,
                title,
                url: text(f.url),
                snippet,
                marks,
                title_marks,
                date: DateTime::from_timestamp(date, 0).unwrap_or_default(),
            });
        }
        Ok(Results { total, hits })
    }
}

impl Index {
    /// Public records of `kind` that say much of what `text` says (for 「似た課題がすでに
    /// あります」): ranked by how many of its words and kanji pairs they share, at least a
    /// third of them. Kana-only pairs (する, ない) do not count.
    ///
    /// # Errors
    /// The database fails, or tantivy does.
    pub async fn similar(
        &self,
        db: &Db,
        tenant: TenantId,
        kind: Kind,
        text: &str,
        limit: usize,
    ) -> anyhow::Result<Vec<Hit>> {
        self.follow(db).await?;
        let f = self.fields;
        let hiragana = |s: &str| s.chars().all(|c| matches!(c, '\u{3041}'..='\u{309f}'));
        let mut terms: Vec<String> = text::pieces(text)
            .into_iter()
            .filter(|p| !(p.cjk && hiragana(&text[p.from..p.to])))
            .filter(|p| !p.cjk || p.text.chars().count() == 2)
            .map(|p| p.text)
            .collect();
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn TantivyQuery>)> =
            terms.iter().map(|t| (Occur::Should, term(f.text, t))).collect();
        let shared = BooleanQuery::with_minimum_required_clauses(clauses, terms.len().div_ceil(3).max(1));
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_u64(f.tenant, tenant.0 as u64), IndexRecordOption::Basic)),
            ),
            (Occur::Must, term(f.kind, kind.code())),
            (Occur::Must, Box::new(shared)),
        ]);
        let searcher = self.reader.searcher();
        let found = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(found.len());
        for (_, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let date = doc.get_first(f.date).and_then(|v| v.as_i64()).unwrap_or_default();
            hits.push(Hit {
                kind,
                title: text(f.title),
                url: text(f.url),
                snippet: String::new(),
                marks: Vec::new(),
                title_marks: Vec::new(),
                date: DateTime::from_timestamp(date, 0).unwrap_or_default(),
            });
        }
        Ok(hits)
    }
}

/// Whether every record in the index, deleted ones not yet merged away included, is of
/// `tenant`: each segment's dictionary of `field` holds no other tenant.
///
/// # Errors
/// tantivy cannot read a dictionary.
fn only_of(searcher: &tantivy::Searcher, field: Field, tenant: TenantId) -> anyhow::Result<bool> {
    let wanted = Term::from_field_u64(field, tenant.0 as u64);
    for segment in searcher.segment_readers() {
        let terms = segment.inverted_index(field)?;
        let dictionary = terms.terms();
        if dictionary.num_terms() != 1 || terms.get_term_info(&wanted)?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

fn term(field: Field, value: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// The query for one word in one field: its tokens at their positions
/// ([`text::query_phrases`]).
fn word_query(field: Field, word: &[(usize, Pattern)]) -> anyhow::Result<Box<dyn TantivyQuery>> {
    let exact: Option<Vec<(usize, Term)>> = word
        .iter()
        .map(|(at, p)| if let Pattern::Exact(t) = p { Some((*at, Term::from_field_text(field, t))) } else { None })
        .collect();
    Ok(match (exact, word) {
        (Some(mut terms), [_]) => Box::new(TermQuery::new(terms.remove(0).1, IndexRecordOption::WithFreqsAndPositions)),
        (Some(terms), _) => Box::new(PhraseQuery::new_with_offset(terms)),
        (None, [(_, p)]) => Box::new(RegexQuery::from_pattern(&p.regex(), field)?),
        (None, _) => {
            Box::new(RegexPhraseQuery::new_with_offset(field, word.iter().map(|(at, p)| (*at, p.regex())).collect()))
        }
    })
}

/// The ranges of `text` where any query word matches, merged and in order.
fn marks_in(text: &str, words: &[Vec<Pattern>]) -> Vec<(usize, usize)> {
    let pieces = text::pieces(text);
    let mut marks: Vec<(usize, usize)> = words.iter().flat_map(|w| text::find(&pieces, w)).collect();
    marks.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(marks.len());
    for (from, to) in marks {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// About this many characters of the body around its first match.
const SNIPPET_CHARS: usize = 120;

/// The part of `body` around the first match (its start when the match is in the title
/// only), with the matches inside it.
fn snippet(body: &str, words: &[Vec<Pattern>]) -> (String, Vec<(usize, usize)>) {
    let marks = marks_in(body, words);
    let first = marks.first().map_or(0, |m| m.0);
    // Start a little before the first match, at a character boundary.
    let before: usize = body[..first].chars().rev().take(SNIPPET_CHARS / 4).map(char::len_utf8).sum();
    let start = first - before;
    let end = start + body[start..].chars().take(SNIPPET_CHARS).map(char::len_utf8).sum::<usize>();
    let mut text = String::new();
    let lead = if start > 0 { "…" } else { "" };
    text.push_str(lead);
    text.push_str(&body[start..end].replace('\n', " "));
    if end < body.len() {
        text.push('…');
    }
    let shift = lead.len();
    let inside = marks
        .into_iter()
        .filter(|&(a, b)| a >= start && b <= end)
        .map(|(a, b)| (a - start + shift, b - start + shift))
        .collect();
    (text, inside)
}

#[cfg(test)]
mod tests;
