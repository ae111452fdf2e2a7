//! The writes of a model with `@unique` fields, written once: each claims
//! the values its row will hold before it writes, and gives back the values
//! its row no longer holds after (see [the module](super) for the
//! protocol).

use futures::TryStreamExt;
use scylla::value::MaybeUnset;

use super::held_row::HeldRow;
use super::{
    ATTEMPTS, Claim, ClaimToken, Held, LOOKUP_STATEMENTS, Unique, Value, new_token, taken,
};
use crate::rt::{Bind, BoundValue, BoundValues};
use crate::{Clustered, Repository, Result, Statement};

/// The values the claims of one write bind at most: the key's columns (16
/// at most) and four markers.
const MAX_CLAIM_VALUES: usize = 20;

/// The values of one lookup-table statement, bound from the stack.
type ClaimValues<'v> = BoundValues<'v, MAX_CLAIM_VALUES>;

/// The claims one write made: each with its field (allocated only when a
/// claim is made).
type Claims = Vec<(usize, Claim)>;

/// The four statements of a field's lookup table, in their order among the
/// table's lookup statements.
#[derive(Clone, Copy)]
enum Lookup {
    Claim,
    Keep,
    Release,
    Find,
}

impl<'a, T: Unique> Repository<'a, T> {
    /// Writes `row`, every column, after claiming its `@unique` values;
    /// once written, gives back the values the row held before and no
    /// longer does. When the write certainly failed, its claims are given
    /// back (after a timeout the row may have been written, so they stay).
    ///
    /// # Errors
    /// [`Error::Validation`](crate::Error::Validation),
    /// [`Error::Unique`](crate::Error::Unique) when another row holds one
    /// of its values (nothing is written in either case), or the error of
    /// a read or write.
    pub async fn insert_claiming(&self, row: &T) -> Result<()> {
        row.validate()?;
        let key = row.primary_key();
        let previous = self.get(&key).await?;
        let claims = self
            .claim_row(row, &key, self.options().bound_ttl())
            .await?;
        let written = self.write_row(row).await;
        if let Err(error) = written {
            if error.certainly_not_applied() {
                // The write's error is the one to report; a claim left
                // behind is stale and taken over after the grace period.
                let _released = self.release_new_claims(row, &key, &claims).await;
            }
            return Err(error);
        }
        match previous {
            Some(previous) => self.release_dropped(&key, &previous, Some(row)).await,
            None => Ok(()),
        }
    }

    /// Writes `row` only if no row has its primary key (`IF NOT EXISTS`),
    /// after claiming its `@unique` values; whether it was written. When it
    /// was not, the claims this call made are given back.
    ///
    /// # Errors
    /// As [`insert_claiming`](Self::insert_claiming), or an error reading
    /// the result of the conditional write.
    pub async fn insert_if_not_exists_claiming(&self, row: &T) -> Result<bool> {
        row.validate()?;
        let key = row.primary_key();
        let claims = self
            .claim_row(row, &key, self.options().bound_ttl())
            .await?;
        let applied = self.write_row_if_not_exists(row).await;
        let written = match &applied {
            Ok(applied) => *applied,
            Err(error) => !error.certainly_not_applied(),
        };
        if !written {
            self.release_new_claims(row, &key, &claims).await?;
        }
        applied
    }

