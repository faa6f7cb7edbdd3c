//! Lowering: the arms of the step closure.
//!
//! The `Start` arm runs the body from its beginning ("forward"): code is emitted as
//! written, and each yield point becomes a suspension (`*state = AwaitN { future, locals }`
//! then `continue` the machine loop). The arm of yield point `N` first polls the stored
//! future, then runs the *continuation* of `N`: walking from the body down to the yield,
//! each enclosing block is emitted again from the yield's statement onwards, after
//! restoring that block's stored locals (`let x = __resumable_x;` in a block mirroring
//! the original scope, so each local drops exactly where Rust drops it). A loop around
//! the yield becomes `'__resumable_loopK: { '__resumable_iterK: { <rest of this
//! iteration> } <the loop, afresh> }`, with that loop's `break`s retargeted to
//! `'__resumable_loopK` and its `continue`s to `break '__resumable_iterK`.

use crate::analyse::{level_blocks, Entry, Plan};
use crate::normalise::YieldPoint;
use crate::syntax::{block_has_yield, generated, stmt_control, value_var, yield_stmt};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use std::cell::Cell;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Block, Expr, Lifetime, Stmt, Type};

/// Everything the arms are built from.
pub struct Lowering<'a> {
    /// The normalised body, wrapped in the block that binds the arguments.
    pub root: &'a Block,
    pub yields: &'a [YieldPoint],
    pub plans: &'a [Plan],
    /// The declared return type, when it can annotate the returned value.
    pub ret: Option<&'a Type>,
    /// The fields of `Start` (the arguments, in declaration order).
    pub start_fields: &'a [Ident],
    /// The name used in "resumed after completion" messages.
    pub name: &'a str,
    pub loops: Cell<usize>,
}

/// The variant of yield point `n`.
pub fn variant(n: usize) -> Ident {
    format_ident!("Await{}", n)
}

