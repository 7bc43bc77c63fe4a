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
    /// Copy the database and the photos into a new directory while the server runs.
    Backup {
        /// A new (or empty) directory.
        dir: std::path::PathBuf,
    },
    /// Put a backup back: into a new SQLite file or an empty PostgreSQL database (stop the
    /// server first), then apply this version's migrations.
    Restore {
        dir: std::path::PathBuf,
        /// Replace the database and photos that are there.
        #[arg(long)]
        force: bool,
    },
    /// Manage localities.
    Locality {
        #[command(subcommand)]
        command: LocalityCommand,
    },
    /// Create an account (its password is read from AGORA_NEW_PASSWORD or the first line of
    /// standard input) and optionally give it a role.
    User {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// operator, admin, moderator or staff.
        #[arg(long)]
        role: Option<String>,
        /// The locality's slug, for every role but operator.
        #[arg(long)]
        locality: Option<String>,
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
                    println!("loaded the Bălți demo data ({reports} reports)");
                    println!("demo accounts (password {}):", server::db::seed::DEMO_PASSWORD);
                    for (email, _, role, _, locality) in server::db::seed::DEMO_ACCOUNTS {
                        let role = role.unwrap_or("citizen");
                        println!("  {email:<26} {role} {}", locality.unwrap_or(""));
                    }
                }
                DemoOutcome::AlreadyLoaded => println!("the Bălți demo data is already loaded"),
            }
            Ok(())
        }
        Command::Backup { dir } => {
            let manifest = server::backup::backup(&config, &dir).await?;
            println!(
                "backed up the {} database (migration {}) and {} photo files into {}",
                manifest.backend,
                manifest.migration,
                manifest.photos,
                dir.display()
            );
            Ok(())
        }
        Command::Restore { dir, force } => {
            let manifest = server::backup::restore(&config, &dir, force).await?;
            println!(
                "restored the {} backup of {} ({} photo files)",
                manifest.backend, manifest.created_at, manifest.photos
            );
            Ok(())
        }
        Command::User { email, name, role, locality } => {
            let password = match std::env::var("AGORA_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let email = app::model::input::Email::parse("email", &email)
                .map_err(|_| anyhow::anyhow!("not a valid e-mail address"))?
                .into_inner();
            app::model::input::new_password("password", &password)
                .map_err(|_| anyhow::anyhow!("the password must have 10 to 200 characters"))?;
            let db = server::open_database(&config).await?;
            let id = db.create_confirmed_account(&email, &password, &name).await?;
            println!("account {email} created (id {id})");
            if let Some(role) = role {
                let role = app::model::Role::parse(&role).context("unknown role")?;
                let locality_id = match (role, locality) {
                    (app::model::Role::Operator, _) => None,
                    (_, Some(slug)) => {
                        Some(app::store::LocalityStore::locality_by_slug(&db, &slug).await?.id)
                    }
                    (_, None) => anyhow::bail!("--locality is required for this role"),
                };
                app::store::AdminStore::grant_role(
                    &db,
                    &app::model::Viewer::default(),
                    &email,
                    role,
                    locality_id,
                    None,
                )
                .await?;
                println!("role {} granted", role.as_str());
            }
            Ok(())
        }
        Command::Locality { command: LocalityCommand::Import { file, default } } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let spec: server::db::LocalitySpec = serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", file.display()))?;
            let db = server::open_database(&config).await?;
            let id = db.import_locality(&spec, default, &app::model::Viewer::default()).await?;
            println!("locality {} saved (id {id})", spec.slug);
            Ok(())
        }
    }
}
