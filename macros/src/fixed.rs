//! Fixed slots: locals that something holds a borrow of across a yield point
//! (`yield_await!(stream.read(&mut buf))`, `let r = &mut x;` kept across a yield, an
//! iterator over a local, a future reborrowing `&mut self`).
//!
//! Such a local cannot move between state variants while the borrow lives, so it gets a
//! `Fixed` slot in the machine's `slots` (pinned with the state), and the body is
//! rewritten to use the slot (see `resumable`'s `fixed` module for the runtime side and
//! the soundness argument, which rests on the borrow-checked twin the expansion emits):
//!
//! ```text
//! let mut buf = init;         let buf = init;
//!                        =>   let __resumable_fixed_buf_0 = __resumable_slots.K.init(buf);
//! read(&mut buf)         =>   read(&mut (*__resumable_fixed_buf_0.0.place()))
//! consume(buf)           =>   consume(__resumable_fixed_buf_0.0.move_out())
//! buf = other            =>   __resumable_fixed_buf_0.0.assign(other)
//! ```
//!
//! The handle `__resumable_fixed_buf_0` is an ordinary local to the rest of the pipeline:
//! stored in the state where `buf` would be, so `buf` drops where `async fn` drops it.
//!
//! Slots whose locals are never alive at the same time (the first one's scope ends before
//! the next is declared, or the first one ends early at its last use: see `ends`) share
//! one place of `slots`, an `Overlay` chain (see `Layout`), as rustc lets such locals of
//! an `async fn` share bytes.
//!
//! Which locals: one in scope at a yield point that is (syntactically) borrowed by what
//! lives across it: the awaited expression, or the initialiser of a local stored there
//! (the scrutinee, for a pattern binding; an iterator's item never borrows the iterator,
//! so a `for` loop's does not fix it). A borrow is `&x`, `&mut x`, a use in a non-`move`
//! closure or `async` block or in another macro's arguments, a plain `x` when `x` may
//! hold a `&mut` (which is then reborrowed), and a method call on `x` (or a field or
//! element of it): in the awaited expression, any method but a few that return owned
//! values (`len`, `clone`, numbers' `wrapping_mul`, `pow`, ..) or consume `x` (`into_*`,
//! `unwrap`, ..); in a local's initialiser, the methods that by their name return a view
//! or a guard (`iter`, `as_*`, `borrow`, `lock`, `get`, `*_mut`, ..), and any method when
//! `x` may hold a `&mut`.
//! The attribute sees no types, so this is a judgement: a local fixed without need
//! costs its handle in the state, and a method taking it by value then needs it moved out
//! first (`let x = x;`); one left unfixed that a user method's result borrows is a
//! borrow error from rustc on the expansion (`let r = &mut x;` first, then `r.method()`,
//! fixes it).
//!
//! Also fixed, borrowed or not: a big array (`[0u64; 256]`, 64 elements or more) kept at
//! two or more yields or inside a loop, which every step would otherwise move out of the
//! state and back (its slot costs no more than its bytes in the state: one kept at a
//! single yield stays in the state, where it shares bytes with the other variants, unless
//! a place free at its `let` is known to be as large, where it shares the bytes of the
//! locals there and adds none: `Form::Fits`, sizes as the `let`s tell them, `[0u8; 1024]`
//! or `: [u64; 128]`).
//!
//! Two lighter rewrites share the machinery (a form per target, see `Form`):
//!
//! - *Flagged* locals: one that holds a value on some paths only at a resume point (moved
//!   in a branch, or moved and assigned again after the yield) needs the drop flag
//!   `async fn` gives it, or it would be dropped too early (not stored) or fail to compile
//!   (stored by value, E0382). It becomes a `Flagged` value kept in the state like any
//!   local (`let __resumable_flag_x_K = Flagged::new(x);`), used as a slot is
//!   (`h.0.place()`, `h.0.move_out()`, `h.0.assign(v)`), so the state shares its bytes
//!   between variants as rustc's does. Its uses are no longer checked by rustc on the
//!   machine, so a flag, like a slot, brings the twin.
//! - *Renamed* locals: a binding shadowed at a resume point by a later one of the same
//!   name (in the same block or an inner one) gets a name of its own
//!   (`__resumable_shadowed_x_K`), so the state can keep it until the end of its scope
//!   and it is found again after an inner block. A generator (which has neither slots
//!   nor flags) gets these too.

use crate::analyse::{Entry, Kind, Point, Step, level_blocks};
use crate::analyse::{FORMAT_MACROS, place_root, same_path};
use crate::normalise::YieldPoint;
use crate::parse::CoroutineBlock;
use crate::syntax::{at, is_assign_op, marker_index, pattern_bindings, stmt_control};
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Attribute, BinOp, Block, Expr, Pat, Stmt, Token, parse_quote};

/// The attributes that mark a declaration for the rewrite, by what it becomes.
const ATTRS: [(&str, Form); 4] = [
    ("__resumable_fixed", Form::Slot),
    ("__resumable_fits", Form::Fits),
    ("__resumable_flagged", Form::Flag),
    ("__resumable_renamed", Form::Rename),
];

/// What a binding becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// A fixed slot (`Fixed` or `Movable`), used through its handle.
    Slot,
    /// A `Flagged` local in the state, used through its flag as a slot is.
    Flag,
    /// A plain local with a name of its own (`__resumable_shadowed_x_K`).
    Rename,
    /// A slot if a place free at its `let` is known to be as large (a big array kept at
    /// one yield only, which in the state would share bytes with the other variants, but
    /// in such a place shares them with the locals there), else a plain local.
    Fits,
}

/// What `fix` did.
pub struct Fixes {
    /// Per slot: whether it is `Movable` (the body moves the local out or assigns it).
    pub slots: Vec<bool>,
    /// Which slots share bytes.
    pub layout: Layout,
    /// The end markers (see `ends`) where a fixed local's place was freed.
    pub ended: Vec<usize>,
    /// Whether the body now uses slots or flags, which rustc checks only on the twin.
    pub twin: bool,
}

/// What `declarations` calls the stream of a `for_await!` loop.
const STREAM: &str = "__resumable_stream";

/// Whether a method's result does not borrow its receiver (in the common case), and the
/// method does not change it: one of `OWNED_RESULT`, or an integer's arithmetic
/// (`wrapping_mul`, `checked_add`, `saturating_sub`, `overflowing_neg`, ..: a mode and an
/// operation, so that a method of another type named `checked_get` is not taken for one).
pub fn owned_result(method: &str) -> bool {
    const MODES: [&str; 4] = ["wrapping_", "checked_", "saturating_", "overflowing_"];
    const OPERATIONS: &[&str] = &[
        "add",
        "sub",
        "mul",
        "div",
        "rem",
        "neg",
        "shl",
        "shr",
        "abs",
        "pow",
        "div_euclid",
        "rem_euclid",
        "add_signed",
        "add_unsigned",
        "sub_signed",
        "sub_unsigned",
        "ilog",
        "ilog2",
        "ilog10",
        "isqrt",
        "next_power_of_two",
        "next_multiple_of",
    ];
    OWNED_RESULT.contains(&method)
        || MODES.iter().any(|mode| {
            method
                .strip_prefix(mode)
                .is_some_and(|op| OPERATIONS.contains(&op))
        })
}

/// Methods whose result does not borrow their receiver (in the common case), and that
/// do not change it: views' lengths and tests, copies, and the arithmetic and bit
/// methods of numbers (which take it by value).
const OWNED_RESULT: &[&str] = &[
    "clone",
    "cloned",
    "copied",
    "len",
    "is_empty",
    "to_string",
    "to_owned",
    "to_vec",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "capacity",
    "pow",
    "abs",
    "signum",
    "rem_euclid",
    "div_euclid",
    "abs_diff",
    "rotate_left",
    "rotate_right",
    "count_ones",
    "count_zeros",
    "leading_zeros",
    "trailing_zeros",
    "swap_bytes",
    "reverse_bits",
    "to_be_bytes",
    "to_le_bytes",
    "to_ne_bytes",
    "is_positive",
    "is_negative",
    "is_power_of_two",
    "sqrt",
    "floor",
    "ceil",
    "round",
    "trunc",
    "is_nan",
    "is_finite",
];

/// Gives bindings shadowed at a resume point names of their own, then finds the locals
/// to fix and rewrites the body to use their slots (numbered from `first_slot`) or flags,
/// re-planning `points` after each rewrite. Slots and flags only where the machine is
/// `pinned` (a generator has neither: it is an `Iterator`, free to move, and has no twin).
/// `mut_refs` are the arguments that may hold a `&mut` (reborrowed when passed on).
pub fn fix(
    body: &mut Block,
    yields: &mut [YieldPoint],
    points: &mut Vec<Point>,
    first_slot: usize,
    mut_refs: &[String],
    pinned: bool,
) -> Fixes {
    let renames = shadowed(body, points);
    if !renames.is_empty() {
        rewrite(body, yields, &renames, first_slot);
        *points = crate::analyse::points(body, yields);
    }
    let targets = if pinned {
        decide(body, yields, points, mut_refs)
    } else {
        Vec::new()
    };
    if targets.is_empty() {
        if crate::ends::strip(body) {
            *points = crate::analyse::points(body, yields);
        }
        return Fixes {
            slots: Vec::new(),
            layout: Layout::default(),
            ended: Vec::new(),
            twin: false,
        };
    }
    let (slots, layout, ended) = rewrite(body, yields, &targets, first_slot);
    crate::ends::strip(body);
    if layout.shares() {
        SlotPaths(&layout).visit_block_mut(body);
        for y in yields.iter_mut() {
            SlotPaths(&layout).visit_expr_mut(&mut y.future);
        }
    }
    *points = crate::analyse::points(body, yields);
    mark_handles(points, &slots, first_slot);
    // (Unless every target was a `Fits` that did not fit.)
    let twin = !slots.is_empty() || targets.iter().any(|t| t.form == Form::Flag);
    Fixes {
        slots,
        layout,
        ended,
        twin,
    }
}

