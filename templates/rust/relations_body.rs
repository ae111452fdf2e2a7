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
        let mut loaded: Vec<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}> = vec![{% if loader.many %}Vec::new(){% else %}None{% endif %}; {{ loader.inputs }}.len()];
        let mut positions = std::collections::BTreeMap::new();
        for (position, {{ loader.input }}) in {{ loader.inputs }}.iter().enumerate() {
{% if let Some(guard) = loader.input_key.guard %}
            let {{ guard.pattern }} = {{ guard.value }} else {
                continue;
            };
{% endif %}
            positions
                .entry({{ loader.input_key.key }})
                .or_insert_with(Vec::new)
                .push(position);
        }
        if positions.is_empty() {
            return Ok(loaded);
        }
        let statement = self.base.statements().extra().get({{ loader.batch_key }}, || {
            let table = self.db.{{ loader.target_accessor }}().statements().table();
            [{{ loader.select }}, table, {% if let Some(in_where) = loader.in_where %}{{ in_where }}{% else %}{{ loader.one_where }}{% endif %}].concat()
        });
        let prepared = statement.prepared(self.base.session()).await?;
{% if loader.chunked() %}
        let keys: Vec<_> = positions.keys().copied().collect();
{% endif %}
        let rows: Vec<{{ loader.row }}> = corm::paging::read_concurrently(self.base.session(), prepared, self.base.options(), {{ loader.requests }}, corm::loader::CONCURRENT_REQUESTS).await?;
        for row in rows {
{% if let Some(guard) = loader.row_key.guard %}
            let {{ guard.pattern }} = {{ guard.value }} else {
                continue;
            };
{% endif %}
            if let Some((&last, others)) = positions.get({{ loader.row_key.lookup }}).and_then(|at| at.split_last()) {
                for &position in others {
{% if loader.many %}
                    loaded[position].push(row.clone());
{% else %}
                    loaded[position] = Some(row.clone());
{% endif %}
                }
{% if loader.many %}
                loaded[last].push(row);
{% else %}
                loaded[last] = Some(row);
{% endif %}
            }
        }
        Ok(loaded)
    }
{% endfor %}
}
{% endfor %}
