//! The view of a saga's file: its input and step outputs, the steps trait
//! the application implements, the wrapper that runs it, and its `Db`
//! accessor.

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::doc::doc_lines;
use super::ident::{bare, field_ident, type_ident};
use super::items::{FieldView, field_view};
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir;

/// One step of a saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    /// Doc lines of its `run_` method.
    pub doc: Vec<String>,
    /// Its name, as a Rust string literal.
    pub name: String,
    /// Its name as written (for docs).
    pub plain: String,
    /// The field of the outputs struct that holds its output.
    pub field: String,
    /// `run_<step>`
    pub run: String,
    /// `compensate_<step>`
    pub compensate: String,
    /// The struct of its output (`None`: it returns nothing).
    pub output: Option<String>,
    /// The output's fields.
    pub output_fields: Vec<FieldView>,
    /// One attempt's timeout, in milliseconds.
    pub timeout_ms: u64,
    /// Attempts after a failed first one.
    pub retries: u32,
}

/// One saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaView {
    /// Doc lines of the steps trait.
    pub doc: Vec<String>,
    /// The saga's name, as a Rust string literal.
    pub name: String,
    /// The saga's name as written (for docs).
    pub plain: String,
    /// The wrapper implementing `corm::saga::Saga` (`{Name}Saga`).
    pub ident: String,
    /// The trait of the steps (`{Name}Steps`).
    pub steps_trait: String,
    /// The input struct (`{Name}Input`).
    pub input: String,
    /// The outputs struct (`{Name}Outputs`).
    pub outputs: String,
    /// The step context alias (`{Name}Context`).
    pub context: String,
    /// The `Db` method and the module (the name in snake_case).
    pub accessor: String,
    /// The input's fields.
    pub input_fields: Vec<FieldView>,
    /// The steps, in order.
    pub steps: Vec<StepView>,
    /// The log table, as a Rust string literal.
    pub log_table: String,
    /// The open list, as a Rust string literal.
    pub open_table: String,
    /// `lease`, in milliseconds.
    pub lease_ms: u64,
}

impl SagaView {
    /// Whether some step returns an output.
    #[must_use]
    pub fn has_outputs(&self) -> bool {
        self.steps.iter().any(|step| step.output.is_some())
    }

    /// The names the saga's module exports.
    #[must_use]
    pub fn exported(&self) -> Vec<String> {
        let mut names = vec![
            self.input.clone(),
            self.outputs.clone(),
            self.context.clone(),
            self.steps_trait.clone(),
            self.ident.clone(),
        ];
        names.extend(self.steps.iter().filter_map(|step| step.output.clone()));
        names
    }
}

/// The view of `saga`.
///
/// # Errors
/// [`CodegenError::Unsupported`] for a field type with no Rust mapping.
pub fn saga_view(saga: &ir::Saga) -> Result<SagaView, CodegenError> {
    let accessor = field_ident(&saga.name.to_snake_case());
    if super::generated_names::RESERVED_MODULES.contains(&bare(&accessor)) {
        return Err(CodegenError::Unsupported {
            what: format!("saga `{}`", saga.name),
            reason: format!(
                "its module `{accessor}` (the file `{}.rs`) clashes with a generated module",
                bare(&accessor)
            ),
        });
    }
    let stem = type_ident(&saga.name);
    let stem = bare(&stem).to_owned();
    let input_fields = saga
        .input
        .iter()
        .map(|field| field_view(&format!("{}.input", saga.name), field))
        .collect::<Result<_, _>>()?;
    let mut steps = Vec::new();
    for step in &saga.steps {
        let snake = step.name.to_snake_case();
        let output = step
            .returns
            .as_ref()
            .map(|_| format!("{stem}{}Output", step.name.to_upper_camel_case()));
        let output_fields = step
            .returns
            .iter()
            .flatten()
            .map(|field| field_view(&format!("{}.{}", saga.name, step.name), field))
            .collect::<Result<_, _>>()?;
        steps.push(StepView {
            doc: doc_lines(step.doc.as_deref(), &format!("Runs step `{}`.", step.name)),
            name: format!("{:?}", step.name),
            plain: step.name.clone(),
            field: field_ident(&snake),
            run: format!("run_{snake}"),
            compensate: format!("compensate_{snake}"),
            output,
            output_fields,
            timeout_ms: step.timeout_ms,
            retries: step.retries,
        });
    }
    Ok(SagaView {
        doc: doc_lines(
            saga.doc.as_deref(),
            &format!("The steps of saga `{}`.", saga.name),
        ),
        name: format!("{:?}", saga.name),
        plain: saga.name.clone(),
        ident: format!("{stem}Saga"),
        steps_trait: format!("{stem}Steps"),
        input: format!("{stem}Input"),
        outputs: format!("{stem}Outputs"),
        context: format!("{stem}Context"),
        accessor,
        input_fields,
        steps,
        log_table: format!("{:?}", quote(&saga.log_table)),
        open_table: format!("{:?}", quote(&saga.open_table)),
        lease_ms: saga.lease_ms,
    })
}
