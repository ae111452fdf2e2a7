//! The named queries and aggregates of the `named_queries` fixture, through the
//! generated methods, against a real node: typed parameters, `in` with a
//! slice, `limit ?n`, `Vec` and `Stream` results, an index query, an
//! `allow filtering` query, native `GROUP BY` aggregates and client-side
//! ones (every page read, `having`, order by an aggregate, `limit`).
//! Each test runs in a keyspace of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use corm::chrono::{DateTime, Duration, NaiveDate, Utc};
use corm::testing::with_keyspace;
use corm::{Options, Session, TryStreamExt, Uuid};
use corm_codegen_fixtures::named_queries::{
    AuthorTotals, BusiestPages, BusyAuthor, Db, PageTotal, PageViewsKey, Post, PostStats,
    PostStatus, RatedStatuses, StatusStats, TopCategories,
};

/// Creates the fixture's tables and indexes in the session's keyspace.
async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn base() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap()
}

fn post(author: Uuid, minute: i64, category: &str, status: PostStatus, likes: i32) -> Post {
    Post {
        author_id: author,
        created_at: base() + Duration::minutes(minute),
        title: format!("post {minute}"),
        category: category.to_owned(),
        status,
        likes,
        rating: None,
        tags: BTreeSet::new(),
    }
}

/// Author `a` writes 60 posts: minute `i` has `i` likes, status
/// `draft`/`published`/`archived` by `i % 3`, a rating of `i / 2` when `i` is
/// even, tag `t0` or `t1` by `i % 2`, and category `rust` (30 posts), `cql`
/// (20), `misc` (8) or `rare` (2). Author `b` writes 5 `rust` posts with 100
/// likes each; author `c` two `other` posts titled "it's".
async fn fill(db: &Db, a: Uuid, b: Uuid, c: Uuid) {
    let statuses = [
        PostStatus::Draft,
        PostStatus::Published,
        PostStatus::Archived,
    ];
    for i in 0..60_i32 {
        let category = match i {
            0..30 => "rust",
            30..50 => "cql",
            50..58 => "misc",
            _ => "rare",
        };
        let mut row = post(a, i64::from(i), category, statuses[(i % 3) as usize], i);
        row.rating = (i % 2 == 0).then(|| f64::from(i) / 2.0);
        row.tags = BTreeSet::from([format!("t{}", i % 2)]);
        db.post().insert(&row).await.unwrap();
    }
    for i in 0..5 {
        let mut row = post(b, i, "rust", PostStatus::Published, 100);
        row.tags = BTreeSet::from(["b".to_owned()]);
        db.post().insert(&row).await.unwrap();
    }
    for (i, status) in [PostStatus::Draft, PostStatus::Published]
        .into_iter()
        .enumerate()
    {
        let mut row = post(c, i as i64, "other", status, 0);
        row.title = "it's".to_owned();
        db.post().insert(&row).await.unwrap();
    }
}