    /// Writes the set fields of `patch` at `key`; a `@unique` value the
    /// patch sets is claimed first, and the value it replaces given back
    /// after.
    ///
    /// # Errors
    /// As [`insert_claiming`](Self::insert_claiming).
    pub async fn update_claiming(&self, key: &T::Key, patch: &T::Patch) -> Result<()> {
        T::validate_patch(patch)?;
        let fields = T::UNIQUE.len();
        let touched = (0..fields).any(|field| T::patch_value(patch, field).is_some());
        let previous = if touched { self.get(key).await? } else { None };
        let mut claims = Claims::new();
        for field in 0..fields {
            let Some(Some(value)) = T::patch_value(patch, field) else {
                continue;
            };
            match self.claim(field, value, key, MaybeUnset::Unset).await {
                Ok(claim) => claims.push((field, claim)),
                Err(error) => {
                    self.release_new_patch_claims(key, patch, &claims).await?;
                    return Err(error);
                }
            }
        }
        if let Err(error) = self.write_patch(key, patch).await {
            if error.certainly_not_applied() {
                let _released = self.release_new_patch_claims(key, patch, &claims).await;
            }
            return Err(error);
        }
        let Some(previous) = previous else {
            return Ok(());
        };
        for field in 0..fields {
            let (Some(new), Some(old)) =
                (T::patch_value(patch, field), previous.unique_value(field))
            else {
                continue;
            };
            if !new.is_some_and(|new| new.same(old)) {
                self.release_held(field, old, key).await?;
            }
        }
        Ok(())
    }

    /// Deletes the row at `key` (nothing happens when there is none) and
    /// gives back its `@unique` values.
    ///
    /// # Errors
    /// The error of a read, the delete or a conditional delete.
    pub async fn delete_claiming(&self, key: &T::Key) -> Result<()> {
        let previous = self.get(key).await?;
        self.delete_row(key).await?;
        match previous {
            Some(previous) => self.release_dropped(key, &previous, None).await,
            None => Ok(()),
        }
    }

    /// The row whose `@unique` field `field` is `value` (of `tenant`, when
    /// the lookup tables are by tenant), found through its lookup table, or
    /// `None`; through the model's cache when it has one. The caller checks
    /// that the row holds the value (a claim whose row does not, left by a
    /// cancelled write, must find nothing).
    ///
    /// # Errors
    /// The error of a read.
    #[doc(hidden)]
    pub async fn find_unique(
        &self,
        field: usize,
        tenant: Option<BoundValue<'_>>,
        value: BoundValue<'_>,
    ) -> Result<Option<T>> {
        let values = lookup_values(tenant, value);
        let find = self.lookup(field, Lookup::Find)?;
        let owner = self
            .unique_owner(LOOKUP_STATEMENTS + field as u64, find, &values, || async {
                let held = self.held(field, tenant, value).await?;
                Ok(held.and_then(|held| held.owner))
            })
            .await?;
        match owner {
            Some(owner) => self.get(&owner).await,
            None => Ok(None),
        }
    }

