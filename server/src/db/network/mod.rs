//! The NGO network: organisations and the accounts that act for them (`events` holds the
//! calendar).

mod events;
pub(crate) mod newsletters;
mod resources;
pub mod seed;

use crate::db::audit::{write_audit, AuditRecord};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::network::{Member, Organisation, OrganisationDetail};
use app::model::Viewer;
use app::store::{NetworkStore, NewOrganisation, StoreError, StoreResult};
use async_trait::async_trait;
use serde_json::json;

pub(crate) const ORGANISATION_COLUMNS: &str =
    "o.id, o.locality_id, o.slug, o.name, o.website, o.email";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OrganisationRow {
    id: i64,
    locality_id: i64,
    slug: String,
    name: String,
    website: Option<String>,
    email: Option<String>,
}

impl From<OrganisationRow> for Organisation {
    fn from(r: OrganisationRow) -> Self {
        Organisation {
            id: r.id,
            locality_id: r.locality_id,
            slug: r.slug,
            name: r.name,
            website: r.website,
            email: r.email,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct MemberRow {
    organisation_id: i64,
    user_id: i64,
    email: Option<String>,
    display_name: String,
}

impl Db {
    async fn organisations_where(
        &self,
        condition: &str,
        id: i64,
        slug: Option<&str>,
    ) -> StoreResult<Vec<Organisation>> {
        let sql = format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations o {condition} ORDER BY o.name, o.id"
        );
        let rows: Vec<OrganisationRow> = with_pool!(self, |pool| {
            let query = sqlx::query_as(&sql).bind(id);
            match slug {
                Some(slug) => query.bind(slug).fetch_all(pool).await,
                None => query.fetch_all(pool).await,
            }
        })
        .map_err(store_err)?;
        Ok(rows.into_iter().map(Organisation::from).collect())
    }
}

#[async_trait]
impl NetworkStore for Db {
    async fn organisations(&self, locality_id: i64) -> StoreResult<Vec<Organisation>> {
        self.organisations_where("WHERE o.locality_id = $1", locality_id, None).await
    }

    async fn organisation_details(&self, locality_id: i64) -> StoreResult<Vec<OrganisationDetail>> {
        let organisations = self.organisations(locality_id).await?;
        let members: Vec<MemberRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.organisation_id, u.id AS user_id, u.email, u.display_name \
                 FROM organisation_members m JOIN users u ON u.id = m.user_id \
                 JOIN organisations o ON o.id = m.organisation_id \
                 WHERE o.locality_id = $1 AND u.deleted_at IS NULL ORDER BY u.email",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(organisations
            .into_iter()
            .map(|organisation| OrganisationDetail {
                members: members
                    .iter()
                    .filter(|m| m.organisation_id == organisation.id)
                    .map(|m| Member {
                        user_id: m.user_id,
                        email: m.email.clone().unwrap_or_default(),
                        display_name: m.display_name.clone(),
                    })
                    .collect(),
                organisation,
            })
            .collect())
    }

    async fn organisation(&self, id: i64) -> StoreResult<Organisation> {
        self.organisations_where("WHERE o.id = $1", id, None)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn organisation_by_slug(
        &self,
        locality_id: i64,
        slug: &str,
    ) -> StoreResult<Organisation> {
        self.organisations_where(
            "WHERE o.locality_id = $1 AND o.slug = $2",
            locality_id,
            Some(slug),
        )
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
    }

    async fn create_organisation(&self, actor: &Viewer, o: &NewOrganisation) -> StoreResult<i64> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisations (locality_id, slug, name, website, email, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(o.locality_id)
            .bind(&o.slug)
            .bind(&o.name)
            .bind(&o.website)
            .bind(&o.email)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            let record = AuditRecord::by(actor, "create_organisation", "organisation", Some(id))
                .locality(Some(o.locality_id))
                .change(None, Some(json!({ "slug": o.slug, "name": o.name })));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await)
    }

    async fn add_member(
        &self,
        actor: &Viewer,
        organisation_id: i64,
        email: &str,
    ) -> StoreResult<()> {
        let organisation = self.organisation(organisation_id).await?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let user_id: i64 =
                sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL")
                    .bind(email)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
            sqlx::query(
                "INSERT INTO organisation_members (organisation_id, user_id, added_by, added_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(organisation_id)
            .bind(user_id)
            .bind(actor.user_id())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            let record =
                AuditRecord::by(actor, "add_member", "organisation", Some(organisation_id))
                    .locality(Some(organisation.locality_id))
                    .change(None, Some(json!({ "email": email })));
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn remove_member(
        &self,
        actor: &Viewer,
        organisation_id: i64,
        user_id: i64,
    ) -> StoreResult<()> {
        let organisation = self.organisation(organisation_id).await?;
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let removed = sqlx::query(
                "DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2",
            )
            .bind(organisation_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?
            .rows_affected();
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            let record =
                AuditRecord::by(actor, "remove_member", "organisation", Some(organisation_id))
                    .locality(Some(organisation.locality_id))
                    .change(Some(json!({ "user_id": user_id })), None);
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await)
    }

    async fn secretariat_departments(&self, locality_id: i64) -> StoreResult<Vec<i64>> {
        with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM departments WHERE locality_id = $1 AND active = TRUE \
                 AND network_secretariat = TRUE ORDER BY id",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn memberships(&self, user_id: i64) -> StoreResult<Vec<Organisation>> {
        self.organisations_where(
            "JOIN organisation_members m ON m.organisation_id = o.id WHERE m.user_id = $1",
            user_id,
            None,
        )
        .await
    }

    async fn create_event(
        &self,
        actor: &Viewer,
        e: &app::model::network::NewEvent,
        publish: bool,
    ) -> StoreResult<i64> {
        events::create(self, actor, e, publish).await
    }

    async fn review_event(
        &self,
        actor: &Viewer,
        id: i64,
        publish: bool,
        note: &str,
    ) -> StoreResult<()> {
        events::review(self, actor, id, publish, note).await
    }

    async fn event(&self, id: i64) -> StoreResult<app::model::network::Event> {
        events::one(self, id).await
    }

    async fn events(
        &self,
        locality_id: i64,
        query: &app::model::network::EventQuery,
    ) -> StoreResult<Vec<app::model::network::Event>> {
        events::published(self, locality_id, query).await
    }

    async fn unpublished_events(
        &self,
        locality_id: i64,
        member: Option<i64>,
    ) -> StoreResult<Vec<app::model::network::Event>> {
        events::unpublished(self, locality_id, member).await
    }

    async fn create_resource(
        &self,
        actor: &Viewer,
        r: &app::model::resources::NewResource,
        publish: bool,
    ) -> StoreResult<i64> {
        resources::create(self, actor, r, publish).await
    }

    async fn review_resource(
        &self,
        actor: &Viewer,
        id: i64,
        publish: bool,
        note: &str,
    ) -> StoreResult<()> {
        resources::review(self, actor, id, publish, note).await
    }

    async fn resource(&self, id: i64) -> StoreResult<app::model::resources::Resource> {
        resources::one(self, id).await
    }

    async fn resource_file(&self, id: i64) -> StoreResult<(String, String, Vec<u8>)> {
        resources::file(self, id).await
    }

    async fn published_resources(
        &self,
        locality_id: i64,
    ) -> StoreResult<Vec<app::model::resources::Resource>> {
        resources::published(self, locality_id).await
    }

    async fn unpublished_resources(
        &self,
        locality_id: i64,
        member: Option<i64>,
    ) -> StoreResult<Vec<app::model::resources::Resource>> {
        resources::unpublished(self, locality_id, member).await
    }
}
