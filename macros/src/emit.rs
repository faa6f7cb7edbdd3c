//! Emission: the state enum, its `State` impl, the step closure and the rewritten fn
//! signature (`-> impl Future<Output = T>` capturing every argument lifetime).

use crate::analyse::{self, Kind, Point};
use crate::flavor::{Declared, Flavor};
use crate::lower::{Lowering, variant};
use crate::normalise::{self, Suspend, YieldPoint};
use crate::parse::{CoroutineBlock, CoroutineFn};
use crate::syntax::generated;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use std::cell::{Cell, RefCell};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{
    Block, FnArg, GenericParam, Lifetime, LifetimeParam, Pat, ReturnType, Stmt, Type, parse_quote,
};

/// Expands `#[coroutine]` on a fn.
pub fn expand_fn(mut f: CoroutineFn) -> syn::Result<TokenStream> {
    let output: Type = match &f.sig.output {
        ReturnType::Default => parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    let Some(body) = f.body.take() else {
        // A trait method declaration: only the signature changes.
        f.sig.output = parse_quote!(-> impl ::core::future::Future<Output = #output>);
        let (attrs, vis, sig) = (&f.attrs, &f.vis, &f.sig);
        return Ok(quote!(#(#attrs)* #vis #sig;));
    };
    let mut body = body;
    crate::ends::mark(&mut body);
    let original = body.clone();
    let desugared = crate::for_await::desugar(&mut body)?;
    let (flavor, ret_ty) = crate::flavor::decide(&body, &f.sig, &output)?;
    normalise::check(&body, Some(&f.sig.ident), Some(&ret_ty))?;

    // Arguments: moved into `Start`, re-bound (and destructured) when the body starts.
    let mut start_fields = Vec::new();
    let mut root_stmts: Vec<Stmt> = Vec::new();
    // The same re-binding for the borrow-checked twin, from the fn's own arguments.
    let mut twin_stmts: Vec<Stmt> = Vec::new();
    // Arguments that may hold a `&mut` (a plain use of one reborrows it).
    let mut mut_refs: Vec<String> = Vec::new();
    let mut has_receiver = false;
    for (i, arg) in f.sig.inputs.iter_mut().enumerate() {
        match arg {
            FnArg::Receiver(r) => {
                has_receiver = true;
                let field = generated("self");
                if r.reference.is_some() {
                    // `&mut self`: that `mut` belongs to the reference.
                    root_stmts.push(parse_quote!(let #field = #field;));
                    twin_stmts.push(parse_quote!(let #field = self;));
                    if r.mutability.is_some() {
                        mut_refs.push(field.to_string());
                    }
                } else {
                    let mutability = r.mutability.take();
                    let allow = mutability.is_some().then(|| quote!(#[allow(unused_mut)]));
                    root_stmts.push(parse_quote!(#allow let #mutability #field = #field;));
                    twin_stmts.push(parse_quote!(#allow let #mutability #field = self;));
                    if crate::fixed::may_hold_mut_ref(&r.ty) {
                        mut_refs.push(field.to_string());
                    }
                }
                start_fields.push((field, quote!(self)));
            }
            FnArg::Typed(pt) => match normalise::simple_binding(&pt.pat) {
                Some((ident, mutable)) => {
                    let ident = ident.clone();
                    let var = crate::syntax::value_var(&ident, i);
                    let mutability = mutable.then(|| quote!(mut));
                    let allow = mutable.then(|| quote!(#[allow(unused_mut)]));
                    root_stmts.push(parse_quote!(#allow let #mutability #ident = #var;));
                    twin_stmts.push(parse_quote!(#allow let #mutability #ident = #ident;));
                    if crate::fixed::may_hold_mut_ref(&pt.ty) {
                        mut_refs.push(ident.to_string());
                    }
                    *pt.pat = parse_quote!(#ident);
                    start_fields.push((ident.clone(), ident.to_token_stream()));
                }
                None => {
                    let field = generated(&format!("arg{i}"));
                    let pat = &pt.pat;
                    if matches!(**pat, Pat::Wild(_)) {
                        root_stmts.push(parse_quote!(let #field = #field;));
                        twin_stmts.push(parse_quote!(let #field = #field;));
                    } else {
                        root_stmts.push(parse_quote!(let #pat = #field;));
                        twin_stmts.push(parse_quote!(let #pat = #field;));
                        if crate::fixed::may_hold_mut_ref(&pt.ty) {
                            for b in crate::syntax::pattern_bindings(pat) {
                                mut_refs.push(b.name.to_string());
                            }
                        }
                    }
                    *pt.pat = parse_quote!(#field);
                    start_fields.push((field.clone(), field.to_token_stream()));
                }
            },
        }
    }

    let ret = annotatable(&ret_ty);
    let mut original = original;
    if has_receiver {
        normalise::rename_self(&mut body);
        normalise::rename_self(&mut original);
    }
    // With no arguments to re-bind, the body is the root itself (no extra block).
    let root = if root_stmts.is_empty() {
        body
    } else {
        if normalise::tail_borrows_temporary(&body) {
            // The temporaries of the body's value drop before the arguments, as in
            // `async fn` (a tail's temporaries would otherwise outlive the block's locals).
            // (Built directly: printing and parsing the whole body again was a twentieth
            // of the macro's time.)
            let value = crate::syntax::generated("body");
            let mut stmt =
                crate::lower::let_stmt(value.clone(), crate::lower::block_expr(None, body));
            if let (Stmt::Local(local), true) = (&mut stmt, ret) {
                local.pat = syn::Pat::Type(syn::PatType {
                    attrs: Vec::new(),
                    pat: Box::new(local.pat.clone()),
                    colon_token: Default::default(),
                    ty: Box::new(ret_ty.clone()),
                });
            }
            root_stmts.push(stmt);
            root_stmts.push(Stmt::Expr(
                syn::Expr::Path(crate::lower::path_expr(value)),
                None,
            ));
        } else {
            root_stmts.push(Stmt::Expr(crate::lower::block_expr(None, body), None));
        }
        Block {
            brace_token: Default::default(),
            stmts: root_stmts,
        }
    };
    let args = Args {
        fields: &start_fields,
        mut_refs: &mut_refs,
        graph: f.graph,
    };
    let (machine, graph, fixed) = machine(
        root,
        args,
        ret.then_some(&ret_ty),
        &f.sig.ident.to_string(),
        true,
        &flavor,
        &desugared,
    )?;
    let twin = fixed.map(|ended| {
        let ret = ret.then_some(&ret_ty);
        crate::twin::twin(&original, &ended, &twin_stmts, ret, quote!(move))
    });

    // The signature: `-> impl Future<Output = T>` capturing every lifetime of the arguments.
    let mut namer = LifetimeNamer { named: Vec::new() };
    for arg in f.sig.inputs.iter_mut() {
        match arg {
            FnArg::Receiver(r) => {
                if let Some((_, lifetime)) = &mut r.reference {
                    namer.name(lifetime);
                } else {
                    namer.visit_type_mut(&mut r.ty);
                }
            }
            FnArg::Typed(pt) => namer.visit_type_mut(&mut pt.ty),
        }
    }
    // The output's elided lifetimes, resolved as the elision rules would.
    let mut output = output;
    let receiver_lifetime = f.sig.inputs.iter().find_map(|arg| match arg {
        FnArg::Receiver(r) => r.reference.as_ref().and_then(|(_, l)| l.clone()),
        _ => None,
    });
    let mut in_args = LifetimeCollector(Vec::new());
    for arg in &f.sig.inputs {
        if let FnArg::Typed(pt) = arg {
            in_args.visit_type(&pt.ty);
        }
    }
    let single = match in_args.0.as_slice() {
        [only] if receiver_lifetime.is_none() => Some(only.clone()),
        _ => None,
    };
    if let Some(target) = receiver_lifetime.or(single) {
        // A generator's declared `impl Iterator<..> + '_` is the returned type itself.
        let into_impl = !matches!(flavor, Flavor::Future);
        OutputElision(target, into_impl).visit_type_mut(&mut output);
    }
    for (k, lifetime) in namer.named.iter().enumerate() {
        f.sig.generics.params.insert(
            k,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    if twin.is_some() {
        borrow_lifetime(&mut f.sig, has_receiver);
    }
    // Edition 2018/2021 `impl Trait` captures only the lifetimes its bounds name: name
    // them all (the fn's, those the argument types mention, and `Self`'s for methods).
    let mut lifetimes: Vec<Lifetime> = f
        .sig
        .generics
        .lifetimes()
        .map(|l| l.lifetime.clone())
        .collect();
    let mut mentioned = LifetimeCollector(Vec::new());
    for arg in &f.sig.inputs {
        if let FnArg::Typed(pt) = arg {
            mentioned.visit_type(&pt.ty);
        }
    }
    for l in mentioned.0 {
        if l.ident != "static" && !lifetimes.iter().any(|k| k.ident == l.ident) {
            lifetimes.push(l);
        }
    }
    let self_ty = has_receiver.then(|| quote!(*const Self,));
    let captures = (!lifetimes.is_empty() || has_receiver)
        .then(|| quote!(+ ::resumable::__private::Captures<(#(&#lifetimes (),)* #self_ty)>));
    f.sig.output = match flavor {
        Flavor::Future => {
            parse_quote!(-> impl ::core::future::Future<Output = #output> #captures)
        }
        // `output` is the declared `impl Iterator<..>` / `impl Stream<..>` / `impl Coroutine<..>`.
        _ => parse_quote!(-> #output #captures),
    };
    let (attrs, vis, sig) = (&f.attrs, &f.vis, &f.sig);
    let graph_fn = f.graph.then(|| {
        let graph_name = format_ident!("{}_graph", sig.ident);
        let doc = format!(
            " The state graph of [`{0}`](fn@{0}): its states and transitions \
             (`#[resumable::coroutine(graph)]`).",
            sig.ident
        );
        quote! {
            #[doc = #doc]
            #vis fn #graph_name() -> ::resumable::graph::StateGraph {
                const __RESUMABLE_GRAPH: ::resumable::graph::StateGraph = #graph;
                __RESUMABLE_GRAPH
            }
        }
    });
    Ok(quote! {
        #(#attrs)*
        #vis #sig {
            #twin
            #machine
        }
        #graph_fn
    })
}

/// What stands in for a fn whose expansion failed, next to the errors: the rewritten
/// signature with a body that never completes, so callers see the right type and the
/// errors do not cascade to them.
pub fn fallback(item: TokenStream) -> TokenStream {
    let Ok(mut f) = syn::parse2::<CoroutineFn>(item) else {
        return TokenStream::new();
    };
    let output: Type = match &f.sig.output {
        ReturnType::Default => parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    f.sig.asyncness = None;
    f.sig.constness = None;
    // A generator keeps its declared `impl Iterator`/`Stream`/`Coroutine` signature
    // (whether its `yield_!`s are well placed or not).
    let used = f
        .body
        .as_ref()
        .map(|b| used_macros(&b.to_token_stream()))
        .unwrap_or_default();
    let generator = used.iter().any(|m| m == "yield_");
    let used = used.iter().map(|m| {
        let m = Ident::new(m, Span::call_site());
        quote!(#m!(__resumable_used);)
    });
    let declared = match crate::flavor::declared(&output) {
        Some(Ok(d)) if generator => Some(d),
        _ => None,
    };
    let stand_in = match &declared {
        None => {
            f.sig.output = parse_quote!(-> impl ::core::future::Future<Output = #output>);
            quote!(::core::future::pending())
        }
        Some(d) => {
            let (y, t) = match d {
                Declared::Iterator { item } | Declared::Stream { item } => {
                    (item.clone(), parse_quote!(()))
                }
                Declared::Coroutine { yield_ty, ret, .. } => (yield_ty.clone(), ret.clone()),
            };
            let types = (crate::flavor::annotatable(&y) && crate::flavor::annotatable(&t))
                .then(|| quote!(::<#y, #t>));
            quote!(::resumable::__private::Unfinished #types::new())
        }
    };
    let (attrs, vis, sig) = (&f.attrs, &f.vis, &f.sig);
    match f.body {
        None => quote!(#(#attrs)* #vis #sig;),
        Some(_) => quote! {
            #(#attrs)*
            #[allow(unused_variables)]
            #vis #sig {
                #(#used)*
                #stand_in
            }
        },
    }
}

/// The suspension macros (`yield_await`, `yield_`, `for_await`) a body invokes by a bare
/// name, anywhere in it (so that their imports stay used next to an error).
fn used_macros(tokens: &TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = tokens.clone().into_iter().peekable();
    let mut after_colons = false;
    while let Some(tt) = iter.next() {
        match &tt {
            proc_macro2::TokenTree::Ident(i)
                if !after_colons && (i == "yield_await" || i == "yield_" || i == "for_await") =>
            {
                let bang = matches!(iter.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '!');
                if bang && !out.contains(&i.to_string()) {
                    out.push(i.to_string());
                }
            }
            proc_macro2::TokenTree::Group(g) => {
                for m in used_macros(&g.stream()) {
                    if !out.contains(&m) {
                        out.push(m);
                    }
                }
            }
            _ => {}
        }
        after_colons = matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ':');
    }
    out
}

/// Expands `coroutine_block!{ .. }`.
///
/// A `move` block moves the variables it uses into its `Start` state, as `async move`
/// does; a block without `move` borrows them (through the step closure), as `async` does.
pub fn expand_block(b: CoroutineBlock) -> syn::Result<TokenStream> {
    let mut body = b.body;
    crate::ends::mark(&mut body);
    let original = body.clone();
    let desugared = crate::for_await::desugar(&mut body)?;
    if let (Some(span), _) = crate::syntax::first_suspensions(&body) {
        return Err(syn::Error::new(
            span,
            "`yield_!` cannot be used in a `coroutine_block!` (a block is a future): \
             make it a `#[resumable::coroutine]` fn returning `impl Iterator<Item = T>` \
             or `impl resumable::Stream<Item = T>`",
        ));
    }
    normalise::check(&body, None, None)?;
    let mut start_fields = Vec::new();
    let mut root_stmts: Vec<Stmt> = Vec::new();
    if b.capture.is_some() {
        for (i, name) in free_variables(&body).into_iter().enumerate() {
            let var = crate::syntax::value_var(&name, i);
            root_stmts.push(parse_quote!(#[allow(unused_mut)] let mut #name = #var;));
            start_fields.push((name.clone(), name.to_token_stream()));
        }
    }
    // With no arguments to re-bind, the body is the root itself (no extra block).
    let root = if root_stmts.is_empty() {
        body
    } else {
        root_stmts.push(Stmt::Expr(crate::lower::block_expr(None, body), None));
        Block {
            brace_token: Default::default(),
            stmts: root_stmts,
        }
    };
    let args = Args {
        fields: &start_fields,
        mut_refs: &[],
        graph: false,
    };
    let (machine, _, fixed) = machine(
        root,
        args,
        None,
        "coroutine_block",
        b.capture.is_some(),
        &Flavor::Future,
        &desugared,
    )?;
    let capture = &b.capture;
    let twin = fixed.map(|ended| crate::twin::twin(&original, &ended, &[], None, quote!(#capture)));
    Ok(quote!({ #twin #machine }))
}

/// The variables a block uses but does not declare: lowercase single-identifier paths
/// that are not called and that no pattern in the block binds (a name both captured and
/// re-bound stays a capture of the step closure).
fn free_variables(body: &Block) -> Vec<Ident> {
    struct Uses {
        used: Vec<Ident>,
        bound: Vec<String>,
    }
    impl Visit<'_> for Uses {
        fn visit_expr_path(&mut self, p: &syn::ExprPath) {
            if let Some(ident) = p.path.get_ident() {
                let name = ident.to_string();
                let lower = name.starts_with(|c: char| c.is_lowercase() || c == '_');
                // (`__resumable_*` names are the expansion's own, e.g. `for_await!`'s slots.)
                let generated = name.starts_with("__resumable_");
                if p.qself.is_none()
                    && lower
                    && !generated
                    && name != "self"
                    && !self.used.contains(ident)
                {
                    self.used.push(ident.clone());
                }
            }
        }
        fn visit_expr_call(&mut self, c: &syn::ExprCall) {
            if !matches!(&*c.func, syn::Expr::Path(_)) {
                self.visit_expr(&c.func);
            }
            c.args.iter().for_each(|a| self.visit_expr(a));
        }
        fn visit_pat(&mut self, p: &Pat) {
            self.bound.extend(
                crate::syntax::pattern_bindings(p)
                    .into_iter()
                    .map(|b| b.name.to_string()),
            );
        }
        fn visit_macro(&mut self, m: &syn::Macro) {
            if crate::syntax::macro_name(m) == "coroutine_block" {
                if let Ok(b) = m.parse_body::<CoroutineBlock>() {
                    self.visit_block(&b.body);
                }
                return;
            }
            if let Ok(e) = m.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            ) {
                e.iter().for_each(|e| self.visit_expr(e));
            }
        }
        fn visit_item(&mut self, _: &syn::Item) {}
    }
    let mut uses = Uses {
        used: Vec::new(),
        bound: Vec::new(),
    };
    uses.visit_block(body);
    uses.used
        .into_iter()
        .filter(|u| !uses.bound.contains(&u.to_string()))
        .collect()
}

/// Gives a generic free fn whose state borrows its own locals a lifetime for those
/// borrows: `fn f<T>(v: Vec<T>)` becomes `fn f<'__resumable_borrow, T: '__resumable_borrow>`
/// (inferred by callers), which the returned future captures. The state must name the
/// lifetime of a borrow of its slot, and without a lifetime among the arguments the only
/// one to name is `'static`, which would demand `T: 'static`. (An `async fn` hides it.)
/// Every other lifetime outlives it. Only for a fn without a receiver (a trait's method
/// must keep the trait's generics) that has type parameters to bound.
fn borrow_lifetime(sig: &mut syn::Signature, has_receiver: bool) {
    if has_receiver || sig.generics.type_params().next().is_none() {
        return;
    }
    let life = Lifetime::new("'__resumable_borrow", Span::call_site());
    // Next to the user's own bounds on each parameter: in its `where` predicate if it has
    // one, inline otherwise (bounds split between the two places draw a lint).
    let generics = &mut sig.generics;
    for param in generics.params.iter_mut() {
        let predicate = generics.where_clause.as_mut().and_then(|w| {
            w.predicates.iter_mut().find(|p| match (&**p, &*param) {
                (syn::WherePredicate::Type(p), GenericParam::Type(t)) => {
                    matches!(&p.bounded_ty, Type::Path(tp) if tp.path.is_ident(&t.ident))
                }
                (syn::WherePredicate::Lifetime(p), GenericParam::Lifetime(l)) => {
                    p.lifetime == l.lifetime
                }
                _ => false,
            })
        });
        match (predicate, param) {
            (Some(syn::WherePredicate::Type(p)), _) => {
                p.bounds.push(syn::TypeParamBound::Lifetime(life.clone()));
            }
            (Some(syn::WherePredicate::Lifetime(p)), _) => p.bounds.push(life.clone()),
            (_, GenericParam::Type(t)) => {
                t.bounds.push(syn::TypeParamBound::Lifetime(life.clone()));
            }
            (_, GenericParam::Lifetime(l)) => l.bounds.push(life.clone()),
            _ => {}
        }
    }
    sig.generics
        .params
        .insert(0, GenericParam::Lifetime(LifetimeParam::new(life)));
}

/// Whether the return type can annotate a `let` (no `impl Trait` in it).
fn annotatable(ty: &Type) -> bool {
    struct HasImpl(bool);
    impl Visit<'_> for HasImpl {
        fn visit_type_impl_trait(&mut self, _: &syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut v = HasImpl(false);
    v.visit_type(ty);
    !v.0
}

/// Names the elided lifetimes of argument types (`&T`, `'_`), so the returned future can
/// capture them; function-pointer and `Fn(..)` sugar keep their own (higher-ranked) ones.
struct LifetimeNamer {
    named: Vec<Lifetime>,
}

impl LifetimeNamer {
    fn fresh(&mut self) -> Lifetime {
        let l = Lifetime::new(
            &format!("'__resumable_life{}", self.named.len()),
            Span::call_site(),
        );
        self.named.push(l.clone());
        l
    }

    fn name(&mut self, lifetime: &mut Option<Lifetime>) {
        match lifetime {
            None => *lifetime = Some(self.fresh()),
            Some(l) if l.ident == "_" => *l = self.fresh(),
            Some(_) => {}
        }
    }
}

impl VisitMut for LifetimeNamer {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        self.name(&mut r.lifetime);
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        if l.ident == "_" {
            *l = self.fresh();
        }
    }
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
    fn visit_trait_bound_mut(&mut self, b: &mut syn::TraitBound) {
        if b.lifetimes.is_none() {
            syn::visit_mut::visit_trait_bound_mut(self, b);
        }
    }
}

/// Fills a return type's elided lifetimes with the one the elision rules pick (also
/// inside `impl Trait` when the flag says it is the fn's own return type).
struct OutputElision(Lifetime, bool);

impl VisitMut for OutputElision {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(self.0.clone());
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        if l.ident == "_" {
            *l = self.0.clone();
        }
    }
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    fn visit_type_impl_trait_mut(&mut self, t: &mut syn::TypeImplTrait) {
        if self.1 {
            self.1 = false; // only the outermost one
            syn::visit_mut::visit_type_impl_trait_mut(self, t);
        }
    }
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}

/// The named lifetimes a type mentions (outside `for<..>` binders and `Fn(..)` sugar).
struct LifetimeCollector(Vec<Lifetime>);

impl Visit<'_> for LifetimeCollector {
    fn visit_lifetime(&mut self, l: &Lifetime) {
        if l.ident != "_" {
            self.0.push(l.clone());
        }
    }
    fn visit_type_bare_fn(&mut self, _: &syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments(&mut self, _: &syn::ParenthesizedGenericArguments) {}
    fn visit_trait_bound(&mut self, b: &syn::TraitBound) {
        if b.lifetimes.is_none() {
            syn::visit::visit_trait_bound(self, b);
        }
    }
}

/// The arguments a machine starts with: its `Start` fields (name, value), and those that
/// may hold a `&mut` (see `fixed`); and whether its state graph is wanted
/// (`#[coroutine(graph)]`: building it costs a walk of every arm).
struct Args<'a> {
    fields: &'a [(Ident, TokenStream)],
    mut_refs: &'a [String],
    graph: bool,
}

/// The state enum, its impl, and the `machine(..)` call, as statements ending in the
/// machine expression; the state graph (empty unless wanted); if locals got fixed slots
/// (the program needs its twin), the end markers that freed a place (see `ends`).
fn machine(
    root: Block,
    args: Args<'_>,
    ret: Option<&Type>,
    name: &str,
    capture_move: bool,
    flavor: &Flavor,
    desugared: &crate::for_await::Desugared,
) -> syn::Result<(TokenStream, TokenStream, Option<Vec<usize>>)> {
    let Args {
        fields: start_fields,
        mut_refs,
        graph,
    } = args;
    let other_paths = &desugared.paths;
    let normalise::Normalised {
        mut body,
        mut yields,
        probes_edition,
    } = normalise::normalise(root)?;
    normalise::rewrite_exits(&mut body, ret, flavor);
    let mut points = analyse::points(&body, &yields);
    // Locals borrowed across a yield point get fixed slots, locals held on some paths only
    // drop flags (only where the machine is pinned and has a twin: a generator is an
    // `Iterator`, free to move between items).
    let pinned = !matches!(flavor, Flavor::Generator { .. });
    let fixes = crate::fixed::fix(
        &mut body,
        &mut yields,
        &mut points,
        desugared.slots,
        mut_refs,
        pinned,
    );
    if !pinned {
        analyse::without_flags(&mut points);
    }
    let (fixed, layout) = (fixes.slots, fixes.layout);
    crate::borrows::check(&body, &yields, &points)?;
    let field_names: Vec<Ident> = start_fields.iter().map(|(f, _)| f.clone()).collect();
    let lowering = Lowering {
        root: &body,
        yields: &yields,
        points: &points,
        ret,
        start_fields: &field_names,
        name,
        loops: Cell::new(0),
        flavor,
        jumps: RefCell::new(Vec::new()),
        edges: RefCell::new(Vec::new()),
        graph,
        root_has_yield: crate::syntax::block_has_yield(&body),
        layout: &layout,
    };
    let arms = lowering.arms();
    let graph = if graph {
        crate::graph::state_graph(name, &body, &yields, &points, &lowering.edges.borrow())
    } else {
        TokenStream::new()
    };
    let (enum_def, type_params) = state_enum(&field_names, &yields, &points);
    let underscores = type_params.iter().map(|_| quote!(_));
    let state_ty = if type_params.is_empty() {
        quote!(__resumable_State)
    } else {
        quote!(__resumable_State<#(#underscores),*>)
    };
    let generics = (!type_params.is_empty()).then(|| quote!(<#(#type_params),*>));
    let inits = start_fields
        .iter()
        .map(|(field, value)| quote!(#field: ::resumable::__private::Slot::new(#value)));
    let capture = capture_move.then(|| quote!(move));
    // Keeps the user's `use resumable::{yield_await, yield_, for_await};` used: the
    // rewrite removed every call.
    let mut paths: Vec<&syn::Path> = Vec::new();
    for path in other_paths
        .iter()
        .chain(yields.iter().filter_map(|y| y.path.as_ref()))
    {
        let text = path.to_token_stream().to_string();
        if text.starts_with(":: resumable") {
            continue; // generated by `for_await!`
        }
        if !paths
            .iter()
            .any(|p| p.to_token_stream().to_string() == text)
        {
            paths.push(path);
        }
    }
    let used = paths.iter().map(|path| quote!(#path!(__resumable_used);));
    // The edition probe (see `resumable::__private::edition`) calls `into_iter` on a boxed
    // slice, which lints before 2024.
    let probe_lint = probes_edition.then(|| quote!(#[allow(boxed_slice_into_iter)]));
    // A local in scope at a yield but not used after it is kept only if its type may have
    // drop glue, which these traits ask (see `resumable::__private::Dead`).
    let dead_traits = points
        .iter()
        .any(|p| p.plan.fields().iter().any(|s| s.dead && !s.flagged()))
        .then(|| {
            quote!(
                use ::resumable::__private::{DeadCopy as _, DeadKeep as _};
            )
        });
    let drop_impl = drop_in_order(
        flavor,
        &type_params,
        desugared.slots,
        (&fixed, &layout),
        &field_names,
        &yields,
        &points,
    );
    let wrapper = flavor.wrapper();
    let params = flavor.params(desugared.slots, &fixed, &layout);
    let slots = flavor.slots(desugared.slots, &fixed, &layout);
    let prelude = flavor.prelude();
    let output = flavor.step_output(ret);
    Ok((
        quote! {
            #(#used)*
            #enum_def
            #[allow(non_camel_case_types)]
            impl #generics ::resumable::__private::State for __resumable_State #generics {
                fn panicked() -> Self {
                    Self::Panicked
                }
            }
            #drop_impl
            // The loops and blocks of the body are cut at resume points: as emitted, some never
            // loop, some code after a jump is unreachable, some labels and `unsafe` blocks unused;
            // the blocks around conditions with yields take the user's spans (for their
            // edition), so `unused_braces` sees them.
            #[allow(unreachable_code, unused_labels, unused_unsafe, unused_parens, unused_braces, clippy::never_loop)]
            #probe_lint
            let __resumable_machine = #wrapper(
                __resumable_State::Start { #(#inits),* },
                #slots
                #capture |__resumable_state: &mut #state_ty, #params| #output {
                    #prelude
                    #dead_traits
                    '__resumable_machine: loop {
                        match __resumable_state {
                            #arms
                        }
                    }
                },
            );
            __resumable_machine
        },
        graph,
        fixes.twin.then_some(fixes.ended),
    ))
}

/// The state's `DropInOrder` impl: for a machine with fixed slots, each variant drops its
/// fields and the slot values of its fixed locals, interleaved in drop order (the state
/// holds no handle for them); otherwise the default, the variant's own drop.
fn drop_in_order(
    flavor: &Flavor,
    type_params: &[Ident],
    streams: usize,
    (fixed, layout): (&[bool], &crate::fixed::Layout),
    start_fields: &[Ident],
    yields: &[YieldPoint],
    points: &[Point],
) -> TokenStream {
    let generics = (!type_params.is_empty()).then(|| quote!(<#(#type_params),*>));
    match flavor {
        Flavor::Generator { .. } => return TokenStream::new(),
        _ if fixed.is_empty()
            && !points
                .iter()
                .any(|p| p.plan.fields().iter().any(|s| s.flagged())) =>
        {
            return quote! {
                #[allow(non_camel_case_types)]
                impl<#(#type_params,)* __resumable_L> ::resumable::__private::DropInOrder<__resumable_L>
                    for __resumable_State #generics {}
            };
        }
        _ => {}
    }
    let slot_params: Vec<Ident> = (0..streams + fixed.len())
        .map(|k| format_ident!("__resumable_S{}", k))
        .collect();
    let stream_types = slot_params[..streams]
        .iter()
        .map(|p| quote!(::resumable::__private::StreamSlot<#p>));
    let fixed_types = layout.types(|k| {
        let (ty, p) = (
            crate::flavor::fixed_type(fixed[k - streams]),
            &slot_params[k],
        );
        quote!(::resumable::__private::#ty<#p>)
    });
    let slots_ty = quote!((#(#stream_types,)* #(#fixed_types,)*));
    // Each field bound to a name of its own (a field named like a constant in scope must
    // not become a constant pattern).
    let bind = |k: usize| format_ident!("__resumable_d{}", k);
    let start_vars: Vec<Ident> = (0..start_fields.len()).map(bind).collect();
    let start = quote! {
        Self::Start { #(#start_fields: #start_vars),* } => { #(#start_vars.drop_now();)* }
    };
    let arms = points.iter().enumerate().map(|(index, point)| {
        let v = variant(points, yields, index);
        let first = match point.kind {
            Kind::Yield(n) if yields[n].suspend == Suspend::Await => Some(generated("fut")),
            Kind::Join => Some(generated("value")),
            _ => None,
        };
        let order = point.plan.drop_order();
        let fields: Vec<Ident> = first
            .iter()
            .cloned()
            .chain(
                order
                    .iter()
                    .flat_map(|s| s.field_vars().into_iter().map(|(f, _)| f)),
            )
            .collect();
        let vars: Vec<Ident> = (0..fields.len()).map(bind).collect();
        let mut next = vars.iter();
        let mut drops = Vec::new();
        if first.is_some() {
            let f = next.next().expect("a variable per field");
            drops.push(quote!(#f.drop_now();));
        }
        for s in &order {
            drops.push(match s.fixed {
                Some(k) if s.movable => {
                    let slot = layout.access(k);
                    let live = next.next().expect("a variable per field");
                    quote!(::resumable::__private::drop_movable(&#slot, #live);)
                }
                Some(k) => {
                    let slot = layout.access(k);
                    quote!(::resumable::__private::FixedSlot::drop_value(&#slot);)
                }
                None if s.flagged() && s.empty => {
                    // Only the type of a local known to be moved out: nothing to drop.
                    let f = next.next().expect("a variable per field");
                    quote!(let _ = #f;)
                }
                None if s.flagged() => {
                    let f = next.next().expect("a variable per field");
                    let live = next.next().expect("a variable per field");
                    quote!(::resumable::__private::drop_flagged(#f, #live);)
                }
                None => {
                    let f = next.next().expect("a variable per field");
                    quote!(#f.drop_now();)
                }
            });
        }
        quote!(Self::#v { #(#fields: #vars),* } => { #(#drops)* })
    });
    quote! {
        #[allow(non_camel_case_types)]
        impl<#(#type_params,)* #(#slot_params),*> ::resumable::__private::DropInOrder<#slots_ty>
            for __resumable_State #generics
        {
            fn drop_in_order(&mut self, __resumable_slots: &#slots_ty) {
                match self {
                    #start
                    #(#arms)*
                    Self::Done | Self::Panicked => {}
                }
            }
        }
    }
}

fn state_enum(
    start_fields: &[Ident],
    yields: &[YieldPoint],
    points: &[Point],
) -> (TokenStream, Vec<Ident>) {
    let mut params = Vec::new();
    let mut param = || {
        let p = format_ident!("__resumable_T{}", params.len());
        params.push(p.clone());
        p
    };
    let start = start_fields.iter().map(|f| {
        let p = param();
        quote!(#f: ::resumable::__private::Slot<#p>)
    });
    let start = quote! {
        /// Not started yet: the arguments.
        Start { #(#start),* },
    };
    let mut variants = vec![start];
    let mut shared: Vec<(String, Ident)> = Vec::new();
    for (index, point) in points.iter().enumerate() {
        let v = variant(points, yields, index);
        let (first, doc) = match point.kind {
            Kind::Yield(n) if matches!(yields[n].suspend, Suspend::Next(_)) => (
                None,
                format!(
                    " Waiting for the next item of the `for_await!`{}: the locals in drop order.",
                    line_of(yields[n].span)
                ),
            ),
            Kind::Yield(n) if yields[n].suspend == Suspend::Yield => (
                None,
                format!(
                    " Suspended at `{}`{}: the locals in drop order.",
                    yields[n].text,
                    line_of(yields[n].span)
                ),
            ),
            Kind::Yield(n) => {
                let fut = param();
                let y = &yields[n];
                (
                    Some(quote!(__resumable_fut: ::resumable::__private::Pinned<#fut>,)),
                    format!(
                        " Suspended at `{}`{}: the awaited future, then the locals in drop order.",
                        y.text,
                        line_of(y.span)
                    ),
                )
            }
            Kind::Join => {
                let value = param();
                (
                    Some(quote!(__resumable_value: ::resumable::__private::Slot<#value>,)),
                    " Just after a statement with yield points: its value, then the locals."
                        .to_string(),
                )
            }
            Kind::LoopHead => (
                None,
                " At the start of a loop with yield points: the locals.".to_string(),
            ),
        };
        let fields: Vec<TokenStream> = point
            .plan
            .state_fields()
            .iter()
            .map(|s| {
                let f = &s.field;
                if s.fixed.is_some() {
                    let (live, _) = s.live();
                    return quote!(#live: ::resumable::__private::Slot<bool>);
                }
                // One parameter per binding and form (a dead local's is `()` where its type
                // is `Copy`): fewer inference variables for rustc at every variant built.
                let key = format!(
                    "{}|{}|{}|{}",
                    s.origin,
                    s.dead && !s.flagged(),
                    s.flagged(),
                    s.empty
                );
                let p = match shared.iter().find(|(k, _)| *k == key) {
                    Some((_, p)) => p.clone(),
                    None => {
                        let p = param();
                        shared.push((key, p.clone()));
                        p
                    }
                };
                if s.flagged() && s.empty {
                    return quote! {
                        #f: ::resumable::__private::Slot<::core::marker::PhantomData<#p>>
                    };
                }
                if s.flagged() {
                    let (live, _) = s.live();
                    return quote! {
                        #f: ::resumable::__private::Slot<::resumable::__private::FlagValue<#p>>,
                        #live: ::resumable::__private::Slot<bool>
                    };
                }
                quote!(#f: ::resumable::__private::Slot<#p>)
            })
            .collect();
        variants.push(quote! {
            #[doc = #doc]
            #v { #first #(#fields,)* },
        });
    }
    let generics = (!params.is_empty()).then(|| quote!(<#(#params),*>));
    (
        quote! {
            #[allow(non_camel_case_types)]
            enum __resumable_State #generics {
                #(#variants)*
                /// Returned (`Poll::Ready`, `CoroutineState::Complete` or the last `None`).
                Done,
                /// A step panicked; what it held was dropped.
                Panicked,
            }
        },
        params,
    )
}

fn line_of(span: Span) -> String {
    let line = span.start().line;
    if line > 0 {
        format!(" (line {line})")
    } else {
        String::new()
    }
}
