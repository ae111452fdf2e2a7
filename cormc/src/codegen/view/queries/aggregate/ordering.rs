//! A client-side aggregate's `order`, as data: each ordered field, its
//! direction and how its values compare. The template
//! `rust/client_rows.rs` writes the `sort_by_key` or `sort_by`.

use super::{FieldInfo, Kind};
use crate::codegen::CodegenError;
use crate::ir::Order;

/// One field the rows are ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordering {
    /// The result row's field.
    pub field: String,
    /// Greatest first.
    pub descending: bool,
    /// How two values compare.
    pub by: OrderBy,
    /// The field's Rust type without `Option` (an enum's, for its
    /// `as_str`).
    pub path: String,
    /// Whether the field's value can be a `sort_by_key` key (one `Copy`
    /// value or an enum's text).
    pub keyed: bool,
}

/// How an ordered field's values compare (`f` of rows `a` and `b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBy {
    /// `a.f.cmp(&b.f)`; as a key, `row.f`.
    Ord,
    /// `a.f.as_str().cmp(b.f.as_str())`; as a key, `row.f.as_str()`.
    Text,
    /// `a.f.map(E::as_str).cmp(&b.f.map(E::as_str))`; as a key,
    /// `row.f.map(E::as_str)`.
    OptionalText,
    /// `a.f.as_ref().map(E::as_str).cmp(&b.f.as_ref().map(E::as_str))`
    /// (an open enum, not `Copy`).
    OptionalOpenText,
    /// `a.f.total_cmp(&b.f)`.
    Float,
}

/// How the rows are ordered by the field `info` says, in `order` (`what`:
/// the aggregate, for errors).
pub(super) fn ordering(
    info: &FieldInfo,
    order: Order,
    what: &str,
) -> Result<Ordering, CodegenError> {
    let by = match (info.kind, info.optional) {
        (Kind::Copy | Kind::Text | Kind::Blob | Kind::Exact, _) => OrderBy::Ord,
        (Kind::Enum | Kind::OpenEnum, false) => OrderBy::Text,
        (Kind::Enum, true) => OrderBy::OptionalText,
        (Kind::OpenEnum, true) => OrderBy::OptionalOpenText,
        (Kind::Float, false) => OrderBy::Float,
        (Kind::Float, true) | (Kind::Other, _) => {
            return Err(CodegenError::Unsupported {
                what: what.to_owned(),
                reason: format!(
                    "it orders by `{}` in the client, and `{}` values have no order there",
                    info.name, info.path
                ),
            });
        }
    };
    Ok(Ordering {
        field: info.ident.clone(),
        descending: order == Order::Desc,
        by,
        path: info.path.clone(),
        keyed: matches!(info.kind, Kind::Copy | Kind::Enum),
    })
}
