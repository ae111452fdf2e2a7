{% import "rust/expressions.rs" as expressions %}
{#- A relation's key (`KeyBinding`) read from its input or a loaded row. #}

{#- One part of the key `b`: a reference to the field (or the local a
    guard bound), or a timestamp's milliseconds. #}
{% macro part(b, f) -%}
{% if f.millis %}corm::CqlTimestamp({% if b.guarded %}{{ f.local }}{% else %}{{ b.var }}.{{ f.ident }}{% endif %}.timestamp_millis()){% else if b.guarded %}{{ f.local }}{% else %}&{{ b.var }}.{{ f.ident }}{% endif %}
{%- endmacro %}

{#- The key as a statement's values: a tuple, even of one part. #}
{% macro values(b) -%}
({% for f in b.parts.iter() %}{% call part(b, f) %}{% endcall %}{% if loop.first && loop.last %},{% else if !loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- The key a loader compares: its values, or the one part bare when an
    `IN` read binds it. #}
{% macro key(b) -%}
{% if b.as_row || b.parts.len() > 1 %}{% call values(b) %}{% endcall %}{% else %}{% for f in b.parts.iter() %}{% call part(b, f) %}{% endcall %}{% endfor %}{% endif %}
{%- endmacro %}

{#- The pattern a guard binds the fields with: `Some(a)`, `(Some(a), b)`. #}
{% macro guard_pattern(b) -%}
{% if b.parts.len() > 1 %}({% endif %}{% for f in b.parts.iter() %}{% if f.optional %}Some({{ f.local }}){% else %}{{ f.local }}{% endif %}{% if !loop.last %}, {% endif %}{% endfor %}{% if b.parts.len() > 1 %}){% endif %}
{%- endmacro %}

{#- The fields a guard matches: `&row.a`, `(&row.a, &row.b)`. #}
{% macro guard_value(b) -%}
{% if b.parts.len() > 1 %}({% endif %}{% for f in b.parts.iter() %}&{{ b.var }}.{{ f.ident }}{% if !loop.last %}, {% endif %}{% endfor %}{% if b.parts.len() > 1 %}){% endif %}
{%- endmacro %}

{#- `let … else { return None; };` when a field is optional. #}
{% macro guard(b) -%}
{% if b.guarded %}
                let {% call guard_pattern(b) %}{% endcall %} = {% call guard_value(b) %}{% endcall %} else {
                    return None;
                };
{% endif %}
{%- endmacro %}

{#- The key's values as an `Option`: `None` when a field of it is `None`
    (`Option::map` on the one field when the key is one optional field). #}
{% macro values_option(b) -%}
{% if !b.guarded %}Some({% call values(b) %}{% endcall %}){% else if b.parts.len() == 1 %}{% for f in b.parts.iter() %}{{ b.var }}.{{ f.ident }}.as_ref().map(|{{ f.local }}| {% call values(b) %}{% endcall %}){% endfor %}{% else %}if let {% call guard_pattern(b) %}{% endcall %} = {% call guard_value(b) %}{% endcall %} { Some({% call values(b) %}{% endcall %}) } else { None }{% endif %}
{%- endmacro %}

{#- The key's type, of the parts' `types`: bare or a tuple, as the key is. #}
{% macro key_type(b, types) -%}
{% if b.as_row %}{% call expressions::tuple(types) %}{% endcall %}{% else %}{% call expressions::grouped(types) %}{% endcall %}{% endif %}
{%- endmacro %}
