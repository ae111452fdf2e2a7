//! Fuzzes the compiler: any bytes, as text, through parse, check and, for
//! a schema that checks, generate. The properties: nothing panics (nor
//! overflows the stack), whatever the input; and what generate refuses it
//! refuses with a typed error about the schema, never with a bug error
//! (generated text that is not Rust, a template that fails to render).
#![no_main]

use cormc::codegen::CodegenError;
use cormc::diagnostics::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    if sources.add("fuzz.corm", text).is_err() {
        return;
    }
    let Ok(schema) = cormc::parse::parse(&sources) else {
        return;
    };
    let Some(schema) = cormc::check::check(&schema).schema else {
        return;
    };
    match cormc::codegen::generate(&schema) {
        Ok(_) | Err(CodegenError::Unsupported { .. }) => {}
        Err(bug) => panic!("generate failed on a checked schema: {bug}"),
    }
});