/// Nests values (or patterns) into the tuple shape `Slots` is implemented for.
pub fn nest(items: Vec<TokenStream>) -> TokenStream {
    match items.len() {
        1 => items.into_iter().next().expect("one item"),
        0..=12 => quote!((#(#items,)*)),
        _ => nest(items.chunks(12).map(|c| nest(c.to_vec())).collect()),
    }
}

fn sub_blocks_mut(e: &mut Expr) -> Vec<&mut Block> {
    match e {
        Expr::If(i) => {
            let mut v = vec![&mut i.then_branch];
            if let Some((_, els)) = &mut i.else_branch {
                if let Expr::Block(b) = &mut **els {
                    v.push(&mut b.block);
                }
            }
            v
        }
        Expr::Match(m) => m
            .arms
            .iter_mut()
            .filter_map(|arm| match &mut *arm.body {
                Expr::Block(b) if b.label.is_none() => Some(&mut b.block),
                _ => None,
            })
            .collect(),
        Expr::Loop(l) => vec![&mut l.body],
        Expr::Block(b) => vec![&mut b.block],
        Expr::Unsafe(u) => vec![&mut u.block],
        _ => Vec::new(),
    }
}

impl Lowering<'_> {
    /// All arms of the step closure's `match`.
    pub fn arms(&self) -> TokenStream {
        let mut arms = vec![self.start_arm()];
        arms.extend((0..self.yields.len()).map(|n| self.await_arm(n)));
        let name = self.name;
        arms.push(quote! {
            __resumable_State::Done => ::resumable::__private::resumed_after_completion(#name),
            __resumable_State::Panicked => ::resumable::__private::resumed_after_panicking(#name),
        });
        arms.into_iter().collect()
    }

    fn finish(&self, value: TokenStream) -> TokenStream {
        let var = generated("ret");
        let annotation = self.ret.map(|t| quote!(: #t));
        quote! {
            let #var #annotation = #value;
            *__resumable_state = __resumable_State::Done;
            return ::core::task::Poll::Ready(#var);
        }
    }

    fn start_arm(&self) -> TokenStream {
        let fields = self.start_fields;
        let vars: Vec<Ident> = fields.iter().map(value_var).collect();
        let pat = nest(vars.iter().map(|v| v.to_token_stream()).collect());
        let body = Block {
            brace_token: Default::default(),
            stmts: self.forward(&self.root.stmts),
        };
        let finish = self.finish(body.to_token_stream());
        quote! {
            __resumable_State::Start { .. } => {
                let #pat = ::resumable::__private::start(__resumable_state, |__resumable_s| match __resumable_s {
                    __resumable_State::Start { #(#fields: #vars),* } => #pat,
                    _ => ::core::unreachable!(),
                });
                #finish
            }
        }
    }

    fn await_arm(&self, n: usize) -> TokenStream {
        let variant = variant(n);
        let fields: Vec<&Ident> = self.plans[n].fields().iter().map(|s| &s.field).collect();
        let vars: Vec<&Ident> = self.plans[n].fields().iter().map(|s| &s.var).collect();
        let pat = nest(vars.iter().map(|v| v.to_token_stream()).collect());
        let cont = self.continuation(n);
        let finish = self.finish(cont.to_token_stream());
        let span = self.yields[n].span;
        let poll =
            quote_spanned!(span=> ::core::task::ready!(__resumable_fut.poll(__resumable_cx)));
        quote! {
            __resumable_State::#variant { __resumable_fut, .. } => {
                let __resumable_out = #poll;
                let #pat = ::resumable::__private::resume(__resumable_state, |__resumable_s| match __resumable_s {
                    __resumable_State::#variant { __resumable_fut, #(#fields: #vars),* } => (__resumable_fut, #pat),
                    _ => ::core::unreachable!(),
                });
                #finish
            }
        }
    }

    /// The suspension at yield point `n`: store the future and the locals, leave the step.
    fn suspend(&self, n: usize) -> Stmt {
        let variant = variant(n);
        let fut = &self.yields[n].future;
        let fields = self.plans[n].fields();
        let inits = fields.iter().map(|s| {
            let (field, name) = (&s.field, &s.name);
            quote_spanned!(name.span()=> #field: ::resumable::__private::Slot::new(#name))
        });
        let span = self.yields[n].span;
        let fut = quote_spanned!(span=> ::resumable::__private::Pinned::new(#fut));
        parse_quote! {
            {
                *__resumable_state = __resumable_State::#variant {
                    __resumable_fut: #fut,
                    #(#inits,)*
                };
                continue '__resumable_machine;
            }
        }
    }

    /// Statements emitted as written, with yield points suspending.
    fn forward(&self, stmts: &[Stmt]) -> Vec<Stmt> {
        let mut out = Vec::with_capacity(stmts.len());
        for stmt in stmts {
            if let Some(n) = yield_stmt(stmt) {
                out.push(self.suspend(n));
                return out;
            }
            let mut stmt = stmt.clone();
            if let Some(ctrl) = crate::syntax::stmt_control_mut(&mut stmt) {
                *ctrl = self.forward_control(ctrl);
            }
            out.push(stmt);
        }
        out
    }

    fn forward_control(&self, ctrl: &Expr) -> Expr {
        let mut ctrl = ctrl.clone();
        for block in sub_blocks_mut(&mut ctrl) {
            if block_has_yield(block) {
                block.stmts = self.forward(&block.stmts);
            }
        }
        ctrl
    }

    fn restores(&self, plan: &Plan, level: usize) -> Vec<Stmt> {
        plan.levels[level]
            .iter()
            .map(|s| {
                let (name, var) = (&s.name, &s.var);
                let mutability = s.mutable.then(|| quote!(mut));
                let mut allow = Vec::new();
                if s.mutable {
                    allow.push(quote!(unused_mut));
                }
                if s.guard_only {
                    allow.push(quote!(unused_variables));
                }
                let allow = (!allow.is_empty()).then(|| quote!(#[allow(#(#allow),*)]));
                match &s.redeclare {
                    Some(ty) => {
                        let ty = ty.as_ref().map(|t| quote!(: #t));
                        parse_quote!(#allow let #mutability #name #ty;)
                    }
                    None => parse_quote!(#allow let #mutability #name = #var;),
                }
            })
            .collect()
    }

    /// The code that runs once yield point `n`'s future is ready, to the end of the body.
    fn continuation(&self, n: usize) -> Expr {
        let plan = &self.plans[n];
        let path = &plan.path;
        let blocks = level_blocks(self.root, path);
        let mut inner: Option<Expr> = None;
        for j in (0..path.len()).rev() {
            let block = blocks[j];
            let step = path[j];
            let mut stmts = self.restores(plan, j);
            let stmt = &block.stmts[step.stmt];
            match (step.entry, stmt) {
                (Entry::Here, Stmt::Local(local)) => {
                    let mut local = local.clone();
                    let init = local
                        .init
                        .as_mut()
                        .expect("a yield `let` has an initializer");
                    *init.expr = parse_quote!(::core::convert::identity(__resumable_out));
                    stmts.push(Stmt::Local(local));
                }
                (Entry::Here, _) => stmts.push(parse_quote!(::core::mem::drop(__resumable_out);)),
                (_, Stmt::Local(local)) => {
                    let mut local = local.clone();
                    let init = local
                        .init
                        .as_mut()
                        .expect("a control `let` has an initializer");
                    *init.expr = inner.take().expect("inner level");
                    stmts.push(Stmt::Local(local));
                }
                (_, Stmt::Expr(_, semi)) => {
                    let value = inner.take().expect("inner level");
                    let last = step.stmt + 1 == block.stmts.len();
                    let semi = if last {
                        *semi
                    } else {
                        Some(Default::default())
                    };
                    stmts.push(Stmt::Expr(value, semi));
                }
                _ => unreachable!("paths go through `let` and expression statements"),
            }
            stmts.extend(self.forward(&block.stmts[step.stmt + 1..]));
            let block = Block {
                brace_token: Default::default(),
                stmts,
            };
            inner = Some(if j == 0 {
                parse_quote!(#block)
            } else {
                let parent = stmt_control(&blocks[j - 1].stmts[path[j - 1].stmt])
                    .expect("control statement");
                self.wrap(parent, path[j - 1].entry, block)
            });
        }
        inner.expect("the root level")
    }

    /// The value of control expression `ctrl` once its sub-block (entered through
    /// `entry`) has been re-emitted as `block`.
    fn wrap(&self, ctrl: &Expr, entry: Entry, mut block: Block) -> Expr {
        match (entry, ctrl) {
            (Entry::Block, Expr::Block(b)) => {
                let label = &b.label;
                parse_quote!(#label #block)
            }
            (Entry::Block, Expr::Unsafe(_)) => parse_quote!(unsafe #block),
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
                let again = self.forward_control(ctrl);
                parse_quote!(#loop_label: { #iter_label: #block #again })
            }
            _ => parse_quote!(#block),
        }
    }
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
    fn nesting_keeps_twelve_flat_and_nests_beyond() {
        let items = |n: usize| (0..n).map(|i| quote!(a #i)).collect::<Vec<_>>();
        assert_eq!(nest(items(1)).to_string(), "a 0usize");
        assert_eq!(nest(items(2)).to_string(), "(a 0usize , a 1usize ,)");
        let nested = nest(items(13)).to_string();
        assert!(nested.starts_with("((a 0usize"), "{nested}");
    }

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
}
