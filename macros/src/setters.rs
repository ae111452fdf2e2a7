//! `#[derive(Setters)]`: a patch's setters, one per `Option<T>` field,
//! each taking a `T` and returning the patch with that field set.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, DeriveInput, GenericArgument, PathArguments, Type};

use crate::fields;

/// The setters of `input`, a struct whose fields are all `Option`s.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = fields::named(input)?;
    let only = fields.len() == 1;
    let mut setters = Vec::with_capacity(fields.len());
    for field in &fields {
        let ident = field.ident;
        let value = option_of(field.ty).ok_or_else(|| {
            syn::Error::new_spanned(field.ty, "a setter's field must be an `Option<T>`")
        })?;
        let docs = field.attrs.iter().filter(|a| a.path().is_ident("doc"));
        let vis = field.vis;
        let body = if only {
            quote!(Self { #ident: ::core::option::Option::Some(value) })
        } else {
            quote!(Self { #ident: ::core::option::Option::Some(value), ..self })
        };
        let doc = setter_doc(field.attrs, ident);
        setters.push(quote! {
            #doc
            #(#docs)*
            #vis fn #ident(self, value: #value) -> Self {
                #body
            }
        });
    }
    let ident = &input.ident;
    Ok(quote! {
        #[automatically_derived]
        impl #ident {
            #(#setters)*
        }
    })
}

/// `T` of `Option<T>` (written `Option`, `core::option::Option` or
/// `std::option::Option`).
fn option_of(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// The setter's first doc line, `Sets `field`.`, when the field has no doc
/// of its own (which the setter repeats after it).
fn setter_doc(attrs: &[Attribute], ident: &syn::Ident) -> TokenStream {
    let name = ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let text = format!(" Sets `{name}`.");
    if attrs.iter().any(|a| a.path().is_ident("doc")) {
        quote!(#[doc = #text] #[doc = ""])
    } else {
        quote!(#[doc = #text])
    }
}
