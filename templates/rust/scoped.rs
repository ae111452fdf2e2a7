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
