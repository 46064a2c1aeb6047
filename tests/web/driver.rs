//! A WebDriver client for the browser tests: the dozen W3C WebDriver calls they use, over
//! the tests' own HTTP client, against Debian's chromedriver driving Debian's chromium.
//!
//! Written here rather than taken from fantoccini or thirtyfour: both bring a TLS stack
//! of their own (native-tls by default, OpenSSL here) for a protocol spoken on loopback.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process on a free port.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
    profiles: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    /// Starts chromedriver; `None` (the caller says the tests were skipped) when Debian's
    /// chromium and chromium-driver are not installed.
    pub async fn start() -> Option<Driver> {
        if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
            return None;
        }
        let port = crate::server::free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
            profiles: tempfile::tempdir().expect("temp dir"),
        };
        for _ in 0..100 {
            if let Ok(res) = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
                && let Ok(v) = res.json::<Value>().await
                && v["value"]["ready"] == true
            {
                return Some(driver);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not become ready");
    }

    /// A new headless browser window `width` pixels wide, with a profile of its own.
    pub async fn browser(&self, width: u32, height: u32) -> Browser {
        let profile = self.profiles.path().join(uuid::Uuid::new_v4().to_string());
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            // The machine's network is closed: background connections would only fail.
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let res: Value = self
            .http
            .post(format!("{}/session", self.base))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session answer");
        let id = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {res}"))
            .to_string();
        let browser = Browser {
            url: format!("{}/session/{id}", self.base),
            http: self.http.clone(),
        };
        browser.resize(width, height).await;
        browser
    }
}

/// One browser session.
pub struct Browser {
    url: String,
    http: reqwest::Client,
}

impl Browser {
    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res: Value = req
            .send()
            .await
            .expect("webdriver call")
            .json()
            .await
            .expect("webdriver answer");
        match res["value"]["error"].as_str() {
            Some(error) => Err(format!(
                "webdriver {path}: {error}: {}",
                res["value"]["message"]
            )),
            None => Ok(res["value"].clone()),
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Clicks the submit button `css` and waits until the browser shows the page the form
    /// led to (a click returns before the navigation it starts is over).
    pub async fn submit(&self, css: &str) {
        self.execute("document.documentElement.dataset.left = 'yes';", json!([]))
            .await;
        self.click(css).await;
        let arrived = "return document.readyState === 'complete' \
                       && document.documentElement.dataset.left !== 'yes';";
        for _ in 0..200 {
            let script = json!({ "script": arrived, "args": [] });
            if let Ok(Value::Bool(true)) = self
                .try_call(reqwest::Method::POST, "/execute/sync", Some(script))
                .await
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the form of {css} led nowhere: {}",
            self.current_url().await
        );
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.post(
            "/window/rect",
            json!({"width": width, "height": height, "x": 0, "y": 0}),
        )
        .await;
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        self.get("/url")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn title(&self) -> String {
        self.get("/title")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn source(&self) -> String {
        self.get("/source")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Every element matching `css`, as WebDriver references.
    pub async fn all(&self, css: &str) -> Vec<String> {
        self.post("/elements", json!({"using": "css selector", "value": css}))
            .await
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|e| e[ELEMENT].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The one element matching `css`, waiting up to 5 s for it.
    pub async fn find(&self, css: &str) -> String {
        for _ in 0..50 {
            if let Some(e) = self.all(css).await.into_iter().next() {
                return e;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "no element {css} on {}:\n{}",
            self.current_url().await,
            self.text("body").await
        );
    }

    pub async fn count(&self, css: &str) -> usize {
        self.all(css).await.len()
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        match self.all(css).await.into_iter().next() {
            Some(e) => self
                .get(&format!("/element/{e}/text"))
                .await
                .as_str()
                .unwrap_or_default()
                .to_string(),
            None => String::new(),
        }
    }

    /// The texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.all(css).await {
            out.push(
                self.get(&format!("/element/{e}/text"))
                    .await
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        out
    }

    /// Clears the input `css` and types `text` into it, as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.post(&format!("/element/{e}/clear"), json!({})).await;
        self.post(&format!("/element/{e}/value"), json!({ "text": text }))
            .await;
    }

    /// Sets a date input's value (typing into one depends on the browser's locale).
    pub async fn set_date(&self, css: &str, iso: &str) {
        let e = self.find(css).await;
        self.execute(
            "arguments[0].value = arguments[1];",
            json!([{ELEMENT: e}, iso]),
        )
        .await;
    }

    /// Picks the `<option>` of the select `css` whose value is `value`.
    pub async fn select(&self, css: &str, value: &str) {
        let option = self.find(&format!("{css} option[value=\"{value}\"]")).await;
        self.post(&format!("/element/{option}/click"), json!({}))
            .await;
    }

    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.post(&format!("/element/{e}/click"), json!({})).await;
    }

    /// Chooses `file` in the file input `css`.
    pub async fn choose_file(&self, css: &str, file: &Path) {
        let e = self.find(css).await;
        self.post(
            &format!("/element/{e}/value"),
            json!({ "text": file.display().to_string() }),
        )
        .await;
    }

    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
    }

    /// The browser's cookies, with their flags.
    pub async fn cookies(&self) -> Vec<Value> {
        self.get("/cookie")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The messages the page's console got (CSP violations among them).
    pub async fn console(&self) -> Vec<String> {
        let res: Value = self
            .http
            .post(format!("{}/se/log", self.url))
            .json(&json!({"type": "browser"}))
            .send()
            .await
            .expect("log call")
            .json()
            .await
            .expect("log answer");
        res["value"]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e["message"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A PNG of the page as it is drawn now, written to `path`.
    pub async fn screenshot(&self, path: &PathBuf) {
        use base64::Engine;
        let png = self.get("/screenshot").await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .expect("a PNG in base64");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("screenshot folder");
        std::fs::write(path, bytes).expect("screenshot written");
    }

    /// Waits until `check` holds of the page's text (htmx swaps after the click returns).
    pub async fn wait_for_text(&self, css: &str, wanted: &str) {
        for _ in 0..50 {
            if self.text(css).await.contains(wanted) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed {wanted:?}: {}", self.text(css).await);
    }

    pub async fn close(self) {
        let _ = self.http.delete(&self.url).send().await;
    }
}
