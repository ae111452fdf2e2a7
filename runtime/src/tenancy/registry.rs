//! [`Tenants`]: the registry of a schema's tenants, each in a keyspace of
//! its own.

use chrono::{DateTime, Utc};
use futures::TryStreamExt;

use super::TenantId;
use super::tenant_id::MAX_KEYSPACE;
use crate::migrate::{Migration, Migrator, Report};
use crate::rt::quoted;
use crate::{Error, Result, Session, Statement, paging};

/// What the schema's `keyspace` item says a tenant's keyspace is made
/// with (stated by generated code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenancySpec {
    /// The replication map, as CQL: `{'class': 'SimpleStrategy', …}`.
    pub replication: &'static str,
    /// `durable_writes`.
    pub durable_writes: bool,
}

/// Where a tenant is in its life, as the registry records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantState {
    /// Its keyspace is being made or migrated (or a run doing so stopped:
    /// [`Tenants::migrate_all`] finishes it).
    Provisioning,
    /// Its keyspace has every migration.
    Ready,
    /// Its last migration run failed (the error is recorded); the next run
    /// resumes where it stopped.
    Failed,
    /// It is being dropped.
    Dropping,
}

impl TenantState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Provisioning => "provisioning",
            Self::Ready => "ready",
            Self::Failed => "failed",
            Self::Dropping => "dropping",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "provisioning" => Self::Provisioning,
            "ready" => Self::Ready,
            "failed" => Self::Failed,
            "dropping" => Self::Dropping,
            _ => return None,
        })
    }
}

/// A tenant as the registry records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantInfo {
    /// Its name.
    pub tenant: TenantId,
    /// Its keyspace.
    pub keyspace: String,
    /// Where it is.
    pub state: TenantState,
    /// The last migration its keyspace has (0: none yet).
    pub migration: u32,
    /// Why its last run failed.
    pub error: Option<String>,
    /// When the registry last changed it.
    pub updated: DateTime<Utc>,
}

/// A step of [`Tenants::migrate_all`], for a progress display.
#[derive(Clone, Debug)]
pub enum TenantProgress<'a> {
    /// The tenant's migration run started (`index` of `total`, from 0).
    Started {
        /// Its place in the run.
        index: usize,
        /// Tenants in the run.
        total: usize,
        /// The tenant.
        tenant: &'a TenantId,
    },
    /// The tenant's keyspace has every migration (`applied` of them were
    /// applied or finished by this run).
    Migrated {
        /// Its place in the run.
        index: usize,
        /// Tenants in the run.
        total: usize,
        /// The tenant.
        tenant: &'a TenantId,
        /// Migrations this run applied.
        applied: usize,
    },
    /// The tenant's run failed; the others go on.
    Failed {
        /// Its place in the run.
        index: usize,
        /// Tenants in the run.
        total: usize,
        /// The tenant.
        tenant: &'a TenantId,
        /// What failed.
        error: &'a Error,
    },
}

/// What [`Tenants::migrate_all`] did.
#[derive(Debug, Default)]
pub struct MigrateAllReport {
    /// The tenants brought to the last migration, with how many migrations
    /// this run applied to each.
    pub migrated: Vec<(TenantId, usize)>,
    /// The tenants whose run failed, with why (run again to resume them).
    pub failed: Vec<(TenantId, Error)>,
}

/// The confirmation a drop needs: the name of the keyspace it destroys,
/// spelt out by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropTenant {
    keyspace: String,
}

impl DropTenant {
    /// Confirms that the keyspace `keyspace`, every table and row of it,
    /// is to be dropped.
    #[must_use]
    pub fn destroying_keyspace(keyspace: impl Into<String>) -> Self {
        Self {
            keyspace: keyspace.into(),
        }
    }
}

/// The registry's row: tenant, keyspace, state, migration, error, updated.
type RegistryRow = (
    String,
    String,
    String,
    Option<i32>,
    Option<String>,
    DateTime<Utc>,
);

/// The tenants of a schema declared with `tenancy per_keyspace`: from the
/// generated `Db::tenants(session, keyspace)`, where `keyspace` (the
/// schema's) holds the registry and prefixes the tenants' keyspaces.
#[derive(Debug)]
pub struct Tenants {
    session: Session,
    keyspace: String,
    spec: &'static TenancySpec,
    migrations: &'static [Migration],
    record: Statement,
    remove: Statement,
    list: Statement,
    find: Statement,
}

impl Tenants {
    /// The registry in `keyspace` (which must exist) of tenants made with
    /// `spec` and built by `migrations`.
    pub fn new(
        session: Session,
        keyspace: impl Into<String>,
        spec: &'static TenancySpec,
        migrations: &'static [Migration],
    ) -> Self {
        let keyspace = keyspace.into();
        let table = format!("{}.corm_tenants", quoted(&keyspace));
        Self {
            record: Statement::new(format!(
                "INSERT INTO {table} (tenant, keyspace_name, state, migration, error, updated) \
                 VALUES (?, ?, ?, ?, ?, ?)"
            )),
            remove: Statement::new(format!("DELETE FROM {table} WHERE tenant = ?")),
            list: Statement::new(format!(
                "SELECT tenant, keyspace_name, state, migration, error, updated FROM {table}"
            )),
            find: Statement::new(format!(
                "SELECT tenant, keyspace_name, state, migration, error, updated FROM {table} \
                 WHERE tenant = ?"
            )),
            session,
            keyspace,
            spec,
            migrations,
        }
    }

