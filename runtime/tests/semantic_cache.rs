//! The semantic cache against a real node: hits from memory, by the same
//! input and by meaning; misses; scopes; TTLs; invalidation by tag and by
//! input, seen by another cache on the same table; false hits; refusals.
//!
//! The embedder is a bag of words written for the test (each word counts in
//! one of 31 components), so that which inputs match is plain to see: the
//! same words in another order are a paraphrase (similarity 1), other words
//! are not. How well a real model tells paraphrases is measured separately,
//! on a labelled set (`semantic_cache_eval.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use corm::embed::{EmbedError, Embedder};
use corm::futures::future::BoxFuture;
use corm::semantic::{
    Answer, Conflict, DEFAULT_THRESHOLD, Guard, HitSource, Lookup, SemanticCache,
    SemanticCacheConfig,
};
use corm::testing::with_keyspace;
use corm::{Error, Session};

const DIMENSIONS: usize = 32;

/// Words hashed into 31 components, plus a small constant one.
#[derive(Debug)]
struct Words {
    model: &'static str,
    calls: AtomicUsize,
}

impl Words {
    fn new(model: &'static str) -> Arc<Self> {
        Arc::new(Self {
            model,
            calls: AtomicUsize::new(0),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn words(text: &str) -> Vec<f32> {
    let mut vector = vec![0.0_f32; DIMENSIONS];
    vector[DIMENSIONS - 1] = 0.05;
    for word in text.split_whitespace() {
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let bucket = word.bytes().fold(7_usize, |hash, byte| {
            hash.wrapping_mul(31).wrapping_add(usize::from(byte))
        }) % (DIMENSIONS - 1);
        vector[bucket] += 1.0;
    }
    vector
}

impl Embedder for Words {
    fn model(&self) -> &str {
        self.model
    }

    fn dimensions(&self) -> usize {
        DIMENSIONS
    }

    fn embed_batch<'a>(
        &'a self,
        texts: &'a [&'a str],
    ) -> BoxFuture<'a, Result<Vec<Vec<f32>>, EmbedError>> {
        self.calls.fetch_add(texts.len(), Ordering::SeqCst);
        let vectors = texts.iter().map(|text| words(text)).collect();
        Box::pin(async move { Ok(vectors) })
    }
}

fn keyspace(session: &Session) -> String {
    session.keyspace().expect("the harness uses a keyspace")
}

async fn open(
    session: &Session,
    config: SemanticCacheConfig,
    embedder: &Arc<Words>,
) -> SemanticCache<String, DIMENSIONS> {
    let embedder: Arc<dyn Embedder> = embedder.clone();
    SemanticCache::open(session.clone(), &keyspace(session), config, embedder)
        .await
        .unwrap()
}

fn source(lookup: &Lookup<String, DIMENSIONS>) -> Option<HitSource> {
    match lookup {
        Lookup::Hit(hit) => Some(hit.source),
        Lookup::Miss(_) => None,
    }
}

#[tokio::test]
async fn paraphrases_hit_and_other_questions_miss() {
    with_keyspace("semantic_hits", |session| async move {
        let embedder = Words::new("words");
        let cache = open(&session, SemanticCacheConfig::new("answers"), &embedder).await;
        cache
            .store(
                "How do I reset my password?",
                &"Use the link.".to_owned(),
                &[],
            )
            .await
            .unwrap();
        assert_eq!(embedder.calls(), 1);

        // The same input, with other spacing: from memory, nothing embedded.
        let again = cache
            .lookup("  How do I   reset my password? ")
            .await
            .unwrap();
        assert_eq!(source(&again), Some(HitSource::Memory));
        assert_eq!(embedder.calls(), 1);

        // Another process (another cache on the table, empty memory): the
        // same input is read by its id, still without embedding.
        // (Without the lexical guard, which would refuse reordered words.)
        let other_embedder = Words::new("words");
        let other = open(
            &session,
            SemanticCacheConfig::new("answers").guard(Guard::None),
            &other_embedder,
        )
        .await;
        let Lookup::Hit(hit) = other.lookup("How do I reset my password?").await.unwrap() else {
            panic!("the same input misses");
        };
        assert_eq!(
            (hit.source, hit.value.as_str(), hit.similarity),
            (HitSource::Exact, "Use the link.", 1.0)
        );
        assert_eq!(other_embedder.calls(), 0);

        // The same words in another order mean the same here: found by
        // meaning, then remembered.
        let found = other
            .lookup("my password: how do I reset it?")
            .await
            .unwrap();
        let Lookup::Hit(hit) = found else {
            panic!("the paraphrase misses: {found:?}");
        };
        assert_eq!(hit.source, HitSource::Similar);
        assert_eq!(hit.stored_input, "How do I reset my password?");
        assert!(
            hit.similarity >= DEFAULT_THRESHOLD && hit.similarity < 1.0,
            "{}",
            hit.similarity
        );
        let remembered = other
            .lookup("my password: how do I reset it?")
            .await
            .unwrap();
        assert_eq!(source(&remembered), Some(HitSource::Memory));

        // Another question: a miss that tells how near the nearest was.
        let Lookup::Miss(miss) = other.lookup("Where is my parcel today?").await.unwrap() else {
            panic!("another question hits");
        };
        let nearest = miss.nearest.clone().unwrap();
        assert_eq!(nearest.input, "How do I reset my password?");
        assert!(
            nearest.similarity < DEFAULT_THRESHOLD,
            "{}",
            nearest.similarity
        );
        assert_eq!(nearest.conflict, None);
        // Stored with the vector the lookup computed: no second embedding.
        let calls = other_embedder.calls();
        other
            .store_miss(miss, &"On its way.".to_owned(), &[])
            .await
            .unwrap();
        assert_eq!(other_embedder.calls(), calls);
        assert_eq!(
            source(&cache.lookup("Where is my parcel today?").await.unwrap()),
            Some(HitSource::Exact)
        );

        let stats = other.stats();
        assert_eq!(
            (
                stats.exact_hits,
                stats.similar_hits,
                stats.memory_hits,
                stats.misses,
                stats.stores
            ),
            (1, 1, 1, 1, 1)
        );
        assert!((stats.hit_rate() - 0.75).abs() < 1e-9);
    })
    .await;
}

#[tokio::test]
async fn scopes_keep_answers_apart() {
    with_keyspace("semantic_scopes", |session| async move {
        let embedder = Words::new("words");
        let english = open(
            &session,
            SemanticCacheConfig::new("answers").scope("english"),
            &embedder,
        )
        .await;
        let french = english.scoped("french");
        english
            .store("what is the opening time", &"9 am".to_owned(), &[])
            .await
            .unwrap();
        french
            .store("what is the opening time", &"9 h".to_owned(), &[])
            .await
            .unwrap();
        let fresh = open(&session, SemanticCacheConfig::new("answers"), &embedder).await;
        for (scope, expected) in [
            ("english", Some("9 am")),
            ("french", Some("9 h")),
            ("german", None),
        ] {
            let found = fresh
                .scoped(scope)
                .lookup("the opening time is what")
                .await
                .unwrap();
            let value = match &found {
                Lookup::Hit(hit) => Some(hit.value.as_str()),
                Lookup::Miss(_) => None,
            };
            assert_eq!(value, expected, "scope {scope}");
        }
    })
    .await;
}

#[tokio::test]
async fn invalidation_by_tag_and_by_input_reaches_the_table() {
    with_keyspace("semantic_tags", |session| async move {
        let embedder = Words::new("words");
        let cache = open(&session, SemanticCacheConfig::new("answers"), &embedder).await;
        let other_scope = cache.scoped("other");
        cache
            .store("price of the red kettle", &"30".to_owned(), &["product:1"])
            .await
            .unwrap();
        cache
            .store(
                "is the red kettle in stock",
                &"yes".to_owned(),
                &["product:1", "stock"],
            )
            .await
            .unwrap();
        other_scope
            .store(
                "red kettle colours available",
                &"red".to_owned(),
                &["product:1"],
            )
            .await
            .unwrap();
        cache
            .store("blue teapot cost", &"25".to_owned(), &["product:2"])
            .await
            .unwrap();

        // Another process remembers an answer before the invalidation.
        let other = open(
            &session,
            SemanticCacheConfig::new("answers").memory_ttl(Duration::from_secs(1)),
            &embedder,
        )
        .await;
        assert!(matches!(
            other.lookup("price of the red kettle").await.unwrap(),
            Lookup::Hit(_)
        ));

        assert_eq!(cache.invalidate_tag("product:1").await.unwrap(), 3);
        assert_eq!(cache.stats().invalidated, 3);
        for input in ["price of the red kettle", "is the red kettle in stock"] {
            let found = cache.lookup(input).await.unwrap();
            assert!(matches!(found, Lookup::Miss(_)), "{input}: {found:?}");
        }
        assert!(matches!(
            other_scope
                .lookup("red kettle colours available")
                .await
                .unwrap(),
            Lookup::Miss(_)
        ));
        assert!(matches!(
            cache.lookup("blue teapot cost").await.unwrap(),
            Lookup::Hit(_)
        ));
        // The other process sees it once its memory layer lets go.
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        assert!(matches!(
            other.lookup("price of the red kettle").await.unwrap(),
            Lookup::Miss(_)
        ));
        assert_eq!(cache.invalidate_tag("product:1").await.unwrap(), 0);

        cache.invalidate("blue teapot cost").await.unwrap();
        assert!(matches!(
            cache.lookup("blue teapot cost").await.unwrap(),
            Lookup::Miss(_)
        ));
    })
    .await;
}

#[tokio::test]
async fn answers_expire_with_their_ttl() {
    with_keyspace("semantic_ttl", |session| async move {
        let embedder = Words::new("words");
        let config = SemanticCacheConfig::new("answers").ttl(Some(Duration::from_secs(2)));
        let cache = open(&session, config.clone(), &embedder).await;
        cache
            .store("today's special dish", &"soup".to_owned(), &[])
            .await
            .unwrap();
        let other = open(&session, config, &embedder).await;
        assert!(matches!(
            other.lookup("today's special dish").await.unwrap(),
            Lookup::Hit(_)
        ));
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        // Gone from the table, and from both memory layers.
        assert!(matches!(
            cache.lookup("today's special dish").await.unwrap(),
            Lookup::Miss(_)
        ));
        assert!(matches!(
            other.lookup("dish special today's").await.unwrap(),
            Lookup::Miss(_)
        ));
    })
    .await;
}

#[tokio::test]
async fn get_or_compute_computes_once_and_stores_nothing_on_failure() {
    with_keyspace("semantic_compute", |session| async move {
        let embedder = Words::new("words");
        let cache = open(
            &session,
            SemanticCacheConfig::new("answers").threshold(0.8),
            &embedder,
        )
        .await;
        let computed = AtomicUsize::new(0);
        let compute = || async {
            computed.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Error>("Sunny.".to_owned())
        };
        let first = cache
            .get_or_compute("weather in Lyon tomorrow", &[], compute)
            .await
            .unwrap();
        assert!(matches!(first, Answer::Computed(_)));
        let second = cache
            .get_or_compute("weather in Lyon tomorrow please", &[], compute)
            .await
            .unwrap();
        assert_eq!(second.hit().map(|hit| hit.source), Some(HitSource::Similar));
        assert_eq!(second.into_value(), "Sunny.");
        assert_eq!(computed.load(Ordering::SeqCst), 1);

        #[derive(Debug)]
        enum Failure {
            Model,
            #[allow(dead_code, reason = "read through Debug when a test fails")]
            Cache(Error),
        }
        impl From<Error> for Failure {
            fn from(error: Error) -> Self {
                Self::Cache(error)
            }
        }
        let failed = cache
            .get_or_compute("exchange rate of the yen", &[], || async {
                Err::<String, _>(Failure::Model)
            })
            .await;
        assert!(matches!(failed, Err(Failure::Model)), "{failed:?}");
        let fresh = open(&session, SemanticCacheConfig::new("answers"), &embedder).await;
        assert!(matches!(
            fresh.lookup("exchange rate of the yen").await.unwrap(),
            Lookup::Miss(_)
        ));
    })
    .await;
}

#[tokio::test]
async fn the_guard_refuses_a_swapped_direction_and_false_hits_are_counted() {
    with_keyspace("semantic_false_hits", |session| async move {
        let embedder = Words::new("words");
        let config = SemanticCacheConfig::new("answers").threshold(0.8);
        // The lexical guard refuses the swapped direction.
        let guarded = open(&session, config.clone(), &embedder).await;
        guarded
            .store("flights from Paris to Rome", &"AF1000".to_owned(), &[])
            .await
            .unwrap();
        let Lookup::Miss(miss) = guarded.lookup("flights from Rome to Paris").await.unwrap() else {
            panic!("the guard let the swapped direction through");
        };
        let nearest = miss.nearest.unwrap();
        assert!(nearest.similarity > 0.99, "{}", nearest.similarity);
        assert_eq!(nearest.conflict, Some(Conflict::Order));
        assert_eq!((guarded.stats().misses, guarded.stats().guarded), (1, 1));

        // Without it, the bag of words can't tell the direction: a false hit.
        let cache = open(&session, config.guard(Guard::None), &embedder).await;
        let Lookup::Hit(hit) = cache.lookup("flights from Rome to Paris").await.unwrap() else {
            panic!("expected the bag of words to match");
        };
        assert_eq!(hit.source, HitSource::Similar);
        cache.report_false_hit(&hit).await;
        assert_eq!(cache.stats().false_hits, 1);
        // Forgotten in memory: the next lookup asks the table again.
        let again = cache.lookup("flights from Rome to Paris").await.unwrap();
        assert_eq!(source(&again), Some(HitSource::Similar));
        // The right answer stored under the input wins from then on.
        cache
            .store("flights from Rome to Paris", &"AZ2000".to_owned(), &[])
            .await
            .unwrap();
        let fresh = open(&session, SemanticCacheConfig::new("answers"), &embedder).await;
        let Lookup::Hit(hit) = fresh.lookup("flights from Rome to Paris").await.unwrap() else {
            panic!("the stored answer misses");
        };
        assert_eq!(
            (hit.source, hit.value.as_str()),
            (HitSource::Exact, "AZ2000")
        );
    })
    .await;
}

#[tokio::test]
async fn bad_setups_inputs_and_answers_are_refused() {
    with_keyspace("semantic_refusals", |session| async move {
        let embedder = Words::new("words");
        let cache = open(&session, SemanticCacheConfig::new("answers"), &embedder).await;
        cache.store("a question", &"an answer".to_owned(), &[]).await.unwrap();

        let refused = cache.lookup(" \n\t ").await;
        assert!(matches!(&refused, Err(Error::SemanticCache { problem, .. }) if problem.contains("blank")), "{refused:?}");

        // Another model's vectors do not compare with these.
        let other_model: Arc<dyn Embedder> = Words::new("words-v2");
        let refused = SemanticCache::<String, DIMENSIONS>::open(
            session.clone(),
            &keyspace(&session),
            SemanticCacheConfig::new("answers"),
            other_model.clone(),
        )
        .await;
        assert!(
            matches!(&refused, Err(Error::SemanticCache { problem, .. }) if problem.contains("model words, 32 dimensions")),
            "{refused:?}"
        );
        // A dimension that is not the model's.
        let refused = SemanticCache::<String, 16>::open(
            session.clone(),
            &keyspace(&session),
            SemanticCacheConfig::new("other_answers"),
            other_model.clone(),
        )
        .await;
        assert!(matches!(&refused, Err(Error::SemanticCache { problem, .. }) if problem.contains("32 dimensions")), "{refused:?}");
        for config in [
            SemanticCacheConfig::new("Bad-Name"),
            SemanticCacheConfig::new("answers").threshold(f32::NAN),
            SemanticCacheConfig::new("answers").threshold(1.5),
            SemanticCacheConfig::new("answers").ttl(Some(Duration::from_millis(10))),
        ] {
            let refused = SemanticCache::<String, DIMENSIONS>::open(
                session.clone(),
                &keyspace(&session),
                config.clone(),
                other_model.clone(),
            )
            .await;
            assert!(matches!(refused, Err(Error::SemanticCache { .. })), "{config:?}: {refused:?}");
        }

        // Answers of another type do not read as this cache's.
        let numbers: Arc<dyn Embedder> = embedder.clone();
        let numbers = SemanticCache::<u32, DIMENSIONS>::open(
            session.clone(),
            &keyspace(&session),
            SemanticCacheConfig::new("answers"),
            numbers,
        )
        .await
        .unwrap();
        let refused = numbers.lookup("a question").await;
        assert!(matches!(&refused, Err(Error::SemanticCache { problem, .. }) if problem.contains("does not read")), "{refused:?}");
    })
    .await;
}
