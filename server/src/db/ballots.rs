//! The one voting mechanism behind initiatives and polls.
//!
//! A vote is a row in `ballots`, unique per (kind, subject, voter) by a database constraint, so
//! two tabs, a double click, a retried request or two server processes can never count twice:
//! the second insert finds the constraint and does nothing. Every count is `COUNT(*)` over the
//! ballots.
//!
//! Ballots are written in groups (`grouped.rs`): one transaction, and one sync of the disk,
//! for every ballot that arrived while the previous group was being committed. Each ballot's
//! rules (the poll is open, the choices are its own; the initiative is open) are checked inside
//! that transaction before anything is written, so a refused ballot never fails its group.

use super::grouped::{GroupQueue, GroupWork};
use super::initiatives::{record_level, thresholds};
use super::polls::read_results;
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::vote::{MyVote, PollResults, PollStatus, SubjectKind, Tally, VoteOutcome};
use app::store::{BallotBox, PollVote, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// Casts `$voter`'s ballot on (`$kind`, `$subject`) inside `$tx`; evaluates to the new ballot's
/// id, or `None` when this voter had already voted.
macro_rules! insert_ballot {
    ($tx:expr, $kind:expr, $subject:expr, $voter:expr, $at:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO ballots (subject_kind, subject_id, voter_id, imported, cast_at) \
             VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT (subject_kind, subject_id, voter_id) DO NOTHING \
             RETURNING id",
        )
        .bind(SubjectKind::as_str($kind))
        .bind($subject)
        .bind($voter)
        .bind($at)
        .fetch_optional(&mut *$tx)
        .await
    };
}
pub(crate) use insert_ballot;

/// The most ballots written in one transaction.
const MAX_GROUP: usize = 512;

/// Rows per multi-row `INSERT`, well within both backends' limits on bound values.
const ROWS_PER_INSERT: usize = 500;

/// A ballot to write.
pub(crate) enum BallotWrite {
    Poll { poll: i64, voter: i64, choices: Vec<i64> },
    Support { initiative: i64, voter: i64 },
    Withdraw { initiative: i64, voter: i64 },
}

/// What writing one ballot gave.
pub(crate) enum BallotReply {
    Poll(PollVote),
    Initiative(Tally),
}

fn invalid(field: &str, problem: Problem) -> StoreError {
    StoreError::Invalid(FieldError::new(field, problem))
}

/// A poll's rules, read once per group.
struct PollRules {
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    max_choices: i64,
    options: Vec<i64>,
}

impl PollRules {
    /// One ballot's choices, sorted and without repeats, or why they cannot be accepted.
    fn check(&self, choices: &[i64], at: DateTime<Utc>) -> StoreResult<Vec<i64>> {
        if PollStatus::at(self.opens, self.closes, at) != PollStatus::Open {
            return Err(invalid("choices", Problem::Closed));
        }
        let mut choices = choices.to_vec();
        choices.sort_unstable();
        choices.dedup();
        if choices.is_empty() {
            return Err(invalid("choices", Problem::Required));
        }
        if choices.len() as i64 > self.max_choices {
            return Err(invalid("choices", Problem::TooManyChoices));
        }
        if choices.iter().any(|c| !self.options.contains(c)) {
            return Err(invalid("choices", Problem::Invalid));
        }
        Ok(choices)
    }
}

/// An initiative's `hidden` flag and closing time; `None` when there is no such initiative.
type InitiativeState = Option<(bool, Option<DateTime<Utc>>)>;

/// Whether an initiative takes support: refuses hidden, closed or unknown ones.
fn open_for_support(state: InitiativeState, at: DateTime<Utc>) -> StoreResult<()> {
    match state {
        None => Err(StoreError::NotFound),
        Some((true, _)) => Err(invalid("initiative", Problem::Closed)),
        Some((_, Some(closes))) if closes <= at => Err(invalid("initiative", Problem::Closed)),
        Some(_) => Ok(()),
    }
}

