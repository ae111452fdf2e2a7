//! Field types: scalars, generics, named types, `T?`.

use super::{Ident, Span, UintLit};

/// A type as written, e.g. `map<text, frozen<list<int>>>?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExpr {
    /// The type without its `?`.
    pub kind: TypeKind,
    /// The span of `?` when the type is optional (`T?`).
    pub optional: Option<Span>,
    /// The whole type, including `?`.
    pub span: Span,
}

impl TypeExpr {
    /// Whether it is written `T?`.
    #[must_use]
    pub const fn is_optional(&self) -> bool {
        self.optional.is_some()
    }
}

/// The shape of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// A scalar (`text`, `uuid`, …) or a declared `type`/`enum`, by name;
    /// the checker resolves which.
    Named(Ident),
    /// `list<T>`
    List(Box<TypeExpr>),
    /// `set<T>`
    Set(Box<TypeExpr>),
    /// `map<K, V>`
    Map {
        /// `K`
        key: Box<TypeExpr>,
        /// `V`
        value: Box<TypeExpr>,
    },
    /// `tuple<A, B, …>`
    Tuple(Vec<TypeExpr>),
    /// `frozen<T>`
    Frozen(Box<TypeExpr>),
    /// `vector<T, N>`
    Vector {
        /// The element type (`float` in v0).
        element: Box<TypeExpr>,
        /// The dimension `N`.
        dimension: UintLit,
    },
}
