//! Reservations: the try–confirm–cancel half of a distributed
//! transaction, over a model's own rows (`reserve stock in holds`).
//!
//! A row's `stock` counts the units neither held nor sold, and its
//! `holds` map records each holder's hold with its expiry. Every change
//! is one lightweight transaction on the row, conditioned on the stock it
//! read and on the holder's entry, so concurrent reservers never hold
//! more units than there were:
//!
//! - [`reserve`](Reservations::reserve) takes a unit and records the hold
//!   until `now + ttl` (a holder holds at most one unit; reserving again
//!   while holding is answered with the hold it has);
//! - [`confirm`](Reservations::confirm) keeps the unit for good (the hold
//!   is removed, the stock stays down: the unit is sold);
//! - [`cancel`](Reservations::cancel) gives the unit back.
//!
//! A hold whose expiry has passed is abandoned: it no longer counts, and
//! the next reservation of the row (or
//! [`release_expired`](Reservations::release_expired)) gives its unit
//! back, before taking one. Expiry is judged by the caller's clock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use scylla::deserialize::value::DeserializeValue;
use scylla::serialize::value::SerializeValue;
use scylla::statement::Consistency;

use crate::rt::{BoundValue, Chain};
use crate::{Error, Repository, Result, Session, Statement, Table, TableSpec};

/// How many conditional writes a call makes before it gives up on a row
/// that other writers keep changing.
const MAX_ROUNDS: u32 = 200;

/// Which columns of a model hold its stock and holds (stated by generated
/// code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReserveSpec {
    /// The integer column of units neither held nor sold.
    pub stock: &'static str,
    /// The `map<text, timestamp>` column of holds.
    pub holds: &'static str,
}

/// A model with `reserve stock in holds` (implemented by generated code).
pub trait Reservable: Table {
    /// The stock column's type (`i32` or `i64`).
    type Stock: StockCount;
    /// The stock and holds columns.
    const RESERVE: ReserveSpec;
}

/// An integer column type that counts stock.
pub trait StockCount:
    SerializeValue + for<'f, 'm> DeserializeValue<'f, 'm> + Copy + Send + Sync + 'static
{
    /// As an `i64`.
    fn to_i64(self) -> i64;
    /// From an `i64`, when it fits.
    fn from_i64(value: i64) -> Option<Self>;
}

impl StockCount for i32 {
    fn to_i64(self) -> i64 {
        i64::from(self)
    }
    fn from_i64(value: i64) -> Option<Self> {
        i32::try_from(value).ok()
    }
}

impl StockCount for i64 {
    fn to_i64(self) -> i64 {
        self
    }
    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }
}

/// The answer to a reservation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reserved {
    /// The holder holds a unit until this time.
    Held {
        /// When the hold expires unless confirmed.
        until: DateTime<Utc>,
    },
    /// No unit is free: every one is held or sold.
    Unavailable,
    /// No row has this key.
    Missing,
}

/// A row's stock, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockLevel {
    /// Units neither held nor sold, counting those of expired holds.
    pub available: i64,
    /// The live holds: holder and expiry.
    pub holds: Vec<(String, DateTime<Utc>)>,
    /// Holds that have expired but whose unit was not given back yet.
    pub expired: usize,
}

/// The statements of one reservable model (generated `Db`s hold one).
#[derive(Debug)]
pub struct ReservationStatements {
    model: &'static str,
    read: Statement,
    take: Statement,
    give_back: Statement,
    confirm: Statement,
}

impl ReservationStatements {
    /// The statements of `table`'s reservations in `keyspace`.
    pub fn new(keyspace: &str, table: &TableSpec, spec: &ReserveSpec) -> Self {
        let name = [crate::rt::quoted(keyspace).as_str(), ".", table.table].concat();
        let key = table.key;
        let ReserveSpec { stock, holds } = *spec;
        Self {
            model: table.model,
            read: Statement::new(format!("SELECT {stock}, {holds} FROM {name} WHERE {key}")),
            take: Statement::non_idempotent(format!(
                "UPDATE {name} SET {stock} = ?, {holds}[?] = ? WHERE {key} IF {stock} = ? AND {holds}[?] = null"
            )),
            give_back: Statement::non_idempotent(format!(
                "UPDATE {name} SET {stock} = ?, {holds}[?] = null WHERE {key} IF {stock} = ? AND {holds}[?] = ?"
            )),
            confirm: Statement::non_idempotent(format!(
                "UPDATE {name} SET {holds}[?] = null WHERE {key} IF {holds}[?] = ?"
            )),
        }
    }
}

