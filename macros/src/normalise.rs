//! Normalisation: rewrites a coroutine body so that every yield point is a statement.
//!
//! After [`normalise`], a `yield_await!(e)` (or `e.await`) appears only as
//! `let PAT = <marker N>;` / `<marker N>;` with `e` yield-free, or inside the sub-blocks of
//! a control expression (`if`/`match`/`loop`/block) that itself stands as a statement or a
//! block's tail, with yield-free conditions and scrutinees. Operands that Rust evaluates
//! before a yield are hoisted into `__resumable_tN` temporaries first, so the order of
//! side effects is exactly Rust's; pure places (`x`, `x.f`, `&x`) stay where they are, so
//! no reference is held across a yield that the user did not write. `while` and `for`
//! become `loop`, `&&`/`||` around a yield become `if`.
//!
//! [`rewrite_exits`] then turns `return` and `?` into the coroutine's return sequence, and
//! [`rename_self`] renames `self` (the step closure cannot have a `self` parameter).

use crate::analyse::{CONSUMING_METHODS, FORMAT_MACROS, tokens_use};
use crate::fixed::owned_result;
use crate::flavor::Flavor;
use crate::syntax::{
    block_has_yield, generated, has_yield, is_assign_op, is_control, is_suspension, is_yield_await,
    is_yield_value, macro_name, marker, tokens_have_yield,
};
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{BinOp, Block, Expr, Local, LocalInit, Macro, Pat, Stmt, Type, parse_quote};

/// How a yield point suspends the coroutine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suspend {
    /// `yield_await!(future)`: until the future is ready.
    Await,
    /// `yield_!(value)`: hands the value out, until resumed.
    Yield,
    /// `for_await!`: until the stream in slot `K` has its next item.
    Next(usize),
}

/// A yield point found in the body.
pub struct YieldPoint {
    pub suspend: Suspend,
    /// The awaited expression, or the yielded value (yield-free).
    pub future: Expr,
    /// Where the user wrote it.
    pub span: Span,
    /// The source text, for the variant's doc comment.
    pub text: String,
    /// The macro path the user wrote (`yield_await`, `resumable::yield_`); `None` for
    /// `.await`.
    pub path: Option<syn::Path>,
}

/// The body after normalisation, and its yield points (numbered in source order).
pub struct Normalised {
    pub body: Block,
    pub yields: Vec<YieldPoint>,
    /// Whether the body probes its blocks' edition (a kept temporary of a block's tail):
    /// the probe's `Box<[T]>::into_iter` then needs `allow(boxed_slice_into_iter)`.
    pub probes_edition: bool,
}

/// Reports the `yield_await!`s that no rewrite can reach (inside closures, `async`
/// blocks, nested items, or other macros' arguments) and direct recursion.
pub fn check(
    body: &Block,
    fn_name: Option<&Ident>,
    output: Option<&Type>,
) -> Result<(), syn::Error> {
    let mut checker = Checker {
        context: Vec::new(),
        fn_name,
        output: output.map(|t| t.to_token_stream().to_string()),
        errors: None,
    };
    checker.visit_block(body);
    checker.errors.map_or(Ok(()), Err)
}

struct Checker<'a> {
    context: Vec<&'static str>,
    fn_name: Option<&'a Ident>,
    output: Option<String>,
    errors: Option<syn::Error>,
}

impl Checker<'_> {
    fn error(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    fn check_recursion(&mut self, fut: &Expr) {
        let Some(name) = self.fn_name else { return };
        struct Calls<'n> {
            name: &'n Ident,
            calls: bool,
            erased: bool,
        }
        impl Visit<'_> for Calls<'_> {
            fn visit_expr_call(&mut self, call: &syn::ExprCall) {
                if let Expr::Path(p) = &*call.func {
                    let segments = &p.path.segments;
                    let last = segments.last().is_some_and(|s| s.ident == *self.name);
                    if last
                        && (segments.len() == 1
                            || (segments.len() == 2 && segments[0].ident == "Self"))
                    {
                        self.calls = true;
                    }
                }
                syn::visit::visit_expr_call(self, call);
            }
            fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
                if call.method == *self.name
                    && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self"))
                {
                    self.calls = true;
                }
                syn::visit::visit_expr_method_call(self, call);
            }
            fn visit_expr_cast(&mut self, cast: &syn::ExprCast) {
                if cast.ty.to_token_stream().to_string().contains("dyn") {
                    self.erased = true;
                }
                syn::visit::visit_expr_cast(self, cast);
            }
            fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
            fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        }
        let mut calls = Calls {
            name,
            calls: false,
            erased: false,
        };
        calls.visit_expr(fut);
        if calls.calls && !calls.erased {
            let output = self.output.as_deref().unwrap_or("()");
            self.error(syn::Error::new_spanned(
                fut,
                format!(
                    "recursive coroutine: `{name}` would store its own future inside itself, \
                     which has no finite size; box the call and erase its type: \
                     `yield_await!(Box::pin({name}(..)) as ::core::pin::Pin<Box<dyn ::core::future::Future<Output = {output}>>>)`"
                ),
            ));
        }
    }
}

impl Visit<'_> for Checker<'_> {
    fn visit_expr_closure(&mut self, e: &syn::ExprClosure) {
        self.context.push("a closure");
        syn::visit::visit_expr_closure(self, e);
        self.context.pop();
    }
    fn visit_expr_async(&mut self, e: &syn::ExprAsync) {
        self.context.push("an `async` block");
        syn::visit::visit_expr_async(self, e);
        self.context.pop();
    }
    fn visit_expr_const(&mut self, e: &syn::ExprConst) {
        self.context.push("a `const` block");
        syn::visit::visit_expr_const(self, e);
        self.context.pop();
    }
    fn visit_item(&mut self, i: &syn::Item) {
        self.context.push("a nested fn or item");
        syn::visit::visit_item(self, i);
        self.context.pop();
    }
    fn visit_macro(&mut self, mac: &Macro) {
        if is_suspension(mac) {
            let name = macro_name(mac);
            let verb = match name.as_str() {
                "yield_" => "yield",
                "for_await" => "iterate",
                _ => "await",
            };
            if let Some(context) = self.context.last() {
                self.error(syn::Error::new_spanned(
                    mac,
                    format!(
                        "`{name}!` cannot be used inside {context}: it suspends the \
                         enclosing `#[resumable::coroutine]`, which {context} is not part of; \
                         {verb} outside it, or make it a coroutine of its own"
                    ),
                ));
                return;
            }
            if is_yield_value(mac) && mac.tokens.is_empty() {
                return;
            }
            match mac.parse_body::<Expr>() {
                Ok(fut) => {
                    if is_yield_await(mac) {
                        self.check_recursion(&fut);
                    }
                    self.visit_expr(&fut);
                }
                Err(e) => self.error(e),
            }
        } else if macro_name(mac) == "coroutine_block" {
            // A nested block is a coroutine of its own (like an `async` block inside an
            // `async fn`): its yield points belong to it, and its own expansion checks them.
        } else if let Some((span, inner)) = tokens_have_yield(&mac.tokens) {
            let name = macro_name(mac);
            self.error(syn::Error::new(
                span,
                format!(
                    "`{inner}!` inside the arguments of `{name}!`: `#[resumable::coroutine]` \
                     cannot see into other macros; bind it with `let` first: \
                     `let value = {inner}!(..); {name}!(.., value)`"
                ),
            ));
        }
    }
}

/// Normalises a body (see the module docs). Run [`check`] first.
pub fn normalise(mut body: Block) -> Result<Normalised, syn::Error> {
    Unreachable.visit_block_mut(&mut body);
    let mut n = Normaliser {
        yields: Vec::new(),
        temps: 0,
        kept: 0,
        loops: 0,
        errors: None,
        tail: None,
        tail_holders: Vec::new(),
        lift_holders: false,
        lifted: Vec::new(),
        probes_edition: false,
        kept_names: Vec::new(),
    };
    n.block(&mut body);
    match n.errors {
        Some(e) => Err(e),
        None => Ok(Normalised {
            body,
            yields: n.yields,
            probes_edition: n.probes_edition,
        }),
    }
}

/// Yield points in statements that follow a diverging one (`panic!(..)`, `return`,
/// `break`, ..) in the same block can never run: rustc leaves them out of an `async fn`'s
/// state, and so does the machine. Each becomes a diverging expression that still
/// type-checks what was awaited (`{ let _ = IntoFuture::into_future(e); unreachable!() }`).
struct Unreachable;

impl Unreachable {
    fn diverges(stmt: &Stmt) -> bool {
        let mac = |m: &Macro| {
            let name = crate::syntax::macro_name(m);
            ["panic", "unreachable", "todo", "unimplemented"].contains(&name.as_str())
        };
        match stmt {
            Stmt::Macro(m) => mac(&m.mac),
            Stmt::Expr(Expr::Macro(m), _) => mac(&m.mac),
            Stmt::Expr(Expr::Return(_) | Expr::Break(_) | Expr::Continue(_), _) => true,
            _ => false,
        }
    }
}

