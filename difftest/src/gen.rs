//! The program generator: random, seeded, and type-correct by construction. It tracks
//! which variables are in scope and definitely initialised (so moves, `drop`s and
//! re-assignments of `D` values are always legal), which labels can be targeted, and keeps
//! every loop bounded (the loop counter is part of the loop node, so no shrinking step can
//! remove it).

use crate::ast::{Block, Cond, Expr, Program, Ret, Stmt};
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    D,
}

#[derive(Clone)]
struct Var {
    name: String,
    kind: Kind,
    live: bool,
    mutable: bool,
    loop_depth: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LabelKind {
    /// A loop statement: `break 'l;`, `continue 'l;`.
    Loop,
    /// A value loop: `break 'l v;`, `continue 'l;`.
    LoopValue,
    /// A labelled block: `break 'l v;`.
    Block,
}

struct Gen {
    rng: Rng,
    vars: Vec<Var>,
    labels: Vec<(String, LabelKind)>,
    loop_depth: usize,
    depth: usize,
    counter: u32,
    /// Statements still allowed in this program.
    budget: i64,
}

/// Generates program `index` of `seed`.
pub fn program(seed: u64, index: u64) -> Program {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let ret = if rng.chance(50) {
        Ret::Result
    } else {
        Ret::Option
    };
    let budget = rng.range(4, 28);
    let script = (0..rng.range(1, 4))
        .map(|_| rng.range(0, 2) as u32)
        .collect();
    let arg_d = rng.range(-5, 20);
    let arg_i = rng.range(-5, 20);
    let mut g = Gen {
        rng,

        vars: vec![
            Var {
                name: "a0".into(),
                kind: Kind::D,
                live: true,
                mutable: false,
                loop_depth: 0,
            },
            Var {
                name: "a1".into(),
                kind: Kind::Int,
                live: true,
                mutable: false,
                loop_depth: 0,
            },
        ],
        labels: Vec::new(),
        loop_depth: 0,
        depth: 0,
        counter: 0,
        budget,
    };
    let body = g.block(true, false);
    Program {
        origin: format!("{seed}/{index}"),
        ret,

        body,
        arg_d,
        arg_i,
        script,
        inject: false,
    }
}

impl Gen {
    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    fn live(&self, kind: Kind) -> Vec<String> {
        self.vars
            .iter()
            .enumerate()
            .filter(|(i, v)| v.kind == kind && v.live && self.visible(*i))
            .map(|(_, v)| v.name.clone())
            .collect()
    }

    /// Whether `vars[i]` is not shadowed by a later variable of the same name.
    fn visible(&self, i: usize) -> bool {
        !self.vars[i + 1..]
            .iter()
            .any(|v| v.name == self.vars[i].name)
    }

    fn find(&mut self, name: &str) -> &mut Var {
        self.vars
            .iter_mut()
            .rev()
            .find(|v| v.name == name)
            .expect("a generated name is in scope")
    }

    /// Visible `D`s that may be moved here (alive, declared at this loop depth).
    fn movable(&self) -> Vec<String> {
        self.vars
            .iter()
            .enumerate()
            .filter(|(i, v)| {
                v.kind == Kind::D && v.live && v.loop_depth == self.loop_depth && self.visible(*i)
            })
            .map(|(_, v)| v.name.clone())
            .collect()
    }

    fn assignable(&self, kind: Kind) -> Vec<String> {
        self.vars
            .iter()
            .enumerate()
            .filter(|(i, v)| {
                v.kind == kind && v.mutable && (v.live || kind == Kind::D) && self.visible(*i)
            })
            .map(|(_, v)| v.name.clone())
            .collect()
    }

    fn pick(&mut self, names: &[String]) -> String {
        names[self.rng.below(names.len() as u64) as usize].clone()
    }

    fn liveness(&self) -> Vec<bool> {
        self.vars.iter().map(|v| v.live).collect()
    }

    /// Variables are alive after a construct only if alive on every path through it.
    fn meet(&mut self, other: &[bool]) {
        for (v, &live) in self.vars.iter_mut().zip(other) {
            v.live &= live;
        }
    }

