//! What administrators and operators see: staff, departments, the audit log, the outbox.

use super::account::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One role held by one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffGrant {
    pub grant_id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub locality_id: Option<i64>,
    pub department: Option<String>,
    pub granted_at: DateTime<Utc>,
}

/// A city-hall department and the categories it handles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub category_ids: Vec<i64>,
    /// Its staff are the NGO network's secretariat.
    #[serde(default)]
    pub network_secretariat: bool,
}

/// One staff action as the audit log keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A message Agora sent or will send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}
