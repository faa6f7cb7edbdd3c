//! The `#[coroutine]` transformation behind `resumable` (use it through `resumable`).
//!
//! A pipeline of plain functions, one file per stage: [`parse`](crate::parse) what the
//! attribute was put on, [`normalise`](crate::normalise) the body so every yield point
//! is a statement, [`analyse`](crate::analyse) what each yield point stores,
//! [`lower`](crate::lower) the step closure's arms, [`emit`](crate::emit) the enum and
//! the fn.

mod analyse;
mod emit;
mod lower;
mod normalise;
mod parse;
mod syntax;

use proc_macro::TokenStream;

/// Turns a fn with `yield_await!` points into one returning `impl Future`.
///
/// See the `resumable` crate for the guide.
#[proc_macro_attribute]
pub fn coroutine(args: TokenStream, item: TokenStream) -> TokenStream {
    parse::parse_fn(args.into(), item.into())
        .and_then(emit::expand_fn)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// A coroutine block: the analogue of `async { .. }` (`coroutine_block!{ .. }`) and
/// `async move { .. }` (`coroutine_block!(move { .. })`).
#[proc_macro]
pub fn coroutine_block(input: TokenStream) -> TokenStream {
    syn::parse::<parse::CoroutineBlock>(input)
        .and_then(emit::expand_block)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Awaits a future inside a `#[resumable::coroutine]` fn or a `coroutine_block!`.
///
/// Expanded on its own, it means the attribute could not rewrite it: this reports where
/// it may be used.
#[proc_macro]
pub fn yield_await(input: TokenStream) -> TokenStream {
    let tokens = proc_macro2::TokenStream::from(input);
    if tokens.to_string() == "__resumable_used" {
        // Left by the expansion so that an import of `yield_await` counts as used.
        return TokenStream::new();
    }
    syn::Error::new_spanned(
        &tokens,
        "`yield_await!` can only be used directly in the body of a `#[resumable::coroutine]` fn \
         or a `coroutine_block!`, outside closures, `async` blocks, nested items and other macros",
    )
    .into_compile_error()
    .into()
}
