//! Grouped work: requests that arrive while a group is being handled wait together, and are
//! handled as the next group by one statement or transaction.
//!
//! - Group commit for writes (ballots): one transaction, and one sync of the disk, serves every
//!   ballot of the group; each is answered only after the commit.
//! - The same for what every request asks of the database under a crowd (rate-limit counts,
//!   session lookups): one query answers the group, instead of one round trip each.
//!
//! A single task per queue takes whatever is queued (up to a maximum), runs it, and answers each
//! request. A request that breaks its own rules gets its own refusal (the worker checks before
//! writing); if the group's work fails anyway, each request is run again alone, so one bad
//! request never fails the others. With nothing else queued a request runs at once, alone.

use app::store::{StoreError, StoreResult};
use futures_util::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use tokio::sync::{mpsc, oneshot};

/// Handles a group of requests together (one transaction, or one query).
pub(crate) trait GroupWork: Send + Sync + 'static {
    type Request: Send + Sync + 'static;
    type Reply: Send + 'static;

    /// One reply per request, in order; `Err` only when the group's work itself failed.
    fn run(
        &self,
        group: &[Self::Request],
    ) -> impl Future<Output = StoreResult<Vec<StoreResult<Self::Reply>>>> + Send;
}

type Waiting<W> =
    (<W as GroupWork>::Request, oneshot::Sender<StoreResult<<W as GroupWork>::Reply>>);

/// The queue in front of one worker task.
pub(crate) struct GroupQueue<W: GroupWork> {
    queue: mpsc::Sender<Waiting<W>>,
}

impl<W: GroupWork> GroupQueue<W> {
    /// Starts the worker task (needs a Tokio runtime); groups hold at most `max_group` requests.
    pub fn start(worker: W, max_group: usize) -> Self {
        let (queue, mut incoming) = mpsc::channel::<Waiting<W>>(max_group * 4);
        tokio::spawn(async move {
            let mut group = Vec::with_capacity(max_group);
            while incoming.recv_many(&mut group, max_group).await > 0 {
                let (requests, waiters): (Vec<_>, Vec<_>) = group.drain(..).unzip();
                // A panic while running drops this group's waiters (they answer an error) and
                // leaves the worker running for the next group.
                let done = AssertUnwindSafe(run_group(&worker, &requests)).catch_unwind().await;
                match done {
                    Ok(replies) => {
                        for (waiter, reply) in waiters.into_iter().zip(replies) {
                            // The client may have gone away; a write stands all the same.
                            let _ = waiter.send(reply);
                        }
                    }
                    Err(_) => tracing::error!(size = requests.len(), "a group's work panicked"),
                }
            }
        });
        Self { queue }
    }

    /// Queues `request` and waits until its group has run (for writes: is committed).
    pub async fn submit(&self, request: W::Request) -> StoreResult<W::Reply> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((request, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The group together, or, when that fails, each request alone.
async fn run_group<W: GroupWork>(
    worker: &W,
    requests: &[W::Request],
) -> Vec<StoreResult<W::Reply>> {
    match worker.run(requests).await {
        Ok(replies) => replies,
        Err(err) if requests.len() == 1 => vec![Err(err)],
        Err(err) => {
            tracing::warn!(error = %err, size = requests.len(), "a group failed; running each alone");
            let mut replies = Vec::with_capacity(requests.len());
            for request in requests {
                let alone = worker.run(std::slice::from_ref(request)).await;
                replies.push(alone.and_then(|mut r| r.pop().unwrap_or_else(|| Err(stopped()))));
            }
            replies
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the group worker stopped".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Doubles numbers; refuses odd ones; a group holding 13 fails as a whole.
    struct Doubler {
        groups: Arc<AtomicUsize>,
    }

    impl GroupWork for Doubler {
        type Request = u32;
        type Reply = u32;

        async fn run(&self, group: &[u32]) -> StoreResult<Vec<StoreResult<u32>>> {
            self.groups.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            if group.len() > 1 && group.contains(&13) {
                return Err(StoreError::Conflict("thirteen"));
            }
            Ok(group
                .iter()
                .map(|n| if n % 2 == 0 { Ok(n * 2) } else { Err(StoreError::NotFound) })
                .collect())
        }
    }

    #[tokio::test]
    async fn requests_that_arrive_together_are_written_together() {
        let groups = Arc::new(AtomicUsize::new(0));
        let commit = Arc::new(GroupQueue::start(Doubler { groups: groups.clone() }, 64));
        let tasks: Vec<_> = (0..100u32)
            .map(|n| {
                let commit = commit.clone();
                tokio::spawn(async move { (n, commit.submit(n * 2).await) })
            })
            .collect();
        for task in tasks {
            let (n, reply) = task.await.expect("task");
            assert_eq!(reply.expect("even numbers pass"), n * 4);
        }
        let written = groups.load(Ordering::SeqCst);
        assert!(written < 100 / 2, "100 requests in {written} groups");
    }

    #[tokio::test]
    async fn a_refusal_or_a_failed_group_touches_only_its_own_request() {
        let groups = Arc::new(AtomicUsize::new(0));
        let commit = Arc::new(GroupQueue::start(Doubler { groups: groups.clone() }, 64));
        // On the test's single-threaded runtime the four are queued before the worker runs.
        let tasks: Vec<_> = [2u32, 3, 13, 4]
            .into_iter()
            .map(|n| {
                let commit = commit.clone();
                tokio::spawn(async move { commit.submit(n).await })
            })
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.expect("task").ok());
        }
        assert_eq!(replies, vec![Some(4), None, None, Some(8)]);
        assert_eq!(groups.load(Ordering::SeqCst), 1 + 4, "the failed group, then each alone");
    }
}
