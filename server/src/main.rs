//! `agora`: serve the platform, or run an operator's command.

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::config::Config;
use server::db::seed::DemoOutcome;

#[derive(Parser)]
#[command(name = "agora", about = "Agora, the civic participation platform of Bălți")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the Bălți demo data unless it is already loaded.
    DemoData,
    /// Manage localities.
    Locality {
        #[command(subcommand)]
        command: LocalityCommand,
    },
}

#[derive(Subcommand)]
enum LocalityCommand {
    /// Add or update a locality (centre, boundary, categories) from a JSON file.
    Import {
        file: std::path::PathBuf,
        /// Make it the locality shown when the address names none.
        #[arg(long)]
        default: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    server::telemetry::init(&config.log_filter);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(config).await,
        Command::Migrate => {
            server::open_database(&config).await?;
            println!("migrations applied to {}", config.database_url);
            Ok(())
        }
        Command::DemoData => {
            let db = server::open_database(&config).await?;
            match db.load_demo().await? {
                DemoOutcome::Loaded { reports } => {
                    println!("loaded the Bălți demo data ({reports} reports)")
                }
                DemoOutcome::AlreadyLoaded => println!("the Bălți demo data is already loaded"),
            }
            Ok(())
        }
        Command::Locality { command: LocalityCommand::Import { file, default } } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let spec: server::db::LocalitySpec = serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", file.display()))?;
            let db = server::open_database(&config).await?;
            let id = db.import_locality(&spec, default).await?;
            println!("locality {} saved (id {id})", spec.slug);
            Ok(())
        }
    }
}
