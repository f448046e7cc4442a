//! Deterministic text: the markdown answers, reasoning and continuations of the local backend,
//! the word-ish tokenizer used for streaming and token counts.
use sha2::{Digest, Sha256};

/// A stable 64-bit hash of some strings (stable across runs and platforms, unlike std's).
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Prompt tokens of a piece of text: a quarter of its characters, rounded up.
pub fn count_prompt_tokens(text: &str) -> i64 {
    (text.chars().count() as i64 + 3) / 4
}

/// Splits text into word-ish tokens, each a word with the whitespace after it (`"## "`,
/// `"Hello "`, `"world\n\n"`); concatenating the tokens gives the text back.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut previous_was_space = false;
    for ch in text.chars() {
        let is_space = ch.is_whitespace();
        if !is_space && previous_was_space && !current.trim().is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
        current.push(ch);
        previous_was_space = is_space;
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// At most `max` characters of the first line of `text`, with an ellipsis when cut.
fn first_line(text: &str, max: usize) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    if line.chars().count() <= max {
        return line.to_string();
    }
    let cut: String = line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

const STOP_WORDS: [&str; 24] = [
    "the", "and", "for", "with", "what", "how", "why", "you", "your", "are", "can", "does", "this", "that", "about", "from", "into",
    "have", "has", "was", "were", "will", "would", "please",
];
const FALLBACK_TOPICS: [&str; 3] = ["context", "trade-offs", "next steps"];

/// Up to three distinctive words of the question, padded with generic topics.
fn topics(question: &str) -> [String; 3] {
    let mut found: Vec<String> = Vec::new();
    for word in question.split(|ch: char| !ch.is_alphanumeric() && ch != '-') {
        let word = word.trim_matches('-').to_lowercase();
        if word.chars().count() >= 3 && !STOP_WORDS.contains(&word.as_str()) && !found.contains(&word) {
            found.push(word);
        }
    }
    found.sort_by_key(|word| std::cmp::Reverse(word.chars().count()));
    let mut picked = found.into_iter().take(3).collect::<Vec<_>>();
    for fallback in FALLBACK_TOPICS {
        if picked.len() < 3 {
            picked.push(fallback.to_string());
        }
    }
    [picked[0].clone(), picked[1].clone(), picked[2].clone()]
}

const POINTS: [&str; 6] = [
    "start from what you already know and write it down in one sentence",
    "look for the smallest example that still shows the problem",
    "compare two options side by side before committing to one",
    "measure before and after, so the change is visible",
    "keep the interface small and the names honest",
    "write the test first: it tells you when you are done",
];

/// The code block of an answer: the same little program in one of three languages.
fn code_block(language_pick: u64, topics: &[String; 3]) -> String {
    let [a, b, c] = topics;
    match language_pick % 3 {
        0 => format!(
            "```rust\nfn main() {{\n    let topics = [\"{a}\", \"{b}\", \"{c}\"];\n    for (step, topic) in topics.iter().enumerate() {{\n        println!(\"step {{}}: {{topic}}\", step + 1);\n    }}\n}}\n```"
        ),
        1 => format!(
            "```python\ntopics = [\"{a}\", \"{b}\", \"{c}\"]\nfor step, topic in enumerate(topics, start=1):\n    print(f\"step {{step}}: {{topic}}\")\n```"
        ),
        _ => format!(
            "```typescript\nconst topics: string[] = [\"{a}\", \"{b}\", \"{c}\"];\ntopics.forEach((topic, i) => console.log(`step ${{i + 1}}: ${{topic}}`));\n```"
        ),
    }
}

/// The markdown answer to `question`; `variant` (the choice index) changes the wording a bit.
pub fn markdown_answer(question: &str, variant: u32) -> String {
    let question = question.trim();
    let short = if question.is_empty() { "your message".to_string() } else { first_line(question, 80) };
    let short = short.replace(['`', '*', '#'], "");
    let hash = stable_hash(&[question]);
    let topics = topics(question);
    let point = |index: u64| POINTS[((hash >> (index * 8)) % POINTS.len() as u64) as usize];
    let closing = match variant {
        0 => format!(
            "In short: begin with **{}**, then settle **{}**, and keep **{}** in mind. Ask a follow-up question to go deeper into any of them.",
            topics[0], topics[1], topics[2]
        ),
        other => format!(
            "Alternative {}: take **{}** last instead, once **{}** and **{}** are settled.",
            other + 1,
            topics[0],
            topics[1],
            topics[2]
        ),
    };
    format!(
        "## {short}\n\nYou asked: *{short}*. Here is a structured answer from the local backend of xai-gateway; it is computed from your message alone, so the same question always gets the same reply.\n\n- **{}**: {}.\n- **{}**: {}.\n- **{}**: {}.\n\n{}\n\n{closing}",
        topics[0],
        point(0),
        topics[1],
        point(1),
        topics[2],
        point(2),
        code_block(hash >> 32, &topics),
    )
}

/// The answer extended with further sections (parts 2, 3, …) until it has at least `min_chars`
/// characters: long, realistic markdown for benchmarks.
pub fn long_markdown_answer(question: &str, variant: u32, min_chars: usize) -> String {
    let mut answer = markdown_answer(question, variant);
    let mut part = 2;
    while answer.len() < min_chars {
        answer.push_str("\n\n");
        answer.push_str(&markdown_answer(&format!("{question} (part {part})"), variant));
        part += 1;
    }
    answer
}

/// What a reasoning model "thinks" before answering; `sentences` grows with the effort.
pub fn reasoning(question: &str, sentences: usize) -> String {
    let short = first_line(question, 60);
    let topics = topics(question);
    let all = [
        format!("The user asks about \"{short}\"."),
        format!("The key ideas seem to be {}, {} and {}.", topics[0], topics[1], topics[2]),
        "A short restatement, three concrete points and a small code example should cover it.".to_string(),
        "I should keep the answer brief and make every point actionable.".to_string(),
        "Finally, I will suggest a follow-up so the user can go deeper.".to_string(),
    ];
    all.into_iter().take(sentences).collect::<Vec<_>>().join(" ")
}

const CONTINUATIONS: [&str; 8] = [
    "Nobody expected the {w} to matter so much, yet it did.",
    "It began, as these things do, with the {w}.",
    "By evening the {w} had changed everything.",
    "There was a quiet logic to the {w}, once you looked closely.",
    "Each step led back to the {w}, one way or another.",
    "The rest followed naturally from the {w}.",
    "Later, people would say the {w} was the turning point.",
    "And so the story of the {w} continued, one careful line at a time.",
];

/// A continuation of `prompt` (starting with a space), different per `variant`.
pub fn continuation(prompt: &str, variant: u32) -> String {
    let word = prompt.split(|ch: char| !ch.is_alphanumeric()).rfind(|word| word.chars().count() >= 3).unwrap_or("idea").to_lowercase();
    let hash = stable_hash(&[prompt, &variant.to_string()]);
    (0..4)
        .map(|index| {
            let pick = ((hash >> (index * 8)) % CONTINUATIONS.len() as u64) as usize;
            format!(" {}", CONTINUATIONS[pick].replace("{w}", &word))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_rebuild_the_text() {
        let text = "## Hello  world\n\n- **a**: b.\n```rust\nfn main() {}\n```";
        let tokens = tokenize(text);
        assert_eq!(tokens.concat(), text);
        assert_eq!(tokens[0], "## ");
        assert_eq!(tokens[1], "Hello  ");
        assert_eq!(tokens[2], "world\n\n");
    }

    #[test]
    fn answers_are_deterministic_markdown() {
        let answer = markdown_answer("How do I read a file in Rust?", 0);
        assert_eq!(answer, markdown_answer("How do I read a file in Rust?", 0));
        assert!(answer.starts_with("## How do I read a file in Rust?"));
        assert!(answer.contains("\n- **"));
        assert!(answer.contains("```"));
        assert_ne!(answer, markdown_answer("How do I read a file in Rust?", 1));
    }

    #[test]
    fn long_answers_reach_the_asked_length_deterministically() {
        let long = long_markdown_answer("Benchmark", 0, 20_000);
        assert!(long.len() >= 20_000);
        assert_eq!(long, long_markdown_answer("Benchmark", 0, 20_000));
        assert_eq!(long_markdown_answer("Benchmark", 0, 0), markdown_answer("Benchmark", 0));
        assert_eq!(tokenize(&long).concat(), long);
    }
}
