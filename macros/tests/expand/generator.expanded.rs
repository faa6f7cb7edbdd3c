fn count(n: u32) -> impl Iterator<Item = u32> {
    yield_!(__resumable_used);
    #[allow(non_camel_case_types)]
    enum __resumable_State<__resumable_T0, __resumable_T1> {
        /// Not started yet: the arguments.
        Start { n: ::resumable::__private::Slot<__resumable_T0> },
        /// At the start of a loop with yield points: the locals.
        Loop0 { __resumable_iter0: ::resumable::__private::Slot<__resumable_T1> },
        /// Suspended at `yield_!(i)` (line 5): the locals in drop order.
        Yield0 { __resumable_iter0: ::resumable::__private::Slot<__resumable_T1> },
        /// Returned (`Poll::Ready`, `CoroutineState::Complete` or the last `None`).
        Done,
        /// A step panicked; what it held was dropped.
        Panicked,
    }
    #[allow(non_camel_case_types)]
    impl<__resumable_T0, __resumable_T1> ::resumable::__private::State
    for __resumable_State<__resumable_T0, __resumable_T1> {
        fn panicked() -> Self {
            Self::Panicked
        }
    }
    #[allow(
        unreachable_code,
        unused_labels,
        unused_unsafe,
        unused_parens,
        unused_braces,
        clippy::never_loop
    )]
    let __resumable_machine = ::resumable::__private::generator(
        __resumable_State::Start {
            n: ::resumable::__private::Slot::new(n),
        },
        move |
            __resumable_state: &mut __resumable_State<_, _>,
            __resumable_arg: (),
        | -> ::resumable::__private::CoroutineState<u32, ()> {
            #[allow(unused_mut)]
            let mut __resumable_arg = ::core::option::Option::Some(__resumable_arg);
            '__resumable_machine: loop {
                match __resumable_state {
                    __resumable_State::Start { n: __resumable_local_n_0 } => {
                        let __resumable_local_n_0 = __resumable_local_n_0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: () = {
                            let n = __resumable_local_n_0;
                            {
                                {
                                    #[allow(unused_mut)]
                                    let mut __resumable_iter0 = ::core::iter::IntoIterator::into_iter(
                                        0..n,
                                    );
                                    {
                                        ::resumable::__private::store(
                                            __resumable_state,
                                            __resumable_State::Loop0 {
                                                __resumable_iter0: ::resumable::__private::Slot::new(
                                                    __resumable_iter0,
                                                ),
                                            },
                                        );
                                        continue '__resumable_machine;
                                    }
                                }
                            }
                        };
                    }
                    __resumable_State::Loop0 {
                        __resumable_iter0: __resumable_iter0,
                    } => {
                        let __resumable_iter0 = __resumable_iter0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let __resumable_ret: () = {
                            {
                                {
                                    #[allow(unused_mut, unused_variables, unused_assignments)]
                                    let mut __resumable_iter0 = __resumable_iter0;
                                    loop {
                                        match ::core::iter::Iterator::next(&mut __resumable_iter0) {
                                            ::core::option::Option::Some(i) => {
                                                let __resumable_yielded: u32 = i;
                                                ::resumable::__private::store(
                                                    __resumable_state,
                                                    __resumable_State::Yield0 {
                                                        __resumable_iter0: ::resumable::__private::Slot::new(
                                                            __resumable_iter0,
                                                        ),
                                                    },
                                                );
                                                return ::resumable::__private::CoroutineState::Yielded(
                                                    __resumable_yielded,
                                                );
                                            }
                                            ::core::option::Option::None => break,
                                        }
                                    }
                                }
                            }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::resumable::__private::CoroutineState::Complete(
                            __resumable_ret,
                        );
                    }
                    __resumable_State::Yield0 {
                        __resumable_iter0: __resumable_iter0,
                    } => {
                        let __resumable_out = match __resumable_arg.take() {
                            ::core::option::Option::Some(__resumable_arg) => {
                                __resumable_arg
                            }
                            ::core::option::Option::None => ::core::unreachable!(),
                        };
                        let __resumable_iter0 = __resumable_iter0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let __resumable_ret: () = {
                            {
                                {
                                    #[allow(unused_mut, unused_variables, unused_assignments)]
                                    let mut __resumable_iter0 = __resumable_iter0;
                                    '__resumable_loop0: {
                                        '__resumable_iter0: {
                                            {
                                                ::core::mem::drop(__resumable_out);
                                            }
                                        }
                                        {
                                            ::resumable::__private::store(
                                                __resumable_state,
                                                __resumable_State::Loop0 {
                                                    __resumable_iter0: ::resumable::__private::Slot::new(
                                                        __resumable_iter0,
                                                    ),
                                                },
                                            );
                                            continue '__resumable_machine;
                                        }
                                    }
                                }
                            }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::resumable::__private::CoroutineState::Complete(
                            __resumable_ret,
                        );
                    }
                    __resumable_State::Done => {
                        return ::resumable::__private::CoroutineState::Complete(());
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("count")
                    }
                }
            }
        },
    );
    __resumable_machine
}
