//! Fuzzes the front end: any bytes, as text, through parse and check. The
//! property is that neither panics (nor overflows the stack), whatever the
//! input.
#![no_main]

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
    if let Ok(schema) = cormc::parse::parse(&sources) {
        let _ = cormc::check::check(&schema);
    }
});
