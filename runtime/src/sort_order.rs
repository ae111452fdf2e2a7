//! The direction of a read over a clustering column.

/// The direction of a read over a clustering column, as in CQL's
/// `ORDER BY column ASC|DESC` (whatever the table's clustering order).
/// Named so that it does not clash with a model called `Order`.
///
/// ```
/// assert_eq!(corm::SortOrder::Asc.as_cql(), "ASC");
/// assert_eq!(corm::SortOrder::Desc.reversed(), corm::SortOrder::Asc);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

impl SortOrder {
    /// `ASC` or `DESC`.
    pub const fn as_cql(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }

    /// The other direction.
    #[must_use]
    pub const fn reversed(self) -> Self {
        match self {
            Self::Asc => Self::Desc,
            Self::Desc => Self::Asc,
        }
    }
}