    fn declare(&mut self, name: String, kind: Kind, mutable: bool) {
        self.vars.push(Var {
            name,
            kind,
            live: true,
            mutable,
            loop_depth: self.loop_depth,
        });
    }

    /// A block: statements, then a tail when `tail`, or a diverging last statement when
    /// `diverge`. Variables declared inside go out of scope at its end.
    fn block(&mut self, tail: bool, diverge: bool) -> Block {
        let scope = self.vars.len();
        self.depth += 1;
        let n = if self.depth > 3 {
            self.rng.range(0, 1)
        } else {
            self.rng.range(1, 4)
        };
        let mut stmts = Vec::new();
        for _ in 0..n {
            if self.budget <= 0 {
                break;
            }
            self.budget -= 1;
            let stmt = self.stmt();
            let stops = matches!(
                stmt,
                Stmt::Break(..) | Stmt::Continue(_) | Stmt::Return(_) | Stmt::Panic(_)
            );
            stmts.push(stmt);
            if stops {
                break;
            }
        }
        if diverge {
            stmts.push(self.diverging());
        }
        let tail = tail.then(|| Box::new(self.expr()));
        self.depth -= 1;
        self.vars.truncate(scope);
        Block { stmts, tail }
    }

    fn diverging(&mut self) -> Stmt {
        let loops: Vec<(String, LabelKind)> = self.labels.clone();
        match self.rng.below(4) {
            0 if !loops.is_empty() => self.jump(),
            1 => {
                self.counter += 1;
                Stmt::Panic(self.counter)
            }
            _ => Stmt::Return(self.expr()),
        }
    }

    fn jump(&mut self) -> Stmt {
        let (label, kind) = self.labels[self.rng.below(self.labels.len() as u64) as usize].clone();
        let value = matches!(kind, LabelKind::LoopValue | LabelKind::Block).then(|| self.expr());
        if kind != LabelKind::Block && self.rng.chance(40) {
            Stmt::Continue(label)
        } else {
            Stmt::Break(label, value)
        }
    }

