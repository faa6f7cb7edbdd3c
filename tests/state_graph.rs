//! `#[resumable::coroutine(graph)]`: the machine's states and transitions, as a static
//! table next to the fn, exported as DOT and Mermaid.
#![deny(warnings)]

use resumable::graph::{Edge, Node};
use resumable::yield_await;
use std::future::ready;

#[resumable::coroutine(graph)]
fn two_steps(skip: bool) -> u32 {
    let a = yield_await!(ready(1)); // line 11
    if skip {
        return a; // line 13
    }
    let b = yield_await!(ready(2)); // line 15
    a + b
}

#[test]
fn the_graph_lists_each_state_and_each_transition_with_its_line() {
    let g = two_steps_graph();
    assert_eq!(g.name, "two_steps");
    assert_eq!(
        g.nodes,
        [
            Node {
                name: "Start",
                label: ""
            },
            Node {
                name: "Await0",
                label: "yield_await!(ready(1)) (line 11)"
            },
            Node {
                name: "Await1",
                label: "yield_await!(ready(2)) (line 15)"
            },
            Node {
                name: "Done",
                label: ""
            },
        ]
    );
    assert_eq!(
        g.edges,
        [
            Edge {
                from: "Start",
                to: "Await0",
                label: "line 11"
            },
            Edge {
                from: "Await0",
                to: "Await1",
                label: "line 15"
            },
            Edge {
                from: "Await0",
                to: "Done",
                label: "return, line 13"
            },
            Edge {
                from: "Await1",
                to: "Done",
                label: "end"
            },
        ]
    );
}

#[test]
fn the_coroutine_itself_is_unchanged_by_the_option() {
    assert_eq!(testkit::block_on(two_steps(false)), 3);
    assert_eq!(testkit::block_on(two_steps(true)), 1);
}

#[test]
fn dot_and_mermaid_show_the_same_graph() {
    let g = two_steps_graph();
    let dot = g.to_dot();
    assert!(dot.starts_with("digraph two_steps {\n"), "{dot}");
    assert!(
        dot.contains("    Await0 -> Done [label=\"return, line 13\"];\n"),
        "{dot}"
    );
    let mermaid = g.to_mermaid();
    assert!(
        mermaid.starts_with("stateDiagram-v2\n    [*] --> Start\n"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("    Start --> Await0: line 11\n"),
        "{mermaid}"
    );
    assert!(mermaid.ends_with("    Done --> [*]\n"), "{mermaid}");
}

struct Counter(u32);

impl Counter {
    #[resumable::coroutine(graph)]
    fn bump(&mut self) -> u32 {
        yield_await!(ready(()));
        self.0 += 1;
        self.0
    }
}

#[test]
fn a_method_gets_an_associated_graph_fn() {
    let g = Counter::bump_graph();
    assert_eq!(g.name, "bump");
    let names: Vec<_> = g.nodes.iter().map(|n| n.name).collect();
    assert_eq!(names, ["Start", "Await0", "Done"]);
    let mut c = Counter(1);
    assert_eq!(testkit::block_on(c.bump()), 2);
}
