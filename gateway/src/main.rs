//! `xai-gateway`: see `xai-gateway --help`.
use std::{
    io::{IsTerminal as _, Write as _},
    process::ExitCode,
};

use clap::Parser as _;
use tracing_subscriber::EnvFilter;
use xai_gateway::Args;

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version
        Err(error) => {
            // One line, as for every other startup error (clap adds usage and a --help tip).
            let rendered = error.to_string();
            let first = rendered.lines().next().unwrap_or_default();
            eprintln!("xai-gateway: {} (see --help)", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    if let Some(command) = &args.command {
        return match xai_gateway::admin::run(command, &args.data_dir).await {
            Ok(output) => {
                print!("{output}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("xai-gateway: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let filter = match EnvFilter::try_new(&args.log_level) {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("xai-gateway: invalid --log-level {:?}: {error}", args.log_level);
            return ExitCode::from(2);
        }
    };
    // Logs go to stderr; stdout carries only the "listening" line for scripts to wait on.
    let colours = std::io::stderr().is_terminal();
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colours).init();

    let gateway = match xai_gateway::start(&args).await {
        Ok(gateway) => gateway,
        Err(error) => {
            eprintln!("xai-gateway: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("xai-gateway listening on http://{} (backend {}, static {})", gateway.addr, args.backend.name(), args.static_dir.display());
    let _ = std::io::stdout().flush();

    let stop = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot wait for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    match gateway.run_until(stop).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xai-gateway: server failed: {error}");
            ExitCode::FAILURE
        }
    }
}
