//! Match suggestions at scale (issue 18): a center of 10,000 needs and 10,000 offers, and
//! the time a need's page takes to suggest matches for it, as `probono::web::suggestions`
//! does: `store::candidates` (the open offers of the need's kind, not over, that the
//! viewer may read), the poster's own offers left out, then `matching::suggest` with a
//! limit of 10, on SQLite and, when it can be reached, PostgreSQL.
//!
//! The setup (not timed) makes a fresh database and writes a generated center through the
//! store (`center.rs`: a seeded generator, so every run makes the same one): 3,000 members
//! and 150 organisations; needs and offers of the five kinds (skills 40%, hands 20%,
//! places and equipment 15% each, money 10%), skills from the shared list, 0–4 tags from
//! a pool of 50, a place in one of Sendai's five wards (written 若林区, 仙台市若林区 or
//! 若林区荒井) or none, some online, a time window or not (some over by the day asked);
//! shown to the public, members or coordinators; some needs met or closed and some
//! offers closed.
//!
//! What is measured is checked before any figure is printed, for every need of the
//! sample and both viewers: the offers read are exactly the open ones of the need's kind,
//! not over, shown to the viewer, with the terms they were posted with (counted from the
//! generated data, not by the code under test); the suggestions are at most 10, of the
//! need's kind, each with at least one reason, best first (then the newest), and the
//! first ones of a brute-force pass of `matching::reasons` over all 10,000 generated
//! offers in memory (the same scores and creation times in the same order, each offer
//! with the same score and reasons).
//!
//! `cargo bench --bench matching [-- NEEDS OFFERS SAMPLE ROUNDS] [sqlite|postgres]`
//! (10000 10000 200 3 by default) prints, per backend and viewer (a coordinator, who is
//! suggested among all offers; the member who posted the need, among those shown to
//! members), the wall-clock time to suggest matches for one need, over SAMPLE open needs
//! taken evenly from all (each ROUNDS times, after one round not timed): median, p95 and
//! the slowest; its two parts (reading the candidates; in memory, leaving out the
//! poster's own and `matching::suggest`);
//! the medians by kind; this process's CPU time per need; where a coordinator's read
//! goes (the same rows counted in the database, their ids read, their whole rows read
//! but not decoded, the same without the body, the whole read made into offers); the
//! coordinators' queue (`/coordination`: the 300 oldest open needs, each with its
//! suggestions); the slowest need's every round; and the aim (under 50 ms) against p95,
//! with how many measures reached 50 ms. PostgreSQL is at `SOCIALHUB_TEST_POSTGRES_URL` (by default
//! `postgres://postgres@127.0.0.1:5432/postgres`); a database is made for the run and
//! dropped after it; when PostgreSQL cannot be reached the bench says so and measures
//! SQLite only.

mod center;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use socialhub::db::Db;
use socialhub::probono::matching::{self, Reason, Suggestion};
use socialhub::probono::{Kind, Need, NeedStatus, Offer, OfferId, OfferStatus, store};
use socialhub::tenant::{Tenant, TenantId};
use socialhub::visibility::Viewer;
use socialhub::with_db;

use center::{Center, Ids, center, fill};

/// How many suggestions a need's page asks for (`probono::web::SUGGESTIONS`).
const LIMIT: usize = 10;

/// The viewers measured, as `Viewer::of` makes them: a coordinator (or the secretariat),
/// and the member who posted the need.
const VIEWERS: [(Viewer, &str); 2] = [(Viewer::Coordinator, "coordinator"), (Viewer::Member, "member")];

/// Every offer that could meet a need, for a viewer: (offer's index, score, reasons), by
/// `matching::reasons` over all the generated offers in memory (open, shown to the
/// viewer, not the need's poster's own), in the generated order.
type Expected = Vec<(usize, u32, Vec<Reason>)>;

fn brute_force(c: &Center, need: usize, viewer: Viewer, today: NaiveDate) -> Expected {
    let (terms, poster) = (&c.needs[need].draft.terms, c.needs[need].poster);
    c.offers
        .iter()
        .enumerate()
        .filter(|(_, o)| o.open() && o.draft.visibility.shows_to(viewer) && o.poster != poster)
        .filter_map(|(i, o)| matching::reasons(terms, &o.draft.terms, today).map(|(score, why)| (i, score, why)))
        .collect()
}

