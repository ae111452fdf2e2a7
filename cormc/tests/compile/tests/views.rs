//! Materialized views through the code generated for the `views` fixture,
//! against a real node: rows written to the base model are read through
//! the view's key, a named query, and a view that leaves out the base's
//! static column. The view's repository has reads only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use corm::chrono::NaiveDate;
use corm::testing::with_keyspace;
use corm::{Session, TryStreamExt, Uuid};
use corm_codegen_fixtures::views::{
    DaysByRoom, DaysByRoomPartition, Db, Reservation, ReservationByConfirmation,
    ReservationByConfirmationKey, RoomDay,
};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

/// The view's rows of one confirmation number, through the named query.
async fn by_confirmation_number(db: &Db, number: &str) -> Vec<ReservationByConfirmation> {
    db.reservation_by_confirmation()
        .reservation_by_confirmation(number)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn base_writes_are_read_through_the_views() {
    with_keyspace("views", |session| async move {
        let db = db(session).await;
        let guest = Uuid::new_v4();
        let first = Reservation::new(
            "h1".to_owned(),
            day(1),
            101,
            "C-1".to_owned(),
            guest,
            day(3),
        );
        let second = Reservation::new(
            "h1".to_owned(),
            day(2),
            102,
            "C-2".to_owned(),
            guest,
            day(4),
        );
        db.reservation().insert(&first).await.unwrap();
        db.reservation().insert(&second).await.unwrap();

        let by_confirmation = db
            .reservation_by_confirmation()
            .get(&ReservationByConfirmationKey {
                confirm_number: "C-2".to_owned(),
                hotel_id: "h1".to_owned(),
                start_date: day(2),
                room_number: 102,
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_confirmation.room_number, 102);
        assert_eq!(by_confirmation.end_date, day(4));
        let found = by_confirmation_number(&db, "C-1").await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].start_date, day(1));

        // A base update moves the view's row too.
        let mut moved = first.clone();
        moved.note = Some("late arrival".to_owned());
        db.reservation().insert(&moved).await.unwrap();
        let found = by_confirmation_number(&db, "C-1").await;
        assert_eq!(found[0].note.as_deref(), Some("late arrival"));

        let mut monday = RoomDay::new("h1".to_owned(), day(7), 5, true);
        monday.hotel_name = Some("Grand".to_owned());
        db.room_day().insert(&monday).await.unwrap();
        db.room_day()
            .insert(&RoomDay::new("h1".to_owned(), day(8), 5, false))
            .await
            .unwrap();
        let days: Vec<DaysByRoom> = db
            .days_by_room()
            .partition(&DaysByRoomPartition {
                hotel_id: "h1".to_owned(),
                room: 5,
            })
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            days.iter().map(|d| (d.day, d.booked)).collect::<Vec<_>>(),
            vec![(day(7), true), (day(8), false)]
        );
    })
    .await;
}
