//! The `cormc` binary: exit codes, where output goes, `--help`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn cormc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cormc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_clean_schema_exits_0() {
    let output = cormc(&[
        "check",
        &fixture("language/models.corm"),
        &fixture("language/types.corm"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("2 files checked: 0 errors"));
}

#[test]
fn errors_exit_1_with_path_line_and_column() {
    let input = fixture("syntax/missing_colon/input.corm");
    let output = cormc(&["check", &input]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&format!("{input}:3:9")), "{err}");
    assert!(err.contains("expected `:`"), "{err}");
    assert!(output.stdout.is_empty());
}

/// The README's main command checks the example schema: a newcomer sees no
/// warning, and `--acknowledged` shows the ones its `@allow`s accept.
#[test]
fn the_example_schema_prints_no_warning_and_lists_acknowledged_ones_on_request() {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/schema.corm");
    let schema = schema.to_string_lossy();
    let output = cormc(&["check", &schema]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(!err.contains("warning["), "{err}");
    assert!(
        err.contains("0 warnings (5 acknowledged by `@allow`; `--acknowledged` lists them)"),
        "{err}"
    );

    let output = cormc(&["check", "--acknowledged", &schema]);
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    for code in ["W1103", "W1106", "W0902"] {
        assert!(
            err.contains(&format!("warning[{code}]")),
            "{code} not listed:\n{err}"
        );
    }
    assert_eq!(err.matches("acknowledged here").count(), 5, "{err}");
    assert!(
        err.contains("note: acknowledged: one customer's orders stay in the thousands"),
        "{err}"
    );
}

#[test]
fn every_file_is_checked() {
    let output = cormc(&[
        "check",
        &fixture("syntax/missing_colon/input.corm"),
        &fixture("syntax/bad_duration/input.corm"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("missing_colon/input.corm:"), "{err}");
    assert!(err.contains("bad_duration/input.corm:"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn a_missing_file_exits_2_naming_it() {
    let output = cormc(&["check", "no/such/schema.corm"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read `no/such/schema.corm`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(cormc(&[]).status.code(), Some(2));
    assert_eq!(cormc(&["check"]).status.code(), Some(2));
    assert_eq!(cormc(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn help_shows_examples() {
    let output = cormc(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("cormc check schema.corm"), "{help}");
    assert!(help.contains("Exit status"), "{help}");
}

// ───────────── cormc fmt ─────────────

/// A fresh folder for one test, under Cargo's temporary folder for tests.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-fmt-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const UNFORMATTED: &str = "model  User{id:uuid   key(id)} // users\n";
const FORMATTED: &str = "model User {\n  id: uuid\n  key (id)\n} // users\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn fmt_check_exits_0_when_formatted() {
    let dir = scratch("check-clean");
    let file = write(&dir, "a.corm", FORMATTED);
    let output = cormc(&["fmt", "--check", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    assert!(stderr(&output).contains("1 file checked: 0 would change"));
}

#[test]
fn fmt_check_exits_1_with_a_diff_and_writes_nothing() {
    let dir = scratch("check-dirty");
    let clean = write(&dir, "clean.corm", FORMATTED);
    let dirty = write(&dir, "dirty.corm", UNFORMATTED);
    let output = cormc(&["fmt", "--check", &clean, &dirty]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains(&format!("would reformat `{dirty}`")), "{out}");
    assert!(!out.contains("clean.corm"), "{out}");
    assert!(out.contains(&format!("--- {dirty}\n")), "{out}");
    assert!(out.contains("@@ -1,1 +1,4 @@"), "{out}");
    assert!(
        out.contains("-model  User{id:uuid   key(id)} // users\n"),
        "{out}"
    );
    assert!(out.contains("+model User {\n+  id: uuid\n"), "{out}");
    assert!(stderr(&output).contains("2 files checked: 1 would change"));
    assert_eq!(std::fs::read_to_string(&dirty).unwrap(), UNFORMATTED);
}

#[test]
fn fmt_rewrites_in_place() {
    let dir = scratch("rewrite");
    let file = write(&dir, "a.corm", UNFORMATTED);
    let output = cormc(&["fmt", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FORMATTED);
    assert!(stderr(&output).contains("1 file formatted: 1 changed"));
    // Nothing else is left in the folder (the temporary file was renamed).
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(entries.len(), 1);
    // And now it is formatted.
    assert_eq!(cormc(&["fmt", "--check", &file]).status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn fmt_leaves_formatted_files_alone() {
    use std::os::unix::fs::MetadataExt as _;
    let dir = scratch("untouched");
    let file = write(&dir, "a.corm", FORMATTED);
    let before = std::fs::metadata(&file).unwrap();
    let output = cormc(&["fmt", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let after = std::fs::metadata(&file).unwrap();
    // Not replaced: same inode and modification time.
    assert_eq!(before.ino(), after.ino());
    assert_eq!(before.mtime_nsec(), after.mtime_nsec());
    assert!(stderr(&output).contains("0 changed"));
}

#[test]
fn fmt_keeps_files_with_syntax_errors_and_exits_1() {
    let dir = scratch("syntax");
    let broken_text = "model  User { id uuid }\n";
    let broken = write(&dir, "broken.corm", broken_text);
    let fine = write(&dir, "fine.corm", UNFORMATTED);
    let output = cormc(&["fmt", &broken, &fine]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&format!("{broken}:1:")), "{err}");
    assert!(err.contains("1 with errors"), "{err}");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), broken_text);
    // The other file is still formatted.
    assert_eq!(std::fs::read_to_string(&fine).unwrap(), FORMATTED);
    assert_eq!(cormc(&["fmt", "--check", &broken]).status.code(), Some(1));
}

#[test]
fn fmt_exits_2_when_a_file_cannot_be_read() {
    let dir = scratch("missing");
    let fine = write(&dir, "fine.corm", UNFORMATTED);
    let missing = dir.join("missing.corm").to_string_lossy().into_owned();
    let output = cormc(&["fmt", &missing, &fine]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!("cannot read `{missing}`")),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&fine).unwrap(), FORMATTED);
    assert_eq!(cormc(&["fmt", "--check", &missing]).status.code(), Some(2));
}

#[test]
fn fmt_needs_a_file() {
    assert_eq!(cormc(&["fmt"]).status.code(), Some(2));
    assert_eq!(cormc(&["fmt", "--check"]).status.code(), Some(2));
}

#[test]
fn fmt_help_shows_examples() {
    let help = stdout(&cormc(&["--help"]));
    assert!(help.contains("cormc fmt --check"), "{help}");
    let output = cormc(&["fmt", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    assert!(help.contains("--check"), "{help}");
    assert!(help.contains("cormc fmt schema.corm"), "{help}");
}

/// A schema with one migration of one statement.
const ONE_MIGRATION: &str = "\
keyspace cli_created {
  replication simple(1)
}

model Note {
  id:   uuid
  text: text
  key (id)
}

migration 1 init {
  create table note (id uuid, text text, primary key (id));
}
";

/// `migrate up` says once, on stdout, what it applied (progress goes to
/// stderr), in words that agree with the counts; `--create-keyspace`
/// creates a missing keyspace with the schema's replication.
#[tokio::test]
async fn migrate_up_reports_each_migration_once() {
    corm::testing::with_keyspace("cli_up_output", |session| async move {
        let keyspace = session.keyspace().unwrap().to_owned();
        // Start from no keyspace at all.
        session
            .run_ddl(&format!("DROP KEYSPACE \"{keyspace}\""))
            .await
            .unwrap();
        let dir = scratch("migrate_up");
        let schema = write(&dir, "schema.corm", ONE_MIGRATION);
        let up = move |create: bool| {
            let (schema, keyspace) = (schema.clone(), keyspace.clone());
            tokio::task::spawn_blocking(move || {
                let mut args = vec!["migrate", "up", &schema, "--keyspace", &keyspace];
                if create {
                    args.push("--create-keyspace");
                }
                cormc(&args)
            })
        };

        // Without the flag, a missing keyspace is an error.
        let output = up(false).await.unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

        let output = up(true).await.unwrap();
        let (out, err) = (stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(0), "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        assert!(
            lines[0].starts_with("applied migration 1 init (1 statement run) in "),
            "{out}"
        );
        assert!(err.contains("applying migration 1 `init`"), "{err}");
        assert!(!err.contains("applied migration"), "{err}");

        let output = up(true).await.unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            stdout(&output).ends_with("is up to date (1 migration)\n"),
            "{}",
            stdout(&output)
        );
    })
    .await;
}

#[test]
fn each_command_is_summed_up_by_its_own_line() {
    let help = stdout(&cormc(&["--help"]));
    let summary = |command: &str| {
        help.lines()
            .find_map(|line| line.trim_start().strip_prefix(command))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        summary("backup ").starts_with("Back up a keyspace"),
        "{help}"
    );
    assert!(
        summary("restore ").starts_with("Restore a backup"),
        "{help}"
    );
    assert!(
        summary("pull ").starts_with("Write a `.corm` file from an existing keyspace"),
        "{help}"
    );
    assert!(
        summary("migrate ").starts_with("Write the next migration"),
        "{help}"
    );
}