impl VisitMut for Unreachable {
    fn visit_block_mut(&mut self, b: &mut Block) {
        let mut dead = false;
        for stmt in &mut b.stmts {
            if dead {
                Neutralise.visit_stmt_mut(stmt);
            } else {
                self.visit_stmt_mut(stmt);
                dead = Unreachable::diverges(stmt);
            }
        }
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Replaces the yield points of unreachable code (see [`Unreachable`]).
struct Neutralise;

impl Neutralise {
    fn replacement(e: &Expr) -> Option<Expr> {
        match e {
            Expr::Macro(m) if is_yield_await(&m.mac) => {
                let fut: Expr = m.mac.parse_body().ok()?;
                Some(parse_quote!({
                    let _ = ::core::future::IntoFuture::into_future(#fut);
                    ::core::unreachable!()
                }))
            }
            Expr::Macro(m) if is_yield_value(&m.mac) => {
                let value: Expr = m.mac.parse_body().ok()?;
                Some(parse_quote!({
                    let _ = #value;
                    ::core::unreachable!()
                }))
            }
            Expr::Await(a) => {
                let fut = &a.base;
                Some(parse_quote!({
                    let _ = ::core::future::IntoFuture::into_future(#fut);
                    ::core::unreachable!()
                }))
            }
            _ => None,
        }
    }
}

impl VisitMut for Neutralise {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        if let Some(r) = Neutralise::replacement(e) {
            *e = r;
        }
    }
    fn visit_stmt_mut(&mut self, s: &mut Stmt) {
        if let Stmt::Macro(m) = s {
            let e = Expr::Macro(syn::ExprMacro {
                attrs: m.attrs.clone(),
                mac: m.mac.clone(),
            });
            if let Some(r) = Neutralise::replacement(&e) {
                *s = Stmt::Expr(r, m.semi_token);
                return;
            }
        }
        syn::visit_mut::visit_stmt_mut(self, s);
    }
    // Their own yields belong to them.
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

struct Normaliser {
    yields: Vec<YieldPoint>,
    temps: usize,
    /// Temporaries kept in locals of their own so far (see `keep_temporaries`).
    kept: usize,
    loops: usize,
    errors: Option<syn::Error>,
    /// While the tail expression of a block is normalised: that block's brace span (the
    /// edition probe's), and the holders to declare at its start (see `temporary`).
    tail: Option<Span>,
    tail_holders: Vec<Stmt>,
    /// The next block normalised is an operand of a statement: the holders its tail gives
    /// its start go to `lifted` instead, for the statement (see `value`).
    lift_holders: bool,
    lifted: Vec<Stmt>,
    probes_edition: bool,
    /// The names of the temporaries kept so far (one holder each, see `temporary`).
    kept_names: Vec<Ident>,
}

fn take(e: &mut Expr) -> Expr {
    std::mem::replace(e, Expr::Verbatim(TokenStream::new()))
}

/// Whether evaluating `e` has no side effects and yields a place or a constant, so it may
/// stay after a yield that Rust evaluates later.
fn is_pure(e: &Expr) -> bool {
    if is_held(e) {
        return true;
    }
    // A compared operand read ahead of a yield (`First::Compared`): a place.
    if let Some(c) = deref_of_call(e) {
        if is_operand_pick(c) {
            return c.args.iter().all(is_pure);
        }
    }
    match e {
        Expr::Path(_) | Expr::Lit(_) => true,
        Expr::Field(f) => is_pure(&f.base),
        Expr::Paren(p) => is_pure(&p.expr),
        Expr::Reference(r) => is_pure(&r.expr),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && is_pure(&u.expr),
        Expr::Index(i) => is_pure(&i.expr) && is_pure(&i.index),
        _ => false,
    }
}

/// The place a place expression names, as its root and fields (`x.a.0` is `[x, a, 0]`);
/// an index or a deref adds nothing (`x.a[i].b` is `[x, a, b]`: that field of any element).
fn place_path(e: &Expr) -> Option<Vec<String>> {
    match e {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| vec![i.to_string()]),
        Expr::Field(f) => place_path(&f.base).map(|mut path| {
            path.push(f.member.to_token_stream().to_string());
            path
        }),
        Expr::Index(i) => place_path(&i.expr),
        Expr::Paren(p) => place_path(&p.expr),
        Expr::Group(g) => place_path(&g.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => place_path(&u.expr),
        _ => None,
    }
}

/// The places a pure operand (see `is_pure`) reads: its own and its indices'.
fn read_places(e: &Expr, out: &mut Vec<Vec<String>>) {
    if is_held(e) {
        return;
    }
    match e {
        Expr::Reference(r) => read_places(&r.expr, out),
        Expr::Paren(p) => read_places(&p.expr, out),
        Expr::Index(i) => {
            read_places(&i.expr, out);
            read_places(&i.index, out);
        }
        _ => out.extend(place_path(e)),
    }
}

/// Whether running `later` may change what the pure operand `e` reads: it assigns,
/// mutably borrows, moves or calls a method of an overlapping place (`x`, `x.f` or `x.f.g`
/// for `x.f`), other than by a shared borrow or a method that only reads (`len`, `clone`,
/// ..). Rust evaluates `e` first: `x + { x += 1; yield_await!(f()) }` adds the old `x`.
fn disturbed(e: &Expr, later: &[&mut Expr]) -> Disturbance {
    let mut places = Vec::new();
    read_places(e, &mut places);
    let mut d = Disturbs {
        places,
        found: Disturbance::None,
        borrowed: None,
    };
    if !d.places.is_empty() {
        for op in later {
            d.visit_expr(op);
        }
    }
    d.found
}

/// What later operands may do to a place (see `disturbed`), the worst seen.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Disturbance {
    None,
    /// A method called on it (or on a place that holds it): perhaps changed.
    Called,
    /// Assigned, or borrowed `&mut`: changed, still there after.
    Changed,
    /// It, or a place that holds it, used by value: perhaps moved.
    Moved,
}

struct Disturbs {
    places: Vec<Vec<String>>,
    found: Disturbance,
    /// Inside an assignment's place or a `&mut` (`Changed`), or a method's receiver
    /// (`Called`): what a use there does.
    borrowed: Option<Disturbance>,
}

impl Disturbs {
    /// A place used in a way that may change it: does it overlap one of `places`?
    fn place(&mut self, path: &[String]) {
        let overlaps = |p: &Vec<String>| p.iter().zip(path).all(|(a, b)| a == b);
        if self.places.iter().any(overlaps) {
            // Moved if used by value as a whole that holds the place (`a0` for `a0.0`).
            let holds = self
                .places
                .iter()
                .any(|p| path.len() <= p.len() && overlaps(p));
            let seen = match (self.borrowed, holds) {
                (Some(how), _) => how,
                (None, true) => Disturbance::Moved,
                (None, false) => Disturbance::Changed,
            };
            self.found = self.found.max(seen);
        }
    }

    fn borrowing(&mut self, how: Disturbance, e: &Expr) {
        let outer = self.borrowed.replace(how);
        self.visit_expr(e);
        self.borrowed = outer;
    }

    /// A place only read (shared borrow, reading method): just the indices inside it.
    fn read(&mut self, e: &Expr) {
        match e {
            Expr::Field(f) => self.read(&f.base),
            Expr::Paren(p) => self.read(&p.expr),
            Expr::Group(g) => self.read(&g.expr),
            Expr::Unary(u) => self.read(&u.expr),
            Expr::Index(i) => {
                self.read(&i.expr);
                self.visit_expr(&i.index);
            }
            _ => {}
        }
    }
}

impl Visit<'_> for Disturbs {
    fn visit_expr(&mut self, e: &Expr) {
        match e {
            Expr::Reference(r) if r.mutability.is_none() && place_path(&r.expr).is_some() => {
                self.read(&r.expr)
            }
            Expr::MethodCall(m)
                if owned_result(&m.method.to_string()) && place_path(&m.receiver).is_some() =>
            {
                self.read(&m.receiver);
                m.args.iter().for_each(|a| self.visit_expr(a));
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                if method.starts_with("into_") || CONSUMING_METHODS.contains(&method.as_str()) {
                    self.visit_expr(&m.receiver);
                } else {
                    self.borrowing(Disturbance::Called, &m.receiver);
                }
                m.args.iter().for_each(|a| self.visit_expr(a));
            }
            Expr::Reference(r) => self.borrowing(Disturbance::Changed, &r.expr),
            Expr::Assign(a) => {
                self.borrowing(Disturbance::Changed, &a.left);
                self.visit_expr(&a.right);
            }
            Expr::Binary(b) if is_assign_op(&b.op) => {
                self.borrowing(Disturbance::Changed, &b.left);
                self.visit_expr(&b.right);
            }
            _ => {
                if let Some(path) = place_path(e) {
                    self.place(&path);
                    self.read(e);
                } else {
                    syn::visit::visit_expr(self, e);
                }
            }
        }
    }

    fn visit_macro(&mut self, mac: &Macro) {
        if is_yield_await(mac) || is_yield_value(mac) {
            if let Ok(inner) = mac.parse_body::<Expr>() {
                self.visit_expr(&inner);
            }
            return;
        }
        let format = FORMAT_MACROS.contains(&macro_name(mac).as_str());
        // Another macro's arguments: a mention of the root may move or change it (a
        // format macro's only when a method may).
        if self
            .places
            .iter()
            .any(|p| tokens_use(&mac.tokens, &p[0], format) == Some(true))
        {
            self.found = Disturbance::Moved;
        }
    }
}

/// Whether `m` is `(&&Operand::of(&place)).select().read(&place)` (see `First::Compared`).
pub fn is_operand_probe(m: &syn::ExprMethodCall) -> bool {
    m.method == "read"
        && matches!(&*m.receiver, Expr::MethodCall(select) if select.method == "select"
            && matches!(&*select.receiver, Expr::Paren(p) if matches!(&*p.expr, Expr::Reference(r)
                if matches!(&*r.expr, Expr::Reference(r) if matches!(&*r.expr, Expr::Call(c)
                    if is_private_fn(&c.func, "Operand", "of"))))))
}

/// Whether `c` is `Ahead::pick(&held, &place)` (see `First::Compared`).
pub fn is_operand_pick(c: &syn::ExprCall) -> bool {
    is_private_fn(&c.func, "Ahead", "pick")
}

/// Whether `func` is the path `::resumable::__private::ITEM::NAME`, which the expansion
/// writes (a user fn may share its last segments, not its whole path).
fn is_private_fn(func: &Expr, item: &str, name: &str) -> bool {
    matches!(func, Expr::Path(f) if f.path.leading_colon.is_some()
        && f.path.segments.iter().map(|s| s.ident.to_string())
            .eq(["resumable", "__private", item, name]))
}

/// How Rust takes the first of an expression's operands (see `Normaliser::operands_with`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum First {
    /// By value (arithmetic, a call's argument): a place that a later operand may change
    /// is copied or moved ahead of the yield, as Rust evaluates it.
    Value,
    /// By reference, compared (`==`, `<`, ..): a primitive is read ahead (Rust copies it),
    /// anything else after the yield (Rust borrows it).
    Compared,
    /// A method's receiver: borrowed (two-phase for `&mut self`, so a later operand may
    /// read it, or call a method taking `&self`), or by value. Copied ahead only where a
    /// later operand assigns it or borrows it `&mut`, which Rust accepts for a `Copy`
    /// value taken by value only (`x.wrapping_add({ x += 1; .. })`).
    Receiver,
    /// An indexed value: a place, taken where the expression runs.
    Indexed,
}

/// Whether `e` holds a kept temporary's place `(*Edition::held(..))` (see `is_held`).
fn mentions_held(e: &Expr) -> bool {
    struct Held(bool);
    impl Visit<'_> for Held {
        fn visit_expr(&mut self, e: &Expr) {
            self.0 |= is_held(e);
            if !self.0 {
                syn::visit::visit_expr(self, e);
            }
        }
    }
    let mut held = Held(false);
    held.visit_expr(e);
    held.0
}

