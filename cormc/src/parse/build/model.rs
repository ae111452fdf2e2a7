//! Models: fields, `key`, `index`, relations, `table`, `ttl`, `compaction`,
//! `vector_index`, `changes`.

use super::{Builder, P, describe_block};
use crate::ast::{
    ChangesClause, Compaction, CompactionClause, CompactionKind, DurationLit, DurationUnit,
    IndexClause, IndexOn, KeyClause, KeyColumn, Model, OptionsClause, PartitionKey, Relation,
    RelationKind, Similarity, SimilarityKind, SortDirection, SortOrder, Span, TableClause,
    TtlClause, VectorIndexClause,
};
use crate::parse::grammar::Rule;

impl Builder<'_> {
    pub(super) fn model(&mut self, pair: P<'_>) -> Model {
        let span = self.span(&pair);
        let mut model = Model {
            doc: None,
            name: crate::ast::Ident {
                name: String::new(),
                span,
            },
            fields: Vec::new(),
            key: None,
            indexes: Vec::new(),
            relations: Vec::new(),
            table: None,
            ttl: None,
            compaction: None,
            options: None,
            vector_indexes: Vec::new(),
            changes: None,
            reserve: None,
            cache: None,
            allows: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => model.doc = Some(self.doc(p)),
                Rule::kw_model => {}
                Rule::ident => model.name = self.ident(&p),
                Rule::model_body => self.model_body(p, &mut model),
                _ => self.unexpected(&p),
            }
        }
        model
    }

    fn model_body(&mut self, pair: P<'_>, model: &mut Model) {
        let block = describe_block("model", &model.name);
        self.block_body(
            pair,
            Rule::model_member,
            &block,
            |this, member| match member.as_rule() {
                Rule::field => {
                    let field = this.field(member);
                    model.fields.push(field);
                }
                Rule::model_clause => {
                    for clause in member.into_inner() {
                        this.model_clause(clause, model, &block);
                    }
                }
                _ => this.unexpected(&member),
            },
        );
    }

    fn model_clause(&mut self, clause: P<'_>, model: &mut Model, block: &str) {
        match clause.as_rule() {
            Rule::key_clause => {
                let key = self.key_clause(clause);
                self.once(&mut model.key, key, "key", block);
            }
            Rule::index_clause => {
                if let Some(index) = self.index_clause(clause) {
                    model.indexes.push(index);
                }
            }
            Rule::relation_clause => {
                if let Some(relation) = self.relation(clause) {
                    model.relations.push(relation);
                }
            }
            Rule::table_clause => {
                let span = self.span(&clause);
                match clause.into_inner().find(|p| p.as_rule() == Rule::ident) {
                    Some(name) => {
                        let name = self.ident(&name);
                        self.once(&mut model.table, TableClause { name, span }, "table", block);
                    }
                    None => self.bug(span, "`table` without a name"),
                }
            }
            Rule::ttl_clause => {
                if let Some(ttl) = self.ttl_clause(clause) {
                    self.once(&mut model.ttl, ttl, "ttl", block);
                }
            }
            Rule::changes_clause => {
                let span = self.span(&clause);
                if let Some(retain) = self.child_duration(clause) {
                    self.once(
                        &mut model.changes,
                        ChangesClause { retain, span },
                        "changes",
                        block,
                    );
                }
            }
            Rule::cache_clause => {
                if let Some(cache) = self.cache_clause(clause) {
                    self.once(&mut model.cache, cache, "cache", block);
                }
            }
            Rule::reserve_clause => {
                let span = self.span(&clause);
                let names: Vec<_> = clause
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::ident)
                    .map(|p| self.ident(&p))
                    .collect();
                match <[_; 2]>::try_from(names) {
                    Ok([stock, holds]) => self.once(
                        &mut model.reserve,
                        Box::new(crate::ast::ReserveClause { stock, holds, span }),
                        "reserve",
                        block,
                    ),
                    Err(_) => self.bug(span, "`reserve` without two columns"),
                }
            }
            Rule::compaction_clause => {
                if let Some(compaction) = self.compaction_clause(clause) {
                    self.once(&mut model.compaction, compaction, "compaction", block);
                }
            }
            Rule::vector_index_clause => {
                if let Some(index) = self.vector_index(clause) {
                    model.vector_indexes.push(index);
                }
            }
            Rule::options_clause => {
                let span = self.span(&clause);
                match clause
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::option_map)
                {
                    Some(map) => {
                        let map = self.option_map(map);
                        self.once(
                            &mut model.options,
                            OptionsClause { map, span },
                            "options",
                            block,
                        );
                    }
                    None => self.bug(span, "`options` without `{ … }`"),
                }
            }
            Rule::allow_clause => model.allows.extend(self.allow_clause(clause)),
            _ => self.unexpected(&clause),
        }
    }

    /// `key_clause = { kw_key ~ key_open ~ partition_key ~ (comma ~ key_column)* ~ key_close }`
    fn key_clause(&mut self, pair: P<'_>) -> KeyClause {
        let span = self.span(&pair);
        let mut partition = PartitionKey {
            columns: Vec::new(),
            parenthesized: false,
            span,
        };
        let mut clustering = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::partition_key => partition = self.partition_key(p),
                Rule::key_column => clustering.push(self.key_column(p)),
                Rule::kw_key | Rule::key_open | Rule::key_close | Rule::comma => {}
                _ => self.unexpected(&p),
            }
        }
        KeyClause {
            partition,
            clustering,
            span,
        }
    }

    fn partition_key(&mut self, pair: P<'_>) -> PartitionKey {
        let span = self.span(&pair);
        let mut columns = Vec::new();
        let mut parenthesized = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::key_column => columns.push(self.key_column(p)),
                Rule::composite_partition => {
                    parenthesized = true;
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::key_column => columns.push(self.key_column(c)),
                            Rule::partition_open | Rule::partition_close | Rule::comma => {}
                            _ => self.unexpected(&c),
                        }
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        PartitionKey {
            columns,
            parenthesized,
            span,
        }
    }

    fn key_column(&mut self, pair: P<'_>) -> KeyColumn {
        let span = self.span(&pair);
        let mut name = None;
        let mut order = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(&p)),
                Rule::sort_order => order = self.sort_order(p),
                _ => self.unexpected(&p),
            }
        }
        let name = name.unwrap_or_else(|| self.missing_ident(span, "a key column"));
        KeyColumn { name, order, span }
    }

    pub(super) fn sort_order(&mut self, pair: P<'_>) -> Option<SortOrder> {
        let span = self.span(&pair);
        let direction = match pair.into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::kw_asc) => SortDirection::Asc,
            Some(Rule::kw_desc) => SortDirection::Desc,
            _ => {
                self.bug(span, "a sort order that is neither `asc` nor `desc`");
                return None;
            }
        };
        Some(SortOrder { direction, span })
    }

    fn relation(&mut self, pair: P<'_>) -> Option<Relation> {
        let span = self.span(&pair);
        let mut kind = None;
        let mut names = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::relation_kind => {
                    let kind_span = self.span(&p);
                    kind = match p.into_inner().next().map(|k| k.as_rule()) {
                        Some(Rule::kw_has_many) => Some((RelationKind::HasMany, kind_span)),
                        Some(Rule::kw_has_one) => Some((RelationKind::HasOne, kind_span)),
                        Some(Rule::kw_belongs_to) => Some((RelationKind::BelongsTo, kind_span)),
                        _ => None,
                    };
                }
                Rule::ident => names.push(self.ident(&p)),
                Rule::relation_colon | Rule::lparen | Rule::rparen | Rule::comma => {}
                _ => self.unexpected(&p),
            }
        }
        let Some((kind, kind_span)) = kind else {
            self.bug(span, "a relation without its kind");
            return None;
        };
        let mut names = names.into_iter();
        let (Some(name), Some(target)) = (names.next(), names.next()) else {
            self.bug(span, "a relation without a name or target");
            return None;
        };
        Some(Relation {
            kind,
            kind_span,
            name,
            target,
            fields: names.collect(),
            span,
        })
    }

    pub(super) fn ttl_clause(&mut self, pair: P<'_>) -> Option<TtlClause> {
        let span = self.span(&pair);
        let duration = self.child_duration(pair)?;
        Some(TtlClause { duration, span })
    }

    /// `cache <duration> max <uint>`.
    pub(super) fn cache_clause(&mut self, pair: P<'_>) -> Option<crate::ast::CacheClause> {
        let span = self.span(&pair);
        let mut ttl = None;
        let mut max = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::duration => ttl = Some(self.duration(&p)),
                Rule::uint => max = Some(self.uint(&p)),
                _ => {}
            }
        }
        match (ttl, max) {
            (Some(ttl), Some(max)) => Some(crate::ast::CacheClause { ttl, max, span }),
            _ => {
                self.bug(span, "`cache` without a duration and a size");
                None
            }
        }
    }

    /// The `duration` child of a clause.
    pub(super) fn child_duration(&mut self, pair: P<'_>) -> Option<DurationLit> {
        let span = self.span(&pair);
        match pair.into_inner().find(|p| p.as_rule() == Rule::duration) {
            Some(d) => Some(self.duration(&d)),
            None => {
                self.bug(span, "a clause without its duration");
                None
            }
        }
    }

    fn compaction_clause(&mut self, pair: P<'_>) -> Option<CompactionClause> {
        let span = self.span(&pair);
        let mut strategy = None;
        let mut options = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::compaction_strategy => strategy = Some(p),
                Rule::option_map => options = Some(self.option_map(p)),
                Rule::kw_compaction => {}
                _ => self.unexpected(&p),
            }
        }
        let Some(strategy) = strategy else {
            self.bug(span, "`compaction` without a strategy");
            return None;
        };
        let strategy_span = self.span(&strategy);
        let inner = strategy.into_inner().next()?;
        let kind = match inner.as_rule() {
            Rule::kw_size_tiered => CompactionKind::SizeTiered,
            Rule::kw_leveled => CompactionKind::Leveled,
            Rule::kw_unified => CompactionKind::Unified,
            Rule::time_window_strategy => {
                let window = self.child_duration(inner).unwrap_or(DurationLit {
                    value: 0,
                    unit: DurationUnit::Days,
                    span: strategy_span,
                });
                CompactionKind::TimeWindow(window)
            }
            _ => {
                self.unexpected(&inner);
                return None;
            }
        };
        Some(CompactionClause {
            strategy: Compaction {
                kind,
                span: strategy_span,
            },
            options,
            span,
        })
    }

    /// `index_clause = { kw_index ~ lparen ~ index_target ~ rparen ~ (kw_as ~ ident)? }`
    fn index_clause(&mut self, pair: P<'_>) -> Option<IndexClause> {
        let span = self.span(&pair);
        let mut column = None;
        let mut on = IndexOn::Column;
        let mut name = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::index_target => {
                    for t in p.into_inner() {
                        match t.as_rule() {
                            Rule::ident => column = Some(self.ident(&t)),
                            Rule::index_fn => {
                                on = match t.into_inner().next().map(|f| f.as_rule()) {
                                    Some(Rule::kw_keys) => IndexOn::Keys,
                                    Some(Rule::kw_entries) => IndexOn::Entries,
                                    _ => IndexOn::Values,
                                };
                            }
                            Rule::lparen | Rule::rparen => {}
                            _ => self.unexpected(&t),
                        }
                    }
                }
                Rule::ident => name = Some(self.ident(&p)),
                Rule::kw_index | Rule::lparen | Rule::rparen | Rule::kw_as => {}
                _ => self.unexpected(&p),
            }
        }
        let Some(column) = column else {
            self.bug(span, "`index` without a column");
            return None;
        };
        Some(IndexClause {
            column,
            on,
            name,
            span,
        })
    }

    fn vector_index(&mut self, pair: P<'_>) -> Option<VectorIndexClause> {
        let span = self.span(&pair);
        let mut column = None;
        let mut similarity = None;
        let mut name = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if column.is_none() => column = Some(self.ident(&p)),
                Rule::ident => name = Some(self.ident(&p)),
                Rule::similarity_fn => {
                    let fn_span: Span = self.span(&p);
                    let kind = match p.into_inner().next().map(|k| k.as_rule()) {
                        Some(Rule::kw_cosine) => SimilarityKind::Cosine,
                        Some(Rule::kw_dot_product) => SimilarityKind::DotProduct,
                        Some(Rule::kw_euclidean) => SimilarityKind::Euclidean,
                        _ => {
                            self.bug(fn_span, "an unknown similarity function");
                            SimilarityKind::Cosine
                        }
                    };
                    similarity = Some(Similarity {
                        kind,
                        span: fn_span,
                    });
                }
                Rule::kw_vector_index | Rule::kw_similarity | Rule::kw_as => {}
                _ => self.unexpected(&p),
            }
        }
        let Some(column) = column else {
            self.bug(span, "`vector_index` without a column");
            return None;
        };
        Some(VectorIndexClause {
            column,
            similarity,
            name,
            span,
        })
    }
}

