//! Fixed slots: the locals of a coroutine that something borrows across a yield point.
//!
//! Most locals move between the variants of a coroutine's state enum (out at each
//! resumption, back in at each suspension). A local that a stored value borrows (the
//! awaited future of `yield_await!(stream.read(&mut buf))`, a reference `let r = &mut x;`
//! held across a yield, an iterator over it) must not move while the borrow lives, so the
//! expansion gives it a [`Fixed`] slot in the machine's `slots`, next to the state and
//! pinned with it. The step holds a [`Live`] handle while it runs (dropping it at the end
//! of the local's scope drops the value); while suspended the state holds nothing for it:
//! its [`DropInOrder`](crate::__private::DropInOrder) impl drops the slot's value in the
//! local's place among the variant's fields, so a cancelled coroutine drops it where
//! `async fn` would, and the slot costs no more than the local's own bytes.
//! Every use of the local in the body becomes a use of the slot: `(*h.0.place())` where
//! the local is a place, `h.0.move_out()` where it is moved, `h.0.assign(v)` where it is
//! assigned (the last two only for a [`Movable`] slot, which has a drop flag: its
//! [`LiveMovable`] handle's while a step runs, a `bool` field of the state's variant while
//! suspended; a local that is never moved out or assigned after its `let` gets a plain
//! [`Fixed`] one).
//!
//! # Why this is sound
//!
//! rustc cannot borrow-check the machine itself any more: the references into a slot are
//! made from a shared reference with a lifetime the expansion picks (see [`Fixed::init`]).
//! The expansion therefore also emits a *twin* of the body: the same code as a
//! never-run `async move` block (`yield_await!(e)` becomes `e.await`), which rustc type-
//! and borrow-checks as it checks every `async fn`. A program compiles only if its twin
//! does, and the machine runs the twin's code with each fixed local at a fixed address:
//! every borrow the machine makes of a slot is one rustc accepted in the twin, at the same
//! point of the same code, so the slot is never used while a conflicting borrow of it is
//! live, never read before it is initialised, and never used after it is moved out or
//! dropped (the twin's initialisation and move checks).
//!
//! The slot stays at its address: it is a field of a pinned [`Machine`](crate::__private::Machine)
//! (`Fixed` is `!Unpin`), and the machine drops its state (every future that borrows a
//! slot, and the slots' values in their order) before its slots.

use core::cell::{Cell, UnsafeCell};
use core::marker::{PhantomData, PhantomPinned};
use core::mem::{self, ManuallyDrop, MaybeUninit};
use core::ptr;

use crate::machine::Slot;

/// The storage of one local that is borrowed across a yield point and never moved out
/// or assigned after its `let`: initialised from its `let` until its [`Live`] handle
/// drops. Lives in the `slots` of a pinned machine.
pub struct Fixed<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    _pinned: PhantomPinned,
}

/// A [`Fixed`] slot for a local that the body also moves out of or assigns (or declares
/// without a value). The slot holds the value only: its drop flag is the handle's while a
/// step runs ([`LiveMovable`]) and the state's while the coroutine is suspended (a `bool`
/// field of each variant that keeps the local, which the layout puts in spare bytes, as
/// rustc places its drop flags in an `async fn`'s state), so the slot costs no more than
/// the value's own bytes.
pub struct Movable<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    _pinned: PhantomPinned,
}

/// A value with a drop flag, used as its local is: in place, moved out, assigned. The
/// storage of a [`Movable`] slot, and of a [`Flagged`] local.
pub struct Flag<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    live: Cell<bool>,
}

/// A local that the body moves out of on some paths only, or moves out of and assigns
/// again, and that nothing borrows across a yield point: kept in the state like any
/// other local (it moves between the variants), with the drop flag `async fn` gives it,
/// so that it is dropped at the end of its scope exactly when it still holds a value.
/// Used through its [`Flag`] as a fixed local is used through its slot (see the module
/// docs; the borrow-checked twin proves the uses, as for a slot).
pub struct Flagged<T>(pub Flag<T>);

