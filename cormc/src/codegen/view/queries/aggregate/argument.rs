//! How a client-side aggregate's read loop passes a column it read (a
//! local) to its running totals' `new` and `add`: written by the
//! templates' `expressions::arguments`.

/// A local passed as an argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// The local's name.
    pub local: String,
    /// How it is passed.
    pub pass: Pass,
}

/// How a local is passed: borrowed, or an `Option` of a borrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// `&local`.
    Ref,
    /// `local.as_deref()`: an `Option<String>` as an `Option<&str>`, or a
    /// blob's as an `Option<&[u8]>`.
    AsDeref,
    /// `local.as_ref()`: an `Option<T>` as an `Option<&T>`.
    AsRef,
}

impl Argument {
    /// `local`, passed as `pass` says.
    pub(super) fn new(local: &str, pass: Pass) -> Self {
        Self {
            local: local.to_owned(),
            pass,
        }
    }
}
