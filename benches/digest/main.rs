//! Digest building at scale: a center of 10,000 members and a day of 1,000 board posts,
//! and the time `subscription::digest::build` takes to build and queue that day's daily
//! digests in its one transaction, on SQLite and, when it can be reached, PostgreSQL.
//!
//! The setup (not timed) makes a fresh database: 10,000 verified members (one in five
//! reading English) and 100 who never verified their address; half of the verified have
//! saved their choices (each board category daily with one chance in two, the rest at
//! once, weekly or never; sessions, issues followed and consultations daily now and
//! then), the others keep the defaults (weekly); 1,000 published posts announced within
//! one day in Japan by 20 authors over the five categories (and, not to be counted,
//! posts of the day before and the day after, and hidden ones); 600 notifications of
//! issues followed that day for 300 members. Then, timed: the day's digest at 07:00 the
//! next morning, as the postman builds it.
//!
//! What was measured is checked: as many mails as verified readers who chose the daily
//! digest for a kind that had news that day, each listing at most 10 items of a kind.
//!
//! `cargo bench --bench digest [-- MEMBERS POSTS ROUNDS] [sqlite|postgres]` prints, per
//! backend: the wall-clock time of the build (the first, on the fresh database, and the
//! median of ROUNDS, 5 by default, each again on the same rows after its mails and claim
//! are deleted); the mails and bytes queued; the process's CPU time and its peak resident
//! memory during the first build; where the time goes (reading the readers, reading the
//! day's news and queueing the mails, each timed again on its own in a transaction
//! rolled back; the commit, timed within each build; the rest is rendering); and the
//! start of a sample digest (`DIGEST_BENCH_SAMPLE=1`: all of it). One backend alone:
//! `sqlite` or `postgres`. PostgreSQL is at `SOCIALHUB_TEST_POSTGRES_URL` (by default
//! `postgres://postgres@127.0.0.1:5432/postgres`); a database is made for the run and
//! dropped after it; when PostgreSQL cannot be reached the bench says so and measures
//! SQLite only.

mod center;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use socialhub::db::{Db, StoreError, StoreResult, Tx};
use socialhub::i18n::wareki;
use socialhub::mail::outbox::{self, Outgoing};
use socialhub::subscription::digest::{self, Period};
use socialhub::subscription::news::Site;
use socialhub::subscription::{Cadence, UnsubscribeKey, store};
use socialhub::tenant::Tenant;
use socialhub::with_tx;

