//! `for_await!(pat in stream { body })`: async iteration, desugared before normalisation
//! into a `loop` whose only new yield point awaits the stream's next item.
//!
//! ```text
//! {
//!     let mut __resumable_streamK = Some(stream);
//!     'label: loop {
//!         let (__resumable_itemK, __resumable_nextK) =
//!             yield_await!(Next::new(__resumable_streamK.take()...));
//!         __resumable_streamK = Some(__resumable_nextK);
//!         match __resumable_itemK { Some(pat) => body, None => break }
//!     }
//! }
//! ```
//!
//! While it waits, the stream is owned by the awaited `Next` future, which the state pins
//! and polls in place (cancelling the loop drops it there); between items it is a plain
//! local. The stream must be `Unpin` (our queues, channels and `Box::pin(..)` are).

use crate::syntax::{generated, is_for_await};
use quote::quote_spanned;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Block, Expr, Label, Macro, Pat, Stmt, Token};

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

/// Replaces every `for_await!` of a body (outside closures, `async` blocks and nested
/// items, where it is left to report itself) by its loop. Also returns the macro paths
/// the user wrote, to keep their imports used.
pub fn desugar(body: &mut Block) -> syn::Result<Vec<syn::Path>> {
    let mut d = Desugar {
        count: 0,
        paths: Vec::new(),
        errors: None,
    };
    d.visit_block_mut(body);
    match d.errors {
        Some(e) => Err(e),
        None => Ok(d.paths),
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
        let stream = generated(&format!("stream{k}"));
        let item = generated(&format!("item{k}"));
        let next = generated(&format!("next{k}"));
        let ForAwait {
            label,
            pat,
            stream: expr,
            mut body,
        } = f;
        self.visit_block_mut(&mut body);
        let at = crate::syntax::at(span);
        let yield_await = quote_spanned!(at=> ::resumable::yield_await);
        let take = quote_spanned!(at=>
            match #stream.take() {
                ::core::option::Option::Some(#stream) => #stream,
                ::core::option::Option::None => ::core::unreachable!(),
            }
        );
        // Checked here, at the user's expression, so a non-stream gets one clear error.
        // (A method call: on a non-stream it fails once, and the rest of the loop sees an
        // error type instead of reporting it again.)
        let checked = quote_spanned!(crate::syntax::at(expr.span())=>
            {
                use ::resumable::__private::ForAwait as _;
                (#expr).for_await()
            }
        );
        parse_quote!({
            let mut #stream = ::core::option::Option::Some(#checked);
            #label loop {
                let (#item, #next) = #yield_await!(::resumable::__private::Next::new(#take));
                #stream = ::core::option::Option::Some(#next);
                match #item {
                    ::core::option::Option::Some(#pat) => #body,
                    ::core::option::Option::None => break,
                }
            }
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
        let paths = desugar(&mut b).unwrap();
        assert_eq!(paths.len(), 1);
        let t = b.to_token_stream().to_string();
        assert!(t.contains("Next :: new"), "{t}");
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
        assert!(t.contains("__resumable_stream1"), "{t}");
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
