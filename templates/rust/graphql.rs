{% import "rust/graphql_values.rs" as values %}
{% import "rust/expressions.rs" as expressions %}
//! The schema in GraphQL (`corm::graphql`): how each enum, user-defined
//! type and model maps to GraphQL, and [`graphql_schema`], which builds the
//! schema `schema.graphql` (beside this file) describes, over a [`Db`].
// Only the trait, unnamed: the schema's own names (a model `corm::graphql::Value`, a
// type `corm::graphql::Types`) come from `super` and must not meet a name imported here.
use corm::graphql::GraphqlValue as _;
use super::*;

/// The GraphQL schema over `db`: a query field per model reading a row by
/// its key, one reading a partition a page at a time for models with
/// clustering columns, and mutations running the repositories' writes.
///
/// # Errors
/// A [`corm::graphql::SchemaError`] when two generated names clash.
pub fn graphql_schema(
    db: &Db,
    options: corm::graphql::GraphqlOptions,
) -> Result<corm::graphql::Schema, corm::graphql::SchemaError> {
    corm::graphql::SchemaBuilder::new(db.clone(), options)
{% for model in file.models %}
        .model::<{{ model.ident }}>()
{% if model.partition.is_some() %}
        .partitioned::<{{ model.ident }}>()
{% endif %}
{% if model.insert.is_some() %}
        .insertable::<{{ model.ident }}>()
{% endif %}
{% if model.patch.is_some() %}
        .patchable::<{{ model.ident }}>()
{% endif %}
{% endfor %}
{% for relation in file.relations %}
        .relation::<{{ relation.ident }}>()
{% endfor %}
{% for query in file.queries %}
{% if query.page.is_some() %}
        .paged_query::<{{ query.ident }}>()
{% else %}
        .query::<{{ query.ident }}>()
{% endif %}
{% endfor %}
{% for aggregate in file.aggregates %}
        .query::<{{ aggregate.ident }}>()
{% endfor %}
{% for series in file.series %}
        .series::<{{ series.ident }}>()
{% endfor %}
{% for store in file.stores %}
        .events::<{{ store.ident }}>()
{% endfor %}
{% for model in file.models %}
{% if model.changes %}
        .changes::<{{ model.ident }}>()
{% endif %}
{% endfor %}
        .finish()
}
{% for item in file.enums %}

{% if item.open %}
/// Its stored text, as a `String`: the enum is open.
impl corm::graphql::GraphqlValue for {{ item.ident }} {
    fn type_ref(_input: bool) -> corm::graphql::TypeRef {
        corm::graphql::TypeRef::named_nn(corm::graphql::TypeRef::STRING)
    }
    fn type_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(corm::graphql::TypeRef::STRING)
    }
    fn to_value(&self) -> corm::graphql::Value {
        corm::graphql::Value::String(self.as_str().to_owned())
    }
    fn from_value(value: &corm::graphql::Value) -> Result<Self, corm::graphql::Refusal> {
        <String as corm::graphql::GraphqlValue>::from_value(value).map(|text| Self::from_text(&text))
    }
}
{% else %}
impl corm::graphql::GraphqlValue for {{ item.ident }} {
    fn type_ref(_input: bool) -> corm::graphql::TypeRef {
        corm::graphql::TypeRef::named_nn("{{ item.ident }}")
    }
    fn type_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("{{ item.ident }}")
    }
    fn register(types: &mut corm::graphql::Types) {
        types.enumeration("{{ item.ident }}", {{ item.description }}, &[{% for (value, _) in item.values %}"{{ value }}",{% endfor %}]);
    }
    fn to_value(&self) -> corm::graphql::Value {
        corm::graphql::Value::Enum(corm::graphql::Name::new(match self {
{% for (value, variant) in item.values %}
            Self::{{ variant }} => "{{ value }}",
{% endfor %}
        }))
    }
    fn from_value(value: &corm::graphql::Value) -> Result<Self, corm::graphql::Refusal> {
        match corm::graphql::enum_name(value)? {
{% for (value, variant) in item.values %}
            "{{ value }}" => Ok(Self::{{ variant }}),
{% endfor %}
            other => Err(corm::graphql::unknown_enum_value("{{ item.ident }}", other)),
        }
    }
}
{% endif %}

