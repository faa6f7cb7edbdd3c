//! Analysis: the resume points of a body (yield points, joins after control statements
//! that contain yield points, loop heads), where each sits (its path from the body down
//! through control expressions) and which bindings are stored in its state variant.
//!
//! The rule for storing a binding in scope at a resume point: it is stored if it is
//! referenced in the code that may run after the yield (the rest of every enclosing
//! block up to a `return` or panic, and whole enclosing loop bodies), or if it still
//! holds a value there (it may be a guard whose drop must wait until its scope ends, as
//! in `async fn`). Whether it holds a value is read from the code before the yield, in
//! order: a move of the whole value (`let y = x;`, `f(x)`, `x.into_y()`, a `move`
//! closure) empties it, on every path if the move is unconditional, on some paths if it
//! is in a branch or loop (then it is stored with a drop flag: see `fixed`); an
//! assignment fills it again. A use as an operand (`x + 1`, `x[i]`, `match x`) is taken
//! for a copy when deciding whether to keep an unused value: it is more often a copy of
//! a value without drop glue than a move. Other bindings are dead at the yield and not
//! stored (rustc does not store them either). Shadowing is respected (a binding shadowed
//! at a yield gets a name of its own: see `fixed`).
//!
//! Identifiers inside other macros' arguments (which an attribute sees as tokens only)
//! are uses, classified by a token rule: a method call on a name (`v.unwrap()`) may move,
//! judged by the method's name as outside macros (`v.len()` borrows); otherwise a name
//! (`v`, `v.field`) may move, except as an argument of a format macro (`println!`,
//! `format!`, `write!`, `assert_eq!`, `panic!`, `log`'s macros, ..), which borrows it;
//! `{name}` inside a format string borrows.
//!
//! Known limits: whether a method takes `self` by value is guessed from its name; a
//! value taken by an operand (`s + "x"` with a `String`) on some paths only and unused
//! after the yield is dropped at the yield rather than at the end of its scope.

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
    /// Where the binding is declared (the path to its block, its statement, its name):
    /// the same at every resume point that stores it, so the variants that store it share
    /// one type parameter for it.
    pub origin: String,
    /// The variable the value is moved into on resumption.
    pub var: Ident,
    /// A `let x;` still uninitialised at the yield: re-declared (with its type), not stored.
    pub redeclare: Option<Option<Type>>,
    /// The handle of a fixed local (see `fixed`): its slot `K`. Not a field: the state
    /// drops the slot in its place (`DropInOrder`), a resumed step takes a new handle.
    pub fixed: Option<usize>,
    /// Moved before the yield on some paths (or on every path, and assigned again after
    /// it): stored by value it may be a moved-from value (E0382), so it gets the drop
    /// flag `async fn` gives it (see `fixed`).
    pub flag: bool,
    /// The handle of a fixed local in a `Movable` slot: the variant keeps its drop flag
    /// (`<field>_live`), the slot its value.
    pub movable: bool,
    /// Not used after the yield: kept only to be dropped at the end of its scope.
    pub dead: bool,
    /// A flagged local moved out (or not yet assigned) on every path to the yield and not
    /// used after it (kept for a join where other paths bring a value): its flag is known
    /// to be down, so the variant keeps only its type (a field of no bytes,
    /// `Flagged::into_empty`), where rustc keeps the drop flag.
    pub empty: bool,
}

impl Stored {
    /// A flagged local (see `fixed`): its value and its flag are two fields of the
    /// variant, so that the flag can sit in the state's spare bytes.
    pub fn flagged(&self) -> bool {
        is_flag_handle(&self.name.to_string())
    }

    /// The variant's fields for this binding, with the variables they are taken into:
    /// one, or the value and the flag of a flagged local.
    pub fn field_vars(&self) -> Vec<(Ident, Ident)> {
        if self.fixed.is_some() {
            // A movable slot's flag (a `Fixed` slot's handle has no field).
            return self.movable.then(|| self.live()).into_iter().collect();
        }
        let mut pairs = vec![(self.field.clone(), self.var.clone())];
        if self.flagged() && !self.empty {
            pairs.push(self.live());
        }
        pairs
    }

    /// The field of the binding's drop flag (a flagged local's, or a `Movable` slot's), and
    /// the variable it is taken into: `<field>_live`, `<var>_live`.
    pub fn live(&self) -> (Ident, Ident) {
        (
            quote::format_ident!("{}_live", self.field),
            quote::format_ident!("{}_live", self.var),
        )
    }
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

