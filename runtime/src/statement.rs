//! Statements that generated repositories prepare lazily, once per session.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

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
/// A statement is marked idempotent (so a timeout may be retried and a
/// slow request run speculatively on another node) unless it is a
/// lightweight transaction (its text has an `IF` clause) or was made with
/// [`Statement::non_idempotent`]: counter updates and list appends, which
/// would count or append twice.
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
    idempotent: bool,
    prepared: OnceCell<PreparedStatement>,
    prepares: AtomicUsize,
}

impl Statement {
    /// A statement with the CQL `text`, not prepared yet: idempotent
    /// unless it has an `IF` clause.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let idempotent = !is_conditional(&text);
        Self::marked(text, idempotent)
    }

    /// A statement that must not run twice for one call: a counter update
    /// or a list append. It is never retried after a timeout, nor run
    /// speculatively.
    pub fn non_idempotent(text: impl Into<String>) -> Self {
        Self::marked(text.into(), false)
    }

    /// A statement marked idempotent or not by the caller.
    pub fn marked(text: String, idempotent: bool) -> Self {
        Self {
            text,
            idempotent,
            prepared: OnceCell::new(),
            prepares: AtomicUsize::new(0),
        }
    }

    /// Whether running the statement twice has the effect of running it
    /// once.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
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
    pub fn prepared<'s>(&'s self, session: &'s Session) -> Prepared<'s> {
        // The common case, after the first use: a future that is ready at
        // once, two words in the request's own future.
        match self.prepared.get() {
            Some(prepared) => Prepared(PreparedState::Ready(prepared)),
            None => Prepared(PreparedState::Preparing(Box::pin(self.prepare(session)))),
        }
    }

    #[cold]
    async fn prepare(&self, session: &Session) -> Result<&PreparedStatement> {
        self.prepared
            .get_or_try_init(|| {
                self.prepares.fetch_add(1, Ordering::Relaxed);
                session.prepare_marked(&self.text, self.idempotent)
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

/// Whether `text` has an `IF` clause (a lightweight transaction): the word
/// `IF` outside string literals and quoted names.
fn is_conditional(text: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        match quote {
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                word.clear();
            }
            None if c.is_ascii_alphanumeric() || c == '_' => word.push(c),
            None => {
                if word.eq_ignore_ascii_case("if") {
                    return true;
                }
                word.clear();
            }
        }
    }
    false
}

/// The future of [`Statement::prepared`]: ready at once when the
/// statement is prepared (every use after the first), else its preparation,
/// boxed because it runs once: so a request that awaits it holds two words
/// for it rather than the state of a preparation.
#[must_use = "futures do nothing unless awaited"]
pub struct Prepared<'s>(PreparedState<'s>);

/// What a [`Prepared`] holds.
enum PreparedState<'s> {
    Ready(&'s PreparedStatement),
    Preparing(Pin<Box<dyn Future<Output = Result<&'s PreparedStatement>> + Send + 's>>),
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ready = matches!(self.0, PreparedState::Ready(_));
        f.debug_struct("Prepared").field("ready", &ready).finish()
    }
}

impl<'s> Future for Prepared<'s> {
    type Output = Result<&'s PreparedStatement>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            PreparedState::Ready(prepared) => Poll::Ready(Ok(*prepared)),
            PreparedState::Preparing(preparing) => preparing.as_mut().poll(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Statement;

    #[test]
    fn conditional_statements_are_not_idempotent() {
        for text in [
            "INSERT INTO t (k) VALUES (?) IF NOT EXISTS",
            "UPDATE t SET v = ? WHERE k = ? IF v = ?",
            "DELETE FROM t WHERE k = ? if exists",
        ] {
            assert!(!Statement::new(text).is_idempotent(), "{text}");
        }
        for text in [
            "SELECT \"if\", gift FROM t WHERE k = ?",
            "UPDATE t SET note = 'what if' WHERE k = ?",
            "INSERT INTO t (k, diff) VALUES (?, ?)",
        ] {
            assert!(Statement::new(text).is_idempotent(), "{text}");
        }
        assert!(!Statement::non_idempotent("UPDATE t SET c = c + ? WHERE k = ?").is_idempotent());
    }
}
