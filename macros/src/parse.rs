//! Parsing: what `#[coroutine]` was put on (a fn, a method, a trait method without a
//! body, or the statements of a `coroutine_block!`), checked before anything is rewritten.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, Block, Signature, Token, Visibility};

/// A fn (free, method, or trait method) as written under `#[coroutine]`.
pub struct CoroutineFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    /// `None` for a trait method declared without a body (`fn f(&self) -> T;`).
    pub body: Option<Block>,
    /// `#[coroutine(graph)]`: also write `fn NAME_graph() -> resumable::StateGraph`.
    pub graph: bool,
}

impl Parse for CoroutineFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let body = if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else {
            Some(input.parse()?)
        };
        Ok(CoroutineFn {
            attrs,
            vis,
            sig,
            body,
            graph: false,
        })
    }
}

/// The input of `coroutine_block!{ .. }` / `coroutine_block!(move { .. })`.
pub struct CoroutineBlock {
    pub capture: Option<Token![move]>,
    pub body: Block,
}

impl Parse for CoroutineBlock {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let capture: Option<Token![move]> = input.parse()?;
        let stmts = input.call(Block::parse_within)?;
        Ok(CoroutineBlock {
            capture,
            body: Block {
                brace_token: Default::default(),
                stmts,
            },
        })
    }
}

/// Parses the item under `#[coroutine]` and rejects what cannot become a coroutine.
pub fn parse_fn(args: TokenStream, item: TokenStream) -> syn::Result<CoroutineFn> {
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let graph = match syn::parse2::<Option<syn::Ident>>(args.clone()) {
        Ok(None) => false,
        Ok(Some(i)) if i == "graph" => true,
        _ => {
            push(syn::Error::new_spanned(
                &args,
                "`#[resumable::coroutine]` takes no arguments other than `graph` \
                 (`#[resumable::coroutine(graph)]` also writes `fn NAME_graph()`, its state graph)",
            ));
            false
        }
    };
    let mut parsed = match syn::parse2::<CoroutineFn>(item.clone()) {
        Ok(parsed) => parsed,
        Err(_) => {
            let span = item
                .clone()
                .into_iter()
                .next()
                .map_or_else(Span::call_site, |t| t.span());
            push(syn::Error::new(
                span,
                "`#[resumable::coroutine]` goes on a `fn` (free fn, method, or trait method): \
                 it turns the fn into one returning `impl Future`",
            ));
            return Err(errors.expect("just pushed"));
        }
    };
    parsed.graph = graph;
    let sig = &parsed.sig;
    if let Some(asyncness) = &sig.asyncness {
        push(syn::Error::new(
            asyncness.span(),
            "remove `async`: `#[resumable::coroutine]` already makes this fn return a future \
             (`yield_await!(..)` inside it is the `.await`)",
        ));
    }
    if let Some(constness) = &sig.constness {
        push(syn::Error::new(
            constness.span(),
            "a coroutine cannot be a `const fn`: remove `const`",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        push(syn::Error::new(
            variadic.span(),
            "a coroutine cannot be variadic",
        ));
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(parsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn a_fn_parses() {
        let f = parse_fn(
            quote!(),
            quote!(
                pub fn f(a: u8) -> u8 {
                    a
                }
            ),
        )
        .unwrap();
        assert_eq!(f.sig.ident, "f");
        assert!(f.body.is_some());
    }

    #[test]
    fn a_trait_method_without_body_parses() {
        let f = parse_fn(
            quote!(),
            quote!(
                fn f(&self) -> u8;
            ),
        )
        .unwrap();
        assert!(f.body.is_none());
    }

    #[test]
    fn async_fn_is_rejected_with_a_fix() {
        let e = parse_fn(
            quote!(),
            quote!(
                async fn f() {}
            ),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("remove `async`"));
    }

    #[test]
    fn a_struct_is_rejected() {
        let e = parse_fn(
            quote!(),
            quote!(
                struct S;
            ),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("goes on a `fn`"));
    }

    #[test]
    fn block_input_parses_move() {
        let b: CoroutineBlock = syn::parse2(quote!(move { 1 })).unwrap();
        assert!(b.capture.is_some());
        let b: CoroutineBlock = syn::parse2(quote!(let a = 1; a)).unwrap();
        assert_eq!(b.body.stmts.len(), 2);
    }
}
