//! Control flow inside `#[resumable::coroutine]` fns behaves as in the same body written
//! as an `async fn`: every construct, with yields anywhere an expression may stand.
#![deny(warnings)]

use resumable::yield_await;
use testkit::{block_on, ready_after_one as ready, Log};

#[resumable::coroutine]
fn straight_line(a: u32) -> u32 {
    let b = a + 1;
    let c = yield_await!(ready(b * 2));
    c + b
}

#[test]
fn straight_line_code_runs_to_its_value() {
    assert_eq!(block_on(straight_line(1)), 6);
}

#[resumable::coroutine]
fn statements(log: &Log) -> u32 {
    let mut x = 1;
    yield_await!(ready(()));
    x = yield_await!(ready(x + 10));
    x += yield_await!(ready(5));
    log.push(format!("x = {x}"));
    yield_await!(ready(x))
}

#[test]
fn let_assign_and_expression_statements_with_yields() {
    let log = Log::new();
    assert_eq!(block_on(statements(&log)), 16);
    assert_eq!(log.events(), ["x = 16"]);
}

fn add3(a: u32, b: u32, c: u32) -> u32 {
    a * 100 + b * 10 + c
}

#[resumable::coroutine]
fn evaluation_order(log: &Log) -> u32 {
    let v = add3(
        log.note("a", 1),
        yield_await!(ready(log.note("b", 2))),
        log.note("c", 3),
    );
    let w = log.note("d", 4) + yield_await!(ready(log.note("e", 5)));
    v + w
}

#[test]
fn operands_are_evaluated_in_rust_order_around_yields() {
    let log = Log::new();
    assert_eq!(block_on(evaluation_order(&log)), 123 + 9);
    assert_eq!(log.events(), ["a", "b", "c", "d", "e"]);
}

#[resumable::coroutine]
fn method_receivers(log: &Log) -> Vec<u32> {
    let mut v = Vec::new();
    v.push(yield_await!(ready(1)));
    v.push(yield_await!(ready(2)) + yield_await!(ready(3)));
    let short = v.is_empty() && yield_await!(ready(log.note("never", true)));
    let long = !v.is_empty() || yield_await!(ready(log.note("never", true)));
    assert!(!short && long);
    v
}

#[test]
fn method_calls_and_short_circuits_with_yields() {
    let log = Log::new();
    assert_eq!(block_on(method_receivers(&log)), [1, 5]);
    assert!(log.events().is_empty(), "a short-circuited yield ran");
}

#[resumable::coroutine]
fn branches(n: i32) -> &'static str {
    let sign = if n < 0 {
        yield_await!(ready("negative"))
    } else if n == 0 {
        let z = yield_await!(ready("zero"));
        z
    } else {
        "positive"
    };
    let size = match n.abs() {
        0 => "none",
        1 => yield_await!(ready("one")),
        k if k < 10 => {
            let s = yield_await!(ready("some"));
            s
        }
        _ => "many",
    };
    if sign == "zero" {
        return size;
    }
    sign
}

#[test]
fn if_else_if_and_match_with_guards() {
    assert_eq!(block_on(branches(-1)), "negative");
    assert_eq!(block_on(branches(0)), "none");
    assert_eq!(block_on(branches(5)), "positive");
}

#[resumable::coroutine]
fn loops() -> Vec<u32> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        i += 1;
        if i % 2 == 0 {
            continue;
        }
        out.push(yield_await!(ready(i)));
        if i > 6 {
            break;
        }
    }
    let mut j = 0;
    while j < 3 {
        j = yield_await!(ready(j + 1));
    }
    out.push(j);
    let mut queue = vec![10, 20];
    while let Some(x) = queue.pop() {
        out.push(yield_await!(ready(x)));
    }
    for k in [100, 200] {
        out.push(yield_await!(ready(k)));
    }
    for (a, b) in vec![(2, 1)].into_iter().map(|(x, y)| (y, x)) {
        out.push(yield_await!(ready(a + b)));
    }
    out
}

#[test]
fn loop_while_while_let_and_for() {
    assert_eq!(block_on(loops()), [1, 3, 5, 7, 3, 20, 10, 100, 200, 3]);
}

#[resumable::coroutine]
fn labels() -> (u32, u32) {
    let mut count = 0;
    let found = 'outer: loop {
        for i in 0.. {
            let x = yield_await!(ready(i));
            count += 1;
            if x == 2 {
                continue 'outer;
            }
            if count > 5 {
                break 'outer x * 10;
            }
        }
    };
    let block = 'b: {
        if yield_await!(ready(true)) {
            break 'b 7;
        }
        8
    };
    (found, block)
}

