//! The edition of the user's block, for the temporaries of its tail expression.
//!
//! Before edition 2024 the temporaries of a block's tail expression are dropped after the
//! block's locals; since 2024, before them. A proc macro cannot ask for the edition of
//! the code it rewrites, but the compiler can answer at type level: method resolution of
//! `boxed_slice.into_iter()` depends on the edition of the call's span (by value since
//! 2024, by reference before). The expansion writes that call with the user's brace span
//! and gets an [`Edition`] marker type, which places a kept temporary:
//!
//! ```text
//! let mut __resumable_tA;                          // at the block's start: drops after its locals
//! ..the block's statements..
//! let (__resumable_v, mut __resumable_tB) = edition(|| probe(..)).split(make());
//! __resumable_tA = __resumable_v;                  // one of the two is `()`
//! .. &mut *edition(|| probe(..)).held(&mut __resumable_tA, &mut __resumable_tB) ..
//! ```
//!
//! Whichever of the two holds the value (the other is `()`) drops where Rust would drop
//! the temporary, in completion and in cancellation alike, and the state holds it once.

/// What `Box<[EditionProbe]>::into_iter` yields on the user's edition: `EditionProbe`
/// since 2024, `&EditionProbe` before.
pub struct EditionProbe;

/// Where a kept temporary of a block's tail lives: the value in one place, `()` in the
/// other.
pub trait Edition: Copy {
    /// The marker's value.
    const VALUE: Self;

    /// The holder declared at the block's start (dropped after the block's locals).
    type Before2024<T>;
    /// The holder declared where the temporary is made (dropped before the block's locals).
    type Since2024<T>;

    /// The value in the holder of this edition, `()` in the other.
    fn split<T>(self, value: T) -> (Self::Before2024<T>, Self::Since2024<T>);

    /// The value, wherever [`split`](Edition::split) put it.
    fn held<'a, T>(
        self,
        before: &'a mut Self::Before2024<T>,
        since: &'a mut Self::Since2024<T>,
    ) -> &'a mut T;
}

/// The marker of editions 2015 to 2021: tail temporaries outlive the block's locals.
#[derive(Clone, Copy)]
pub struct Edition2021;

/// The marker of edition 2024 and later: tail temporaries drop before the block's locals.
#[derive(Clone, Copy)]
pub struct Edition2024;

impl Edition for Edition2021 {
    const VALUE: Self = Edition2021;
    type Before2024<T> = T;
    type Since2024<T> = ();

    #[inline(always)]
    fn split<T>(self, value: T) -> (T, ()) {
        (value, ())
    }

    #[inline(always)]
    fn held<'a, T>(self, before: &'a mut T, _: &'a mut ()) -> &'a mut T {
        before
    }
}

impl Edition for Edition2024 {
    const VALUE: Self = Edition2024;
    type Before2024<T> = ();
    type Since2024<T> = T;

    #[inline(always)]
    fn split<T>(self, value: T) -> ((), T) {
        ((), value)
    }

    #[inline(always)]
    fn held<'a, T>(self, _: &'a mut (), since: &'a mut T) -> &'a mut T {
        since
    }
}

/// Maps what the probe yields to its edition's marker.
pub trait ProbeItem {
    /// The marker.
    type Edition: Edition;
}

impl ProbeItem for EditionProbe {
    type Edition = Edition2024;
}

impl ProbeItem for &EditionProbe {
    type Edition = Edition2021;
}

/// The marker of what `iter` yields: `probe(Box::<[EditionProbe]>::default().into_iter())`.
#[inline(always)]
pub fn probe<I>(iter: I) -> <I::Item as ProbeItem>::Edition
where
    I: Iterator,
    I::Item: ProbeItem,
{
    let _ = iter;
    <<I::Item as ProbeItem>::Edition as Edition>::VALUE
}

/// The edition marker of the code that wrote the closure (which is never called):
/// `edition(|| probe(Box::<[EditionProbe]>::default().into_iter()))`.
///
/// ```
/// use resumable::__private::{edition, probe, Edition, EditionProbe};
/// #[allow(boxed_slice_into_iter)]
/// let e = edition(|| probe(Box::<[EditionProbe]>::default().into_iter()));
/// // Doctests are edition 2021 here: the value goes to the holder declared first.
/// let (mut before, mut since) = e.split(String::from("temporary"));
/// assert_eq!(e.held(&mut before, &mut since), "temporary");
/// let _: (String, ()) = (before, since);
/// ```
#[inline(always)]
pub fn edition<E: Edition>(probe: impl FnOnce() -> E) -> E {
    let _ = probe;
    E::VALUE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_crate_is_before_2024_and_the_value_is_held_once() {
        #[allow(boxed_slice_into_iter)]
        let e = edition(|| probe(Box::<[EditionProbe]>::default().into_iter()));
        let (mut before, mut since) = e.split(vec![1, 2]);
        e.held(&mut before, &mut since).push(3);
        let (before, ()): (Vec<i32>, ()) = (before, since);
        assert_eq!(before, [1, 2, 3]);
    }
}