    /// The statement `which` of field `field`'s lookup table (the
    /// table's lookup statements are built on the first use of any).
    fn lookup(&self, field: usize, which: Lookup) -> Result<&'a Statement> {
        let statements = self.statements().lookups(|keyspace| {
            T::UNIQUE
                .iter()
                .flat_map(|unique| {
                    [
                        ["INSERT INTO ", keyspace, unique.claim].concat(),
                        ["UPDATE ", keyspace, unique.keep].concat(),
                        ["DELETE FROM ", keyspace, unique.release].concat(),
                        [unique.find.0, keyspace, unique.find.1].concat(),
                    ]
                })
                .map(Statement::new)
                .collect()
        });
        statements
            .get(4 * field + which as usize)
            .ok_or_else(|| crate::Error::UnexpectedResult {
                statement: self.statements().spec().model.to_owned(),
                problem: format!("the model has no `@unique` field number {field}"),
            })
    }

    /// The claim of `value` in field `field`'s lookup table, if any.
    async fn held(
        &self,
        field: usize,
        tenant: Option<BoundValue<'_>>,
        value: BoundValue<'_>,
    ) -> Result<Option<Held<T::Key>>> {
        let find = self.lookup(field, Lookup::Find)?;
        let prepared = find.prepared(self.session()).await?;
        let held = self
            .session()
            .execute_first::<HeldRow<T>>(prepared, lookup_values(tenant, value))
            .await?;
        Ok(held.map(|row| row.held))
    }

    /// Claims `value` of field `field` for the row at `key`, with a new
    /// token (`INSERT … IF NOT EXISTS`, living as long as the row: `ttl`,
    /// or the table's default when unset).
    ///
    /// The row's own claim (from an earlier write of it, perhaps a
    /// cancelled one) is renewed with the new token, so that a release
    /// still in flight from that write can't remove it. Another row's
    /// claim is taken over when it is stale: that row does not hold the
    /// value and the claim is older than the session's grace period.
    async fn claim(
        &self,
        field: usize,
        value: &dyn Value,
        key: &T::Key,
        ttl: MaybeUnset<i32>,
    ) -> Result<Claim> {
        let owner = key_values::<T>(key);
        let owner = owner.bound_values();
        let tenant = tenant_of::<T>(owner);
        let claim = self.lookup(field, Lookup::Claim)?;
        let claim = claim.prepared(self.session()).await?;
        for _ in 0..ATTEMPTS {
            let token = new_token();
            let mut values = ClaimValues::new();
            values.push(value.bound());
            owner.iter().for_each(|column| values.push(*column));
            values.push(&token);
            values.push(&ttl);
            let result = self.session().execute(claim, &values).await?;
            if crate::lwt::was_applied(claim.get_statement(), result)? {
                return Ok(Claim::New(token));
            }
            let Some(held) = self.held(field, tenant, value.bound()).await? else {
                // Given back since: claim it again.
                continue;
            };
            if held.owner.as_ref() == Some(key) {
                let keep = self.lookup(field, Lookup::Keep)?;
                let keep = keep.prepared(self.session()).await?;
                let kept = if T::TENANT {
                    owner.get(1..).unwrap_or_default()
                } else {
                    owner
                };
                let mut values = ClaimValues::new();
                values.push(&ttl);
                kept.iter().for_each(|column| values.push(*column));
                values.push(&token);
                if let Some(tenant) = tenant {
                    values.push(tenant);
                }
                values.push(value.bound());
                values.push(&held.token);
                let result = self.session().execute(keep, &values).await?;
                if crate::lwt::was_applied(keep.get_statement(), result)? {
                    return Ok(Claim::Kept(token));
                }
                continue;
            }
            let holds = match &held.owner {
                Some(owner) => self
                    .get(owner)
                    .await?
                    .is_some_and(|row| row.unique_value(field).is_some_and(|v| v.same(value))),
                None => false,
            };
            if holds || !held.is_older_than(self.session().unique_claim_grace()) {
                break;
            }
            // A stale claim: give it back for its row, then claim again.
            self.release(field, tenant, value, held.token).await?;
        }
        let name = T::UNIQUE.get(field).map_or("", |unique| unique.name);
        Err(taken(
            self.statements().spec().model,
            name,
            format!("{value:?}"),
        ))
    }

    /// Deletes the claim of `value` of field `field` if it still has
    /// `token` (`DELETE … IF corm_claim = ?`: a claim renewed or made since
    /// is left alone).
    async fn release(
        &self,
        field: usize,
        tenant: Option<BoundValue<'_>>,
        value: &dyn Value,
        token: Option<ClaimToken>,
    ) -> Result<()> {
        let release = self.lookup(field, Lookup::Release)?;
        let prepared = release.prepared(self.session()).await?;
        let mut values = lookup_values(tenant, value.bound());
        values.push(&token);
        self.session().write(prepared, &values).await?;
        Ok(())
    }

    /// Gives `value` of field `field` back if the row at `key` holds its
    /// claim, naming the claim's token as read.
    async fn release_held(&self, field: usize, value: &dyn Value, key: &T::Key) -> Result<()> {
        let owner = key_values::<T>(key);
        let tenant = tenant_of::<T>(owner.bound_values());
        if let Some(held) = self.held(field, tenant, value.bound()).await?
            && held.owner.as_ref() == Some(key)
        {
            self.release(field, tenant, value, held.token).await?;
        }
        Ok(())
    }

    /// Claims the `@unique` values of `row` (at `key`) in field order. On
    /// a conflict it gives back the claims it made and fails.
    async fn claim_row(&self, row: &T, key: &T::Key, ttl: MaybeUnset<i32>) -> Result<Claims> {
        let mut claims = Claims::new();
        for field in 0..T::UNIQUE.len() {
            let Some(value) = row.unique_value(field) else {
                continue;
            };
            match self.claim(field, value, key, ttl).await {
                Ok(claim) => claims.push((field, claim)),
                Err(error) => {
                    self.release_new_claims(row, key, &claims).await?;
                    return Err(error);
                }
            }
        }
        Ok(claims)
    }

    /// Gives back the claims in `claims` that were made for `row` (at
    /// `key`), not the ones it held already.
    async fn release_new_claims(&self, row: &T, key: &T::Key, claims: &Claims) -> Result<()> {
        let owner = key_values::<T>(key);
        let tenant = tenant_of::<T>(owner.bound_values());
        for &(field, claim) in claims {
            if let (Claim::New(token), Some(value)) = (claim, row.unique_value(field)) {
                self.release(field, tenant, value, Some(token)).await?;
            }
        }
        Ok(())
    }

    /// Gives back the claims in `claims` that were made for the values
    /// `patch` sets (not the ones its row held already).
    async fn release_new_patch_claims(
        &self,
        key: &T::Key,
        patch: &T::Patch,
        claims: &Claims,
    ) -> Result<()> {
        let owner = key_values::<T>(key);
        let tenant = tenant_of::<T>(owner.bound_values());
        for &(field, claim) in claims {
            if let (Claim::New(token), Some(Some(value))) = (claim, T::patch_value(patch, field)) {
                self.release(field, tenant, value, Some(token)).await?;
            }
        }
        Ok(())
    }

    /// Gives back every `@unique` value `row` (a row as it was before a
    /// write or delete at `key`) holds that `now` (the row as written, if
    /// any) does not.
    async fn release_dropped(&self, key: &T::Key, row: &T, now: Option<&T>) -> Result<()> {
        for field in 0..T::UNIQUE.len() {
            let Some(value) = row.unique_value(field) else {
                continue;
            };
            let kept = now
                .and_then(|now| now.unique_value(field))
                .is_some_and(|now| now.same(value));
            if !kept {
                self.release_held(field, value, key).await?;
            }
        }
        Ok(())
    }
}

