//! Lowering: the arms of the step closure, one per resume point, each statement of the
//! body emitted exactly once.
//!
//! Resume points are the yield points, a *join* after each control statement that
//! contains yield points, and a *loop head* for each such loop ([`Kind`]). The arm of a
//! point restores the locals stored there, level by level in blocks mirroring the
//! original scopes (so each local drops where Rust drops it), then runs the rest of the
//! innermost block "forward": code as written until the next yield point (which stores
//! the future and the locals and leaves the step) or the next control statement with
//! yield points (whose blocks are emitted forward, then its value jumps to its join).
//! When the innermost block ends, its value jumps to the join of the enclosing statement;
//! the end of a loop iteration jumps to the loop head. In a loop body, the rest of the
//! iteration is `'__resumable_loopK: { '__resumable_iterK: { .. } <jump to loop head> }`
//! with that loop's `break`s retargeted to `'__resumable_loopK` and its `continue`s to
//! `break '__resumable_iterK`. A jump is `*state = Variant { .. }; continue` of the
//! machine loop: no code is duplicated, so a closure or `async` block has one type.

use crate::analyse::{Entry, Jump, Kind, Point, Step, is_last, level_blocks, same_path};
use crate::flavor::Flavor;
use crate::normalise::{Suspend, YieldPoint};
use crate::syntax::{block_has_yield, generated, stmt_control, yield_stmt};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use std::cell::{Cell, RefCell};
use syn::visit_mut::VisitMut;
use syn::{Block, Expr, Lifetime, Stmt, Type, parse_quote, parse_quote_spanned};

/// Everything the arms are built from.
pub struct Lowering<'a> {
    /// The normalised body, wrapped in the block that binds the arguments.
    pub root: &'a Block,
    pub yields: &'a [YieldPoint],
    pub points: &'a [Point],
    /// The declared return type, when it can annotate the returned value.
    pub ret: Option<&'a Type>,
    /// The fields of `Start` (the arguments, in declaration order).
    pub start_fields: &'a [Ident],
    /// The name used in "resumed after completion" messages.
    pub name: &'a str,
    pub loops: Cell<usize>,
    pub flavor: &'a Flavor,
    /// The resume points the arm being lowered jumps to (for the state graph).
    pub jumps: RefCell<Vec<usize>>,
    /// The transitions of every arm, once lowered (for the state graph).
    pub edges: RefCell<Vec<crate::graph::Transition>>,
    /// Whether the state graph is wanted (else `jumps` and `edges` stay empty).
    pub graph: bool,
    /// Whether the body has a yield point at all (a `let mut` then may be mutated only
    /// in another arm).
    pub root_has_yield: bool,
    /// Where the fixed slots are.
    pub layout: &'a crate::fixed::Layout,
}

/// The variant of resume point `index`: `AwaitN` or `YieldN` for yield point `N`,
/// `JoinK`, `LoopK` for the `K`th join or loop head.
pub fn variant(points: &[Point], yields: &[YieldPoint], index: usize) -> Ident {
    match points[index].kind {
        Kind::Yield(n) if yields[n].suspend == Suspend::Yield => format_ident!("Yield{}", n),
        Kind::Yield(n) if matches!(yields[n].suspend, Suspend::Next(_)) => {
            format_ident!("Next{}", n)
        }
        Kind::Yield(n) => format_ident!("Await{}", n),
        kind => {
            let k = points[..index].iter().filter(|p| p.kind == kind).count();
            if kind == Kind::Join {
                format_ident!("Join{}", k)
            } else {
                format_ident!("Loop{}", k)
            }
        }
    }
}

