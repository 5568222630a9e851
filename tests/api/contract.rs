//! The contract: committed, served byte for byte, complete in both directions, and every
//! operation documenting its security and errors.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::TestApp;

const CONTRACT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

fn committed() -> String {
    std::fs::read_to_string(CONTRACT).unwrap_or_default()
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                ops.push((method.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    ops
}

#[test]
fn the_committed_contract_is_up_to_date() {
    let generated = sammen_http::contract_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(CONTRACT, &generated).unwrap();
        return;
    }
    assert!(
        committed() == generated,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test --test api contract` and commit it"
    );
}

#[actix_web::test]
async fn the_served_contract_is_the_committed_one_byte_for_byte() {
    let app = TestApp::start().await;
    let res = app.get("/api/v1/openapi.json").send().await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert!(res.text() == sammen_http::contract_json(), "the served contract is the generated one");
    if std::env::var_os("UPDATE_OPENAPI").is_none() {
        assert!(res.text() == committed(), "the served contract is openapi/openapi.json byte for byte");
    }
}

#[test]
fn every_operation_documents_security_errors_and_a_summary() {
    let doc: Value = serde_json::from_str(&sammen_http::contract_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = &doc["components"]["securitySchemes"]["bearer_auth"];
    assert_eq!((schemes["type"].as_str(), schemes["scheme"].as_str()), (Some("http"), Some("bearer")));
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    for (method, path, op) in operations(&doc) {
        let name = format!("{} {path}", method.to_uppercase());
        assert!(path.starts_with("/api/v1/"), "{name}: under /api/v1");
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{name}: a summary");
        assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{name}: a tag");
        // Deny by default: every operation states its security, public ones as `[{}]`.
        let security = op["security"].as_array().unwrap_or_else(|| panic!("{name}: security is declared"));
        let secured = security.iter().any(|r| r.as_object().is_some_and(|o| o.contains_key("bearer_auth")));
        let responses = op["responses"].as_object().unwrap();
        assert!(responses.keys().any(|s| s.starts_with('2')), "{name}: a success response");
        assert!(responses.contains_key("400") && responses.contains_key("401"), "{name}: 400 and 401");
        if secured {
            assert!(responses.contains_key("403"), "{name}: 403");
        }
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{name}: 404");
            for param in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
                assert!(
                    path.contains(&format!("{{{}}}", param["name"].as_str().unwrap())),
                    "{name}: documented path parameter"
                );
            }
        }
        if op.get("requestBody").is_some() {
            for status in ["413", "415", "422"] {
                assert!(responses.contains_key(status), "{name}: {status}");
            }
        }
        // A query parameter with a control character is a 422 naming it.
        if op["parameters"].as_array().into_iter().flatten().any(|p| p["in"] == "query") {
            assert!(responses.contains_key("422"), "{name}: 422 for its query parameters");
        }
        // An operation that takes If-Match can answer 412 and 428, documented once.
        let if_match = op["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == "If-Match");
        for (status, component) in [("412", "PreconditionFailed"), ("428", "PreconditionRequired")] {
            let documented = responses.get(status).map(|r| r["$ref"].clone());
            let expected = if_match.then(|| json!(format!("#/components/responses/{component}")));
            assert_eq!(documented, expected, "{name}: {status} from If-Match");
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let is_problem =
                    response.get("$ref").is_some() || response["content"].get("application/problem+json").is_some();
                assert!(is_problem, "{name}: {status} is a problem document");
            }
        }
    }
}

/// The handlers registered in the HTTP crate's source, as (method, path, function) found from
/// their route macros. A handler registered any other way would escape the contract, so the
/// crate must not use `.route(` or `web::resource(` under /api/v1 either.
fn handlers_in_source() -> BTreeSet<(String, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/sammen-http/src");
    let mut found = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            assert!(!source.contains(".route("), "{}: register handlers with route macros", path.display());
            let lines: Vec<&str> = source.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let line = line.trim();
                let Some(method) = METHODS.iter().find(|m| line.starts_with(&format!("#[{m}(\""))) else { continue };
                let route = line.split('"').nth(1).unwrap().to_owned();
                let function = lines[i + 1..]
                    .iter()
                    .find_map(|l| {
                        l.trim().strip_prefix("pub async fn ").map(|rest| rest.split('(').next().unwrap().to_owned())
                    })
                    .unwrap();
                found.insert((method.to_string(), format!("{}{route}", sammen_http::API_PREFIX), function));
            }
        }
    }
    found
}

#[test]
fn every_served_route_is_in_the_contract_and_nothing_else_is() {
    let doc: Value = serde_json::from_str(&sammen_http::contract_json()).unwrap();
    let documented: BTreeSet<(String, String, String)> = operations(&doc)
        .into_iter()
        .map(|(method, path, op)| (method, path, op["operationId"].as_str().unwrap().to_owned()))
        .collect();
    let served = handlers_in_source();
    assert!(served.len() >= 10, "found the handlers: {served:?}");
    assert_eq!(served, documented, "handlers in the source vs operations in the contract");
}

#[actix_web::test]
async fn every_documented_operation_is_served() {
    let app = TestApp::start().await;
    let doc: Value = serde_json::from_str(&sammen_http::contract_json()).unwrap();
    for (method, path, _) in operations(&doc) {
        let concrete = path.replace("{id}", "0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d");
        let res = app.request(method.to_uppercase().parse().unwrap(), &concrete).send().await;
        // Whatever it answers (401 without a token, 415 without a body...), the router found it.
        assert_ne!(res.status, 405, "{method} {path}");
        if res.status == 404 {
            let body = res.json();
            assert!(
                !body["detail"].as_str().unwrap().starts_with("there is nothing at"),
                "{method} {path} is not routed"
            );
        }
    }
}

#[test]
fn every_reference_in_the_contract_resolves() {
    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    found.push(r);
                }
                map.values().for_each(|v| refs(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let doc: Value = serde_json::from_str(&sammen_http::contract_json()).unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("{r} is not local"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
}

/// The Rust files under `dir`, recursively.
fn rust_files(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// utoipa names a schema after its type and keeps one per name: two areas' types of one name
/// (`ReportResponse` once) would leave one area documented with the other's schema, silently.
#[test]
fn no_two_schema_types_share_a_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut clashes = Vec::new();
    for dir in ["crates/sammen-http/src", "crates/sammen-domain/src"] {
        for path in rust_files(root.join(dir)) {
            let source = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = source.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.contains("derive(") && line.contains("ToSchema")) {
                    continue;
                }
                let Some(name) = lines[i + 1..].iter().find_map(|l| {
                    let l = l.trim();
                    let rest = l.strip_prefix("pub struct ").or_else(|| l.strip_prefix("pub enum "))?;
                    Some(rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap().to_owned())
                }) else {
                    continue;
                };
                let place = path.strip_prefix(root).unwrap().display().to_string();
                if let Some(first) = seen.insert(name.clone(), place.clone()) {
                    clashes.push(format!("{name}: {first} and {place}"));
                }
            }
        }
    }
    assert!(
        seen.contains_key("GrantReportResponse") && seen.contains_key("ReportResponse"),
        "the scan finds the schema types"
    );
    assert!(clashes.is_empty(), "schema types with one name (rename one): {clashes:?}");
}
