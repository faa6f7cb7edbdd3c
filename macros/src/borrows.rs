//! Self-referential borrows: a reference to a local, held across a yield point. The state
//! machine moves the reference into its state at the yield, and the local too (or drops
//! it, if it is not needed later), which would leave the reference dangling, so rustc rejects the expansion
//! with errors about `__resumable_State` (E0505/E0597). This stage finds the cases that
//! are certain from the syntax alone and reports them on the user's `&x` instead.
//!
//! Certain means: `let r = &x;` / `let r = &mut x;` / `let ref r = x;` (a borrow of the
//! local itself), or a borrow of a part of it (`&x[0]`, `&x.field`, `let (ref a, _) = x;`)
//! when `x` is certainly not a shared reference (whose parts outlive it): its `let` has an
//! owning type (`Vec<..>`, `String`, `[T; N]`, ..) or an owning initializer (`vec![..]`,
//! `[..]`, `String::from(..)`, `.to_vec()`, ..). Anything less certain is left to rustc.

use crate::analyse::{Kind, Point, level_blocks};
use crate::normalise::YieldPoint;
use crate::syntax::pattern_binds;
use proc_macro2::{Ident, TokenStream};
use quote::ToTokens;
use syn::{Block, Expr, Local, Pat, Stmt, Type};

/// Reports each binding that certainly borrows another local across a yield point.
pub fn check(root: &Block, yields: &[YieldPoint], points: &[Point]) -> syn::Result<()> {
    let mut errors: Option<syn::Error> = None;
    let mut reported: Vec<*const Local> = Vec::new();
    for point in points {
        let Kind::Yield(n) = point.kind else { continue };
        let path = &point.plan.path;
        let blocks = level_blocks(root, path);
        let stored: Vec<&Ident> = point.plan.fields().iter().map(|s| &s.name).collect();
        let declaration = |name: &Ident| -> Option<&Local> {
            (0..blocks.len()).rev().find_map(|j| {
                blocks[j].stmts[..path[j].stmt]
                    .iter()
                    .rev()
                    .find_map(|stmt| match stmt {
                        Stmt::Local(l) if pattern_binds(&l.pat, &name.to_string()) => Some(l),
                        _ => None,
                    })
            })
        };
        for &first in &stored {
            let Some(local) = declaration(first) else {
                continue;
            };
            if reported.contains(&std::ptr::from_ref(local)) {
                continue;
            }
            let Some((borrowed, tokens)) = borrow_of(local, first) else {
                continue;
            };
            // Whether `x` is kept in the state or dropped at the yield (a local of the step
            // that ends there), the reference would outlive it.
            let kept = stored.contains(&borrowed.name);
            if borrowed.name == first || declaration(borrowed.name).is_none() {
                continue;
            }
            let certain = !borrowed.partial
                || declaration(borrowed.name).is_some_and(|l| owns(l, borrowed.name));
            if !certain {
                continue;
            }
            reported.push(std::ptr::from_ref(local));
            let names = borrowed.name;
            let at = yield_name(&yields[n]);
            let fate = if kept {
                format!("moves `{names}` into its state")
            } else {
                format!("drops `{names}`")
            };
            // (Past a `yield_await!`, such borrows get a fixed slot instead: only what the
            // syntax hides, e.g. `let ref r = x;`, arrives here.)
            let why = if yields[n].suspend == crate::normalise::Suspend::Yield {
                "a generator is an `Iterator`, free to move between items, so (like a `gen` \
                 block) it cannot keep a borrow of its own local"
                    .to_string()
            } else {
                format!("the state machine {fate} there, which would invalidate `{first}`")
            };
            let e = syn::Error::new_spanned(
                tokens,
                format!(
                    "`{first}` borrows the local `{names}` across a `{at}`: {why}; \
                     own the value instead (clone it, keep an index, or use \
                     `{names}.into_iter()`), or share it with an `Rc`"
                ),
            );
            match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

fn yield_name(y: &YieldPoint) -> String {
    match &y.path {
        Some(p) => format!(
            "{}!",
            p.segments
                .last()
                .map_or_else(String::new, |s| s.ident.to_string())
        ),
        None => ".await".to_string(),
    }
}

/// The local a place expression is rooted in: `x`, or a part of it through fields and
/// indexing (`partial`), never through an explicit deref or a call.
struct Root<'a> {
    name: &'a Ident,
    partial: bool,
}

fn place_root(e: &Expr) -> Option<Root<'_>> {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => {
            p.path.get_ident().map(|name| Root {
                name,
                partial: false,
            })
        }
        Expr::Paren(p) => place_root(&p.expr),
        Expr::Field(f) => place_root(&f.base).map(|r| Root { partial: true, ..r }),
        Expr::Index(i) => place_root(&i.expr).map(|r| Root { partial: true, ..r }),
        _ => None,
    }
}

/// What `local` makes its binding `first` borrow, and where the borrow is written.
fn borrow_of<'a>(local: &'a Local, first: &Ident) -> Option<(Root<'a>, TokenStream)> {
    let init = local.init.as_ref()?;
    let pat = match &local.pat {
        Pat::Type(t) => &*t.pat,
        p => p,
    };
    match pat {
        Pat::Ident(p) if p.ident == *first && p.subpat.is_none() => {
            if p.by_ref.is_some() {
                // `let ref first = x..;`
                place_root(&init.expr).map(|r| (r, pat.to_token_stream()))
            } else {
                let mut e = &*init.expr;
                while let Expr::Paren(p) = e {
                    e = &p.expr;
                }
                match e {
                    Expr::Reference(r) => {
                        place_root(&r.expr).map(|root| (root, e.to_token_stream()))
                    }
                    _ => None,
                }
            }
        }
        // `let (ref first, _) = x;`: a part of `x`, whatever the pattern's shape.
        _ => {
            let span = ref_binding(pat, first)?;
            place_root(&init.expr).map(|r| (Root { partial: true, ..r }, span))
        }
    }
}

