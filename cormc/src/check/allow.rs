//! `@allow(W1103, "reason")`: warnings a user has looked at and accepted.
//!
//! An `@allow` is a member of a model, query, aggregate, mutation, time
//! series or event store. It acknowledges every warning of its code whose primary
//! location lies inside that item: the warning leaves the checker's
//! diagnostics and is kept, with the reason, in [`Acknowledged`] (`cormc
//! check --acknowledged` lists them). Only warnings can be acknowledged;
//! an unknown code, an error's code or an empty reason is an error, and an
//! `@allow` that acknowledges nothing is W0605 (reported only when the
//! schema has no errors: the advisor does not run on one that has).

use std::collections::BTreeMap;

use crate::ast::{AllowClause, Item, Schema};
use crate::cql::suggest::closest;
use crate::diagnostics::{Code, Diagnostic, Severity, Span};

/// A warning that an `@allow` acknowledged.
#[derive(Debug, Clone)]
pub struct Acknowledged {
    /// The warning as the checker reported it.
    pub warning: Diagnostic,
    /// The reason the `@allow` gives.
    pub reason: String,
    /// The `@allow` clause.
    pub allow: Span,
}

impl Acknowledged {
    /// The warning with the `@allow` and its reason attached, for printing.
    #[must_use]
    pub fn annotated(&self) -> Diagnostic {
        self.warning
            .clone()
            .with_label(self.allow, "acknowledged here")
            .with_note(format!("acknowledged: {}", self.reason))
    }
}

/// One `@allow` whose code is a warning's, with the item it covers.
struct Allowance<'a> {
    clause: &'a AllowClause,
    code: Code,
    item: Span,
    item_name: String,
    used: bool,
}

/// Splits `diagnostics` into those still reported and those acknowledged,
/// adding the `@allow` clauses' own errors and W0605s to the first.
pub(super) fn acknowledge(
    schema: &Schema,
    diagnostics: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Acknowledged>) {
    let mut reported = Vec::with_capacity(diagnostics.len());
    let mut allowances = allowances(schema, &mut reported);
    let mut acknowledged = Vec::new();
    for diagnostic in diagnostics {
        let covering = (diagnostic.severity == Severity::Warning)
            .then(|| {
                allowances
                    .iter_mut()
                    .find(|a| a.code == diagnostic.code && within(diagnostic.span(), a.item))
            })
            .flatten();
        match covering {
            Some(allowance) => {
                allowance.used = true;
                acknowledged.push(Acknowledged {
                    warning: diagnostic,
                    reason: allowance.clause.reason.value.clone(),
                    allow: allowance.clause.span,
                });
            }
            None => reported.push(diagnostic),
        }
    }
    if !reported.iter().any(Diagnostic::is_error) {
        for allowance in allowances.iter().filter(|a| !a.used) {
            reported.push(
                Diagnostic::warning(
                    Code::UnusedAllow,
                    format!(
                        "`@allow({})` acknowledges no warning of {}",
                        allowance.code, allowance.item_name
                    ),
                    allowance.clause.span,
                    format!("{} is not reported here", allowance.code),
                )
                .with_help("remove it: the warning it was written for no longer applies"),
            );
        }
    }
    (reported, acknowledged)
}

/// The `@allow` clauses of every item, checked; their errors go to `out`.
fn allowances<'a>(schema: &'a Schema, out: &mut Vec<Diagnostic>) -> Vec<Allowance<'a>> {
    let mut allowances = Vec::new();
    for item in schema.items() {
        let (clauses, span) = match item {
            Item::Model(m) => (&m.allows, m.span),
            Item::Query(q) => (&q.allows, q.span),
            Item::Aggregate(a) => (&a.allows, a.span),
            Item::Mutation(m) => (&m.allows, m.span),
            Item::View(v) => (&v.allows, v.span),
            Item::TimeSeries(t) => (&t.allows, t.span),
            Item::Events(e) => (&e.allows, e.span),
            Item::Keyspace(_)
            | Item::Type(_)
            | Item::Enum(_)
            | Item::Saga(_)
            | Item::Migration(_) => continue,
        };
        let item_name = format!("{} `{}`", item.keyword(), item.name().name);
        let mut seen: BTreeMap<Code, Span> = BTreeMap::new();
        for clause in clauses {
            let Some(code) = warning_code(clause, out) else {
                continue;
            };
            if clause.reason.value.trim().is_empty() {
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`@allow({code})` gives no reason"),
                        clause.reason.span,
                        "empty",
                    )
                    .with_help("say why the warning does not apply here, for the next reader"),
                );
                continue;
            }
            if let Some(first) = seen.insert(code, clause.span) {
                out.push(
                    Diagnostic::error(
                        Code::DuplicateAttribute,
                        format!("`@allow({code})` is given twice in {item_name}"),
                        clause.span,
                        "again",
                    )
                    .with_label(first, "first here")
                    .with_help("keep one, with both reasons in its text"),
                );
                continue;
            }
            allowances.push(Allowance {
                clause,
                code,
                item: span,
                item_name: item_name.clone(),
                used: false,
            });
        }
    }
    allowances
}

/// The warning an `@allow` names, or its error in `out`.
fn warning_code(clause: &AllowClause, out: &mut Vec<Diagnostic>) -> Option<Code> {
    let written = clause.code.name.as_str();
    if let Some(code) = Code::WARNINGS.iter().find(|c| c.as_str() == written) {
        return Some(*code);
    }
    let looks_like_code = written.len() == 5
        && written[1..].bytes().all(|b| b.is_ascii_digit())
        && written.starts_with(['E', 'N']);
    let diagnostic = if looks_like_code {
        Diagnostic::error(
            Code::InvalidValue,
            format!("`{written}` is not a warning: only warnings can be acknowledged"),
            clause.code.span,
            "not a warning",
        )
        .with_help("an error stops generation until the schema is fixed; a note needs no `@allow`")
    } else {
        let warning = Diagnostic::error(
            Code::InvalidValue,
            format!("`{written}` is not a warning cormc reports"),
            clause.code.span,
            "unknown code",
        );
        match closest(written, Code::WARNINGS.iter().map(|c| c.as_str())) {
            Some(best) => warning.with_help(format!("did you mean `{best}`?")),
            None => warning.with_help(format!(
                "the warnings are {}",
                Code::WARNINGS
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    };
    out.push(diagnostic);
    None
}

/// Whether `inner` starts inside `outer`.
fn within(inner: Span, outer: Span) -> bool {
    inner.file == outer.file && outer.start <= inner.start && inner.start < outer.end
}
