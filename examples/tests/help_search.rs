//! `@embed` and `search_text` end to end with the real local model
//! (all-MiniLM-L6-v2 in-process), through the example's generated
//! `HelpArticle`: inserting an article without an embedding stores the
//! model's vector of its title and body; a vector given by the caller is
//! kept; a question finds the article that answers it first, above the
//! unrelated ones.
//!
//! Needs the model files and a node: `cargo xtask test --embeddings`.

mod common;

use std::sync::Arc;

use corm::Vector;
use corm::embed::{Embedder, LocalEmbedder, embed_one, joined};
use corm::testing::with_keyspace;
use corm_examples::generated::HelpArticleKey;
use corm_examples::help_centre::{ARTICLES, articles, model_dir};

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

#[tokio::test]
async fn articles_are_embedded_on_insert_and_found_by_meaning() {
    let model = LocalEmbedder::load(model_dir()).unwrap_or_else(|e| panic!("{e}"));
    let embedder: Arc<dyn Embedder> = Arc::new(model);
    with_keyspace("help_search", |session| async move {
        let db = common::db(session).await.with_embedder(embedder.clone());
        for article in articles() {
            db.help_article()
                .insert(&article)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }

        // Each stored vector is the model's vector of title and body.
        for (slug, title, body) in ARTICLES {
            let stored = db
                .help_article()
                .get(&HelpArticleKey {
                    slug: slug.to_owned(),
                })
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("{slug} is missing"));
            let text = joined(&[Some(title), Some(body)]).unwrap_or_default();
            let expected: Vector<384> = embed_one(embedder.as_ref(), &text)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let vector = stored
                .embedding
                .unwrap_or_else(|| panic!("{slug} has no vector"));
            let similarity = cosine(vector.as_slice(), expected.as_slice());
            assert!(similarity > 0.9999, "{slug}: {similarity}");
        }

        // Questions in other words than the articles: the one that answers
        // comes first, above every unrelated article.
        for (question, expected) in [
            (
                "I forgot my login, how do I get back into my account?",
                "password",
            ),
            ("How long until I get my money back?", "refunds"),
            ("Stop sending me promotional emails", "newsletter"),
            ("Can I pay with a voucher code?", "gift-cards"),
            ("I want to send a jumper back", "returns"),
            (
                "The courier should have come last week and nothing came",
                "late-delivery",
            ),
            (
                "Deliver my order to my office instead of my home",
                "address",
            ),
        ] {
            let found = db
                .help_article()
                .search_text(question, 8)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let ranked: Vec<(&str, f32)> = found
                .iter()
                .map(|scored| (scored.row.slug.as_str(), scored.score))
                .collect();
            assert_eq!(ranked.len(), ARTICLES.len(), "{question}");
            assert_eq!(ranked[0].0, expected, "{question}: {ranked:?}");
            assert!(ranked[0].1 > ranked[1].1, "{question}: {ranked:?}");
        }

        // A vector given by the caller is kept, not recomputed.
        let mut given = articles().remove(0);
        given.slug = "given".to_owned();
        let mut components = [0.0_f32; 384];
        components[0] = 1.0;
        given.embedding = Some(Vector::from(components));
        db.help_article()
            .insert(&given)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let stored = db
            .help_article()
            .get(&HelpArticleKey {
                slug: "given".to_owned(),
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .and_then(|article| article.embedding);
        assert_eq!(stored, Some(Vector::from(components)));
    })
    .await;
}
