//! The showcase's help centre (the `embeddings` feature): articles whose
//! embeddings the local model computes on insert (`@embed(title, body)` on
//! `HelpArticle.embedding`), searched by meaning, and a support desk whose
//! answers a semantic cache keeps, so a question asked again in other
//! words is answered without working it out again.

use std::path::PathBuf;

use crate::generated::HelpArticle;

/// The help centre's articles: slug, title, body.
pub const ARTICLES: [(&str, &str, &str); 8] = [
    (
        "returns",
        "Returning an item",
        "You can send back anything you bought within 30 days. Print the return label from \
         your orders page, pack the item and drop it at any post office.",
    ),
    (
        "refunds",
        "When refunds arrive",
        "Once we receive a returned parcel, the money goes back to your card within five \
         working days.",
    ),
    (
        "tracking",
        "Tracking a delivery",
        "Every shipped order has a tracking link in its confirmation email; it shows where the \
         parcel is and when it should arrive.",
    ),
    (
        "late-delivery",
        "A parcel that has not arrived",
        "If your package is more than three days late, contact us and we will send a \
         replacement or refund it.",
    ),
    (
        "address",
        "Changing the delivery address",
        "Until an order ships you can change where it goes from the order's page; after that, \
         ask the carrier to redirect it.",
    ),
    (
        "password",
        "Resetting your password",
        "Choose 'forgot password' on the sign-in page and follow the link we email you to set \
         a new one.",
    ),
    (
        "gift-cards",
        "Gift cards",
        "Gift cards never expire and can pay for all or part of an order; enter the code at \
         checkout.",
    ),
    (
        "newsletter",
        "Unsubscribing from the newsletter",
        "Every newsletter has an unsubscribe link at the bottom; one click and no more emails.",
    ),
];

/// The articles, without embeddings: inserting them computes those.
pub fn articles() -> Vec<HelpArticle> {
    ARTICLES
        .iter()
        .map(|(slug, title, body)| {
            HelpArticle::new((*slug).to_owned(), (*title).to_owned(), (*body).to_owned())
        })
        .collect()
}

/// The folder of the local model's files: `CORM_MODEL_DIR`, or where
/// `cargo xtask model fetch` puts them.
pub fn model_dir() -> PathBuf {
    std::env::var_os("CORM_MODEL_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/models/all-minilm-l6-v2"),
        PathBuf::from,
    )
}
