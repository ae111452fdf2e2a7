//! `saga Name { input { … }  step a returns { … } timeout 5s retries 3  lease 10s }`.

use super::{Doc, DurationLit, Field, Ident, Span, UintLit};

/// A saga: steps with compensations, run durably.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saga {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The saga's name.
    pub name: Ident,
    /// `input { fields }`
    pub input: Option<SagaFields>,
    /// The steps, in order.
    pub steps: Vec<SagaStep>,
    /// `lease <duration>`
    pub lease: Option<LeaseClause>,
    /// The whole item.
    pub span: Span,
}

/// `input { fields }`, `returns { fields }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaFields {
    /// The fields.
    pub fields: Vec<Field>,
    /// The whole clause, keyword to `}`.
    pub span: Span,
}

/// `step name returns { fields } timeout 5s retries 3`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaStep {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The step's name.
    pub name: Ident,
    /// `returns { fields }`: what the step's run gives later steps.
    pub returns: Option<SagaFields>,
    /// `timeout <duration>`: how long one attempt may take.
    pub timeout: Option<DurationLit>,
    /// `retries N`: attempts after a failed first one.
    pub retries: Option<UintLit>,
    /// The whole step.
    pub span: Span,
}

/// `lease <duration>`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseClause {
    /// How long a runner's hold outlasts a step's timeout.
    pub duration: DurationLit,
    /// The whole clause.
    pub span: Span,
}