/// Times of one viewer on one backend, one entry per need and round.
#[derive(Default)]
struct Times {
    read: Vec<Duration>,
    suggest: Vec<Duration>,
    total: Vec<Duration>,
    /// The need's kind, its place in the sample, the round, and how many offers were
    /// read, per entry.
    kinds: Vec<Kind>,
    needs: Vec<usize>,
    rounds: Vec<usize>,
    candidates: Vec<usize>,
    /// Needs of the sample with at least one suggestion; suggestions in all.
    with_some: usize,
    suggested: usize,
    /// The timed rounds' wall-clock time and this process's CPU time (user and system,
    /// all its threads: on SQLite the database's work too, on PostgreSQL only the
    /// client's).
    wall: Duration,
    cpu: Duration,
}

/// Where a coordinator's read of the candidates goes: medians over the sample of each
/// step, from the database's part alone to the whole read.
type ReadParts = Vec<(&'static str, Duration)>;

/// One backend's figures.
struct Figures {
    backend: &'static str,
    setup: Duration,
    viewers: Vec<(&'static str, Times)>,
    parts: ReadParts,
    /// The coordinators' queue, each round: (time, needs in it).
    queue: Vec<(Duration, usize)>,
    sample: String,
}

/// The process's CPU time, user and system (`/proc/self/stat`, at 100 ticks a second).
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|i| fields.get(*i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

fn percentile(times: &[Duration], p: f64) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Checks one need's candidates and suggestions against the generated data.
#[allow(clippy::too_many_arguments)]
fn check(
    c: &Center,
    index: &HashMap<OfferId, usize>,
    need: &Need,
    viewer: Viewer,
    today: NaiveDate,
    read: &[Offer],
    got: &[Suggestion<'_>],
    expected: &Expected,
) {
    let kind = need.terms.kind.expect("a need has a kind");
    // The offers read: exactly the open ones of the kind, not over, shown to the viewer,
    // each with the terms it was posted with.
    let read_ids: HashSet<usize> = read.iter().map(|o| index[&o.id]).collect();
    assert_eq!(read_ids.len(), read.len(), "each offer read once");
    let wanted: HashSet<usize> = c
        .offers
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            let t = &o.draft.terms;
            o.open()
                && t.kind == Some(kind)
                && o.draft.visibility.shows_to(viewer)
                && t.ends_on.is_none_or(|e| e >= today)
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(read_ids, wanted, "the candidates of need {}", need.id.0);
    for o in read {
        assert_eq!(o.terms, c.offers[index[&o.id]].draft.terms, "offer {} as posted", o.id.0);
        assert_eq!(o.status, OfferStatus::Open);
    }

    // The suggestions: at most LIMIT, of the kind, each with a reason, best first (then
    // the newest), and the brute force's first ones.
    assert!(got.len() <= LIMIT);
    assert_eq!(got.len(), expected.len().min(LIMIT), "need {}: {} could meet it", need.id.0, expected.len());
    for s in got {
        assert_eq!(s.offer.terms.kind, Some(kind));
        assert_ne!(s.offer.account_id, need.account_id, "the poster's own offer suggested");
        assert!(!s.reasons.is_empty(), "offer {} suggested without a reason", s.offer.id.0);
        assert!(s.offer.visibility.shows_to(viewer) && s.offer.status == OfferStatus::Open);
        assert!(s.offer.terms.ends_on.is_none_or(|e| e >= today), "offer {} is over", s.offer.id.0);
    }
    for pair in got.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a.score > b.score || (a.score == b.score && a.offer.created_at >= b.offer.created_at),
            "need {}: offers {} and {} out of order",
            need.id.0,
            a.offer.id.0,
            b.offer.id.0
        );
    }
    let created: HashMap<usize, DateTime<Utc>> = read.iter().map(|o| (index[&o.id], o.created_at)).collect();
    let mut best: Vec<&(usize, u32, Vec<Reason>)> = expected.iter().collect();
    best.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| created[&b.0].cmp(&created[&a.0])));
    let by_index: HashMap<usize, &(usize, u32, Vec<Reason>)> = expected.iter().map(|e| (e.0, e)).collect();
    let got_keys: Vec<(u32, DateTime<Utc>)> = got.iter().map(|s| (s.score, s.offer.created_at)).collect();
    let best_keys: Vec<(u32, DateTime<Utc>)> = best.iter().take(LIMIT).map(|e| (e.1, created[&e.0])).collect();
    assert_eq!(got_keys, best_keys, "need {}: the brute force's best", need.id.0);
    for s in got {
        let e = by_index
            .get(&index[&s.offer.id])
            .unwrap_or_else(|| panic!("offer {} not in the brute force", s.offer.id.0));
        assert_eq!((e.1, &e.2), (s.score, &s.reasons), "need {}, offer {}", need.id.0, s.offer.id.0);
    }
}

