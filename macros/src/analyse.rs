//! Analysis: the resume points of a body (yield points, joins after control statements
//! that contain yield points, loop heads), where each sits (its path from the body down
//! through control expressions) and which bindings are stored in its state variant.
//!
//! The rule for storing a binding in scope at a resume point: it is stored if it is
//! referenced in the code that may run after the yield (the rest of every enclosing
//! block, and whole enclosing loop bodies), or if it is never used in a possibly-moving
//! position before the yield (it may be a guard whose drop must wait until its scope
//! ends, as in `async fn`). Other bindings are dead at the yield and not stored (rustc
//! does not store them either). Shadowing is respected.
//!
//! Identifiers inside other macros' arguments (which an attribute sees as tokens only)
//! are uses, classified by a token rule: a method call on a name (`v.unwrap()`) may move,
//! judged by the method's name as outside macros (`v.len()` borrows); otherwise a name
//! (`v`, `v.field`) may move, except as an argument of a format macro (`println!`,
//! `format!`, `write!`, `assert_eq!`, `panic!`, `log`'s macros, ..), which borrows it;
//! `{name}` inside a format string borrows.
//!
//! Known limits: a binding moved before a yield on one path only (in one branch) and not
//! used after it is dropped at the yield rather than at the end of its scope; a binding
//! shadowed by another one of the same name before the yield is not stored (it is dropped
//! at the yield); whether a method takes `self` by value is guessed from its name.

use crate::normalise::YieldPoint;
use crate::syntax::{
    is_assign_op, marker_index, pattern_bindings, pattern_binds, stmt_control, value_var,
    yield_stmt,
};
use proc_macro2::{Ident, TokenStream, TokenTree};
use syn::visit::Visit;
use syn::{BinOp, Block, Expr, Pat, Stmt, Type};

/// How a path steps from a statement into the block below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The statement is the yield point itself.
    Here,
    /// The `then` block of an `if`.
    Then,
    /// The `else` block of an `if`.
    Else,
    /// The body (a block) of the `k`th arm of a `match`.
    Arm(usize),
    /// The body of a `loop`.
    LoopBody,
    /// A plain, labelled or `unsafe` block.
    Block,
}

/// One step of a yield point's path: the statement index in the current block, and how
/// to enter the block below it.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub stmt: usize,
    pub entry: Entry,
}

/// A binding stored in (or re-declared after) a yield point's variant.
#[derive(Clone, Debug)]
pub struct Stored {
    pub name: Ident,
    pub mutable: bool,
    /// The variant's field.
    pub field: Ident,
    /// The variable the value is moved into on resumption.
    pub var: Ident,
    /// A `let x;` still uninitialised at the yield: re-declared (with its type), not stored.
    pub redeclare: Option<Option<Type>>,
    /// The handle of a fixed local (see `fixed`): its slot `K`. Not a field: the state
    /// drops the slot in its place (`DropInOrder`), a resumed step takes a new handle.
    pub fixed: Option<usize>,
    /// Possibly moved before the yield and assigned again after it: stored by value it
    /// may be a moved-from value (E0382), so it gets a fixed slot with a drop flag.
    pub reinit: bool,
}

/// What the lowering needs to know about one yield point.
#[derive(Debug)]
pub struct Plan {
    pub path: Vec<Step>,
    /// For each level of the path (outermost first), the bindings restored there, in
    /// declaration order.
    pub levels: Vec<Vec<Stored>>,
}

impl Plan {
    /// The fields of the variant, in drop order: innermost level first, each level in
    /// reverse declaration order.
    pub fn fields(&self) -> Vec<&Stored> {
        self.drop_order()
            .into_iter()
            .filter(|s| s.fixed.is_none())
            .collect()
    }

    /// What the variant holds, in drop order: its fields and the fixed locals' handles.
    pub fn drop_order(&self) -> Vec<&Stored> {
        self.levels
            .iter()
            .rev()
            .flat_map(|level| level.iter().rev())
            .filter(|s| s.redeclare.is_none())
            .collect()
    }
}

