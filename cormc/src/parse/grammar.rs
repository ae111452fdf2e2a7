//! The pest parser generated from `grammar/corm.pest`.
//!
//! Private to [`crate::parse`]: pest types go no further than that module.

#![allow(missing_docs)]

use pest_derive::Parser;

/// The `.corm` grammar.
#[derive(Parser)]
#[grammar = "../../grammar/corm.pest"]
pub(crate) struct CormParser;