/// The candidates as `probono::web::suggestions` keeps them: never the poster's own
/// offers (left out before the best are chosen).
fn others(mut offers: Vec<Offer>, need: &Need) -> Vec<Offer> {
    offers.retain(|o| o.account_id != need.account_id);
    offers
}

/// The coordinators' queue as `probono::web::queue` builds it (without its page): the
/// open needs, each with its suggestions among all offers of its kind, read once per kind
/// for the whole queue (its first three kept).
async fn queue(db: &Db, tenant: TenantId, today: NaiveDate) -> anyhow::Result<usize> {
    let needs = store::open_needs(db, tenant).await?;
    let mut candidates: std::collections::HashMap<Kind, Vec<Offer>> = std::collections::HashMap::new();
    let mut kept = 0;
    for need in &needs {
        let Some(kind) = need.terms.kind else { continue };
        let offers = match candidates.entry(kind) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(store::candidates(db, tenant, kind, Viewer::Coordinator, today).await?)
            }
        };
        let found = matching::suggest(need, offers, today, 3);
        kept += found.len();
        std::hint::black_box(&found);
    }
    std::hint::black_box(kept);
    Ok(needs.len())
}

/// Where the read of the candidates goes, for a coordinator: the same rows counted in the
/// database; their ids read; their whole rows read but not decoded; the same without the
/// body; the whole read (`store::candidates`: the rows decoded and made into offers).
/// The query is `store::candidates`'s (keep them the same).
async fn read_parts(db: &Db, tenant: TenantId, needs: &[Need], today: NaiveDate) -> anyhow::Result<ReadParts> {
    const WHERE: &str = "FROM offer n LEFT JOIN organisation o ON o.id = n.organisation_id WHERE n.tenant_id = $1 \
                         AND n.status = 'open' AND n.kind = $2 AND n.visibility IN ($3, $4, $5) \
                         AND (n.ends_on IS NULL OR n.ends_on >= $6)";
    const COLUMNS: &str = "n.id, n.tenant_id, n.account_id, n.organisation_id, o.name AS organisation_name, n.title, \
                           n.body, n.kind, n.skills, n.tags, n.place, n.online, n.starts_on, n.ends_on, n.visibility, \
                           n.status, n.created_at";
    let count_sql = format!("SELECT COUNT(*) {WHERE}");
    let ids_sql = format!("SELECT n.id {WHERE}");
    let rows_sql = format!("SELECT {COLUMNS} {WHERE}");
    let no_body_sql = rows_sql.replace("n.body, ", "");
    let [a, b, c] = Viewer::Coordinator.codes_shown();
    const STEPS: usize = 5;
    let mut steps: [(&str, Vec<Duration>); STEPS] = [
        ("the rows counted in the database", vec![]),
        ("their ids read", vec![]),
        ("their whole rows read, not decoded", vec![]),
        ("the same without the body", vec![]),
        ("decoded into offers (store::candidates)", vec![]),
    ];
    // Each need takes the steps in another order, so that none always comes first.
    for (k, need) in needs.iter().enumerate() {
        let kind = need.terms.kind.expect("a kind");
        macro_rules! bound {
            ($q:expr) => {
                $q.bind(tenant).bind(kind).bind(a).bind(b).bind(c).bind(today)
            };
        }
        let mut rows = [0; STEPS];
        for step in (0..STEPS).map(|s| (s + k) % STEPS) {
            let t = Instant::now();
            rows[step] = match step {
                0 => {
                    let n: i64 = with_db!(db, |p| {
                        bound!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()))).fetch_one(p).await?
                    });
                    n as usize
                }
                1 => {
                    let ids: Vec<i64> = with_db!(db, |p| {
                        bound!(sqlx::query_scalar(sqlx::AssertSqlSafe(ids_sql.as_str()))).fetch_all(p).await?
                    });
                    ids.len()
                }
                2 => with_db!(db, |p| bound!(sqlx::query(sqlx::AssertSqlSafe(rows_sql.as_str())))
                    .fetch_all(p)
                    .await?
                    .len()),
                3 => with_db!(db, |p| bound!(sqlx::query(sqlx::AssertSqlSafe(no_body_sql.as_str())))
                    .fetch_all(p)
                    .await?
                    .len()),
                _ => store::candidates(db, tenant, kind, Viewer::Coordinator, today).await?.len(),
            };
            steps[step].1.push(t.elapsed());
        }
        assert!(rows.iter().all(|n| *n == rows[4]), "the same rows: {rows:?}");
    }
    Ok(steps.into_iter().map(|(what, times)| (what, median(&times))).collect())
}

