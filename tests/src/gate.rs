//! What both stateful servers put in front of everything: a log of every request's method
//! and path (so a test can say "reads only" and mean it), and a token that expires after a
//! number of requests (401 from then on, as a revoked or timed-out key is answered).

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The log and the expiring token.
#[derive(Debug, Default)]
pub struct Gate {
    log: Mutex<Vec<(Method, String)>>,
    /// A token, and how many more requests it is good for.
    expiring: Mutex<Option<(String, usize)>>,
}

impl Gate {
    /// Every request received so far, as `(method, path)`.
    pub fn log(&self) -> Vec<(Method, String)> {
        self.log.lock().expect("log lock").clone()
    }

    /// The requests that change something: any method but GET, HEAD and OPTIONS, as
    /// `METHOD path`.
    pub fn changes(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|(m, _)| ![Method::GET, Method::HEAD, Method::OPTIONS].contains(m))
            .map(|(m, p)| format!("{m} {p}"))
            .collect()
    }

    /// Forgets the requests logged so far.
    pub fn clear(&self) {
        self.log.lock().expect("log lock").clear();
    }

    /// `token` is good for `requests` more requests; after them, every request with it is
    /// answered 401.
    pub fn expire_after(&self, token: &str, requests: usize) {
        *self.expiring.lock().expect("expiry lock") = Some((token.to_owned(), requests));
    }
}

/// The middleware: `axum::middleware::from_fn_with_state(gate, gate::inspect)`.
pub async fn inspect(State(gate): State<Arc<Gate>>, request: Request, next: Next) -> Response {
    gate.log.lock().expect("log lock").push((request.method().clone(), request.uri().path().to_owned()));
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let expired = {
        let mut expiring = gate.expiring.lock().expect("expiry lock");
        match (expiring.as_mut(), bearer) {
            (Some((token, left)), Some(sent)) if *token == sent => {
                let expired = *left == 0;
                *left = left.saturating_sub(1);
                expired
            }
            _ => false,
        }
    };
    if expired {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"error": "Invalid API key", "detail": "Invalid token."})),
        )
            .into_response();
    }
    next.run(request).await
}