impl<T: Unique + Clustered> Repository<'_, T> {
    /// Deletes every row of the partition `partition` and gives back their
    /// `@unique` values.
    ///
    /// # Errors
    /// The error of the read of the partition, the delete or a
    /// conditional delete.
    pub async fn delete_partition_claiming(&self, partition: &T::Partition) -> Result<()> {
        let rows: Vec<T> = self.partition(partition).await?.try_collect().await?;
        self.delete_partition_rows(partition).await?;
        for row in &rows {
            self.release_dropped(&row.primary_key(), row, None).await?;
        }
        Ok(())
    }
}

/// The values of a `find` or `release`: the tenant id when the lookup
/// tables are by tenant, then the value.
fn lookup_values<'v>(tenant: Option<BoundValue<'v>>, value: BoundValue<'v>) -> ClaimValues<'v> {
    let mut values = ClaimValues::new();
    if let Some(tenant) = tenant {
        values.push(tenant);
    }
    values.push(value);
    values
}

/// `key`'s columns, in key order, as an update binds them.
fn key_values<T: Unique>(key: &T::Key) -> T::Values<'_> {
    let mut values = T::Values::default();
    T::bind_key(key, &mut values, true);
    values
}

/// The tenant id among a key's columns, when the lookup tables are by
/// tenant (its first column).
fn tenant_of<'v, T: Unique>(owner: &[BoundValue<'v>]) -> Option<BoundValue<'v>> {
    if T::TENANT {
        owner.first().copied()
    } else {
        None
    }
}
