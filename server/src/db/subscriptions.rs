//! Subscriptions as their owner manages them: the list of an address, and ending one, by
//! account or by the token of a message (`unsubscribe_tokens`).

use crate::auth::token;
use crate::db::follows::{follow_page, on_site};
use crate::db::statistics::upkeep::tracking_stats;
use crate::db::{store_err, with_pool, BeginWrite, Db};
use app::error::Problem;
use app::model::subscription::{Subscription, SubscriptionKind};
use app::store::{
    FollowTarget, MailTemplate, NewAreaAlert, StoreError, StoreResult, Subscriber,
    SubscriptionStore,
};
use async_trait::async_trait;

/// The address a subscriber stands for: their account, or the e-mail address a token was sent to.
#[derive(Debug, sqlx::FromRow)]
struct Owner {
    user_id: Option<i64>,
    email: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct TokenRow {
    kind: String,
    subscription_id: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct ReportSubRow {
    id: i64,
    report_id: i64,
    title: String,
    confirmed: bool,
    slug: String,
    is_default: bool,
}

#[derive(Debug, sqlx::FromRow)]
struct AreaRow {
    id: i64,
    lat: f64,
    lng: f64,
    radius_m: i64,
    digest: bool,
    confirmed: bool,
}

#[derive(Debug, sqlx::FromRow)]
struct NewsletterSubRow {
    id: i64,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    confirmed: bool,
    slug: String,
    is_default: bool,
}

fn bad_token() -> StoreError {
    StoreError::Invalid(app::error::FieldError::new("token", Problem::Invalid))
}

impl Db {
    async fn owner(&self, who: &Subscriber) -> StoreResult<Owner> {
        match who {
            Subscriber::User(id) => Ok(Owner { user_id: Some(*id), email: None }),
            Subscriber::Token(raw) => with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT user_id, email FROM unsubscribe_tokens WHERE token_hash = $1",
                )
                .bind(token::digest(raw))
                .fetch_optional(pool)
                .await
            })
            .map_err(store_err)?
            .ok_or_else(bad_token),
        }
    }

    /// Deletes subscription `id` of `kind` when `owner` matches (`None` owner: whoever has it);
    /// `false` when there was none.
    async fn delete_subscription(
        &self,
        kind: SubscriptionKind,
        id: i64,
        owner: Option<&Owner>,
    ) -> StoreResult<bool> {
        let (user_id, email, any) = match owner {
            Some(o) => (o.user_id, o.email.clone(), false),
            None => (None, None, true),
        };
        let mine = "(($2 AND TRUE) OR user_id = $3 OR email = $4)";
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            let deleted =
                match kind {
                    kind if kind.is_follow() => sqlx::query(
                        "DELETE FROM follows WHERE id = $1 AND kind = $2 AND ($3 OR user_id = $4)",
                    )
                    .bind(id)
                    .bind(kind.as_str())
                    .bind(any)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1,
                    SubscriptionKind::Report => {
                        let report: Option<i64> = sqlx::query_scalar(&format!(
                            "SELECT report_id FROM report_subscriptions WHERE id = $1 AND {mine}"
                        ))
                        .bind(id)
                        .bind(any)
                        .bind(user_id)
                        .bind(&email)
                        .fetch_optional(&mut *tx)
                        .await?;
                        match report {
                            None => false,
                            Some(report) => tracking_stats!(tx, report, std::convert::identity, {
                                sqlx::query("DELETE FROM report_subscriptions WHERE id = $1")
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await?;
                                true
                            }),
                        }
                    }
                    SubscriptionKind::Newsletter => {
                        sqlx::query(&format!(
                            "DELETE FROM newsletter_subscriptions WHERE id = $1 AND {mine}"
                        ))
                        .bind(id)
                        .bind(any)
                        .bind(user_id)
                        .bind(&email)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                            == 1
                    }
                    _ => {
                        sqlx::query(&format!("DELETE FROM area_alerts WHERE id = $1 AND {mine}"))
                            .bind(id)
                            .bind(any)
                            .bind(user_id)
                            .bind(&email)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected()
                            == 1
                    }
                };
            tx.commit().await?;
            Ok::<_, sqlx::Error>(deleted)
        }
        .await)
        .map_err(store_err)
    }
}

