//! `for_await!(pat in stream { body })`: async iteration, desugared before normalisation
//! into a `loop` around a new kind of yield point, "the next item of stream slot `K`":
//!
//! ```text
//! {
//!     __resumable_slots.K.start(stream);
//!     'label: loop {
//!         let __resumable_itemK = __resumable_next!(K);
//!         match __resumable_itemK { Some(pat) => body, None => break }
//!     }
//!     __resumable_slots.K.finish();
//! }
//! ```
//!
//! The stream lives in slot `K` of the machine's `slots` (next to the state, pinned with
//! it), not in the state: it stays where it is while the body suspends, so it is polled
//! in place and need not be `Unpin`. Dropping the coroutine drops it with the machine.

use crate::syntax::{generated, is_for_await};
use proc_macro2::Ident;
use quote::quote_spanned;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Block, Expr, Label, Macro, Pat, Stmt, Token, parse_quote};

/// The input of `for_await!`: `['label:] pat in stream { body }`.
pub struct ForAwait {
    pub label: Option<Label>,
    pub pat: Pat,
    pub stream: Expr,
    pub body: Block,
}

impl Parse for ForAwait {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let label = if input.peek(syn::Lifetime) {
            Some(input.parse()?)
        } else {
            None
        };
        let pat = Pat::parse_multi_with_leading_vert(input)?;
        input.parse::<Token![in]>()?;
        let stream = Expr::parse_without_eager_brace(input)?;
        let body = input.parse()?;
        Ok(ForAwait {
            label,
            pat,
            stream,
            body,
        })
    }
}

/// What desugaring found: how many stream slots the machine needs, and the macro paths
/// the user wrote (to keep their imports used).
#[derive(Debug)]
pub struct Desugared {
    pub slots: usize,
    pub paths: Vec<syn::Path>,
}

/// Replaces every `for_await!` of a body (outside closures, `async` blocks and nested
/// items, where it is left to report itself) by its loop.
pub fn desugar(body: &mut Block) -> syn::Result<Desugared> {
    let mut d = Desugar {
        count: 0,
        paths: Vec::new(),
        errors: None,
    };
    d.visit_block_mut(body);
    match d.errors {
        Some(e) => Err(e),
        None => Ok(Desugared {
            slots: d.count,
            paths: d.paths,
        }),
    }
}

struct Desugar {
    count: usize,
    paths: Vec<syn::Path>,
    errors: Option<syn::Error>,
}

impl Desugar {
    fn expand(&mut self, mac: &Macro) -> Expr {
        let span = mac.span();
        self.paths.push(mac.path.clone());
        let f: ForAwait = match mac.parse_body() {
            Ok(f) => f,
            Err(e) => {
                let e = syn::Error::new(
                    e.span(),
                    format!("{e}; write `for_await!(item in stream {{ .. }})`"),
                );
                match &mut self.errors {
                    Some(all) => all.combine(e),
                    None => self.errors = Some(e),
                }
                return parse_quote!(());
            }
        };
        let k = self.count;
        self.count += 1;
        let item = generated(&format!("item{k}"));
        let ForAwait {
            label,
            pat,
            stream: expr,
            mut body,
        } = f;
        self.visit_block_mut(&mut body);
        let slot = syn::Index::from(k);
        let next = Ident::new(crate::syntax::NEXT_MARKER, crate::syntax::at(span));
        let n = proc_macro2::Literal::usize_unsuffixed(k);
        // Checked here, at the user's expression, so a non-stream gets one clear error.
        // (A method call: on a non-stream it fails once, and the rest of the loop sees an
        // error type instead of reporting it again. `identity` moves the value, which is
        // what the analysis must see: a stream in a local is moved into the loop.)
        let checked = quote_spanned!(crate::syntax::at(expr.span())=>
            {
                use ::resumable::__private::ForAwait as _;
                ::core::convert::identity(#expr).for_await()
            }
        );
        parse_quote!({
            __resumable_slots.#slot.start(#checked);
            #label loop {
                let #item = #next!(#n);
                match #item {
                    ::core::option::Option::Some(#pat) => #body,
                    ::core::option::Option::None => break,
                }
            }
            __resumable_slots.#slot.finish();
        })
    }
}

impl VisitMut for Desugar {
    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            if is_for_await(&m.mac) {
                let e = self.expand(&m.mac);
                *stmt = Stmt::Expr(e, m.semi_token);
                return;
            }
        }
        syn::visit_mut::visit_stmt_mut(self, stmt);
    }
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Expr::Macro(m) = e {
            if is_for_await(&m.mac) {
                *e = self.expand(&m.mac);
                return;
            }
        }
        syn::visit_mut::visit_expr_mut(self, e);
    }
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_expr_const_mut(&mut self, _: &mut syn::ExprConst) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn a_for_await_becomes_a_loop_awaiting_next() {
        let mut b: Block = parse_quote!({
            for_await!(x in s { total += x; });
        });
        let d = desugar(&mut b).unwrap();
        assert_eq!((d.slots, d.paths.len()), (1, 1));
        let t = b.to_token_stream().to_string();
        assert!(t.contains("__resumable_slots . 0 . start"), "{t}");
        assert!(t.contains("__resumable_next ! (0)"), "{t}");
        assert!(t.contains("Some (x) => { total += x ; }"), "{t}");
    }

    #[test]
    fn labels_and_nesting_are_kept() {
        let mut b: Block = parse_quote!({
            for_await!('outer: x in s { for_await!(y in t { break 'outer; }) });
        });
        desugar(&mut b).unwrap();
        let t = b.to_token_stream().to_string();
        assert!(t.contains("'outer : loop"), "{t}");
        assert!(t.contains("__resumable_slots . 1 . start"), "{t}");
    }

    #[test]
    fn a_malformed_for_await_says_how_to_write_it() {
        let mut b: Block = parse_quote!({
            for_await!(x of s {});
        });
        let e = desugar(&mut b).unwrap_err();
        assert!(e.to_string().contains("for_await!(item in stream"), "{e}");
    }
}
