//! `#[derive(DeserializeRow)]`: the columns checked by count, name and
//! type, then read 16 at a time (`corm::rt::check_row`, `read_row`).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, Expr, Ident};

use crate::fields::{self, CHUNK};

/// The `DeserializeRow` impl of `input`.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = fields::named(input)?;
    let columns = columns(input)?;
    let ident = &input.ident;
    let count = fields.len();
    // The parameters and locals are hygienic: a field may be called `row`.
    let row = Ident::new("row", Span::mixed_site());
    let specs = Ident::new("specs", Span::mixed_site());
    let names = Ident::new("NAMES", Span::mixed_site());
    let chunks: Vec<_> = fields.chunks(CHUNK).collect();
    let checks = chunks.iter().enumerate().map(|(index, chunk)| {
        let first = index * CHUNK;
        let types = chunk.iter().map(|field| field.ty);
        let slice = if index == 0 {
            quote!(&#names)
        } else {
            quote!(&#names[#first..])
        };
        quote! {
            ::corm::rt::check_row::<Self, (#(#types,)*)>(#specs, #first, #slice)?;
        }
    });
    let reads = chunks.iter().map(|chunk| {
        let idents = chunk.iter().map(|field| field.ident);
        quote! {
            let (#(#idents,)*) = ::corm::rt::read_row::<Self, _>(&mut #row)?;
        }
    });
    let idents = fields.iter().map(|field| field.ident);
    Ok(quote! {
        #[automatically_derived]
        impl<'f, 'm> ::corm::scylla::deserialize::row::DeserializeRow<'f, 'm> for #ident {
            fn type_check(
                #specs: &[::corm::scylla::frame::response::result::ColumnSpec<'_>],
            ) -> ::core::result::Result<(), ::corm::scylla::deserialize::TypeCheckError> {
                const #names: [&str; #count] = ::corm::rt::column_names(#columns);
                ::corm::rt::check_count::<Self>(#specs, #count)?;
                #(#checks)*
                ::core::result::Result::Ok(())
            }

            fn deserialize(
                mut #row: ::corm::scylla::deserialize::row::ColumnIterator<'f, 'm>,
            ) -> ::core::result::Result<Self, ::corm::scylla::deserialize::DeserializationError> {
                #(#reads)*
                ::core::result::Result::Ok(Self { #(#idents,)* })
            }
        }
    })
}

/// The expression of `#[corm(columns = <expr>)]`.
fn columns(input: &DeriveInput) -> syn::Result<Expr> {
    let mut columns = None;
    for attribute in input.attrs.iter().filter(|a| a.path().is_ident("corm")) {
        attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("columns") {
                columns = Some(meta.value()?.parse::<Expr>()?);
                Ok(())
            } else {
                Err(meta.error("expected `columns = <expr>`"))
            }
        })?;
    }
    columns.ok_or_else(|| {
        syn::Error::new_spanned(
            &input.ident,
            "`#[derive(DeserializeRow)]` needs `#[corm(columns = <expr>)]`: the column list \
             as the statement selects it",
        )
    })
}
