//! Golden expansion tests: each `macros/tests/expand/NAME.rs` is expanded (every fn with a
//! `#[resumable::coroutine]` attribute), formatted with `prettyplease` and compared with
//! the committed `NAME.expanded.rs`, which is meant to be read: the expansion is part of
//! the product.
//!
//! After a deliberate change to the expansion, regenerate the files with
//! `RESUMABLE_EXPAND=overwrite cargo test -p resumable-macros --lib golden` and review the
//! diff.

use std::path::Path;

fn expand_file(source: &str) -> String {
    let mut file: syn::File = syn::parse_str(source).expect("a golden input parses");
    let mut items = Vec::new();
    for item in file.items.drain(..) {
        let syn::Item::Fn(mut f) = item else {
            items.push(item);
            continue;
        };
        let Some(pos) = f.attrs.iter().position(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "coroutine")
        }) else {
            items.push(syn::Item::Fn(f));
            continue;
        };
        let attr = f.attrs.remove(pos);
        let args = match attr.meta {
            syn::Meta::List(l) => l.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        let item = quote::ToTokens::to_token_stream(&f);
        let expanded = crate::parse::parse_fn(args, item)
            .and_then(crate::emit::expand_fn)
            .unwrap_or_else(|e| panic!("`{}` expands: {e}", f.sig.ident));
        let expanded: syn::File = syn::parse2(expanded).expect("the expansion parses");
        items.extend(expanded.items);
    }
    file.items = items;
    prettyplease::unparse(&file)
}

#[test]
fn expansions_match_the_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let overwrite = std::env::var("RESUMABLE_EXPAND").is_ok_and(|v| v == "overwrite");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("macros/tests/expand exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rs")
                && !p.to_string_lossy().ends_with(".expanded.rs")
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    let mut mismatched = Vec::new();
    for input in inputs {
        let source = std::fs::read_to_string(&input).expect("readable input");
        let actual = expand_file(&source);
        let golden = input.with_extension("expanded.rs");
        if overwrite {
            std::fs::write(&golden, &actual).expect("writable golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            eprintln!(
                "--- {} (expected)\n{expected}\n+++ actual\n{actual}",
                golden.display()
            );
            mismatched.push(golden.display().to_string());
        }
    }
    assert!(
        mismatched.is_empty(),
        "expansions differ from {mismatched:?}; if the change is deliberate, rerun with \
         RESUMABLE_EXPAND=overwrite and review the diff"
    );
}
