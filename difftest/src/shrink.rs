//! Shrinking a diverging program: candidate edits (delete a statement, replace a
//! compound statement by one of its blocks, replace an expression by a literal or by one
//! of its operands) are all evaluated in ONE batch per round, and the smallest candidate
//! that still diverges the same way is kept, until no candidate does. Edits that break
//! the program make its `async fn` twin fail to compile: the batch marks them invalid.

use crate::ast::{Block, Cond, Expr, Program, Stmt};
use crate::batch::{Builder, Kind, Verdict};

/// At most this many candidates per round (the smallest ones).
const CANDIDATES: usize = 160;

/// Counts statements (`stmts`) and expressions (`exprs`) in `block`, in pre-order.
pub fn count(block: &Block, stmts: &mut usize, exprs: &mut usize) {
    count_all(block, stmts, exprs, &mut 0);
}

fn count_all(block: &Block, stmts: &mut usize, exprs: &mut usize, conds: &mut usize) {
    let mut e = Edit {
        target: Target::None,
        stmts: 0,
        exprs: 0,
        conds: 0,
    };
    let mut copy = block.clone();
    e.block(&mut copy);
    *stmts += e.stmts;
    *exprs += e.exprs;
    *conds += e.conds;
}

#[derive(Clone, Copy, Debug)]
enum Target {
    None,
    DeleteStmt(usize),
    InlineStmt(usize, usize),
    Literal(usize),
    Operand(usize, usize),
    CondSide(usize, usize),
}

/// A pre-order walk that applies one edit at its target index.
struct Edit {
    target: Target,
    stmts: usize,
    exprs: usize,
    conds: usize,
}

impl Edit {
    fn block(&mut self, block: &mut Block) {
        let mut i = 0;
        while i < block.stmts.len() {
            let n = self.stmts;
            self.stmts += 1;
            match self.target {
                Target::DeleteStmt(t) if t == n => {
                    block.stmts.remove(i);
                    self.target = Target::None;
                    continue;
                }
                Target::InlineStmt(t, which) if t == n => {
                    if let Some(inner) = inner_blocks(&block.stmts[i]).get(which) {
                        let inner = (*inner).clone();
                        let len = inner.stmts.len();
                        block.stmts.splice(i..=i, inner.stmts);
                        self.target = Target::None;
                        i += len;
                        continue;
                    }
                }
                _ => {}
            }
            self.stmt(&mut block.stmts[i]);
            i += 1;
        }
        if let Some(tail) = &mut block.tail {
            self.expr(tail);
        }
    }

