//! The generated center of the digest benchmark: its members and their choices, the
//! day's posts and notifications (deterministic, so every run makes the same center),
//! written to the database, and the number of mails the day's digest must make, counted
//! from the generated data and not by the code under test.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use socialhub::board::Category;
use socialhub::db::{Db, StoreError, StoreResult};
use socialhub::i18n::wareki;
use socialhub::subscription::{Cadence, Choices, Kind};
use socialhub::tenant::TenantId;
use socialhub::with_tx;

/// A small deterministic generator (xorshift), so every run makes the same center.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// `true` with `percent` chances in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FAMILY: &[&str] =
    &["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "阿部", "菅原"];
const GIVEN: &[&str] = &["美咲", "一郎", "陽菜", "大輔", "結衣", "翔太", "さくら", "健一", "由美", "拓海"];
const EN_FAMILY: &[&str] = &["Smith", "Brown", "Nguyen", "Garcia", "Müller", "Kim"];
const EN_GIVEN: &[&str] = &["Anna", "James", "Linh", "Maria", "Tom", "Soo-ah"];
const PLACES: &[&str] = &["青葉区", "宮城野区", "若林区", "太白区", "泉区", "多賀城市", "名取市", "石巻市"];
const THEMES: &[&str] = &[
    "防災訓練",
    "子ども食堂",
    "空き家活用",
    "見守り活動",
    "日本語教室",
    "居住支援",
    "町内会の担い手",
    "地域包括ケア",
    "プロボノ",
    "避難所運営",
];
const WHATS: &[&str] = &[
    "のお知らせ",
    "の参加者を募集します",
    "に使える助成金の公募が始まりました",
    "のプロジェクトを立ち上げました",
    "の調査結果を公開しました",
    "の報告会を開きます",
    "についてのアンケートにご協力ください",
];
const NOTES: &[&str] = &["follow-note-stage", "follow-note-comment", "follow-note-lab"];

/// A member as generated, and what the checks expect of them.
pub struct Member {
    pub email: String,
    pub name: String,
    pub lang: &'static str,
    pub verified: bool,
    /// `None`: never saved their choices (the defaults).
    pub chose: Option<Choices>,
}

impl Member {
    pub fn choices(&self) -> Choices {
        self.chose.unwrap_or_default()
    }
}

/// The generated center.
pub struct Center {
    pub members: Vec<Member>,
    /// The day's published posts: (category, title, author's index).
    pub posts: Vec<(Category, String, usize)>,
    /// The day's notifications: (member's index, message id, subject, link).
    pub notes: Vec<(usize, &'static str, String, String)>,
}

fn board_cadence(r: &mut Rng) -> Cadence {
    match r.next() % 10 {
        0..=4 => Cadence::Daily,
        5 => Cadence::Immediately,
        6 | 7 => Cadence::Weekly,
        _ => Cadence::Never,
    }
}

pub fn center(members: usize, posts: usize) -> Center {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut all = Vec::with_capacity(members + 100);
    for i in 0..members + 100 {
        let verified = i < members;
        let english = r.chance(20);
        let name = if english {
            format!("{} {}", r.pick(EN_GIVEN), r.pick(EN_FAMILY))
        } else {
            format!("{} {}", r.pick(FAMILY), r.pick(GIVEN))
        };
        let chose = r.chance(50).then(|| {
            let mut c = Choices::default();
            for kind in Kind::ALL {
                let cadence = match kind {
                    k if k.is_board() => board_cadence(&mut r),
                    Kind::Issue if r.chance(30) => Cadence::Daily,
                    Kind::Issue => Cadence::Immediately,
                    _ if r.chance(30) => Cadence::Daily,
                    _ => Cadence::Weekly,
                };
                c.set(kind, cadence);
            }
            c
        });
        let email = if verified { format!("member{i}@example.jp") } else { format!("unverified{i}@example.jp") };
        all.push(Member { email, name, lang: if english { "en" } else { "ja" }, verified, chose });
    }
    // Categories as a board has them: notices the most, data the fewest.
    let weighted = [
        (Category::Notice, 30),
        (Category::Event, 25),
        (Category::Project, 20),
        (Category::Grant, 15),
        (Category::Data, 10),
    ];
    let post_list = (0..posts)
        .map(|_| {
            let mut x = r.next() % 100;
            let category = weighted
                .iter()
                .find(|(_, w)| {
                    let hit = x < *w;
                    x = x.saturating_sub(*w);
                    hit
                })
                .map_or(Category::Notice, |(c, _)| *c);
            let title = format!("{}の{}{}", r.pick(PLACES), r.pick(THEMES), r.pick(WHATS));
            (category, title, (r.next() % 20) as usize * 97 % members)
        })
        .collect();
    let mut notes = Vec::new();
    for n in 0..300 {
        let member = (n * 31 + 7) % members;
        for k in 0..2 {
            let issue = (n + k) % 40 + 1;
            let subject = format!("{}の{}", r.pick(PLACES), r.pick(THEMES));
            notes.push((member, r.pick(NOTES), subject, format!("/issues/{issue}")));
        }
    }
    Center { members: all, posts: post_list, notes }
}

/// `(…), (…)` with `$n` placeholders for `rows` rows of `cols` values.
fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::new();
    for row in 0..rows {
        if row > 0 {
            s.push(',');
        }
        s.push('(');
        for col in 0..cols {
            if col > 0 {
                s.push(',');
            }
            s.push_str(&format!("${}", row * cols + col + 1));
        }
        s.push(')');
    }
    s
}

const BATCH: usize = 500;

/// Fills the database with the center (not timed); returns the members' account ids.
pub async fn fill(db: &Db, tenant: TenantId, c: &Center, day: NaiveDate) -> StoreResult<Vec<i64>> {
    let from = wareki::jst_midnight(day);
    let created = from - TimeDelta::days(400);
    for members in c.members.chunks(BATCH * 4) {
        db.write(async |tx| {
            for chunk in members.chunks(BATCH) {
                let sql = format!(
                    "INSERT INTO account (tenant_id, email, password_hash, display_name, sector, email_verified_at, \
                     created_at, lang) VALUES {}",
                    placeholders(chunk.len(), 8)
                );
                with_tx!(tx, |conn| {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for m in chunk {
                        q = q
                            .bind(tenant.0)
                            .bind(&m.email)
                            .bind("$argon2id$not-a-real-hash")
                            .bind(&m.name)
                            .bind("citizen")
                            .bind(m.verified.then_some(created))
                            .bind(created)
                            .bind(m.lang);
                    }
                    q.execute(&mut *conn).await?;
                });
            }
            Ok::<_, StoreError>(())
        })
        .await?;
    }
    let ids: Vec<(i64, String)> = db
        .write(async |tx| {
            Ok::<_, StoreError>(with_tx!(tx, |conn| {
                sqlx::query_as("SELECT id, email FROM account WHERE tenant_id = $1")
                    .bind(tenant.0)
                    .fetch_all(&mut *conn)
                    .await?
            }))
        })
        .await?;
    let by_email: HashMap<String, i64> = ids.into_iter().map(|(id, e)| (e, id)).collect();
    let ids: Vec<i64> = c.members.iter().map(|m| by_email[&m.email]).collect();

    // Choices as `subscription::store::save` keeps them: a row for every kind.
    let rows: Vec<(i64, Kind, Cadence)> = c
        .members
        .iter()
        .zip(&ids)
        .filter_map(|(m, id)| m.chose.map(|ch| (*id, ch)))
        .flat_map(|(id, ch)| ch.iter().map(move |(k, cad)| (id, k, cad)).collect::<Vec<_>>())
        .collect();
    for rows in rows.chunks(BATCH * 8) {
        db.write(async |tx| {
            for chunk in rows.chunks(BATCH) {
                let sql = format!(
                    "INSERT INTO subscription (account_id, tenant_id, kind, cadence, updated_at) VALUES {}",
                    placeholders(chunk.len(), 5)
                );
                with_tx!(tx, |conn| {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (id, kind, cadence) in chunk {
                        q = q.bind(*id).bind(tenant.0).bind(*kind).bind(*cadence).bind(created);
                    }
                    q.execute(&mut *conn).await?;
                });
            }
            Ok::<_, StoreError>(())
        })
        .await?;
    }

    // The day's posts, evenly over the day, and some that must not be counted: the day
    // before's and the day after's, and hidden ones within the day.
    let day_secs = 86_400 / c.posts.len().max(1) as i64;
    let mut posts: Vec<(Category, String, i64, &str, DateTime<Utc>)> = c
        .posts
        .iter()
        .enumerate()
        .map(|(i, (cat, title, author))| {
            (*cat, title.clone(), ids[*author], "published", from + TimeDelta::seconds(i as i64 * day_secs + 1))
        })
        .collect();
    for i in 0..30 {
        let (status, at) = match i % 3 {
            0 => ("published", from - TimeDelta::minutes(i + 1)),
            1 => ("published", from + TimeDelta::days(1) + TimeDelta::minutes(i)),
            _ => ("hidden", from + TimeDelta::hours(i % 24)),
        };
        posts.push((Category::Notice, format!("数えない投稿{i}"), ids[0], status, at));
    }
    db.write(async |tx| {
        for chunk in posts.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO board_post (tenant_id, author_account_id, category, audience, title, body, body_html, \
                 status, created_at, updated_at, announced_at) VALUES {}",
                placeholders(chunk.len(), 11)
            );
            with_tx!(tx, |conn| {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (category, title, author, status, at) in chunk {
                    let body = format!("{title}。詳しくは添付の資料をご覧ください。ご参加をお待ちしています。");
                    q = q
                        .bind(tenant.0)
                        .bind(*author)
                        .bind(category.code())
                        .bind("public")
                        .bind(title)
                        .bind(body.clone())
                        .bind(format!("<p>{body}</p>"))
                        .bind(*status)
                        .bind(*at)
                        .bind(*at)
                        .bind(*at);
                }
                q.execute(&mut *conn).await?;
            });
        }
        let sql = format!(
            "INSERT INTO notification (tenant_id, account_id, message_id, subject, link, created_at, mailed_at) \
             VALUES {}",
            placeholders(c.notes.len(), 7)
        );
        with_tx!(tx, |conn| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (i, (member, message, subject, link)) in c.notes.iter().enumerate() {
                let at = from + TimeDelta::seconds(i as i64 * 97 % 86_400);
                q = q.bind(tenant.0).bind(ids[*member]).bind(*message).bind(subject).bind(link).bind(at).bind(at);
            }
            q.execute(&mut *conn).await?;
        });
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(ids)
}

/// How many digests the day must make: one for each verified reader who chose the
/// daily digest for a kind that had news (a board category with posts, or issues they
/// follow with a notification of theirs).
pub fn expected_mails(c: &Center) -> usize {
    let mut posted: HashMap<Kind, usize> = HashMap::new();
    for (cat, _, _) in &c.posts {
        *posted.entry(Kind::of_board(*cat)).or_default() += 1;
    }
    let noted: std::collections::HashSet<usize> = c.notes.iter().map(|n| n.0).collect();
    c.members
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            m.verified
                && m.choices()
                    .kinds_at(Cadence::Daily)
                    .any(|k| posted.contains_key(&k) || (k == Kind::Issue && noted.contains(i)))
        })
        .count()
}
