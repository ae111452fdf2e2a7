//! The `cormc` command line.

fn main() {
    eprintln!("cormc: no commands yet; the front end lands with `cormc check`");
    std::process::exit(2);
}
