{#- The rows of aggregates. -#}
{#- A native aggregate's row field from the value read into its name. -#}
{% macro native_field(field) -%}
{% match field.read_as %}{% when ReadAs::Itself %}{{ field.ident }}{% when ReadAs::Counter %}{{ field.ident }}: {{ field.ident }}.0{% when ReadAs::OptionalCounter %}{{ field.ident }}: {{ field.ident }}.map(|counter| counter.0){% endmatch %}
{%- endmacro %}