/// A poll ballot that passed its checks: (its place in the group, poll, voter, choices).
type Accepted = (usize, i64, i64, Vec<i64>);

impl Db {
    /// Writes a group of ballots in one transaction; each ballot gets its own reply.
    async fn write_ballots(
        &self,
        group: &[BallotWrite],
    ) -> StoreResult<Vec<StoreResult<BallotReply>>> {
        let at = now();
        let mut replies: Vec<Option<StoreResult<BallotReply>>> =
            group.iter().map(|_| None).collect();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;

            // Polls: each poll's rules once, then every ballot checked against them.
            let mut rules: HashMap<i64, Option<PollRules>> = HashMap::new();
            for ballot in group {
                let BallotWrite::Poll { poll, .. } = ballot else { continue };
                if rules.contains_key(poll) {
                    continue;
                }
                let row: Option<(DateTime<Utc>, DateTime<Utc>, i64)> =
                    sqlx::query_as("SELECT opens_at, closes_at, max_choices FROM polls WHERE id = $1")
                        .bind(poll)
                        .fetch_optional(&mut *tx)
                        .await?;
                let found = match row {
                    Some((opens, closes, max_choices)) => Some(PollRules {
                        opens,
                        closes,
                        max_choices,
                        options: sqlx::query_scalar("SELECT id FROM poll_options WHERE poll_id = $1")
                            .bind(poll)
                            .fetch_all(&mut *tx)
                            .await?,
                    }),
                    None => None,
                };
                rules.insert(*poll, found);
            }
            let mut accepted: Vec<Accepted> = Vec::new();
            for (i, ballot) in group.iter().enumerate() {
                let BallotWrite::Poll { poll, voter, choices } = ballot else { continue };
                let checked = match rules.get(poll).and_then(Option::as_ref) {
                    Some(r) => r.check(choices, at),
                    None => Err(StoreError::NotFound),
                };
                match checked {
                    Ok(choices) => accepted.push((i, *poll, *voter, choices)),
                    Err(refused) => replies[i] = Some(Err(refused)),
                }
            }

            // The first ballot of each voter in each poll is inserted; one already in the table,
            // or a second one in this group, changes nothing. Rows go in one order everywhere,
            // so that two server processes never wait on each other's rows in a cycle.
            let mut seen = HashSet::new();
            let mut firsts: Vec<&Accepted> =
                accepted.iter().filter(|a| seen.insert((a.1, a.2))).collect();
            firsts.sort_by_key(|a| (a.1, a.2));
            let mut recorded: HashMap<(i64, i64), i64> = HashMap::new();
            for chunk in firsts.chunks(ROWS_PER_INSERT) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO ballots (subject_kind, subject_id, voter_id, imported, cast_at) ",
                );
                insert.push_values(chunk, |mut row, a| {
                    row.push_bind(SubjectKind::Poll.as_str()).push_bind(a.1).push_bind(a.2).push_bind(false).push_bind(at);
                });
                insert.push(
                    " ON CONFLICT (subject_kind, subject_id, voter_id) DO NOTHING \
                     RETURNING id, subject_id, voter_id",
                );
                let rows: Vec<(i64, i64, i64)> = insert.build_query_as().fetch_all(&mut *tx).await?;
                recorded.extend(rows.into_iter().map(|(id, poll, voter)| ((poll, voter), id)));
            }
            let choices: Vec<(i64, i64)> = firsts
                .iter()
                .filter_map(|a| Some((*recorded.get(&(a.1, a.2))?, &a.3)))
                .flat_map(|(ballot, options)| options.iter().map(move |o| (ballot, *o)))
                .collect();
            for chunk in choices.chunks(ROWS_PER_INSERT) {
                let mut insert = QueryBuilder::new("INSERT INTO ballot_choices (ballot_id, option_id) ");
                insert.push_values(chunk, |mut row, (ballot, option)| {
                    row.push_bind(*ballot).push_bind(*option);
                });
                insert.build().execute(&mut *tx).await?;
            }
            let mut results: HashMap<i64, PollResults> = HashMap::new();
            for (_, poll, _, _) in &accepted {
                if !results.contains_key(poll) {
                    results.insert(*poll, read_results!(&mut *tx, *poll).await?);
                }
            }
            let mut counted = HashSet::new();
            for (i, poll, voter, _) in &accepted {
                let outcome = if recorded.contains_key(&(*poll, *voter)) && counted.insert((*poll, *voter)) {
                    VoteOutcome::Recorded
                } else {
                    VoteOutcome::AlreadyVoted
                };
                let results = results.get(poll).cloned().unwrap_or_default();
                replies[*i] = Some(Ok(BallotReply::Poll(PollVote { outcome, results })));
            }

            // Initiatives: each one's state once, every ballot in arrival order, then each
            // tally and the levels it reached.
            let mut states: HashMap<i64, InitiativeState> = HashMap::new();
            let mut done: Vec<(usize, i64, bool)> = Vec::new();
            for (i, ballot) in group.iter().enumerate() {
                let (initiative, voter, support) = match ballot {
                    BallotWrite::Support { initiative, voter } => (*initiative, *voter, true),
                    BallotWrite::Withdraw { initiative, voter } => (*initiative, *voter, false),
                    BallotWrite::Poll { .. } => continue,
                };
                if let Entry::Vacant(unread) = states.entry(initiative) {
                    let row = sqlx::query_as("SELECT hidden, closes_at FROM initiatives WHERE id = $1")
                        .bind(initiative)
                        .fetch_optional(&mut *tx)
                        .await?;
                    unread.insert(row);
                }
                if let Err(refused) = open_for_support(states.get(&initiative).copied().flatten(), at) {
                    replies[i] = Some(Err(refused));
                    continue;
                }
                if support {
                    insert_ballot!(tx, SubjectKind::Initiative, initiative, voter, at)?;
                } else {
                    sqlx::query(
                        "DELETE FROM ballots WHERE subject_kind = 'initiative' AND subject_id = $1 AND voter_id = $2",
                    )
                    .bind(initiative)
                    .bind(voter)
                    .execute(&mut *tx)
                    .await?;
                }
                done.push((i, initiative, support));
            }
            let mut tallies = HashMap::new();
            for (_, id, _) in &done {
                if tallies.contains_key(id) {
                    continue;
                }
                let votes: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM ballots WHERE subject_kind = 'initiative' AND subject_id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let json: String = sqlx::query_scalar(
                    "SELECT l.initiative_thresholds FROM initiatives i JOIN localities l ON l.id = i.locality_id WHERE i.id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let t = thresholds(&json);
                for level in t.reached(votes) {
                    record_level!(&mut *tx, id, level, at)?;
                }
                tallies.insert(*id, (votes, t.level(votes)));
            }
            for (i, id, supported) in done {
                let (votes, level) = tallies.get(&id).copied().unwrap_or_default();
                replies[i] = Some(Ok(BallotReply::Initiative(Tally { votes, level, supported })));
            }

            tx.commit().await
        }
        .await)
        .map_err(store_err)?;
        Ok(replies
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(StoreError::Backend("a ballot got no reply".into()))))
            .collect())
    }

    /// A person's votes, latest first.
    pub async fn my_votes(&self, user_id: i64) -> StoreResult<Vec<MyVote>> {
        let rows: Vec<(String, i64, String, DateTime<Utc>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT b.subject_kind, b.subject_id, COALESCE(i.title, p.question_ro, ''), b.cast_at FROM ballots b \
                 LEFT JOIN initiatives i ON b.subject_kind = 'initiative' AND i.id = b.subject_id \
                 LEFT JOIN polls p ON b.subject_kind = 'poll' AND p.id = b.subject_id \
                 WHERE b.voter_id = $1 ORDER BY b.cast_at DESC",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, id, title, cast_at)| {
                Some(MyVote { kind: SubjectKind::parse(&kind)?, id, title, cast_at })
            })
            .collect())
    }
}

