//! The command line: `serve` (the default), `migrate`, `admin`, `demo`, `backup`, `restore`.
//! Every command works on the database `serve` uses, also while it runs.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::account::{self, Role, password};
use crate::config::{Config, Layer, LogFormat, Secret};
use crate::db::Db;
use crate::tenant::store as tenant_store;

#[derive(Parser, Debug)]
#[command(name = "socialhub", version, about = "A civic co-creation hub")]
struct Cli {
    /// Configuration file (default: ./socialhub.toml if it exists).
    #[arg(long, global = true, env = "SOCIALHUB_CONFIG")]
    config: Option<PathBuf>,
    /// Database: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Log lines as text or JSON.
    #[arg(long, global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Load the demo data first (as `socialhub demo` does).
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Secretariat accounts and centers.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Load demo data: a secretariat, coordinator and member accounts, and a second center.
    Demo,
    /// Reports the center gives its city.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Search the public records (`socialhub search 居住支援 --format json`), or rebuild
    /// the search index of every instance (`socialhub search reindex`).
    Search {
        /// The words to find (each must appear as written), or `reindex`.
        #[arg(required = true)]
        query: Vec<String>,
        /// text or json (an array of hits: kind, title, url, snippet).
        #[arg(long, default_value = "text")]
        format: String,
        /// How many hits at most (1–100).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Only this kind: event, issue, lab, roadmap, consultation.
        #[arg(long)]
        kind: Option<String>,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Consultations (意見募集): list them, take in comments received outside the page,
    /// and read their comments folded and grouped.
    Consultation {
        #[command(subcommand)]
        command: ConsultationCommand,
    },
    /// Copy the SQLite database to a file, consistently, while the server runs.
    Backup {
        /// The file to write (must not exist).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Put a SQLite backup back in place of the database, after checking it (stop serve
    /// first; the database it replaces is kept beside it, renamed).
    Restore {
        /// The backup to restore (written by `socialhub backup`).
        file: PathBuf,
    },
    /// Remove the personal data that has outlived its retention period, in every center
    /// (`serve` does it every hour): guests' names and addresses, comments' addresses,
    /// old lines of the access log.
    Purge,
}

#[derive(Subcommand, Debug)]
enum ConsultationCommand {
    /// The center's consultations with their ids, the newest first.
    List {
        /// text or json (an array: id, lab, version, opens_on, closes_on, phase, comments).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Comments of a consultation.
    Comments {
        #[command(subcommand)]
        command: ConsultationCommentsCommand,
    },
    /// A consultation's comments folded (copies counted once) and grouped by what they
    /// say, paragraph by paragraph.
    Groups {
        #[arg(long)]
        id: i64,
        /// text or json ({"paragraphs": [{"paragraph", "groups": [{"label", "entries":
        /// [{"text", "count", "texts"}]}]}]}).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ConsultationCommentsCommand {
    /// Comments received on paper, by post, mail or fax, or at the venue: a CSV with the
    /// columns 段落, 意見, 提出方法 (紙, 郵送, メール, FAX, 会場, ウェブ) and optionally 連絡先.
    /// Nothing is imported if any row is wrong; every problem is named by line and column.
    Import {
        #[arg(long)]
        id: i64,
        file: PathBuf,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// The annual report for one fiscal year (April–March), counted from attendance records.
    Annual {
        /// The fiscal year by its first calendar year: 2023 is 令和5年度 (2023-04 … 2024-03).
        #[arg(long)]
        fiscal_year: i32,
        /// Kind of session, by its code (info_exchange, study, report, training,
        /// secretariat_meeting) or its Japanese name (情報交換会, 勉強会, …).
        #[arg(long, default_value = "info_exchange")]
        kind: String,
        #[arg(long, default_value = "html", value_parser = ["html", "json", "csv", "xlsx"])]
        format: String,
        /// Language of the labels (default from LANG, else Japanese).
        #[arg(long, value_parser = ["ja", "en"])]
        lang: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// An attendance roster (CSV or XLSX; 日付, テーマ, 氏名, メール, 所属, 属性, 初参加, 参加方法
    /// and optionally 種別). Nothing is imported if any row is wrong; every bad row is
    /// named by its line and column.
    Roster {
        file: PathBuf,
        /// Kind of the events when the file has no 種別 column: a code (info_exchange,
        /// study, report, training, secretariat_meeting) or its Japanese name (勉強会 …).
        #[arg(long, default_value = "info_exchange")]
        kind: String,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Articles from a folder: Markdown files with front matter (title, date, category,
    /// tags, draft) and WordPress eXtended RSS exports (note.com's), with the pictures they
    /// show (from the folder, or for an export from the web). Nothing is imported if any
    /// file is wrong; each problem is named by file and line. Importing again updates.
    Articles {
        folder: PathBuf,
        /// The category of exported posts that name none the platform knows: a code
        /// (session_report, lab_result, hearing_summary, notice, casebook) or its Japanese name.
        #[arg(long, default_value = "session_report")]
        category: String,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create a secretariat (admin) account. The password is read from
    /// SOCIALHUB_ADMIN_PASSWORD or, if unset, from the first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        /// Display name, family name first.
        #[arg(long)]
        name: String,
        /// フリガナ of the name, in katakana or hiragana.
        #[arg(long)]
        furigana: String,
        /// Sector code: citizen, company, university, npo, government, councilor.
        #[arg(long, default_value = "npo")]
        sector: String,
        #[arg(long, default_value = "")]
        affiliation: String,
        /// The center's slug (default: the default center).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Centers hosted by this deployment.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
}

#[derive(Subcommand, Debug)]
enum TenantCommand {
    /// Add a center served on the given host names.
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// Host name (repeatable), e.g. --host tagajo.example.jp
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
    },
    /// List the centers and their host names.
    List,
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SOCIALHUB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Parses the command line and runs the command.
///
/// # Errors
/// Whatever stops the command, as one message with its causes.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let listen = match &cli.command {
        Some(Command::Serve { listen, .. }) => *listen,
        _ => None,
    };
    let flags = Layer {
        listen,
        database_url: cli.database_url.clone().map(Secret),
        log_format: cli.log_format,
        ..Layer::default()
    };
    let config = Config::load(cli.config.as_deref(), flags)?;
    init_tracing(config.log_format);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(dispatch(cli.command.unwrap_or(Command::Serve { listen: None, demo: false }), config))
}

/// Connects, migrates and makes sure the default center exists.
async fn open(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url.0).await?;
    db.migrate().await?;
    tenant_store::ensure_default(&db, &config.center_name).await?;
    if crate::markdown::render_stored_again(&db).await? {
        tracing::info!(version = crate::markdown::RENDERER, "stored texts rendered again");
    }
    Ok(db)
}

/// The center with this slug, or the default one.
async fn tenant_for(db: &Db, slug: Option<String>) -> anyhow::Result<crate::tenant::Tenant> {
    Ok(match slug {
        Some(slug) => {
            tenant_store::get_by_slug(db, &slug).await.with_context(|| format!("no center with slug {slug}"))?
        }
        None => tenant_store::get_default(db).await?,
    })
}

async fn dispatch(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo, .. } => {
            let db = open(&config).await?;
            if demo {
                crate::demo::load(&db).await?;
            }
            let workers = config.workers;
            let listeners = crate::web::listen(config.listen, workers)
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            let addr = listeners.first().context("no listener")?.local_addr()?;
            let state = crate::AppState::new(db.clone(), config, addr).await?;
            crate::web::spawn_housekeeping(db.clone());
            let scheme = if state.config.secure_cookies() { "https" } else { "http" };
            crate::subscription::postman::Postman::new(
                state.db.clone(),
                state.mailer.clone(),
                state.base_url.clone(),
                scheme,
            )
            .await?
            .spawn();
            crate::web::spawn_metrics_upkeep(&state);
            crate::privacy::retention::spawn(state.db.clone(), state.config.retention);
            let abandoned = crate::roster::job::fail_abandoned(&state.db).await?;
            if abandoned > 0 {
                tracing::warn!(abandoned, "roster imports left running by a stopped server marked as interrupted");
            }
            tracing::info!(%addr, backend = db.backend(), workers, "socialhub is listening on http://{addr}/");
            crate::web::serve_workers(listeners, state, crate::app).await?;
            db.close().await;
            Ok(())
        }
        Command::Migrate => {
            let db = open(&config).await?;
            println!("the {} database is up to date", db.backend());
            Ok(())
        }
        Command::Demo => {
            let db = open(&config).await?;
            crate::demo::load(&db).await
        }
        Command::Admin { command: AdminCommand::Create { email, name, furigana, sector, affiliation, tenant } } => {
            let db = open(&config).await?;
            let tenant = tenant_for(&db, tenant).await?;
            let password = match std::env::var("SOCIALHUB_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line).context("cannot read the password")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let new = account::validate_signup(&email, &password, &name, &furigana, &sector, &affiliation, true)
                .map_err(|e| {
                    let lang = crate::i18n::Lang::En;
                    let msgs: Vec<String> = e.0.iter().map(|f| format!("{}: {}", f.field, lang.t(f.message))).collect();
                    anyhow::anyhow!("{}", msgs.join("; "))
                })?;
            let hash = password::hash(new.password).await?;
            match crate::account::create_verified(&db, tenant.id, &new.email, &hash, &new.profile, Role::Admin).await {
                Ok(id) => {
                    println!("created secretariat account {} (id {}) for {}", new.email, id.0, tenant.name);
                    Ok(())
                }
                Err(crate::db::StoreError::Conflict { .. }) => {
                    anyhow::bail!("{} already has an account at {}", new.email, tenant.name)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Admin { command: AdminCommand::Tenant { command } } => {
            let db = open(&config).await?;
            match command {
                TenantCommand::Add { slug, name, hosts } => {
                    match tenant_store::insert(&db, &slug, &name, &hosts).await {
                        Ok(Ok(_)) => println!("added center {name} ({slug}) on {}", hosts.join(", ")),
                        Ok(Err(e)) => anyhow::bail!("{e}"),
                        Err(crate::db::StoreError::Conflict { .. }) => {
                            anyhow::bail!("the slug {slug} or one of the host names is already taken")
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                TenantCommand::List => {
                    for (t, hosts) in tenant_store::list(&db).await? {
                        let hosts = if hosts.is_empty() { "(default)".to_owned() } else { hosts.join(", ") };
                        println!("{}\t{}\t{hosts}", t.slug, t.name);
                    }
                }
            }
            Ok(())
        }
        Command::Report { command: ReportCommand::Annual { fiscal_year, kind, format, lang, output, tenant } } => {
            use askama::Template;
            let lang = lang
                .or_else(|| std::env::var("LANG").ok())
                .and_then(|l| crate::i18n::Lang::from_code(&l))
                .unwrap_or_default();
            anyhow::ensure!((1900..=2200).contains(&fiscal_year), "--fiscal-year {fiscal_year} is not a year");
            // A kind that is no kind is refused, as the roster import refuses it: a report of
            // 情報交換会 under another name would mislead.
            let kind = crate::roster::parse_default_kind(&kind, lang)
                .map_err(|message| anyhow::anyhow!("--kind: {message}"))?;
            let db = open(&config).await?;
            let tenant = tenant_for(&db, tenant).await?;
            let report =
                crate::report::store::annual(&db, tenant.id, crate::i18n::FiscalYear(fiscal_year), kind).await?;
            let bytes = match format.as_str() {
                "json" => serde_json::to_vec_pretty(&report)?,
                "csv" => crate::report::render::to_csv(&report, lang)?,
                "xlsx" => crate::report::render::to_xlsx(&report, lang)?,
                _ => {
                    let view = crate::report::web::ReportView::new(lang, tenant.name.clone(), report);
                    crate::report::web::StandaloneReport { view, css: crate::report::web::standalone_css() }
                        .render()?
                        .into_bytes()
                }
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?
                }
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
            }
            Ok(())
        }
        Command::Import { command: ImportCommand::Articles { folder, category, tenant } } => {
            let default = crate::article::Category::from_name(&category).with_context(|| {
                format!("--category: unknown category {category}: session_report, lab_result, hearing_summary, notice or casebook")
            })?;
            let read = match crate::article::import::read_folder(&folder, default) {
                Ok(mut a) => crate::article::import::fetch_pictures(&mut a).await.map(|()| a),
                Err(problems) => Err(problems),
            };
            let articles = match read {
                Ok(a) => a,
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    let n = problems.len();
                    let problems = if n == 1 { "1 problem".to_owned() } else { format!("{n} problems") };
                    anyhow::bail!("nothing was imported: {problems} in {}", folder.display());
                }
            };
            let db = open(&config).await?;
            let tenant = tenant_for(&db, tenant).await?;
            let outcome = crate::article::import::import(&db, tenant.id, &articles).await?;
            println!(
                "imported {} articles into {}: {} new, {} updated",
                articles.len(),
                tenant.name,
                outcome.created,
                outcome.updated
            );
            Ok(())
        }
        Command::Import { command: ImportCommand::Roster { file, kind, tenant } } => {
            let lang = std::env::var("LANG").ok().and_then(|l| crate::i18n::Lang::from_code(&l)).unwrap_or_default();
            // An unknown kind is refused before anything is read: it must not become 情報交換会.
            let kind = crate::roster::parse_default_kind(&kind, lang)
                .map_err(|message| anyhow::anyhow!("--kind: {message}"))?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let rows = match crate::roster::parse_file(&bytes, kind) {
                Ok(rows) => rows,
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{}: {}", file.display(), e.describe(lang));
                    }
                    anyhow::bail!("{}", lang.t_args("roster-rejected", &[("count", &errors.len().to_string())]));
                }
            };
            let db = open(&config).await?;
            let tenant = tenant_for(&db, tenant).await?;
            let s = crate::roster::import::import(&db, tenant.id, &rows).await?;
            db.analyze().await?;
            println!(
                "{}",
                lang.t_args(
                    "roster-imported",
                    &[
                        ("rows", &s.rows.to_string()),
                        ("events", &s.events_created.to_string()),
                        ("people", &s.people_created.to_string()),
                        ("attendances", &s.attendances_created.to_string()),
                        ("unchanged", &s.attendances_unchanged.to_string()),
                        ("on_platform", &s.events_on_platform.to_string()),
                        ("on_platform_rows", &s.rows_on_platform.to_string()),
                    ]
                )
            );
            Ok(())
        }
        Command::Search { query, format, limit, kind, tenant } => {
            let db = open(&config).await?;
            if query == ["reindex"] {
                crate::search::store::request_rebuild(&db).await?;
                let index = crate::search::Index::build(&db).await?;
                println!("the search index holds {} records; running instances rebuild theirs", index.len());
                return Ok(());
            }
            let tenant = tenant_for(&db, tenant).await?;
            let kind = match kind {
                Some(k) => Some(
                    crate::search::Kind::from_code(&k)
                        .with_context(|| format!("unknown kind {k}: event, issue, lab, roadmap or consultation"))?,
                ),
                None => None,
            };
            if !matches!(format.as_str(), "text" | "json") {
                anyhow::bail!("unknown format {format}: text or json");
            }
            let index = crate::search::Index::build(&db).await?;
            let q = crate::search::Query { text: query.join(" "), kind, limit, ..crate::search::Query::default() };
            let results = index.search_now(tenant.id, &q)?;
            if format == "json" {
                println!("{}", serde_json::to_string_pretty(&results.hits)?);
            } else {
                for hit in &results.hits {
                    println!("{}\t{}\t{}\n  {}", hit.kind.code(), hit.title, hit.url, hit.snippet);
                }
                eprintln!("{} found", results.total);
            }
            Ok(())
        }
        Command::Consultation { command } => consultation(command, &config).await,
        Command::Backup { output } => {
            let db = open(&config).await?;
            anyhow::ensure!(!output.exists(), "{} already exists", output.display());
            db.backup_to(&output).await?;
            let at = crate::db::now().to_rfc3339();
            crate::db::setting::set(&db, crate::db::setting::LAST_BACKUP, &at).await?;
            println!("backed up to {}", output.display());
            Ok(())
        }
        Command::Purge => {
            let db = open(&config).await?;
            let r = config.retention;
            println!(
                "retention: guests {} days after their last session, comments' addresses {} days after the \
                 result, access log {} days",
                r.guest_days, r.contact_days, r.access_log_days
            );
            for (center, p) in crate::privacy::retention::purge_all(&db, r).await? {
                println!(
                    "{center}: {} guests erased, {} comments' addresses forgotten, {} access log lines deleted",
                    p.guests, p.contacts, p.access_log
                );
            }
            db.close().await;
            Ok(())
        }
        Command::Restore { file } => {
            let url = &config.database_url.0;
            anyhow::ensure!(url.starts_with("sqlite:"), "for PostgreSQL, use pg_restore (see docs/operations.md)");
            let restored = crate::db::restore::restore_sqlite(&file, url).await?;
            println!("restored {} to {}", file.display(), restored.database.display());
            println!(
                "checked: SQLite's integrity check passed; {} migrations in the backup, {} applied now",
                restored.migrations, restored.applied
            );
            let rows: Vec<String> = restored.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
            println!("rows: {}", rows.join(", "));
            if let Some(kept) = &restored.kept {
                println!("the database it replaced is kept as {}", kept.display());
            }
            Ok(())
        }
    }
}

async fn consultation(command: ConsultationCommand, config: &Config) -> anyhow::Result<()> {
    use crate::consultation::{self, ConsultationId, store};
    let lang = std::env::var("LANG").ok().and_then(|l| crate::i18n::Lang::from_code(&l)).unwrap_or_default();
    let db = open(config).await?;
    let find = async |tenant: &crate::tenant::Tenant, id: i64| {
        store::get(&db, tenant.id, ConsultationId(id)).await.map_err(|e| match e {
            crate::db::StoreError::NotFound => anyhow::anyhow!("no consultation {id} in {}", tenant.slug),
            e => e.into(),
        })
    };
    match command {
        ConsultationCommand::List { format, tenant } => {
            let tenant = tenant_for(&db, tenant).await?;
            let now = crate::db::now();
            let mut rows = Vec::new();
            for c in store::list(&db, tenant.id).await? {
                let comments = store::comments(&db, tenant.id, c.id, None).await?.len();
                rows.push(serde_json::json!({
                    "id": c.id.0,
                    "lab": c.lab_title,
                    "version": c.version_number,
                    "opens_on": crate::i18n::wareki::jst_date(c.opens_at),
                    "closes_on": c.last_day(),
                    "phase": c.phase(now).code(),
                    "comments": comments,
                }));
            }
            if format == "json" {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in &rows {
                    println!(
                        "{}\t{}\tv{}\t{} – {}\t{}\t{}",
                        r["id"],
                        r["lab"].as_str().unwrap_or_default(),
                        r["version"],
                        r["opens_on"].as_str().unwrap_or_default(),
                        r["closes_on"].as_str().unwrap_or_default(),
                        r["phase"].as_str().unwrap_or_default(),
                        r["comments"]
                    );
                }
            }
            Ok(())
        }
        ConsultationCommand::Comments { command: ConsultationCommentsCommand::Import { id, file, tenant } } => {
            let tenant = tenant_for(&db, tenant).await?;
            let c = find(&tenant, id).await?;
            let version = crate::roadmap::store::get(&db, tenant.id, c.lab_id, c.version_number).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let received = match consultation::received::parse_csv(&bytes, version.paragraphs().len() as i64) {
                Ok(rows) => rows,
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{}: {}", file.display(), e.describe(lang));
                    }
                    anyhow::bail!("{}", lang.t_args("roster-rejected", &[("count", &errors.len().to_string())]));
                }
            };
            match consultation::receive(&db, tenant.id, c.id, &received).await? {
                Some(n) => {
                    println!("{}", lang.t_args("consultation-imported", &[("count", &n.to_string())]));
                    Ok(())
                }
                None => anyhow::bail!("{}", lang.t("consultation-error-published")),
            }
        }
        ConsultationCommand::Groups { id, format, tenant } => {
            let tenant = tenant_for(&db, tenant).await?;
            let c = find(&tenant, id).await?;
            let comments = store::comments(&db, tenant.id, c.id, None).await?;
            let reading = consultation::read(&comments, &store::groups(&db, tenant.id, c.id).await?);
            if format == "json" {
                println!("{}", serde_json::to_string_pretty(&reading)?);
            } else {
                for p in &reading.paragraphs {
                    println!("{}", lang.t_args("consultation-paragraph-n", &[("n", &p.paragraph.to_string())]));
                    for g in &p.groups {
                        println!("  [{}] {}", g.count(), g.label);
                        for e in &g.entries {
                            println!("    {} {}", e.count, e.text);
                        }
                    }
                }
            }
            Ok(())
        }
    }
}
