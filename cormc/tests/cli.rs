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
