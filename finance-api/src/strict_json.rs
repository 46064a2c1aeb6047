//! JSON read strictly: a key given twice in one object is refused (serde_json keeps the
//! last one silently, so `{"amount":"1.00",…,"amount":"-7.00"}` would record -7.00).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a body is not a JSON document this server reads.
#[derive(Debug)]
pub enum StrictError {
    /// Not JSON at all (or something after the document).
    Syntax(serde_json::Error),
    /// A key appears twice in one object: its path (`amount`, `when.account`).
    Duplicate(String),
}

/// `body` as one JSON value, every object's keys distinct.
pub fn parse(body: &[u8]) -> Result<Value, StrictError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = Seed {
        duplicate: &duplicate,
        path: String::new(),
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match (value, duplicate.into_inner()) {
        (_, Some(path)) => Err(StrictError::Duplicate(path)),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(StrictError::Syntax(e)),
    }
}

/// Reads one value at `path`, noting the first duplicate key it meets.
struct Seed<'a> {
    duplicate: &'a RefCell<Option<String>>,
    path: String,
}

impl Seed<'_> {
    fn at(&self, step: &str) -> Self {
        Seed {
            duplicate: self.duplicate,
            path: if self.path.is_empty() {
                step.to_string()
            } else {
                format!("{}.{step}", self.path)
            },
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.at(&items.len().to_string()))? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let inner = self.at(&key);
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(inner.path);
                return Err(de::Error::custom("a key appears twice"));
            }
            let value = map.next_value_seed(inner)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_twice_is_named() {
        let e = parse(br#"{"amount":"1.00","description":"x","amount":"-7.00"}"#);
        assert!(matches!(e, Err(StrictError::Duplicate(p)) if p == "amount"));
        let e = parse(br#"{"when":{"a":1,"a":2}}"#);
        assert!(matches!(e, Err(StrictError::Duplicate(p)) if p == "when.a"));
        let e = parse(br#"[{"x":1},{"y":1,"y":2}]"#);
        assert!(matches!(e, Err(StrictError::Duplicate(p)) if p == "1.y"));
    }

    #[test]
    fn documents_read_as_serde_json_reads_them() {
        let text = br#"{"a":[1,-2,3.5,true,null,"s\u00e9"],"b":{"c":{}},"d":18446744073709551615}"#;
        let strict = parse(text).expect("valid");
        let loose: Value = serde_json::from_slice(text).expect("valid");
        assert_eq!(strict, loose);
        assert!(matches!(parse(b"{\"a\":1} x"), Err(StrictError::Syntax(_))));
        assert!(matches!(parse(b"{\"a\":"), Err(StrictError::Syntax(_))));
        // The same key in two objects is not a duplicate.
        assert!(parse(br#"{"a":{"k":1},"b":{"k":2}}"#).is_ok());
    }
}
