//! Early ends: a fixed local whose last use comes before the end of its scope gives its
//! place back there, so a fixed local declared after that can share its bytes (difftest
//! class 20).
//!
//! An `async fn` lays its state out by liveness: a local that is dead at a suspension
//! takes no bytes there. The places of fixed slots (see `fixed`) sit outside the state
//! and are shared only between locals whose lifetimes do not overlap, which the rewrite
//! judges by scope. For a local of a plain `Copy` type (its `let` names it: `i64`,
//! `[u8; 64]`, ..), nothing is observable when it ends, so it can end at its last use:
//!
//! ```text
//! let mut x: i64 = 0;                        let mut x: i64 = 0;
//! loop { .. yield_await!(f(&mut x)); .. }    loop { .. yield_await!(f(&mut x)); .. }
//!                                      =>    #[__resumable_end("x", 0)] ();
//! let buf = Buf::new();                      let buf = Buf::new();
//! ```
//!
//! The marker, placed before normalisation, becomes `drop(handle)` in the machine when `x`
//! got a fixed slot and a fixed local is declared after it (`fixed` then frees the place),
//! and goes away otherwise. That is sound only if no borrow of `x` is used after the
//! marker: where the marker counts, the borrow-checked twin takes `&mut x` there
//! (`twin_end`), which rustc rejects if a borrow of `x` is still in use. So that this
//! never rejects a program `async fn` accepts, a marker is placed only where every borrow
//! of `x` visibly ends in its statement: the value it flows into is discarded (`e;`) or
//! bound to a local of a plain type, not stored by an assignment, a pattern or a closure,
//! and no other operand on its way (`v.push(&x)`, `f(&mut v, &x)`) names a local that
//! could keep it, nor casts it to a raw pointer. (A marker for a local that gets no slot,
//! or with no fixed local after it, is removed: nothing changes for those.) Left: unsafe
//! code that reads such a local through an address it got by other means
//! (`ptr::from_ref(&x).expose_provenance()`) after the local's last use reads another
//! local's bytes, where `async fn` keeps the local to the end of its scope.

use crate::analyse::FORMAT_MACROS;
use crate::syntax::{is_yield_await, pattern_binds};
use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Block, Expr, Pat, Stmt, Type, parse_quote};

/// The marker's attribute.
const END: &str = "__resumable_end";

/// Places a marker after the last use of each local that can end there (see the module
/// docs), numbering them in the order met.
pub fn mark(body: &mut Block) {
    // The names the body binds, but for locals of a plain `Copy` type (which cannot hold
    // a borrow either).
    struct Bound(Vec<String>);
    impl Visit<'_> for Bound {
        fn visit_pat_ident(&mut self, p: &syn::PatIdent) {
            self.0.push(p.ident.to_string());
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_local(&mut self, l: &syn::Local) {
            if plain_pattern(&l.pat) {
                if let Some(init) = &l.init {
                    self.visit_local_init(init);
                }
            } else {
                syn::visit::visit_local(self, l);
            }
        }
        // A `for` loop over a range binds integers (only they are ranges one iterates).
        fn visit_expr_for_loop(&mut self, f: &syn::ExprForLoop) {
            if !matches!(&*f.expr, Expr::Range(_)) {
                self.visit_pat(&f.pat);
            }
            self.visit_expr(&f.expr);
            self.visit_block(&f.body);
        }
    }
    let mut bound = Bound(Vec::new());
    bound.visit_block(body);
    let locals = bound.0;
    Marker { next: 0, locals }.visit_block_mut(body);
}

/// The local and number of an end marker.
pub fn marker(stmt: &Stmt) -> Option<(String, usize)> {
    let Stmt::Expr(Expr::Tuple(t), Some(_)) = stmt else {
        return None;
    };
    let attr = t.attrs.first().filter(|a| a.path().is_ident(END))?;
    let (name, n) = attr
        .parse_args_with(|input: syn::parse::ParseStream| {
            let name: syn::LitStr = input.parse()?;
            input.parse::<syn::Token![,]>()?;
            let n: syn::LitInt = input.parse()?;
            Ok((name.value(), n.base10_parse::<usize>()?))
        })
        .ok()?;
    Some((name, n))
}

