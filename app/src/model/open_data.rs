//! What the open-data page shows about each dataset, and the Open311 API keys an administrator
//! issues.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many public rows a dataset has and when it last changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetFacts {
    pub rows: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The facts of a locality's datasets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenDataFacts {
    pub reports: DatasetFacts,
    pub initiatives: DatasetFacts,
    pub polls: DatasetFacts,
    /// The NGO network's published events.
    pub events: DatasetFacts,
    /// The directory of services.
    pub services: DatasetFacts,
}

/// An Open311 API key as its administrators see it: never the key itself, which is shown once
/// when it is issued and stored only as a digest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    /// The key's first characters, so that a key in a client's settings can be recognised.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A key just issued: the only time its value is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedApiKey {
    pub id: i64,
    pub name: String,
    pub key: String,
}

/// How many characters of a key are kept in clear to recognise it.
pub const KEY_PREFIX_CHARS: usize = 8;
