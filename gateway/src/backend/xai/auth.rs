//! Auth: GetApiKey <-> get_api_key_info. Listing, creating and deleting keys has no gRPC call
//! upstream: xAI offers it only in its REST management API (with a separate management key).
use tonic::Status;

use super::{call, convert, Upstream};
use crate::{
    backend::Caller,
    proto::ApiKey,
    upstream_proto::{self as up, auth_client::AuthClient},
};

pub async fn get_api_key(upstream: &Upstream, caller: &Caller) -> Result<ApiKey, Status> {
    let request = call::request(caller, up::Empty {})?;
    call::unary(upstream_client!(upstream, AuthClient).get_api_key_info(request).await).map(api_key)
}

/// The answer to List/Create/DeleteApiKey in `xai` mode.
pub fn keys_unimplemented() -> Status {
    Status::unimplemented(
        "managing API keys is not available through this gateway's xai backend: the xAI gRPC API has no call for it; \
         xAI offers it only in its REST management API (console.x.ai, with a separate management key)",
    )
}

fn api_key(key: up::ApiKey) -> ApiKey {
    ApiKey {
        api_key_id: key.api_key_id,
        redacted_api_key: key.redacted_api_key,
        name: key.name,
        acls: key.acls,
        create_time: convert::seconds(key.create_time),
        modify_time: convert::seconds(key.modify_time),
        disabled: key.disabled,
        api_key_blocked: key.api_key_blocked,
        team_blocked: key.team_blocked,
        user_id: key.user_id,
        team_id: key.team_id,
        // The secret is never part of a description.
        api_key: String::new(),
    }
}
