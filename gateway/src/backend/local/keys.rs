//! API keys of the local backend: secrets, authorization, the Auth service, the server-held key.
use std::path::Path;

use rand::{distr::Alphanumeric, Rng};
use sha2::{Digest, Sha256};
use tonic::Status;

use super::random_id;
use crate::{
    backend::{ApiKeySecret, Caller, Permission, KNOWN_ACLS},
    proto::{ApiKey, CreateApiKeyRequest},
    store::{now_unix, ApiKeyRow, Store, StoreError},
};

const SECRET_PREFIX: &str = "xai-";
const SECRET_RANDOM_LEN: usize = 48;
const USER_ID: &str = "local-user";
const TEAM_ID: &str = "local-team";
/// Name of the key the gateway creates for itself.
pub const SERVER_KEY_NAME: &str = "gateway (server-held)";

fn sha256_hex(secret: &ApiKeySecret) -> String {
    Sha256::digest(secret.expose().as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn new_secret() -> ApiKeySecret {
    let random: String = rand::rng().sample_iter(&Alphanumeric).take(SECRET_RANDOM_LEN).map(char::from).collect();
    ApiKeySecret::new(format!("{SECRET_PREFIX}{random}"))
}

pub fn describe(row: &ApiKeyRow) -> ApiKey {
    ApiKey {
        api_key_id: row.id.clone(),
        redacted_api_key: row.redacted.clone(),
        name: row.name.clone(),
        acls: row.acls.clone(),
        create_time: row.create_time,
        modify_time: row.modify_time,
        disabled: row.disabled,
        api_key_blocked: row.blocked,
        team_blocked: false,
        user_id: USER_ID.into(),
        team_id: TEAM_ID.into(),
        api_key: String::new(),
    }
}

/// Stores a new key and returns it with its secret (the only time the secret is known).
pub async fn create(store: &Store, name: String, acls: Vec<String>) -> Result<(ApiKey, ApiKeySecret), StoreError> {
    let secret = new_secret();
    let now = now_unix();
    let row = ApiKeyRow {
        id: random_id("key"),
        name,
        secret_sha256: sha256_hex(&secret),
        redacted: secret.redacted(),
        acls,
        create_time: now,
        modify_time: now,
        disabled: false,
        blocked: false,
    };
    let mut described = describe(&row);
    store.insert_key(row).await?;
    described.api_key = secret.expose().to_string();
    Ok((described, secret))
}

/// Validates a CreateApiKey request; returns the name and the ACLs to store.
pub fn validate_create(request: CreateApiKeyRequest) -> Result<(String, Vec<String>), Status> {
    let name = request.name.trim().to_string();
    let length = name.chars().count();
    if !(1..=100).contains(&length) {
        return Err(Status::invalid_argument(format!("name must be 1..100 characters, got {length}")));
    }
    if let Some(unknown) = request.acls.iter().find(|acl| !KNOWN_ACLS.contains(&acl.as_str())) {
        return Err(Status::invalid_argument(format!("unknown ACL {unknown:?}: use any of {}", KNOWN_ACLS.join(", "))));
    }
    let acls = if request.acls.is_empty() { vec!["*".to_string()] } else { request.acls };
    Ok((name, acls))
}

/// Finds the key and checks it may make the call.
pub async fn authorize(store: &Store, secret: Option<ApiKeySecret>, permission: Permission) -> Result<Caller, Status> {
    let secret =
        secret.ok_or_else(|| Status::unauthenticated("missing API key: send the metadata 'authorization: Bearer <your xAI API key>'"))?;
    let row = store
        .find_key_by_hash(sha256_hex(&secret))
        .await?
        .ok_or_else(|| Status::unauthenticated(format!("unknown API key {}: it does not exist or was deleted", secret.redacted())))?;
    // GetApiKey still answers for a disabled or blocked key: it is how its owner sees why.
    if permission != Permission::AnyValidKey {
        if row.blocked {
            return Err(Status::permission_denied(format!(
                "API key {} is blocked: it cannot make calls until the gateway's operator lifts the block",
                row.id
            )));
        }
        if row.disabled {
            return Err(Status::permission_denied(format!(
                "API key {} is disabled: it cannot make calls until it is enabled again",
                row.id
            )));
        }
    }
    if let Some(acl) = permission.acl() {
        if !row.acls.iter().any(|held| held == "*" || held == acl) {
            return Err(Status::permission_denied(format!(
                "API key {} may not make this call: it needs the ACL {acl:?} (or \"*\"), it has {:?}",
                row.id, row.acls
            )));
        }
    }
    Ok(Caller { api_key_id: row.id, credential: secret, deadline: None })
}

#[derive(Debug, thiserror::Error)]
pub enum ServerKeyError {
    #[error("cannot read the server key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write the server key file {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("server key file {path} is empty")]
    Empty { path: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads the server-held key from `path`, creating key and file (mode 0600) on first start.
pub async fn load_or_create_server_key(store: &Store, path: &Path) -> Result<ApiKeySecret, ServerKeyError> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(contents) => {
            let secret = contents.trim().to_string();
            if secret.is_empty() {
                return Err(ServerKeyError::Empty { path: shown });
            }
            return Ok(ApiKeySecret::new(secret));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(ServerKeyError::Read { path: shown, source }),
    }
    let (key, secret) = create(store, SERVER_KEY_NAME.to_string(), vec!["*".to_string()]).await?;
    write_secret_file(path, secret.expose()).map_err(|source| ServerKeyError::Write { path: shown.clone(), source })?;
    tracing::info!("created the server-held key {} ({}) in {shown}", key.api_key_id, key.redacted_api_key);
    Ok(secret)
}

fn write_secret_file(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    writeln!(file, "{secret}")
}
