//! The audit log: every staff action, written in the same transaction as the action itself.

/// One line of the audit log.
pub struct AuditRecord<'a> {
    pub locality_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<&'a str>,
}

impl<'a> AuditRecord<'a> {
    /// A record by `actor` (who must be signed in; anonymous actors are never audited).
    pub fn by(
        viewer: &'a app::model::Viewer,
        action: &'a str,
        target_kind: &'a str,
        target_id: Option<i64>,
    ) -> Self {
        let (actor_id, actor_label) = match &viewer.user {
            Some(u) => (Some(u.id), u.email.as_str()),
            None => (None, "system"),
        };
        Self {
            locality_id: None,
            actor_id,
            actor_label,
            action,
            target_kind,
            target_id,
            before: None,
            after: None,
            reason: None,
        }
    }

    pub fn locality(mut self, id: Option<i64>) -> Self {
        self.locality_id = id;
        self
    }

    pub fn change(
        mut self,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    pub fn reason(mut self, reason: Option<&'a str>) -> Self {
        self.reason = reason;
        self
    }
}

/// Writes `$record` (an `AuditRecord`) inside the caller's transaction.
macro_rules! write_audit {
    ($tx:expr, $record:expr) => {{
        let r: &$crate::db::audit::AuditRecord = $record;
        sqlx::query(
            "INSERT INTO audit_log (locality_id, actor_id, actor_label, action, target_kind, target_id, \
             before_json, after_json, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(r.locality_id)
        .bind(r.actor_id)
        .bind(r.actor_label)
        .bind(r.action)
        .bind(r.target_kind)
        .bind(r.target_id)
        .bind(r.before.as_ref().map(|v| v.to_string()))
        .bind(r.after.as_ref().map(|v| v.to_string()))
        .bind(r.reason)
        .bind($crate::db::now())
        .execute(&mut *$tx)
        .await
    }};
}
pub(crate) use write_audit;
