//! Emission: the state enum, its `State` impl, the step closure and the rewritten fn
//! signature (`-> impl Future<Output = T>` capturing every argument lifetime).

use crate::analyse::{self, Kind, Point};
use crate::lower::{variant, Lowering};
use crate::normalise::{self, YieldPoint};
use crate::parse::{CoroutineBlock, CoroutineFn};
use crate::syntax::generated;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use std::cell::Cell;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{
    parse_quote, Block, FnArg, GenericParam, Lifetime, LifetimeParam, Pat, ReturnType, Stmt, Type,
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
    normalise::check(&body, Some(&f.sig.ident))?;

    // Arguments: moved into `Start`, re-bound (and destructured) when the body starts.
    let mut start_fields = Vec::new();
    let mut root_stmts: Vec<Stmt> = Vec::new();
    let mut has_receiver = false;
    for (i, arg) in f.sig.inputs.iter_mut().enumerate() {
        match arg {
            FnArg::Receiver(r) => {
                has_receiver = true;
                let field = generated("self");
                let mutability = r.mutability.take().filter(|_| r.reference.is_none());
                if r.reference.is_some() {
                    // `&mut self`: keep the `mut` of the reference.
                    r.mutability = mutability;
                    root_stmts.push(parse_quote!(let #field = #field;));
                } else {
                    root_stmts.push(parse_quote!(let #mutability #field = #field;));
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
                    *pt.pat = parse_quote!(#ident);
                    start_fields.push((ident.clone(), ident.to_token_stream()));
                }
                None => {
                    let field = generated(&format!("arg{i}"));
                    let pat = &pt.pat;
                    if matches!(**pat, Pat::Wild(_)) {
                        root_stmts.push(parse_quote!(let #field = #field;));
                    } else {
                        root_stmts.push(parse_quote!(let #pat = #field;));
                    }
                    *pt.pat = parse_quote!(#field);
                    start_fields.push((field.clone(), field.to_token_stream()));
                }
            },
        }
    }

    let ret = annotatable(&output);
    let mut body = body;
    if has_receiver {
        normalise::rename_self(&mut body);
    }
    root_stmts.push(Stmt::Expr(parse_quote!(#body), None));
    let root = Block {
        brace_token: Default::default(),
        stmts: root_stmts,
    };
    let machine = machine(
        root,
        &start_fields,
        ret.then_some(&output),
        &f.sig.ident.to_string(),
        true,
    )?;

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
    for (k, lifetime) in namer.named.iter().enumerate() {
        f.sig.generics.params.insert(
            k,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    let lifetimes: Vec<&Lifetime> = f.sig.generics.lifetimes().map(|l| &l.lifetime).collect();
    let captures = (!lifetimes.is_empty())
        .then(|| quote!(+ ::resumable::__private::Captures<(#(&#lifetimes (),)*)>));
    f.sig.output = parse_quote!(-> impl ::core::future::Future<Output = #output> #captures);
    let (attrs, vis, sig) = (&f.attrs, &f.vis, &f.sig);
    Ok(quote! {
        #(#attrs)*
        #vis #sig {
            #machine
        }
    })
}

/// Expands `coroutine_block!{ .. }`.
pub fn expand_block(b: CoroutineBlock) -> syn::Result<TokenStream> {
    normalise::check(&b.body, None)?;
    let body = b.body;
    let root = Block {
        brace_token: Default::default(),
        stmts: vec![Stmt::Expr(parse_quote!(#body), None)],
    };
    let machine = machine(root, &[], None, "coroutine_block", b.capture.is_some())?;
    Ok(quote!({ #machine }))
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

/// The state enum, its impl, and the `machine(..)` call, as statements ending in the
/// machine expression.
fn machine(
    root: Block,
    start_fields: &[(Ident, TokenStream)],
    ret: Option<&Type>,
    name: &str,
    capture_move: bool,
) -> syn::Result<TokenStream> {
    let normalise::Normalised { mut body, yields } = normalise::normalise(root)?;
    normalise::rewrite_exits(&mut body, ret);
    let points = analyse::points(&body, &yields);
    let field_names: Vec<Ident> = start_fields.iter().map(|(f, _)| f.clone()).collect();
    let lowering = Lowering {
        root: &body,
        yields: &yields,
        points: &points,
        ret,
        start_fields: &field_names,
        name,
        loops: Cell::new(0),
    };
    let arms = lowering.arms();
    let (enum_def, params) = state_enum(&field_names, &yields, &points);
    let underscores = params.iter().map(|_| quote!(_));
    let state_ty = if params.is_empty() {
        quote!(__resumable_State)
    } else {
        quote!(__resumable_State<#(#underscores),*>)
    };
    let generics = (!params.is_empty()).then(|| quote!(<#(#params),*>));
    let inits = start_fields
        .iter()
        .map(|(field, value)| quote!(#field: ::resumable::__private::Slot::new(#value)));
    let capture = capture_move.then(|| quote!(move));
    // Keeps the user's `use resumable::yield_await;` used: the rewrite removed every call.
    let used = yields
        .iter()
        .find_map(|y| y.path.as_ref())
        .map(|path| quote!(#path!(__resumable_used);));
    Ok(quote! {
        #used
        #enum_def
        #[allow(non_camel_case_types)]
        impl #generics ::resumable::__private::State for __resumable_State #generics {
            fn panicked() -> Self {
                Self::Panicked
            }
        }
        #[allow(unreachable_code, unused_labels)]
        let __resumable_machine = ::resumable::__private::machine(
            __resumable_State::Start { #(#inits),* },
            #capture |__resumable_state: &mut #state_ty, __resumable_cx: &mut ::core::task::Context<'_>| {
                '__resumable_machine: loop {
                    match __resumable_state {
                        #arms
                    }
                }
            },
        );
        __resumable_machine
    })
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
        /// Not polled yet: the arguments.
        Start { #(#start),* },
    };
    let mut variants = vec![start];
    for (index, point) in points.iter().enumerate() {
        let v = variant(points, index);
        let (first, doc) = match point.kind {
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
            .fields()
            .iter()
            .map(|s| {
                let f = &s.field;
                let p = param();
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
                /// Returned `Poll::Ready`.
                Done,
                /// A poll panicked; what it held was dropped.
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
