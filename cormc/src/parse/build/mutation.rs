//! `mutation name on Model { set …|delete … where … if … }`.

use super::query::Head;
use super::{Builder, P, describe_block};
use crate::ast::{
    AssignOp, Assignment, DeleteClause, DeleteTarget, IfClause, IfKind, Mutation, Operand,
    SetClause,
};
use crate::parse::grammar::Rule;

impl Builder<'_> {
    pub(super) fn mutation(&mut self, pair: P<'_>) -> Mutation {
        let span = self.span(&pair);
        let Head {
            doc,
            name,
            target,
            body,
        } = self.head(pair, "a mutation");
        let mut mutation = Mutation {
            doc,
            name,
            target,
            set: None,
            delete: None,
            where_clause: None,
            if_clause: None,
            allows: Vec::new(),
            span,
        };
        let block = describe_block("mutation", &mutation.name);
        let Some(body) = body else {
            self.bug(span, "a mutation without a body");
            return mutation;
        };
        self.block_body(body, Rule::mutation_member, &block, |this, clause| {
            this.mutation_clause(clause, &mut mutation, &block);
        });
        mutation
    }

    fn mutation_clause(&mut self, clause: P<'_>, mutation: &mut Mutation, block: &str) {
        match clause.as_rule() {
            Rule::set_clause => {
                let span = self.span(&clause);
                let assignments = clause
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::assignment)
                    .filter_map(|p| self.assignment(p))
                    .collect();
                let set = SetClause { assignments, span };
                self.once(&mut mutation.set, set, "set", block);
            }
            Rule::delete_clause => {
                let span = self.span(&clause);
                let targets = clause
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::delete_target)
                    .filter_map(|p| self.delete_target(p))
                    .collect();
                let delete = DeleteClause { targets, span };
                self.once(&mut mutation.delete, delete, "delete", block);
            }
            Rule::where_clause => {
                let w = self.where_clause(clause);
                self.once(&mut mutation.where_clause, w, "where", block);
            }
            Rule::if_clause => {
                let span = self.span(&clause);
                let exists = clause
                    .clone()
                    .into_inner()
                    .any(|p| p.as_rule() == Rule::if_exists);
                let kind = if exists {
                    IfKind::Exists
                } else {
                    IfKind::Conditions(self.conditions(clause))
                };
                self.once(
                    &mut mutation.if_clause,
                    IfClause { kind, span },
                    "if",
                    block,
                );
            }
            Rule::allow_clause => mutation.allows.extend(self.allow_clause(clause)),
            _ => self.unexpected(&clause),
        }
    }

    /// `assignment = { ident ~ entry_key? ~ assign_op ~ operand }`
    fn assignment(&mut self, pair: P<'_>) -> Option<Assignment> {
        let span = self.span(&pair);
        let mut column = None;
        let mut entry = None;
        let mut op = None;
        let mut value = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => column = Some(self.ident(&p)),
                Rule::entry_key => entry = self.entry_key(p),
                Rule::assign_op => {
                    let op_span = self.span(&p);
                    let kind = match p.into_inner().next().map(|o| o.as_rule()) {
                        Some(Rule::op_add_assign) => AssignOp::Add,
                        Some(Rule::op_remove_assign) => AssignOp::Remove,
                        _ => AssignOp::Set,
                    };
                    op = Some((kind, op_span));
                }
                Rule::operand => value = self.operand(p),
                _ => self.unexpected(&p),
            }
        }
        let (Some(column), Some((op, op_span)), Some(value)) = (column, op, value) else {
            self.bug(span, "an incomplete assignment");
            return None;
        };
        Some(Assignment {
            column,
            entry,
            op,
            op_span,
            value,
            span,
        })
    }

    /// `delete_target = { ident ~ entry_key? }`
    fn delete_target(&mut self, pair: P<'_>) -> Option<DeleteTarget> {
        let span = self.span(&pair);
        let mut column = None;
        let mut entry = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => column = Some(self.ident(&p)),
                Rule::entry_key => entry = self.entry_key(p),
                _ => self.unexpected(&p),
            }
        }
        let Some(column) = column else {
            self.bug(span, "a delete target without a column");
            return None;
        };
        Some(DeleteTarget {
            column,
            entry,
            span,
        })
    }

    /// `entry_key = { lbracket ~ operand ~ rbracket }`
    pub(super) fn entry_key(&mut self, pair: P<'_>) -> Option<Operand> {
        pair.into_inner()
            .find(|p| p.as_rule() == Rule::operand)
            .and_then(|p| self.operand(p))
    }
}