#[tokio::test]
async fn named_queries() {
    with_keyspace("named_queries", |session| async move {
        let db = db(session).await;
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        fill(&db, a, b, c).await;
        let options = Options::new();
        let small_pages = Options::new().page_size(7);

        // Typed parameters, `order … desc` and `limit ?n`: a `Vec`.
        let recent: Vec<Post> = db
            .post()
            .with(options)
            .recent_posts(a, base() + Duration::minutes(49), 3)
            .await
            .unwrap();
        let titles: Vec<&str> = recent.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["post 59", "post 58", "post 57"]);
        // The limit is a parameter: a larger one returns every match.
        let recent = db
            .post()
            .with(small_pages)
            .recent_posts(a, base() + Duration::minutes(49), 100)
            .await
            .unwrap();
        assert_eq!(recent.len(), 10);

        // `per partition limit ?each`: the newest two of each author.
        let latest: Vec<Post> = db
            .post()
            .with(small_pages)
            .latest_of_authors(&[a, b, c], 2)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let mut per_author: Vec<(Uuid, String)> = latest
            .iter()
            .map(|p| (p.author_id, p.title.clone()))
            .collect();
        per_author.sort();
        let mut expected = vec![
            (a, "post 59".to_owned()),
            (a, "post 58".to_owned()),
            (b, "post 4".to_owned()),
            (b, "post 3".to_owned()),
            (c, "it's".to_owned()),
            (c, "it's".to_owned()),
        ];
        expected.sort();
        assert_eq!(per_author, expected);

        // `in` takes a slice; the rows come as a paged stream.
        let stream = db
            .post()
            .with(small_pages)
            .posts_of_authors(&[a, b])
            .await
            .unwrap();
        let rows: Vec<Post> = stream.try_collect().await.unwrap();
        assert_eq!(rows.len(), 65);
        assert_eq!(rows.iter().filter(|p| p.author_id == b).count(), 5);
        let none: Vec<Post> = db
            .post()
            .with(options)
            .posts_of_authors(&[])
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert!(none.is_empty());

        // Equality on the whole primary key: one row at most, an `Option`.
        let at = db
            .post()
            .with(options)
            .post_at(a, base() + Duration::minutes(10))
            .await
            .unwrap();
        assert_eq!(at.map(|post| post.likes), Some(10));
        let missing = db
            .post()
            .post_at(a, base() + Duration::days(1000))
            .await
            .unwrap();
        assert_eq!(missing, None);

        // Served by the storage-attached index on `category`.
        let misc: Vec<Post> = db
            .post()
            .with(small_pages)
            .posts_in_category("misc")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(misc.len(), 8);
        assert!(misc.iter().all(|p| p.category == "misc"));

        // `contains` on a set, served by the index on `tags`: the parameter
        // is an element.
        let tagged: Vec<Post> = db
            .post()
            .with(small_pages)
            .tagged("t1")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(tagged.len(), 30);
        assert!(tagged.iter().all(|p| p.likes % 2 == 1));

        // `allow filtering`.
        let popular: Vec<Post> = db
            .post()
            .with(options)
            .popular_posts(a, 55)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let mut likes: Vec<i32> = popular.iter().map(|p| p.likes).collect();
        likes.sort_unstable();
        assert_eq!(likes, [55, 56, 57, 58, 59]);

        // A keyword as the name; an enum literal and a quoted string literal
        // in the conditions.
        let matched = db.post().with(options).r#match(c).await.unwrap();
        assert_eq!(matched.len(), 1);
        assert_eq!(matched[0].status, PostStatus::Draft);
        assert_eq!(matched[0].title, "it's");
    })
    .await;
}

#[tokio::test]
async fn native_aggregates() {
    with_keyspace("native_aggregates", |session| async move {
        let db = db(session).await;
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        fill(&db, a, b, c).await;
        let options = Options::new().page_size(5);

        // `GROUP BY` the partition key, computed by Cassandra.
        let stats = db.post().with(options).post_stats(a).await.unwrap();
        assert_eq!(
            stats,
            [PostStats {
                author_id: a,
                posts: 60,
                total_likes: (0..60).sum(),
                mean_likes: 29, // 1770 / 60 = 29.5, truncated as Cassandra does
                first: base(),
                last: base() + Duration::minutes(59),
            }]
        );
        assert!(
            db.post()
                .with(options)
                .post_stats(Uuid::new_v4())
                .await
                .unwrap()
                .is_empty()
        );

        // No grouping: one row, even when nothing matches.
        let totals = db.post().with(options).author_totals(b).await.unwrap();
        assert_eq!(
            totals,
            AuthorTotals {
                posts: 5,
                best: Some(100)
            }
        );
        let nobody = db
            .post()
            .with(options)
            .author_totals(Uuid::new_v4())
            .await
            .unwrap();
        assert_eq!(
            nobody,
            AuthorTotals {
                posts: 0,
                best: None
            }
        );

        // Counters: `sum` is read as a counter and returned as `i64`.
        let home = |day: u32| PageViewsKey {
            page: "home".to_owned(),
            day: NaiveDate::from_ymd_opt(2024, 1, day).unwrap(),
        };
        db.page_views().add(&home(1), 5).await.unwrap();
        db.page_views().add(&home(2), 7).await.unwrap();
        let total = db
            .page_views()
            .with(options)
            .page_total("home")
            .await
            .unwrap();
        assert_eq!(
            total,
            [PageTotal {
                page: "home".to_owned(),
                views: 12,
                days: 2
            }]
        );
    })
    .await;
}

