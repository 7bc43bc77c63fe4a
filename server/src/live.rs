//! Live updates: after a change the app calls `LiveUpdates::changed(topic)`; the browsers that
//! follow the topic (server-sent events) receive its new state, whichever server process they
//! are connected to.
//!
//! ```text
//! changed(topic) ─► announce (≤ 100 ms later, a burst becomes one) ─┬─ SQLite: this process only
//!                                                                     └─ PostgreSQL: NOTIFY agora_live
//!        every process: LISTEN agora_live ─► due ─► send (≤ 100 ms later): read the state once,
//!                                                    broadcast it to this process's listeners
//! ```
//!
//! With PostgreSQL a process hears its own announcements through `LISTEN` like everyone else's,
//! so there is one path. A topic's state is read once per process per update, however many
//! browsers follow it.

use crate::db::Db;
use app::model::vote::PollResults;
use app::store::{LiveUpdates, PollStore, Topic};
use sqlx::postgres::{PgListener, PgPool};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// The PostgreSQL channel that carries announcements between processes.
const CHANNEL: &str = "agora_live";

/// How long a change waits for others before it is announced, and an announcement before it is
/// sent: a burst of votes becomes one update.
const SETTLE: Duration = Duration::from_millis(100);

/// A topic's state as browsers receive it.
#[derive(Clone, Debug)]
pub enum Snapshot {
    Poll(PollResults),
    /// A civic-budget edition's confirmed ballots.
    Edition(i64),
}

impl Snapshot {
    pub fn poll(self) -> Option<PollResults> {
        match self {
            Snapshot::Poll(results) => Some(results),
            Snapshot::Edition(_) => None,
        }
    }

    pub fn confirmed_ballots(self) -> Option<i64> {
        match self {
            Snapshot::Edition(n) => Some(n),
            Snapshot::Poll(_) => None,
        }
    }
}

/// A topic as `NOTIFY` carries it: `poll:12`.
fn topic_key(topic: Topic) -> String {
    match topic {
        Topic::Poll(id) => format!("poll:{id}"),
        Topic::Edition(id) => format!("edition:{id}"),
    }
}

fn parse_topic(key: &str) -> Option<Topic> {
    let (kind, id) = key.split_once(':')?;
    let id = id.parse().ok()?;
    match kind {
        "poll" => Some(Topic::Poll(id)),
        "edition" => Some(Topic::Edition(id)),
        _ => None,
    }
}

/// A set of topics and a bell that rings when one is added.
#[derive(Default)]
struct Pending {
    topics: Mutex<HashSet<Topic>>,
    bell: Notify,
}

impl Pending {
    fn add(&self, topics: impl IntoIterator<Item = Topic>) {
        self.topics.lock().unwrap_or_else(|p| p.into_inner()).extend(topics);
        self.bell.notify_one();
    }

    /// Waits for a first topic, lets others gather for `SETTLE`, and takes them all.
    async fn gather(&self) -> Vec<Topic> {
        self.bell.notified().await;
        tokio::time::sleep(SETTLE).await;
        self.topics.lock().unwrap_or_else(|p| p.into_inner()).drain().collect()
    }
}

pub struct LiveHub {
    db: Db,
    channels: Mutex<HashMap<Topic, broadcast::Sender<Snapshot>>>,
    /// Changed in this process, not yet announced.
    changed: Pending,
    /// Announced (by any process), not yet sent to this process's listeners.
    due: Pending,
}

impl LiveHub {
    /// Creates the hub and starts its tasks (needs a Tokio runtime); with PostgreSQL, one of
    /// them listens for the other processes' announcements.
    pub fn start(db: Db) -> Arc<Self> {
        let hub = Arc::new(Self {
            db,
            channels: Mutex::new(HashMap::new()),
            changed: Pending::default(),
            due: Pending::default(),
        });
        // The tasks live as long as the runtime, as the hub does in a server.
        tokio::spawn(announce(hub.clone()));
        tokio::spawn(send(hub.clone()));
        if let Db::Postgres(pool) = &hub.db {
            tokio::spawn(listen(hub.clone(), pool.clone()));
        }
        hub
    }

