//! `cargo xtask synthetic`: a large, valid schema for measuring the compiler.
//!
//! The schema is made from its options alone (no randomness), so every run
//! measures the same input: enums, UDTs, and models with composite keys,
//! collections, validation, indexes, relations, queries and aggregates.
//!
//! Every model draws two advisor warnings (W1103: partitions that grow
//! without bound; W1106: non-frozen collections in wide partitions), unless
//! `--clean` makes a share of them clean: those have a `ttl` of 30 days and
//! frozen collections, and draw none.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::Outcome;
use crate::paths::{absolute, target_dir};

/// Arguments of `cargo xtask synthetic`.
#[derive(Parser)]
pub struct Args {
    /// How many models.
    #[arg(long, default_value_t = 500)]
    models: usize,
    /// The percentage of models that draw no warning (spread evenly).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    clean: u8,
    /// Models alone: no relations, named queries or aggregates (the shape
    /// a peer ORM without them can be compared on).
    #[arg(long)]
    plain: bool,
    /// Where to write it [default: target/synthetic/models-N.corm, or
    /// models-N-clean-P.corm with `--clean P`, models-N-plain.corm with
    /// `--plain`].
    #[arg(long)]
    out: Option<PathBuf>,
}

/// What a synthetic schema holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// How many models.
    pub models: usize,
    /// The percentage of models that draw no warning (0 to 100).
    pub clean: u8,
    /// Models alone, without relations, named queries and aggregates.
    pub plain: bool,
}

impl Shape {
    /// The file name under `target/synthetic/`.
    pub fn file_name(self) -> String {
        let plain = if self.plain { "-plain" } else { "" };
        if self.clean == 0 {
            format!("models-{}{plain}.corm", self.models)
        } else {
            format!("models-{}-clean-{}{plain}.corm", self.models, self.clean)
        }
    }

    /// Whether model `m` draws no warning: `clean` of every 100 models,
    /// spread evenly (the share rounds down over the whole schema).
    fn is_clean(self, m: usize) -> bool {
        let clean = usize::from(self.clean.min(100));
        (m + 1) * clean / 100 > m * clean / 100
    }
}

/// Writes the schema and prints its path.
pub fn run(args: Args) -> Outcome {
    let shape = Shape {
        models: args.models,
        clean: args.clean,
        plain: args.plain,
    };
    let path = match args.out {
        Some(out) => absolute(out),
        None => target_dir().join("synthetic").join(shape.file_name()),
    };
    write(shape, &path)?;
    println!("{}", path.display());
    Ok(())
}

/// Writes the schema of `shape` to `path`, creating its folder.
pub fn write(shape: Shape, path: &Path) -> Outcome {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(path, schema(shape))
        .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    Ok(())
}

/// The text of a schema of the given shape.
pub fn schema(shape: Shape) -> String {
    let models = shape.models;
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
        // A clean model: frozen collections (no W1106) and a `ttl` of at
        // least gc_grace_seconds (no W1103, no W1104).
        let (set, map, list, ttl) = if shape.is_clean(m) {
            (
                "frozen<set<text>>",
                "frozen<map<text, text>>",
                format!("frozen<list<frozen<Address{k}>>>"),
                "  ttl 30d\n",
            )
        } else {
            (
                "set<text>",
                "map<text, text>",
                format!("list<frozen<Address{k}>>"),
                "",
            )
        };
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
               tags: {set}\n  \
               attrs: {map}\n  \
               history: {list}\n  \
               created_at: timestamp @default(now)\n  \
               updated_at: timestamp? @on_update(now)\n  \
               parent_id: timeuuid?\n\n  \
               key ((tenant), id desc)\n  \
               index (name)\n\
             {ttl}"
        );
        if shape.plain {
            let _ = writeln!(out, "}}\n");
            continue;
        }
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
