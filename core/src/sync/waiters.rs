//! The FIFO list of suspended futures that every primitive in [`sync`](super) is built on.
//!
//! A waiter is a slot in a small slab, named by a [`WaiterKey`] (index + generation) that
//! the waiting future keeps. Slots are reused, so waiting allocates nothing once the slab
//! and the queue have grown to the number of concurrent waiters. Waking is a hand-over:
//! [`Waiters::notify_one`] moves the first waiting slot to `Notified(payload)` (the
//! payload is what the waker hands over: a lock, a permit, a reserved item) and returns its
//! waker. A future dropped while waiting removes its slot in O(1) and leaves its key in the
//! queue, skipped later; a future dropped *after* being notified gets the payload back from
//! [`Waiters::remove`] so the primitive can pass it on to the next waiter. That is the whole
//! cancellation-safety story.
//!
//! Wakers are returned rather than woken here, so that primitives wake them after their
//! `RefCell` borrow has ended: a waker may run arbitrary code.

use std::collections::VecDeque;
use std::task::Waker;

/// Names a waiter's slot. Stale keys (of a slot freed and reused since) never match,
/// because the slot's generation changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WaiterKey {
    index: u32,
    generation: u32,
}

enum SlotState<P> {
    Free,
    Waiting(Waker),
    Notified(P),
}

struct Slot<P> {
    generation: u32,
    state: SlotState<P>,
}

/// What polling a waiter found.
pub(crate) enum Polled<P> {
    /// Still waiting; the stored waker was refreshed.
    Waiting,
    /// Notified: the slot is freed and its payload handed to the caller.
    Notified(P),
}

/// A FIFO list of waiters, each notified at most once with a payload `P`.
pub(crate) struct Waiters<P> {
    slots: Vec<Slot<P>>,
    free: Vec<u32>,
    /// Keys in arrival order; may hold stale keys of waiters removed while waiting.
    queue: VecDeque<WaiterKey>,
    /// Number of slots in the `Waiting` state.
    waiting: usize,
}

impl<P> Default for Waiters<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P> Waiters<P> {
    pub(crate) const fn new() -> Self {
        Waiters {
            slots: Vec::new(),
            free: Vec::new(),
            queue: VecDeque::new(),
            waiting: 0,
        }
    }

    /// Whether any waiter is still waiting (not yet notified).
    #[inline]
    pub(crate) fn has_waiting(&self) -> bool {
        self.waiting > 0
    }

    /// Number of waiters still waiting.
    #[inline]
    pub(crate) fn waiting(&self) -> usize {
        self.waiting
    }

