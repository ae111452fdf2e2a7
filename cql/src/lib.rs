//! Cassandra's schema as data: parse DDL, replay migrations, diff schemas,
//! render DDL.
//!
//! A pure library with no dependency on the `.corm` AST. The pieces:
//!
//! | stage | input → output | entry point |
//! | --- | --- | --- |
//! | lex + parse | statement text → [`DdlStatement`] | [`parse_statement`] |
//! | replay | statements → [`CqlSchema`] | [`Replayer`], [`replay()`] |
//! | diff | two schemas → [`Change`]s | [`diff()`] |
//! | render | schema or object → DDL text | [`render_schema`] |
//!
//! The drift check replays a schema's migrations, diffs the result with the
//! schema its models generate, and shows the changes as CQL. Rendering and
//! parsing agree: replaying `render_schema(s)` gives back `s` (for a schema
//! without dropped-column history).

pub mod ast;
pub mod diff;
pub mod error;
pub mod ident;
pub mod index;
pub mod keyspace;
pub mod lexer;
pub mod literal;
pub mod mask;
pub mod options;
pub mod parser;
pub mod render;
pub mod replay;
pub mod schema;
pub mod suggest;
pub mod table;
pub mod types;
pub mod udt;
pub mod view;

pub use ast::DdlStatement;
pub use diff::{Change, Safety, diff};
pub use error::DdlError;
pub use ident::Ident;
pub use index::{IndexClass, IndexDef, IndexTarget};
pub use keyspace::{KeyspaceDef, Replication};
pub use options::{
    Compaction, CompactionStrategy, OptionValue, TableOption, TableOptions, WindowUnit,
};
pub use parser::{parse_script, parse_statement, parse_type};
pub use render::{
    render_index, render_keyspace, render_schema, render_table, render_type, render_view,
};
pub use replay::{ReplayError, ReplayErrorKind, Replayer, ScriptError, replay, replay_script};
pub use schema::CqlSchema;
pub use table::{ClusteringColumn, ColumnDef, SortOrder, TableDef};
pub use types::{CqlType, NativeType};
pub use udt::{UdtDef, UdtField};
pub use view::ViewDef;
