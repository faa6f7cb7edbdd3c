fn read_into(stream: Stream) -> impl ::core::future::Future<Output = Vec<u8>> {
    #[allow(unused, unreachable_code, clippy::all)]
    if false {
        let _ = async move {
            let stream = stream;
            let __resumable_twin: Vec<u8> = {
                let mut buf = vec![0; 4];
                let n = (stream.read(&mut buf)).await;
                buf.truncate(n);
                println!("{buf:?} {}", buf.len());
                buf
            };
            __resumable_twin
        };
        loop {}
    }
    yield_await!(__resumable_used);
    #[allow(non_camel_case_types)]
    enum __resumable_State<__resumable_T0, __resumable_T1> {
        /// Not started yet: the arguments.
        Start { stream: ::resumable::__private::Slot<__resumable_T0> },
        /// Suspended at `yield_await!(stream.read(&mut buf))` (line 5): the awaited future, then the locals in drop order.
        Await0 {
            __resumable_fut: ::resumable::__private::Pinned<__resumable_T1>,
            __resumable_fixed_buf_1_live: ::resumable::__private::Slot<bool>,
        },
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
    #[allow(non_camel_case_types)]
    impl<
        __resumable_T0,
        __resumable_T1,
        __resumable_S0,
        __resumable_S1,
    > ::resumable::__private::DropInOrder<
        (
            ::resumable::__private::Fixed<__resumable_S0>,
            ::resumable::__private::Movable<__resumable_S1>,
        ),
    > for __resumable_State<__resumable_T0, __resumable_T1> {
        fn drop_in_order(
            &mut self,
            __resumable_slots: &(
                ::resumable::__private::Fixed<__resumable_S0>,
                ::resumable::__private::Movable<__resumable_S1>,
            ),
        ) {
            match self {
                Self::Start { stream: __resumable_d0 } => {
                    __resumable_d0.drop_now();
                }
                Self::Await0 {
                    __resumable_fut: __resumable_d0,
                    __resumable_fixed_buf_1_live: __resumable_d1,
                } => {
                    __resumable_d0.drop_now();
                    ::resumable::__private::drop_movable(
                        &__resumable_slots.1,
                        __resumable_d1,
                    );
                    ::resumable::__private::FixedSlot::drop_value(&__resumable_slots.0);
                }
                Self::Done | Self::Panicked => {}
            }
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
    let __resumable_machine = ::resumable::__private::machine(
        __resumable_State::Start {
            stream: ::resumable::__private::Slot::new(stream),
        },
        (
            ::resumable::__private::Fixed::empty(),
            ::resumable::__private::Movable::empty(),
        ),
        move |
            __resumable_state: &mut __resumable_State<_, _>,
            #[allow(unused_variables)]
            __resumable_slots: &mut (
                ::resumable::__private::Fixed<_>,
                ::resumable::__private::Movable<_>,
            ),
            __resumable_cx: &mut ::core::task::Context<'_>|
        {
            '__resumable_machine: loop {
                match __resumable_state {
                    __resumable_State::Start { stream: __resumable_local_stream_0 } => {
                        let __resumable_local_stream_0 = __resumable_local_stream_0
                            .take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: Vec<u8> = {
                            let __resumable_value_stream = __resumable_local_stream_0;
                            let __resumable_fixed_stream_0 = __resumable_slots
                                .0
                                .init(__resumable_value_stream);
                            {
                                let __resumable_value_buf = vec![0; 4];
                                let __resumable_fixed_buf_1 = __resumable_slots
                                    .1
                                    .init(__resumable_value_buf);
                                {
                                    ::resumable::__private::store(
                                        __resumable_state,
                                        __resumable_State::Await0 {
                                            __resumable_fut: ::resumable::__private::Pinned::new(
                                                (*__resumable_fixed_stream_0.0.place())
                                                    .read(&mut (*__resumable_fixed_buf_1.0.place())),
                                            ),
                                            __resumable_fixed_buf_1_live: ::resumable::__private::Slot::new(
                                                __resumable_fixed_buf_1.0.live(),
                                            ),
                                        },
                                    );
                                    ::core::mem::forget(__resumable_fixed_buf_1);
                                    ::core::mem::forget(__resumable_fixed_stream_0);
                                    continue '__resumable_machine;
                                }
                            }
                        };
                    }
                    __resumable_State::Await0 {
                        __resumable_fut,
                        __resumable_fixed_buf_1_live: __resumable_fixed_buf_1_live,
                    } => {
                        let __resumable_out = match __resumable_fut.poll(__resumable_cx)
                        {
                            ::core::task::Poll::Ready(__resumable_v) => __resumable_v,
                            ::core::task::Poll::Pending => {
                                return ::resumable::__private::pending_at(
                                    ::core::concat!(
                                        ::core::file!(), ":", 5,
                                        " `yield_await!(stream.read(&mut buf))`"
                                    ),
                                );
                            }
                        };
                        let __resumable_fixed_buf_1_live = __resumable_fixed_buf_1_live
                            .take();
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
                        let __resumable_ret: Vec<u8> = {
                            let __resumable_fixed_stream_0 = __resumable_slots
                                .0
                                .handle();
                            {
                                let __resumable_fixed_buf_1 = __resumable_slots
                                    .1
                                    .handle(__resumable_fixed_buf_1_live);
                                let n = ::core::convert::identity(__resumable_out);
                                (*__resumable_fixed_buf_1.0.place()).truncate(n);
                                println!(
                                    "{buf:?} {}", (* __resumable_fixed_buf_1.0.place()).len(),
                                    buf = (* __resumable_fixed_buf_1.0.place())
                                );
                                __resumable_fixed_buf_1.0.move_out()
                            }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::core::task::Poll::Ready(__resumable_ret);
                    }
                    __resumable_State::Done => {
                        ::resumable::__private::resumed_after_completion("read_into")
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("read_into")
                    }
                }
            }
        },
    );
    __resumable_machine
}
