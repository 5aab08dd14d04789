//! The `kensa` binary: the allocator, the interrupt handler and the command line ([`kensa::cli`]).

/// mimalloc instead of the system allocator: `kensa aggregate` spends much of its CPU time in
/// malloc and free when it reads thousands of workbooks (figures in bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kensa::small_pages();
    // Ctrl-C and SIGTERM remove the temporary files and folders of the running command.
    kensa::fs::cleanup::install_handler();
    kensa::cli::main()
}
