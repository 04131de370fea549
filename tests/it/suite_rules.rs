//! The mechanical rules of tests/README.md, checked by reading `tests/` with `syn`:
//!
//! 1. **No assertion in a branch that may not run.** An `if let` without an `else`, or a
//!    `match` with an arm that does nothing, may never reach the assertions inside it; a test
//!    checks that the case happened first (e.g. collects the copies, asserts how many, then
//!    checks each), so an assertion may sit in such a branch only when the test also asserts
//!    outside every such branch.
//! 2. **States are reached through messages.** No test writes a field of `App`
//!    (`app.<field> = …`), except the clock and time-zone pins below.
//!
//! Each rule is shown to catch a planted breach, and to let the allowed forms through.

use std::path::{Path, PathBuf};

use syn::visit::{self, Visit};

/// `App` fields a test may set: the clock and the time zone, which no message sets.
const ALLOWED_FIELD_WRITES: [&str; 2] = ["now", "tz"];

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names of `App`'s fields, read from wherever `struct App` is defined under `src/`.
fn app_fields() -> Vec<String> {
    struct FindApp(Vec<String>);
    impl<'a> Visit<'a> for FindApp {
        fn visit_item_struct(&mut self, s: &'a syn::ItemStruct) {
            if s.ident == "App" {
                self.0 = (s.fields.iter())
                    .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                    .collect();
            }
        }
    }
    let mut found = FindApp(Vec::new());
    for path in rust_files(&root().join("src")) {
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        found.visit_file(&file);
        if !found.0.is_empty() {
            break;
        }
    }
    assert!(found.0.len() > 10, "struct App not found under src/");
    found.0
}

/// Whether a macro or function of this name is an assertion.
fn is_assertion(name: &str) -> bool {
    name.starts_with("assert") || name.starts_with("prop_assert") || name.ends_with("snap")
}

/// Whether a macro of this name ends the test (a failure path, not a silent arm).
fn is_failure(name: &str) -> bool {
    matches!(name, "panic" | "unreachable" | "unimplemented" | "todo") || is_assertion(name)
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Counts the assertions in an expression or block (any depth), and whether it can fail.
#[derive(Default)]
struct Assertions {
    count: usize,
    fails: bool,
}

impl<'a> Visit<'a> for Assertions {
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        let name = last_segment(&m.path);
        self.count += usize::from(is_assertion(&name));
        self.fails |= is_failure(&name);
        // Assertions nested in another macro's arguments (vec![…], format!…) are rare; the
        // body of a macro is not parsed further.
        visit::visit_macro(self, m);
    }
    fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let name = last_segment(&p.path);
            self.count += usize::from(is_assertion(&name));
            self.fails |= is_assertion(&name);
        }
        visit::visit_expr_call(self, c);
    }
    fn visit_expr_method_call(&mut self, c: &'a syn::ExprMethodCall) {
        let name = c.method.to_string();
        self.count += usize::from(is_assertion(&name));
        self.fails |= is_assertion(&name) || matches!(name.as_str(), "unwrap" | "expect");
        visit::visit_expr_method_call(self, c);
    }
    fn visit_expr_return(&mut self, r: &'a syn::ExprReturn) {
        // An early return ends the test without failing: a skip, not a failure.
        visit::visit_expr_return(self, r);
    }
}

fn assertions_in(visit: impl FnOnce(&mut Assertions)) -> Assertions {
    let mut a = Assertions::default();
    visit(&mut a);
    a
}

/// One test's assertions: how many run unconditionally, and the guarded branches (an `if let`
/// without `else`, a `match` with a silent arm) that hold the others.
#[derive(Default)]
struct TestBody {
    outside: usize,
    guarded: Vec<String>,
}

