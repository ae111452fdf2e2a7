//! The view model: what the templates render, built from the IR with every
//! decision already taken. Names are Rust identifiers (cased, keywords
//! escaped), types are Rust type paths, defaults are Rust expressions and
//! docs are lines, so a template is a shape with no logic of its own.

mod db;
mod doc;
mod event_store;
mod exact;
pub mod generated_names;
mod graphql;
mod ident;
mod items;
mod key_binding;
mod queries;
mod relations;
mod row_field;
mod rust_type;
mod saga;
mod time_series;
mod validate;

pub use db::{
    CacheView, ChangeLogView, ClusteredView, CounterView, DbFile, QuerySpecView, RepoView,
    ReserveView, SpecView, TenantField, UniqueParam, UniqueView, UpdateStep, UpdateView,
};
pub use doc::doc_lines;
pub use event_store::{EventView, StoreView, no_json, store_view};
pub use graphql::{
    GraphqlEnum, GraphqlEvent, GraphqlField, GraphqlFile, GraphqlModel, GraphqlObject,
    GraphqlParam, GraphqlQuery, GraphqlRelation, GraphqlSeries, GraphqlStore,
    field_name as graphql_field_name,
};
pub use ident::{bare as bare_ident, field_ident, type_ident};
pub use items::{
    EnumView, FieldView, KeyView, LOGGED_MODEL_USES, MODEL_USES, ModelView, PatchView, SERIES_USES,
    TypesFile, UdtView, VariantView,
};
pub use key_binding::{KeyBinding, KeyField};
pub use queries::{
    Argument, Compare, Kept, Limit, OrderBy, Outcome, Owned, Pass, QueriesFile, Reach, ReadAs,
    Summand, TotalOp,
};
pub use relations::RelationsFile;
pub use row_field::RowField;
pub use rust_type::rust_type;
pub use saga::{SagaView, StepView, saga_view};
pub use time_series::{SeriesView, series_view};
pub use validate::{Bound, Check, ValidateView, ValidatedField, validate_view};

/// The codes the checker reports for schemas the generator refuses too
/// (E1202, E1204): the generator's unit tests check such schemas with
/// these allowed, so that they test the generator's own refusals.
#[cfg(test)]
pub(crate) const GENERATOR_REFUSALS: &[crate::diagnostics::Code] = &[
    crate::diagnostics::Code::NoRustOrder,
    crate::diagnostics::Code::GeneratedNameClash,
];
