//! Outgoing mail: through SMTP when `smtp_url` is configured, otherwise into a mailbox
//! directory (one `.eml` file per mail, UTF-8 text) that a developer can read. News for
//! members waits in the database until sent ([`outbox`]).

pub mod outbox;

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

/// Where mail goes.
#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Dir(PathBuf),
}

/// Sends the platform's mails.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.transport {
            Transport::Smtp(_) => f.write_str("Mailer(smtp)"),
            Transport::Dir(d) => write!(f, "Mailer(dir {})", d.display()),
        }
    }
}

impl Mailer {
    /// Builds the mailer the configuration asks for.
    ///
    /// # Errors
    /// An invalid SMTP URL or `From:` address.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox =
            config.mail_from.parse().with_context(|| format!("invalid mail_from address {}", config.mail_from))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0).context("invalid smtp_url")?.build(),
            ),
            None => Transport::Dir(config.mailbox_dir.clone()),
        };
        Ok(Mailer { transport, from })
    }

    /// Sends a plain-text mail.
    ///
    /// # Errors
    /// An invalid recipient, an unreachable SMTP server or an unwritable mailbox.
    pub async fn send(&self, to: &str, subject: &str, text: &str) -> anyhow::Result<()> {
        self.send_listed(to, subject, text, None).await
    }

    /// Sends a plain-text mail; with an `unsubscribe` address (absolute URL), it carries
    /// `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058): a mail program stops
    /// such mail in one click, by POSTing to that address.
    ///
    /// # Errors
    /// An invalid recipient, an unreachable SMTP server or an unwritable mailbox.
    pub async fn send_listed(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        unsubscribe: Option<&str>,
    ) -> anyhow::Result<()> {
        let to: Mailbox = to.parse().with_context(|| format!("invalid recipient {to}"))?;
        let body = match &self.transport {
            // Files stay readable UTF-8 as written ("binary" allows Japanese lines longer
            // than the 76 bytes that 8bit would); SMTP gets a 7-bit safe encoding.
            Transport::Dir(_) => Body::new_with_encoding(text.to_owned(), ContentTransferEncoding::Binary)
                .map_err(|_| anyhow::anyhow!("mail body cannot be written as is"))?,
            Transport::Smtp(_) => Body::new(text.to_owned()),
        };
        let mut builder = Message::builder().from(self.from.clone()).to(to).subject(subject);
        if let Some(url) = unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = builder
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
            .context("cannot build mail")?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.context("SMTP server refused the mail")?;
            }
            Transport::Dir(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .with_context(|| format!("cannot create mailbox {}", dir.display()))?;
                let name =
                    format!("{}-{:08x}.eml", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"), rand::random::<u32>());
                let path = dir.join(&name);
                // Written under another name, then renamed: whoever reads the directory sees
                // a whole mail or none (a reader once found a mail half written).
                let part = dir.join(format!(".{name}.part"));
                tokio::fs::write(&part, message.formatted())
                    .await
                    .with_context(|| format!("cannot write {}", part.display()))?;
                tokio::fs::rename(&part, &path).await.with_context(|| format!("cannot write {}", path.display()))?;
                tracing::info!(path = %path.display(), "mail written to the mailbox directory");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_mailbox_holds_whole_mails_only() {
        let dir = tempfile::tempdir().unwrap();
        let config =
            crate::config::Layer { mailbox_dir: Some(dir.path().join("mailbox")), ..Default::default() }.resolve();
        let mailer = Mailer::from_config(&config).unwrap();
        mailer
            .send("misaki@example.jp", "【申し込み完了】テスト", "佐藤 美咲 様\n\nありがとうございます。")
            .await
            .unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path().join("mailbox"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].ends_with(".eml"), "no part left behind: {names:?}");
        let text = std::fs::read_to_string(dir.path().join("mailbox").join(&names[0])).unwrap();
        assert!(
            text.contains("To: misaki@example.jp") && text.trim_end().ends_with("ありがとうございます。"),
            "{text}"
        );
        assert!(mailer.send("not an address", "x", "y").await.is_err());
    }
}
