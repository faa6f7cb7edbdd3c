//! Flavour: what a coroutine's machine is — a future, a generator or an async generator —
//! decided from its body (does it `yield_!`?) and its declared return type. One lowering
//! serves all three; this file holds the few places where they differ: the step
//! closure's parameters and return type, what a `yield_!` and the end of the body return,
//! what a resumed `yield_!` evaluates to, and which wrapper the machine goes into.

use crate::fixed::Layout;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type, TypeParamBound};

/// What kind of machine a body becomes.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // one per expansion
pub enum Flavor {
    /// Only `yield_await!`: `impl Future<Output = T>`.
    Future,
    /// `yield_!` and no `yield_await!`: `Generator`, resumed with an `R`.
    Generator {
        resume: Type,
        yield_ty: Type,
        /// `impl Iterator` (fused; returns `()`) rather than `impl Coroutine`.
        iterator: bool,
    },
    /// `yield_!` (and possibly `yield_await!`): `impl Stream<Item = Y>`.
    AsyncGenerator { yield_ty: Type },
}

/// The trait a declared `impl Trait` return type names, if it can carry a yield type.
#[allow(clippy::large_enum_variant)] // one per expansion
pub enum Declared {
    Iterator {
        item: Type,
    },
    Stream {
        item: Type,
    },
    Coroutine {
        resume: Type,
        yield_ty: Type,
        ret: Type,
    },
}

/// Reads `impl Iterator<Item = Y>`, `impl Stream<Item = Y>` or
/// `impl Coroutine<R, Yield = Y, Return = T>` (by the last segment of the first bound).
pub fn declared(ty: &Type) -> Option<syn::Result<Declared>> {
    let Type::ImplTrait(imp) = ty else {
        return None;
    };
    let bound = imp.bounds.iter().find_map(|b| match b {
        TypeParamBound::Trait(t) => Some(t),
        _ => None,
    })?;
    let last = bound.path.segments.last()?;
    let name = last.ident.to_string();
    if !matches!(
        name.as_str(),
        "Iterator" | "FusedIterator" | "Stream" | "Coroutine"
    ) {
        return None;
    }
    let mut first_type = None;
    let assoc = |wanted: &str| -> Option<Type> {
        match &last.arguments {
            PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
                GenericArgument::AssocType(t) if t.ident == wanted => Some(t.ty.clone()),
                _ => None,
            }),
            _ => None,
        }
    };
    if let PathArguments::AngleBracketed(args) = &last.arguments {
        first_type = args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        });
    }
    let missing = |what: &str, example: &str| {
        syn::Error::new(
            last.span(),
            format!("declare the {what} of this generator: `{example}`"),
        )
    };
    Some(match name.as_str() {
        "Iterator" | "FusedIterator" => assoc("Item")
            .map(|item| Declared::Iterator { item })
            .ok_or_else(|| missing("item type", "impl Iterator<Item = T>")),
        "Stream" => assoc("Item")
            .map(|item| Declared::Stream { item })
            .ok_or_else(|| missing("item type", "impl Stream<Item = T>")),
        _ => match assoc("Yield") {
            Some(yield_ty) => Ok(Declared::Coroutine {
                resume: first_type.unwrap_or_else(|| syn::parse_quote!(())),
                yield_ty,
                ret: assoc("Return").unwrap_or_else(|| syn::parse_quote!(())),
            }),
            None => Err(missing(
                "yield type",
                "impl Coroutine<R, Yield = Y, Return = T>",
            )),
        },
    })
}

