//! `cargo xtask synthetic`: a large, valid schema for measuring the compiler.
//!
//! The schema is made from the model count alone (no randomness), so every
//! run measures the same input: enums, UDTs, and models with composite keys,
//! collections, validation, indexes, relations, queries and aggregates.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Parser;

use crate::Outcome;
use crate::paths::{absolute, target_dir};

/// Arguments of `cargo xtask synthetic`.
#[derive(Parser)]
pub struct Args {
    /// How many models.
    #[arg(long, default_value_t = 500)]
    models: usize,
    /// Where to write it [default: target/synthetic/models-N.corm].
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Writes the schema and prints its path.
pub fn run(args: Args) -> Outcome {
    let path = args.out.map_or_else(
        || {
            target_dir()
                .join("synthetic")
                .join(format!("models-{}.corm", args.models))
        },
        absolute,
    );
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(&path, schema(args.models))
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}

/// The text of a schema with `models` models.
pub fn schema(models: usize) -> String {
    let mut out = String::new();
    let kinds = models.div_ceil(50).max(1);
    // `write!` to a String cannot fail.
    let _ = writeln!(out, "keyspace synthetic {{\n  replication simple(1)\n}}\n");
    for k in 0..kinds {
        let _ = writeln!(
            out,
            "/// Status values, set {k}.\nenum Status{k} {{ draft, active, archived }}\n"
        );
        let _ = writeln!(
            out,
            "/// An address, variant {k}.\ntype Address{k} {{\n  street: text\n  city: text\n  zip: text?\n}}\n"
        );
    }
    for m in 0..models {
        let k = m % kinds;
        let _ = write!(
            out,
            "/// Synthetic model {m}.\n\
             model Entity{m} {{\n  \
               tenant: uuid\n  \
               id: timeuuid @default(now)\n  \
               name: text @validate(length(1, 100))\n  \
               email: text? @validate(email)\n  \
               score: int @default(0) @validate(range(0, 1000))\n  \
               status: Status{k}\n  \
               address: Address{k}?\n  \
               tags: set<text>\n  \
               attrs: map<text, text>\n  \
               history: list<frozen<Address{k}>>\n  \
               created_at: timestamp @default(now)\n  \
               updated_at: timestamp? @on_update(now)\n  \
               parent_id: timeuuid?\n\n  \
               key ((tenant), id desc)\n  \
               index (name)\n"
        );
        if m > 0 {
            let _ = writeln!(
                out,
                "  belongs_to parent: Entity{}(tenant, parent_id)",
                m - 1
            );
        }
        let _ = writeln!(out, "}}\n");
        let _ = writeln!(
            out,
            "query recent_{m} on Entity{m} {{\n  \
               where tenant = ?tenant and id > ?since\n  \
               order id desc\n  \
               limit ?n\n}}\n"
        );
        let _ = writeln!(
            out,
            "query named_{m} on Entity{m} {{\n  where name = ?name\n}}\n"
        );
        if m % 10 == 0 {
            let _ = writeln!(
                out,
                "aggregate stats_{m} on Entity{m} {{\n  \
                   where tenant = ?tenant\n  \
                   group by tenant\n  \
                   select count(*) as rows, sum(score) as total, avg(score) as mean\n}}\n"
            );
        }
    }
    out
}
