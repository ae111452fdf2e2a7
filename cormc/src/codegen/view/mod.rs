//! The view model: what the templates render, built from the IR with every
//! decision already taken. Names are Rust identifiers (cased, keywords
//! escaped), types are Rust type paths, defaults are Rust expressions and
//! docs are lines, so a template is a shape with no logic of its own.

mod db;
mod doc;
mod ident;
mod items;
mod rust_type;

pub use db::{CounterView, DbFile, RangeView, RepoView, StatementView, UpdateStep, UpdateView};
pub use doc::doc_lines;
pub use ident::{field_ident, type_ident};
pub use items::{
    EnumView, FieldView, KeyView, ModelView, PatchView, TypesFile, UdtView, VariantView,
};
pub use rust_type::rust_type;
