//! Localities and their categories.

use super::audit::{write_audit, AuditRecord};
use super::{now, store_err, with_pool, BeginWrite, Db};
use app::error::{FieldError, Problem};
use app::model::{Category, LatLng, Locality, LocalityInfo, Localized, Polygon, Viewer};
use app::store::{LocalityStore, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(sqlx::FromRow)]
struct LocalityRow {
    id: i64,
    slug: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    centre_lat: f64,
    centre_lng: f64,
    zoom: i64,
    boundary: String,
    is_default: bool,
    stuck_days: i64,
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
    name_ro: String,
    name_ru: String,
    name_uk: String,
    name_en: String,
    icon: String,
    color: String,
}

const LOCALITY_COLUMNS: &str =
    "id, slug, name_ro, name_ru, name_uk, name_en, centre_lat, centre_lng, zoom, boundary, is_default, \
     stuck_days";

/// A locality as an operator describes it in a JSON file (`agora locality import`), and as the
/// demo data ships Bălți.
#[derive(Clone, Debug, Deserialize)]
pub struct LocalitySpec {
    pub slug: String,
    pub name: Localized,
    /// `[lat, lng]`
    pub centre: [f64; 2],
    pub zoom: u8,
    /// `[[lat, lng], …]`
    pub boundary: Vec<[f64; 2]>,
    pub categories: Vec<CategorySpec>,
}

impl LocalitySpec {
    /// Refuses a description that could not serve as a site: slugs that are not address-safe,
    /// a missing Romanian name, a centre or boundary point off the globe, an odd zoom, colours
    /// that are not `#rrggbb`, icon names that are not plain file names.
    pub fn check(&self) -> Result<(), FieldError> {
        let invalid = || FieldError::new("json", Problem::Invalid);
        let slug_ok = |s: &str| app::model::input::slug("json", s).is_ok();
        let point_ok = |[lat, lng]: [f64; 2]| LatLng::new(lat, lng).is_ok();
        let color_ok = |c: &str| {
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
        };
        let icon_ok = |i: &str| {
            !i.is_empty()
                && i.len() <= 40
                && i.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        let names_ok = |n: &Localized| !n.ro.trim().is_empty() && n.ro.chars().count() <= 120;
        // A locality's site lives at `/{lang}/{slug}`: a page's name would be hidden by it.
        let address_free = !app::model::locality::RESERVED_SLUGS.contains(&self.slug.as_str());
        let sound = address_free
            && slug_ok(&self.slug)
            && names_ok(&self.name)
            && point_ok(self.centre)
            && (1..=19).contains(&self.zoom)
            && self.boundary.iter().all(|p| point_ok(*p))
            && self.categories.iter().all(|c| {
                slug_ok(&c.slug) && names_ok(&c.name) && color_ok(&c.color) && icon_ok(&c.icon)
            });
        if sound {
            Ok(())
        } else {
            Err(invalid())
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct CategorySpec {
    pub slug: String,
    pub name: Localized,
    pub icon: String,
    pub color: String,
}

fn parse_boundary(json: &str) -> Polygon {
    let pairs: Vec<[f64; 2]> = serde_json::from_str(json).unwrap_or_else(|err| {
        tracing::warn!(%err, "a locality boundary is not valid JSON; treating it as empty");
        Vec::new()
    });
    Polygon(pairs.into_iter().map(|[lat, lng]| LatLng { lat, lng }).collect())
}

impl From<CategoryRow> for Category {
    fn from(r: CategoryRow) -> Self {
        Category {
            id: r.id,
            slug: r.slug,
            name: Localized { ro: r.name_ro, ru: r.name_ru, uk: r.name_uk, en: r.name_en },
            icon: r.icon,
            color: r.color,
        }
    }
}

impl Db {
    async fn complete_locality(&self, row: LocalityRow) -> StoreResult<Locality> {
        let categories: Vec<CategoryRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, name_ro, name_ru, name_uk, name_en, icon, color FROM categories \
                 WHERE locality_id = $1 AND active = TRUE ORDER BY sort_order, id",
            )
            .bind(row.id)
            .fetch_all(pool)
            .await
        })
        .map_err(store_err)?;
        Ok(Locality {
            id: row.id,
            slug: row.slug,
            name: Localized { ro: row.name_ro, ru: row.name_ru, uk: row.name_uk, en: row.name_en },
            centre: LatLng { lat: row.centre_lat, lng: row.centre_lng },
            zoom: u8::try_from(row.zoom).unwrap_or(13),
            boundary: parse_boundary(&row.boundary),
            categories: categories.into_iter().map(Category::from).collect(),
            is_default: row.is_default,
            stuck_days: u32::try_from(row.stuck_days).unwrap_or(30),
        })
    }

    /// Every category's id and colour, for the generated stylesheet.
    pub async fn category_colors(&self) -> StoreResult<Vec<(i64, String)>> {
        with_pool!(self, |pool| sqlx::query_as("SELECT id, color FROM categories")
            .fetch_all(pool)
            .await)
        .map_err(store_err)
    }

    /// Creates or updates a locality and its categories from `spec`, with its audit entry, in
    /// one transaction. Categories missing from `spec` are deactivated, never deleted (reports
    /// keep them). `actor` is who asked (an operator's page); the command line is "system".
    pub async fn import_locality(
        &self,
        spec: &LocalitySpec,
        make_default: bool,
        actor: &Viewer,
    ) -> StoreResult<i64> {
        spec.check().map_err(StoreError::Invalid)?;
        let boundary =
            serde_json::to_string(&spec.boundary).map_err(|e| StoreError::Backend(Box::new(e)))?;
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            if make_default {
                sqlx::query(
                    "UPDATE localities SET is_default = FALSE WHERE is_default AND slug <> $1",
                )
                .bind(&spec.slug)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO localities (slug, name_ro, name_ru, name_uk, name_en, centre_lat, centre_lng, \
                 zoom, boundary, is_default, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (slug) DO UPDATE SET name_ro = excluded.name_ro, name_ru = excluded.name_ru, \
                 name_uk = excluded.name_uk, name_en = excluded.name_en, centre_lat = excluded.centre_lat, \
                 centre_lng = excluded.centre_lng, zoom = excluded.zoom, boundary = excluded.boundary, \
                 is_default = (localities.is_default OR excluded.is_default) \
                 RETURNING id",
            )
            .bind(&spec.slug)
            .bind(&spec.name.ro)
            .bind(&spec.name.ru)
            .bind(&spec.name.uk)
            .bind(&spec.name.en)
            .bind(spec.centre[0])
            .bind(spec.centre[1])
            .bind(i64::from(spec.zoom))
            .bind(&boundary)
            .bind(make_default)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;

            sqlx::query("UPDATE categories SET active = FALSE WHERE locality_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            for (position, c) in spec.categories.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO categories (locality_id, slug, name_ro, name_ru, name_uk, name_en, icon, color, \
                     sort_order, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE) \
                     ON CONFLICT (locality_id, slug) DO UPDATE SET name_ro = excluded.name_ro, \
                     name_ru = excluded.name_ru, name_uk = excluded.name_uk, name_en = excluded.name_en, \
                     icon = excluded.icon, color = excluded.color, sort_order = excluded.sort_order, active = TRUE",
                )
                .bind(id)
                .bind(&c.slug)
                .bind(&c.name.ro)
                .bind(&c.name.ru)
                .bind(&c.name.uk)
                .bind(&c.name.en)
                .bind(&c.icon)
                .bind(&c.color)
                .bind(position as i64)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
            }
            let record = AuditRecord::by(actor, "import_locality", "locality", Some(id))
                .locality(Some(id))
                .change(
                    None,
                    Some(serde_json::json!({ "slug": spec.slug, "categories": spec.categories.len() })),
                );
            write_audit!(tx, &record).map_err(store_err)?;
            tx.commit().await.map_err(store_err)?;
            Ok(id)
        })
    }
}

