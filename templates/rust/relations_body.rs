{% for repo in file.repos %}

impl {{ repo.repo }}<'_> {
{% for loader in repo.loaders %}
{% for line in loader.one_doc %}
    ///{{ line }}
{% endfor %}
    pub fn {{ loader.one }}<'s>(
        &'s self,
        {{ loader.input }}: &'s {{ loader.input_ty }},
    ) -> impl corm::Fetch<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}> + 's {
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ loader.one }}",
            key: {{ loader.one_key }},
            head: {{ loader.select }},
            tail: {{ loader.one_where }},
            idempotent: true,
        };
        let table = self.db.{{ loader.target_accessor }}().statements().table();
        let values = {{ loader.input_key.as_option }};
        self.base.reborrow().fetch_related_{% if loader.many %}all{% else %}optional{% endif %}(&STATEMENT, table, values)
    }

{% for line in loader.batch_doc %}
    ///{{ line }}
{% endfor %}
    pub async fn {{ loader.batch }}(
        &self,
        {{ loader.inputs }}: &[{{ loader.input_ty }}],
    ) -> corm::Result<Vec<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}>> {
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ loader.batch }}",
            key: {{ loader.batch_key }},
            head: {{ loader.select }},
            tail: {% if let Some(in_where) = loader.in_where %}{{ in_where }}{% else %}{{ loader.one_where }}{% endif %},
            idempotent: true,
        };
        let keys = corm::loader::distinct_keys({{ loader.inputs }}, |{{ loader.input }}| {% include "rust/loader_input_key.rs" %});
        let table = self.db.{{ loader.target_accessor }}().statements().table();
        let rows: Vec<{{ loader.row }}> = self.base.fetch_related_{% if loader.in_where.is_some() %}in{% else %}each{% endif %}(&STATEMENT, table, &keys).await?;
        Ok(corm::loader::distribute(
            {{ loader.inputs }},
            &rows,
            |{{ loader.input }}| {% include "rust/loader_input_key.rs" %},
            |row| {% if let Some(guard) = loader.row_key.guard %}{ let {{ guard.pattern }} = {{ guard.value }} else { return None; }; Some({{ loader.row_key.key }}) }{% else %}Some({{ loader.row_key.key }}){% endif %},
        ))
    }
{% endfor %}
}
{% if let Some(handle) = repo.tenant_handle %}

impl {{ handle }}<'_> {
{% for loader in repo.loaders %}
{% if let Some(scoped) = loader.scoped %}
{% for line in loader.one_doc %}
    ///{{ line }}
{% endfor %}
    ///
{% if scoped.strip %}
    /// On a tenant's handle: for a row of this tenant, the rows of this
    /// tenant.
{% else %}
    /// On a tenant's handle: for a row of this tenant (`{{ scoped.row }}`
    /// has no tenants: its rows are shared).
{% endif %}
    pub async fn {{ loader.one }}(
        &self,
        {{ loader.input }}: &{{ scoped.input_ty }},
    ) -> corm::Result<{% if loader.many %}Vec<{{ scoped.row }}>{% else %}Option<{{ scoped.row }}>{% endif %}> {
        let {{ loader.input }} = corm::tenancy::TenantScoped::with_tenant(Clone::clone(&self.tenant), Clone::clone({{ loader.input }}));
{% if scoped.strip %}
        let found = self.repo.{{ loader.one }}(&{{ loader.input }}).await?;
{% if loader.many %}
        Ok(found.into_iter().map(corm::tenancy::TenantScoped::without_tenant).collect())
{% else %}
        Ok(found.map(corm::tenancy::TenantScoped::without_tenant))
{% endif %}
{% else %}
        self.repo.{{ loader.one }}(&{{ loader.input }}).await
{% endif %}
    }

{% for line in loader.batch_doc %}
    ///{{ line }}
{% endfor %}
    ///
    /// On a tenant's handle, as [`{{ loader.one }}`](Self::{{ loader.one }}).
    pub async fn {{ loader.batch }}(
        &self,
        {{ loader.inputs }}: &[{{ scoped.input_ty }}],
    ) -> corm::Result<Vec<{% if loader.many %}Vec<{{ scoped.row }}>{% else %}Option<{{ scoped.row }}>{% endif %}>> {
        let {{ loader.inputs }}: Vec<_> = {{ loader.inputs }}
            .iter()
            .map(|{{ loader.input }}| corm::tenancy::TenantScoped::with_tenant(Clone::clone(&self.tenant), Clone::clone({{ loader.input }})))
            .collect();
{% if scoped.strip %}
        let found = self.repo.{{ loader.batch }}(&{{ loader.inputs }}).await?;
        Ok(found
            .into_iter()
{% if loader.many %}
            .map(|rows| rows.into_iter().map(corm::tenancy::TenantScoped::without_tenant).collect())
{% else %}
            .map(|row| row.map(corm::tenancy::TenantScoped::without_tenant))
{% endif %}
            .collect())
{% else %}
        self.repo.{{ loader.batch }}(&{{ loader.inputs }}).await
{% endif %}
    }
{% endif %}
{% endfor %}
}
{% endif %}
{% endfor %}
