//! A route's method and path are read from its handler's `#[utoipa::path]`: written once,
//! beside the handler, and the same in the document and on the wire.

use std::str::FromStr;

use utoipa::openapi::HttpMethod;
use warp::filters::BoxedFilter;
use warp::{Filter, Rejection};

/// The path's parameters, read in order from the segments `{…}` matched.
pub(crate) trait Params: Sized + Send + 'static {
    fn read(segments: &[&str]) -> Option<Self>;
}

impl Params for () {
    fn read(segments: &[&str]) -> Option<Self> {
        segments.is_empty().then_some(())
    }
}

impl<A: FromStr + Send + 'static> Params for (A,) {
    fn read(segments: &[&str]) -> Option<Self> {
        match segments {
            [a] => Some((a.parse().ok()?,)),
            _ => None,
        }
    }
}

impl<A: FromStr + Send + 'static, B: FromStr + Send + 'static> Params for (A, B) {
    fn read(segments: &[&str]) -> Option<Self> {
        match segments {
            [a, b] => Some((a.parse().ok()?, b.parse().ok()?)),
            _ => None,
        }
    }
}

impl<A, B, C> Params for (A, B, C)
where
    A: FromStr + Send + 'static,
    B: FromStr + Send + 'static,
    C: FromStr + Send + 'static,
{
    fn read(segments: &[&str]) -> Option<Self> {
        match segments {
            [a, b, c] => Some((a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)),
            _ => None,
        }
    }
}

/// The parameter segments of `path` if it is an instance of `template` (`{name}` matches
/// one non-empty segment; one trailing slash is allowed, as warp's paths allow it).
pub(super) fn captures<'a>(template: &str, path: &'a str) -> Option<Vec<&'a str>> {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let mut parts = template.split('/');
    let mut segments = path.split('/');
    let mut found = Vec::new();
    loop {
        match (parts.next(), segments.next()) {
            (None, None) => return Some(found),
            (Some(p), Some(s)) if p.starts_with('{') && !s.is_empty() => found.push(s),
            (Some(p), Some(s)) if p == s => {}
            _ => return None,
        }
    }
}

fn method(m: &HttpMethod) -> BoxedFilter<()> {
    match m {
        HttpMethod::Get => warp::get().boxed(),
        HttpMethod::Post => warp::post().boxed(),
        HttpMethod::Put => warp::put().boxed(),
        HttpMethod::Patch => warp::patch().boxed(),
        HttpMethod::Delete => warp::delete().boxed(),
        HttpMethod::Head => warp::head().boxed(),
        HttpMethod::Options => warp::options().boxed(),
        HttpMethod::Trace => warp::any()
            .and_then(|| async { Err(warp::reject::not_found()) })
            .untuple_one()
            .boxed(),
    }
}

/// Matches the path of operation `P`, then its method (a known path with another method is
/// 405, as warp answers it), and extracts the path's parameters as `T`; a parameter that
/// does not parse (an id that is not a UUID) names nothing: 404.
fn matched<P: utoipa::Path, T: Params>() -> BoxedFilter<(T,)> {
    let template: &'static str = Box::leak(P::path().into_boxed_str());
    let methods = P::methods();
    let method = methods.first().map_or_else(
        || {
            warp::any()
                .and_then(|| async { Err::<(), Rejection>(warp::reject::not_found()) })
                .untuple_one()
                .boxed()
        },
        method,
    );
    warp::path::full()
        .and_then(move |full: warp::path::FullPath| async move {
            captures(template, full.as_str())
                .and_then(|found| T::read(&found))
                .ok_or_else(warp::reject::not_found)
        })
        .and(method)
        .boxed()
}

/// Operation `P`, whose path has no parameters.
pub(crate) fn endpoint<P: utoipa::Path>() -> BoxedFilter<()> {
    matched::<P, ()>().untuple_one().boxed()
}

/// Operation `P`, whose path has one parameter.
pub(crate) fn endpoint1<P, A>() -> BoxedFilter<(A,)>
where
    P: utoipa::Path,
    A: FromStr + Send + 'static,
{
    matched::<P, (A,)>().untuple_one().boxed()
}

/// Operation `P`, whose path has two parameters.
pub(crate) fn endpoint2<P, A, B>() -> BoxedFilter<(A, B)>
where
    P: utoipa::Path,
    A: FromStr + Send + 'static,
    B: FromStr + Send + 'static,
{
    matched::<P, (A, B)>().untuple_one().boxed()
}

/// Operation `P`, whose path has three parameters.
pub(crate) fn endpoint3<P, A, B, C>() -> BoxedFilter<(A, B, C)>
where
    P: utoipa::Path,
    A: FromStr + Send + 'static,
    B: FromStr + Send + 'static,
    C: FromStr + Send + 'static,
{
    matched::<P, (A, B, C)>().untuple_one().boxed()
}

#[cfg(test)]
mod tests {
    use super::captures;

    #[test]
    fn templates_capture_their_parameters_in_order() {
        let t = "/v1/accounts/{id}/movements/{mid}";
        assert_eq!(
            captures(t, "/v1/accounts/a/movements/b"),
            Some(vec!["a", "b"])
        );
        assert_eq!(
            captures(t, "/v1/accounts/a/movements/b/"),
            Some(vec!["a", "b"])
        );
        assert_eq!(captures(t, "/v1/accounts//movements/b"), None);
        assert_eq!(captures(t, "/v1/accounts/a/movements"), None);
        assert_eq!(captures("/v1/me", "/v1/me"), Some(vec![]));
        assert_eq!(captures("/v1/me", "/v1/me/x"), None);
    }
}
