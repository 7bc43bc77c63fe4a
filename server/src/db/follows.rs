//! Following an initiative, a poll or a civic-budget project (`follows`): starting and ending
//! it, and the rows the subscriptions page lists. What gets mailed is `db::follow_notices`.

use crate::db::{now, store_err, with_pool, Db};
use app::model::subscription::{Subscription, SubscriptionKind};
use app::store::{FollowTarget, StoreError, StoreResult};

/// The SQL that finds a followable thing of each kind: its locality, and the rest of its page's
/// address. Hidden initiatives and draft proposals cannot be followed.
fn target_sql(kind: SubscriptionKind) -> Option<&'static str> {
    Some(match kind {
        SubscriptionKind::Initiative => {
            "SELECT i.locality_id, l.slug, l.is_default, '' AS edition \
             FROM initiatives i JOIN localities l ON l.id = i.locality_id \
             WHERE i.id = $1 AND i.hidden = FALSE"
        }
        SubscriptionKind::Poll => {
            "SELECT p.locality_id, l.slug, l.is_default, '' AS edition \
             FROM polls p JOIN localities l ON l.id = p.locality_id WHERE p.id = $1"
        }
        SubscriptionKind::Project => {
            "SELECT e.locality_id, l.slug, l.is_default, e.slug AS edition \
             FROM budget_proposals p JOIN budget_budgets b ON b.id = p.budget_id \
             JOIN budget_editions e ON e.id = b.edition_id JOIN localities l ON l.id = e.locality_id \
             WHERE p.id = $1 AND p.status <> 'draft'"
        }
        SubscriptionKind::Report | SubscriptionKind::Area | SubscriptionKind::Newsletter => {
            return None
        }
    })
}

#[derive(Debug, sqlx::FromRow)]
struct TargetRow {
    locality_id: i64,
    slug: String,
    is_default: bool,
    edition: String,
}

/// The page of followed thing `id` of `kind`, after `/{lang}` and its site's slug.
pub(crate) fn follow_page(kind: SubscriptionKind, id: i64, edition: &str) -> String {
    match kind {
        SubscriptionKind::Initiative => format!("/initiatives/{id}"),
        SubscriptionKind::Poll => format!("/polls/{id}"),
        SubscriptionKind::Project => format!("/budget/{edition}/projects/{id}"),
        SubscriptionKind::Report => format!("/reports/{id}"),
        SubscriptionKind::Area => String::new(),
        SubscriptionKind::Newsletter => "/newsletters".to_owned(),
    }
}

/// A site-relative page address with the site's slug for a locality other than the default.
pub(crate) fn on_site(slug: &str, is_default: bool, page: &str) -> String {
    if is_default {
        page.to_owned()
    } else {
        format!("/{slug}{page}")
    }
}

/// A follow as the subscriptions page lists it.
#[derive(Debug, sqlx::FromRow)]
struct FollowRow {
    id: i64,
    kind: String,
    target_id: i64,
    slug: String,
    is_default: bool,
    edition: String,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
}

/// Every follow of one account with the followed thing's title (in four languages for a poll)
/// and its site; a thing that no longer exists drops out.
const FOLLOWS_SQL: &str = "\
    SELECT f.id, f.kind, f.target_id, l.slug, l.is_default, '' AS edition, \
           i.title AS title_ro, '' AS title_ru, '' AS title_uk, '' AS title_en \
    FROM follows f JOIN initiatives i ON f.kind = 'initiative' AND i.id = f.target_id \
    JOIN localities l ON l.id = i.locality_id WHERE f.user_id = $1 \
    UNION ALL \
    SELECT f.id, f.kind, f.target_id, l.slug, l.is_default, '' AS edition, \
           p.question_ro, p.question_ru, p.question_uk, p.question_en \
    FROM follows f JOIN polls p ON f.kind = 'poll' AND p.id = f.target_id \
    JOIN localities l ON l.id = p.locality_id WHERE f.user_id = $1 \
    UNION ALL \
    SELECT f.id, f.kind, f.target_id, l.slug, l.is_default, e.slug AS edition, \
           p.title, '', '', '' \
    FROM follows f JOIN budget_proposals p ON f.kind = 'project' AND p.id = f.target_id \
    JOIN budget_budgets b ON b.id = p.budget_id JOIN budget_editions e ON e.id = b.edition_id \
    JOIN localities l ON l.id = e.locality_id WHERE f.user_id = $1 \
    ORDER BY 1";

impl Db {
    pub(crate) async fn find_follow_target(
        &self,
        kind: SubscriptionKind,
        id: i64,
    ) -> StoreResult<FollowTarget> {
        let sql = target_sql(kind).ok_or(StoreError::NotFound)?;
        let row: TargetRow =
            with_pool!(self, |pool| { sqlx::query_as(sql).bind(id).fetch_optional(pool).await })
                .map_err(store_err)?
                .ok_or(StoreError::NotFound)?;
        Ok(FollowTarget {
            locality_id: row.locality_id,
            site: (!row.is_default).then_some(row.slug),
            page: follow_page(kind, id, &row.edition),
        })
    }

    /// Starts following (again: nothing changes but the language).
    pub(crate) async fn insert_follow(
        &self,
        kind: SubscriptionKind,
        id: i64,
        user_id: i64,
        lang: &str,
    ) -> StoreResult<()> {
        self.find_follow_target(kind, id).await?;
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO follows (kind, target_id, user_id, lang, created_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (kind, target_id, user_id) DO UPDATE SET lang = excluded.lang",
            )
            .bind(kind.as_str())
            .bind(id)
            .bind(user_id)
            .bind(lang)
            .bind(now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(store_err)
    }

    /// Stops following; not following is as good as done.
    pub(crate) async fn delete_follow(
        &self,
        kind: SubscriptionKind,
        id: i64,
        user_id: i64,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM follows WHERE kind = $1 AND target_id = $2 AND user_id = $3")
                .bind(kind.as_str())
                .bind(id)
                .bind(user_id)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(store_err)
    }

    pub(crate) async fn follows(
        &self,
        kind: SubscriptionKind,
        id: i64,
        user_id: i64,
    ) -> StoreResult<bool> {
        let found: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM follows WHERE kind = $1 AND target_id = $2 AND user_id = $3",
            )
            .bind(kind.as_str())
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(found.is_some())
    }

    /// The follows of account `user_id`, titles in `lang` where a poll has one.
    pub(crate) async fn follow_subscriptions(
        &self,
        user_id: i64,
        lang: &str,
    ) -> StoreResult<Vec<Subscription>> {
        let rows: Vec<FollowRow> = with_pool!(self, |pool| {
            sqlx::query_as(FOLLOWS_SQL).bind(user_id).fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let kind = SubscriptionKind::parse(&row.kind)?;
                let title = match lang {
                    "ru" => &row.title_ru,
                    "uk" => &row.title_uk,
                    "en" => &row.title_en,
                    _ => &row.title_ro,
                };
                let title = if title.is_empty() { &row.title_ro } else { title };
                let page = follow_page(kind, row.target_id, &row.edition);
                Some(Subscription {
                    kind,
                    id: row.id,
                    target_id: Some(row.target_id),
                    page: Some(on_site(&row.slug, row.is_default, &page)),
                    title: title.clone(),
                    lat: None,
                    lng: None,
                    radius_m: None,
                    digest: false,
                    confirmed: true,
                })
            })
            .collect())
    }
}
