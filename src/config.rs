//! Configuration, layered: defaults < `socialhub.toml` < `SOCIALHUB_*` environment <
//! command-line flags. Secrets never print: their `Debug` shows `***`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// A value that must not appear in logs.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The resolved configuration every command runs with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address `serve` listens on.
    pub listen: SocketAddr,
    /// `sqlite://FILE` or `postgres://…`; may hold a password, so it is a secret.
    pub database_url: Secret,
    /// The public address of the default center, for links in mails
    /// (defaults to `http://` + `listen`).
    pub base_url: Option<String>,
    /// Where mails go when no SMTP server is configured: one `.eml` file per mail.
    pub mailbox_dir: PathBuf,
    /// `smtp://user:pass@host:587?tls=required` or `smtps://…`; when set, mail goes there.
    pub smtp_url: Option<Secret>,
    /// The `From:` of every mail.
    pub mail_from: String,
    /// The name of the default center, used when the database is first created.
    pub center_name: String,
    pub log_format: LogFormat,
    /// Trust `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
    /// Threads serving HTTP, each with its own event loop; by default one per core.
    pub workers: usize,
    /// What a scraper sends as `Authorization: Bearer …` to read `/metrics`; without it
    /// `/metrics` answers nobody.
    pub metrics_token: Option<Secret>,
    /// How long personal data is kept (days), then purged.
    pub retention: crate::privacy::Retention,
}

/// One layer of configuration: every field optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<Secret>,
    pub base_url: Option<String>,
    pub mailbox_dir: Option<PathBuf>,
    pub smtp_url: Option<Secret>,
    pub mail_from: Option<String>,
    pub center_name: Option<String>,
    pub log_format: Option<LogFormat>,
    pub trust_proxy: Option<bool>,
    pub workers: Option<usize>,
    pub metrics_token: Option<Secret>,
    pub retention_guest_days: Option<u32>,
    pub retention_contact_days: Option<u32>,
    pub retention_access_log_days: Option<u32>,
}

