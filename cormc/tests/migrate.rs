//! `cormc migrate`: `new` writes the next migration from a model change
//! (and refuses data loss without the flag and changes Cassandra can't
//! make), and `up`, `status` and `verify` run the schema's migrations on
//! the real node through the `cormc` binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use corm::testing::with_keyspace;

const V1: &str = "\
// A user.
model User {
  id: uuid
  name: text
  nick: text?
  key ((id))
}

migration 1 init {
  create table user (id uuid, name text, nick text, primary key (id));
}
";

/// A schema file of the test's own, in a fresh folder (under cargo's
/// target folder, so that nothing is left behind in the system's).
fn schema_file(test: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cormc-migrate-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join("schema.corm");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// Runs the `cormc` binary; returns (exit code, stdout, stderr).
fn cormc(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cormc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cormc {args:?}: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn check(path: &Path) -> (i32, String) {
    let (code, _, err) = cormc(&["check", path.to_str().unwrap()]);
    (code, err)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn new_after_a_model_change_makes_check_clean() {
    let path = schema_file("new", V1);
    assert_eq!(check(&path).0, 0);
    let (code, _, err) = cormc(&["migrate", "new", "nothing", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nothing to migrate"), "{err}");
    assert_eq!(read(&path), V1);

    // Add a field (the fields aligned as `cormc fmt` aligns them): the
    // drift check fails, `migrate new` closes it.
    std::fs::write(
        &path,
        V1.replace(
            "  id: uuid\n  name: text\n  nick: text?\n",
            "  id:    uuid\n  name:  text\n  nick:  text?\n  email: text?\n",
        ),
    )
    .unwrap();
    let (code, err) = check(&path);
    assert_eq!(code, 1);
    assert!(err.contains("E1004"), "{err}");
    let (code, out, err) = cormc(&["migrate", "new", "add_email", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "migration 2 add_email {\n  alter table user add email text;\n}\n"
    );
    assert!(
        read(&path)
            .ends_with("}\n\nmigration 2 add_email {\n  alter table user add email text;\n}\n")
    );
    assert_eq!(check(&path), (0, check(&path).1));
    let (code, _, err) = cormc(&["fmt", "--check", path.to_str().unwrap()]);
    assert_eq!(code, 0, "the written block is in fmt's layout: {err}");
}

#[test]
fn destructive_steps_need_the_flag() {
    let path = schema_file("destructive", V1);
    std::fs::write(&path, V1.replace("  nick: text?\n", "")).unwrap();
    let (code, _, err) = cormc(&["migrate", "new", "drop_nick", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("would lose data"), "{err}");
    assert!(err.contains("alter table user drop nick"), "{err}");
    assert!(err.contains("--allow-destructive"), "{err}");
    assert!(!read(&path).contains("migration 2"), "nothing written");

    let (code, out, err) = cormc(&[
        "migrate",
        "new",
        "drop_nick",
        path.to_str().unwrap(),
        "--allow-destructive",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("alter table user drop nick;"), "{out}");
    assert!(err.contains("1 losing data"), "{err}");
    assert_eq!(check(&path).0, 0);
}

#[test]
fn impossible_changes_are_explained_not_written() {
    let path = schema_file("impossible", V1);
    std::fs::write(&path, V1.replace("key ((id))", "key ((id), name)")).unwrap();
    let before = read(&path);
    let (code, _, err) = cormc(&["migrate", "new", "rekey", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("Cassandra can't make these changes"), "{err}");
    assert!(err.contains("new table"), "{err}");
    assert_eq!(read(&path), before);

    let (code, _, err) = cormc(&["migrate", "new", "2bad", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not a migration name"), "{err}");
}

#[test]
fn other_errors_block_new() {
    let path = schema_file("blocked", &V1.replace("name: text", "name: txet"));
    let (code, _, err) = cormc(&["migrate", "new", "x", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("fix these errors first"), "{err}");
    assert!(err.contains("txet"), "{err}");
}

/// `up` from empty to latest, `status`, a second migration applied alone,
/// `verify`, and an applied migration that changed, refused by name.
#[tokio::test]
async fn up_status_verify_on_the_node() {
    with_keyspace("cli_migrate", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let path = schema_file("up", V1);
        let file = path.to_str().unwrap().to_owned();
        let run = |args: Vec<String>| {
            tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                cormc(&args)
            })
        };
        let args = |command: &str| -> Vec<String> {
            vec![
                "migrate".into(),
                command.into(),
                file.clone(),
                "--keyspace".into(),
                keyspace.clone(),
            ]
        };

        let (code, out, err) = run(args("status")).await.unwrap();
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("init") && out.contains("pending"), "{out}");

        let (code, out, err) = run(args("up")).await.unwrap();
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("applied migration 1 init"), "{out}");
        assert!(
            err.contains("create table"),
            "progress per statement: {err}"
        );
        session
            .query(
                &format!("SELECT id, name, nick FROM \"{keyspace}\".user"),
                (),
            )
            .await
            .unwrap();

        let (code, out, _) = run(args("up")).await.unwrap();
        assert_eq!(code, 0);
        assert!(out.contains("up to date"), "{out}");

        // A model change, its migration, and only that one applied.
        std::fs::write(
            &path,
            V1.replace("  nick: text?\n", "  nick: text?\n  email: text?\n"),
        )
        .unwrap();
        let (code, _, err) = run(vec![
            "migrate".into(),
            "new".into(),
            "add_email".into(),
            file.clone(),
        ])
        .await
        .unwrap();
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = run(args("up")).await.unwrap();
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("applied migration 2 add_email"), "{out}");
        assert!(!out.contains("migration 1"), "{out}");
        session
            .query(&format!("SELECT email FROM \"{keyspace}\".user"), ())
            .await
            .unwrap();
        let (code, out, err) = run(args("verify")).await.unwrap();
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("matches"), "{out}");
        let (code, out, _) = run(args("status")).await.unwrap();
        assert_eq!(code, 0);
        assert_eq!(out.matches("applied").count(), 2, "{out}");

        // Editing an applied migration is caught (layout changes are not).
        let text = read(&path);
        std::fs::write(
            &path,
            text.replace("nick text, primary key", "nick  text,\n    primary key"),
        )
        .unwrap();
        let (code, _, err) = run(args("verify")).await.unwrap();
        assert_eq!(code, 0, "whitespace is not a change: {err}");
        std::fs::write(
            &path,
            text.replace("add email text", "add email text, add phone text")
                .replace("  email: text?\n", "  email: text?\n  phone: text?\n"),
        )
        .unwrap();
        let (code, _, err) = run(args("verify")).await.unwrap();
        assert_eq!(code, 1);
        assert!(err.contains("add_email"), "{err}");
        let (code, _, err) = run(args("up")).await.unwrap();
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("add_email"), "{err}");
    })
    .await;
}

/// A keyspace written in a statement is replaced by the one the runner
/// targets, and raw data steps (split at `;` outside strings) run there.
#[tokio::test]
async fn statements_are_bound_to_the_target_keyspace() {
    with_keyspace("cli_migrate_bind", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let fixture = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/codegen/embedded_migrations/schema.corm"),
        )
        .unwrap();
        let path = schema_file("bind", &fixture);
        let file = path.to_str().unwrap().to_owned();
        let (code, out, err) = tokio::task::spawn_blocking(move || {
            cormc(&["migrate", "up", &file, "--keyspace", &keyspace])
        })
        .await
        .unwrap();
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("applied migration 2 add_nick"), "{out}");
        let keyspace = session.keyspace().unwrap();
        let rows = session
            .query(&format!("SELECT email, nick FROM \"{keyspace}\".user"), ())
            .await
            .unwrap()
            .into_rows_result()
            .unwrap();
        let rows: Vec<(String, Option<String>)> = rows
            .rows::<(String, Option<String>)>()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, vec![("a;b".to_owned(), Some("first".to_owned()))]);
        // The schema's own keyspace (`shop`) was never created.
        let shop = session
            .query(
                "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = 'shop'",
                (),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap();
        assert_eq!(shop.rows_num(), 0);
    })
    .await;
}

/// With the schema split over files, the next migration goes into the file
/// that holds the last one, not into the first file.
#[test]
fn new_writes_where_the_last_migration_is() {
    let models = schema_file("split", &V1[..V1.find("migration 1").unwrap()]);
    let migrations = models.with_file_name("migrations.corm");
    std::fs::write(&migrations, &V1[V1.find("migration 1").unwrap()..]).unwrap();
    let (models_path, migrations_path) = (models.to_str().unwrap(), migrations.to_str().unwrap());
    assert_eq!(cormc(&["check", models_path, migrations_path]).0, 0);

    let with_email = read(&models).replace("  nick: text?\n", "  nick: text?\n  email: text?\n");
    std::fs::write(&models, &with_email).unwrap();
    let (code, _, err) = cormc(&["migrate", "new", "add_email", models_path, migrations_path]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&models), with_email, "the models file is left alone");
    assert!(
        read(&migrations)
            .ends_with("migration 2 add_email {\n  alter table user add email text;\n}\n")
    );
    assert_eq!(cormc(&["check", models_path, migrations_path]).0, 0);
}