/// Removes the markers left in `body` (those whose local did not end early); whether
/// there were any.
pub fn strip(body: &mut Block) -> bool {
    struct Strip(bool);
    impl VisitMut for Strip {
        fn visit_block_mut(&mut self, b: &mut Block) {
            let before = b.stmts.len();
            b.stmts.retain(|s| marker(s).is_none());
            self.0 |= b.stmts.len() < before;
            syn::visit_mut::visit_block_mut(self, b);
        }
    }
    let mut strip = Strip(false);
    strip.visit_block_mut(body);
    strip.0
}

/// The twin's side: the markers in `ended` become `twin_end(&mut x)` (their `let` binds
/// `x` mutably, so the borrow is allowed), the others go away.
pub fn check_in_twin(body: &mut Block, ended: &[usize]) {
    struct Check<'a>(&'a [usize]);
    impl VisitMut for Check<'_> {
        fn visit_block_mut(&mut self, b: &mut Block) {
            syn::visit_mut::visit_block_mut(self, b);
            let stmts = std::mem::take(&mut b.stmts);
            for stmt in stmts {
                let Some((name, n)) = marker(&stmt) else {
                    b.stmts.push(stmt);
                    continue;
                };
                if !self.0.contains(&n) {
                    continue;
                }
                // (`mark` puts a marker after its local's `let x: T = ..;`, in the same block
                // and before any `let` that shadows it.)
                let binding = b.stmts.iter_mut().rev().find_map(|s| match s {
                    Stmt::Local(l) if pattern_binds(&l.pat, &name) => match &mut l.pat {
                        Pat::Type(typed) => match &mut *typed.pat {
                            Pat::Ident(binding) => Some(binding),
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                });
                let binding = binding.expect("an end marker follows its local's `let x: T`");
                binding.mutability = Some(Default::default());
                let ident = binding.ident.clone();
                b.stmts
                    .push(parse_quote!(::resumable::__private::twin_end(&mut #ident);));
            }
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
        fn visit_item_mut(&mut self, _: &mut syn::Item) {}
    }
    Check(ended).visit_block_mut(body);
}

struct Marker {
    next: usize,
    /// The names the body binds, but for locals of a plain `Copy` type.
    locals: Vec<String>,
}

impl VisitMut for Marker {
    fn visit_block_mut(&mut self, b: &mut Block) {
        syn::visit_mut::visit_block_mut(self, b);
        let mut ends: Vec<(usize, Ident)> = Vec::new();
        for (i, stmt) in b.stmts.iter().enumerate() {
            let Some(name) = plain_copy_local(stmt) else {
                continue;
            };
            let text = name.to_string();
            // Up to a `let` that shadows it (which must not use it: a marker after that
            // `let` would name the new local).
            let rest = &b.stmts[i + 1..];
            let shadow = rest
                .iter()
                .position(|s| matches!(s, Stmt::Local(l) if pattern_binds(&l.pat, &text)));
            if shadow.is_some_and(|k| mentions(&rest[k], &text)) {
                continue;
            }
            let scope = shadow.map_or(rest, |k| &rest[..k]);
            let Some(last) = scope.iter().rposition(|s| mentions(s, &text)) else {
                continue;
            };
            // Something must follow (a fixed local declared there can take the place).
            if i + 1 + last + 1 >= b.stmts.len() {
                continue;
            }
            let mut check = Transient {
                name: &text,
                locals: &self.locals,
                ok: true,
                targets: Vec::new(),
            };
            for s in &scope[..=last] {
                check.stmt(s, true);
            }
            if check.ok {
                ends.push((i + 1 + last, name.clone()));
            }
        }
        // From the last position back, so that each insertion leaves the others' in place.
        ends.sort_by_key(|(after, _)| std::cmp::Reverse(*after));
        for (after, name) in ends {
            let text = name.to_string();
            let n = proc_macro2::Literal::usize_unsuffixed(self.next);
            self.next += 1;
            b.stmts
                .insert(after + 1, parse_quote!(#[__resumable_end(#text, #n)] ();));
        }
    }
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The local a `let x: T = value;` declares, when `T` is a plain `Copy` type.
fn plain_copy_local(stmt: &Stmt) -> Option<&Ident> {
    let Stmt::Local(l) = stmt else { return None };
    let init = l.init.as_ref()?;
    if init.diverge.is_some() {
        return None;
    }
    let Pat::Type(typed) = &l.pat else {
        return None;
    };
    let Pat::Ident(binding) = &*typed.pat else {
        return None;
    };
    (binding.by_ref.is_none() && binding.subpat.is_none() && plain_copy(&typed.ty))
        .then_some(&binding.ident)
}

/// Whether a type is, by its name, a primitive without drop glue (or an array or tuple of
/// them), so that ending a local of it early is not observable.
fn plain_copy(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => {
            p.qself.is_none()
                && crate::analyse::PRIMITIVES
                    .iter()
                    .any(|n| p.path.is_ident(n))
        }
        Type::Array(a) => plain_copy(&a.elem),
        Type::Tuple(t) => t.elems.iter().all(plain_copy),
        Type::Paren(p) => plain_copy(&p.elem),
        _ => false,
    }
}

/// Whether a statement mentions `name` anywhere (in macros' tokens too).
fn mentions(stmt: &Stmt, name: &str) -> bool {
    struct Find<'a> {
        name: &'a str,
        found: bool,
    }
    impl Visit<'_> for Find<'_> {
        fn visit_ident(&mut self, i: &Ident) {
            self.found |= i == self.name;
        }
        fn visit_macro(&mut self, m: &syn::Macro) {
            self.found |= tokens_mention(&m.tokens, self.name);
        }
    }
    let mut find = Find { name, found: false };
    find.visit_stmt(stmt);
    find.found
}

/// Whether tokens mention `name` (as `analyse::tokens_use` reads them: `{name}` in a
/// format string too).
fn tokens_mention(tokens: &TokenStream, name: &str) -> bool {
    crate::analyse::tokens_use(tokens, name, true).is_some()
}

/// Whether every borrow of `name` ends in its statement: see the module docs. A use by
/// value copies (the local's type is `Copy`) and an assignment writes, both fine; a borrow
/// (`&x`, a method call on it, a place a pattern may bind by reference) is fine where the
/// value it may flow into is dropped at the end of its statement (`flow`).
struct Transient<'a> {
    name: &'a str,
    /// The names the body binds (anywhere), but for locals of a plain `Copy` type.
    locals: &'a [String],
    ok: bool,
    /// The loops and labelled blocks around, innermost last: label, and whether the value
    /// a `break` gives them ends in its statement.
    targets: Vec<(Option<String>, bool)>,
}

impl Transient<'_> {
    fn stmt(&mut self, s: &Stmt, tail: bool) {
        match s {
            Stmt::Local(l) => {
                if let Some(init) = &l.init {
                    self.expr(&init.expr, plain_pattern(&l.pat), false);
                    if let Some((_, div)) = &init.diverge {
                        self.expr(div, true, false);
                    }
                }
            }
            Stmt::Expr(e, semi) => self.expr(e, semi.is_some() || tail, false),
            Stmt::Macro(m) => self.mac(&m.mac, m.semi_token.is_some() || tail),
            Stmt::Item(_) => {}
        }
    }

    fn block(&mut self, b: &Block, flow: bool) {
        let n = b.stmts.len();
        for (k, s) in b.stmts.iter().enumerate() {
            // A statement other than the tail has the value `()` (or is an item).
            self.stmt(s, k + 1 < n || flow);
        }
    }

    fn labelled(&mut self, label: Option<&syn::Label>, flow: bool, b: &Block, body_flow: bool) {
        self.targets
            .push((label.map(|l| l.name.ident.to_string()), flow));
        self.block(b, body_flow);
        self.targets.pop();
    }

    fn mac(&mut self, m: &syn::Macro, flow: bool) {
        if !tokens_mention(&m.tokens, self.name) {
            return;
        }
        if is_yield_await(m) {
            match m.parse_body::<Expr>() {
                Ok(e) => self.expr(&e, flow, false),
                Err(_) => self.ok = false,
            }
            return;
        }
        let name = crate::syntax::macro_name(m);
        // Format macros borrow their arguments for the statement only (but `format_args!`
        // gives a value that borrows them).
        let transient = FORMAT_MACROS.contains(&name.as_str()) && (name != "format_args" || flow);
        self.ok &= transient;
    }

    /// `flow`: whether the value of `e` ends in its statement; `borrowed`: whether `e` is a
    /// place that is borrowed.
    fn expr(&mut self, e: &Expr, flow: bool, borrowed: bool) {
        if !self.ok {
            return;
        }
        match e {
            Expr::Path(p) => {
                if p.qself.is_none() && p.path.is_ident(self.name) && borrowed && !flow {
                    self.ok = false;
                }
            }
            Expr::Reference(r) => self.expr(&r.expr, flow, true),
            // A raw pointer (`&raw const x`, `&x as *const _`) escapes the borrow checker:
            // unsafe code may use it until the end of the local's scope.
            Expr::RawAddr(r) => self.expr(&r.expr, false, true),
            Expr::MethodCall(m) => {
                let ops: Vec<&Expr> = std::iter::once(&*m.receiver).chain(&m.args).collect();
                self.operands(&ops, flow, true);
            }
            Expr::Call(c) => {
                let ops: Vec<&Expr> = std::iter::once(&*c.func).chain(&c.args).collect();
                self.operands(&ops, flow, false);
            }
            Expr::Field(f) => self.expr(&f.base, flow, borrowed),
            Expr::Index(i) => self.operands(&[&i.expr, &i.index], flow, borrowed),
            Expr::Paren(p) => self.expr(&p.expr, flow, borrowed),
            Expr::Group(g) => self.expr(&g.expr, flow, borrowed),
            Expr::Unary(u) => self.expr(&u.expr, flow, false),
            // (A value cast from a pointer may be one to the local.)
            Expr::Cast(c) => self.expr(&c.expr, false, false),
            Expr::Try(t) => self.expr(&t.expr, flow, false),
            Expr::Await(a) => self.expr(&a.base, flow, false),
            Expr::Binary(b) if crate::syntax::is_assign_op(&b.op) => {
                self.expr(&b.left, true, false);
                // (An `AddAssign` taking a reference could keep it.)
                self.expr(&b.right, false, false);
            }
            Expr::Binary(b) => self.operands(&[&b.left, &b.right], flow, false),
            Expr::Assign(a) => {
                self.expr(&a.left, true, false);
                self.expr(&a.right, false, false);
            }
            Expr::Block(b) => self.labelled(b.label.as_ref(), flow, &b.block, flow),
            Expr::Unsafe(u) => self.block(&u.block, flow),
            Expr::If(i) => {
                // A `bool`, or a `let` (see `Expr::Let`).
                self.expr(&i.cond, true, false);
                self.block(&i.then_branch, flow);
                if let Some((_, e)) = &i.else_branch {
                    self.expr(e, flow, false);
                }
            }
            Expr::Match(m) => {
                // A pattern may bind (a part of) the scrutinee by reference.
                self.expr(&m.expr, false, true);
                for arm in &m.arms {
                    if let Some((_, g)) = &arm.guard {
                        self.expr(g, true, false);
                    }
                    self.expr(&arm.body, flow, false);
                }
            }
            // Its pattern may bind (a part of) the scrutinee by reference.
            Expr::Let(l) => self.expr(&l.expr, false, true),
            Expr::Loop(l) => self.labelled(l.label.as_ref(), flow, &l.body, true),
            Expr::While(w) => {
                self.expr(&w.cond, true, false);
                self.labelled(w.label.as_ref(), true, &w.body, true);
            }
            Expr::ForLoop(f) => {
                // The iterator lives through the loop, its items in the pattern.
                self.expr(&f.expr, false, false);
                self.labelled(f.label.as_ref(), true, &f.body, true);
            }
            Expr::Break(b) => {
                if let Some(v) = &b.expr {
                    let label = b.label.as_ref().map(|l| l.ident.to_string());
                    let target = self
                        .targets
                        .iter()
                        .rev()
                        .find(|(l, _)| label.is_none() || *l == label)
                        .is_some_and(|(_, flow)| *flow);
                    self.expr(v, target, false);
                }
            }
            // A borrow of a local cannot leave the function.
            Expr::Return(r) => {
                if let Some(v) = &r.expr {
                    self.expr(v, true, false);
                }
            }
            Expr::Tuple(t) => self.operands(&t.elems.iter().collect::<Vec<_>>(), flow, false),
            Expr::Array(a) => self.operands(&a.elems.iter().collect::<Vec<_>>(), flow, false),
            Expr::Repeat(r) => self.expr(&r.expr, flow, false),
            Expr::Range(r) => {
                let ops: Vec<&Expr> = [&r.start, &r.end]
                    .into_iter()
                    .flatten()
                    .map(|e| &**e)
                    .collect();
                self.operands(&ops, flow, false);
            }
            Expr::Struct(s) => {
                let ops: Vec<&Expr> = s
                    .fields
                    .iter()
                    .map(|f| &f.expr)
                    .chain(s.rest.as_deref())
                    .collect();
                self.operands(&ops, flow, false);
            }
            Expr::Macro(m) => self.mac(&m.mac, flow),
            Expr::Lit(_) | Expr::Continue(_) => {}
            // Closures, `async` blocks and the rest: only if they do not mention it.
            other => self.ok &= !tokens_mention(&other.to_token_stream(), self.name),
        }
    }

    /// The operands of one operation (the first one `first_borrowed`): a borrow in one
    /// flows into the operation's value, which may keep it, or may be kept by another
    /// operand (`v.push(&x)`, `store(&mut v, &x)`) unless the others are inert.
    fn operands(&mut self, ops: &[&Expr], flow: bool, first_borrowed: bool) {
        for (k, op) in ops.iter().enumerate() {
            let others = ops
                .iter()
                .enumerate()
                .all(|(j, other)| j == k || self.inert(other));
            self.expr(op, flow && others, k == 0 && first_borrowed);
        }
    }

    /// Whether an expression cannot keep a borrow: it names no local of the body but
    /// those of plain `Copy` types (the fn's arguments and anything outside the body
    /// outlive every local, so they cannot hold a borrow of one) and has no closure.
    fn inert(&self, e: &Expr) -> bool {
        fn names(tokens: TokenStream, locals: &[String]) -> bool {
            tokens.into_iter().any(|tt| match tt {
                TokenTree::Ident(i) => {
                    let name = i.to_string();
                    locals.contains(&name) || name == "move"
                }
                TokenTree::Punct(p) => p.as_char() == '|',
                TokenTree::Group(g) => names(g.stream(), locals),
                TokenTree::Literal(_) => false,
            })
        }
        !names(e.to_token_stream(), self.locals)
    }
}

/// Whether what a `let` binds cannot hold a borrow: `_` (dropped at once), or a single
/// binding of a plain `Copy` type.
fn plain_pattern(pat: &Pat) -> bool {
    match pat {
        Pat::Wild(_) => true,
        Pat::Type(t) => match &*t.pat {
            Pat::Wild(_) => true,
            Pat::Ident(i) => i.by_ref.is_none() && i.subpat.is_none() && plain_copy(&t.ty),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The locals that get an end marker, with the statement the marker follows.
    fn ends(body: Block) -> Vec<String> {
        let mut body = body;
        mark(&mut body);
        let mut out = Vec::new();
        struct Collect<'a>(&'a mut Vec<String>);
        impl VisitMut for Collect<'_> {
            fn visit_block_mut(&mut self, b: &mut Block) {
                for (k, s) in b.stmts.iter().enumerate() {
                    if let Some((name, _)) = marker(s) {
                        let last_use = b.stmts[..k].iter().rev().find(|s| marker(s).is_none());
                        let before = crate::syntax::compact(&last_use.to_token_stream());
                        self.0.push(format!("{name} after {before}"));
                    }
                }
                syn::visit_mut::visit_block_mut(self, b);
            }
        }
        Collect(&mut out).visit_block_mut(&mut body);
        out
    }

    #[test]
    fn a_plain_local_borrowed_by_awaits_ends_after_its_last_use() {
        let b: Block = parse_quote!({
            let mut x: i64 = 5;
            let d = D::new(
                loop {
                    if x > 3 {
                        break 0;
                    }
                    yield_await!(wx(&mut x, 11));
                } % 1000,
            );
            Ok(yield_await!(wd(&d, 1)))
        });
        assert_eq!(ends(b).len(), 1);
    }

    #[test]
    fn a_borrow_in_a_value_of_a_plain_type_ends_with_its_statement() {
        let b: Block = parse_quote!({
            let mut x: [u8; 8] = [0; 8];
            let n: usize = yield_await!(read(&mut x, 3)) % 8;
            let y: u8 = x[n];
            let d = D::new(y);
            yield_await!(wd(&d, 1))
        });
        // (`n` and `y` end too, after their own last uses.)
        assert!(ends(b).contains(&"x after let y: u8 = x[n];".to_string()));
    }

    #[test]
    fn only_plain_copy_types_named_in_the_let_end_early() {
        for decl in [
            quote::quote!(let mut x = 5i64;),
            quote::quote!(let mut x: Wrapper = Wrapper(5);),
            quote::quote!(let mut x: String = String::new();),
            quote::quote!(let mut x: &mut i64 = &mut y;),
        ] {
            let b: Block = parse_quote!({
                #decl
                yield_await!(touch(&mut x));
                let d = D::new(1);
                yield_await!(wd(&d, 1))
            });
            assert_eq!(ends(b), Vec::<String>::new(), "{decl}");
        }
    }

    #[test]
    fn a_borrow_that_may_be_kept_prevents_the_end() {
        for last_use in [
            // Bound to a local that may hold it.
            quote::quote!(let r = yield_await!(touch(&mut x));),
            quote::quote!(let r = &x;),
            // Stored by an assignment, a pattern, another operand, a closure.
            quote::quote!(held = &x;),
            quote::quote!(match x {
                ref r => held = r,
            }),
            quote::quote!(v.push(&x);),
            quote::quote!(yield_await!(stash(&mut v, &x));),
            quote::quote!(yield_await!(v.stash(&x));),
            quote::quote!(for r in v.iter_mut() {
                yield_await!(stash(r, &x));
            }),
            quote::quote!(for r in x.iter() {
                held = r;
            }),
            quote::quote!(let f = || x + 1;),
            quote::quote!(other!(x);),
            quote::quote!(let a = format_args!("{}", x);),
            // A raw pointer, which unsafe code may use until the end of the scope.
            quote::quote!(let p: usize = &x as *const i64 as usize;),
            quote::quote!(let p: usize = (&raw const x).addr();),
        ] {
            let b: Block = parse_quote!({
                let mut held = &0;
                let mut v = Vec::new();
                let mut x: i64 = 5;
                #last_use
                let d = D::new(1);
                yield_await!(wd(&d, 1))
            });
            assert_eq!(ends(b), Vec::<String>::new(), "{last_use}");
        }
    }

    #[test]
    fn copies_writes_and_borrows_that_end_in_their_statement_allow_the_end() {
        for last_use in [
            quote::quote!(let y: i64 = x + 1;),
            quote::quote!(x += 1;),
            quote::quote!(println!("{}", x);),
            quote::quote!(yield_await!(touch(&mut x));),
            quote::quote!(let _ = yield_await!(touch(&mut x));),
            quote::quote!(if x > 1 {
                yield_await!(touch(&mut x));
            }),
            quote::quote!(let n: u8 = 'a: { break 'a yield_await!(read(&x, 1)) };),
            quote::quote!(let n: u32 = match t(x) { 0 => 1, _ => x.count_ones() };),
            quote::quote!(let n: u8 = x as u8;),
            // Another operand names only locals of plain types, or arguments.
            quote::quote!(yield_await!(bump(&mut x, i + 1));),
            quote::quote!(yield_await!(bump(&mut x, argument));),
            quote::quote!(for k in 0..3 {
                yield_await!(bump(&mut x, k));
            }),
        ] {
            let b: Block = parse_quote!({
                let i: u64 = 1;
                let mut x: i64 = 5;
                #last_use
                let d = D::new(1);
                yield_await!(wd(&d, 1))
            });
            let x: Vec<String> = ends(b)
                .into_iter()
                .filter(|e| e.starts_with("x "))
                .collect();
            assert_eq!(x.len(), 1, "{last_use}");
        }
    }

    #[test]
    fn an_inline_format_argument_is_a_use() {
        // Regression: `{x}` in a format string was not seen as a use, so `x` ended before it.
        let b: Block = parse_quote!({
            let mut x: i64 = 5;
            yield_await!(touch(&mut x));
            let d = D::new(1);
            println!("{x}");
            yield_await!(wd(&d, 1))
        });
        assert_eq!(ends(b), ["x after println!(\"{x}\");"]);
    }

    #[test]
    fn no_end_without_code_after_the_last_use_or_across_a_shadowing_use() {
        let last: Block = parse_quote!({
            let mut x: i64 = 5;
            yield_await!(touch(&mut x));
        });
        assert_eq!(ends(last), Vec::<String>::new());
        let shadowed: Block = parse_quote!({
            let mut x: i64 = 5;
            yield_await!(touch(&mut x));
            let x: i64 = x + 1;
            let d = D::new(x);
            yield_await!(wd(&d, 1))
        });
        // (The second `x` ends after its own last use.)
        assert_eq!(ends(shadowed), ["x after let d = D::new(x);"]);
    }

    #[test]
    fn each_marker_follows_its_own_last_use() {
        // Regression: inserted by declaration, not by position, `x`'s marker came one
        // statement early (before its last use), after `i`'s.
        let b: Block = parse_quote!({
            let mut x: u64 = 1;
            let mut i: u64 = 0;
            while i < 3 {
                yield_await!(bump(&mut x, i));
                i += 1;
            }
            let first: u8 = x as u8;
            let mut buf = vec![first];
            yield_await!(fill(&mut buf))
        });
        assert_eq!(
            ends(b),
            // (`first` is in a macro's tokens, which may keep it: no end.)
            [
                "i after while i < 3 { yield_await!(bump(&mut x, i)); i += 1; }",
                "x after let first: u8 = x as u8;",
            ]
        );
    }

    #[test]
    fn markers_are_numbered_and_read_back() {
        let mut b: Block = parse_quote!({
            let mut x: i64 = 5;
            yield_await!(touch(&mut x));
            {
                let mut y: u8 = 1;
                yield_await!(touch(&mut y));
                let e = D::new(1);
                yield_await!(wd(&e, 1));
            }
            let d = D::new(1);
            yield_await!(wd(&d, 1))
        });
        mark(&mut b);
        let mut seen = Vec::new();
        struct Collect<'a>(&'a mut Vec<(String, usize)>);
        impl Visit<'_> for Collect<'_> {
            fn visit_stmt(&mut self, s: &Stmt) {
                self.0.extend(marker(s));
                syn::visit::visit_stmt(self, s);
            }
        }
        Collect(&mut seen).visit_block(&b);
        seen.sort();
        assert_eq!(seen, [("x".to_string(), 1), ("y".to_string(), 0)]);
        strip(&mut b);
        seen.clear();
        Collect(&mut seen).visit_block(&b);
        assert!(seen.is_empty());
    }
}