/// The blocks a control expression holds, and how each is entered.
pub fn sub_blocks(e: &Expr) -> Vec<(Entry, &Block)> {
    match e {
        Expr::If(i) => {
            let mut v = vec![(Entry::Then, &i.then_branch)];
            if let Some((_, els)) = &i.else_branch {
                if let Expr::Block(b) = &**els {
                    v.push((Entry::Else, &b.block));
                }
            }
            v
        }
        Expr::Match(m) => m
            .arms
            .iter()
            .enumerate()
            .filter_map(|(k, arm)| match &*arm.body {
                Expr::Block(b) if b.label.is_none() => Some((Entry::Arm(k), &b.block)),
                _ => None,
            })
            .collect(),
        Expr::Loop(l) => vec![(Entry::LoopBody, &l.body)],
        Expr::Block(b) => vec![(Entry::Block, &b.block)],
        Expr::Unsafe(u) => vec![(Entry::Block, &u.block)],
        _ => Vec::new(),
    }
}

/// The block entered from `e` through `entry`.
pub fn sub_block(e: &Expr, entry: Entry) -> &Block {
    sub_blocks(e)
        .into_iter()
        .find(|(en, _)| *en == entry)
        .map(|(_, b)| b)
        .expect("a path follows the blocks of the normalised body")
}

/// What a resume point is: where a step of the machine may start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Yield point `n`: resumes once its future is ready.
    Yield(usize),
    /// Just after a control statement that contains yield points: every path out of the
    /// statement arrives here with its value, so the code after it is emitted once.
    Join,
    /// The start of a loop that contains yield points (entered afresh each iteration).
    LoopHead,
}

/// A place where a step of the machine may start, and what is stored there.
#[derive(Debug)]
pub struct Point {
    pub kind: Kind,
    pub plan: Plan,
}

/// Every resume point of a normalised body, in source order (a variant is always
/// constructed in the arm of an earlier point, which is what lets rustc infer the state
/// enum's type parameters arm by arm).
pub fn points(root: &Block, yields: &[YieldPoint]) -> Vec<Point> {
    let mut found = Vec::new();
    collect_points(root, root, &mut Vec::new(), &mut found);
    found
        .into_iter()
        .map(|(kind, path)| {
            let plan = plan(root, yields, path, kind);
            Point { kind, plan }
        })
        .collect()
}

/// Whether the statement at the end of `path` is the last of its block: the code after
/// it is then the block's own exit (a join, a loop head or the end of the body, handled
/// where the block is entered), so it needs no join of its own.
pub fn is_last(root: &Block, path: &[Step]) -> bool {
    let blocks = level_blocks(root, path);
    let block = blocks.last().expect("a path has a block");
    path.last().expect("non-empty path").stmt + 1 == block.stmts.len()
}

fn collect_points(
    root: &Block,
    block: &Block,
    prefix: &mut Vec<Step>,
    out: &mut Vec<(Kind, Vec<Step>)>,
) {
    for (i, stmt) in block.stmts.iter().enumerate() {
        let here = |prefix: &Vec<Step>| {
            let mut path = prefix.clone();
            path.push(Step {
                stmt: i,
                entry: Entry::Here,
            });
            path
        };
        if let Some(n) = yield_stmt(stmt) {
            out.push((Kind::Yield(n), here(prefix)));
        } else if let Some(ctrl) = stmt_control(stmt) {
            if matches!(ctrl, Expr::Loop(_)) {
                out.push((Kind::LoopHead, here(prefix)));
            }
            for (entry, sub) in sub_blocks(ctrl) {
                prefix.push(Step { stmt: i, entry });
                collect_points(root, sub, prefix, out);
                prefix.pop();
            }
            let path = here(prefix);
            if !is_last(root, &path) {
                out.push((Kind::Join, path));
            }
        }
    }
}

/// Whether two paths are the same.
pub fn same_path(a: &[Step], b: &[Step]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.stmt == y.stmt && x.entry == y.entry)
}

/// The blocks along a path, outermost (the root) first.
pub fn level_blocks<'a>(root: &'a Block, path: &[Step]) -> Vec<&'a Block> {
    let mut blocks = vec![root];
    for step in &path[..path.len() - 1] {
        let stmt = &blocks.last().expect("non-empty").stmts[step.stmt];
        let ctrl = stmt_control(stmt).expect("a path goes through control statements");
        blocks.push(sub_block(ctrl, step.entry));
    }
    blocks
}

