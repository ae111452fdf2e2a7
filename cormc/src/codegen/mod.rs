//! Code generation: the checked schema ([`ir::Schema`]) to Rust files.
//!
//! The pipeline, one step per module:
//!
//! | step | module | input | output |
//! | --- | --- | --- | --- |
//! | view model | [`view`] | [`ir::Schema`] | template structs, names already Rust |
//! | templates | `templates` | view model | Rust text (askama, `templates/rust/`) |
//! | formatting | `render` | Rust text | `syn` parse, `prettyplease`, header |
//! | files | [`GeneratedFiles`] | formatted text | relative path → text |
//! | writing | [`write`](fn@write) | [`GeneratedFiles`] | files on disk, changed ones only |
//!
//! [`generate`] is pure (same schema, same bytes); only [`write`](fn@write)
//! touches the disk.
//!
//! The output is a module folder:
//! - `mod.rs`: declares the modules and re-exports their items;
//! - `types.rs`: every enum, UDT and model of the schema, in that order
//!   (each in declaration order), with hand-written driver trait impls that
//!   call `corm::rt`. One file keeps the diff of a schema change in one place;
//!   repositories will get their own files.

mod error;
mod files;
mod render;
mod templates;
pub mod view;
mod write;

pub use error::CodegenError;
pub use files::GeneratedFiles;
pub use write::{WriteReport, write};

use crate::ir;

/// Generates the Rust module for `schema`: relative paths to file contents.
///
/// # Errors
/// [`CodegenError::Unsupported`] for a construct this generator can't map to
/// Rust yet, and [`CodegenError::InvalidRust`] (a compiler bug) when a
/// template renders text that is not valid Rust.
pub fn generate(schema: &ir::Schema) -> Result<GeneratedFiles, CodegenError> {
    let model = view::TypesFile::new(schema)?;
    let mut files = GeneratedFiles::default();
    files.insert(
        "mod.rs",
        render::rust_file("mod.rs", &templates::ModRs::new(&model))?,
    );
    files.insert(
        "types.rs",
        render::rust_file("types.rs", &templates::TypesRs::new(&model))?,
    );
    Ok(files)
}
