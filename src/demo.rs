//! Demo data: accounts for each role in the default center, the attendance roster of
//! FY2022–FY2023 (`fixtures/roster-fy2022-fy2023.csv`, a copy of the shared fixture whose
//! FY2023 part adds up to the report's tables), and a second center (多賀城, on host
//! `tagajo.localhost`) to show tenants. Loading it twice changes nothing.

use crate::account::{Profile, Role, password, store as account_store};
use crate::db::{Db, StoreError};
use crate::sector::Sector;
use crate::tenant::store as tenant_store;

/// The password of every demo account. Demo data is for trying the platform, never for
/// a real center.
pub const DEMO_PASSWORD: &str = "socialhub-demo";

/// The shared fixture roster, built into the binary.
const ROSTER: &[u8] = include_bytes!("../fixtures/roster-fy2022-fy2023.csv");

struct DemoAccount {
    email: &'static str,
    name: &'static str,
    sector: Sector,
    affiliation: &'static str,
    role: Role,
}

const ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount {
        email: "admin@example.jp",
        name: "青葉 花子",
        sector: Sector::Npo,
        affiliation: "ソーシャルハブ事務局",
        role: Role::Admin,
    },
    DemoAccount {
        email: "coordinator@example.jp",
        name: "宮城 太郎",
        sector: Sector::Npo,
        affiliation: "NPO法人底上げ",
        role: Role::Coordinator,
    },
    DemoAccount {
        email: "member@example.jp",
        name: "仙台 一郎",
        sector: Sector::Citizen,
        affiliation: "五橋町内会",
        role: Role::Member,
    },
    DemoAccount {
        email: "company@example.jp",
        name: "杜 優子",
        sector: Sector::Company,
        affiliation: "株式会社杜の都技研",
        role: Role::Member,
    },
];

/// Loads the demo data into `db`.
///
/// # Errors
/// The database fails.
pub async fn load(db: &Db) -> anyhow::Result<()> {
    let default = tenant_store::get_default(db).await?;
    let tagajo = match tenant_store::insert(db, "tagajo", "多賀城ソーシャルハブ", &["tagajo.localhost".to_owned()])
        .await
    {
        Ok(Ok(_)) | Err(StoreError::Conflict { .. }) => tenant_store::get_by_slug(db, "tagajo").await?,
        Ok(Err(e)) => anyhow::bail!("demo center: {e}"),
        Err(e) => return Err(e.into()),
    };
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut created = 0;
    for tenant in [&default, &tagajo] {
        for a in &ACCOUNTS {
            let profile =
                Profile { display_name: a.name.to_owned(), sector: a.sector, affiliation: a.affiliation.to_owned() };
            match account_store::insert(db, tenant.id, a.email, &hash, &profile, a.role, true).await {
                Ok(_) => created += 1,
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let rows = crate::roster::parse_file(ROSTER, crate::event::EventKind::InfoExchange)
        .map_err(|e| anyhow::anyhow!("demo roster: {}", e[0].describe(crate::i18n::Lang::En)))?;
    let roster = crate::roster::store::import(db, default.id, &rows).await?;
    println!(
        "demo data: {created} new accounts, {} new events, {} new attendances; log in as admin@example.jp (事務局), \
         coordinator@example.jp or member@example.jp with the password {DEMO_PASSWORD}; a second center answers on \
         http://tagajo.localhost:PORT/",
        roster.events_created, roster.attendances_created
    );
    Ok(())
}
