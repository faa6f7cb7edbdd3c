//! The support types a `#[coroutine]` expansion is built from.
//!
//! The attribute turns a fn body into a local enum `State` (one variant per yield point,
//! holding the locals in scope there and the awaited future) and a *step* closure that
//! runs the body from one yield point to the next. [`machine`] pairs the two into a
//! [`Machine`], which implements [`Future`].
//!
//! The one idea to keep in mind: the state is pinned (it lives inside the pinned
//! `Machine`), the awaited future inside it is polled where it lies ([`Pinned`]), and the
//! locals next to it are plain values ([`Slot`]) that are moved out when the coroutine
//! resumes. The arm of the step that resumes does it in one go: it moves the locals out
//! ([`Slot::take`]), drops the finished future in place ([`Vacate`]) and overwrites the
//! variant with `Panicked` before anything can unwind, so every value is dropped exactly
//! once and the future is never moved.
//!
//! Everything here is `#[doc(hidden)]` and reached through `resumable::__private`: the
//! functions are safe to call, but their soundness rests on contracts the macro upholds by
//! construction (stated on each item). They are not a public API.

use crate::generator::{Coroutine, CoroutineState};
use core::future::{Future, IntoFuture};
use core::mem::{self, ManuallyDrop};
use core::pin::Pin;
use core::ptr;
use core::task::{Context, Poll};

/// The state enum of a coroutine. Implemented by the expansion for its local `State` enum.
pub trait State {
    /// The variant that marks a machine whose step panicked (`State::Panicked`).
    ///
    /// A fn, not an associated constant: writing a constant of the state's type copies
    /// the whole (possibly large) value from memory, where the fn writes only the tag.
    fn panicked() -> Self;
}

/// How a coroutine's state drops what it holds when the machine is dropped (or a step
/// unwinds) while it is suspended: the variant's fields, and the values of the fixed slots
/// in `L` that its locals own (see [`Fixed`](crate::__private::Fixed)), interleaved in
/// `async fn`'s order. Implemented by the expansion.
pub trait DropInOrder<L> {
    /// Drops the current variant's values (and the slot values its locals own).
    ///
    /// Contract: the caller overwrites the state right after, without dropping it again.
    /// The default drops the variant as it lies, its fields in declaration order: right
    /// for a state whose locals own no slot.
    #[inline]
    fn drop_in_order(&mut self, slots: &L) {
        let _ = slots;
        // SAFETY: the value is dropped once, here; the caller overwrites it without
        // dropping it (the contract above).
        unsafe { ptr::drop_in_place(self) }
    }
}

/// A coroutine: its state enum `S`, the [`StreamSlot`]s of its `for_await!` loops `L` (a
/// tuple, `()` without such loops) and the step closure `F` that advances it.
///
/// Returned (as `impl Future`) by every `#[resumable::coroutine]` fn; see [`machine`].
/// The state drops before the slots (fields drop in declaration order).
#[must_use = "coroutines do nothing unless awaited, spawned or run"]
pub struct Machine<S: State + DropInOrder<L>, L, F> {
    state: S,
    slots: L,
    step: F,
}

impl<S: State + DropInOrder<L>, L, F> Drop for Machine<S, L, F> {
    #[inline]
    fn drop(&mut self) {
        // The state first (its future, then its locals, slot values among them in their
        // place), then the slots themselves, as the field order would. The state's own
        // drop then finds `Panicked`.
        drop_state(&mut self.state, &self.slots)
    }
}

