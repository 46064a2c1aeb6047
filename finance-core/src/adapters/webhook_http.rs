//! Webhook calls over HTTP/1.1: the host is resolved here and every address checked
//! before connecting to it, so a name that resolves to a private address (now, or only at
//! delivery time) is never called; one request per connection, no redirect followed, the
//! whole exchange bounded by the timeout.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::domain::{WebhookUrl, is_public};
use crate::ports::{SendError, WebhookSender};

/// Sends webhook deliveries; refuses private addresses unless `allow_private`.
pub struct HttpSender {
    allow_private: bool,
    tls: tokio_rustls::TlsConnector,
}

impl HttpSender {
    pub fn new(allow_private: bool) -> Self {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(roots).with_no_client_auth())
            // ring supports the default versions; without them no https call is made.
            .unwrap_or_else(|_| {
                rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_protocol_versions(&[&rustls::version::TLS13])
                .map(|b| {
                    b.with_root_certificates(rustls::RootCertStore::empty())
                        .with_no_client_auth()
                })
                .unwrap_or_else(|_| unreachable!("ring supports TLS 1.3"))
            });
        Self {
            allow_private,
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
        }
    }

    /// The addresses to call for `url`, each allowed.
    async fn addresses(&self, url: &WebhookUrl) -> Result<Vec<SocketAddr>, SendError> {
        let addrs: Vec<SocketAddr> = match url.host().parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, url.port())],
            // Bounded: a resolver that does not answer must not hold a request up.
            Err(_) => tokio::time::timeout(Duration::from_secs(5), resolve(url.host(), url.port()))
                .await
                .map_err(|_| SendError::Failed(format!("no address for {} in 5 s", url.host())))?
                .map_err(|e| SendError::Failed(format!("cannot resolve {}: {e}", url.host())))?,
        };
        if addrs.is_empty() {
            return Err(SendError::Failed(format!("{} has no address", url.host())));
        }
        if !self.allow_private
            && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip()))
        {
            return Err(SendError::Refused(format!(
                "{} is a loopback, private, link-local or multicast address \
                 (FINANCE_WEBHOOK_ALLOW_PRIVATE=true allows it)",
                bad.ip()
            )));
        }
        Ok(addrs)
    }

    async fn exchange(
        &self,
        url: &WebhookUrl,
        body: String,
        signature: String,
    ) -> Result<u16, SendError> {
        let failed =
            |what: &str, e: &dyn std::fmt::Display| SendError::Failed(format!("{what}: {e}"));
        let addrs = self.addresses(url).await?;
        let tcp = TcpStream::connect(&addrs[..])
            .await
            .map_err(|e| failed("cannot connect", &e))?;
        let _ = tcp.set_nodelay(true);
        let request = Request::post(url.target())
            .header(hyper::header::HOST, url.authority())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::USER_AGENT, "finance-webhooks/1")
            .header("Finance-Signature", signature)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| failed("bad request", &e))?;
        if url.https() {
            let name = rustls::pki_types::ServerName::try_from(url.host().to_string())
                .map_err(|e| failed("bad host name", &e))?;
            let tls = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|e| failed("TLS", &e))?;
            send(TokioIo::new(tls), request).await
        } else {
            send(TokioIo::new(tcp), request).await
        }
    }
}

/// Lookups at once: each holds one of the runtime's few blocking threads for as long as
/// the system's resolver takes (a lookup given up on still runs to its end), so a burst of
/// names that never resolve must not take them all from the server's other work.
static LOOKUPS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The addresses of `host`, through the system's resolver, two lookups at a time.
async fn resolve(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    let permit = LOOKUPS
        .acquire()
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let host = host.to_string();
    tokio::task::spawn_blocking(move || {
        // Held until the system's lookup returns, even when its asker gave up.
        let _permit = permit;
        std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port)).map(Iterator::collect)
    })
    .await
    .map_err(|e| std::io::Error::other(e.to_string()))?
}

async fn send<T>(io: TokioIo<T>, request: Request<Full<Bytes>>) -> Result<u16, SendError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let failed = |what: &str, e: &dyn std::fmt::Display| SendError::Failed(format!("{what}: {e}"));
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| failed("HTTP", &e))?;
    let driver = tokio::spawn(connection);
    let answer = sender
        .send_request(request)
        .await
        .map_err(|e| failed("no answer", &e));
    let status = match answer {
        Ok(response) => {
            let status = response.status().as_u16();
            // Read (and drop) the body, so the receiver is not cut off mid-answer.
            let _ = response.into_body().collect().await;
            Ok(status)
        }
        Err(e) => Err(e),
    };
    driver.abort();
    status
}

#[async_trait]
impl WebhookSender for HttpSender {
    async fn check(&self, url: &WebhookUrl) -> Result<(), SendError> {
        match self.addresses(url).await {
            // A name that does not resolve now may later; only a refused address is final.
            Err(SendError::Refused(why)) => Err(SendError::Refused(why)),
            _ => Ok(()),
        }
    }

    async fn send(
        &self,
        url: &WebhookUrl,
        body: String,
        signature: String,
        timeout: Duration,
    ) -> Result<u16, SendError> {
        match tokio::time::timeout(timeout, self.exchange(url, body, signature)).await {
            Ok(answer) => answer,
            Err(_) => Err(SendError::Failed(format!(
                "no answer within {} s",
                timeout.as_secs()
            ))),
        }
    }
}
