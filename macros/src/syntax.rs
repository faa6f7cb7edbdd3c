//! Small syntax helpers shared by the stages: recognising `yield_await!`, the yield
//! marker that normalisation leaves in its place, control expressions, pattern bindings.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use syn::visit::Visit;
use syn::{Block, Expr, Macro, Pat, Stmt};

/// The name of the marker macro that stands for yield point `N` after normalisation.
const MARKER: &str = "__resumable_yield";

/// The name of the marker macro that `for_await!` leaves for "wait for the next item of
/// the stream in slot `K`" (a yield point once normalised).
pub const NEXT_MARKER: &str = "__resumable_next";

/// Whether `mac` is a `yield_await!(..)` invocation (also as `resumable::yield_await!`).
pub fn is_yield_await(mac: &Macro) -> bool {
    last_segment_is(mac, "yield_await")
}

/// Whether `mac` is a `yield_!(..)` invocation (also as `resumable::yield_!`).
pub fn is_yield_value(mac: &Macro) -> bool {
    last_segment_is(mac, "yield_")
}

/// Whether `mac` is a `for_await!(..)` invocation (also as `resumable::for_await!`).
pub fn is_for_await(mac: &Macro) -> bool {
    last_segment_is(mac, "for_await")
}

/// Whether `mac` suspends the coroutine (`yield_await!`, `yield_!` or `for_await!`).
pub fn is_suspension(mac: &Macro) -> bool {
    // One `String` for the name (comparing a compiler `Ident` with a `&str` makes one).
    mac.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "yield_await" | "yield_" | "for_await"
        )
    })
}

/// The name of a macro (its path's last segment).
pub fn macro_name(mac: &Macro) -> String {
    mac.path
        .segments
        .last()
        .map_or_else(String::new, |s| s.ident.to_string())
}

fn last_segment_is(mac: &Macro, name: &str) -> bool {
    mac.path.segments.last().is_some_and(|s| s.ident == name)
}

