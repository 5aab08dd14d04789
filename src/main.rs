fn main() -> std::process::ExitCode {
    kensa::cli::main()
}
