//! The clauses of a `mutation`: `set`, `delete` and `if` (its `where` is a
//! query's).

use super::printer::Printer;
use crate::ast::{Assignment, DeleteClause, IfClause, IfKind, Operand, SetClause};

impl Printer<'_> {
    /// `set a = ?x, tags += ?more, m[?k] = ?v`
    pub(super) fn set_clause(&mut self, clause: &SetClause) {
        self.keyword_at("set", clause.span);
        for (i, assignment) in clause.assignments.iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            self.sp();
            self.assignment(assignment);
        }
    }

    fn assignment(&mut self, assignment: &Assignment) {
        self.tok(&assignment.column.name, assignment.column.span);
        self.entry_key(assignment.entry.as_ref());
        self.sp();
        self.tok(assignment.op.as_str(), assignment.op_span);
        self.sp();
        self.operand(&assignment.value);
    }

    /// `delete`, `delete a, m[?k]`
    pub(super) fn delete_clause(&mut self, clause: &DeleteClause) {
        self.keyword_at("delete", clause.span);
        for (i, target) in clause.targets.iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            self.sp();
            self.tok(&target.column.name, target.column.span);
            self.entry_key(target.entry.as_ref());
        }
    }

    /// `[?key]` after a column, if any.
    fn entry_key(&mut self, entry: Option<&Operand>) {
        if let Some(key) = entry {
            self.punct("[");
            self.operand(key);
            self.punct("]");
        }
    }

    /// `if exists`, `if a = ?x and …`
    pub(super) fn if_clause(&mut self, clause: &IfClause) {
        self.keyword_at("if", clause.span);
        match &clause.kind {
            IfKind::Exists => self.kw("exists"),
            IfKind::Conditions(conditions) => self.conditions(conditions),
        }
    }
}
