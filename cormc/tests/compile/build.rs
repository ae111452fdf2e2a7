//! Generates every codegen fixture (`../fixtures/codegen/<name>/`, and the
//! language reference's models) into `OUT_DIR/<name>/` with the `build.rs`
//! API users call, and writes `OUT_DIR/fixtures.rs`, which declares one
//! module per fixture.

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

    let mut modules = String::new();
    for (name, schemas) in sets {
        let dir = out_dir.join(&name);
        cormc::Builder::new()
            .schemas(schemas)
            .out_dir(&dir)
            .compile()?;
        writeln!(
            modules,
            "/// The code generated from the `{name}` fixture.\n#[path = {:?}]\npub mod {name};",
            dir.join("mod.rs").as_str()
        )?;
    }
    std::fs::write(out_dir.join("fixtures.rs"), modules)?;
    Ok(())
}