// SAFETY: sharing a slot shares access to its value (through `place`), so it is `Sync`
// when `T` is. `&Fixed` is reachable only through the machine that owns it, and the
// expansion uses it from the machine's step only (the contract of `Fixed::init`).
unsafe impl<T: Sync> Sync for Fixed<T> {}
// SAFETY: as for `Fixed`.
unsafe impl<T: Sync> Sync for Movable<T> {}
// SAFETY: as for `Fixed`; the flag is only touched from the machine's step too (a
// `Flagged` local lives in the machine's state, reachable only from its step).
unsafe impl<T: Sync> Sync for Flag<T> {}

/// What a [`Live`] handle drops.
pub trait FixedSlot {
    /// Drops the value in place if the slot holds one.
    ///
    /// Contract: called once per initialisation, by the handle, when nothing borrows
    /// the local any more (the end of its scope, or the machine being dropped).
    fn drop_value(&self);
}

/// The drop obligation of a fixed slot while a step runs: dropping it (at the end of the
/// local's scope, or when the step unwinds) drops the slot's value. At a suspension the
/// step forgets it and the state's `DropInOrder` takes over; a resumed step takes a new
/// one with `handle`.
pub struct Live<'a, S: FixedSlot>(pub &'a S);

// SAFETY: a `Live` is the owner of its slot's value (it alone drops it), not a shared
// view of it: sending it sends the value, which needs `T: Send` only.
unsafe impl<T: Send> Send for Live<'_, Fixed<T>> {}
// SAFETY: through `&Live` the value is reachable as through `&Fixed`: `T: Sync` suffices.
unsafe impl<T: Sync> Sync for Live<'_, Fixed<T>> {}

impl<S: FixedSlot> Drop for Live<'_, S> {
    #[inline]
    fn drop(&mut self) {
        self.0.drop_value();
    }
}

/// The handle of a slot, borrowed for as long as the machine needs.
///
/// SAFETY (of the callers' use): `slot` is in the `slots` of a pinned machine and
/// outlives the handle, which only a step of that machine holds (it is forgotten at a
/// suspension), so extending the borrow to `'a` never lets the handle outlive the slot.
#[inline]
fn handle<'a, S: FixedSlot>(slot: &S) -> Live<'a, S> {
    // SAFETY: see above (the contract of `Fixed::init`, which the expansion upholds).
    Live(unsafe { &*ptr::from_ref(slot) })
}

impl<T> Fixed<T> {
    /// An empty slot, as created with the machine.
    #[inline]
    pub const fn empty() -> Self {
        Fixed {
            value: UnsafeCell::new(MaybeUninit::uninit()),
            _pinned: PhantomPinned,
        }
    }

    /// Stores the local's initial value (its `let`) and returns the handle the state keeps.
    ///
    /// Contract (upheld by the expansion): `self` is in the `slots` of a pinned machine,
    /// the returned handle is kept in that machine's state (or in its step), and the slot
    /// is used only as the machine's borrow-checked twin uses the local (see the module
    /// docs). The lifetime `'a` is the machine's to choose: it is how long the borrows of
    /// the slot that the state holds may live, which the twin checks.
    #[inline]
    pub fn init<'a>(&self, value: T) -> Live<'a, Self> {
        self.write(value);
        handle(self)
    }

    /// The handle of the local again, in a step that resumes inside its scope (the state
    /// keeps no handle: its [`DropInOrder`](crate::__private::DropInOrder) drops the slot).
    #[inline]
    pub fn handle<'a>(&self) -> Live<'a, Self> {
        handle(self)
    }

    #[inline]
    fn write(&self, value: T) {
        // SAFETY: the slot is empty (a `let` runs again only after the handle of its
        // previous run dropped the value) and nothing borrows it (the twin's borrow check:
        // the local is being declared or assigned here).
        unsafe { (*self.value.get()).write(value) };
    }

    /// The local as a place: what `x` means in `&x`, `&mut x`, `x.f`, `x[i]`, `x.method()`.
    ///
    /// Contract: the twin proves that the local is initialised here and that no borrow
    /// of it that conflicts with this one is used while this one lives.
    #[inline]
    #[allow(clippy::mut_from_ref)] // interior mutability, checked on the twin
    pub fn place(&self) -> &mut T {
        // SAFETY: the value is initialised and not borrowed in a conflicting way (the
        // contract above, from the twin's initialisation and borrow checks).
        unsafe { (*self.value.get()).assume_init_mut() }
    }
}