/// Where a yield point suspends, for the runtime's task dump: a `&'static str`
/// `"file:line `text`"` made by `concat!` from `file!()` and the line of the user's
/// tokens, so it costs nothing until a task is pending there. (`line!()` would name the
/// attribute's line: it resolves to the outermost macro call.)
fn location(span: proc_macro2::Span, text: &str) -> TokenStream {
    let line = span.start().line;
    let line = if line > 0 {
        proc_macro2::Literal::usize_unsuffixed(line).to_token_stream()
    } else {
        quote!(::core::line!())
    };
    let text = proc_macro2::Literal::string(&format!(" `{text}`"));
    quote!(::core::concat!(::core::file!(), ":", #line, #text))
}

/// Moves the values out of the slots `vars` (bound in place by the arm's pattern, each
/// shadowed by its value), then leaves `Panicked` in the state: nothing in between can
/// unwind, so no guard is needed.
fn take(vars: &[Ident]) -> TokenStream {
    quote! {
        #(let #vars = #vars.take();)*
        ::resumable::__private::store(__resumable_state, __resumable_State::Panicked);
    }
}

fn sub_blocks_mut(e: &mut Expr) -> Vec<(Entry, &mut Block)> {
    match e {
        Expr::If(i) => {
            let mut v = vec![(Entry::Then, &mut i.then_branch)];
            if let Some((_, els)) = &mut i.else_branch {
                if let Expr::Block(b) = &mut **els {
                    v.push((Entry::Else, &mut b.block));
                }
            }
            v
        }
        Expr::Match(m) => m
            .arms
            .iter_mut()
            .enumerate()
            .filter_map(|(k, arm)| match &mut *arm.body {
                Expr::Block(b) if b.label.is_none() => Some((Entry::Arm(k), &mut b.block)),
                _ => None,
            })
            .collect(),
        Expr::Loop(l) => vec![(Entry::LoopBody, &mut l.body)],
        Expr::Block(b) => vec![(Entry::Block, &mut b.block)],
        Expr::Unsafe(u) => vec![(Entry::Block, &mut u.block)],
        _ => Vec::new(),
    }
}

fn with(prefix: &[Step], stmt: usize, entry: Entry) -> Vec<Step> {
    let mut path = prefix.to_vec();
    path.push(Step { stmt, entry });
    path
}

impl Lowering<'_> {
    /// All arms of the step closure's `match`.
    pub fn arms(&self) -> TokenStream {
        // Each arm's code, and whether it always leaves (asked once, for the state graph
        // and for its end).
        let start = self.start_body();
        let conts: Vec<(Expr, bool)> = (0..self.points.len())
            .map(|i| {
                let cont = self.continuation(i);
                let leaves = always_leaves(&cont);
                self.record(Some(i), &cont, leaves);
                (cont, leaves)
            })
            .collect();
        // The code of most arms ends in a jump on every path: nothing after it runs, so
        // it gets no `Done` after it, as long as some arm keeps one (so that `Done` is
        // built somewhere, as the lint for never-constructed variants wants). `let _: T`
        // types its unreachable value (the tail after a jump, if any) as the `let` of
        // `finish` did, so inference and lints see the same code; without a return type
        // to write, the `return` types it, and the arm keeps it.
        let completes = std::iter::once(&start)
            .chain(&conts)
            .any(|(_, leaves)| !leaves);
        let finish = |(code, leaves): &(Expr, bool)| match self.ret {
            Some(ret) if completes && *leaves => quote!(let _: #ret = #code;),
            _ => self.finish(code.to_token_stream()),
        };
        let mut arms = vec![self.start_arm(finish(&start))];
        arms.extend(
            conts
                .iter()
                .enumerate()
                .map(|(i, cont)| self.point_arm(i, finish(cont))),
        );
        let name = self.name;
        let done = self.flavor.done_arm(name);
        arms.push(quote! {
            __resumable_State::Done => #done,
            __resumable_State::Panicked => ::resumable::__private::resumed_after_panicking(#name),
        });
        arms.into_iter().collect()
    }

    /// Records the transitions of the arm of resume point `from` (`None`: `Start`), whose
    /// code is `code`: the jumps made while lowering it, and `Done` (unless the code
    /// `leaves` on every path: see `always_leaves`).
    fn record(&self, from: Option<usize>, code: &Expr, leaves: bool) {
        if !self.graph {
            return;
        }
        let mut edges = self.edges.borrow_mut();
        for to in self.jumps.borrow_mut().drain(..) {
            edges.push(crate::graph::Transition {
                from,
                to: Some(to),
                line: None,
            });
        }
        for line in crate::graph::returns(&code.to_token_stream()) {
            edges.push(crate::graph::Transition {
                from,
                to: None,
                line: Some(line),
            });
        }
        if !leaves {
            edges.push(crate::graph::Transition {
                from,
                to: None,
                line: None,
            });
        }
    }

    fn point_of(&self, kind: Kind, path: &[Step]) -> usize {
        self.points
            .iter()
            .position(|p| p.kind == kind && same_path(&p.plan.path, path))
            .expect("every control statement with yield points has its resume points")
    }

    fn yield_point(&self, n: usize) -> usize {
        self.points
            .iter()
            .position(|p| p.kind == Kind::Yield(n))
            .expect("every yield point is a resume point")
    }

    fn finish(&self, value: TokenStream) -> TokenStream {
        let var = generated("ret");
        let annotation = self.ret.map(|t| quote!(: #t));
        let complete = self.flavor.complete(quote!(#var));
        quote! {
            let #var #annotation = #value;
            ::resumable::__private::store(__resumable_state, __resumable_State::Done);
            #complete;
        }
    }

    /// The code of the `Start` arm (the body up to its first resume point), and whether
    /// it always leaves.
    fn start_body(&self) -> (Expr, bool) {
        // The body's own braces: their edition decides when its tail's temporaries drop.
        let body = Expr::Block(syn::ExprBlock {
            attrs: Vec::new(),
            label: None,
            block: Block {
                brace_token: self.root.brace_token,
                stmts: self.forward(&self.root.stmts, &[], 0),
            },
        });
        let leaves = always_leaves(&body);
        self.record(None, &body, leaves);
        (body, leaves)
    }

    /// The `Start` arm, `finish` its code (see `arms`).
    fn start_arm(&self, finish: TokenStream) -> TokenStream {
        let fields = self.start_fields;
        let vars: Vec<Ident> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| crate::syntax::value_var(f, i))
            .collect();
        let take = take(&vars);
        quote! {
            __resumable_State::Start { #(#fields: #vars),* } => {
                #take
                #finish
            }
        }
    }

    /// The arm of resume point `index`. It binds the variant's slots (and future) in place,
    /// moves the locals out of their slots, drops an awaited future in place, and leaves
    /// `Panicked` in the state until the step stores the next variant: if the step unwinds
    /// from there, the machine drops nothing twice. Written out in the arm rather than
    /// through a generic helper and a projection closure: those were a third of the
    /// code generated per coroutine (issue 9).
    fn point_arm(&self, index: usize, finish: TokenStream) -> TokenStream {
        let point = &self.points[index];
        let variant = variant(self.points, self.yields, index);
        let (mut fields, mut vars): (Vec<Ident>, Vec<Ident>) = point
            .plan
            .state_fields()
            .iter()
            .flat_map(|s| s.field_vars())
            .unzip();
        match point.kind {
            Kind::Yield(n) if self.yields[n].suspend == Suspend::Yield => {
                let resumed = self.flavor.resume_value();
                let take = take(&vars);
                quote! {
                    __resumable_State::#variant { #(#fields: #vars),* } => {
                        let __resumable_out = #resumed;
                        #take
                        #finish
                    }
                }
            }
            Kind::Yield(n) if matches!(self.yields[n].suspend, Suspend::Next(_)) => {
                let Suspend::Next(k) = self.yields[n].suspend else {
                    unreachable!("matched above")
                };
                let slot = syn::Index::from(k);
                let span = crate::syntax::at(self.yields[n].span);
                let at = location(self.yields[n].span, "for_await!");
                let poll = quote_spanned!(span=> match __resumable_slots.#slot.poll_next(__resumable_cx) {
                    ::core::task::Poll::Ready(__resumable_v) => __resumable_v,
                    ::core::task::Poll::Pending => return ::resumable::__private::pending_at(#at),
                });
                let take = take(&vars);
                quote! {
                    __resumable_State::#variant { #(#fields: #vars),* } => {
                        let __resumable_out = #poll;
                        #take
                        #finish
                    }
                }
            }
            Kind::Yield(n) => {
                let span = crate::syntax::at(self.yields[n].span);
                let at = location(self.yields[n].span, &self.yields[n].text);
                let poll = quote_spanned!(span=> match __resumable_fut.poll(__resumable_cx) {
                    ::core::task::Poll::Ready(__resumable_v) => __resumable_v,
                    ::core::task::Poll::Pending => return ::resumable::__private::pending_at(#at),
                });
                // The locals are moved out first: if the future's drop unwinds, they drop
                // as locals of the step (in reverse order of their `let`s, so taken last
                // field first to drop in the variant's field order), and `Vacate` leaves
                // `Panicked` over the rest.
                let take = vars.iter().rev().map(|v| quote!(let #v = #v.take();));
                quote! {
                    __resumable_State::#variant { __resumable_fut, #(#fields: #vars),* } => {
                        let __resumable_out = #poll;
                        #(#take)*
                        {
                            let __resumable_vacate = ::resumable::__private::Vacate(&mut *__resumable_state);
                            if let __resumable_State::#variant { __resumable_fut, .. } = &mut *__resumable_vacate.0 {
                                __resumable_fut.drop_now();
                            }
                        }
                        #finish
                    }
                }
            }
            kind => {
                if kind == Kind::Join {
                    let value = generated("value");
                    fields.insert(0, value.clone());
                    vars.insert(0, value);
                }
                let take = take(&vars);
                quote! {
                    __resumable_State::#variant { #(#fields: #vars),* } => {
                        #take
                        #finish
                    }
                }
            }
        }
    }

    /// Stores the locals of resume point `index` (and a future or a value) and goes on
    /// there (`continue`s the machine loop).
    fn jump(&self, index: usize, first: Option<syn::FieldValue>) -> Stmt {
        let leave = Expr::Continue(syn::ExprContinue {
            attrs: Vec::new(),
            continue_token: Default::default(),
            label: Some(Lifetime::new("'__resumable_machine", Span::call_site())),
        });
        self.store(index, first, leave)
    }

    /// Stores the locals of resume point `index` (and a future or a value), then `leave`s:
    /// `{ store(__resumable_state, __resumable_State::Variant { first, field:
    /// Slot::new(local), .. }); ::core::mem::forget(handle); ..; leave; }`. The arm that
    /// resumed left `Panicked` in the state (see `point_arm`), so `store` writes over it
    /// without dropping it.
    ///
    /// Built directly rather than quoted and parsed: the macro makes one per jump, and
    /// parsing them was a quarter of its time.
    fn store(&self, index: usize, first: Option<syn::FieldValue>, leave: Expr) -> Stmt {
        if self.graph {
            self.jumps.borrow_mut().push(index);
        }
        let variant = variant(self.points, self.yields, index);
        let fields = self.points[index].plan.state_fields();
        let inits = fields.iter().flat_map(|s| {
            // Spanned at the local, so that errors about storing it point there.
            let span = crate::syntax::at(s.name.span());
            let slot = |value: Expr| call(span, &["resumable", "__private", "Slot", "new"], value);
            let mut local = Expr::Path(path_expr(s.name.clone()));
            if s.fixed.is_some() {
                // A movable slot's drop flag (its handle is forgotten below).
                let name = &s.name;
                let (live, _) = s.live();
                return vec![field_value(live, span, slot(parse_quote!(#name.0.live())))];
            }
            if s.dead && !s.flagged() {
                // Not used after the yield: kept only if its type may have drop glue (see
                // `resumable::__private::Dead`).
                // (The step closure imports the traits.)
                let name = &s.name;
                local = parse_quote_spanned! {span=>
                    (&&::resumable::__private::Dead::of(&#name)).select().apply(#name)
                };
            }
            if !s.flagged() {
                return vec![field_value(s.field.clone(), span, slot(local))];
            }
            if s.empty {
                let empty = call(
                    span,
                    &["resumable", "__private", "Flagged", "into_empty"],
                    local,
                );
                return vec![field_value(s.field.clone(), span, slot(empty))];
            }
            // A flagged local: its value's bits, then its flag (which consumes it).
            let flagged =
                |f: &str, arg: Expr| call(span, &["resumable", "__private", "Flagged", f], arg);
            let (value, (live, _)) = (s.field.clone(), s.live());
            let bits = flagged("value_bits", parse_quote!(&#local));
            vec![
                field_value(value, span, slot(bits)),
                field_value(live, span, slot(flagged("into_live", local))),
            ]
        });
        let mut state_path = syn::Path::from(generated("State"));
        state_path.segments.push(syn::PathSegment::from(variant));
        let next = Expr::Struct(syn::ExprStruct {
            attrs: Vec::new(),
            qself: None,
            path: state_path,
            brace_token: Default::default(),
            fields: first.into_iter().chain(inits).collect(),
            dot2_token: None,
            rest: None,
        });
        let assign = call_args(
            Span::call_site(),
            &["resumable", "__private", "store"],
            vec![Expr::Path(path_expr(generated("state"))), next],
        );
        let mut stmts = vec![Stmt::Expr(assign, Some(Default::default()))];
        // The handles of fixed locals stay behind: the state drops their slots in order,
        // and the step that resumes takes new handles.
        for s in self.points[index].plan.drop_order() {
            if s.fixed.is_some() {
                let forget = call(
                    Span::call_site(),
                    &["core", "mem", "forget"],
                    Expr::Path(path_expr(s.name.clone())),
                );
                stmts.push(Stmt::Expr(forget, Some(Default::default())));
            }
        }
        stmts.push(Stmt::Expr(leave, Some(Default::default())));
        Stmt::Expr(
            block_expr(
                None,
                Block {
                    brace_token: Default::default(),
                    stmts,
                },
            ),
            None,
        )
    }

    fn suspend(&self, n: usize) -> Stmt {
        if self.yields[n].suspend == Suspend::Yield {
            // The value is computed before the locals move into the state, as written.
            let bind = self
                .flavor
                .bind_yielded(&self.yields[n].future, self.yields[n].span);
            let leave = self.flavor.yielded(quote!(__resumable_yielded));
            let Stmt::Expr(Expr::Block(mut store), semi) =
                self.store(self.yield_point(n), None, parse_quote!(#leave))
            else {
                unreachable!("`store` is a block")
            };
            store.block.stmts.insert(0, parse_quote!(#bind));
            return Stmt::Expr(Expr::Block(store), semi);
        }
        if let Suspend::Next(_) = self.yields[n].suspend {
            // Its arm polls the stream's slot: go there now.
            return self.jump(self.yield_point(n), None);
        }
        // `__resumable_fut: ::resumable::__private::Pinned::new(FUTURE)`, spanned at the
        // yield point.
        let span = crate::syntax::at(self.yields[n].span);
        let fut = call(
            span,
            &["resumable", "__private", "Pinned", "new"],
            self.yields[n].future.clone(),
        );
        self.jump(
            self.yield_point(n),
            Some(field_value(generated("fut"), span, fut)),
        )
    }

    fn jump_with_value(&self, kind: Kind, path: &[Step], value: &Ident) -> Stmt {
        let index = self.point_of(kind, path);
        let first = (kind == Kind::Join).then(|| {
            let span = Span::call_site();
            let slot = call(
                span,
                &["resumable", "__private", "Slot", "new"],
                Expr::Path(path_expr(value.clone())),
            );
            field_value(generated("value"), span, slot)
        });
        self.jump(index, first)
    }

    /// Statements `stmts` (at `offset` in the block at `prefix`) emitted as written, until
    /// a yield point (suspend) or a control statement with yield points (emitted forward,
    /// then a jump to its join; a loop jumps to its head).
    fn forward(&self, stmts: &[Stmt], prefix: &[Step], offset: usize) -> Vec<Stmt> {
        let mut out = self.forward_all(stmts, prefix, offset);
        prune_unassigned(&mut out);
        out
    }

    fn forward_all(&self, stmts: &[Stmt], prefix: &[Step], offset: usize) -> Vec<Stmt> {
        let mut out = Vec::with_capacity(stmts.len());
        for (i, stmt) in stmts.iter().enumerate() {
            let index = offset + i;
            if let Some(n) = yield_stmt(stmt) {
                out.push(self.suspend(n));
                return out;
            }
            if let Some(ctrl) = stmt_control(stmt) {
                let here = with(prefix, index, Entry::Here);
                let v = generated("v");
                if matches!(ctrl, Expr::Loop(_)) {
                    out.push(self.jump_with_value(Kind::LoopHead, &here, &v));
                } else if is_last(self.root, &here) {
                    let ctrl = self.forward_control(ctrl, prefix, index);
                    out.extend(last_control(stmts, i, ctrl));
                } else {
                    let ctrl = self.forward_control(ctrl, prefix, index);
                    out.push(let_stmt(v.clone(), ctrl));
                    out.push(self.jump_with_value(Kind::Join, &here, &v));
                }
                return out;
            }
            out.push(self.allow_unused_mut(stmt));
        }
        out
    }

    /// A `let mut` may be mutated only after a yield, in another arm.
    fn allow_unused_mut(&self, stmt: &Stmt) -> Stmt {
        let mut stmt = stmt.clone();
        if let Stmt::Local(local) = &mut stmt {
            let mutable = crate::syntax::pattern_bindings(&local.pat)
                .iter()
                .any(|b| b.mutable);
            let allowed = local
                .attrs
                .iter()
                .any(|a| a.to_token_stream().to_string().contains("unused_mut"));
            if mutable && !allowed && self.root_has_yield {
                local.attrs.push(parse_quote!(#[allow(unused_mut)]));
            }
        }
        stmt
    }

    /// A control statement's expression with its blocks emitted forward.
    fn forward_control(&self, ctrl: &Expr, prefix: &[Step], index: usize) -> Expr {
        let mut ctrl = ctrl.clone();
        for (entry, block) in sub_blocks_mut(&mut ctrl) {
            if block_has_yield(block) {
                block.stmts = self.forward(&block.stmts, &with(prefix, index, entry), 0);
            }
        }
        ctrl
    }

    fn restores(&self, index: usize, level: usize) -> Vec<Stmt> {
        self.points[index].plan.levels[level]
            .iter()
            .map(|s| {
                let (name, var) = (&s.name, &s.var);
                // The restored value may be overwritten or used only on paths that
                // leave this arm: the lints belong to the user's declaration, not here.
                let unused_mut = s.mutable.then(|| quote!(unused_mut,));
                if s.fixed.is_none() && s.redeclare.is_none() && !s.flagged() {
                    // The common case, built directly (parsing it was a sixth of the
                    // lowering's time): `#allow let [mut] name = var;`.
                    let mut stmt = let_stmt(name.clone(), Expr::Path(path_expr(var.clone())));
                    if let Stmt::Local(local) = &mut stmt {
                        local.attrs.push(syn::Attribute {
                            pound_token: Default::default(),
                            style: syn::AttrStyle::Outer,
                            bracket_token: Default::default(),
                            meta: syn::Meta::List(syn::MetaList {
                                path: syn::Path::from(Ident::new("allow", Span::call_site())),
                                delimiter: syn::MacroDelimiter::Paren(Default::default()),
                                tokens: quote!(#unused_mut unused_variables, unused_assignments),
                            }),
                        });
                        if let syn::Pat::Ident(p) = &mut local.pat {
                            p.mutability = s.mutable.then(Default::default);
                        }
                    }
                    return stmt;
                }
                if let Some(k) = s.fixed {
                    let slot = self.layout.access(k);
                    if !s.movable {
                        return parse_quote!(let #name = #slot.handle(););
                    }
                    // The drop flag the state kept; down where the local is declared
                    // but not yet assigned (not a field there).
                    let live: Expr = if s.redeclare.is_some() {
                        parse_quote!(false)
                    } else {
                        let (_, live) = s.live();
                        parse_quote!(#live)
                    };
                    return parse_quote!(let #name = #slot.handle(#live););
                }
                let mutability = s.mutable.then(|| quote!(mut));
                let allow = quote!(#[allow(#unused_mut unused_variables, unused_assignments)]);
                match &s.redeclare {
                    Some(ty) => {
                        let ty = ty.as_ref().map(|t| quote!(: #t));
                        parse_quote!(#allow #[allow(clippy::needless_late_init)] let #mutability #name #ty;)
                    }
                    None if s.flagged() && s.empty => {
                        parse_quote!(#allow let #mutability #name = ::resumable::__private::Flagged::from_empty(#var);)
                    }
                    None if s.flagged() => {
                        let (_, live) = s.live();
                        parse_quote!(#allow let #mutability #name = ::resumable::__private::Flagged::from_parts(#var, #live);)
                    }
                    None => unreachable!("built directly above"),
                }
            })
            .collect()
    }

    /// The code that runs from resume point `index` until the next jump or the end.
    fn continuation(&self, index: usize) -> Expr {
        let point = &self.points[index];
        let path = &point.plan.path;
        let blocks = level_blocks(self.root, path);
        let k = path.len() - 1;
        let mut inner: Option<Expr> = None;
        // The code emitted so far certainly ends the step (a `return`, a panic, a jump
        // to another resume point) and cannot `break` out of it: the outer levels' jumps
        // to their joins never run, and the plan stores nothing for them (see `plan`).
        let mut ends = false;
        // The jumps of the code emitted so far that leave it (see `analyse::escapes`).
        let mut pending: Vec<Jump> = Vec::new();
        // A jump the code emitted so far certainly makes, if it leaves only by it: the
        // levels up to its target emit no join (and the plan stores nothing for their
        // code: see `analyse::certain_jump`).
        let mut skip: Option<Jump> = None;
        for j in (0..=k).rev() {
            let block = blocks[j];
            let step = path[j];
            let prefix = &path[..j];
            let mut stmts = self.restores(index, j);
            let stmt = &block.stmts[step.stmt];
            let last = step.stmt + 1 == block.stmts.len();
            let rest = &block.stmts[step.stmt + 1..];
            let skipped = skip
                .as_ref()
                .is_some_and(|jump| !jump.lands(stmt, step.entry));
            if j == k {
                if point.kind == Kind::LoopHead {
                    // The loop runs here; what follows it runs from the join after it.
                    pending = crate::analyse::escapes(std::slice::from_ref(stmt));
                } else {
                    pending = crate::analyse::escapes(rest);
                    ends = crate::analyse::exits(rest);
                }
            } else if !skipped {
                crate::analyse::resolve_jumps(&mut pending, stmt, step.entry);
                skip = None;
            }
            if j == k {
                let source = match point.kind {
                    Kind::Yield(_) => Some(generated("out")),
                    Kind::Join => Some(generated("value")),
                    Kind::LoopHead => None,
                };
                match (source, stmt) {
                    (Some(source), Stmt::Local(local)) => {
                        let mut local = local.clone();
                        let init = local
                            .init
                            .as_mut()
                            .expect("a resume `let` has an initializer");
                        *init.expr = identity(&source);
                        // Its `mut` may be used only after the next resume point.
                        stmts.push(self.allow_unused_mut(&Stmt::Local(local)));
                    }
                    (Some(source), Stmt::Expr(_, None)) if last => {
                        stmts.push(Stmt::Expr(identity(&source), None));
                    }
                    (Some(source), _) => {
                        let drop = call(
                            Span::call_site(),
                            &["core", "mem", "drop"],
                            Expr::Path(path_expr(source)),
                        );
                        stmts.push(Stmt::Expr(drop, Some(Default::default())));
                    }
                    (None, _) => {
                        let ctrl = stmt_control(stmt).expect("a loop head is a control statement");
                        let mut ctrl = ctrl.clone();
                        if let Expr::Loop(l) = &mut ctrl {
                            let body_path = with(prefix, step.stmt, Entry::LoopBody);
                            l.body.stmts = self.forward(&l.body.stmts, &body_path, 0);
                        }
                        let here = with(prefix, step.stmt, Entry::Here);
                        if is_last(self.root, &here) {
                            stmts.extend(last_control(&block.stmts, step.stmt, ctrl));
                        } else {
                            let v = generated("v");
                            stmts.push(let_stmt(v.clone(), ctrl));
                            stmts.push(self.jump_with_value(Kind::Join, &here, &v));
                            ends = pending.is_empty();
                        }
                    }
                }
                if point.kind != Kind::LoopHead {
                    stmts.extend(self.forward(
                        &block.stmts[step.stmt + 1..],
                        prefix,
                        step.stmt + 1,
                    ));
                }
            } else {
                let v = generated("v");
                let value = inner.take().expect("inner level");
                let here = with(prefix, step.stmt, Entry::Here);
                if is_last(self.root, &here) && !skipped {
                    stmts.extend(last_control(&block.stmts, step.stmt, value));
                } else if ends || skipped {
                    stmts.push(Stmt::Expr(value, Some(Default::default())));
                } else {
                    stmts.push(let_stmt(v.clone(), value));
                    stmts.push(self.jump_with_value(Kind::Join, &here, &v));
                    ends = pending.is_empty();
                }
            }
            if !ends && !skipped {
                skip = crate::analyse::certain_jump(rest, &pending);
            }
            prune_unassigned(&mut stmts);
            // The level's own braces (the user's, for a block of the body): their edition
            // decides when the block's tail temporaries drop.
            let block = Block {
                brace_token: blocks[j].brace_token,
                stmts,
            };
            inner = Some(if j == 0 {
                block_expr(None, block)
            } else {
                let parent_step = path[j - 1];
                let parent_stmt = &blocks[j - 1].stmts[parent_step.stmt];
                let parent = stmt_control(parent_stmt).expect("control statement");
                let parent_path = with(&path[..j - 1], parent_step.stmt, Entry::Here);
                let next = match &skip {
                    _ if ends => Next::Never,
                    None => Next::Maybe,
                    Some(jump) if !jump.lands(parent_stmt, parent_step.entry) => Next::Never,
                    Some(jump) if jump.again => Next::Maybe,
                    Some(_) => Next::Leaves,
                };
                self.wrap(parent, parent_step.entry, block, &parent_path, next)
            });
        }
        inner.expect("the root level")
    }

    /// The value of control expression `ctrl` (at `path`) once its sub-block entered
    /// through `entry` has been emitted from a resume point inside it as `block`; `next`:
    /// whether the loop's next iteration may come from `block`.
    fn wrap(&self, ctrl: &Expr, entry: Entry, mut block: Block, path: &[Step], next: Next) -> Expr {
        match (entry, ctrl) {
            (Entry::LoopBody, Expr::Loop(_)) if next == Next::Never => parse_quote!(#block),
            (Entry::Block, Expr::Block(b)) => {
                block_expr(b.label.as_ref().map(|l| l.name.clone()), block)
            }
            (Entry::Block, Expr::Unsafe(_)) => Expr::Unsafe(syn::ExprUnsafe {
                attrs: Vec::new(),
                unsafe_token: Default::default(),
                block,
            }),
            (Entry::LoopBody, Expr::Loop(l)) => {
                let k = self.loops.get();
                self.loops.set(k + 1);
                let loop_label = Lifetime::new(&format!("'__resumable_loop{k}"), Span::call_site());
                let iter_label = Lifetime::new(&format!("'__resumable_iter{k}"), Span::call_site());
                LoopExits {
                    label: l.label.as_ref().map(|l| l.name.ident.to_string()),
                    loop_label: loop_label.clone(),
                    iter_label: iter_label.clone(),
                    depth: 0,
                }
                .visit_block_mut(&mut block);
                let iteration = Stmt::Expr(block_expr(Some(iter_label), block), None);
                let mut stmts = vec![iteration];
                if next == Next::Maybe {
                    let v = generated("v");
                    stmts.push(self.jump_with_value(Kind::LoopHead, path, &v));
                }
                block_expr(
                    Some(loop_label),
                    Block {
                        brace_token: Default::default(),
                        stmts,
                    },
                )
            }
            _ => block_expr(None, block),
        }
    }
}

/// Whether a loop's next iteration may come from the code emitted inside its body after
/// a resume point (see `Lowering::wrap`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// It may finish the iteration or `continue`: the loop head follows it.
    Maybe,
    /// It certainly leaves the loop by a `break` (and by nothing else): the loop's exits,
    /// no loop head.
    Leaves,
    /// It certainly ends the step, or jumps to a loop or block further out: no loop.
    Never,
}

/// `::core::convert::identity(source)`, built directly (the lowering makes one per arm).
fn identity(source: &Ident) -> Expr {
    call(
        Span::call_site(),
        &["core", "convert", "identity"],
        Expr::Path(path_expr(source.clone())),
    )
}

/// `name` as a path expression.
pub fn path_expr(name: Ident) -> syn::ExprPath {
    syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: syn::Path::from(name),
    }
}

/// `::a::b::f(arg)`, the path's tokens at `span`.
fn call(span: Span, segments: &[&str], arg: Expr) -> Expr {
    call_args(span, segments, vec![arg])
}

/// `::a::b::f(args..)`, the path's tokens at `span`.
fn call_args(span: Span, segments: &[&str], args: Vec<Expr>) -> Expr {
    let path = syn::Path {
        leading_colon: Some(syn::Token![::](span)),
        segments: segments
            .iter()
            .map(|s| syn::PathSegment::from(Ident::new(s, span)))
            .collect(),
    };
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(Expr::Path(syn::ExprPath {
            attrs: Vec::new(),
            qself: None,
            path,
        })),
        paren_token: syn::token::Paren(span),
        args: args.into_iter().collect(),
    })
}

/// `field: value` in a struct expression, the colon at `span`.
fn field_value(field: Ident, span: Span, value: Expr) -> syn::FieldValue {
    syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(field),
        colon_token: Some(syn::Token![:](span)),
        expr: value,
    }
}

/// `'label: { .. }` (or an unlabelled block) as an expression, built directly: the
/// blocks lowered here are large, and printing and parsing them again at each level
/// made the macro quadratic in the nesting depth.
pub fn block_expr(label: Option<Lifetime>, block: Block) -> Expr {
    Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: label.map(|name| syn::Label {
            name,
            colon_token: Default::default(),
        }),
        block,
    })
}

/// `let name = init;`, built directly (see [`block_expr`]).
pub fn let_stmt(name: Ident, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: name,
            subpat: None,
        }),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

/// Whether step code never reaches its end: every path through it jumps (`continue
/// '__resumable_machine`) or returns. `false` when unsure: a `loop`, a labelled block (a
/// `break` may leave either), a macro. A `break` or `continue` in the code examined lands
/// inside it: the walk enters no loop or labelled block, and the step's own loop is only
/// ever `continue`d.
fn always_leaves(e: &Expr) -> bool {
    match e {
        Expr::Block(b) => b.label.is_none() && block_always_leaves(&b.block),
        Expr::Continue(c) => c
            .label
            .as_ref()
            .is_some_and(|l| l.ident == "__resumable_machine"),
        Expr::Return(_) => true,
        Expr::If(i) => {
            block_always_leaves(&i.then_branch)
                && i.else_branch
                    .as_ref()
                    .is_some_and(|(_, e)| always_leaves(e))
        }
        Expr::Match(m) => !m.arms.is_empty() && m.arms.iter().all(|a| always_leaves(&a.body)),
        _ => false,
    }
}

/// Whether a block of step code never reaches its end (see [`always_leaves`]): one of its
/// statements never does.
fn block_always_leaves(b: &Block) -> bool {
    b.stmts.iter().any(|s| match s {
        Stmt::Expr(e, _) => always_leaves(e),
        Stmt::Local(l) => l.init.as_ref().is_some_and(|i| always_leaves(&i.expr)),
        _ => false,
    })
}

/// The last control statement `stmts[i]` (see `analyse::is_last`) with its control
/// expression replaced by `ctrl`, then what follows it: nothing, or the tail that returns
/// its binding. In an arm where the statement suspends, that tail is unreachable and the
/// binding unused there: the lint is the user's `let`'s (which the tail uses), not this.
fn last_control(stmts: &[Stmt], i: usize, ctrl: Expr) -> Vec<Stmt> {
    let mut stmt = replace_control(&stmts[i], ctrl);
    let tail = &stmts[i + 1..];
    if let (Stmt::Local(local), false) = (&mut stmt, tail.is_empty()) {
        local.attrs.push(parse_quote!(#[allow(unused_variables)]));
    }
    std::iter::once(stmt).chain(tail.iter().cloned()).collect()
}

/// `stmt` (a control statement) with its control expression replaced by `ctrl`.
fn replace_control(stmt: &Stmt, ctrl: Expr) -> Stmt {
    let mut stmt = stmt.clone();
    match &mut stmt {
        Stmt::Local(local) => {
            *local
                .init
                .as_mut()
                .expect("a control `let` has an initializer")
                .expr = ctrl;
        }
        Stmt::Expr(e, _) => *e = ctrl,
        _ => unreachable!("control statements are `let`s or expressions"),
    }
    stmt
}

/// Whether a binding of `local` is named in `rest` (up to its next resume point).
/// Drops a `let x;` (typed or not) that an arm declares or redeclares but never mentions
/// again: assigned only after a resume point, in another arm. Untyped, it would have no
/// type to infer (E0282); typed, it would be an unused variable in the user's crate.
fn prune_unassigned(stmts: &mut Vec<Stmt>) {
    let mut i = 0;
    while i < stmts.len() {
        let unused = match &stmts[i] {
            Stmt::Local(local) if local.init.is_none() => {
                let tokens: TokenStream =
                    stmts[i + 1..].iter().map(|s| s.to_token_stream()).collect();
                crate::syntax::pattern_bindings(&local.pat)
                    .iter()
                    .all(|b| !mentions_ident(&tokens, &b.name))
            }
            _ => false,
        };
        if unused {
            stmts.remove(i);
        } else {
            i += 1;
        }
    }
}

fn mentions_ident(tokens: &TokenStream, name: &Ident) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => i == *name,
        proc_macro2::TokenTree::Group(g) => mentions_ident(&g.stream(), name),
        _ => false,
    })
}

/// Retargets the `break`s and `continue`s of one loop, in the rest of an iteration.
struct LoopExits {
    label: Option<String>,
    loop_label: Lifetime,
    iter_label: Lifetime,
    depth: usize,
}

impl LoopExits {
    fn targets(&self, label: &Option<Lifetime>) -> bool {
        match label {
            None => self.depth == 0,
            Some(l) => self.label.as_deref() == Some(&*l.ident.to_string()),
        }
    }
}

impl VisitMut for LoopExits {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        match e {
            Expr::Break(b) => {
                if self.targets(&b.label) {
                    b.label = Some(self.loop_label.clone());
                }
                syn::visit_mut::visit_expr_break_mut(self, b);
            }
            Expr::Continue(c) => {
                if self.targets(&c.label) {
                    let iter = &self.iter_label;
                    *e = parse_quote!(break #iter);
                }
            }
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                self.depth += 1;
                syn::visit_mut::visit_expr_mut(self, e);
                self.depth -= 1;
            }
            Expr::Closure(_) | Expr::Async(_) | Expr::Const(_) => {}
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_continue_becomes_a_break_of_the_iteration_block() {
        let mut block: Block = parse_quote!({
            if c {
                continue;
            }
            loop {
                break;
            }
            break 5;
        });
        LoopExits {
            label: None,
            loop_label: Lifetime::new("'l", Span::call_site()),
            iter_label: Lifetime::new("'i", Span::call_site()),
            depth: 0,
        }
        .visit_block_mut(&mut block);
        let t = block.to_token_stream().to_string();
        assert!(t.contains("break 'i"), "{t}");
        assert!(t.contains("loop { break ; }"), "{t}");
        assert!(t.contains("break 'l 5"), "{t}");
    }

    #[test]
    fn code_always_leaves_only_when_every_path_jumps_or_returns() {
        let leaves = |e: Expr| always_leaves(&e);
        assert!(leaves(parse_quote!({
            a();
            continue '__resumable_machine;
        })));
        assert!(leaves(parse_quote!({
            let v = {
                continue '__resumable_machine;
            };
            v
        })));
        assert!(leaves(parse_quote!({
            loop {
                break;
            }
            return x;
        })));
        assert!(leaves(parse_quote!(if c {
            return a;
        } else {
            continue '__resumable_machine;
        })));
        assert!(leaves(parse_quote!(match x {
            A => return a,
            _ => {
                return b;
            }
        })));
        // Code with a path that may reach its end: not claimed.
        assert!(!leaves(parse_quote!({
            a();
            b
        })));
        assert!(!leaves(parse_quote!(if c {
            return a;
        })));
        assert!(!leaves(parse_quote!(match x {
            A => return a,
            _ => b,
        })));
        assert!(!leaves(parse_quote!(match x {})));
        // A user loop's `continue`, a loop, a labelled block a `break` may leave, a panic.
        assert!(!leaves(parse_quote!({
            continue;
        })));
        assert!(!leaves(parse_quote!({
            continue 'outer;
        })));
        assert!(!leaves(parse_quote!(loop {
            continue '__resumable_machine;
        })));
        assert!(!leaves(parse_quote!('l: {
            if c {
                break 'l;
            }
            return a;
        })));
        assert!(!leaves(parse_quote!({ panic!() })));
    }
}
