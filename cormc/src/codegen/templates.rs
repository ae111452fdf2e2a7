//! The askama templates (in the workspace's `templates/rust/`), one per
//! generated file, each over its view model.

use askama::Template;

use super::view::TypesFile;

/// `mod.rs`: the module declarations and re-exports.
#[derive(Template)]
#[template(path = "rust/mod.rs")]
pub(crate) struct ModRs<'a> {
    /// The types file, to know whether it has items.
    pub(crate) types: &'a TypesFile,
}

impl<'a> ModRs<'a> {
    pub(crate) const fn new(types: &'a TypesFile) -> Self {
        Self { types }
    }
}

/// `types.rs`: enums, UDTs and models.
#[derive(Template)]
#[template(path = "rust/types.rs")]
pub(crate) struct TypesRs<'a> {
    /// The view model.
    pub(crate) file: &'a TypesFile,
}

impl<'a> TypesRs<'a> {
    pub(crate) const fn new(file: &'a TypesFile) -> Self {
        Self { file }
    }
}