#[test]
fn labelled_break_and_continue_with_values() {
    // 0, 1, 2 (continue 'outer), 0, 1, 2 (continue 'outer), 0: count is 7 → break 'outer 0.
    assert_eq!(block_on(labels()), (0, 7));
}

#[derive(Debug, PartialEq)]
struct MyError(String);

impl From<std::num::ParseIntError> for MyError {
    fn from(e: std::num::ParseIntError) -> Self {
        MyError(e.to_string())
    }
}

#[resumable::coroutine]
fn question_mark(s: &str) -> Result<i32, MyError> {
    let n: i32 = yield_await!(ready(s)).parse()?;
    let m = yield_await!(ready(Ok::<i32, MyError>(n + 1)))?;
    Ok(m)
}

#[resumable::coroutine]
fn question_mark_option(v: Vec<i32>) -> Option<i32> {
    let first = yield_await!(ready(v.first().copied()))?;
    Some(first + *v.last()?)
}

#[test]
fn question_mark_on_result_with_from_and_on_option() {
    assert_eq!(block_on(question_mark("41")), Ok(42));
    assert!(block_on(question_mark("x")).is_err());
    assert_eq!(block_on(question_mark_option(vec![1, 2])), Some(3));
    assert_eq!(block_on(question_mark_option(vec![])), None);
}

#[resumable::coroutine]
fn let_else_and_patterns(v: Option<(u8, u8)>) -> u8 {
    let Some((a, mut b)) = yield_await!(ready(v)) else {
        return 0;
    };
    b += 1;
    let (c, _) = yield_await!(ready((a, b)));
    let [d, e] = [c, b];
    d + e
}

#[test]
fn let_else_and_destructuring_patterns() {
    assert_eq!(block_on(let_else_and_patterns(Some((1, 2)))), 4);
    assert_eq!(block_on(let_else_and_patterns(None)), 0);
}

#[resumable::coroutine]
fn shadowing() -> String {
    let x = 1;
    let x = yield_await!(ready(x + 1));
    let x = format!("{x}");
    let y = {
        let x = yield_await!(ready(10));
        x + 1
    };
    format!("{x} {y}")
}

#[test]
fn shadowing_and_block_expressions() {
    assert_eq!(block_on(shadowing()), "2 11");
}

#[resumable::coroutine]
fn early_return(n: u32) -> u32 {
    if n == 0 {
        return 100;
    }
    let m = yield_await!(ready(n));
    if m == 1 {
        return yield_await!(ready(200));
    }
    m
}

#[test]
fn early_returns_from_anywhere() {
    assert_eq!(block_on(early_return(0)), 100);
    assert_eq!(block_on(early_return(1)), 200);
    assert_eq!(block_on(early_return(2)), 2);
}

#[resumable::coroutine]
fn dot_await() -> u32 {
    ready(1).await + ready(2).await
}

#[test]
fn dot_await_is_a_yield_point_too() {
    assert_eq!(block_on(dot_await()), 3);
}

#[resumable::coroutine]
fn calling_is_lazy(log: &Log) {
    log.push("ran");
}

#[test]
fn calling_a_coroutine_runs_nothing_until_polled() {
    let log = Log::new();
    let fut = calling_is_lazy(&log);
    assert!(log.events().is_empty());
    block_on(fut);
    assert_eq!(log.events(), ["ran"]);
}

#[resumable::coroutine]
fn nested() -> u32 {
    yield_await!(ready(yield_await!(ready(1)) + 1)) + yield_await!(straight_line(1))
}

#[test]
fn coroutines_await_coroutines_and_yields_nest() {
    assert_eq!(block_on(nested()), 8);
}

#[resumable::coroutine]
fn collects() -> Vec<u32> {
    let n = yield_await!(ready(3));
    (0..n).collect()
}

#[test]
fn the_declared_return_type_guides_inference() {
    assert_eq!(block_on(collects()), [0, 1, 2]);
}

#[resumable::coroutine]
fn closures_and_async_blocks_after_loops() -> u32 {
    let mut total = 0;
    for i in 0..3 {
        total += yield_await!(ready(i));
    }
    for (a, b) in vec![(2, 1)].into_iter().map(|(x, y)| (y, x)) {
        total += yield_await!(ready(a + b));
    }
    let add = |x: u32| x + 100;
    total += yield_await!(async { 1000 });
    add(total)
}

