//! A client-side aggregate's group key: the locals of a row read that
//! make it, each cloned into the key or moved, as the read loop builds it
//! (the templates' `expressions::group_key` writes it: the one part
//! alone, or a tuple).

use super::{Kind, ReadColumn};

/// A part of the group key: a local of the row read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPart {
    /// The local.
    pub local: String,
    /// Whether the key takes a clone (`add` or `new` reads the local too,
    /// and it is not `Copy`) rather than the local itself.
    pub cloned: bool,
}

/// The group key made of `key_locals`: the read loop passes references,
/// so a part that `add` or `new` also reads (`reads_local`) is cloned into
/// the key (copied, when `Copy`). Empty without `group by`.
pub(super) fn group_key(
    key_locals: &[String],
    columns: &[ReadColumn],
    reads_local: impl Fn(&str) -> bool,
) -> Vec<KeyPart> {
    let copied = |local: &str| {
        columns
            .iter()
            .any(|c| c.local == local && matches!(c.kind, Kind::Copy | Kind::Enum | Kind::Float))
    };
    key_locals
        .iter()
        .map(|local| KeyPart {
            local: local.clone(),
            cloned: reads_local(local) && !copied(local),
        })
        .collect()
}
