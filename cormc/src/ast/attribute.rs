//! Field attributes: `@default`, `@on_update`, `@unique`, `@validate`,
//! `@static`, `@cql`.

use super::{EnumValue, Ident, IntLit, Literal, NumberLit, Span, StringLit};

/// One `@…` attribute on a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Which attribute, with its arguments.
    pub kind: AttributeKind,
    /// The `@name` part.
    pub name_span: Span,
    /// The whole attribute, arguments included.
    pub span: Span,
}

impl Attribute {
    /// The attribute's name without `@`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self.kind {
            AttributeKind::Default(_) => "default",
            AttributeKind::OnUpdateNow { .. } => "on_update",
            AttributeKind::Unique { .. } => "unique",
            AttributeKind::Bucket => "bucket",
            AttributeKind::Masked(_) => "masked",
            AttributeKind::Validate(_) => "validate",
            AttributeKind::Static => "static",
            AttributeKind::Cql(_) => "cql",
            AttributeKind::Embed(_) => "embed",
            AttributeKind::Tenant => "tenant",
        }
    }
}

/// Which attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeKind {
    /// `@default(value)`
    Default(DefaultValue),
    /// `@on_update(now)`
    OnUpdateNow {
        /// The span of `now`.
        now: Span,
    },
    /// `@unique`, `@unique(lookup_table)`
    Unique {
        /// The name of the lookup table, when given.
        table: Option<Ident>,
    },
    /// `@bucket`: a partition key column that bounds the partition.
    Bucket,
    /// `@masked(function(args))`
    Masked(MaskCall),
    /// `@validate(rule, …)`
    Validate(Vec<ValidateRule>),
    /// `@static`
    Static,
    /// `@tenant`: the tenant id, leading the partition key.
    Tenant,
    /// `@cql("name")`
    Cql(StringLit),
    /// `@embed(field, …)`: the text fields a vector is computed from.
    Embed(Vec<Ident>),
}

/// The argument of `@default(…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultValue {
    /// Which value.
    pub kind: DefaultValueKind,
    /// Where it is.
    pub span: Span,
}

/// What `@default(…)` fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultValueKind {
    /// `uuid`: a random v4 UUID.
    Uuid,
    /// `timeuuid`: a v1 time UUID.
    Timeuuid,
    /// `now`: the current time (or a time UUID for `timeuuid` columns).
    Now,
    /// A literal.
    Literal(Literal),
    /// `Enum.variant`
    Enum(EnumValue),
}

/// One rule of `@validate(…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateRule {
    /// Which rule, with its arguments.
    pub kind: ValidateRuleKind,
    /// Where it is.
    pub span: Span,
}

/// The validation rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidateRuleKind {
    /// `email`
    Email,
    /// `url`
    Url,
    /// `not_empty`
    NotEmpty,
    /// `length(min, max)`, both inclusive.
    Length {
        /// Minimum length.
        min: IntLit,
        /// Maximum length.
        max: IntLit,
    },
    /// `range(min, max)`, both inclusive.
    Range {
        /// Lower bound.
        min: NumberLit,
        /// Upper bound.
        max: NumberLit,
    },
    /// `regex("…")`
    Regex(StringLit),
    /// `one_of(v, …)`
    OneOf(Vec<Literal>),
}

/// The masking function of `@masked(…)`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskCall {
    /// The function (`mask_default`, `mask_inner`, …, or a user-defined one).
    pub function: Ident,
    /// Its arguments.
    pub args: Vec<Literal>,
    /// The whole call.
    pub span: Span,
}
