{#- The running totals of a client-side aggregate, one selected item at a
    time: what `new` seeds, what `add` does with a row's value and what
    `finish` puts in the result row (see `RunningTotal`). -#}

{#- The operator a `min` or `max` keeps a value by. -#}
{% macro op(total) -%}
{% if total.op == TotalOp::Min %}<{% else %}>{% endif %}
{%- endmacro %}

{#- A `min` or `max`'s kept value, as a seeded one is compared. -#}
{% macro kept(total) -%}
{% match total.kept %}{% when Kept::Str %}self.{{ total.total }}.as_str(){% when Kept::Slice %}self.{{ total.total }}.as_slice(){% when Kept::Value %}self.{{ total.total }}{% when Kept::Borrowed %}&self.{{ total.total }}{% endmatch %}
{%- endmacro %}

{#- Whether the row's value beats the kept one (`seeded`) or `current`. -#}
{% macro beats(total, seeded) -%}
{% match total.compare %}
{%- when Compare::Plain %}{{ total.local }} {% call op(total) %}{% endcall %} {% if seeded %}{% call kept(total) %}{% endcall %}{% else %}{{ total.current }}{% endif %}
{%- when Compare::Text %}{{ total.local }}.as_str() {% call op(total) %}{% endcall %} {% if seeded %}{% call kept(total) %}{% endcall %}{% else %}{{ total.current }}{% endif %}.as_str()
{%- when Compare::Float %}{{ total.local }}.total_cmp({% if seeded %}{% call kept(total) %}{% endcall %}{% else %}{{ total.current }}{% endif %}).{% if total.op == TotalOp::Min %}is_lt{% else %}is_gt{% endif %}()
{%- endmatch %}
{%- endmacro %}

{#- A `min` or `max`'s value, owned. -#}
{% macro owned(total) -%}
{% match total.owned %}{% when Owned::Copy %}*{{ total.local }}{% when Owned::ToOwned %}{{ total.local }}.to_owned(){% when Owned::Clone %}Clone::clone({{ total.local }}){% endmatch %}
{%- endmacro %}

{#- A `sum` or `avg`'s zero. -#}
{% macro zero(total) -%}
{% match total.summand %}{% when Summand::Integer | Summand::Counter %}0{% when Summand::NarrowFloat | Summand::Float %}0.0{% when Summand::Exact %}Default::default(){% endmatch %}
{%- endmacro %}

{#- A `sum` or `avg`'s value, as it is added. -#}
{% macro summand(total) -%}
{% match total.summand %}{% when Summand::Counter %}i128::from({{ total.local }}.0){% when Summand::Integer %}i128::from(*{{ total.local }}){% when Summand::NarrowFloat %}f64::from(*{{ total.local }}){% when Summand::Float %}*{{ total.local }}{% when Summand::Exact %}{{ total.local }}{% endmatch %}
{%- endmacro %}

{#- `new`'s field initialisers. -#}
{% macro new_init(total) %}
{% match total.op %}
{% when TotalOp::CountRows | TotalOp::CountValues %}
            {{ total.total }}: 0,
{% when TotalOp::Sum %}
            {{ total.total }}: {% call zero(total) %}{% endcall %},
{% when TotalOp::Avg %}
            {{ total.total }}: {% call zero(total) %}{% endcall %},
            {{ total.count }}: 0,
{% when TotalOp::Min | TotalOp::Max %}
{% if total.seeded %}
            {{ total.total }}: {% call owned(total) %}{% endcall %},
{% else %}
            {{ total.total }}: None,
{% endif %}
{% endmatch %}
{% endmacro %}

{#- `add`'s statements. -#}
{% macro add_step(total) %}
{% match total.op %}
{% when TotalOp::CountRows %}
        self.{{ total.total }} += 1;
{% when TotalOp::CountValues %}
        if {{ total.local }}.is_some() { self.{{ total.total }} += 1; }
{% when TotalOp::Sum %}
{% if total.optional %}
        if let Some({{ total.local }}) = {{ total.local }} { self.{{ total.total }} += {% call summand(total) %}{% endcall %}; }
{% else %}
        self.{{ total.total }} += {% call summand(total) %}{% endcall %};
{% endif %}
{% when TotalOp::Avg %}
{% if total.optional %}
        if let Some({{ total.local }}) = {{ total.local }} { self.{{ total.total }} += {% call summand(total) %}{% endcall %}; self.{{ total.count }} += 1; }
{% else %}
        self.{{ total.total }} += {% call summand(total) %}{% endcall %}; self.{{ total.count }} += 1;
{% endif %}
{% when TotalOp::Min | TotalOp::Max %}
{% if total.seeded %}
        if {% call beats(total, true) %}{% endcall %} { self.{{ total.total }} = {% call owned(total) %}{% endcall %}; }
{% else if total.optional %}
        if let Some({{ total.local }}) = {{ total.local }}.filter(|&{{ total.local }}| self.{{ total.total }}.{{ total.borrow }}().is_none_or(|{{ total.current }}| {% call beats(total, false) %}{% endcall %})) { self.{{ total.total }} = Some({% call owned(total) %}{% endcall %}); }
{% else %}
        if self.{{ total.total }}.{{ total.borrow }}().is_none_or(|{{ total.current }}| {% call beats(total, false) %}{% endcall %}) { self.{{ total.total }} = Some({% call owned(total) %}{% endcall %}); }
{% endif %}
{% endmatch %}
{% endmacro %}

{#- `finish`'s field initialiser of the result row. -#}
{% macro finish_init(total) %}
{% match total.op %}
{% when TotalOp::Sum %}
{% match total.summand %}
{% when Summand::Integer | Summand::Counter %}
            {{ total.field }}: {{ total.target }}::try_from(self.{{ total.total }}).map_err(|_| {{ total.overflow }})?,
{% when Summand::NarrowFloat %}
            {{ total.field }}: self.{{ total.total }} as f32,
{% when Summand::Float | Summand::Exact %}
            {{ total.field }}: self.{{ total.total }},
{% endmatch %}
{% when TotalOp::Avg %}
{% match total.summand %}
{% when Summand::Integer | Summand::Counter %}
            {{ total.field }}: {{ total.target }}::try_from(self.{{ total.total }}.checked_div(i128::from(self.{{ total.count }})).unwrap_or(0)).map_err(|_| {{ total.overflow }})?,
{% when Summand::Exact %}
            {{ total.field }}: if self.{{ total.count }} == 0 { Default::default() } else { self.{{ total.total }} / {{ total.target }}::from(self.{{ total.count }}) },
{% when Summand::NarrowFloat %}
            {{ total.field }}: (if self.{{ total.count }} == 0 { 0.0 } else { self.{{ total.total }} / self.{{ total.count }} as f64 }) as f32,
{% when Summand::Float %}
            {{ total.field }}: if self.{{ total.count }} == 0 { 0.0 } else { self.{{ total.total }} / self.{{ total.count }} as f64 },
{% endmatch %}
{% when TotalOp::CountRows | TotalOp::CountValues | TotalOp::Min | TotalOp::Max %}
            {{ total.field }}: self.{{ total.total }},
{% endmatch %}
{% endmacro %}