impl Flavor {
    /// The step closure's parameters after the state: the resume argument of a
    /// generator; the stream slots (of `for_await!` loops) and the context otherwise.
    pub fn params(&self, slots: usize, fixed: &[bool], layout: &Layout) -> TokenStream {
        match self {
            Flavor::Generator { resume, .. } => quote!(__resumable_arg: #resume),
            _ => {
                let ty = slot_types(slots, fixed, layout);
                quote! {
                    #[allow(unused_variables)] __resumable_slots: &mut #ty,
                    __resumable_cx: &mut ::core::task::Context<'_>
                }
            }
        }
    }

    /// The initial stream slots, as the wrapper's second argument (none for generators,
    /// which cannot `for_await!`).
    pub fn slots(&self, slots: usize, fixed: &[bool], layout: &Layout) -> TokenStream {
        match self {
            Flavor::Generator { .. } => TokenStream::new(),
            _ => {
                let empty =
                    (0..slots).map(|_| quote!(::resumable::__private::StreamSlot::empty(),));
                let fixed = layout.empties(|k| {
                    let ty = fixed_type(fixed[k - slots]);
                    quote!(::resumable::__private::#ty::empty())
                });
                quote!((#(#empty)* #(#fixed,)*),)
            }
        }
    }

    /// Statements at the top of the step closure.
    pub fn prelude(&self) -> TokenStream {
        match self {
            // Taken by the arm of the `yield_!` the generator resumes at (at most one per
            // step: a `yield_!` returns from the step).
            Flavor::Generator { .. } => quote! {
                #[allow(unused_mut)]
                let mut __resumable_arg = ::core::option::Option::Some(__resumable_arg);
            },
            _ => TokenStream::new(),
        }
    }

    /// The step closure's return type, when it can be written.
    pub fn step_output(&self, ret: Option<&Type>) -> Option<TokenStream> {
        let state = quote!(::resumable::__private::CoroutineState);
        match self {
            Flavor::Future => None,
            Flavor::Generator { yield_ty, .. } => {
                let ret = ret?;
                annotatable(yield_ty).then(|| quote!(-> #state<#yield_ty, #ret>))
            }
            Flavor::AsyncGenerator { yield_ty } => {
                annotatable(yield_ty).then(|| quote!(-> ::core::task::Poll<#state<#yield_ty, ()>>))
            }
        }
    }

    /// `return` from the step with the body's value.
    pub fn complete(&self, value: TokenStream) -> TokenStream {
        let state = quote!(::resumable::__private::CoroutineState);
        match self {
            Flavor::Future => quote!(return ::core::task::Poll::Ready(#value)),
            Flavor::Generator { .. } => quote!(return #state::Complete(#value)),
            Flavor::AsyncGenerator { .. } => {
                quote!(return ::core::task::Poll::Ready(#state::Complete(#value)))
            }
        }
    }

    /// `return` from the step with a yielded value.
    pub fn yielded(&self, value: TokenStream) -> TokenStream {
        let state = quote!(::resumable::__private::CoroutineState);
        match self {
            Flavor::AsyncGenerator { .. } => {
                quote!(return ::core::task::Poll::Ready(#state::Yielded(#value)))
            }
            _ => quote!(return #state::Yielded(#value)),
        }
    }

    /// `let __resumable_yielded: Y = value;`, spanned at the user's value so a mismatched
    /// item type points at the offending `yield_!`.
    pub fn bind_yielded(&self, value: &syn::Expr, span: Span) -> TokenStream {
        let ty = match self {
            Flavor::Generator { yield_ty, .. } | Flavor::AsyncGenerator { yield_ty } => {
                annotatable(yield_ty).then_some(yield_ty)
            }
            Flavor::Future => None,
        };
        let span = crate::syntax::at(span);
        let annotation = ty.map(|t| quote_spanned!(span=> : #t));
        let value = value.to_token_stream();
        quote_spanned!(span=> let __resumable_yielded #annotation = #value;)
    }

    /// What a resumed `yield_!` evaluates to.
    pub fn resume_value(&self) -> TokenStream {
        match self {
            Flavor::Generator { .. } => quote! {
                match __resumable_arg.take() {
                    ::core::option::Option::Some(__resumable_arg) => __resumable_arg,
                    ::core::option::Option::None => ::core::unreachable!(),
                }
            },
            _ => quote!(()),
        }
    }

    /// The arm for a machine resumed after it completed.
    pub fn done_arm(&self, name: &str) -> TokenStream {
        match self {
            Flavor::Future => quote!(::resumable::__private::resumed_after_completion(#name)),
            Flavor::Generator {
                iterator: false, ..
            } => quote!(::resumable::__private::generator_resumed_after_completion(#name)),
            // Fused, as iterators and streams are expected to be.
            _ => self.complete(quote!(())),
        }
    }

    /// The wrapper function the state and the step closure go into.
    pub fn wrapper(&self) -> TokenStream {
        match self {
            Flavor::Future => quote!(::resumable::__private::machine),
            Flavor::Generator { .. } => quote!(::resumable::__private::generator),
            Flavor::AsyncGenerator { .. } => quote!(::resumable::__private::async_generator),
        }
    }
}

/// Whether a type can annotate a `let` (no `impl Trait` or `_` in it).
pub fn annotatable(ty: &Type) -> bool {
    struct Unnameable(bool);
    impl syn::visit::Visit<'_> for Unnameable {
        fn visit_type_impl_trait(&mut self, _: &syn::TypeImplTrait) {
            self.0 = true;
        }
        fn visit_type_infer(&mut self, _: &syn::TypeInfer) {
            self.0 = true;
        }
    }
    let mut v = Unnameable(false);
    syn::visit::Visit::visit_type(&mut v, ty);
    !v.0
}

/// Decides the flavour of a fn body, and the type its `return`s produce: a body without
/// `yield_!` is a future returning `output`; with `yield_!`, `output` must say what it
/// yields.
pub fn decide(
    body: &syn::Block,
    sig: &syn::Signature,
    output: &Type,
) -> syn::Result<(Flavor, Type)> {
    let (first_yield, first_await) = crate::syntax::first_suspensions(body);
    if first_yield.is_none() {
        return Ok((Flavor::Future, output.clone()));
    }
    let awaits = |kind: &str| {
        first_await.map(|span| {
            syn::Error::new(
                span,
                format!(
                    "this generator awaits, so it is an async generator: declare it \
                     `-> impl resumable::Stream<Item = T>` instead of `impl {kind}<..>`"
                ),
            )
        })
    };
    let unit: Type = syn::parse_quote!(());
    match declared(output) {
        None => {
            let (span, what) = match &sig.output {
                syn::ReturnType::Default => (sig.ident.span(), "no return type".to_string()),
                syn::ReturnType::Type(_, ty) => {
                    (ty.span(), format!("return type `{}`", ty.to_token_stream()))
                }
            };
            Err(syn::Error::new(
                span,
                format!(
                    "`yield_!` makes `{}` a generator, but its {what} cannot say what it \
                     yields: declare `-> impl Iterator<Item = T>` (or \
                     `-> impl resumable::Stream<Item = T>` if it also awaits, or \
                     `-> impl resumable::Coroutine<R, Yield = T, Return = U>` to receive values \
                     with `let r = yield_!(..)`)",
                    sig.ident
                ),
            ))
        }
        Some(Err(e)) => Err(e),
        Some(Ok(Declared::Iterator { item })) => match awaits("Iterator") {
            Some(e) => Err(e),
            None => Ok((
                Flavor::Generator {
                    resume: unit.clone(),
                    yield_ty: item,
                    iterator: true,
                },
                unit,
            )),
        },
        Some(Ok(Declared::Coroutine {
            resume,
            yield_ty,
            ret,
        })) => match awaits("Coroutine") {
            Some(e) => Err(e),
            None => Ok((
                Flavor::Generator {
                    resume,
                    yield_ty,
                    iterator: false,
                },
                ret,
            )),
        },
        Some(Ok(Declared::Stream { item })) => {
            Ok((Flavor::AsyncGenerator { yield_ty: item }, unit))
        }
    }
}

/// The slot of a local borrowed across a yield point: with a drop flag if the body
/// moves it out or assigns it.
pub fn fixed_type(movable: bool) -> proc_macro2::Ident {
    let name = if movable { "Movable" } else { "Fixed" };
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// The type of the stream slots: `(StreamSlot<_>, ..)`, `()` without `for_await!`.
fn slot_types(slots: usize, fixed: &[bool], layout: &Layout) -> TokenStream {
    let each = (0..slots).map(|_| quote!(::resumable::__private::StreamSlot<_>,));
    let fixed = layout.types(|k| {
        let ty = fixed_type(fixed[k - slots]);
        quote!(::resumable::__private::#ty<_>)
    });
    quote!((#(#each)* #(#fixed,)*))
}
