//! A lookup table's row as a field's `find` statement reads it: the claim's
//! token, its write time and the coordinator's clock, then the owner's key
//! columns.

use std::marker::PhantomData;

use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::frame::response::result::ColumnSpec;

use super::{ClaimToken, Held, Unique};
use crate::rt;

/// The columns before the owner's: `corm_claim`, `writetime(…)`,
/// `toUnixTimestamp(now())`.
type ClaimColumns = (Option<ClaimToken>, Option<i64>, i64);

/// How many there are.
const CLAIM_COLUMNS: usize = 3;

/// A claim of model `T`'s lookup table, as read.
pub(super) struct HeldRow<T: Unique> {
    pub(super) held: Held<T::Key>,
    row: PhantomData<fn() -> T>,
}

impl<'f, 'm, T: Unique> DeserializeRow<'f, 'm> for HeldRow<T> {
    fn type_check(specs: &[ColumnSpec<'_>]) -> Result<(), TypeCheckError> {
        let Some((claim, owner)) = specs.split_at_checked(CLAIM_COLUMNS) else {
            return rt::check_count::<Self>(specs, CLAIM_COLUMNS);
        };
        <ClaimColumns as DeserializeRow>::type_check(claim)?;
        T::Owner::type_check(owner)
    }

    fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        let (token, written_micros, now_millis) = rt::read_row::<Self, ClaimColumns>(&mut row)?;
        let owner = T::Owner::deserialize(row)?;
        Ok(Self {
            held: Held {
                owner: T::owner(owner),
                token,
                written_micros,
                now_millis,
            },
            row: PhantomData,
        })
    }
}