#[allow(clippy::too_many_lines)]
async fn run(
    backend: &'static str,
    url: &str,
    c: &Center,
    sample: &[usize],
    expected: &[[Expected; 2]],
    today: NaiveDate,
    rounds: usize,
) -> anyhow::Result<Figures> {
    let started = Instant::now();
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let tenant: Tenant = socialhub::tenant::store::ensure_default(&db, "せんだい・みやぎソーシャルハブ").await?;
    let Ids { needs: need_ids, offers: offer_ids } = fill(&db, tenant.id, c).await?;
    db.analyze().await?;
    let setup = started.elapsed();
    let index: HashMap<OfferId, usize> = offer_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

    // The needs as their page has read them (not timed), as posted.
    let mut needs = Vec::with_capacity(sample.len());
    for &i in sample {
        let need = store::get_need(&db, tenant.id, need_ids[i]).await?;
        assert_eq!(need.terms, c.needs[i].draft.terms, "need {} as posted", need.id.0);
        assert_eq!(need.status, NeedStatus::Open);
        needs.push(need);
    }

    // What is measured, checked for every need of the sample and both viewers.
    let mut viewers = Vec::new();
    for (v, (viewer, name)) in VIEWERS.iter().enumerate() {
        let mut times = Times::default();
        for (need, expected) in needs.iter().zip(expected) {
            let kind = need.terms.kind.expect("a kind");
            let read = store::candidates(&db, tenant.id, kind, *viewer, today).await?;
            let kept = others(read.clone(), need);
            let got = matching::suggest(need, &kept, today, LIMIT);
            check(c, &index, need, *viewer, today, &read, &got, &expected[v]);
            times.with_some += usize::from(!got.is_empty());
            times.suggested += got.len();
        }
        viewers.push((*name, times));
    }
    // Most needs find something (in the generated center, all but one of the sample).
    for (name, times) in &viewers {
        assert!(
            times.with_some * 2 > needs.len(),
            "{name}: only {} of {} needs find a match",
            times.with_some,
            needs.len()
        );
    }

    // A sample a reader can look at: the first need of the sample with ten suggestions,
    // as a coordinator sees them.
    let shown = (0..needs.len())
        .find(|k| expected[*k][0].len() >= LIMIT && needs[*k].terms.kind == Some(Kind::Skill))
        .map_or(&needs[0], |k| &needs[k]);
    let read = store::candidates(&db, tenant.id, shown.terms.kind.expect("a kind"), Viewer::Coordinator, today).await?;
    let all_read = read.len();
    let read = others(read, shown);
    let got = matching::suggest(shown, &read, today, LIMIT);
    let t = &shown.terms;
    let mut text = format!(
        "  need {} 「{}」: {:?}, skills {:?}, tags {:?}, place {:?}, online {}, {:?}〜{:?}; {all_read} offers read, {} of them \
         others'\n",
        shown.id.0,
        shown.title,
        t.kind,
        t.skills,
        t.tags,
        t.place,
        t.online,
        t.starts_on,
        t.ends_on,
        read.len()
    );
    for s in &got {
        text.push_str(&format!(
            "    {:>2}  offer {:>5} 「{}」: {:?}\n",
            s.score, s.offer.id.0, s.offer.title, s.reasons
        ));
    }

    // The measure: one round not timed, then ROUNDS rounds over the sample, viewer by
    // viewer.
    for (viewer, times) in VIEWERS.iter().map(|v| v.0).zip(viewers.iter_mut().map(|v| &mut v.1)) {
        let mut since = (Instant::now(), cpu());
        for round in 0..=rounds {
            if round == 1 {
                since = (Instant::now(), cpu());
            }
            for (k, need) in needs.iter().enumerate() {
                let kind = need.terms.kind.expect("a kind");
                let t = Instant::now();
                let offers = store::candidates(&db, tenant.id, kind, viewer, today).await?;
                let read = t.elapsed();
                let count = offers.len();
                let offers = others(offers, need);
                let found = matching::suggest(need, &offers, today, LIMIT);
                let total = t.elapsed();
                std::hint::black_box(&found);
                if round > 0 {
                    times.read.push(read);
                    times.suggest.push(total - read);
                    times.total.push(total);
                    times.kinds.push(kind);
                    times.needs.push(k);
                    times.rounds.push(round);
                    times.candidates.push(count);
                }
            }
        }
        times.wall = since.0.elapsed();
        times.cpu = cpu() - since.1;
    }
    let parts = read_parts(&db, tenant.id, &needs, today).await?;
    let mut queues = Vec::new();
    for _ in 0..rounds.min(3) {
        let t = Instant::now();
        let n = queue(&db, tenant.id, today).await?;
        queues.push((t.elapsed(), n));
    }
    db.close().await;
    Ok(Figures { backend, setup, viewers, parts, queue: queues, sample: text })
}

