//! Staff roles, departments, the audit log and the outbox.

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::account::{Role, Viewer};
use app::model::admin::{AuditEntry, Department, OutboxMessage, StaffGrant};
use app::model::{Category, Localized};
use app::store::{AdminStore, CategoryEdit, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(sqlx::FromRow)]
struct StaffRow {
    grant_id: i64,
    user_id: i64,
    email: Option<String>,
    display_name: String,
    role: String,
    locality_id: Option<i64>,
    department: Option<String>,
    granted_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AdminCategoryRow {
    id: i64,
    slug: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    icon: String,
    color: String,
    active: bool,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    actor_label: String,
    action: String,
    target_kind: String,
    target_id: Option<i64>,
    before_json: Option<String>,
    after_json: Option<String>,
    reason: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    to_address: String,
    subject: String,
    body: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

#[async_trait]
impl AdminStore for Db {
    async fn staff(&self, locality_id: i64) -> StoreResult<Vec<StaffGrant>> {
        let rows: Vec<StaffRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id AS grant_id, u.id AS user_id, u.email, u.display_name, r.role, r.locality_id, \
                 d.name AS department, r.granted_at FROM roles r JOIN users u ON u.id = r.user_id \
                 LEFT JOIN departments d ON d.id = r.department_id \
                 WHERE r.locality_id = $1 OR r.locality_id IS NULL ORDER BY r.role, u.email, r.id",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(StaffGrant {
                    grant_id: r.grant_id,
                    user_id: r.user_id,
                    email: r.email.unwrap_or_default(),
                    display_name: r.display_name,
                    role: Role::parse(&r.role)?,
                    locality_id: r.locality_id,
                    department: r.department,
                    granted_at: r.granted_at,
                })
            })
            .collect())
    }

    async fn grant_role(
        &self,
        actor: &Viewer,
        email: &str,
        role: Role,
        locality_id: Option<i64>,
        department_id: Option<i64>,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?
                .ok_or(StoreError::NotFound)?;
            if let Some(department) = department_id {
                let belongs: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM departments WHERE id = $1 AND locality_id = $2")
                        .bind(department)
                        .bind(locality_id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(store_err)?;
                if belongs.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            let grant_id: i64 = sqlx::query_scalar(
                "INSERT INTO roles (user_id, role, locality_id, department_id, granted_by, granted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user_id)
            .bind(role.as_str())
            .bind(locality_id)
            .bind(department_id)
            .bind(actor.user_id())
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
            let after = json!({ "email": email, "role": role.as_str(), "locality_id": locality_id, "department_id": department_id });
            write_audit!(
                tx,
                &AuditRecord::by(actor, "grant_role", "role", Some(grant_id)).locality(locality_id).change(None, Some(after))
            )
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn revoke_role(&self, actor: &Viewer, grant_id: i64) -> StoreResult<()> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let row: (Option<String>, String, Option<i64>, Option<i64>) = sqlx::query_as(
                "SELECT u.email, r.role, r.locality_id, r.department_id FROM roles r JOIN users u ON u.id = r.user_id \
                 WHERE r.id = $1",
            )
            .bind(grant_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
            sqlx::query("DELETE FROM roles WHERE id = $1").bind(grant_id).execute(&mut *tx).await.map_err(store_err)?;
            let before = json!({ "email": row.0, "role": row.1, "locality_id": row.2, "department_id": row.3 });
            write_audit!(
                tx,
                &AuditRecord::by(actor, "revoke_role", "role", Some(grant_id)).locality(row.2).change(Some(before), None)
            )
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }

    async fn grant_locality(&self, grant_id: i64) -> StoreResult<Option<i64>> {
        with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT locality_id FROM roles WHERE id = $1")
                .bind(grant_id)
                .fetch_one(pool)
                .await
        })
        .map_err(store_err)
    }

    async fn departments(&self, locality_id: i64) -> StoreResult<Vec<Department>> {
        type Rows = (Vec<(i64, String, bool)>, Vec<(i64, i64)>);
        let (departments, links): Rows = with_pool!(self, |pool| async {
            let departments = sqlx::query_as(
                "SELECT id, name, network_secretariat FROM departments \
                 WHERE locality_id = $1 AND active = TRUE ORDER BY name",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await?;
            let links = sqlx::query_as(
                "SELECT dc.department_id, dc.category_id FROM department_categories dc \
                 JOIN departments d ON d.id = dc.department_id WHERE d.locality_id = $1",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((departments, links))
        }
        .await)
        .map_err(store_err)?;
        Ok(departments
            .into_iter()
            .map(|(id, name, network_secretariat)| Department {
                id,
                name,
                category_ids: links.iter().filter(|(d, _)| *d == id).map(|(_, c)| *c).collect(),
                network_secretariat,
            })
            .collect())
    }

    async fn save_department(
        &self,
        actor: &Viewer,
        locality_id: i64,
        id: Option<i64>,
        name: &str,
        category_ids: &[i64],
        network_secretariat: bool,
    ) -> StoreResult<i64> {
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (department_id, before) = match id {
                Some(id) => {
                    let (old, old_secretariat): (String, bool) = sqlx::query_as(
                        "SELECT name, network_secretariat FROM departments \
                         WHERE id = $1 AND locality_id = $2",
                    )
                    .bind(id)
                    .bind(locality_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
                    sqlx::query(
                        "UPDATE departments SET name = $1, network_secretariat = $2 WHERE id = $3",
                    )
                    .bind(name)
                    .bind(network_secretariat)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    (id, Some(json!({ "name": old, "network_secretariat": old_secretariat })))
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO departments (locality_id, name, network_secretariat) \
                         VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(locality_id)
                    .bind(name)
                    .bind(network_secretariat)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    (id, None)
                }
            };
            sqlx::query("DELETE FROM department_categories WHERE department_id = $1")
                .bind(department_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            for category in category_ids {
                // Only categories of the same locality may be linked.
                sqlx::query(
                    "INSERT INTO department_categories (department_id, category_id) \
                     SELECT $1, id FROM categories WHERE id = $2 AND locality_id = $3",
                )
                .bind(department_id)
                .bind(category)
                .bind(locality_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            }
            let after = json!({
                "name": name,
                "category_ids": category_ids,
                "network_secretariat": network_secretariat,
            });
            write_audit!(
                tx,
                &AuditRecord::by(actor, "save_department", "department", Some(department_id))
                    .locality(Some(locality_id))
                    .change(before, Some(after))
            )
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(department_id)
        }
        .await)
    }

    async fn audit_log(
        &self,
        locality_id: Option<i64>,
        action: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = with_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT id, actor_label, action, target_kind, target_id, before_json, after_json, reason, created_at \
                 FROM audit_log WHERE 1 = 1",
            );
            if let Some(l) = locality_id {
                qb.push(" AND locality_id = ").push_bind(l);
            }
            if let Some(a) = action {
                qb.push(" AND action = ").push_bind(a.to_owned());
            }
            qb.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
            qb.build_query_as().fetch_all(pool).await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                actor: r.actor_label,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                before: r.before_json,
                after: r.after_json,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect())
    }

    async fn save_category(
        &self,
        actor: &Viewer,
        locality_id: i64,
        c: &CategoryEdit,
    ) -> StoreResult<i64> {
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let (id, before) = match c.id {
                Some(id) => {
                    let old: (String, String, String, bool) = sqlx::query_as(
                        "SELECT name_ro, icon, color, active FROM categories WHERE id = $1 AND locality_id = $2",
                    )
                    .bind(id)
                    .bind(locality_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or(StoreError::NotFound)?;
                    sqlx::query(
                        "UPDATE categories SET name_ro = $1, name_ru = $2, name_uk = $3, name_en = $4, icon = $5, \
                         color = $6, active = $7 WHERE id = $8",
                    )
                    .bind(&c.name.ro)
                    .bind(&c.name.ru)
                    .bind(&c.name.uk)
                    .bind(&c.name.en)
                    .bind(&c.icon)
                    .bind(&c.color)
                    .bind(c.active)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    (id, Some(json!({ "name": old.0, "icon": old.1, "color": old.2, "active": old.3 })))
                }
                None => {
                    let next: i64 = sqlx::query_scalar(
                        "SELECT CAST(COALESCE(MAX(sort_order), 0) + 1 AS BIGINT) FROM categories WHERE locality_id = $1",
                    )
                    .bind(locality_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO categories (locality_id, slug, name_ro, name_ru, name_uk, name_en, icon, color, \
                         sort_order, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(locality_id)
                    .bind(&c.slug)
                    .bind(&c.name.ro)
                    .bind(&c.name.ru)
                    .bind(&c.name.uk)
                    .bind(&c.name.en)
                    .bind(&c.icon)
                    .bind(&c.color)
                    .bind(next)
                    .bind(c.active)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_err)?;
                    (id, None)
                }
            };
            let after = json!({ "slug": c.slug, "name": c.name.ro, "icon": c.icon, "color": c.color, "active": c.active });
            write_audit!(
                tx,
                &AuditRecord::by(actor, "save_category", "category", Some(id))
                    .locality(Some(locality_id))
                    .change(before, Some(after))
            )
            .map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        }
        .await
        })
    }

    async fn import_locality(&self, actor: &Viewer, json_text: &str) -> StoreResult<i64> {
        let spec: super::LocalitySpec = serde_json::from_str(json_text)
            .map_err(|_| StoreError::Invalid(FieldError::new("json", Problem::Invalid)))?;
        Db::import_locality(self, &spec, false, actor).await
    }

    async fn localities(&self) -> StoreResult<Vec<(i64, String, String)>> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, name_ro FROM localities ORDER BY is_default DESC, name_ro",
            )
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)
    }

    async fn all_categories(&self, locality_id: i64) -> StoreResult<Vec<(Category, bool)>> {
        let rows: Vec<AdminCategoryRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, name_ro, name_ru, name_uk, name_en, icon, color, active FROM categories \
                 WHERE locality_id = $1 ORDER BY sort_order, id",
            )
            .bind(locality_id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let name = Localized { ro: r.name_ro, ru: r.name_ru, uk: r.name_uk, en: r.name_en };
                (Category { id: r.id, slug: r.slug, name, icon: r.icon, color: r.color }, r.active)
            })
            .collect())
    }

    async fn outbox(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>> {
        let rows: Vec<OutboxRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, to_address, subject, body, created_at, sent_at FROM outbox ORDER BY id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMessage {
                id: r.id,
                to: r.to_address,
                subject: r.subject,
                body: r.body,
                created_at: r.created_at,
                sent_at: r.sent_at,
            })
            .collect())
    }
}
