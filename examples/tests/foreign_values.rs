//! Values that other clients write, read through the generated rows:
//! an *empty* value (zero bytes, which the DataStax drivers write and read
//! as null) in an optional column of a type whose values are never empty
//! reads as `None`, while an empty blob stays an empty blob; text that is
//! not a variant of a closed enum fails with an error naming the column and
//! the value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{db, order};
use corm::testing::with_keyspace;
use corm_examples::generated::Customer;

#[tokio::test]
async fn empty_values_of_fixed_size_types_read_as_none() {
    with_keyspace("foreign_empty", |session| async move {
        let db = db(session).await;
        let mut order = order();
        order.total_cents = 1_250;
        order.discount = Some(0.5);
        order.client_ip = Some("10.0.0.1".parse().unwrap());
        db.order().insert(&order).await.unwrap();
        // What another client writes for "no value" in these columns.
        let statement = format!(
            "UPDATE \"{}\".\"order\" SET discount = blobAsFloat(0x), tax_rate = blobAsDouble(0x), \
             exact_total = blobAsDecimal(0x), big_number = blobAsVarint(0x), \
             client_ip = blobAsInet(0x), receipt = 0x \
             WHERE customer_id = ? AND placed_at = ? AND id = ?",
            db.keyspace()
        );
        db.session()
            .query(&statement, (order.customer_id, order.placed_at, order.id))
            .await
            .unwrap();
        let read = db.order().get(&order.key()).await.unwrap().unwrap();
        assert_eq!(read.discount, None);
        assert_eq!(read.tax_rate, None);
        assert_eq!(read.exact_total, None);
        assert_eq!(read.big_number, None);
        assert_eq!(read.client_ip, None);
        assert_eq!(read.receipt, Some(Vec::new()), "an empty blob is a value");

        let customer = Customer::new(
            "empty@example.com".to_owned(),
            "Ada Lovelace".to_owned(),
            Default::default(),
        );
        db.customer().insert(&customer).await.unwrap();
        let statement = format!(
            "UPDATE \"{}\".customer SET age = blobAsInt(0x), nickname = '' WHERE id = ?",
            db.keyspace()
        );
        db.session()
            .query(&statement, (customer.id,))
            .await
            .unwrap();
        let read = db.customer().get(&customer.key()).await.unwrap().unwrap();
        assert_eq!(read.age, None);
        assert_eq!(read.nickname.as_deref(), Some(""), "empty text is a value");
    })
    .await;
}

#[tokio::test]
async fn text_that_is_no_variant_of_a_closed_enum_names_the_column_and_value() {
    with_keyspace("foreign_enum", |session| async move {
        let db = db(session).await;
        let order = order();
        db.order().insert(&order).await.unwrap();
        let statement = format!(
            "UPDATE \"{}\".\"order\" SET status = 'lost_in_mail' \
             WHERE customer_id = ? AND placed_at = ? AND id = ?",
            db.keyspace()
        );
        db.session()
            .query(&statement, (order.customer_id, order.placed_at, order.id))
            .await
            .unwrap();
        let err = db.order().get(&order.key()).await.unwrap_err();
        let message = err.to_string();
        assert!(message.contains("column status"), "{message}");
        assert!(message.contains("\"lost_in_mail\""), "{message}");
        assert!(message.contains("OrderStatus"), "{message}");
    })
    .await;
}
