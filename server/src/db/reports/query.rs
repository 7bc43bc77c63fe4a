//! The pieces of SQL that report queries share: filters, lists of bound values, the summary
//! columns.

/// Appends `open`, the values bound and comma-separated, then `close`; nothing when there are
/// no values (an empty filter narrows nothing).
macro_rules! push_in_list {
    ($qb:expr, $open:expr, $values:expr, $close:expr) => {{
        let mut values = $values.peekable();
        if values.peek().is_some() {
            $qb.push($open);
            let mut list = $qb.separated(", ");
            for value in values {
                list.push_bind(value);
            }
            list.push_unseparated($close);
        }
    }};
}

/// Appends the conditions shared by report queries (reports aliased `r`, categories `c`).
macro_rules! push_conditions {
    ($qb:expr, $bbox:expr, $filter:expr) => {{
        let qb = &mut $qb;
        qb.push(" WHERE r.hidden = FALSE");
        if let Some(b) = $bbox {
            let b: app::model::BBox = b;
            qb.push(" AND r.location_confirmed = TRUE");
            qb.push(" AND r.lat >= ").push_bind(b.min_lat);
            qb.push(" AND r.lat <= ").push_bind(b.max_lat);
            qb.push(" AND r.lng >= ").push_bind(b.min_lng);
            qb.push(" AND r.lng <= ").push_bind(b.max_lng);
        }
        let filter: &app::model::ReportFilter = $filter;
        if let Some(locality) = filter.locality_id {
            qb.push(" AND r.locality_id = ").push_bind(locality);
        }
        $crate::db::reports::query::push_in_list!(
            qb,
            " AND c.slug IN (",
            filter.categories.iter().cloned(),
            ")"
        );
        $crate::db::reports::query::push_in_list!(
            qb,
            " AND r.status IN (",
            filter.statuses.iter().map(|s| s.as_str()),
            ")"
        );
        if let Some(day) = filter.since {
            qb.push(" AND r.created_at >= ").push_bind(app::format::day_start_utc(day));
        }
        if let Some(day) = filter.until {
            let next = day.succ_opt().unwrap_or(day);
            qb.push(" AND r.created_at < ").push_bind(app::format::day_start_utc(next));
        }
        if let Some(text) = &filter.text {
            // LIKE wildcards in the query are matched literally.
            let needle = app::model::report::search_key(text)
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            qb.push(" AND r.search_text LIKE ")
                .push_bind(format!("%{needle}%"))
                .push(" ESCAPE '\\'");
        }
    }};
}

/// Appends `AND c.id IN (SELECT id FROM categories WHERE slug IN (…))` style narrowing for the
/// pre-counted cells (which know category ids and statuses only).
macro_rules! push_cell_conditions {
    ($qb:expr, $filter:expr) => {{
        let qb = &mut $qb;
        let filter: &app::model::ReportFilter = $filter;
        if let Some(locality) = filter.locality_id {
            qb.push(" AND category_id IN (SELECT id FROM categories WHERE locality_id = ")
                .push_bind(locality)
                .push(")");
        }
        $crate::db::reports::query::push_in_list!(
            qb,
            " AND category_id IN (SELECT id FROM categories WHERE slug IN (",
            filter.categories.iter().cloned(),
            "))"
        );
        $crate::db::reports::query::push_in_list!(
            qb,
            " AND status IN (",
            filter.statuses.iter().map(|s| s.as_str()),
            ")"
        );
    }};
}
pub(crate) use {push_cell_conditions, push_conditions, push_in_list};

pub(super) const SUMMARY_SELECT: &str =
    "SELECT r.id, r.title, r.status, c.slug AS category, r.lat, r.lng, r.address, \
     r.created_at, r.updated_at, r.supporters FROM reports r JOIN categories c ON c.id = r.category_id";
