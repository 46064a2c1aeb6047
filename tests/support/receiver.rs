//! A real HTTP endpoint for webhook tests: a hyper server on a loopback port that records
//! every request (its `Finance-Signature` and body) and answers as told, in turn.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

/// How the receiver answers one request.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    Status(u16),
    /// No answer for a minute (past any timeout).
    Hang,
}

#[derive(Clone, Debug)]
pub struct Received {
    pub signature: String,
    pub body: String,
    pub json: serde_json::Value,
}

pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// Answers `plan` in turn, then 200 to everything.
    pub async fn start(plan: &[Answer]) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!(
            "http://127.0.0.1:{}/hook?from=test",
            listener.local_addr().expect("addr").port()
        );
        let got = Arc::new(Mutex::new(Vec::new()));
        let plan = Arc::new(Mutex::new(plan.iter().copied().collect::<VecDeque<_>>()));
        let (seen, todo) = (got.clone(), plan.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let (seen, todo) = (seen.clone(), todo.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                        let (seen, todo) = (seen.clone(), todo.clone());
                        async move {
                            let signature = req
                                .headers()
                                .get("finance-signature")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_string();
                            let body = req
                                .into_body()
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let body = String::from_utf8_lossy(&body).to_string();
                            let json = serde_json::from_str(&body).unwrap_or_default();
                            seen.lock().expect("lock").push(Received {
                                signature,
                                body,
                                json,
                            });
                            let answer = todo
                                .lock()
                                .expect("lock")
                                .pop_front()
                                .unwrap_or(Answer::Status(200));
                            let status = match answer {
                                Answer::Status(s) => s,
                                Answer::Hang => {
                                    tokio::time::sleep(Duration::from_secs(60)).await;
                                    200
                                }
                            };
                            let mut res = Response::new(Full::new(Bytes::from_static(b"ok")));
                            *res.status_mut() =
                                hyper::StatusCode::from_u16(status).expect("status");
                            Ok::<_, Infallible>(res)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tcp), service)
                        .await;
                });
            }
        });
        Receiver { url, got, task }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// Waits (at most `secs` seconds) until `n` requests came; all that came.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        for _ in 0..secs * 10 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let got = self.received();
        assert!(
            got.len() >= n,
            "{} of {n} requests came in {secs} s: {got:?}",
            got.len()
        );
        got
    }
}

/// Checks `Finance-Signature` as the README tells receivers to: HMAC-SHA256 keyed with the
/// secret's UTF-8 bytes over `<t>.<body>`, in hex.
pub fn verifies(secret: &str, header: &str, body: &str) -> bool {
    use hmac::{Hmac, Mac};
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = Some(x),
            Some(("v1", x)) => v1 = Some(x),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    hex::decode(v1).is_ok_and(|sig| mac.verify_slice(&sig).is_ok())
}