/// Where the fixed slots are: slots whose locals are never alive at the same time (their
/// scopes are disjoint) share the bytes of one place in the machine's `slots`, an
/// `Overlay` chain, as rustc lets such locals of an `async fn` share bytes (difftest class
/// 16). Slots are numbered from the first after the `for_await!` streams (`first`), in the
/// order the rewrite meets their locals; places likewise.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The number of stream slots before the fixed ones.
    first: usize,
    /// Per slot: its place and its index among the place's members.
    at: Vec<(usize, usize)>,
    /// Per place: its slots.
    places: Vec<Vec<usize>>,
    /// Per place: its size in bytes, if every member's is known from its `let`.
    sizes: Vec<Option<usize>>,
}

impl Layout {
    /// Whether some place holds more than one slot.
    pub fn shares(&self) -> bool {
        self.places.iter().any(|p| p.len() > 1)
    }

    /// `__resumable_slots.K` for slot `k` (numbered as its handle is): its place, and the
    /// way to its member when the place is shared.
    pub fn access(&self, k: usize) -> Expr {
        let (place, member) = self.at[k - self.first];
        let index = syn::Index::from(self.first + place);
        let mut e: Expr = parse_quote!(__resumable_slots.#index);
        if self.places[place].len() > 1 {
            for _ in 0..member {
                e = parse_quote!(#e.rest());
            }
            // (A place, as `__resumable_slots.K` is.)
            e = parse_quote!((*#e.first()));
        }
        e
    }

    /// The type of each place, given each slot's type (`Fixed<_>`, `Movable<S3>`, ..).
    pub fn types(&self, slot: impl Fn(usize) -> TokenStream) -> Vec<TokenStream> {
        self.places
            .iter()
            .map(|members| match members.as_slice() {
                [k] => slot(*k),
                _ => members.iter().rev().fold(quote!(()), |rest, &k| {
                    let first = slot(k);
                    quote!(::resumable::__private::Overlay<#first, #rest>)
                }),
            })
            .collect()
    }

    /// The empty value of each place, given each slot's empty value.
    pub fn empties(&self, slot: impl Fn(usize) -> TokenStream) -> Vec<TokenStream> {
        self.places
            .iter()
            .map(|members| {
                let empty = slot(members[0]);
                match members.len() {
                    1 => empty,
                    _ => quote!(::resumable::__private::Overlay::new(#empty)),
                }
            })
            .collect()
    }
}

/// Rewrites `__resumable_slots.K` (slot `K`, as the rewrite writes it) to its place.
struct SlotPaths<'a>(&'a Layout);

impl VisitMut for SlotPaths<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Expr::Field(f) = e {
            if let (Expr::Path(p), syn::Member::Unnamed(i)) = (&*f.base, &f.member) {
                if p.path.is_ident("__resumable_slots") && i.index as usize >= self.0.first {
                    *e = self.0.access(i.index as usize);
                    return;
                }
            }
        }
        syn::visit_mut::visit_expr_mut(self, e);
    }
}

/// Tags the targets' declarations and rewrites their uses; returns the slots' kinds.
fn rewrite(
    body: &mut Block,
    yields: &mut [YieldPoint],
    targets: &[Target],
    first_slot: usize,
) -> (Vec<bool>, Layout, Vec<usize>) {
    for target in targets {
        tag(body, target);
    }
    let mut rewriter = Rewriter {
        scopes: Vec::new(),
        next_slot: first_slot,
        next_name: 0,
        yields,
        captures: Vec::new(),
        opaque: false,
        first_slot,
        movable: Vec::new(),
        layout: Layout {
            first: first_slot,
            ..Layout::default()
        },
        busy: Vec::new(),
        ended: Vec::new(),
        pending: None,
    };
    rewriter.block(body);
    (rewriter.movable, rewriter.layout, rewriter.ended)
}

/// The bindings shadowed at a resume point by a later binding of the same name (in the
/// same block or an inner one): the state could not name them there, yet they live on
/// (to the end of their scope, or used again once the inner block is over).
fn shadowed(root: &Block, points: &[Point]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for point in points {
        let path = &point.plan.path;
        let decls = declarations(&level_blocks(root, path), path);
        for (a, (decl, name, _)) in decls.iter().enumerate() {
            let text = name.to_string();
            let shadowed = decls[a + 1..].iter().any(|(_, other, _)| other == name);
            let known = out
                .iter()
                .any(|t| same_path(&t.path, decl) && t.name == *name);
            if shadowed
                && !known
                && !is_handle(&text)
                && text != STREAM
                && binding_is_plain(root, decl, &text)
            {
                out.push(Target {
                    path: decl.clone(),
                    name: name.clone(),
                    form: Form::Rename,
                });
            }
        }
    }
    out
}

/// Marks the handles of fixed locals in the plans (their slot, parsed from the handle's
/// name `__resumable_fixed_x_K`): they are not fields of the state (but a `Movable`
/// slot's drop flag is, see `Stored::field_vars`). `movable` is per slot from
/// `first_slot` on.
fn mark_handles(points: &mut [Point], movable: &[bool], first_slot: usize) {
    for point in points {
        for level in &mut point.plan.levels {
            for stored in level {
                stored.fixed = handle_slot(&stored.name);
                stored.movable = stored
                    .fixed
                    .is_some_and(|k| movable.get(k - first_slot) == Some(&true));
            }
        }
    }
}

/// Whether a statement declares a fixed local (is or holds a tagged declaration).
fn declares_fixed(stmt: &Stmt) -> bool {
    struct Find(bool);
    impl Visit<'_> for Find {
        fn visit_attribute(&mut self, a: &Attribute) {
            self.0 |= ATTRS.iter().any(|(path, form)| {
                matches!(form, Form::Slot | Form::Fits) && a.path().is_ident(path)
            });
        }
    }
    let mut find = Find(false);
    find.visit_stmt(stmt);
    find.0
}

/// Whether a name is that of a fixed local's handle or of a flagged local.
fn is_handle(name: &str) -> bool {
    name.starts_with("__resumable_fixed_") || name.starts_with("__resumable_flag_")
}

/// The slot of a fixed local's handle, from its name `__resumable_fixed_x_K`.
fn handle_slot(name: &Ident) -> Option<usize> {
    let name = name.to_string();
    let rest = name.strip_prefix("__resumable_fixed_")?;
    rest.rsplit('_').next()?.parse().ok()
}

/// Where a fixed local is declared: a `let` (the path ends at it) or the pattern of the
/// block a path step enters (a `match` arm, an `if let`).
struct Target {
    path: Vec<Step>,
    name: Ident,
    form: Form,
}

fn decide(
    root: &Block,
    yields: &[YieldPoint],
    points: &[Point],
    mut_refs: &[String],
) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut big: Vec<(Vec<Step>, Ident, usize)> = Vec::new();
    // The declarations the state stores at some resume point.
    let mut kept_somewhere: Vec<(Vec<Step>, Ident)> = Vec::new();
    for point in points {
        let decls = declarations(&level_blocks(root, &point.plan.path), &point.plan.path);
        for stored in point.plan.fields() {
            if let Some((p, n, _)) = decls.iter().rev().find(|(_, n, _)| *n == stored.name) {
                kept_somewhere.push((p.clone(), n.clone()));
            }
        }
    }
    for point in points {
        let Kind::Yield(n) = point.kind else { continue };
        let path = &point.plan.path;
        let blocks = level_blocks(root, path);
        let decls = declarations(&blocks, path);
        let stored: Vec<String> = point
            .plan
            .fields()
            .iter()
            .map(|s| s.name.to_string())
            .collect();
        for (a, (decl, name, init)) in decls.iter().enumerate() {
            let text = name.to_string();
            if is_handle(&text) || text == STREAM {
                continue;
            }
            // What may hold a borrow of this `x` across the yield: the initialisers of
            // the stored locals declared after it (up to a `let` that shadows it, whose
            // own initialiser still sees it), and the awaited expression if `x` is not
            // shadowed there.
            let shadowed_at = decls[a + 1..]
                .iter()
                .position(|(_, other, _)| other == name)
                .map(|b| a + 1 + b);
            let mut holders: Vec<(&Expr, bool)> = Vec::new();
            if shadowed_at.is_none() {
                holders.push((&yields[n].future, true));
            }
            for (h, (_, holder, init)) in decls.iter().enumerate().skip(a + 1) {
                if shadowed_at.is_some_and(|s| h > s) {
                    break;
                }
                let latest = !decls[h + 1..].iter().any(|(_, other, _)| other == holder);
                if *holder == STREAM {
                    // Polled in place while the loop body suspends, like an awaited future.
                    holders.extend(init.map(|init| (init, true)));
                } else if latest && stored.contains(&holder.to_string()) {
                    holders.extend(init.map(|init| (init, false)));
                }
            }
            // A `for` loop's item: judged by what the loop iterates, not by its `next`.
            let origin = init.and_then(iterator_of).and_then(|iter| {
                decls[..a]
                    .iter()
                    .rev()
                    .find(|(_, other, _)| other == iter)
                    .and_then(|(_, _, init)| *init)
            });
            // A `let`-`else` binding: judged by its scrutinee, not by its `else` (which
            // diverges: see `normalise::split_let_else`).
            let origin = origin.or_else(|| {
                let held = init.and_then(else_scrutinee)?;
                decls[..a]
                    .iter()
                    .rev()
                    .find(|(_, other, _)| other == held)
                    .and_then(|(_, _, init)| *init)
            });
            let reborrows =
                mut_refs.contains(&text) || origin.or(*init).is_some_and(may_hold_mut_ref);
            let borrowed = holders.iter().any(|&(h, future)| {
                let mut scan = BorrowScan {
                    name: &text,
                    reborrows,
                    future,
                    yields,
                    found: false,
                };
                scan.visit_expr(h);
                scan.found
            });
            let known = out
                .iter()
                .any(|t| same_path(&t.path, decl) && t.name == *name);
            if borrowed && !known && binding_is_plain(root, decl, &text) {
                out.push(Target {
                    path: decl.clone(),
                    name: name.clone(),
                    form: Form::Slot,
                });
            }
            // A big value kept across yields is moved out of the state and back at every
            // step; in a fixed slot it stays put. Counted per yield it is stored at.
            let kept = shadowed_at.is_none() && stored.contains(&text);
            if kept && init.is_some_and(is_big) {
                let in_loop = path.iter().any(|s| s.entry == Entry::LoopBody);
                match big
                    .iter_mut()
                    .find(|(p, n, _)| same_path(p, decl) && n == name)
                {
                    Some(entry) => entry.2 += if in_loop { 2 } else { 1 },
                    None => big.push((decl.clone(), name.clone(), if in_loop { 2 } else { 1 })),
                }
            }
        }
    }
    // One kept at two or more yields (or in a loop); one kept at a single yield shares
    // the state's bytes with the other variants, so only if it fits a free place (where
    // it shares those of the locals there and adds none).
    for (decl, name, count) in big {
        let known = out
            .iter()
            .any(|t| same_path(&t.path, &decl) && t.name == name);
        if !known && binding_is_plain(root, &decl, &name.to_string()) {
            out.push(Target {
                path: decl,
                name,
                form: if count >= 2 { Form::Slot } else { Form::Fits },
            });
        }
    }
    // Held on some paths only at a resume point (moved in a branch, or moved and assigned
    // again after it): the drop flag `async fn` gives it. A fixed one has a flag already.
    for point in points {
        let decls = declarations(&level_blocks(root, &point.plan.path), &point.plan.path);
        for stored in point.plan.fields().into_iter().filter(|s| s.flag) {
            let Some((decl, name, _)) = decls.iter().rev().find(|(_, n, _)| *n == stored.name)
            else {
                continue;
            };
            let known = out
                .iter()
                .any(|t| same_path(&t.path, decl) && t.name == *name);
            if !known && binding_is_plain(root, decl, &name.to_string()) {
                out.push(Target {
                    path: decl.clone(),
                    name: name.clone(),
                    form: Form::Flag,
                });
            }
        }
    }
    out
}

/// Every binding in scope at the end of `path`, shadowed or not, in source order: where
/// it is declared (see `Target`), its name, and its initialiser (or scrutinee).
fn declarations<'a>(
    blocks: &[&'a Block],
    path: &[Step],
) -> Vec<(Vec<Step>, Ident, Option<&'a Expr>)> {
    let mut out = Vec::new();
    for (j, block) in blocks.iter().enumerate() {
        if j > 0 {
            if let Some((pat, scrutinee)) = stmt_control(&blocks[j - 1].stmts[path[j - 1].stmt])
                .and_then(|ctrl| entry_pattern(ctrl, path[j - 1].entry))
            {
                for b in pattern_bindings(pat) {
                    out.push((path[..j].to_vec(), b.name, Some(scrutinee)));
                }
            }
        }
        for (i, stmt) in block.stmts[..path[j].stmt].iter().enumerate() {
            let mut at = path[..j].to_vec();
            at.push(Step {
                stmt: i,
                entry: Entry::Here,
            });
            match stmt {
                Stmt::Local(l) => {
                    for b in pattern_bindings(&l.pat) {
                        out.push((at.clone(), b.name, l.init.as_ref().map(|init| &*init.expr)));
                    }
                }
                // The stream of a `for_await!` loop (in its slot while the loop runs):
                // named like the slot, so it is never itself a candidate.
                Stmt::Expr(Expr::MethodCall(m), _) if m.method == "start" => {
                    if let (Expr::Field(f), [stream]) =
                        (&*m.receiver, m.args.iter().collect::<Vec<_>>().as_slice())
                    {
                        if matches!(&*f.base, Expr::Path(p) if p.path.is_ident("__resumable_slots"))
                        {
                            out.push((
                                at.clone(),
                                Ident::new(STREAM, Span::call_site()),
                                Some(*stream),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The pattern a block entered through `entry` of `ctrl` starts with, and what it matches.
fn entry_pattern(ctrl: &Expr, entry: Entry) -> Option<(&Pat, &Expr)> {
    match (ctrl, entry) {
        (Expr::Match(m), Entry::Arm(k)) => Some((&m.arms[k].pat, &*m.expr)),
        (Expr::If(i), Entry::Then) => match &*i.cond {
            Expr::Let(l) => Some((&*l.pat, &*l.expr)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the declaration binds `name` by value with a plain identifier pattern (`x`,
/// `mut x`, also inside a tuple or struct pattern), which the rewrite can move into a slot.
fn binding_is_plain(root: &Block, decl: &[Step], name: &str) -> bool {
    let blocks = level_blocks(root, decl);
    let last = decl.last().expect("a declaration path is not empty");
    let pat = if last.entry == Entry::Here {
        match &blocks.last().expect("a block").stmts[last.stmt] {
            Stmt::Local(l) => &l.pat,
            _ => return false,
        }
    } else {
        let ctrl = stmt_control(&blocks.last().expect("a block").stmts[last.stmt]);
        if let (Some(Expr::Match(m)), Entry::Arm(k)) = (ctrl, last.entry) {
            if m.arms[k].guard.is_some() {
                return false; // the guard sees the binding by its name
            }
        }
        match ctrl.and_then(|ctrl| entry_pattern(ctrl, last.entry)) {
            Some((pat, _)) => pat,
            None => return false,
        }
    };
    let mut plain = false;
    visit_pat_idents(pat, &mut |p| {
        if p.ident == name {
            plain = p.by_ref.is_none() && p.subpat.is_none();
        }
    });
    plain
}

fn visit_pat_idents(pat: &Pat, f: &mut dyn FnMut(&syn::PatIdent)) {
    struct V<'f>(&'f mut dyn FnMut(&syn::PatIdent));
    impl Visit<'_> for V<'_> {
        fn visit_pat_ident(&mut self, p: &syn::PatIdent) {
            (self.0)(p);
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_expr(&mut self, _: &Expr) {}
    }
    V(f).visit_pat(pat);
}

/// The size in bytes of the local a `let` declares, where its syntax tells: a type of
/// fixed size (`[u8; 1024]`, `u64`), or an array of a typed literal (`[0u8; 1024]`).
fn known_size(l: &syn::Local) -> Option<usize> {
    fn of_type(ty: &syn::Type) -> Option<usize> {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => {
                primitive_size(&p.path.get_ident()?.to_string())
            }
            syn::Type::Array(a) => of_type(&a.elem)?.checked_mul(int_literal(&a.len)?),
            syn::Type::Paren(p) => of_type(&p.elem),
            _ => None,
        }
    }
    fn of_value(e: &Expr) -> Option<usize> {
        match e {
            Expr::Repeat(r) => of_value(&r.expr)?.checked_mul(int_literal(&r.len)?),
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => primitive_size(i.suffix()),
                syn::Lit::Float(f) => primitive_size(f.suffix()),
                syn::Lit::Bool(_) => Some(1),
                syn::Lit::Char(_) => Some(4),
                _ => None,
            },
            _ => None,
        }
    }
    fn int_literal(e: &Expr) -> Option<usize> {
        match e {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(n),
                ..
            }) => n.base10_parse().ok(),
            _ => None,
        }
    }
    // (Not `usize`: the target's width is not the macro's.)
    fn primitive_size(name: &str) -> Option<usize> {
        match name {
            "u8" | "i8" | "bool" => Some(1),
            "u16" | "i16" => Some(2),
            "u32" | "i32" | "f32" | "char" => Some(4),
            "u64" | "i64" | "f64" => Some(8),
            "u128" | "i128" => Some(16),
            _ => None,
        }
    }
    match &l.pat {
        Pat::Type(t) => of_type(&t.ty),
        _ => of_value(&l.init.as_ref()?.expr),
    }
}

/// Whether an initialiser makes a big value by its syntax: an array of 64 or more
/// elements (`[0u64; 256]`).
fn is_big(init: &Expr) -> bool {
    match init {
        Expr::Repeat(r) => match &*r.len {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(n),
                ..
            }) => n.base10_parse::<usize>().is_ok_and(|n| n >= 64),
            _ => false,
        },
        Expr::Array(a) => a.elems.len() >= 64,
        _ => false,
    }
}

/// Whether an initialiser (or an argument's type) may produce a `&mut` (or a pinned one),
/// which a plain use reborrows rather than moves.
pub fn may_hold_mut_ref(tokens: &impl ToTokens) -> bool {
    // (Without spaces: how tokens print differs between the compiler and tests.)
    let mut text: String = tokens
        .to_token_stream()
        .to_string()
        .split_whitespace()
        .collect();
    // The holders a kept temporary's place takes (`Edition::held(e, &mut before, &mut t)`)
    // are not `&mut`s the value holds: the place is the temporary itself.
    const HELD: &str = "Edition::held(";
    while let Some(start) = text.find(HELD) {
        let mut depth = 0;
        let end = text[start..]
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 1 => return Some(start + i + 1),
                    ')' => depth -= 1,
                    _ => {}
                }
                None
            })
            .unwrap_or(text.len());
        text.replace_range(start..end, "held_place");
    }
    // (Nor is the lint a kept temporary allows, `#[allow(unused_mut)]`.)
    let text = text.replace("unused_mut", "");
    ["&mut", "_mut", "by_ref", "Pin"]
        .iter()
        .any(|s| text.contains(s))
}

/// Whether an expression borrows `name` in a way that may outlive the expression.
struct BorrowScan<'a> {
    name: &'a str,
    reborrows: bool,
    /// Scanning an awaited future (any method may return one that borrows its receiver),
    /// rather than the initialiser of a local (where only methods that by their name
    /// return a view or a guard do, see `borrows_receiver`).
    future: bool,
    yields: &'a [YieldPoint],
    found: bool,
}

impl BorrowScan<'_> {
    fn rooted(&self, e: &Expr) -> bool {
        place_root(e).is_some_and(|i| i == self.name)
    }
}

impl<'ast> Visit<'ast> for BorrowScan<'_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::Path(p) if p.qself.is_none() && p.path.is_ident(self.name) => {
                self.found |= self.reborrows;
            }
            Expr::Reference(r) if self.rooted(&r.expr) => self.found = true,
            Expr::MethodCall(m) if self.rooted(&m.receiver) => {
                // A method whose result owns its data, or one that consumes the receiver
                // (then nothing can borrow it), does not borrow it.
                let method = m.method.to_string();
                let consumes = method.starts_with("into_")
                    || crate::analyse::CONSUMING_METHODS.contains(&method.as_str());
                let borrows = if self.future {
                    !owned_result(&method)
                } else {
                    self.reborrows || borrows_receiver(&method)
                };
                if borrows && !consumes {
                    self.found = true;
                }
                m.args.iter().for_each(|a| self.visit_expr(a));
            }
            Expr::Field(_) | Expr::Index(_) if self.rooted(e) => {
                if let Expr::Index(i) = e {
                    self.visit_expr(&i.index);
                }
            }
            Expr::Match(m) if self.rooted(&m.expr) => self.found = true,
            // An iterator's item never borrows the iterator (`for` loops are desugared
            // into `match Iterator::next(&mut iter)`).
            Expr::Call(c) if is_iterator_next(&c.func) => {}
            // An operand read ahead of a yield keeps a copy or nothing, and is compared
            // where it is picked: neither keeps a borrow.
            Expr::MethodCall(m) if crate::normalise::is_operand_probe(m) => {}
            Expr::Call(c) if crate::normalise::is_operand_pick(c) => {}
            Expr::Let(l) if self.rooted(&l.expr) => self.found = true,
            Expr::Closure(c) if c.capture.is_none() => {
                if mentions(&c.body.to_token_stream(), self.name) {
                    self.found = true;
                }
            }
            Expr::Async(a) if a.capture.is_none() => {
                if mentions(&a.block.to_token_stream(), self.name) {
                    self.found = true;
                }
            }
            Expr::Macro(m) => self.visit_macro(&m.mac),
            _ => syn::visit::visit_expr(self, e),
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let marker = Expr::Macro(syn::ExprMacro {
            attrs: Vec::new(),
            mac: mac.clone(),
        });
        if let Some(n) = marker_index(&marker) {
            // `let g = lock.lock().await;`: the output of a future may borrow like it.
            let future = std::mem::replace(&mut self.future, true);
            self.visit_expr(&self.yields[n].future);
            self.future = future;
            return;
        }
        let name = crate::syntax::macro_name(mac);
        if FORMAT_MACROS.contains(&name.as_str()) {
            return;
        }
        if mentions(&mac.tokens, self.name) {
            self.found = true;
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// Whether a method's result, kept in a local, may borrow its receiver: by its name, a
/// view or a guard (`iter`, `as_*`, `borrow`, `lock`, `get`, `*_mut`, ..). Other methods
/// are taken to return owned values (`group.spawn(..)`, `log.value(..)`): fixing their
/// receiver would cost its handle and, worse, make a later by-value call on it
/// (`group.join()`) a move out of the slot, which does not compile.
fn borrows_receiver(method: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "iter",
        "as_",
        "borrow",
        "try_borrow",
        "lock",
        "try_lock",
        "get",
        "first",
        "last",
        "peek",
        "front",
        "back",
        "split",
        "chunks",
        "windows",
        "trim",
        "strip_",
        "drain",
        "entry",
        "keys",
        "values",
        "chars",
        "char_indices",
        "bytes",
        "lines",
        "range",
        "by_ref",
        "deref",
        "read",
        "write",
        "enter",
        "slice",
        "view",
        "matches",
        "cursor",
    ];
    PREFIXES.iter().any(|p| method.starts_with(p))
        || method.ends_with("_mut")
        || method.ends_with("_ref")
}

/// `ITER` in `Iterator::next(&mut ITER)`, the scrutinee of a desugared `for` loop.
fn iterator_of(scrutinee: &Expr) -> Option<&Ident> {
    match scrutinee {
        Expr::Call(c) if is_iterator_next(&c.func) && c.args.len() == 1 => match &c.args[0] {
            Expr::Reference(r) => place_root(&r.expr),
            _ => None,
        },
        _ => None,
    }
}

/// The value a `let`-`else` binding comes from: `held` in the `match identity(held)
/// { Some(v) => v, None => DIV }` that `split_let_else` writes.
fn else_scrutinee(init: &Expr) -> Option<&Ident> {
    let mut e = init;
    while let Expr::Block(b) = e {
        match b.block.stmts.as_slice() {
            [Stmt::Expr(inner, None)] => e = inner,
            _ => return None,
        }
    }
    let Expr::Match(m) = e else { return None };
    let Expr::Call(c) = &*m.expr else { return None };
    match (c.args.first(), c.args.len()) {
        (Some(Expr::Path(p)), 1) if p.path.is_ident("__resumable_else") => p.path.get_ident(),
        _ => None,
    }
}

fn is_iterator_next(func: &Expr) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.len() >= 2
        && p.path.segments[p.path.segments.len() - 2].ident == "Iterator"
        && p.path.segments.last().is_some_and(|s| s.ident == "next"))
}

/// Whether tokens mention `name` as a variable (not as a field or method name, a path
/// segment or a macro name).
fn mentions(tokens: &TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(k, tt)| match tt {
        TokenTree::Ident(i) => i == name && is_variable(&trees, k),
        TokenTree::Group(g) => mentions(&g.stream(), name),
        _ => false,
    })
}

/// Whether the identifier at `k` stands for a variable: not after `.` or `::`, not
/// before `!`, `::` or a single `:` (a struct field or named argument), not a keyword
/// use.
fn is_variable(trees: &[TokenTree], k: usize) -> bool {
    let punct = |i: Option<usize>, c: char| {
        i.and_then(|i| trees.get(i))
            .is_some_and(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == c))
    };
    let after_dot = punct(k.checked_sub(1), '.');
    let after_colons = punct(k.checked_sub(1), ':') && punct(k.checked_sub(2), ':');
    let before_bang = punct(Some(k + 1), '!') && !punct(Some(k + 2), '=');
    let before_colon = punct(Some(k + 1), ':');
    !(after_dot || after_colons || before_bang || before_colon)
}

