//! Statements that generated repositories prepare lazily, once per session.

use std::sync::atomic::{AtomicUsize, Ordering};

use scylla::statement::prepared::PreparedStatement;
use tokio::sync::OnceCell;

use crate::{Result, Session};

/// A CQL statement, prepared on first use and reused after that.
///
/// Generated repositories hold one per statement, built with the keyspace
/// when the repository is created for a session (the keyspace is chosen at
/// run time, so the text is a `String`). Concurrent first uses prepare it
/// once: the others wait for that result. A failed prepare is not kept: the
/// next use tries again.
///
/// A `Statement` belongs to the session it was first prepared on; use a new
/// one (a new repository) for another session.
///
/// ```no_run
/// # async fn demo(session: &corm::Session) -> corm::Result<()> {
/// let insert = corm::Statement::new("INSERT INTO shop.notes (id, body) VALUES (?, ?)");
/// let prepared = insert.prepared(session).await?;
/// session.execute(prepared, (1, "hello")).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Statement {
    text: String,
    prepared: OnceCell<PreparedStatement>,
    prepares: AtomicUsize,
}

impl Statement {
    /// A statement with the CQL `text`, not prepared yet.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            prepared: OnceCell::new(),
            prepares: AtomicUsize::new(0),
        }
    }

    /// The CQL text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The prepared statement, prepared on `session` on first use.
    ///
    /// Clone it (an `Arc` bump) to change per-call settings or to move it
    /// into a paged query.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) with the statement text.
    pub async fn prepared(&self, session: &Session) -> Result<&PreparedStatement> {
        // The common case, after the first use: no initialisation future.
        if let Some(prepared) = self.prepared.get() {
            return Ok(prepared);
        }
        self.prepare(session).await
    }

    #[cold]
    async fn prepare(&self, session: &Session) -> Result<&PreparedStatement> {
        self.prepared
            .get_or_try_init(|| {
                self.prepares.fetch_add(1, Ordering::Relaxed);
                session.prepare(&self.text)
            })
            .await
    }

    /// Whether the statement has been prepared.
    pub fn is_prepared(&self) -> bool {
        self.prepared.initialized()
    }

    /// How many times preparing was attempted (1 after a successful first
    /// use, whatever the number of concurrent first users).
    pub fn prepare_count(&self) -> usize {
        self.prepares.load(Ordering::Relaxed)
    }
}
