//! The command lines of a shell code block, split into words as a POSIX
//! shell would: `$ ` prompts, `\` continuations, quotes, comments, pipes and
//! lists (`|`, `&&`, `||`, `;`), redirections, and environment assignments
//! before a command.

use super::markdown::Fence;

/// The code block languages whose lines are shell commands. In a `console`
/// block only the lines after a `$ ` prompt are; the rest is output.
pub const SHELL_LANGUAGES: &[&str] = &["sh", "shell", "bash", "console"];

/// One simple command of a block: its line and its words, without the
/// environment assignments before it.
pub struct Command {
    /// The line it starts on, from 1.
    pub line: usize,
    /// The words, the program first.
    pub words: Vec<String>,
}

/// The programs whose command lines the docs check.
#[derive(Debug, PartialEq, Eq)]
pub enum Program {
    /// `gitcode ...`
    Gitcode,
    /// `cargo xtask ...`
    Xtask,
}

/// Every simple command of a shell block, in order; a quote left open is
/// an error naming the line.
pub fn commands(fence: &Fence) -> Result<Vec<Command>, String> {
    let console = fence.language() == "console";
    let mut commands = Vec::new();
    // A line continued with `\`: where it started, and its text so far.
    let mut continuing: Option<(usize, String)> = None;
    for (number, line) in &fence.lines {
        let (start, text) = match continuing.take() {
            Some((start, mut text)) => {
                text.push(' ');
                text.push_str(line.trim_start());
                (start, text)
            }
            None if console => match line.trim_start().strip_prefix('$') {
                Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                    (*number, rest.to_string())
                }
                _ => continue, // output
            },
            None => (*number, line.clone()),
        };
        if let Some(joined) = continued(&text) {
            continuing = Some((start, joined));
            continue;
        }
        for words in split(&text).map_err(|e| format!("line {start}: {e}"))? {
            commands.push(Command { line: start, words });
        }
    }
    if let Some((start, _)) = continuing {
        return Err(format!(
            "line {start}: the last line goes on (`\\`) but the block ends"
        ));
    }
    Ok(commands)
}

/// `text` without its final `\`, if it ends with one that continues it on
/// the next line (an odd number of backslashes).
fn continued(text: &str) -> Option<String> {
    let trimmed = text.trim_end();
    let backslashes = trimmed.chars().rev().take_while(|c| *c == '\\').count();
    (backslashes % 2 == 1).then(|| trimmed[..trimmed.len() - 1].to_string())
}

/// One logical line split into simple commands, each a list of words:
/// quotes removed, a comment dropped, the target of a redirection dropped.
pub fn split(line: &str) -> Result<Vec<Vec<String>>, String> {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    // The next word is a redirection's file, not an argument.
    let mut redirect = false;
    let mut quote = Quote::None;
    let mut chars = line.chars().peekable();

    fn finish(word: &mut Option<String>, words: &mut Vec<String>, redirect: &mut bool) {
        if let Some(w) = word.take() {
            if *redirect {
                *redirect = false;
            } else {
                words.push(w);
            }
        }
    }
    fn end_command(words: &mut Vec<String>, commands: &mut Vec<Vec<String>>) {
        if !words.is_empty() {
            commands.push(std::mem::take(words));
        }
    }

    while let Some(c) = chars.next() {
        match quote {
            Quote::Single => match c {
                '\'' => quote = Quote::None,
                c => word.get_or_insert_default().push(c),
            },
            Quote::Double => match c {
                '"' => quote = Quote::None,
                '\\' => match chars.peek() {
                    Some(&next @ ('$' | '`' | '"' | '\\')) => {
                        chars.next();
                        word.get_or_insert_default().push(next);
                    }
                    _ => word.get_or_insert_default().push('\\'),
                },
                c => word.get_or_insert_default().push(c),
            },
            Quote::None => match c {
                c if c.is_whitespace() => finish(&mut word, &mut words, &mut redirect),
                '#' if word.is_none() => break,
                '\'' => {
                    quote = Quote::Single;
                    word.get_or_insert_default();
                }
                '"' => {
                    quote = Quote::Double;
                    word.get_or_insert_default();
                }
                '\\' => {
                    if let Some(next) = chars.next() {
                        word.get_or_insert_default().push(next);
                    }
                }
                '|' | '&' | ';' => {
                    finish(&mut word, &mut words, &mut redirect);
                    if matches!((c, chars.peek()), ('|', Some('|')) | ('&', Some('&'))) {
                        chars.next();
                    }
                    end_command(&mut words, &mut commands);
                }
                '>' | '<' => {
                    // `2>` redirects a descriptor: the `2` is no word.
                    if word
                        .as_deref()
                        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
                    {
                        word = None;
                    }
                    finish(&mut word, &mut words, &mut redirect);
                    if chars.peek() == Some(&'>') {
                        chars.next();
                    }
                    if chars.peek() == Some(&'&') {
                        // `2>&1`: a descriptor, not a file.
                        chars.next();
                        while chars
                            .peek()
                            .is_some_and(|c| c.is_ascii_digit() || *c == '-')
                        {
                            chars.next();
                        }
                    } else {
                        redirect = true;
                    }
                }
                c => word.get_or_insert_default().push(c),
            },
        }
    }
    if quote != Quote::None {
        return Err(format!("a quote is never closed in `{line}`"));
    }
    finish(&mut word, &mut words, &mut redirect);
    if redirect {
        return Err(format!("a redirection without its file in `{line}`"));
    }
    end_command(&mut words, &mut commands);
    Ok(commands)
}

