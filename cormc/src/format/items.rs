//! Top-level items and the members of their blocks.
//!
//! Items are separated by exactly one blank line. A block is `{`, one member
//! per line indented one level, `}`; an empty block is `{}`. Members keep
//! their source order (the AST files them by kind, so they are put back in
//! order by their offsets), and one blank line is kept where the source has
//! one or more between two members. `type` and `event` fields are one per
//! line without commas; enum variants are `enum E { a, b }` on one line when
//! that fits in [`MAX_WIDTH`] columns and no variant has a doc comment and no
//! comment stands inside the braces, else one per line with a trailing
//! comma. Migration steps are one per line: DDL statements exactly as
//! written (only the indentation before their first line is set), `cql`
//! steps with their string kept as written.

use super::fields::Columns;
use super::literals::string_text;
use super::printer::{Blanks, Printer};
use crate::ast::{
    Aggregate, AllowClause, AllowFiltering, BucketClause, ChangesClause, CompactionClause,
    DeleteClause, DurableWrites, EnumDecl, EventDecl, EventStore, Field, GroupBy, Having, IfClause,
    IndexClause, Item, KeyClause, Keyspace, LimitClause, Migration, MigrationStep, Model, Mutation,
    NearestClause, OptionsClause, OrderClause, Query, RateClause, Relation, Replication, Select,
    SeriesClause, SetClause, SnapshotClause, TableClause, TimeSeries, TtlClause, TypeDecl,
    VectorIndexClause, WhereClause,
};

/// The widest one-line `enum`.
pub const MAX_WIDTH: usize = 100;