/// Pairs a coroutine's initial state with its step closure.
///
/// Contract (upheld by the expansion): `step` only replaces the state by assignment
/// (`*state = State::..`, which drops the old value in place), only polls [`Pinned`]
/// fields through [`Pinned::poll`], and only moves [`Slot`]s out through [`Slot::take`]
/// (then overwrites the variant, see [`Vacate`]). It never moves a [`Pinned`] field, and only touches the [`StreamSlot`]s in
/// `slots` through their methods.
pub fn machine<S, L, F, T>(state: S, slots: L, step: F) -> Machine<S, L, F>
where
    S: State + DropInOrder<L>,
    F: FnMut(&mut S, &mut L, &mut Context<'_>) -> Poll<T>,
{
    Machine { state, slots, step }
}

impl<S, L, F, T> Future for Machine<S, L, F>
where
    S: State + DropInOrder<L>,
    F: FnMut(&mut S, &mut L, &mut Context<'_>) -> Poll<T>,
{
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: `state` and `slots` are structurally pinned: the `&mut` handed to `step`
        // are never used to move them (the contract of `machine`), and `Machine`'s `Drop`
        // drops them in place. `step` is not pinned; we only call it.
        let this = unsafe { self.get_unchecked_mut() };
        // Written out here rather than through a generic helper taking a closure, and with
        // references rather than raw pointers (whose every dereference is checked in debug
        // builds): each coroutine instantiates this, and every extra generic fn or check
        // per coroutine is compile time (issue 9).
        let guard = PoisonOnUnwind {
            state: &mut this.state,
            slots: &mut this.slots,
        };
        let out = (this.step)(guard.state, guard.slots, cx);
        mem::forget(guard);
        out
    }
}

/// A generator (a coroutine with `yield_!` points and no `yield_await!`): its state enum
/// `S` and the step closure `F`, called with the resume argument.
///
/// Nothing in a generator's state is ever pinned (it holds no awaited future; its locals
/// are plain values moved out on every resumption), so it is `Unpin` whatever it holds.
#[must_use = "generators do nothing unless iterated or resumed"]
pub struct Generator<S, F> {
    state: S,
    step: F,
}

// A generator never projects a pin to its fields: `Pin<&mut Generator>` is a plain
// `&mut Generator`.
impl<S, F> Unpin for Generator<S, F> {}

/// Pairs a generator's initial state with its step closure (contract: as [`machine`]'s,
/// and the state holds no [`Pinned`] field).
pub fn generator<S, F, R, Y, T>(state: S, step: F) -> Generator<S, F>
where
    S: State,
    F: FnMut(&mut S, R) -> CoroutineState<Y, T>,
{
    Generator { state, step }
}

impl<S, F> Generator<S, F> {
    #[inline]
    fn step<R, Y, T>(&mut self, arg: R) -> CoroutineState<Y, T>
    where
        S: State,
        F: FnMut(&mut S, R) -> CoroutineState<Y, T>,
    {
        let guard = PoisonGenerator(&mut self.state);
        let out = (self.step)(guard.0, arg);
        mem::forget(guard);
        out
    }
}

impl<S, F, R, Y, T> Coroutine<R> for Generator<S, F>
where
    S: State,
    F: FnMut(&mut S, R) -> CoroutineState<Y, T>,
{
    type Yield = Y;
    type Return = T;

    #[inline]
    fn resume(self: Pin<&mut Self>, arg: R) -> CoroutineState<Y, T> {
        self.get_mut().step(arg)
    }
}

impl<S, F, Y> Iterator for Generator<S, F>
where
    S: State,
    F: FnMut(&mut S, ()) -> CoroutineState<Y, ()>,
{
    type Item = Y;

    #[inline]
    fn next(&mut self) -> Option<Y> {
        match self.step(()) {
            CoroutineState::Yielded(item) => Some(item),
            CoroutineState::Complete(()) => None,
        }
    }
}

impl<S, F, Y> core::iter::FusedIterator for Generator<S, F>
where
    S: State,
    F: FnMut(&mut S, ()) -> CoroutineState<Y, ()>,
{
}

/// An async generator (a coroutine with both `yield_!` and `yield_await!` points): a
/// [`Machine`] whose step returns `Poll<CoroutineState<Y, ()>>`; it implements
/// [`Stream`](futures_core::Stream).
#[must_use = "streams do nothing unless polled"]
pub struct AsyncGenerator<S: State + DropInOrder<L>, L, F> {
    state: S,
    slots: L,
    step: F,
}

impl<S: State + DropInOrder<L>, L, F> Drop for AsyncGenerator<S, L, F> {
    #[inline]
    fn drop(&mut self) {
        // As `Machine`'s.
        drop_state(&mut self.state, &self.slots)
    }
}

/// Pairs an async generator's initial state with its step closure (contract: as
/// [`machine`]'s).
pub fn async_generator<S, L, F, Y>(state: S, slots: L, step: F) -> AsyncGenerator<S, L, F>
where
    S: State + DropInOrder<L>,
    F: FnMut(&mut S, &mut L, &mut Context<'_>) -> Poll<CoroutineState<Y, ()>>,
{
    AsyncGenerator { state, slots, step }
}

impl<S, L, F, Y> futures_core::Stream for AsyncGenerator<S, L, F>
where
    S: State + DropInOrder<L>,
    F: FnMut(&mut S, &mut L, &mut Context<'_>) -> Poll<CoroutineState<Y, ()>>,
{
    type Item = Y;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        // SAFETY: as in `Machine::poll`: `state` and `slots` are structurally pinned and
        // never moved by `step` (the contract of `async_generator`); `Drop` drops them in
        // place.
        let this = unsafe { self.get_unchecked_mut() };
        // As in `Machine::poll`.
        let guard = PoisonOnUnwind {
            state: &mut this.state,
            slots: &mut this.slots,
        };
        let poll = (this.step)(guard.state, guard.slots, cx);
        mem::forget(guard);
        poll.map(|state| match state {
            CoroutineState::Yielded(item) => Some(item),
            CoroutineState::Complete(()) => None,
        })
    }
}

/// What `for_await!(pat in stream { .. })` iterates: a `Stream`. Checked where the user
/// wrote the stream, by a method call: on a non-stream it fails once, and the rest of the
/// loop then sees an error type instead of reporting it again.
pub trait ForAwait {
    /// The stream.
    type Stream: futures_core::Stream;
    /// Checks `self`.
    fn for_await(self) -> Self::Stream;
}

impl<St: futures_core::Stream> ForAwait for St {
    type Stream = St;
    #[inline]
    fn for_await(self) -> St {
        self
    }
}

/// Where a `for_await!` loop keeps its stream while it runs: next to the state, in the
/// pinned machine, so the stream is polled in place (it need not be `Unpin`) and stays
/// put while the loop body suspends.
pub struct StreamSlot<St>(Option<St>);

impl<St> StreamSlot<St> {
    /// A slot with no stream (before its loop runs).
    #[inline]
    pub fn empty() -> Self {
        StreamSlot(None)
    }

    /// Starts a loop over `stream` (dropping, in place, the stream of an earlier run of
    /// the loop that was left by `return` or `?`).
    #[inline]
    pub fn start(&mut self, stream: St) {
        *self = StreamSlot(Some(stream));
    }

    /// Ends the loop: drops the stream in place.
    #[inline]
    pub fn finish(&mut self) {
        *self = StreamSlot(None);
    }
}

impl<St: futures_core::Stream> StreamSlot<St> {
    /// Polls the stream for its next item, where it lies.
    ///
    /// Contract: `self` is in the `slots` of a pinned [`Machine`] or [`AsyncGenerator`],
    /// and the expansion only touches it through these methods (see [`machine`]).
    #[inline]
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<St::Item>> {
        match &mut self.0 {
            // SAFETY: by the contract above, the slot lives in a pinned machine and is
            // never moved; its stream leaves it only by being dropped in place (`start`,
            // `finish`, or the machine's drop).
            Some(stream) => unsafe { Pin::new_unchecked(stream) }.poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

/// What a generator whose expansion failed returns, next to the compile errors, so that
/// its callers type-check against the declared `impl Iterator`/`Stream`/`Coroutine` and
/// the errors do not cascade to them. Never run: the crate does not compile.
pub struct Unfinished<Y, T>(core::marker::PhantomData<fn() -> (Y, T)>);

impl<Y, T> Unfinished<Y, T> {
    /// The stand-in.
    pub fn new() -> Self {
        Unfinished(core::marker::PhantomData)
    }
}

impl<Y, T> Default for Unfinished<Y, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<Y, T> Iterator for Unfinished<Y, T> {
    type Item = Y;
    fn next(&mut self) -> Option<Y> {
        None
    }
}

impl<Y, T> core::iter::FusedIterator for Unfinished<Y, T> {}

impl<Y, T> futures_core::Stream for Unfinished<Y, T> {
    type Item = Y;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Y>> {
        Poll::Ready(None)
    }
}

impl<Y, T, R> Coroutine<R> for Unfinished<Y, T> {
    type Yield = Y;
    type Return = T;
    fn resume(self: Pin<&mut Self>, _: R) -> CoroutineState<Y, T> {
        panic!("a generator whose expansion failed was resumed")
    }
}

/// Marks the state `Panicked` if a step unwinds, dropping what the current variant holds
/// in place (the awaited future first, then the locals), as rustc does for `async fn`.
///
/// Forgotten once the step returns; the step gets reborrows of the references it holds.
/// Generic, so that its `Drop` is inlined (a guard calling through a fn pointer, one type
/// for all coroutines, hid from LLVM what the unwind path does with the state, which then
/// kept dead stores into it).
struct PoisonOnUnwind<'a, S: State + DropInOrder<L>, L> {
    state: &'a mut S,
    slots: &'a mut L,
}

impl<S: State + DropInOrder<L>, L> Drop for PoisonOnUnwind<'_, S, L> {
    #[inline]
    fn drop(&mut self) {
        drop_state(self.state, self.slots)
    }
}

/// Drops what the state holds, in order, and leaves `Panicked` in its place (which the
/// state's own drop finds empty): when a machine is dropped, or its step unwinds.
#[inline]
fn drop_state<S: State + DropInOrder<L>, L>(state: &mut S, slots: &L) {
    state.drop_in_order(slots);
    // SAFETY: `state` is valid for writes (a unique reference); what it held was just
    // dropped, so it is overwritten without being dropped again (`drop_in_order`'s
    // contract).
    unsafe { ptr::write(state, S::panicked()) }
}

/// [`PoisonOnUnwind`] for a generator, whose state owns everything it holds.
struct PoisonGenerator<'a, S: State>(&'a mut S);

impl<S: State> Drop for PoisonGenerator<'_, S> {
    fn drop(&mut self) {
        *self.0 = S::panicked();
    }
}

/// The future a suspended coroutine awaits, stored in its state and polled in place.
///
/// Exactly the size of `F`.
pub struct Pinned<F>(ManuallyDrop<F>);

impl<F: Future> Pinned<F> {
    /// Stores `fut.into_future()`, the future a `yield_await!(fut)` awaits.
    #[inline]
    pub fn new<I: IntoFuture<IntoFuture = F>>(fut: I) -> Self {
        Pinned(ManuallyDrop::new(fut.into_future()))
    }

    /// Polls the future where it lies.
    ///
    /// Contract: `self` is a field of a state that lives inside a pinned [`Machine`], and
    /// the expansion never moves it (see [`machine`]).
    #[inline]
    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: by the contract above, a `Pinned` is polled only inside a pinned
        // machine's state, and leaves it only by being dropped in place (by assignment to
        // the state, by `drop_now`, or when the machine is dropped).
        unsafe { Pin::new_unchecked(&mut *self.0) }.poll(cx)
    }
}

