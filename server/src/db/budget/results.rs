//! Counting a budget: its confirmed ballots through its outcome rule, and the Pabulib file.

use crate::budget::pabulib::{self, Export, ProjectInfo, VoterInfo, VotingMethod};
use crate::budget::{compute, Instance, Project};
use crate::db::{store_err, with_pool, Db};
use app::model::civic_budget::{BudgetInfo, BudgetResults, Channel, EditionSummary};
use app::store::{BudgetStore, StoreError, StoreResult};
use std::collections::HashMap;

/// A feasible project as the count and the Pabulib file need it.
#[derive(sqlx::FromRow)]
struct CountedProject {
    id: i64,
    title: String,
    cost: i64,
    direction: String,
    lat: Option<f64>,
    lng: Option<f64>,
}

/// What a count needs, read in one go.
struct Count {
    edition: EditionSummary,
    budget: BudgetInfo,
    projects: Vec<CountedProject>,
    /// Confirmed ballots: channel and chosen project ids.
    ballots: Vec<(Channel, Vec<i64>)>,
}

impl Count {
    fn instance(&self) -> StoreResult<Instance> {
        let index: HashMap<i64, usize> =
            self.projects.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let projects = self
            .projects
            .iter()
            .map(|p| Project { id: p.id.to_string(), cost: u64::try_from(p.cost).unwrap_or(0) })
            .collect();
        let ballots = self
            .ballots
            .iter()
            .map(|(_, chosen)| chosen.iter().filter_map(|id| index.get(id).copied()).collect())
            .filter(|b: &Vec<usize>| !b.is_empty())
            .collect();
        Instance::new(self.budget.amount, projects, ballots)
            .map_err(|e| StoreError::Backend(Box::new(e)))
    }
}

impl Db {
    async fn read_count(&self, budget_id: i64) -> StoreResult<Count> {
        let (edition, budget) = self.budget_edition(budget_id).await?;
        let (projects, choices) = with_pool!(self, |pool| async {
            let projects = sqlx::query_as(
                "SELECT id, title, COALESCE(revised_cost, cost) AS cost, direction, lat, lng FROM budget_proposals \
                 WHERE budget_id = $1 AND status = 'feasible' ORDER BY id",
            )
            .bind(budget_id)
            .fetch_all(pool)
            .await?;
            let choices: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
                "SELECT b.id, b.channel, c.proposal_id FROM budget_ballots b \
                 LEFT JOIN budget_choices c ON c.ballot_id = b.id \
                 WHERE b.budget_id = $1 AND b.confirmed_at IS NOT NULL ORDER BY b.id, c.proposal_id",
            )
            .bind(budget_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((projects, choices))
        }
        .await)
        .map_err(store_err)?;
        let mut ballots: Vec<(i64, Channel, Vec<i64>)> = Vec::new();
        for (id, channel, proposal) in choices {
            if ballots.last().is_none_or(|b| b.0 != id) {
                ballots.push((id, Channel::parse(&channel).unwrap_or(Channel::Internet), vec![]));
            }
            if let (Some(p), Some(last)) = (proposal, ballots.last_mut()) {
                last.2.push(p);
            }
        }
        let ballots = ballots.into_iter().map(|(_, c, chosen)| (c, chosen)).collect();
        Ok(Count { edition, budget, projects, ballots })
    }

    pub(super) async fn count_budget(&self, budget_id: i64) -> StoreResult<BudgetResults> {
        let count = self.read_count(budget_id).await?;
        let instance = count.instance()?;
        let outcome = compute(count.budget.outcome_rule, &instance);
        let funded: Vec<i64> = outcome.funded.iter().filter_map(|f| f.parse().ok()).collect();
        let by = |c: Channel| count.ballots.iter().filter(|(ch, _)| *ch == c).count() as u64;
        let voters_with_funded = count
            .ballots
            .iter()
            .filter(|(_, chosen)| chosen.iter().any(|p| funded.contains(p)))
            .count() as u64;
        Ok(BudgetResults {
            titles: count.projects.iter().map(|p| (p.id.to_string(), p.title.clone())).collect(),
            internet_ballots: by(Channel::Internet),
            paper_ballots: by(Channel::Paper),
            voters_with_funded,
            outcome,
            budget: count.budget,
        })
    }

    pub(super) async fn pabulib_file(&self, budget_id: i64) -> StoreResult<String> {
        let count = self.read_count(budget_id).await?;
        let instance = count.instance()?;
        let outcome = compute(count.budget.outcome_rule, &instance);
        let projects: Vec<ProjectInfo> = count
            .projects
            .iter()
            .map(|p| ProjectInfo {
                name: p.title.clone(),
                category: vec![p.direction.clone()],
                position: p.lat.zip(p.lng),
            })
            .collect();
        let voters: Vec<VoterInfo> = count
            .ballots
            .iter()
            .filter(|(_, chosen)| !chosen.is_empty())
            .map(|(channel, _)| VoterInfo {
                voting_method: Some(match channel {
                    Channel::Internet => VotingMethod::Internet,
                    Channel::Paper => VotingMethod::Paper,
                }),
                ..Default::default()
            })
            .collect();
        let dates = count.edition.dates;
        let voting = app::model::civic_budget::Phase::Voting;
        let day = |t: chrono::DateTime<chrono::Utc>| app::format::local_date(t);
        let title = count.edition.title.ro.clone();
        let unit: String = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT name_ro FROM localities WHERE id = $1")
                .bind(count.edition.locality_id)
                .fetch_one(pool)
                .await
        })
        .map_err(store_err)?;
        let file = pabulib::export(
            &instance,
            &outcome,
            &Export {
                description: &title,
                country: "Moldova",
                unit: &unit,
                instance: &count.edition.slug,
                subunit: Some(&count.budget.name.ro),
                date_begin: day(dates.start(voting)),
                date_end: day(dates.end(voting).unwrap_or(dates.start(voting))),
                ballot_rule: count.budget.ballot_rule,
                // Proposals are written in any of the four languages.
                language: None,
                currency: "MDL",
                projects: &projects,
                voters: &voters,
            },
        );
        Ok(pabulib::write(&file))
    }
}