    /// Adds a waiter at the back of the queue.
    #[inline]
    pub(crate) fn push(&mut self, waker: &Waker) -> WaiterKey {
        let state = SlotState::Waiting(waker.clone());
        let key = match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.state = state;
                WaiterKey {
                    index,
                    generation: slot.generation,
                }
            }
            None => {
                let index = u32::try_from(self.slots.len()).expect("more than 2^32 waiters");
                self.slots.push(Slot {
                    generation: 0,
                    state,
                });
                WaiterKey {
                    index,
                    generation: 0,
                }
            }
        };
        self.waiting += 1;
        // Lazily removed keys pile up only while nobody is notified; compact then.
        if self.queue.len() >= 32 && self.queue.len() > 2 * self.waiting {
            self.compact();
        }
        self.queue.push_back(key);
        key
    }

    #[inline]
    fn slot(&mut self, key: WaiterKey) -> &mut Slot<P> {
        let slot = &mut self.slots[key.index as usize];
        assert_eq!(slot.generation, key.generation, "stale waiter key");
        slot
    }

    #[inline]
    fn free_slot(&mut self, key: WaiterKey) -> SlotState<P> {
        let slot = self.slot(key);
        let state = std::mem::replace(&mut slot.state, SlotState::Free);
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(key.index);
        state
    }

    /// Checks a waiter: if it was notified, frees its slot and returns the payload;
    /// otherwise refreshes its waker.
    #[inline]
    pub(crate) fn poll(&mut self, key: WaiterKey, waker: &Waker) -> Polled<P> {
        let slot = self.slot(key);
        match &mut slot.state {
            SlotState::Waiting(stored) => {
                if !stored.will_wake(waker) {
                    stored.clone_from(waker);
                }
                Polled::Waiting
            }
            SlotState::Notified(_) => {
                let SlotState::Notified(payload) =
                    std::mem::replace(&mut slot.state, SlotState::Free)
                else {
                    unreachable!()
                };
                slot.generation = slot.generation.wrapping_add(1);
                self.free.push(key.index);
                Polled::Notified(payload)
            }
            SlotState::Free => unreachable!("waiter polled after removal"),
        }
    }

    /// Removes a waiter (its future was dropped). Returns the payload if it had already
    /// been notified, so the caller can pass it on.
    pub(crate) fn remove(&mut self, key: WaiterKey) -> Option<P> {
        match self.free_slot(key) {
            SlotState::Waiting(_) => {
                self.waiting -= 1;
                None
            }
            SlotState::Notified(payload) => Some(payload),
            SlotState::Free => unreachable!("waiter removed twice"),
        }
    }

    /// Notifies the first waiting waiter with `payload` and returns its waker, or gives
    /// the payload back if nobody waits.
    #[inline]
    pub(crate) fn notify_one(&mut self, payload: P) -> Result<Waker, P> {
        if self.waiting == 0 {
            return Err(payload);
        }
        while let Some(key) = self.queue.pop_front() {
            let slot = &mut self.slots[key.index as usize];
            if slot.generation != key.generation {
                continue;
            }
            if let SlotState::Waiting(_) = slot.state {
                let SlotState::Waiting(waker) =
                    std::mem::replace(&mut slot.state, SlotState::Notified(payload))
                else {
                    unreachable!()
                };
                self.waiting -= 1;
                return Ok(waker);
            }
        }
        unreachable!("waiting count out of sync with the queue")
    }

    /// Notifies every waiting waiter, in FIFO order, with the payloads `make` returns.
    pub(crate) fn notify_all(&mut self, mut make: impl FnMut() -> P) -> Vec<Waker> {
        let mut wakers = Vec::with_capacity(self.waiting);
        while self.waiting > 0 {
            match self.notify_one(make()) {
                Ok(waker) => wakers.push(waker),
                Err(_) => break,
            }
        }
        self.queue.clear();
        wakers
    }

    fn compact(&mut self) {
        let slots = &self.slots;
        self.queue.retain(|key| {
            let slot = &slots[key.index as usize];
            slot.generation == key.generation && matches!(slot.state, SlotState::Waiting(_))
        });
    }
}

/// Wakes every waker of a list (after the primitive's borrow has ended).
pub(crate) fn wake_all(wakers: Vec<Waker>) {
    for waker in wakers {
        waker.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::task::noop_waker;

    #[test]
    fn notifies_in_arrival_order_and_skips_removed_waiters() {
        let waker = noop_waker();
        let mut list = Waiters::new();
        let a = list.push(&waker);
        let b = list.push(&waker);
        let c = list.push(&waker);
        assert_eq!(list.remove(b), None);
        assert!(list.notify_one(1).is_ok());
        assert!(list.notify_one(2).is_ok());
        assert_eq!(list.notify_one(3).err(), Some(3));
        assert!(matches!(list.poll(a, &waker), Polled::Notified(1)));
        assert_eq!(list.remove(c), Some(2));
    }

    #[test]
    fn reuses_slots_and_rejects_nothing_after_many_cancellations() {
        let waker = noop_waker();
        let mut list: Waiters<u32> = Waiters::new();
        for _ in 0..1000 {
            let key = list.push(&waker);
            assert_eq!(list.remove(key), None);
        }
        assert!(list.slots.len() <= 1);
        assert!(list.queue.len() <= 64);
        let key = list.push(&waker);
        assert!(list.notify_one(7).is_ok());
        assert!(matches!(list.poll(key, &waker), Polled::Notified(7)));
    }
}