impl<F> Pinned<F> {
    /// Drops the future in place, for [`DropInOrder::drop_in_order`].
    ///
    /// Contract: the state holding `self` is then overwritten without being dropped.
    #[inline]
    pub fn drop_now(&mut self) {
        // SAFETY: dropped once, here, in place; by the contract its `Drop` never runs.
        unsafe { ManuallyDrop::drop(&mut self.0) }
    }
}

impl<F> Drop for Pinned<F> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the future is dropped once, here, in place; `drop_now` drops it instead
        // only for a `Pinned` whose state is then overwritten without running this.
        unsafe { ManuallyDrop::drop(&mut self.0) }
    }
}

/// A local in scope at a yield point but not used after it, whose type the attribute
/// cannot see: rustc keeps it in an `async fn`'s state only if it has something to drop
/// at the end of its scope. The expansion asks the type, by autoref specialisation:
/// `(&&Dead::of(&x)).select().apply(x)` is `()` for a `Copy` type (nothing to drop, so
/// nothing kept) and `x` itself otherwise (kept, as a possible guard, until its scope
/// ends). A type that is neither `Copy` nor has drop glue is kept: the safe side.
///
/// ```
/// use resumable::__private::{Dead, DeadCopy as _, DeadKeep as _};
/// let n = 7_u64;
/// let kept_n: () = (&&Dead::of(&n)).select().apply(n);
/// let s = String::from("guard");
/// let kept_s: String = (&&Dead::of(&s)).select().apply(s);
/// assert_eq!((kept_n, kept_s.as_str()), ((), "guard"));
/// ```
pub struct Dead<T>(core::marker::PhantomData<T>);

