//! The database side of the benchmark: the session, a fresh `corm_bench`
//! keyspace with the generated tables, and the rows the scenarios read.

use std::sync::Arc;

use corm::{Config, Session};

use crate::BenchError;
use crate::data::{KEYSPACE, READINGS_PER_SENSOR, SENSORS, USERS};
use crate::generated::Db;
use crate::load::{self, Limits};
use crate::workload::{Load, Loader};

/// How many writes the setup keeps in flight.
const LOAD_CONCURRENCY: usize = 128;

/// Connects as the `CORM_*` environment variables say.
///
/// # Errors
/// A bad variable or no node answering.
pub async fn connect() -> Result<Session, BenchError> {
    let config = Config::from_env().map_err(corm::Error::from)?;
    Ok(Session::connect(&config).await?)
}

/// Drops `corm_bench` if it exists and creates it again (SimpleStrategy,
/// replication factor 1) with the tables of the generated `schema.cql`.
///
/// # Errors
/// A refused statement or no schema agreement.
pub async fn recreate_keyspace(session: &Session) -> Result<(), BenchError> {
    session
        .run_ddl(&format!("DROP KEYSPACE IF EXISTS {KEYSPACE}"))
        .await?;
    session
        .run_ddl(&format!(
            "CREATE KEYSPACE {KEYSPACE} WITH replication = \
             {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
        ))
        .await?;
    session.use_keyspace(KEYSPACE).await?;
    Db::new(session.clone(), KEYSPACE).setup().await?;
    Ok(())
}

/// Writes the rows of `load`, `count` of them; returns the write rate.
///
/// # Errors
/// [`BenchError::Setup`] when any write fails.
pub async fn write(db: &Db, load: Load, count: u64) -> Result<f64, BenchError> {
    let loader = Arc::new(Loader {
        db: db.clone(),
        load,
    });
    let limits = Limits {
        ops: Some(count),
        duration: None,
    };
    let stats = load::run(loader, LOAD_CONCURRENCY, limits).await;
    if stats.errors > 0 || stats.ops != count {
        return Err(BenchError::Setup(format!(
            "writing {load:?}: {} of {count} writes failed; first: {}",
            stats.errors,
            stats.first_error.unwrap_or_default()
        )));
    }
    Ok(stats.ops_per_s())
}

/// Writes the users and readings that `get`, `update` and `partition100`
/// read; returns the write rate of the users.
///
/// # Errors
/// [`BenchError::Setup`] when any write fails.
pub async fn fill(db: &Db) -> Result<f64, BenchError> {
    let rate = write(db, Load::Users, USERS).await?;
    write(db, Load::Readings, SENSORS * READINGS_PER_SENSOR).await?;
    Ok(rate)
}
