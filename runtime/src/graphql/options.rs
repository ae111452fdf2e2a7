//! The limits a GraphQL endpoint enforces, with defaults that keep one
//! request from reading more than a client page needs.

use crate::changes::FollowOptions;

/// How a schema built by [`SchemaBuilder`](super::SchemaBuilder) guards the
/// database. The defaults: depth 10, complexity 1,000, pages of 20 rows by
/// default and at most 100, introspection on.
#[derive(Clone, Debug)]
pub struct GraphqlOptions {
    /// The deepest selection a query may have (a relation inside a
    /// relation counts a level each).
    pub max_depth: usize,
    /// The most fields a query may select, lists counted once per field.
    pub max_complexity: usize,
    /// Rows in a page when a query gives no `first`.
    pub default_page_size: u32,
    /// The most rows a query may ask for in one page (`first`).
    pub max_page_size: u32,
    /// Whether clients may read the schema (`__schema`, `__type`).
    pub introspection: bool,
    /// The key that signs cursors: cursors issued under one key open only
    /// under the same key, so servers that share a client's cursors share
    /// it ([`GraphqlOptions::with_cursor_key`]); random per process by
    /// default.
    pub cursor_key: CursorKey,
    /// How change subscriptions read the log (settle window, poll
    /// interval): [`FollowOptions`]'s defaults.
    pub follow: FollowOptions,
}

/// The secret that signs cursors (its bytes never printed).
#[derive(Clone)]
pub struct CursorKey(pub(crate) [u8; 32]);

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

impl Default for CursorKey {
    /// A random key.
    fn default() -> Self {
        Self(rand::random())
    }
}

impl Default for GraphqlOptions {
    fn default() -> Self {
        Self {
            max_depth: 10,
            max_complexity: 1_000,
            default_page_size: 20,
            max_page_size: 100,
            introspection: true,
            cursor_key: CursorKey::default(),
            follow: FollowOptions::default(),
        }
    }
}

impl GraphqlOptions {
    /// These options with cursors signed under `key` (any length; servers
    /// behind one load balancer give the same key).
    #[must_use]
    pub fn with_cursor_key(mut self, key: &[u8]) -> Self {
        use sha2::Digest as _;
        self.cursor_key = CursorKey(sha2::Sha256::digest(key).into());
        self
    }
}
