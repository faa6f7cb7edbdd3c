fn f(o: Option<String>) -> impl ::core::future::Future<Output = usize> {
    yield_await!(__resumable_used);
    #[allow(non_camel_case_types)]
    enum __resumable_State<__resumable_T0, __resumable_T1, __resumable_T2> {
        /// Not started yet: the arguments.
        Start { o: ::resumable::__private::Slot<__resumable_T0> },
        /// Suspended at `yield_await!(tick())` (line 5): the awaited future, then the locals in drop order.
        Await0 { __resumable_fut: ::resumable::__private::Pinned<__resumable_T1> },
        /// Just after a statement with yield points: its value, then the locals.
        Join0 { __resumable_value: ::resumable::__private::Slot<__resumable_T2> },
        /// Returned (`Poll::Ready`, `CoroutineState::Complete` or the last `None`).
        Done,
        /// A step panicked; what it held was dropped.
        Panicked,
    }
    #[allow(non_camel_case_types)]
    impl<__resumable_T0, __resumable_T1, __resumable_T2> ::resumable::__private::State
    for __resumable_State<__resumable_T0, __resumable_T1, __resumable_T2> {
        fn panicked() -> Self {
            Self::Panicked
        }
    }
    #[allow(non_camel_case_types)]
    impl<
        __resumable_T0,
        __resumable_T1,
        __resumable_T2,
        __resumable_L,
    > ::resumable::__private::DropInOrder<__resumable_L>
    for __resumable_State<__resumable_T0, __resumable_T1, __resumable_T2> {}
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
            o: ::resumable::__private::Slot::new(o),
        },
        (),
        move |
            __resumable_state: &mut __resumable_State<_, _, _>,
            #[allow(unused_variables)]
            __resumable_slots: &mut (),
            __resumable_cx: &mut ::core::task::Context<'_>|
        {
            '__resumable_machine: loop {
                match __resumable_state {
                    __resumable_State::Start { o: __resumable_local_o_0 } => {
                        let __resumable_local_o_0 = __resumable_local_o_0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: usize = {
                            let o = __resumable_local_o_0;
                            {
                                let __resumable_else = match o {
                                    Some(value) => ::core::option::Option::Some(value),
                                    _ => ::core::option::Option::None,
                                };
                                let __resumable_v = match ::core::convert::identity(
                                    __resumable_else,
                                ) {
                                    ::core::option::Option::Some(__resumable_else_value) => {
                                        __resumable_else_value
                                    }
                                    ::core::option::Option::None => {
                                        ::resumable::__private::store(
                                            __resumable_state,
                                            __resumable_State::Await0 {
                                                __resumable_fut: ::resumable::__private::Pinned::new(tick()),
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
                                        },
                                    );
                                    continue '__resumable_machine;
                                }
                            }
                        };
                    }
                    __resumable_State::Await0 { __resumable_fut } => {
                        let __resumable_out = match __resumable_fut.poll(__resumable_cx)
                        {
                            ::core::task::Poll::Ready(__resumable_v) => __resumable_v,
                            ::core::task::Poll::Pending => {
                                return ::resumable::__private::pending_at(
                                    ::core::concat!(
                                        ::core::file!(), ":", 5, " `yield_await!(tick())`"
                                    ),
                                );
                            }
                        };
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
                        let _: usize = {
                            {
                                {
                                    ::core::mem::drop(__resumable_out);
                                    {
                                        let __resumable_ret: usize = 0;
                                        *__resumable_state = __resumable_State::Done;
                                        return ::core::task::Poll::Ready(__resumable_ret);
                                    };
                                };
                            }
                        };
                    }
                    __resumable_State::Join0 {
                        __resumable_value: __resumable_value,
                    } => {
                        let __resumable_value = __resumable_value.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let __resumable_ret: usize = {
                            {
                                #[allow(unused_mut)]
                                let mut value = ::core::convert::identity(
                                    __resumable_value,
                                );
                                value.len()
                            }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::core::task::Poll::Ready(__resumable_ret);
                    }
                    __resumable_State::Done => {
                        ::resumable::__private::resumed_after_completion("f")
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("f")
                    }
                }
            }
        },
    );
    __resumable_machine
}
