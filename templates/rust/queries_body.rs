{% for query in file.queries %}
{% if let Some(partial) = query.partial %}

{% for line in partial.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq, rt::DeserializeRow)]
#[corm(columns = {{ partial.columns }})]
pub struct {{ partial.ident }} {
{% for field in partial.fields %}
{% for line in field.doc %}
    ///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}
{% endif %}

impl {{ query.repo }}<'_> {
{% for line in query.doc %}
    ///{{ line }}
{% endfor %}
{% if query.many_args %}
    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn {{ query.ident }}<'s>(
        &'s self,
{% for param in query.params %}
        {{ param.ident }}: {{ param.ty }},
{% endfor %}
{% if let Some(nearest) = query.nearest %}
    ) -> impl corm::Fetch<Vec<corm::vector::Scored<{{ query.row }}>>> + 's {
        const INDEX: corm::vector::VectorIndex = corm::vector::VectorIndex {
            name: {{ nearest.index }},
            similarity: {{ nearest.similarity }},
        };
{% else if query.single %}
    ) -> impl corm::Fetch<Option<{{ query.row }}>> + 's {
{% else if query.bounded %}
    ) -> impl corm::Fetch<Vec<{{ query.row }}>> + 's {
{% else %}
    ) -> impl corm::Fetch<corm::paging::Rows<{{ query.row }}>> + 's {
{% endif %}
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ query.ident }}",
            key: {{ query.statement.cache_key }},
            head: {{ query.statement.head }},
            tail: {{ query.statement.tail }},
            idempotent: true,
        };
{% if let Some(nearest) = query.nearest %}
        self.base.reborrow().nearest(&INDEX, &STATEMENT, {% call expressions::tuple(query.values) %}{% endcall %}, ({{ nearest.query }}, {{ nearest.k }}), |row| {% call expressions::row_vector(nearest.vector) %}{% endcall %})
{% else if query.single %}
        self.base.reborrow().fetch_optional(&STATEMENT, {% call expressions::tuple(query.values) %}{% endcall %})
{% else if query.bounded %}
        self.base.reborrow().fetch_all(&STATEMENT, {% call expressions::tuple(query.values) %}{% endcall %})
{% else %}
        self.base.reborrow().fetch(&STATEMENT, {% call expressions::tuple(query.values) %}{% endcall %})
{% endif %}
    }
}
{% if let Some(scoped) = query.scoped %}
{% call tenant_handles::scoped_method(query.doc, query.many_args, query.ident, scoped, false, "On this tenant's rows: the tenant id is the handle's.") %}{% endcall %}
{% endif %}
{% endfor %}
{% for aggregate in file.aggregates %}