    /// The session it runs on.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The registry's keyspace.
    pub fn keyspace(&self) -> &str {
        &self.keyspace
    }

    /// The keyspace of `tenant`: `<registry keyspace>_<tenant>`.
    ///
    /// # Errors
    /// [`Error::Tenancy`] when the name is longer than Cassandra's 48
    /// characters.
    pub fn keyspace_of(&self, tenant: &TenantId) -> Result<String> {
        let name = format!("{}_{tenant}", self.keyspace);
        if name.len() > MAX_KEYSPACE {
            return Err(Error::Tenancy {
                tenant: tenant.to_string(),
                problem: format!(
                    "its keyspace `{name}` is longer than the {MAX_KEYSPACE} characters Cassandra allows"
                ),
            });
        }
        Ok(name)
    }

    /// Creates the registry table if it is missing.
    ///
    /// # Errors
    /// The DDL's error (the registry keyspace must exist).
    pub async fn ensure_registry(&self) -> Result<()> {
        self.session
            .run_ddl(&format!(
                "CREATE TABLE IF NOT EXISTS {}.corm_tenants (tenant text PRIMARY KEY, \
                 keyspace_name text, state text, migration int, error text, updated timestamp)",
                quoted(&self.keyspace)
            ))
            .await
    }

    /// Makes `tenant`'s keyspace (with the schema's replication) and
    /// applies every migration to it, recording each step in the registry:
    /// a tenant whose provisioning stopped (a crash, a failed statement) is
    /// finished by calling it again or by [`migrate_all`](Self::migrate_all).
    /// A tenant that is ready already is left as it is (its pending
    /// migrations, if any, applied).
    ///
    /// # Errors
    /// [`Error::Tenancy`] for a name too long; the DDL's or the migration
    /// runner's error (recorded as the tenant's, state `failed`).
    pub async fn provision(&self, tenant: &TenantId) -> Result<TenantInfo> {
        self.make(tenant).await?;
        self.get(tenant).await?.ok_or_else(|| Error::Tenancy {
            tenant: tenant.to_string(),
            problem: "its registry row vanished while it was provisioned".to_owned(),
        })
    }

    /// [`provision`](Self::provision)'s work: the keyspace and its
    /// migrations, recorded.
    async fn make(&self, tenant: &TenantId) -> Result<Report> {
        let keyspace = self.keyspace_of(tenant)?;
        self.ensure_registry().await?;
        let known = self.get(tenant).await?;
        let migration = known.as_ref().map_or(0, |info| info.migration);
        self.write(
            tenant,
            &keyspace,
            TenantState::Provisioning,
            migration,
            None,
        )
        .await?;
        let created = self
            .session
            .run_ddl(&format!(
                "CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {} AND durable_writes = {}",
                quoted(&keyspace),
                self.spec.replication,
                self.spec.durable_writes
            ))
            .await;
        if let Err(error) = created {
            return Err(self.failed(tenant, &keyspace, migration, error).await);
        }
        self.bring_up(tenant, &keyspace, migration).await
    }

    /// Every tenant in the registry, by name.
    ///
    /// # Errors
    /// The read's error, or [`Error::Tenancy`] for a row that does not
    /// read.
    pub async fn list(&self) -> Result<Vec<TenantInfo>> {
        let prepared = self.list.prepared(&self.session).await?;
        let rows: Vec<RegistryRow> = paging::stream(&self.session, prepared.clone(), (), None)
            .await?
            .try_collect()
            .await?;
        let mut tenants = rows.into_iter().map(info).collect::<Result<Vec<_>>>()?;
        tenants.sort_by(|a, b| a.tenant.cmp(&b.tenant));
        Ok(tenants)
    }

    /// `tenant` as the registry records it, or `None`.
    ///
    /// # Errors
    /// As for [`list`](Self::list).
    pub async fn get(&self, tenant: &TenantId) -> Result<Option<TenantInfo>> {
        let prepared = self.find.prepared(&self.session).await?;
        let row: Option<RegistryRow> = self
            .session
            .execute_first(prepared, (tenant.as_str(),))
            .await?;
        row.map(info).transpose()
    }

