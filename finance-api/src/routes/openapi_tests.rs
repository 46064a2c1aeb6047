//! The document's own consistency: its links and references lead somewhere.

use std::collections::HashMap;

use serde_json::Value;

use super::{LINKS, document};

/// Every `$ref` names a schema the document holds: a type described through another
/// (a problem, a movement) must bring the schemas that one refers to.
#[test]
fn every_reference_resolves() {
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc: Value = serde_json::from_str(document()).expect("the document is JSON");
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 50, "the document refers to its schemas");
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is not a schema reference"));
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} names no schema"
        );
    }
    for name in [
        "Movement",
        "Schedule",
        "Problem",
        "TokenResponse",
        "FieldError",
    ] {
        assert!(doc["components"]["schemas"].get(name).is_some(), "{name}");
    }
    let movement = &doc["components"]["schemas"]["Movement"];
    assert!(
        movement["required"]
            .as_array()
            .expect("required")
            .iter()
            .any(|f| f == "currency"),
        "a movement names its currency"
    );
}

/// Each link starts at a documented answer and names an operation and parameters that
/// exist, so a client following it cannot be sent nowhere.
#[test]
fn every_link_names_an_operation_and_its_parameters() {
    let doc: Value = serde_json::from_str(document()).expect("the document is JSON");
    let mut operations: HashMap<&str, &Value> = HashMap::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("a path item").values() {
            if let Some(id) = op["operationId"].as_str() {
                operations.insert(id, op);
            }
        }
    }
    for (from, status, targets) in LINKS {
        let links = &operations[from]["responses"][status]["links"];
        for (to, parameters) in *targets {
            let target = operations.get(to).unwrap_or_else(|| panic!("{to} exists"));
            let names: Vec<&str> = target["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str())
                .collect();
            for (name, _) in *parameters {
                assert!(names.contains(name), "{to} takes {name}");
            }
            assert_eq!(
                links[to]["operationId"], *to,
                "{from} {status} links to {to}"
            );
        }
    }
}
