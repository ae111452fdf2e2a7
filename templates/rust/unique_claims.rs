{#- How `find_by_<field>` compares a row's `@unique` field with the value it takes. -#}
{% macro holds_param(unique) -%}
{% if unique.optional -%}
{% match unique.param_kind %}{% when UniqueParam::Slice %}row.{{ unique.ident }}.as_deref() == Some(value){% when UniqueParam::Borrowed %}row.{{ unique.ident }}.as_ref() == Some(value){% when UniqueParam::Owned %}row.{{ unique.ident }} == Some(value){% endmatch %}
{%- else -%}
{% match unique.param_kind %}{% when UniqueParam::Borrowed %}row.{{ unique.ident }} == *value{% else %}row.{{ unique.ident }} == value{% endmatch %}
{%- endif %}
{%- endmacro %}
