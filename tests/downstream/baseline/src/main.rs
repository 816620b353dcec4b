//! Deletes the Baseten models named on the command line with hand-written requests.

#[derive(serde::Deserialize, Debug)]
struct Tombstone {
    id: String,
    deleted: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("BASETEN_API_KEY")?;
    let client = reqwest::Client::new();
    for id in std::env::args().skip(1) {
        let url = format!("https://api.baseten.co/v1/models/{id}");
        let response = client.delete(url).bearer_auth(&key).send().await?.error_for_status()?;
        let tombstone: Tombstone = response.json().await?;
        println!("{}: deleted {}", tombstone.id, tombstone.deleted);
    }
    Ok(())
}
