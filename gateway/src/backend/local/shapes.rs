//! Answer shapes for benchmarks and browser tests: instead of its usual markdown, the local
//! backend can answer with one long code block, list, table or line, and cut the answer into
//! deltas of a fixed size rather than word by word. Clients must stay smooth whatever the
//! shape of an answer; these make the hard shapes reproducible.
use clap::ValueEnum;

use super::text;

/// What a chat answer looks like.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum AnswerShape {
    /// Headings, paragraphs, lists and code, as a model writes them.
    #[default]
    Markdown,
    /// One fenced Rust code block (a model writing one file).
    Code,
    /// One bulleted list.
    List,
    /// One table.
    Table,
    /// One line of hostile markup, no line breaks.
    Line,
}

/// How the local backend writes chat answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerOptions {
    /// Shortest answer in characters (0: natural length).
    pub min_chars: usize,
    pub shape: AnswerShape,
    /// Characters per streamed delta (0: one word-ish token per delta).
    pub delta_chars: usize,
}

impl AnswerOptions {
    /// The answer to `question` (`variant`: the choice index).
    pub fn answer(&self, question: &str, variant: u32) -> String {
        let min = self.min_chars.max(2_000);
        let grow = |head: &str, line: &dyn Fn(usize) -> String, tail: &str| {
            let mut answer = head.to_owned();
            let mut index = 0;
            while answer.len() + tail.len() < min {
                answer.push_str(&line(index));
                index += 1;
            }
            answer.push_str(tail);
            answer
        };
        match self.shape {
            AnswerShape::Markdown => text::long_markdown_answer(question, variant, self.min_chars),
            AnswerShape::Code => grow(
                "```rust\n",
                &|i| match i % 8 {
                    0 => {
                        format!("/// Step {i}: computes the next value.\nfn step_{i}(input: &str, count: u32) -> Result<u32, String> {{\n")
                    }
                    1 => format!("    let parsed: u32 = input.trim().parse().map_err(|e| format!(\"step {i}: {{e}}\"))?;\n"),
                    2 => "    // Multiply, then add the count (wrapping: the value may be large).\n".to_owned(),
                    3 => format!("    let value = parsed.wrapping_mul({}).wrapping_add(count);\n", i + 3),
                    4 => "    if value % 2 == 0 { return Ok(value / 2); }\n".to_owned(),
                    5 => format!("    println!(\"step {i}: <{{value}}> & \\\"done\\\"\");\n"),
                    6 => "    Ok(value)\n}\n".to_owned(),
                    _ => "\n".to_owned(),
                },
                "```",
            ),
            AnswerShape::List => grow(
                "Here is the list:\n\n",
                &|i| format!("- **Item {i}**: check `value_{i}` against the [spec](https://docs.x.ai/{i}) — café ✓\n"),
                "",
            ),
            AnswerShape::Table => grow(
                "| # | name | value | note |\n|---:|:---|---|---|\n",
                &|i| format!("| {i} | item {i} | `{}` | **ok** é |\n", i * 7),
                "",
            ),
            AnswerShape::Line => grow("", &|_| "<b onmouseover=\"window.__xss=1\">x</b>".to_owned(), ""),
        }
    }

    /// The answer cut into deltas: word-ish tokens, or `delta_chars` characters each.
    pub fn cut(&self, tokens: Vec<String>) -> Vec<String> {
        if self.delta_chars == 0 {
            return tokens;
        }
        let chars: Vec<char> = tokens.concat().chars().collect();
        chars.chunks(self.delta_chars).map(|chunk| chunk.iter().collect()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_reaches_the_asked_length_in_its_form() {
        for shape in [AnswerShape::Code, AnswerShape::List, AnswerShape::Table, AnswerShape::Line] {
            let options = AnswerOptions { min_chars: 60_000, shape, delta_chars: 0 };
            let answer = options.answer("Benchmark", 0);
            assert!(answer.len() >= 60_000 - 200 && answer.len() < 60_200, "{shape:?}: {}", answer.len());
            match shape {
                AnswerShape::Code => assert!(answer.starts_with("```rust\n") && answer.ends_with("\n```")),
                AnswerShape::List => assert!(answer.lines().skip(2).all(|line| line.starts_with("- "))),
                AnswerShape::Table => assert!(answer.lines().skip(2).all(|line| line.starts_with("| "))),
                _ => assert!(!answer.contains('\n')),
            }
        }
    }

    #[test]
    fn fixed_size_deltas_rebuild_the_answer() {
        let options = AnswerOptions { min_chars: 5_000, shape: AnswerShape::Line, delta_chars: 64 };
        let answer = options.answer("x", 0);
        let deltas = options.cut(text::tokenize(&answer));
        assert_eq!(deltas.concat(), answer);
        assert!(deltas.iter().all(|delta| delta.chars().count() <= 64));
        assert_eq!(AnswerOptions::default().cut(vec!["a ".into(), "b".into()]), ["a ", "b"]);
    }
}
