//! W1201: items `cormc check` accepts but `cormc generate` emits no Rust for
//! yet, so that nothing is dropped silently. Their tables, indexes and
//! migrations are generated; their typed API is not. Each case goes away
//! when its generator exists: vector search (time series and event stores
//! have theirs: `corm::timeseries`, `corm::events`).

use crate::diagnostics::Code;

use super::context::{Annotate, Context};
use super::names::Symbols;

/// Warns about every item whose generator does not exist yet.
pub(super) fn warn(symbols: &Symbols<'_>, ctx: &mut Context) {
    for model in &symbols.models {
        for index in &model.vector_indexes {
            ctx.warning(
                Code::NotGenerated,
                format!(
                    "`cormc generate` emits no nearest-neighbour search for `{}.{}` yet",
                    model.name.name, index.column.name
                ),
                index.span,
                "no generated search",
            )
            .help("the index is created and every write validates the vector; query it with `ORDER BY … ANN OF ? LIMIT n` through `corm::Session` until vector search is generated");
        }
    }
}
