//! The `hostile_names` fixture on the node: columns whose CQL names are
//! keywords, carry quotes, semicolons and comment markers, or are not
//! ASCII, written and read with values made of the same pieces. Every
//! value comes back as written and the table keeps exactly its rows: no
//! name or value changed a statement.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use corm::testing::with_keyspace;
use corm::{TryStreamExt, Uuid};
use corm_codegen_fixtures::hostile_names::{Db, Hostile};

/// Pieces that break naive quoting, joined into values.
const PIECES: &[&str] = &[
    "'",
    "''",
    "\"",
    ";",
    "--",
    "/*",
    "*/",
    "\\",
    "\0",
    "\n",
    " ",
    "DROP TABLE hostile",
    "?",
    ":name",
    "$$",
    "Ünï",
    "名前",
    "🙂",
    ")",
    "(",
    "x",
];

/// A value of up to eight pieces, picked by `seed`.
fn hostile(mut seed: u64) -> String {
    let mut value = String::new();
    for _ in 0..=(seed % 8) {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        value.push_str(PIECES[usize::try_from(seed >> 59).unwrap() % PIECES.len()]);
    }
    value
}

#[tokio::test]
async fn hostile_names_and_values_round_trip() {
    with_keyspace("hostile_names", |session| async move {
        let keyspace = session.keyspace().unwrap().to_owned();
        let db = Db::new(session, &keyspace);
        db.setup().await.unwrap();
        let rows: Vec<Hostile> = (0..200_u64)
            .map(|n| Hostile {
                id: Uuid::new_v4(),
                select: hostile(n),
                quoted: hostile(n + 1_000),
                dropper: hostile(n + 2_000),
                unicode: hostile(n + 3_000),
                spaced: (n % 3 != 0).then(|| hostile(n + 4_000)),
            })
            .collect();
        for row in &rows {
            db.hostile().insert(row).await.unwrap();
        }
        for row in &rows {
            assert_eq!(
                db.hostile().get(&row.key()).await.unwrap().as_ref(),
                Some(row)
            );
        }
        let mut all: Vec<Hostile> = db
            .hostile()
            .scan()
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        all.sort_by_key(|row| row.id);
        let mut expected = rows.clone();
        expected.sort_by_key(|row| row.id);
        assert_eq!(all, expected);
    })
    .await;
}