    fn stmt(&mut self) -> Stmt {
        let ints = self.assignable(Kind::Int);
        let ds = self.assignable(Kind::D);
        let movable = self.movable();
        let nest = self.depth <= 3;
        let jumps = !self.labels.is_empty();
        let weights = [
            5,                                  // 0 let int
            4,                                  // 1 let D
            2 * u32::from(!movable.is_empty()), // 2 move D
            2 * u32::from(!ints.is_empty()),    // 3 assign
            u32::from(!ints.is_empty()),        // 4 +=
            2 * u32::from(!ds.is_empty()),      // 5 assign D
            3 * u32::from(!movable.is_empty()), // 6 drop D
            5,                                  // 7 expression statement (awaits)
            3 * u32::from(nest),                // 8 if
            u32::from(nest),                    // 9 match
            2 * u32::from(nest),                // 10 loop / while / for
            2 * u32::from(jumps),               // 11 conditional break / continue
            1,                                  // 12 conditional return
            2,                                  // 13 let-else
            1,                                  // 14 conditional panic
        ];
        match self.rng.weighted(&weights) {
            0 => {
                let e = self.expr();
                let name = format!("x{}", self.rng.below(4));
                self.declare(name.clone(), Kind::Int, true);
                Stmt::LetInt(name, e)
            }
            1 => {
                let e = self.expr();
                let name = format!("d{}", self.rng.below(3));
                self.declare(name.clone(), Kind::D, true);
                Stmt::LetD(name, e)
            }
            2 => {
                let from = self.pick(&movable);
                self.find(&from).live = false;
                let name = format!("d{}", self.rng.below(3));
                self.declare(name.clone(), Kind::D, true);
                Stmt::MoveD(name, from)
            }
            3 => {
                let x = self.pick(&ints);
                Stmt::Assign(x, self.expr())
            }
            4 => {
                let x = self.pick(&ints);
                Stmt::AddAssign(x, self.expr())
            }
            5 => {
                let d = self.pick(&ds);
                let e = self.expr();
                // Re-initialising a moved `D` inside a loop would not make it alive after
                // the loop; `meet` after the loop takes care of that.
                self.find(&d).live = true;
                Stmt::AssignD(d, e)
            }
            6 => {
                let d = self.pick(&movable);
                self.find(&d).live = false;
                Stmt::DropD(d)
            }
            7 => Stmt::Expr(if self.rng.chance(70) {
                Expr::Await(Box::new(self.expr()))
            } else {
                self.expr()
            }),
            8 => {
                let c = self.cond();
                let before = self.liveness();
                let then = self.block(false, false);
                let after_then = self.liveness();
                let els = if self.rng.chance(50) {
                    self.restore(&before);
                    let b = self.block(false, false);
                    self.meet(&after_then);
                    Some(b)
                } else {
                    self.meet(&before);
                    None
                };
                Stmt::If(c, then, els)
            }
            9 => {
                let e = self.expr();
                let before = self.liveness();
                let mut after = before.clone();
                let arms = (0..3)
                    .map(|_| {
                        self.restore(&before);
                        let arm = self.block(false, false);
                        for (a, b) in after.iter_mut().zip(self.liveness()) {
                            *a &= b;
                        }
                        arm
                    })
                    .collect();
                self.restore(&after);
                Stmt::Match(e, arms)
            }
            10 => {
                let which = self.rng.below(3);
                // A `while` condition runs on every iteration: generated as loop code, so
                // it moves nothing declared outside the loop.
                self.loop_depth += u32::from(which == 1) as usize;
                let bound_expr = self.expr();
                self.loop_depth -= u32::from(which == 1) as usize;
                let label = self.fresh("'l");
                let before = self.liveness();
                self.labels.push((label.clone(), LabelKind::Loop));
                self.loop_depth += 1;
                let stmt = match which {
                    0 => {
                        let c = self.fresh("c");
                        let bound = self.rng.range(0, 3);
                        let body = self.block(false, false);
                        Stmt::Loop(label, c, bound, body)
                    }
                    1 => {
                        let c = self.fresh("c");
                        let body = self.block(false, false);
                        Stmt::While(label, c, bound_expr, body)
                    }
                    _ => {
                        let i = self.fresh("i");
                        self.declare(i.clone(), Kind::Int, false);
                        let body = self.block(false, false);
                        self.vars.pop();
                        Stmt::For(label, i, bound_expr, body)
                    }
                };
                self.loop_depth -= 1;
                self.labels.pop();
                self.restore(&before);
                stmt
            }
            11 => {
                let c = self.cond();
                let jump = self.jump();
                Stmt::If(
                    c,
                    Block {
                        stmts: vec![jump],
                        tail: None,
                    },
                    None,
                )
            }
            12 => {
                let c = self.cond();
                let e = self.expr();
                Stmt::If(
                    c,
                    Block {
                        stmts: vec![Stmt::Return(e)],
                        tail: None,
                    },
                    None,
                )
            }
            13 => {
                let e = self.expr();
                let before = self.liveness();
                let els = self.block(false, true);
                // An `else` that returns or panics ends the body: what it moves is alive
                // after it. One that jumps (`break 'b`, `continue`) carries its moves to
                // where it lands: they stay moved (seed 10 program 3720 moved `a0` there
                // and used it after the labelled block). And what it assigns is alive only
                // where it lands, not after the `let`-`else` (seed 3 program 7024 assigned
                // a moved `d0` there, then used it after the `let`): alive after it only
                // if alive on both paths.
                let jumps = matches!(els.stmts.last(), Some(Stmt::Break(..) | Stmt::Continue(_)));
                if jumps {
                    self.meet(&before);
                } else {
                    self.restore(&before);
                }
                let name = format!("x{}", self.rng.below(4));
                let result = self.rng.chance(50);
                self.declare(name.clone(), Kind::Int, true);
                Stmt::LetElse(name, result, e, els)
            }
            _ => {
                let c = self.cond();
                self.counter += 1;
                Stmt::If(
                    c,
                    Block {
                        stmts: vec![Stmt::Panic(self.counter)],
                        tail: None,
                    },
                    None,
                )
            }
        }
    }

    fn restore(&mut self, liveness: &[bool]) {
        for (v, &live) in self.vars.iter_mut().zip(liveness) {
            v.live = live;
        }
    }

