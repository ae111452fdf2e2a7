//! The clauses of blocks: `key`, `index`, relations, `table`, `ttl`,
//! `compaction`, `vector_index`, `replication`, `durable_writes`, `where`,
//! `order`, `limit`, `allow filtering`, `group by`, `select`, `having`,
//! `series`, `bucket`, `snapshot every`.
//!
//! Each clause is one line in the CQL-like form of the reference, with one
//! space after each comma: `key ((a, b), c desc)`, `order a desc, b`,
//! `select count(*) as n, sum(x) as total`. A `series` clause whose fields
//! have doc comments is written one field per line, indented one level
//! deeper, so that the doc comments stay doc comments.

use super::fields::Columns;
use super::literals::duration_text;
use super::printer::Printer;
use crate::ast::{
    AggregateArg, CompactionClause, CompactionKind, DurableWrites, GroupBy, Having, IndexClause,
    KeyClause, KeyColumn, LimitClause, LimitValue, NearestClause, OrderClause, Relation,
    Replication, ReplicationStrategy, Select, SeriesClause, SimilarityKind, SnapshotClause,
    SortDirection, SortOrder, Span, VectorIndexClause, WhereClause,
};

impl Printer<'_> {
    /// `key (a, b)`, `key ((a, b), c desc)`
    pub(super) fn key_clause(&mut self, key: &KeyClause) {
        self.keyword_at("key", key.span);
        self.sp();
        self.punct("(");
        if key.partition.parenthesized {
            self.punct("(");
            self.key_columns(&key.partition.columns);
            self.punct(")");
        } else {
            self.key_columns(&key.partition.columns);
        }
        for column in &key.clustering {
            self.punct(",");
            self.sp();
            self.key_column(column);
        }
        self.punct(")");
    }

    fn key_columns(&mut self, columns: &[KeyColumn]) {
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                self.punct(",");
                self.sp();
            }
            self.key_column(column);
        }
    }

    fn key_column(&mut self, column: &KeyColumn) {
        self.tok(&column.name.name, column.name.span);
        self.sort_order(column.order.as_ref());
    }

    fn sort_order(&mut self, order: Option<&SortOrder>) {
        if let Some(order) = order {
            let word = match order.direction {
                SortDirection::Asc => "asc",
                SortDirection::Desc => "desc",
            };
            self.sp();
            self.tok(word, order.span);
        }
    }

    /// `index (col)`
    pub(super) fn index_clause(&mut self, index: &IndexClause) {
        self.keyword_at("index", index.span);
        self.sp();
        self.punct("(");
        match index.on.function() {
            Some(function) => {
                self.punct(function);
                self.punct("(");
                self.tok(&index.column.name, index.column.span);
                self.punct(")");
            }
            None => self.tok(&index.column.name, index.column.span),
        }
        self.punct(")");
        self.index_name(index.name.as_ref());
    }

    /// `as name` after an index, if any.
    fn index_name(&mut self, name: Option<&crate::ast::Ident>) {
        if let Some(name) = name {
            self.kw("as");
            self.sp();
            self.tok(&name.name, name.span);
        }
    }

    /// `has_many name: Target(f, …)`
    pub(super) fn relation(&mut self, relation: &Relation) {
        self.tok(relation.kind.keyword(), relation.kind_span);
        self.sp();
        self.tok(&relation.name.name, relation.name.span);
        self.punct(":");
        self.sp();
        self.tok(&relation.target.name, relation.target.span);
        self.punct("(");
        self.idents(&relation.fields);
        self.punct(")");
    }

    /// `a, b, c`
    fn idents(&mut self, idents: &[crate::ast::Ident]) {
        for (i, ident) in idents.iter().enumerate() {
            if i > 0 {
                self.punct(",");
                self.sp();
            }
            self.tok(&ident.name, ident.span);
        }
    }

    /// `table name`
    pub(super) fn table_clause(&mut self, span: Span, name: &crate::ast::Ident) {
        self.keyword_at("table", span);
        self.sp();
        self.tok(&name.name, name.span);
    }

    /// `ttl 90d`, `bucket 1h`
    pub(super) fn duration_clause(
        &mut self,
        keyword: &str,
        span: Span,
        duration: &crate::ast::DurationLit,
    ) {
        self.keyword_at(keyword, span);
        self.sp();
        self.duration(duration);
    }

    /// `changes retain 7d`
    pub(super) fn changes_clause(&mut self, clause: &crate::ast::ChangesClause) {
        self.keyword_at("changes", clause.span);
        self.sp();
        self.kw("retain");
        self.sp();
        self.duration(&clause.retain);
    }

    /// `cache 30s max 10000`
    pub(super) fn cache_clause(&mut self, clause: &crate::ast::CacheClause) {
        self.keyword_at("cache", clause.span);
        self.sp();
        self.duration(&clause.ttl);
        self.sp();
        self.kw("max");
        self.sp();
        self.tok(&clause.max.value.to_string(), clause.max.span);
    }

    /// `compaction leveled`, `compaction time_window(1d)`
    pub(super) fn compaction(&mut self, clause: &CompactionClause) {
        self.keyword_at("compaction", clause.span);
        self.sp();
        let span = clause.strategy.span;
        match &clause.strategy.kind {
            CompactionKind::SizeTiered => self.keyword_at("size_tiered", span),
            CompactionKind::Leveled => self.keyword_at("leveled", span),
            CompactionKind::Unified => self.keyword_at("unified", span),
            CompactionKind::TimeWindow(window) => {
                self.keyword_at("time_window", span);
                self.punct("(");
                self.tok(&duration_text(window), window.span);
                self.punct(")");
            }
        }
        if let Some(options) = &clause.options {
            self.sp();
            self.inline_option_map(options);
        }
    }

    /// `options { name: value … }`: one entry per line.
    pub(super) fn options_clause(&mut self, clause: &crate::ast::OptionsClause) {
        self.keyword_at("options", clause.span);
        let map = &clause.map;
        if map.entries.is_empty() && self.empty_block(map.span.end) {
            return;
        }
        self.open_block();
        for entry in &map.entries {
            self.line(entry.span.start, super::printer::Blanks::Keep);
            self.option_entry(entry);
            self.optional_comma(false);
        }
        self.close_block(map.span.end);
    }

    /// `{ name: value, … }` on one line.
    fn inline_option_map(&mut self, map: &crate::ast::OptionMap) {
        if map.entries.is_empty() && self.empty_block(map.span.end) {
            return;
        }
        self.punct("{");
        for (i, entry) in map.entries.iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            self.sp();
            self.option_entry(entry);
        }
        self.optional_comma(false);
        self.sp();
        self.tok_at("}", map.span.end - 1, map.span.end);
    }

    /// `name: value`
    fn option_entry(&mut self, entry: &crate::ast::OptionEntry) {
        self.tok(&entry.name.name, entry.name.span);
        self.punct(":");
        self.sp();
        match &entry.value {
            crate::ast::OptionValue::Literal(literal) => self.literal(literal),
            crate::ast::OptionValue::Map(map) => self.inline_option_map(map),
        }
    }

    /// `vector_index col similarity cosine`
    pub(super) fn vector_index(&mut self, clause: &VectorIndexClause) {
        self.keyword_at("vector_index", clause.span);
        self.sp();
        self.tok(&clause.column.name, clause.column.span);
        if let Some(similarity) = &clause.similarity {
            self.kw("similarity");
            self.sp();
            let word = match similarity.kind {
                SimilarityKind::Cosine => "cosine",
                SimilarityKind::DotProduct => "dot_product",
                SimilarityKind::Euclidean => "euclidean",
            };
            self.tok(word, similarity.span);
        }
        self.index_name(clause.name.as_ref());
    }

    /// `replication simple(1)`, `replication network_topology(dc1: 3, "x": 2)`
    pub(super) fn replication(&mut self, replication: &Replication) {
        self.keyword_at("replication", replication.span);
        match &replication.strategy {
            ReplicationStrategy::Simple { factor } => {
                self.kw("simple");
                self.punct("(");
                self.tok(&factor.value.to_string(), factor.span);
                self.punct(")");
            }
            ReplicationStrategy::NetworkTopology { data_centers } => {
                self.kw("network_topology");
                self.punct("(");
                for (i, dc) in data_centers.iter().enumerate() {
                    if i > 0 {
                        self.punct(",");
                        self.sp();
                    }
                    match &dc.quoted {
                        Some(string) => self.string(string),
                        None => self.tok_at(&dc.name, dc.span.start, dc.span.start + dc.name.len()),
                    }
                    self.punct(":");
                    self.sp();
                    self.tok(&dc.factor.value.to_string(), dc.factor.span);
                }
                self.optional_comma(false);
                self.punct(")");
            }
        }
    }

    /// `durable_writes true`
    pub(super) fn durable_writes(&mut self, clause: &DurableWrites) {
        self.keyword_at("durable_writes", clause.span);
        self.sp();
        let word = if clause.value.value { "true" } else { "false" };
        self.tok(word, clause.value.span);
    }

    /// `where a = ?x and b > ?y`
    pub(super) fn where_clause(&mut self, clause: &WhereClause) {
        self.keyword_at("where", clause.span);
        self.conditions(&clause.conditions);
    }

    /// `having n > 5 and …`
    pub(super) fn having(&mut self, clause: &Having) {
        self.keyword_at("having", clause.span);
        self.conditions(&clause.conditions);
    }

    /// `order a desc, b`
    pub(super) fn order_clause(&mut self, clause: &OrderClause) {
        self.keyword_at("order", clause.span);
        for (i, item) in clause.items.iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            self.sp();
            self.tok(&item.column.name, item.column.span);
            self.sort_order(item.order.as_ref());
        }
    }

    /// `nearest embedding to ?q`
    pub(super) fn nearest_clause(&mut self, clause: &NearestClause) {
        self.keyword_at("nearest", clause.span);
        self.sp();
        self.tok(&clause.column.name, clause.column.span);
        self.sp();
        self.kw("to");
        self.sp();
        self.tok_at(
            &format!("?{}", clause.query.name),
            clause.query.span.start.saturating_sub(1),
            clause.query.span.end,
        );
    }

    /// `limit 20`, `limit ?n`
    pub(super) fn limit(&mut self, clause: &LimitClause) {
        self.keyword_at("limit", clause.span);
        self.sp();
        self.limit_value(clause);
    }

    /// `per partition limit 1`, `per partition limit ?n`
    pub(super) fn per_partition_limit(&mut self, clause: &LimitClause) {
        self.keyword_at("per partition limit", clause.span);
        self.sp();
        self.limit_value(clause);
    }

    fn limit_value(&mut self, clause: &LimitClause) {
        match &clause.value {
            LimitValue::Fixed(n) => self.tok(&n.value.to_string(), n.span),
            LimitValue::Param(name) => self.tok_at(
                &format!("?{}", name.name),
                name.span.start.saturating_sub(1),
                name.span.end,
            ),
        }
    }

    /// `allow filtering`
    /// `select [distinct] a, writetime(b) as b_at` of a query.
    pub(super) fn query_select(&mut self, clause: &crate::ast::QuerySelect) {
        self.keyword_at("select", clause.span);
        if clause.distinct.is_some() {
            self.kw("distinct");
        }
        for (i, item) in clause.items.iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            self.sp();
            let function = match item.kind {
                crate::ast::CellRead::Value => None,
                crate::ast::CellRead::WriteTime => Some("writetime"),
                crate::ast::CellRead::Ttl => Some("ttl"),
            };
            match function {
                Some(function) => {
                    self.kw(function);
                    self.punct("(");
                    self.tok(&item.column.name, item.column.span);
                    self.punct(")");
                }
                None => self.tok(&item.column.name, item.column.span),
            }
            if let Some(alias) = &item.alias {
                self.kw("as");
                self.sp();
                self.tok(&alias.name, alias.span);
            }
        }
    }

    /// `@allow(W1103, "reason")`
    pub(super) fn allow_clause(&mut self, clause: &crate::ast::AllowClause) {
        self.keyword_at("@allow", clause.span);
        self.punct("(");
        self.tok(&clause.code.name, clause.code.span);
        self.punct(",");
        self.sp();
        self.string(&clause.reason);
        self.punct(")");
    }

    pub(super) fn allow_filtering(&mut self, span: Span) {
        self.keyword_at("allow", span);
        self.kw("filtering");
    }

    /// `group by a, b`
    pub(super) fn group_by(&mut self, clause: &GroupBy) {
        self.keyword_at("group", clause.span);
        self.kw("by");
        self.sp();
        self.idents(&clause.columns);
    }

    /// `select count(*) as n, sum(x) as total`
    pub(super) fn select(&mut self, clause: &Select) {
        self.keyword_at("select", clause.span);
        for (i, item) in clause.items.iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            self.sp();
            self.tok(item.function.kind.name(), item.function.span);
            self.punct("(");
            match &item.argument {
                AggregateArg::Star(span) => self.tok("*", *span),
                AggregateArg::Column(column) => self.tok(&column.name, column.span),
            }
            self.punct(")");
            self.kw("as");
            self.sp();
            self.tok(&item.alias.name, item.alias.span);
        }
    }

    /// `series host: text, name: text`
    pub(super) fn series(&mut self, clause: &SeriesClause) {
        self.keyword_at("series", clause.span);
        let one_per_line = clause.fields.iter().any(|f| f.doc.is_some());
        if one_per_line {
            self.deeper(|p| {
                let last = clause.fields.len().saturating_sub(1);
                for (i, field) in clause.fields.iter().enumerate() {
                    // One per line, not aligned: each ends with a comma.
                    p.field_line(field, Columns::default());
                    if i < last {
                        p.punct(",");
                    }
                }
            });
        } else {
            for (i, field) in clause.fields.iter().enumerate() {
                if i > 0 {
                    self.punct(",");
                }
                self.sp();
                self.field(field, Columns::default());
            }
        }
    }

    /// `snapshot every 100`
    /// `rate 10 per 1s`
    pub(super) fn rate(&mut self, clause: &crate::ast::RateClause) {
        self.keyword_at("rate", clause.span);
        self.sp();
        self.tok(&clause.points.value.to_string(), clause.points.span);
        self.kw("per");
        self.sp();
        self.duration(&clause.per);
    }

    /// `snapshot every N`, `partition every K`
    pub(super) fn every_clause(&mut self, keyword: &str, clause: &SnapshotClause) {
        self.keyword_at(keyword, clause.span);
        self.kw("every");
        self.sp();
        self.tok(&clause.every.value.to_string(), clause.every.span);
    }
}