#[async_trait]
impl LocalityStore for Db {
    async fn default_locality(&self) -> StoreResult<Locality> {
        let sql = format!(
            "SELECT {LOCALITY_COLUMNS} FROM localities ORDER BY is_default DESC, id LIMIT 1"
        );
        let row: LocalityRow = with_pool!(self, |pool| sqlx::query_as(&sql).fetch_one(pool).await)
            .map_err(store_err)?;
        self.complete_locality(row).await
    }

    async fn public_localities(&self) -> StoreResult<Vec<LocalityInfo>> {
        let sql =
            format!("SELECT {LOCALITY_COLUMNS} FROM localities ORDER BY is_default DESC, name_ro");
        let rows: Vec<LocalityRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
                .map_err(store_err)?;
        Ok(rows
            .into_iter()
            .map(|r| LocalityInfo {
                slug: r.slug,
                name: Localized { ro: r.name_ro, ru: r.name_ru, uk: r.name_uk, en: r.name_en },
                centre: LatLng { lat: r.centre_lat, lng: r.centre_lng },
                is_default: r.is_default,
            })
            .collect())
    }

    async fn locality(&self, id: i64) -> StoreResult<Locality> {
        let sql = format!("SELECT {LOCALITY_COLUMNS} FROM localities WHERE id = $1");
        let row: LocalityRow =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_one(pool).await)
                .map_err(store_err)?;
        self.complete_locality(row).await
    }

    async fn locality_by_slug(&self, slug: &str) -> StoreResult<Locality> {
        let sql = format!("SELECT {LOCALITY_COLUMNS} FROM localities WHERE slug = $1");
        let row: LocalityRow =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(slug).fetch_one(pool).await)
                .map_err(store_err)?;
        self.complete_locality(row).await
    }
}