impl<T> FixedSlot for Fixed<T> {
    #[inline]
    fn drop_value(&self) {
        // Initialised from `init` until this drop (a `Fixed` local is never moved out: the
        // expansion uses a `Movable` slot for that); borrowed no more (the twin: whatever
        // borrowed it is gone by the end of its scope, and a cancelled machine drops its
        // state's futures first).
        // SAFETY: as just said, the value is initialised, unborrowed, and dropped once.
        unsafe { ptr::drop_in_place((*self.value.get()).as_mut_ptr()) }
    }
}

impl<T> Flag<T> {
    /// A flag holding `value`.
    #[inline]
    pub const fn new(value: T) -> Self {
        Flag {
            value: UnsafeCell::new(MaybeUninit::new(value)),
            live: Cell::new(true),
        }
    }

    /// A flag holding nothing (`let x;`).
    #[inline]
    pub const fn uninit() -> Self {
        Flag {
            value: UnsafeCell::new(MaybeUninit::uninit()),
            live: Cell::new(false),
        }
    }

    #[inline]
    fn write(&self, value: T) {
        // SAFETY: nothing borrows the local while it is declared or assigned (the twin's
        // borrow check), and the old value, if any, was dropped or moved out.
        unsafe { (*self.value.get()).write(value) };
        self.live.set(true);
    }

    /// As [`Fixed::place`].
    #[inline]
    #[allow(clippy::mut_from_ref)] // interior mutability, checked on the twin
    pub fn place(&self) -> &mut T {
        // SAFETY: the value is initialised and not borrowed in a conflicting way (the
        // contract of `Fixed::place`, from the twin's initialisation and borrow checks).
        unsafe { (*self.value.get()).assume_init_mut() }
    }

    /// Moves the local out (`let y = x;`, `f(x)`): a bitwise read that leaves nothing to
    /// drop at the end of the scope. For a `Copy` type (or a `&mut` passed on as a
    /// reborrow) the bits stay valid, and the type has nothing to drop. (So the flag
    /// cannot live in a niche of the value: an `Option<T>` would overwrite them.)
    #[inline]
    pub fn move_out(&self) -> T {
        self.live.set(false);
        // SAFETY: initialised and not borrowed (the twin's move checks).
        unsafe { (*self.value.get()).assume_init_read() }
    }

    /// Assigns the local (`x = value;`): drops the old value if there is one, as an
    /// assignment does.
    #[inline]
    pub fn assign(&self, value: T) {
        self.drop_value();
        self.write(value);
    }

    /// Drops the value if there is one (the end of the local's scope).
    #[inline]
    fn drop_value(&self) {
        // The flag is cleared first, so a panicking drop does not drop it again.
        if self.live.replace(false) {
            // SAFETY: the flag says the value is initialised; the twin says nothing
            // borrows it any more; the flag, cleared, says it is dropped once.
            unsafe { ptr::drop_in_place((*self.value.get()).as_mut_ptr()) }
        }
    }
}

/// Slot storage any bytes of which are a valid value: a [`Fixed`] or [`Movable`] slot
/// (its value is a `MaybeUninit` in an `UnsafeCell`), or an [`Overlay`] of such.
///
/// # Safety
///
/// Implemented only for types for which every bit pattern of their size, initialised or
/// not, is a valid value, so that the bytes of an [`Overlay`] can be viewed as any of its
/// members.
pub unsafe trait SlotBytes {}

// SAFETY: a `MaybeUninit<T>` in an `UnsafeCell`, and a zero-sized marker.
unsafe impl<T> SlotBytes for Fixed<T> {}
// SAFETY: as for `Fixed`.
unsafe impl<T> SlotBytes for Movable<T> {}
// SAFETY: a union of slot storage: its bytes are a valid value of either member.
unsafe impl<A: SlotBytes, B: SlotBytes> SlotBytes for Overlay<A, B> {}
// SAFETY: zero-sized.
unsafe impl SlotBytes for () {}