impl<T> Dead<T> {
    /// The probe for `value`'s type.
    #[inline(always)]
    pub fn of(value: &T) -> Self {
        let _ = value;
        Dead(core::marker::PhantomData)
    }
}

/// [`Dead`]'s answer for a `Copy` type: keep nothing.
pub struct DropDead;

impl DropDead {
    /// Nothing to keep: the value has no drop glue.
    #[inline(always)]
    pub fn apply<T>(self, value: T) {
        let _ = value;
    }
}

/// [`Dead`]'s answer for any other type: keep the value.
pub struct KeepDead;

impl KeepDead {
    /// The value, to keep.
    #[inline(always)]
    pub fn apply<T>(self, value: T) -> T {
        value
    }
}

/// Picked first for a `Copy` type (see [`Dead`]).
pub trait DeadCopy {
    /// Keep nothing.
    fn select(self) -> DropDead;
}

impl<T: Copy> DeadCopy for &&Dead<T> {
    #[inline(always)]
    fn select(self) -> DropDead {
        DropDead
    }
}

/// Picked for any other type (see [`Dead`]).
pub trait DeadKeep {
    /// Keep the value.
    fn select(self) -> KeepDead;
}

impl<T> DeadKeep for &Dead<T> {
    #[inline(always)]
    fn select(self) -> KeepDead {
        KeepDead
    }
}

