//! Rendering a [`Program`] as Rust source, once per twin: the `#[resumable::coroutine]`
//! fn awaits with `yield_await!(..)`, the native `async fn` with `.await`; everything else
//! is the same text.

use crate::ast::{Block, Cond, Expr, Program, Ret, Stmt};
use std::fmt::Write;

/// Which twin is being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Twin {
    /// `#[resumable::coroutine] fn`
    Coroutine,
    /// `async fn`
    Native,
}

/// The two fns of `program`, named `{name}_co` and `{name}_native`, and the range of
/// lines (0-based, relative to the returned text) each occupies.
pub fn twins(program: &Program, name: &str) -> (String, [std::ops::Range<usize>; 2]) {
    twins_of(program, name, true)
}

/// [`twins`], leaving the coroutine out (as an empty range) unless `coroutine`.
pub fn twins_of(
    program: &Program,
    name: &str,
    coroutine: bool,
) -> (String, [std::ops::Range<usize>; 2]) {
    let co = if coroutine {
        function(program, &format!("{name}_co"), Twin::Coroutine)
    } else {
        String::new()
    };
    let native = function(program, &format!("{name}_native"), Twin::Native);
    let co_lines = co.lines().count();
    let native_lines = native.lines().count();
    (
        format!("{co}{native}"),
        [0..co_lines, co_lines..co_lines + native_lines],
    )
}

/// One twin as a fn item.
pub fn function(program: &Program, name: &str, twin: Twin) -> String {
    let ret = match program.ret {
        Ret::Result => "Result<i64, i64>",
        Ret::Option => "Option<i64>",
    };
    let mut w = Writer {
        out: String::new(),
        twin,
        ret: program.ret,
        indent: 1,
    };
    let head = match twin {
        Twin::Coroutine => {
            format!("#[resumable::coroutine]\nfn {name}(a0: D, a1: i64) -> {ret} {{\n")
        }
        Twin::Native => format!("async fn {name}(a0: D, a1: i64) -> {ret} {{\n"),
    };
    w.out.push_str(&head);
    if program.inject && twin == Twin::Native {
        w.line("t(0, -1); // injected: the twins must now differ");
    }
    for stmt in &program.body.stmts {
        w.stmt(stmt);
    }
    let tail = program
        .body
        .tail
        .as_deref()
        .cloned()
        .unwrap_or(Expr::Lit(0));
    let tail = w.wrap(&tail);
    w.line(&tail);
    w.out.push_str("}\n");
    w.out
}

struct Writer {
    out: String,
    twin: Twin,
    ret: Ret,
    indent: usize,
}

impl Writer {
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn wrap(&self, e: &Expr) -> String {
        match self.ret {
            Ret::Result => format!("Ok({})", self.expr(e)),
            Ret::Option => format!("Some({})", self.expr(e)),
        }
    }

