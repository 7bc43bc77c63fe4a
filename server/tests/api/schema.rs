//! The two migration folders must build the same schema: tables, columns (with nullability and
//! a type of the same family), primary keys, unique column sets, named indexes, foreign keys
//! with their delete rule, and the number of CHECK constraints per table. Runs in the
//! PostgreSQL pass of `make test`, which migrates a SQLite database beside it.

use server::db::Db;
use std::collections::BTreeSet;

/// One fact about a schema, comparable across the two engines.
type Facts = BTreeSet<String>;

/// A column type's family: dates are TEXT in SQLite and TIMESTAMPTZ in PostgreSQL by design.
fn family(sql_type: &str) -> &'static str {
    match sql_type.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" => "integer",
        "text" | "timestamp with time zone" | "character varying" => "text",
        "real" | "double precision" => "real",
        "boolean" => "boolean",
        "blob" | "bytea" => "bytes",
        _ => "other",
    }
}

fn delete_rule(rule: &str) -> &'static str {
    match rule.to_ascii_lowercase().as_str() {
        "cascade" | "c" => "cascade",
        "set null" | "n" => "set null",
        "restrict" | "r" => "restrict",
        "set default" | "d" => "set default",
        _ => "no action",
    }
}

async fn sqlite_facts(db: &Db) -> Facts {
    let Db::Sqlite(pool) = db else { panic!("a SQLite database") };
    let mut facts = Facts::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    for (table, sql) in tables {
        facts.insert(format!("table {table}"));
        let checks = sql.to_ascii_uppercase().matches("CHECK (").count();
        facts.insert(format!("{table}: {checks} checks"));
        let columns: Vec<(String, String, bool, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("columns");
        let mut key = Vec::new();
        for (name, sql_type, not_null, pk) in columns {
            // SQLite's INTEGER PRIMARY KEY is never null even when not declared so.
            let not_null = not_null || pk > 0;
            facts.insert(format!("{table}.{name} {} not_null={not_null}", family(&sql_type)));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, n)| n).collect();
        facts.insert(format!("{table} primary key ({})", key.join(", ")));
        let indexes: Vec<(String, bool, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("indexes");
        for (index, unique, origin) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<(Option<String>,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .expect("index columns");
            let expression = columns.iter().any(|(c,)| c.is_none());
            let columns: Vec<String> = columns.into_iter().filter_map(|(c,)| c).collect();
            if unique && !expression {
                facts.insert(format!("{table} unique ({})", columns.join(", ")));
            }
            if origin == "c" {
                let what = if expression { "(expression)".to_owned() } else { columns.join(", ") };
                facts.insert(format!("{table} index {index} unique={unique} on {what}"));
            }
        }
        let keys: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list($1)",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("foreign keys");
        for (from, target, to, on_delete) in keys {
            facts.insert(format!(
                "{table}.{from} -> {target}.{to} on delete {}",
                delete_rule(&on_delete)
            ));
        }
    }
    facts
}

async fn postgres_facts(db: &Db) -> Facts {
    let Db::Postgres(pool) = db else { panic!("a PostgreSQL database") };
    let mut facts = Facts::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    for (table,) in tables {
        facts.insert(format!("table {table}"));
        let checks: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'c' AND conrelid = $1::regclass",
        )
        .bind(&table)
        .fetch_one(pool)
        .await
        .expect("checks");
        facts.insert(format!("{table}: {checks} checks"));
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("columns");
        for (name, sql_type, nullable) in columns {
            let not_null = nullable == "NO";
            facts.insert(format!("{table}.{name} {} not_null={not_null}", family(&sql_type)));
        }
        // Every index with its columns in order (none for expressions), whether it is unique,
        // and whether a constraint (primary key or UNIQUE) made it.
        let indexes: Vec<(String, bool, bool, bool, Vec<String>)> = sqlx::query_as(
            "SELECT ic.relname::text, ix.indisunique, ix.indisprimary, \
             EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid), \
             ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) \
                   JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n) \
             FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid \
             WHERE ix.indrelid = $1::regclass",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("indexes");
        for (index, unique, primary, from_constraint, columns) in indexes {
            let expression = sqlx::query_scalar::<_, bool>(
                "SELECT indexprs IS NOT NULL FROM pg_index WHERE indexrelid = $1::regclass",
            )
            .bind(&index)
            .fetch_one(pool)
            .await
            .expect("expression");
            if primary {
                facts.insert(format!("{table} primary key ({})", columns.join(", ")));
                continue;
            }
            if unique && !expression {
                facts.insert(format!("{table} unique ({})", columns.join(", ")));
            }
            if !from_constraint {
                let what = if expression { "(expression)".to_owned() } else { columns.join(", ") };
                facts.insert(format!("{table} index {index} unique={unique} on {what}"));
            }
        }
        let keys: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT a.attname::text, cf.relname::text, af.attname::text, c.confdeltype::text \
             FROM pg_constraint c JOIN pg_class cf ON cf.oid = c.confrelid \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] \
             WHERE c.contype = 'f' AND c.conrelid = $1::regclass",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .expect("foreign keys");
        for (from, target, to, rule) in keys {
            facts.insert(format!(
                "{table}.{from} -> {target}.{to} on delete {}",
                delete_rule(&rule)
            ));
        }
    }
    facts
}

#[tokio::test]
async fn both_backends_build_the_same_schema() {
    let Some((sqlite, postgres, _dir)) = crate::helpers::migrated_pair().await else {
        eprintln!("schema parity is checked in the PostgreSQL pass (AGORA_TEST_DATABASE)");
        return;
    };
    let (lite, pg) = (sqlite_facts(&sqlite).await, postgres_facts(&postgres).await);
    assert!(lite.len() > 100, "the schema was read: {} facts", lite.len());
    let only_sqlite: Vec<&String> = lite.difference(&pg).collect();
    let only_postgres: Vec<&String> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ.\nonly in SQLite:\n  {}\nonly in PostgreSQL:\n  {}",
        only_sqlite.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        only_postgres.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
    );
}