/// The database behind the group writer.
struct BallotWriter(Db);

impl GroupWork for BallotWriter {
    type Request = BallotWrite;
    type Reply = BallotReply;

    async fn run(&self, group: &[BallotWrite]) -> StoreResult<Vec<StoreResult<BallotReply>>> {
        self.0.write_ballots(group).await
    }
}

/// This process's ballot box: every ballot goes through its group writer.
pub struct Ballots {
    db: Db,
    writer: GroupQueue<BallotWriter>,
}

impl Ballots {
    /// Starts the group writer (needs a Tokio runtime).
    pub fn start(db: Db) -> Self {
        Self { writer: GroupQueue::start(BallotWriter(db.clone()), MAX_GROUP), db }
    }

    async fn tally(&self, ballot: BallotWrite) -> StoreResult<Tally> {
        match self.writer.submit(ballot).await? {
            BallotReply::Initiative(tally) => Ok(tally),
            BallotReply::Poll(_) => Err(StoreError::Backend("a poll reply to support".into())),
        }
    }
}

#[async_trait]
impl BallotBox for Ballots {
    async fn cast_poll_vote(
        &self,
        id: i64,
        user_id: i64,
        choices: &[i64],
    ) -> StoreResult<PollVote> {
        let ballot = BallotWrite::Poll { poll: id, voter: user_id, choices: choices.to_vec() };
        match self.writer.submit(ballot).await? {
            BallotReply::Poll(vote) => Ok(vote),
            BallotReply::Initiative(_) => {
                Err(StoreError::Backend("a support reply to a vote".into()))
            }
        }
    }

