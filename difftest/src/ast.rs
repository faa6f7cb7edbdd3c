//! The programs the generator writes: a small typed grammar in which every program is a
//! valid `async fn` body by construction (values are `i64` or the drop-logging `D`).

/// What a program returns, and so what `?` and `return` wrap their value in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    /// `Result<i64, i64>`: `?` applies to `ok(..)`.
    Result,
    /// `Option<i64>`: `?` applies to `some(..)`.
    Option,
}

/// One generated program: `fn(a0: D, a1: i64) -> Ret` and how it is driven.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Where it came from (`seed/index`), for the report and the regression test's name.
    pub origin: String,
    /// The return type.
    pub ret: Ret,
    /// The body; its tail is the returned value.
    pub body: Block,
    /// The value of the `D` argument `a0`.
    pub arg_d: i64,
    /// The value of the `i64` argument `a1`.
    pub arg_i: i64,
    /// How many times each awaited `w(..)` returns `Pending` first, in creation order
    /// (cycled).
    pub script: Vec<u32>,
    /// For testing the harness itself: the native twin logs one extra event first.
    pub inject: bool,
}

/// `{ stmts; tail }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The statements.
    pub stmts: Vec<Stmt>,
    /// The value of the block, for blocks in expression position.
    pub tail: Option<Box<Expr>>,
}

/// A statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `let mut x: i64 = (e) % 1000;`
    LetInt(String, Expr),
    /// `let mut d = D::new((e) % 1000);`
    LetD(String, Expr),
    /// `let mut d = other;` (a move).
    MoveD(String, String),
    /// `x = (e) % 1000;`
    Assign(String, Expr),
    /// `x += e;`
    AddAssign(String, Expr),
    /// `d = D::new((e) % 1000);` (drops the old value if it is alive).
    AssignD(String, Expr),
    /// `drop(d);`
    DropD(String),
    /// `e;`
    Expr(Expr),
    /// `if c { .. } else { .. }`
    If(Cond, Block, Option<Block>),
    /// `match i64::rem_euclid(e, 4) { 0 => { .. } 1 | 2 => { .. } _ => { .. } }`
    Match(Expr, Vec<Block>),
    /// `let mut c: i64 = 0; 'l: loop { if c >= bound { break 'l; } c += 1; body }`
    Loop(Label, String, i64, Block),
    /// `let mut c: i64 = 0; 'l: while c < i64::rem_euclid(e, 4) { c += 1; body }`
    While(Label, String, Expr, Block),
    /// `'l: for i in 0..i64::rem_euclid(e, 4) { body }`
    For(Label, String, Expr, Block),
    /// `break 'l;` / `break 'l e;`
    Break(Label, Option<Expr>),
    /// `continue 'l;`
    Continue(Label),
    /// `return Ok(e);` / `return Some(e);`
    Return(Expr),
    /// `let Ok(mut x) = ok(e) else { .. };` (`Some`/`some` when the flag is false)
    LetElse(String, bool, Expr, Block),
    /// `panic!("pN");`
    Panic(u32),
}

/// A loop or block label, `'lN`.
pub type Label = String;

/// An `i64` expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A literal.
    Lit(i64),
    /// An `i64` variable.
    Var(String),
    /// `d.0` of a `D` variable.
    DVal(String),
    /// `t(n, e)`: logs `tN=value` and returns it (pins evaluation order).
    Note(u32, Box<Expr>),
    /// `(a + b)`
    Add(Box<Expr>, Box<Expr>),
    /// `(a - b)`
    Sub(Box<Expr>, Box<Expr>),
    /// `(a * k)`
    MulLit(Box<Expr>, i64),
    /// `yield_await!(w(e))` / `w(e).await`
    Await(Box<Expr>),
    /// `yield_await!(wd(&d, v))` / `wd(&d, v).await`: awaits while borrowing `D` `d`.
    AwaitD(String, i64),
    /// `yield_await!(wx(&mut x, v))` / `wx(&mut x, v).await`: awaits while borrowing the
    /// `i64` `x` mutably (adds `v` to it when ready).
    AwaitX(String, i64),
    /// `ok(e)?` / `some(e)?` (by the program's return type)
    Try(Box<Expr>),
    /// `keep(&D::new(a), b)`: a temporary `D` alive while `b` is evaluated.
    Keep(Box<Expr>, Box<Expr>),
    /// `if c { a } else { b }`
    If(Box<Cond>, Block, Block),
    /// `match i64::rem_euclid(e, 4) { 0 => a, 1 | 2 => b, _ => c }`
    Match(Box<Expr>, Vec<Block>),
    /// `{ stmts; tail }`
    Block(Block),
    /// `'b: { stmts; tail }` (with `break 'b v` inside)
    Labelled(Label, Block),
    /// `{ let mut c: i64 = 0; 'l: loop { if c >= bound { break 'l value; } c += 1; body } }`
    LoopValue(Label, String, i64, Box<Expr>, Block),
}

/// A condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cond {
    /// `(a < b)`
    Lt(Expr, Expr),
    /// `(a == b)`
    Eq(Expr, Expr),
    /// `(a && b)`
    And(Box<Cond>, Box<Cond>),
    /// `(a || b)`
    Or(Box<Cond>, Box<Cond>),
}

impl Program {
    /// A size measure for shrinking: the number of statements and expressions.
    pub fn size(&self) -> usize {
        let (mut stmts, mut exprs) = (0, 0);
        crate::shrink::count(&self.body, &mut stmts, &mut exprs);
        stmts + exprs
    }
}
