//! The limits of generated relation loaders (`relation_of(&rows)`): how many
//! keys one `IN` request binds and how many requests run at once.

/// The most keys a batched loader binds to one `IN` request.
pub const IN_CHUNK: usize = 100;

/// The most requests a batched loader runs at once.
pub const CONCURRENT_REQUESTS: usize = 8;

/// The first key of relation loaders' statements in a repository's extra
/// statement cache (the keys below are the named queries').
#[doc(hidden)]
pub const RELATION_STATEMENTS: u64 = 1 << 32;
