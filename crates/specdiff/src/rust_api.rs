//! The public API of a generated client, as a map from item paths to signatures, and the
//! difference between two of them: what users of the client crate compile against.

use std::collections::BTreeMap;

use serde::Serialize;
use syn::{Fields, ImplItem, Item, Visibility};

use crate::rules::{self, Rule};

/// Item path (`builder::DeleteModel::send`, `types::Model.id`) → rendered signature.
pub type PublicApi = BTreeMap<String, String>;

/// One public item added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiChange {
    /// `rust-item-added`, `rust-item-removed` or `rust-signature-changed`.
    #[serde(serialize_with = "crate::render::rule_id")]
    pub rule: &'static Rule,
    /// The item's path in the crate.
    pub item: String,
    /// Its signature before, if it existed.
    pub before: Option<String>,
    /// Its signature after, if it exists.
    pub after: Option<String>,
}

/// Lists the public items of generated code: structs and their public fields, enums and
/// their variants, type aliases, traits, constants, re-exports, free functions and inherent
/// methods. Trait implementations are left out: they follow from the types.
pub fn public_api(code: &str) -> syn::Result<PublicApi> {
    let file = syn::parse_file(code)?;
    let mut api = PublicApi::new();
    items(&mut api, "", &file.items);
    Ok(api)
}

fn items(api: &mut PublicApi, prefix: &str, list: &[Item]) {
    for item in list {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, content)) = &m.content {
                    items(api, &format!("{prefix}{}::", m.ident), content);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{prefix}{}", s.ident);
                api.insert(name.clone(), render(&Item::Struct(bare_struct(s))));
                for (i, field) in s.fields.iter().enumerate().filter(|(_, f)| is_pub(&f.vis)) {
                    let field_name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
                    api.insert(format!("{name}.{field_name}"), render_type(&field.ty));
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{prefix}{}", e.ident);
                let mut bare = e.clone();
                bare.attrs.clear();
                bare.variants.clear();
                api.insert(name.clone(), render(&Item::Enum(bare)));
                for variant in &e.variants {
                    let mut variant = variant.clone();
                    variant.attrs.clear();
                    strip_field_attrs(&mut variant.fields);
                    let mut holder = e.clone();
                    holder.attrs.clear();
                    holder.variants = std::iter::once(variant.clone()).collect();
                    api.insert(format!("{name}::{}", variant.ident), render_variant(&holder));
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(owner) = type_name(&imp.self_ty) else { continue };
                for item in &imp.items {
                    if let ImplItem::Fn(f) = item
                        && is_pub(&f.vis)
                    {
                        let sig = signature(&f.vis, &f.sig);
                        api.insert(format!("{prefix}{owner}::{}", f.sig.ident), sig);
                    }
                }
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                api.insert(format!("{prefix}{}", f.sig.ident), signature(&f.vis, &f.sig));
            }
            Item::Type(t) if is_pub(&t.vis) => insert_plain(api, prefix, &t.ident, item),
            Item::Trait(t) if is_pub(&t.vis) => {
                let mut bare = t.clone();
                bare.attrs.clear();
                bare.items.clear();
                api.insert(format!("{prefix}{}", t.ident), render(&Item::Trait(bare)));
            }
            Item::Const(c) if is_pub(&c.vis) => insert_plain(api, prefix, &c.ident, item),
            Item::Static(s) if is_pub(&s.vis) => insert_plain(api, prefix, &s.ident, item),
            Item::Use(u) if is_pub(&u.vis) => {
                let text = render(&Item::Use(syn::ItemUse { attrs: Vec::new(), ..u.clone() }));
                api.insert(format!("{prefix}{text}"), text);
            }
            _ => {}
        }
    }
}

