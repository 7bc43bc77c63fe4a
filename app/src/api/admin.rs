//! Administration: staff roles, departments, categories, localities, the audit log and the
//! outbox. Administrators act on their locality; operators on every locality.

// A server function mirrors its HTML form, one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::admin::{AuditEntry, Department, OutboxMessage, StaffGrant};
use crate::model::Category;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    api::auth::require_user,
    error::Problem,
    i18n::Locale,
    model::{input, Localized, Role, Viewer},
    store::{services, CategoryEdit},
};

/// What the administration page shows for one locality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub locality_id: i64,
    pub locality_slug: String,
    pub locality_name: String,
    /// Every locality the viewer administers, `(slug, name)`, for switching between them.
    pub administered: Vec<(String, String)>,
    pub staff: Vec<StaffGrant>,
    pub departments: Vec<Department>,
    pub categories: Vec<(Category, bool)>,
    pub is_operator: bool,
}

#[cfg(feature = "ssr")]
fn locale_of(lang: &str) -> Locale {
    crate::locale::parse(lang).unwrap_or(Locale::ro)
}

/// A locality an administrator is working on, and the others they administer.
#[cfg(feature = "ssr")]
pub(crate) struct AdminScope {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) administered: Vec<(String, String)>,
}

/// The signed-in administrator and the locality they work on: the one named by `slug`, else
/// the default locality when they administer it, else the first they administer. A locality
/// they do not administer is refused, whether or not it exists.
#[cfg(feature = "ssr")]
pub(crate) async fn require_admin(slug: Option<&str>) -> Result<(Viewer, AdminScope), AppError> {
    let (viewer, _) = require_user()?;
    // Listed default first, then by name.
    let administered: Vec<(i64, String, String)> = services()?
        .store
        .localities()
        .await?
        .into_iter()
        .filter(|(id, _, _)| viewer.is_admin(*id))
        .collect();
    let chosen = match slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => administered.iter().find(|(_, s, _)| s == slug),
        None => administered.first(),
    };
    let Some((id, slug, name)) = chosen.cloned() else { return Err(AppError::Forbidden) };
    let administered = administered.into_iter().map(|(_, s, n)| (s, n)).collect();
    Ok((viewer, AdminScope { id, slug, name, administered }))
}

/// Back to the administration page of `locality` after a save, with a fresh marker so that
/// the page reads its data again.
#[cfg(feature = "ssr")]
fn back_to_admin(lang: &str, locality: &str) {
    super::redirect(&format!(
        "/{}/admin?locality={locality}&saved={}",
        locale_of(lang),
        chrono::Utc::now().timestamp_millis()
    ));
}

#[server(prefix = "/api", endpoint = "admin/overview", input = GetUrl)]
pub async fn get_admin_overview(locality: Option<String>) -> Result<AdminOverview, AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let store = services()?.store;
            let locality_id = scope.id;
            Ok(AdminOverview {
                locality_id,
                locality_slug: scope.slug,
                locality_name: scope.name,
                administered: scope.administered,
                staff: store.staff(locality_id).await?,
                departments: store.departments(locality_id).await?,
                categories: store.all_categories(locality_id).await?,
                is_operator: viewer.is_operator(),
            })
        }
        .await,
    )
}

