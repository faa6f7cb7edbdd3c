fn countdown(n: u32) -> impl ::core::future::Future<Output = u32> {
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
        Start { n: ::resumable::__private::Slot<__resumable_T0> },
        /// At the start of a loop with yield points: the locals.
        Loop0 {
            ticks: ::resumable::__private::Slot<__resumable_T1>,
            n: ::resumable::__private::Slot<__resumable_T2>,
        },
        /// Suspended at `yield_await!(sleep(Duration::from_millis(10)))` (line 6): the awaited future, then the locals in drop order.
        Await0 {
            __resumable_fut: ::resumable::__private::Pinned<__resumable_T3>,
            ticks: ::resumable::__private::Slot<__resumable_T1>,
            n: ::resumable::__private::Slot<__resumable_T2>,
        },
        /// Just after a statement with yield points: its value, then the locals.
        Join0 {
            __resumable_value: ::resumable::__private::Slot<__resumable_T4>,
            ticks: ::resumable::__private::Slot<__resumable_T1>,
            n: ::resumable::__private::Slot<__resumable_T5>,
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
            n: ::resumable::__private::Slot::new(n),
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
                    __resumable_State::Start { n: __resumable_local_n_0 } => {
                        let __resumable_local_n_0 = __resumable_local_n_0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: u32 = {
                            #[allow(unused_mut)]
                            let mut n = __resumable_local_n_0;
                            {
                                #[allow(unused_mut)]
                                let mut ticks = 0;
                                {
                                    ::resumable::__private::store(
                                        __resumable_state,
                                        __resumable_State::Loop0 {
                                            ticks: ::resumable::__private::Slot::new(ticks),
                                            n: ::resumable::__private::Slot::new(n),
                                        },
                                    );
                                    continue '__resumable_machine;
                                }
                            }
                        };
                    }
                    __resumable_State::Loop0 {
                        ticks: __resumable_local_ticks_1,
                        n: __resumable_local_n_0,
                    } => {
                        let __resumable_local_ticks_1 = __resumable_local_ticks_1.take();
                        let __resumable_local_n_0 = __resumable_local_n_0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let _: u32 = {
                            #[allow(unused_mut, unused_variables, unused_assignments)]
                            let mut n = __resumable_local_n_0;
                            {
                                #[allow(unused_mut, unused_variables, unused_assignments)]
                                let mut ticks = __resumable_local_ticks_1;
                                let __resumable_v = loop {
                                    if n > 0 {
                                        {
                                            ::resumable::__private::store(
                                                __resumable_state,
                                                __resumable_State::Await0 {
                                                    __resumable_fut: ::resumable::__private::Pinned::new(
                                                        sleep(Duration::from_millis(10)),
                                                    ),
                                                    ticks: ::resumable::__private::Slot::new(ticks),
                                                    n: ::resumable::__private::Slot::new(n),
                                                },
                                            );
                                            continue '__resumable_machine;
                                        }
                                    } else {
                                        break
                                    }
                                };
                                {
                                    ::resumable::__private::store(
                                        __resumable_state,
                                        __resumable_State::Join0 {
                                            __resumable_value: ::resumable::__private::Slot::new(
                                                __resumable_v,
                                            ),
                                            ticks: ::resumable::__private::Slot::new(ticks),
                                            n: ::resumable::__private::Slot::new(
                                                (&&::resumable::__private::Dead::of(&n)).select().apply(n),
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
                        ticks: __resumable_local_ticks_1,
                        n: __resumable_local_n_0,
                    } => {
                        let __resumable_out = match __resumable_fut.poll(__resumable_cx)
                        {
                            ::core::task::Poll::Ready(__resumable_v) => __resumable_v,
                            ::core::task::Poll::Pending => {
                                return ::resumable::__private::pending_at(
                                    ::core::concat!(
                                        ::core::file!(), ":", 6,
                                        " `yield_await!(sleep(Duration::from_millis(10)))`"
                                    ),
                                );
                            }
                        };
                        let __resumable_local_n_0 = __resumable_local_n_0.take();
                        let __resumable_local_ticks_1 = __resumable_local_ticks_1.take();
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
                        let _: u32 = {
                            #[allow(unused_mut, unused_variables, unused_assignments)]
                            let mut n = __resumable_local_n_0;
                            {
                                #[allow(unused_mut, unused_variables, unused_assignments)]
                                let mut ticks = __resumable_local_ticks_1;
                                let __resumable_v = '__resumable_loop0: {
                                    '__resumable_iter0: {
                                        {
                                            ::core::mem::drop(__resumable_out);
                                            ticks += 1;
                                            n -= 1;
                                        }
                                    }
                                    {
                                        ::resumable::__private::store(
                                            __resumable_state,
                                            __resumable_State::Loop0 {
                                                ticks: ::resumable::__private::Slot::new(ticks),
                                                n: ::resumable::__private::Slot::new(n),
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
                                            ticks: ::resumable::__private::Slot::new(ticks),
                                            n: ::resumable::__private::Slot::new(
                                                (&&::resumable::__private::Dead::of(&n)).select().apply(n),
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
                        ticks: __resumable_local_ticks_1,
                        n: __resumable_local_n_0,
                    } => {
                        let __resumable_value = __resumable_value.take();
                        let __resumable_local_ticks_1 = __resumable_local_ticks_1.take();
                        let __resumable_local_n_0 = __resumable_local_n_0.take();
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Panicked,
                        );
                        let __resumable_ret: u32 = {
                            #[allow(unused_mut, unused_variables, unused_assignments)]
                            let mut n = __resumable_local_n_0;
                            {
                                #[allow(unused_mut, unused_variables, unused_assignments)]
                                let mut ticks = __resumable_local_ticks_1;
                                ::core::mem::drop(__resumable_value);
                                ticks
                            }
                        };
                        ::resumable::__private::store(
                            __resumable_state,
                            __resumable_State::Done,
                        );
                        return ::core::task::Poll::Ready(__resumable_ret);
                    }
                    __resumable_State::Done => {
                        ::resumable::__private::resumed_after_completion("countdown")
                    }
                    __resumable_State::Panicked => {
                        ::resumable::__private::resumed_after_panicking("countdown")
                    }
                }
            }
        },
    );
    __resumable_machine
}
/// The state graph of [`countdown`](fn@countdown): its states and transitions (`#[resumable::coroutine(graph)]`).
fn countdown_graph() -> ::resumable::graph::StateGraph {
    const __RESUMABLE_GRAPH: ::resumable::graph::StateGraph = ::resumable::graph::StateGraph {
        name: "countdown",
        nodes: &[
            ::resumable::graph::Node {
                name: "Start",
                label: "",
            },
            ::resumable::graph::Node {
                name: "Loop0",
                label: "loop at line 5",
            },
            ::resumable::graph::Node {
                name: "Await0",
                label: "yield_await!(sleep(Duration::from_millis(10))) (line 6)",
            },
            ::resumable::graph::Node {
                name: "Join0",
                label: "after the statement at line 5",
            },
            ::resumable::graph::Node {
                name: "Done",
                label: "",
            },
        ],
        edges: &[
            ::resumable::graph::Edge {
                from: "Start",
                to: "Loop0",
                label: "line 5",
            },
            ::resumable::graph::Edge {
                from: "Loop0",
                to: "Await0",
                label: "line 6",
            },
            ::resumable::graph::Edge {
                from: "Loop0",
                to: "Join0",
                label: "line 5",
            },
            ::resumable::graph::Edge {
                from: "Await0",
                to: "Loop0",
                label: "line 5",
            },
            ::resumable::graph::Edge {
                from: "Await0",
                to: "Join0",
                label: "line 5",
            },
            ::resumable::graph::Edge {
                from: "Join0",
                to: "Done",
                label: "end",
            },
        ],
    };
    __RESUMABLE_GRAPH
}
