//! `#[resumable::coroutine]` on methods (`self`, `&self`, `&mut self`), in traits and
//! impls, with generics, lifetimes (named and elided), `where` clauses, `impl Trait`
//! arguments, argument patterns, `unsafe fn`, visibility, attributes and doc comments.
#![deny(warnings)]

use resumable::yield_await;
use std::fmt::Display;
use std::future::Future;
use testkit::{block_on, ready_after_one as ready};

struct Counter {
    count: u32,
    name: String,
}

impl Counter {
    /// Doc comments are kept.
    #[resumable::coroutine]
    pub fn bump(&mut self, by: u32) -> u32 {
        self.count += yield_await!(ready(by));
        println!("{} is {}", self.name, self.count);
        self.count
    }

    #[resumable::coroutine]
    fn name_len(&self) -> usize {
        yield_await!(ready(()));
        self.name.len()
    }

    #[resumable::coroutine]
    fn into_name(mut self) -> String {
        self.name.push('!');
        yield_await!(ready(()));
        self.name
    }

    #[resumable::coroutine]
    fn name_ref(&self) -> &str {
        yield_await!(ready(()));
        &self.name
    }

    #[resumable::coroutine]
    fn boxed(self: Box<Self>) -> u32 {
        yield_await!(ready(self.count))
    }
}

#[test]
fn methods_with_every_receiver() {
    let mut c = Counter {
        count: 1,
        name: "c".into(),
    };
    assert_eq!(block_on(c.bump(2)), 3);
    assert_eq!(c.count, 3);
    assert_eq!(block_on(c.name_len()), 1);
    assert_eq!(block_on(c.name_ref()), "c");
    assert_eq!(
        block_on(
            Box::new(Counter {
                count: 9,
                name: String::new()
            })
            .boxed()
        ),
        9
    );
    assert_eq!(block_on(c.into_name()), "c!");
}

#[resumable::coroutine]
fn generic<T, const N: usize>(items: [T; N]) -> String
where
    T: Clone + Display + Send,
{
    let mut out = String::new();
    for item in items {
        let item = yield_await!(ready(item));
        out.push_str(&item.to_string());
    }
    out
}

#[resumable::coroutine]
fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    yield_await!(ready(()));
    if a.len() >= b.len() {
        a
    } else {
        b
    }
}

#[resumable::coroutine]
fn elided(a: &str, b: &mut Vec<u8>, c: std::slice::Iter<'_, u8>) -> usize {
    b.push(yield_await!(ready(1)));
    a.len() + b.len() + c.len()
}

#[resumable::coroutine]
fn impl_trait_args(a: impl Display, b: impl IntoIterator<Item = u32>) -> String {
    let total: u32 = yield_await!(ready(b.into_iter().sum::<u32>()));
    format!("{a}{total}")
}

#[resumable::coroutine]
fn patterns((a, b): (u32, u32), [c, _]: [u32; 2], _: String, mut d: u32) -> u32 {
    d += yield_await!(ready(a + b + c));
    d
}

/// # Safety
/// None needed: this checks that `unsafe fn` is accepted.
#[resumable::coroutine]
pub(crate) unsafe fn unsafe_fn(x: u32) -> u32 {
    yield_await!(ready(x))
}

#[test]
fn generics_lifetimes_patterns_and_qualifiers() {
    assert_eq!(block_on(generic([1, 2, 3])), "123");
    assert_eq!(block_on(longest("ab", "c")), "ab");
    let mut v = vec![];
    let bytes = [1u8, 2];
    assert_eq!(block_on(elided("xy", &mut v, bytes.iter())), 5);
    assert_eq!(block_on(impl_trait_args("n=", vec![1, 2])), "n=3");
    assert_eq!(block_on(patterns((1, 2), [3, 4], String::new(), 10)), 16);
    // SAFETY: `unsafe_fn` has no safety requirement.
    assert_eq!(block_on(unsafe { unsafe_fn(4) }), 4);
}

trait Service {
    #[resumable::coroutine]
    fn call(&self, x: u32) -> u32;

    #[resumable::coroutine]
    fn call_twice(&self, x: u32) -> u32 {
        let a = yield_await!(self.call(x));
        a + yield_await!(self.call(x))
    }
}

struct Doubler;

impl Service for Doubler {
    #[resumable::coroutine]
    fn call(&self, x: u32) -> u32 {
        yield_await!(ready(x * 2))
    }
}

struct Native;

impl Service for Native {
    #[allow(clippy::manual_async_fn)]
    fn call(&self, x: u32) -> impl Future<Output = u32> {
        async move { x + 1 }
    }
}

#[test]
fn trait_methods_declared_defaulted_and_implemented() {
    assert_eq!(block_on(Doubler.call(2)), 4);
    assert_eq!(block_on(Doubler.call_twice(2)), 8);
    assert_eq!(block_on(Native.call_twice(2)), 6);
}

struct Wrapper<'a, T> {
    inner: &'a mut Vec<T>,
}

impl<'a, T: Clone> Wrapper<'a, T> {
    #[resumable::coroutine]
    fn push_twice(&mut self, item: T) -> usize {
        self.inner.push(item.clone());
        yield_await!(ready(()));
        self.inner.push(item);
        self.inner.len()
    }
}

#[test]
fn methods_of_generic_impls_with_lifetimes() {
    let mut v = vec![1];
    let mut w = Wrapper { inner: &mut v };
    assert_eq!(block_on(w.push_twice(2)), 3);
}

#[resumable::coroutine]
fn returns_impl_trait(n: u32) -> impl Display {
    let m = yield_await!(ready(n));
    format!("<{m}>")
}

#[resumable::coroutine]
fn returns_a_closure(n: u32) -> impl Fn(u32) -> u32 {
    let m = yield_await!(ready(n));
    move |x| x + m
}

#[test]
fn impl_trait_return_types() {
    assert_eq!(block_on(returns_impl_trait(3)).to_string(), "<3>");
    assert_eq!(block_on(returns_a_closure(3))(4), 7);
}
