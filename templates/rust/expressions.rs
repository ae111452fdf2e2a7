{#- Rust expressions: tuples, arguments, group keys, and reads of a row's
    fields (`RowField`s). #}

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

{#- `args`, separated by commas: `&a`, `b.as_deref()`, `c.as_ref()`. #}
{% macro arguments(args) -%}
{% for arg in args.iter() %}{% match arg.pass %}{% when Pass::Ref %}&{{ arg.local }}{% when Pass::AsDeref %}{{ arg.local }}.as_deref(){% when Pass::AsRef %}{{ arg.local }}.as_ref(){% endmatch %}{% if !loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}

{#- `items` as a group key, its type or `finish`'s parameter: the one item
    alone, or a tuple of them. #}
{% macro grouped(items) -%}
{% if items.len() > 1 %}({% endif %}{% for item in items.iter() %}{{ item }}{% if !loop.last %}, {% endif %}{% endfor %}{% if items.len() > 1 %}){% endif %}
{%- endmacro %}

{#- A row read's group key (`KeyPart`s): each local, or its clone. #}
{% macro group_key(parts) -%}
{% if parts.len() > 1 %}({% endif %}{% for part in parts.iter() %}{% if part.cloned %}Clone::clone(&{{ part.local }}){% else %}{{ part.local }}{% endif %}{% if !loop.last %}, {% endif %}{% endfor %}{% if parts.len() > 1 %}){% endif %}
{%- endmacro %}