/// The marker expression for yield point `n`.
pub fn marker(n: usize, span: Span) -> Expr {
    let name = Ident::new(MARKER, span);
    let n = proc_macro2::Literal::usize_unsuffixed(n);
    syn::parse_quote!(#name!(#n))
}

/// The yield point an expression marks, if it is a marker.
pub fn marker_index(e: &Expr) -> Option<usize> {
    match e {
        Expr::Macro(m) if m.mac.path.is_ident(MARKER) => m.mac.tokens.to_string().parse().ok(),
        _ => None,
    }
}

/// The yield point a normalised statement is (`let P = marker;` or `marker;`).
pub fn yield_stmt(stmt: &Stmt) -> Option<usize> {
    match stmt {
        Stmt::Local(local) => local
            .init
            .as_ref()
            .filter(|init| init.diverge.is_none())
            .and_then(|init| marker_index(&init.expr)),
        Stmt::Expr(e, _) => marker_index(e),
        _ => None,
    }
}

/// Whether `e` is a control expression whose sub-blocks may hold yield points.
pub fn is_control(e: &Expr) -> bool {
    matches!(
        e,
        Expr::If(_)
            | Expr::Match(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Block(_)
            | Expr::Unsafe(_)
    )
}

/// The control expression a normalised statement evaluates, if it contains yield points.
pub fn stmt_control(stmt: &Stmt) -> Option<&Expr> {
    let e = match stmt {
        Stmt::Local(local) => match &local.init {
            Some(init) if init.diverge.is_none() => &*init.expr,
            _ => return None,
        },
        Stmt::Expr(e, _) => e,
        _ => return None,
    };
    (is_control(e) && has_yield(e)).then_some(e)
}

/// Whether an expression contains a yield point (`yield_await!`, `.await` or a marker)
/// outside closures, `async` blocks and nested items.
pub fn has_yield(e: &Expr) -> bool {
    let mut finder = YieldFinder(false);
    finder.visit_expr(e);
    finder.0
}

/// Whether a block contains a yield point (see [`has_yield`]).
pub fn block_has_yield(b: &Block) -> bool {
    let mut finder = YieldFinder(false);
    finder.visit_block(b);
    finder.0
}

/// Stops descending once it has found one: the lowering asks this of the same statements
/// many times (issue 9: a tenth of the macro's time).
struct YieldFinder(bool);

impl Visit<'_> for YieldFinder {
    fn visit_expr(&mut self, e: &Expr) {
        if !self.0 {
            syn::visit::visit_expr(self, e);
        }
    }
    fn visit_stmt(&mut self, s: &Stmt) {
        if !self.0 {
            syn::visit::visit_stmt(self, s);
        }
    }
    fn visit_macro(&mut self, mac: &Macro) {
        // One string for the name rather than one comparison per candidate: comparing a
        // compiler `Ident` with a `&str` converts it to a `String` each time.
        let Some(last) = mac.path.segments.last() else {
            return;
        };
        let name = last.ident.to_string();
        let single = mac.path.get_ident().is_some();
        if matches!(name.as_str(), "yield_await" | "yield_" | "for_await")
            || (single && (name == MARKER || name == NEXT_MARKER))
        {
            self.0 = true;
        }
    }
    fn visit_expr_await(&mut self, _: &syn::ExprAwait) {
        self.0 = true;
    }
    fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
    fn visit_expr_const(&mut self, _: &syn::ExprConst) {}
    fn visit_item(&mut self, _: &syn::Item) {}
}

/// Whether macro tokens contain a `yield_await!`, `yield_!` or `for_await!` (which an
/// attribute cannot see into): its span and name. Those inside a nested
/// `coroutine_block!` belong to that block and do not count.
pub fn tokens_have_yield(tokens: &TokenStream) -> Option<(Span, String)> {
    let mut iter = tokens.clone().into_iter().peekable();
    while let Some(tt) = iter.next() {
        match &tt {
            TokenTree::Ident(i) if i == "coroutine_block" => {
                if matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    iter.next();
                    iter.next(); // the block's own tokens
                }
            }
            TokenTree::Ident(i) if i == "yield_await" || i == "yield_" || i == "for_await" => {
                if matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    return Some((i.span(), i.to_string()));
                }
            }
            TokenTree::Group(g) => {
                if let Some(found) = tokens_have_yield(&g.stream()) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where the first `yield_!` and the first await (`yield_await!`, `.await`) of a body are,
/// outside closures, `async` blocks and nested items.
pub fn first_suspensions(b: &Block) -> (Option<Span>, Option<Span>) {
    struct Finder(Option<Span>, Option<Span>);
    impl Visit<'_> for Finder {
        fn visit_macro(&mut self, mac: &Macro) {
            use syn::spanned::Spanned;
            if is_yield_value(mac) {
                self.0.get_or_insert(mac.span());
            } else if is_yield_await(mac) || is_for_await(mac) {
                self.1.get_or_insert(mac.span());
            }
        }
        fn visit_expr_await(&mut self, e: &syn::ExprAwait) {
            use syn::spanned::Spanned;
            self.1.get_or_insert(e.span());
            syn::visit::visit_expr_await(self, e);
        }
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        fn visit_expr_const(&mut self, _: &syn::ExprConst) {}
        fn visit_item(&mut self, _: &syn::Item) {}
    }
    let mut f = Finder(None, None);
    f.visit_block(b);
    (f.0, f.1)
}

/// A variable bound by a pattern.
#[derive(Clone, Debug)]
pub struct Binding {
    pub name: Ident,
    pub mutable: bool,
}

/// The variables a pattern binds, in declaration order (first alternative of an `|`).
pub fn pattern_bindings(pat: &Pat) -> Vec<Binding> {
    let mut out = Vec::new();
    collect_bindings(pat, &mut out);
    out
}

/// Whether an identifier pattern binds a variable (`x`, `mut x`, `ref x`, `x @ ..`), as
/// opposed to naming a unit struct or variant (`None`, `Empty`: capitalised, by convention).
pub fn is_binding(p: &syn::PatIdent) -> bool {
    p.by_ref.is_some()
        || p.mutability.is_some()
        || p.subpat.is_some()
        || !p
            .ident
            .to_string()
            .trim_start_matches("r#")
            .starts_with(|c: char| c.is_uppercase())
}

fn collect_bindings(pat: &Pat, out: &mut Vec<Binding>) {
    match pat {
        Pat::Ident(p) => {
            if is_binding(p) {
                out.push(Binding {
                    name: p.ident.clone(),
                    mutable: p.mutability.is_some(),
                });
            }
            if let Some((_, sub)) = &p.subpat {
                collect_bindings(sub, out);
            }
        }
        Pat::Or(p) => {
            if let Some(first) = p.cases.first() {
                collect_bindings(first, out);
            }
        }
        Pat::Paren(p) => collect_bindings(&p.pat, out),
        Pat::Reference(p) => collect_bindings(&p.pat, out),
        Pat::Slice(p) => p.elems.iter().for_each(|p| collect_bindings(p, out)),
        Pat::Struct(p) => p.fields.iter().for_each(|f| collect_bindings(&f.pat, out)),
        Pat::Tuple(p) => p.elems.iter().for_each(|p| collect_bindings(p, out)),
        Pat::TupleStruct(p) => p.elems.iter().for_each(|p| collect_bindings(p, out)),
        Pat::Type(p) => collect_bindings(&p.pat, out),
        _ => {}
    }
}

/// Whether a pattern binds `name`.
pub fn pattern_binds(pat: &Pat, name: &str) -> bool {
    pattern_bindings(pat).iter().any(|b| b.name == name)
}

/// A span that points at user code (for error messages) but resolves names like the
/// rest of the expansion, so generated identifiers stay visible when the user's tokens
/// come from a `macro_rules!` (whose hygiene would hide them).
pub fn at(span: Span) -> Span {
    Span::call_site().located_at(span)
}

/// A generated identifier `__resumable_{what}` at the call site.
pub fn generated(what: &str) -> Ident {
    Ident::new(&format!("__resumable_{what}"), Span::call_site())
}

/// The variable a stored value is moved into when it leaves the state: the field's name
/// with the field's position (unique in its variant), so it never collides with a user's
/// name, another stored value, or a generated one.
pub fn value_var(field: &Ident, position: usize) -> Ident {
    let name = field.to_string();
    let name = name.trim_start_matches("r#");
    if name.starts_with("__resumable_") {
        Ident::new(name, Span::call_site())
    } else {
        let name = name.trim_start_matches('_');
        Ident::new(
            &format!("__resumable_local_{name}_{position}"),
            Span::call_site(),
        )
    }
}

/// Source text of `tokens` as a person writes it (`f(x).y?`, not `f (x) . y ?`), for doc
/// comments and messages: spaces only around binary operators and between words.
pub fn compact(tokens: &TokenStream) -> String {
    use proc_macro2::{Delimiter, Spacing};
    let mut out = String::new();
    // Whether the next token may be glued to what is already written (after `(`, `.`,
    // `::`, a prefix operator ..).
    let mut glue = true;
    // Whether the last token was a word or a closing delimiter (so `(` / `[` call or index).
    let mut after_operand = false;
    // Depth of generic arguments opened by `::<` (whose `<` and `>` are tight).
    let mut generics = 0usize;
    for tt in tokens.clone() {
        match &tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                let call = after_operand && g.delimiter() != Delimiter::Brace;
                if !glue && !call {
                    out.push(' ');
                }
                let inner = compact(&g.stream());
                if inner.is_empty() && g.delimiter() == Delimiter::Brace {
                    out.push_str("{}");
                } else {
                    out.push_str(open);
                    out.push_str(&inner);
                    out.push_str(close);
                }
                glue = false;
                after_operand = true;
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                if c == '<' && (out.ends_with("::") || generics > 0) {
                    generics += 1;
                    out.push('<');
                    glue = true;
                    after_operand = false;
                    continue;
                }
                if c == '>' && generics > 0 {
                    generics -= 1;
                    out.push('>');
                    glue = false;
                    after_operand = true;
                    continue;
                }
                let joint = p.spacing() == Spacing::Joint;
                let prefix = !after_operand && matches!(c, '&' | '*' | '-' | '!');
                let tight = matches!(c, '.' | ',' | ';' | '?' | ':') || (c == '!' && after_operand);
                if !glue && (prefix || !tight) {
                    out.push(' ');
                }
                out.push(c);
                glue = joint || prefix || matches!(c, '.' | ':') || (c == '!' && after_operand);
                if matches!(c, ',' | ';') || (c == ':' && !out.ends_with("::")) {
                    glue = false;
                }
                after_operand = c == '?';
            }
            _ => {
                if !glue {
                    out.push(' ');
                }
                out.push_str(&tt.to_string());
                glue = false;
                after_operand = true;
            }
        }
    }
    out
}