impl<'a> Visit<'a> for TestBody {
    fn visit_expr_if(&mut self, e: &'a syn::ExprIf) {
        let is_let = matches!(&*e.cond, syn::Expr::Let(_))
            || matches!(&*e.cond, syn::Expr::Binary(b) if contains_let(&b.left) || contains_let(&b.right));
        let inside = assertions_in(|a| a.visit_block(&e.then_branch));
        if is_let && e.else_branch.is_none() && inside.count > 0 && !guarded_by_skip(&e.cond) {
            self.guarded.push(format!(
                "`if let` without `else` holds {} assertion(s)",
                inside.count
            ));
            return;
        }
        visit::visit_expr_if(self, e);
    }
    fn visit_expr_match(&mut self, m: &'a syn::ExprMatch) {
        let arms: Vec<Assertions> = (m.arms.iter())
            .map(|arm| assertions_in(|a| a.visit_expr(&arm.body)))
            .collect();
        let asserting: usize = arms.iter().map(|a| a.count).sum();
        let silent = arms.iter().any(|a| a.count == 0 && !a.fails);
        if asserting > 0 && silent {
            self.guarded.push(format!(
                "`match` with a silent arm holds {asserting} assertion(s)"
            ));
            return;
        }
        visit::visit_expr_match(self, m);
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        self.outside += usize::from(is_assertion(&last_segment(&m.path)));
    }
    fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            self.outside += usize::from(is_assertion(&last_segment(&p.path)));
        }
        visit::visit_expr_call(self, c);
    }
    fn visit_expr_method_call(&mut self, c: &'a syn::ExprMethodCall) {
        self.outside += usize::from(is_assertion(&c.method.to_string()));
        visit::visit_expr_method_call(self, c);
    }
}

/// `if let Some(shell) = installed_shell("fish")`: the branch runs whenever CI runs (a missing
/// shell fails there, see `common::skip`), so it is not a branch that may not run.
fn guarded_by_skip(cond: &syn::Expr) -> bool {
    let syn::Expr::Let(l) = cond else {
        return false;
    };
    let syn::Expr::Call(call) = &*l.expr else {
        return false;
    };
    let syn::Expr::Path(p) = &*call.func else {
        return false;
    };
    let path: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    path.ends_with(&["installed_shell".to_string()])
        || path.ends_with(&["Emulator".to_string(), "start".to_string()])
}

fn contains_let(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Let(_) => true,
        syn::Expr::Binary(b) => contains_let(&b.left) || contains_let(&b.right),
        _ => false,
    }
}

fn is_test(f: &syn::ItemFn) -> bool {
    f.attrs.iter().any(|a| last_segment(a.path()) == "test")
}

/// Breaches of both rules in one file's text, as "file: what" (naming the test or the field).
fn breaches(file: &str, text: &str, app_fields: &[String]) -> Vec<String> {
    struct Check<'f> {
        file: &'f str,
        app_fields: &'f [String],
        found: Vec<String>,
    }
    impl<'a> Visit<'a> for Check<'_> {
        fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
            if is_test(f) {
                let mut body = TestBody::default();
                body.visit_block(&f.block);
                if body.outside == 0 && !body.guarded.is_empty() {
                    self.found.push(format!(
                        "{}: test {}: its only assertions may never run: {}",
                        self.file,
                        f.sig.ident,
                        body.guarded.join("; ")
                    ));
                }
            }
            visit::visit_item_fn(self, f);
        }
        fn visit_expr_assign(&mut self, e: &'a syn::ExprAssign) {
            if let Some(field) = app_field_written(&e.left, self.app_fields)
                && !ALLOWED_FIELD_WRITES.contains(&field.as_str())
            {
                self.found.push(format!(
                    "{}: writes App field `{field}`: reach that state through messages",
                    self.file
                ));
            }
            visit::visit_expr_assign(self, e);
        }
    }
    let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut check = Check {
        file,
        app_fields,
        found: Vec::new(),
    };
    check.visit_file(&parsed);
    check.found
}

