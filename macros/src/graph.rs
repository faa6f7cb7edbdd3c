//! The state graph export of `#[resumable::coroutine(graph)]`: the resume points as
//! nodes, the transitions the lowering emitted as edges (recorded while lowering each
//! arm), written as a static `::resumable::graph::StateGraph`. An edge is a jump the step
//! code contains: one that no execution takes (a loop's exit when its body never breaks)
//! is listed too.

use crate::analyse::{Kind, Point, level_blocks};
use crate::lower::variant;
use crate::normalise::{Suspend, YieldPoint};
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::Block;

/// A transition from the arm of a resume point (`None`: `Start`) to another (`None`:
/// `Done`), with the line of the `return`/`?` that makes it, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub line: Option<usize>,
}

/// The lines of the early exits (`*state = State::Done` written by `return`/`?`, spanned
/// at the user's tokens) in some step code.
pub fn returns(tokens: &TokenStream) -> Vec<usize> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut lines = Vec::new();
    for (k, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => lines.extend(returns(&g.stream())),
            TokenTree::Ident(i) if i == "Done" && k >= 4 => {
                let assigned = matches!(&trees[k - 4], TokenTree::Punct(p) if p.as_char() == '=')
                    && matches!(&trees[k - 3], TokenTree::Ident(s) if s == "__resumable_State");
                if assigned {
                    lines.push(i.span().start().line);
                }
            }
            _ => {}
        }
    }
    lines
}

fn line_of(root: &Block, yields: &[YieldPoint], point: &Point) -> usize {
    match point.kind {
        Kind::Yield(n) => yields[n].span.start().line,
        _ => {
            let path = &point.plan.path;
            let blocks = level_blocks(root, path);
            let block = blocks.last().expect("a path has a block");
            let stmt = &block.stmts[path.last().expect("non-empty path").stmt];
            first_user_line(&stmt.to_token_stream()).unwrap_or(0)
        }
    }
}

/// The first line of user code in some tokens: normalisation rewrote `while`/`for` into a
/// generated `loop`, whose tokens sit at the macro's call site.
fn first_user_line(tokens: &TokenStream) -> Option<usize> {
    let generated = proc_macro2::Span::call_site().start().line;
    tokens
        .clone()
        .into_iter()
        .filter_map(|tt| match tt {
            TokenTree::Group(g) => first_user_line(&g.stream()),
            tt => {
                let line = tt.span().start().line;
                (line > 0 && line != generated).then_some(line)
            }
        })
        .min()
}

/// The `::resumable::graph::StateGraph { .. }` expression of a machine.
pub fn state_graph(
    name: &str,
    root: &Block,
    yields: &[YieldPoint],
    points: &[Point],
    transitions: &[Transition],
) -> TokenStream {
    let node_name = |i: Option<usize>| match i {
        Some(i) => variant(points, yields, i).to_string(),
        None => "Start".to_string(),
    };
    let mut nodes = vec![quote!(::resumable::graph::Node {
        name: "Start",
        label: ""
    })];
    for (i, point) in points.iter().enumerate() {
        let line = line_of(root, yields, point);
        let label = match point.kind {
            Kind::Yield(n) if matches!(yields[n].suspend, Suspend::Next(_)) => {
                format!("for_await! (line {line})")
            }
            Kind::Yield(n) => format!("{} (line {line})", yields[n].text),
            Kind::Join => format!("after the statement at line {line}"),
            Kind::LoopHead => format!("loop at line {line}"),
        };
        let name = node_name(Some(i));
        nodes.push(quote!(::resumable::graph::Node { name: #name, label: #label }));
    }
    nodes.push(quote!(::resumable::graph::Node {
        name: "Done",
        label: ""
    }));
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for t in transitions {
        let from = node_name(t.from);
        let (to, label) = match (t.to, t.line) {
            (Some(to), _) => (
                node_name(Some(to)),
                format!("line {}", line_of(root, yields, &points[to])),
            ),
            (None, Some(line)) => ("Done".to_string(), format!("return, line {line}")),
            (None, None) => ("Done".to_string(), "end".to_string()),
        };
        if !seen.contains(&(from.clone(), to.clone(), label.clone())) {
            seen.push((from, to, label));
        }
    }
    let edges = seen.iter().map(
        |(from, to, label)| quote!(::resumable::graph::Edge { from: #from, to: #to, label: #label }),
    );
    quote! {
        ::resumable::graph::StateGraph {
            name: #name,
            nodes: &[#(#nodes),*],
            edges: &[#(#edges),*],
        }
    }
}
