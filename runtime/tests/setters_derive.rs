//! `corm::rt::Setters`, the derive of a generated patch's setters: one per
//! field, each setting only its own field, an optional column's setter
//! taking the `Option` it writes (`None` writes a null).

#![allow(clippy::unwrap_used, missing_docs)]

use corm::rt;

#[derive(Debug, Default, PartialEq, rt::Setters)]
struct Patch {
    /// The title.
    title: Option<String>,
    count: Option<i32>,
    nickname: Option<Option<String>>,
    r#type: Option<std::collections::BTreeSet<String>>,
}

#[derive(Debug, Default, PartialEq, rt::Setters)]
struct OneField {
    only: Option<i64>,
}

#[test]
fn each_setter_sets_its_own_field_only() {
    let patch = Patch::default().title("t".to_owned()).count(3);
    assert_eq!(
        patch,
        Patch {
            title: Some("t".to_owned()),
            count: Some(3),
            nickname: None,
            r#type: None,
        }
    );
    // An optional column's setter takes what it writes: a null is `None`.
    let patch = patch.nickname(None).r#type(["a".to_owned()].into());
    assert_eq!(patch.nickname, Some(None));
    assert_eq!(patch.r#type, Some(["a".to_owned()].into()));
    // A later call replaces an earlier one.
    assert_eq!(patch.count(4).count, Some(4));
    assert_eq!(OneField::default().only(7), OneField { only: Some(7) });
}
