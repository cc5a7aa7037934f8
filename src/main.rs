//! The `socialhub` command: parses the command line and runs it; any failure is one line
//! on standard error and exit status 1.

fn main() {
    if let Err(e) = socialhub::cli::run() {
        eprintln!("socialhub: {e:#}");
        std::process::exit(1);
    }
}