/// Marks the declaration of a target with `#[__resumable_fixed(name)]` (or the attribute
/// of its form, see `ATTRS`) on its `let`, its `match` arm or its `if let`, for the rewrite.
fn tag(root: &mut Block, target: &Target) {
    let name = &target.name;
    let (path, _) = ATTRS
        .iter()
        .find(|(_, form)| *form == target.form)
        .expect("every form has its attribute");
    let path = Ident::new(path, Span::call_site());
    let attr: Attribute = parse_quote!(#[#path(#name)]);
    let (last, prefix) = target.path.split_last().expect("not empty");
    let block = block_at_mut(root, prefix);
    let stmt = &mut block.stmts[last.stmt];
    if last.entry == Entry::Here {
        if let Stmt::Local(l) = stmt {
            l.attrs.push(attr);
        }
        return;
    }
    match control_mut(stmt) {
        Some(Expr::Match(m)) => {
            if let Entry::Arm(k) = last.entry {
                m.arms[k].attrs.push(attr);
            }
        }
        Some(Expr::If(i)) => i.attrs.push(attr),
        _ => {}
    }
}

fn control_mut(stmt: &mut Stmt) -> Option<&mut Expr> {
    match stmt {
        Stmt::Local(l) => l.init.as_mut().map(|init| &mut *init.expr),
        Stmt::Expr(e, _) => Some(e),
        _ => None,
    }
}

fn block_at_mut<'a>(root: &'a mut Block, path: &[Step]) -> &'a mut Block {
    let mut block = root;
    for step in path {
        let ctrl = control_mut(&mut block.stmts[step.stmt]).expect("a path goes through control");
        block = sub_block_mut(ctrl, step.entry);
    }
    block
}