/// One member of a block, whatever its kind.
#[derive(Clone, Copy)]
enum Member<'a> {
    Field(&'a Field),
    Key(&'a KeyClause),
    Index(&'a IndexClause),
    Relation(&'a Relation),
    Table(&'a TableClause),
    Ttl(&'a TtlClause),
    Changes(&'a ChangesClause),
    Reserve(&'a crate::ast::ReserveClause),
    Cache(&'a crate::ast::CacheClause),
    Compaction(&'a CompactionClause),
    VectorIndex(&'a VectorIndexClause),
    Replication(&'a Replication),
    Tenancy(&'a crate::ast::TenancyClause),
    DurableWrites(&'a DurableWrites),
    Where(&'a WhereClause),
    GroupBy(&'a GroupBy),
    Select(&'a Select),
    Having(&'a Having),
    Order(&'a OrderClause),
    Nearest(&'a NearestClause),
    Limit(&'a LimitClause),
    PerPartitionLimit(&'a LimitClause),
    AllowFiltering(&'a AllowFiltering),
    Series(&'a SeriesClause),
    Bucket(&'a BucketClause),
    Rate(&'a RateClause),
    Snapshot(&'a SnapshotClause),
    Partition(&'a SnapshotClause),
    Event(&'a EventDecl),
    SagaInput(&'a crate::ast::SagaFields),
    SagaStep(&'a crate::ast::SagaStep),
    Lease(&'a crate::ast::LeaseClause),
    Step(&'a MigrationStep),
    Allow(&'a AllowClause),
    Options(&'a OptionsClause),
    Set(&'a SetClause),
    Delete(&'a DeleteClause),
    If(&'a IfClause),
    QuerySelect(&'a crate::ast::QuerySelect),
}

impl Member<'_> {
    /// Where the member's text starts (its doc comment included).
    fn start(&self) -> usize {
        match self {
            Self::Field(f) => f.doc.as_ref().map_or(f.span.start, |d| d.span.start),
            Self::Key(c) => c.span.start,
            Self::Index(c) => c.span.start,
            Self::Relation(c) => c.span.start,
            Self::Table(c) => c.span.start,
            Self::Ttl(c) => c.span.start,
            Self::Changes(c) => c.span.start,
            Self::Reserve(c) => c.span.start,
            Self::Cache(c) => c.span.start,
            Self::Compaction(c) => c.span.start,
            Self::VectorIndex(c) => c.span.start,
            Self::Replication(c) => c.span.start,
            Self::Tenancy(c) => c.span.start,
            Self::DurableWrites(c) => c.span.start,
            Self::Where(c) => c.span.start,
            Self::GroupBy(c) => c.span.start,
            Self::Select(c) => c.span.start,
            Self::Having(c) => c.span.start,
            Self::Order(c) => c.span.start,
            Self::Nearest(c) => c.span.start,
            Self::Limit(c) | Self::PerPartitionLimit(c) => c.span.start,
            Self::AllowFiltering(c) => c.span.start,
            Self::Series(c) => c.span.start,
            Self::Bucket(c) => c.span.start,
            Self::Rate(c) => c.span.start,
            Self::Snapshot(c) | Self::Partition(c) => c.span.start,
            Self::Event(e) => e.span.start,
            Self::SagaInput(c) => c.span.start,
            Self::SagaStep(s) => s.doc.as_ref().map_or(s.span.start, |d| d.span.start),
            Self::Lease(c) => c.span.start,
            Self::Step(s) => s.span().start,
            Self::Allow(c) => c.span.start,
            Self::Options(c) => c.span.start,
            Self::Set(c) => c.span.start,
            Self::Delete(c) => c.span.start,
            Self::If(c) => c.span.start,
            Self::QuerySelect(c) => c.span.start,
        }
    }
}

/// Members in source order.
fn in_order(mut members: Vec<Member<'_>>) -> Vec<Member<'_>> {
    members.sort_by_key(Member::start);
    members
}

impl Printer<'_> {
    /// Every item of a file, then the comments after the last one.
    pub(super) fn items(&mut self, items: &[Item]) {
        for (i, item) in items.iter().enumerate() {
            let blanks = if i == 0 { Blanks::Keep } else { Blanks::Force };
            self.line(item.span().start, blanks);
            self.item(item);
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Keyspace(keyspace) => self.keyspace(keyspace),
            Item::Type(ty) => self.type_decl(ty),
            Item::Enum(decl) => self.enum_decl(decl),
            Item::Model(model) => self.model(model),
            Item::Query(query) => self.query(query),
            Item::Aggregate(aggregate) => self.aggregate(aggregate),
            Item::Mutation(mutation) => self.mutation(mutation),
            Item::View(view) => self.view(view),
            Item::TimeSeries(series) => self.timeseries(series),
            Item::Events(store) => self.events(store),
            Item::Saga(saga) => self.saga(saga),
            Item::Migration(migration) => self.migration(migration),
        }
    }

    /// The doc comment and `keyword Name` of an item.
    fn head(&mut self, doc: Option<&crate::ast::Doc>, keyword: &str, name: &crate::ast::Ident) {
        let at = self.find(keyword).unwrap_or(name.span.start);
        self.doc(doc, at);
        self.tok_at(keyword, at, at + keyword.len());
        self.sp();
        self.tok(&name.name, name.span);
    }

    /// `{ members }` of a block that ends at `end`.
    fn block(&mut self, members: &[Member<'_>], end: usize) {
        if members.is_empty() && self.empty_block(end) {
            return;
        }
        self.open_block();
        let columns = self.member_columns(members);
        for (member, columns) in members.iter().zip(columns) {
            self.line(member.start(), Blanks::Keep);
            self.member(member, columns);
        }
        self.close_block(end);
    }

    /// The columns each member aligns to: a field's run's (consecutive
    /// fields with no other member and no blank line between them), the
    /// default for other members.
    fn member_columns(&self, members: &[Member<'_>]) -> Vec<Columns> {
        let mut columns = Vec::with_capacity(members.len());
        let mut run: Vec<&Field> = Vec::new();
        for member in members {
            if let Member::Field(field) = member {
                run.push(field);
                continue;
            }
            columns.extend(self.field_runs(&run).into_iter().map(|(_, c)| c));
            run.clear();
            columns.push(Columns::default());
        }
        columns.extend(self.field_runs(&run).into_iter().map(|(_, c)| c));
        columns
    }

    fn member(&mut self, member: &Member<'_>, columns: Columns) {
        match *member {
            Member::Field(f) => self.field(f, columns),
            Member::Key(c) => self.key_clause(c),
            Member::Index(c) => self.index_clause(c),
            Member::Relation(c) => self.relation(c),
            Member::Table(c) => self.table_clause(c.span, &c.name),
            Member::Ttl(c) => self.duration_clause("ttl", c.span, &c.duration),
            Member::Changes(c) => self.changes_clause(c),
            Member::Reserve(c) => {
                self.keyword_at("reserve", c.span);
                self.sp();
                self.tok(&c.stock.name, c.stock.span);
                self.sp();
                self.kw("in");
                self.sp();
                self.tok(&c.holds.name, c.holds.span);
            }
            Member::Cache(c) => self.cache_clause(c),
            Member::Compaction(c) => self.compaction(c),
            Member::VectorIndex(c) => self.vector_index(c),
            Member::Replication(c) => self.replication(c),
            Member::Tenancy(c) => {
                self.keyword_at("tenancy", c.span);
                self.sp();
                self.kw("per_keyspace");
            }
            Member::DurableWrites(c) => self.durable_writes(c),
            Member::Where(c) => self.where_clause(c),
            Member::GroupBy(c) => self.group_by(c),
            Member::Select(c) => self.select(c),
            Member::Having(c) => self.having(c),
            Member::Order(c) => self.order_clause(c),
            Member::Nearest(c) => self.nearest_clause(c),
            Member::Limit(c) => self.limit(c),
            Member::PerPartitionLimit(c) => self.per_partition_limit(c),
            Member::AllowFiltering(c) => self.allow_filtering(c.span),
            Member::Series(c) => self.series(c),
            Member::Bucket(c) => self.duration_clause("bucket", c.span, &c.width),
            Member::Rate(c) => self.rate(c),
            Member::Snapshot(c) => self.every_clause("snapshot", c),
            Member::Partition(c) => self.every_clause("partition", c),
            Member::Event(e) => self.event(e),
            Member::SagaInput(c) => {
                self.keyword_at("input", c.span);
                self.sp();
                self.field_block(&c.fields, c.span.end);
            }
            Member::SagaStep(s) => self.saga_step(s),
            Member::Lease(c) => self.duration_clause("lease", c.span, &c.duration),
            Member::Step(s) => self.step(s),
            Member::Allow(c) => self.allow_clause(c),
            Member::Options(c) => self.options_clause(c),
            Member::Set(c) => self.set_clause(c),
            Member::Delete(c) => self.delete_clause(c),
            Member::If(c) => self.if_clause(c),
            Member::QuerySelect(c) => self.query_select(c),
        }
    }

    fn keyspace(&mut self, keyspace: &Keyspace) {
        self.head(keyspace.doc.as_ref(), "keyspace", &keyspace.name);
        let mut members = Vec::new();
        members.extend(keyspace.replication.as_ref().map(Member::Replication));
        members.extend(keyspace.durable_writes.as_ref().map(Member::DurableWrites));
        members.extend(keyspace.tenancy.as_ref().map(Member::Tenancy));
        self.block(&in_order(members), keyspace.span.end);
    }

    fn type_decl(&mut self, ty: &TypeDecl) {
        self.head(ty.doc.as_ref(), "type", &ty.name);
        self.field_block(&ty.fields, ty.span.end);
    }

    /// The `{ a: T  b: U }` of a `type` or `event`: one field per line, the
    /// optional commas of the source dropped.
    fn field_block(&mut self, fields: &[Field], end: usize) {
        if fields.is_empty() && self.empty_block(end) {
            return;
        }
        self.open_block();
        let fields: Vec<&Field> = fields.iter().collect();
        for (field, columns) in self.field_runs(&fields) {
            self.field_line(field, columns);
            self.optional_comma(false);
        }
        self.close_block(end);
    }

    fn enum_decl(&mut self, decl: &EnumDecl) {
        match decl.open {
            Some(open) => {
                self.doc(decl.doc.as_ref(), open.start);
                self.tok("open", open);
                self.sp();
                let at = self.find("enum").unwrap_or(decl.name.span.start);
                self.tok_at("enum", at, at + "enum".len());
                self.sp();
                self.tok(&decl.name.name, decl.name.span);
            }
            None => self.head(decl.doc.as_ref(), "enum", &decl.name),
        }
        if decl.variants.is_empty() && self.empty_block(decl.span.end) {
            return;
        }
        let open = self.find("{").unwrap_or(decl.name.span.end);
        let names: Vec<&str> = decl.variants.iter().map(|v| v.name.name.as_str()).collect();
        let one_line = format!(
            "{}enum {} {{ {} }}",
            if decl.open.is_some() { "open " } else { "" },
            decl.name.name,
            names.join(", ")
        );
        let fits = one_line.chars().count() <= MAX_WIDTH
            && decl.variants.iter().all(|v| v.doc.is_none())
            && !self.has_comment_in(open, decl.span.end);
        if fits {
            self.sp();
            self.punct("{");
        } else {
            self.open_block();
        }
        let last = decl.variants.len().saturating_sub(1);
        for (i, variant) in decl.variants.iter().enumerate() {
            if fits {
                self.sp();
            } else {
                let start = variant
                    .doc
                    .as_ref()
                    .map_or(variant.span.start, |d| d.span.start);
                self.line(start, Blanks::Keep);
                self.doc(variant.doc.as_ref(), variant.name.span.start);
            }
            self.tok(&variant.name.name, variant.name.span);
            self.optional_comma(i < last || !fits);
        }
        if fits {
            self.sp();
            self.punct("}");
        } else {
            self.close_block(decl.span.end);
        }
    }

    fn model(&mut self, model: &Model) {
        self.head(model.doc.as_ref(), "model", &model.name);
        let mut members: Vec<Member<'_>> = model.fields.iter().map(Member::Field).collect();
        members.extend(model.key.as_ref().map(Member::Key));
        members.extend(model.indexes.iter().map(Member::Index));
        members.extend(model.relations.iter().map(Member::Relation));
        members.extend(model.table.as_ref().map(Member::Table));
        members.extend(model.ttl.as_ref().map(Member::Ttl));
        members.extend(model.compaction.as_ref().map(Member::Compaction));
        members.extend(model.vector_indexes.iter().map(Member::VectorIndex));
        members.extend(model.changes.as_ref().map(Member::Changes));
        members.extend(model.reserve.as_deref().map(Member::Reserve));
        members.extend(model.cache.as_ref().map(Member::Cache));
        members.extend(model.options.as_ref().map(Member::Options));
        members.extend(model.allows.iter().map(Member::Allow));
        self.block(&in_order(members), model.span.end);
    }

    fn query(&mut self, query: &Query) {
        self.head(query.doc.as_ref(), "query", &query.name);
        self.kw("on");
        self.sp();
        self.tok(&query.target.name, query.target.span);
        let mut members = Vec::new();
        members.extend(query.select.as_ref().map(Member::QuerySelect));
        members.extend(query.where_clause.as_ref().map(Member::Where));
        members.extend(query.nearest.as_ref().map(Member::Nearest));
        members.extend(query.order.as_ref().map(Member::Order));
        members.extend(
            query
                .per_partition_limit
                .as_ref()
                .map(Member::PerPartitionLimit),
        );
        members.extend(query.limit.as_ref().map(Member::Limit));
        members.extend(query.allow_filtering.as_ref().map(Member::AllowFiltering));
        members.extend(query.cache.as_ref().map(Member::Cache));
        members.extend(query.allows.iter().map(Member::Allow));
        self.block(&in_order(members), query.span.end);
    }

    fn aggregate(&mut self, aggregate: &Aggregate) {
        self.head(aggregate.doc.as_ref(), "aggregate", &aggregate.name);
        self.kw("on");
        self.sp();
        self.tok(&aggregate.target.name, aggregate.target.span);
        let mut members = Vec::new();
        members.extend(aggregate.where_clause.as_ref().map(Member::Where));
        members.extend(aggregate.group_by.as_ref().map(Member::GroupBy));
        members.extend(aggregate.select.as_ref().map(Member::Select));
        members.extend(aggregate.having.as_ref().map(Member::Having));
        members.extend(aggregate.order.as_ref().map(Member::Order));
        members.extend(aggregate.limit.as_ref().map(Member::Limit));
        members.extend(
            aggregate
                .allow_filtering
                .as_ref()
                .map(Member::AllowFiltering),
        );
        members.extend(aggregate.allows.iter().map(Member::Allow));
        self.block(&in_order(members), aggregate.span.end);
    }

    fn view(&mut self, view: &crate::ast::View) {
        self.head(view.doc.as_ref(), "view", &view.name);
        self.kw("of");
        self.sp();
        self.tok(&view.base.name, view.base.span);
        let mut members = Vec::new();
        members.extend(view.key.as_ref().map(Member::Key));
        members.extend(view.table.as_ref().map(Member::Table));
        members.extend(view.allows.iter().map(Member::Allow));
        self.block(&in_order(members), view.span.end);
    }

    fn mutation(&mut self, mutation: &Mutation) {
        self.head(mutation.doc.as_ref(), "mutation", &mutation.name);
        self.kw("on");
        self.sp();
        self.tok(&mutation.target.name, mutation.target.span);
        let mut members = Vec::new();
        members.extend(mutation.set.as_ref().map(Member::Set));
        members.extend(mutation.delete.as_ref().map(Member::Delete));
        members.extend(mutation.where_clause.as_ref().map(Member::Where));
        members.extend(mutation.if_clause.as_ref().map(Member::If));
        members.extend(mutation.allows.iter().map(Member::Allow));
        self.block(&in_order(members), mutation.span.end);
    }

    fn timeseries(&mut self, series: &TimeSeries) {
        self.head(series.doc.as_ref(), "timeseries", &series.name);
        let mut members: Vec<Member<'_>> = series.fields.iter().map(Member::Field).collect();
        members.extend(series.series.as_ref().map(Member::Series));
        members.extend(series.bucket.as_ref().map(Member::Bucket));
        members.extend(series.ttl.as_ref().map(Member::Ttl));
        members.extend(series.rate.as_ref().map(Member::Rate));
        members.extend(series.allows.iter().map(Member::Allow));
        self.block(&in_order(members), series.span.end);
    }

    fn events(&mut self, store: &EventStore) {
        self.head(store.doc.as_ref(), "events", &store.name);
        let mut members: Vec<Member<'_>> = store.fields.iter().map(Member::Field).collect();
        members.extend(store.snapshot.as_ref().map(Member::Snapshot));
        members.extend(store.partition.as_ref().map(Member::Partition));
        members.extend(store.events.iter().map(Member::Event));
        members.extend(store.allows.iter().map(Member::Allow));
        self.block(&in_order(members), store.span.end);
    }

    fn saga(&mut self, saga: &crate::ast::Saga) {
        self.head(saga.doc.as_ref(), "saga", &saga.name);
        let mut members: Vec<Member<'_>> = saga.input.iter().map(Member::SagaInput).collect();
        members.extend(saga.steps.iter().map(Member::SagaStep));
        members.extend(saga.lease.as_ref().map(Member::Lease));
        self.block(&in_order(members), saga.span.end);
    }

    /// `step name returns { … } timeout 5s retries 3`
    fn saga_step(&mut self, step: &crate::ast::SagaStep) {
        self.head(step.doc.as_ref(), "step", &step.name);
        if let Some(returns) = &step.returns {
            self.sp();
            self.keyword_at("returns", returns.span);
            self.sp();
            self.field_block(&returns.fields, returns.span.end);
        }
        let mut options: Vec<(usize, bool)> = Vec::new();
        options.extend(step.timeout.map(|t| (t.span.start, true)));
        options.extend(step.retries.map(|r| (r.span.start, false)));
        options.sort_unstable();
        for (_, is_timeout) in options {
            self.sp();
            if is_timeout {
                if let Some(timeout) = &step.timeout {
                    self.kw("timeout");
                    self.sp();
                    self.duration(timeout);
                }
            } else if let Some(retries) = &step.retries {
                self.kw("retries");
                self.sp();
                self.tok(&retries.value.to_string(), retries.span);
            }
        }
    }

    fn event(&mut self, event: &EventDecl) {
        self.head(event.doc.as_ref(), "event", &event.name);
        self.field_block(&event.fields, event.span.end);
    }

    fn migration(&mut self, migration: &Migration) {
        let at = self
            .find("migration")
            .unwrap_or(migration.number.span.start);
        self.doc(migration.doc.as_ref(), at);
        self.tok_at("migration", at, at + "migration".len());
        self.sp();
        self.tok(&migration.number.value.to_string(), migration.number.span);
        self.sp();
        self.tok(&migration.name.name, migration.name.span);
        let members: Vec<Member<'_>> = migration.steps.iter().map(Member::Step).collect();
        self.block(&in_order(members), migration.span.end);
    }

    fn step(&mut self, step: &MigrationStep) {
        match step {
            MigrationStep::Ddl(ddl) => {
                let text = format!("{};", ddl.text);
                self.tok(&text, ddl.span);
            }
            MigrationStep::Cql(cql) => {
                self.keyword_at("cql", cql.span);
                self.sp();
                self.tok(&string_text(&cql.body), cql.body.span);
            }
        }
    }
}