fn pg_admin_url() -> String {
    std::env::var("SOCIALHUB_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// On a fresh PostgreSQL database, dropped afterwards; `Ok(None)` when PostgreSQL cannot
/// be reached.
async fn run_postgres(
    c: &Center,
    sample: &[usize],
    expected: &[[Expected; 2]],
    today: NaiveDate,
    rounds: usize,
) -> anyhow::Result<Option<Figures>> {
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
    let name = format!("sh_bench_matching_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pg.pool).await?;
    let mut url = url::Url::parse(&pg_admin_url())?;
    url.set_path(&name);
    let figures = run("PostgreSQL", url.as_str(), c, sample, expected, today, rounds).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&pg.pool).await?;
    admin.close().await;
    figures.map(Some)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let need_count = numbers.first().copied().unwrap_or(10_000);
    let offer_count = numbers.get(1).copied().unwrap_or(10_000);
    let sample_size = numbers.get(2).copied().unwrap_or(200).max(1);
    let rounds = numbers.get(3).copied().unwrap_or(3).max(1);
    let only = |b: &str| !args.iter().any(|a| a == "sqlite" || a == "postgres") || args.iter().any(|a| a == b);
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    let c = center(need_count, offer_count, today);

    // The sample: open needs taken evenly from all.
    let open: Vec<usize> = (0..c.needs.len()).filter(|i| c.needs[*i].open()).collect();
    let step = (open.len() / sample_size).max(1);
    let sample: Vec<usize> = open.iter().step_by(step).take(sample_size).copied().collect();
    let started = Instant::now();
    let expected: Vec<[Expected; 2]> =
        sample.iter().map(|&i| VIEWERS.map(|(viewer, _)| brute_force(&c, i, viewer, today))).collect();
    let brute = started.elapsed();

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let count =
        |posts: &[center::Posted], kind: Kind| posts.iter().filter(|p| p.draft.terms.kind == Some(kind)).count();
    let over = c.offers.iter().filter(|o| o.draft.terms.ends_on.is_some_and(|e| e < today)).count();
    println!(
        "match suggestions on {today} ({threads} cores): {} needs ({} open), {} offers ({} open, {over} over by then); \
         a sample of {} open needs, {rounds} rounds",
        c.needs.len(),
        open.len(),
        c.offers.len(),
        c.offers.iter().filter(|o| o.open()).count(),
        sample.len(),
    );
    for kind in Kind::ALL {
        println!(
            "  {:<9} needs {:>5}, offers {:>5}, in the sample {:>3}",
            kind.code(),
            count(&c.needs, kind),
            count(&c.offers, kind),
            sample.iter().filter(|i| c.needs[**i].draft.terms.kind == Some(kind)).count()
        );
    }
    println!(
        "the brute force over all offers in memory, for the checks: {} for the sample's 2 × {}",
        ms(brute),
        sample.len()
    );

    let mut all = Vec::new();
    if only("sqlite") {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("matching.sqlite3").display());
        all.push(run("SQLite", &url, &c, &sample, &expected, today, rounds).await?);
    }
    if only("postgres")
        && let Some(f) = run_postgres(&c, &sample, &expected, today, rounds).await?
    {
        all.push(f);
    }

    println!(
        "\nchecked: for each need of the sample and each viewer, the offers read and the suggestions are those the generated data gives"
    );
    println!();
    println!(
        "| backend | viewer | offers read (mean, most) | one need: median | p95 | slowest | read: median, p95 | in memory (own left out, suggest): median, p95, slowest | needs with a match (suggestions) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for f in &all {
        for (name, t) in &f.viewers {
            println!(
                "| {} | {} | {:.0}, {} | {} | {} | {} | {}, {} | {}, {}, {} | {} of {} ({}) |",
                f.backend,
                name,
                t.candidates.iter().sum::<usize>() as f64 / t.candidates.len() as f64,
                t.candidates.iter().max().copied().unwrap_or(0),
                ms(median(&t.total)),
                ms(percentile(&t.total, 0.95)),
                ms(percentile(&t.total, 1.0)),
                ms(median(&t.read)),
                ms(percentile(&t.read, 0.95)),
                ms(median(&t.suggest)),
                ms(percentile(&t.suggest, 0.95)),
                ms(percentile(&t.suggest, 1.0)),
                t.with_some,
                sample.len(),
                t.suggested
            );
        }
    }
    println!();
    println!("medians by the need's kind (offers read, median of one need: read + in memory):");
    for f in &all {
        for (name, t) in &f.viewers {
            let mut line = format!("  {} {name}:", f.backend);
            for kind in Kind::ALL {
                let of: Vec<usize> = (0..t.kinds.len()).filter(|i| t.kinds[*i] == kind).collect();
                if of.is_empty() {
                    continue;
                }
                let pick = |v: &[Duration]| median(&of.iter().map(|i| v[*i]).collect::<Vec<_>>());
                line.push_str(&format!(
                    " {} {} offers {} ({} + {});",
                    kind.code(),
                    t.candidates[of[0]],
                    ms(pick(&t.total)),
                    ms(pick(&t.read)),
                    ms(pick(&t.suggest))
                ));
            }
            println!("{line}");
        }
    }
    println!();
    println!("this process's CPU time per need, mean over the timed rounds (wall-clock time beside it):");
    for f in &all {
        for (name, t) in &f.viewers {
            let n = t.total.len().max(1) as u32;
            println!("  {} {name}: CPU {} (wall {})", f.backend, ms(t.cpu / n), ms(t.wall / n));
        }
    }
    println!();
    for f in &all {
        let parts: Vec<String> = f.parts.iter().map(|(what, d)| format!("{what} {}", ms(*d))).collect();
        println!(
            "{}: where a coordinator's read goes, medians over the sample: {}; setup {:.1} s",
            f.backend,
            parts.join(", "),
            f.setup.as_secs_f64()
        );
        let queue: Vec<String> = f.queue.iter().map(|(d, n)| format!("{:.2} s ({n} needs)", d.as_secs_f64())).collect();
        println!("{}: the coordinators' queue (/coordination), each round: {}", f.backend, queue.join(", "));
    }
    println!();
    println!("the slowest of each (the same need's every round):");
    for f in &all {
        for (name, t) in &f.viewers {
            let slowest = (0..t.total.len()).max_by_key(|i| t.total[*i]).expect("measured");
            let same: Vec<String> =
                (0..t.total.len()).filter(|i| t.needs[*i] == t.needs[slowest]).map(|i| ms(t.total[i])).collect();
            println!(
                "  {} {name}: {} in round {}, a need of kind {} ({} offers read): {}",
                f.backend,
                ms(t.total[slowest]),
                t.rounds[slowest],
                t.kinds[slowest].code(),
                t.candidates[slowest],
                same.join(", ")
            );
        }
    }
    println!();
    println!("aim: under 50 ms to suggest matches for one need:");
    for f in &all {
        for (name, t) in &f.viewers {
            let over = t.total.iter().filter(|d| **d >= Duration::from_millis(50)).count();
            let p95 = percentile(&t.total, 0.95);
            println!(
                "  {} {name}: p95 {} ({}), {over} of {} measures at 50 ms or over",
                f.backend,
                ms(p95),
                if p95 < Duration::from_millis(50) { "met" } else { "NOT met" },
                t.total.len()
            );
        }
    }
    for f in &all {
        println!("\n{} (a coordinator's suggestions, score and reasons):\n{}", f.backend, f.sample);
    }
    Ok(())
}
