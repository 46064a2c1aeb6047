//! Hostile connections and bodies: slow clients, the cap, schedules booked in batches.

use super::*;

/// Reads until the server closes the connection (or `limit` passes): true if it did.
pub(super) async fn closed_by_server(conn: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, conn.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

pub(super) async fn healthy(s: &Server) {
    let res = s.http.get(s.url("/healthz")).send().await.expect("healthz");
    assert_eq!(res.status(), StatusCode::OK);
}

/// Slow and silent connections are closed within their timeouts while other clients
/// are served; a request in flight is not cut, however slowly its body comes.
pub(super) async fn slow_and_silent_connections_are_closed(s: Server) {
    let addr = ("127.0.0.1", s.port);
    // Connected, never a byte.
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    // Headers a byte at a time, never finished.
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    let trickle = tokio::spawn(async move {
        let head = b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: ";
        let mut sent = 0;
        for b in head.iter().chain(std::iter::repeat(&b'a')).take(200) {
            if slow.write_all(&[*b]).await.is_err() {
                return (sent, true);
            }
            sent += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        (
            sent,
            closed_by_server(&mut slow, Duration::from_millis(1)).await,
        )
    });
    // One request answered, then the connection kept open and idle.
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.expect("answer");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    // A request whose body takes longer than the idle timeout to arrive is answered.
    let (token, _) = s.sign_in(&email()).await;
    let mut patient = TcpStream::connect(addr).await.expect("connect");
    let body = br#"{"name":"Slow","currency":"EUR"}"#;
    let head = format!(
        "POST /v1/accounts HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    patient.write_all(head.as_bytes()).await.expect("head");
    let served = async {
        for _ in 0..8 {
            healthy(&s).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    };
    let slow_body = async {
        for chunk in body.chunks(8) {
            patient
                .write_all(chunk)
                .await
                .expect("a slow body is taken");
            tokio::time::sleep(Duration::from_millis(900)).await;
        }
        let n = patient.read(&mut buf).await.expect("answer");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let ((), answer) = tokio::join!(served, slow_body);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    assert!(
        closed_by_server(&mut silent, Duration::from_secs(10)).await,
        "silent"
    );
    assert!(
        closed_by_server(&mut idle, Duration::from_secs(10)).await,
        "idle"
    );
    let (sent, closed) = trickle.await.expect("trickle");
    assert!(
        closed && sent < 200,
        "slow headers: {sent} bytes sent, closed {closed}"
    );
    healthy(&s).await;
    let metrics = s.metrics().await;
    assert!(
        metrics.contains("finance_connections_closed_total{reason=\"idle\"}")
            && metrics
                .contains("finance_connections_closed_total{reason=\"headers not sent in time\"}"),
        "{metrics}"
    );
}

/// Past the cap, a new connection waits until one closes, then is served.
pub(super) async fn connections_past_the_cap_wait_for_a_free_one(s: Server) {
    let addr = ("127.0.0.1", s.port);
    let first = TcpStream::connect(addr).await.expect("connect");
    let second = TcpStream::connect(addr).await.expect("connect");
    let mut third = TcpStream::connect(addr)
        .await
        .expect("the kernel queues it");
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 1024];
    let early = tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf)).await;
    assert!(early.is_err(), "answered past the cap: {early:?}");
    drop(first);
    let n = tokio::time::timeout(Duration::from_secs(10), third.read(&mut buf))
        .await
        .expect("served once a connection closed")
        .expect("read");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    drop(second);
}