impl corm::graphql::ListItem for {{ item.ident }} {}
{% endfor %}
{% for item in file.udts %}

{% call values::value_object(item.ident, item.ident, item.description, item.fields) %}{% endcall %}

impl corm::graphql::ListItem for {{ item.ident }} {}
{% endfor %}
{% for model in file.models %}

impl corm::graphql::Model for {{ model.ident }} {
    type Db = Db;
    const NAME: &'static str = "{{ model.ident }}";
    const FIELD: &'static str = "{{ model.field }}";
    const DESCRIPTION: &'static str = {{ model.description }};
    fn fields(fields: &mut corm::graphql::ModelFields<Self>) {
{% for field in model.fields %}
        fields.field("{{ field.name }}", {{ field.description }}, {{ field.roles }}, |row| &row.{{ field.ident }});
{% endfor %}
    }
    fn repository(db: &Db) -> corm::Repository<'_, Self> {
        corm::Repository::new(db.session(), <Self as corm::InDb>::statements_in(db))
    }
    fn key(input: &corm::graphql::InputFields<'_>) -> Result<{{ model.key.ident }}, corm::graphql::Refusal> {
        Ok({{ model.key.ident }} {
{% for field in model.key.fields %}
            {{ field.ident }}: input.get("{{ field.name }}")?,
{% endfor %}
        })
    }
}
{% match model.partition %}
{% when Some with (partition) %}

impl corm::graphql::Partitioned for {{ model.ident }} {
    const FIRST_DESCENDING: bool = {{ model.first_descending }};
    fn partition(input: &corm::graphql::InputFields<'_>) -> Result<{{ partition.ident }}, corm::graphql::Refusal> {
        Ok({{ partition.ident }} {
{% for field in partition.fields %}
            {{ field.ident }}: input.get("{{ field.name }}")?,
{% endfor %}
        })
    }
}
{% when None %}
{% endmatch %}
{% match model.insert %}
{% when Some with (insert) %}

impl corm::graphql::Insertable for {{ model.ident }} {
    fn row(input: &corm::graphql::InputFields<'_>) -> Result<Self, corm::graphql::Refusal> {
{% if insert.set.is_empty() %}
        Ok(Self::new({% for name in insert.params %}input.get("{{ name }}")?,{% endfor %}))
{% else %}
        let mut row = Self::new({% for name in insert.params %}input.get("{{ name }}")?,{% endfor %});
{% for field in insert.set %}
        input.set("{{ field.name }}", &mut row.{{ field.ident }})?;
{% endfor %}
        Ok(row)
{% endif %}
    }
    fn insert(db: &Db, row: Self) -> corm::graphql::model::Write<'_, ()> {
        Box::pin(async move { db.{{ model.accessor }}().insert(&row).await })
    }
    fn delete(db: &Db, key: {{ model.key.ident }}) -> corm::graphql::model::Write<'_, ()> {
        Box::pin(async move { db.{{ model.accessor }}().delete(&key).await })
    }
}
{% when None %}
{% endmatch %}
{% if model.changes %}

impl corm::graphql::Streamed for {{ model.ident }} {
    fn key_fields(key: &{{ model.key.ident }}) -> corm::graphql::Value {
        corm::graphql::object_value([
{% for field in model.key.fields %}
            ("{{ field.name }}", key.{{ field.ident }}.to_value()),
{% endfor %}
        ])
    }
    fn partition_fields(partition: &{{ model.partition_or_key().ident }}) -> corm::graphql::Value {
        corm::graphql::object_value([
{% for field in model.partition_or_key().fields %}
            ("{{ field.name }}", partition.{{ field.ident }}.to_value()),
{% endfor %}
        ])
    }
{% match model.patch %}
{% when Some with (patch) %}
    fn patch_fields(patch: &{{ patch.ident }}) -> corm::graphql::Value {
        corm::graphql::patch_value([
{% for field in patch.fields %}
            ("{{ field.name }}", patch.{{ field.ident }}.as_ref().map(corm::graphql::GraphqlValue::to_value)),
{% endfor %}
        ])
    }
{% when None %}
    fn patch_fields(_patch: &<Self as corm::changes::Logged>::Patch) -> corm::graphql::Value {
        corm::graphql::patch_value([])
    }
{% endmatch %}
}
{% endif %}
{% match model.patch %}
{% when Some with (patch) %}

