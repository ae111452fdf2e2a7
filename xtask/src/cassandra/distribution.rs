//! Fetching Cassandra's jars from Maven Central into the cache, once.
//!
//! `xtask/cassandra/pom.xml` names `org.apache.cassandra:cassandra-all`;
//! Maven's dependency plugin copies it and its runtime dependencies into a
//! temporary folder, which is renamed into place only when complete, so an
//! interrupted fetch is simply redone.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::{CASSANDRA_VERSION, report_phase};
use crate::Outcome;
use crate::paths::{cache_dir, workspace_root};

/// The folder holding every jar of the pinned release, fetched if missing.
pub fn lib_dir() -> Outcome<PathBuf> {
    let release = cache_dir().join(format!("cassandra-{CASSANDRA_VERSION}"));
    let lib = release.join("lib");
    if is_complete(&lib) {
        return Ok(lib);
    }
    let started = Instant::now();
    println!(
        "fetching Cassandra {CASSANDRA_VERSION} from Maven Central into {}",
        lib.display()
    );
    std::fs::create_dir_all(&release)
        .map_err(|err| format!("cannot create {}: {err}", release.display()))?;
    let partial = release.join("lib.partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .map_err(|err| format!("cannot clear {}: {err}", partial.display()))?;
    }
    let pom = workspace_root()
        .join("xtask")
        .join("cassandra")
        .join("pom.xml");
    let output = Command::new("mvn")
        .args(["--batch-mode", "--quiet", "--file"])
        .arg(&pom)
        .arg(format!("-Dcassandra.version={CASSANDRA_VERSION}"))
        .arg("-DincludeScope=runtime")
        .arg(format!("-DoutputDirectory={}", partial.display()))
        .arg("dependency:copy-dependencies")
        .output()
        .map_err(|err| format!("cannot run `mvn` (is Maven installed?): {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "Maven could not fetch Cassandra {CASSANDRA_VERSION} ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    if !is_complete(&partial) {
        return Err(format!(
            "Maven finished but {} holds no cassandra-all jar",
            partial.display()
        )
        .into());
    }
    std::fs::rename(&partial, &lib)
        .map_err(|err| format!("cannot move {} into place: {err}", partial.display()))?;
    report_phase("fetch", started);
    Ok(lib)
}

fn is_complete(lib: &Path) -> bool {
    lib.join(format!("cassandra-all-{CASSANDRA_VERSION}.jar"))
        .is_file()
}

/// The jamm agent jar in `lib`, if there is one.
pub fn jamm_agent(lib: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(lib).ok()?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("jamm-") && name.ends_with(".jar"))
        })
}