    fn stmt(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::LetInt(_, e)
            | Stmt::LetD(_, e)
            | Stmt::Assign(_, e)
            | Stmt::AddAssign(_, e)
            | Stmt::AssignD(_, e)
            | Stmt::Expr(e)
            | Stmt::Return(e)
            | Stmt::Break(_, Some(e)) => self.expr(e),
            Stmt::MoveD(..)
            | Stmt::DropD(_)
            | Stmt::Break(_, None)
            | Stmt::Continue(_)
            | Stmt::Panic(_) => {}
            Stmt::If(c, then, els) => {
                self.cond(c);
                self.block(then);
                if let Some(els) = els {
                    self.block(els);
                }
            }
            Stmt::Match(e, arms) => {
                self.expr(e);
                arms.iter_mut().for_each(|a| self.block(a));
            }
            Stmt::Loop(_, _, _, body) => self.block(body),
            Stmt::While(_, _, e, body)
            | Stmt::For(_, _, e, body)
            | Stmt::LetElse(_, _, e, body) => {
                self.expr(e);
                self.block(body);
            }
        }
    }

    fn cond(&mut self, c: &mut Cond) {
        let n = self.conds;
        self.conds += 1;
        if let Target::CondSide(t, k) = self.target {
            if t == n {
                self.target = Target::None;
                let side = match &*c {
                    Cond::And(a, b) | Cond::Or(a, b) => {
                        Some(if k == 0 { (**a).clone() } else { (**b).clone() })
                    }
                    Cond::Lt(a, b) | Cond::Eq(a, b) => {
                        let (a, b) = if k == 0 {
                            (a.clone(), Expr::Lit(1))
                        } else {
                            (Expr::Lit(1), b.clone())
                        };
                        Some(if matches!(c, Cond::Lt(..)) {
                            Cond::Lt(a, b)
                        } else {
                            Cond::Eq(a, b)
                        })
                    }
                };
                if let Some(side) = side {
                    *c = side;
                }
                return;
            }
        }
        match c {
            Cond::Lt(a, b) | Cond::Eq(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Cond::And(a, b) | Cond::Or(a, b) => {
                self.cond(a);
                self.cond(b);
            }
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        let n = self.exprs;
        self.exprs += 1;
        match self.target {
            Target::Literal(t) if t == n => {
                if !matches!(e, Expr::Lit(_)) {
                    *e = Expr::Lit(1);
                }
                self.target = Target::None;
                return;
            }
            Target::Operand(t, k) if t == n => {
                self.target = Target::None;
                if let Some(op) = operands(e).get(k) {
                    *e = (*op).clone();
                }
                return;
            }
            _ => {}
        }
        match e {
            Expr::Lit(_) | Expr::Var(_) | Expr::DVal(_) | Expr::AwaitD(..) | Expr::AwaitX(..) => {}
            Expr::Note(_, a) | Expr::MulLit(a, _) | Expr::Await(a) | Expr::Try(a) => self.expr(a),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Keep(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::If(c, a, b) => {
                self.cond(c);
                self.block(a);
                self.block(b);
            }
            Expr::Match(s, arms) => {
                self.expr(s);
                arms.iter_mut().for_each(|a| self.block(a));
            }
            Expr::Block(b) | Expr::Labelled(_, b) => self.block(b),
            Expr::LoopValue(_, _, _, v, body) => {
                self.expr(v);
                self.block(body);
            }
        }
    }
}

fn inner_blocks(stmt: &Stmt) -> Vec<&Block> {
    match stmt {
        Stmt::If(_, then, Some(els)) => vec![then, els],
        Stmt::If(_, then, None) => vec![then],
        Stmt::Match(_, arms) => arms.iter().collect(),
        Stmt::Loop(_, _, _, b) | Stmt::While(_, _, _, b) | Stmt::For(_, _, _, b) => vec![b],
        _ => Vec::new(),
    }
}

fn operands(e: &Expr) -> Vec<Expr> {
    let tail = |b: &Block| b.tail.as_deref().cloned();
    match e {
        Expr::Note(_, a) | Expr::MulLit(a, _) | Expr::Await(a) | Expr::Try(a) => {
            vec![(**a).clone()]
        }
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Keep(a, b) => vec![(**a).clone(), (**b).clone()],
        Expr::If(_, a, b) => [tail(a), tail(b)].into_iter().flatten().collect(),
        Expr::Match(s, arms) => std::iter::once(Some((**s).clone()))
            .chain(arms.iter().map(tail))
            .flatten()
            .collect(),
        Expr::Block(b) | Expr::Labelled(_, b) => tail(b).into_iter().collect(),
        Expr::LoopValue(_, _, _, v, _) => vec![(**v).clone()],
        Expr::Lit(_) | Expr::Var(_) | Expr::DVal(_) | Expr::AwaitD(..) | Expr::AwaitX(..) => {
            Vec::new()
        }
    }
}

/// Every one-edit variant of `program` that differs from it, smallest first.
pub fn candidates(program: &Program) -> Vec<Program> {
    let (mut stmts, mut exprs, mut conds) = (0, 0, 0);
    count_all(&program.body, &mut stmts, &mut exprs, &mut conds);
    let mut targets = Vec::new();
    for n in 0..conds {
        targets.push(Target::CondSide(n, 0));
        targets.push(Target::CondSide(n, 1));
    }
    for n in 0..stmts {
        targets.push(Target::DeleteStmt(n));
        for which in 0..3 {
            targets.push(Target::InlineStmt(n, which));
        }
    }
    for n in 0..exprs {
        targets.push(Target::Literal(n));
        targets.push(Target::Operand(n, 0));
        targets.push(Target::Operand(n, 1));
    }
    let mut out: Vec<Program> = Vec::new();
    for target in targets {
        let mut p = program.clone();
        let mut edit = Edit {
            target,
            stmts: 0,
            exprs: 0,
            conds: 0,
        };
        edit.block(&mut p.body);
        if p != *program && !out.contains(&p) {
            out.push(p);
        }
    }
    for script in [vec![0], vec![1]] {
        if program.script != script {
            out.push(Program {
                script,
                ..program.clone()
            });
        }
    }
    out.sort_by_key(|p| (p.size(), p.script.len()));
    out.truncate(CANDIDATES);
    out
}

/// Shrinks `program`, which diverges with `kind` (and, for a compile error, with the
/// error `detail`), for at most `rounds` batches. Candidates whose divergence matches a
/// `known` pattern do not count: shrinking must not drift from a new bug to a known one.
pub fn shrink(
    builder: &Builder,
    program: &Program,
    kind: Kind,
    detail: &str,
    known: &[(Kind, String)],
    rounds: usize,
) -> Program {
    let same = |v: &Verdict| match v {
        Verdict::Differs(Kind::Compile, d) => kind == Kind::Compile && d == detail,
        Verdict::Differs(k, d) => *k == kind && !crate::is_known(known, *k, d),
        _ => false,
    };
    let mut best = program.clone();
    for _ in 0..rounds {
        let candidates = candidates(&best);
        let verdicts = builder.evaluate(&candidates);
        let smaller = candidates
            .into_iter()
            .zip(verdicts)
            .filter(|(_, v)| same(v))
            .map(|(p, _)| p)
            .min_by_key(|p| (p.size(), p.script.len()));
        match smaller {
            Some(p) if (p.size(), p.script.len()) < (best.size(), best.script.len()) => best = p,
            _ => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_candidate_is_smaller_or_has_a_shorter_script() {
        for i in 0..20 {
            let p = crate::gen::program(3, i);
            for c in candidates(&p) {
                assert!(c.size() < p.size() || c.script.len() <= p.script.len());
                assert_ne!(c, p);
            }
        }
    }

    #[test]
    fn deleting_the_only_statement_leaves_the_tail() {
        let p = Program {
            origin: "t".into(),
            ret: crate::ast::Ret::Option,
            body: Block {
                stmts: vec![Stmt::Expr(Expr::Await(Box::new(Expr::Lit(1))))],
                tail: Some(Box::new(Expr::Lit(2))),
            },
            arg_d: 0,
            arg_i: 0,
            script: vec![0],
            inject: false,
        };
        let c = candidates(&p);
        assert!(c.iter().any(|c| c.body.stmts.is_empty()));
    }
}
