//! Just enough of Markdown (CommonMark as GitHub renders it) to check the
//! repository's documents: fenced code blocks, headings and their anchors,
//! and link destinations outside code.

use std::collections::HashMap;

/// One document of the repository, read whole.
pub struct Document {
    /// Its path from the workspace root, with `/` (`docs/cli.md`).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// A fenced code block.
pub struct Fence {
    /// The info string after the opening fence (`rust,no_run`, `sh`, empty).
    pub info: String,
    /// The line of the opening fence, from 1.
    pub line: usize,
    /// The lines inside the fence, each with its line number.
    pub lines: Vec<(usize, String)>,
}

impl Fence {
    /// The first word of the info string (`rust` of `rust,no_run`).
    pub fn language(&self) -> &str {
        self.info
            .split(|c: char| c == ',' || c.is_whitespace())
            .next()
            .unwrap_or_default()
    }
}

/// A link found in the text, outside code.
pub struct Link {
    /// Its line, from 1.
    pub line: usize,
    /// Where it points, as written (`docs/cli.md#exit-codes`, `#usage`).
    pub target: String,
}

/// The opening of a fence: its character, its length and its info string.
fn fence_opening(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start();
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    if length < 3 {
        return None;
    }
    let info = trimmed[length..].trim();
    // A backtick fence's info string holds no backtick (CommonMark).
    if marker == '`' && info.contains('`') {
        return None;
    }
    Some((marker, length, info))
}

/// Whether `line` closes a fence opened with `length` times `marker`.
fn closes(line: &str, marker: char, length: usize) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= length && trimmed.chars().all(|c| c == marker)
}

/// Every fenced code block of `text`, in order; a fence left open is an
/// error naming its line.
pub fn fences(text: &str) -> Result<Vec<Fence>, String> {
    let mut fences = Vec::new();
    let mut open: Option<(char, usize, Fence)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        match &mut open {
            Some((marker, length, fence)) => {
                if closes(line, *marker, *length) {
                    if let Some((_, _, fence)) = open.take() {
                        fences.push(fence);
                    }
                } else {
                    fence.lines.push((number, line.to_string()));
                }
            }
            None => {
                if let Some((marker, length, info)) = fence_opening(line) {
                    let fence = Fence {
                        info: info.to_string(),
                        line: number,
                        lines: Vec::new(),
                    };
                    open = Some((marker, length, fence));
                }
            }
        }
    }
    match open {
        Some((_, _, fence)) => Err(format!(
            "line {}: a code fence (```{}) is never closed",
            fence.line, fence.info
        )),
        None => Ok(fences),
    }
}

/// `text` with every fenced block's lines (fences included) blanked, so
/// that what is left is prose; line numbers are kept.
fn prose(text: &str) -> Result<String, String> {
    let mut blank = vec![false; text.lines().count()];
    for fence in fences(text)? {
        blank[fence.line - 1] = true;
        for (number, _) in &fence.lines {
            blank[number - 1] = true;
        }
        // The closing fence follows the last line (or the opening one).
        let closing = fence.lines.last().map_or(fence.line, |(n, _)| *n) + 1;
        if let Some(line) = blank.get_mut(closing - 1) {
            *line = true;
        }
    }
    Ok(text
        .lines()
        .zip(blank)
        .map(|(line, blank)| if blank { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// `text` with the inside of every code span replaced by spaces (newlines
/// kept), as CommonMark reads them: a run of backticks opens a span that the
/// next run of the same length closes, within the paragraph.
fn without_code_spans(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let opening = run_at(i);
        let mut j = i + opening;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let run = run_at(j);
                if run == opening {
                    close = Some(j);
                    break;
                }
                j += run;
            } else if chars[j] == '\n' && paragraph_ends_after(&chars, j) {
                break;
            } else {
                j += 1;
            }
        }
        match close {
            Some(j) => {
                for c in &mut out[i..j + opening] {
                    if *c != '\n' {
                        *c = ' ';
                    }
                }
                i = j + opening;
            }
            None => i += opening,
        }
    }
    out.into_iter().collect()
}

/// Whether the line after the newline at `at` is blank (a paragraph ends).
fn paragraph_ends_after(chars: &[char], at: usize) -> bool {
    chars[at + 1..]
        .iter()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace())
}

