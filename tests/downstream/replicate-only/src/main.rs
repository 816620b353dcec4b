//! Deletes the Replicate versions named on the command line, as a Replicate-only user of
//! `modelhost` would.

use modelhost::{DeleteOptions, ModelHost, Replicate, VersionRef};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let replicate = Replicate::from_env()?;
    for arg in std::env::args().skip(1) {
        let version: VersionRef = arg.parse()?;
        let deleted = replicate.delete_version(&version, &DeleteOptions::default()).await?;
        println!("{}: {:?}", deleted.target, deleted.state);
    }
    Ok(())
}
