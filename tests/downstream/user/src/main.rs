//! Deletes the models named on the command line, as a user of `modelhost` would.

use modelhost::{DeleteOptions, Hosts, Target};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let hosts = Hosts::from_env()?;
    for arg in std::env::args().skip(1) {
        let model: Target = arg.parse()?;
        let deleted = hosts.delete(&model, &DeleteOptions::default()).await?;
        println!("{}: {:?}", deleted.target, deleted.state);
    }
    Ok(())
}
