//! Running cargo (and other programs) from xtask, loudly.

use std::process::Command;
use std::time::Instant;

use crate::Outcome;
use crate::paths::workspace_root;

/// A `cargo` command in the workspace root, using the cargo that runs xtask.
pub fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(args).current_dir(workspace_root());
    command
}

/// Runs `command`, printing it and how long it took; fails on a non-zero exit.
pub fn run_step(label: &str, mut command: Command) -> Outcome {
    println!("==> {label}");
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|err| format!("{label}: could not start: {err}"))?;
    println!("==> {label}: {:.1}s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{label} failed ({status})").into())
    }
}
