//! Saga {{ saga.plain }}: its input and step outputs (stored as JSON in its
//! log), the trait of its steps, which the application implements, and
//! [`{{ saga.ident }}`], which `corm::saga::SagaRunner` runs.

{% macro serde_fields(fields) %}
{% for field in fields.iter() %}
{% for line in field.doc %}
    ///{{ line }}
{% endfor %}
{% if field.optional %}
    #[serde(default)]
{% endif %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
{% endmacro %}
use std::future::Future;

use corm::serde;
{% if has_types %}
use super::types::*;
{% endif %}

/// The input of saga `{{ saga.plain }}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(crate = "corm::serde")]
pub struct {{ saga.input }} {
{% call serde_fields(saga.input_fields) %}{% endcall %}
}
{% for step in saga.steps %}
{% if let Some(output) = step.output %}

/// What step `{{ step.plain }}` of saga `{{ saga.plain }}` gives the steps after it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(crate = "corm::serde")]
pub struct {{ output }} {
{% call serde_fields(step.output_fields) %}{% endcall %}
}
{% endif %}
{% endfor %}

/// The outputs of the steps of saga `{{ saga.plain }}` that have completed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(crate = "corm::serde")]
pub struct {{ saga.outputs }} {
{% for step in saga.steps %}
{% if let Some(output) = step.output %}
    /// Step `{{ step.plain }}`'s output, once it has completed.
    #[serde(default)]
    pub {{ step.field }}: Option<{{ output }}>,
{% endif %}
{% endfor %}
}

/// What one attempt of a step of saga `{{ saga.plain }}` is given.
pub type {{ saga.context }}<'a> = corm::saga::StepContext<'a, {{ saga.input }}, {{ saga.outputs }}>;

{% for line in saga.doc %}
///{{ line }}
{% endfor %}
///
/// Implemented by the application; run by `corm::saga::SagaRunner` (from
/// the `Db`), which logs every attempt. An attempt may be made again after
/// one that took effect (a timeout, a runner that stopped), always with
/// the same [`idempotency_key`](corm::saga::StepContext::idempotency_key):
/// make each step and each compensation idempotent by it. A compensation
/// runs for every step that was attempted, the failed one included, and
/// must accept a step that did not take effect.
pub trait {{ saga.steps_trait }}: Send + Sync + 'static {
{% for step in saga.steps %}
{% for line in step.doc %}
    ///{{ line }}
{% endfor %}
    ///
    /// Each attempt may take {{ step.timeout_ms }} ms; {{ step.retries }} retries.
    fn {{ step.run }}(
        &self,
        context: &{{ saga.context }}<'_>,
    ) -> impl Future<Output = Result<{% if let Some(output) = step.output %}{{ output }}{% else %}(){% endif %}, corm::saga::StepError>> + Send;

    /// Undoes step `{{ step.plain }}`, which may or may not have taken effect.
    fn {{ step.compensate }}(
        &self,
        context: &{{ saga.context }}<'_>,
    ) -> impl Future<Output = Result<(), corm::saga::StepError>> + Send;
{% endfor %}
}

/// The tables and steps of saga `{{ saga.plain }}`.
pub(super) const SPEC: corm::saga::SagaSpec = corm::saga::SagaSpec {
    name: {{ saga.name }},
    log_table: {{ saga.log_table }},
    open_table: {{ saga.open_table }},
    lease: std::time::Duration::from_millis({{ saga.lease_ms }}),
    steps: &[
{% for step in saga.steps %}
        corm::saga::StepSpec {
            name: {{ step.name }},
            timeout: std::time::Duration::from_millis({{ step.timeout_ms }}),
            retries: {{ step.retries }},
        },
{% endfor %}
    ],
};

/// Saga `{{ saga.plain }}` with the application's steps `S`.
#[derive(Debug, Clone)]
pub struct {{ saga.ident }}<S>(pub S);

impl<S: {{ saga.steps_trait }}> corm::saga::Saga for {{ saga.ident }}<S> {
    type Input = {{ saga.input }};
    type Outputs = {{ saga.outputs }};

    const SPEC: corm::saga::SagaSpec = SPEC;

    async fn run_step(
        &self,
        step: usize,
        context: &{{ saga.context }}<'_>,
    ) -> Result<{{ saga.outputs }}, corm::saga::StepError> {
{% if saga.has_outputs() %}
        let mut outputs = context.outputs().clone();
{% else %}
        let outputs = context.outputs().clone();
{% endif %}
        match step {
{% for step in saga.steps %}
{% if step.output.is_some() %}
            {{ loop.index0 }} => outputs.{{ step.field }} = Some(self.0.{{ step.run }}(context).await?),
{% else %}
            {{ loop.index0 }} => self.0.{{ step.run }}(context).await?,
{% endif %}
{% endfor %}
            _ => return Err(no_step(step)),
        }
        Ok(outputs)
    }

    async fn compensate_step(
        &self,
        step: usize,
        context: &{{ saga.context }}<'_>,
    ) -> Result<(), corm::saga::StepError> {
        match step {
{% for step in saga.steps %}
            {{ loop.index0 }} => self.0.{{ step.compensate }}(context).await,
{% endfor %}
            _ => Err(no_step(step)),
        }
    }
}

fn no_step(step: usize) -> corm::saga::StepError {
    corm::saga::StepError::permanent(format!("saga `{{ saga.plain }}` has no step {step}"))
}