/// Every link destination of `text` outside code: inline links and images
/// (`[text](target)`, `![alt](target "title")`) and reference definitions
/// (`[label]: target`). Autolinks and raw HTML are not links to check.
pub fn links(text: &str) -> Result<Vec<Link>, String> {
    let prose = without_code_spans(&prose(text)?);
    let mut links = Vec::new();
    for (index, line) in prose.lines().enumerate() {
        let number = index + 1;
        if let Some(target) = reference_definition(line) {
            links.push(Link {
                line: number,
                target,
            });
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = destination_end(after) else {
                return Err(format!("line {number}: a link whose `(` is never closed"));
            };
            links.push(Link {
                line: number,
                target: destination(&after[..end]),
            });
            rest = &after[end..];
        }
    }
    Ok(links)
}

/// The destination of a reference definition, `[label]: target`.
fn reference_definition(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('[') || trimmed.starts_with("[^") {
        return None;
    }
    let close = trimmed.find("]:")?;
    if trimmed[1..close].contains('[') || trimmed[1..close].contains(']') {
        return None;
    }
    let target = destination(&trimmed[close + 2..]);
    (!target.is_empty()).then_some(target)
}

/// A link destination without the title that may follow it
/// (`target "title"`) and without the `<>` that allow spaces in it.
fn destination(text: &str) -> String {
    let text = text.trim();
    match text.strip_prefix('<') {
        Some(rest) => rest.split('>').next().unwrap_or_default().to_string(),
        None => text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Where the destination that starts `text` ends: at the `)` that balances
/// the opening one.
fn destination_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The anchors of every heading of `text`, as GitHub makes them: the
/// heading's text (code spans and link syntax reduced to their text)
/// lowercased, each space a `-`, every other character dropped but letters,
/// digits, `-` and `_`; the second heading with the same anchor gets `-1`,
/// the third `-2`.
pub fn anchors(text: &str) -> Result<Vec<String>, String> {
    let prose = prose(text)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = Vec::new();
    for line in prose.lines() {
        let Some(title) = heading(line) else { continue };
        let slug = slug(&title);
        let count = seen.entry(slug.clone()).or_insert(0);
        anchors.push(if *count == 0 {
            slug
        } else {
            format!("{slug}-{count}")
        });
        *count += 1;
    }
    Ok(anchors)
}

/// The text of an ATX heading (`## Set-up` → `Set-up`), if `line` is one.
fn heading(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let trimmed = &line[indent..];
    let level = trimmed.chars().take_while(|c| *c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    // A closing sequence of `#`s is not part of the text.
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some(text.to_string())
}

/// GitHub's anchor for a heading's text.
pub fn slug(title: &str) -> String {
    // `[text](target)` reads as `text`.
    let mut text = String::new();
    let mut rest = title;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = destination_end(&rest[close + 2..]).map(|e| close + 2 + e) else {
            break;
        };
        text.push_str(&rest[..open]);
        text.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn anchors_follow_github() {
    assert_eq!(
        slug("Fleets: one token, many processes"),
        "fleets-one-token-many-processes"
    );
    assert_eq!(slug("For agents: `gitcode mcp`"), "for-agents-gitcode-mcp");
    assert_eq!(slug("Set-up in detail"), "set-up-in-detail");
    assert_eq!(
        slug("GitCode extensions (`x-gitcode-*`)"),
        "gitcode-extensions-x-gitcode-"
    );
    assert_eq!(
        slug("See [the spec](spec/README.md) first"),
        "see-the-spec-first"
    );
    assert_eq!(slug("snake_case names"), "snake_case-names");
    let text = "# Usage\n\n```sh\n# not a heading\n```\n\n## Usage\n### Notes ##\n";
    assert_eq!(anchors(text).unwrap(), ["usage", "usage-1", "notes"]);
}

#[test]
fn links_are_found_outside_code_only() {
    let text = "See [a](docs/a.md#x) and ![b](b.png \"title\").\n\
                `[not](a-link.md)` nor ``[this](one.md)\nacross lines``.\n\
                \n\
                ```text\n[inside](a-fence.md)\n```\n\
                [ref]: ../SECURITY.md\n\
                [c](<d e.md>)\n";
    let found: Vec<(usize, String)> = links(text)
        .unwrap()
        .into_iter()
        .map(|l| (l.line, l.target))
        .collect();
    assert_eq!(
        found,
        [
            (1, "docs/a.md#x".to_string()),
            (1, "b.png".to_string()),
            (8, "../SECURITY.md".to_string()),
            (9, "d e.md".to_string()),
        ]
    );
}

#[test]
fn an_unclosed_fence_is_an_error_naming_its_line() {
    let error = fences("text\n\n```rust\nfn main() {}\n").err().unwrap();
    assert!(error.starts_with("line 3:"), "{error}");
}