/// A place compared by reference (`x < ..`, `self.n == ..`) ahead of a yield in the other
/// operand, which may change it (`x < { x += 1; yield_await!(f()) }`). Rust reads a
/// primitive where the comparison starts (a copy) and borrows anything else (the place
/// itself, unchanged or the borrow checker says so). The expansion asks the type, by
/// autoref specialisation: `(&&Operand::of(&x)).select().read(&x)` before the yield is a
/// [`Copied`] value for a `Copy` type, a [`Later`] marker otherwise, and
/// `*Ahead::pick(&held, &x)` after it is the copy, or the place.
///
/// ```
/// use resumable::__private::{Ahead, Operand, OperandCopy as _, OperandLater as _};
/// let mut n = 1_u32;
/// let held = (&&Operand::of(&n)).select().read(&n);
/// n += 10;
/// assert!(*Ahead::pick(&held, &n) < n);
/// let s = String::from("a");
/// let held = (&&Operand::of(&s)).select().read(&s);
/// assert_eq!(*Ahead::pick(&held, &s), "a");
/// let held = (&&Operand::of(s.as_str())).select().read(s.as_str());
/// assert_eq!(Ahead::pick(&held, s.as_str()), "a");
/// ```
pub struct Operand<T: ?Sized>(core::marker::PhantomData<T>);

impl<T: ?Sized> Operand<T> {
    /// The probe for `place`'s type.
    #[inline(always)]
    pub fn of(place: &T) -> Self {
        let _ = place;
        Operand(core::marker::PhantomData)
    }
}

/// Picked first for a `Copy` type (see [`Operand`]).
pub trait OperandCopy {
    /// Read it now.
    fn select(self) -> CopyNow;
}

impl<T: Copy> OperandCopy for &&Operand<T> {
    #[inline(always)]
    fn select(self) -> CopyNow {
        CopyNow
    }
}

/// Picked for any other type (see [`Operand`]).
pub trait OperandLater {
    /// Read it where the comparison runs.
    fn select(self) -> ReadLater;
}

impl<T: ?Sized> OperandLater for &Operand<T> {
    #[inline(always)]
    fn select(self) -> ReadLater {
        ReadLater
    }
}

/// [`Operand`]'s answer for a `Copy` type.
pub struct CopyNow;

