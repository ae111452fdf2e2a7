//! The derives that `cormc`'s generated rows use: the scylla driver's
//! `SerializeRow` and `DeserializeRow`, implemented over `corm::rt`, and
//! a patch's setters.
//!
//! They expand to what `cormc` wrote out for every row before (the
//! fields bound as one tuple of references, the columns checked and read
//! 16 at a time by `corm::rt::BindRow` and `corm::rt::ReadRow`), so the
//! machine code is the same and a generated file states only its fields.
//! Use them through `corm::rt`, which re-exports them; the expansion names
//! the runtime as `::corm`.

mod deserialize;
mod fields;
mod serialize;
mod setters;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Parses a derive's input and expands it with `expand`; an error becomes
/// a `compile_error!` at its span.
fn derive(
    input: TokenStream,
    expand: fn(&DeriveInput) -> syn::Result<proc_macro2::TokenStream>,
) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `SerializeRow` for a struct with named fields: binds its fields in
/// declaration order to a statement's markers (`corm::rt::bind_row`).
#[proc_macro_derive(SerializeRow)]
pub fn derive_serialize_row(input: TokenStream) -> TokenStream {
    derive(input, serialize::expand)
}

/// `DeserializeRow` for a struct with named fields: checks the columns'
/// count, names and types, then reads them in declaration order
/// (`corm::rt::check_row`, `corm::rt::read_row`). The column names come
/// from `#[corm(columns = <expr>)]`, a constant `&'static str` listing
/// them as the statement selects them (e.g. `Order::TABLE.columns`).
#[proc_macro_derive(DeserializeRow, attributes(corm))]
pub fn derive_deserialize_row(input: TokenStream) -> TokenStream {
    derive(input, deserialize::expand)
}

/// A setter per field of a struct whose fields are all `Option<T>` (a
/// generated patch): `fn field(self, value: T) -> Self` returns the struct
/// with that field `Some(value)`. The field's doc comment follows the
/// setter's own line.
#[proc_macro_derive(Setters)]
pub fn derive_setters(input: TokenStream) -> TokenStream {
    derive(input, setters::expand)
}