    /// What the variant's fields hold, in drop order: the locals it stores, and the drop
    /// flags of fixed locals in `Movable` slots (see `Stored::field_vars`).
    pub fn state_fields(&self) -> Vec<&Stored> {
        self.drop_order()
            .into_iter()
            .filter(|s| s.fixed.is_none() || s.movable)
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
    let i = path.last().expect("non-empty path").stmt;
    i + 1 == block.stmts.len()
        || (i + 2 == block.stmts.len() && returns_binding(&block.stmts[i], &block.stmts[i + 1]))
}

/// A `let x = ..;` followed by the block's tail `x` (`let __resumable_body = ..;
/// __resumable_body`, the body's own wrapper): the `let` needs no join, each arm that
/// completes it evaluates the tail itself (see `lower::last_control`).
fn returns_binding(stmt: &Stmt, tail: &Stmt) -> bool {
    let (Stmt::Local(local), Stmt::Expr(Expr::Path(p), None)) = (stmt, tail) else {
        return false;
    };
    let pat = match &local.pat {
        Pat::Type(t) => &*t.pat,
        pat => pat,
    };
    matches!(pat, Pat::Ident(b) if b.by_ref.is_none() && b.subpat.is_none()
        && p.attrs.is_empty() && p.qself.is_none() && p.path.is_ident(&b.ident))
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
                    (Pat::Ident(p), Some(_)) if hoisted_value(p) => true,
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
        // The jumps of the code after the yield scanned so far that leave it.
        let mut pending: Vec<Jump> = Vec::new();
        // A jump the code scanned so far certainly makes: the levels up to its target
        // never run their code after this point.
        let mut skip: Option<Jump> = None;
        for j in (d.level..=k).rev() {
            let block = blocks[j];
            let stmt = &block.stmts[path[j].stmt];
            let rebinds = matches!(stmt, Stmt::Local(l) if pattern_binds(&l.pat, &name));
            // The loop's body runs again after the code below it.
            let mut again = j < k && path[j].entry == Entry::LoopBody;
            if let Some(jump) = &skip {
                if !jump.lands(stmt, path[j].entry) {
                    continue;
                }
                // (Left by a `break`, the loop runs its body no more.)
                again &= jump.again;
            }
            if j == k && loop_head {
                after.visit_stmt(stmt);
                pending.extend(escapes(std::slice::from_ref(stmt)));
            }
            if again {
                // Run again, the body may leave by jumps it makes before this point too
                // (class 22: a `break` to an outer loop, where the code after this point
                // only returns).
                pending.extend(escapes(&blocks[j + 1].stmts));
            }
            if j < k {
                resolve_jumps(&mut pending, stmt, path[j].entry);
            }
            if !rebinds {
                after.stmts(&block.stmts[path[j].stmt + 1..]);
            }
            if again {
                after.stmts(&blocks[j + 1].stmts);
            }
            let rest = &block.stmts[path[j].stmt + 1..];
            pending.extend(escapes(rest));
            if pending.is_empty() && exits(rest) {
                // The code of the outer blocks never runs after this point (and the
                // lowering emits none of it: see `continuation`).
                break;
            }
            skip = certain_jump(rest, &pending);
        }
        // The code that ran before it, since the declaration.
        let block = blocks[d.level];
        let from = d.decl.map_or(0, |i| i + 1);
        let mut before = Scan::new(&name, yields);

        if d.uninit.is_some() {
            before.init = Init::No;
        }
        before.stmts(&block.stmts[from..path[d.level].stmt]);
        // A flag moved out here may still be stored at a join (or loop head) further on,
        // where another path brings it holding a value: it must exist on this one too.
        let joined = is_flag_handle(&name) && held_after(&before, &blocks, &path, d.level);
        scan_path_before(&mut before, &blocks, &path, d.level, kind);

        let keep = match keep(d, &before, &after) {
            Keep::No if joined => Keep::Value,
            keep => keep,
        };
        if keep != Keep::No {
            let field = d.name.clone();
            levels[d.level].push(Stored {
                name: d.name.clone(),
                mutable: d.mutable,
                origin: format!("{:?}/{:?}/{}", &path[..d.level], d.decl, d.name),
                var: value_var(&field, idx),
                field,
                redeclare: match keep {
                    Keep::Redeclare => Some(d.uninit.clone().flatten()),
                    _ => None,
                },
                fixed: None,
                movable: false,
                flag: keep == Keep::Flag,
                dead: !after.mentioned && !kept_temporary(&name),
                // (Not used again: a "move" the attribute sees may be a copy or a reborrow,
                // whose bits a later read would need.)
                empty: is_flag_handle(&name) && before.init == Init::No && !after.mentioned,
            });
        }
    }
    Plan { path, levels }
}