/// Gives a role to the account with `email`. Only operators grant the operator role.
#[server(prefix = "/api", endpoint = "admin/grant")]
pub async fn grant_role(
    email: String,
    role: String,
    department_id: String,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let locality_id = scope.id;
            let email =
                input::Email::parse("email", &email).map_err(|e| AppError::Validation(vec![e]))?;
            let role =
                Role::parse(&role).ok_or_else(|| AppError::invalid("role", Problem::Invalid))?;
            if role == Role::Operator && !viewer.is_operator() {
                return Err(AppError::Forbidden);
            }
            let department = match department_id.trim() {
                "" => None,
                d => Some(
                    d.parse::<i64>()
                        .map_err(|_| AppError::invalid("department_id", Problem::Invalid))?,
                ),
            };
            if department.is_some() && role != Role::Staff {
                return Err(AppError::invalid("department_id", Problem::Invalid));
            }
            let locality = (role != Role::Operator).then_some(locality_id);
            services()?
                .store
                .grant_role(&viewer, email.as_str(), role, locality, department)
                .await
                .map_err(|e| match e {
                    crate::store::StoreError::NotFound => {
                        AppError::invalid("email", Problem::Invalid)
                    }
                    other => other.into(),
                })?;
            back_to_admin(&lang, &scope.slug);
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/revoke")]
pub async fn revoke_role(
    grant_id: i64,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            // Checked before the write: the page to return to is part of the answer.
            let locality = match locality.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(slug) => {
                    input::slug("locality", slug).map_err(|e| AppError::Validation(vec![e]))?
                }
                None => String::new(),
            };
            let store = services()?.store;
            let allowed = match store.grant_locality(grant_id).await? {
                Some(locality) => viewer.is_admin(locality),
                None => viewer.is_operator(),
            };
            if !allowed {
                return Err(AppError::Forbidden);
            }
            store.revoke_role(&viewer, grant_id).await?;
            back_to_admin(&lang, &locality);
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/department")]
pub async fn save_department(
    id: String,
    name: String,
    category_ids: Option<Vec<i64>>,
    network_secretariat: Option<String>,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let locality_id = scope.id;
            let name =
                input::text("name", &name, 2, 120).map_err(|e| AppError::Validation(vec![e]))?;
            let id = match id.trim() {
                "" => None,
                v => Some(v.parse::<i64>().map_err(|_| AppError::invalid("id", Problem::Invalid))?),
            };
            services()?
                .store
                .save_department(
                    &viewer,
                    locality_id,
                    id,
                    &name,
                    &category_ids.unwrap_or_default(),
                    network_secretariat.is_some(),
                )
                .await?;
            back_to_admin(&lang, &scope.slug);
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/category")]
pub async fn save_category(
    id: String,
    slug: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    icon: String,
    color: String,
    active: Option<String>,
    locality: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, scope) = require_admin(locality.as_deref()).await?;
            let locality_id = scope.id;
            let mut fields = input::Fields::default();
            let id = match id.trim() {
                "" => None,
                v => fields.check(
                    v.parse::<i64>()
                        .map_err(|_| crate::error::FieldError::new("id", Problem::Invalid)),
                ),
            };
            let token = |field: &str, v: &str| {
                let v = v.trim();
                if !v.is_empty()
                    && v.len() <= 40
                    && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    Ok(v.to_owned())
                } else {
                    Err(crate::error::FieldError::new(field, Problem::Invalid))
                }
            };
            let slug = fields.check(token("slug", &slug));
            let icon = fields.check(token("icon", &icon));
            let color = color.trim().to_lowercase();
            if !(color.len() == 7
                && color.starts_with('#')
                && color[1..].chars().all(|c| c.is_ascii_hexdigit()))
            {
                fields.push("color", Problem::Invalid);
            }
            let ro = fields.check(input::text("name_ro", &name_ro, 2, 80));
            let ru = fields.check(input::text("name_ru", &name_ru, 0, 80));
            let uk = fields.check(input::text("name_uk", &name_uk, 0, 80));
            let en = fields.check(input::text("name_en", &name_en, 0, 80));
            fields.finish()?;
            let (Some(slug), Some(icon), Some(ro), Some(ru), Some(uk), Some(en)) =
                (slug, icon, ro, ru, uk, en)
            else {
                return Err(AppError::Internal);
            };
            let edit = CategoryEdit {
                id,
                slug,
                name: Localized { ro, ru, uk, en },
                icon,
                color,
                active: active.is_some_and(|a| a == "on" || a == "true"),
            };
            services()?.store.save_category(&viewer, locality_id, &edit).await.map_err(
                |e| match e {
                    crate::store::StoreError::Conflict(_) => {
                        AppError::invalid("slug", Problem::Invalid)
                    }
                    other => other.into(),
                },
            )?;
            back_to_admin(&lang, &scope.slug);
            Ok(())
        }
        .await,
    )
}

/// The audit log of the administrator's locality, newest first, optionally of one action.
#[server(prefix = "/api", endpoint = "admin/audit", input = GetUrl)]
pub async fn get_audit_log(
    action: Option<String>,
    locality: Option<String>,
) -> Result<Vec<AuditEntry>, AppError> {
    super::reply(
        async {
            let (_, scope) = require_admin(locality.as_deref()).await?;
            let action = action.filter(|a| !a.trim().is_empty());
            Ok(services()?.store.audit_log(Some(scope.id), action.as_deref(), 200).await?)
        }
        .await,
    )
}

/// Operators: every message Agora has sent or queued.
#[server(prefix = "/api", endpoint = "admin/outbox", input = GetUrl)]
pub async fn get_outbox() -> Result<Vec<OutboxMessage>, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            if !viewer.is_operator() {
                return Err(AppError::Forbidden);
            }
            Ok(services()?.store.outbox(200).await?)
        }
        .await,
    )
}

/// Operators: the localities of the deployment.
#[server(prefix = "/api", endpoint = "admin/localities", input = GetUrl)]
pub async fn get_localities() -> Result<Vec<(i64, String, String)>, AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            if !viewer.is_operator() {
                return Err(AppError::Forbidden);
            }
            Ok(services()?.store.localities().await?)
        }
        .await,
    )
}

/// Operators: add or update a locality from its JSON description.
#[server(prefix = "/api", endpoint = "admin/locality")]
pub async fn import_locality(json: String, lang: String) -> Result<(), AppError> {
    super::reply(
        async {
            let (viewer, _) = require_user()?;
            if !viewer.is_operator() {
                return Err(AppError::Forbidden);
            }
            services()?.store.import_locality(&viewer, &json).await?;
            super::redirect(&format!(
                "/{}/admin/localities?saved={}",
                locale_of(&lang),
                chrono::Utc::now().timestamp_millis()
            ));
            Ok(())
        }
        .await,
    )
}