impl corm::graphql::Patchable for {{ model.ident }} {
    fn patch(input: &corm::graphql::InputFields<'_>) -> Result<{{ patch.ident }}, corm::graphql::Refusal> {
        Ok({{ patch.ident }} {
{% for field in patch.fields %}
            {{ field.ident }}: input.patch("{{ field.name }}")?,
{% endfor %}
        })
    }
    fn update(db: &Db, key: {{ model.key.ident }}, patch: {{ patch.ident }}) -> corm::graphql::model::Write<'_, ()> {
        Box::pin(async move { db.{{ model.accessor }}().update(&key, &patch).await })
    }
}
{% when None %}
{% endmatch %}
{% endfor %}
{% for relation in file.relations %}

/// Relation `{{ relation.field }}` of `{{ relation.parent }}`, loaded by [`{{ relation.parent }}Repository::{{ relation.batch }}`].
struct {{ relation.ident }};

impl corm::graphql::Relation for {{ relation.ident }} {
    type Parent = {{ relation.parent }};
    type Loaded = {{ relation.loaded }};
    const FIELD: &'static str = "{{ relation.field }}";
    const DESCRIPTION: &'static str = {{ relation.description }};
    fn load(db: &Db, parents: Vec<{{ relation.parent }}>) -> corm::graphql::model::Write<'_, Vec<{{ relation.loaded }}>> {
        Box::pin(async move { db.{{ relation.accessor }}().{{ relation.batch }}(&parents).await })
    }
}
{% endfor %}
{% for query in file.queries %}

/// Named query `{{ query.field }}`: `db.{{ query.accessor }}().{{ query.method }}(…)`.
struct {{ query.ident }};

{% match query.page %}
{% when Some with (page) %}
impl corm::graphql::PagedQuery for {{ query.ident }} {
    type Db = Db;
    type Row = {{ query.row }};
    const FIELD: &'static str = "{{ query.field }}";
    const DESCRIPTION: &'static str = {{ query.description }};
    fn arguments({% if query.params.is_empty() %}_{% endif %}arguments: &mut corm::graphql::Arguments) {
{% for param in query.params %}
        arguments.add::<{{ param.owned }}>("{{ param.name }}");
{% endfor %}
    }
    fn page<'a>(
        db: &'a Db,
        {% if query.params.is_empty() %}_{% endif %}input: &corm::graphql::InputFields<'_>,
        page_size: i32,
        token: Option<corm::PagingToken>,
    ) -> Result<corm::graphql::model::Write<'a, corm::Page<{{ query.row }}>>, corm::graphql::Refusal> {
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ page.name }}",
            key: {{ page.key }},
            head: {{ page.head }},
            tail: {{ page.tail }},
            idempotent: true,
        };
{% for param in query.params %}
        let {{ param.local }}: {{ param.owned }} = input.get("{{ param.name }}")?;
{% endfor %}
        Ok(Box::pin(async move {
            db.{{ query.accessor }}().fetch_page(&STATEMENT, {% call expressions::tuple(page.values) %}{% endcall %}, page_size, token.as_ref()).await
        }))
    }
}
{% when None %}
impl corm::graphql::NamedQuery for {{ query.ident }} {
    type Db = Db;
    type Output = {{ query.output }};
    const FIELD: &'static str = "{{ query.field }}";
    const DESCRIPTION: &'static str = {{ query.description }};
    fn arguments({% if query.params.is_empty() %}_{% endif %}arguments: &mut corm::graphql::Arguments) {
{% for param in query.params %}
        arguments.add::<{{ param.owned }}>("{{ param.name }}");
{% endfor %}
    }
    fn run<'a>(db: &'a Db, {% if query.params.is_empty() %}_{% endif %}input: &corm::graphql::InputFields<'_>) -> Result<corm::graphql::model::Write<'a, {{ query.output }}>, corm::graphql::Refusal> {
{% for param in query.params %}
        let {{ param.local }}: {{ param.owned }} = input.get("{{ param.name }}")?;
{% endfor %}
        Ok(Box::pin(async move {
            db.{{ query.accessor }}().{{ query.method }}({% for param in query.params %}{% if param.borrowed %}&{% endif %}{{ param.local }},{% endfor %}).await{% if query.partial.is_some() %}.map(corm::graphql::Values){% endif %}
        }))
    }
}
{% endmatch %}
{% if let Some(partial) = query.partial %}