    fn cond(&mut self) -> Cond {
        match self.rng.below(6) {
            0 if self.depth < 4 => Cond::And(Box::new(self.cond()), Box::new(self.cond())),
            1 if self.depth < 4 => Cond::Or(Box::new(self.cond()), Box::new(self.cond())),
            2 | 3 => Cond::Lt(self.expr(), self.expr()),
            _ => Cond::Eq(self.expr(), Expr::Lit(self.rng.range(-2, 8))),
        }
    }

    fn expr(&mut self) -> Expr {
        self.depth += 1;
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self) -> Expr {
        let ints = self.live(Kind::Int);
        let ds = self.live(Kind::D);
        let mutable = self.assignable(Kind::Int);
        let deep = self.depth > 4;
        let nest = u32::from(!deep && self.budget > 0);
        let weights = [
            4,                                  // 0 literal
            4 * u32::from(!ints.is_empty()),    // 1 int variable
            2 * u32::from(!ds.is_empty()),      // 2 D value
            2 * nest,                           // 3 t(n, e)
            3 * nest,                           // 4 a + b
            nest,                               // 5 a - b
            nest,                               // 6 a * k
            5 * nest,                           // 7 await
            nest,                               // 8 ?
            nest,                               // 9 keep(&D, e)
            nest,                               // 10 if
            nest,                               // 11 match
            nest,                               // 12 block
            nest,                               // 13 labelled block
            nest,                               // 14 value loop
            2 * u32::from(!ds.is_empty()),      // 15 await borrowing a D
            2 * u32::from(!mutable.is_empty()), // 16 await borrowing an int mutably
        ];
        let b = |g: &mut Gen| Box::new(g.expr());
        match self.rng.weighted(&weights) {
            0 => Expr::Lit(self.rng.range(-3, 12)),
            1 => Expr::Var(self.pick(&ints)),
            2 => Expr::DVal(self.pick(&ds)),
            3 => {
                self.counter += 1;
                let n = self.counter;
                Expr::Note(n, b(self))
            }
            4 => Expr::Add(b(self), b(self)),
            5 => Expr::Sub(b(self), b(self)),
            6 => Expr::MulLit(b(self), self.rng.range(0, 3)),
            7 => Expr::Await(b(self)),
            8 => Expr::Try(b(self)),
            9 => Expr::Keep(b(self), b(self)),
            10 => {
                let c = Box::new(self.cond());
                let before = self.liveness();
                let then = self.block(true, false);
                let after = self.liveness();
                self.restore(&before);
                let els = self.block(true, false);
                self.meet(&after);
                Expr::If(c, then, els)
            }
            11 => {
                let e = b(self);
                let before = self.liveness();
                let mut after = before.clone();
                let arms = (0..3)
                    .map(|_| {
                        self.restore(&before);
                        let arm = self.block(true, false);
                        for (a, b) in after.iter_mut().zip(self.liveness()) {
                            *a &= b;
                        }
                        arm
                    })
                    .collect();
                self.restore(&after);
                Expr::Match(e, arms)
            }
            12 => {
                let before = self.liveness();
                let block = self.block(true, false);
                self.meet(&before);
                Expr::Block(block)
            }
            13 => {
                let label = self.fresh("'b");
                let before = self.liveness();
                self.labels.push((label.clone(), LabelKind::Block));
                let block = self.block(true, false);
                self.labels.pop();
                self.meet(&before);
                Expr::Labelled(label, block)
            }
            15 => Expr::AwaitD(self.pick(&ds), self.rng.range(-3, 12)),
            16 => Expr::AwaitX(self.pick(&mutable), self.rng.range(-3, 12)),
            _ => {
                let label = self.fresh("'l");
                let c = self.fresh("c");
                let bound = self.rng.range(0, 3);
                let value = b(self);
                let before = self.liveness();
                self.labels.push((label.clone(), LabelKind::LoopValue));
                self.loop_depth += 1;
                let body = self.block(false, false);
                self.loop_depth -= 1;
                self.labels.pop();
                self.restore(&before);
                Expr::LoopValue(label, c, bound, value, body)
            }
        }
    }
}
