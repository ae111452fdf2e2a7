//! Pest pairs to AST nodes, one concept per module.
//!
//! The grammar guarantees the shape of every pair, so a missing or unexpected
//! child is a compiler bug: it becomes a [`Code::Internal`] diagnostic and a
//! placeholder node, never a panic. Errors the grammar lets through on
//! purpose (unknown attributes, unclosed blocks, duplicate clauses,
//! unterminated strings, numbers out of range) are reported here.

mod allow;
mod fields;
mod items;
mod literals;
mod migration;
mod model;
mod mutation;
mod options;
pub(super) mod query;

use pest::iterators::{Pair, Pairs};

use super::grammar::Rule;
use super::recovery;
use crate::ast::{self, Ident, Span};
use crate::diagnostics::{Code, Diagnostic, SourceFile};

/// A pest pair of the `.corm` grammar.
type P<'i> = Pair<'i, Rule>;

/// Builds AST nodes from the pairs of one file (or one chunk of it).
pub(super) struct Builder<'a> {
    file: &'a SourceFile,
    /// Byte offset of the parsed text in the file (non-zero for chunks).
    offset: usize,
    diagnostics: Vec<Diagnostic>,
    /// Set when an unterminated string ran to the end of the input: the
    /// blocks it swallowed are not reported as unclosed.
    swallowed_to_end: bool,
}

/// Things with a span, for duplicate-clause reports.
trait HasSpan {
    fn span(&self) -> Span;
}

impl<T: HasSpan> HasSpan for Box<T> {
    fn span(&self) -> Span {
        (**self).span()
    }
}

macro_rules! has_span {
    ($($t:ty),* $(,)?) => {
        $(impl HasSpan for $t {
            fn span(&self) -> Span {
                self.span
            }
        })*
    };
}

has_span!(
    ast::ReserveClause,
    ast::CacheClause,
    ast::SagaFields,
    ast::LeaseClause,
    ast::DurationLit,
    ast::UintLit,
    ast::KeyClause,
    ast::NearestClause,
    ast::TableClause,
    ast::TtlClause,
    ast::ChangesClause,
    ast::CompactionClause,
    ast::OptionsClause,
    ast::Replication,
    ast::DurableWrites,
    ast::TenancyClause,
    ast::WhereClause,
    ast::OrderClause,
    ast::LimitClause,
    ast::AllowFiltering,
    ast::GroupBy,
    ast::Select,
    ast::Having,
    ast::SeriesClause,
    ast::BucketClause,
    ast::RateClause,
    ast::SnapshotClause,
    ast::SetClause,
    ast::QuerySelect,
    ast::DeleteClause,
    ast::IfClause,
);

impl<'a> Builder<'a> {
    /// A builder for text that starts at `offset` in `file`.
    pub(super) fn new(file: &'a SourceFile, offset: usize) -> Self {
        Self {
            file,
            offset,
            diagnostics: Vec::new(),
            swallowed_to_end: false,
        }
    }