/// What a resume point does with a binding in scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    /// Nothing: dead there (as in rustc's state), or without a value.
    No,
    /// Stores its value.
    Value,
    /// Declares it again without a value (`let x;`): assigned after the resume point.
    Redeclare,
    /// Stores it with a drop flag: it holds a value on some paths only.
    Flag,
}

/// What a resume point keeps of binding `d`, from how the code before it and after it
/// uses it. As rustc: a value still held and dropped at the end of its scope is kept
/// (with a flag if it is held on some paths only); one moved out, never assigned, or
/// without drop glue and not used again is not.
fn keep(d: &Declared, before: &Scan<'_>, after: &Scan<'_>) -> Keep {
    if is_flag_handle(&d.name.to_string()) {
        // The flag itself: kept while it may hold a value, or is used again (or stored at
        // a join after this point: see `plan`).
        return match (before.init, after.mentioned) {
            (Init::No, false) => Keep::No,
            _ => Keep::Value,
        };
    }
    let never_assigned = d.uninit.is_some() && !before.assigned;
    if never_assigned {
        return match after.mentioned {
            true => Keep::Redeclare,
            false => Keep::No,
        };
    }
    if d.dropless {
        // A move is a copy: only a `let x: T;` assigned on some paths is without a value.
        return match (after.mentioned, before.init) {
            (false, _) => Keep::No,
            (true, Init::Maybe) if d.uninit.is_some() && after.assigned => Keep::Flag,
            (true, _) => Keep::Value,
        };
    }
    match before.init {
        // Kept while used, or as a possible guard until the end of its scope, unless an
        // operand took it (`x + 1`: more likely a copy of a value without drop glue).
        Init::Yes if after.mentioned || !before.weak_moved => Keep::Value,
        Init::Yes => Keep::No,
        Init::No if !after.mentioned => Keep::No,
        // Read before it is assigned again: a copy (rustc accepts no other read).
        Init::No if !after.assigned => Keep::Value,
        Init::No => Keep::Flag,
        Init::Maybe if after.mentioned && !after.assigned => Keep::Value,
        Init::Maybe => Keep::Flag,
    }
}

/// Whether a name is that of a flagged local (`__resumable_flag_x_K`, see `fixed`).
pub fn is_flag_handle(name: &str) -> bool {
    name.starts_with("__resumable_flag_")
}

/// For a machine that cannot give locals a drop flag (a generator, which has no
/// borrow-checked twin): a binding that would need one is stored by value if it is used
/// after the resume point (a moved-from one then fails to compile), and dropped at the
/// resume point if it is not.
pub fn without_flags(points: &mut [Point]) {
    for point in points {
        for level in &mut point.plan.levels {
            level.retain(|s| !(s.flag && s.dead));
            for s in level.iter_mut() {
                s.flag = false;
            }
        }
    }
}

