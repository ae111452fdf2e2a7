//! `cargo xtask cassandra` on a second, throwaway node (its own port and
//! folder), so it never disturbs the node the other tests use.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(dir: &Path, port: u16, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("cassandra")
        .args(args)
        .arg("--port")
        .arg(port.to_string())
        .arg("--dir")
        .arg(dir)
        .args(["--heap", "512m", "--timeout", "120"])
        .env_remove("CORM_CASSANDRA_PORT")
        .env_remove("CORM_CASSANDRA_DIR")
        .output()
        .unwrap_or_else(|err| panic!("cannot run xtask: {err}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_broken_config_reports_the_nodes_error_instead_of_hanging() {
    let dir = scratch("broken-node");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["cassandra", "start", "--port", "9152", "--dir"])
        .arg(&dir)
        .args(["--set", "no_such_setting: 1"])
        .output()
        .expect("xtask runs");
    let text = text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(text.contains("exited during start-up"), "{text}");
    assert!(
        text.contains("Please remove properties [no_such_setting]"),
        "the node's own error is shown:\n{text}"
    );
    assert!(!dir.join("cassandra.pid").exists(), "no stale pid file");
}

#[test]
fn start_status_stop_twice() {
    let dir = scratch("lifecycle-node");
    let port = 9162;
    let fail = |what: &str, output: &Output| panic!("{what}:\n{}", text(output));
    for round in 0..2 {
        let started = xtask(&dir, port, &["start"]);
        if !started.status.success() {
            fail("start", &started);
        }
        if round == 0 {
            let again = xtask(&dir, port, &["start"]);
            assert!(text(&again).contains("already running"), "{}", text(&again));
        }
        let status = xtask(&dir, port, &["status"]);
        if !status.status.success() {
            fail("status", &status);
        }
        assert!(
            text(&status).contains("answering on 127.0.0.1:9162"),
            "{}",
            text(&status)
        );
        let stopped = xtask(&dir, port, &["stop"]);
        if !stopped.status.success() {
            fail("stop", &stopped);
        }
        let status = xtask(&dir, port, &["status"]);
        assert!(
            !status.status.success(),
            "status fails once stopped: {}",
            text(&status)
        );
    }
    let logs = xtask(&dir, port, &["logs", "-n", "400"]);
    assert!(text(&logs).contains("Startup complete"), "{}", text(&logs));
    let wiped = xtask(&dir, port, &["wipe"]);
    assert!(wiped.status.success(), "{}", text(&wiped));
    assert!(!dir.exists());
}