    async fn support_initiative(&self, id: i64, user_id: i64) -> StoreResult<Tally> {
        self.tally(BallotWrite::Support { initiative: id, voter: user_id }).await
    }

    async fn withdraw_support(&self, id: i64, user_id: i64) -> StoreResult<Tally> {
        self.tally(BallotWrite::Withdraw { initiative: id, voter: user_id }).await
    }

    async fn my_votes(&self, user_id: i64) -> StoreResult<Vec<MyVote>> {
        self.db.my_votes(user_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn rules() -> PollRules {
        let at = now();
        PollRules {
            opens: at - TimeDelta::days(1),
            closes: at + TimeDelta::days(1),
            max_choices: 2,
            options: vec![10, 11, 12],
        }
    }

    fn problem(result: StoreResult<Vec<i64>>) -> Option<Problem> {
        match result {
            Err(StoreError::Invalid(field)) => Some(field.problem),
            _ => None,
        }
    }

    #[test]
    fn poll_rules_check_each_ballot() {
        let at = now();
        assert_eq!(rules().check(&[12, 10, 12], at).ok(), Some(vec![10, 12]));
        assert_eq!(problem(rules().check(&[], at)), Some(Problem::Required));
        assert_eq!(problem(rules().check(&[10, 11, 12], at)), Some(Problem::TooManyChoices));
        assert_eq!(problem(rules().check(&[10, 99], at)), Some(Problem::Invalid));
        let closed = PollRules { closes: at - TimeDelta::hours(1), ..rules() };
        assert_eq!(problem(closed.check(&[10], at)), Some(Problem::Closed));
    }

    #[test]
    fn hidden_closed_and_unknown_initiatives_take_no_support() {
        let at = now();
        assert!(open_for_support(Some((false, None)), at).is_ok());
        assert!(open_for_support(Some((false, Some(at + TimeDelta::days(1)))), at).is_ok());
        assert!(matches!(open_for_support(None, at), Err(StoreError::NotFound)));
        assert!(open_for_support(Some((true, None)), at).is_err());
        assert!(open_for_support(Some((false, Some(at))), at).is_err());
    }
}
