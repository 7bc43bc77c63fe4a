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
