//! [`Fetch`]: what a generated read returns before it is awaited.

use std::future::Future;

/// A read in flight: a future of a [`Result`](crate::Result) of `T`.
///
/// Generated named queries and relation loaders return `impl Fetch<T>`
/// (await it as any future); the trait names the future and its output in
/// one bound on every edition, where the 2021 prelude lacks `Future`.
///
/// # Errors
/// What a read can end with: [`Error::Prepare`](crate::Error::Prepare)
/// when its statement does not prepare,
/// [`Error::Execute`](crate::Error::Execute) for a request that fails,
/// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize),
/// [`Error::Pager`](crate::Error::Pager) or
/// [`Error::NextRow`](crate::Error::NextRow) for a paged read, and an
/// error reading a row that does not match its type. A method's own docs
/// name any other.
pub trait Fetch<T>: Future<Output = crate::Result<T>> {}

impl<T, F: Future<Output = crate::Result<T>>> Fetch<T> for F {}
