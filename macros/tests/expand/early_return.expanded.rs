fn parse_both<'__resumable_life0, '__resumable_life1>(
    a: &'__resumable_life0 str,
    b: &'__resumable_life1 str,
) -> impl ::core::future::Future<
    Output = Result<u32, ParseIntError>,
> + ::resumable::__private::Captures<(&'__resumable_life0 (), &'__resumable_life1 ())> {
    yield_await!(__resumable_used);
    #[allow(non_camel_case_types)]
    enum __resumable_State<
        __resumable_T0,
        __resumable_T1,
        __resumable_T2,
        __resumable_T3,
        __resumable_T4,
        __resumable_T5,
    > {
        /// Not started yet: the arguments.
        Start {
            a: ::resumable::__private::Slot<__resumable_T0>,
            b: ::resumable::__private::Slot<__resumable_T1>,
        },
        /// Suspended at `yield_await!(fetch(b))` (line 8): the awaited future, then the locals in drop order.
        Await0 {
            __resumable_fut: ::resumable::__private::Pinned<__resumable_T2>,
            x: ::resumable::__private::Slot<__resumable_T3>,
            a: ::resumable::__private::Slot<__resumable_T4>,
        },
        /// Just after a statement with yield points: its value, then the locals.
        Join0 {
            __resumable_value: ::resumable::__private::Slot<__resumable_T5>,
            x: ::resumable::__private::Slot<__resumable_T3>,
            a: ::resumable::__private::Slot<__resumable_T4>,
        },
        /// Returned (`Poll::Ready`, `CoroutineState::Complete` or the last `None`).
        Done,
        /// A step panicked; what it held was dropped.
        Panicked,
    }
    #[allow(non_camel_case_types)]
    impl<
        __resumable_T0,
        __resumable_T1,
        __resumable_T2,
        __resumable_T3,
        __resumable_T4,
        __resumable_T5,
    > ::resumable::__private::State
    for __resumable_State<
        __resumable_T0,
        __resumable_T1,
        __resumable_T2,
        __resumable_T3,
        __resumable_T4,
        __resumable_T5,
    > {
        fn panicked() -> Self {
            Self::Panicked
        }
    }
    #[allow(non_camel_case_types)]
    impl<
        __resumable_T0,
        __resumable_T1,
        __resumable_T2,
        __resumable_T3,
        __resumable_T4,
        __resumable_T5,
        __resumable_L,
    > ::resumable::__private::DropInOrder<__resumable_L>
    for __resumable_State<
        __resumable_T0,
        __resumable_T1,
        __resumable_T2,
        __resumable_T3,
        __resumable_T4,
        __resumable_T5,
    > {}
    #[allow(
        unreachable_code,
        unused_labels,
        unused_unsafe,
        unused_parens,
        unused_braces,
        clippy::never_loop
    )]
    let __resumable_machine = ::resumable::__private::machine(
        __resumable_State::Start {
            a: ::resumable::__private::Slot::new(a),
            b: ::resumable::__private::Slot::new(b),
        },
        (),
        move |
            __resumable_state: &mut __resumable_State<_, _, _, _, _, _>,
            #[allow(unused_variables)]
            __resumable_slots: &mut (),
            __resumable_cx: &mut ::core::task::Context<'_>|
        {
            use ::resumable::__private::{DeadCopy as _, DeadKeep as _};
            '__resumable_machine: loop {
                match __resumable_state {
                    __resumable_State::Start {
                        a: __resumable_local_a_0,
                        b: __resumable_local_b_1,
                    } => {
                        let __resumable_local_a_0 = __resumable_local_a_0.take();
                        let __resumable_local_b_1 = __resumable_local_b_1.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: Result<u32, ParseIntError> = {
                            let a = __resumable_local_a_0;
                            let b = __resumable_local_b_1;
                            {
                                let x: u32 = match ::resumable::__private::Try::branch(
                                    a.parse(),
                                ) {
                                    ::core::ops::ControlFlow::Continue(__resumable_value) => {
                                        __resumable_value
                                    }
                                    ::core::ops::ControlFlow::Break(__resumable_residual) => {
                                        let __resumable_ret: Result<u32, ParseIntError> = ::resumable::__private::FromResidual::from_residual(
                                            __resumable_residual,
                                        );
                                        *__resumable_state = __resumable_State::Done;
                                        return ::core::task::Poll::Ready(__resumable_ret);
                                    }
                                };
                                if x == 0 {
                                    {
                                        let __resumable_ret: Result<u32, ParseIntError> = Ok(0);
                                        *__resumable_state = __resumable_State::Done;
                                        return ::core::task::Poll::Ready(__resumable_ret);
                                    };
                                }
                                let __resumable_v = {
                                    {
                                        ::resumable::__private::store(
                                            __resumable_state,
                                            __resumable_State::Await0 {
                                                __resumable_fut: ::resumable::__private::Pinned::new(
                                                    fetch(b),
                                                ),
                                                x: ::resumable::__private::Slot::new(x),
                                                a: ::resumable::__private::Slot::new(
                                                    (&&::resumable::__private::Dead::of(&a)).select().apply(a),
                                                ),
                                            },
                                        );
                                        continue '__resumable_machine;
                                    }
                                };
                                {
                                    ::resumable::__private::store(
                                        __resumable_state,
                                        __resumable_State::Join0 {
                                            __resumable_value: ::resumable::__private::Slot::new(
                                                __resumable_v,
                                            ),
                                            x: ::resumable::__private::Slot::new(x),
                                            a: ::resumable::__private::Slot::new(
                                                (&&::resumable::__private::Dead::of(&a)).select().apply(a),
                                            ),
                                        },
                                    );
                                    continue '__resumable_machine;
                                }
                            }
                        };
                    }
                    __resumable_State::Await0 {
                        __resumable_fut,
                        x: __resumable_local_x_2,
                        a: __resumable_local_a_0,
                    } => {
                        let __resumable_out = match __resumable_fut.poll(__resumable_cx)
                        {
                            ::core::task::Poll::Ready(__resumable_v) => __resumable_v,
                            ::core::task::Poll::Pending => {
                                return ::resumable::__private::pending_at(
                                    ::core::concat!(
                                        ::core::file!(), ":", 8, " `yield_await!(fetch(b))`"
                                    ),
                                );
                            }
                        };
                        let __resumable_local_a_0 = __resumable_local_a_0.take();
                        let __resumable_local_x_2 = __resumable_local_x_2.take();
                        {
                            let __resumable_vacate = ::resumable::__private::Vacate(
                                &mut *__resumable_state,
                            );
                            if let __resumable_State::Await0 { __resumable_fut, .. } = &mut *__resumable_vacate
                                .0
                            {
                                __resumable_fut.drop_now();
                            }
                        }
                        let _: Result<u32, ParseIntError> = {
                            #[allow(unused_variables, unused_assignments)]
                            let a = __resumable_local_a_0;
                            {
                                #[allow(unused_variables, unused_assignments)]
                                let x = __resumable_local_x_2;
                                let __resumable_v = {
                                    let __resumable_t0 = ::core::convert::identity(
                                        __resumable_out,
                                    );
                                    match ::resumable::__private::Try::branch(__resumable_t0) {
                                        ::core::ops::ControlFlow::Continue(__resumable_value) => {
                                            __resumable_value
                                        }
                                        ::core::ops::ControlFlow::Break(__resumable_residual) => {
                                            let __resumable_ret: Result<u32, ParseIntError> = ::resumable::__private::FromResidual::from_residual(
                                                __resumable_residual,
                                            );
                                            *__resumable_state = __resumable_State::Done;
                                            return ::core::task::Poll::Ready(__resumable_ret);
                                        }
                                    }
                                };
                                {
                                    ::resumable::__private::store(
                                        __resumable_state,
                                        __resumable_State::Join0 {
                                            __resumable_value: ::resumable::__private::Slot::new(
                                                __resumable_v,
                                            ),
                                            x: ::resumable::__private::Slot::new(x),
                                            a: ::resumable::__private::Slot::new(
                                                (&&::resumable::__private::Dead::of(&a)).select().apply(a),
                                            ),
                                        },
                                    );
                                    continue '__resumable_machine;
                                }
                            }
                        };
                    }
                    __resumable_State::Join0 {
                        __resumable_value: __resumable_value,
                        x: __resumable_local_x_2,
                        a: __resumable_local_a_0,
                    } => {
                        let __resumable_value = __resumable_value.take();
                        let __resumable_local_x_2 = __resumable_local_x_2.take();
                        let __resumable_local_a_0 = __resumable_local_a_0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let __resumable_ret: Result<u32, ParseIntError> = {
                            #[allow(unused_variables, unused_assignments)]
                            let a = __resumable_local_a_0;
                            {
                                #[allow(unused_variables, unused_assignments)]
                                let x = __resumable_local_x_2;
                                let y: u32 = ::core::convert::identity(__resumable_value);
                                Ok(x + y)
                            }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::core::task::Poll::Ready(__resumable_ret);
                    }
                    __resumable_State::Done => {
                        ::resumable::__private::resumed_after_completion("parse_both")
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("parse_both")
                    }
                }
            }
        },
    );
    __resumable_machine
}