/// The rows of query `{{ query.field }}`: an output type.
{% call values::result_object(partial.ident, partial.description, partial.fields) %}{% endcall %}
{% endif %}
{% endfor %}
{% for aggregate in file.aggregates %}

/// The result rows of aggregate `{{ aggregate.field }}`: an output type.
{% call values::result_object(aggregate.row.ident, aggregate.row.description, aggregate.row.fields) %}{% endcall %}

/// Aggregate `{{ aggregate.field }}`: `db.{{ aggregate.accessor }}().{{ aggregate.method }}(…)`.
struct {{ aggregate.ident }};

impl corm::graphql::NamedQuery for {{ aggregate.ident }} {
    type Db = Db;
    type Output = corm::graphql::Values<{{ aggregate.returns }}>;
    const FIELD: &'static str = "{{ aggregate.field }}";
    const DESCRIPTION: &'static str = {{ aggregate.description }};
    fn arguments({% if aggregate.params.is_empty() %}_{% endif %}arguments: &mut corm::graphql::Arguments) {
{% for param in aggregate.params %}
        arguments.add::<{{ param.owned }}>("{{ param.name }}");
{% endfor %}
    }
    fn run<'a>(db: &'a Db, {% if aggregate.params.is_empty() %}_{% endif %}input: &corm::graphql::InputFields<'_>) -> Result<corm::graphql::model::Write<'a, Self::Output>, corm::graphql::Refusal> {
{% for param in aggregate.params %}
        let {{ param.local }}: {{ param.owned }} = input.get("{{ param.name }}")?;
{% endfor %}
        Ok(Box::pin(async move {
            db.{{ aggregate.accessor }}().{{ aggregate.method }}({% for param in aggregate.params %}{% if param.borrowed %}&{% endif %}{{ param.local }},{% endfor %}).await.map(corm::graphql::Values)
        }))
    }
}
{% endfor %}
{% for series in file.series %}

{% call values::value_object(series.ident, series.ident, series.point.description, series.point.fields) %}{% endcall %}

impl corm::graphql::Series for {{ series.ident }} {
    type Db = Db;
    const NAME: &'static str = "{{ series.ident }}";
    const FIELD: &'static str = "{{ series.field }}";
    fn series_arguments(arguments: &mut corm::graphql::Arguments) {
{% for field in series.series_fields %}
        arguments.add::<{{ field.rust_type }}>("{{ field.name }}");
{% endfor %}
    }
    fn series(input: &corm::graphql::InputFields<'_>) -> Result<{{ series.series_ident }}, corm::graphql::Refusal> {
        Ok({{ series.series_ident }} {
{% for field in series.series_fields %}
            {{ field.ident }}: input.get("{{ field.name }}")?,
{% endfor %}
        })
    }
    fn repository(db: &Db) -> corm::timeseries::SeriesRepository<'_, Self> {
        db.{{ series.accessor }}()
    }
}
{% endfor %}
{% for store in file.stores %}
{% for event in store.events %}

{% let payload = format!("{}::{}", store.accessor, event.variant) %}{% call values::value_object(payload, event.object.ident, event.object.description, event.object.fields) %}{% endcall %}
{% endfor %}

impl corm::graphql::Stored for {{ store.ident }} {
    type Db = Db;
    const NAME: &'static str = "{{ store.name }}";
    const FIELD: &'static str = "{{ store.field }}";
    fn events(events: &mut corm::graphql::Events<Self>) {
{% for event in store.events %}
        events.event(
            "{{ event.field }}",
            |event| match event {
                {{ store.event_enum }}::{{ event.variant }}(payload) => Some(payload),
{% if store.events.len() > 1 %}
                _ => None,
{% endif %}
            },
            {{ store.event_enum }}::{{ event.variant }},
        );
{% endfor %}
    }
    fn store(db: &Db) -> corm::events::EventStore<'_, Self> {
        db.{{ store.accessor }}()
    }
}
{% endfor %}