    fn block_body(&mut self, block: &Block) {
        self.indent += 1;
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
        if let Some(tail) = &block.tail {
            let tail = self.expr(tail);
            self.line(&tail);
        }
        self.indent -= 1;
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::LetInt(x, e) => {
                let e = self.expr(e);
                self.line(&format!("let mut {x}: i64 = ({e}) % 1000;"));
            }
            Stmt::LetD(d, e) => {
                let e = self.expr(e);
                self.line(&format!("let mut {d} = D::new(({e}) % 1000);"));
            }
            Stmt::MoveD(d, from) => self.line(&format!("let mut {d} = {from};")),
            Stmt::Assign(x, e) => {
                let e = self.expr(e);
                self.line(&format!("{x} = ({e}) % 1000;"));
            }
            Stmt::AddAssign(x, e) => {
                let e = self.expr(e);
                self.line(&format!("{x} += {e};"));
            }
            Stmt::AssignD(d, e) => {
                let e = self.expr(e);
                self.line(&format!("{d} = D::new(({e}) % 1000);"));
            }
            Stmt::DropD(d) => self.line(&format!("drop({d});")),
            Stmt::Expr(e) => {
                let e = self.expr(e);
                self.line(&format!("{e};"));
            }
            Stmt::If(c, then, els) => {
                let c = self.cond(c);
                self.line(&format!("if {c} {{"));
                self.block_body(then);
                if let Some(els) = els {
                    self.line("} else {");
                    self.block_body(els);
                }
                self.line("}");
            }
            Stmt::Match(e, arms) => {
                let e = self.expr(e);
                self.line(&format!("match i64::rem_euclid({e}, 4) {{"));
                for (pat, arm) in ["0", "1 | 2", "_"].iter().zip(arms) {
                    self.indent += 1;
                    self.line(&format!("{pat} => {{"));
                    self.block_body(arm);
                    self.line("}");
                    self.indent -= 1;
                }
                self.line("}");
            }
            Stmt::Loop(l, c, bound, body) => {
                self.line(&format!("let mut {c}: i64 = 0;"));
                self.line(&format!("{l}: loop {{"));
                self.line(&format!("    if {c} >= {bound} {{ break {l}; }}"));
                self.line(&format!("    {c} += 1;"));
                self.block_body(body);
                self.line("}");
            }
            Stmt::While(l, c, e, body) => {
                let e = self.expr(e);
                self.line(&format!("let mut {c}: i64 = 0;"));
                self.line(&format!("{l}: while {c} < i64::rem_euclid({e}, 4) {{"));
                self.line(&format!("    {c} += 1;"));
                self.block_body(body);
                self.line("}");
            }
            Stmt::For(l, i, e, body) => {
                let e = self.expr(e);
                self.line(&format!("{l}: for {i} in 0..i64::rem_euclid({e}, 4) {{"));
                self.block_body(body);
                self.line("}");
            }
            Stmt::Break(l, None) => self.line(&format!("break {l};")),
            Stmt::Break(l, Some(e)) => {
                let e = self.expr(e);
                self.line(&format!("break {l} {e};"));
            }
            Stmt::Continue(l) => self.line(&format!("continue {l};")),
            Stmt::Return(e) => {
                let e = self.wrap(e);
                self.line(&format!("return {e};"));
            }
            Stmt::LetElse(x, result, e, els) => {
                let e = self.expr(e);
                let (pat, f) = if *result {
                    ("Ok", "ok")
                } else {
                    ("Some", "some")
                };
                self.line(&format!("let {pat}(mut {x}) = {f}({e}) else {{"));
                self.block_body(els);
                self.line("};");
            }
            Stmt::Panic(n) => self.line(&format!("panic!(\"p{n}\");")),
        }
    }

    /// Awaits `future` (an expression), as the twin writes it.
    fn await_of(&self, future: &str) -> String {
        match self.twin {
            Twin::Coroutine => format!("yield_await!({future})"),
            Twin::Native => format!("{future}.await"),
        }
    }

    /// A literal argument.
    fn lit(v: i64) -> String {
        if v < 0 {
            format!("({v})")
        } else {
            v.to_string()
        }
    }

    /// An expression on one line.
    fn expr(&self, e: &Expr) -> String {
        match e {
            Expr::Lit(v) if *v < 0 => format!("({v})"),
            Expr::Lit(v) => v.to_string(),
            Expr::Var(x) => x.clone(),
            Expr::DVal(d) => format!("{d}.0"),
            Expr::Note(n, e) => format!("t({n}, {})", self.expr(e)),
            Expr::Add(a, b) => format!("({} + {})", self.expr(a), self.expr(b)),
            Expr::Sub(a, b) => format!("({} - {})", self.expr(a), self.expr(b)),
            Expr::MulLit(a, k) => format!("({} * {k})", self.expr(a)),
            Expr::Await(e) => self.await_of(&format!("w({})", self.expr(e))),
            Expr::AwaitD(d, v) => self.await_of(&format!("wd(&{d}, {})", Self::lit(*v))),
            Expr::AwaitX(x, v) => self.await_of(&format!("wx(&mut {x}, {})", Self::lit(*v))),
            Expr::Try(e) => match self.ret {
                Ret::Result => format!("ok({})?", self.expr(e)),
                Ret::Option => format!("some({})?", self.expr(e)),
            },
            Expr::Keep(a, b) => format!("keep(&D::new({}), {})", self.expr(a), self.expr(b)),
            Expr::If(c, a, b) => format!(
                "if {} {} else {}",
                self.cond(c),
                self.inline_block(a),
                self.inline_block(b)
            ),
            Expr::Match(e, arms) => {
                let mut s = format!("match i64::rem_euclid({}, 4) {{ ", self.expr(e));
                for (pat, arm) in ["0", "1 | 2", "_"].iter().zip(arms) {
                    let _ = write!(s, "{pat} => {}, ", self.inline_block(arm));
                }
                s.push('}');
                s
            }
            Expr::Block(b) => self.inline_block(b),
            Expr::Labelled(l, b) => format!("{l}: {}", self.inline_block(b)),
            Expr::LoopValue(l, c, bound, value, body) => {
                let value = self.expr(value);
                let body = self.inline_stmts(body);
                format!(
                    "{{ let mut {c}: i64 = 0; {l}: loop {{ if {c} >= {bound} {{ break {l} {value}; }} {c} += 1; {body}}} }}"
                )
            }
        }
    }

    fn cond(&self, c: &Cond) -> String {
        match c {
            Cond::Lt(a, b) => format!("({} < {})", self.expr(a), self.expr(b)),
            Cond::Eq(a, b) => format!("({} == {})", self.expr(a), self.expr(b)),
            Cond::And(a, b) => format!("({} && {})", self.cond(a), self.cond(b)),
            Cond::Or(a, b) => format!("({} || {})", self.cond(a), self.cond(b)),
        }
    }

    /// Statements of a block on one line, each followed by a space.
    fn inline_stmts(&self, b: &Block) -> String {
        let mut inner = Writer {
            out: String::new(),
            twin: self.twin,
            ret: self.ret,
            indent: 0,
        };
        for stmt in &b.stmts {
            inner.stmt(stmt);
        }
        inner
            .out
            .lines()
            .map(|l| format!("{} ", l.trim()))
            .collect()
    }

    fn inline_block(&self, b: &Block) -> String {
        let stmts = self.inline_stmts(b);
        match &b.tail {
            Some(tail) => format!("{{ {stmts}{} }}", self.expr(tail)),
            None => format!("{{ {stmts}}}"),
        }
    }
}