use center::{Center, center, expected_mails, fill};
/// Peak and current resident memory of this process (kB), from `/proc/self/status`.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Starts the peak resident memory again from the current one (Linux 4.0 and later).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's CPU time, user and system (`/proc/self/stat`, at 100 ticks a second).
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|i| fields.get(*i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

/// One backend's figures.
struct Figures {
    backend: &'static str,
    setup: Duration,
    /// The first build, on the fresh database.
    build: Duration,
    /// Every round's, the first among them.
    builds: Vec<Duration>,
    cpu: Duration,
    mails: usize,
    bytes: usize,
    chars: i64,
    peak_kb: u64,
    before_kb: u64,
    readers: Duration,
    news: Duration,
    enqueue: Duration,
    /// The commit's part of the build (median).
    commit: Duration,
    sample: String,
}

/// The build as the postman runs it, in its own transaction; returns what it returned,
/// how long it took in all and how long its commit took.
async fn timed_build(
    db: &Db,
    site: &Site<'_>,
    period: &Period,
    now: DateTime<Utc>,
) -> StoreResult<(Option<usize>, Duration, Duration)> {
    let t = Instant::now();
    let mut built = Duration::ZERO;
    let queued = db
        .write(async |tx| {
            let queued = digest::build(tx, site, period, now).await;
            built = t.elapsed();
            queued
        })
        .await?;
    let took = t.elapsed();
    Ok((queued, took, took - built))
}

/// Runs `work` in a write transaction and rolls it back; returns how long `work` took.
async fn timed_rolled_back(db: &Db, work: impl AsyncFnOnce(&mut Tx) -> StoreResult<()>) -> StoreResult<Duration> {
    let mut took = Duration::ZERO;
    let rolled_back = db
        .write(async |tx| {
            let t = Instant::now();
            work(tx).await?;
            took = t.elapsed();
            Err::<(), _>(StoreError::NotFound)
        })
        .await;
    match rolled_back {
        Err(StoreError::NotFound) => Ok(took),
        Err(e) => Err(e),
        Ok(()) => unreachable!("rolled back"),
    }
}

async fn run(backend: &'static str, url: &str, c: &Center, day: NaiveDate, rounds: usize) -> anyhow::Result<Figures> {
    let started = Instant::now();
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let tenant: Tenant = socialhub::tenant::store::ensure_default(&db, "せんだい・みやぎソーシャルハブ").await?;
    let ids = fill(&db, tenant.id, c, day).await?;
    db.analyze().await?;
    let setup = started.elapsed();

    let key = UnsubscribeKey::new(b"digest bench");
    let site = Site { tenant: &tenant, base: "https://hub.example.jp", key: &key };
    // 07:00 in Japan the next morning, when the postman builds the day's digest.
    let now = wareki::jst_midnight(day + TimeDelta::days(1)) + TimeDelta::hours(i64::from(digest::SEND_HOUR));
    let period = Period::due(Cadence::Daily, now);
    assert_eq!(period.first_day, day);

    reset_peak();
    let (_, before_kb) = memory();
    let cpu_before = cpu();
    let (queued, build, commit) = timed_build(&db, &site, &period, now).await?;
    let cpu_used = cpu() - cpu_before;
    let (peak_kb, _) = memory();

    // What was measured.
    let expected = expected_mails(c);
    assert_eq!(queued, Some(expected), "one digest for each reader who chose daily for a kind with news");
    type Job = (i64, String, String, String, String);
    let (count, recipients, chars, jobs): (i64, i64, i64, Vec<Job>) = db
        .write(async |tx| {
            let (count, recipients, chars): (i64, i64, i64) = with_tx!(tx, |conn| {
                sqlx::query_as(
                    "SELECT COUNT(*), COUNT(DISTINCT recipient), COALESCE(SUM(LENGTH(body)), 0) FROM mail_job",
                )
                .fetch_one(&mut *conn)
                .await?
            });
            let jobs: Vec<Job> = with_tx!(tx, |conn| {
                sqlx::query_as("SELECT account_id, recipient, subject, body, unsubscribe_url FROM mail_job ORDER BY id")
                    .fetch_all(&mut *conn)
                    .await?
            });
            Ok::<_, StoreError>((count, recipients, chars, jobs))
        })
        .await?;
    assert_eq!(count as usize, expected);
    // LENGTH counts characters on both databases; the bytes are the UTF-8 text's.
    let bytes: usize = jobs.iter().map(|j| j.3.len()).sum();
    assert_eq!(recipients as usize, expected, "one digest per reader");
    assert!(jobs.iter().all(|j| j.1.starts_with("member")), "no mail to an address never verified");
    let again = db.write(async |tx| digest::build(tx, &site, &period, now).await).await?;
    assert_eq!(again, None, "a period is built once");
    for (_, _, subject, body, unsubscribe) in &jobs {
        assert!(body.contains(unsubscribe.as_str()) && unsubscribe.contains("/unsubscribe/"), "{body}");
        assert!(!body.contains("数えない投稿"), "a post of another day or hidden: {body}");
        // Each section: its heading, at most LISTED items (a line and its address), then
        // perhaps the count of the rest and the list's address.
        for section in body.split("■ ").skip(1) {
            let items = section.lines().filter(|l| l.starts_with("  https://hub.example.jp/board/")).count();
            assert!(items <= digest::LISTED, "at most {} items a kind: {subject}\n{body}", digest::LISTED);
        }
    }
    // A sample a reader can look at: the Japanese reader with the most daily kinds.
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let sample = jobs
        .iter()
        .filter(|j| c.members[index[&j.0]].lang == "ja")
        .max_by_key(|j| (j.3.matches("■ ").count(), std::cmp::Reverse(j.0)))
        .expect("a Japanese digest");
    assert!(sample.3.contains("ほか") && sample.3.contains("/board?category="), "{}", sample.3);
    let english = jobs.iter().find(|j| c.members[index[&j.0]].lang == "en").expect("an English digest");
    assert!(english.3.contains("more\n  https://hub.example.jp/board?category="), "{}", english.3);
    // Its start, the end of its first kind (the count of the rest and the list's address)
    // and its footer.
    let lines: Vec<&str> = sample.3.lines().collect();
    let more = lines.iter().position(|l| l.starts_with("・ほか")).expect("more than ten of a kind");
    let shown =
        |range: std::ops::Range<usize>| -> String { lines[range].iter().map(|l| format!("    {l}\n")).collect() };
    let text = if std::env::var_os("DIGEST_BENCH_SAMPLE").is_some() {
        shown(0..lines.len())
    } else {
        format!("{}    …\n{}    …\n{}", shown(0..10), shown(more - 2..more + 4), shown(lines.len() - 6..lines.len()))
    };
    let sample = format!(
        "  sample to account {} ({} bytes, {} kinds): {}\n{text}",
        sample.0,
        sample.3.len(),
        sample.3.matches("■ ").count(),
        sample.2,
    );

    let mails: Vec<Outgoing> = jobs
        .into_iter()
        .map(|(account, to, subject, body, unsubscribe_url)| Outgoing {
            tenant: tenant.id,
            account: Some(socialhub::account::AccountId(account)),
            to,
            subject,
            body,
            unsubscribe_url,
        })
        .collect();
    // Where the time goes: each part again in a transaction rolled back, ROUNDS times.
    let (mut readers, mut news, mut enqueue) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        readers.push(
            timed_rolled_back(&db, async |tx| {
                std::hint::black_box(store::readers(tx, tenant.id).await?);
                Ok(())
            })
            .await?,
        );
        news.push(
            timed_rolled_back(&db, async |tx| {
                let (from, to) = (period.from, period.to);
                std::hint::black_box(socialhub::board::store::news_between(tx, tenant.id, from, to).await?);
                std::hint::black_box(socialhub::notification::store::between(tx, tenant.id, from, to).await?);
                Ok(())
            })
            .await?,
        );
        enqueue.push(timed_rolled_back(&db, async |tx| outbox::enqueue(tx, &mails, now).await).await?);
    }
    let (readers, news, enqueue) = (median(&readers), median(&news), median(&enqueue));
    // The build again, each time on the same rows after the queued mails and the claim
    // are deleted (committed, not timed), for the spread of one machine's times.
    let (mut builds, mut commits) = (vec![build], vec![commit]);
    for _ in 1..rounds {
        db.write(async |tx| {
            for sql in ["DELETE FROM mail_job", "DELETE FROM digest_run"] {
                with_tx!(tx, |conn| sqlx::query(sql).execute(&mut *conn).await?.rows_affected());
            }
            Ok::<_, StoreError>(())
        })
        .await?;
        let (queued, took, commit) = timed_build(&db, &site, &period, now).await?;
        assert_eq!(queued, Some(expected));
        builds.push(took);
        commits.push(commit);
    }
    db.close().await;
    Ok(Figures {
        backend,
        setup,
        build,
        builds,
        cpu: cpu_used,
        mails: count as usize,
        bytes,
        chars,
        peak_kb,
        before_kb,
        readers,
        news,
        enqueue,
        commit: median(&commits),
        sample,
    })
}

