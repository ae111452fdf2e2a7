//! Nearest-neighbour search through the code generated for the
//! `vector_search` fixture, against a real node: recall@10 of 50 queries
//! over 2,000 random unit vectors against brute force computed here, scores
//! equal to the brute-force similarity and to Cassandra's own
//! `similarity_…` functions, the same rows as a hand-written `ANN OF`
//! query, named vector queries whose conditions (the partition key, indexed
//! columns) combine with the search, all three similarity functions, and
//! vectors refused before they reach the node.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use corm::testing::with_keyspace;
use corm::vector::{DimensionError, Similarity};
use corm::{Error, Session, Vector};
use corm_codegen_fixtures::vector_search::{Db, Incident, Pin, Spot, SpotKey};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Random(u64);

impl Random {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// A random vector of length 1 (components from a symmetric
    /// distribution, then normalised).
    fn unit_vector<const N: usize>(&mut self) -> Vector<N> {
        let mut components = [0.0_f64; N];
        for component in &mut components {
            *component = self.unit() * 2.0 - 1.0;
        }
        let norm = components.iter().map(|c| c * c).sum::<f64>().sqrt();
        Vector::from(components.map(|c| (c / norm) as f32))
    }
}

/// Cosine similarity as Cassandra scores it, in `f64`.
fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    f64::midpoint(1.0, dot / (norm(a) * norm(b)))
}

const KINDS: [&str; 3] = ["fire", "flood", "quake"];

fn incident(id: i32, embedding: Vector<16>) -> Incident {
    Incident {
        site: format!("s{}", id % 4),
        id,
        kind: KINDS[usize::try_from(id).unwrap() % 3].to_owned(),
        severity: id % 5,
        summary: format!("incident {id}"),
        embedding,
    }
}

#[tokio::test]
async fn nearest_finds_what_brute_force_finds_with_cassandras_scores() {
    with_keyspace("vector_recall", |session| async move {
        let db = db(session.clone()).await;
        let mut random = Random(0x5eed_cafe_f00d_0001);
        let rows: Vec<Incident> = (0..2_000)
            .map(|id| incident(id, random.unit_vector()))
            .collect();
        let report = db.incident().insert_many(rows.clone()).await.unwrap();
        assert_eq!((report.written, report.failed.len()), (2_000, 0));
        let keyspace = session.keyspace().unwrap();
        let hand_written = session
            .prepare(&format!(
                "SELECT id, similarity_cosine(embedding, ?) FROM \"{keyspace}\".incident \
                 ORDER BY embedding ANN OF ? LIMIT 10"
            ))
            .await
            .unwrap();

        let mut recall = 0.0;
        for _ in 0..50 {
            let query: Vector<16> = random.unit_vector();
            let found = db.incident().nearest_embedding(&query, 10).await.unwrap();
            assert_eq!(found.len(), 10);
            // Closest first, each score the brute-force similarity.
            assert!(found.windows(2).all(|pair| pair[0].score >= pair[1].score));
            for scored in &found {
                let exact = cosine(scored.row.embedding.as_slice(), query.as_slice());
                assert!(
                    (f64::from(scored.score) - exact).abs() < 1e-5,
                    "{} vs {exact}",
                    scored.score
                );
            }
            // Brute force over every row.
            let mut all: Vec<(f64, i32)> = rows
                .iter()
                .map(|row| (cosine(row.embedding.as_slice(), query.as_slice()), row.id))
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0));
            let best: BTreeSet<i32> = all.iter().take(10).map(|(_, id)| *id).collect();
            let ours: BTreeSet<i32> = found.iter().map(|scored| scored.row.id).collect();
            recall += best.intersection(&ours).count() as f64 / 10.0;
            // The hand-written statement returns the same rows, and
            // Cassandra's own function gives the same scores.
            let theirs: Vec<(i32, f32)> = session
                .execute(&hand_written, (&query, &query))
                .await
                .unwrap()
                .into_rows_result()
                .unwrap()
                .rows::<(i32, f32)>()
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let their_ids: BTreeSet<i32> = theirs.iter().map(|(id, _)| *id).collect();
            assert_eq!(their_ids, ours);
            for (id, score) in theirs {
                let ours = found.iter().find(|scored| scored.row.id == id).unwrap();
                assert!(
                    (ours.score - score).abs() < 1e-5,
                    "{} vs {score}",
                    ours.score
                );
            }
        }
        let recall = recall / 50.0;
        eprintln!("recall@10 over 50 queries: {recall}");
        assert!(recall >= 0.95, "recall@10 {recall}");
    })
    .await;
}

