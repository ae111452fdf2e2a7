{% for repo in file.repos %}

impl {{ repo.repo }}<'_> {
{% for loader in repo.loaders %}
{% for line in loader.one_doc %}
    ///{{ line }}
{% endfor %}
    pub async fn {{ loader.one }}(
        &self,
        {{ loader.input }}: &{{ loader.input_ty }},
    ) -> corm::Result<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}> {
{% if let Some(guard) = loader.input_key.guard %}
        let {{ guard.pattern }} = {{ guard.value }} else {
            return Ok({% if loader.many %}Vec::new(){% else %}None{% endif %});
        };
{% endif %}
        let statement = self.base.statements().extra().get({{ loader.one_key }}, || {
            let table = self.db.{{ loader.target_accessor }}().statements().table();
            [{{ loader.select }}, table, {{ loader.one_where }}].concat()
        });
        let prepared = statement.prepared(self.base.session()).await?;
{% if loader.many %}
        corm::paging::read_all(self.base.session(), prepared, self.base.options(), {{ loader.input_key.values }}).await
{% else %}
        self.base.session().execute_first(&self.base.options().apply(prepared), {{ loader.input_key.values }}).await
{% endif %}
    }

{% for line in loader.batch_doc %}
    ///{{ line }}
{% endfor %}
    pub async fn {{ loader.batch }}(
        &self,
        {{ loader.inputs }}: &[{{ loader.input_ty }}],
    ) -> corm::Result<Vec<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}>> {
        let keys = corm::loader::distinct_keys({{ loader.inputs }}, |{{ loader.input }}| {% include "rust/loader_input_key.rs" %});
        if keys.is_empty() {
            return Ok(vec![{% if loader.many %}Vec::new(){% else %}None{% endif %}; {{ loader.inputs }}.len()]);
        }
        let statement = self.base.statements().extra().get({{ loader.batch_key }}, || {
            let table = self.db.{{ loader.target_accessor }}().statements().table();
            [{{ loader.select }}, table, {% if let Some(in_where) = loader.in_where %}{{ in_where }}{% else %}{{ loader.one_where }}{% endif %}].concat()
        });
        let prepared = statement.prepared(self.base.session()).await?;
        let rows: Vec<{{ loader.row }}> = corm::paging::read_concurrently(self.base.session(), prepared, self.base.options(), {{ loader.requests }}, corm::loader::CONCURRENT_REQUESTS).await?;
        Ok(corm::loader::distribute(
            {{ loader.inputs }},
            &rows,
            |{{ loader.input }}| {% include "rust/loader_input_key.rs" %},
            |row| {% if let Some(guard) = loader.row_key.guard %}{ let {{ guard.pattern }} = {{ guard.value }} else { return None; }; Some({{ loader.row_key.key }}) }{% else %}Some({{ loader.row_key.key }}){% endif %},
        ))
    }
{% endfor %}
}
{% endfor %}
