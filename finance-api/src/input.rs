//! Reading request bodies and query strings into typed inputs, with the field of every
//! error known from serde's own calls (`missing_field`, `unknown_field`, and the path
//! serde_path_to_error tracks), never read back out of an error message.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// Why a value did not fit its type, with the field named where serde named it.
#[derive(Debug)]
pub enum ShapeError {
    /// A required field is absent.
    Missing(&'static str),
    /// A field the type does not take.
    Unknown {
        field: String,
        expected: &'static [&'static str],
    },
    /// A wrong type or value, at the path the caller tracks.
    Other(String),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::Missing(field) => write!(f, "missing field `{field}`"),
            ShapeError::Unknown { field, expected } => {
                write!(f, "unknown field `{field}`")?;
                if expected.is_empty() {
                    return write!(f, ", there are no fields");
                }
                let list: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
                write!(f, ", expected one of {}", list.join(", "))
            }
            ShapeError::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ShapeError {}

impl de::Error for ShapeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ShapeError::Other(message.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        ShapeError::Missing(field)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ShapeError::Unknown {
            field: field.to_string(),
            expected,
        }
    }
}

/// A field error: which field (`body` for the whole document) and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Misfit {
    pub field: String,
    pub message: String,
}

/// Reads `value` (already valid JSON) as `T`.
pub fn from_json<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Misfit> {
    shaped(Json(value, PhantomData))
}

/// Reads query-string pairs as `T`, each value a string (or absent).
pub fn from_pairs<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Result<T, Misfit> {
    // A parameter given more than once (`tag=a&tag=b`) is one value with all of them, in
    // order: a list field takes them all, any other field refuses it.
    let mut grouped: Vec<(String, Vec<String>)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        match grouped.iter_mut().find(|(name, _)| *name == k) {
            Some((_, values)) => values.push(v),
            None => grouped.push((k, vec![v])),
        }
    }
    let map = MapDeserializer::new(grouped.into_iter().map(|(k, v)| (k, Text(v, PhantomData))));
    shaped(map)
}

fn shaped<'de, T, D>(de: D) -> Result<T, Misfit>
where
    T: DeserializeOwned,
    D: de::Deserializer<'de, Error = ShapeError>,
{
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let error = e.into_inner();
        let parent = match path.as_str() {
            "." | "" => None,
            p => Some(p.to_string()),
        };
        let field = match (&error, parent) {
            (ShapeError::Missing(name), Some(p)) => format!("{p}.{name}"),
            (ShapeError::Missing(name), None) => name.to_string(),
            // The path already ends at the unknown field itself.
            (ShapeError::Unknown { field, .. }, None) => field.clone(),
            (_, Some(p)) => p,
            (ShapeError::Other(_), None) => "body".to_string(),
        };
        Misfit {
            field,
            message: error.to_string(),
        }
    })
}

/// A JSON value read through serde with [`ShapeError`] as the error.
struct Json(serde_json::Value, PhantomData<ShapeError>);

impl<'de> IntoDeserializer<'de, ShapeError> for Json {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Json {
    type Error = ShapeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        use serde_json::Value;
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => Err(de::Error::custom("a number out of range")),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter().map(|v| Json(v, PhantomData)));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(fields) => {
                let mut map = MapDeserializer::new(
                    fields.into_iter().map(|(k, v)| (k, Json(v, PhantomData))),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        match self.0 {
            serde_json::Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Json(other, PhantomData)),
        }
    }

    /// A unit variant by its name (`"role": "editor"`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        match self.0 {
            serde_json::Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            other => Json(other, PhantomData).deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// One query-string parameter's values (one, or more when it is repeated): text, a list
/// wherever one is asked for, and `Some` wherever an option is.
struct Text(Vec<String>, PhantomData<ShapeError>);

impl Text {
    fn one(value: String) -> Self {
        Self(vec![value], PhantomData)
    }
}

impl<'de> IntoDeserializer<'de, ShapeError> for Text {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Text {
    type Error = ShapeError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, ShapeError> {
        match self.0.len() {
            1 => visitor.visit_string(self.0.remove(0)),
            _ => self.deserialize_seq(visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        visitor.visit_seq(de::value::SeqDeserializer::new(
            self.0.into_iter().map(Text::one),
        ))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        match self.0.len() {
            1 => visitor.visit_enum(self.0.remove(0).into_deserializer()),
            _ => self.deserialize_seq(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finance_core::domain::{MovementInput, MovementQueryInput};
    use serde_json::json;

    fn misfit<T: DeserializeOwned + fmt::Debug>(v: serde_json::Value) -> Misfit {
        from_json::<T>(v).expect_err("refused")
    }

    #[test]
    fn fields_come_from_serde_calls_not_messages() {
        let m = misfit::<MovementInput>(json!({"amount": 12.5, "description": "x"}));
        assert_eq!(m.field, "amount");
        assert!(m.message.contains("expected a string"), "{}", m.message);
        let m = misfit::<MovementInput>(json!({"amount": "1", "description": "x", "evil": 1}));
        assert_eq!(m.field, "evil");
        assert!(
            m.message.starts_with("unknown field `evil`"),
            "{}",
            m.message
        );
        let m = misfit::<MovementInput>(json!({"amount": "1"}));
        assert_eq!(m.field, "description");
        assert_eq!(m.message, "missing field `description`");
        let m = misfit::<MovementInput>(json!("just text"));
        assert_eq!(m.field, "body");
        // A field whose name looks like serde's own message text is still just a field.
        let m = misfit::<MovementInput>(
            json!({"amount": "1", "description": "x", "missing field `amount`": 1}),
        );
        assert_eq!(m.field, "missing field `amount`");
        let ok: MovementInput =
            from_json(json!({"amount": "1", "description": "x", "category": null})).expect("valid");
        assert_eq!(ok.category, None);
    }

    #[test]
    fn query_pairs_name_their_parameter() {
        let q: MovementQueryInput = from_pairs(vec![("limit".into(), "5".into())]).expect("valid");
        assert_eq!(q.limit.as_deref(), Some("5"));
        let m = from_pairs::<MovementQueryInput>(vec![("bogus".into(), "1".into())])
            .expect_err("unknown");
        assert_eq!(m.field, "bogus");
    }
}