/// Whether `p` binds an operand the normaliser evaluated ahead of a yield
/// (`let __resumable_tN = ..;`, not `mut`: not a kept temporary). Its one use consumes it
/// (a move) or copies it (a type without drop glue), so it is kept only while used: once
/// its use is behind, nothing of it is left to drop.
fn hoisted_value(p: &syn::PatIdent) -> bool {
    let name = p.ident.to_string();
    p.mutability.is_none()
        && p.by_ref.is_none()
        && name
            .strip_prefix("__resumable_t")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `name` is a temporary the normaliser keeps to the end of its statement
/// (`let mut __resumable_tN`) or one of its edition holders (`__resumable_tN_before`):
/// kept whole until then, used or not, as rustc keeps a temporary while it is in scope
/// (and the type of a holder is not known early enough to choose by it: see
/// `resumable::__private::Dead`).
fn kept_temporary(name: &str) -> bool {
    name.strip_prefix("__resumable_t")
        .map(|n| n.strip_suffix("_before").unwrap_or(n))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The primitive types, by name.
pub const PRIMITIVES: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32",
    "f64", "bool", "char",
];

/// Whether a type certainly has no drop glue: a primitive, a shared reference, or a
/// tuple or array of those.
fn plainly_dropless(ty: &Type) -> bool {
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

/// Whether statements hold a `break` or `continue` that leaves them (outside closures;
/// one that targets a loop or labelled block of the statements themselves stays inside).
pub fn has_jumps(stmts: &[Stmt]) -> bool {
    !escapes(stmts).is_empty()
}

/// A `break` or `continue` that leaves the code it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jump {
    /// Its target's label, or `None` for the innermost loop around it.
    pub label: Option<String>,
    /// A `continue`: the target loop runs its body again.
    pub again: bool,
}

impl Jump {
    fn new(label: Option<&syn::Lifetime>, again: bool) -> Jump {
        Jump {
            label: label.map(|l| l.ident.to_string()),
            again,
        }
    }

    /// Whether the jump lands at control statement `stmt`, entered through `entry` on the
    /// way to it: `stmt` is the loop it leaves or continues, or the block it leaves.
    pub fn lands(&self, stmt: &Stmt, entry: Entry) -> bool {
        let label = |l: Option<&syn::Label>| l.map(|l| l.name.ident.to_string());
        match (stmt_control(stmt), entry) {
            (Some(Expr::Loop(l)), Entry::LoopBody) => {
                self.label.is_none() || self.label == label(l.label.as_ref())
            }
            (Some(Expr::Block(b)), Entry::Block) => {
                self.label.is_some() && self.label == label(b.label.as_ref())
            }
            _ => false,
        }
    }
}

/// The `break`s and `continue`s that leave `stmts`.
pub fn escapes(stmts: &[Stmt]) -> Vec<Jump> {
    struct Jumps {
        found: Vec<Jump>,
        /// Loops entered (an unlabelled jump targets the innermost).
        loops: usize,
        /// Labels of the loops and blocks entered.
        labels: Vec<String>,
    }
    impl Jumps {
        fn inside(&mut self, label: Option<&syn::Label>, is_loop: bool, f: impl FnOnce(&mut Self)) {
            let mark = self.labels.len();
            if let Some(l) = label {
                self.labels.push(l.name.ident.to_string());
            }
            self.loops += usize::from(is_loop);
            f(self);
            self.loops -= usize::from(is_loop);
            self.labels.truncate(mark);
        }
        fn jump(&mut self, label: Option<&syn::Lifetime>, again: bool) {
            let leaves = match label {
                Some(l) => !self.labels.contains(&l.ident.to_string()),
                None => self.loops == 0,
            };
            if leaves {
                self.found.push(Jump::new(label, again));
            }
        }
    }
    impl Visit<'_> for Jumps {
        fn visit_expr(&mut self, e: &Expr) {
            match e {
                Expr::Break(b) => {
                    self.jump(b.label.as_ref(), false);
                    if let Some(v) = &b.expr {
                        self.visit_expr(v);
                    }
                }
                Expr::Continue(c) => self.jump(c.label.as_ref(), true),
                Expr::Loop(l) => self.inside(l.label.as_ref(), true, |s| s.visit_block(&l.body)),
                Expr::While(w) => {
                    self.visit_expr(&w.cond);
                    self.inside(w.label.as_ref(), true, |s| s.visit_block(&w.body));
                }
                Expr::ForLoop(f) => {
                    self.visit_expr(&f.expr);
                    self.inside(f.label.as_ref(), true, |s| s.visit_block(&f.body));
                }
                Expr::Block(b) if b.label.is_some() => {
                    self.inside(b.label.as_ref(), false, |s| s.visit_block(&b.block))
                }
                Expr::Closure(_) | Expr::Async(_) => {}
                _ => syn::visit::visit_expr(self, e),
            }
        }
        fn visit_item(&mut self, _: &syn::Item) {}
    }
    let mut jumps = Jumps {
        found: Vec::new(),
        loops: 0,
        labels: Vec::new(),
    };
    stmts.iter().for_each(|s| jumps.visit_stmt(s));
    jumps.found
}

/// Removes from `pending` the jumps that the control statement `stmt`, entered through
/// `entry` on the way to a resume point, is the target of (its loop, or its label).
pub fn resolve_jumps(pending: &mut Vec<Jump>, stmt: &Stmt, entry: Entry) {
    pending.retain(|j| !j.lands(stmt, entry));
}