fn sub_block_mut(e: &mut Expr, entry: Entry) -> &mut Block {
    match (e, entry) {
        (Expr::If(i), Entry::Then) => &mut i.then_branch,
        (Expr::If(i), Entry::Else) => match i.else_branch.as_mut().map(|(_, e)| &mut **e) {
            Some(Expr::Block(b)) => &mut b.block,
            _ => unreachable!("a path enters an `else` block"),
        },
        (Expr::Match(m), Entry::Arm(k)) => match &mut *m.arms[k].body {
            Expr::Block(b) => &mut b.block,
            _ => unreachable!("a path enters an arm block"),
        },
        (Expr::Loop(l), Entry::LoopBody) => &mut l.body,
        (Expr::Block(b), Entry::Block) => &mut b.block,
        (Expr::Unsafe(u), Entry::Block) => &mut u.block,
        _ => unreachable!("a path follows the blocks of the normalised body"),
    }
}

/// Takes the names (and forms) the tags of `tag` list out of `attrs`.
fn take_tags(attrs: &mut Vec<Attribute>) -> Vec<(Ident, Form)> {
    let mut names = Vec::new();
    attrs.retain(|a| {
        let Some((_, form)) = ATTRS.iter().find(|(path, _)| a.path().is_ident(path)) else {
            return true;
        };
        if let Ok(name) = a.parse_args::<Ident>() {
            names.push((name, *form));
        }
        false
    });
    names
}

