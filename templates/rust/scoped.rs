{# A named query's or aggregate's method on a tenant's handle: the tenant id bound. #}
{% macro scoped_method(doc, many_args, ident, scoped, awaited, note) %}

impl {{ scoped.wrapper }}<'_> {
{% for line in doc.iter() %}
    ///{{ line }}
{% endfor %}
    ///
    /// {{ note }}
{% if many_args %}
    #[allow(clippy::too_many_arguments)]
{% endif %}
{% if awaited %}
    pub async fn {{ ident }}(
        &self,
{% else %}
    pub fn {{ ident }}<'s>(
        &'s self,
{% endif %}
{% for param in scoped.params.iter() %}
        {{ param.ident }}: {{ param.ty }},
{% endfor %}
{% if awaited %}
    ) -> corm::Result<{{ scoped.returns }}> {
        self.repo.{{ ident }}({{ scoped.tenant_arg }}, {% for param in scoped.params.iter() %}{{ param.ident }}, {% endfor %}).await
{% else %}
    ) -> impl corm::Fetch<{{ scoped.returns }}> + 's {
        self.repo.{{ ident }}({{ scoped.tenant_arg }}, {% for param in scoped.params.iter() %}{{ param.ident }}, {% endfor %})
{% endif %}
    }
}
{% endmacro %}
{# `TenantScoped`'s and `TenantPoint`'s conversions: fill and strip the tenant id. #}
{% macro tenant_conversions(field, row, fields) %}
    fn with_tenant(tenant: {{ field.ty }}, row: {{ row }}) -> Self {
        Self {
            {{ field.ident }}: tenant,
{% for column in fields.iter() %}
            {{ column.ident }}: row.{{ column.ident }},
{% endfor %}
        }
    }

    fn without_tenant(self) -> {{ row }} {
        {{ row }} {
{% for column in fields.iter() %}
            {{ column.ident }}: self.{{ column.ident }},
{% endfor %}
        }
    }
{% endmacro %}
{# The fields of a row without its tenant id (`<Model>InTenant`, `<Series>InTenant`). #}
{% macro fields_without_tenant(fields) %}
{% for column in fields.iter() %}
{% for line in column.doc.iter() %}
    ///{{ line }}
{% endfor %}
    pub {{ column.ident }}: {{ column.ty }},
{% endfor %}
{% endmacro %}
