//! Form bodies: `application/x-www-form-urlencoded` as the browser sends it, bounded like
//! every other body, and `multipart/form-data` for the bank-file upload.

use bytes::Buf;
use futures_util::TryStreamExt;
use warp::{Filter, Rejection};

use crate::filters::{BODY_LIMIT, IMPORT_LIMIT, bounded_body_of};

/// The fields of a posted form, in order (a name may repeat).
#[derive(Debug, Clone, Default)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, as sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, as sent, or empty.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// The first value of `name` when it is not blank: an empty input means "none".
    pub fn filled(&self, name: &str) -> Option<String> {
        self.get(name)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
    }

    /// `name` split at commas and spaces (a tags input), blanks dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// A url-encoded form of at most [`BODY_LIMIT`] bytes.
pub fn form() -> impl Filter<Extract = (Form,), Error = Rejection> + Clone {
    bounded_body_of(BODY_LIMIT).map(|body: bytes::Bytes| Form::parse(&body))
}

/// A multipart form's text fields and its one file (name and text), the file at most
/// [`IMPORT_LIMIT`] bytes.
pub struct Upload {
    pub fields: Form,
    pub file_name: String,
    pub file: Vec<u8>,
}

pub fn upload() -> impl Filter<Extract = (Upload,), Error = Rejection> + Clone {
    warp::multipart::form()
        .max_length(IMPORT_LIMIT as u64 + BODY_LIMIT as u64)
        .and_then(|data: warp::multipart::FormData| async move {
            let mut upload = Upload {
                fields: Form::default(),
                file_name: String::new(),
                file: Vec::new(),
            };
            let mut parts = Box::pin(data);
            while let Some(part) = parts.try_next().await.map_err(|_| bad_upload())? {
                let name = part.name().to_string();
                let file_name = part.filename().map(str::to_string);
                let mut bytes = Vec::new();
                let mut stream = Box::pin(part.stream());
                while let Some(chunk) = stream.try_next().await.map_err(|_| bad_upload())? {
                    bytes.extend_from_slice(chunk.chunk());
                }
                match file_name {
                    Some(f) => {
                        upload.file_name = f;
                        upload.file = bytes;
                    }
                    None => upload
                        .fields
                        .0
                        .push((name, String::from_utf8_lossy(&bytes).into_owned())),
                }
            }
            Ok::<_, Rejection>(upload)
        })
}

fn bad_upload() -> Rejection {
    warp::reject::custom(crate::problem::Problem::malformed(
        "The upload is not a well-formed multipart form.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded_and_blank_means_none() {
        let f = Form::parse(b"amount=-12.50&description=Caf%C3%A9+Flore&category=&tags=a,+b");
        assert_eq!(f.get("amount"), Some("-12.50"));
        assert_eq!(f.text("description"), "Café Flore");
        assert_eq!(f.filled("category"), None);
        assert_eq!(f.list("tags"), vec!["a", "b"]);
        assert_eq!(f.get("missing"), None);
    }
}
