//! The generated code in a binary crate on edition 2021, used as a user's
//! program uses it: a few items, the rest unused, which must not warn.

include!(concat!(env!("OUT_DIR"), "/private_fixtures.rs"));

fn main() {
    let customer = db::Customer::new(
        "ada@example.com".to_owned(),
        "Ada Lovelace".to_owned(),
        Default::default(),
    );
    println!(
        "{} is valid: {}",
        customer.email,
        customer.validate().is_ok()
    );
}
