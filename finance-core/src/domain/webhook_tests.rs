//! URL parsing of webhooks.

use proptest::prelude::*;

use super::*;

#[test]
fn urls_are_read_as_a_client_would_send_them() {
    let u = WebhookUrl::parse(" HTTPS://Example.com:8443/hook?x=1#frag ").expect("url");
    assert_eq!((u.https(), u.host(), u.port()), (true, "example.com", 8443));
    assert_eq!(u.target(), "/hook?x=1");
    assert_eq!(u.authority(), "Example.com:8443");
    let u = WebhookUrl::parse("http://[::1]/").expect("url");
    assert_eq!((u.host(), u.port(), u.target()), ("::1", 80, "/"));
    assert_eq!(WebhookUrl::parse("http://h?q").expect("url").target(), "?q");
    for bad in [
        "ftp://example.com",
        "https://",
        "https://user:pw@example.com/",
        "https://example.com:0/",
        "https://example.com:99999/",
        "https://exa mple.com/",
        ":\u{9006f}\u{ee}\u{f6}",
        "httpsö://x",
        "ö",
    ] {
        assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
    }
}

proptest! {
    #[test]
    fn any_text_is_a_url_or_a_refusal_never_a_panic(raw in "\\PC{0,40}", tail in "\\PC{0,20}") {
        let _ = WebhookUrl::parse(&raw);
        if let Ok(u) = WebhookUrl::parse(&format!("https://{raw}/{tail}")) {
            let _ = (u.target(), u.authority(), u.host());
        }
    }
}
