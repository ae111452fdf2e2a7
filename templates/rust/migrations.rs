//! The schema's `migration` blocks as data, for `corm::migrate::Migrator`
//! (also as a script in `migrations.cql`). Each statement is cut where the
//! keyspace name goes, so the same migrations run in any keyspace.

use std::borrow::Cow;

use corm::migrate::{Migration, MigrationStatement};

/// Every migration of the schema, by increasing number.
pub static MIGRATIONS: &[Migration] = &[
{% for migration in migrations %}
    Migration {
        id: {{ migration.id }},
        name: Cow::Borrowed({{ migration.name }}),
        checksum: Cow::Borrowed({{ migration.checksum }}),
        statements: Cow::Borrowed(&[
{% for statement in migration.statements %}
            MigrationStatement {
                parts: Cow::Borrowed(&[{% for part in statement %}Cow::Borrowed({{ part }}),{% endfor %}]),
            },
{% endfor %}
        ]),
    },
{% endfor %}
];
