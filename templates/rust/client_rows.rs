{#- What a client-side aggregate does with its finished rows: `having`
    (`Condition`), `order` (`Ordering`) and `limit` (`Limit`). -#}

{#- A `having` condition's operand. -#}
{% macro operand(condition) -%}
{{ condition.operand }}{% if condition.operand_text %}.as_str(){% endif %}
{%- endmacro %}

{#- One `having` condition over `row`. -#}
{% macro condition(c) -%}
{% match c.reach %}
{%- when Reach::Plain %}row.{{ c.field }} {{ c.op }} {% call operand(c) %}{% endcall %}
{%- when Reach::Deref %}row.{{ c.field }} {{ c.op }} *{% call operand(c) %}{% endcall %}
{%- when Reach::Str %}row.{{ c.field }}.as_str() {{ c.op }} {% call operand(c) %}{% endcall %}
{%- when Reach::Slice %}row.{{ c.field }}.as_slice() {{ c.op }} {% call operand(c) %}{% endcall %}
{%- when Reach::Some %}row.{{ c.field }}.is_some_and(|{{ c.value }}| {{ c.value }} {{ c.op }} {% call operand(c) %}{% endcall %})
{%- when Reach::SomeStr %}row.{{ c.field }}.is_some_and(|{{ c.value }}| {{ c.value }}.as_str() {{ c.op }} {% call operand(c) %}{% endcall %})
{%- when Reach::RefSome %}row.{{ c.field }}.as_ref().is_some_and(|{{ c.value }}| {{ c.value }} {{ c.op }} {% call operand(c) %}{% endcall %})
{%- when Reach::RefSomeDeref %}row.{{ c.field }}.as_ref().is_some_and(|{{ c.value }}| *{{ c.value }} {{ c.op }} {% call operand(c) %}{% endcall %})
{%- when Reach::RefSomeStr %}row.{{ c.field }}.as_ref().is_some_and(|{{ c.value }}| {{ c.value }}.as_str() {{ c.op }} {% call operand(c) %}{% endcall %})
{%- when Reach::DerefSome %}row.{{ c.field }}.as_deref().is_some_and(|{{ c.value }}| {{ c.value }} {{ c.op }} {% call operand(c) %}{% endcall %})
{%- endmatch %}
{%- endmacro %}

{#- Every `having` condition, all of which must hold. -#}
{% macro having(client) -%}
{% for c in client.having %}{% if !loop.first %} && {% endif %}{% call condition(c) %}{% endcall %}{% endfor %}
{%- endmacro %}

{#- How many rows are kept, as a `usize`. -#}
{% macro limit(limit) -%}
{% match limit %}{% when Limit::Fixed(n) %}{{ n }}{% when Limit::Param(param) %}usize::try_from({{ param }}).unwrap_or(0){% endmatch %}
{%- endmacro %}

{#- Without `group by`: whether the one row is kept. -#}
{% macro keeps(client) -%}
{% if let Some(limit) = client.limit %}
{%- if client.having.is_empty() %}{% call limit(limit) %}{% endcall %} > 0
{%- else %}({% call having(client) %}{% endcall %}) && {% call limit(limit) %}{% endcall %} > 0
{%- endif %}
{%- else %}{% call having(client) %}{% endcall %}
{%- endif %}
{%- endmacro %}

{#- The `sort_by_key` key of `row`, by the one ordered field. -#}
{% macro sort_key(o) -%}
{% if o.descending %}std::cmp::Reverse({% endif %}
{%- match o.by %}
{%- when OrderBy::Text %}row.{{ o.field }}.as_str()
{%- when OrderBy::OptionalText %}row.{{ o.field }}.map({{ o.path }}::as_str)
{%- else %}row.{{ o.field }}
{%- endmatch %}
{%- if o.descending %}){% endif %}
{%- endmacro %}

{#- How rows `first` and `second` compare by one ordered field. -#}
{% macro compare_rows(o, first, second) -%}
{% match o.by %}
{%- when OrderBy::Ord %}{{ first }}.{{ o.field }}.cmp(&{{ second }}.{{ o.field }})
{%- when OrderBy::Text %}{{ first }}.{{ o.field }}.as_str().cmp({{ second }}.{{ o.field }}.as_str())
{%- when OrderBy::OptionalText %}{{ first }}.{{ o.field }}.map({{ o.path }}::as_str).cmp(&{{ second }}.{{ o.field }}.map({{ o.path }}::as_str))
{%- when OrderBy::OptionalOpenText %}{{ first }}.{{ o.field }}.as_ref().map({{ o.path }}::as_str).cmp(&{{ second }}.{{ o.field }}.as_ref().map({{ o.path }}::as_str))
{%- when OrderBy::Float %}{{ first }}.{{ o.field }}.total_cmp(&{{ second }}.{{ o.field }})
{%- endmatch %}
{%- endmacro %}

{#- How rows `a` and `b` compare by one ordered field, in its direction. -#}
{% macro compare(o) -%}
{% if o.descending %}{% call compare_rows(o, "b", "a") %}{% endcall %}{% else %}{% call compare_rows(o, "a", "b") %}{% endcall %}{% endif %}
{%- endmacro %}

{#- The comparator's body: each ordered field in turn. -#}
{% macro comparator(client) -%}
{% for o in client.order %}{% if !loop.first %}.then_with(|| {% endif %}{% call compare(o) %}{% endcall %}{% if !loop.first %}){% endif %}{% endfor %}
{%- endmacro %}
