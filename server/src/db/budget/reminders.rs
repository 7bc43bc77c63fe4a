//! The one reminder to a voter who started a civic-budget ballot and left it unconfirmed (such a
//! ballot does not count). Each ballot is reminded at most once, claimed in the transaction that
//! queues the message, so two server processes never both send it.

use crate::db::mail::enqueue_mail;
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::Localized;
use app::store::{MailTemplate, StoreResult};
use chrono::{DateTime, TimeDelta, Utc};

/// A ballot left unconfirmed this long after its last change is reminded of…
pub const REMIND_AFTER: TimeDelta = TimeDelta::hours(24);
/// …or, in voting's last day, this long after it.
pub const REMIND_LAST_DAY: TimeDelta = TimeDelta::hours(1);

/// Reminders sent in one run.
const BATCH: i64 = 200;

/// An unconfirmed ballot with what its reminder says.
#[derive(Debug, sqlx::FromRow)]
pub struct UnconfirmedBallot {
    pub id: i64,
    pub email: String,
    pub locale: String,
    pub edition_slug: String,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    /// When voting closes.
    pub results_from: DateTime<Utc>,
    site_slug: String,
    is_default: bool,
}

fn localized([ro, ru, uk, en]: [&String; 4]) -> Localized {
    Localized { ro: ro.clone(), ru: ru.clone(), uk: uk.clone(), en: en.clone() }
}

impl UnconfirmedBallot {
    pub fn edition(&self) -> Localized {
        localized([&self.title_ro, &self.title_ru, &self.title_uk, &self.title_en])
    }

    pub fn budget(&self) -> Localized {
        localized([&self.name_ro, &self.name_ru, &self.name_uk, &self.name_en])
    }

    /// The slug of the edition's locality site (`None`: the default locality).
    pub fn site(&self) -> Option<&str> {
        (!self.is_default).then_some(self.site_slug.as_str())
    }
}

/// Internet ballots with a project on them, unconfirmed and not reminded, in an edition still
/// voting, left alone for [`REMIND_AFTER`] (or [`REMIND_LAST_DAY`] when voting closes within a
/// day), of voters with an address.
const DUE_SQL: &str = "\
    SELECT b.id, u.email, u.locale, e.slug AS edition_slug, \
           e.title_ro, e.title_ru, e.title_uk, e.title_en, \
           bb.name_ro, bb.name_ru, bb.name_uk, bb.name_en, e.results_from, \
           l.slug AS site_slug, l.is_default \
    FROM budget_ballots b JOIN users u ON u.id = b.voter_id \
    JOIN budget_budgets bb ON bb.id = b.budget_id JOIN budget_editions e ON e.id = bb.edition_id \
    JOIN localities l ON l.id = e.locality_id \
    WHERE b.confirmed_at IS NULL AND b.reminded_at IS NULL AND b.channel = 'internet' \
      AND b.total > 0 AND e.phase = 'voting' AND e.results_from > $1 \
      AND u.email IS NOT NULL AND u.deleted_at IS NULL \
      AND (b.updated_at <= $2 OR (e.results_from <= $3 AND b.updated_at <= $4)) \
    ORDER BY b.id LIMIT $5";

impl Db {
    /// Reminds the voters of the ballots due (see [`DUE_SQL`]) once each, in the message
    /// `render` writes; returns how many were reminded.
    pub async fn remind_unconfirmed_ballots<F>(&self, render: F) -> StoreResult<usize>
    where
        F: Fn(&UnconfirmedBallot) -> MailTemplate + Send + Sync,
    {
        let at = now();
        let due: Vec<UnconfirmedBallot> = with_pool!(self, |pool| {
            sqlx::query_as(DUE_SQL)
                .bind(at)
                .bind(at - REMIND_AFTER)
                .bind(at + REMIND_AFTER)
                .bind(at - REMIND_LAST_DAY)
                .bind(BATCH)
                .fetch_all(pool)
                .await
        })
        .map_err(store_err)?;
        let mut reminded = 0;
        for ballot in &due {
            let mail = render(ballot);
            let sent = with_pool!(self, |pool| async {
                let mut tx = pool.begin_write().await?;
                let claimed = sqlx::query(
                    "UPDATE budget_ballots SET reminded_at = $1 \
                     WHERE id = $2 AND reminded_at IS NULL AND confirmed_at IS NULL",
                )
                .bind(at)
                .bind(ballot.id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if claimed {
                    enqueue_mail!(tx, &ballot.email, &mail.subject, &mail.body)?;
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(claimed)
            }
            .await)
            .map_err(store_err)?;
            reminded += usize::from(sent);
        }
        Ok(reminded)
    }
}