/// Bindings that a block entered through `entry` of `ctrl` starts with (arm patterns,
/// `if let` patterns).
fn entry_bindings(ctrl: &Expr, entry: Entry) -> Vec<(Ident, bool)> {
    let pat = match (ctrl, entry) {
        (Expr::Match(m), Entry::Arm(k)) => Some(&m.arms[k].pat),
        (Expr::If(i), Entry::Then) => match &*i.cond {
            Expr::Let(l) => Some(&*l.pat),
            _ => None,
        },
        _ => None,
    };
    pat.map(|p| {
        pattern_bindings(p)
            .into_iter()
            .map(|b| (b.name, b.mutable))
            .collect()
    })
    .unwrap_or_default()
}

struct Declared {
    level: usize,
    /// Index of the declaring statement; `None` for bindings the block starts with.
    decl: Option<usize>,
    name: Ident,
    mutable: bool,
    uninit: Option<Option<Type>>,
    /// Certainly without drop glue (a primitive by its type or its literal value): kept
    /// only while used, as rustc keeps it.
    dropless: bool,
}

/// Plans the resume point at the end of `path` (a loop head also runs the loop itself).
fn plan(root: &Block, yields: &[YieldPoint], path: Vec<Step>, kind: Kind) -> Plan {
    let loop_head = kind == Kind::LoopHead;
    let blocks = level_blocks(root, &path);
    let k = path.len() - 1;

    let mut declared: Vec<Declared> = Vec::new();
    for (j, block) in blocks.iter().enumerate() {
        if j > 0 {
            let parent = &blocks[j - 1].stmts[path[j - 1].stmt];
            let ctrl = stmt_control(parent).expect("control statement");
            for (name, mutable) in entry_bindings(ctrl, path[j - 1].entry) {
                declared.push(Declared {
                    level: j,
                    decl: None,
                    name,
                    mutable,
                    uninit: None,
                    dropless: false,
                });
            }
        }
        for (i, stmt) in block.stmts[..path[j].stmt].iter().enumerate() {
            if let Stmt::Local(local) = stmt {
                let ty = match &local.pat {
                    Pat::Type(t) => Some((*t.ty).clone()),
                    _ => None,
                };
                let dropless = match (&local.pat, &local.init) {
                    (Pat::Type(t), _) => plainly_dropless(&t.ty),
                    (Pat::Ident(_), Some(init)) => literal_value(&init.expr),
                    _ => false,
                };
                for b in pattern_bindings(&local.pat) {
                    declared.push(Declared {
                        level: j,
                        decl: Some(i),
                        name: b.name,
                        mutable: b.mutable,
                        uninit: local.init.is_none().then(|| ty.clone()),
                        dropless,
                    });
                }
            }
        }
    }

    let mut levels: Vec<Vec<Stored>> = (0..=k).map(|_| Vec::new()).collect();
    for (idx, d) in declared.iter().enumerate() {
        let shadowed = declared[idx + 1..].iter().any(|later| later.name == d.name);
        if shadowed {
            continue;
        }
        let name = d.name.to_string();
        // The code that may run after the yield.
        let mut after = Scan::new(&name, yields);
        for j in (d.level..=k).rev() {
            let block = blocks[j];
            let stmt = &block.stmts[path[j].stmt];
            let rebinds = matches!(stmt, Stmt::Local(l) if pattern_binds(&l.pat, &name));
            if j == k && loop_head {
                after.visit_stmt(stmt);
            }
            if !rebinds {
                after.stmts(&block.stmts[path[j].stmt + 1..]);
            }
            if j < k && path[j].entry == Entry::LoopBody && d.level <= j {
                after.stmts(&blocks[j + 1].stmts);
            }
        }
        // The code that ran before it, since the declaration.
        let block = blocks[d.level];
        let from = d.decl.map_or(0, |i| i + 1);
        let mut before = Scan::new(&name, yields);
        before.stmts(&block.stmts[from..path[d.level].stmt]);
        scan_path_before(&mut before, &blocks, &path, d.level, kind);

        let field = d.name.clone();
        let var = value_var(&field, idx);
        let stored = match &d.uninit {
            Some(ty) if after.mentioned && !before.assigned => Some(Stored {
                name: d.name.clone(),
                mutable: d.mutable,
                field,
                var,
                redeclare: Some(ty.clone()),
                fixed: None,
                reinit: false,
            }),
            Some(_) if !after.mentioned => None,
            _ if after.mentioned || (!before.moved && !d.dropless) => Some(Stored {
                name: d.name.clone(),
                mutable: d.mutable,
                field,
                var,
                redeclare: None,
                fixed: None,
                reinit: before.moved && after.assigned && !d.dropless,
            }),
            _ => None,
        };
        if let Some(s) = stored {
            levels[d.level].push(s);
        }
    }
    Plan { path, levels }
}

