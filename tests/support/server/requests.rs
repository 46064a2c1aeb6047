//! The requests a test sends: raw ones, signing in, and the few steps most tests take.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use super::{Server, read, str};

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value, HeaderMap) {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        read(req.send().await.expect("request")).await
    }

    /// Any method, with a JSON body when given.
    #[allow(dead_code)]
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value, HeaderMap) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        read(req.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value, HeaderMap) {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        read(req.send().await.expect("request")).await
    }

    /// Uploads a CSV body just past 10 MiB to `path` and reads the answer while still
    /// sending: a server (or the balancer in front of it) may answer 413 before reading it
    /// all and then close the connection, which a client library reports as a failed send
    /// rather than the answer.
    pub async fn oversized(&self, path: &str, token: &str) -> StatusCode {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let len = 10 * 1024 * 1024 + 1;
        let conn = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("connect");
        let (mut read_half, mut write_half) = conn.into_split();
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
             content-type: text/csv\r\ncontent-length: {len}\r\n\r\n"
        );
        let sending = tokio::spawn(async move {
            let chunk = vec![b'x'; 64 * 1024];
            write_half.write_all(head.as_bytes()).await?;
            let mut left = len;
            while left > 0 {
                let n = left.min(chunk.len());
                write_half.write_all(&chunk[..n]).await?;
                left -= n;
            }
            Ok::<_, std::io::Error>(write_half)
        });
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.windows(2).any(|w| w == b"\r\n") {
            let n = read_half.read(&mut buf).await.expect("an answer");
            assert!(n > 0, "closed without an answer");
            got.extend_from_slice(&buf[..n]);
        }
        sending.abort();
        let line = String::from_utf8_lossy(&got).to_string();
        let code: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP answer: {line}"));
        StatusCode::from_u16(code).expect("status")
    }

    /// The text of `/metrics`. Each server counts what it served, so behind the balancer
    /// the texts of all its servers (told apart by HAProxy's X-Served-By) are read and
    /// joined: what the fleet counted.
    pub async fn metrics(&self) -> String {
        let mut seen = std::collections::HashSet::new();
        let mut text = String::new();
        for _ in 0..100 {
            let res = self
                .http
                .get(self.url("/metrics"))
                .send()
                .await
                .expect("metrics");
            assert_eq!(res.status(), StatusCode::OK);
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .expect("ascii")
                    .starts_with("text/plain")
            );
            let server = res
                .headers()
                .get("x-served-by")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let body = res.text().await.expect("text");
            if seen.insert(server) {
                text.push_str(&body);
            }
            if seen.len() >= self.servers {
                return text;
            }
        }
        panic!(
            "/metrics answered by {seen:?}, not by {} servers",
            self.servers
        );
    }

    /// Signs up or in through the mailed code; returns the token and the user id.
    pub async fn sign_in(&self, email: &str) -> (String, String) {
        let (code, _) = self.ask_code(email).await;
        let (session, _) = self.redeem(email, &code).await;
        (str(&session["token"]), str(&session["user"]["id"]))
    }

    /// Asks a code for `email` and reads it from the mail; with the answer's headers (which
    /// server of several answered).
    pub async fn ask_code(&self, email: &str) -> (String, HeaderMap) {
        let (status, body, headers) = self
            .post("/v1/auth/otp", None, json!({"email": email}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        (self.inbox.code_for(&email.trim().to_lowercase()), headers)
    }

    /// Redeems a code: the session (token and user), with the answer's headers.
    pub async fn redeem(&self, email: &str, code: &str) -> (Value, HeaderMap) {
        let (status, body, headers) = self
            .post(
                "/v1/auth/token",
                None,
                json!({"email": email, "code": code}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["token_type"], "Bearer");
        (body, headers)
    }

    pub async fn create_account(&self, token: &str, name: &str, currency: &str) -> String {
        let (status, body, headers) = self
            .post(
                "/v1/accounts",
                Some(token),
                json!({"name": name, "currency": currency}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = str(&body["id"]);
        assert_eq!(headers["location"], format!("/v1/accounts/{id}").as_str());
        id
    }

    /// Invites `email` to `account` as `role` (the owner's `token`); the invitation's id, as
    /// the invitee (`invitee_token`) lists it.
    pub async fn invite(
        &self,
        token: &str,
        account: &str,
        email: &str,
        role: &str,
        invitee_token: &str,
    ) -> String {
        let (status, body, _) = self
            .post(
                &format!("/v1/accounts/{account}/members"),
                Some(token),
                json!({"email": email, "role": role}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, list, _) = self.get("/v1/invitations", Some(invitee_token)).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let found = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["account"]["id"] == account)
            .unwrap_or_else(|| panic!("no invitation to {account} in {list}"));
        str(&found["id"])
    }

    /// A new user who joins `account` as `role`: their token and user id.
    pub async fn new_member(&self, token: &str, account: &str, role: &str) -> (String, String) {
        let address = super::email();
        let (member, id) = self.sign_in(&address).await;
        let invitation = self.invite(token, account, &address, role, &member).await;
        let (status, body, _) = self
            .post(
                &format!("/v1/invitations/{invitation}/accept"),
                Some(&member),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["role"], role, "{body}");
        (member, id)
    }

    pub async fn balance(&self, token: &str, account: &str) -> String {
        let (status, body, _) = self
            .get(&format!("/v1/accounts/{account}"), Some(token))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        str(&body["balance"])
    }

    /// Every movement of an account, following the cursors.
    pub async fn all_movements(&self, token: &str, account: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut next = format!("/v1/accounts/{account}/movements?limit=200");
        loop {
            let (status, page, _) = self.get(&next, Some(token)).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => next = format!("/v1/accounts/{account}/movements?limit=200&cursor={c}"),
                None => return items,
            }
        }
    }
}
