//! Generates every codegen fixture (`../fixtures/codegen/<name>/`, the
//! language reference's models, and the example schema as module `db`),
//! its GraphQL schema included (`Builder::graphql`), into
//! `OUT_DIR/<name>/` with the `build.rs` API users call, and writes
//! `OUT_DIR/fixtures.rs`, which declares one module per fixture.
//!
//! Two crates run it: `corm-codegen-fixtures` (a library on the workspace's
//! edition) and `corm-codegen-2021` (a library and a binary on edition
//! 2021), so the generated code is checked in both kinds of crate.

use std::error::Error;
use std::fmt::Write as _;

use camino::{Utf8Path, Utf8PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = Utf8PathBuf::from(std::env::var("OUT_DIR")?);
    let fixtures = Utf8Path::new("../fixtures");
    println!("cargo:rerun-if-changed={fixtures}/codegen");

    let mut sets: Vec<(String, Vec<Utf8PathBuf>)> = vec![(
        "language".to_owned(),
        ["keyspace", "types", "models"]
            .iter()
            .map(|name| fixtures.join(format!("language/{name}.corm")))
            .collect(),
    )];
    // The example schema, under a module named like one of its files
    // (`db`, beside the generated `db.rs`), as users name theirs.
    let example = Utf8Path::new("../../../examples/schema.corm");
    println!("cargo:rerun-if-changed={example}");
    sets.push(("db".to_owned(), vec![example.to_owned()]));
    let mut folders: Vec<Utf8PathBuf> = fixtures
        .join("codegen")
        .read_dir_utf8()?
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let mut schemas: Vec<Utf8PathBuf> = folder
            .read_dir_utf8()?
            .filter_map(Result::ok)
            .map(|entry| entry.into_path())
            .filter(|path| path.extension() == Some("corm"))
            .collect();
        schemas.sort();
        let name = folder.file_name().ok_or("fixture folder without a name")?;
        sets.push((name.to_owned(), schemas));
    }

    // `fixtures.rs` declares public modules (a library's API), and
    // `private_fixtures.rs` private ones, as a program's `mod db;` would.
    let mut modules = String::new();
    let mut private = String::new();
    // `graphql_fixtures.rs`: each fixture's GraphQL schema builder and SDL.
    let mut graphql = String::from(
        "/// Each fixture with a GraphQL schema: its name, how to build the schema\n\
         /// over a session, and its generated SDL.\n\
         pub static GRAPHQL_FIXTURES: &[(&str, GraphqlBuilder, &str)] = &[\n",
    );
    for (name, schemas) in sets {
        let dir = out_dir.join(&name);
        cormc::Builder::new()
            .schemas(schemas)
            .out_dir(&dir)
            .graphql(true)
            .compile()?;
        let path = dir.join("mod.rs");
        writeln!(
            modules,
            "/// The code generated from the `{name}` fixture.\n#[path = {:?}]\npub mod {name};",
            path.as_str()
        )?;
        writeln!(private, "#[path = {:?}]\nmod {name};", path.as_str())?;
        if dir.join("graphql.rs").exists() {
            writeln!(
                graphql,
                "    ({name:?}, |session| {name}::graphql_schema(&{name}::Db::new(session, \"fixture\"), Default::default()), {name}::SCHEMA_GRAPHQL),"
            )?;
        }
    }
    graphql.push_str("];\n");
    std::fs::write(out_dir.join("graphql_fixtures.rs"), graphql)?;
    std::fs::write(out_dir.join("fixtures.rs"), modules)?;
    std::fs::write(out_dir.join("private_fixtures.rs"), private)?;
    Ok(())
}
