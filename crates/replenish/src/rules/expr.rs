//! The rule expression language: small, typed and safe.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := sum [("==" | "!=" | "<" | "<=" | ">" | ">=") sum]
//!          | sum ["not"] "in" "[" literal ("," literal)* "]"
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | string | "true" | "false" | attribute
//!          | function "(" expr ("," expr)* ")" | "(" expr ")"
//! ```
//!
//! Three types: number, text, boolean. Every expression is type-checked against the
//! attributes available where it is used before anything runs, so an unknown
//! attribute, a type mismatch or a syntax error is reported with its position
//! (a 1-based character column) when the rules are loaded. There are no loops,
//! assignments or I/O; an expression is at most [`MAX_LENGTH`] characters and
//! [`MAX_DEPTH`] levels deep, so evaluation is bounded by its size. Numbers are
//! 64-bit floats: `x / 0` is infinite, and a comparison with a missing number
//! (NaN, e.g. an item without a price) is false.
//!
//! Functions: `min(a, b, ...)`, `max(a, b, ...)`, `abs(x)` on numbers;
//! `starts_with(t, prefix)`, `ends_with(t, suffix)`, `contains(t, part)` on text.

use std::fmt;

/// Longest expression accepted, in characters.
pub const MAX_LENGTH: usize = 4000;
/// Deepest nesting accepted (parentheses, operators, function calls).
pub const MAX_DEPTH: usize = 64;

/// The type of a value or an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Number,
    Text,
    Bool,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::Number => "number",
            Type::Text => "text",
            Type::Bool => "boolean",
        }
    }
}

/// A value of an attribute or of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
}

/// The attributes an expression may name, with their types, in a fixed order: the
/// parts one after the other. An expression refers to an attribute by its index in
/// that order, and the caller supplies the values in the same order.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a> {
    pub parts: &'static [&'static [(&'static str, Type)]],
    /// Attributes that exist but not in this context, with the reason (e.g. a
    /// forecast figure in a segment filter, which runs before the forecast).
    pub elsewhere: &'static [(&'static [(&'static str, Type)], &'static str)],
    /// Text attributes known only from the data (the extra columns of items.csv),
    /// attribute `extra_at + j` for name `extra[j]`. A name in `parts` wins.
    pub extra: &'a [String],
    pub extra_at: usize,
    /// Checking configuration before the data is read: any other name is taken as
    /// a text attribute the data may have, unless it is a near miss of a known name
    /// (a typo is still an error). Such an expression is for checking only.
    pub open: bool,
}

impl Schema<'static> {
    /// A schema of fixed attributes only.
    pub const fn fixed(
        parts: &'static [&'static [(&'static str, Type)]],
        elsewhere: &'static [(&'static [(&'static str, Type)], &'static str)],
    ) -> Schema<'static> {
        Schema { parts, elsewhere, extra: &[], extra_at: 0, open: false }
    }
}

impl Schema<'_> {
    /// Every attribute in order.
    pub fn attributes(&self) -> impl Iterator<Item = &'static (&'static str, Type)> {
        self.parts.iter().flat_map(|p| p.iter())
    }

    fn find(&self, name: &str) -> Option<(usize, Type)> {
        self.attributes()
            .enumerate()
            .find(|(_, (n, _))| *n == name)
            .map(|(i, (_, t))| (i, *t))
            .or_else(|| self.extra.iter().position(|n| n == name).map(|j| (self.extra_at + j, Type::Text)))
    }

    /// The closest known name within a typo's distance of `name`.
    fn near_miss(&self, name: &str) -> Option<&str> {
        self.attributes()
            .map(|(n, _)| *n)
            .chain(self.extra.iter().map(String::as_str))
            .map(|n| (distance(name, n), n))
            .min()
            .filter(|(d, _)| *d <= 2.max(name.len() / 3))
            .map(|(_, n)| n)
    }

    fn why_not(&self, name: &str) -> Option<&'static str> {
        self.elsewhere.iter().find(|(attrs, _)| attrs.iter().any(|(n, _)| *n == name)).map(|(_, why)| *why)
    }
}

/// What is wrong with an expression, and where (0-based character offset).
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub position: usize,
    pub message: String,
}

