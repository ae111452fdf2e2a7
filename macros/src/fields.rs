//! The named fields of a derive's struct, and the errors for anything
//! else.

use syn::{Attribute, Data, DeriveInput, Fields, Ident, Type, Visibility};

/// Fields bound or read in one call: `corm::rt::BindRow` and `ReadRow`
/// are implemented for tuples of up to 16, nested for more.
pub(crate) const CHUNK: usize = 16;

/// One field: its name, type, visibility and attributes.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) vis: &'a Visibility,
    pub(crate) attrs: &'a [Attribute],
}

/// The named fields of `input`, in declaration order.
///
/// # Errors
/// When `input` is not a struct with named fields, or has generic
/// parameters (generated rows and patches have none).
pub(crate) fn named(input: &DeriveInput) -> syn::Result<Vec<Field<'_>>> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "corm's derives take a struct without generic parameters",
        ));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "corm's derives take a struct with named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "corm's derives take a struct with named fields",
        ));
    };
    Ok(fields
        .named
        .iter()
        .filter_map(|field| {
            field.ident.as_ref().map(|ident| Field {
                ident,
                ty: &field.ty,
                vis: &field.vis,
                attrs: &field.attrs,
            })
        })
        .collect())
}