/// The jump that statements `rest` (the code after a resume point's statement, in its
/// block) certainly make, if they leave only by it: a `break` or `continue` among them
/// (under no condition), where every jump that leaves them and every one of `pending`
/// (the jumps of the code before them that leave its levels) goes to the same target the
/// same way. The code of the levels between `rest` and that target never runs after the
/// point: `plan` does not scan it, and the lowering emits none of it (`continuation`).
pub fn certain_jump(rest: &[Stmt], pending: &[Jump]) -> Option<Jump> {
    fn first(stmts: &[Stmt]) -> Option<Jump> {
        stmts.iter().find_map(|stmt| match stmt {
            Stmt::Expr(Expr::Break(b), _) => Some(Jump::new(b.label.as_ref(), false)),
            Stmt::Expr(Expr::Continue(c), _) => Some(Jump::new(c.label.as_ref(), true)),
            Stmt::Expr(Expr::Block(b), _) if b.label.is_none() => first(&b.block.stmts),
            _ => None,
        })
    }
    let jump = first(rest)?;
    let same = pending.iter().chain(&escapes(rest)).all(|j| *j == jump);
    same.then_some(jump)
}

/// Whether statements certainly end the body: one of them is a `return` or a panic, and
/// none of them can leave the block otherwise (no `break` or `continue` in them).
pub fn exits(stmts: &[Stmt]) -> bool {
    let panics = |m: &syn::Macro| {
        let name = crate::syntax::macro_name(m);
        ["panic", "unreachable", "todo", "unimplemented"].contains(&name.as_str())
    };
    let ends = stmts.iter().any(|stmt| match stmt {
        Stmt::Expr(Expr::Return(_), _) => true,
        // (A `return` as `rewrite_exits` leaves it: in a block with the final state.)
        Stmt::Expr(Expr::Block(b), _) if b.label.is_none() => exits(&b.block.stmts),
        Stmt::Expr(Expr::Macro(m), _) => panics(&m.mac),
        Stmt::Macro(m) => panics(&m.mac),
        _ => false,
    });
    ends && !has_jumps(stmts)
}

/// Whether the binding may hold a value just after one of the control statements the
/// path goes through (from `level` down), given `scan`, the state at the start of the
/// statement at `level`: the join after it (or its loop head) then stores it.
fn held_after(scan: &Scan<'_>, blocks: &[&Block], path: &[Step], level: usize) -> bool {
    let k = path.len() - 1;
    if level == k {
        return false;
    }
    let stmt = &blocks[level].stmts[path[level].stmt];
    let mut whole = scan.clone();
    whole.visit_stmt(stmt);
    if whole.init != Init::No {
        return true;
    }
    if path[level].entry == Entry::LoopBody {
        return false; // the loop as a whole moves it: so does every iteration
    }
    let mut scan = scan.clone();
    match stmt_control(stmt) {
        Some(Expr::If(i)) => scan.visit_expr(&i.cond),
        Some(Expr::Match(m)) => scan.visit_expr(&m.expr),
        _ => {}
    }
    scan.stmts(&blocks[level + 1].stmts[..path[level + 1].stmt]);
    held_after(&scan, blocks, path, level + 1)
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
                scan.operand(fut);
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

/// How a name is used in some code: mentioned at all, possibly moved, assigned, and
/// (read in order, as the code runs) whether it still holds a value at the end.
#[derive(Clone)]
struct Scan<'a> {
    name: &'a str,
    yields: &'a [YieldPoint],
    mentioned: bool,
    moved: bool,
    /// Possibly moved as an operand (`x + 1`, `x[i]`, `match x`, another macro's
    /// arguments): a copy, more often than not, of a value without drop glue.
    weak_moved: bool,
    assigned: bool,
    /// Whether the binding holds a value at the end of the code scanned, as far as its
    /// moves (as a whole value: `let y = x;`, `f(x)`, `x.into_y()`) and assignments say.
    init: Init,
    /// Inside code that may not run (a branch, a loop body, the right of `&&`).
    cond: usize,
    /// Inside a non-`move` closure or `async` block: uses are captures by reference.
    by_ref: usize,
    /// Inside a `move` closure or block: a use is a capture, a move when it is created.
    by_move: usize,
}

