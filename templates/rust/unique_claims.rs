{#- How a `@unique` field's helpers compare a row's field with a value. -#}
{#- Whether `row` holds `value`, a reference to the field's type. -#}
{% macro holds(unique) -%}
{% if unique.optional %}row.{{ unique.ident }}.as_ref() == Some(value){% else %}row.{{ unique.ident }} == *value{% endif %}
{%- endmacro %}
{#- Whether `row` holds `value` as `find_by_` takes it. -#}
{% macro holds_param(unique) -%}
{% if unique.optional -%}
{% match unique.param_kind %}{% when UniqueParam::Slice %}row.{{ unique.ident }}.as_deref() == Some(value){% when UniqueParam::Borrowed %}row.{{ unique.ident }}.as_ref() == Some(value){% when UniqueParam::Owned %}row.{{ unique.ident }} == Some(value){% endmatch %}
{%- else -%}
{% match unique.param_kind %}{% when UniqueParam::Borrowed %}row.{{ unique.ident }} == *value{% else %}row.{{ unique.ident }} == value{% endmatch %}
{%- endif %}
{%- endmacro %}