/// Whether a binary operator is a compound assignment (`+=`, `<<=`, ..).
pub fn is_assign_op(op: &syn::BinOp) -> bool {
    matches!(
        op,
        syn::BinOp::AddAssign(_)
            | syn::BinOp::SubAssign(_)
            | syn::BinOp::MulAssign(_)
            | syn::BinOp::DivAssign(_)
            | syn::BinOp::RemAssign(_)
            | syn::BinOp::BitXorAssign(_)
            | syn::BinOp::BitAndAssign(_)
            | syn::BinOp::BitOrAssign(_)
            | syn::BinOp::ShlAssign(_)
            | syn::BinOp::ShrAssign(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn markers_round_trip() {
        assert_eq!(marker_index(&marker(7, Span::call_site())), Some(7));
    }

    #[test]
    fn patterns_bind_lowercase_names_only() {
        let pat: Pat = Pat::parse_single
            .parse2(quote::quote!((mut a, Some(b), None, S { c, .. })))
            .unwrap();
        let names: Vec<String> = pattern_bindings(&pat)
            .iter()
            .map(|b| b.name.to_string())
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(pattern_bindings(&pat)[0].mutable);
    }

    #[test]
    fn yields_in_closures_are_not_counted() {
        let e: Expr = parse_quote!(|| yield_await!(x));
        assert!(!has_yield(&e));
        let e: Expr = parse_quote!(f(yield_await!(x)));
        assert!(has_yield(&e));
    }

    #[test]
    fn compact_text_reads_like_source() {
        let t = |ts: TokenStream| compact(&ts);
        assert_eq!(
            t(quote::quote!(yield_await!(sleep(Duration::from_secs(2))))),
            "yield_await!(sleep(Duration::from_secs(2)))"
        );
        assert_eq!(
            t(quote::quote!(f(a, &b[0], -1).await?)),
            "f(a, &b[0], -1).await?"
        );
        assert_eq!(t(quote::quote!(a + b * !c)), "a + b * !c");
        assert_eq!(t(quote::quote!(pending::<()>())), "pending::<()>()");
        assert_eq!(t(quote::quote!(f::<Vec<u8>>(x))), "f::<Vec<u8>>(x)");
        assert_eq!(t(quote::quote!(S { x: 1 })), "S { x: 1 }");
    }

    #[test]
    fn yield_in_macro_tokens_is_found() {
        assert!(tokens_have_yield(&quote::quote!("{}", yield_await!(x))).is_some());
        assert!(tokens_have_yield(&quote::quote!("{}", x)).is_none());
    }

    use syn::parse::Parser;
}
