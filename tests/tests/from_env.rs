//! `Hosts::from_env` with real environment variables. The environment is shared by every
//! test of one process, so each case runs this test binary again, in a new process with
//! exactly the variables chosen, to run the `print_hosts` helper.

use std::process::Command;

use modelhost::{Hosts, Provider};

/// Not a test: what `Hosts::from_env` makes of this process's environment, one line per
/// provider (`baseten: ready` or `baseten: error: …`), for the tests below to read.
#[test]
#[ignore = "a helper run by the other tests in a process of its own"]
fn print_hosts() {
    match Hosts::from_env() {
        Ok(hosts) => {
            for provider in [Provider::Baseten, Provider::Replicate] {
                match hosts.get(provider) {
                    Ok(host) => println!("{provider}: ready ({host:?})"),
                    Err(e) => println!("{provider}: error: {e}"),
                }
            }
        }
        Err(e) => println!("hosts: error: {e}"),
    }
}

const SECRET: &str = "sk-from-env-secret-value";

/// What `hosts_from_env` prints with exactly these provider variables set.
fn hosts_with(vars: &[(&str, &str)]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["print_hosts", "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    for var in ["BASETEN_API_KEY", "REPLICATE_API_TOKEN", "BASETEN_BASE_URL", "REPLICATE_BASE_URL"] {
        command.env_remove(var);
    }
    command.envs(vars.iter().copied());
    let output = command.output().expect("the test binary runs again");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_provider_with_a_credential_is_ready_and_the_other_says_what_to_set() {
    let out = hosts_with(&[("BASETEN_API_KEY", SECRET)]);
    assert!(out.contains("baseten: ready"), "{out}");
    assert!(out.contains("replicate: error: REPLICATE_API_TOKEN is not set"), "{out}");
    let out = hosts_with(&[("REPLICATE_API_TOKEN", SECRET)]);
    assert!(
        out.contains("replicate: ready") && out.contains("baseten: error: BASETEN_API_KEY is not set"),
        "{out}"
    );
    let out = hosts_with(&[("BASETEN_API_KEY", SECRET), ("REPLICATE_API_TOKEN", SECRET)]);
    assert_eq!(out.matches(": ready").count(), 2, "{out}");
    assert!(!out.contains(SECRET), "a credential was printed: {out}");
}

#[test]
fn no_credential_or_an_unusable_one_names_the_variable_not_the_value() {
    let out = hosts_with(&[]);
    assert!(out.contains("hosts: error: BASETEN_API_KEY or REPLICATE_API_TOKEN is not set"), "{out}");
    let pasted = format!("{SECRET}\n");
    let out = hosts_with(&[("BASETEN_API_KEY", &pasted)]);
    assert!(
        out.contains(
            "hosts: error: BASETEN_API_KEY is set but not usable: character 25 of 25 is not visible ASCII"
        ),
        "{out}"
    );
    assert!(!out.contains(SECRET), "{out}");
    // An empty variable counts as not set.
    let out = hosts_with(&[("BASETEN_API_KEY", ""), ("REPLICATE_API_TOKEN", SECRET)]);
    assert!(
        out.contains("replicate: ready") && out.contains("baseten: error: BASETEN_API_KEY is not set"),
        "{out}"
    );
}

#[test]
fn a_base_url_from_the_environment_is_checked_like_any_other() {
    let out = hosts_with(&[("BASETEN_API_KEY", SECRET), ("BASETEN_BASE_URL", "http://127.0.0.1:9")]);
    assert!(out.contains("baseten: ready") && out.contains("127.0.0.1:9"), "{out}");
    let out = hosts_with(&[("BASETEN_API_KEY", SECRET), ("BASETEN_BASE_URL", "http://api.example.com")]);
    assert!(out.contains("plain http"), "{out}");
    let out = hosts_with(&[("REPLICATE_API_TOKEN", SECRET), ("REPLICATE_BASE_URL", "")]);
    assert!(
        out.contains("replicate: ready") && out.contains("api.replicate.com"),
        "empty means unset: {out}"
    );
    assert!(!out.contains(SECRET), "{out}");
}
