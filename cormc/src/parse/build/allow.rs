//! `@allow(W1103, "reason")`, a member of models, queries, aggregates,
//! time series and event stores.

use super::{Builder, P};
use crate::ast::AllowClause;
use crate::parse::grammar::Rule;

impl Builder<'_> {
    /// `allow_clause = { attr_allow ~ lparen ~ ident ~ allow_comma ~ string ~ rparen }`
    pub(super) fn allow_clause(&mut self, pair: P<'_>) -> Option<AllowClause> {
        let span = self.span(&pair);
        let mut code = None;
        let mut reason = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => code = Some(self.ident(&p)),
                Rule::string => reason = Some(self.string(p)),
                Rule::attr_allow | Rule::lparen | Rule::allow_comma | Rule::rparen => {}
                _ => self.unexpected(&p),
            }
        }
        match (code, reason) {
            (Some(code), Some(reason)) => Some(AllowClause { code, reason, span }),
            _ => {
                self.bug(span, "`@allow` without a code or a reason");
                None
            }
        }
    }
}
