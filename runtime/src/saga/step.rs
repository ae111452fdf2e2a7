//! What a step receives ([`StepContext`]) and how it fails ([`StepError`]).

use uuid::Uuid;

/// What one attempt of a step (or of its compensation) is given.
#[derive(Debug)]
pub struct StepContext<'a, I, O> {
    pub(super) saga_id: Uuid,
    pub(super) step: &'static str,
    pub(super) attempt: u32,
    pub(super) input: &'a I,
    pub(super) outputs: &'a O,
}

impl<I, O> StepContext<'_, I, O> {
    /// The saga's id.
    pub fn saga_id(&self) -> Uuid {
        self.saga_id
    }

    /// The step's name.
    pub fn step(&self) -> &'static str {
        self.step
    }

    /// Which attempt this is, from 1 (attempts count separately for the
    /// step and for its compensation, and restart after a takeover).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// `<saga id>/<step>`: the same for every attempt of the step and of
    /// its compensation, whichever runner makes it. Key the step's effect
    /// by it, so that an attempt after one that may have taken effect does
    /// not take effect twice, and its compensation finds what to undo.
    pub fn idempotency_key(&self) -> String {
        format!("{}/{}", self.saga_id, self.step)
    }

    /// The saga's input.
    pub fn input(&self) -> &I {
        self.input
    }

    /// The outputs of the steps that completed before this one.
    pub fn outputs(&self) -> &O {
        self.outputs
    }
}

/// Why an attempt failed: worth retrying (the default for any error
/// converted with `?`), or final, so the saga compensates at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    message: String,
    retry: bool,
}

impl StepError {
    /// A failure another attempt may not have (a timeout, an unavailable
    /// service): retried up to the step's `retries`.
    pub fn transient(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            retry: true,
        }
    }

    /// A failure no attempt will escape (a closed account, a card
    /// refused): the saga compensates without retrying.
    pub fn permanent(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            retry: false,
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether another attempt is worth making.
    pub fn is_transient(&self) -> bool {
        self.retry
    }
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Any error converts to a transient failure, so `?` works in steps.
impl<E: std::error::Error> From<E> for StepError {
    fn from(error: E) -> Self {
        Self::transient(error)
    }
}
