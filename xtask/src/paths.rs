//! Where things live: the workspace root and the cache outside the repo.

use std::path::PathBuf;

/// The workspace root (the folder above `xtask/`).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.clone(), PathBuf::from)
}

/// The workspace's target folder (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| workspace_root().join("target"), absolute)
}

/// The cache that outlives clones: `$CORM_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/corm`, else `~/.cache/corm`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CORM_CACHE_DIR") {
        return absolute(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return absolute(PathBuf::from(dir)).join("corm");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache").join("corm"),
        None => target_dir().join("corm-cache"),
    }
}

/// `path` made absolute against the current folder.
pub fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        return path;
    }
    std::env::current_dir().map_or(path.clone(), |dir| dir.join(path))
}
