//! Migrations on the compiler's side: embedding them for the runner
//! ([`embed`](mod@embed)) and writing the next one from the drift between the
//! migrations and the models ([`next`]).

pub mod embed;
pub mod next;

pub use embed::{EmbeddedMigration, EmbeddedStatement, checksum, embed, embed_all};