impl CopyNow {
    /// A copy of the place, now.
    #[inline(always)]
    pub fn read<T: Copy>(self, place: &T) -> Copied<T> {
        Copied(*place)
    }
}

/// [`Operand`]'s answer for any other type.
pub struct ReadLater;

impl ReadLater {
    /// Nothing now: the place is read after the yield.
    #[inline(always)]
    pub fn read<T: ?Sized>(self, place: &T) -> Later<T> {
        let _ = place;
        Later(core::marker::PhantomData)
    }
}

/// A `Copy` operand read ahead of a yield (see [`Operand`]).
pub struct Copied<T>(T);

/// An operand to read after the yield (see [`Operand`]): no bytes.
pub struct Later<T: ?Sized>(core::marker::PhantomData<T>);

/// The operand of [`Operand`] after the yield: the copy, or the place.
pub trait Ahead<T: ?Sized> {
    /// The value to compare.
    fn pick<'a>(&'a self, place: &'a T) -> &'a T;
}

impl<T> Ahead<T> for Copied<T> {
    #[inline(always)]
    fn pick<'a>(&'a self, _: &'a T) -> &'a T {
        &self.0
    }
}

impl<T: ?Sized> Ahead<T> for Later<T> {
    #[inline(always)]
    fn pick<'a>(&'a self, place: &'a T) -> &'a T {
        place
    }
}

/// A local (or argument) kept in a coroutine's state across a yield point.
///
/// Exactly the size of `T`: no drop flag, because a `Slot` is emptied only by
/// [`Slot::take`] or [`Slot::drop_now`], after which the whole state is overwritten
/// without being dropped. No `Drop` impl of its own either: a full slot drops as its
/// value does, so the state's drop glue has nothing to do for a slot whose value has
/// nothing to drop (a `Drop` impl made every slot of every variant a call, issue 9).
pub struct Slot<T>(T);

impl<T> Slot<T> {
    /// Stores a value in the state.
    #[inline]
    pub fn new(value: T) -> Self {
        Slot(value)
    }

    /// The value, in place.
    #[inline]
    pub fn get(&self) -> &T {
        &self.0
    }

    /// The value, in place.
    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.0
    }

    /// Drops the value, for [`DropInOrder::drop_in_order`].
    ///
    /// Contract: the state holding `self` is then overwritten without being dropped.
    #[inline]
    pub fn drop_now(&mut self) {
        // SAFETY: dropped once, here; by the contract the slot is never read or dropped
        // again.
        unsafe { ptr::drop_in_place(&mut self.0) }
    }

    /// Moves the value out, when the coroutine resumes at the variant holding `self`.
    ///
    /// Contract: the state holding `self` is then overwritten without being dropped
    /// (`store(state, State::Panicked)`, or [`Vacate`] once the variant's future is
    /// dropped), before anything that may unwind.
    #[inline]
    pub fn take(&mut self) -> T {
        // SAFETY: moved out once, here; by the contract the slot is never read or dropped
        // again.
        unsafe { ptr::read(&self.0) }
    }
}

/// Leaves `Panicked` in a coroutine's state when dropped, without dropping what the
/// state held: the arm of a yield point whose future is ready moves the locals out of
/// their [`Slot`]s, then drops the future in place (`Pinned::drop_now`) through this
/// guard, so that the state is overwritten also if that drop unwinds.
///
/// Contract (upheld by the expansion): the variant's slots are emptied and its future is
/// dropped (or being dropped) when this drops, and nothing else is left in the state.
pub struct Vacate<'a, S: State>(pub &'a mut S);

impl<S: State> Drop for Vacate<'_, S> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `self.0` is a unique reference, valid for writes. By the contract the
        // old value's slots were emptied and its future dropped: it must not be dropped
        // again, so it is overwritten without being dropped.
        unsafe { ptr::write(self.0, S::panicked()) }
    }
}