impl ExprError {
    /// The expression with a caret under the position, for messages.
    pub fn pointer(&self, source: &str) -> String {
        format!("{source}\n{}^", " ".repeat(self.position))
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.position + 1, self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Min,
    Max,
    Abs,
    StartsWith,
    EndsWith,
    Contains,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Lit(Value),
    Attr(usize),
    Not(Box<Node>),
    Neg(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    In(Box<Node>, Vec<Value>, bool),
    Call(Func, Vec<Node>),
}

/// A parsed, type-checked boolean or numeric expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    source: String,
    root: Node,
    ty: Type,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    Sym(&'static str),
    End,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |position: usize, message: String| Err(ExprError { position, message });
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            match text.parse::<f64>() {
                Ok(v) => out.push((Tok::Num(v), start)),
                Err(_) => return err(start, format!("`{text}` is not a number")),
            }
            if i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '%') {
                return err(i, format!("unexpected `{}` after a number (write 0.95, not 95%)", chars[i]));
            }
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), start));
            continue;
        }
        if c == '"' || c == '\'' {
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => return err(start, "text is not closed: add the closing quote".into()),
                    Some('\\') if chars.get(i + 1).is_some() => {
                        s.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some(&x) => {
                        s.push(x);
                        i += 1;
                    }
                }
            }
            out.push((Tok::Str(s), start));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let sym = match two.as_str() {
            "==" => Some("=="),
            "!=" => Some("!="),
            "<=" => Some("<="),
            ">=" => Some(">="),
            "&&" => return err(start, "`&&` is not an operator: write `and`".into()),
            "||" => return err(start, "`||` is not an operator: write `or`".into()),
            _ => None,
        };
        if let Some(s) = sym {
            out.push((Tok::Sym(s), start));
            i += 2;
            continue;
        }
        let one = match c {
            '<' => "<",
            '>' => ">",
            '+' => "+",
            '-' => "-",
            '*' => "*",
            '/' => "/",
            '(' => "(",
            ')' => ")",
            '[' => "[",
            ']' => "]",
            ',' => ",",
            '=' => return err(start, "`=` is not an operator: compare with `==`".into()),
            '!' => return err(start, "`!` is not an operator: write `not`".into()),
            other => return err(start, format!("unexpected character `{other}`")),
        };
        out.push((Tok::Sym(one), start));
        i += 1;
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}

/// Edit distance, for "did you mean" suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

struct Parser<'a> {
    toks: Vec<(Tok, usize)>,
    at: usize,
    schema: &'a Schema<'a>,
    depth: usize,
}