#[async_trait]
impl SubscriptionStore for Db {
    async fn subscriptions(&self, who: &Subscriber, lang: &str) -> StoreResult<Vec<Subscription>> {
        let owner = self.owner(who).await?;
        type Lists = (Vec<ReportSubRow>, Vec<AreaRow>, Vec<NewsletterSubRow>);
        let (reports, areas, newsletters): Lists = with_pool!(self, |pool| async {
            let reports = sqlx::query_as(
                "SELECT s.id, s.report_id, r.title, (s.confirmed_at IS NOT NULL) AS confirmed, \
                 l.slug, l.is_default \
                 FROM report_subscriptions s JOIN reports r ON r.id = s.report_id \
                 JOIN localities l ON l.id = r.locality_id \
                 WHERE s.user_id = $1 OR s.email = $2 ORDER BY s.id",
            )
            .bind(owner.user_id)
            .bind(&owner.email)
            .fetch_all(pool)
            .await?;
            let areas = sqlx::query_as(
                "SELECT id, lat, lng, radius_m, digest, (confirmed_at IS NOT NULL) AS confirmed \
                 FROM area_alerts WHERE user_id = $1 OR email = $2 ORDER BY id",
            )
            .bind(owner.user_id)
            .bind(&owner.email)
            .fetch_all(pool)
            .await?;
            let newsletters = sqlx::query_as(
                "SELECT s.id, l.name_ro, l.name_ru, l.name_uk, l.name_en, (s.confirmed_at IS NOT NULL) AS confirmed, l.slug, l.is_default \
                 FROM newsletter_subscriptions s JOIN localities l ON l.id = s.locality_id \
                 WHERE s.user_id = $1 OR s.email = $2 ORDER BY s.id",
            )
            .bind(owner.user_id)
            .bind(&owner.email)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((reports, areas, newsletters))
        }
        .await)
        .map_err(store_err)?;
        let reports = reports.into_iter().map(|r| Subscription {
            kind: SubscriptionKind::Report,
            id: r.id,
            target_id: Some(r.report_id),
            page: Some(on_site(
                &r.slug,
                r.is_default,
                &follow_page(SubscriptionKind::Report, r.report_id, ""),
            )),
            title: r.title,
            lat: None,
            lng: None,
            radius_m: None,
            digest: false,
            confirmed: r.confirmed,
        });
        let areas = areas.into_iter().map(|a| Subscription {
            kind: SubscriptionKind::Area,
            id: a.id,
            target_id: None,
            page: None,
            title: String::new(),
            lat: Some(a.lat),
            lng: Some(a.lng),
            radius_m: Some(a.radius_m),
            digest: a.digest,
            confirmed: a.confirmed,
        });
        let locale = app::locale::parse(lang).unwrap_or(app::i18n::Locale::ro);
        let newsletters = newsletters.into_iter().map(|n| Subscription {
            kind: SubscriptionKind::Newsletter,
            id: n.id,
            target_id: None,
            page: Some(on_site(
                &n.slug,
                n.is_default,
                &follow_page(SubscriptionKind::Newsletter, n.id, ""),
            )),
            title: app::model::Localized {
                ro: n.name_ro,
                ru: n.name_ru,
                uk: n.name_uk,
                en: n.name_en,
            }
            .get(locale)
            .to_owned(),
            lat: None,
            lng: None,
            radius_m: None,
            digest: false,
            confirmed: n.confirmed,
        });
        let follows = match owner.user_id {
            Some(user) => self.follow_subscriptions(user, lang).await?,
            None => Vec::new(),
        };
        Ok(reports.chain(follows).chain(areas).chain(newsletters).collect())
    }

    async fn unsubscribe(
        &self,
        who: &Subscriber,
        kind: SubscriptionKind,
        id: i64,
    ) -> StoreResult<()> {
        let owner = self.owner(who).await?;
        if self.delete_subscription(kind, id, Some(&owner)).await? {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn unsubscribe_by_token(&self, raw: &str) -> StoreResult<()> {
        let row: TokenRow = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, subscription_id FROM unsubscribe_tokens WHERE token_hash = $1",
            )
            .bind(token::digest(raw))
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?
        .ok_or_else(bad_token)?;
        let kind = SubscriptionKind::parse(&row.kind).ok_or_else(bad_token)?;
        // Already gone (a second click, or removed on the page) is as good as done.
        self.delete_subscription(kind, row.subscription_id, None).await.map(|_| ())
    }

    async fn create_area_alert(
        &self,
        alert: &NewAreaAlert,
        confirm: Option<MailTemplate>,
    ) -> StoreResult<()> {
        self.insert_area_alert(alert, confirm).await
    }

    async fn confirm_area_alert(&self, raw: &str) -> StoreResult<()> {
        self.confirm_area_alert_token(raw).await
    }

    async fn follow_target(&self, kind: SubscriptionKind, id: i64) -> StoreResult<FollowTarget> {
        self.find_follow_target(kind, id).await
    }

    async fn follow(
        &self,
        kind: SubscriptionKind,
        id: i64,
        user_id: i64,
        lang: &str,
    ) -> StoreResult<()> {
        self.insert_follow(kind, id, user_id, lang).await
    }

    async fn unfollow(&self, kind: SubscriptionKind, id: i64, user_id: i64) -> StoreResult<()> {
        self.delete_follow(kind, id, user_id).await
    }

    async fn is_following(
        &self,
        kind: SubscriptionKind,
        id: i64,
        user_id: i64,
    ) -> StoreResult<bool> {
        self.follows(kind, id, user_id).await
    }
}