/// Two fixed slots that share their bytes, as rustc lets locals of an `async fn` whose
/// scopes are disjoint share bytes of its state: the expansion puts in one `Overlay` the
/// slots of locals never alive at the same time (declared in disjoint scopes), so that at
/// most one member holds a value. A chain `Overlay<S0, Overlay<S1, ..Overlay<Sn, ()>>>`
/// holds any number of them; member `i` is `.rest()` `i` times, then `.first()`.
///
/// ```
/// use resumable::__private::{Fixed, Overlay};
/// // Two locals, never alive together: 16 bytes, not 24.
/// let place: Overlay<Fixed<[u8; 16]>, Overlay<Fixed<u64>, ()>> = Overlay::new(Fixed::empty());
/// assert_eq!(std::mem::size_of_val(&place), 16);
/// let first = place.first().init([1; 16]);
/// drop(first); // the first local's scope ends: its value drops
/// let second = place.rest().first().init(7);
/// assert_eq!(*place.rest().first().place(), 7);
/// drop(second);
/// ```
#[repr(C)]
pub union Overlay<A, B> {
    first: ManuallyDrop<A>,
    rest: ManuallyDrop<B>,
}

impl<A: SlotBytes, B: SlotBytes> Overlay<A, B> {
    /// The shared storage, as created with the machine (its first member empty, which
    /// leaves every member empty: a slot's emptiness is its handle's and state's to know).
    #[inline]
    pub const fn new(first: A) -> Self {
        Overlay {
            first: ManuallyDrop::new(first),
        }
    }

    /// The first member's slot.
    #[inline]
    pub fn first(&self) -> &A {
        // SAFETY: reading a union field is sound when the bytes are a valid value of its
        // type, and any bytes are a valid `A` (`SlotBytes`). `ManuallyDrop<A>` has `A`'s
        // layout.
        unsafe { &self.first }
    }

    /// The other members' storage.
    #[inline]
    pub fn rest(&self) -> &B {
        // SAFETY: as for `first`: any bytes are a valid `B` (`SlotBytes`).
        unsafe { &self.rest }
    }
}

impl<T> Movable<T> {
    /// An empty slot, as created with the machine.
    #[inline]
    pub const fn empty() -> Self {
        Movable {
            value: UnsafeCell::new(MaybeUninit::uninit()),
            _pinned: PhantomPinned,
        }
    }

    /// As [`Fixed::init`]: the value, and a handle whose flag is up.
    #[inline]
    pub fn init<'a>(&self, value: T) -> LiveMovable<'a, T> {
        let live = self.handle(false);
        live.0.write(value);
        live
    }

    /// The handle of a local declared without a value (`let x;`), assigned later.
    #[inline]
    pub fn uninit<'a>(&self) -> LiveMovable<'a, T> {
        self.handle(false)
    }

    /// The handle again, in a step that resumes inside the local's scope, with the flag
    /// the state kept (`false` where the local is declared but not yet assigned).
    #[inline]
    pub fn handle<'a>(&self, live: bool) -> LiveMovable<'a, T> {
        // SAFETY: as for `handle`: the slot is in the `slots` of a pinned machine and
        // outlives the handle, which only a step of that machine holds.
        let slot: &'a Self = unsafe { &*ptr::from_ref(self) };
        LiveMovable(Held {
            slot,
            live: Cell::new(live),
        })
    }

    /// Drops the value in place.
    ///
    /// Contract: the slot holds a value (its flag says so) that nothing borrows any
    /// more, and it is dropped once.
    #[inline]
    unsafe fn drop_in_place(&self) {
        // SAFETY: forwarded to the caller.
        unsafe { ptr::drop_in_place((*self.value.get()).as_mut_ptr()) }
    }
}

/// A [`Movable`] slot and its drop flag, used as its local is: in place, moved out,
/// assigned (`h.0.place()`, `h.0.move_out()`, `h.0.assign(v)`, as for a [`Flag`]).
pub struct Held<'a, T> {
    slot: &'a Movable<T>,
    live: Cell<bool>,
}

impl<'a, T> Held<'a, T> {
    #[inline]
    fn write(&self, value: T) {
        // SAFETY: nothing borrows the local while it is declared or assigned (the twin's
        // borrow check), and the old value, if any, was dropped or moved out.
        unsafe { (*self.slot.value.get()).write(value) };
        self.live.set(true);
    }