impl Layer {
    /// Reads a TOML file.
    ///
    /// # Errors
    /// The file cannot be read or is not valid configuration (the message says where).
    pub fn from_file(path: &Path) -> anyhow::Result<Layer> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read configuration file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("invalid configuration in {}", path.display()))
    }

    /// Reads `SOCIALHUB_*` variables through `get` (the process environment in production).
    ///
    /// # Errors
    /// A variable whose value cannot be parsed (the message names it).
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Layer> {
        let var = |name: &str| get(&format!("SOCIALHUB_{name}")).filter(|v| !v.is_empty());
        let days = |name: &str| {
            var(name)
                .map(|v| match v.parse::<u32>() {
                    Ok(n) if (1..=36_500).contains(&n) => Ok(n),
                    _ => Err(anyhow::anyhow!("SOCIALHUB_{name}={v}: use a number of days from 1 to 36500")),
                })
                .transpose()
        };
        Ok(Layer {
            listen: var("LISTEN")
                .map(|v| {
                    v.parse().with_context(|| format!("SOCIALHUB_LISTEN={v} is not an address like 127.0.0.1:8080"))
                })
                .transpose()?,
            database_url: var("DATABASE_URL").map(Secret),
            base_url: var("BASE_URL"),
            mailbox_dir: var("MAILBOX_DIR").map(PathBuf::from),
            smtp_url: var("SMTP_URL").map(Secret),
            mail_from: var("MAIL_FROM"),
            center_name: var("CENTER_NAME"),
            log_format: var("LOG_FORMAT")
                .map(|v| match v.as_str() {
                    "text" => Ok(LogFormat::Text),
                    "json" => Ok(LogFormat::Json),
                    _ => Err(anyhow::anyhow!("SOCIALHUB_LOG_FORMAT={v}: use text or json")),
                })
                .transpose()?,
            trust_proxy: var("TRUST_PROXY")
                .map(|v| match v.as_str() {
                    "1" | "true" | "yes" => Ok(true),
                    "0" | "false" | "no" => Ok(false),
                    _ => Err(anyhow::anyhow!("SOCIALHUB_TRUST_PROXY={v}: use true or false")),
                })
                .transpose()?,
            workers: var("WORKERS")
                .map(|v| match v.parse::<usize>() {
                    Ok(n) if (1..=1024).contains(&n) => Ok(n),
                    _ => Err(anyhow::anyhow!("SOCIALHUB_WORKERS={v}: use a number of threads from 1 to 1024")),
                })
                .transpose()?,
            metrics_token: var("METRICS_TOKEN").map(Secret),
            retention_guest_days: days("RETENTION_GUEST_DAYS")?,
            retention_contact_days: days("RETENTION_CONTACT_DAYS")?,
            retention_access_log_days: days("RETENTION_ACCESS_LOG_DAYS")?,
        })
    }

    /// `self` with every field that `over` sets replaced.
    pub fn overlay(self, over: Layer) -> Layer {
        Layer {
            listen: over.listen.or(self.listen),
            database_url: over.database_url.or(self.database_url),
            base_url: over.base_url.or(self.base_url),
            mailbox_dir: over.mailbox_dir.or(self.mailbox_dir),
            smtp_url: over.smtp_url.or(self.smtp_url),
            mail_from: over.mail_from.or(self.mail_from),
            center_name: over.center_name.or(self.center_name),
            log_format: over.log_format.or(self.log_format),
            trust_proxy: over.trust_proxy.or(self.trust_proxy),
            workers: over.workers.or(self.workers),
            metrics_token: over.metrics_token.or(self.metrics_token),
            retention_guest_days: over.retention_guest_days.or(self.retention_guest_days),
            retention_contact_days: over.retention_contact_days.or(self.retention_contact_days),
            retention_access_log_days: over.retention_access_log_days.or(self.retention_access_log_days),
        }
    }

    /// Fills what no layer set with the defaults.
    pub fn resolve(self) -> Config {
        Config {
            listen: self.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            database_url: self.database_url.unwrap_or_else(|| Secret("sqlite://socialhub.sqlite3".into())),
            base_url: self.base_url.map(|u| u.trim_end_matches('/').to_owned()),
            mailbox_dir: self.mailbox_dir.unwrap_or_else(|| PathBuf::from("mailbox")),
            smtp_url: self.smtp_url,
            mail_from: self.mail_from.unwrap_or_else(|| "socialhub <noreply@localhost>".into()),
            center_name: self.center_name.unwrap_or_else(|| "ソーシャルハブ".into()),
            log_format: self.log_format.unwrap_or_default(),
            trust_proxy: self.trust_proxy.unwrap_or(false),
            workers: self
                .workers
                .filter(|n| *n > 0)
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get)),
            metrics_token: self.metrics_token.filter(|t| !t.0.trim().is_empty()),
            retention: crate::privacy::Retention::new(
                self.retention_guest_days,
                self.retention_contact_days,
                self.retention_access_log_days,
            ),
        }
    }
}

impl Config {
    /// Loads the configuration: defaults, then the file (`explicit_file`, or
    /// `./socialhub.toml` if it exists), then the environment, then `flags`.
    ///
    /// # Errors
    /// An unreadable or invalid file, or an invalid environment variable.
    pub fn load(explicit_file: Option<&Path>, flags: Layer) -> anyhow::Result<Config> {
        let file = match explicit_file {
            Some(path) => Layer::from_file(path)?,
            None if Path::new("socialhub.toml").exists() => Layer::from_file(Path::new("socialhub.toml"))?,
            None => Layer::default(),
        };
        let env = Layer::from_env(|k| std::env::var(k).ok())?;
        Ok(Layer::default().overlay(file).overlay(env).overlay(flags).resolve())
    }