fn insert_plain(api: &mut PublicApi, prefix: &str, ident: &syn::Ident, item: &Item) {
    let mut item = item.clone();
    if let Item::Type(syn::ItemType { attrs, .. })
    | Item::Const(syn::ItemConst { attrs, .. })
    | Item::Static(syn::ItemStatic { attrs, .. }) = &mut item
    {
        attrs.clear();
    }
    api.insert(format!("{prefix}{ident}"), render(&item));
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A struct's header (`pub struct Name<'a>`), without its fields, which are listed apart.
fn bare_struct(s: &syn::ItemStruct) -> syn::ItemStruct {
    let mut bare = s.clone();
    bare.attrs.clear();
    bare.fields = Fields::Unit;
    bare.semi_token = Some(Default::default());
    bare
}

fn strip_field_attrs(fields: &mut Fields) {
    fields.iter_mut().for_each(|f| f.attrs.clear());
}

fn signature(vis: &Visibility, sig: &syn::Signature) -> String {
    let f = syn::ItemFn {
        attrs: Vec::new(),
        vis: vis.clone(),
        sig: sig.clone(),
        block: Box::new(syn::Block { brace_token: Default::default(), stmts: Vec::new() }),
    };
    render(&Item::Fn(f))
}

fn render_type(ty: &syn::Type) -> String {
    let alias = syn::ItemType {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        type_token: Default::default(),
        ident: syn::Ident::new("T", proc_macro2::Span::call_site()),
        generics: Default::default(),
        eq_token: Default::default(),
        ty: Box::new(ty.clone()),
        semi_token: Default::default(),
    };
    render(&Item::Type(alias)).trim_start_matches("type T = ").to_owned()
}

/// A variant as written inside its enum: `Name(Type)`, `Name { a: A }` or `Name`.
fn render_variant(holder: &syn::ItemEnum) -> String {
    let text = render(&Item::Enum(holder.clone()));
    let inner = text.split_once('{').map_or(text.as_str(), |(_, rest)| rest);
    inner.trim_end_matches('}').trim().trim_end_matches(',').to_owned()
}

/// Standard-library paths written in full by progenitor, shortened for reading.
const STD_PATHS: &[&str] = &[
    "::std::string::",
    "::std::option::",
    "::std::vec::",
    "::std::convert::",
    "::std::fmt::",
    "::std::collections::",
    "::std::result::",
    "::std::boxed::",
    "std::convert::",
    "std::fmt::",
];

/// Pretty-prints one item on one line, without a trailing body or semicolon.
fn render(item: &Item) -> String {
    let file = syn::File { shebang: None, attrs: Vec::new(), items: vec![item.clone()] };
    let mut text = prettyplease::unparse(&file);
    for path in STD_PATHS {
        text = text.replace(path, "");
    }
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line.strip_suffix(" {}").or_else(|| line.strip_suffix(';')).unwrap_or(&line);
    line.trim_end_matches(',').to_owned()
}

/// The items added, removed or changed between two APIs, in item-path order.
pub fn diff(before: &PublicApi, after: &PublicApi) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    for (item, old) in before {
        match after.get(item) {
            None => changes.push(ApiChange {
                rule: &rules::RUST_ITEM_REMOVED,
                item: item.clone(),
                before: Some(old.clone()),
                after: None,
            }),
            Some(new) if new != old => changes.push(ApiChange {
                rule: &rules::RUST_SIGNATURE_CHANGED,
                item: item.clone(),
                before: Some(old.clone()),
                after: Some(new.clone()),
            }),
            Some(_) => {}
        }
    }
    for (item, new) in after {
        if !before.contains_key(item) {
            changes.push(ApiChange {
                rule: &rules::RUST_ITEM_ADDED,
                item: item.clone(),
                before: None,
                after: Some(new.clone()),
            });
        }
    }
    changes.sort_by(|a, b| a.item.cmp(&b.item));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = r#"
        pub mod types {
            /// A model.
            #[derive(Debug)]
            pub struct Model { pub id: String, pub(crate) hidden: u8, pub size: ::std::option::Option<i64> }
            pub enum State { Ready, Failed(String) }
        }
        pub struct Client { baseurl: String }
        impl Client {
            pub fn delete_model(&self) -> builder::DeleteModel<'_> { todo!() }
            fn private(&self) {}
        }
        impl Clone for Client { fn clone(&self) -> Self { todo!() } }
    "#;

    #[test]
    fn lists_public_items_with_signatures() {
        let api = public_api(CODE).unwrap();
        let keys: Vec<_> = api.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "Client",
                "Client::delete_model",
                "types::Model",
                "types::Model.id",
                "types::Model.size",
                "types::State",
                "types::State::Failed",
                "types::State::Ready"
            ]
        );
        assert_eq!(api["Client::delete_model"], "pub fn delete_model(&self) -> builder::DeleteModel<'_>");
        assert_eq!(api["types::Model.size"], "Option<i64>");
        assert_eq!(api["types::State::Failed"], "Failed(String)");
        assert_eq!(api["types::Model"], "pub struct Model");
    }

    #[test]
    fn diffs_added_removed_and_changed() {
        let before = public_api(CODE).unwrap();
        let after = public_api(
            &CODE.replace("pub size: ::std::option::Option<i64>", "pub size: i64").replace("Ready, ", ""),
        )
        .unwrap();
        let found: Vec<_> = diff(&before, &after).into_iter().map(|c| (c.rule.id, c.item)).collect();
        assert_eq!(
            found,
            [
                ("rust-signature-changed", "types::Model.size".to_owned()),
                ("rust-item-removed", "types::State::Ready".to_owned())
            ]
        );
    }
}