/// The span of a `ref`/`ref mut` binding of `name` inside a pattern.
fn ref_binding(pat: &Pat, name: &Ident) -> Option<TokenStream> {
    struct Find<'n>(&'n Ident, Option<TokenStream>);
    impl syn::visit::Visit<'_> for Find<'_> {
        fn visit_pat_ident(&mut self, p: &syn::PatIdent) {
            if p.ident == *self.0 && p.by_ref.is_some() {
                self.1 = Some(p.to_token_stream());
            }
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut f = Find(name, None);
    syn::visit::Visit::visit_pat(&mut f, pat);
    f.1
}

const OWNING_TYPES: &[&str] = &[
    "Vec",
    "String",
    "VecDeque",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "Box",
];

/// Whether `local` certainly gives `name` an owned value (not a reference, through which
/// a borrow of a part would outlive the binding).
fn owns(local: &Local, name: &Ident) -> bool {
    let Pat::Ident(p) = (match &local.pat {
        Pat::Type(t) => &*t.pat,
        p => p,
    }) else {
        return false;
    };
    if p.ident != *name || p.by_ref.is_some() || p.subpat.is_some() {
        return false;
    }
    if let Pat::Type(t) = &local.pat {
        return owning_type(&t.ty);
    }
    local
        .init
        .as_ref()
        .is_some_and(|init| owning_expr(&init.expr))
}

fn owning_type(ty: &Type) -> bool {
    match ty {
        Type::Array(_) => true,
        Type::Tuple(t) => !t.elems.is_empty(),
        Type::Paren(p) => owning_type(&p.elem),
        Type::Path(p) if p.qself.is_none() => p
            .path
            .segments
            .last()
            .is_some_and(|s| OWNING_TYPES.iter().any(|t| s.ident == t)),
        _ => false,
    }
}

fn owning_expr(e: &Expr) -> bool {
    match e {
        Expr::Array(_) | Expr::Repeat(_) | Expr::Struct(_) => true,
        Expr::Tuple(t) => !t.elems.is_empty(),
        Expr::Paren(p) => owning_expr(&p.expr),
        Expr::Macro(m) => m.mac.path.is_ident("vec") || m.mac.path.is_ident("format"),
        Expr::Call(c) => match &*c.func {
            // `Vec::new()`, `String::from(..)`, `HashMap::with_capacity(..)`, ..
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() >= 2 => {
                let segs = &p.path.segments;
                let ty = &segs[segs.len() - 2].ident;
                let ctor = segs[segs.len() - 1].ident.to_string();
                OWNING_TYPES.iter().any(|t| ty == t)
                    && matches!(
                        ctor.as_str(),
                        "new" | "from" | "with_capacity" | "default" | "from_iter"
                    )
            }
            _ => false,
        },
        Expr::MethodCall(m) => {
            matches!(m.method.to_string().as_str(), "to_vec" | "to_string")
                || (m.method == "collect" && m.turbofish.as_ref().is_some_and(|t| {
                    t.args.len() == 1
                        && matches!(&t.args[0], syn::GenericArgument::Type(ty) if owning_type(ty))
                }))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::analyse::points;
    use crate::normalise::{check, normalise};
    use syn::{Block, parse_quote};

    fn errors(body: Block) -> Vec<String> {
        check(&body, None, None).unwrap();
        let n = normalise(body).unwrap();
        let points = points(&n.body, &n.yields);
        match super::check(&n.body, &n.yields, &points) {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_reference_to_an_element_of_an_owned_local_across_a_yield_is_reported() {
        let e = errors(parse_quote!({
            let names = vec![String::new()];
            let first = &names[0];
            yield_await!(x);
            first.len()
        }));
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("`first` borrows the local `names` across a `yield_await!`"));
    }

    #[test]
    fn a_reference_to_a_whole_local_of_any_type_is_reported() {
        let e = errors(parse_quote!({
            let names = f();
            let all = &mut names;
            yield_await!(x);
            all.len()
        }));
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn a_ref_binding_to_a_local_is_reported() {
        let e = errors(parse_quote!({
            let names = f();
            let ref all = names;
            yield_await!(x);
            all.len()
        }));
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn a_part_of_a_local_of_unknown_type_is_left_to_rustc() {
        // `names` may be a `&Vec<_>`, whose elements outlive it.
        let e = errors(parse_quote!({
            let names = f();
            let first = &names[0];
            yield_await!(x);
            first.len()
        }));
        assert!(e.is_empty());
    }

    #[test]
    fn a_value_computed_from_a_local_is_not_a_borrow() {
        let e = errors(parse_quote!({
            let names = vec![String::new()];
            let n = names.len();
            yield_await!(x);
            n + names.len()
        }));
        assert!(e.is_empty());
    }

    #[test]
    fn a_borrow_that_ends_before_the_yield_is_not_reported() {
        let e = errors(parse_quote!({
            let names = vec![String::new()];
            let first = &names[0];
            drop(first);
            yield_await!(x);
            names.len()
        }));
        assert!(e.is_empty());
    }
}