/// Stores the next variant in a coroutine's state, over a value with nothing left to
/// drop: `Panicked`, written by the step's arm when it resumed (after moving the locals
/// out of their [`Slot`]s), or over such a variant.
///
/// Unlike `*state = next`, it runs no drop glue: no drop call and no temporary of the
/// whole state per jump, which is part of what a coroutine costs to compile beyond the
/// same `async fn` (issue 9).
///
/// Contract (upheld by the expansion): the state holds no [`Pinned`] future and no
/// [`Slot`] still full (overwriting a pinned future without dropping it would break
/// `Pin`'s guarantee).
///
/// ```
/// let mut state = Some(1);
/// resumable::__private::store(&mut state, Some(2));
/// assert_eq!(state, Some(2));
/// ```
#[inline]
pub fn store<S>(state: &mut S, next: S) {
    // SAFETY: `state` is valid for writes (a unique reference). The old value is not
    // dropped: by the contract it holds nothing to drop.
    unsafe { ptr::write(state, next) }
}

/// Returns `Poll::Pending` from a coroutine suspended at `location` (`"file:line
/// `yield_await!(expr)`"`, a literal the expansion writes), after telling the runtime
/// where the current task waits, for [`runtime::dump`](crate::runtime::dump).
///
/// Only reached when the awaited future is pending (the ready path never calls it). With
/// the `locations` feature the location is recorded in debug mode (`RESUMABLE_DEBUG=1`
/// or `runtime::Builder::debug(true)`), the innermost coroutine first; without the
/// feature this is just `Poll::Pending`.
///
/// ```
/// use std::task::Poll;
/// let p: Poll<u32> = resumable::__private::pending_at("src/lib.rs:3 `yield_await!(f())`");
/// assert!(p.is_pending());
/// ```
#[inline]
pub fn pending_at<T>(location: &'static str) -> Poll<T> {
    #[cfg(feature = "locations")]
    crate::task::report_location_if_recording(location);
    #[cfg(not(feature = "locations"))]
    let _ = location;
    Poll::Pending
}

/// Panics for a coroutine polled again after it returned `Ready`.
#[cold]
#[track_caller]
pub fn resumed_after_completion(name: &str) -> ! {
    panic!("`{name}` resumed after completion: a coroutine's future was polled again after it returned `Poll::Ready`")
}

/// Panics for a generator declared as a `Coroutine`, resumed after it completed.
#[cold]
#[track_caller]
pub fn generator_resumed_after_completion(name: &str) -> ! {
    panic!("`{name}` resumed after completion: a generator was resumed again after it returned `CoroutineState::Complete`")
}

/// Panics for a coroutine polled again after one of its steps panicked.
#[cold]
#[track_caller]
pub fn resumed_after_panicking(name: &str) -> ! {
    panic!("`{name}` resumed after panicking: a coroutine's future was polled again after a poll of it panicked")
}

/// Drives `?` inside a coroutine: the stable stand-in for `core::ops::Try`.
pub trait Try {
    /// The value `?` evaluates to.
    type Output;
    /// What `?` returns early with.
    type Residual;
    /// `Continue(output)` or `Break(residual)`.
    fn branch(self) -> core::ops::ControlFlow<Self::Residual, Self::Output>;
}

/// Builds a coroutine's early return value from a `?` residual (`From` conversion included).
pub trait FromResidual<R> {
    /// The return value for the residual.
    fn from_residual(residual: R) -> Self;
}

impl<T, E> Try for Result<T, E> {
    type Output = T;
    type Residual = Result<core::convert::Infallible, E>;

    #[inline]
    fn branch(self) -> core::ops::ControlFlow<Self::Residual, T> {
        match self {
            Ok(value) => core::ops::ControlFlow::Continue(value),
            Err(error) => core::ops::ControlFlow::Break(Err(error)),
        }
    }
}

impl<T, E, F: From<E>> FromResidual<Result<core::convert::Infallible, E>> for Result<T, F> {
    #[inline]
    #[track_caller]
    fn from_residual(residual: Result<core::convert::Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(From::from(error)),
            Ok(never) => match never {},
        }
    }
}

impl<T> Try for Option<T> {
    type Output = T;
    type Residual = Option<core::convert::Infallible>;

    #[inline]
    fn branch(self) -> core::ops::ControlFlow<Self::Residual, T> {
        match self {
            Some(value) => core::ops::ControlFlow::Continue(value),
            None => core::ops::ControlFlow::Break(None),
        }
    }
}

