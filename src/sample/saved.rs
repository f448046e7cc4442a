//! What the Sample page keeps across reloads (the tab's sessionStorage: another tab has its own): the form as typed and the last run,
//! with how it ended. A reload ends a run under way (the call goes with the page): it comes back
//! as "interrupted", with every choice's text that had arrived.
use serde::{Deserialize, Serialize};

use super::{
    answer::{ChoiceSoFar, SampleAnswer},
    params::SampleParams,
};
use crate::proto::{FinishReason, Usage};

/// The sessionStorage key.
pub const KEY: &str = "xai-web.sample";

/// Most characters of choice text kept in all: sessionStorage holds a few MB. A longer run is kept
/// cut, and says so.
pub const MAX_SAVED_CHARS: usize = 256 * 1024;

/// How the saved run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunEnd {
    /// Under way when saved: after a reload, interrupted.
    Running,
    Done,
    Stopped,
    /// Failed: the error is not kept (it is the server's answer to that call), the text is.
    Failed,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedSample {
    pub prompt: String,
    pub params: SampleParams,
    pub streaming: bool,
    pub run: Option<SavedRun>,
    /// The running call's id in [`crate::work::live_calls`]: still listed there, the run goes on
    /// in the tab this one was copied from, and was not cut short.
    pub call: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    pub end: RunEnd,
    pub model: String,
    pub choices: Vec<SavedChoice>,
    #[serde(default)]
    pub usage: Option<SavedUsage>,
    /// Text was left out to stay under [`MAX_SAVED_CHARS`].
    #[serde(default)]
    pub cut: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedChoice {
    pub text: String,
    /// The proto value; None while unfinished.
    pub finish_reason: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedUsage {
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub total_tokens: i32,
    pub cost_usd_ticks: i64,
}

impl SavedRun {
    /// `answer` as it is now, ended as `end`.
    pub fn of(answer: &SampleAnswer, end: RunEnd) -> Self {
        let mut budget = MAX_SAVED_CHARS;
        let mut cut = false;
        let choices = answer
            .choices
            .iter()
            .map(|choice| {
                let mut text = choice.text.as_str();
                if text.len() > budget {
                    let mut end = budget;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text = &text[..end];
                    cut = true;
                }
                budget -= text.len();
                SavedChoice { text: text.to_owned(), finish_reason: choice.finish_reason.map(|reason| reason as i32) }
            })
            .collect();
        let usage = answer.usage.map(|usage| SavedUsage {
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            total_tokens: usage.total_tokens,
            cost_usd_ticks: usage.cost_usd_ticks,
        });
        SavedRun { end, model: answer.model.clone(), choices, usage, cut }
    }

    /// The answer to show again.
    pub fn answer(&self) -> SampleAnswer {
        SampleAnswer {
            model: self.model.clone(),
            choices: self
                .choices
                .iter()
                .map(|choice| ChoiceSoFar {
                    text: choice.text.clone(),
                    finish_reason: choice.finish_reason.and_then(|reason| FinishReason::try_from(reason).ok()),
                })
                .collect(),
            usage: self.usage.map(|usage| Usage {
                prompt_tokens: usage.prompt_tokens,
                completion_tokens: usage.completion_tokens,
                total_tokens: usage.total_tokens,
                cost_usd_ticks: usage.cost_usd_ticks,
                ..Default::default()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(texts: &[&str]) -> SampleAnswer {
        SampleAnswer {
            model: "grok-3-mini".into(),
            choices: texts.iter().map(|text| ChoiceSoFar { text: (*text).into(), finish_reason: None }).collect(),
            usage: None,
        }
    }

    #[test]
    fn a_run_round_trips_through_its_saved_form() {
        let mut run = answer(&["The end", "Once upon"]);
        run.choices[0].finish_reason = Some(FinishReason::Stop);
        run.usage = Some(Usage { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8, cost_usd_ticks: 77, ..Default::default() });
        let saved =
            SavedSample { prompt: "Once".into(), streaming: true, run: Some(SavedRun::of(&run, RunEnd::Running)), ..Default::default() };
        let text = serde_json::to_string(&saved).unwrap();
        let read: SavedSample = serde_json::from_str(&text).unwrap();
        assert_eq!(read, saved);
        let back = read.run.unwrap();
        assert_eq!((back.end, back.cut), (RunEnd::Running, false));
        assert_eq!(back.answer(), run);
    }

    #[test]
    fn a_huge_run_is_kept_cut_at_a_character_boundary_and_says_so() {
        let long = "é".repeat(MAX_SAVED_CHARS);
        let saved = SavedRun::of(&answer(&[&long, "second"]), RunEnd::Done);
        assert!(saved.cut);
        let kept: usize = saved.choices.iter().map(|choice| choice.text.len()).sum();
        assert!(kept <= MAX_SAVED_CHARS && kept > MAX_SAVED_CHARS - 2, "{kept}");
        assert!(saved.choices[0].text.chars().all(|c| c == 'é'));
        assert_eq!(saved.choices[1].text, "");
    }

    #[test]
    fn what_older_or_other_versions_wrote_reads_as_far_as_it_goes() {
        let read: SavedSample = serde_json::from_str(r#"{"prompt":"kept","unknown":1}"#).unwrap();
        assert_eq!(read.prompt, "kept");
        assert_eq!(read.run, None);
    }
}
