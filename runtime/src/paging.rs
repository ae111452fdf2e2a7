//! Paged reads: as a stream of rows, or one page at a time with a token to
//! resume from (for APIs that hand pages to their clients).

use std::sync::Arc;

use futures::Stream;
use scylla::client::pager::TypedRowStream;
use scylla::deserialize::row::DeserializeRow;
use scylla::errors::{NextRowError, RowsError};
use scylla::response::{PagingState, PagingStateResponse};
use scylla::serialize::row::SerializeRow;
use scylla::statement::prepared::PreparedStatement;

use crate::{Error, Result, Session};

/// The rows of one page and the token of the next one, if there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows of this page (fewer than the page size is possible even
    /// when more pages follow).
    pub rows: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<PagingToken>,
}

/// Where a paged read resumes: opaque bytes from the cluster, to be given
/// back to [`page`] unchanged (for the same statement and values).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PagingToken(Arc<[u8]>);

impl PagingToken {
    /// A token from bytes that [`PagingToken::as_bytes`] gave earlier.
    pub fn from_bytes(bytes: impl Into<Arc<[u8]>>) -> Self {
        Self(bytes.into())
    }

    /// The token's bytes, to store or send (encode them as the API needs).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for PagingToken {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Runs `prepared` with `values` and streams its rows as `T`, fetching
/// `page_size` rows at a time (`None`: the statement's page size).
///
/// The stream owns everything it needs (`Send + 'static`), so a repository
/// method can return it.
///
/// # Errors
/// [`Error::InvalidPageSize`]; [`Error::Pager`] when the first page fails;
/// [`Error::TypeCheck`] when the columns do not fit `T`. Items are
/// [`Error::NextRow`] when a later page fails or a row does not read.
pub async fn stream<T>(
    session: &Session,
    mut prepared: PreparedStatement,
    values: impl SerializeRow,
    page_size: Option<i32>,
) -> Result<Rows<T>>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
{
    if let Some(rows) = page_size {
        set_page_size(&mut prepared, rows)?;
    }
    // A clone shares the statement's data (no copy of its text): errors
    // name the statement, and nothing is allocated on the way.
    let statement = prepared.clone();
    let pager = match session.driver().execute_iter(prepared, values).await {
        Ok(pager) => pager,
        Err(source) => {
            return Err(Error::Pager {
                statement: statement.get_statement().to_owned(),
                source: Box::new(source),
            });
        }
    };
    match pager.rows_stream::<T>() {
        Ok(rows) => Ok(Rows { rows, statement }),
        Err(source) => Err(Error::TypeCheck {
            statement: statement.get_statement().to_owned(),
            source,
        }),
    }
}

/// The rows of a paged read, from [`stream`]: the driver's typed row
/// stream, whose errors name the statement.
pub struct Rows<T> {
    rows: TypedRowStream<T>,
    statement: PreparedStatement,
}

impl<T> std::fmt::Debug for Rows<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("statement", &self.statement.get_statement())
            .finish_non_exhaustive()
    }
}

impl<T> Stream for Rows<T>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm>,
{
    type Item = Result<T>;