impl<T> FromResidual<Option<core::convert::Infallible>> for Option<T> {
    #[inline]
    fn from_residual(_: Option<core::convert::Infallible>) -> Self {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::task::Waker;

    /// A hand-written expansion of
    /// `fn f(a: D) { let b = D("b"); yield_await!(ready_after_one_pending()); }`.
    enum TestState<A, B, F> {
        Start {
            a: Slot<A>,
        },
        Await0 {
            __fut: Pinned<F>,
            b: Slot<B>,
            a: Slot<A>,
        },
        Done,
        Panicked,
    }

    impl<A, B, F> State for TestState<A, B, F> {
        fn panicked() -> Self {
            TestState::Panicked
        }
    }

    impl<A, B, F, L> DropInOrder<L> for TestState<A, B, F> {}

    struct D(&'static str, Rc<RefCell<Vec<&'static str>>>);
    impl Drop for D {
        fn drop(&mut self) {
            self.1.borrow_mut().push(self.0);
        }
    }

    /// Ready on the second poll; logs "fut" when dropped.
    struct OnePending(bool, #[allow(dead_code)] D);
    impl Future for OnePending {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    fn f(a: D) -> impl Future<Output = ()> {
        machine(
            TestState::Start { a: Slot::new(a) },
            (),
            |state: &mut TestState<_, _, _>, _slots: &mut (), cx| loop {
                match state {
                    TestState::Start { a } => {
                        let a = a.take();
                        store(state, TestState::Panicked);
                        let b = D("b", a.1.clone());
                        let fut = OnePending(false, D("fut", a.1.clone()));
                        store(
                            state,
                            TestState::Await0 {
                                __fut: Pinned::new(fut),
                                b: Slot::new(b),
                                a: Slot::new(a),
                            },
                        );
                    }
                    TestState::Await0 { __fut, b, a } => {
                        core::task::ready!(__fut.poll(cx));
                        let b = b.take();
                        let a = a.take();
                        {
                            let vacate = Vacate(&mut *state);
                            if let TestState::Await0 { __fut, .. } = &mut *vacate.0 {
                                __fut.drop_now();
                            }
                        }
                        a.1.borrow_mut().push("resumed");
                        drop(b);
                        drop(a);
                        store(state, TestState::Done);
                        return Poll::Ready(());
                    }
                    TestState::Done => resumed_after_completion("f"),
                    TestState::Panicked => resumed_after_panicking("f"),
                }
            },
        )
    }

    fn log() -> Rc<RefCell<Vec<&'static str>>> {
        Rc::new(RefCell::new(Vec::new()))
    }

    #[test]
    fn a_hand_written_machine_drops_each_value_once_in_order() {
        let log = log();
        let mut fut = Box::pin(f(D("a", log.clone())));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        assert!(fut.as_mut().poll(&mut cx).is_ready());
        assert_eq!(*log.borrow(), ["fut", "resumed", "b", "a"]);
    }

    #[test]
    fn cancelling_drops_the_future_then_locals_then_arguments() {
        let log = log();
        let mut fut = Box::pin(f(D("a", log.clone())));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        drop(fut);
        assert_eq!(*log.borrow(), ["fut", "b", "a"]);
    }

    #[test]
    fn a_never_polled_machine_drops_its_arguments() {
        let log = log();
        drop(f(D("a", log.clone())));
        assert_eq!(*log.borrow(), ["a"]);
    }

    #[test]
    #[should_panic(expected = "`f` resumed after completion")]
    fn polling_after_completion_panics() {
        let log = log();
        let mut fut = Box::pin(f(D("a", log)));
        let mut cx = Context::from_waker(Waker::noop());
        while fut.as_mut().poll(&mut cx).is_pending() {}
        let _ = fut.as_mut().poll(&mut cx);
    }

    #[test]
    fn slots_and_pinned_add_no_size() {
        assert_eq!(mem::size_of::<Slot<u64>>(), 8);
        assert_eq!(
            mem::size_of::<Pinned<core::future::Ready<u32>>>(),
            mem::size_of::<core::future::Ready<u32>>()
        );
    }
}