/// Whether a type certainly has no drop glue: a primitive, a shared reference, or a
/// tuple or array of those.
fn plainly_dropless(ty: &Type) -> bool {
    const PRIMITIVES: &[&str] = &[
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
        "f32", "f64", "bool", "char",
    ];
    match ty {
        Type::Path(p) => p.qself.is_none() && PRIMITIVES.iter().any(|n| p.path.is_ident(n)),
        Type::Reference(r) => r.mutability.is_none(),
        Type::Tuple(t) => t.elems.iter().all(plainly_dropless),
        Type::Array(a) => plainly_dropless(&a.elem),
        Type::Paren(p) => plainly_dropless(&p.elem),
        _ => false,
    }
}

/// Whether an initialiser is a number, `bool` or `char` literal, or arithmetic of them.
fn literal_value(e: &Expr) -> bool {
    match e {
        Expr::Lit(l) => matches!(
            l.lit,
            syn::Lit::Int(_) | syn::Lit::Float(_) | syn::Lit::Bool(_) | syn::Lit::Char(_)
        ),
        Expr::Paren(p) => literal_value(&p.expr),
        Expr::Group(g) => literal_value(&g.expr),
        Expr::Unary(u) => !matches!(u.op, syn::UnOp::Deref(_)) && literal_value(&u.expr),
        Expr::Binary(b) => literal_value(&b.left) && literal_value(&b.right),
        _ => false,
    }
}

/// Scans the part of the path statement at `level` that runs before the resume point: the
/// conditions and scrutinees on the way down, the statements before it in each block
/// (whole loop bodies: earlier iterations ran them), and the awaited future itself.
fn scan_path_before(
    scan: &mut Scan<'_>,
    blocks: &[&Block],
    path: &[Step],
    level: usize,
    kind: Kind,
) {
    let k = path.len() - 1;
    let stmt = &blocks[level].stmts[path[level].stmt];
    if level == k {
        match (kind, yield_stmt(stmt)) {
            (Kind::Yield(_), Some(n)) => {
                let fut = &scan.yields[n].future;
                scan.visit_expr(fut);
            }
            _ => scan.visit_stmt(stmt),
        }
        return;
    }
    if path[level].entry == Entry::LoopBody {
        scan.visit_stmt(stmt);
        return;
    }
    match stmt_control(stmt) {
        Some(Expr::If(i)) => scan.visit_expr(&i.cond),
        Some(Expr::Match(m)) => {
            scan.visit_expr(&m.expr);
            if let Entry::Arm(a) = path[level].entry {
                if let Some((_, guard)) = &m.arms[a].guard {
                    scan.visit_expr(guard);
                }
            }
        }
        _ => {}
    }
    scan.stmts(&blocks[level + 1].stmts[..path[level + 1].stmt]);
    scan_path_before(scan, blocks, path, level + 1, kind);
}

/// How a name is used in some code: mentioned at all, possibly moved, assigned.
struct Scan<'a> {
    name: &'a str,
    yields: &'a [YieldPoint],
    mentioned: bool,
    moved: bool,
    assigned: bool,
    /// Inside a non-`move` closure or `async` block: uses are captures by reference.
    by_ref: usize,
}

