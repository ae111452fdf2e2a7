{#- A `@validate` rule as a statement over `value` that records a violation in `violations`. -#}
{#- A number a rule compares with, as an expression. -#}
{% macro bound(bound) -%}
{% match bound %}{% when Bound::Literal(literal) %}{{ literal }}{% when Bound::Exact(number) %}{% if let Some(scale) = number.scale %}corm::BigDecimal::new(corm::BigInt::from({{ number.digits }}_i128), {{ scale }}){% else %}corm::BigInt::from({{ number.digits }}_i128){% endif %}{% endmatch %}
{%- endmacro %}
{#- The checked value: a reference to the field `self.<field>`, or the
    local `value` (a reference) when `field` is empty. -#}
{% macro by_ref(field) -%}
{% if field.is_empty() %}value{% else %}&self.{{ field }}{% endif %}
{%- endmacro %}
{#- The same, as a place to call a method on. -#}
{% macro place(field) -%}
{% if field.is_empty() %}value{% else %}self.{{ field }}{% endif %}
{%- endmacro %}
{#- One rule of the field named `name` (a Rust string literal), over
    `self.<of>` (or the local `value` when `of` is empty). -#}
{% macro check(check, name, of) -%}
{% match check -%}
{% when Check::Email %}violations.email({{ name }}, {% call by_ref(of) %}{% endcall %});
{%- when Check::Url %}violations.url({{ name }}, {% call by_ref(of) %}{% endcall %});
{%- when Check::Regex(pattern) %}{ static PATTERN: corm::validate::Pattern = corm::validate::Pattern::new({{ pattern }}); violations.regex({{ name }}, {% call by_ref(of) %}{% endcall %}, &PATTERN); }
{%- when Check::NotEmpty %}violations.not_empty({{ name }}, {% call place(of) %}{% endcall %}.is_empty());
{%- when Check::Length(min, max) %}violations.length({{ name }}, {% call by_ref(of) %}{% endcall %}, {{ min }}, {{ max }});
{%- when Check::Size(min, max) %}violations.size({{ name }}, {% call place(of) %}{% endcall %}.len(), {{ min }}, {{ max }});
{%- when Check::Range(min, max) %}violations.range({{ name }}, {% call by_ref(of) %}{% endcall %}, &{% call bound(min) %}{% endcall %}, &{% call bound(max) %}{% endcall %});
{%- when Check::OneOfText(values) %}violations.one_of({{ name }}, {% call place(of) %}{% endcall %}.as_str(), &[{% for value in values %}{{ value }}, {% endfor %}]);
{%- when Check::OneOf(values) %}violations.one_of({{ name }}, {% call by_ref(of) %}{% endcall %}, &[{% for value in values %}&{% call bound(value) %}{% endcall %}, {% endfor %}]);
{%- when Check::Vector(cosine) %}violations.vector({{ name }}, {% call place(of) %}{% endcall %}.as_slice(), {{ cosine }});
{%- endmatch %}
{%- endmacro %}
