//! The state graph of a coroutine: its states (the variants of the machine the attribute
//! writes) and the transitions between them, as static tables, exported as DOT
//! (Graphviz) or Mermaid.
//!
//! `#[resumable::coroutine(graph)] fn fetch_data() ..` also writes
//! `fn fetch_data_graph() -> resumable::StateGraph` next to the fn (with the fn's
//! visibility; in an `impl` block it is an associated fn, so not in a trait impl).

use std::fmt::Write;

/// A state of the machine: a variant of its state enum.
///
/// ```
/// let node = resumable::graph::Node { name: "Await0", label: "yield_await!(sleep(..)) (line 5)" };
/// assert_eq!(node.name, "Await0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    /// The variant's name (`Start`, `Await0`, `Loop0`, `Join0`, `Done`).
    pub name: &'static str,
    /// What it is: the yield point as written and its line; empty for `Start` and `Done`.
    pub label: &'static str,
}

/// A transition the step code contains: from one state to the next.
///
/// ```
/// let edge = resumable::graph::Edge { from: "Start", to: "Await0", label: "line 5" };
/// assert_eq!(edge.to, "Await0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The state the step starts in.
    pub from: &'static str,
    /// The state it leaves the machine in.
    pub to: &'static str,
    /// Where in the source: `line N` of the yield point, loop or statement it goes to, or
    /// of the `return`/`?`; `end` for the end of the body.
    pub label: &'static str,
}

/// The state graph of one coroutine, written by `#[resumable::coroutine(graph)]`.
///
/// ```
/// use resumable::yield_await;
///
/// #[resumable::coroutine(graph)]
/// fn add_later(a: u32) -> u32 {
///     let b = yield_await!(std::future::ready(2));
///     a + b
/// }
///
/// let graph = add_later_graph();
/// assert_eq!(graph.name, "add_later");
/// assert!(graph.to_dot().starts_with("digraph add_later {"));
/// assert!(graph.to_mermaid().contains("Start --> Await0"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateGraph {
    /// The coroutine's name.
    pub name: &'static str,
    /// Its states, in the order of the state enum.
    pub nodes: &'static [Node],
    /// Its transitions, grouped by the state they start from.
    pub edges: &'static [Edge],
}

impl StateGraph {
    /// The graph in Graphviz's DOT language (`dot -Tsvg`).
    ///
    /// ```
    /// use resumable::graph::{Edge, Node, StateGraph};
    /// let g = StateGraph {
    ///     name: "f",
    ///     nodes: &[Node { name: "Start", label: "" }, Node { name: "Done", label: "" }],
    ///     edges: &[Edge { from: "Start", to: "Done", label: "end" }],
    /// };
    /// assert_eq!(
    ///     g.to_dot(),
    ///     "digraph f {\n    Start;\n    Done;\n    Start -> Done [label=\"end\"];\n}\n"
    /// );
    /// ```
    pub fn to_dot(&self) -> String {
        let mut out = format!("digraph {} {{\n", self.name);
        for n in self.nodes {
            if n.label.is_empty() {
                let _ = writeln!(out, "    {};", n.name);
            } else {
                let label = format!("{}\n{}", n.name, n.label);
                let _ = writeln!(out, "    {} [label={}];", n.name, dot_string(&label));
            }
        }
        for e in self.edges {
            let _ = writeln!(
                out,
                "    {} -> {} [label={}];",
                e.from,
                e.to,
                dot_string(e.label)
            );
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid state diagram (renders in GitHub markdown).
    ///
    /// ```
    /// use resumable::graph::{Edge, Node, StateGraph};
    /// let g = StateGraph {
    ///     name: "f",
    ///     nodes: &[Node { name: "Start", label: "" }, Node { name: "Done", label: "" }],
    ///     edges: &[Edge { from: "Start", to: "Done", label: "end" }],
    /// };
    /// assert_eq!(
    ///     g.to_mermaid(),
    ///     "stateDiagram-v2\n    [*] --> Start\n    Start --> Done: end\n    Done --> [*]\n"
    /// );
    /// ```
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n    [*] --> Start\n");
        for n in self.nodes.iter().filter(|n| !n.label.is_empty()) {
            let _ = writeln!(out, "    {}: {}", n.name, mermaid_text(n.label));
        }
        for e in self.edges {
            let _ = writeln!(
                out,
                "    {} --> {}: {}",
                e.from,
                e.to,
                mermaid_text(e.label)
            );
        }
        out.push_str("    Done --> [*]\n");
        out
    }
}

fn dot_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Mermaid labels end at a newline or a `;`.
fn mermaid_text(s: &str) -> String {
    s.replace('\n', " ").replace(';', "#59;")
}
