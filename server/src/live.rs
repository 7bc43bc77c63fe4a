//! Live poll results: after each vote the app calls `poll_changed`; a background task reads the
//! new counts (at most every 150 ms per poll, however many votes arrive) and broadcasts them to
//! every browser that has the poll open, through server-sent events.
//!
//! The channels live in this process. A deployment that runs several server processes behind a
//! load balancer would relay the same notifications through PostgreSQL's LISTEN/NOTIFY.

use crate::db::Db;
use app::model::vote::PollResults;
use app::store::{LiveUpdates, PollStore, Topic};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

pub struct LiveHub {
    db: Db,
    channels: Mutex<HashMap<i64, broadcast::Sender<PollResults>>>,
    dirty: Mutex<HashSet<i64>>,
    wake: Notify,
}

impl LiveHub {
    /// Creates the hub and starts its broadcasting task (needs a Tokio runtime).
    pub fn start(db: Db) -> Arc<Self> {
        let hub = Arc::new(Self {
            db,
            channels: Mutex::new(HashMap::new()),
            dirty: Mutex::new(HashSet::new()),
            wake: Notify::new(),
        });
        let worker = Arc::downgrade(&hub);
        tokio::spawn(async move {
            loop {
                let Some(hub) = worker.upgrade() else { return };
                hub.wake.notified().await;
                // Let a burst of votes settle into one update.
                tokio::time::sleep(Duration::from_millis(150)).await;
                hub.broadcast_dirty().await;
            }
        });
        hub
    }

    /// New counts of poll `id`, as they change.
    pub fn subscribe(&self, id: i64) -> broadcast::Receiver<PollResults> {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        channels.entry(id).or_insert_with(|| broadcast::channel(16).0).subscribe()
    }

    async fn broadcast_dirty(&self) {
        let ids: Vec<i64> = self.dirty.lock().unwrap_or_else(|p| p.into_inner()).drain().collect();
        for id in ids {
            let sender = {
                let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
                match channels.get(&id) {
                    Some(s) if s.receiver_count() > 0 => Some(s.clone()),
                    Some(_) => {
                        // Nobody is watching any more.
                        channels.remove(&id);
                        None
                    }
                    None => None,
                }
            };
            let Some(sender) = sender else { continue };
            match self.db.poll_results(id).await {
                Ok(results) => {
                    let _ = sender.send(results);
                }
                Err(err) => tracing::warn!(error = %err, poll = id, "live results unavailable"),
            }
        }
    }
}

impl LiveUpdates for LiveHub {
    fn changed(&self, topic: Topic) {
        let Topic::Poll(poll_id) = topic;
        self.dirty.lock().unwrap_or_else(|p| p.into_inner()).insert(poll_id);
        self.wake.notify_one();
    }
}
