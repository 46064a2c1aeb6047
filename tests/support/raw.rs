//! HTTP written by hand on a raw socket, for what a client library would hide: whether a
//! connection survives an answer.

/// Writes `request` on a fresh connection, then a /healthz on the same one; returns the
/// first answer's head and whether the connection was left usable.
pub async fn then_healthz(port: u16, request: &[u8]) -> (String, bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    conn.write_all(request).await.expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    // The whole first answer: its head, then the body its length declares.
    let (head, rest_len) = loop {
        let n = conn.read(&mut buf).await.expect("read");
        assert!(n > 0, "the connection closed before an answer");
        got.extend_from_slice(&buf[..n]);
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .expect("content-length");
            break (head, end + 4 + len);
        }
    };
    while got.len() < rest_len {
        let n = conn.read(&mut buf).await.expect("read body");
        assert!(n > 0, "the connection closed inside the answer");
        got.extend_from_slice(&buf[..n]);
    }
    let next = b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n";
    let usable = conn.write_all(next).await.is_ok()
        && matches!(conn.read(&mut buf).await, Ok(n) if n > 0 && buf.starts_with(b"HTTP/1.1 200"));
    (head, usable)
}
