//! `saga` items: the input, the steps and their options.

use heck::ToSnakeCase;
use rustc_hash::FxHashMap;

use super::context::{Annotate, Context};
use super::fields::{Owner, resolve_fields};
use super::names::{Symbols, check_snake, check_upper_camel, unique_member};
use super::types::Place;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// The longest step timeout or lease: a day. A saga's step is a request
/// to a service, not a batch job; a longer one belongs in a job queue.
const MAX_MS: u64 = 86_400_000;

/// Checks one saga.
pub(super) fn check_saga(
    decl: &ast::Saga,
    symbols: &Symbols<'_>,
    udts: &[ir::Udt],
    ctx: &mut Context,
) -> Option<ir::Saga> {
    check_upper_camel(&decl.name, "saga", ctx);
    let input = match &decl.input {
        Some(input) => json_fields(
            &input.fields,
            ("a saga's input", "the input"),
            symbols,
            udts,
            ctx,
        ),
        None => Vec::new(),
    };
    if decl.steps.is_empty() {
        ctx.error(
            Code::MissingClause,
            format!("saga `{}` has no steps", decl.name.name),
            decl.name.span,
            "no `step`",
        )
        .help("add e.g. `step reserve_stock`");
        return None;
    }
    let mut seen = FxHashMap::default();
    let mut steps = Vec::new();
    let mut failed = false;
    for step in &decl.steps {
        if !unique_member(&mut seen, &step.name, "step", ctx) {
            continue;
        }
        check_snake(&step.name, "step", ctx);
        let returns = step.returns.as_ref().map(|returns| {
            let what = format!("the output of step `{}`", step.name.name);
            json_fields(
                &returns.fields,
                ("a step's output", &what),
                symbols,
                udts,
                ctx,
            )
        });
        let timeout_ms = match &step.timeout {
            Some(timeout) => millis(timeout, "a step's `timeout`", ctx).unwrap_or_else(|| {
                failed = true;
                ir::DEFAULT_STEP_TIMEOUT_MS
            }),
            None => ir::DEFAULT_STEP_TIMEOUT_MS,
        };
        let retries = match &step.retries {
            Some(retries) => match u32::try_from(retries.value) {
                Ok(n @ 0..=1000) => n,
                _ => {
                    ctx.error(
                        Code::InvalidValue,
                        "`retries` is at most 1000",
                        retries.span,
                        "out of range",
                    );
                    failed = true;
                    ir::DEFAULT_STEP_RETRIES
                }
            },
            None => ir::DEFAULT_STEP_RETRIES,
        };
        steps.push(ir::SagaStep {
            name: step.name.name.clone(),
            doc: step.doc.as_ref().map(|doc| doc.text.clone()),
            returns,
            timeout_ms,
            retries,
            span: step.span,
        });
    }
    let lease_ms = match &decl.lease {
        Some(lease) => millis(&lease.duration, "a saga's `lease`", ctx)?,
        None => ir::DEFAULT_LEASE_MS,
    };
    if failed {
        return None;
    }
    let snake = decl.name.name.to_snake_case();
    Some(ir::Saga {
        name: decl.name.name.clone(),
        doc: decl.doc.as_ref().map(|doc| doc.text.clone()),
        input,
        steps,
        lease_ms,
        log_table: format!("{snake}_saga"),
        open_table: format!("{snake}_saga_open"),
        span: decl.span,
    })
}

/// A duration of at least a millisecond and at most a day, in milliseconds.
fn millis(duration: &ast::DurationLit, what: &str, ctx: &mut Context) -> Option<u64> {
    match duration.as_millis() {
        Some(ms @ 1..=MAX_MS) => Some(ms),
        _ => {
            ctx.error(
                Code::InvalidValue,
                format!("{what} is at least `1ms` and at most `1d`"),
                duration.span,
                "out of range",
            );
            None
        }
    }
}

/// `fields` resolved, each with a JSON form (`owner`: what holds them, as
/// resolution names it, and as errors name it).
fn json_fields(
    fields: &[ast::Field],
    owner: (&'static str, &str),
    symbols: &Symbols<'_>,
    udts: &[ir::Udt],
    ctx: &mut Context,
) -> Vec<ir::Field> {
    let resolved = resolve_fields(fields, Owner::Other(owner.0), Place::Nested, symbols, ctx);
    json_only(&resolved, owner.1, udts, ctx);
    resolved
}

/// E1206 for the fields of `what` whose values have no JSON form: a
/// saga's input and outputs are stored as JSON.
fn json_only(fields: &[ir::Field], what: &str, udts: &[ir::Udt], ctx: &mut Context) {
    for field in fields {
        if let Some(reason) = crate::codegen::view::no_json(&field.ty, udts) {
            ctx.error(
                Code::NoJsonForm,
                format!("field `{}` of {what} can't be stored as JSON: {reason}", field.name),
                field.span,
                "no JSON form",
            )
            .help("a saga's input and step outputs are stored as JSON: use text, numbers, uuid, timestamp, date, time, blob, boolean, inet, enums, and collections of them");
        }
    }
}
