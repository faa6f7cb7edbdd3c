//! The `#[coroutine]` transformation behind [`resumable`](https://docs.rs/resumable): use it
//! through `resumable` (`#[resumable::coroutine]`, `resumable::yield_await!`,
//! `resumable::coroutine_block!`), which re-exports these macros and holds the support
//! types the expansion refers to.
//!
//! A pipeline of plain functions, one file per stage: `parse` what the attribute was put
//! on, `normalise` the body so every yield point is a statement, `analyse` where each
//! resume point is and what it stores, `lower` the step closure's arms, `emit` the state
//! enum and the fn. See [`coroutine`] for what the expansion looks like.

mod analyse;
mod borrows;
mod emit;
mod ends;
mod fixed;
mod flavor;
mod for_await;
#[cfg(test)]
mod golden;
mod graph;
mod lower;
mod normalise;
mod parse;
mod syntax;
mod twin;

use proc_macro::TokenStream;

/// Turns a fn with `yield_await!` points into one returning `impl Future`, as an explicit
/// state machine.
///
/// ```
/// use resumable::yield_await;
/// use std::future::{ready, Future};
/// use std::task::{Context, Poll, Waker};
///
/// #[resumable::coroutine]
/// fn add_later(a: u32) -> u32 {
///     let b = yield_await!(ready(2)); // suspends until the future is ready
///     a + b
/// }
///
/// let fut = add_later(1);             // runs nothing yet, like calling a Python coroutine
/// let mut fut = std::pin::pin!(fut);
/// let mut cx = Context::from_waker(Waker::noop());
/// assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready(3));
/// ```
///
/// Write it as `#[resumable::coroutine]`: a bare `#[coroutine]` collides with rustc's
/// builtin (unstable) attribute of that name.
///
/// # Supported
///
/// - free fns, methods (`self`, `&self`, `&mut self`, `mut self`, `self: Box<Self>`),
///   trait methods (declared: `fn f(&self) -> T;` becomes `-> impl Future<Output = T>`;
///   with a default body; in impls), generics, lifetimes (named or elided, all captured
///   by the returned future on editions 2018, 2021 and 2024), `where` clauses,
///   `impl Trait` arguments, argument patterns, `unsafe fn`, visibility, attributes, docs;
/// - `yield_await!(e)` (or `e.await`) wherever an expression may stand, outside closures,
///   `async` blocks, nested items and other macros' arguments; `e` is anything
///   `IntoFuture`, and operands around it are evaluated in Rust's order;
/// - `if`/`else if`, `match` (with guards), `loop`, `while`, `while let`, `for` over any
///   `IntoIterator`, labelled `break`/`continue` (with values), labelled blocks,
///   `let`-`else`, early `return`, `?` on `Result` (with `From`) and `Option`.
///
/// # Generators
///
/// A body with `yield_!(value)` is a generator, whose declared return type says what it
/// yields (calling it runs nothing, as in Python):
///
/// - `-> impl Iterator<Item = Y>`: an iterator (fused: `None` forever after the first);
/// - `-> impl resumable::Coroutine<R, Yield = Y, Return = T>`: resumed with an `R`, which
///   `let r = yield_!(y);` receives (Python's `gen.send(r)`);
/// - `-> impl resumable::Stream<Item = Y>`: an async generator, which may also
///   `yield_await!` and `for_await!` (a fused `futures_core::Stream`).
///
/// ```
/// use resumable::yield_;
///
/// #[resumable::coroutine]
/// fn count(n: u32) -> impl Iterator<Item = u32> {
///     for i in 0..n {
///         yield_!(i);
///     }
/// }
///
/// assert_eq!(count(3).collect::<Vec<_>>(), [0, 1, 2]);
/// ```
///
/// Everything said here about yield points holds for `yield_!` too: control flow around
/// it, and drops (dropping a suspended generator drops the locals in scope at its
/// `yield_!`, as dropping the equivalent hand-written iterator would).
///
/// # Explanation
///
/// The fn becomes `fn add_later(a: u32) -> impl Future<Output = u32>` whose body defines
/// an enum `__resumable_State` with a variant per *resume point* — `Start { a }`, then
/// `Await0 { __resumable_fut, <locals kept across it> }` per yield point, `JoinN` after a
/// branch or loop containing yield points, `LoopN` at the head of such a loop — plus
/// `Done` and `Panicked`, and returns `machine(Start { a }, step)`, where `step` is a
/// closure that matches on the state and runs the body from that point to the next one.
/// Every statement is emitted once; locals are moved into the state at a yield and back
/// out when it resumes, in blocks that mirror the original scopes, so values drop where
/// they would in an `async fn` (also when the future is dropped while suspended). The
/// type parameters of the enum are all inferred. `cargo expand` shows the whole thing.
///
/// # Seeing the machine
///
/// - `cargo expand` shows the expansion; `macros/tests/expand/*.expanded.rs` are golden
///   samples of it.
/// - `#[resumable::coroutine(graph)]` also writes `fn NAME_graph() -> resumable::StateGraph`
///   next to the fn (same visibility; in an `impl` block an associated fn, so not in a
///   trait impl): its states and transitions, with source lines, and
///   `to_dot()`/`to_mermaid()` (`cargo run --example state_graph`).
/// - A task suspended in a coroutine reports where ("file:line `yield_await!(expr)`") to
///   [`runtime::dump()`](https://docs.rs/resumable/latest/resumable/runtime/fn.dump.html).
///
/// ```
/// use resumable::yield_await;
///
/// #[resumable::coroutine(graph)]
/// fn twice() {
///     yield_await!(std::future::ready(()));
///     yield_await!(std::future::ready(()));
/// }
///
/// let names: Vec<_> = twice_graph().nodes.iter().map(|n| n.name).collect();
/// assert_eq!(names, ["Start", "Await0", "Await1", "Done"]);
/// ```
///
/// # Limitations, and what to write instead
///
/// - Borrows across a yield point work as in an `async fn` (a future borrowing a local or
///   `&mut self`, `let it = v.iter();` kept across a yield, a guard of a local mutex): a
///   local that may be borrowed there gets a fixed slot in the pinned machine, and the body
///   is also emitted as a never-run `async` block that rustc borrow-checks, so its errors
///   are rustc's own. Which locals need a slot is judged from the code (the attribute sees
///   no types): `&x`, a method call on `x` in an awaited expression (but not `len`,
///   `clone`, `into_*`, `unwrap`, numbers' `wrapping_mul`, `checked_add`, `pow`, ..: a
///   method of yours by such a name that returns a borrow of `x` needs `let r = &x;`
///   then `r.len()`), a view or guard kept in a local (`x.iter()`, `x.lock()`,
///   `x.as_*()`, `x.get*()`, `x.*_mut()`, ..). A method that takes such a local by value (`cell.into_inner()`)
///   needs it moved out first (`let cell = cell;`); a kept result of another method that
///   borrows its receiver is a borrow error about `__resumable_State` (borrow explicitly:
///   `let r = &mut x;` then `r.method()`). The state names the lifetime of such borrows
///   (`async fn` hides it): a generic fn gets a hidden lifetime parameter for it, which
///   callers infer; in a method taking `self` by value, or for an `impl Trait` argument's
///   type, the borrowed local's type must be `'static`. A generator (`impl Iterator`)
///   cannot borrow across `yield_!`: the error says so on the `&..`.
/// - Which locals are kept across a yield is decided by name: a local that is neither
///   used after the yield nor possibly moved before it is kept (it may be a guard), unless
///   it is certainly a primitive (nothing to drop). A value moved on one path only and
///   not used after the yield, or shadowed in the same block, is dropped at the yield
///   instead of at the end of its scope. (One shadowed by a binding of an inner block and
///   needed after it, or moved and then assigned again after the yield, gets a fixed slot
///   and behaves as in `async fn`; not in a generator.)
/// - Inside another macro's arguments (seen as tokens only), a method call on a local
///   counts as possibly moving it when its name says so (`v.unwrap()`, `v.into_iter()`,
///   as outside macros), and so does any use in a macro other than a format macro
///   (`vec![v]`); arguments of format macros (`println!`, `format!`, `write!`,
///   `assert_eq!`, ..), `{v}` in a format string and calls like `v.len()` there borrow.
/// - A `coroutine_block!` nested in the body is a coroutine of its own (like an `async`
///   block in an `async fn`): its `yield_await!`s suspend it, not the enclosing fn.
/// - `?` and `return` produced by another macro (`vec![a?]`, anyhow's `bail!`) are not
///   rewritten (an attribute sees macros unexpanded): such a `?` works for `Result` only
///   (a later poll reports "resumed after panicking"), such a `return` does not compile;
///   write `return Err(anyhow!(..))` instead of `bail!(..)`.
/// - A value produced by a `match`/`if`/block that contains a yield point and is not the
///   last statement of its block passes through the state (a *join*), so a large such
///   value can make the state larger than the `async fn`'s.
/// - A directly recursive call must be boxed and type-erased:
///   `yield_await!(Box::pin(f(n - 1)) as Pin<Box<dyn Future<Output = T>>>)` (the error
///   says so, with `T` filled in).
/// - On editions before 2024, a lifetime hidden in a path (`fn f(x: Ref)` for
///   `struct Ref<'a>`) is not captured: write `Ref<'_>`.
#[proc_macro_attribute]
pub fn coroutine(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    match parse::parse_fn(args.into(), item.clone()).and_then(emit::expand_fn) {
        Ok(expanded) => expanded.into(),
        Err(errors) => {
            let mut out = errors.into_compile_error();
            out.extend(emit::fallback(item));
            out.into()
        }
    }
}