{% for line in aggregate.row_doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq)]
pub struct {{ aggregate.row }} {
{% for field in aggregate.fields %}
{% for line in field.doc %}
    ///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}
{% if let Some(client) = aggregate.client %}

/// The running totals of one group of [`{{ aggregate.row }}`].
{% if client.new_params.is_empty() %}
#[derive(Default)]
{% endif %}
struct {{ client.totals }} {
{% for field in client.totals_fields %}
    {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl {{ client.totals }} {
{% if !client.new_params.is_empty() %}
    fn new({% for param in client.new_params %}{{ param.ident }}: {{ param.ty }},{% endfor %}) -> Self {
        Self {
{% for total in client.running %}
{% call totals::new_init(total) %}{% endcall %}
{% endfor %}
        }
    }

{% endif %}
    fn add(&mut self, {% for param in client.add_params %}{{ param.ident }}: {{ param.ty }},{% endfor %}) {
{% for total in client.running %}
{% call totals::add_step(total) %}{% endcall %}
{% endfor %}
    }

{% if client.fallible %}
    /// The group's result row; `Err` says which value does not fit its type.
    fn finish(self{% if !client.grouped.is_empty() %}, {% call expressions::grouped(client.grouped) %}{% endcall %}: {% call expressions::grouped(client.key_types) %}{% endcall %}{% endif %}) -> Result<{{ aggregate.row }}, &'static str> {
        Ok({{ aggregate.row }} {
{% for field in client.grouped %}
            {{ field }},
{% endfor %}
{% for total in client.running %}
{% call totals::finish_init(total) %}{% endcall %}
{% endfor %}
        })
    }
{% else %}
    fn finish(self{% if !client.grouped.is_empty() %}, {% call expressions::grouped(client.grouped) %}{% endcall %}: {% call expressions::grouped(client.key_types) %}{% endcall %}{% endif %}) -> {{ aggregate.row }} {
        {{ aggregate.row }} {
{% for field in client.grouped %}
            {{ field }},
{% endfor %}
{% for total in client.running %}
{% call totals::finish_init(total) %}{% endcall %}
{% endfor %}
        }
    }
{% endif %}
}
{% endif %}

impl {{ aggregate.repo }}<'_> {
{% for line in aggregate.doc %}
    ///{{ line }}
{% endfor %}
{% if aggregate.many_args %}
    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub async fn {{ aggregate.ident }}(
        &self,
{% for param in aggregate.params %}
        {{ param.ident }}: {{ param.ty }},
{% endfor %}
    ) -> corm::Result<{{ aggregate.returns }}> {
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ aggregate.ident }}",
            key: {{ aggregate.statement.cache_key }},
            head: {{ aggregate.statement.head }},
            tail: {{ aggregate.statement.tail }},
            idempotent: true,
        };
        self.base.traced(STATEMENT.name, async {
        let statement = self.base.named(&STATEMENT);
        let prepared = statement.prepared(self.base.session()).await?;
{% if let Some(native) = aggregate.native %}
{% if aggregate.single %}
        let mut rows = self.base.stream::<{% call expressions::tuple(aggregate.read) %}{% endcall %}>(prepared, {% call expressions::tuple(aggregate.values) %}{% endcall %}).await?;
        let Some({% call expressions::tuple(aggregate.pattern) %}{% endcall %}) = rows.try_next().await? else {
            return Err(corm::Error::UnexpectedResult {
                statement: statement.text().to_owned(),
                problem: "an aggregate without GROUP BY returned no row".to_owned(),
            });
        };
        Ok({{ aggregate.row }} {
{% for field in native.fields %}
            {% call aggregate_rows::native_field(field) %}{% endcall %},
{% endfor %}
        })
{% else %}
        self.base.stream::<{% call expressions::tuple(aggregate.read) %}{% endcall %}>(prepared, {% call expressions::tuple(aggregate.values) %}{% endcall %})
            .await?
            .map_ok(|{% call expressions::tuple(aggregate.pattern) %}{% endcall %}| {{ aggregate.row }} {
{% for field in native.fields %}
                {% call aggregate_rows::native_field(field) %}{% endcall %},
{% endfor %}
            })
            .try_collect()
            .await
{% endif %}
{% endif %}
{% if let Some(client) = aggregate.client %}
        let mut rows = self.base.stream::<{% call expressions::tuple(aggregate.read) %}{% endcall %}>(prepared, {% call expressions::tuple(aggregate.values) %}{% endcall %}).await?;
{% if client.group_key.is_empty() %}
        let mut totals = {{ client.totals }}::default();
        while let Some({% call expressions::tuple(aggregate.pattern) %}{% endcall %}) = rows.try_next().await? {
            totals.add({% call expressions::arguments(client.add_args) %}{% endcall %});
        }
{% if client.fallible %}
        let row = totals.finish().map_err(|problem| corm::Error::UnexpectedResult {
            statement: statement.text().to_owned(),
            problem: problem.to_owned(),
        })?;
{% else %}
        let row = totals.finish();
{% endif %}
{% if aggregate.keeps %}
        Ok(({% call client_rows::keeps(client) %}{% endcall %}).then_some(row))
{% else %}
        Ok(row)
{% endif %}
{% else %}
        let mut groups: std::collections::BTreeMap<{% call expressions::grouped(client.key_types) %}{% endcall %}, {{ client.totals }}> = std::collections::BTreeMap::new();
        while let Some({% call expressions::tuple(aggregate.pattern) %}{% endcall %}) = rows.try_next().await? {
            groups
                .entry({% call expressions::group_key(client.group_key) %}{% endcall %})
{% if client.new_params.is_empty() %}
                .or_default()
{% else %}
                .or_insert_with(|| {{ client.totals }}::new({% call expressions::arguments(client.new_args) %}{% endcall %}))
{% endif %}
                .add({% call expressions::arguments(client.add_args) %}{% endcall %});
        }
        let mut results = Vec::with_capacity(groups.len());
        for (key, totals) in groups {
{% if client.fallible %}
            let row = totals.finish(key).map_err(|problem| corm::Error::UnexpectedResult {
                statement: statement.text().to_owned(),
                problem: problem.to_owned(),
            })?;
{% else %}
            let row = totals.finish(key);
{% endif %}
{% if !client.having.is_empty() %}
            if {% call client_rows::having(client) %}{% endcall %} {
                results.push(row);
            }
{% else %}
            results.push(row);
{% endif %}
        }
{% if client.sorts_by_key() %}
{% for o in client.order %}
        results.sort_by_key(|row| {% call client_rows::sort_key(o) %}{% endcall %});
{% endfor %}
{% else if !client.order.is_empty() %}
        results.sort_by(|a, b| {% call client_rows::comparator(client) %}{% endcall %});
{% endif %}
{% if let Some(limit) = client.limit %}
        results.truncate({% call client_rows::limit(limit) %}{% endcall %});
{% endif %}
        Ok(results)
{% endif %}
{% endif %}
        })
        .await
    }
}
{% if let Some(scoped) = aggregate.scoped %}
{% call tenant_handles::scoped_method(aggregate.doc, aggregate.many_args, aggregate.ident, scoped, true, "Of this tenant's rows: the tenant id is the handle's.") %}{% endcall %}
{% endif %}
{% endfor %}
{% for mutation in file.mutations %}
{% if let Outcome::Conditional(current) = mutation.outcome %}

