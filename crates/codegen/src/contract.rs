//! What a contract test needs from a generated client: which type each operation's success
//! body decodes into. Read from the generated builders themselves (the `OperationInfo` each
//! `send` names, and the `ResponseValue` it returns), and emitted as one hidden function, so
//! a test can check a mock server's responses against the client without calling every
//! builder by hand.

use syn::visit::Visit;
use syn::{Expr, File, GenericArgument, ImplItemFn, Lit, PathArguments, ReturnType, Type, parse_quote};

/// Appends `__decode_success(operation_id, body)` to `file`: for each operation, whether its
/// success body decodes as the generated type (`None` for an operation the client lacks).
/// Compiled only with the client crate's `contract` feature: it instantiates a decoder for
/// every response type, a third of the Baseten client's compile time.
pub fn add_decode_table(file: &mut File) {
    let mut sends = Sends::default();
    sends.visit_file(file);
    let arms = sends.found.iter().map(|(id, ty)| match ty {
        Some(ty) => quote::quote! { #id => Some(::serde_json::from_slice::<#ty>(body).map(drop)), },
        None => quote::quote! { #id => Some(Ok(())), },
    });
    file.items.push(parse_quote! {
        /// Decodes a success body of the operation progenitor named `operation_id` as the
        /// type its builder returns: for contract tests against a mock server. `None` for an
        /// operation this client does not have; `Some(Ok(()))` where the body is not JSON.
        #[doc(hidden)]
        #[cfg(feature = "contract")]
        pub fn __decode_success(operation_id: &str, body: &[u8]) -> Option<Result<(), ::serde_json::Error>> {
            match operation_id {
                #(#arms)*
                _ => None,
            }
        }
    });
}

/// Each `send` method's operation id, with its success type (`None` when it is `()` or a
/// byte stream).
#[derive(Default)]
struct Sends {
    found: Vec<(String, Option<Type>)>,
}

impl<'ast> Visit<'ast> for Sends {
    fn visit_impl_item_fn(&mut self, f: &'ast ImplItemFn) {
        if f.sig.ident != "send" {
            return;
        }
        let mut id = OperationId(None);
        id.visit_block(&f.block);
        if let (Some(id), Some(ty)) = (id.0, success_type(&f.sig.output)) {
            let is_body = !matches!(&ty, Type::Tuple(t) if t.elems.is_empty())
                && !quote::ToTokens::to_token_stream(&ty).to_string().contains("ByteStream");
            self.found.push((id, is_body.then_some(ty)));
        }
    }
}

/// The string in `OperationInfo { operation_id: "…" }`.
struct OperationId(Option<String>);

impl<'ast> Visit<'ast> for OperationId {
    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        if e.path.is_ident("OperationInfo") {
            for field in &e.fields {
                if let Expr::Lit(lit) = &field.expr
                    && let Lit::Str(s) = &lit.lit
                {
                    self.0 = Some(s.value());
                }
            }
        }
        syn::visit::visit_expr_struct(self, e);
    }
}

/// `T` of `Result<ResponseValue<T>, …>`.
fn success_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else { return None };
    let result = last_args(ty)?;
    let GenericArgument::Type(value) = result.first()? else { return None };
    let inner = last_args(value)?;
    match inner.first()? {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

fn last_args(ty: &Type) -> Option<&syn::punctuated::Punctuated<GenericArgument, syn::Token![,]>> {
    let Type::Path(p) = ty else { return None };
    match &p.path.segments.last()?.arguments {
        PathArguments::AngleBracketed(a) => Some(&a.args),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_send_gives_its_operation_and_success_type() {
        let mut file: File = parse_quote! {
            pub mod builder {
                impl<'a> Get<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Model>, Error<()>> {
                        let info = OperationInfo { operation_id: "models_get" };
                        todo!()
                    }
                }
                impl<'a> Delete<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let info = OperationInfo { operation_id: "models_delete" };
                        todo!()
                    }
                }
            }
        };
        add_decode_table(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains(
                r#""models_get" => Some(::serde_json::from_slice::<types::Model>(body).map(drop))"#
            ),
            "{code}"
        );
        assert!(code.contains(r#""models_delete" => Some(Ok(()))"#), "{code}");
    }
}