/// `ttl 20y` (a year is 365 days): the longest TTL Cassandra takes, as a
/// table's `default_time_to_live`; `migrate new` writes it, the node
/// accepts it, and the model and the migration agree.
#[tokio::test]
async fn a_twenty_year_ttl_reaches_the_node() {
    with_keyspace("migrate_ttl_years", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let path = schema_file(
            "ttl-years",
            "model Archive {\n  id: uuid\n  key ((id))\n  ttl 20y\n}\n",
        );
        let file = path.to_str().unwrap().to_owned();
        let (code, _, err) = cormc(&["migrate", "new", "archive", &file]);
        assert_eq!(code, 0, "{err}");
        let schema = read(&path);
        let migrations = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            migrations.contains("default_time_to_live = 630720000"),
            "{schema}\n{migrations}"
        );
        let (code, err) = check(&path);
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = tokio::task::spawn_blocking(move || {
            cormc(&["migrate", "up", &file, "--keyspace", &keyspace])
        })
        .await
        .unwrap();
        assert_eq!(code, 0, "{err}");
        let rows = session
            .query(
                "SELECT default_time_to_live FROM system_schema.tables \
                 WHERE keyspace_name = ? AND table_name = 'archive'",
                (session.keyspace().unwrap(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap();
        let (ttl,): (i32,) = rows.first_row().unwrap();
        assert_eq!(ttl, 630_720_000);
    })
    .await;
}

/// Masked columns (`@masked`) and user-defined functions and aggregates in
/// migrations: replayed without false drift, a mask change written by
/// `migrate new`, and all of it applied to the node.
#[tokio::test]
async fn masks_functions_and_aggregates_reach_the_node() {
    with_keyspace("migrate_masks", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let path = schema_file(
            "masks",
            r#"model Customer {
  id:    uuid
  email: text     @masked(mask_inner(1, 1, "*"))
  phone: text?    @masked(mask_default())
  score: int?
  key ((id))
}

migration 1 init {
  create table customer (
    id uuid primary key,
    email text MASKED WITH Mask_Inner(1, 1, '*'),
    phone text,
    score int
  );
  create function double_sum(state int, n int)
    called on null input
    returns int
    language java
    as $$ return state + (n == null ? 0 : n * 2); $$;
  create aggregate sum_doubled(int)
    sfunc double_sum
    stype int
    initcond 0;
}
"#,
        );
        let file = path.to_str().unwrap().to_owned();
        // Only the phone's mask is missing: functions are no drift.
        let (code, err) = check(&path);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("alter table customer alter phone masked with mask_default()"),
            "{err}"
        );
        assert!(!err.contains("double_sum"), "{err}");
        let (code, _, err) = cormc(&["migrate", "new", "mask_phone", &file]);
        assert_eq!(code, 0, "{err}");
        let (code, err) = check(&path);
        assert_eq!(code, 0, "{err}");

        let (code, out, err) = tokio::task::spawn_blocking(move || {
            cormc(&["migrate", "up", &file, "--keyspace", &keyspace])
        })
        .await
        .unwrap();
        assert_eq!(code, 0, "{out}{err}");
        let keyspace = session.keyspace().unwrap();
        let masks: Vec<(String, String)> = session
            .query(
                "SELECT column_name, function_name FROM system_schema.column_masks \
                 WHERE keyspace_name = ? AND table_name = 'customer'",
                (keyspace.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows::<(String, String)>()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut masks = masks;
        masks.sort();
        assert_eq!(
            masks,
            vec![
                ("email".to_owned(), "mask_inner".to_owned()),
                ("phone".to_owned(), "mask_default".to_owned())
            ]
        );
        let aggregates = session
            .query(
                "SELECT aggregate_name FROM system_schema.aggregates WHERE keyspace_name = ?",
                (keyspace.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows_num();
        assert_eq!(aggregates, 1);
        let (sum,): (Option<i32>,) = session
            .query(
                &format!("SELECT \"{keyspace}\".sum_doubled(score) FROM \"{keyspace}\".customer"),
                (),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .first_row()
            .unwrap();
        assert_eq!(sum, Some(0));
    })
    .await;
}