#[test]
fn closures_and_async_blocks_kept_across_yields_have_one_type() {
    assert_eq!(block_on(closures_and_async_blocks_after_loops()), 1106);
}

#[derive(Debug, PartialEq)]
struct Point {
    x: u32,
    y: u32,
    z: [u32; 2],
}

#[resumable::coroutine]
fn aggregates(log: &Log) -> (Point, (u32, u32), u64) {
    let p = Point {
        x: log.note("x", 1),
        y: yield_await!(ready(log.note("y", 2))),
        z: [log.note("z0", 3), yield_await!(ready(log.note("z1", 4)))],
    };
    let t = (log.note("t0", 5), yield_await!(ready(log.note("t1", 6))));
    let v = [10u32, 20, 30];
    let c = v[yield_await!(ready(1usize))] as u64 + u64::from(yield_await!(ready(2u8)));
    (p, t, c)
}

#[test]
fn struct_tuple_array_index_and_cast_operands_keep_their_order() {
    let log = Log::new();
    let (p, t, c) = block_on(aggregates(&log));
    assert_eq!(
        p,
        Point {
            x: 1,
            y: 2,
            z: [3, 4]
        }
    );
    assert_eq!(t, (5, 6));
    assert_eq!(c, 22);
    assert_eq!(log.events(), ["x", "y", "z0", "z1", "t0", "t1"]);
}

#[resumable::coroutine]
fn late_initialisation(flag: bool) -> u32 {
    let x;
    let y: u32;
    yield_await!(ready(()));
    if flag {
        x = 1;
    } else {
        x = 2;
    }
    y = yield_await!(ready(10));
    x + y
}

#[test]
fn locals_declared_without_a_value_are_initialised_later() {
    assert_eq!(block_on(late_initialisation(true)), 11);
    assert_eq!(block_on(late_initialisation(false)), 12);
}

#[resumable::coroutine]
fn many_locals() -> u32 {
    let (a, b, c, d, e, f, g) = (1, 2, 3, 4, 5, 6, 7);
    let (h, i, j, k, l, m, n) = (8, 9, 10, 11, 12, 13, 14);
    yield_await!(ready(()));
    a + b + c + d + e + f + g + h + i + j + k + l + m + n
}

#[test]
fn more_than_twelve_locals_are_kept_across_a_yield() {
    assert_eq!(block_on(many_locals()), 105);
}

#[resumable::coroutine]
fn unsafe_blocks(v: Vec<u32>) -> u32 {
    // SAFETY: index 0 exists: the caller passes a non-empty vector.
    let first = unsafe {
        let n = yield_await!(ready(0usize));
        *v.get_unchecked(n)
    };
    first
}

#[test]
fn yields_inside_unsafe_blocks() {
    assert_eq!(block_on(unsafe_blocks(vec![7])), 7);
}

#[resumable::coroutine]
fn nested_loops() -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    'rows: for r in 0..3 {
        let mut c = 0;
        while c < 3 {
            c += 1;
            if c == 2 {
                continue;
            }
            if r == 1 {
                continue 'rows;
            }
            out.push((r, yield_await!(ready(c))));
            if r == 2 && c == 3 {
                break 'rows;
            }
        }
    }
    out
}

#[test]
fn nested_loops_with_labels_and_yields() {
    assert_eq!(block_on(nested_loops()), [(0, 1), (0, 3), (2, 1), (2, 3)]);
}

#[resumable::coroutine]
fn closures_keep_their_own_exits() -> Result<u32, String> {
    let parse = |s: &str| -> Result<u32, String> {
        let n: u32 = s.parse().map_err(|_| "bad".to_string())?;
        if n == 0 {
            return Ok(1);
        }
        Ok(n)
    };
    let inner = async {
        let v = ready(5).await;
        v + 1
    };
    let a = parse(yield_await!(ready("0")))?;
    let b = yield_await!(inner);
    let c = parse("x").unwrap_or(100);
    Ok(a + b + c)
}

#[test]
fn return_question_mark_and_await_inside_closures_and_async_blocks_are_theirs() {
    assert_eq!(block_on(closures_keep_their_own_exits()), Ok(107));
}

#[resumable::coroutine]
fn reference_to_an_awaited_value() -> usize {
    let s = &yield_await!(ready(String::from("abc")));
    s.len()
}

#[test]
fn a_reference_to_an_awaited_value_lives_to_the_end_of_the_block() {
    assert_eq!(block_on(reference_to_an_awaited_value()), 3);
}

