//! The borrow-checked twin: the body as a never-run `async` block, emitted next to a
//! machine that has fixed slots (see `fixed`), so that rustc borrow-checks the program
//! as it checks every `async fn` — the machine's own code no longer lets it.
//!
//! ```text
//! #[allow(..)]
//! if false {
//!     let _ = async move {
//!         let mut n = n;                       // the arguments, re-bound as in the machine
//!         let __resumable_twin: T = { body };  // yield_await!(e) => (e).await
//!         __resumable_twin
//!     };
//!     loop {}
//! }
//! ```
//!
//! The branch never runs and diverges, so what it moves (the arguments) is still there
//! for the machine after it. `yield_!(v)` becomes an await of a future that takes `v`,
//! and `for_await!(p in s { .. })` a loop awaiting the next item of `s`.

use crate::for_await::ForAwait;
use crate::syntax::{is_for_await, is_yield_await, is_yield_value};
use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Block, Expr, Stmt, Type, parse_quote, parse_quote_spanned};

/// The twin statement: `ended` are the end markers that freed a fixed local's place
/// (checked there, see `ends`), `args` re-bind the arguments, `ret` annotates the value
/// (when it can be written), `capture` is `move` or nothing.
pub fn twin(
    body: &Block,
    ended: &[usize],
    args: &[Stmt],
    ret: Option<&Type>,
    capture: TokenStream,
) -> TokenStream {
    let mut body = body.clone();
    crate::ends::check_in_twin(&mut body, ended);
    Awaits.visit_block_mut(&mut body);
    let value = match ret {
        Some(ret) => quote! {
            let __resumable_twin: #ret = #body;
            __resumable_twin
        },
        None => quote!(#body),
    };
    quote! {
        // The borrow-checked twin of the body (never runs): see `resumable::__private::Fixed`.
        #[allow(unused, unreachable_code, clippy::all)]
        if false {
            let _ = async #capture {
                #(#args)*
                #value
            };
            loop {}
        }
    }
}

/// Turns each suspension macro into the `.await` it stands for.
struct Awaits;

impl Awaits {
    fn convert(&mut self, mac: &syn::Macro) -> Option<Expr> {
        if is_yield_await(mac) {
            let mut fut: Expr = mac.parse_body().ok()?;
            self.visit_expr_mut(&mut fut);
            // At the user's `yield_await!`, where rustc's errors about it should point.
            let span = crate::syntax::at(mac.path.span());
            return Some(parse_quote_spanned!(span=> (#fut).await));
        }
        if is_yield_value(mac) {
            let mut value: Expr = mac.parse_body().ok()?;
            self.visit_expr_mut(&mut value);
            return Some(parse_quote!(
                ::resumable::__private::twin_yield::<_, ()>(#value).await
            ));
        }
        if is_for_await(mac) {
            let ForAwait {
                label,
                pat,
                mut stream,
                mut body,
            } = mac.parse_body().ok()?;
            self.visit_expr_mut(&mut stream);
            self.visit_block_mut(&mut body);
            return Some(parse_quote!({
                let mut __resumable_twin_stream = #stream;
                #label loop {
                    match ::resumable::__private::twin_next(&mut __resumable_twin_stream).await {
                        ::core::option::Option::Some(#pat) => #body,
                        ::core::option::Option::None => break,
                    }
                }
            }));
        }
        None
    }
}

impl VisitMut for Awaits {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Expr::Macro(m) = e {
            if let Some(converted) = self.convert(&m.mac) {
                *e = converted;
                return;
            }
        }
        syn::visit_mut::visit_expr_mut(self, e);
    }

    fn visit_stmt_mut(&mut self, s: &mut Stmt) {
        if let Stmt::Macro(m) = s {
            if let Some(converted) = self.convert(&m.mac) {
                *s = Stmt::Expr(converted, m.semi_token);
                return;
            }
        }
        syn::visit_mut::visit_stmt_mut(self, s);
    }

    // Their own suspension macros are theirs (closures cannot hold any).
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