    #[inline]
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match std::pin::Pin::new(&mut this.rows).poll_next(cx) {
            std::task::Poll::Ready(Some(Err(source))) => {
                std::task::Poll::Ready(Some(Err(next_row_error(&this.statement, source))))
            }
            std::task::Poll::Ready(Some(Ok(row))) => std::task::Poll::Ready(Some(Ok(row))),
            std::task::Poll::Ready(None) => std::task::Poll::Ready(None),
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

#[cold]
#[inline(never)]
fn next_row_error(statement: &PreparedStatement, source: NextRowError) -> Error {
    Error::NextRow {
        statement: statement.get_statement().to_owned(),
        source: Box::new(source),
    }
}

/// Runs `prepared` with `values` and reads one page of `page_size` rows
/// (`None`: the statement's page size), starting where `token` says (`None`:
/// at the beginning).
///
/// # Errors
/// [`Error::InvalidPageSize`]; [`Error::Execute`]; [`Error::NotRows`] when
/// the statement returns no rows; [`Error::TypeCheck`] when the columns do
/// not fit `T`; [`Error::Deserialize`] when a row does not read.
pub async fn page<T>(
    session: &Session,
    prepared: &PreparedStatement,
    values: impl SerializeRow,
    page_size: Option<i32>,
    token: Option<&[u8]>,
) -> Result<Page<T>>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm>,
{
    Ok(sized_page(session, prepared, values, page_size, token)
        .await?
        .0)
}

/// Every row `prepared` returns for `values`, reading every page, and the
/// bytes of the rows as Cassandra sent them (what a cache weighs them at).
///
/// # Errors
/// As [`page`].
pub(crate) async fn read_all_sized<T>(
    session: &Session,
    prepared: &PreparedStatement,
    values: impl SerializeRow,
) -> Result<(Vec<T>, usize)>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm>,
{
    let (first, mut bytes) = sized_page(session, prepared, &values, None, None).await?;
    let Page { mut rows, mut next } = first;
    while let Some(token) = next {
        let (page, page_bytes) =
            sized_page(session, prepared, &values, None, Some(token.as_bytes())).await?;
        rows.extend(page.rows);
        bytes += page_bytes;
        next = page.next;
    }
    Ok((rows, bytes))
}

/// [`page`], with the bytes of its rows as Cassandra sent them.
async fn sized_page<T>(
    session: &Session,
    prepared: &PreparedStatement,
    values: impl SerializeRow,
    page_size: Option<i32>,
    token: Option<&[u8]>,
) -> Result<(Page<T>, usize)>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm>,
{
    let statement = || prepared.get_statement().to_owned();
    let sized;
    let prepared = match page_size {
        Some(rows) => {
            let mut copy = prepared.clone();
            set_page_size(&mut copy, rows)?;
            sized = copy;
            &sized
        }
        None => prepared,
    };
    let state = token.map_or_else(PagingState::start, PagingState::new_from_raw_bytes);
    let attempt = || {
        session
            .driver()
            .execute_single_page(prepared, &values, state.clone())
    };
    let outcome = match attempt().await {
        Err(error) if session.retry_policy().max_retries > 0 => {
            // Boxed, as in `Session::execute`.
            Box::pin(crate::retry::after(
                session.retry_policy(),
                prepared.get_is_idempotent(),
                error,
                attempt,
            ))
            .await
        }
        outcome => outcome,
    };
    let (result, paging) = outcome.map_err(|source| Error::Execute {
        statement: statement(),
        source: Box::new(source),
    })?;
    crate::trace::record_result(&result);
    let result = result.into_rows_result().map_err(|source| Error::NotRows {
        statement: statement(),
        source: Box::new(source),
    })?;
    let bytes = result.rows_bytes_size();
    let rows = result.rows::<T>().map_err(|err| Error::TypeCheck {
        statement: statement(),
        source: match err {
            RowsError::TypeCheckFailed(source) => source,
        },
    })?;
    let rows = rows
        .collect::<std::result::Result<Vec<T>, _>>()
        .map_err(|source| Error::Deserialize {
            statement: statement(),
            source,
        })?;
    crate::trace::record_rows(rows.len());
    let next = match paging {
        PagingStateResponse::HasMorePages { state } => state
            .as_bytes_slice()
            .map(|bytes| PagingToken(Arc::clone(bytes))),
        PagingStateResponse::NoMorePages => None,
    };
    Ok((Page { rows, next }, bytes))
}

fn set_page_size(prepared: &mut PreparedStatement, rows: i32) -> Result<()> {
    if rows <= 0 {
        return Err(Error::InvalidPageSize {
            statement: prepared.get_statement().to_owned(),
            page_size: rows,
        });
    }
    prepared.set_page_size(rows);
    Ok(())
}

/// Every row `prepared` returns for `values`, reading every page
/// (`options.page_size` rows per page): a read whose rows all fit in
/// memory (a relation loader's).
///
/// # Errors
/// As [`stream`], and the first failure of a later page.
pub async fn read_all<T, V>(
    session: &Session,
    prepared: &PreparedStatement,
    options: &crate::Options,
    values: V,
) -> Result<Vec<T>>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
    V: SerializeRow,
{
    use futures::TryStreamExt;
    stream(
        session,
        options.apply(prepared).into_owned(),
        values,
        options.page_size,
    )
    .await?
    .try_collect()
    .await
}

/// Every row `prepared` returns for each of `requests` (the values of one
/// request each), reading every page, with at most `concurrency` requests
/// running; the rows of one request stay in their order, the requests'
/// rows come in any order.
///
/// # Errors
/// The first failure of any request.
pub async fn read_concurrently<T, V>(
    session: &Session,
    prepared: &PreparedStatement,
    options: &crate::Options,
    requests: impl Iterator<Item = V>,
    concurrency: usize,
) -> Result<Vec<T>>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
    V: SerializeRow,
{
    use futures::TryStreamExt;
    // Started by hand rather than through a stream adapter's closure: the
    // future then holds no closure over `V`, whose borrowed values would
    // keep a caller that boxes it as `Send` from compiling ("FnOnce is not
    // general enough").
    let mut requests = requests;
    let mut running = futures::stream::FuturesUnordered::new();
    let mut rows = Vec::new();
    loop {
        while running.len() < concurrency.max(1) {
            let Some(values) = requests.next() else { break };
            running.push(read_all::<T, V>(session, prepared, options, values));
        }
        match running.try_next().await? {
            Some(read) => rows.extend(read),
            None => return Ok(rows),
        }
    }
}
