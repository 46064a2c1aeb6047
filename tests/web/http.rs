//! The web app over plain HTTP, as a hostile page or a careless proxy would meet it:
//! forms without their CSRF token write nothing (403), cookies carry their flags, and every
//! page has its headers, no inline script or style, and weighs under 100 KB.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, SET_COOKIE};

use crate::server::{Server, email};

/// A client that does not follow redirects, so a 303 is seen as one.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The value of the cookie `name` set by `headers`, with its attributes.
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn value_of(cookie: &str) -> String {
    cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// The CSRF token in a page's forms.
fn csrf_in(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[at..at + 32].to_string()
}

/// Signs in through the forms; the session cookie's `Set-Cookie` line.
async fn signed_in(s: &Server, who: &str) -> String {
    let http = client();
    let res = http.get(s.url("/signin")).send().await.unwrap();
    let anon = value_of(&set_cookie(res.headers(), "finance_csrf").expect("a sign-in cookie"));
    let cookie = format!("finance_csrf={anon}");
    let res = http
        .post(s.url("/signin"))
        .header("cookie", &cookie)
        .form(&[("csrf", anon.as_str()), ("email", who)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let code = s.inbox.code_for(who);
    let res = http
        .post(s.url("/signin/code"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", anon.as_str()),
            ("email", who),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    set_cookie(res.headers(), "finance_session").expect("a session cookie")
}

pub async fn forms_need_their_token(s: &Server) {
    let http = client();
    // Before signing in: the sign-in form needs the cookie it came with.
    for cookie in ["", "finance_csrf=00000000000000000000000000000000"] {
        let res = http
            .post(s.url("/signin"))
            .header("cookie", cookie)
            .form(&[
                ("csrf", "11111111111111111111111111111111"),
                ("email", "x@example.com"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }

    let line = signed_in(s, &email()).await;
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Strict"),
        "{line}"
    );
    assert!(!line.contains("Secure"), "plain HTTP on loopback: {line}");
    let token = value_of(&line);
    let cookie = format!("finance_session={token}");
    let page = http
        .get(s.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let csrf = csrf_in(&page.text().await.unwrap());

    for sent in [None, Some("0".repeat(32)), Some(csrf.to_uppercase())] {
        let mut form = vec![
            ("name", "Stolen".to_string()),
            ("currency", "EUR".to_string()),
        ];
        if let Some(t) = sent {
            form.push(("csrf", t));
        }
        let res = http
            .post(s.url("/accounts"))
            .header("cookie", &cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let (_, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(
        me["accounts"].as_array().unwrap().len(),
        0,
        "nothing was written"
    );

    let res = http
        .post(s.url("/accounts"))
        .header("cookie", &cookie)
        .form(&[
            ("name", "Mine"),
            ("currency", "EUR"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(me["accounts"][0]["name"], "Mine");

    // Without a session a page sends the visitor to sign in, and a post writes nothing.
    let res = http
        .post(s.url("/accounts"))
        .form(&[
            ("name", "Anon"),
            ("currency", "EUR"),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/signin");
}

pub async fn pages_keep_their_policy(s: &Server) {
    let http = client();
    let token = value_of(&signed_in(s, &email()).await);
    let account = s.create_account(&token, "Checking", "EUR").await;
    for i in 0..120 {
        let body = serde_json::json!({"amount": "-1.25", "description": format!("Lunch {i}"), "category": "food"});
        s.post(
            &format!("/v1/accounts/{account}/movements"),
            Some(&token),
            body,
        )
        .await;
    }
    let cookie = format!("finance_session={token}");
    let pages = [
        "/signin".to_string(),
        "/".into(),
        format!("/accounts/{account}"),
        "/reports".into(),
        "/budgets".into(),
        "/rules".into(),
        "/sharing".into(),
        "/settings".into(),
    ];
    for page in &pages {
        let res = http
            .get(s.url(page))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        let headers = res.headers().clone();
        let status = res.status();
        let body = res.text().await.unwrap();
        let expect_status = if page == "/signin" {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expect_status, "{page}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        for part in [
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(part), "{page}: {policy}");
        }
        assert!(!policy.contains("unsafe"), "{page}: {policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
        assert!(
            body.len() < 100 * 1024,
            "{page} weighs {} bytes",
            body.len()
        );
        for inline in [
            " style=",
            "<style",
            "<script>",
            " onclick=",
            " onload=",
            "javascript:",
        ] {
            assert!(!body.contains(inline), "{page} has {inline}");
        }
    }
    // Cookies are Secure unless the browser talks to a loopback address.
    let res = http
        .get(s.url("/signin"))
        .header("host", "finance.example.com")
        .send()
        .await
        .unwrap();
    let line = set_cookie(res.headers(), "finance_csrf").expect("a sign-in cookie");
    assert!(line.contains("; Secure"), "{line}");
    // The vendored script is served, and cached for good under its versioned name.
    let res = http
        .get(s.url("/static/htmx-4.0.1.min.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(res.text().await.unwrap().contains("htmx"));
}