#[tokio::test]
async fn client_side_aggregates() {
    with_keyspace("client_aggregates", |session| async move {
        let db = db(session).await;
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        fill(&db, a, b, c).await;
        // 60 rows of `a` in pages of 5: every page must be read.
        let options = Options::new().page_size(5);

        let stats = db.post().with(options).status_stats(a).await.unwrap();
        // Groups in the order of the enum; draft is i = 0, 3, …, 57.
        assert_eq!(
            stats,
            [
                StatusStats {
                    status: PostStatus::Draft,
                    posts: 20,
                    likes: 570,
                    mean_rating: 13.5, // ratings of i = 0, 6, …, 54
                    rated: 10,
                    first_title: "post 0".to_owned(),
                    best_rating: Some(27.0),
                },
                StatusStats {
                    status: PostStatus::Published,
                    posts: 20,
                    likes: 590,
                    mean_rating: 15.5, // ratings of i = 4, 10, …, 58
                    rated: 10,
                    first_title: "post 1".to_owned(),
                    best_rating: Some(29.0),
                },
                StatusStats {
                    status: PostStatus::Archived,
                    posts: 20,
                    likes: 610,
                    mean_rating: 14.5, // ratings of i = 2, 8, …, 56
                    rated: 10,
                    first_title: "post 11".to_owned(),
                    best_rating: Some(28.0),
                },
            ]
        );

        // The whole table (67 rows) in pages of 5; `having posts >= 5` drops
        // `rare` and `other`; ordered by the sum of likes, not by category;
        // `limit ?n`.
        let top = db.post().with(options).top_categories(5, 2).await.unwrap();
        assert_eq!(
            top,
            [
                TopCategories {
                    category: "rust".to_owned(),
                    posts: 35,
                    total_likes: 435 + 500,
                    mean_likes: 26, // 935 / 35 = 26.7
                },
                TopCategories {
                    category: "cql".to_owned(),
                    posts: 20,
                    total_likes: 790,
                    mean_likes: 39, // 790 / 20 = 39.5
                },
            ]
        );
        let kept: Vec<String> = db
            .post()
            .with(options)
            .top_categories(5, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.category)
            .collect();
        assert_eq!(kept, ["rust", "cql", "misc"]);
        let all = db.post().with(options).top_categories(1, 10).await.unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(all.iter().map(|row| row.posts).sum::<i64>(), 67);
        assert!(
            db.post()
                .with(options)
                .top_categories(1, 0)
                .await
                .unwrap()
                .is_empty()
        );

        // Without `group by`: one group, filtered out by `having posts > 10`.
        let busy = db.post().with(options).busy_author(a).await.unwrap();
        assert_eq!(
            busy,
            Some(BusyAuthor {
                posts: 60,
                least: Some(0)
            })
        );
        assert_eq!(db.post().with(options).busy_author(b).await.unwrap(), None);

        // `having` on an optional maximum (`None` compares false) and on
        // text; ordered by an enum's stored text, descending.
        let rated = db
            .post()
            .with(options)
            .rated_statuses(a, 27.5)
            .await
            .unwrap();
        assert_eq!(
            rated,
            [
                RatedStatuses {
                    status: PostStatus::Published,
                    best_rating: Some(29.0),
                    first_title: "post 1".to_owned(),
                    least_status: PostStatus::Published,
                },
                RatedStatuses {
                    status: PostStatus::Archived,
                    best_rating: Some(28.0),
                    first_title: "post 11".to_owned(),
                    least_status: PostStatus::Archived,
                },
            ]
        );
        assert!(
            db.post()
                .with(options)
                .rated_statuses(b, 0.0)
                .await
                .unwrap()
                .is_empty()
        );

        // Two grouped columns, ordered by a count (ties keep the key order).
        let per_status = db.post().with(options).posts_per_status().await.unwrap();
        assert_eq!(per_status.len(), 6);
        assert!(
            per_status[..3]
                .iter()
                .all(|row| row.author_id == a && row.posts == 20)
        );
        assert_eq!((per_status[3].author_id, per_status[3].posts), (b, 5));
        assert_eq!(per_status[3].last_title, "post 4");

        // Counter sums over every page, ordered and limited.
        for (page, views) in [("home", 12), ("about", 3), ("blog", 10), ("faq", 1)] {
            let key = PageViewsKey {
                page: page.to_owned(),
                day: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            };
            db.page_views().add(&key, views).await.unwrap();
        }
        let busiest = db
            .page_views()
            .with(Options::new().page_size(1))
            .busiest_pages()
            .await
            .unwrap();
        assert_eq!(
            busiest,
            [
                BusiestPages {
                    page: "home".to_owned(),
                    views: 12
                },
                BusiestPages {
                    page: "blog".to_owned(),
                    views: 10
                },
                BusiestPages {
                    page: "about".to_owned(),
                    views: 3
                },
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn client_side_sum_that_overflows_is_an_error() {
    with_keyspace("aggregate_overflow", |session| async move {
        let db = db(session).await;
        let author = Uuid::new_v4();
        for minute in 0..2 {
            let row = post(author, minute, "rust", PostStatus::Draft, i32::MAX);
            db.post().insert(&row).await.unwrap();
        }
        let error = db.post().status_stats(author).await.unwrap_err();
        match error {
            corm::Error::UnexpectedResult { statement, problem } => {
                assert!(statement.contains("SELECT status, likes"), "{statement}");
                assert_eq!(problem, "sum(likes) does not fit `int`");
            }
            other => panic!("expected a result error, got {other}"),
        }
    })
    .await;
}
