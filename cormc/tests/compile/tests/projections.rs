//! Queries whose `select` names their columns, through the code generated
//! for the `projections` fixture, against a real node: partial rows,
//! renamed columns, `writetime`/`ttl` of a cell, and `select distinct`
//! partition keys (with a static column).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use corm::chrono::{DateTime, NaiveDate, TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::{Options, Session, TryStreamExt, Uuid};
use corm_codegen_fixtures::projections::{
    Db, LatestValueRow, Reading, SensorDayRow, SensorDaysRow, ValuesOfDayRow,
};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, second).unwrap()
}

#[tokio::test]
async fn partial_rows_distinct_partitions_and_cell_metadata() {
    with_keyspace("projections", |session| async move {
        let db = db(session).await;
        let readings = db.reading();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        for (n, sensor) in [(1, a), (2, a), (3, a), (4, b)] {
            let mut reading = Reading::new(sensor, day, at(n), f64::from(n) / 2.0);
            reading.unit = Some(if sensor == a { "°C" } else { "hPa" }.to_owned());
            readings.insert(&reading).await.unwrap();
        }
        let mut noted = Reading::new(a, day, at(9), 4.5);
        noted.note = Some("checked".to_owned());
        noted.unit = Some("°C".to_owned());
        let before = Utc::now().timestamp_micros();
        readings
            .with(Options::new().ttl(600))
            .insert(&noted)
            .await
            .unwrap();

        let values: Vec<ValuesOfDayRow> = readings
            .values_of_day(a, day)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let expected: Vec<(DateTime<Utc>, f64)> =
            vec![(at(9), 4.5), (at(3), 1.5), (at(2), 1.0), (at(1), 0.5)];
        assert_eq!(
            values
                .iter()
                .map(|row| (row.at, row.value))
                .collect::<Vec<_>>(),
            expected
        );

        let note = readings.note_of(a, day, at(9)).await.unwrap().unwrap();
        assert_eq!(note.note.as_deref(), Some("checked"));
        let written = note.note_written_at.unwrap();
        assert!(
            written >= before && written <= Utc::now().timestamp_micros(),
            "{written}"
        );
        assert!(
            matches!(note.note_ttl, Some(590..=600)),
            "{:?}",
            note.note_ttl
        );
        let plain = readings.note_of(a, day, at(1)).await.unwrap().unwrap();
        assert_eq!(
            (plain.note, plain.note_written_at, plain.note_ttl),
            (None, None, None)
        );

        let mut days: Vec<SensorDaysRow> = readings
            .sensor_days()
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        days.sort_by_key(|row| row.sensor);
        let mut expected = vec![
            SensorDaysRow {
                sensor: a,
                day,
                unit: Some("°C".to_owned()),
            },
            SensorDaysRow {
                sensor: b,
                day,
                unit: Some("hPa".to_owned()),
            },
        ];
        expected.sort_by_key(|row| row.sensor);
        assert_eq!(days, expected);
        assert_eq!(
            readings.sensor_day(b, day).await.unwrap(),
            Some(SensorDayRow { sensor: b, day })
        );
        assert_eq!(
            readings.sensor_day(Uuid::new_v4(), day).await.unwrap(),
            None
        );

        assert_eq!(
            readings.latest_value(a, day).await.unwrap(),
            Some(LatestValueRow {
                reading: 4.5,
                read_at: at(9)
            })
        );
    })
    .await;
}
