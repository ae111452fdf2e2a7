//! The code `cormc` generates for each codegen fixture and the example
//! schema, compiled in a library crate on edition 2021 (the fixtures crate
//! beside this one compiles it on edition 2024).

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
