//! The `build.rs` API: compile, no rewrite when unchanged, check mode,
//! schema errors carried in the error.

use camino::Utf8PathBuf;
use cormc::{BuildError, Builder};

fn scratch(name: &str) -> Utf8PathBuf {
    let dir = Utf8PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

const SCHEMA: &str =
    "enum Mood { happy, sad }\nmodel Note {\n  id: uuid\n  mood: Mood\n  key (id)\n}\n";

/// A builder of [`SCHEMA`] in the scratch folder `name`, and its output
/// folder.
fn notes_builder(name: &str) -> (Builder, Utf8PathBuf) {
    let dir = scratch(name);
    let schema = dir.join("notes.corm");
    std::fs::write(&schema, SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("generated");
    let builder = Builder::new()
        .schema(&schema)
        .out_dir(&out)
        .cargo_directives(false);
    (builder, out)
}

#[test]
fn compiles_writes_once_and_checks_freshness() {
    let (builder, out) = notes_builder("builder-ok");

    let first = builder.clone().compile().unwrap();
    assert!(!first.written.is_empty());
    assert!(out.join("mod.rs").exists());
    let second = builder.clone().compile().unwrap();
    assert!(second.written.is_empty(), "{second:?}");

    builder.clone().check_only(true).compile().unwrap();
    std::fs::write(out.join("types.rs"), "// edited by hand\n").unwrap();
    match builder.check_only(true).compile() {
        Err(BuildError::Stale { files, .. }) => assert_eq!(files, ["types.rs"]),
        other => panic!("expected a stale error, got {other:?}"),
    }
}

#[test]
fn schema_errors_are_rendered_into_the_error() {
    let dir = scratch("builder-error");
    let schema = dir.join("bad.corm");
    std::fs::write(&schema, "model Note {\n  id: uuidd\n  key (id)\n}\n").unwrap();
    let err = Builder::new()
        .schema(&schema)
        .out_dir(dir.join("generated"))
        .cargo_directives(false)
        .compile()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("E0201"), "{text}");
    assert!(text.contains("bad.corm:2:7"), "{text}");
    assert!(
        !dir.join("generated").exists(),
        "nothing is written on errors"
    );
}

#[test]
fn missing_inputs_are_errors() {
    assert!(matches!(
        Builder::new().compile(),
        Err(BuildError::NoSchemas)
    ));
    let err = Builder::new()
        .schema("no/such/file.corm")
        .out_dir("unused")
        .cargo_directives(false)
        .compile()
        .unwrap_err();
    assert!(err.to_string().contains("no/such/file.corm"), "{err}");
}

#[test]
fn a_file_edited_below_its_stamp_is_found_and_restored() {
    // Writing reuses a file formatted from the same text; an edit of its
    // body (the stamp kept) must still count as stale and be rewritten.
    let (builder, out) = notes_builder("builder-edited");
    builder.clone().compile().unwrap();
    let note = out.join("note.rs");
    let generated = std::fs::read_to_string(&note).unwrap();
    assert!(generated.contains("\n// cormc "), "the stamp: {generated}");
    let edited = generated.replacen("pub struct Note", "pub struct Note2", 1);
    assert_ne!(edited, generated);
    std::fs::write(&note, &edited).unwrap();

    match builder.clone().check_only(true).compile() {
        Err(BuildError::Stale { files, .. }) => assert_eq!(files, ["note.rs"]),
        other => panic!("expected a stale error, got {other:?}"),
    }
    let report = builder.compile().unwrap();
    assert_eq!(report.written, ["note.rs"], "{report:?}");
    assert_eq!(std::fs::read_to_string(&note).unwrap(), generated);
}
