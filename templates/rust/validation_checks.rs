{#- A `@validate` rule as a statement over `value` that records a violation in `violations`. -#}
{#- A number a rule compares with, as an expression. -#}
{% macro bound(bound) -%}
{% match bound %}{% when Bound::Literal(literal) %}{{ literal }}{% when Bound::Exact(number) %}{% if let Some(scale) = number.scale %}corm::BigDecimal::new(corm::BigInt::from({{ number.digits }}_i128), {{ scale }}){% else %}corm::BigInt::from({{ number.digits }}_i128){% endif %}{% endmatch %}
{%- endmacro %}
{#- One rule of the field named `name` (a Rust string literal). -#}
{% macro check(check, name) -%}
{% match check -%}
{% when Check::Email %}violations.email({{ name }}, value);
{%- when Check::Url %}violations.url({{ name }}, value);
{%- when Check::Regex(pattern) %}{ static PATTERN: corm::validate::Pattern = corm::validate::Pattern::new({{ pattern }}); violations.regex({{ name }}, value, &PATTERN); }
{%- when Check::NotEmpty %}violations.not_empty({{ name }}, value.is_empty());
{%- when Check::Length(min, max) %}violations.length({{ name }}, value, {{ min }}, {{ max }});
{%- when Check::Size(min, max) %}violations.size({{ name }}, value.len(), {{ min }}, {{ max }});
{%- when Check::Range(min, max) %}violations.range({{ name }}, value, &{% call bound(min) %}{% endcall %}, &{% call bound(max) %}{% endcall %});
{%- when Check::OneOfText(values) %}violations.one_of({{ name }}, value.as_str(), &[{% for value in values %}{{ value }}, {% endfor %}]);
{%- when Check::OneOf(values) %}violations.one_of({{ name }}, value, &[{% for value in values %}&{% call bound(value) %}{% endcall %}, {% endfor %}]);
{%- when Check::Vector(cosine) %}violations.vector({{ name }}, value.as_slice(), {{ cosine }});
{%- endmatch %}
{%- endmacro %}