{% for line in current.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq)]
pub struct {{ current.ident }} {
{% for (ident, ty, _) in current.fields %}
    pub {{ ident }}: Option<{{ ty }}>,
{% endfor %}
}
{% endif %}

impl {{ mutation.repo }}<'_> {
{% for line in mutation.doc %}
    ///{{ line }}
{% endfor %}
{% if mutation.many_args %}
    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub async fn {{ mutation.ident }}(
        &self,
{% for param in mutation.params %}
        {{ param.ident }}: {{ param.ty }},
{% endfor %}
    ) -> corm::Result<{{ mutation.outcome.returns() }}> {
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ mutation.ident }}",
            key: {{ mutation.statement.cache_key }},
            head: {{ mutation.statement.head }},
            tail: {{ mutation.statement.tail }},
            idempotent: {{ mutation.statement.idempotent }},
        };
{% if mutation.now %}
        let now = rt::Now::current();
{% endif %}
{% match mutation.outcome %}
{% when Outcome::Done %}
        self.base.execute_named(&STATEMENT, {% call expressions::tuple(mutation.values) %}{% endcall %}).await
{% when Outcome::Exists %}
        let rejected = self.base.execute_named_if(&STATEMENT, {% call expressions::tuple(mutation.values) %}{% endcall %}).await?;
        Ok(rejected.is_none())
{% when Outcome::Conditional(current) %}
        let Some(rejected) = self.base.execute_named_if(&STATEMENT, {% call expressions::tuple(mutation.values) %}{% endcall %}).await? else {
            return Ok(corm::Conditional::Applied);
        };
        Ok(corm::Conditional::NotApplied({{ current.ident }} {
{% for (ident, _, column) in current.fields %}
            {{ ident }}: rejected.current({{ "{:?}"|format(column) }})?,
{% endfor %}
        }))
{% endmatch %}
    }
}
{% endfor %}
