//! Where each migration stands in a keyspace, and the checks that must
//! pass before the runner applies anything.

use std::collections::BTreeMap;

use crate::chrono::{DateTime, Utc};

use super::MigrateError;
use super::migration::Migration;
use super::tracking::TrackedRow;

/// Where one migration stands in the keyspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Its id.
    pub id: u32,
    /// Its name (the given migration's, or the recorded one for a
    /// migration the given list lacks).
    pub name: String,
    /// Applied, partly applied or pending.
    pub state: MigrationState,
    /// The checksum of the given migration; `None` when the list lacks it.
    pub checksum: Option<String>,
    /// The checksum recorded when it ran; `None` when it is pending.
    pub recorded_checksum: Option<String>,
}

impl MigrationStatus {
    /// Whether the given list has this migration (`false`: it is only
    /// recorded in the keyspace).
    pub fn is_known(&self) -> bool {
        self.checksum.is_some()
    }

    /// Whether it ran with another checksum than the given migration's.
    pub fn checksum_changed(&self) -> bool {
        matches!((&self.checksum, &self.recorded_checksum),
            (Some(now), Some(then)) if now != then)
    }
}

/// How far a migration got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MigrationState {
    /// Not started.
    Pending,
    /// Started, with `statements_done` of `statements_total` statements done
    /// (a run stopped midway; the next one resumes it).
    Partial {
        /// How many statements are done.
        statements_done: usize,
        /// How many it has.
        statements_total: usize,
        /// When it was first started.
        started_at: Option<DateTime<Utc>>,
    },
    /// Every statement is done.
    Applied {
        /// When it was first started.
        started_at: Option<DateTime<Utc>>,
        /// When its last statement was done.
        applied_at: DateTime<Utc>,
    },
}

/// The given migrations and the recorded ones, merged by id.
pub(crate) fn statuses(migrations: &[Migration], rows: &[TrackedRow]) -> Vec<MigrationStatus> {
    let mut by_id: BTreeMap<u32, MigrationStatus> = BTreeMap::new();
    for migration in migrations {
        by_id.insert(
            migration.id,
            MigrationStatus {
                id: migration.id,
                name: migration.name.to_string(),
                state: MigrationState::Pending,
                checksum: Some(migration.checksum.to_string()),
                recorded_checksum: None,
            },
        );
    }
    for row in rows {
        let status = by_id.entry(row.id).or_insert_with(|| MigrationStatus {
            id: row.id,
            name: row.name.clone(),
            state: MigrationState::Pending,
            checksum: None,
            recorded_checksum: None,
        });
        status.recorded_checksum = Some(row.checksum.clone());
        status.state = match row.applied_at {
            Some(applied_at) => MigrationState::Applied {
                started_at: row.started_at,
                applied_at,
            },
            None => MigrationState::Partial {
                statements_done: row.statements_done,
                statements_total: row.statements_total,
                started_at: row.started_at,
            },
        };
    }
    by_id.into_values().collect()
}

/// The first reason not to migrate: a changed checksum, a migration the
/// list lacks, a gap in the applied ones, or a tracking row that cannot be.
pub(crate) fn check(
    keyspace: &str,
    migrations: &[Migration],
    statuses: &[MigrationStatus],
) -> Result<(), MigrateError> {
    let keyspace = || keyspace.to_owned();
    if let Some(status) = statuses.iter().find(|status| status.checksum_changed()) {
        return Err(MigrateError::ChecksumMismatch {
            keyspace: keyspace(),
            id: status.id,
            name: status.name.clone(),
            recorded: status.recorded_checksum.clone().unwrap_or_default(),
            expected: status.checksum.clone().unwrap_or_default(),
        });
    }
    if let Some(status) = statuses.iter().find(|status| !status.is_known()) {
        return Err(MigrateError::UnknownMigration {
            keyspace: keyspace(),
            id: status.id,
            name: status.name.clone(),
        });
    }
    let mut incomplete: Option<&MigrationStatus> = None;
    for status in statuses {
        if let Some(earlier) = incomplete
            && status.state != MigrationState::Pending
        {
            return Err(MigrateError::OutOfOrder {
                keyspace: keyspace(),
                id: earlier.id,
                name: earlier.name.clone(),
                later_id: status.id,
                later_name: status.name.clone(),
            });
        }
        if let MigrationState::Partial {
            statements_done, ..
        } = status.state
        {
            let total = migrations
                .iter()
                .find(|migration| migration.id == status.id)
                .map_or(0, |migration| migration.statements.len());
            if statements_done > total {
                return Err(MigrateError::TrackingCorrupt {
                    keyspace: keyspace(),
                    id: i64::from(status.id),
                    problem: format!(
                        "{statements_done} statements are recorded as done, but it has {total}"
                    ),
                });
            }
        }
        if !matches!(status.state, MigrationState::Applied { .. }) {
            incomplete = Some(status);
        }
    }
    Ok(())
}

/// Checks that `migrations` are listed by strictly increasing id.
pub(crate) fn validate(migrations: &[Migration]) -> Result<(), MigrateError> {
    for pair in migrations.windows(2) {
        let [previous, next] = pair else { continue };
        if next.id == previous.id {
            return Err(MigrateError::DuplicateMigration {
                id: next.id,
                first: previous.name.to_string(),
                second: next.name.to_string(),
            });
        }
        if next.id < previous.id {
            return Err(MigrateError::UnorderedMigrations {
                id: next.id,
                name: next.name.to_string(),
                previous_id: previous.id,
                previous_name: previous.name.to_string(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migration(id: u32) -> Migration {
        Migration::new(id, format!("m{id}"), format!("c{id}"), Vec::new())
    }

    #[test]
    fn duplicates_and_disorder_are_refused() {
        assert!(validate(&[migration(1), migration(2), migration(5)]).is_ok());
        assert!(matches!(
            validate(&[migration(1), migration(1)]),
            Err(MigrateError::DuplicateMigration { id: 1, .. })
        ));
        assert!(matches!(
            validate(&[migration(2), migration(1)]),
            Err(MigrateError::UnorderedMigrations {
                id: 1,
                previous_id: 2,
                ..
            })
        ));
    }

    #[test]
    fn a_pending_migration_before_an_applied_one_is_out_of_order() {
        let list = [migration(1), migration(2)];
        let row = TrackedRow {
            id: 2,
            name: "m2".into(),
            checksum: "c2".into(),
            statements_total: 0,
            statements_done: 0,
            started_at: None,
            applied_at: Some(Utc::now()),
        };
        let statuses = statuses(&list, &[row]);
        assert!(matches!(
            check("ks", &list, &statuses),
            Err(MigrateError::OutOfOrder {
                id: 1,
                later_id: 2,
                ..
            })
        ));
    }
}
