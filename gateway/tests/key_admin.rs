//! The operator's `xai-gateway keys …` commands on the data dir of a running gateway: a key
//! disabled or blocked there is refused on its next call (GetApiKey still shows why), enabling
//! it lets it call again, and nothing printed holds a secret.
mod common;

use std::{path::Path, process::Command};

use common::{chat_request, with_key, TestGateway};
use tonic::Code;
use xai_gateway::proto::{auth_client::AuthClient, chat_client::ChatClient, CreateApiKeyRequest, GetApiKeyRequest};

const BINARY: &str = env!("CARGO_BIN_EXE_xai-gateway");

/// Runs `xai-gateway --data-dir DIR keys ARGS…`; returns (success, stdout, stderr).
fn keys_command(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(BINARY).arg("--data-dir").arg(data_dir).arg("keys").args(args).output().expect("run the binary");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into(), String::from_utf8_lossy(&output.stderr).into())
}

#[tokio::test]
async fn keys_disabled_or_blocked_by_the_operator_are_refused_at_once() {
    let gateway = TestGateway::start(&[]).await;
    let mut auth = AuthClient::new(gateway.channel().await);
    let mut chat = ChatClient::new(gateway.channel().await);
    let key = auth.create_api_key(CreateApiKeyRequest { name: "build bot".into(), acls: vec![] }).await.unwrap().into_inner();
    let secret = key.api_key.clone();
    let ask = || with_key(chat_request("grok-3", "hello"), &secret);
    chat.create_chat_completion(ask()).await.expect("a new key calls");

    let (ok, listed, _) = keys_command(&gateway.data_dir, &["list"]);
    assert!(ok);
    let line = listed.lines().find(|line| line.starts_with(&key.api_key_id)).expect("the new key is listed");
    assert!(line.contains(" active ") && line.contains(&key.redacted_api_key) && line.ends_with("\"build bot\""), "{listed}");
    assert!(!listed.contains(&secret) && !listed.contains(&gateway.server_key()), "no secret printed");

    let (ok, said, _) = keys_command(&gateway.data_dir, &["disable", &key.api_key_id]);
    assert!(ok);
    assert_eq!(said, format!("API key {} (\"build bot\") is now disabled\n", key.api_key_id));
    let refused = chat.create_chat_completion(ask()).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    assert!(refused.message().contains("is disabled"), "{}", refused.message());
    let shown = auth.get_api_key(with_key(GetApiKeyRequest {}, &secret)).await.expect("GetApiKey shows why").into_inner();
    assert!(shown.disabled && !shown.api_key_blocked);

    keys_command(&gateway.data_dir, &["block", &key.api_key_id]);
    let refused = chat.create_chat_completion(ask()).await.unwrap_err();
    assert!(refused.message().contains("is blocked"), "{}", refused.message());
    let shown = auth.get_api_key(with_key(GetApiKeyRequest {}, &secret)).await.unwrap().into_inner();
    assert!(shown.disabled && shown.api_key_blocked);

    keys_command(&gateway.data_dir, &["unblock", &key.api_key_id]);
    let (ok, said, _) = keys_command(&gateway.data_dir, &["enable", &key.api_key_id]);
    assert!(ok && said.ends_with("is now active\n"), "{said}");
    chat.create_chat_completion(ask()).await.expect("enabled again");

    // Other keys never noticed.
    chat.create_chat_completion(chat_request("grok-3", "still here")).await.expect("the server key");
    gateway.stop().await;
}

#[tokio::test]
async fn a_wrong_data_dir_or_key_id_fails_with_one_line() {
    let temp = tempfile::tempdir().unwrap();
    let (ok, out, err) = keys_command(temp.path(), &["list"]);
    assert!(!ok && out.is_empty());
    assert!(err.starts_with("xai-gateway: no gateway database at ") && err.ends_with("(is --data-dir right?)\n"), "{err}");
    assert!(!temp.path().join("gateway.sqlite").exists(), "no empty database was made");

    xai_gateway::store::Store::open(temp.path()).unwrap();
    let (ok, out, err) = keys_command(temp.path(), &["disable", "key_nope"]);
    assert!(!ok && out.is_empty());
    assert_eq!(err, "xai-gateway: no API key \"key_nope\" in this data directory (see `keys list`)\n");
    let (ok, out, _) = keys_command(temp.path(), &["list"]);
    assert!(ok);
    assert_eq!(out, "no API keys\n");
}
