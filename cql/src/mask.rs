//! Dynamic data masking (Cassandra 5.0): the function a column is masked
//! with, as `MASKED WITH fn(args)` writes it.

use std::fmt;

/// `masked with fn(arg, …)` on a column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mask {
    /// The function: `mask_default`, `mask_inner`, … (lower case), or a
    /// user-defined function as written (`ks.my_mask`).
    pub function: String,
    /// The arguments as CQL literals (`1`, `'#'`), in order.
    pub args: Vec<String>,
}

/// The masking functions Cassandra 5.0 ships, with how many arguments each
/// takes (a range).
pub const MASK_FUNCTIONS: &[(&str, usize, usize)] = &[
    ("mask_default", 0, 0),
    ("mask_hash", 0, 1),
    ("mask_inner", 2, 3),
    ("mask_null", 0, 0),
    ("mask_outer", 2, 3),
    ("mask_replace", 1, 1),
];

impl Mask {
    /// The same mask as Cassandra compares it: built-in names in lower
    /// case, string arguments as written, numbers by value.
    #[must_use]
    pub fn normalized(&self) -> Self {
        let builtin = MASK_FUNCTIONS
            .iter()
            .any(|(name, ..)| name.eq_ignore_ascii_case(&self.function));
        Self {
            function: if builtin {
                self.function.to_ascii_lowercase()
            } else {
                self.function.clone()
            },
            args: self
                .args
                .iter()
                .map(|arg| match arg.parse::<i64>() {
                    Ok(n) => n.to_string(),
                    Err(_) => arg.clone(),
                })
                .collect(),
        }
    }
}

impl fmt::Display for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.function, self.args.join(", "))
    }
}