/// A coroutine block: the analogue of `async { .. }` (`coroutine_block!{ .. }`) and
/// `async move { .. }` (`coroutine_block!(move { .. })`).
///
/// ```
/// use resumable::{coroutine_block, yield_await};
/// use std::future::{ready, Future};
/// use std::task::{Context, Poll, Waker};
///
/// fn twice(n: u32) -> impl Future<Output = u32> {
///     coroutine_block!(move {
///         let m = yield_await!(ready(n));
///         m * 2
///     })
/// }
///
/// let mut fut = std::pin::pin!(twice(21));
/// let mut cx = Context::from_waker(Waker::noop());
/// assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready(42));
/// ```
///
/// A `move` block moves the variables it uses into its state; a block without `move`
/// borrows them. (It is not called `coroutine!` because a crate cannot export an
/// attribute macro and a function-like macro under the same name.)
#[proc_macro]
pub fn coroutine_block(input: TokenStream) -> TokenStream {
    syn::parse::<parse::CoroutineBlock>(input)
        .and_then(emit::expand_block)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Yields a value from a generator: a `#[resumable::coroutine]` fn declared as
/// `-> impl Iterator<Item = Y>`, `-> impl resumable::Stream<Item = Y>` or
/// `-> impl resumable::Coroutine<R, Yield = Y, Return = T>`. Evaluates to the value the
/// generator is resumed with (`()` for iterators and streams).
///
/// ```
/// use resumable::yield_;
///
/// #[resumable::coroutine]
/// fn fibonacci() -> impl Iterator<Item = u64> {
///     let (mut a, mut b) = (0, 1);
///     loop {
///         yield_!(a);
///         (a, b) = (b, a + b);
///     }
/// }
///
/// assert_eq!(fibonacci().take(6).collect::<Vec<_>>(), [0, 1, 1, 2, 3, 5]);
/// ```
///
/// Expanded on its own (outside such a fn), it reports where it may be used instead.
#[proc_macro]
pub fn yield_(input: TokenStream) -> TokenStream {
    misplaced(
        input,
        "`yield_!` can only be used directly in the body of a `#[resumable::coroutine]` fn \
         declared as `-> impl Iterator<Item = T>` (or `impl resumable::Stream<Item = T>`, \
         `impl resumable::Coroutine<R, Yield = T, Return = U>`), outside closures, `async` \
         blocks, nested items and other macros",
    )
}

/// Async iteration inside a `#[resumable::coroutine]` fn: `for_await!(pat in stream { body })`
/// (optionally labelled: `for_await!('outer: pat in stream { .. })`) runs `body` for each
/// item of a `futures_core::Stream`, awaiting each one, like Python's `async for`.
///
/// ```
/// use resumable::{for_await, sync::Queue};
///
/// #[resumable::coroutine]
/// fn sum(queue: Queue<u32>) -> u32 {
///     let mut total = 0;
///     for_await!(n in queue.into_stream() {
///         total += n;
///         if total > 10 { break; }
///     });
///     total
/// }
///
/// let queue = Queue::new();
/// for n in [5, 4, 3, 2] {
///     queue.put_nowait(n).unwrap();
/// }
/// assert_eq!(resumable::run(sum(queue)), 12);
/// ```
///
/// The stream is kept next to the coroutine's state, inside the pinned machine (no
/// boxing, no borrow of a local, and it need not be `Unpin`): it is polled where it lies,
/// also while the loop body is suspended at its own `yield_await!`s. It is dropped where
/// the loop ends (`break` or the stream's end); left by `return` or `?`, or cancelled, it
/// is dropped with the machine, after the state. `break`, `continue` (also labelled),
/// `return` and `?` work as in a `for` loop; `break` with a value does not.
///
/// The stream may borrow locals of the coroutine (`stream::iter(values.iter())`): they
/// get fixed slots, as for any borrow held across a yield point.
#[proc_macro]
pub fn for_await(input: TokenStream) -> TokenStream {
    misplaced(
        input,
        "`for_await!` can only be used directly in the body of a `#[resumable::coroutine]` \
         fn, outside closures, `async` blocks, nested items and other macros",
    )
}

fn misplaced(input: TokenStream, message: &str) -> TokenStream {
    let tokens = proc_macro2::TokenStream::from(input);
    if tokens.to_string() == "__resumable_used" {
        // Left by the expansion so that an import of the macro counts as used.
        return TokenStream::new();
    }
    syn::Error::new(proc_macro2::Span::call_site(), message)
        .into_compile_error()
        .into()
}

/// Awaits a future inside a `#[resumable::coroutine]` fn or a `coroutine_block!`: the
/// coroutine suspends until the future is ready, and the macro evaluates to its output.
///
/// ```
/// use resumable::yield_await;
///
/// #[resumable::coroutine]
/// fn double(n: u32) -> u32 {
///     yield_await!(std::future::ready(n)) * 2
/// }
/// # let _ = double(1);
/// ```
///
/// The attribute rewrites every `yield_await!` it can see. Expanded on its own, the macro
/// means it was somewhere the attribute could not rewrite it, and reports where it may
/// be used instead.
#[proc_macro]
pub fn yield_await(input: TokenStream) -> TokenStream {
    let tokens = proc_macro2::TokenStream::from(input);
    if tokens.to_string() == "__resumable_used" {
        // Left by the expansion so that an import of `yield_await` counts as used.
        return TokenStream::new();
    }
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`yield_await!` can only be used directly in the body of a `#[resumable::coroutine]` fn \
         or a `coroutine_block!`, outside closures, `async` blocks, nested items and other macros",
    )
    .into_compile_error()
    .into()
}