/// Whether `e` is `(*Edition::held(EDITION, &mut before, &mut since))`, the place of a kept
/// temporary of a block's tail (see `Normaliser::temporary`).
fn is_held(e: &Expr) -> bool {
    deref_of_call(e).is_some_and(|c| {
        is_private_fn(&c.func, "Edition", "held")
            && c.args
                .iter()
                .skip(1)
                .all(|a| matches!(a, Expr::Reference(r) if is_pure(&r.expr)))
    })
}

/// The call in `(*call(..))`, the form of the places the expansion writes (`is_held`,
/// `is_operand_pick`).
fn deref_of_call(e: &Expr) -> Option<&syn::ExprCall> {
    match e {
        Expr::Paren(p) => match &*p.expr {
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => match &*u.expr {
                Expr::Call(c) => Some(c),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Sets the initialiser of the `let` statement `stmt` to `value` (without re-parsing it,
/// which would turn a marker statement inside it into a `Stmt::Macro`).
fn set_init(stmt: Option<&mut Stmt>, value: Expr) {
    if let Some(Stmt::Local(syn::Local {
        init: Some(init), ..
    })) = stmt
    {
        *init.expr = value;
    }
}

fn block_expr(stmts: Vec<Stmt>) -> Expr {
    Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: Block {
            brace_token: Default::default(),
            stmts,
        },
    })
}

impl Normaliser {
    /// The block around a statement's evaluated operands and kept temporaries. Its
    /// braces decide when the statement's own temporaries drop: the macro crate's edition
    /// (2024) drops them before the kept ones, in reverse order of creation, as Rust drops
    /// a statement's temporaries; around a block's tail they are the block's own braces,
    /// so that the tail's temporaries drop in the block's edition's order.
    fn wrapper(&self, pre: Vec<Stmt>, tail: bool, semi: Option<syn::token::Semi>) -> Stmt {
        let mut e = block_expr(pre);
        if let (Expr::Block(b), true, None, Some(span)) = (&mut e, tail, semi, self.tail) {
            b.block.brace_token = syn::token::Brace(span);
        }
        Stmt::Expr(e, semi)
    }

    fn error(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    fn temp(&mut self) -> Ident {
        self.temps += 1;
        generated(&format!("t{}", self.temps - 1))
    }

    /// The awaited expression of a yield (`yield_await!(e)` or `e.await`), or the value
    /// of a `yield_!(v)`, if `e` is one.
    #[allow(clippy::type_complexity)]
    fn yield_future(
        &mut self,
        e: &mut Expr,
    ) -> Option<(Suspend, Expr, Span, String, Option<syn::Path>)> {
        match e {
            Expr::Macro(m) if is_yield_await(&m.mac) || is_yield_value(&m.mac) => {
                let suspend = if is_yield_await(&m.mac) {
                    Suspend::Await
                } else {
                    Suspend::Yield
                };
                let span = m.mac.span();
                let text = crate::syntax::compact(&m.to_token_stream());
                let path = Some(m.mac.path.clone());
                if suspend == Suspend::Yield && m.mac.tokens.is_empty() {
                    let unit = quote_spanned!(span=> ());
                    return Some((suspend, parse_quote!(#unit), span, text, path));
                }
                match m.mac.parse_body::<Expr>() {
                    Ok(fut) => Some((suspend, fut, span, text, path)),
                    Err(err) => {
                        self.error(err);
                        Some((suspend, parse_quote!(()), span, text, path))
                    }
                }
            }
            Expr::Macro(m) if m.mac.path.is_ident(crate::syntax::NEXT_MARKER) => {
                let k = m.mac.tokens.to_string().parse().unwrap_or_default();
                let span = m.mac.span();
                Some((
                    Suspend::Next(k),
                    parse_quote!(()),
                    span,
                    "for_await!".to_string(),
                    None,
                ))
            }
            Expr::Await(a) => Some((
                Suspend::Await,
                *a.base.clone(),
                a.span(),
                crate::syntax::compact(&a.to_token_stream()),
                None,
            )),
            _ => None,
        }
    }

    /// Turns a yield expression into its marker, hoisting yields inside the future first.
    fn yield_marker(&mut self, e: &mut Expr, out: &mut Vec<Stmt>) -> Option<Expr> {
        let (suspend, mut fut, span, text, path) = self.yield_future(e)?;
        self.value(&mut fut, out);
        // Temporaries the future borrows live until the statement ends, as in
        // `f(&make()).await`: in locals of their own, held across the yield. One the
        // future itself borrows gets one holder (the edition's order is not followed: two
        // holders borrowed across the yield would both need a fixed slot).
        let tail = self.tail.take();
        let mut kept = false;
        if tail.is_some() {
            let holders = self.tail_holders.len();
            let (mut attempt, mut pre) = (fut.clone(), Vec::new());
            self.tail = tail;
            self.keep_temporaries(&mut attempt, &mut pre);
            self.tail = None;
            if mentions_held(&attempt) {
                self.tail_holders.truncate(holders);
            } else {
                (fut, kept) = (attempt, true);
                out.append(&mut pre);
            }
        }
        if !kept {
            self.keep_temporaries(&mut fut, out);
        }
        self.tail = tail;
        if has_exit(&fut) {
            // The future is evaluated in the step closure, where `?` and `return` cannot
            // end the coroutine: evaluate it just before, in the body, where they are
            // rewritten like any other.
            fut = self.hoist(fut, out);
        }
        let index = self.yields.len();
        self.yields.push(YieldPoint {
            suspend,
            future: fut,
            span,
            text,
            path,
        });
        Some(marker(index, span))
    }

    fn hoist(&mut self, value: Expr, out: &mut Vec<Stmt>) -> Expr {
        let t = self.temp();
        // Built directly, not through `parse_quote!`: re-parsing would turn a marker
        // statement inside `value` (`__resumable_yield!(0);`) into a `Stmt::Macro`, which
        // no longer reads as a yield point.
        let mut stmt: Stmt = parse_quote!(let #t = (););
        if let Stmt::Local(syn::Local {
            init: Some(init), ..
        }) = &mut stmt
        {
            *init.expr = value;
        }
        out.push(stmt);
        parse_quote!(#t)
    }

    /// Rewrites `e` into a yield-free expression, pushing the statements that must run
    /// before it (temporaries and yield statements) to `out`.
    fn value(&mut self, e: &mut Expr, out: &mut Vec<Stmt>) {
        if !has_yield(e) {
            return;
        }
        if let Some(m) = self.yield_marker(e, out) {
            *e = self.hoist(m, out);
            return;
        }
        if is_control(e) {
            // A block among a statement's operands: before edition 2024 its tail's
            // temporaries live to the end of the statement, also one kept across a yield
            // of that tail (class 19): its older editions' holder goes with the statement.
            self.lift_holders = matches!(e, Expr::Block(_));
            self.control(e, out);
            self.lift_holders = false;
            let lifted = std::mem::take(&mut self.lifted);
            if let Expr::Block(b) = e {
                let jumps = crate::analyse::has_jumps(&b.block.stmts);
                self.statement_holders(lifted, jumps, out);
                self.extended_tail(&mut b.block, out);
            }
            let c = take(e);
            *e = self.hoist(c, out);
            return;
        }
        match e {
            Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                let (left, right) = (&b.left, &b.right);
                let mut c: Expr = if matches!(b.op, BinOp::And(_)) {
                    parse_quote!(if #left { #right } else { false })
                } else {
                    parse_quote!(if #left { true } else { #right })
                };
                // The blocks take the operator's span, so that their edition (which
                // decides when their tails' held temporaries drop) is the user's.
                let span = match b.op {
                    BinOp::And(t) => t.spans[0],
                    BinOp::Or(t) => t.spans[0],
                    _ => Span::call_site(),
                };
                if let Expr::If(i) = &mut c {
                    i.if_token.span = span;
                    i.then_branch.brace_token = syn::token::Brace(span);
                    if let Some((_, els)) = &mut i.else_branch {
                        if let Expr::Block(b) = &mut **els {
                            b.block.brace_token = syn::token::Brace(span);
                        }
                    }
                }
                self.control(&mut c, out);
                *e = self.hoist(c, out);
            }
            Expr::Binary(b) if is_assign_op(&b.op) => {
                self.no_yield_in_place(&b.left);
                self.value(&mut b.right, out);
            }
            Expr::Binary(b) => {
                let first = match b.op {
                    BinOp::Eq(_)
                    | BinOp::Ne(_)
                    | BinOp::Lt(_)
                    | BinOp::Le(_)
                    | BinOp::Gt(_)
                    | BinOp::Ge(_) => First::Compared,
                    _ => First::Value,
                };
                self.operands_with(first, vec![&mut b.left, &mut b.right], out)
            }
            Expr::Assign(a) => {
                self.no_yield_in_place(&a.left);
                self.value(&mut a.right, out);
            }
            Expr::Call(c) => {
                let mut ops: Vec<&mut Expr> = vec![&mut c.func];
                ops.extend(c.args.iter_mut());
                self.operands(ops, out);
            }
            Expr::MethodCall(c) => {
                let mut ops: Vec<&mut Expr> = vec![&mut c.receiver];
                ops.extend(c.args.iter_mut());
                self.operands_with(First::Receiver, ops, out);
            }
            Expr::Unary(u) => self.value(&mut u.expr, out),
            Expr::Reference(r) => self.value(&mut r.expr, out),
            Expr::Field(f) => self.value(&mut f.base, out),
            Expr::Index(i) => {
                self.operands_with(First::Indexed, vec![&mut i.expr, &mut i.index], out)
            }
            Expr::Tuple(t) => self.operands(t.elems.iter_mut().collect(), out),
            Expr::Array(a) => self.operands(a.elems.iter_mut().collect(), out),
            Expr::Struct(s) => {
                let mut ops: Vec<&mut Expr> = s.fields.iter_mut().map(|f| &mut f.expr).collect();
                if let Some(rest) = &mut s.rest {
                    ops.push(rest);
                }
                self.operands(ops, out);
            }
            Expr::Cast(c) => self.value(&mut c.expr, out),
            Expr::Paren(p) => self.value(&mut p.expr, out),
            Expr::Group(g) => self.value(&mut g.expr, out),
            Expr::Try(t) => self.value(&mut t.expr, out),
            Expr::Return(r) => {
                if let Some(v) = &mut r.expr {
                    self.value(v, out);
                }
            }
            Expr::Break(b) => {
                if let Some(v) = &mut b.expr {
                    self.value(v, out);
                }
            }
            Expr::Let(l) => self.value(&mut l.expr, out),
            Expr::Range(r) => {
                let mut ops: Vec<&mut Expr> = Vec::new();
                if let Some(s) = &mut r.start {
                    ops.push(s);
                }
                if let Some(s) = &mut r.end {
                    ops.push(s);
                }
                self.operands(ops, out);
            }
            Expr::Repeat(r) => self.value(&mut r.expr, out),
            other => self.error(syn::Error::new_spanned(
                &*other,
                "`yield_await!` (or `yield_!`) is not supported in this position; bind it with `let` first",
            )),
        }
    }

    fn no_yield_in_place(&mut self, place: &Expr) {
        if has_yield(place) {
            self.error(syn::Error::new_spanned(
                place,
                "`yield_await!` (or `yield_!`) in the place of an assignment is not supported; bind it with `let` first",
            ));
        }
    }

    /// Operands evaluated left to right: those before the last one that yields are
    /// hoisted into temporaries unless they are pure places.
    fn operands(&mut self, ops: Vec<&mut Expr>, out: &mut Vec<Stmt>) {
        self.operands_with(First::Value, ops, out)
    }

    /// `operands`, the first of which Rust takes as `first` says.
    fn operands_with(&mut self, first: First, ops: Vec<&mut Expr>, out: &mut Vec<Stmt>) {
        let Some(last) = ops.iter().rposition(|e| has_yield(e)) else {
            return;
        };
        // A place is read where the expression runs, after the yield, unless what runs
        // before then may change it.
        let disturbed: Vec<Disturbance> = (0..last)
            .map(|i| match (i, first, is_pure(ops[i])) {
                (_, _, false) | (0, First::Indexed, _) => Disturbance::None,
                (0, First::Receiver, _) => match disturbed(ops[i], &ops[i + 1..=last]) {
                    Disturbance::Called => Disturbance::None,
                    other => other,
                },
                _ => disturbed(ops[i], &ops[i + 1..=last]),
            })
            .collect();
        for (i, op) in ops.into_iter().enumerate() {
            if i > last {
                break;
            }
            self.value(op, out);
            if let (true, Expr::Reference(r)) = (i < last, &mut *op) {
                // `&value()` before a yield: keep the value in a temporary, not a
                // reference to it (which would be held across the yield).
                if !is_pure(&r.expr) {
                    self.temporary(&mut r.expr, true, out);
                }
                continue;
            }
            if i < last
                && i == 0
                && first == First::Compared
                && matches!(disturbed[i], Disturbance::Called | Disturbance::Changed)
            {
                // Compared by reference: a copy if the type is `Copy` (as Rust reads a
                // primitive), else the place itself after the yield (`Ahead`).
                let place = take(op);
                let probe = quote! {{
                    use ::resumable::__private::{OperandCopy as _, OperandLater as _};
                    (&&::resumable::__private::Operand::of(&#place)).select().read(&#place)
                }};
                let t = self.hoist(syn::parse2(probe).expect("an operand probe parses"), out);
                *op = parse_quote!((*::resumable::__private::Ahead::pick(&#t, &#place)));
                continue;
            }
            if i < last && (!is_pure(op) || disturbed[i] != Disturbance::None) {
                self.keep_temporaries(op, out);
                let v = take(op);
                *op = self.hoist(v, out);
            }
        }
    }

    /// Before `e` is hoisted into a `let` of its own (evaluated before a yield of the same
    /// statement), the temporaries it borrows (`&make()`, `make().field`, `*make()`)
    /// become locals of their own, with the operands around them
    /// in evaluation order: they then live to the end of the statement, across the
    /// yield, as Rust's temporaries do, not just to the end of that `let`.
    fn keep_temporaries(&mut self, e: &mut Expr, out: &mut Vec<Stmt>) {
        if is_pure(e) || !borrows_temporary(e) {
            return;
        }
        match e {
            Expr::Call(c) => {
                for a in c.args.iter_mut() {
                    self.in_order(a, out);
                }
            }
            Expr::MethodCall(m) => {
                self.in_order(&mut m.receiver, out);
                for a in m.args.iter_mut() {
                    self.in_order(a, out);
                }
            }
            Expr::Reference(r) => self.temporary(&mut r.expr, true, out),
            Expr::Field(f) => self.temporary(&mut f.base, false, out),
            Expr::Index(i) => {
                self.temporary(&mut i.expr, false, out);
                self.in_order(&mut i.index, out);
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                self.temporary(&mut u.expr, false, out)
            }
            Expr::Binary(b) if !matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                self.in_order(&mut b.left, out);
                self.in_order(&mut b.right, out);
            }
            Expr::Unary(u) => self.keep_temporaries(&mut u.expr, out),
            Expr::Paren(p) => self.keep_temporaries(&mut p.expr, out),
            Expr::Group(g) => self.keep_temporaries(&mut g.expr, out),
            Expr::Cast(c) => self.keep_temporaries(&mut c.expr, out),
            Expr::Try(t) => self.keep_temporaries(&mut t.expr, out),
            Expr::Match(m) => self.keep_temporaries(&mut m.expr, out),
            Expr::Struct(s) => s
                .fields
                .iter_mut()
                .for_each(|f| self.in_order(&mut f.expr, out)),
            Expr::Tuple(t) => t.elems.iter_mut().for_each(|e| self.in_order(e, out)),
            Expr::Array(a) => a.elems.iter_mut().for_each(|e| self.in_order(e, out)),
            Expr::Range(r) => {
                for e in [&mut r.start, &mut r.end].into_iter().flatten() {
                    self.in_order(e, out);
                }
            }
            Expr::Block(b) => self.extended_tail(&mut b.block, out),
            _ => {}
        }
    }

    /// A block among the operands of a statement with a yield, whose tail (without yields)
    /// borrows temporaries: they live to the end of the enclosing statement before edition
    /// 2024 (across its yield), to the block's end since. The tail's temporaries get the
    /// two holders of `temporary`, the one for the older editions declared in `out` (or,
    /// when the statement is itself a block's tail, at that block's start).
    fn extended_tail(&mut self, block: &mut Block, out: &mut Vec<Stmt>) {
        let braces = block.brace_token.span.join();
        // A tail with yields was made a block of its own, `{ let t = yield; tail }`, whose
        // tail (without yields) is the user's (seed 77 program 196, found once the
        // generator awaited futures that borrow locals).
        let depth = value_depth(block);
        let inner = value_block(block, depth);
        let Some(Stmt::Expr(tail, None)) = inner.stmts.last_mut() else {
            return;
        };
        if has_yield(tail) || !borrows_temporary(tail) {
            return;
        }
        let mut tail = take(tail);
        inner.stmts.pop();
        let outer = self.tail.replace(braces);
        let holders = self.tail_holders.len();
        self.keep_temporaries(&mut tail, &mut inner.stmts);
        self.tail = outer;
        if outer.is_none() {
            let holders = self.tail_holders.split_off(holders);
            let jumps = crate::analyse::has_jumps(&block.stmts);
            self.statement_holders(holders, jumps, out);
        }
        // (In a block's tail, the statement's temporaries outlive that block's locals
        // too: the holders join its own, declared at its start.)
        value_block(block, depth).stmts.push(Stmt::Expr(tail, None));
    }

    /// Declares `holders` (of temporaries of the tail of a block among the operands of
    /// the statement being normalised) with the statement: in `out`, or, when the
    /// statement is itself a block's tail, at that block's start. `jumps`: a `break` or
    /// `continue` may leave the block before they are set.
    fn statement_holders(&mut self, holders: Vec<Stmt>, jumps: bool, out: &mut Vec<Stmt>) {
        if self.tail.is_some() {
            self.tail_holders.extend(holders);
            return;
        }
        // A `let`-`else` drops its statement's kept temporaries by name (see `local`):
        // these holders too, unless a `break` or `continue` may leave the block before
        // they are set (one might land inside the `let`'s value and reach the drop with
        // the holder unset). A `return` or `?` never reaches it (seed 5 program 5885,
        // where a `?` in the block kept the holder to the end of the body).
        for holder in holders {
            if let (false, Stmt::Local(l)) = (jumps, &holder) {
                if let Pat::Ident(p) = &l.pat {
                    self.kept_names.push(p.ident.clone());
                }
            }
            out.push(holder);
        }
    }

    /// An operand of an expression whose temporaries are kept: evaluated now, in order.
    fn in_order(&mut self, e: &mut Expr, out: &mut Vec<Stmt>) {
        self.keep_temporaries(e, out);
        if !is_pure(e) {
            let v = take(e);
            *e = self.hoist(v, out);
        }
    }

    /// A value that Rust would keep in a temporary (it is borrowed): a `let mut` of its
    /// own (the borrow may be `&mut`), which drops where the statement ends.
    ///
    /// In a block's tail, a temporary borrowed by `&`/`&mut` drops after the block's
    /// locals before edition 2024, before them since: two holders, one declared at the
    /// block's start and one here, and the block's edition (probed at type level with the
    /// block's own braces, `resumable::__private::edition`) puts the value in one and `()`
    /// in the other.
    fn temporary(&mut self, e: &mut Expr, by_ref: bool, out: &mut Vec<Stmt>) {
        if is_pure(e) {
            return;
        }
        self.keep_temporaries(e, out);
        self.kept += 1;
        let t = self.temp();
        let v = take(e);
        if let (Some(span), true) = (self.tail, by_ref) {
            let before = format_ident!("{}_before", t);
            let split = format_ident!("{}_split", t);
            let edition = quote_spanned! {span=>
                ::resumable::__private::edition(|| ::resumable::__private::probe(
                    ::std::boxed::Box::<[::resumable::__private::EditionProbe]>::default().into_iter()
                ))
            };
            self.probes_edition = true;
            self.tail_holders
                .push(parse_quote!(#[allow(unused_mut)] let mut #before;));
            let mut stmt: Stmt = parse_quote!(
                let (#split, mut #t) = ::resumable::__private::Edition::split(#edition, ());
            );
            if let Stmt::Local(syn::Local {
                init: Some(init), ..
            }) = &mut stmt
            {
                if let Expr::Call(c) = &mut *init.expr {
                    c.args[1] = v;
                }
            }
            out.push(stmt);
            out.push(parse_quote!(#before = #split;));
            *e = parse_quote!((*::resumable::__private::Edition::held(#edition, &mut #before, &mut #t)));
            return;
        }
        self.kept_names.push(t.clone());
        let mut stmt: Stmt = parse_quote!(#[allow(unused_mut)] let mut #t = (););
        if let Stmt::Local(syn::Local {
            init: Some(init), ..
        }) = &mut stmt
        {
            *init.expr = v;
        }
        out.push(stmt);
        *e = parse_quote!(#t);
    }

    /// Normalises the inside of a control expression that contains yield points;
    /// conditions and scrutinees are hoisted to `out`.
    fn control(&mut self, e: &mut Expr, out: &mut Vec<Stmt>) {
        match e {
            Expr::If(i) => {
                // The condition's temporaries drop before a branch runs, as in `if`: in a
                // block of its own (an `if let` scrutinee's live on: it stays).
                if !matches!(*i.cond, Expr::Let(_))
                    && has_yield(&i.cond)
                    && makes_temporaries(&i.cond)
                {
                    // The block takes the `if`'s span, so its edition is the user's (the
                    // edition probes of its tail's kept temporaries read it).
                    let cond = take(&mut i.cond);
                    let mut block = block_expr(vec![Stmt::Expr(cond, None)]);
                    if let Expr::Block(b) = &mut block {
                        b.block.brace_token = syn::token::Brace(i.if_token.span);
                    }
                    *i.cond = block;
                    // Evaluated before the `if`, its temporaries dropped at the block's
                    // end: unlike a block of the user's, none lives on to the end of the
                    // statement (`extended_tail`; seed 11 program 258).
                    self.control(&mut i.cond, out);
                    let cond = take(&mut i.cond);
                    *i.cond = self.hoist(cond, out);
                } else {
                    self.value(&mut i.cond, out);
                }
                self.block(&mut i.then_branch);
                if let Some((_, els)) = &mut i.else_branch {
                    if !matches!(**els, Expr::Block(ref b) if b.label.is_none()) {
                        let inner = take(els);
                        **els = block_expr(vec![Stmt::Expr(inner, None)]);
                    }
                    if let Expr::Block(b) = &mut **els {
                        self.block(&mut b.block);
                    }
                }
            }
            Expr::Match(m) => {
                self.value(&mut m.expr, out);
                // The scrutinee's temporaries live until the `match` ends, across its arms'
                // yields: in locals of their own (the caller scopes them).
                self.keep_temporaries(&mut m.expr, out);
                for arm in &mut m.arms {
                    if let Some((_, guard)) = &arm.guard {
                        if has_yield(guard) {
                            self.error(syn::Error::new_spanned(
                                guard,
                                "`yield_await!` (or `yield_!`) in a match guard is not supported; bind it with `let` before the `match`",
                            ));
                        }
                    }
                    if has_yield(&arm.body) {
                        if !matches!(*arm.body, Expr::Block(ref b) if b.label.is_none()) {
                            let inner = take(&mut arm.body);
                            *arm.body = block_expr(vec![Stmt::Expr(inner, None)]);
                            arm.comma.get_or_insert_with(Default::default);
                        }
                        if let Expr::Block(b) = &mut *arm.body {
                            self.block(&mut b.block);
                        }
                    }
                }
            }
            Expr::Loop(l) => self.block(&mut l.body),
            Expr::Block(b) => self.block(&mut b.block),
            Expr::Unsafe(u) => self.block(&mut u.block),
            Expr::While(w) => {
                let label = &w.label;
                // (The `if` below puts a condition with yields in a block of its own.)
                // The skeleton is parsed, the condition and the body are put in as they
                // are (printing and parsing a loop body again is costly).
                let mut l: Expr = parse_quote!(#label loop { if true {} else { break } });
                // (The `if` takes the `while`'s span: see `Expr::If` above.)
                if let Expr::Loop(l) = &mut l {
                    if let Some(Stmt::Expr(Expr::If(i), _)) = l.body.stmts.first_mut() {
                        i.if_token.span = w.while_token.span;
                        i.cond = w.cond.clone();
                        i.then_branch = w.body.clone();
                    }
                }
                self.control(&mut l, out);
                *e = l;
            }
            Expr::ForLoop(f) => {
                self.loops += 1;
                let iter = generated(&format!("iter{}", self.loops - 1));
                // The temporaries of the iterated expression live until the loop ends.
                let mut expr = (*f.expr).clone();
                let mut kept = Vec::new();
                // Yields in it run before the loop, their temporaries kept in the
                // statement's scope (which ends with the loop).
                self.value(&mut expr, out);
                self.keep_temporaries(&mut expr, &mut kept);
                let label = &f.label;
                // The skeleton is parsed, the user's pattern, expression and body are put
                // in as they are (printing and parsing a loop body again is costly).
                let mut b: Expr = parse_quote!({
                    #(#kept)*
                    let mut #iter = ::core::iter::IntoIterator::into_iter(());
                    #label loop {
                        match ::core::iter::Iterator::next(&mut #iter) {
                            ::core::option::Option::Some(_) => {},
                            ::core::option::Option::None => break,
                        }
                    }
                });
                if let Expr::Block(outer) = &mut b {
                    let n = outer.block.stmts.len();
                    if let [Stmt::Local(l), Stmt::Expr(Expr::Loop(lp), _)] =
                        &mut outer.block.stmts[n - 2..]
                    {
                        if let Some(Expr::Call(c)) = l.init.as_mut().map(|i| &mut *i.expr) {
                            c.args[0] = expr;
                        }
                        if let Some(Stmt::Expr(Expr::Match(m), _)) = lp.body.stmts.first_mut() {
                            if let Pat::TupleStruct(ts) = &mut m.arms[0].pat {
                                ts.elems[0] = (*f.pat).clone();
                            }
                            *m.arms[0].body = Expr::Block(syn::ExprBlock {
                                attrs: Vec::new(),
                                label: None,
                                block: f.body.clone(),
                            });
                        }
                    }
                }
                self.control(&mut b, out);
                *e = b;
            }
            _ => {}
        }
    }

    /// Normalises the statements of a block.
    fn block(&mut self, b: &mut Block) {
        let lift = std::mem::take(&mut self.lift_holders);
        let outer = (self.tail.take(), std::mem::take(&mut self.tail_holders));
        let stmts = std::mem::take(&mut b.stmts);
        let count = stmts.len();
        let mut out = Vec::with_capacity(count);
        for (i, stmt) in stmts.into_iter().enumerate() {
            let tail = i + 1 == count;
            // (A `for` loop's head is a scope of its own, which ends with the loop, also in
            // a block's tail: rustc wraps the loop in `DropTemps`. Class 21.)
            let value =
                tail && matches!(&stmt, Stmt::Expr(e, None) if !matches!(e, Expr::ForLoop(_)));
            self.tail = value.then(|| b.brace_token.span.join());
            self.stmt(stmt, tail, &mut out);
        }
        let mut holders = std::mem::take(&mut self.tail_holders);
        if lift {
            self.lifted = holders;
            holders = Vec::new();
        }
        holders.append(&mut out);
        b.stmts = holders;
        (self.tail, self.tail_holders) = outer;
    }

    fn stmt(&mut self, stmt: Stmt, tail: bool, out: &mut Vec<Stmt>) {
        let stmt = match stmt {
            Stmt::Macro(m) if is_yield_await(&m.mac) || is_yield_value(&m.mac) => Stmt::Expr(
                Expr::Macro(syn::ExprMacro {
                    attrs: m.attrs,
                    mac: m.mac,
                }),
                m.semi_token.or_else(|| (!tail).then(Default::default)),
            ),
            other => other,
        };
        match stmt {
            Stmt::Local(local) if else_has_yield(&local) => {
                for mut local in split_let_else(local) {
                    self.local(&mut local, out);
                    out.push(Stmt::Local(local));
                }
            }
            Stmt::Local(mut local) => {
                self.local(&mut local, out);
                out.push(Stmt::Local(local));
            }
            Stmt::Expr(mut e, semi) => {
                let kept = self.kept;
                let mut pre = Vec::new();
                if !has_yield(&e) {
                    out.push(Stmt::Expr(e, semi));
                } else if let Some(m) = self.yield_marker(&mut e, &mut pre) {
                    // Temporaries the future borrows drop where the statement ends: in a
                    // block of their own if there are any.
                    let scoped = self.kept != kept;
                    if semi.is_none() && tail {
                        let t = self.hoist(m, &mut pre);
                        pre.push(Stmt::Expr(t, None));
                    } else {
                        pre.push(Stmt::Expr(m, Some(Default::default())));
                    }
                    if scoped {
                        let semi = (!tail || semi.is_some()).then(Default::default);
                        out.push(self.wrapper(pre, tail, semi));
                    } else {
                        out.append(&mut pre);
                    }
                } else if is_control(&e) {
                    let kept = self.kept;
                    let mut pre = Vec::new();
                    self.control(&mut e, &mut pre);
                    if self.kept == kept {
                        out.append(&mut pre);
                        out.push(Stmt::Expr(e, semi));
                    } else {
                        // Kept temporaries drop where the statement ends.
                        pre.push(Stmt::Expr(e, None));
                        out.push(self.wrapper(pre, tail, semi));
                    }
                } else {
                    let mut pre = Vec::new();
                    let holders = self.tail_holders.len();
                    self.value(&mut e, &mut pre);
                    if self.tail_holders.len() != holders {
                        // A tail with temporaries held across its yields: those it makes
                        // after them get holders too, so that all drop in reverse order
                        // of creation, after the block's locals before edition 2024.
                        self.keep_temporaries(&mut e, &mut pre);
                    }
                    pre.push(Stmt::Expr(e, None));
                    out.push(self.wrapper(pre, tail, semi));
                }
            }
            other => out.push(other),
        }
    }

    fn local(&mut self, local: &mut Local, out: &mut Vec<Stmt>) {
        let Some(LocalInit { expr, diverge, .. }) = &mut local.init else {
            return;
        };
        if !has_yield(expr) {
            return;
        }
        if diverge.is_some() {
            // Its kept temporaries drop before the pattern is matched (and before the
            // `else` runs), as in `let`-`else`: dropped by name, newest first, once the
            // value is computed (a block cannot hold them: the bindings must outlive it).
            let (kept, start) = (self.kept_names.len(), out.len());
            self.value(expr, out);
            // Those of this statement (not those of blocks inside it, which drop there).
            let mut kept = self.kept_names.split_off(kept);
            kept.retain(|t| {
                out[start..].iter().any(|stmt| {
                    matches!(stmt, Stmt::Local(l) if matches!(&l.pat, Pat::Ident(p) if p.ident == *t))
                })
            });
            if !kept.is_empty() {
                let v = take(expr);
                **expr = self.hoist(v, out);
                for t in kept.iter().rev() {
                    out.push(parse_quote!(::core::mem::drop(#t);));
                }
            }
            return;
        }
        let kept = self.kept;
        let mut pre = Vec::new();
        if let Some(m) = self.yield_marker(expr, &mut pre) {
            if self.kept == kept {
                out.extend(pre);
                **expr = m;
            } else {
                // Temporaries the future borrows: they drop where the `let` ends.
                let v = generated("awaited");
                pre.push(parse_quote!(let #v = ();));
                set_init(pre.last_mut(), m);
                pre.push(Stmt::Expr(parse_quote!(#v), None));
                **expr = block_expr(pre);
            }
        } else if is_control(expr) {
            let kept = self.kept;
            let mut pre = Vec::new();
            self.control(expr, &mut pre);
            if self.kept == kept {
                out.append(&mut pre);
            } else {
                // Kept temporaries drop where the `let` ends.
                let ctrl = take(expr);
                pre.push(Stmt::Expr(ctrl, None));
                **expr = block_expr(pre);
            }
        } else {
            let mut pre = Vec::new();
            self.value(expr, &mut pre);
            if matches!(**expr, Expr::Reference(_)) {
                // `let x = &yield_await!(..);` extends the temporary's lifetime to the
                // block: the hoisted temporaries must live there too.
                out.extend(pre);
                return;
            }
            let v = take(expr);
            pre.push(Stmt::Expr(v, None));
            **expr = block_expr(pre);
        }
    }
}

/// Whether a `let`-`else` has a yield point in its `else`.
fn else_has_yield(local: &Local) -> bool {
    matches!(&local.init, Some(LocalInit { diverge: Some((_, div)), .. }) if has_yield(div))
}

/// `let PAT = EXPR else { DIV };` whose `DIV` holds a yield point, as two statements the
/// rest of the pipeline knows: a match whose scrutinee (and its temporaries) drops before
/// `DIV` runs, as in `let`-`else`, and a match that runs `DIV` or binds the values.
///
/// ```text
/// let __resumable_else = match EXPR { PAT => Some((a, b)), _ => None };
/// let (a, mut b) = match identity(__resumable_else) { Some(v) => v, None => DIV };
/// ```
///
/// `PAT` binds by value without `mut` in the first (the second binds as the user wrote);
/// the second moves the `Option` (a call argument), so no rule takes it for a borrow.
fn split_let_else(local: Local) -> [Local; 2] {
    let Local {
        attrs, pat, init, ..
    } = local;
    let LocalInit { expr, diverge, .. } = init.expect("a `let`-`else` has an initialiser");
    let (_, div) = diverge.expect("a `let`-`else` has an `else`");
    let (mut pat, expr): (Pat, Expr) = match pat {
        Pat::Type(t) => {
            let ty = &t.ty;
            let typed = generated("typed");
            (*t.pat, parse_quote!({ let #typed: #ty = #expr; #typed }))
        }
        pat => (pat, *expr),
    };
    struct Bindings(Vec<(Ident, bool)>);
    impl VisitMut for Bindings {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            if crate::syntax::is_binding(p) && !self.0.iter().any(|(n, _)| *n == p.ident) {
                let by_value_mut = p.by_ref.is_none() && p.mutability.is_some();
                self.0.push((p.ident.clone(), by_value_mut));
            }
            if p.by_ref.is_none() {
                p.mutability = None;
            }
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
        fn visit_expr_mut(&mut self, _: &mut Expr) {}
    }
    let mut bindings = Bindings(Vec::new());
    bindings.visit_pat_mut(&mut pat);
    let names = bindings.0.iter().map(|(n, _)| n);
    let outer = bindings.0.iter().map(|(n, m)| {
        let m = m.then(|| quote!(mut));
        quote!(#m #n)
    });
    let (values, outer): (TokenStream, TokenStream) = match bindings.0.len() {
        1 => (quote!(#(#names)*), quote!(#(#outer)*)),
        _ => (quote!((#(#names),*)), quote!((#(#outer),*))),
    };
    let held = generated("else");
    let value = generated("else_value");
    let first: Stmt = parse_quote! {
        let #held = match #expr {
            #pat => ::core::option::Option::Some(#values),
            _ => ::core::option::Option::None,
        };
    };
    let second: Stmt = parse_quote! {
        #(#attrs)*
        let #outer = match ::core::convert::identity(#held) {
            ::core::option::Option::Some(#value) => #value,
            ::core::option::Option::None => #div,
        };
    };
    let local = |s: Stmt| match s {
        Stmt::Local(l) => l,
        _ => unreachable!("a `let` statement"),
    };
    [local(first), local(second)]
}

/// How deep the block whose tail is `block`'s value lies: 0 for `block` itself, or one
/// more than its tail's when that tail is an unlabelled block with yields (as the
/// normaliser writes a tail with yields: `{ let t = yield; tail }`).
fn value_depth(block: &Block) -> usize {
    match block.stmts.last() {
        Some(Stmt::Expr(Expr::Block(b), None))
            if b.label.is_none() && b.attrs.is_empty() && block_has_yield(&b.block) =>
        {
            1 + value_depth(&b.block)
        }
        _ => 0,
    }
}

/// The block `depth` tails down from `block` (see `value_depth`).
fn value_block(block: &mut Block, depth: usize) -> &mut Block {
    if depth == 0 {
        return block;
    }
    match block.stmts.last_mut() {
        Some(Stmt::Expr(Expr::Block(b), None)) => value_block(&mut b.block, depth - 1),
        _ => unreachable!("a tail block, as `value_depth` found"),
    }
}

/// Whether the value of `body` (its tail expression, or the tails of the branches it
/// ends with) borrows a temporary, or calls a method on one (which may borrow it): such
/// temporaries outlive the block's own locals (before edition 2024).
pub fn tail_borrows_temporary(body: &Block) -> bool {
    fn tail(e: &Expr) -> bool {
        // A block among the operands (`Ok('b: { keep(&make(), 1) })`) extends its tail's
        // temporaries to the statement too.
        struct Blocks(bool);
        impl Visit<'_> for Blocks {
            fn visit_expr(&mut self, e: &Expr) {
                match e {
                    Expr::Block(b) => self.0 |= tail_borrows_temporary(&b.block),
                    Expr::Closure(_) | Expr::Async(_) => {}
                    _ => syn::visit::visit_expr(self, e),
                }
            }
            fn visit_item(&mut self, _: &syn::Item) {}
        }
        let mut blocks = Blocks(false);
        if !matches!(e, Expr::Block(_)) {
            syn::visit::visit_expr(&mut blocks, e);
        }
        blocks.0
            || match e {
                Expr::Block(b) => tail_borrows_temporary(&b.block),
                Expr::If(i) => {
                    tail_borrows_temporary(&i.then_branch)
                        || i.else_branch.as_ref().is_some_and(|(_, e)| tail(e))
                }
                Expr::Match(m) => m.arms.iter().any(|a| tail(&a.body)),
                Expr::MethodCall(m) => !is_pure(&m.receiver) || borrows_temporary(e),
                e => borrows_temporary(e),
            }
    }
    matches!(body.stmts.last(), Some(Stmt::Expr(e, None)) if tail(e))
}

/// Whether evaluating `e` borrows a temporary (outside blocks, closures and control
/// expressions, whose temporaries are their own): `&make()`, `make().field`, `*make()`.
fn borrows_temporary(e: &Expr) -> bool {
    let value = |e: &Expr| !is_pure(e) && !matches!(e, Expr::Lit(_));
    match e {
        Expr::Reference(r) => value(&r.expr) || borrows_temporary(&r.expr),
        Expr::Field(f) => value(&f.base) || borrows_temporary(&f.base),
        // (A method may take its receiver by value, as often as by reference: not judged.)
        Expr::MethodCall(m) => {
            borrows_temporary(&m.receiver) || m.args.iter().any(borrows_temporary)
        }
        Expr::Index(i) => {
            value(&i.expr) || borrows_temporary(&i.expr) || borrows_temporary(&i.index)
        }
        Expr::Unary(u) => {
            (matches!(u.op, syn::UnOp::Deref(_)) && value(&u.expr)) || borrows_temporary(&u.expr)
        }
        Expr::Call(c) => c.args.iter().any(borrows_temporary),
        Expr::Binary(b) if !matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
            borrows_temporary(&b.left) || borrows_temporary(&b.right)
        }
        Expr::Paren(p) => borrows_temporary(&p.expr),
        Expr::Group(g) => borrows_temporary(&g.expr),
        Expr::Cast(c) => borrows_temporary(&c.expr),
        Expr::Try(t) => borrows_temporary(&t.expr),
        // A scrutinee's temporaries live until the statement ends, not just the `match`.
        Expr::Match(m) => borrows_temporary(&m.expr),
        Expr::Struct(s) => s.fields.iter().any(|f| borrows_temporary(&f.expr)),
        Expr::Tuple(t) => t.elems.iter().any(borrows_temporary),
        Expr::Array(a) => a.elems.iter().any(borrows_temporary),
        Expr::Range(r) => [&r.start, &r.end]
            .into_iter()
            .flatten()
            .any(|e| borrows_temporary(e)),
        // Before edition 2024, a block's tail's temporaries live as long as the block's
        // own (see `extended_tail`).
        Expr::Block(b) => matches!(b.block.stmts.last(),
            Some(Stmt::Expr(tail, None)) if !has_yield(tail) && borrows_temporary(tail)),
        _ => false,
    }
}

/// Whether an expression may create temporaries with something to drop, besides what its
/// yield points await (which the machine moves into its state): a call, a method call, a
/// reference to a value, a macro, a struct, tuple or array. Comparisons and arithmetic of
/// places, literals and awaited values do not (those are the common loop conditions, and
/// a block of their own would cost a join state for nothing).
fn makes_temporaries(e: &Expr) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            match e {
                // What a yield awaits is moved into the state whole, unless it holds yields
                // of its own (then its operands become temporaries of this statement) or
                // borrows temporaries (kept until the statement ends: `keep_temporaries`).
                Expr::Macro(m) if is_yield_await(&m.mac) || is_yield_value(&m.mac) => {
                    if let Ok(inner) = m.mac.parse_body::<Expr>() {
                        if borrows_temporary(&inner) {
                            self.0 = true;
                        } else if has_yield(&inner) {
                            self.visit_expr(&inner);
                        }
                    }
                }
                Expr::Await(a) => {
                    if borrows_temporary(&a.base) {
                        self.0 = true;
                    } else if has_yield(&a.base) {
                        self.visit_expr(&a.base);
                    }
                }
                Expr::Call(_)
                | Expr::MethodCall(_)
                | Expr::Macro(_)
                | Expr::Struct(_)
                | Expr::Tuple(_)
                | Expr::Array(_)
                | Expr::Repeat(_) => self.0 = true,
                Expr::Reference(r) if !matches!(&*r.expr, Expr::Path(_) | Expr::Field(_)) => {
                    self.0 = true
                }
                _ => syn::visit::visit_expr(self, e),
            }
        }
        fn visit_item(&mut self, _: &syn::Item) {}
    }
    let mut f = Finder(false);
    f.visit_expr(e);
    f.0
}

/// Whether `e` holds a `return`, a `?`, or a `break`/`continue` to a loop or block
/// around it (outside closures, `async` blocks and items): code that leaves `e`.
fn has_exit(e: &Expr) -> bool {
    /// Whether an exit was seen; the labels and the loops around the place visited.
    struct Exits(bool, Vec<String>, usize);
    impl Exits {
        fn jump(&mut self, label: Option<&syn::Lifetime>) {
            self.0 |= match label {
                Some(l) => !self.1.contains(&l.ident.to_string()),
                None => self.2 == 0,
            };
        }
        fn inside(
            &mut self,
            label: Option<&syn::Label>,
            is_loop: bool,
            visit: impl FnOnce(&mut Self),
        ) {
            let labels = self.1.len();
            self.1.extend(label.map(|l| l.name.ident.to_string()));
            self.2 += usize::from(is_loop);
            visit(self);
            self.2 -= usize::from(is_loop);
            self.1.truncate(labels);
        }
    }
    impl Visit<'_> for Exits {
        fn visit_expr_return(&mut self, _: &syn::ExprReturn) {
            self.0 = true;
        }
        fn visit_expr_try(&mut self, _: &syn::ExprTry) {
            self.0 = true;
        }
        // A `break` or `continue` out of the expression (to a loop or block around it).
        fn visit_expr_break(&mut self, b: &syn::ExprBreak) {
            self.jump(b.label.as_ref());
            syn::visit::visit_expr_break(self, b);
        }
        fn visit_expr_continue(&mut self, c: &syn::ExprContinue) {
            self.jump(c.label.as_ref());
        }
        fn visit_expr_loop(&mut self, l: &syn::ExprLoop) {
            self.inside(l.label.as_ref(), true, |v| {
                syn::visit::visit_expr_loop(v, l)
            });
        }
        fn visit_expr_while(&mut self, w: &syn::ExprWhile) {
            self.inside(w.label.as_ref(), true, |v| {
                syn::visit::visit_expr_while(v, w)
            });
        }
        fn visit_expr_for_loop(&mut self, f: &syn::ExprForLoop) {
            self.inside(f.label.as_ref(), true, |v| {
                syn::visit::visit_expr_for_loop(v, f)
            });
        }
        fn visit_expr_block(&mut self, b: &syn::ExprBlock) {
            self.inside(b.label.as_ref(), false, |v| {
                syn::visit::visit_expr_block(v, b)
            });
        }
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        fn visit_expr_const(&mut self, _: &syn::ExprConst) {}
        fn visit_item(&mut self, _: &syn::Item) {}
    }
    let mut exits = Exits(false, Vec::new(), 0);
    exits.visit_expr(e);
    exits.0
}

/// Rewrites `return e` and `e?` (outside closures, `async` blocks and items) into the
/// coroutine's return sequence: the value, annotated with the declared return type when
/// it can be named, then `Done` and `Poll::Ready`.
pub fn rewrite_exits(body: &mut Block, ret: Option<&Type>, flavor: &Flavor) {
    ExitRewriter { ret, flavor }.visit_block_mut(body);
}

/// The statements that end the coroutine with `value`.
pub fn return_sequence(
    value: TokenStream,
    ret: Option<&Type>,
    span: Span,
    flavor: &Flavor,
) -> TokenStream {
    let span = crate::syntax::at(span);
    let var = generated("ret");
    let annotation = ret.map(|t| quote!(: #t));
    let complete = flavor.complete(quote!(#var));
    quote_spanned! {span=>
        {
            let #var #annotation = #value;
            *__resumable_state = __resumable_State::Done;
            #complete;
        }
    }
}

struct ExitRewriter<'a> {
    ret: Option<&'a Type>,
    flavor: &'a Flavor,
}

impl VisitMut for ExitRewriter<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        match e {
            Expr::Return(r) => {
                // The sequence is parsed with `()` for the value, then the value (already
                // rewritten, maybe large) is put in as it is, not printed and parsed again.
                let value = r.expr.take();
                let seq = return_sequence(quote!(()), self.ret, r.return_token.span, self.flavor);
                let mut seq: Expr = parse_quote!(#seq);
                if let (Some(value), Expr::Block(b)) = (value, &mut seq) {
                    if let Some(Stmt::Local(l)) = b.block.stmts.first_mut() {
                        if let Some(init) = &mut l.init {
                            *init.expr = *value;
                        }
                    }
                }
                *e = seq;
            }
            Expr::Try(t) => {
                let span = crate::syntax::at(t.question_token.span);
                // (Put in after parsing, as for `return` above.)
                let inner = take(&mut t.expr);
                let residual = generated("residual");
                let seq = return_sequence(
                    quote_spanned!(span=> ::resumable::__private::FromResidual::from_residual(#residual)),
                    self.ret,
                    span,
                    self.flavor,
                );
                let v = generated("value");
                let mut m: Expr = parse_quote_spanned! {span=>
                    match ::resumable::__private::Try::branch(()) {
                        ::core::ops::ControlFlow::Continue(#v) => #v,
                        ::core::ops::ControlFlow::Break(#residual) => #seq,
                    }
                };
                if let Expr::Match(m) = &mut m {
                    if let Expr::Call(c) = &mut *m.expr {
                        c.args[0] = inner;
                    }
                }
                *e = m;
            }
            _ => {}
        }
    }
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_expr_const_mut(&mut self, _: &mut syn::ExprConst) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

use syn::parse_quote_spanned;

/// Renames `self` to `__resumable_self` in expressions and macro tokens (not in nested
/// items, which have their own `self`, nor in paths such as `self::item`).
pub fn rename_self(body: &mut Block) {
    SelfRenamer.visit_block_mut(body);
}

struct SelfRenamer;

fn rename_self_tokens(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Ident(i) if i == "self" => {
                let is_path =
                    matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                if is_path {
                    out.push(TokenTree::Ident(i));
                } else {
                    out.push(TokenTree::Ident(Ident::new("__resumable_self", i.span())));
                }
            }
            TokenTree::Group(g) => {
                let mut new =
                    proc_macro2::Group::new(g.delimiter(), rename_self_tokens(g.stream()));
                new.set_span(g.span());
                out.push(TokenTree::Group(new));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

impl VisitMut for SelfRenamer {
    fn visit_expr_path_mut(&mut self, p: &mut syn::ExprPath) {
        if p.qself.is_none() && p.path.is_ident("self") {
            let span = p.path.segments[0].ident.span();
            p.path.segments[0].ident = Ident::new("__resumable_self", span);
        }
    }
    fn visit_macro_mut(&mut self, m: &mut Macro) {
        m.tokens = rename_self_tokens(std::mem::take(&mut m.tokens));
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Whether a pattern is a single identifier binding (`x` or `mut x`).
pub fn simple_binding(pat: &Pat) -> Option<(&Ident, bool)> {
    match pat {
        Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
            Some((&p.ident, p.mutability.is_some()))
        }
        _ => None,
    }
}

/// The expression of the marker a statement holds, for tests.
#[cfg(test)]
fn stmt_marker(s: &Stmt) -> Option<usize> {
    use crate::syntax::marker_index;
    crate::syntax::yield_stmt(s).or_else(|| match s {
        Stmt::Expr(e, _) => marker_index(e),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(body: Block) -> Normalised {
        check(&body, None, None).unwrap();
        normalise(body).unwrap()
    }

    fn text(b: &Block) -> String {
        b.stmts
            .iter()
            .map(|s| s.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_let_of_a_yield_stays_a_statement() {
        let n = norm(parse_quote!({
            let a = yield_await!(f());
            a
        }));
        assert_eq!(n.yields.len(), 1);
        assert_eq!(stmt_marker(&n.body.stmts[0]), Some(0));
    }

    #[test]
    fn operands_before_a_yield_are_hoisted_in_order() {
        let n = norm(parse_quote!({
            g(a(), yield_await!(x), b());
        }));
        let t = text(&n.body);
        let a = t.find("let __resumable_t0 = a ()").unwrap();
        let y = t.find("__resumable_yield ! (0)").unwrap();
        assert!(a < y, "{t}");
        assert!(
            t.contains("g (__resumable_t0 , __resumable_t1 , b ())"),
            "{t}"
        );
    }

    #[test]
    fn pure_places_are_not_hoisted() {
        let n = norm(parse_quote!({
            v.push(yield_await!(x));
        }));
        let t = text(&n.body);
        assert!(t.contains("v . push (__resumable_t0)"), "{t}");
    }

    #[test]
    fn while_becomes_loop_and_if() {
        let n = norm(parse_quote!({
            while c {
                yield_await!(x);
            }
        }));
        let t = text(&n.body);
        assert!(t.starts_with("loop { if c"), "{t}");
    }

    #[test]
    fn short_circuit_keeps_the_yield_conditional() {
        let n = norm(parse_quote!({
            let b = a && yield_await!(x);
        }));
        let t = text(&n.body);
        assert!(t.contains("if a"), "{t}");
    }

    #[test]
    fn yield_in_a_closure_is_an_error() {
        let body: Block = parse_quote!({
            let f = || yield_await!(x);
        });
        let e = check(&body, None, None).unwrap_err();
        assert!(e.to_string().contains("inside a closure"));
    }

    #[test]
    fn yield_in_println_says_bind_it_first() {
        let body: Block = parse_quote!({
            println!("{}", yield_await!(x));
        });
        let e = check(&body, None, None).unwrap_err();
        assert!(e.to_string().contains("bind it with `let` first"));
    }

    #[test]
    fn several_errors_are_combined() {
        let body: Block = parse_quote!({
            let f = || yield_await!(x);
            let g = async { yield_await!(y) };
        });
        let e = check(&body, None, None).unwrap_err();
        assert_eq!(e.into_iter().count(), 2);
    }

    #[test]
    fn direct_recursion_is_reported() {
        let body: Block = parse_quote!({
            yield_await!(Box::pin(f(n - 1)));
        });
        let name: Ident = parse_quote!(f);
        let output: Type = parse_quote!(u32);
        let e = check(&body, Some(&name), Some(&output)).unwrap_err();
        assert!(e.to_string().contains("recursive coroutine"));
        assert!(e.to_string().contains("Output = u32"));
        let erased: Block = parse_quote!({
            yield_await!(Box::pin(f(n - 1)) as Pin<Box<dyn Future<Output = u32>>>);
        });
        assert!(check(&erased, Some(&name), Some(&output)).is_ok());
    }

    #[test]
    fn self_is_renamed_but_not_in_paths() {
        let mut b: Block = parse_quote!({
            self.x;
            println!("{}", self.y);
            self::f();
        });
        rename_self(&mut b);
        let t = text(&b);
        assert!(t.contains("__resumable_self . x"), "{t}");
        assert!(t.contains("__resumable_self . y"), "{t}");
        assert!(t.contains("self :: f"), "{t}");
    }
}