#[resumable::coroutine]
fn control_operands(log: &Log, c: bool) -> u32 {
    let sum = log.note("a", 1)
        + if c {
            yield_await!(ready(()));
            log.note("b", 10)
        } else {
            log.note("b", 20)
        }
        + log.note("c", 100);
    let same = PartialEq::eq(
        &match sum {
            111 => {
                yield_await!(ready(()));
                true
            }
            _ => false,
        },
        &c,
    );
    let m = if same { log.note("same", 1000) } else { 0 };
    sum + {
        let x = yield_await!(ready(log.note("d", 3)));
        x * 10000
    } + m
}

#[test]
fn if_match_and_blocks_with_yields_are_operands_in_rust_order() {
    let log = Log::new();
    assert_eq!(block_on(control_operands(&log, true)), 111 + 1000 + 30000);
    assert_eq!(log.events(), ["a", "b", "c", "same", "d"]);
    let log = Log::new();
    assert_eq!(block_on(control_operands(&log, false)), 121 + 1000 + 30000);
    assert_eq!(log.events(), ["a", "b", "c", "same", "d"]);
}

fn parse_digit(s: &str) -> Option<u32> {
    s.parse().ok()
}

#[resumable::coroutine]
fn exits_in_awaited_expressions(log: &Log, s: &str) -> Option<u32> {
    let a = yield_await!(ready(parse_digit(s)? + 1));
    let b = yield_await!(ready({
        let Some(d) = parse_digit(&s[..1]) else {
            return Some(0);
        };
        log.note("b", d)
    }));
    yield_await!(ready(if a > 100 {
        return Some(a);
    } else {
        Some(a + b)
    }))
}

#[test]
fn question_mark_and_return_inside_an_awaited_expression_end_the_coroutine() {
    let log = Log::new();
    assert_eq!(block_on(exits_in_awaited_expressions(&log, "12")), Some(14));
    assert_eq!(log.events(), ["b"]);
    assert_eq!(block_on(exits_in_awaited_expressions(&log, "x")), None);
    assert_eq!(
        block_on(exits_in_awaited_expressions(&log, "123")),
        Some(124)
    );
    assert_eq!(block_on(exits_in_awaited_expressions(&log, "a1")), None);
}

// Two bindings of one name and different types, each kept across yields in its own
// branch and loop: the state's variants share a type parameter per binding (not per
// name), so each keeps its own type.
#[resumable::coroutine]
fn one_name_two_bindings(text: bool) -> String {
    let mut out = String::new();
    if text {
        let x = String::from("text");
        for _ in 0..2 {
            yield_await!(ready(()));
            out.push_str(&x);
        }
    } else {
        let x = 7u8;
        for _ in 0..2 {
            yield_await!(ready(()));
            out.push_str(&x.to_string());
        }
    }
    let x = yield_await!(ready(1.5f64));
    out.push_str(&x.to_string());
    out
}

#[test]
fn bindings_of_one_name_keep_their_own_types_across_yields() {
    assert_eq!(block_on(one_name_two_bindings(true)), "texttext1.5");
    assert_eq!(block_on(one_name_two_bindings(false)), "771.5");
}

// An arm whose code ends in a jump or a `return` on every path gets no `Done` after it
// (issue 9: less code to check). Two shapes at the edge of that: a machine that never
// completes (only its loop head's arm keeps the end), and one whose every arm ends in a
// `return` (all keep it); both run as written and compile without a warning.

#[resumable::coroutine]
fn never_completes(log: &Log) -> u32 {
    let mut n = 0;
    loop {
        n += yield_await!(ready(1));
        log.push(format!("n = {n}"));
    }
}

#[resumable::coroutine]
fn completes_only_by_return(n: u32) -> u32 {
    if n > 1 {
        let m = yield_await!(ready(n));
        return m * 2;
    }
    return yield_await!(ready(n)) + 100;
}

#[test]
fn a_machine_whose_every_arm_jumps_or_returns_keeps_its_end() {
    let log = Log::new();
    let mut machine = Box::pin(never_completes(&log));
    assert_eq!(testkit::poll_n(machine.as_mut(), 4), None);
    drop(machine);
    assert_eq!(log.events(), ["n = 1", "n = 2", "n = 3"]);
    assert_eq!(block_on(completes_only_by_return(3)), 6);
    assert_eq!(block_on(completes_only_by_return(1)), 101);
}
