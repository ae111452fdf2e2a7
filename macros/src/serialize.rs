//! `#[derive(SerializeRow)]`: the fields as one tuple of references,
//! bound by `corm::rt::bind_row`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::fields::{self, CHUNK};

/// The `SerializeRow` impl of `input`.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = fields::named(input)?;
    let ident = &input.ident;
    let refs = |chunk: &[fields::Field<'_>]| {
        let idents = chunk.iter().map(|field| field.ident);
        quote!((#(&self.#idents,)*))
    };
    let values = if fields.len() <= CHUNK {
        refs(&fields)
    } else {
        let chunks = fields.chunks(CHUNK).map(refs);
        quote!((#(#chunks,)*))
    };
    Ok(quote! {
        #[automatically_derived]
        impl ::corm::scylla::serialize::row::SerializeRow for #ident {
            fn serialize(
                &self,
                ctx: &::corm::scylla::serialize::row::RowSerializationContext<'_>,
                writer: &mut ::corm::scylla::serialize::writers::RowWriter<'_>,
            ) -> ::core::result::Result<(), ::corm::scylla::serialize::SerializationError> {
                ::corm::rt::bind_row::<Self>(ctx, writer, #values)
            }

            fn is_empty(&self) -> bool {
                false
            }
        }
    })
}
