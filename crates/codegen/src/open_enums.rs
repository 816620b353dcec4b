//! Open enums: a string enum a client reads can gain values in the provider's next release,
//! and a closed enum would then fail the whole response. Every string enum reachable from a
//! response type gets a last variant, `Unknown(String)`, that keeps any value it does not
//! know (serde's `#[serde(untagged)]` on the variant), and `Display`/`FromStr` round-trip
//! it. Enums only ever sent stay closed: the server refuses unknown values anyway.
//!
//! This is the one place the pipeline does it, on the generated syntax tree: what reaches a
//! response is read from the generated `send` methods' return types, then followed through
//! the `types` module's structs and enums.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit::Visit;
use syn::{Arm, Fields, File, Ident, Item, ItemEnum, ItemImpl, ItemMod, Pat, parse_quote};

/// Opens every string enum of `file`'s `types` module that a response can carry, and
/// returns their names.
pub fn open_response_enums(file: &mut File) -> BTreeSet<String> {
    let Some(types) = module_mut(&mut file.items, "types") else { return BTreeSet::new() };
    let graph = type_graph(types);
    let roots = response_roots(file, &graph);
    let reachable = closure(&roots, &graph);
    let types = module_mut(&mut file.items, "types").expect("found above");
    let items = &mut types.content.as_mut().expect("an inline module").1;
    let opened: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if reachable.contains(&e.ident.to_string()) && is_string_enum(e) => {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        match item {
            Item::Enum(e) if opened.contains(&e.ident.to_string()) => open_enum(e),
            Item::Impl(i) if self_named(i).is_some_and(|n| opened.contains(&n)) => open_impl(i),
            _ => {}
        }
    }
    opened
}

fn module_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut ItemMod> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == name && m.content.is_some() => Some(m),
        _ => None,
    })
}

/// Each struct and enum of `types` with the names of the types its fields mention.
fn type_graph(types: &ItemMod) -> BTreeMap<String, BTreeSet<String>> {
    let items = &types.content.as_ref().expect("an inline module").1;
    let mut graph = BTreeMap::new();
    for item in items {
        let mut names = Names::default();
        let name: &Ident = match item {
            Item::Struct(s) => {
                names.visit_fields(&s.fields);
                &s.ident
            }
            Item::Enum(e) => {
                e.variants.iter().for_each(|v| names.visit_fields(&v.fields));
                &e.ident
            }
            Item::Type(t) => {
                names.visit_type(&t.ty);
                &t.ident
            }
            _ => continue,
        };
        graph.insert(name.to_string(), names.0);
    }
    graph
}

/// The `types` a response can carry: everything the generated `send` methods return,
/// successes and error bodies alike.
fn response_roots(file: &File, graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    #[derive(Default)]
    struct Sends(Names);
    impl<'ast> Visit<'ast> for Sends {
        fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
            if f.sig.ident == "send" {
                self.0.visit_return_type(&f.sig.output);
            }
        }
    }
    let mut sends = Sends::default();
    sends.visit_file(file);
    sends.0.0.into_iter().filter(|n| graph.contains_key(n)).collect()
}

fn closure(roots: &BTreeSet<String>, graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let mut seen = roots.clone();
    let mut todo: Vec<&String> = roots.iter().collect();
    while let Some(next) = todo.pop() {
        for child in graph.get(next).into_iter().flatten() {
            if graph.contains_key(child) && seen.insert(child.clone()) {
                todo.push(child);
            }
        }
    }
    seen
}

/// Every identifier in the paths of the types visited (`Option<Vec<types::Model>>` gives
/// `Option`, `Vec`, `types`, `Model`).
#[derive(Default)]
struct Names(BTreeSet<String>);

impl<'ast> Visit<'ast> for Names {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        self.0.insert(segment.ident.to_string());
        syn::visit::visit_path_segment(self, segment);
    }
}

/// A typify string enum: unit variants only, each renamed to its string, with a `FromStr`.
fn is_string_enum(e: &ItemEnum) -> bool {
    !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
        && e.attrs.iter().any(|a| a.path().is_ident("derive") && attr_text(a).contains("Deserialize"))
}

fn attr_text(attr: &syn::Attribute) -> String {
    attr.meta.to_token_stream().to_string()
}

