//! The playground's sampling parameters as typed in the form, checked and turned into a
//! RawSampleRequest. Empty fields mean "the model's default" and are left unset.
use std::str::FromStr;

use crate::proto::RawSampleRequest;

/// Most choices one call may ask for (the service's limit).
pub const MAX_CHOICES: i32 = 10;

/// The form's text fields (kept across reloads as typed: [`super::saved`]).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SampleParams {
    /// Language model name or alias.
    pub model: String,
    /// 0..2.
    pub temperature: String,
    /// 0..1.
    pub top_p: String,
    /// At least 1.
    pub max_tokens: String,
    /// Choices, 1..=10.
    pub n: String,
    /// Stop sequences, one per line.
    pub stop: String,
    /// Any 32-bit integer.
    pub seed: String,
    /// -2..2.
    pub frequency_penalty: String,
    /// -2..2.
    pub presence_penalty: String,
}

/// Reads an optional number within bounds; `Err` names the field and says what is allowed.
fn field<T>(text: &str, name: &str, allowed: &str, ok: impl Fn(&T) -> bool, problems: &mut Vec<String>) -> Option<T>
where
    T: FromStr,
{
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<T>() {
        Ok(value) if ok(&value) => Some(value),
        _ => {
            problems.push(format!("{name} must be {allowed} (got {text:?})"));
            None
        }
    }
}

impl SampleParams {
    /// The request for `prompt`, or every problem found.
    pub fn request(&self, prompt: &str) -> Result<RawSampleRequest, Vec<String>> {
        let mut problems = Vec::new();
        if prompt.trim().is_empty() {
            problems.push("write a prompt to continue".to_owned());
        }
        if self.model.trim().is_empty() {
            problems.push("choose a model".to_owned());
        }
        let finite_in = |low: f32, high: f32| move |v: &f32| v.is_finite() && (low..=high).contains(v);
        let temperature = field(&self.temperature, "temperature", "a number from 0 to 2", finite_in(0.0, 2.0), &mut problems);
        let top_p = field(&self.top_p, "top p", "a number from 0 to 1", finite_in(0.0, 1.0), &mut problems);
        let max_tokens = field(&self.max_tokens, "max tokens", "a whole number of at least 1", |v: &i32| *v >= 1, &mut problems);
        let n = field(&self.n, "choices", "a whole number from 1 to 10", |v: &i32| (1..=MAX_CHOICES).contains(v), &mut problems);
        let seed = field(&self.seed, "seed", "a whole number", |_: &i32| true, &mut problems);
        let frequency_penalty =
            field(&self.frequency_penalty, "frequency penalty", "a number from -2 to 2", finite_in(-2.0, 2.0), &mut problems);
        let presence_penalty =
            field(&self.presence_penalty, "presence penalty", "a number from -2 to 2", finite_in(-2.0, 2.0), &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(RawSampleRequest {
            prompt: prompt.to_owned(),
            model: self.model.trim().to_owned(),
            max_tokens,
            n,
            temperature,
            top_p,
            // Stop sequences are taken as typed (a leading space can matter); only empty lines go.
            stop: self.stop.lines().filter(|line| !line.is_empty()).map(str::to_owned).collect(),
            seed,
            frequency_penalty,
            presence_penalty,
            user: String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> SampleParams {
        SampleParams { model: "grok-3-mini".into(), ..Default::default() }
    }

    #[test]
    fn empty_fields_stay_unset() {
        let request = params().request("Once upon a time").unwrap();
        assert_eq!(request.prompt, "Once upon a time");
        assert_eq!(request.model, "grok-3-mini");
        assert_eq!((request.temperature, request.top_p, request.max_tokens, request.n, request.seed), (None, None, None, None, None));
        assert!(request.stop.is_empty());
    }

    #[test]
    fn every_parameter_reaches_the_request() {
        let filled = SampleParams {
            temperature: "0.7".into(),
            top_p: " 0.9 ".into(),
            max_tokens: "64".into(),
            n: "3".into(),
            stop: "\n\nTHE END\n".into(),
            seed: "-42".into(),
            frequency_penalty: "0.5".into(),
            presence_penalty: "-1".into(),
            ..params()
        };
        let request = filled.request("x").unwrap();
        assert_eq!(request.temperature, Some(0.7));
        assert_eq!(request.top_p, Some(0.9));
        assert_eq!(request.max_tokens, Some(64));
        assert_eq!(request.n, Some(3));
        assert_eq!(request.stop, ["THE END"]);
        assert_eq!(request.seed, Some(-42));
        assert_eq!(request.frequency_penalty, Some(0.5));
        assert_eq!(request.presence_penalty, Some(-1.0));
    }

    #[test]
    fn out_of_range_values_are_all_reported() {
        let bad = SampleParams {
            temperature: "3".into(),
            n: "11".into(),
            max_tokens: "0".into(),
            top_p: "NaN".into(),
            seed: "1.5".into(),
            ..params()
        };
        let problems = bad.request("").unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert_eq!(problems[0], "write a prompt to continue");
        assert!(problems.iter().any(|p| p.starts_with("temperature must be a number from 0 to 2")));
        assert!(problems.iter().any(|p| p.starts_with("choices must be")));
    }
}
