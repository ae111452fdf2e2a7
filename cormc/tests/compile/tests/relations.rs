//! The relation loaders of the `relations` fixture against the real node:
//! every loader, one row and batched, with children interleaved across
//! parents, more parents than one `IN` request holds, parents without
//! children, duplicate parents, missing targets and the index path.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use corm::loader::IN_CHUNK;
use corm::{Options, Uuid};
use corm_codegen_fixtures::relation_loaders::{Comment, Db, Pin, Post, Profile, Run, Sample, User};

/// More parents than two `IN` requests hold.
const USERS: usize = 2 * IN_CHUNK + 37;

/// Creates the fixture's tables in the session's keyspace.
async fn db(session: corm::Session) -> Db {
    let keyspace = session.keyspace().unwrap();
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    // Idempotent: a second run changes nothing.
    db.setup().await.unwrap();
    db
}

fn user(n: usize) -> User {
    User {
        id: Uuid::new_v4(),
        name: format!("user {n}"),
    }
}

/// Small pages, so that `IN` reads span several pages.
fn small_pages() -> Options {
    Options::new().page_size(3)
}

/// Inserts `USERS` users and, round robin so that partitions interleave,
/// `n % 4` posts for user `n` (user 0, 4, 8, … have none). Returns the
/// users and each one's posts in clustering order (`seq` descending).
async fn users_with_posts(db: &Db) -> (Vec<User>, BTreeMap<Uuid, Vec<Post>>) {
    let users: Vec<User> = (0..USERS).map(user).collect();
    for user in &users {
        db.user().insert(user).await.unwrap();
    }
    let mut expected: BTreeMap<Uuid, Vec<Post>> = BTreeMap::new();
    for seq in 0..3 {
        for (n, user) in users.iter().enumerate() {
            if seq < i32::try_from(n % 4).unwrap() {
                let post = Post {
                    author_id: user.id,
                    seq,
                    title: format!("post {seq} of {n}"),
                };
                db.post().insert(&post).await.unwrap();
                expected.entry(user.id).or_default().insert(0, post);
            }
        }
    }
    (users, expected)
}