fn pg_admin_url() -> String {
    std::env::var("SOCIALHUB_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// On a fresh PostgreSQL database, dropped afterwards; `Ok(None)` when PostgreSQL cannot
/// be reached.
async fn run_postgres(c: &Center, day: NaiveDate, rounds: usize) -> anyhow::Result<Option<Figures>> {
    let admin = match tokio::time::timeout(Duration::from_secs(5), Db::connect(&pg_admin_url())).await {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => {
            println!("PostgreSQL: not reachable at {} ({e:#}); SQLite only", pg_admin_url());
            return Ok(None);
        }
        Err(_) => {
            println!("PostgreSQL: not reachable at {} (timed out); SQLite only", pg_admin_url());
            return Ok(None);
        }
    };
    let Db::Postgres(pg) = &admin else { anyhow::bail!("{} is not a PostgreSQL URL", pg_admin_url()) };
    let name = format!("sh_bench_digest_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pg.pool).await?;
    let mut url = url::Url::parse(&pg_admin_url())?;
    url.set_path(&name);
    let figures = run("PostgreSQL", url.as_str(), c, day, rounds).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&pg.pool).await?;
    admin.close().await;
    figures.map(Some)
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let members = numbers.first().copied().unwrap_or(10_000);
    let posts = numbers.get(1).copied().unwrap_or(1_000);
    let rounds = numbers.get(2).copied().unwrap_or(5).max(1);
    let only = |b: &str| !args.iter().any(|a| a == "sqlite" || a == "postgres") || args.iter().any(|a| a == b);
    let day = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    let c = center(members, posts);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let daily_readers =
        c.members.iter().filter(|m| m.verified && m.choices().kinds_at(Cadence::Daily).next().is_some()).count();
    println!(
        "digest of {day} ({threads} cores): {members} verified members (+100 unverified), {daily_readers} of them daily \
         for some kind, {} English; {} posts of the day; {} notifications of the day",
        c.members.iter().filter(|m| m.verified && m.lang == "en").count(),
        c.posts.len(),
        c.notes.len()
    );

    let mut all = Vec::new();
    if only("sqlite") {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("digest.sqlite3").display());
        all.push(run("SQLite", &url, &c, day, rounds).await?);
    }
    if only("postgres")
        && let Some(f) = run_postgres(&c, day, rounds).await?
    {
        all.push(f);
    }

    println!();
    println!(
        "| backend | first build (wall) | median of {rounds} (rounds) | CPU of this process, first build | mails queued | bodies (SUM(LENGTH(body))) | per mail | peak RSS (before) | setup |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for f in &all {
        let mut sorted = f.builds.clone();
        sorted.sort_unstable();
        println!(
            "| {} | {} | {} ({:.2}–{:.2} s) | {} | {} | {:.1} MB ({} characters) | {} B | {:.0} MB ({:.0} MB) | {} |",
            f.backend,
            secs(f.build),
            secs(median(&f.builds)),
            sorted[0].as_secs_f64(),
            sorted[sorted.len() - 1].as_secs_f64(),
            secs(f.cpu),
            f.mails,
            f.bytes as f64 / 1e6,
            f.chars,
            f.bytes / f.mails.max(1),
            f.peak_kb as f64 / 1024.0,
            f.before_kb as f64 / 1024.0,
            secs(f.setup)
        );
    }
    println!();
    for f in &all {
        let rendering = median(&f.builds).saturating_sub(f.readers + f.news + f.enqueue + f.commit);
        println!(
            "{}: readers read {}, news read {}, mails queued {}, commit {}, the rest (rendering) {}; aim under 10 s: {}",
            f.backend,
            secs(f.readers),
            secs(f.news),
            secs(f.enqueue),
            secs(f.commit),
            secs(rendering),
            if f.builds.iter().all(|b| *b < Duration::from_secs(10)) { "met" } else { "NOT met" }
        );
    }
    for f in &all {
        println!("\n{}:\n{}", f.backend, f.sample);
    }
    Ok(())
}