    /// The diagnostics reported while building.
    pub(super) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Builds the items of a `schema` parse.
    pub(super) fn schema(&mut self, pairs: Pairs<'_, Rule>) -> Vec<ast::Item> {
        let mut items = Vec::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::schema => {
                    for child in pair.into_inner() {
                        match child.as_rule() {
                            Rule::item => {
                                if let Some(item) = self.item(child) {
                                    items.push(item);
                                }
                            }
                            Rule::EOI => {}
                            _ => self.unexpected(&child),
                        }
                    }
                }
                _ => self.unexpected(&pair),
            }
        }
        items
    }

    fn item(&mut self, pair: P<'_>) -> Option<ast::Item> {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            self.bug(span, "an empty item");
            return None;
        };
        Some(match inner.as_rule() {
            Rule::keyspace_decl => ast::Item::Keyspace(self.keyspace(inner)),
            Rule::type_decl => ast::Item::Type(self.type_decl(inner)),
            Rule::enum_decl => ast::Item::Enum(self.enum_decl(inner)),
            Rule::model_decl => ast::Item::Model(self.model(inner)),
            Rule::query_decl => ast::Item::Query(self.query(inner)),
            Rule::aggregate_decl => ast::Item::Aggregate(self.aggregate(inner)),
            Rule::mutation_decl => ast::Item::Mutation(self.mutation(inner)),
            Rule::view_decl => ast::Item::View(self.view(inner)),
            Rule::timeseries_decl => ast::Item::TimeSeries(self.timeseries(inner)),
            Rule::events_decl => ast::Item::Events(self.events(inner)),
            Rule::saga_decl => ast::Item::Saga(self.saga(inner)),
            Rule::migration_decl => ast::Item::Migration(self.migration(inner)),
            _ => {
                self.unexpected(&inner);
                return None;
            }
        })
    }

    // ───────────── spans and reports ─────────────

    /// The file span of a pair, without the whitespace and comments pest
    /// skipped at its end (an optional part that did not match leaves them
    /// inside the pair).
    fn span(&self, pair: &P<'_>) -> Span {
        let start = pair.as_span().start();
        // Fast path: no trivia can end a pair whose text ends in neither
        // whitespace nor a comment (checked on its last line).
        let text = pair.as_str();
        let last_line = text.rsplit('\n').next().unwrap_or(text);
        if !text.ends_with(|c: char| c.is_whitespace())
            && !last_line.contains("//")
            && !last_line.contains("*/")
        {
            return self
                .file
                .span(self.offset + start, self.offset + pair.as_span().end());
        }
        // The ends along the chain of last children, outermost first.
        let mut ends = vec![pair.as_span().end()];
        let mut current = pair.clone();
        // Empty children (lookahead-only rules like `no_args`) sit after
        // the skipped whitespace, so they are passed over.
        while let Some(last) = current
            .clone()
            .into_inner()
            .filter(|p| !p.as_str().is_empty())
            .last()
        {
            ends.push(last.as_span().end());
            current = last;
        }
        let text = pair.get_input();
        let mut end = ends.pop().unwrap_or(start);
        while let Some(outer) = ends.pop() {
            if recovery::skip_trivia(text, end) < outer {
                end = outer;
            }
        }
        self.file
            .span(self.offset + start, self.offset + end.max(start))
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a compiler bug: the grammar and the builder disagree.
    fn bug(&mut self, span: Span, what: &str) {
        self.error(
            Diagnostic::error(
                Code::Internal,
                format!("internal compiler error: {what}"),
                span,
                "while reading this",
            )
            .with_help("this is a bug in cormc; please report it with the input"),
        );
    }

    fn unexpected(&mut self, pair: &P<'_>) {
        let span = self.span(pair);
        self.bug(
            span,
            &format!("unexpected grammar rule {:?}", pair.as_rule()),
        );
    }

    /// A placeholder name for a node whose name the grammar failed to give.
    fn missing_ident(&mut self, span: Span, what: &str) -> Ident {
        self.bug(span, &format!("{what} without a name"));
        Ident {
            name: String::new(),
            span,
        }
    }

    /// Stores a clause that may appear once per block; reports a second one.
    fn once<T: HasSpan>(&mut self, slot: &mut Option<T>, value: T, clause: &str, block: &str) {
        match slot {
            None => *slot = Some(value),
            Some(first) => {
                let first_span = first.span();
                self.error(
                    Diagnostic::error(
                        Code::DuplicateClause,
                        format!("`{clause}` is given twice in {block}"),
                        value.span(),
                        format!("second `{clause}`"),
                    )
                    .with_label(first_span, format!("first `{clause}` here"))
                    .with_help(format!(
                        "each clause may appear at most once in a block; remove one `{clause}`"
                    )),
                );
            }
        }
    }

    /// Walks a `{ … }` body: remembers where it opened, hands every pair
    /// inside a `member_rule` pair to `member`, and reports a missing `}`
    /// for `block` (e.g. ``"`model User`"``).
    fn block_body(
        &mut self,
        body: P<'_>,
        member_rule: Rule,
        block: &str,
        mut member: impl FnMut(&mut Self, P<'_>),
    ) {
        let mut open = self.span(&body);
        for p in body.into_inner() {
            match p.as_rule() {
                Rule::lbrace => open = self.span(&p),
                Rule::block_close => self.block_close(p, open, block),
                rule if rule == member_rule => {
                    for inner in p.into_inner() {
                        member(self, inner);
                    }
                }
                _ => self.unexpected(&p),
            }
        }
    }

    /// Handles the `block_close` of a block opened by `open` (the `{` span)
    /// for `what` (e.g. ``"`model User`"``).
    fn block_close(&mut self, pair: P<'_>, open: Span, what: &str) {
        let close_span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            self.bug(close_span, "an empty block end");
            return;
        };
        match inner.as_rule() {
            Rule::rbrace => {}
            Rule::unclosed => {
                let at = self.span(&inner).start;
                let text = self.file.text();
                if at >= text.len() && self.swallowed_to_end {
                    return;
                }
                let opened = self.file.line_col(open.start);
                let next = recovery::skip_trivia(text, at);
                let (primary, label) = if next >= text.len() {
                    let end = recovery::previous_token_end(text, text.len());
                    (self.file.span(end, end), "the file ends here".to_owned())
                } else {
                    let end = recovery::token_end(text, next);
                    (
                        self.file.span(next, end),
                        "the next item starts here".to_owned(),
                    )
                };
                self.error(
                    Diagnostic::error(
                        Code::UnclosedBlock,
                        format!("missing `}}` for {what} opened at {opened}"),
                        primary,
                        label,
                    )
                    .with_label(open, format!("{what} opened here"))
                    .with_help(format!("add `}}` to close {what}")),
                );
            }
            _ => self.unexpected(&inner),
        }
    }
}

/// `the model `User``-style description of a block for messages.
fn describe_block(keyword: &str, name: &Ident) -> String {
    if name.name.is_empty() {
        format!("`{keyword}`")
    } else {
        format!("`{keyword} {}`", name.name)
    }
}