/// The reservations of a model's rows (from its generated repository).
pub struct Reservations<'a, T> {
    session: &'a Session,
    statements: &'a ReservationStatements,
    /// The model's repository, whose caches each reservation marks.
    repository: Repository<'a, T>,
}

impl<T> std::fmt::Debug for Reservations<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservations")
            .field("model", &self.statements.model)
            .finish_non_exhaustive()
    }
}

/// A row's stock and holds, as read.
struct Row<S> {
    stock: S,
    holds: Vec<(String, DateTime<Utc>)>,
}

impl<'a, T: Reservable> Reservations<'a, T> {
    /// The reservations of the rows `repository` reads and writes.
    pub fn new(repository: Repository<'a, T>, statements: &'a ReservationStatements) -> Self {
        Self {
            session: repository.session(),
            statements,
            repository,
        }
    }

    /// Holds a unit of row `key` for `holder` until `ttl` from now.
    ///
    /// # Errors
    /// A request's error; [`Error::Reservation`] when the row's stock is
    /// empty (null) or other writers kept the row changing.
    pub async fn reserve(&self, key: &T::Key, holder: &str, ttl: Duration) -> Result<Reserved> {
        let until =
            millis(Utc::now() + chrono::TimeDelta::from_std(ttl).unwrap_or(chrono::TimeDelta::MAX));
        for round in 0..MAX_ROUNDS {
            let Some(row) = self.read(key).await? else {
                return Ok(Reserved::Missing);
            };
            let now = Utc::now();
            // A live hold of its own is the answer; an expired one is given
            // back below, then a unit taken anew.
            if let Some((_, held)) = row.holds.iter().find(|(name, _)| name == holder)
                && *held > now
            {
                return Ok(Reserved::Held { until: *held });
            }
            if let Some((expired, at)) = row.holds.iter().find(|(_, at)| *at <= now) {
                self.give_back(key, &row, expired, *at).await?;
                continue;
            }
            let stock = row.stock.to_i64();
            if stock <= 0 {
                return Ok(Reserved::Unavailable);
            }
            let taken = T::Stock::from_i64(stock - 1)
                .ok_or_else(|| self.problem("the stock does not fit its column"))?;
            let before: [BoundValue<'_>; 3] = [&taken, &holder, &until];
            let after: [BoundValue<'_>; 2] = [&row.stock, &holder];
            match self
                .conditional(&self.statements.take, &before, key, &after)
                .await
            {
                Ok(true) => return Ok(Reserved::Held { until }),
                Ok(false) => back_off(round).await,
                Err(error) if error.certainly_not_applied() => return Err(error),
                // A write whose fate is unknown: the next read tells (the
                // hold is there with this expiry, or it is not).
                Err(_) => back_off(round).await,
            }
        }
        Err(self.problem("other writers kept changing the row; try again"))
    }

    /// Keeps `holder`'s unit of row `key` for good; whether it held one
    /// (`false`: its hold expired, was cancelled, or never was).
    ///
    /// # Errors
    /// A request's error.
    pub async fn confirm(&self, key: &T::Key, holder: &str) -> Result<bool> {
        for round in 0..MAX_ROUNDS {
            let Some(row) = self.read(key).await? else {
                return Ok(false);
            };
            let Some((_, until)) = row.holds.iter().find(|(name, _)| name == holder) else {
                return Ok(false);
            };
            if *until <= Utc::now() {
                return Ok(false);
            }
            let before: [BoundValue<'_>; 1] = [&holder];
            let after: [BoundValue<'_>; 2] = [&holder, until];
            match self
                .conditional(&self.statements.confirm, &before, key, &after)
                .await
            {
                Ok(true) => return Ok(true),
                Ok(false) => back_off(round).await,
                Err(error) if error.certainly_not_applied() => return Err(error),
                Err(_) => back_off(round).await,
            }
        }
        Err(self.problem("other writers kept changing the row; try again"))
    }

    /// Gives `holder`'s unit of row `key` back; whether it held one.
    ///
    /// # Errors
    /// A request's error.
    pub async fn cancel(&self, key: &T::Key, holder: &str) -> Result<bool> {
        for round in 0..MAX_ROUNDS {
            let Some(row) = self.read(key).await? else {
                return Ok(false);
            };
            let Some((_, until)) = row.holds.iter().find(|(name, _)| name == holder) else {
                return Ok(false);
            };
            if self.give_back(key, &row, holder, *until).await? {
                return Ok(true);
            }
            back_off(round).await;
        }
        Err(self.problem("other writers kept changing the row; try again"))
    }

    /// Gives back the units of row `key`'s expired holds; how many.
    ///
    /// # Errors
    /// A request's error.
    pub async fn release_expired(&self, key: &T::Key) -> Result<usize> {
        let mut released = 0;
        for round in 0..MAX_ROUNDS {
            let Some(row) = self.read(key).await? else {
                return Ok(released);
            };
            let now = Utc::now();
            let Some((holder, at)) = row.holds.iter().find(|(_, at)| *at <= now) else {
                return Ok(released);
            };
            if self.give_back(key, &row, holder, *at).await? {
                released += 1;
            } else {
                back_off(round).await;
            }
        }
        Ok(released)
    }

    /// Row `key`'s stock and holds (`None`: no such row).
    ///
    /// # Errors
    /// A request's error.
    pub async fn stock(&self, key: &T::Key) -> Result<Option<StockLevel>> {
        let Some(row) = self.read(key).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        let (live, expired): (Vec<_>, Vec<_>) =
            row.holds.into_iter().partition(|(_, at)| *at > now);
        Ok(Some(StockLevel {
            available: row.stock.to_i64() + i64::try_from(expired.len()).unwrap_or(i64::MAX),
            holds: live,
            expired: expired.len(),
        }))
    }

    /// Gives back `holder`'s unit (its hold expiring `until`) of `row`, if
    /// the row is still as read; whether it did.
    async fn give_back(
        &self,
        key: &T::Key,
        row: &Row<T::Stock>,
        holder: &str,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        let returned = T::Stock::from_i64(row.stock.to_i64() + 1)
            .ok_or_else(|| self.problem("the stock does not fit its column"))?;
        let before: [BoundValue<'_>; 2] = [&returned, &holder];
        let after: [BoundValue<'_>; 3] = [&row.stock, &holder, &until];
        match self
            .conditional(&self.statements.give_back, &before, key, &after)
            .await
        {
            Ok(applied) => Ok(applied),
            Err(error) if error.certainly_not_applied() => Err(error),
            // Unknown: the caller reads again and sees.
            Err(_) => Ok(false),
        }
    }

    /// Runs a conditional update binding `before`, the key, then `after`;
    /// whether it applied.
    async fn conditional(
        &self,
        statement: &Statement,
        before: &[BoundValue<'_>],
        key: &T::Key,
        after: &[BoundValue<'_>],
    ) -> Result<bool> {
        let prepared = statement.prepared(self.session).await?;
        let _mark = self.repository.marks_row(key).await;
        let values = Chain {
            before,
            row: key,
            after,
        };
        let result = self.session.execute(prepared, &values).await?;
        Ok(crate::lwt::applied(statement.text(), result)?.applied())
    }

    /// Row `key`'s stock and holds, read at serial consistency.
    async fn read(&self, key: &T::Key) -> Result<Option<Row<T::Stock>>> {
        let prepared = self.statements.read.prepared(self.session).await?;
        let mut serial = prepared.clone();
        serial.set_consistency(Consistency::Serial);
        type Read<S> = (
            Option<S>,
            Option<std::collections::BTreeMap<String, DateTime<Utc>>>,
        );
        let row: Option<Read<T::Stock>> = self.session.execute_first(&serial, key).await?;
        match row {
            None => Ok(None),
            Some((None, _)) => Err(self.problem("the row's stock is empty (null)")),
            Some((Some(stock), holds)) => Ok(Some(Row {
                stock,
                holds: holds.unwrap_or_default().into_iter().collect(),
            })),
        }
    }

    fn problem(&self, problem: &str) -> Error {
        Error::Reservation {
            model: self.statements.model,
            problem: problem.to_owned(),
        }
    }
}

/// `time` to the millisecond, as a `timestamp` column stores it.
fn millis(time: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(time.timestamp_millis()).unwrap_or(time)
}

/// A short random wait after losing a race, longer after each round.
async fn back_off(round: u32) {
    let ceiling = u64::from(round.min(20) + 1) * 2;
    let wait = rand::random_range(0..=ceiling);
    tokio::time::sleep(Duration::from_millis(wait)).await;
}