/// How the code around a use of a local treats it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Moved or copied (`f(x)`, `let y = x;`).
    Value,
    /// Used in place (`&x`, `x.f`, `x.m()`, `x[i]`, `x += 1`, `match x`).
    Place,
}

/// What a name in scope is, to the rewrite.
#[derive(Clone)]
enum Binding {
    /// An ordinary local (or one a `move` closure being rewritten owns).
    Plain,
    /// A fixed or flagged local: its handle.
    Fixed(Ident),
    /// A renamed local: its new name.
    Renamed(Ident),
    /// A fixed local seen from inside a `move` closure or block: index into `captures`.
    Captured(usize),
}

/// A fixed local that a `move` closure or block may capture.
struct Capture {
    name: Ident,
    handle: Ident,
    /// Used by the closure's code.
    used: bool,
    /// Named in tokens of a macro whose arguments are not parsed (capture unknown).
    opaque: bool,
}

/// What a use of a name becomes.
enum Use {
    /// A use of a fixed or flagged local through its handle.
    Handle(Ident),
    /// The local's new name.
    Renamed(Ident),
}

struct Rewriter<'a> {
    /// The locals in scope, innermost last.
    scopes: Vec<(Ident, Binding)>,
    next_slot: usize,
    /// Numbers flags and new names.
    next_name: usize,
    yields: &'a mut [YieldPoint],
    captures: Vec<Capture>,
    /// In opaque macro tokens (uses there cannot be told from other identifiers).
    opaque: bool,
    first_slot: usize,
    /// Per slot: whether the body moves the local out or assigns it.
    movable: Vec<bool>,
    /// The places of the slots so far.
    layout: Layout,
    /// Per place: how many of its slots' locals are in scope (more than one only for a
    /// kept temporary's two holders, see `partner_place`).
    busy: Vec<usize>,
    /// The end markers that freed a place (see `ends`).
    ended: Vec<usize>,
    /// The end marker after the `let` being rewritten.
    pending: Option<Pending>,
}

/// An end marker right after a `let` (its local's last use is in the `let`'s value).
struct Pending {
    name: String,
    n: usize,
    /// Where the scopes of the marker's block start.
    mark: usize,
    /// Whether a fixed local is declared after the marker.
    later: bool,
    /// Whether the `let` ended the local (the marker is then done with).
    done: bool,
}