    /// Applies the pending migrations to every tenant's keyspace (and
    /// finishes the provisioning of tenants a crash interrupted), one
    /// tenant at a time, by name, calling `progress` at each step. A
    /// tenant whose run fails is recorded as `failed` with its error and
    /// the others go on; running it again resumes each where it stopped
    /// (the migration runner records every statement it finishes).
    ///
    /// # Errors
    /// The registry's errors; a tenant's own failure is in the report.
    pub async fn migrate_all(
        &self,
        mut progress: impl FnMut(&TenantProgress<'_>),
    ) -> Result<MigrateAllReport> {
        let tenants = self.list().await?;
        let total = tenants.len();
        let mut report = MigrateAllReport::default();
        for (index, info) in tenants.into_iter().enumerate() {
            if info.state == TenantState::Dropping {
                continue;
            }
            let tenant = &info.tenant;
            progress(&TenantProgress::Started {
                index,
                total,
                tenant,
            });
            // A tenant that is not ready may lack its keyspace (a crash or
            // a failure before it was made): provisioning makes it if so.
            let outcome = match info.state {
                TenantState::Ready => self.bring_up(tenant, &info.keyspace, info.migration).await,
                _ => self.make(tenant).await,
            };
            match outcome {
                Ok(applied) => {
                    let applied = applied.applied.len();
                    progress(&TenantProgress::Migrated {
                        index,
                        total,
                        tenant,
                        applied,
                    });
                    report.migrated.push((info.tenant.clone(), applied));
                }
                Err(error) => {
                    progress(&TenantProgress::Failed {
                        index,
                        total,
                        tenant,
                        error: &error,
                    });
                    report.failed.push((info.tenant.clone(), error));
                }
            }
        }
        Ok(report)
    }

    /// Drops `tenant`'s keyspace, every table and row in it, and its
    /// registry row, when `confirm` names that keyspace.
    ///
    /// # Errors
    /// [`Error::Tenancy`] when `confirm` names another keyspace (nothing
    /// is dropped); the DDL's error (the tenant stays `dropping`: drop it
    /// again).
    pub async fn drop_tenant(&self, tenant: &TenantId, confirm: DropTenant) -> Result<()> {
        let keyspace = self.keyspace_of(tenant)?;
        if confirm.keyspace != keyspace {
            return Err(Error::Tenancy {
                tenant: tenant.to_string(),
                problem: format!(
                    "the drop was confirmed for keyspace `{}`, and the tenant's is `{keyspace}`: nothing was dropped",
                    confirm.keyspace
                ),
            });
        }
        let migration = self.get(tenant).await?.map_or(0, |info| info.migration);
        self.write(tenant, &keyspace, TenantState::Dropping, migration, None)
            .await?;
        self.session
            .run_ddl(&format!("DROP KEYSPACE IF EXISTS {}", quoted(&keyspace)))
            .await?;
        let prepared = self.remove.prepared(&self.session).await?;
        self.session.execute(prepared, (tenant.as_str(),)).await?;
        Ok(())
    }

    /// Applies the pending migrations to `keyspace` and records the
    /// outcome: `ready` at the last migration, or `failed` with the error.
    async fn bring_up(&self, tenant: &TenantId, keyspace: &str, from: u32) -> Result<Report> {
        match Migrator::new(&self.session, keyspace, self.migrations)
            .up()
            .await
        {
            Ok(report) => {
                let last = self.migrations.iter().map(|m| m.id).max().unwrap_or(0);
                self.write(tenant, keyspace, TenantState::Ready, last, None)
                    .await?;
                Ok(report)
            }
            Err(error) => Err(self.failed(tenant, keyspace, from, error).await),
        }
    }

    /// Records `error` as `tenant`'s and gives it back.
    async fn failed(
        &self,
        tenant: &TenantId,
        keyspace: &str,
        migration: u32,
        error: Error,
    ) -> Error {
        let message = error.to_string();
        // The tenant's own error matters more than the registry's.
        let _recorded = self
            .write(
                tenant,
                keyspace,
                TenantState::Failed,
                migration,
                Some(&message),
            )
            .await;
        error
    }

    async fn write(
        &self,
        tenant: &TenantId,
        keyspace: &str,
        state: TenantState,
        migration: u32,
        error: Option<&str>,
    ) -> Result<()> {
        let prepared = self.record.prepared(&self.session).await?;
        let migration = i32::try_from(migration).unwrap_or(i32::MAX);
        self.session
            .execute(
                prepared,
                (
                    tenant.as_str(),
                    keyspace,
                    state.as_str(),
                    migration,
                    error,
                    Utc::now(),
                ),
            )
            .await?;
        Ok(())
    }
}

/// A registry row as a [`TenantInfo`].
fn info(row: RegistryRow) -> Result<TenantInfo> {
    let (tenant, keyspace, state, migration, error, updated) = row;
    let bad = |problem: String| Error::Tenancy {
        tenant: tenant.clone(),
        problem,
    };
    let id = TenantId::new(tenant.clone()).map_err(|invalid| bad(invalid.problem.to_owned()))?;
    let state = TenantState::parse(&state)
        .ok_or_else(|| bad(format!("the registry records an unknown state `{state}`")))?;
    Ok(TenantInfo {
        tenant: id,
        keyspace,
        state,
        migration: u32::try_from(migration.unwrap_or(0)).unwrap_or(0),
        error,
        updated,
    })
}
