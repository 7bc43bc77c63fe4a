//! Delivers the outbox over SMTP when `AGORA_SMTP_URL` is set. Messages are written to the
//! outbox in the same transaction as what caused them, so nothing is lost if sending fails or
//! the server stops; this worker only moves them on, and retries a few times.
//!
//! Every server process may run one: each claims the messages it sends (`db::mail_queue`), so a
//! message goes out once however many processes share the database.

use crate::db::Db;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("AGORA_SMTP_URL is not valid: {0}")]
    Url(#[source] lettre::transport::smtp::Error),
    #[error("AGORA_MAIL_FROM is not a valid address: {0}")]
    From(#[source] lettre::address::AddressError),
}

fn header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

/// A language tag as Agora writes them (`ro`, `en`): letters only, so it is safe in a header.
fn is_language_tag(tag: &str) -> bool {
    (2..=8).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Messages claimed at a time: few enough to send well within a claim (`mail_queue::CLAIM`).
const BATCH: i64 = 20;

/// Sends queued mail through one SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Whose claims on the outbox are this sender's.
    name: String,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:25`, `smtps://user:pass@host:465`, or
    /// `smtp://user:pass@host:587?tls=required`.
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(MailError::Url)?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self {
            transport,
            from: from.parse().map_err(MailError::From)?,
            name: crate::jobs::process_name(),
        })
    }

    /// Claims what is waiting and sends it; returns how many went out.
    pub async fn send_pending(&self, db: &Db) -> usize {
        let pending = match db.claim_mail(&self.name, BATCH).await {
            Ok(p) => p,
            Err(err) => {
                tracing::error!(error = %err, "could not read the outbox");
                return 0;
            }
        };
        let mut sent = 0;
        for mail in pending {
            let outcome = match self.message(&mail) {
                Ok(message) => {
                    self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
                }
                Err(e) => Err(e),
            };
            let marked = match outcome {
                Ok(()) => {
                    sent += 1;
                    db.mark_mail_sent(mail.id).await
                }
                Err(err) => {
                    tracing::warn!(id = mail.id, error = %err, "sending mail failed");
                    db.mark_mail_failed(mail.id, &err).await
                }
            };
            if let Err(err) = marked {
                tracing::error!(error = %err, "could not mark outbox message {}", mail.id);
            }
        }
        sent
    }

    fn message(&self, mail: &crate::db::mail_queue::QueuedMail) -> Result<Message, String> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(mail
                .to_address
                .parse()
                .map_err(|e: lettre::address::AddressError| e.to_string())?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN);
        if let Some(lang) = mail.lang.as_deref().filter(|l| is_language_tag(l)) {
            builder = builder.raw_header(header("Content-Language", lang.to_owned()));
        }
        // RFC 2369 and RFC 8058: mail clients offer an "unsubscribe" button that POSTs
        // `List-Unsubscribe=One-Click` to this address, without the person signing in.
        if let Some(url) = &mail.unsubscribe_url {
            builder = builder
                .raw_header(header("List-Unsubscribe", format!("<{url}>")))
                .raw_header(header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()));
        }
        builder.body(mail.body.clone()).map_err(|e| e.to_string())
    }

    /// Runs until the process stops, checking the outbox every few seconds (at once again
    /// after a full batch).
    pub async fn run(self, db: Db) {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            while self.send_pending(&db).await as i64 == BATCH {}
        }
    }
}