fn self_named(i: &ItemImpl) -> Option<String> {
    match &*i.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Adds the `Unknown(String)` variant, and drops `Copy`, which a `String` cannot be.
fn open_enum(e: &mut ItemEnum) {
    for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        if let syn::Meta::List(list) = &attr.meta
            && let Ok(paths) = list
                .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        {
            let kept: Vec<&syn::Path> = paths.iter().filter(|p| !p.is_ident("Copy")).collect();
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    e.variants.push(parse_quote! {
        /// A value this client does not know: added by the provider after it was generated.
        #[serde(untagged)]
        Unknown(::std::string::String)
    });
}

/// `Display` writes an unknown value as it came; `FromStr` keeps any value it does not know.
fn open_impl(i: &mut ItemImpl) {
    let Some(trait_name) =
        i.trait_.as_ref().and_then(|(_, p, _)| p.segments.last()).map(|s| s.ident.to_string())
    else {
        return;
    };
    for item in &mut i.items {
        let syn::ImplItem::Fn(f) = item else { continue };
        let Some(syn::Stmt::Expr(syn::Expr::Match(m), _)) = f.block.stmts.last_mut() else { continue };
        match trait_name.as_str() {
            "Display" => {
                // `match *self` would move the string out: match on the reference instead.
                *m.expr = parse_quote!(self);
                m.arms.push(parse_quote!(Self::Unknown(value) => f.write_str(value),));
            }
            "FromStr" => {
                m.arms.retain(|arm: &Arm| !matches!(arm.pat, Pat::Wild(_)));
                m.arms.push(parse_quote!(other => Ok(Self::Unknown(other.to_owned())),));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape progenitor and typify give: enums with renamed unit variants, their
    /// `Display`/`FromStr`, structs that use them, and builders whose `send` return types say
    /// what a response carries.
    fn generated() -> File {
        let string_enum = |name: &str| -> Vec<Item> {
            let name = Ident::new(name, proc_macro2::Span::call_site());
            vec![
                parse_quote! {
                    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, PartialEq)]
                    pub enum #name { #[serde(rename = "a")] A, #[serde(rename = "b")] B }
                },
                parse_quote! {
                    impl ::std::fmt::Display for #name {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            match *self { Self::A => f.write_str("a"), Self::B => f.write_str("b") }
                        }
                    }
                },
                parse_quote! {
                    impl ::std::str::FromStr for #name {
                        type Err = self::error::ConversionError;
                        fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                            match value { "a" => Ok(Self::A), "b" => Ok(Self::B), _ => Err("invalid value".into()) }
                        }
                    }
                },
            ]
        };
        let mut types: Vec<Item> = ["Read", "Sent", "Failure"].into_iter().flat_map(string_enum).collect();
        types.push(parse_quote! { pub struct Page { pub items: Vec<Item>, } });
        types.push(parse_quote! { pub struct Item { pub state: ::std::option::Option<Read>, } });
        types.push(parse_quote! { pub struct Create { pub state: Sent, } });
        types.push(parse_quote! { pub struct Problem { pub kind: Failure, } });
        parse_quote! {
            pub mod types { #(#types)* }
            pub mod builder {
                impl<'a> List<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Page>, Error<types::Problem>> { todo!() }
                }
                impl<'a> Post<'a> {
                    pub fn body(self, value: types::Create) -> Self { todo!() }
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> { todo!() }
                }
            }
        }
    }

    #[test]
    fn enums_a_response_carries_are_opened_and_those_only_sent_are_not() {
        let mut file = generated();
        let opened = open_response_enums(&mut file);
        assert_eq!(opened, BTreeSet::from(["Failure".to_owned(), "Read".to_owned()]));
        let code = prettyplease::unparse(&file);
        assert_eq!(code.matches("Unknown(::std::string::String)").count(), 2, "{code}");
        assert_eq!(code.matches("Self::Unknown(value) => f.write_str(value)").count(), 2, "{code}");
        assert_eq!(code.matches("other => Ok(Self::Unknown(other.to_owned()))").count(), 2, "{code}");
        // `Sent` is untouched: still `Copy`, still refusing what it does not know.
        assert_eq!(code.matches("Copy").count(), 1, "{code}");
        assert_eq!(code.matches("Err(\"invalid value\".into())").count(), 1, "{code}");
    }

    #[test]
    fn a_file_without_types_is_left_alone() {
        let mut file: File = parse_quote! { pub struct Client; };
        assert!(open_response_enums(&mut file).is_empty());
    }
}