#[tokio::test]
async fn named_vector_queries_combine_the_search_with_their_conditions() {
    with_keyspace("vector_filters", |session| async move {
        let db = db(session).await;
        let mut random = Random(0xf117_e125);
        let rows: Vec<Incident> = (0..600)
            .map(|id| incident(id, random.unit_vector()))
            .collect();
        db.incident().insert_many(rows.clone()).await.unwrap();
        let mut recall = 0.0;
        for round in 0..20 {
            let query: Vector<16> = random.unit_vector();
            // The whole partition key, then the search within it.
            let site = format!("s{}", round % 4);
            let found = db
                .incident()
                .similar_at_site(&site, &query, 10)
                .await
                .unwrap();
            assert_eq!(found.len(), 10);
            assert!(found.iter().all(|scored| scored.row.site == site));
            let mut best: Vec<(f64, i32)> = rows
                .iter()
                .filter(|row| row.site == site)
                .map(|row| (cosine(row.embedding.as_slice(), query.as_slice()), row.id))
                .collect();
            best.sort_by(|a, b| b.0.total_cmp(&a.0));
            let best: BTreeSet<i32> = best.iter().take(10).map(|(_, id)| *id).collect();
            let ours: BTreeSet<i32> = found.iter().map(|scored| scored.row.id).collect();
            recall += best.intersection(&ours).count() as f64 / 10.0;
            // Two indexed columns, one by a range, and a fixed limit.
            let kind = KINDS[round % 3];
            let found = db
                .incident()
                .similar_of_kind(kind, 3, &query)
                .await
                .unwrap();
            assert_eq!(found.len(), 5);
            assert!(
                found
                    .iter()
                    .all(|scored| scored.row.kind == kind && scored.row.severity >= 3),
                "{found:?}"
            );
            let mut best: Vec<(f64, i32)> = rows
                .iter()
                .filter(|row| row.kind == kind && row.severity >= 3)
                .map(|row| (cosine(row.embedding.as_slice(), query.as_slice()), row.id))
                .collect();
            best.sort_by(|a, b| b.0.total_cmp(&a.0));
            assert_eq!(found[0].row.id, best[0].1);
        }
        let recall = recall / 20.0;
        assert!(recall >= 0.95, "recall@10 within a partition {recall}");
        // The limit parameter is checked like `nearest_…`'s `k`.
        let query: Vector<16> = random.unit_vector();
        let refused = db.incident().similar_at_site("s1", &query, 0).await;
        assert!(
            matches!(refused, Err(Error::InvalidVector { .. })),
            "{refused:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn dot_product_and_euclidean_scores_are_cassandras() {
    with_keyspace("vector_similarities", |session| async move {
        let db = db(session.clone()).await;
        let mut random = Random(0x0dd_ba11);
        let pins: Vec<Pin> = (0..200)
            .map(|id| Pin {
                id,
                place: random.unit_vector(),
            })
            .collect();
        db.pin().insert_many(pins.clone()).await.unwrap();
        let spots: Vec<Spot> = (0..200)
            .map(|id| Spot {
                id,
                // Every fifth spot has no position: it is never found.
                pos: (id % 5 != 0).then(|| {
                    Vector::from([random.unit() as f32 * 10.0, random.unit() as f32 * 10.0])
                }),
            })
            .collect();
        db.spot().insert_many(spots.clone()).await.unwrap();
        let keyspace = session.keyspace().unwrap();

        let query: Vector<4> = random.unit_vector();
        let found = db.pin().nearest_place(&query, 5).await.unwrap();
        let best = pins
            .iter()
            .max_by(|a, b| {
                Similarity::DotProduct
                    .score(a.place.as_slice(), query.as_slice())
                    .total_cmp(&Similarity::DotProduct.score(b.place.as_slice(), query.as_slice()))
            })
            .unwrap();
        assert_eq!(found[0].row.id, best.id);
        for scored in &found {
            let cql = format!(
                "SELECT similarity_dot_product(place, ?) FROM \"{keyspace}\".pin WHERE id = ?"
            );
            let theirs = server_score(&session, &cql, &query, scored.row.id).await;
            assert!(
                (scored.score - theirs).abs() < 1e-5,
                "{} vs {theirs}",
                scored.score
            );
        }

        let query = Vector::from([5.0_f32, 5.0]);
        let found = db.spot().nearest_pos(&query, 20).await.unwrap();
        assert_eq!(found.len(), 20);
        assert!(found.iter().all(|scored| scored.row.id % 5 != 0));
        for scored in &found {
            let cql = format!(
                "SELECT similarity_euclidean(pos, ?) FROM \"{keyspace}\".spot WHERE id = ?"
            );
            let theirs = server_score(&session, &cql, &query, scored.row.id).await;
            assert!(
                (scored.score - theirs).abs() < 1e-5,
                "{} vs {theirs}",
                scored.score
            );
        }
        // Brute force agrees on the closest.
        let closest = spots
            .iter()
            .filter_map(|spot| {
                spot.pos.map(|pos| {
                    (
                        Similarity::Euclidean.score(pos.as_slice(), query.as_slice()),
                        spot.id,
                    )
                })
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        assert_eq!(found[0].row.id, closest.1);
    })
    .await;
}

/// The score Cassandra's similarity function in `cql` gives row `id`.
async fn server_score<const N: usize>(
    session: &Session,
    cql: &str,
    query: &Vector<N>,
    id: i32,
) -> f32 {
    let (score,): (f32,) = session
        .query(cql, (query, id))
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap();
    score
}

#[tokio::test]
async fn bad_vectors_never_reach_the_node() {
    with_keyspace("vector_refusals", |session| async move {
        let db = db(session).await;
        let mut random = Random(7);
        db.incident().insert(&incident(1, random.unit_vector())).await.unwrap();

        // Searches refused before anything is sent.
        let mut nan: Vector<16> = random.unit_vector();
        nan.0[3] = f32::NAN;
        let zero = Vector::<16>::default();
        let good: Vector<16> = random.unit_vector();
        for (query, k, expected) in [
            (nan, 5, "NaN at position 3"),
            (zero, 5, "zero vector"),
            (good, 0, "k = 0"),
            (good, 1_001, "k = 1001"),
        ] {
            let refused = db.incident().nearest_embedding(&query, k).await;
            assert!(
                matches!(&refused, Err(Error::InvalidVector { index: "Incident.embedding", problem }) if problem.contains(expected)),
                "{refused:?}"
            );
            assert!(refused.as_ref().err().is_some_and(Error::certainly_not_applied));
        }
        // The zero vector has a direction-free score under Euclidean
        // similarity, so it is a fine query there.
        assert!(db.spot().nearest_pos(&Vector::default(), 3).await.is_ok());

        // Writes of a vector that is not finite are refused, and nothing
        // is written.
        let mut bad = incident(2, random.unit_vector());
        bad.embedding.0[0] = f32::INFINITY;
        let refused = db.incident().insert(&bad).await;
        assert!(matches!(refused, Err(Error::Validation(_))), "{refused:?}");
        assert_eq!(db.incident().get(&bad.key()).await.unwrap(), None);
        let refused = db
            .spot()
            .insert(&Spot { id: 9, pos: Some(Vector::from([f32::NAN, 0.0])) })
            .await;
        assert!(matches!(refused, Err(Error::Validation(_))), "{refused:?}");
        assert_eq!(db.spot().get(&SpotKey { id: 9 }).await.unwrap(), None);

        // A slice of another length does not become a vector.
        assert_eq!(
            Vector::<16>::try_from(vec![0.5; 15]),
            Err(DimensionError { expected: 16, found: 15 })
        );
    })
    .await;
}