/// The program a command runs, and the arguments to parse it with (the
/// program's name first, as clap takes them), after any `NAME=value`
/// assignments before it.
pub fn invocation(words: &[String]) -> Option<(Program, Vec<String>)> {
    let start = words.iter().position(|w| !is_assignment(w))?;
    let words = &words[start..];
    match words {
        [program, ..] if program == "gitcode" => Some((Program::Gitcode, words.to_vec())),
        [cargo, xtask, rest @ ..] if cargo == "cargo" && xtask == "xtask" => {
            let mut args = vec!["cargo xtask".to_string()];
            args.extend(rest.iter().cloned());
            Some((Program::Xtask, args))
        }
        _ => None,
    }
}

/// Whether `word` assigns an environment variable (`GITCODE_TOKEN=...`).
fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[test]
fn lines_split_as_a_shell_splits_them() {
    let words = |line: &str| split(line).unwrap();
    assert_eq!(
        words(r#"gitcode api -f title="Crash on start" --jq '.[] | .title'  # a comment"#),
        [[
            "gitcode",
            "api",
            "-f",
            "title=Crash on start",
            "--jq",
            ".[] | .title"
        ]]
    );
    assert_eq!(
        words(r#"echo "$T" | gitcode auth login --with-token && gitcode auth status; ls"#),
        [
            vec!["echo", "$T"],
            vec!["gitcode", "auth", "login", "--with-token"],
            vec!["gitcode", "auth", "status"],
            vec!["ls"],
        ]
    );
    assert_eq!(
        words(r#"gitcode get-repo --owner o --repo r > out.json 2>&1 < /dev/null"#),
        [["gitcode", "get-repo", "--owner", "o", "--repo", "r"]]
    );
    assert_eq!(words(r#"a\ b "c\"d" 'e\f'"#), [["a b", "c\"d", "e\\f"]]);
    assert!(split("gitcode api 'unclosed").is_err());
}

#[test]
fn prompts_continuations_and_assignments_are_understood() {
    let fence = Fence {
        info: "console".to_string(),
        line: 1,
        lines: [
            "$ GITCODE_TOKEN=t cargo xtask probe \\",
            "    --repo o/r",
            "output that is not a command",
            "$ gitcode --version",
        ]
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 2, l.to_string()))
        .collect(),
    };
    let commands = commands(&fence).unwrap();
    let lines: Vec<usize> = commands.iter().map(|c| c.line).collect();
    assert_eq!(
        lines,
        [2, 5],
        "a command per prompt, where it starts; output skipped"
    );
    let strings = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(
        invocation(&commands[0].words),
        Some((
            Program::Xtask,
            strings(&["cargo xtask", "probe", "--repo", "o/r"])
        ))
    );
    assert_eq!(
        invocation(&commands[1].words),
        Some((Program::Gitcode, strings(&["gitcode", "--version"])))
    );
    assert_eq!(invocation(&strings(&["cargo", "test"])), None);
}