    /// As [`Fixed::place`].
    #[inline]
    pub fn place(&self) -> &'a mut T {
        // SAFETY: the value is initialised and not borrowed in a conflicting way (the
        // contract of `Fixed::place`, from the twin's initialisation and borrow checks).
        unsafe { (*self.slot.value.get()).assume_init_mut() }
    }

    /// As [`Flag::move_out`].
    #[inline]
    pub fn move_out(&self) -> T {
        self.live.set(false);
        // SAFETY: initialised and not borrowed (the twin's move checks).
        unsafe { (*self.slot.value.get()).assume_init_read() }
    }

    /// As [`Flag::assign`].
    #[inline]
    pub fn assign(&self, value: T) {
        self.drop_value();
        self.write(value);
    }

    /// The drop flag, for the state to keep while the coroutine is suspended (the step
    /// then forgets the handle).
    #[inline]
    pub fn live(&self) -> bool {
        self.live.get()
    }

    #[inline]
    fn drop_value(&self) {
        // The flag is cleared first, so a panicking drop does not drop it again.
        if self.live.replace(false) {
            // SAFETY: the flag says the value is initialised; the twin says nothing
            // borrows it any more; the flag, cleared, says it is dropped once.
            unsafe { self.slot.drop_in_place() }
        }
    }
}

/// The drop obligation of a [`Movable`] slot while a step runs, with its drop flag: as
/// [`Live`] for a [`Fixed`] one.
pub struct LiveMovable<'a, T>(pub Held<'a, T>);

// SAFETY: as for `Live<Fixed<T>>`: the owner of the slot's value.
unsafe impl<T: Send> Send for LiveMovable<'_, T> {}

impl<T> Drop for LiveMovable<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.0.drop_value();
    }
}

/// Drops a [`Movable`] slot's value if the flag the state kept says there is one: the
/// state dropped at a suspension (its `DropInOrder`).
///
/// Contract (upheld by the expansion): `live` is the flag of `slot`'s local in the state
/// being dropped, which is then overwritten without being dropped.
#[inline]
pub fn drop_movable<T>(slot: &Movable<T>, live: &mut Slot<bool>) {
    if *live.get_mut() {
        // SAFETY: the flag says the value is initialised; the state is being dropped, so
        // nothing borrows it any more (its futures went first); it is dropped once (the
        // state is overwritten without being dropped again).
        unsafe { slot.drop_in_place() }
    }
}

impl<T> Flagged<T> {
    /// The local of `let x = value;`.
    #[inline]
    pub const fn new(value: T) -> Self {
        Flagged(Flag::new(value))
    }

    /// The local of `let x;` (typed or not), assigned later.
    #[inline]
    pub const fn uninit() -> Self {
        Flagged(Flag::uninit())
    }

    /// For the state's field where the local is known to be moved out (on every path to
    /// the yield): only its type, no bytes. Should it hold a value after all (the
    /// attribute judges moves by the code, not the types), the value is dropped now.
    ///
    /// ```
    /// use resumable::__private::Flagged;
    /// let local = Flagged::<String>::uninit();
    /// let field = Flagged::into_empty(local);
    /// let again = Flagged::from_empty(field);
    /// again.0.assign(String::from("assigned after the yield"));
    /// ```
    #[inline]
    pub fn into_empty(self) -> PhantomData<T> {
        drop(self);
        PhantomData
    }

    /// The local again, moved out, from the state's field of [`into_empty`](Flagged::into_empty).
    #[inline]
    pub const fn from_empty(_: PhantomData<T>) -> Self {
        Flagged(Flag::uninit())
    }
}

/// The value of a [`Flagged`] local while the local is in the state: kept apart from its
/// flag (`Flagged::into_value`, `Flagged::into_live`), in a field of its own, so that the
/// state's layout can put the flag in spare bytes as rustc does with its drop flags.
/// Drops nothing by itself: the state's `DropInOrder` drops it ([`drop_flagged`]).
pub struct FlagValue<T>(MaybeUninit<T>);

impl<T> Flagged<T> {
    /// The value's bits, for the state's field; the flag follows with
    /// [`into_live`](Flagged::into_live), the local's next use.
    #[inline]
    pub fn value_bits(&self) -> FlagValue<T> {
        // SAFETY: a bitwise copy of a `MaybeUninit`, which may be uninitialised; the
        // local is consumed by `into_live` right after (the expansion's contract), so the
        // value is owned by the copy alone from then on.
        FlagValue(unsafe { ptr::read(self.0.value.get()) })
    }

