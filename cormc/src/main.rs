//! The `cormc` command line; everything is in [`cormc::cli`].

/// The compiler allocates many small nodes and frees them all at exit;
/// mimalloc does both markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cormc::cli::main()
}
