//! Keyspaces, user-defined types, enums, time series and event stores.

use super::{Builder, P, describe_block};
use crate::ast::{
    BucketClause, DataCenterFactor, Doc, DurableWrites, EnumDecl, EventDecl, EventStore, Field,
    Ident, Keyspace, RateClause, Replication, ReplicationStrategy, SeriesClause, SnapshotClause,
    Span, TimeSeries, TypeDecl, UintLit, Variant,
};
use crate::parse::grammar::Rule;

impl Builder<'_> {
    /// The doc and name of an item, and its remaining children.
    fn doc_and_name<'i>(&mut self, pair: P<'i>, keyword: Rule) -> (Option<Doc>, Ident, Vec<P<'i>>) {
        let span = self.span(&pair);
        let mut doc = None;
        let mut name = None;
        let mut rest = Vec::new();
        for p in pair.into_inner() {
            let rule = p.as_rule();
            if rule == Rule::doc {
                doc = Some(self.doc(p));
            } else if rule == Rule::ident && name.is_none() {
                name = Some(self.ident(&p));
            } else if rule != keyword {
                rest.push(p);
            }
        }
        let name = name.unwrap_or_else(|| self.missing_ident(span, "an item"));
        (doc, name, rest)
    }

    pub(super) fn keyspace(&mut self, pair: P<'_>) -> Keyspace {
        let span = self.span(&pair);
        let (doc, name, rest) = self.doc_and_name(pair, Rule::kw_keyspace);
        let mut keyspace = Keyspace {
            doc,
            name,
            replication: None,
            durable_writes: None,
            tenancy: None,
            span,
        };
        let block = describe_block("keyspace", &keyspace.name);
        for body in rest {
            if body.as_rule() != Rule::keyspace_body {
                self.unexpected(&body);
                continue;
            }
            self.block_body(body, Rule::keyspace_member, &block, |this, clause| {
                this.keyspace_clause(clause, &mut keyspace, &block);
            });
        }
        keyspace
    }

    fn keyspace_clause(&mut self, clause: P<'_>, keyspace: &mut Keyspace, block: &str) {
        match clause.as_rule() {
            Rule::replication_clause => {
                if let Some(r) = self.replication(clause) {
                    self.once(&mut keyspace.replication, r, "replication", block);
                }
            }
            Rule::durable_writes_clause => {
                let clause_span = self.span(&clause);
                match clause.into_inner().find(|c| c.as_rule() == Rule::boolean) {
                    Some(b) => {
                        let value = self.boolean(b);
                        let d = DurableWrites {
                            value,
                            span: clause_span,
                        };
                        self.once(&mut keyspace.durable_writes, d, "durable_writes", block);
                    }
                    None => self.bug(clause_span, "`durable_writes` without a value"),
                }
            }
            Rule::tenancy_clause => {
                let tenancy = crate::ast::TenancyClause {
                    span: self.span(&clause),
                };
                self.once(&mut keyspace.tenancy, tenancy, "tenancy", block);
            }
            _ => self.unexpected(&clause),
        }
    }

    fn replication(&mut self, pair: P<'_>) -> Option<Replication> {
        let span = self.span(&pair);
        let strategy = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::replication_strategy)?
            .into_inner()
            .next()?;
        let strategy = match strategy.as_rule() {
            Rule::simple_strategy => {
                let s_span = self.span(&strategy);
                let factor = match strategy.into_inner().find(|p| p.as_rule() == Rule::uint) {
                    Some(f) => self.uint(&f),
                    None => {
                        self.bug(s_span, "`simple` without a factor");
                        UintLit {
                            value: 0,
                            span: s_span,
                        }
                    }
                };
                ReplicationStrategy::Simple { factor }
            }
            Rule::network_topology_strategy => {
                let mut data_centers = Vec::new();
                for p in strategy.into_inner() {
                    match p.as_rule() {
                        Rule::dc_factor => {
                            if let Some(dc) = self.dc_factor(p) {
                                data_centers.push(dc);
                            }
                        }
                        Rule::kw_network_topology | Rule::lparen | Rule::rparen | Rule::comma => {}
                        _ => self.unexpected(&p),
                    }
                }
                ReplicationStrategy::NetworkTopology { data_centers }
            }
            _ => {
                self.unexpected(&strategy);
                return None;
            }
        };
        Some(Replication { strategy, span })
    }

    fn dc_factor(&mut self, pair: P<'_>) -> Option<DataCenterFactor> {
        let span = self.span(&pair);
        let mut name = None;
        let mut quoted = None;
        let mut factor = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::dc_name => {
                    let inner = p.into_inner().next()?;
                    match inner.as_rule() {
                        Rule::ident => name = Some(inner.as_str().to_owned()),
                        Rule::string => {
                            let s = self.string(inner);
                            name = Some(s.value.clone());
                            quoted = Some(s);
                        }
                        _ => self.unexpected(&inner),
                    }
                }
                Rule::uint => factor = Some(self.uint(&p)),
                Rule::colon => {}
                _ => self.unexpected(&p),
            }
        }
        let (Some(name), Some(factor)) = (name, factor) else {
            self.bug(span, "an incomplete data centre factor");
            return None;
        };
        Some(DataCenterFactor {
            name,
            quoted,
            factor,
            span,
        })
    }

    pub(super) fn type_decl(&mut self, pair: P<'_>) -> TypeDecl {
        let span = self.span(&pair);
        let (doc, name, rest) = self.doc_and_name(pair, Rule::kw_type);
        let block = describe_block("type", &name);
        let mut fields = Vec::new();
        for p in rest {
            if p.as_rule() == Rule::field_list {
                fields = self.field_list(p, &block);
            } else {
                self.unexpected(&p);
            }
        }
        TypeDecl {
            doc,
            name,
            fields,
            span,
        }
    }

    /// `{ field, field … }` of a `type` or `event`.
    fn field_list(&mut self, pair: P<'_>, block: &str) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut open = self.span(&pair);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::lbrace => open = self.span(&p),
                Rule::field => fields.push(self.field(p)),
                Rule::comma => {}
                Rule::block_close => self.block_close(p, open, block),
                _ => self.unexpected(&p),
            }
        }
        fields
    }

    pub(super) fn enum_decl(&mut self, pair: P<'_>) -> EnumDecl {
        let span = self.span(&pair);
        let (doc, name, rest) = self.doc_and_name(pair, Rule::kw_enum);
        let block = describe_block("enum", &name);
        let mut variants = Vec::new();
        let mut open_keyword = None;
        for body in rest {
            if body.as_rule() == Rule::kw_open {
                open_keyword = Some(self.span(&body));
                continue;
            }
            if body.as_rule() != Rule::enum_body {
                self.unexpected(&body);
                continue;
            }
            let mut open = span;
            for p in body.into_inner() {
                match p.as_rule() {
                    Rule::lbrace => open = self.span(&p),
                    Rule::variant => {
                        let mut doc = None;
                        let mut name = None;
                        for v in p.into_inner() {
                            match v.as_rule() {
                                Rule::doc => doc = Some(self.doc(v)),
                                Rule::ident => name = Some(self.ident(&v)),
                                _ => self.unexpected(&v),
                            }
                        }
                        if let Some(name) = name {
                            let span = name.span;
                            variants.push(Variant { doc, name, span });
                        }
                    }
                    Rule::comma => {}
                    Rule::block_close => self.block_close(p, open, &block),
                    _ => self.unexpected(&p),
                }
            }
        }
        EnumDecl {
            doc,
            open: open_keyword,
            name,
            variants,
            span,
        }
    }

    pub(super) fn timeseries(&mut self, pair: P<'_>) -> TimeSeries {
        let span = self.span(&pair);
        let (doc, name, rest) = self.doc_and_name(pair, Rule::kw_timeseries);
        let mut series = TimeSeries {
            doc,
            name,
            series: None,
            bucket: None,
            ttl: None,
            rate: None,
            fields: Vec::new(),
            allows: Vec::new(),
            span,
        };
        let block = describe_block("timeseries", &series.name);
        for body in rest {
            if body.as_rule() != Rule::timeseries_body {
                self.unexpected(&body);
                continue;
            }
            self.block_body(body, Rule::timeseries_member, &block, |this, member| {
                this.timeseries_member(member, &mut series, &block);
            });
        }
        series
    }

    fn timeseries_member(&mut self, member: P<'_>, series: &mut TimeSeries, block: &str) {
        match member.as_rule() {
            Rule::field => {
                let field = self.field(member);
                series.fields.push(field);
            }
            Rule::series_clause => {
                let span = self.span(&member);
                let mut fields = Vec::new();
                for p in member.into_inner() {
                    match p.as_rule() {
                        Rule::field => fields.push(self.field(p)),
                        Rule::kw_series | Rule::comma => {}
                        _ => self.unexpected(&p),
                    }
                }
                self.once(
                    &mut series.series,
                    SeriesClause { fields, span },
                    "series",
                    block,
                );
            }
            Rule::bucket_clause => {
                let span = self.span(&member);
                if let Some(width) = self.child_duration(member) {
                    self.once(
                        &mut series.bucket,
                        BucketClause { width, span },
                        "bucket",
                        block,
                    );
                }
            }
            Rule::ttl_clause => {
                if let Some(ttl) = self.ttl_clause(member) {
                    self.once(&mut series.ttl, ttl, "ttl", block);
                }
            }
            Rule::rate_clause => {
                let span = self.span(&member);
                let points = member
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::uint);
                let per = self.child_duration(member);
                match (points, per) {
                    (Some(points), Some(per)) => {
                        let points = self.uint(&points);
                        self.once(
                            &mut series.rate,
                            RateClause { points, per, span },
                            "rate",
                            block,
                        );
                    }
                    _ => self.bug(span, "`rate` without its points or duration"),
                }
            }
            Rule::allow_clause => series.allows.extend(self.allow_clause(member)),
            _ => self.unexpected(&member),
        }
    }

    pub(super) fn events(&mut self, pair: P<'_>) -> EventStore {
        let span = self.span(&pair);
        let (doc, name, rest) = self.doc_and_name(pair, Rule::kw_events);
        let mut store = EventStore {
            doc,
            name,
            fields: Vec::new(),
            snapshot: None,
            partition: None,
            events: Vec::new(),
            allows: Vec::new(),
            span,
        };
        let block = describe_block("events", &store.name);
        for body in rest {
            if body.as_rule() != Rule::events_body {
                self.unexpected(&body);
                continue;
            }
            self.block_body(body, Rule::events_member, &block, |this, member| {
                this.events_member(member, &mut store, &block);
            });
        }
        store
    }

    fn events_member(&mut self, member: P<'_>, store: &mut EventStore, block: &str) {
        match member.as_rule() {
            Rule::field => {
                let field = self.field(member);
                store.fields.push(field);
            }
            Rule::snapshot_clause | Rule::partition_clause => {
                let span = self.span(&member);
                let (slot, keyword) = if member.as_rule() == Rule::snapshot_clause {
                    (&mut store.snapshot, "snapshot")
                } else {
                    (&mut store.partition, "partition")
                };
                match member.into_inner().find(|p| p.as_rule() == Rule::uint) {
                    Some(n) => {
                        let every = self.uint(&n);
                        self.once(slot, SnapshotClause { every, span }, keyword, block);
                    }
                    None => self.bug(span, "`… every` without a number"),
                }
            }
            Rule::event_decl => {
                let span: Span = self.span(&member);
                let (doc, name, rest) = self.doc_and_name(member, Rule::kw_event);
                let event_block = describe_block("event", &name);
                let mut fields = Vec::new();
                for p in rest {
                    if p.as_rule() == Rule::field_list {
                        fields = self.field_list(p, &event_block);
                    } else {
                        self.unexpected(&p);
                    }
                }
                store.events.push(EventDecl {
                    doc,
                    name,
                    fields,
                    span,
                });
            }
            Rule::allow_clause => store.allows.extend(self.allow_clause(member)),
            _ => self.unexpected(&member),
        }
    }

    pub(super) fn saga(&mut self, pair: P<'_>) -> crate::ast::Saga {
        let span = self.span(&pair);
        let (doc, name, rest) = self.doc_and_name(pair, Rule::kw_saga);
        let mut saga = crate::ast::Saga {
            doc,
            name,
            input: None,
            steps: Vec::new(),
            lease: None,
            span,
        };
        let block = describe_block("saga", &saga.name);
        for body in rest {
            if body.as_rule() != Rule::saga_body {
                self.unexpected(&body);
                continue;
            }
            self.block_body(body, Rule::saga_member, &block, |this, member| {
                this.saga_member(member, &mut saga, &block);
            });
        }
        saga
    }

    fn saga_member(&mut self, member: P<'_>, saga: &mut crate::ast::Saga, block: &str) {
        match member.as_rule() {
            Rule::saga_input => {
                let span = self.span(&member);
                let mut fields = Vec::new();
                for p in member.into_inner() {
                    match p.as_rule() {
                        Rule::kw_input => {}
                        Rule::field_list => fields = self.field_list(p, "`input`"),
                        _ => self.unexpected(&p),
                    }
                }
                let input = crate::ast::SagaFields { fields, span };
                self.once(&mut saga.input, input, "input", block);
            }
            Rule::lease_clause => {
                let span = self.span(&member);
                if let Some(duration) = self.child_duration(member) {
                    let lease = crate::ast::LeaseClause { duration, span };
                    self.once(&mut saga.lease, lease, "lease", block);
                }
            }
            Rule::saga_step => {
                let span: Span = self.span(&member);
                let (doc, name, rest) = self.doc_and_name(member, Rule::kw_step);
                let step_block = describe_block("step", &name);
                let mut step = crate::ast::SagaStep {
                    doc,
                    name,
                    returns: None,
                    timeout: None,
                    retries: None,
                    span,
                };
                for p in rest {
                    match p.as_rule() {
                        Rule::step_returns => {
                            let span = self.span(&p);
                            let mut fields = Vec::new();
                            for q in p.into_inner() {
                                match q.as_rule() {
                                    Rule::kw_returns => {}
                                    Rule::field_list => fields = self.field_list(q, "`returns`"),
                                    _ => self.unexpected(&q),
                                }
                            }
                            step.returns = Some(crate::ast::SagaFields { fields, span });
                        }
                        Rule::step_option => {
                            for option in p.into_inner() {
                                match option.as_rule() {
                                    Rule::step_timeout => {
                                        if let Some(timeout) = self.child_duration(option) {
                                            self.once(
                                                &mut step.timeout,
                                                timeout,
                                                "timeout",
                                                &step_block,
                                            );
                                        }
                                    }
                                    Rule::step_retries => {
                                        let span = self.span(&option);
                                        match option
                                            .into_inner()
                                            .find(|q| q.as_rule() == Rule::uint)
                                        {
                                            Some(n) => {
                                                let retries = self.uint(&n);
                                                self.once(
                                                    &mut step.retries,
                                                    retries,
                                                    "retries",
                                                    &step_block,
                                                );
                                            }
                                            None => self.bug(span, "`retries` without a number"),
                                        }
                                    }
                                    _ => self.unexpected(&option),
                                }
                            }
                        }
                        _ => self.unexpected(&p),
                    }
                }
                saga.steps.push(step);
            }
            _ => self.unexpected(&member),
        }
    }
}
