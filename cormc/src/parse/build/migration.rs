//! Migration blocks: DDL statements kept as text, and `cql """…"""` steps.

use super::{Builder, P};
use crate::ast::{CqlStep, DdlStatement, DdlVerb, Ident, Migration, MigrationStep, UintLit};
use crate::parse::grammar::Rule;

impl Builder<'_> {
    pub(super) fn migration(&mut self, pair: P<'_>) -> Migration {
        let span = self.span(&pair);
        let mut migration = Migration {
            doc: None,
            number: UintLit { value: 0, span },
            name: Ident {
                name: String::new(),
                span,
            },
            steps: Vec::new(),
            span,
        };
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => migration.doc = Some(self.doc(p)),
                Rule::uint => migration.number = self.uint(&p),
                Rule::ident => migration.name = self.ident(&p),
                Rule::migration_body => body = Some(p),
                Rule::kw_migration => {}
                _ => self.unexpected(&p),
            }
        }
        let block = if migration.name.name.is_empty() {
            "`migration`".to_owned()
        } else {
            format!(
                "`migration {} {}`",
                migration.number.value, migration.name.name
            )
        };
        let Some(body) = body else {
            self.bug(span, "a migration without a body");
            return migration;
        };
        let mut open = span;
        for p in body.into_inner() {
            match p.as_rule() {
                Rule::lbrace => open = self.span(&p),
                Rule::migration_step => {
                    for step in p.into_inner() {
                        if let Some(step) = self.migration_step(step) {
                            migration.steps.push(step);
                        }
                    }
                }
                Rule::block_close => self.block_close(p, open, &block),
                _ => self.unexpected(&p),
            }
        }
        migration
    }

    fn migration_step(&mut self, step: P<'_>) -> Option<MigrationStep> {
        let span = self.span(&step);
        match step.as_rule() {
            Rule::ddl_statement => {
                let mut verb = None;
                let mut text_start = span.start;
                let mut text_end = span.end;
                for p in step.into_inner() {
                    match p.as_rule() {
                        Rule::ddl_verb => {
                            verb = match p.as_str().to_ascii_lowercase().as_str() {
                                "create" => Some(DdlVerb::Create),
                                "alter" => Some(DdlVerb::Alter),
                                "drop" => Some(DdlVerb::Drop),
                                _ => None,
                            };
                        }
                        Rule::ddl_text => text_end = self.span(&p).end,
                        Rule::ddl_end => {}
                        _ => self.unexpected(&p),
                    }
                }
                text_start = text_start.min(text_end);
                let Some(verb) = verb else {
                    self.bug(span, "a DDL statement without its verb");
                    return None;
                };
                let text_span = self.file.span(text_start, text_end);
                Some(MigrationStep::Ddl(DdlStatement {
                    verb,
                    text: self.file.slice(text_span).to_owned(),
                    text_span,
                    span,
                }))
            }
            Rule::cql_step => {
                let body = step.into_inner().find(|p| p.as_rule() == Rule::string);
                match body {
                    Some(body) => {
                        let body = self.string(body);
                        Some(MigrationStep::Cql(CqlStep { body, span }))
                    }
                    None => {
                        self.bug(span, "a `cql` step without its text");
                        None
                    }
                }
            }
            _ => {
                self.unexpected(&step);
                None
            }
        }
    }
}