type Typed = (Node, Type, usize);

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].0
    }
    fn pos(&self) -> usize {
        self.toks[self.at].1
    }
    fn bump(&mut self) -> (Tok, usize) {
        let t = self.toks[self.at].clone();
        if self.at + 1 < self.toks.len() {
            self.at += 1;
        }
        t
    }
    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s)
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(x) if x == w)
    }
    fn fail<T>(&self, position: usize, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError { position, message: message.into() })
    }
    fn describe(t: &Tok) -> String {
        match t {
            Tok::Num(v) => format!("number {v}"),
            Tok::Str(s) => format!("text \"{s}\""),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Sym(s) => format!("`{s}`"),
            Tok::End => "the end of the expression".into(),
        }
    }
    fn expect(&mut self, s: &'static str) -> Result<(), ExprError> {
        if self.is_sym(s) {
            self.bump();
            Ok(())
        } else {
            self.fail(self.pos(), format!("expected `{s}`, found {}", Self::describe(self.peek())))
        }
    }
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(self.pos(), format!("expression nested deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }
    fn want(&self, (_, ty, pos): &Typed, want: Type, role: &str) -> Result<(), ExprError> {
        if *ty != want {
            return self.fail(*pos, format!("{role} must be a {}, but this is a {}", want.name(), ty.name()));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Typed, ExprError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.is_word("or") {
            self.bump();
            let right = self.and()?;
            self.want(&left, Type::Bool, "each side of `or`")?;
            self.want(&right, Type::Bool, "each side of `or`")?;
            left = (Node::Bin(BinOp::Or, Box::new(left.0), Box::new(right.0)), Type::Bool, left.2);
        }
        self.depth -= 1;
        Ok(left)
    }
    fn and(&mut self) -> Result<Typed, ExprError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.bump();
            let right = self.not()?;
            self.want(&left, Type::Bool, "each side of `and`")?;
            self.want(&right, Type::Bool, "each side of `and`")?;
            left = (Node::Bin(BinOp::And, Box::new(left.0), Box::new(right.0)), Type::Bool, left.2);
        }
        Ok(left)
    }
    fn not(&mut self) -> Result<Typed, ExprError> {
        if self.is_word("not") {
            let (_, pos) = self.bump();
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            self.want(&inner, Type::Bool, "the operand of `not`")?;
            return Ok((Node::Not(Box::new(inner.0)), Type::Bool, pos));
        }
        self.compare()
    }
    fn compare(&mut self) -> Result<Typed, ExprError> {
        let left = self.sum()?;
        let negated_in =
            self.is_word("not") && matches!(self.toks.get(self.at + 1), Some((Tok::Ident(w), _)) if w == "in");
        if negated_in {
            self.bump();
        }
        if self.is_word("in") {
            self.bump();
            return self.list(left, negated_in);
        }
        let op = match self.peek() {
            Tok::Sym("==") => BinOp::Eq,
            Tok::Sym("!=") => BinOp::Ne,
            Tok::Sym("<") => BinOp::Lt,
            Tok::Sym("<=") => BinOp::Le,
            Tok::Sym(">") => BinOp::Gt,
            Tok::Sym(">=") => BinOp::Ge,
            _ => return Ok(left),
        };
        let (_, op_pos) = self.bump();
        let right = self.sum()?;
        if left.1 != right.1 {
            return self.fail(op_pos, format!("cannot compare a {} with a {}", left.1.name(), right.1.name()));
        }
        if !matches!(op, BinOp::Eq | BinOp::Ne) && left.1 != Type::Number {
            return self.fail(op_pos, format!("`<`, `<=`, `>` and `>=` compare numbers, not {}s", left.1.name()));
        }
        Ok((Node::Bin(op, Box::new(left.0), Box::new(right.0)), Type::Bool, left.2))
    }
    fn list(&mut self, left: Typed, negated: bool) -> Result<Typed, ExprError> {
        self.expect("[")?;
        let mut items = Vec::new();
        loop {
            let (tok, pos) = self.bump();
            let (v, ty) = match tok {
                Tok::Num(x) => (Value::Number(x), Type::Number),
                Tok::Str(s) => (Value::Text(s), Type::Text),
                Tok::Ident(w) if w == "true" || w == "false" => (Value::Bool(w == "true"), Type::Bool),
                Tok::Sym("-") => match self.bump() {
                    (Tok::Num(x), _) => (Value::Number(-x), Type::Number),
                    (t, p) => {
                        return self.fail(p, format!("expected a number after `-`, found {}", Self::describe(&t)))
                    }
                },
                t => return self.fail(pos, format!("a list holds numbers or texts, found {}", Self::describe(&t))),
            };
            if ty != left.1 {
                return self
                    .fail(pos, format!("list item is a {}, but the value tested is a {}", ty.name(), left.1.name()));
            }
            items.push(v);
            if self.is_sym(",") {
                self.bump();
                continue;
            }
            self.expect("]")?;
            break;
        }
        Ok((Node::In(Box::new(left.0), items, negated), Type::Bool, left.2))
    }
    fn sum(&mut self) -> Result<Typed, ExprError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => BinOp::Add,
                Tok::Sym("-") => BinOp::Sub,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.product()?;
            self.want(&left, Type::Number, "each side of `+` and `-`")?;
            self.want(&right, Type::Number, "each side of `+` and `-`")?;
            left = (Node::Bin(op, Box::new(left.0), Box::new(right.0)), Type::Number, left.2);
        }
    }
    fn product(&mut self) -> Result<Typed, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => BinOp::Mul,
                Tok::Sym("/") => BinOp::Div,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.unary()?;
            self.want(&left, Type::Number, "each side of `*` and `/`")?;
            self.want(&right, Type::Number, "each side of `*` and `/`")?;
            left = (Node::Bin(op, Box::new(left.0), Box::new(right.0)), Type::Number, left.2);
        }
    }
    fn unary(&mut self) -> Result<Typed, ExprError> {
        if self.is_sym("-") {
            let (_, pos) = self.bump();
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            self.want(&inner, Type::Number, "the operand of `-`")?;
            return Ok((Node::Neg(Box::new(inner.0)), Type::Number, pos));
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Typed, ExprError> {
        let (tok, pos) = self.bump();
        match tok {
            Tok::Num(v) => Ok((Node::Lit(Value::Number(v)), Type::Number, pos)),
            Tok::Str(s) => Ok((Node::Lit(Value::Text(s)), Type::Text, pos)),
            Tok::Sym("(") => {
                let inner = self.or()?;
                self.expect(")")?;
                Ok((inner.0, inner.1, pos))
            }
            Tok::Ident(w) if w == "true" || w == "false" => Ok((Node::Lit(Value::Bool(w == "true")), Type::Bool, pos)),
            Tok::Ident(w) if ["and", "or", "not", "in"].contains(&w.as_str()) => {
                self.fail(pos, format!("expected a value, found the keyword `{w}`"))
            }
            Tok::Ident(name) if self.is_sym("(") => self.call(&name, pos),
            Tok::Ident(name) => match self.schema.find(&name) {
                Some((i, ty)) => Ok((Node::Attr(i), ty, pos)),
                None => {
                    if let Some(why) = self.schema.why_not(&name) {
                        return self.fail(pos, format!("`{name}` is not available here: {why}"));
                    }
                    let best = self.schema.near_miss(&name);
                    if self.schema.open && best.is_none() {
                        // Checked again against the data's columns when they are known.
                        return Ok((Node::Attr(usize::MAX), Type::Text, pos));
                    }
                    let hint = match best {
                        Some(n) => format!("; did you mean `{n}`?"),
                        None => String::new(),
                    };
                    let columns = if self.schema.extra_at == 0 || self.schema.open {
                        String::new()
                    } else if self.schema.extra.is_empty() {
                        " (items.csv has no extra columns to use as attributes)".to_string()
                    } else {
                        format!(" (extra items.csv columns: {})", self.schema.extra.join(", "))
                    };
                    self.fail(pos, format!("unknown attribute `{name}`{hint}{columns}"))
                }
            },
            t => self.fail(pos, format!("expected a value, found {}", Self::describe(&t))),
        }
    }
    fn call(&mut self, name: &str, pos: usize) -> Result<Typed, ExprError> {
        let (func, arity, args_ty, ret) = match name {
            "min" => (Func::Min, None, Type::Number, Type::Number),
            "max" => (Func::Max, None, Type::Number, Type::Number),
            "abs" => (Func::Abs, Some(1), Type::Number, Type::Number),
            "starts_with" => (Func::StartsWith, Some(2), Type::Text, Type::Bool),
            "ends_with" => (Func::EndsWith, Some(2), Type::Text, Type::Bool),
            "contains" => (Func::Contains, Some(2), Type::Text, Type::Bool),
            other => {
                return self.fail(
                    pos,
                    format!("unknown function `{other}` (there are min, max, abs, starts_with, ends_with, contains)"),
                )
            }
        };
        self.expect("(")?;
        self.enter()?;
        let mut args = Vec::new();
        loop {
            let a = self.or()?;
            self.want(&a, args_ty, &format!("each argument of `{name}`"))?;
            args.push(a.0);
            if self.is_sym(",") {
                self.bump();
                continue;
            }
            self.expect(")")?;
            break;
        }
        self.depth -= 1;
        match arity {
            Some(n) if args.len() != n => self.fail(pos, format!("`{name}` takes {n} argument(s), not {}", args.len())),
            _ => Ok((Node::Call(func, args), ret, pos)),
        }
    }
}

impl Expr {
    /// Parses and type-checks `source` against `schema`; the result must have type
    /// `want` (a boolean for filters and triggers).
    pub fn parse(source: &str, schema: &Schema<'_>, want: Type) -> Result<Expr, ExprError> {
        let n = source.chars().count();
        if n > MAX_LENGTH {
            return Err(ExprError {
                position: MAX_LENGTH,
                message: format!("expression longer than {MAX_LENGTH} characters"),
            });
        }
        let toks = lex(source)?;
        if toks.len() == 1 {
            return Err(ExprError { position: 0, message: "empty expression".into() });
        }
        let mut p = Parser { toks, at: 0, schema, depth: 0 };
        let (root, ty, pos) = p.or()?;
        if *p.peek() != Tok::End {
            let what = Parser::describe(p.peek());
            return p.fail(p.pos(), format!("unexpected {what} (a missing `and`/`or`, or a stray character?)"));
        }
        if ty != want {
            return Err(ExprError {
                position: pos,
                message: format!("the expression must be a {}, but it is a {}", want.name(), ty.name()),
            });
        }
        Ok(Expr { source: source.to_string(), root, ty })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn ty(&self) -> Type {
        self.ty
    }

    /// Evaluates with `values[i]` the value of the schema's attribute `i`. The
    /// expression was type-checked, so a value of the wrong type can only come from
    /// the caller; it evaluates as a missing number (NaN) or false.
    pub fn eval(&self, values: &[Value]) -> Value {
        eval(&self.root, values)
    }

    /// Evaluates a boolean expression.
    pub fn test(&self, values: &[Value]) -> bool {
        matches!(self.eval(values), Value::Bool(true))
    }

    /// The indices of the attributes the expression reads.
    pub fn attributes(&self) -> Vec<usize> {
        let mut out = Vec::new();
        collect(&self.root, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn collect(n: &Node, out: &mut Vec<usize>) {
    match n {
        Node::Attr(i) => out.push(*i),
        Node::Lit(_) => {}
        Node::Not(a) | Node::Neg(a) | Node::In(a, _, _) => collect(a, out),
        Node::Bin(_, a, b) => {
            collect(a, out);
            collect(b, out);
        }
        Node::Call(_, args) => args.iter().for_each(|a| collect(a, out)),
    }
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(x) => *x,
        _ => f64::NAN,
    }
}

fn text(v: &Value) -> &str {
    match v {
        Value::Text(s) => s,
        _ => "",
    }
}

fn truth(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

fn eval(n: &Node, env: &[Value]) -> Value {
    match n {
        Node::Lit(v) => v.clone(),
        Node::Attr(i) => env.get(*i).cloned().unwrap_or(Value::Number(f64::NAN)),
        Node::Not(a) => Value::Bool(!truth(&eval(a, env))),
        Node::Neg(a) => Value::Number(-num(&eval(a, env))),
        Node::In(a, items, negated) => {
            let v = eval(a, env);
            let found = items.iter().any(|x| match (x, &v) {
                (Value::Number(p), Value::Number(q)) => p == q,
                (p, q) => p == q,
            });
            Value::Bool(found != *negated)
        }
        Node::Bin(BinOp::And, a, b) => Value::Bool(truth(&eval(a, env)) && truth(&eval(b, env))),
        Node::Bin(BinOp::Or, a, b) => Value::Bool(truth(&eval(a, env)) || truth(&eval(b, env))),
        Node::Bin(op, a, b) => {
            let (x, y) = (eval(a, env), eval(b, env));
            match op {
                BinOp::Eq | BinOp::Ne => {
                    let same = match (&x, &y) {
                        (Value::Number(p), Value::Number(q)) => p == q,
                        _ => x == y,
                    };
                    Value::Bool(same == (*op == BinOp::Eq))
                }
                BinOp::Lt => Value::Bool(num(&x) < num(&y)),
                BinOp::Le => Value::Bool(num(&x) <= num(&y)),
                BinOp::Gt => Value::Bool(num(&x) > num(&y)),
                BinOp::Ge => Value::Bool(num(&x) >= num(&y)),
                BinOp::Add => Value::Number(num(&x) + num(&y)),
                BinOp::Sub => Value::Number(num(&x) - num(&y)),
                BinOp::Mul => Value::Number(num(&x) * num(&y)),
                BinOp::Div => Value::Number(num(&x) / num(&y)),
                BinOp::And | BinOp::Or => unreachable!("handled above"),
            }
        }
        Node::Call(f, args) => {
            let vals: Vec<Value> = args.iter().map(|a| eval(a, env)).collect();
            match f {
                Func::Min => Value::Number(vals.iter().map(num).fold(f64::INFINITY, f64::min)),
                Func::Max => Value::Number(vals.iter().map(num).fold(f64::NEG_INFINITY, f64::max)),
                Func::Abs => Value::Number(num(&vals[0]).abs()),
                Func::StartsWith => Value::Bool(text(&vals[0]).starts_with(text(&vals[1]))),
                Func::EndsWith => Value::Bool(text(&vals[0]).ends_with(text(&vals[1]))),
                Func::Contains => Value::Bool(text(&vals[0]).contains(text(&vals[1]))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: Schema = Schema::fixed(
        &[
            &[("category", Type::Text), ("unit_cost", Type::Number), ("on_hand", Type::Number)],
            &[("on_order", Type::Number), ("forecast_over_lead_time", Type::Number), ("promoted", Type::Bool)],
        ],
        &[(&[("reorder_point", Type::Number)], "it is computed after the segment is chosen")],
    );

    fn env() -> Vec<Value> {
        vec![
            Value::Text("Frozen".into()),
            Value::Number(2.5),
            Value::Number(10.0),
            Value::Number(5.0),
            Value::Number(20.0),
            Value::Bool(false),
        ]
    }

    fn ok(src: &str) -> bool {
        match Expr::parse(src, &SCHEMA, Type::Bool) {
            Ok(e) => e.test(&env()),
            Err(e) => panic!("{src}: {e}"),
        }
    }

    fn err(src: &str) -> ExprError {
        match Expr::parse(src, &SCHEMA, Type::Bool) {
            Ok(_) => panic!("{src} parsed"),
            Err(e) => e,
        }
    }

    #[test]
    fn evaluates_with_precedence_and_types() {
        assert!(ok("forecast_over_lead_time > on_hand + on_order"));
        assert!(!ok("forecast_over_lead_time > on_hand + on_order * 2"));
        assert!(ok("(forecast_over_lead_time > on_hand + on_order) or promoted"));
        assert!(ok("category == 'Frozen' and unit_cost >= 2.5 and not promoted"));
        assert!(ok("category in [\"Frozen\", \"Dairy\"]"));
        assert!(ok("category not in ['Dairy']"));
        assert!(ok("unit_cost in [1, 2.5]"));
        assert!(ok("starts_with(category, 'Fro') and max(on_hand, on_order, 3) == 10 and abs(-2) == 2"));
        assert!(ok("-unit_cost < 0 and 1_000 > 999 and 1e3 == 1000"));
        assert!(ok("true or 1 / 0 > 0"));
        assert!(!ok("not true"));
        // A missing number (NaN) compares false both ways.
        let e = Expr::parse("unit_cost > 1", &SCHEMA, Type::Bool).unwrap_or_else(|e| panic!("{e}"));
        let mut v = env();
        v[1] = Value::Number(f64::NAN);
        assert!(!e.test(&v));
        assert_eq!(e.attributes(), vec![1]);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = err("categry == 'Frozen'");
        assert_eq!(e.position, 0);
        assert!(e.message.contains("unknown attribute `categry`") && e.message.contains("`category`"), "{}", e.message);
        let e = err("category == 'Frozen' and unit_cost > 'cheap'");
        assert_eq!(e.position, 35);
        assert!(e.message.contains("cannot compare a number with a text"), "{}", e.message);
        let e = err("on_hand > (on_order + ");
        assert_eq!(e.position, 22);
        assert!(e.message.contains("expected a value"), "{}", e.message);
        let e = err("on_hand = 3");
        assert_eq!((e.position, e.to_string().starts_with("column 9:")), (8, true));
        assert_eq!(err("on_hand > 3 && promoted").position, 12);
        assert_eq!(err("unit_cost + 1").message, "the expression must be a boolean, but it is a number");
        assert_eq!(err("category < 'B'").position, 9);
        assert_eq!(err("on_hand > 3 promoted").position, 12);
        assert!(err("reorder_point > 1").message.contains("not available here"));
        assert_eq!(err("category == 'Frozen").position, 12);
        assert_eq!(err("promoted and category").position, 13);
        assert_eq!(err("lower(category) == 'x'").position, 0);
        assert_eq!(err("abs(1, 2) > 0").position, 0);
        assert_eq!(err("category in [1]").position, 13);
        assert_eq!(err("on_hand > 95%").position, 12);
        assert_eq!(err("").message, "empty expression");
        let e = err("categry == 'Frozen'");
        assert_eq!(e.pointer("categry == 'Frozen'"), "categry == 'Frozen'\n^");
    }

    #[test]
    fn evaluation_is_bounded() {
        let deep = format!("{}true{}", "(".repeat(200), ")".repeat(200));
        assert!(err(&deep).message.contains("nested deeper"));
        let long = format!("on_hand > 0{}", " or on_hand > 0".repeat(400));
        assert!(err(&long).message.contains("longer than"));
        let nots = format!("{}true", "not ".repeat(100));
        assert!(err(&nots).message.contains("nested deeper"));
        let negs = format!("{}1 > 0", "-".repeat(100));
        assert!(err(&negs).message.contains("nested deeper"));
    }
}