/// Whether a binding holds a value at some point of the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// On every path.
    Yes,
    /// On some paths (moved, or assigned, in a branch): `async fn` keeps a drop flag.
    Maybe,
    /// On no path (moved on every path, or never assigned).
    No,
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
/// macros; a field read (`v.field`) does not move (as outside macros); otherwise (`v`) it
/// may move unless the macro is a format macro (whose arguments are borrowed); `{name}`
/// inside a string literal is an inline format argument (borrowed).
pub fn tokens_use(tokens: &TokenStream, name: &str, format: bool) -> Option<bool> {
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
                    // A field read (`v.0`, `v.f`), as outside macros: not a move.
                    None if dot
                        && matches!(
                            trees.get(k + 2),
                            Some(TokenTree::Ident(_) | TokenTree::Literal(_))
                        ) =>
                    {
                        false
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
            weak_moved: false,
            assigned: false,
            init: Init::Yes,
            cond: 0,
            by_ref: 0,
            by_move: 0,
        }
    }

    fn is_name(&self, e: &Expr) -> bool {
        place_root(e).is_some_and(|i| i == self.name)
    }

    /// Whether `e` is `h.0`, the flag of flagged local `h` (see `fixed`).
    fn is_flag(&self, e: &Expr) -> bool {
        matches!(e, Expr::Field(f) if is_flag_handle(self.name) && self.is_whole(&f.base))
    }

    /// Whether `e` is the name itself (a use of the whole value).
    fn is_whole(&self, e: &Expr) -> bool {
        match e {
            Expr::Path(p) => p.qself.is_none() && p.path.is_ident(self.name),
            Expr::Paren(p) => self.is_whole(&p.expr),
            Expr::Group(g) => self.is_whole(&g.expr),
            _ => false,
        }
    }

    /// A use that may move the value; as an operand (`weak`) it is more likely a copy.
    fn mention(&mut self, moving: bool) {
        self.mentioned = true;
        if self.by_move > 0 {
            // A `move` closure or block captures it whole, however it uses it.
            self.moved_whole();
        } else if moving && self.by_ref == 0 {
            self.moved = true;
            self.weak_moved = true;
        }
    }

    /// The whole value moved: a `let` initialiser, an argument, a consuming method, ..
    fn moved_whole(&mut self) {
        self.mentioned = true;
        if self.by_ref > 0 {
            return;
        }
        self.moved = true;
        self.init = match (self.cond, self.init) {
            (0, _) => Init::No,
            (_, Init::Yes) => Init::Maybe,
            (_, other) => other,
        };
    }

    fn assign(&mut self) {
        self.assigned = true;
        self.init = match (self.cond, self.init) {
            (0, _) => Init::Yes,
            (_, Init::No) => Init::Maybe,
            (_, other) => other,
        };
    }

    /// An operand whose value is moved if it is the name itself.
    fn operand(&mut self, e: &Expr) {
        if self.is_whole(e) {
            self.moved_whole();
        } else {
            self.visit_expr(e);
        }
    }

    /// Code that may not run.
    fn maybe(&mut self, f: impl FnOnce(&mut Self)) {
        self.cond += 1;
        f(self);
        self.cond -= 1;
    }

    /// A branch (block `stmts`, visited by `f`): code that may not run, and that ends the
    /// body if it returns or panics (then what it moves does not reach the code after).
    fn branch(&mut self, stmts: &[Stmt], f: impl FnOnce(&mut Self)) {
        if exits(stmts) {
            self.diverging(f);
        } else {
            self.maybe(f);
        }
    }

    /// Code that may run and then diverges (a `let`-`else`'s `else`): what it moves or
    /// assigns does not reach the code after it.
    fn diverging(&mut self, f: impl FnOnce(&mut Self)) {
        let init = self.init;
        self.maybe(f);
        self.init = init;
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
    /// A block inside the code scanned (not one on the path to the yield point): once a
    /// statement may jump out of it (`break 'b`, a loop's `break` or `continue`), what
    /// follows may not run before the code after the jump's target does.
    fn visit_block(&mut self, b: &'ast Block) {
        let cond = self.cond;
        for stmt in &b.stmts {
            self.visit_stmt(stmt);
            if let Stmt::Local(l) = stmt {
                if pattern_binds(&l.pat, self.name) {
                    break;
                }
            }
            if self.cond == cond && !escapes(std::slice::from_ref(stmt)).is_empty() {
                self.cond += 1;
            }
        }
        self.cond = cond;
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let Some(init) = &l.init {
            self.operand(&init.expr);
            if let Some((_, els)) = &init.diverge {
                // An `else` that leaves by `break` or `continue` carries its moves to where
                // it jumps: taken (conservatively) for code that may not run. One that
                // returns or panics ends the body.
                match &**els {
                    Expr::Block(b) => self.branch(&b.block.stmts, |s| s.visit_expr(els)),
                    _ => self.diverging(|s| s.visit_expr(els)),
                }
            }
        }
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
            // A flagged local (see `fixed`): its flag's `move_out` and `assign` are the
            // original's moves and assignments.
            Expr::MethodCall(m) if self.is_flag(&m.receiver) => {
                m.args.iter().for_each(|a| self.operand(a));
                match m.method.to_string().as_str() {
                    "move_out" => self.moved_whole(),
                    "assign" => {
                        self.mention(false);
                        self.assign();
                    }
                    _ => self.mention(false),
                }
            }
            Expr::MethodCall(m) if self.is_name(&m.receiver) => {
                let method = m.method.to_string();
                let consuming =
                    method.starts_with("into_") || CONSUMING_METHODS.contains(&method.as_str());
                if consuming && self.is_whole(&m.receiver) {
                    self.moved_whole();
                } else {
                    self.mention(consuming);
                }
                m.args.iter().for_each(|a| self.operand(a));
            }
            Expr::MethodCall(m) => {
                self.visit_expr(&m.receiver);
                m.args.iter().for_each(|a| self.operand(a));
            }
            Expr::Call(c) => {
                self.visit_expr(&c.func);
                c.args.iter().for_each(|a| self.operand(a));
            }
            Expr::Struct(st) => {
                for field in &st.fields {
                    self.operand(&field.expr);
                }
                if let Some(rest) = &st.rest {
                    self.visit_expr(rest);
                }
            }
            Expr::Tuple(t) => t.elems.iter().for_each(|e| self.operand(e)),
            Expr::Array(a) => a.elems.iter().for_each(|e| self.operand(e)),
            Expr::Return(r) => {
                if let Some(e) = &r.expr {
                    self.operand(e);
                }
            }
            Expr::Break(b) => {
                if let Some(e) = &b.expr {
                    self.operand(e);
                }
            }
            Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                self.visit_expr(&b.left);
                self.maybe(|s| s.visit_expr(&b.right));
            }
            Expr::Loop(l) => self.maybe(|s| s.visit_block(&l.body)),
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
                self.operand(&a.right);
                self.mention(false);
                if matches!(&*a.left, Expr::Path(_)) {
                    self.assign();
                }
            }
            Expr::Assign(a) => {
                self.operand(&a.right);
                self.visit_expr(&a.left);
            }
            Expr::Closure(c) => {
                if c.inputs.iter().any(|p| pattern_binds(p, self.name)) {
                    return;
                }
                if c.capture.is_some() {
                    self.by_move += 1;
                    self.visit_expr(&c.body);
                    self.by_move -= 1;
                } else {
                    self.expr_by_ref(&c.body);
                }
            }
            Expr::Async(a) => {
                if a.capture.is_some() {
                    self.by_move += 1;
                    self.visit_block(&a.block);
                    self.by_move -= 1;
                } else {
                    self.by_ref += 1;
                    self.visit_block(&a.block);
                    self.by_ref -= 1;
                }
            }
            Expr::ForLoop(f) => {
                self.operand(&f.expr);
                if !pattern_binds(&f.pat, self.name) {
                    self.maybe(|s| s.visit_block(&f.body));
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
                self.branch(&i.then_branch.stmts, |s| {
                    if !shadows {
                        s.visit_block(&i.then_branch);
                    }
                });
                if let Some((_, els)) = &i.else_branch {
                    match &**els {
                        Expr::Block(b) => self.branch(&b.block.stmts, |s| s.visit_expr(els)),
                        _ => self.maybe(|s| s.visit_expr(els)),
                    }
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
                    self.maybe(|s| s.visit_block(&w.body));
                }
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                for arm in &m.arms {
                    if pattern_binds(&arm.pat, self.name) {
                        continue;
                    }
                    let body: &[Stmt] = match &*arm.body {
                        Expr::Block(b) => &b.block.stmts,
                        _ => &[],
                    };
                    self.branch(body, |s| {
                        if let Some((_, g)) = &arm.guard {
                            s.visit_expr(g);
                        }
                        s.visit_expr(&arm.body);
                    });
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
            self.operand(fut);
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

    fn joins(body: Block) -> usize {
        check(&body, None, None).unwrap();
        let n = normalise(body).unwrap();
        points(&n.body, &n.yields)
            .iter()
            .filter(|p| p.kind == Kind::Join)
            .count()
    }

    #[test]
    fn a_statement_followed_by_code_has_a_join_but_one_whose_binding_is_the_tail_has_none() {
        let wrapped: Block = parse_quote!({
            let v = {
                yield_await!(x);
                1
            };
            v
        });
        assert_eq!(joins(wrapped), 0);
        let used: Block = parse_quote!({
            let v = {
                yield_await!(x);
                1
            };
            v + 1
        });
        assert_eq!(joins(used), 1);
        let other: Block = parse_quote!({
            let v = {
                yield_await!(x);
                1
            };
            w
        });
        assert_eq!(joins(other), 1);
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

    fn flagged(p: &Plan) -> Vec<String> {
        p.fields()
            .iter()
            .filter(|s| s.flag)
            .map(|s| s.name.to_string())
            .collect()
    }

    #[test]
    fn a_local_moved_on_some_paths_only_is_stored_with_a_flag() {
        let p = plans(parse_quote!({
            let a = s();
            let b = s();
            let c = s();
            if k {
                drop(a);
            }
            let moved = b;
            let _ = k && consume(c);
            yield_await!(x);
        }));
        // `b` moved on every path is not stored (`moved`, which holds it now, is).
        assert_eq!(stored(&p[0]), ["moved", "c", "a"]);
        assert_eq!(flagged(&p[0]), ["c", "a"]);
    }

    #[test]
    fn a_local_moved_and_assigned_again_holds_a_value() {
        let p = plans(parse_quote!({
            let mut a = s();
            drop(a);
            a = s();
            yield_await!(x);
        }));
        assert_eq!(stored(&p[0]), ["a"]);
        assert!(flagged(&p[0]).is_empty());
    }

    #[test]
    fn a_local_taken_by_an_operand_is_judged_a_copy() {
        let p = plans(parse_quote!({
            let n = count();
            if k {
                total += n;
            }
            yield_await!(x);
        }));
        assert!(stored(&p[0]).is_empty());
    }

    #[test]
    fn a_move_in_a_let_else_else_does_not_reach_the_code_after_it() {
        let p = plans(parse_quote!({
            let a = s();
            let Some(v) = o else {
                drop(a);
                return;
            };
            yield_await!(x);
        }));
        assert_eq!(stored(&p[0]), ["v", "a"]);
        assert!(flagged(&p[0]).is_empty());
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

    #[test]
    fn a_break_after_the_yield_skips_the_levels_up_to_its_loop() {
        // Difftest class 15: after the yield, `break 'inner` then `break 'outer`: the
        // counters are read again only by code that never runs.
        let p = plans(parse_quote!({
            let mut c: i64 = 0;
            let x = 'outer: loop {
                if c >= 3 {
                    break 'outer {
                        let mut e: i64 = 0;
                        'inner: loop {
                            if e >= 2 {
                                break 'inner yield_await!(w);
                            }
                            e += 1;
                        }
                    };
                }
                c += 1;
            };
            x
        }));
        assert!(stored(&p[0]).is_empty(), "{:?}", stored(&p[0]));
    }

    #[test]
    fn a_continue_after_the_yield_runs_its_loop_body_again() {
        let p = plans(parse_quote!({
            let mut c: i64 = 0;
            let mut e: i64 = 0;
            'outer: loop {
                c += 1;
                loop {
                    e += 1;
                    if e > 2 {
                        yield_await!(w);
                        continue 'outer;
                    }
                }
            }
        }));
        // `c` and `e` are read by the outer body (and the inner loop) when it runs again.
        assert_eq!(stored(&p[0]), ["e", "c"]);
    }

    #[test]
    fn a_jump_under_a_condition_or_with_another_way_out_is_not_certain() {
        let rest = |b: Block| b.stmts;
        let jump = |label: Option<&str>, again| Jump {
            label: label.map(str::to_string),
            again,
        };
        let plain = rest(parse_quote!({
            a += 1;
            break 'l;
        }));
        assert_eq!(certain_jump(&plain, &[]), Some(jump(Some("l"), false)));
        let nested = rest(parse_quote!({
            {
                f();
                continue;
            }
        }));
        assert_eq!(certain_jump(&nested, &[]), Some(jump(None, true)));
        let guarded = rest(parse_quote!({
            if k {
                break 'l;
            }
        }));
        assert_eq!(certain_jump(&guarded, &[]), None);
        let two_ways = rest(parse_quote!({
            if k {
                continue 'l;
            }
            break 'l;
        }));
        assert_eq!(certain_jump(&two_ways, &[]), None);
        let elsewhere = [jump(Some("m"), false)];
        assert_eq!(certain_jump(&plain, &elsewhere), None);
        let inside = rest(parse_quote!({
            loop {
                break;
            }
        }));
        assert_eq!(certain_jump(&inside, &[]), None);
    }
}