impl Rewriter<'_> {
    /// What a use of `name` becomes, if it is a target (a use of a fixed local from inside
    /// a `move` closure is recorded as a capture instead, and is not rewritten).
    fn lookup(&mut self, name: &Ident) -> Option<Use> {
        let found = self.scopes.iter().rev().find(|(n, _)| n == name)?;
        match &found.1 {
            Binding::Plain => None,
            Binding::Fixed(h) => Some(Use::Handle(h.clone())),
            Binding::Renamed(r) => Some(Use::Renamed(r.clone())),
            Binding::Captured(k) => {
                let k = *k;
                self.captures[k].used = true;
                self.captures[k].opaque |= self.opaque;
                None
            }
        }
    }

    /// Ends the scopes of the bindings from `mark` on: their slots' places are free for
    /// the locals declared after them.
    fn leave(&mut self, mark: usize) {
        for (_, binding) in &self.scopes[mark..] {
            if let Binding::Fixed(handle) = binding {
                if let Some(k) = handle_slot(handle) {
                    let (place, _) = self.layout.at[k - self.first_slot];
                    self.busy[place] -= 1;
                }
            }
        }
        self.scopes.truncate(mark);
    }

    fn bind_plain(&mut self, pat: &Pat) {
        for b in pattern_bindings(pat) {
            self.scopes.push((b.name.clone(), Binding::Plain));
        }
    }

    /// A new slot (or flag) for `name`: its handle, and the statement that stores the
    /// value of `value` (the renamed binding) or creates the empty slot of a `let x;`
    /// (typed if the `let` is).
    fn new_slot(
        &mut self,
        name: &Ident,
        form: Form,
        value: Option<&Ident>,
        init: Option<Option<&syn::Type>>,
        size: Option<usize>,
    ) -> (Ident, Stmt) {
        if form == Form::Flag {
            let handle = self.new_name("flag", name);
            let stmt = match init {
                None => {
                    let value = value.unwrap_or(name);
                    parse_quote!(let #handle = ::resumable::__private::Flagged::new(#value);)
                }
                Some(None) => {
                    parse_quote!(let #handle = ::resumable::__private::Flagged::uninit();)
                }
                Some(Some(ty)) => parse_quote!(
                    let #handle = ::resumable::__private::Flagged::<#ty>::uninit();
                ),
            };
            return (handle, stmt);
        }
        let k = self.next_slot;
        self.next_slot += 1;
        self.movable.push(init.is_some());
        // The place of its partner holder, if it is a kept temporary's; else the first
        // place whose locals are all out of scope (for `Fits`, one as large), or a new one.
        let place = match self
            .partner_place(name)
            .or_else(|| self.free_place(size, form == Form::Fits))
        {
            Some(place) => {
                let known = &mut self.layout.sizes[place];
                *known = known.zip(size).map(|(a, b)| a.max(b));
                place
            }
            None => {
                self.busy.push(0);
                self.layout.places.push(Vec::new());
                self.layout.sizes.push(size);
                self.busy.len() - 1
            }
        };
        self.busy[place] += 1;
        let member = self.layout.places[place].len();
        self.layout.places[place].push(k);
        self.layout.at.push((place, member));
        let plain = name.to_string();
        let plain = plain
            .trim_start_matches("r#")
            .trim_start_matches("__resumable_");
        let handle = Ident::new(&format!("__resumable_fixed_{plain}_{k}"), at(name.span()));
        let slot = syn::Index::from(k);
        let stmt = match init {
            None => {
                let value = value.unwrap_or(name);
                parse_quote!(let #handle = __resumable_slots.#slot.init(#value);)
            }
            Some(None) => parse_quote!(let #handle = __resumable_slots.#slot.uninit();),
            Some(Some(ty)) => parse_quote!(
                let #handle = ::resumable::__private::Movable::<#ty>::uninit(&__resumable_slots.#slot);
            ),
        };
        (handle, stmt)
    }

    /// The place of the other holder of a kept tail temporary, if `name` is one and the
    /// other is fixed and in scope. A temporary borrowed in a block's tail has two holders
    /// (`__resumable_tK_before`, declared at the block's start, and `__resumable_tK`, see
    /// `normalise`), of which the block's edition gives the value to one and `()` to the
    /// other (`Edition::split`): the two may share bytes, a zero-sized value writing
    /// none, as the one temporary of an `async fn` takes one place.
    fn partner_place(&self, name: &Ident) -> Option<usize> {
        let text = name.to_string();
        let rest = text.strip_prefix("__resumable_t")?;
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let partner = format!("{text}_before");
        let (_, binding) = self.scopes.iter().rev().find(|(n, _)| *n == partner)?;
        let Binding::Fixed(handle) = binding else {
            return None;
        };
        let k = handle_slot(handle)?;
        Some(self.layout.at[k - self.first_slot].0)
    }

    /// The first place whose locals are all out of scope; if `fitting`, the first known to
    /// be at least `size` bytes.
    fn free_place(&self, size: Option<usize>, fitting: bool) -> Option<usize> {
        (0..self.busy.len()).find(|&p| {
            self.busy[p] == 0
                && (!fitting
                    || self.layout.sizes[p]
                        .zip(size)
                        .is_some_and(|(place, own)| place >= own))
        })
    }

    /// The tags of a `let` as the rewrite takes them: a `Fits` local is a slot if a free
    /// place fits it (`size`), else plain.
    fn settle(&self, tags: Vec<(Ident, Form)>, size: Option<usize>) -> Vec<(Ident, Form)> {
        tags.into_iter()
            .filter_map(|(name, form)| match form {
                Form::Fits => self.free_place(size, true).map(|_| (name, Form::Fits)),
                _ => Some((name, form)),
            })
            .collect()
    }

    /// `__resumable_{what}_x_K`: a name of its own for a flag or a renamed local `x`.
    fn new_name(&mut self, what: &str, name: &Ident) -> Ident {
        let k = self.next_name;
        self.next_name += 1;
        let plain = name.to_string();
        let plain = plain
            .trim_start_matches("r#")
            .trim_start_matches("__resumable_");
        Ident::new(&format!("__resumable_{what}_{plain}_{k}"), at(name.span()))
    }

    /// Renames the bindings of `pat` that are tagged `Rename` (keeping `mut` and `ref`),
    /// binding the old names to the new ones.
    fn rename_in(&mut self, pat: &mut Pat, tags: &[(Ident, Form)]) {
        let mut renamed: Vec<(Ident, Ident)> = Vec::new();
        struct R<'a, 'b>(
            &'a mut Rewriter<'b>,
            &'a [(Ident, Form)],
            &'a mut Vec<(Ident, Ident)>,
        );
        impl VisitMut for R<'_, '_> {
            fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
                if self
                    .1
                    .iter()
                    .any(|(n, f)| *f == Form::Rename && *n == p.ident)
                {
                    let new = self.0.new_name("shadowed", &p.ident);
                    self.2.push((p.ident.clone(), new.clone()));
                    p.ident = new;
                }
                syn::visit_mut::visit_pat_ident_mut(self, p);
            }
            fn visit_expr_mut(&mut self, _: &mut Expr) {}
        }
        R(self, tags, &mut renamed).visit_pat_mut(pat);
        for b in pattern_bindings(pat) {
            match renamed.iter().find(|(_, new)| *new == b.name) {
                Some((old, new)) => self
                    .scopes
                    .push((old.clone(), Binding::Renamed(new.clone()))),
                None => self.scopes.push((b.name.clone(), Binding::Plain)),
            }
        }
    }

    fn block(&mut self, b: &mut Block) {
        let mark = self.scopes.len();
        // (A marker pending after a `let` is for that `let`, not for the blocks in it.)
        let outer = self.pending.take();
        let mut stmts = std::mem::take(&mut b.stmts).into_iter();
        let mut out = Vec::with_capacity(stmts.len());
        while let Some(stmt) = stmts.next() {
            if let Some((name, n)) = crate::ends::marker(&stmt) {
                let later = stmts.as_slice().iter().any(declares_fixed);
                match self.end(&name, n, mark, later) {
                    Some(drop) => out.push(drop),
                    // (Kept for the rewrite that fixes locals, if this one only renames.)
                    None => out.push(stmt),
                }
                continue;
            }
            // A `let` whose value is the local's last use: it ends before the `let`'s own
            // fixed locals take their places.
            let next = stmts.as_slice().first().and_then(crate::ends::marker);
            if let (Stmt::Local(_), Some((name, n))) = (&stmt, next) {
                let later = stmts.as_slice()[1..].iter().any(declares_fixed);
                self.pending = Some(Pending {
                    name,
                    n,
                    mark,
                    later,
                    done: false,
                });
            }
            self.stmt(stmt, &mut out);
            if self.pending.take().is_some_and(|p| p.done) {
                stmts.next();
            }
        }
        b.stmts = out;
        self.leave(mark);
        self.pending = outer;
    }

    /// At an end marker (see `ends`) for `name`, declared in the block whose scopes start
    /// at `mark`: if it has a fixed slot and a fixed local is declared `later`, frees its
    /// place and returns the statement that drops its handle.
    fn end(&mut self, name: &str, n: usize, mark: usize, later: bool) -> Option<Stmt> {
        let at = self.scopes.iter().rposition(|(n, _)| n == name)?;
        let Binding::Fixed(handle) = &self.scopes[at].1 else {
            return None;
        };
        let k = handle_slot(handle)?;
        if at < mark || !later {
            return None;
        }
        let drop = parse_quote!(::core::mem::drop(#handle););
        let (place, _) = self.layout.at[k - self.first_slot];
        self.busy[place] -= 1;
        self.scopes[at].1 = Binding::Plain;
        self.ended.push(n);
        Some(drop)
    }

    fn stmt(&mut self, stmt: Stmt, out: &mut Vec<Stmt>) {
        match stmt {
            Stmt::Local(mut l) => {
                let size = known_size(&l);
                let tags = take_tags(&mut l.attrs);
                if let Some(init) = &mut l.init {
                    self.expr(&mut init.expr, Ctx::Value);
                    if let Some((_, div)) = &mut init.diverge {
                        self.expr(div, Ctx::Value);
                    }
                }
                // A local whose last use is this `let`'s value ends (its handle dropped
                // after the `let`) before the `let`'s own fixed locals take their places.
                let mut ended = None;
                if let Some(p) = self.pending.take() {
                    let declares = tags
                        .iter()
                        .any(|(_, form)| matches!(form, Form::Slot | Form::Fits));
                    ended = self.end(&p.name, p.n, p.mark, p.later || declares);
                    self.pending = Some(Pending {
                        done: ended.is_some(),
                        ..p
                    });
                }
                let fixed = self.settle(tags, size);
                if fixed.is_empty() {
                    self.bind_plain(&l.pat);
                    out.push(Stmt::Local(l));
                    out.extend(ended);
                    return;
                }
                if fixed.iter().all(|(_, form)| *form == Form::Rename) {
                    self.rename_in(&mut l.pat, &fixed);
                    out.push(Stmt::Local(l));
                    out.extend(ended);
                    return;
                }
                if l.init.is_none() {
                    // `let x;` / `let x: T;`: the slot starts empty.
                    let ty = match &l.pat {
                        Pat::Type(t) => Some(&*t.ty),
                        _ => None,
                    };
                    // (No value: not a last use, nothing `ended`.)
                    let (name, form) = &fixed[0];
                    let (handle, decl) = self.new_slot(name, *form, None, Some(ty), size);
                    self.scopes.push((name.clone(), Binding::Fixed(handle)));
                    out.push(decl);
                    return;
                }
                let renamed = rename_fixed(&mut l.pat, &fixed);
                let bindings = pattern_bindings(&l.pat);
                out.push(Stmt::Local(l));
                out.extend(ended);
                for b in bindings {
                    if let Some((_, name, form)) = renamed.iter().find(|(r, _, _)| *r == b.name) {
                        let (handle, decl) = self.new_slot(name, *form, Some(&b.name), None, size);
                        out.push(decl);
                        self.scopes.push((name.clone(), Binding::Fixed(handle)));
                    } else {
                        self.scopes.push((b.name.clone(), Binding::Plain));
                    }
                }
            }
            Stmt::Expr(mut e, semi) => {
                self.expr(&mut e, Ctx::Value);
                out.push(Stmt::Expr(e, semi));
            }
            Stmt::Macro(mut m) => {
                self.mac(&mut m.mac);
                out.push(Stmt::Macro(m));
            }
            item @ Stmt::Item(_) => out.push(item),
        }
    }

    /// A block that starts with the bindings of a pattern, some of them fixed: they move
    /// into their slots as the block starts.
    fn block_with_fixed(&mut self, pat: &mut Pat, fixed: &[(Ident, Form)], b: &mut Block) {
        let mark = self.scopes.len();
        // (A pattern's binding has no size the rewrite knows: a `Fits` one stays plain.)
        let fixed = &self.settle(fixed.to_vec(), None);
        if fixed.is_empty() {
            self.bind_plain(pat);
            self.block(b);
            self.leave(mark);
            return;
        }
        if fixed.iter().all(|(_, form)| *form == Form::Rename) {
            self.rename_in(pat, fixed);
            self.block(b);
            self.leave(mark);
            return;
        }
        let renamed = rename_fixed(pat, fixed);
        let mut decls = Vec::new();
        for binding in pattern_bindings(pat) {
            if let Some((_, name, form)) = renamed.iter().find(|(r, _, _)| *r == binding.name) {
                let (handle, decl) = self.new_slot(name, *form, Some(&binding.name), None, None);
                decls.push(decl);
                self.scopes.push((name.clone(), Binding::Fixed(handle)));
            } else {
                self.scopes.push((binding.name.clone(), Binding::Plain));
            }
        }
        self.block(b);
        b.stmts.splice(0..0, decls);
        self.leave(mark);
    }

    /// A use of a fixed local, at the user's token (where rustc's errors about it point).
    fn use_of(&mut self, handle: &Ident, ctx: Ctx, at_use: &Ident) -> Expr {
        if ctx == Ctx::Value {
            self.moves(handle);
        }
        let handle = Ident::new(&handle.to_string(), at(at_use.span()));
        let span = at(at_use.span());
        match ctx {
            Ctx::Value => syn::parse_quote_spanned!(span=> #handle.0.move_out()),
            Ctx::Place => syn::parse_quote_spanned!(span=> (*#handle.0.place())),
        }
    }

    fn expr(&mut self, e: &mut Expr, ctx: Ctx) {
        match e {
            Expr::Path(p) if p.qself.is_none() => {
                if let Some(ident) = p.path.get_ident() {
                    let ident = ident.clone();
                    match self.lookup(&ident) {
                        Some(Use::Handle(handle)) => *e = self.use_of(&handle, ctx, &ident),
                        Some(Use::Renamed(new)) => *e = renamed_use(&new, &ident),
                        None => {}
                    }
                }
            }
            Expr::Reference(r) => self.expr(&mut r.expr, Ctx::Place),
            Expr::RawAddr(r) => self.expr(&mut r.expr, Ctx::Place),
            Expr::MethodCall(m) => {
                self.expr(&mut m.receiver, Ctx::Place);
                m.args.iter_mut().for_each(|a| self.expr(a, Ctx::Value));
            }
            Expr::Field(f) => self.expr(&mut f.base, Ctx::Place),
            Expr::Index(i) => {
                self.expr(&mut i.expr, Ctx::Place);
                self.expr(&mut i.index, Ctx::Value);
            }
            Expr::Paren(p) => self.expr(&mut p.expr, ctx),
            Expr::Group(g) => self.expr(&mut g.expr, ctx),
            Expr::Assign(a) => {
                self.expr(&mut a.right, Ctx::Value);
                let target = match &*a.left {
                    Expr::Path(p) if p.qself.is_none() => {
                        let ident = p.path.get_ident().cloned();
                        ident.and_then(|i| self.lookup(&i))
                    }
                    _ => None,
                };
                match target {
                    Some(Use::Renamed(_)) | None => self.expr(&mut a.left, Ctx::Place),
                    Some(Use::Handle(handle)) => {
                        self.moves(&handle);
                        let right = &a.right;
                        *e = parse_quote!(#handle.0.assign(#right));
                    }
                }
            }
            Expr::Binary(b) => {
                let (left, right) = match b.op {
                    op if is_assign_op(&op) => (Ctx::Place, Ctx::Value),
                    BinOp::Eq(_)
                    | BinOp::Ne(_)
                    | BinOp::Lt(_)
                    | BinOp::Le(_)
                    | BinOp::Gt(_)
                    | BinOp::Ge(_) => (Ctx::Place, Ctx::Place),
                    _ => (Ctx::Value, Ctx::Value),
                };
                self.expr(&mut b.left, left);
                self.expr(&mut b.right, right);
            }
            Expr::Unary(u) => {
                let inner = if matches!(u.op, syn::UnOp::Deref(_)) {
                    Ctx::Place
                } else {
                    Ctx::Value
                };
                self.expr(&mut u.expr, inner);
            }
            Expr::Call(c) => {
                self.expr(&mut c.func, Ctx::Place);
                c.args.iter_mut().for_each(|a| self.expr(a, Ctx::Value));
            }
            Expr::Match(m) => {
                self.expr(&mut m.expr, Ctx::Place);
                for arm in &mut m.arms {
                    let mark = self.scopes.len();
                    let fixed = take_tags(&mut arm.attrs);
                    self.bind_plain(&arm.pat);
                    if let Some((_, guard)) = &mut arm.guard {
                        self.expr(guard, Ctx::Value);
                    }
                    match &mut *arm.body {
                        Expr::Block(b) if !fixed.is_empty() => {
                            self.block_with_fixed(&mut arm.pat, &fixed, &mut b.block);
                        }
                        body => self.expr(body, Ctx::Value),
                    }
                    self.leave(mark);
                }
            }
            Expr::If(i) => {
                let fixed = take_tags(&mut i.attrs);
                let mark = self.scopes.len();
                self.expr(&mut i.cond, Ctx::Value);
                match &mut *i.cond {
                    Expr::Let(l) if !fixed.is_empty() => {
                        self.block_with_fixed(&mut l.pat, &fixed, &mut i.then_branch);
                    }
                    _ => self.block(&mut i.then_branch),
                }
                self.leave(mark);
                if let Some((_, els)) = &mut i.else_branch {
                    self.expr(els, Ctx::Value);
                }
            }
            Expr::Let(l) => {
                self.expr(&mut l.expr, Ctx::Place);
                self.bind_plain(&l.pat);
            }
            Expr::While(w) => {
                let mark = self.scopes.len();
                self.expr(&mut w.cond, Ctx::Value);
                self.block(&mut w.body);
                self.leave(mark);
            }
            Expr::ForLoop(f) => {
                self.expr(&mut f.expr, Ctx::Value);
                let mark = self.scopes.len();
                self.bind_plain(&f.pat);
                self.block(&mut f.body);
                self.leave(mark);
            }
            Expr::Loop(l) => self.block(&mut l.body),
            Expr::Block(b) => self.block(&mut b.block),
            Expr::Unsafe(u) => self.block(&mut u.block),
            Expr::Closure(c) => {
                if c.capture.is_some() {
                    let outer = self.open_captures();
                    let mark = self.scopes.len();
                    for input in &c.inputs {
                        self.bind_plain(input);
                    }
                    self.expr(&mut c.body, Ctx::Value);
                    self.leave(mark);
                    self.close_captures(outer, e);
                } else {
                    let mark = self.scopes.len();
                    for input in &c.inputs {
                        self.bind_plain(input);
                    }
                    self.expr(&mut c.body, Ctx::Value);
                    self.leave(mark);
                }
            }
            Expr::Async(a) => {
                if a.capture.is_some() {
                    let outer = self.open_captures();
                    self.block(&mut a.block);
                    self.close_captures(outer, e);
                } else {
                    self.block(&mut a.block);
                }
            }
            Expr::Struct(s) => {
                for field in &mut s.fields {
                    let shorthand = match (&field.member, &field.expr) {
                        (syn::Member::Named(m), Expr::Path(p))
                            if field.colon_token.is_none() && p.path.is_ident(m) =>
                        {
                            let m = m.clone();
                            // (a captured local is looked up again below: one use)
                            self.scopes
                                .iter()
                                .rev()
                                .find(|(n, _)| *n == m)
                                .is_some_and(|(_, b)| !matches!(b, Binding::Plain))
                        }
                        _ => false,
                    };
                    if shorthand {
                        field.colon_token = Some(Default::default());
                    }
                    self.expr(&mut field.expr, Ctx::Value);
                }
                if let Some(rest) = &mut s.rest {
                    self.expr(rest, Ctx::Value);
                }
            }
            Expr::Macro(m) => {
                if let Some(n) = marker_index(&Expr::Macro(m.clone())) {
                    let mut fut = std::mem::replace(&mut self.yields[n].future, parse_quote!(()));
                    self.expr(&mut fut, Ctx::Value);
                    self.yields[n].future = fut;
                } else if let Some(wrapped) = self.mac(&mut m.mac) {
                    *e = wrapped;
                }
            }
            Expr::Const(_) => {}
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }

    /// Records that the body moves the local of `handle` out (or assigns it): its slot,
    /// if it has one, must be `Movable`.
    fn moves(&mut self, handle: &Ident) {
        if let Some(k) = handle_slot(handle) {
            self.movable[k - self.first_slot] = true;
        }
    }

    /// Starts a `move` closure or block: the fixed locals in scope become possible
    /// captures. Returns what `close_captures` needs to restore.
    fn open_captures(&mut self) -> (usize, Vec<(Ident, Binding)>) {
        let start = self.captures.len();
        let saved = self.scopes.clone();
        for (name, binding) in self.scopes.iter_mut() {
            if let Binding::Fixed(handle) = binding {
                self.captures.push(Capture {
                    name: name.clone(),
                    handle: handle.clone(),
                    used: false,
                    opaque: false,
                });
                *binding = Binding::Captured(self.captures.len() - 1);
            }
        }
        (start, saved)
    }

    /// Ends a `move` closure or block `e`: the fixed locals it uses move out of their
    /// slots into plain locals of the same name just before it, so it owns them (as in
    /// `async fn`). One used only inside another macro's tokens (where a use cannot be
    /// told from a field or pattern of the same name) is an error: a wrong guess would
    /// move it when `async fn` would not.
    fn close_captures(&mut self, (start, saved): (usize, Vec<(Ident, Binding)>), e: &mut Expr) {
        self.scopes = saved;
        let captures: Vec<Capture> = self.captures.drain(start..).collect();
        // A capture by an inner `move` closure is a capture by this one too.
        for c in captures.iter().filter(|c| c.used) {
            if let Some(outer) = self.captures.iter_mut().find(|o| o.handle == c.handle) {
                outer.used = true;
                outer.opaque |= c.opaque;
            }
        }
        let used: Vec<&Capture> = captures.iter().filter(|c| c.used).collect();
        if let Some(c) = used.iter().find(|c| c.opaque) {
            let message = format!(
                "this `move` closure (or block) names `{0}` inside a macro's arguments, and \
                 `{0}` is borrowed across a yield point, so it lives in a fixed slot: bind \
                 it first (`let {0} = {0};`) so the closure's capture is plain",
                c.name
            );
            let span = at(c.name.span());
            *e = parse_quote!(::core::compile_error!(#message));
            let _ = span;
            return;
        }
        if used.is_empty() {
            return;
        }
        for c in &used {
            self.moves(&c.handle);
        }
        let lets = used.iter().map(|c| {
            let (name, handle) = (&c.name, &c.handle);
            quote!(#[allow(unused_mut)] let mut #name = #handle.0.move_out();)
        });
        let inner = &*e;
        *e = parse_quote!({ #(#lets)* #inner });
    }

    /// Rewrites the uses in another macro's arguments; for a `move` `coroutine_block!`,
    /// returns the block that moves its captures out of their slots first.
    fn mac(&mut self, mac: &mut syn::Macro) -> Option<Expr> {
        let name = crate::syntax::macro_name(mac);
        if name == "coroutine_block" {
            let Ok(mut b) = mac.parse_body::<CoroutineBlock>() else {
                return None;
            };
            let outer = b.capture.is_some().then(|| self.open_captures());
            self.block(&mut b.body);
            let (capture, stmts) = (&b.capture, &b.body.stmts);
            mac.tokens = quote!(#capture #(#stmts)*);
            let outer = outer?;
            let mut e: Expr = Expr::Macro(syn::ExprMacro {
                attrs: Vec::new(),
                mac: mac.clone(),
            });
            self.close_captures(outer, &mut e);
            return Some(e);
        }
        if name == "yield_await" || name == "vec" {
            if let Ok(mut args) =
                mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            {
                args.iter_mut().for_each(|a| self.expr(a, Ctx::Value));
                mac.tokens = args.to_token_stream();
                return None;
            }
        }
        if FORMAT_MACROS.contains(&name.as_str()) {
            if let Ok(mut args) =
                mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            {
                let mut inline = Vec::new();
                for arg in args.iter_mut() {
                    match arg {
                        Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => inline.extend(self.inline_names(&s.value())),
                        // A named argument `name = value`.
                        Expr::Assign(a) if matches!(&*a.left, Expr::Path(_)) => {
                            self.expr(&mut a.right, Ctx::Place)
                        }
                        other => self.expr(other, Ctx::Place),
                    }
                }
                for (name, target) in inline {
                    let named = args.iter().any(|a| matches!(a, Expr::Assign(x) if matches!(&*x.left, Expr::Path(p) if p.path.is_ident(&name))));
                    if !named {
                        args.push(match target {
                            Use::Handle(handle) => parse_quote!(#name = (*#handle.0.place())),
                            Use::Renamed(new) => parse_quote!(#name = #new),
                        });
                    }
                }
                mac.tokens = args.to_token_stream();
                return None;
            }
        }
        self.opaque = true;
        mac.tokens = self.tokens(mac.tokens.clone());
        self.opaque = false;
        None
    }

    /// The targets a format string names inline (`{buf}`, `{buf:?}`).
    fn inline_names(&mut self, format: &str) -> Vec<(Ident, Use)> {
        let mut out: Vec<(Ident, Use)> = Vec::new();
        let names: Vec<Ident> = self.scopes.iter().map(|(n, _)| n.clone()).collect();
        for name in names.into_iter().rev() {
            let named =
                format.contains(&format!("{{{name}}}")) || format.contains(&format!("{{{name}:"));
            if !named || out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            if let Some(handle) = self.lookup(&name) {
                out.push((name, handle));
            }
        }
        out
    }

    /// Token-level rewrite of another macro's arguments: each fixed local becomes its
    /// place (a macro that moves it then fails to compile, rather than misbehave).
    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = TokenStream::new();
        for (k, tt) in trees.iter().enumerate() {
            match tt {
                TokenTree::Ident(i) if is_variable(&trees, k) => match self.lookup(i) {
                    Some(Use::Handle(handle)) => {
                        let span = at(i.span());
                        out.extend(quote_spanned!(span=> (*#handle.0.place())));
                    }
                    Some(Use::Renamed(new)) => {
                        out.extend([TokenTree::Ident(Ident::new(&new.to_string(), at(i.span())))]);
                    }
                    None => out.extend([tt.clone()]),
                },
                TokenTree::Group(g) => {
                    let mut group = Group::new(g.delimiter(), self.tokens(g.stream()));
                    group.set_span(g.span());
                    out.extend([TokenTree::Group(group)]);
                }
                other => out.extend([other.clone()]),
            }
        }
        out
    }
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        self.expr(e, Ctx::Value);
    }
    fn visit_block_mut(&mut self, b: &mut Block) {
        self.block(b);
    }
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        let _ = self.mac(m);
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// A use of a renamed local: its new name, at the user's token.
fn renamed_use(new: &Ident, at_use: &Ident) -> Expr {
    let new = Ident::new(&new.to_string(), at(at_use.span()));
    parse_quote!(#new)
}

/// Renames the fixed bindings of a pattern to `__resumable_value_x` (by value, without
/// `mut`: the value moves into its slot at once, and a later mention of `x` — in a format
/// string, say — must not find it). Returns (new name, old name, form) triples.
fn rename_fixed(pat: &mut Pat, names: &[(Ident, Form)]) -> Vec<(Ident, Ident, Form)> {
    struct Rename<'a>(&'a [(Ident, Form)], Vec<(Ident, Ident, Form)>);
    impl VisitMut for Rename<'_> {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            if let Some((_, form)) = self.0.iter().find(|(n, _)| *n == p.ident) {
                p.mutability = None;
                let plain = p.ident.to_string();
                let plain = plain
                    .trim_start_matches("r#")
                    .trim_start_matches("__resumable_");
                let new = Ident::new(&format!("__resumable_value_{plain}"), at(p.ident.span()));
                self.1.push((new.clone(), p.ident.clone(), *form));
                p.ident = new;
            }
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
        fn visit_expr_mut(&mut self, _: &mut Expr) {}
    }
    let mut r = Rename(names, Vec::new());
    r.visit_pat_mut(pat);
    r.1
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    fn expand(source: &str) -> String {
        let f: syn::ItemFn = syn::parse_str(source).expect("a test fn parses");
        crate::parse::parse_fn(proc_macro2::TokenStream::new(), f.to_token_stream())
            .and_then(crate::emit::expand_fn)
            .expect("the test fn expands")
            .to_string()
    }

    #[test]
    fn a_big_array_kept_at_one_yield_takes_a_free_place_only_if_it_fits() {
        let body = |first: &str, second: &str| {
            expand(&format!(
                "fn f() -> usize {{
                    let n = {{ {first}; yield_await!(touch(&mut buf)) }};
                    let m = {{ {second}; yield_await!(w(0)); usize::from(other[n]) }};
                    n + m
                }}"
            ))
        };
        let fits = body("let mut buf = [0u8; 1024]", "let other = [2u8; 1000]");
        assert!(fits.contains("fixed_other"), "{fits}");
        let equal = body(
            "let mut buf: [u16; 512] = [0; 512]",
            "let other = [2u8; 1024]",
        );
        assert!(equal.contains("fixed_other"), "{equal}");
        // Larger than the place, or of a size the `let` does not tell: in the state.
        for (first, second) in [
            ("let mut buf = [0u8; 1024]", "let other = [2u8; 1025]"),
            ("let mut buf = [0; 1024]", "let other = [2u8; 64]"),
            ("let mut buf = [0u8; 1024]", "let other = [2usize; 64]"),
            ("let mut buf = vec![0u8; 1024]", "let other = [2u8; 64]"),
        ] {
            let out = body(first, second);
            assert!(!out.contains("fixed_other"), "{first}; {second}: {out}");
        }
    }

    #[test]
    fn a_big_array_fits_the_place_of_a_local_whose_last_use_is_its_value() {
        // `acc`'s last use is `big`'s value: it ends after that `let`, before `big` takes
        // a place, so `big` fits `acc`'s (512 bytes).
        let out = expand(
            "fn f(n: u32) -> u8 {
                let mut acc: [u8; 512] = [0; 512];
                for i in 0..n { yield_await!(bump(&mut acc, i)); }
                let big: [u8; 300] = [acc[0]; 300];
                yield_await!(w(0));
                big[1]
            }",
        );
        assert!(out.contains("fixed_big"), "{out}");
        let (end, slot) = (
            out.find("drop (__resumable_fixed_acc"),
            out.find("fixed_big"),
        );
        assert!(end.is_some() && end < slot, "{out}");
    }

    #[test]
    fn a_let_else_binding_is_judged_by_its_scrutinee_not_its_else() {
        // The `else`'s loop writes `&mut` (its iterator), which once made `x` look like
        // it may hold one, fixed in a slot (difftest seed 10 program 8159: 16 B).
        let out = expand(
            "fn f(n: Option<u64>) -> u64 {
                let Some(x) = n else {
                    for i in 0..3 { yield_await!(g(i)); }
                    panic!()
                };
                yield_await!(h(x)) + x
            }",
        );
        assert!(!out.contains("fixed_x"), "{out}");
        let out = expand(
            "fn f(mut v: Option<u64>) -> u64 {
                let Some(x) = v.as_mut() else {
                    yield_await!(g(0));
                    panic!()
                };
                yield_await!(h(x));
                *x
            }",
        );
        assert!(
            out.contains("fixed_x"),
            "a `&mut` scrutinee still counts: {out}"
        );
    }

    #[test]
    fn a_kept_temporarys_lint_allowance_is_not_a_mut_borrow() {
        // `#[allow(unused_mut)] let mut __resumable_tN = ..` (a temporary kept to the end
        // of its statement) read as `_mut`, and fixed what the statement binds
        // (difftest seed 42 program 205: 32 B of slots).
        let out = expand(
            "fn f(n: u64) -> u64 {
                let Some(x) = ok(yield_await!(w(keep(&make(1), n)))) else {
                    yield_await!(w(0));
                    panic!()
                };
                yield_await!(w({ if x < 11 {} 12 }))
            }",
        );
        assert!(out.contains("allow (unused_mut)"), "{out}");
        assert!(!out.contains("__resumable_slots . 0 . init"), "{out}");
    }

    #[test]
    fn number_methods_in_an_awaited_expression_do_not_fix_their_receiver() {
        // `a.wrapping_mul(3)` takes `a` by value: nothing borrows `a` across the yield, so
        // it stays in the state (it was fixed, with a twin for the body).
        for call in [
            "a.wrapping_mul(3)",
            "a.checked_add(1).unwrap_or(0)",
            "a.saturating_sub(2)",
            "a.overflowing_neg().0",
            "a.rotate_left(7)",
            "a.pow(2)",
            "a.count_ones()",
            "a.to_le_bytes()[0]",
        ] {
            let out = expand(&format!(
                "fn f(x: u32) -> u32 {{
                    let a = yield_await!(w(x));
                    let b = yield_await!(w({call}));
                    a + b
                }}"
            ));
            assert!(!out.contains("fixed_a"), "{call}: {out}");
            assert!(!out.contains("if false"), "{call}: no twin: {out}");
        }
        // Any other method may return a view of its receiver: fixed. So is one that only
        // starts like an integer's arithmetic (another type's `checked_get` may return a
        // reference into its receiver).
        for call in ["a.view()", "a.checked_get(3)", "a.wrapping_iter()"] {
            let out = expand(&format!(
                "fn f(x: u32) -> u32 {{
                    let a = yield_await!(w(x));
                    yield_await!(w({call}))
                }}"
            ));
            assert!(out.contains("fixed_a"), "{call}: {out}");
        }
    }
}
