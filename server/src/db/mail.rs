//! The outbox: every message is stored before anything tries to send it.

/// Queues a message inside the caller's transaction (`$tx` is `&mut Transaction`).
macro_rules! enqueue_mail {
    ($tx:expr, $to:expr, $subject:expr, $body:expr) => {
        sqlx::query(
            "INSERT INTO outbox (to_address, subject, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind($to)
        .bind($subject)
        .bind($body)
        .bind($crate::db::now())
        .execute(&mut *$tx)
        .await
    };
}
pub(crate) use enqueue_mail;

/// Queues a message sent because of a subscription: in the subscriber's language `$lang`, with
/// its one-click unsubscribe address `$unsubscribe` (for the `List-Unsubscribe` headers).
macro_rules! enqueue_subscription_mail {
    ($tx:expr, $to:expr, $mail:expr, $lang:expr, $unsubscribe:expr) => {
        sqlx::query(
            "INSERT INTO outbox (to_address, subject, body, created_at, lang, unsubscribe_url) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($to)
        .bind(&$mail.subject)
        .bind(&$mail.body)
        .bind($crate::db::now())
        .bind($lang)
        .bind($unsubscribe)
        .execute(&mut *$tx)
        .await
    };
}
pub(crate) use enqueue_subscription_mail;
