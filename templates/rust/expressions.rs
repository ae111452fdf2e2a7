{#- Rust expressions: tuples, and reads of a row's fields (`RowField`s). #}

{#- A tuple of `items` (values, types or patterns): `()`, `(a,)`, `(a, b)`. #}
{% macro tuple(items) -%}
({% for item in items.iter() %}{{ item }}{% if loop.first && loop.last %},{% else if !loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- The field's vector as an `Option<&corm::Vector<N>>`. #}
{% macro row_vector(field) -%}
{% if field.optional %}row.{{ field.ident }}.as_ref(){% else %}Some(&row.{{ field.ident }}){% endif %}
{%- endmacro %}

{#- The text field as an `Option<&str>`. #}
{% macro row_text(field) -%}
{% if field.optional %}row.{{ field.ident }}.as_deref(){% else %}Some(row.{{ field.ident }}.as_str()){% endif %}
{%- endmacro %}