    /// The states of `topic`, as they change.
    pub fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Snapshot> {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        channels.entry(topic).or_insert_with(|| broadcast::channel(16).0).subscribe()
    }

    /// The topics someone in this process follows.
    fn followed(&self) -> Vec<Topic> {
        self.channels.lock().unwrap_or_else(|p| p.into_inner()).keys().copied().collect()
    }

    async fn load(&self, topic: Topic) -> Result<Snapshot, app::store::StoreError> {
        match topic {
            Topic::Poll(id) => self.db.poll_results(id).await.map(Snapshot::Poll),
            Topic::Edition(id) => self.db.confirmed_ballots(id).await.map(Snapshot::Edition),
        }
    }

    /// Reads each topic's state once and sends it to this process's listeners.
    async fn send_due(&self, topics: Vec<Topic>) {
        for topic in topics {
            let sender = {
                let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
                match channels.get(&topic) {
                    Some(s) if s.receiver_count() > 0 => Some(s.clone()),
                    Some(_) => {
                        // Nobody is watching any more.
                        channels.remove(&topic);
                        None
                    }
                    None => None,
                }
            };
            let Some(sender) = sender else { continue };
            match self.load(topic).await {
                Ok(snapshot) => {
                    let _ = sender.send(snapshot);
                }
                Err(err) => tracing::warn!(error = %err, ?topic, "live state unavailable"),
            }
        }
    }
}

impl LiveUpdates for LiveHub {
    fn changed(&self, topic: Topic) {
        self.changed.add([topic]);
    }
}

/// Announces this process's changes: to itself (SQLite), or to every process (PostgreSQL).
async fn announce(hub: Arc<LiveHub>) {
    loop {
        let topics = hub.changed.gather().await;
        let Db::Postgres(pool) = &hub.db else {
            hub.due.add(topics);
            continue;
        };
        for topic in topics {
            let notified = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(topic_key(topic))
                .execute(pool)
                .await;
            if let Err(err) = notified {
                // The other processes miss this one; this process's browsers still get it.
                tracing::warn!(error = %err, "could not announce a live update");
                hub.due.add([topic]);
            }
        }
    }
}

/// Sends due topics to this process's listeners.
async fn send(hub: Arc<LiveHub>) {
    loop {
        let topics = hub.due.gather().await;
        hub.send_due(topics).await;
    }
}

/// Hears every process's announcements (PostgreSQL `LISTEN`).
async fn listen(hub: Arc<LiveHub>, pool: PgPool) {
    let mut listener = loop {
        let connected = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        match connected.await {
            Ok(listener) => break listener,
            Err(err) => tracing::warn!(error = %err, "could not listen for live updates"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        if pool.is_closed() {
            return;
        }
    };
    // Closing the pool (the server stopping, a test or benchmark done with its database) ends
    // the listener and its connection.
    let closed = pool.close_event();
    tokio::pin!(closed);
    loop {
        let received = tokio::select! {
            received = listener.try_recv() => received,
            _ = &mut closed => return,
        };
        match received {
            Ok(Some(notification)) => {
                if let Some(topic) = parse_topic(notification.payload()) {
                    hub.due.add([topic]);
                }
            }
            // The connection dropped and the listener reconnects on the next call; whatever
            // was announced meanwhile is lost, so every followed topic is sent afresh.
            Ok(None) => hub.due.add(hub.followed()),
            Err(err) => {
                tracing::warn!(error = %err, "live updates: listening failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_cross_notify_and_back() {
        assert_eq!(parse_topic(&topic_key(Topic::Poll(42))), Some(Topic::Poll(42)));
        assert_eq!(parse_topic("poll:x"), None);
        assert_eq!(parse_topic("report:1"), None);
        assert_eq!(parse_topic(""), None);
    }
}