#[tokio::test]
async fn has_many_by_partition_gives_each_parent_its_own_children() {
    corm::testing::with_keyspace("rel_has_many", |session| async move {
        let db = db(session).await;
        let (users, expected) = users_with_posts(&db).await;
        let posts_of = |user: &User| expected.get(&user.id).cloned().unwrap_or_default();

        // Parents in another order than inserted, some twice, and one that
        // is not in the table.
        let mut parents: Vec<User> = users.iter().rev().cloned().collect();
        parents.push(users[1].clone());
        parents.insert(0, users[3].clone());
        parents.push(user(USERS));
        let loaded = db
            .user()
            .with(small_pages())
            .posts_of(&parents)
            .await
            .unwrap();
        assert_eq!(loaded.len(), parents.len());
        for (parent, posts) in parents.iter().zip(&loaded) {
            assert_eq!(posts, &posts_of(parent), "posts of {}", parent.name);
            assert!(posts.iter().all(|post| post.author_id == parent.id));
        }
        assert!(loaded.last().unwrap().is_empty());
        assert!(loaded.iter().any(|posts| posts.len() == 3));

        for parent in &users[..8] {
            let posts = db.user().with(small_pages()).posts(parent).await.unwrap();
            assert_eq!(posts, posts_of(parent));
        }
        assert!(db.user().posts_of(&[]).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn belongs_to_by_key_finds_each_childs_parent() {
    corm::testing::with_keyspace("rel_belongs_to", |session| async move {
        let db = db(session).await;
        let (users, expected) = users_with_posts(&db).await;
        let by_id: BTreeMap<Uuid, &User> = users.iter().map(|user| (user.id, user)).collect();

        // Every post (from more authors than one `IN` request holds), and
        // posts whose author is not in the table.
        let mut posts: Vec<Post> = expected.values().flatten().cloned().collect();
        posts.sort_by_key(|post| (post.seq, post.title.clone()));
        let orphan = Post {
            author_id: Uuid::new_v4(),
            seq: 0,
            title: "orphan".to_owned(),
        };
        posts.insert(5, orphan.clone());
        posts.push(orphan.clone());
        assert!(expected.len() > IN_CHUNK);

        let authors = db
            .post()
            .with(small_pages())
            .author_of(&posts)
            .await
            .unwrap();
        assert_eq!(authors.len(), posts.len());
        for (post, author) in posts.iter().zip(&authors) {
            assert_eq!(
                author.as_ref(),
                by_id.get(&post.author_id).copied(),
                "{}",
                post.title
            );
        }
        assert_eq!(authors[5], None);
        assert_eq!(authors.last().unwrap(), &None);

        let first = &posts[0];
        let author = db.post().author(first).await.unwrap();
        assert_eq!(author.as_ref(), by_id.get(&first.author_id).copied());
        assert_eq!(db.post().author(&orphan).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn has_one_and_its_inverse() {
    corm::testing::with_keyspace("rel_has_one", |session| async move {
        let db = db(session).await;
        let users: Vec<User> = (0..USERS).map(user).collect();
        let mut profiles = Vec::new();
        for (n, user) in users.iter().enumerate() {
            db.user().insert(user).await.unwrap();
            // Every third user has a profile; users 0, 2, 4, … have pins,
            // ranked 3, 1, 2 (the first by clustering order is rank 1).
            if n % 3 == 0 {
                let profile = Profile {
                    user_id: user.id,
                    bio: Some(format!("bio {n}")),
                };
                db.profile().insert(&profile).await.unwrap();
                profiles.push(profile);
            }
            if n % 2 == 0 {
                for rank in [3, 1, 2] {
                    let pin = Pin {
                        user_id: user.id,
                        rank,
                        note: format!("pin {rank} of {n}"),
                    };
                    db.pin().insert(&pin).await.unwrap();
                }
            }
        }
        let mut parents = users.clone();
        parents.push(users[0].clone());
        parents.push(users[1].clone());

        let loaded = db
            .user()
            .with(small_pages())
            .profile_of(&parents)
            .await
            .unwrap();
        let pins = db
            .user()
            .with(small_pages())
            .pinned_of(&parents)
            .await
            .unwrap();
        for (at, parent) in parents.iter().enumerate() {
            let n = at % USERS;
            let profile = loaded[at].as_ref();
            assert_eq!(
                profile.is_some(),
                n.is_multiple_of(3),
                "profile of {}",
                parent.name
            );
            if let Some(profile) = profile {
                assert_eq!(profile.user_id, parent.id);
                assert_eq!(profile.bio.as_deref(), Some(format!("bio {n}").as_str()));
            }
            let pin = pins[at].as_ref();
            assert_eq!(pin.is_some(), n.is_multiple_of(2), "pin of {}", parent.name);
            if let Some(pin) = pin {
                assert_eq!((pin.user_id, pin.rank), (parent.id, 1));
            }
        }
        let options = Options::new();
        assert_eq!(
            db.user()
                .with(options)
                .profile(&users[3])
                .await
                .unwrap()
                .as_ref(),
            Some(&profiles[1])
        );
        assert_eq!(
            db.user().with(options).profile(&users[1]).await.unwrap(),
            None
        );
        let pin = db
            .user()
            .with(options)
            .pinned(&users[2])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(pin.note, "pin 1 of 2");
        assert_eq!(
            db.user().with(options).pinned(&users[1]).await.unwrap(),
            None
        );

        // The inverse: each profile's user, and a profile of nobody.
        let mut children = profiles.clone();
        children.push(Profile {
            user_id: Uuid::new_v4(),
            bio: None,
        });
        let owners = db.profile().with(options).user_of(&children).await.unwrap();
        for (profile, owner) in children.iter().zip(&owners) {
            assert_eq!(
                owner.as_ref().map(|user| user.id),
                users
                    .iter()
                    .find(|user| user.id == profile.user_id)
                    .map(|user| user.id)
            );
        }
        assert_eq!(owners.last().unwrap(), &None);
        let owner = db
            .profile()
            .with(options)
            .user(&profiles[2])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(owner, users[6]);
    })
    .await;
}

/// Comments on a few posts, with authors round robin over `users` (every
/// fifth comment has none).
async fn comments(db: &Db, users: &[User], posts: &[Post]) -> Vec<Comment> {
    let mut comments = Vec::new();
    for at in 0..40 {
        let post = &posts[usize::try_from(at).unwrap() % posts.len()];
        let author = (at % 5 != 4).then(|| users[usize::try_from(at).unwrap() % users.len()].id);
        let comment = Comment {
            post_author: post.author_id,
            post_seq: post.seq,
            at,
            author_id: author,
            body: format!("comment {at}"),
        };
        db.comment().insert(&comment).await.unwrap();
        comments.push(comment);
    }
    comments
}

#[tokio::test]
async fn composite_keys_and_the_index() {
    corm::testing::with_keyspace("rel_composite", |session| async move {
        let db = db(session).await;
        let users: Vec<User> = (0..7).map(user).collect();
        for user in &users {
            db.user().insert(user).await.unwrap();
        }
        // Posts of users 0..=2 (three each); users 3.. have none.
        let mut posts = Vec::new();
        for user in &users[..3] {
            for seq in 0..3 {
                let post = Post {
                    author_id: user.id,
                    seq,
                    title: format!("post {seq} of {}", user.name),
                };
                db.post().insert(&post).await.unwrap();
                posts.push(post);
            }
        }
        let comments = comments(&db, &users, &posts).await;

        // has_many over a two-column partition key: a request per post.
        let mut parents = posts.clone();
        parents.push(posts[0].clone());
        parents.push(Post {
            author_id: Uuid::new_v4(),
            seq: 0,
            title: "missing".to_owned(),
        });
        let replies = db
            .post()
            .with(small_pages())
            .replies_of(&parents)
            .await
            .unwrap();
        for (post, replies) in parents.iter().zip(&replies) {
            let expected: Vec<&Comment> = comments
                .iter()
                .filter(|c| (c.post_author, c.post_seq) == (post.author_id, post.seq))
                .collect();
            assert_eq!(
                replies.iter().collect::<Vec<_>>(),
                expected,
                "{}",
                post.title
            );
        }
        assert!(replies.last().unwrap().is_empty());
        let one = db.post().replies(&posts[4]).await.unwrap();
        assert_eq!(one, replies[4]);

        // belongs_to a key with clustering columns: a get per distinct key.
        let mut children = comments.clone();
        children.push(Comment {
            post_author: Uuid::new_v4(),
            post_seq: 1,
            at: 0,
            author_id: None,
            body: "orphan".to_owned(),
        });
        let of = db.comment().post_of(&children).await.unwrap();
        for (comment, post) in children.iter().zip(&of) {
            let expected = posts
                .iter()
                .find(|p| (p.author_id, p.seq) == (comment.post_author, comment.post_seq));
            assert_eq!(post.as_ref(), expected, "{}", comment.body);
        }
        assert_eq!(of.last().unwrap(), &None);

        // belongs_to through an optional field: `None` reads nothing.
        let commenters = db.comment().commenter_of(&children).await.unwrap();
        for (comment, commenter) in children.iter().zip(&commenters) {
            let expected = comment
                .author_id
                .and_then(|id| users.iter().find(|u| u.id == id));
            assert_eq!(commenter.as_ref(), expected, "{}", comment.body);
        }
        let anonymous = comments.iter().find(|c| c.author_id.is_none()).unwrap();
        assert_eq!(db.comment().commenter(anonymous).await.unwrap(), None);

        // has_many through the index on `Comment.author_id`: a query per
        // user (`setup` returned once the index was queryable).
        let mut parents = users.clone();
        parents.push(users[2].clone());
        let by_author = db
            .user()
            .with(small_pages())
            .comments_of(&parents)
            .await
            .unwrap();
        let by_author: Vec<Vec<Comment>> = by_author
            .into_iter()
            .map(|mut loaded| {
                loaded.sort_by_key(|c| c.at);
                loaded
            })
            .collect();
        for (user, loaded) in parents.iter().zip(&by_author) {
            let loaded: Vec<&Comment> = loaded.iter().collect();
            let expected: Vec<&Comment> = comments
                .iter()
                .filter(|c| c.author_id == Some(user.id))
                .collect();
            assert_eq!(loaded, expected, "comments of {}", user.name);
        }
        let mut one = db.user().comments(&users[1]).await.unwrap();
        one.sort_by_key(|c| c.at);
        assert_eq!(one, by_author[1]);
        assert!(!one.is_empty());
    })
    .await;
}

#[tokio::test]
async fn timestamp_keys_match_at_millisecond_precision() {
    corm::testing::with_keyspace("rel_timestamps", |session| async move {
        let db = db(session).await;
        // Start times finer than Cassandra keeps, as a run made in memory
        // has them; its samples are stored under the milliseconds.
        let runs: Vec<Run> = (0..5)
            .map(|n| Run {
                started: corm::chrono::DateTime::from_timestamp(1_700_000_000 + n, 123_456_789)
                    .unwrap(),
            })
            .collect();
        for (n, run) in runs.iter().enumerate() {
            db.run().insert(run).await.unwrap();
            for at in 0..i32::try_from(n).unwrap() {
                let sample = Sample {
                    run_started: run.started,
                    n: at,
                    value: f64::from(at),
                };
                db.sample().insert(&sample).await.unwrap();
            }
        }
        let samples = db.run().samples_of(&runs).await.unwrap();
        for (n, (run, samples)) in runs.iter().zip(&samples).enumerate() {
            assert_eq!(samples.len(), n, "samples of run {n}");
            assert!(
                samples
                    .iter()
                    .all(|s| s.run_started.timestamp_millis() == run.started.timestamp_millis())
            );
        }
        let one = db.run().samples(&runs[3]).await.unwrap();
        assert_eq!(one, samples[3]);

        let stored: Vec<Sample> = samples.into_iter().flatten().collect();
        let owners = db.sample().run_of(&stored).await.unwrap();
        for (sample, owner) in stored.iter().zip(&owners) {
            assert_eq!(
                owner.as_ref().map(|run| run.started),
                Some(sample.run_started)
            );
        }
    })
    .await;
}