/// The `App` field an assignment target writes, when the target is `var.field…` with `field`
/// one of `App`'s (`app.redact`, `more.search.results.as_mut().unwrap().more`), not `self`.
fn app_field_written(target: &syn::Expr, app_fields: &[String]) -> Option<String> {
    // Walk down to the field right after the root variable.
    let mut expr = target;
    let mut first_field = None;
    loop {
        match expr {
            syn::Expr::Field(f) => {
                if let syn::Member::Named(name) = &f.member {
                    first_field = Some(name.to_string());
                }
                expr = &f.base;
            }
            syn::Expr::MethodCall(m) => {
                first_field = None;
                expr = &m.receiver;
            }
            syn::Expr::Paren(p) => expr = &p.expr,
            syn::Expr::Unary(u) => expr = &u.expr,
            syn::Expr::Path(p) => {
                let root = last_segment(&p.path);
                return (root != "self")
                    .then_some(first_field?)
                    .filter(|f| app_fields.contains(f));
            }
            _ => return None,
        }
    }
}

/// Every breach under `tests/`.
fn suite_breaches() -> Vec<String> {
    let fields = app_fields();
    let mut all = Vec::new();
    for path in rust_files(&root().join("tests")) {
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        all.extend(breaches(
            &rel,
            &std::fs::read_to_string(&path).unwrap(),
            &fields,
        ));
    }
    all
}

#[test]
fn the_suite_keeps_its_mechanical_rules() {
    let found = suite_breaches();
    assert!(
        found.is_empty(),
        "{} breaches:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn planted_breaches_are_caught_and_the_allowed_forms_pass() {
    let fields = app_fields();
    let check = |code: &str| breaches("planted.rs", code, &fields);
    // Rule 1: the only assertions inside an `if let` without `else`, or a `match` arm.
    let copy_in_if_let = r#"
        #[test]
        fn copies_are_masked() {
            for cmd in send(&mut app, typed("y")) {
                if let Cmd::Copy(text) = cmd {
                    assert_private("copy", &text);
                }
            }
        }"#;
    let found = check(copy_in_if_let);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("copies_are_masked"), "{found:?}");
    let in_a_match = r#"
        #[tokio::test]
        async fn maybe() {
            match outcome {
                Some(v) => assert_eq!(v, 3),
                None => {}
            }
        }"#;
    assert_eq!(check(in_a_match).len(), 1);
    // Allowed: the case asserted first; a match whose every arm asserts or fails.
    let asserted_first = r#"
        #[test]
        fn copies_are_masked() {
            let copies = copies(send(&mut app, typed("y")));
            assert_eq!(copies.len(), 1);
            for cmd in cmds {
                if let Cmd::Copy(text) = cmd {
                    assert_private("copy", &text);
                }
            }
        }"#;
    assert_eq!(check(asserted_first), Vec::<String>::new());
    let every_arm = r#"
        #[test]
        fn each() {
            match outcome {
                Some(v) => assert_eq!(v, 3),
                None => panic!("no outcome"),
            }
            if let Err(e) = result { panic!("{e}") }
        }"#;
    assert_eq!(check(every_arm), Vec::<String>::new());
    let behind_a_skip = r#"
        #[test]
        fn fish() {
            if let Some(fish) = common::installed_shell("fish") {
                assert!(run(fish).success());
            }
        }"#;
    assert_eq!(check(behind_a_skip), Vec::<String>::new());

    // Rule 2: a field write to App; the clock and time-zone pins pass.
    let write = r#"
        fn app() -> App {
            let mut app = App::new("us-east-1_DemoPool1", true);
            app.now = datetime!(2026-01-15 12:00:00 UTC);
            app.tz = TimeZone::Fixed(time::UtcOffset::UTC);
            app.redact = true;
            more.finders.search.results.as_mut().unwrap().more = true;
            filter.prefix = true;
            app
        }"#;
    let found = check(write);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("`redact`"), "{found:?}");
    assert!(found[1].contains("`finders`"), "{found:?}");
}
