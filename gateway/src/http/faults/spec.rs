//! The fault specification language (see `--help`): parsing and matching.
use std::time::Duration;

use thiserror::Error;
use tonic::Code;

use super::hostile::Hostile;

/// A fault spec that does not parse; the message names the offending part.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("invalid fault spec {spec:?}: {reason}")]
pub struct FaultSpecError {
    spec: String,
    reason: String,
}

/// How an injected status is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusStyle {
    /// Response headers, no message, then trailers with the status.
    Normal,
    /// The status in the response headers and no body at all.
    TrailersOnly,
}

/// The faults to inject into one call. Later settings override earlier ones on merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultSpec {
    pub status: Option<(Code, StatusStyle)>,
    pub cut_after: Option<u64>,
    pub idle_after: Option<u64>,
    pub delay: Option<Duration>,
    pub split_trailer: bool,
    /// A broken or malicious answer instead of (or made from) the real one.
    pub hostile: Option<Hostile>,
}

impl FaultSpec {
    pub fn parse(spec: &str) -> Result<Self, FaultSpecError> {
        let error = |reason: String| FaultSpecError { spec: spec.to_string(), reason };
        let mut parsed = FaultSpec::default();
        for item in spec.split(',').map(str::trim).filter(|item| !item.is_empty()) {
            let (name, value) = match item.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (item, None),
            };
            let count = |value: Option<&str>| -> Result<u64, FaultSpecError> {
                let value = value.ok_or_else(|| error(format!("{name} needs =N")))?;
                value.parse().map_err(|_| error(format!("{name}={value} is not a number")))
            };
            match name {
                "status" | "trailers-only" => {
                    let value = value.ok_or_else(|| error(format!("{name} needs =CODE")))?;
                    let code = parse_code(value).ok_or_else(|| error(format!("unknown gRPC status code {value:?}")))?;
                    let style = if name == "status" { StatusStyle::Normal } else { StatusStyle::TrailersOnly };
                    parsed.status = Some((code, style));
                }
                "cut-after" => parsed.cut_after = Some(count(value)?),
                "idle-after" => parsed.idle_after = Some(count(value)?),
                "delay-ms" => parsed.delay = Some(Duration::from_millis(count(value)?)),
                "split-trailer" => parsed.split_trailer = true,
                other => match Hostile::parse(other, value) {
                    Some(hostile) => parsed.hostile = Some(hostile.map_err(error)?),
                    None => return Err(error(format!("unknown fault {other:?}"))),
                },
            }
        }
        Ok(parsed)
    }

    /// Applies `other` on top of `self`.
    pub fn merge(&mut self, other: &FaultSpec) {
        if other.status.is_some() {
            self.status = other.status;
        }
        if other.cut_after.is_some() {
            self.cut_after = other.cut_after;
        }
        if other.idle_after.is_some() {
            self.idle_after = other.idle_after;
        }
        if other.delay.is_some() {
            self.delay = other.delay;
        }
        self.split_trailer |= other.split_trailer;
        if other.hostile.is_some() {
            self.hostile = other.hostile.clone();
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == FaultSpec::default()
    }
}

/// A gRPC code by number (0..16) or by name (`unavailable`, `UNAVAILABLE`, `resource-exhausted`).
fn parse_code(text: &str) -> Option<Code> {
    if let Ok(number) = text.parse::<i32>() {
        return (0..=16).contains(&number).then(|| Code::from(number));
    }
    const NAMES: [&str; 17] = [
        "ok",
        "cancelled",
        "unknown",
        "invalid_argument",
        "deadline_exceeded",
        "not_found",
        "already_exists",
        "permission_denied",
        "resource_exhausted",
        "failed_precondition",
        "aborted",
        "out_of_range",
        "unimplemented",
        "internal",
        "unavailable",
        "data_loss",
        "unauthenticated",
    ];
    let wanted = text.to_ascii_lowercase().replace('-', "_");
    NAMES.iter().position(|name| *name == wanted).map(|index| Code::from(index as i32))
}

/// A `--fault [SERVICE[/METHOD]:]SPEC` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// `Service` or `Service/Method`, without the package; None: every call.
    target: Option<String>,
    pub spec: FaultSpec,
}

impl FaultRule {
    /// Parses the flag's value (used as clap's value parser).
    pub fn parse(text: &str) -> Result<Self, FaultSpecError> {
        let (target, spec) = match text.split_once(':') {
            Some((target, spec)) => (Some(strip_package(target.trim().trim_start_matches('/'))), spec),
            None => (None, text),
        };
        Ok(FaultRule { target: target.map(str::to_string), spec: FaultSpec::parse(spec)? })
    }

    /// Whether the rule applies to a request path like `/xai_api.Chat/CreateChatCompletion`.
    pub fn matches(&self, path: &str) -> bool {
        let Some(target) = &self.target else { return true };
        let call = strip_package(path.trim_start_matches('/'));
        match target.split_once('/') {
            Some(_) => call == target,
            None => call.split('/').next() == Some(target.as_str()),
        }
    }
}

fn strip_package(name: &str) -> &str {
    name.strip_prefix("xai_api.").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault() {
        let spec = FaultSpec::parse("status=unavailable, cut-after=3,delay-ms=20,split-trailer,idle-after=2").unwrap();
        assert_eq!(spec.status, Some((Code::Unavailable, StatusStyle::Normal)));
        assert_eq!(spec.cut_after, Some(3));
        assert_eq!(spec.idle_after, Some(2));
        assert_eq!(spec.delay, Some(Duration::from_millis(20)));
        assert!(spec.split_trailer);
        let spec = FaultSpec::parse("status=3,details-bin=garbage").unwrap();
        assert_eq!(spec.hostile, Some(Hostile::GarbageDetails));
        assert_eq!(spec.status, Some((Code::InvalidArgument, StatusStyle::Normal)));
        assert!(FaultSpec::parse("html-error=nope").unwrap_err().to_string().contains("html-error=nope"));
        let spec = FaultSpec::parse("trailers-only=16").unwrap();
        assert_eq!(spec.status, Some((Code::Unauthenticated, StatusStyle::TrailersOnly)));
    }

    #[test]
    fn rejects_bad_specs() {
        assert!(FaultSpec::parse("status=99").is_err());
        assert!(FaultSpec::parse("cut-after").is_err());
        assert!(FaultSpec::parse("explode").is_err());
    }

    #[test]
    fn rules_match_by_service_and_method() {
        let rule = FaultRule::parse("Chat/CreateChatCompletionStream:cut-after=3").unwrap();
        assert!(rule.matches("/xai_api.Chat/CreateChatCompletionStream"));
        assert!(!rule.matches("/xai_api.Chat/CreateChatCompletion"));
        let rule = FaultRule::parse("xai_api.Models:status=14").unwrap();
        assert!(rule.matches("/xai_api.Models/ListModels"));
        assert!(!rule.matches("/xai_api.Chat/CreateChatCompletion"));
        assert!(FaultRule::parse("delay-ms=5").unwrap().matches("/xai_api.Auth/GetApiKey"));
    }
}
