//! Exit codes are named once, in src/exit.rs, and its `CODES` is the documented list
//! (README's table and the man page are held to it in `cli_help`). These checks read the
//! source: every `exit_code()` answers with those names, never a number; no process exit and
//! no terminal-UI return value is a bare number. Each check is shown to catch a planted breach.

use syn::visit::{self, Visit};
use syn::{Expr, ExprLit, Lit, ReturnType, Type};

use crate::invariants::sources;

/// Where a number stands for an exit code.
#[derive(Default)]
struct NumberedCodes {
    /// Inside a function named `exit_code`: every integer in it is a code.
    in_exit_code: bool,
    /// Inside a function returning `i32` in an entry file (`main.rs`, `tui.rs`): its value is
    /// the process's exit code.
    returns_code: bool,
    found: Vec<String>,
}

fn is_int(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => Some(i.to_string()),
        Expr::Paren(p) => is_int(&p.expr),
        _ => None,
    }
}

fn returns_i32(output: &ReturnType) -> bool {
    matches!(output, ReturnType::Type(_, ty) if matches!(&**ty, Type::Path(p) if p.path.is_ident("i32")))
}

impl NumberedCodes {
    /// A value the function returns: a tail expression, a match arm's, a `return`'s.
    fn returned(&mut self, expr: &Expr, name: &str) {
        if let (true, Some(n)) = (self.returns_code, is_int(expr)) {
            self.found.push(format!("{name} {n}"));
        }
    }
}

struct Walker {
    entry: bool,
    codes: NumberedCodes,
}

impl Walker {
    /// Walks one function's body with its flags set, and its tail as a returned value.
    fn function(&mut self, sig: &syn::Signature, block: &syn::Block, walk: impl FnOnce(&mut Self)) {
        let saved = (self.codes.in_exit_code, self.codes.returns_code);
        self.codes.in_exit_code = sig.ident == "exit_code";
        self.codes.returns_code = self.entry && returns_i32(&sig.output);
        if let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last() {
            self.codes.returned(tail, "returns");
        }
        walk(self);
        (self.codes.in_exit_code, self.codes.returns_code) = saved;
    }
}

impl<'ast> Visit<'ast> for Walker {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.function(&f.sig, &f.block, |w| visit::visit_item_fn(w, f));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(&f.sig, &f.block, |w| visit::visit_impl_item_fn(w, f));
    }

    fn visit_expr_lit(&mut self, lit: &'ast ExprLit) {
        if let (true, Lit::Int(i)) = (self.codes.in_exit_code, &lit.lit) {
            self.codes.found.push(format!("exit_code answers {i}"));
        }
    }

    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        if let Some(e) = &r.expr {
            self.codes.returned(e, "return");
        }
        visit::visit_expr_return(self, r);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.codes.returned(&arm.body, "match arm");
        if let Expr::Block(b) = &*arm.body
            && let Some(syn::Stmt::Expr(tail, None)) = b.block.stmts.last()
        {
            self.codes.returned(tail, "match arm");
        }
        visit::visit_arm(self, arm);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            let path: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let exits = path.ends_with(&["process".into(), "exit".into()])
                || path.ends_with(&["ExitCode".into(), "from".into()]);
            if let (true, Some(n)) = (exits, call.args.first().and_then(is_int)) {
                self.codes.found.push(format!("{} ({n})", path.join("::")));
            }
        }
        visit::visit_expr_call(self, call);
    }
}

/// The numbers `code` (the file at `path`) uses as exit codes.
fn numbered_codes(path: &str, code: &str) -> Vec<String> {
    let file = syn::parse_file(code).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut walker = Walker {
        entry: path.ends_with("main.rs") || path.ends_with("tui.rs"),
        codes: NumberedCodes::default(),
    };
    walker.visit_file(&file);
    walker.codes.found
}

#[test]
fn every_exit_code_is_a_name_from_src_exit() {
    let mut breaches = Vec::new();
    for (path, text) in sources() {
        for what in numbered_codes(&path, &text) {
            breaches.push(format!("{path}: {what}"));
        }
    }
    assert!(
        breaches.is_empty(),
        "exit codes are named in src/exit.rs (ARCHITECTURE.md, Invariants):\n{}",
        breaches.join("\n")
    );
}

#[test]
fn the_exit_code_check_catches_planted_numbers_and_not_names() {
    let planted = r#"
        impl E { fn exit_code(&self) -> i32 { match self { A => 3, B => exit::USAGE } } }
        fn stop() { std::process::exit(129); }
        fn code() -> std::process::ExitCode { ExitCode::from(2) }
    "#;
    assert_eq!(
        numbered_codes("src/x.rs", planted),
        [
            "exit_code answers 3",
            "std::process::exit (129)",
            "ExitCode::from (2)"
        ]
    );
    let entry = r#"
        pub async fn run() -> i32 { if bad { return 2; } match r { Ok(_) => 0, Err(_) => { say(); 1 } } }
        fn width() -> u16 { 2 }
    "#;
    assert_eq!(
        numbered_codes("src/tui.rs", entry),
        ["return 2", "match arm 0", "match arm 1"]
    );
    // The same numbers outside an entry file's i32 function are not exit codes.
    assert!(numbered_codes("src/ui/mod.rs", entry).is_empty());
    let fine = r#"
        impl E { fn exit_code(&self) -> i32 { match self { A => exit::NOT_FOUND, B => e.exit_code(exit::FOUND) } } }
        pub async fn run() -> i32 { match r { Ok(_) => exit::FOUND, Err(_) => exit::OUTPUT } }
    "#;
    assert!(numbered_codes("src/tui.rs", fine).is_empty());
}

/// The documented list is the named codes 0 to 11, in order, each once.
#[test]
fn the_documented_list_is_the_named_codes_in_order() {
    use cognito_tui::exit::*;
    let named = [
        FOUND,
        RUNTIME,
        USAGE,
        NOT_FOUND,
        AMBIGUOUS,
        POOL_OR_PARAMETER,
        NOT_AUTHORIZED,
        SERVICE,
        OUTPUT,
        AUDIT,
        TLS,
        CHAIN_BROKEN,
    ];
    let listed: Vec<i32> = CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(listed, named);
    assert_eq!(listed, (0..12).collect::<Vec<_>>());
}
