//! What a failed attempt means, decided here and nowhere else, from the HTTP status first
//! (a body may be JSON, HTML, empty or cut off): retry it, take it as "not there", or give up
//! with an [`Error`]. The exchange asks once per attempt.

use std::time::Duration;

use crate::Provider;
use crate::error::{ConflictReason, Error};
use crate::failure::Failure;

/// What to do about a failed exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Another attempt may succeed, after at least `hint` when the server gave one. A rate
    /// limit (`throttled`) also holds back the host's other requests.
    Retry {
        /// Whether the server said too many requests (429).
        throttled: bool,
        /// The delay the server asked for.
        hint: Option<Duration>,
    },
    /// The resource is not there: 404, or 410 (gone).
    Absent,
    /// Final: [`into_error`] says why.
    Fail,
}

/// Classifies a failed exchange.
pub(crate) fn verdict(failure: &Failure) -> Verdict {
    match failure.status {
        Some(429) => Verdict::Retry { throttled: true, hint: failure.retry_after },
        Some(502..=504) => Verdict::Retry { throttled: false, hint: failure.retry_after },
        Some(404 | 410) => Verdict::Absent,
        Some(_) => Verdict::Fail,
        // No response, or one cut off in its body: a refused connection, a timeout, a request
        // that could not be sent or a body that broke off may go through on another attempt
        // (which, for a delete that landed, finds it absent).
        None if failure.transport.as_ref().is_some_and(|e| {
            e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() || e.is_decode()
        }) =>
        {
            Verdict::Retry { throttled: false, hint: None }
        }
        None => Verdict::Fail,
    }
}

/// The error a failed exchange with `provider` about `resource` ends in: the one place HTTP
/// statuses become [`Error`] variants.
pub(crate) fn into_error(provider: Provider, resource: &crate::exchange::About, failure: Failure) -> Error {
    let resource = resource.to_string();
    if verdict(&failure) == Verdict::Absent {
        return Error::NotFound { provider, resource };
    }
    let Some(status) = failure.status else {
        return match failure.transport {
            Some(source) => Error::transport(provider, source),
            None => Error::UnexpectedResponse { provider, status: None, excerpt: failure.excerpt },
        };
    };
    match status {
        401 => Error::Unauthenticated { provider },
        403 => Error::PermissionDenied { provider, resource, detail: failure.detail },
        // A 409 is a conflict whatever its body; when the body does not decode (HTML, cut
        // off), its excerpt stands for the provider's words.
        409 => {
            let detail = failure.detail.or_else(|| Some(failure.excerpt).filter(|e| !e.trim().is_empty()));
            Error::Conflict {
                provider,
                resource,
                reason: ConflictReason::from_detail(detail.as_deref()),
                detail,
            }
        }
        400 | 412 | 422 if failure.detail.is_some() => Error::Conflict {
            provider,
            resource,
            reason: ConflictReason::from_detail(failure.detail.as_deref()),
            detail: failure.detail,
        },
        429 => Error::RateLimited { provider, retry_after: failure.retry_after },
        _ => Error::UnexpectedResponse { provider, status: Some(status), excerpt: failure.excerpt },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16, body: &str) -> Failure {
        Failure::response(status, None, body.as_bytes())
    }

    #[test]
    fn the_status_decides_whatever_the_body() {
        let html = "<html><body>502 Bad Gateway</body></html>";
        for body in [html, "", "{\"detail\": \"cut off"] {
            assert_eq!(verdict(&failure(429, body)), Verdict::Retry { throttled: true, hint: None });
            for status in [502, 503, 504] {
                assert_eq!(verdict(&failure(status, body)), Verdict::Retry { throttled: false, hint: None });
            }
            for status in [404, 410] {
                assert_eq!(verdict(&failure(status, body)), Verdict::Absent);
                assert!(matches!(
                    into_error(Provider::Replicate, &"r", failure(status, body)),
                    Error::NotFound { .. }
                ));
            }
            for status in [400, 401, 403, 409, 500] {
                assert_eq!(verdict(&failure(status, body)), Verdict::Fail, "{status}");
            }
        }
    }

    #[test]
    fn a_conflict_keeps_the_providers_words_or_the_excerpt() {
        let json = failure(409, r#"{"detail": "Version has an associated deployment"}"#);
        let Error::Conflict { reason, detail, .. } = into_error(Provider::Replicate, &"r", json) else {
            panic!()
        };
        assert_eq!(
            (reason, detail.as_deref()),
            (ConflictReason::VersionHasDeployment, Some("Version has an associated deployment"))
        );
        let cut = failure(409, r#"{"detail": "Other users have run predictions with th"#);
        let Error::Conflict { reason, detail, .. } = into_error(Provider::Replicate, &"r", cut) else {
            panic!()
        };
        assert_eq!(reason, ConflictReason::VersionUsedByOthers);
        assert!(detail.is_some_and(|d| d.starts_with("{\"detail\"")));
    }
}
