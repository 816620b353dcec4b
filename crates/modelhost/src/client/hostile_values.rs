//! Property tests: whatever `Retry-After` header and `retry_after` body a server sends, with
//! whatever status, classifying it never panics, every wait it leads to stays within the
//! retry policy, the rate gate never holds a request past the policy's longest wait, and the
//! resulting error displays without a control character.

use std::time::{Duration, Instant, SystemTime};

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use super::exchange::{Failure, Verdict, into_error, retry_after_header, verdict};
use super::rate_gate::{Passed, RateGate};
use crate::{Provider, RetryPolicy};

/// Header values servers have been seen to send, and worse.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,30}",
        " *[0-9]{1,6} *",
        "-[0-9]{1,20}",
        "[0-9]{1,5}\\.[0-9]{1,5}",
        (0u64..=253_402_300_799)
            .prop_map(|s| httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(s))),
        "[ -~]{0,40}",
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        Just("18446744073709551615".to_owned()),
    ]
}

/// Bodies with a `retry_after` of every JSON kind, and bodies that are not JSON at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let number = prop_oneof![
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        Just(serde_json::json!(1e20)),
        Just(serde_json::json!(1.7976931348623157e308)),
        "[ -~]{0,20}".prop_map(serde_json::Value::from),
    ];
    prop_oneof![
        (number, "\\PC{0,40}").prop_map(|(delay, words)| {
            serde_json::json!({"error": words, "detail": words, "retry_after": delay})
                .to_string()
                .into_bytes()
        }),
        proptest::collection::vec(any::<u8>(), 0..600),
    ]
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        max_total: Duration::from_millis(50),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_server_value_panics_or_outlasts_the_policy(
        status in 100u16..600,
        header in proptest::option::of(header_value()),
        body in body(),
        retry in 1u32..4,
        elapsed_ms in 0u64..100,
    ) {
        let mut headers = HeaderMap::new();
        if let Some(value) = header.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(RETRY_AFTER, value);
        }
        let failure = Failure::response(status, retry_after_header(&headers), &body);
        let policy = policy();
        if let Verdict::Retry { hint, .. } = verdict(&failure) {
            let elapsed = Duration::from_millis(elapsed_ms);
            if let Some(wait) = policy.wait(retry, hint, elapsed) {
                prop_assert!(wait <= policy.max_delay);
                prop_assert!(elapsed + wait <= policy.max_total);
                prop_assert!(hint.is_none_or(|h| wait >= h), "a wait shorter than the server asked");
            }
            prop_assert!(policy.hold(hint) <= policy.max_delay);
        }
        let shown = into_error(Provider::Baseten, &"baseten:m1", failure).to_string();
        prop_assert!(!shown.chars().any(char::is_control), "{shown:?}");
    }
}

#[test]
fn the_gate_never_holds_past_the_policy() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let policy = policy();
    for hint in [None, Some(Duration::ZERO), Some(Duration::from_secs(999_999_999)), Some(Duration::MAX)] {
        runtime.block_on(async {
            let gate = RateGate::default();
            gate.enter().await.finish(Passed::Throttled(policy.hold(hint)));
            let started = Instant::now();
            tokio::time::timeout(policy.max_delay * 10, gate.enter())
                .await
                .unwrap_or_else(|_| panic!("{hint:?} held the gate past the policy"))
                .finish(Passed::Answered);
            assert!(started.elapsed() <= policy.max_delay * 10, "{hint:?}");
        });
    }
}
