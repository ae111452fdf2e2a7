//! `@embed` fields through the code generated for the `vector_search`
//! fixture, against a real node: a vector left unset is computed from the
//! text fields by the `Db`'s embedder on insert (one set is kept), nothing
//! is written without an embedder or when it fails, and `search_text`
//! embeds a text and searches.
//!
//! The embedder here is a small bag-of-words model written for the test
//! (each word counts in one of 16 components): what matters is that the
//! generated code sends the right text and uses the answer. The local
//! sentence model of #14 will be tested the same way once it exists.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use corm::embed::{EmbedError, Embedder};
use corm::futures::future::BoxFuture;
use corm::testing::with_keyspace;
use corm::{Error, Session, Vector};
use corm_codegen_fixtures::vector_search::{Db, Note, NoteKey};

/// Words hashed into 16 components, plus a constant one (never zero).
#[derive(Debug, Default)]
struct Words {
    calls: AtomicUsize,
    fail: bool,
}

fn words(text: &str) -> Vec<f32> {
    let mut vector = vec![0.0_f32; 16];
    vector[15] = 0.1;
    for word in text.split_whitespace() {
        let bucket = word.to_lowercase().bytes().fold(7_usize, |hash, byte| {
            hash.wrapping_mul(31).wrapping_add(usize::from(byte))
        }) % 15;
        vector[bucket] += 1.0;
    }
    vector
}

impl Embedder for Words {
    fn model(&self) -> &str {
        "words"
    }

    fn dimensions(&self) -> usize {
        16
    }

    fn embed_batch<'a>(
        &'a self,
        texts: &'a [&'a str],
    ) -> BoxFuture<'a, Result<Vec<Vec<f32>>, EmbedError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let answer = if self.fail {
            Err(EmbedError::Model("the model is down".to_owned()))
        } else {
            Ok(texts.iter().map(|text| words(text)).collect())
        };
        Box::pin(async move { answer })
    }
}

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn note(id: i32, title: &str, body: Option<&str>) -> Note {
    Note {
        id,
        title: title.to_owned(),
        body: body.map(str::to_owned),
        embedding: None,
    }
}

#[tokio::test]
async fn unset_vectors_are_computed_from_their_text_and_searched_by_text() {
    with_keyspace("embed_fields", |session| async move {
        let plain = db(session).await;
        // Without an embedder, nothing is written.
        let storm = note(
            1,
            "Storm warning",
            Some("heavy rain and flood on the river"),
        );
        let refused = plain.note().insert(&storm).await;
        assert!(
            matches!(refused, Err(Error::Embed(EmbedError::Config(_)))),
            "{refused:?}"
        );
        assert_eq!(plain.note().get(&NoteKey { id: 1 }).await.unwrap(), None);

        let embedder = Arc::new(Words::default());
        let db = plain.with_embedder(embedder.clone());
        db.note().insert(&storm).await.unwrap();
        db.note()
            .insert(&note(2, "Beach holiday", Some("sunny days sand and sea")))
            .await
            .unwrap();
        db.note()
            .insert(&note(3, "Quarterly budget", None))
            .await
            .unwrap();
        // The stored vector is the embedder's, of the set texts, one per line.
        let stored = db.note().get(&NoteKey { id: 1 }).await.unwrap().unwrap();
        let expected = words("Storm warning\nheavy rain and flood on the river");
        assert_eq!(stored.embedding.unwrap().as_slice(), expected.as_slice());
        let stored = db.note().get(&NoteKey { id: 3 }).await.unwrap().unwrap();
        assert_eq!(
            stored.embedding.unwrap().as_slice(),
            words("Quarterly budget").as_slice()
        );

        // A vector the row sets is kept, and computing it is skipped.
        let calls = embedder.calls.load(Ordering::SeqCst);
        let mut given = note(4, "Given", None);
        given.embedding = Some(Vector::from([0.25; 16]));
        assert!(db.note().insert_if_not_exists(&given).await.unwrap());
        assert_eq!(embedder.calls.load(Ordering::SeqCst), calls);
        let stored = db.note().get(&NoteKey { id: 4 }).await.unwrap().unwrap();
        assert_eq!(stored.embedding, Some(Vector::from([0.25; 16])));

        // Nothing to embed (a blank title, no body): the vector stays unset.
        db.note().insert(&note(5, "   ", None)).await.unwrap();
        let stored = db.note().get(&NoteKey { id: 5 }).await.unwrap().unwrap();
        assert_eq!(stored.embedding, None);

        // Searching by text embeds the text with the same embedder.
        let found = db
            .note()
            .search_text("flood on the river", 2)
            .await
            .unwrap();
        assert_eq!(found[0].row.id, 1, "{found:?}");
        let found = db.note().search_text("sand and sea", 1).await.unwrap();
        assert_eq!(found[0].row.id, 2, "{found:?}");

        // An embedder that fails: its error, and nothing written.
        let broken = plain.with_embedder(Arc::new(Words {
            fail: true,
            ..Words::default()
        }));
        let refused = broken.note().insert(&note(6, "Lost", None)).await;
        assert!(
            matches!(refused, Err(Error::Embed(EmbedError::Model(_)))),
            "{refused:?}"
        );
        assert!(
            refused
                .as_ref()
                .err()
                .is_some_and(Error::certainly_not_applied)
        );
        assert_eq!(db.note().get(&NoteKey { id: 6 }).await.unwrap(), None);
    })
    .await;
}