/// Format-style macros (and `log`'s): their arguments are borrowed for the statement.
pub const FORMAT_MACROS: &[&str] = &[
    "print",
    "println",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "unreachable",
    "todo",
    "unimplemented",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
];

/// Methods that (by their name) take `self` by value.
pub const CONSUMING_METHODS: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_or_default",
    "unwrap_err",
    "expect_err",
    "ok",
    "err",
    "map",
    "map_err",
    "and_then",
    "or_else",
    "join",
    "collect",
    "sum",
    "product",
    "count",
    "fold",
    "for_each",
    "zip",
    "chain",
    "filter",
    "filter_map",
    "flat_map",
    "enumerate",
    "rev",
    "skip",
    "step_by",
    "skip_while",
    "take_while",
    "last",
    "min",
    "max",
    "unzip",
    "partition",
    "await",
];

/// The local a place expression is rooted in (`x` in `x`, `x.f`, `x[i]`, `*x`).
pub fn place_root(e: &Expr) -> Option<&Ident> {
    match e {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        Expr::Field(f) => place_root(&f.base),
        Expr::Index(i) => place_root(&i.expr),
        Expr::Paren(p) => place_root(&p.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => place_root(&u.expr),
        _ => None,
    }
}

/// How macro tokens use `name`: `None` if they do not mention it, `Some(moving)` if they
/// do. A method call on it (`v.unwrap()`) may move, judged by the method's name as outside
/// macros; otherwise (`v`, `v.field`) it may move unless the macro is a format macro
/// (whose arguments are borrowed); `{name}` inside a string literal is an inline format
/// argument (borrowed).
fn tokens_use(tokens: &TokenStream, name: &str, format: bool) -> Option<bool> {
    let mut found = None;
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (k, tt) in trees.iter().enumerate() {
        let moving = match tt {
            TokenTree::Ident(i) if i == name => {
                let dot =
                    matches!(trees.get(k + 1), Some(TokenTree::Punct(p)) if p.as_char() == '.');
                let method = match (trees.get(k + 2), trees.get(k + 3)) {
                    (Some(TokenTree::Ident(m)), Some(TokenTree::Group(g)))
                        if dot && g.delimiter() == proc_macro2::Delimiter::Parenthesis =>
                    {
                        Some(m.to_string())
                    }
                    (Some(TokenTree::Ident(m)), Some(TokenTree::Punct(p)))
                        if dot && p.as_char() == ':' =>
                    {
                        Some(m.to_string())
                    }
                    (Some(TokenTree::Ident(m)), _) if dot && m == "await" => Some(m.to_string()),
                    _ => None,
                };
                Some(match method {
                    Some(m) => {
                        !format || m.starts_with("into_") || CONSUMING_METHODS.contains(&m.as_str())
                    }
                    None => !format,
                })
            }
            TokenTree::Group(g) => tokens_use(&g.stream(), name, format),
            TokenTree::Literal(l) => {
                let s = l.to_string();
                let inline = s.starts_with('"')
                    && (s.contains(&format!("{{{name}}}")) || s.contains(&format!("{{{name}:")));
                inline.then_some(false)
            }
            _ => None,
        };
        if let Some(m) = moving {
            found = Some(found.unwrap_or(false) || m);
        }
    }
    found
}

impl<'a> Scan<'a> {
    fn new(name: &'a str, yields: &'a [YieldPoint]) -> Self {
        Scan {
            name,
            yields,
            mentioned: false,
            moved: false,
            assigned: false,
            by_ref: 0,
        }
    }

    fn is_name(&self, e: &Expr) -> bool {
        place_root(e).is_some_and(|i| i == self.name)
    }

    fn mention(&mut self, moving: bool) {
        self.mentioned = true;
        if moving && self.by_ref == 0 {
            self.moved = true;
        }
    }

    /// Scans statements in order, stopping where a `let` shadows the name.
    fn stmts(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            self.visit_stmt(stmt);
            if let Stmt::Local(l) = stmt {
                if pattern_binds(&l.pat, self.name) {
                    return;
                }
            }
        }
    }

    fn expr_by_ref(&mut self, e: &Expr) {
        self.by_ref += 1;
        self.visit_expr(e);
        self.by_ref -= 1;
    }
}