    /// The flag, for the state's field; consumes the local without dropping its value,
    /// which [`value_bits`](Flagged::value_bits) took.
    #[inline]
    pub fn into_live(self) -> bool {
        let live = self.0.live.get();
        mem::forget(self);
        live
    }

    /// The local again, from the state's two fields.
    #[inline]
    pub fn from_parts(value: FlagValue<T>, live: bool) -> Self {
        Flagged(Flag {
            value: UnsafeCell::new(value.0),
            live: Cell::new(live),
        })
    }
}

/// Drops a flagged local's value if its flag says there is one: the state dropped at a
/// suspension (its `DropInOrder`).
///
/// Contract (upheld by the expansion): `value` and `live` are the two fields of one local,
/// and the state holding them is then overwritten without being dropped.
#[inline]
pub fn drop_flagged<T>(value: &mut Slot<FlagValue<T>>, live: &Slot<bool>) {
    if *live.get() {
        // SAFETY: the flag says the value is initialised, and by the contract it is
        // dropped once, here.
        unsafe { value.get_mut().0.assume_init_drop() }
    }
}

impl<T> Drop for Flagged<T> {
    #[inline]
    fn drop(&mut self) {
        self.0.drop_value();
    }
}

/// What `yield_!(value)` is in a coroutine's borrow-checked twin: a suspension that
/// consumes the value and resumes with `R`. Never polled (the twin never runs).
#[inline]
pub fn twin_yield<Y, R>(value: Y) -> core::future::Pending<R> {
    drop(value);
    core::future::pending()
}

/// What `for_await!` asks its stream for in a coroutine's borrow-checked twin. Never
/// polled (the twin never runs).
#[inline]
pub fn twin_next<St: futures_core::Stream>(
    stream: &mut St,
) -> core::future::Pending<Option<St::Item>> {
    let _ = stream;
    core::future::pending()
}

