//! Queries and aggregates, and the clauses they share.

use super::{Builder, P, describe_block};
use crate::ast::{
    Aggregate, AggregateArg, AggregateFn, AggregateFnKind, AllowFiltering, CellRead, Condition,
    GroupBy, Having, Ident, LimitClause, LimitValue, NearestClause, Operand, OperandKind, Operator,
    OperatorKind, OrderClause, OrderItem, Query, QuerySelect, Select, SelectColumn, SelectItem,
    Span, WhereClause,
};
use crate::parse::grammar::Rule;

/// The name, target and body of a `query`/`aggregate`/`mutation` declaration.
pub(super) struct Head<'i> {
    pub(super) doc: Option<crate::ast::Doc>,
    pub(super) name: Ident,
    pub(super) target: Ident,
    pub(super) body: Option<P<'i>>,
}

impl Builder<'_> {
    pub(super) fn head<'i>(&mut self, pair: P<'i>, what: &str) -> Head<'i> {
        let span = self.span(&pair);
        let mut doc = None;
        let mut names = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.doc(p)),
                Rule::ident => names.push(self.ident(&p)),
                Rule::query_body | Rule::aggregate_body | Rule::mutation_body => body = Some(p),
                Rule::kw_query | Rule::kw_aggregate | Rule::kw_mutation | Rule::kw_on => {}
                _ => self.unexpected(&p),
            }
        }
        let mut names = names.into_iter();
        let name = names
            .next()
            .unwrap_or_else(|| self.missing_ident(span, what));
        let target = names
            .next()
            .unwrap_or_else(|| self.missing_ident(span, what));
        Head {
            doc,
            name,
            target,
            body,
        }
    }

    pub(super) fn query(&mut self, pair: P<'_>) -> Query {
        let span = self.span(&pair);
        let head = self.head(pair, "a query");
        let mut query = Query {
            doc: head.doc,
            name: head.name,
            target: head.target,
            select: None,
            where_clause: None,
            nearest: None,
            order: None,
            per_partition_limit: None,
            limit: None,
            allow_filtering: None,
            cache: None,
            allows: Vec::new(),
            span,
        };
        let block = describe_block("query", &query.name);
        let Some(body) = head.body else {
            self.bug(span, "a query without a body");
            return query;
        };
        self.block_body(
            body,
            Rule::query_member,
            &block,
            |this, clause| match clause.as_rule() {
                Rule::query_select => {
                    let select = this.query_select(clause);
                    this.once(&mut query.select, select, "select", &block);
                }
                Rule::where_clause => {
                    let w = this.where_clause(clause);
                    this.once(&mut query.where_clause, w, "where", &block);
                }
                Rule::nearest_clause => {
                    if let Some(n) = this.nearest_clause(clause) {
                        this.once(&mut query.nearest, n, "nearest", &block);
                    }
                }
                Rule::order_clause => {
                    let o = this.order_clause(clause);
                    this.once(&mut query.order, o, "order", &block);
                }
                Rule::per_partition_limit => {
                    if let Some(l) = this.limit_clause(clause) {
                        this.once(
                            &mut query.per_partition_limit,
                            l,
                            "per partition limit",
                            &block,
                        );
                    }
                }
                Rule::limit_clause => {
                    if let Some(l) = this.limit_clause(clause) {
                        this.once(&mut query.limit, l, "limit", &block);
                    }
                }
                Rule::allow_filtering => {
                    let a = AllowFiltering {
                        span: this.span(&clause),
                    };
                    this.once(&mut query.allow_filtering, a, "allow filtering", &block);
                }
                Rule::cache_clause => {
                    if let Some(cache) = this.cache_clause(clause) {
                        this.once(&mut query.cache, cache, "cache", &block);
                    }
                }
                Rule::allow_clause => query.allows.extend(this.allow_clause(clause)),
                _ => this.unexpected(&clause),
            },
        );
        query
    }

    pub(super) fn aggregate(&mut self, pair: P<'_>) -> Aggregate {
        let span = self.span(&pair);
        let head = self.head(pair, "an aggregate");
        let mut aggregate = Aggregate {
            doc: head.doc,
            name: head.name,
            target: head.target,
            where_clause: None,
            group_by: None,
            select: None,
            having: None,
            order: None,
            limit: None,
            allow_filtering: None,
            allows: Vec::new(),
            span,
        };
        let block = describe_block("aggregate", &aggregate.name);
        let Some(body) = head.body else {
            self.bug(span, "an aggregate without a body");
            return aggregate;
        };
        self.block_body(body, Rule::aggregate_member, &block, |this, clause| {
            this.aggregate_clause(clause, &mut aggregate, &block);
        });
        aggregate
    }

    fn aggregate_clause(&mut self, clause: P<'_>, aggregate: &mut Aggregate, block: &str) {
        match clause.as_rule() {
            Rule::where_clause => {
                let w = self.where_clause(clause);
                self.once(&mut aggregate.where_clause, w, "where", block);
            }
            Rule::group_by_clause => {
                let span = self.span(&clause);
                let columns = clause
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::ident)
                    .map(|p| self.ident(&p))
                    .collect();
                self.once(
                    &mut aggregate.group_by,
                    GroupBy { columns, span },
                    "group by",
                    block,
                );
            }
            Rule::select_clause => {
                let span = self.span(&clause);
                let mut items = Vec::new();
                for p in clause.into_inner() {
                    match p.as_rule() {
                        Rule::select_item => {
                            if let Some(item) = self.select_item(p) {
                                items.push(item);
                            }
                        }
                        Rule::kw_select | Rule::comma => {}
                        _ => self.unexpected(&p),
                    }
                }
                self.once(
                    &mut aggregate.select,
                    Select { items, span },
                    "select",
                    block,
                );
            }
            Rule::having_clause => {
                let span = self.span(&clause);
                let conditions = self.conditions(clause);
                self.once(
                    &mut aggregate.having,
                    Having { conditions, span },
                    "having",
                    block,
                );
            }
            Rule::order_clause => {
                let o = self.order_clause(clause);
                self.once(&mut aggregate.order, o, "order", block);
            }
            Rule::limit_clause => {
                if let Some(l) = self.limit_clause(clause) {
                    self.once(&mut aggregate.limit, l, "limit", block);
                }
            }
            Rule::allow_filtering => {
                let a = AllowFiltering {
                    span: self.span(&clause),
                };
                self.once(&mut aggregate.allow_filtering, a, "allow filtering", block);
            }
            Rule::allow_clause => aggregate.allows.extend(self.allow_clause(clause)),
            _ => self.unexpected(&clause),
        }
    }

    fn select_item(&mut self, pair: P<'_>) -> Option<SelectItem> {
        let span = self.span(&pair);
        let mut function = None;
        let mut argument = None;
        let mut alias = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::aggregate_call => {
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::count_star => {
                                for s in c.into_inner() {
                                    match s.as_rule() {
                                        Rule::kw_count => {
                                            function = Some(AggregateFn {
                                                kind: AggregateFnKind::Count,
                                                span: self.span(&s),
                                            });
                                        }
                                        Rule::star => {
                                            argument = Some(AggregateArg::Star(self.span(&s)));
                                        }
                                        Rule::lparen | Rule::rparen => {}
                                        _ => self.unexpected(&s),
                                    }
                                }
                            }
                            Rule::aggregate_fn => {
                                let fn_span = self.span(&c);
                                let kind = match c.into_inner().next().map(|k| k.as_rule()) {
                                    Some(Rule::kw_count) => AggregateFnKind::Count,
                                    Some(Rule::kw_sum) => AggregateFnKind::Sum,
                                    Some(Rule::kw_avg) => AggregateFnKind::Avg,
                                    Some(Rule::kw_min) => AggregateFnKind::Min,
                                    Some(Rule::kw_max) => AggregateFnKind::Max,
                                    _ => {
                                        self.bug(fn_span, "an unknown aggregate function");
                                        return None;
                                    }
                                };
                                function = Some(AggregateFn {
                                    kind,
                                    span: fn_span,
                                });
                            }
                            Rule::ident => argument = Some(AggregateArg::Column(self.ident(&c))),
                            Rule::lparen | Rule::rparen => {}
                            _ => self.unexpected(&c),
                        }
                    }
                }
                Rule::ident => alias = Some(self.ident(&p)),
                Rule::kw_as => {}
                _ => self.unexpected(&p),
            }
        }
        let (Some(function), Some(argument), Some(alias)) = (function, argument, alias) else {
            self.bug(span, "an incomplete select item");
            return None;
        };
        Some(SelectItem {
            function,
            argument,
            alias,
            span,
        })
    }

    /// `query_select = { kw_select ~ kw_distinct? ~ query_select_item ~ (comma ~ query_select_item)* }`
    fn query_select(&mut self, pair: P<'_>) -> QuerySelect {
        let span = self.span(&pair);
        let mut distinct = None;
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_distinct => distinct = Some(self.span(&p)),
                Rule::query_select_item => {
                    let item_span = self.span(&p);
                    let mut kind = CellRead::Value;
                    let mut names = Vec::new();
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::cell_fn => {
                                kind = if c.into_inner().next().map(|w| w.as_rule())
                                    == Some(Rule::kw_writetime)
                                {
                                    CellRead::WriteTime
                                } else {
                                    CellRead::Ttl
                                };
                            }
                            Rule::ident => names.push(self.ident(&c)),
                            Rule::lparen | Rule::rparen | Rule::kw_as => {}
                            _ => self.unexpected(&c),
                        }
                    }
                    let mut names = names.into_iter();
                    match names.next() {
                        Some(column) => items.push(SelectColumn {
                            kind,
                            column,
                            alias: names.next(),
                            span: item_span,
                        }),
                        None => self.bug(item_span, "a select item without a column"),
                    }
                }
                Rule::kw_select | Rule::comma => {}
                _ => self.unexpected(&p),
            }
        }
        QuerySelect {
            distinct,
            items,
            span,
        }
    }

    pub(super) fn where_clause(&mut self, pair: P<'_>) -> WhereClause {
        let span = self.span(&pair);
        let conditions = self.conditions(pair);
        WhereClause { conditions, span }
    }

    /// The `condition` children of a `where`/`having` clause.
    pub(super) fn conditions(&mut self, pair: P<'_>) -> Vec<Condition> {
        let mut conditions = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::condition => {
                    if let Some(c) = self.condition(p) {
                        conditions.push(c);
                    }
                }
                Rule::kw_where | Rule::kw_having | Rule::kw_if | Rule::kw_and => {}
                _ => self.unexpected(&p),
            }
        }
        conditions
    }

    pub(super) fn condition(&mut self, pair: P<'_>) -> Option<Condition> {
        let span = self.span(&pair);
        let mut column = None;
        let mut operator = None;
        let mut operand = None;
        let mut entry = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => column = Some(self.ident(&p)),
                Rule::entry_key => entry = self.entry_key(p),
                Rule::operator => operator = self.operator(p),
                Rule::operand => operand = self.operand(p),
                _ => self.unexpected(&p),
            }
        }
        let (Some(column), Some(operator), Some(operand)) = (column, operator, operand) else {
            self.bug(span, "an incomplete condition");
            return None;
        };
        Some(Condition {
            column,
            entry,
            operator,
            operand,
            span,
        })
    }

    fn operator(&mut self, pair: P<'_>) -> Option<Operator> {
        let span = self.span(&pair);
        let kind = match pair.into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::op_eq) => OperatorKind::Eq,
            Some(Rule::op_lt) => OperatorKind::Lt,
            Some(Rule::op_le) => OperatorKind::Le,
            Some(Rule::op_gt) => OperatorKind::Gt,
            Some(Rule::op_ge) => OperatorKind::Ge,
            Some(Rule::op_in) => OperatorKind::In,
            Some(Rule::op_contains) => OperatorKind::Contains,
            Some(Rule::op_contains_key) => OperatorKind::ContainsKey,
            _ => {
                self.bug(span, "an unknown operator");
                return None;
            }
        };
        Some(Operator { kind, span })
    }

    pub(super) fn operand(&mut self, pair: P<'_>) -> Option<Operand> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let kind = match inner.as_rule() {
            Rule::param => OperandKind::Param(self.param(inner)),
            Rule::enum_value => OperandKind::Enum(self.enum_value(inner)),
            Rule::literal => OperandKind::Literal(self.literal(inner)),
            _ => {
                self.unexpected(&inner);
                return None;
            }
        };
        Some(Operand { kind, span })
    }

    fn order_clause(&mut self, pair: P<'_>) -> OrderClause {
        let span = self.span(&pair);
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::order_item => {
                    let item_span = self.span(&p);
                    let mut column = None;
                    let mut order = None;
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::ident => column = Some(self.ident(&c)),
                            Rule::sort_order => order = self.sort_order(c),
                            _ => self.unexpected(&c),
                        }
                    }
                    let column =
                        column.unwrap_or_else(|| self.missing_ident(item_span, "an order item"));
                    items.push(OrderItem {
                        column,
                        order,
                        span: item_span,
                    });
                }
                Rule::kw_order | Rule::comma => {}
                _ => self.unexpected(&p),
            }
        }
        OrderClause { items, span }
    }

    fn nearest_clause(&mut self, pair: P<'_>) -> Option<NearestClause> {
        let span = self.span(&pair);
        let mut column = None;
        let mut query = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => column = Some(self.ident(&p)),
                Rule::param => query = Some(self.param(p)),
                Rule::kw_nearest | Rule::kw_to => {}
                _ => self.unexpected(&p),
            }
        }
        let (Some(column), Some(query)) = (column, query) else {
            self.bug(span, "`nearest` without a field or a parameter");
            return None;
        };
        Some(NearestClause {
            column,
            query,
            span,
        })
    }

    fn limit_clause(&mut self, pair: P<'_>) -> Option<LimitClause> {
        let span: Span = self.span(&pair);
        let mut value = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::uint => value = Some(LimitValue::Fixed(self.uint(&p))),
                Rule::param => value = Some(LimitValue::Param(self.param(p))),
                Rule::kw_per | Rule::kw_partition | Rule::kw_limit => {}
                _ => self.unexpected(&p),
            }
        }
        let Some(value) = value else {
            self.bug(span, "`limit` without a value");
            return None;
        };
        Some(LimitClause { value, span })
    }
}