impl<'ast> Visit<'ast> for Scan<'_> {
    fn visit_block(&mut self, b: &'ast Block) {
        self.stmts(&b.stmts);
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::Path(p) if p.qself.is_none() && p.path.is_ident(self.name) => self.mention(true),
            Expr::Reference(r) if self.is_name(&r.expr) => self.mention(false),
            // A field read (`x.f`) copies or borrows the field in the common case; moving
            // a field out (only for types without `Drop`) and never using `x` again is
            // rare, and then rustc says so (E0382 on `x`). Indexing stays "may move": an
            // array read by index and dead after it must not be kept (rustc does not keep
            // it, and it can be large: the size rule wins there).
            Expr::Field(_) if self.is_name(e) => self.mention(false),
            Expr::MethodCall(m) if self.is_name(&m.receiver) => {
                let method = m.method.to_string();
                let consuming =
                    method.starts_with("into_") || CONSUMING_METHODS.contains(&method.as_str());
                self.mention(consuming);
                m.args.iter().for_each(|a| self.visit_expr(a));
            }
            Expr::Binary(b)
                if matches!(
                    b.op,
                    BinOp::Eq(_)
                        | BinOp::Ne(_)
                        | BinOp::Lt(_)
                        | BinOp::Le(_)
                        | BinOp::Gt(_)
                        | BinOp::Ge(_)
                ) =>
            {
                for side in [&b.left, &b.right] {
                    if self.is_name(side) {
                        self.mention(false);
                    } else {
                        self.visit_expr(side);
                    }
                }
            }
            Expr::Binary(b) if self.is_name(&b.left) && is_assign_op(&b.op) => {
                self.mention(false);
                self.visit_expr(&b.right);
            }
            Expr::Assign(a) if self.is_name(&a.left) => {
                self.visit_expr(&a.right);
                self.mention(false);
                if matches!(&*a.left, Expr::Path(_)) {
                    self.assigned = true;
                }
            }
            Expr::Closure(c) => {
                if c.inputs.iter().any(|p| pattern_binds(p, self.name)) {
                    return;
                }
                if c.capture.is_some() {
                    self.visit_expr(&c.body);
                } else {
                    self.expr_by_ref(&c.body);
                }
            }
            Expr::Async(a) => {
                if a.capture.is_some() {
                    self.visit_block(&a.block);
                } else {
                    self.by_ref += 1;
                    self.visit_block(&a.block);
                    self.by_ref -= 1;
                }
            }
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                if !pattern_binds(&f.pat, self.name) {
                    self.visit_block(&f.body);
                }
            }
            Expr::If(i) => {
                let shadows = match &*i.cond {
                    Expr::Let(l) => {
                        self.visit_expr(&l.expr);
                        pattern_binds(&l.pat, self.name)
                    }
                    cond => {
                        self.visit_expr(cond);
                        false
                    }
                };
                if !shadows {
                    self.visit_block(&i.then_branch);
                }
                if let Some((_, els)) = &i.else_branch {
                    self.visit_expr(els);
                }
            }
            Expr::While(w) => {
                let shadows = match &*w.cond {
                    Expr::Let(l) => {
                        self.visit_expr(&l.expr);
                        pattern_binds(&l.pat, self.name)
                    }
                    cond => {
                        self.visit_expr(cond);
                        false
                    }
                };
                if !shadows {
                    self.visit_block(&w.body);
                }
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                for arm in &m.arms {
                    if pattern_binds(&arm.pat, self.name) {
                        continue;
                    }
                    if let Some((_, g)) = &arm.guard {
                        self.visit_expr(g);
                    }
                    self.visit_expr(&arm.body);
                }
            }
            Expr::Macro(m) => self.visit_macro(&m.mac),
            _ => syn::visit::visit_expr(self, e),
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(n) = marker_index(&Expr::Macro(syn::ExprMacro {
            attrs: Vec::new(),
            mac: mac.clone(),
        })) {
            let fut = &self.yields[n].future;
            self.visit_expr(fut);
            return;
        }
        let name = mac
            .path
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string());
        let format = FORMAT_MACROS.contains(&name.as_str());
        if let Some(moving) = tokens_use(&mac.tokens, self.name, format) {
            self.mention(moving);
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::{check, normalise};
    use syn::parse_quote;

    fn plans(body: Block) -> Vec<Plan> {
        check(&body, None, None).unwrap();
        let n = normalise(body).unwrap();
        points(&n.body, &n.yields)
            .into_iter()
            .filter(|p| matches!(p.kind, Kind::Yield(_)))
            .map(|p| p.plan)
            .collect()
    }

    fn stored(p: &Plan) -> Vec<String> {
        p.fields().iter().map(|s| s.name.to_string()).collect()
    }

    #[test]
    fn a_local_used_after_the_yield_is_stored() {
        let p = plans(parse_quote!({
            let a = 1;
            yield_await!(x);
            a
        }));
        assert_eq!(stored(&p[0]), ["a"]);
    }

    #[test]
    fn a_local_moved_before_and_unused_after_is_not_stored() {
        let p = plans(parse_quote!({
            let a = s();
            drop(a);
            yield_await!(x);
        }));
        assert!(stored(&p[0]).is_empty());
    }

    #[test]
    fn an_unused_local_is_stored_as_a_possible_guard() {
        let p = plans(parse_quote!({
            let g = lock();
            yield_await!(x);
        }));
        assert_eq!(stored(&p[0]), ["g"]);
    }

    #[test]
    fn fields_are_innermost_first_in_reverse_declaration_order() {
        let p = plans(parse_quote!({
            let a = 1;
            let b = 2;
            if c {
                let d = 3;
                yield_await!(x);
                (a, b, d)
            } else {
                (a, b, 0)
            }
        }));
        assert_eq!(stored(&p[0]), ["d", "b", "a"]);
    }

    #[test]
    fn shadowing_is_respected() {
        let p = plans(parse_quote!({
            let a = s();
            let a = f(a);
            yield_await!(x);
            a
        }));
        assert_eq!(stored(&p[0]), ["a"]);
        assert_eq!(p[0].levels[0].len(), 1);
    }

    #[test]
    fn a_format_string_reference_counts() {
        let p = plans(parse_quote!({
            let a = s();
            consume(a.clone());
            let b = 1;
            yield_await!(x);
            println!("{a} {}", b);
        }));
        assert_eq!(stored(&p[0]), ["b", "a"]);
    }

    #[test]
    fn a_loop_body_runs_again_after_the_yield() {
        let p = plans(parse_quote!({
            let mut n = 0;
            loop {
                n += 1;
                yield_await!(x);
            }
        }));
        assert_eq!(stored(&p[0]), ["n"]);
    }

    #[test]
    fn a_method_call_inside_a_format_macro_may_move() {
        let p = plans(parse_quote!({
            let v = s();
            println!("{:?}", v.unwrap());
            yield_await!(x);
        }));
        assert!(stored(&p[0]).is_empty());
    }

    #[test]
    fn a_borrowing_method_call_inside_a_format_macro_keeps_the_local() {
        let p = plans(parse_quote!({
            let g = s();
            println!("{}", g.name());
            yield_await!(x);
        }));
        assert_eq!(stored(&p[0]), ["g"]);
    }

    #[test]
    fn bare_and_inline_format_arguments_borrow() {
        let p = plans(parse_quote!({
            let a = s();
            let b = s();
            println!("{a} {}", b);
            yield_await!(x);
        }));
        assert_eq!(stored(&p[0]), ["b", "a"]);
    }

    #[test]
    fn a_bare_argument_of_another_macro_may_move() {
        let p = plans(parse_quote!({
            let a = s();
            let _v = vec![a];
            yield_await!(x);
        }));
        assert_eq!(stored(&p[0]), ["_v"]);
    }

    #[test]
    fn the_awaited_future_of_a_later_yield_is_a_reference() {
        let p = plans(parse_quote!({
            let a = s();
            drop(a.clone());
            yield_await!(x);
            yield_await!(f(a));
        }));
        assert_eq!(stored(&p[0]), ["a"]);
        assert!(stored(&p[1]).is_empty());
    }
}
