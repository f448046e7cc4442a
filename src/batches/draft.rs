//! The requests a user writes for a batch: one per line, chat by default, `image:` for an image.
use std::fmt;

use crate::proto::{batch_request, BatchRequest, ChatCompletionRequest, ImageFormat, ImageRequest, Message};

/// Most requests one submission may carry (the page stays responsive and the call small).
pub const MAX_REQUESTS: usize = 500;
/// The prefix that makes a line an image request.
const IMAGE_PREFIX: &str = "image:";
/// The optional prefix of a chat line.
const CHAT_PREFIX: &str = "chat:";

/// What the form holds: models and the text of the request lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchDraft {
    /// Language model for chat lines.
    pub chat_model: String,
    /// Image model for `image:` lines.
    pub image_model: String,
    /// Upper bound on generated tokens of each chat request, if set.
    pub max_tokens: Option<i32>,
    /// One request per non-blank line.
    pub lines: String,
}

/// Why the lines cannot be sent. `line` is 1-based; 0 means the draft as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftError {
    /// The line at fault (0: none in particular).
    pub line: usize,
    /// What is wrong, for the user.
    pub message: String,
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// One line read: its kind and prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestLine {
    /// A chat completion with this user message.
    Chat(String),
    /// An image generation with this prompt.
    Image(String),
}

/// Reads one line; `None` for a blank line.
pub fn read_line(line: &str) -> Option<Result<RequestLine, String>> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    let (image, prompt) = if lower.starts_with(IMAGE_PREFIX) {
        (true, trimmed[IMAGE_PREFIX.len()..].trim())
    } else if lower.starts_with(CHAT_PREFIX) {
        (false, trimmed[CHAT_PREFIX.len()..].trim())
    } else {
        (false, trimmed)
    };
    Some(if prompt.is_empty() {
        Err("the prompt after the prefix is empty".to_owned())
    } else if image {
        Ok(RequestLine::Image(prompt.to_owned()))
    } else {
        Ok(RequestLine::Chat(prompt.to_owned()))
    })
}

impl BatchDraft {
    /// The requests of the draft, with ids `request-<n>` counting from `first_number`, or every
    /// problem found (so the user fixes them in one go). Nothing is lost: the draft is unchanged.
    pub fn requests(&self, first_number: i64) -> Result<Vec<BatchRequest>, Vec<DraftError>> {
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        for (index, line) in self.lines.lines().enumerate() {
            match read_line(line) {
                None => {}
                Some(Ok(line)) => lines.push((index + 1, line)),
                Some(Err(message)) => errors.push(DraftError { line: index + 1, message }),
            }
        }
        let whole = |message: &str| DraftError { line: 0, message: message.to_owned() };
        if lines.is_empty() && errors.is_empty() {
            errors.push(whole("write at least one request: one prompt per line"));
        }
        if lines.len() > MAX_REQUESTS {
            errors.push(whole(&format!("{} requests: at most {MAX_REQUESTS} at a time", lines.len())));
        }
        let has_chat = lines.iter().any(|(_, line)| matches!(line, RequestLine::Chat(_)));
        let has_image = lines.iter().any(|(_, line)| matches!(line, RequestLine::Image(_)));
        if has_chat && self.chat_model.trim().is_empty() {
            errors.push(whole("choose a language model for the chat requests"));
        }
        if has_image && self.image_model.trim().is_empty() {
            errors.push(whole("choose an image model for the image: requests"));
        }
        if self.max_tokens.is_some_and(|max| max < 1) {
            errors.push(whole("max tokens must be at least 1"));
        }
        if !errors.is_empty() {
            errors.sort_by_key(|error| error.line);
            return Err(errors);
        }
        Ok(lines
            .into_iter()
            .enumerate()
            .map(|(position, (_, line))| BatchRequest {
                batch_request_id: format!("request-{}", first_number + position as i64),
                request: Some(self.request(line)),
            })
            .collect())
    }

    fn request(&self, line: RequestLine) -> batch_request::Request {
        match line {
            RequestLine::Chat(prompt) => batch_request::Request::CompletionRequest(ChatCompletionRequest {
                model: self.chat_model.trim().to_owned(),
                messages: vec![Message { role: "user".into(), content: prompt, ..Default::default() }],
                max_tokens: self.max_tokens,
                ..Default::default()
            }),
            RequestLine::Image(prompt) => batch_request::Request::ImageRequest(ImageRequest {
                prompt,
                model: self.image_model.trim().to_owned(),
                n: Some(1),
                format: ImageFormat::Base64 as i32,
                ..Default::default()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(lines: &str) -> BatchDraft {
        BatchDraft { chat_model: "grok-3-mini".into(), image_model: "grok-2-image".into(), max_tokens: Some(50), lines: lines.into() }
    }

    #[test]
    fn one_request_per_line_blank_lines_skipped() {
        let requests = draft("Say hello\n\n  image: a red fox  \nchat: Count to three\n").requests(1).unwrap();
        assert_eq!(requests.len(), 3);
        let ids: Vec<_> = requests.iter().map(|r| r.batch_request_id.as_str()).collect();
        assert_eq!(ids, ["request-1", "request-2", "request-3"]);
        match &requests[0].request {
            Some(batch_request::Request::CompletionRequest(chat)) => {
                assert_eq!(chat.model, "grok-3-mini");
                assert_eq!(chat.messages[0].content, "Say hello");
                assert_eq!(chat.messages[0].role, "user");
                assert_eq!(chat.max_tokens, Some(50));
            }
            other => panic!("{other:?}"),
        }
        match &requests[1].request {
            Some(batch_request::Request::ImageRequest(image)) => {
                assert_eq!((image.prompt.as_str(), image.model.as_str()), ("a red fox", "grok-2-image"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ids_continue_after_the_requests_a_batch_already_has() {
        let requests = draft("a\nb").requests(6).unwrap();
        assert_eq!(requests[1].batch_request_id, "request-7");
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let mut bad = draft("fine\nimage:\nCHAT:   \n");
        bad.image_model.clear();
        let errors = bad.requests(1).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["line 2: the prompt after the prefix is empty", "line 3: the prompt after the prefix is empty"]);
        let mut no_image_model = draft("image: a cat");
        no_image_model.image_model.clear();
        assert_eq!(no_image_model.requests(1).unwrap_err()[0].message, "choose an image model for the image: requests");
    }

    #[test]
    fn an_empty_draft_or_a_bad_limit_is_refused() {
        assert_eq!(draft(" \n\n").requests(1).unwrap_err()[0].line, 0);
        let mut limit = draft("x");
        limit.max_tokens = Some(0);
        assert!(limit.requests(1).is_err());
        let many = draft(&"x\n".repeat(MAX_REQUESTS + 1));
        assert!(many.requests(1).unwrap_err()[0].message.contains("at most"));
    }
}
