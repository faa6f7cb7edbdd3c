fn fetch_data() -> impl ::core::future::Future<Output = Data> {
    yield_await!(__resumable_used);
    #[allow(non_camel_case_types)]
    enum __resumable_State<__resumable_T0> {
        /// Not started yet: the arguments.
        Start {},
        /// Suspended at `yield_await!(sleep(Duration::from_secs(2)))` (line 5): the awaited future, then the locals in drop order.
        Await0 { __resumable_fut: ::resumable::__private::Pinned<__resumable_T0> },
        /// Returned (`Poll::Ready`, `CoroutineState::Complete` or the last `None`).
        Done,
        /// A step panicked; what it held was dropped.
        Panicked,
    }
    #[allow(non_camel_case_types)]
    impl<__resumable_T0> ::resumable::__private::State
    for __resumable_State<__resumable_T0> {
        fn panicked() -> Self {
            Self::Panicked
        }
    }
    #[allow(non_camel_case_types)]
    impl<
        __resumable_T0,
        __resumable_L,
    > ::resumable::__private::DropInOrder<__resumable_L>
    for __resumable_State<__resumable_T0> {}
    #[allow(
        unreachable_code,
        unused_labels,
        unused_unsafe,
        unused_parens,
        unused_braces,
        clippy::never_loop
    )]
    let __resumable_machine = ::resumable::__private::machine(
        __resumable_State::Start {},
        (),
        move |
            __resumable_state: &mut __resumable_State<_>,
            #[allow(unused_variables)]
            __resumable_slots: &mut (),
            __resumable_cx: &mut ::core::task::Context<'_>|
        {
            '__resumable_machine: loop {
                match __resumable_state {
                    __resumable_State::Start {} => {
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: Data = {
                            println!("Fetching data...");
                            {
                                ::resumable::__private::store(
                                    __resumable_state,
                                    __resumable_State::Await0 {
                                        __resumable_fut: ::resumable::__private::Pinned::new(
                                            sleep(Duration::from_secs(2)),
                                        ),
                                    },
                                );
                                continue '__resumable_machine;
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
                                        ::core::file!(), ":", 5,
                                        " `yield_await!(sleep(Duration::from_secs(2)))`"
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
                        let __resumable_ret: Data = {
                            ::core::mem::drop(__resumable_out);
                            println!("Data Fetched");
                            Data { data: "sample data" }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::core::task::Poll::Ready(__resumable_ret);
                    }
                    __resumable_State::Done => {
                        ::resumable::__private::resumed_after_completion("fetch_data")
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("fetch_data")
                    }
                }
            }
        },
    );
    __resumable_machine
}
fn main_task() -> impl ::core::future::Future<Output = ()> {
    yield_await!(__resumable_used);
    #[allow(non_camel_case_types)]
    enum __resumable_State<__resumable_T0> {
        /// Not started yet: the arguments.
        Start {},
        /// Suspended at `yield_await!(fetch_data())` (line 15): the awaited future, then the locals in drop order.
        Await0 { __resumable_fut: ::resumable::__private::Pinned<__resumable_T0> },
        /// Returned (`Poll::Ready`, `CoroutineState::Complete` or the last `None`).
        Done,
        /// A step panicked; what it held was dropped.
        Panicked,
    }
    #[allow(non_camel_case_types)]
    impl<__resumable_T0> ::resumable::__private::State
    for __resumable_State<__resumable_T0> {
        fn panicked() -> Self {
            Self::Panicked
        }
    }
    #[allow(non_camel_case_types)]
    impl<
        __resumable_T0,
        __resumable_L,
    > ::resumable::__private::DropInOrder<__resumable_L>
    for __resumable_State<__resumable_T0> {}
    #[allow(
        unreachable_code,
        unused_labels,
        unused_unsafe,
        unused_parens,
        unused_braces,
        clippy::never_loop
    )]
    let __resumable_machine = ::resumable::__private::machine(
        __resumable_State::Start {},
        (),
        move |
            __resumable_state: &mut __resumable_State<_>,
            #[allow(unused_variables)]
            __resumable_slots: &mut (),
            __resumable_cx: &mut ::core::task::Context<'_>|
        {
            '__resumable_machine: loop {
                match __resumable_state {
                    __resumable_State::Start {} => {
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: () = {
                            println!("Start");
                            {
                                ::resumable::__private::store(
                                    __resumable_state,
                                    __resumable_State::Await0 {
                                        __resumable_fut: ::resumable::__private::Pinned::new(
                                            fetch_data(),
                                        ),
                                    },
                                );
                                continue '__resumable_machine;
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
                                        ::core::file!(), ":", 15, " `yield_await!(fetch_data())`"
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
                        let __resumable_ret: () = {
                            let data = ::core::convert::identity(__resumable_out);
                            println!("Received {data}");
                            println!("End");
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::core::task::Poll::Ready(__resumable_ret);
                    }
                    __resumable_State::Done => {
                        ::resumable::__private::resumed_after_completion("main_task")
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("main_task")
                    }
                }
            }
        },
    );
    __resumable_machine
}
