{#- The `GraphqlValue` impls of generated types that GraphQL sees as
    objects backed by a value. `value_object`: an object with an input form
    (user-defined types, time-series points, event payloads); `rust_type`
    is the Rust type, `name` the GraphQL type's. `result_object`: an
    output-only object (a query's partial row, an aggregate's result row).
    `fields`: `name` (GraphQL), `ident` (Rust), `rust_type`, `description`
    as a string literal. -#}
{% macro value_object(rust_type, name, description, fields) %}
impl corm::graphql::GraphqlValue for {{ rust_type }} {
    fn type_ref(input: bool) -> corm::graphql::TypeRef {
        corm::graphql::object_type("{{ name }}", input)
    }
    fn type_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("{{ name }}")
    }
    fn register(types: &mut corm::graphql::Types) {
        types.object(
            corm::graphql::ObjectSpec::new("{{ name }}", {{ description }})
{% for field in fields.iter() %}
                .value::<{{ field.rust_type }}>("{{ field.name }}", {{ field.description }})
{% endfor %}
        );
    }
    fn to_value(&self) -> corm::graphql::Value {
        corm::graphql::object_value([
{% for field in fields.iter() %}
            ("{{ field.name }}", self.{{ field.ident }}.to_value()),
{% endfor %}
        ])
    }
    fn from_value({% if fields.is_empty() %}_{% endif %}value: &corm::graphql::Value) -> Result<Self, corm::graphql::Refusal> {
{% if !fields.is_empty() %}
        let fields = corm::graphql::InputFields::of(value)?;
{% endif %}
        Ok(Self {
{% for field in fields.iter() %}
            {{ field.ident }}: fields.get("{{ field.name }}")?,
{% endfor %}
        })
    }
}
{% endmacro %}

{% macro result_object(name, description, fields) %}
impl corm::graphql::GraphqlValue for {{ name }} {
    fn type_ref(_input: bool) -> corm::graphql::TypeRef {
        corm::graphql::TypeRef::named_nn("{{ name }}")
    }
    fn type_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("{{ name }}")
    }
    fn register(types: &mut corm::graphql::Types) {
        types.object(
            corm::graphql::ObjectSpec::new("{{ name }}", {{ description }})
                .output_only()
{% for field in fields.iter() %}
                .value::<{{ field.rust_type }}>("{{ field.name }}", {{ field.description }})
{% endfor %}
        );
    }
    fn to_value(&self) -> corm::graphql::Value {
        corm::graphql::object_value([
{% for field in fields.iter() %}
            ("{{ field.name }}", self.{{ field.ident }}.to_value()),
{% endfor %}
        ])
    }
    fn from_value(_value: &corm::graphql::Value) -> Result<Self, corm::graphql::Refusal> {
        Err(corm::graphql::output_only("{{ name }}"))
    }
}

impl corm::graphql::ListItem for {{ name }} {}
{% endmacro %}