impl Builder<'_> {
    /// `view_decl = { doc? ~ kw_view ~ ident ~ kw_of ~ ident ~ view_body }`
    pub(super) fn view(&mut self, pair: P<'_>) -> crate::ast::View {
        let span = self.span(&pair);
        let mut view = crate::ast::View {
            doc: None,
            name: crate::ast::Ident {
                name: String::new(),
                span,
            },
            base: crate::ast::Ident {
                name: String::new(),
                span,
            },
            key: None,
            table: None,
            allows: Vec::new(),
            span,
        };
        let mut names = 0;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => view.doc = Some(self.doc(p)),
                Rule::kw_view | Rule::kw_of => {}
                Rule::ident if names == 0 => {
                    view.name = self.ident(&p);
                    names += 1;
                }
                Rule::ident => view.base = self.ident(&p),
                Rule::view_body => {
                    let block = describe_block("view", &view.name);
                    self.block_body(p, Rule::view_member, &block, |this, clause| {
                        match clause.as_rule() {
                            Rule::key_clause => {
                                let key = this.key_clause(clause);
                                this.once(&mut view.key, key, "key", &block);
                            }
                            Rule::table_clause => {
                                let span = this.span(&clause);
                                if let Some(name) =
                                    clause.into_inner().find(|p| p.as_rule() == Rule::ident)
                                {
                                    let name = this.ident(&name);
                                    this.once(
                                        &mut view.table,
                                        TableClause { name, span },
                                        "table",
                                        &block,
                                    );
                                }
                            }
                            Rule::allow_clause => view.allows.extend(this.allow_clause(clause)),
                            _ => this.unexpected(&clause),
                        }
                    });
                }
                _ => self.unexpected(&p),
            }
        }
        view
    }
}