    /// Whether cookies must carry `Secure` (the public address is HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.base_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_has_defaults_and_keeps_the_access_log_a_year_at_least() {
        let r = Layer::default().resolve().retention;
        assert_eq!((r.guest_days, r.contact_days, r.access_log_days), (365, 90, 1095));
        let env = |k: &str| match k {
            "SOCIALHUB_RETENTION_GUEST_DAYS" => Some("30".to_owned()),
            "SOCIALHUB_RETENTION_ACCESS_LOG_DAYS" => Some("10".to_owned()),
            _ => None,
        };
        let r = Layer::from_env(env).unwrap().resolve().retention;
        assert_eq!((r.guest_days, r.contact_days, r.access_log_days), (30, 90, 365));
        let bad = Layer::from_env(|k| (k == "SOCIALHUB_RETENTION_CONTACT_DAYS").then(|| "一年".to_owned()));
        assert!(bad.unwrap_err().to_string().contains("SOCIALHUB_RETENTION_CONTACT_DAYS"));
    }

    #[test]
    fn defaults_use_sqlite_in_the_working_directory() {
        let c = Layer::default().resolve();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url.0, "sqlite://socialhub.sqlite3");
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let file: Layer =
            toml::from_str("listen = \"0.0.0.0:1\"\ndatabase_url = \"sqlite://file.db\"\ncenter_name = \"多賀城\"")
                .unwrap();
        let env = Layer::from_env(|k| match k {
            "SOCIALHUB_LISTEN" => Some("0.0.0.0:2".into()),
            "SOCIALHUB_DATABASE_URL" => Some("postgres://x/y".into()),
            _ => None,
        })
        .unwrap();
        let flags = Layer { listen: Some("0.0.0.0:3".parse().unwrap()), ..Layer::default() };
        let c = Layer::default().overlay(file).overlay(env).overlay(flags).resolve();
        assert_eq!(c.listen.to_string(), "0.0.0.0:3");
        assert_eq!(c.database_url.0, "postgres://x/y");
        assert_eq!(c.center_name, "多賀城");
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Layer { database_url: Some(Secret("postgres://u:pw@h/d".into())), ..Layer::default() }.resolve();
        assert!(!format!("{c:?}").contains("pw@"));
    }

    #[test]
    fn bad_environment_values_are_named() {
        let err = Layer::from_env(|k| (k == "SOCIALHUB_LISTEN").then(|| "nowhere".into())).unwrap_err();
        assert!(err.to_string().contains("SOCIALHUB_LISTEN"));
    }

    #[test]
    fn workers_default_to_the_cores_and_can_be_set() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(Layer::default().resolve().workers, cores);
        let env = Layer::from_env(|k| (k == "SOCIALHUB_WORKERS").then(|| "3".into())).unwrap();
        assert_eq!(env.resolve().workers, 3);
        assert_eq!(toml::from_str::<Layer>("workers = 2").unwrap().resolve().workers, 2);
        for bad in ["0", "many", "-1"] {
            let err = Layer::from_env(|k| (k == "SOCIALHUB_WORKERS").then(|| bad.into())).unwrap_err();
            assert!(err.to_string().contains("SOCIALHUB_WORKERS"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_metrics_token_is_a_secret_and_blank_means_none() {
        let env = Layer::from_env(|k| (k == "SOCIALHUB_METRICS_TOKEN").then(|| "t0ken".into())).unwrap();
        let config = env.resolve();
        assert_eq!(config.metrics_token.as_ref().map(|t| t.0.as_str()), Some("t0ken"));
        assert!(!format!("{config:?}").contains("t0ken"));
        assert!(toml::from_str::<Layer>("metrics_token = \"  \"").unwrap().resolve().metrics_token.is_none());
        assert!(Layer::default().resolve().metrics_token.is_none());
    }

    #[test]
    fn unknown_keys_in_the_file_are_rejected() {
        assert!(toml::from_str::<Layer>("lisen = \"x\"").is_err());
    }
}