/// Where a coroutine gives a fixed local's place back before the end of its scope (at
/// its last use), its borrow-checked twin ends every borrow of the local there: this
/// mutable borrow conflicts with any borrow of it still in use, so a program compiles
/// only if nothing reaches the local's bytes after that point. Never runs.
#[inline]
pub fn twin_end<T: ?Sized>(local: &mut T) {
    let _ = local;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn overlaid_slots_share_bytes_and_hold_one_value_at_a_time() {
        type Place = Overlay<Fixed<[u64; 4]>, Overlay<Movable<Rc<()>>, Overlay<Fixed<u8>, ()>>>;
        assert_eq!(mem::size_of::<Place>(), mem::size_of::<[u64; 4]>());
        let place: Place = Overlay::new(Fixed::empty());
        let value = Rc::new(());
        // One local after another, each dropped (its scope over) before the next.
        let first = place.first().init([1, 2, 3, 4]);
        place.first().place()[3] = 40;
        assert_eq!(place.first().place()[3], 40);
        drop(first);
        let second = place.rest().first().init(value.clone());
        assert_eq!(Rc::strong_count(&value), 2);
        drop(second);
        assert_eq!(Rc::strong_count(&value), 1);
        let third = place.rest().rest().first().init(7);
        assert_eq!(*place.rest().rest().first().place(), 7);
        drop(third);
    }

    #[test]
    fn a_live_handle_drops_the_value_once() {
        let value = Rc::new(());
        let slot = Movable::empty();
        let live = slot.init(value.clone());
        assert!(live.0.live());
        assert_eq!(Rc::strong_count(&value), 2);
        drop(live);
        assert_eq!(Rc::strong_count(&value), 1);
    }

    #[test]
    fn a_moved_out_value_is_not_dropped_by_the_handle() {
        let value = Rc::new(());
        let slot = Movable::empty();
        let live = slot.init(value.clone());
        let moved = live.0.move_out();
        assert!(!live.0.live());
        drop(live);
        assert_eq!(Rc::strong_count(&value), 2);
        drop(moved);
        assert_eq!(Rc::strong_count(&value), 1);
    }

    #[test]
    fn assign_drops_the_old_value_only_if_there_is_one() {
        let (a, b, c) = (Rc::new(()), Rc::new(()), Rc::new(()));
        let slot = Movable::empty();
        let live = slot.uninit();
        live.0.assign(a.clone());
        live.0.assign(b.clone());
        assert_eq!((Rc::strong_count(&a), Rc::strong_count(&b)), (1, 2));
        let _moved = live.0.move_out();
        live.0.assign(c.clone());
        assert_eq!(Rc::strong_count(&b), 2);
        drop(live);
        assert_eq!(Rc::strong_count(&c), 1);
    }

    #[test]
    fn a_suspended_movable_slot_keeps_its_flag_in_the_state() {
        let (a, b) = (Rc::new(()), Rc::new(()));
        let slot = Movable::empty();
        // Suspended holding a value: the state keeps the flag, the handle is forgotten.
        let live = slot.init(a.clone());
        let mut flag = Slot::new(live.0.live());
        core::mem::forget(live);
        assert_eq!(Rc::strong_count(&a), 2);
        // Resumed: a new handle with the kept flag drops the value at the end of its scope.
        drop(slot.handle(*flag.get_mut()));
        assert_eq!(Rc::strong_count(&a), 1);
        // Suspended after a move: the state drops nothing.
        let live = slot.init(b.clone());
        let out = live.0.move_out();
        let mut flag = Slot::new(live.0.live());
        core::mem::forget(live);
        drop_movable(&slot, &mut flag);
        assert_eq!(Rc::strong_count(&b), 2);
        drop(out);
        // Suspended holding a value, then dropped (cancelled): the state drops it.
        let live = slot.init(b.clone());
        let mut flag = Slot::new(live.0.live());
        core::mem::forget(live);
        drop_movable(&slot, &mut flag);
        assert_eq!(Rc::strong_count(&b), 1);
    }

    #[test]
    fn a_flagged_local_drops_its_value_only_if_it_still_holds_one() {
        let (a, b) = (Rc::new(()), Rc::new(()));
        let kept = Flagged::new(a.clone());
        drop(kept);
        assert_eq!(Rc::strong_count(&a), 1);
        let moved = Flagged::new(b.clone());
        let out = moved.0.move_out();
        drop(moved);
        assert_eq!(Rc::strong_count(&b), 2);
        drop(out);
        assert_eq!(Rc::strong_count(&b), 1);
    }

    #[test]
    fn a_copy_value_moved_out_of_a_flag_stays_readable() {
        // The macro cannot tell a copy (`let y = x;` of an `&T`) from a move: the local
        // must stay readable after `move_out`, as it would in `async fn`.
        let data = 7u64;
        let local = Flagged::new(&data);
        let copied = local.0.move_out();
        assert_eq!((**local.0.place(), *copied), (7, 7));
    }

    #[test]
    fn a_flagged_local_moves_with_its_flag_and_assign_drops_the_old_value() {
        let (a, b) = (Rc::new(()), Rc::new(()));
        let local: Flagged<Rc<()>> = Flagged::uninit();
        local.0.assign(a.clone());
        let moved = Box::new(local); // moves between state variants like any local
        moved.0.assign(b.clone());
        assert_eq!((Rc::strong_count(&a), Rc::strong_count(&b)), (1, 2));
        drop(moved);
        assert_eq!(Rc::strong_count(&b), 1);
    }

    #[test]
    fn place_reads_and_writes_in_place() {
        let slot = Fixed::empty();
        let _live = slot.init(vec![1]);
        let address = ptr::from_ref(slot.place());
        slot.place().push(2);
        assert_eq!(*slot.place(), [1, 2]);
        assert_eq!(ptr::from_ref(slot.place()), address);
    }

    #[test]
    fn a_fixed_slot_has_no_drop_flag() {
        assert_eq!(std::mem::size_of::<Fixed<u64>>(), 8);
        assert_eq!(std::mem::size_of::<Live<'_, Fixed<[u64; 4]>>>(), 8);
        let value = Rc::new(());
        let slot = Fixed::empty();
        drop(slot.init(value.clone()));
        assert_eq!(Rc::strong_count(&value), 1);
    }
}
