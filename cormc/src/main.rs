//! The `cormc` command line; everything is in [`cormc::cli`].

fn main() -> std::process::ExitCode {
    cormc::cli::main()
}
