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
        let values = {% call key_bindings::values_option(loader.input_key) %}{% endcall %};
        self.base.reborrow().fetch_related_{% if loader.many %}all{% else %}optional{% endif %}(&STATEMENT, table, values)
    }

{% for line in loader.batch_doc %}
    ///{{ line }}
{% endfor %}
    pub fn {{ loader.batch }}<'s>(
        &'s self,
        {{ loader.inputs }}: &'s [{{ loader.input_ty }}],
    ) -> impl corm::Fetch<Vec<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}>> + 's {
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ loader.batch }}",
            key: {{ loader.batch_key }},
            head: {{ loader.select }},
            tail: {% if let Some(in_where) = loader.in_where %}{{ in_where }}{% else %}{{ loader.one_where }}{% endif %},
            idempotent: true,
        };
        struct {{ loader.relation_ident }};
        impl corm::loader::Relation for {{ loader.relation_ident }} {
            type Input = {{ loader.input_ty }};
            type Row = {{ loader.row }};
            type Key<'k> = {% call key_bindings::key_type(loader.input_key, loader.key_types) %}{% endcall %};
            fn input_key({{ loader.input }}: &{{ loader.input_ty }}) -> Option<Self::Key<'_>> {
{% call key_bindings::guard(loader.input_key) %}{% endcall %}
                Some({% call key_bindings::key(loader.input_key) %}{% endcall %})
            }
            fn row_key(row: &{{ loader.row }}) -> Option<Self::Key<'_>> {
{% call key_bindings::guard(loader.row_key) %}{% endcall %}
                Some({% call key_bindings::key(loader.row_key) %}{% endcall %})
            }
        }
        let table = self.db.{{ loader.target_accessor }}().statements().table();
        self.base.load_{% if loader.in_where.is_some() %}in{% else %}each{% endif %}::<{{ loader.relation_ident }}, {% if loader.many %}Vec<_>{% else %}Option<_>{% endif %}>(&STATEMENT, table, {{ loader.inputs }})
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
