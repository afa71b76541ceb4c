//! The import rules of the client's hand-written code (`client/src/`), held
//! by `cargo xtask check`: no two files import each other, directly or
//! through others, and imports point down the table of layers [`LAYERS`]
//! (ARCHITECTURE.md, "Invariants", says the same in prose).
//!
//! A file is read with syn, without compiling anything. What counts as an
//! import: every `use` item and every path written in code (`crate::x::f()`,
//! `super::y::T`, a module's own name at the top of a `use`), outside
//! `#[cfg(test)]` items: a test may reach across layers to set a case up.
//! Paths in doc comments and macro bodies are not read.
//!
//! The generated files (`generated/`) are in no layer: the hand-written code
//! of every layer may read them (the `Client` type, the operation table, the
//! type builders' error), and they use every layer of the library; they
//! change only by `cargo xtask regen`. So they are not read here, and a
//! path into them is no import this check holds.
//!
//! Every module keeps its name at the crate root (`crate::runtime` is
//! `send/runtime.rs` through `pub use send::runtime` in lib.rs), so a path is
//! resolved through the `use` items of the module it names, as rustc would.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The layers, from the bottom: a file may import files of its own layer
/// (without a cycle) and of the layers above it in this table, never of a
/// layer below it. A module belongs to the first entry one of whose
/// prefixes names it or a module it is inside.
pub const LAYERS: &[(&str, &[&str])] = &[
    (
        "shared words: short text, the kinds of error, a configuration error",
        &["text", "error::kind", "error::build"],
    ),
    (
        "values as the server writes them",
        &["read::lenient", "read::de", "read::decode"],
    ),
    ("building a request", &["build"]),
    (
        "sending it: credentials, limits, retries, redirects, recording",
        &[
            "send::redact",
            "send::auth",
            "send::origin",
            "send::tls",
            "send::redirect",
            "send::retry",
            "send::rate_limit",
            "send::record",
        ],
    ),
    ("the crate's error", &["error"]),
    (
        "the client and the answer",
        &["send::runtime", "read::response", "read", "send"],
    ),
    ("paging, any path", &["pagination", "request"]),
    ("the crate root", &["crate"]),
    (
        "what the front ends share, and webhooks",
        &["invoke", "webhooks"],
    ),
    ("the MCP server", &["mcp"]),
    ("the command line", &["cli", "bin"]),
];

/// One hand-written file of the crate, by its module path.
#[derive(Debug)]
struct Module {
    file: PathBuf,
    /// Names this module's `use` items bring in: name → the path it stands for.
    aliases: BTreeMap<String, Vec<String>>,
    /// Modules whose every public item this module re-exports (`use m::*`).
    globs: Vec<Vec<String>>,
    /// Inline modules (`mod prelude { ... }`), with their own `use` items.
    inline: BTreeMap<String, Uses>,
    /// The paths the file's code names, with the line of each.
    paths: Vec<(Vec<String>, usize)>,
}

impl Module {
    fn unread(file: PathBuf) -> Module {
        Module {
            file,
            aliases: BTreeMap::new(),
            globs: Vec::new(),
            inline: BTreeMap::new(),
            paths: Vec::new(),
        }
    }
}

#[derive(Debug, Default)]
struct Uses {
    aliases: BTreeMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

/// The files of a crate's `src/` and what each imports.
#[derive(Debug)]
pub struct Graph {
    src: PathBuf,
    /// How messages name `src` (`client/src`).
    shown_as: String,
    modules: BTreeMap<String, Module>,
    /// module → module → the first line that imports it.
    edges: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Graph {
    /// Reads every `.rs` file under `src` but `generated/`.
    pub fn scan(src: &Path) -> Result<Graph, String> {
        let mut modules = BTreeMap::new();
        let mut files = Vec::new();
        collect(src, src, &mut files)?;
        let names: BTreeSet<String> = files.iter().map(|f| module_name(src, f)).collect();
        for file in files {
            let name = module_name(src, &file);
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let parsed = syn::parse_file(&text)
                .map_err(|e| format!("{}:{}: {e}", file.display(), e.span().start().line))?;
            modules.insert(name.clone(), read_module(&name, file, &parsed, &names));
        }
        // The generated files are not read, but paths into them are imports
        // of them: one module stands for the folder.
        if src.join("generated").is_dir() {
            modules.insert(
                "generated".to_string(),
                Module::unread(src.join("generated")),
            );
        }
        let shown_as = src.parent().and_then(Path::file_name).map_or_else(
            || "src".to_string(),
            |crate_dir| format!("{}/src", crate_dir.to_string_lossy()),
        );
        let mut graph = Graph {
            src: src.to_path_buf(),
            shown_as,
            modules,
            edges: BTreeMap::new(),
        };
        graph.resolve_edges();
        Ok(graph)
    }

    fn resolve_edges(&mut self) {
        let mut edges: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (name, module) in &self.modules {
            let out = edges.entry(name.clone()).or_default();
            for (path, line) in &module.paths {
                let Some(absolute) = absolute(name, path, &self.modules) else {
                    continue;
                };
                for target in self.targets(&absolute, 0) {
                    if target != *name && !is_inside(name, &target) && !is_inside(&target, name) {
                        out.entry(target).or_insert(*line);
                    }
                }
            }
        }
        self.edges = edges;
    }

    /// The files an absolute path (from the crate root, without `crate`)
    /// lands in: the module that defines what it names, following `use`
    /// items of the modules on the way.
    fn targets(&self, path: &[String], depth: usize) -> Vec<String> {
        if depth > 16 {
            return Vec::new();
        }
        // The longest prefix that is a file's module.
        let mut at = "crate".to_string();
        let mut i = 0;
        while i < path.len() {
            let next = child(&at, &path[i]);
            if self.modules.contains_key(&next) {
                at = next;
                i += 1;
                continue;
            }
            let Some(module) = self.modules.get(&at) else {
                break;
            };
            // An inline module of this file: what its `use` items name.
            if let Some(uses) = module.inline.get(&path[i]) {
                let rest = &path[i + 1..];
                return self
                    .through(uses, rest, depth)
                    .unwrap_or_else(|| vec![at.clone()]);
            }
            // A name the module's `use` items bring in.
            let uses = Uses {
                aliases: module.aliases.clone(),
                globs: module.globs.clone(),
            };
            if let Some(found) = self.through(&uses, &path[i..], depth) {
                return found;
            }
            break;
        }
        vec![at]
    }

    fn through(&self, uses: &Uses, rest: &[String], depth: usize) -> Option<Vec<String>> {
        let first = rest.first()?;
        if let Some(target) = uses.aliases.get(first) {
            let mut path = target.clone();
            path.extend(rest[1..].iter().cloned());
            return Some(self.targets(&path, depth + 1));
        }
        let mut found = Vec::new();
        for glob in &uses.globs {
            let mut path = glob.clone();
            path.extend(rest.iter().cloned());
            found.extend(self.targets(&path, depth + 1));
        }
        (!found.is_empty()).then_some(found)
    }

    /// Every import that breaks a rule, and every cycle, as messages naming
    /// the files and lines.
    pub fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (from, targets) in &self.edges {
            if from == "generated" {
                continue;
            }
            let Some(from_layer) = layer(from) else {
                found.push(format!(
                    "{}: module `{from}` is in no layer of xtask/src/layers.rs LAYERS; add it",
                    self.file(from)
                ));
                continue;
            };
            for (to, line) in targets {
                let Some(to_layer) = layer(to) else { continue };
                if to_layer > from_layer {
                    found.push(format!(
                        "{}:{line}: `{from}` ({}) imports `{to}` ({}), a layer above it",
                        self.file(from),
                        LAYERS[from_layer].0,
                        LAYERS[to_layer].0,
                    ));
                }
            }
        }
        for cycle in self.cycles() {
            let mut text = String::from("a cycle of imports: ");
            for (i, module) in cycle.iter().enumerate() {
                let next = &cycle[(i + 1) % cycle.len()];
                let line = self.edges[module][next];
                let _ = write!(text, "{}:{line} (`{module}` → `{next}`)", self.file(module));
                if i + 1 < cycle.len() {
                    text.push_str(", ");
                }
            }
            found.push(text);
        }
        found
    }

    fn file(&self, module: &str) -> String {
        self.modules.get(module).map_or_else(
            || module.to_string(),
            |m| {
                let relative = m.file.strip_prefix(&self.src).unwrap_or(&m.file);
                format!("{}/{}", self.shown_as, relative.display())
            },
        )
    }

    /// One cycle through each group of modules that import each other,
    /// as the modules along it.
    fn cycles(&self) -> Vec<Vec<String>> {
        let mut cycles = Vec::new();
        for group in strongly_connected(&self.edges) {
            if group.len() < 2 {
                continue;
            }
            cycles.push(cycle_in(&self.edges, &group));
        }
        cycles
    }

    /// How many files and imports were read.
    pub fn summary(&self) -> String {
        let imports: usize = self.edges.values().map(BTreeMap::len).sum();
        format!(
            "{} hand-written files, {imports} imports between them",
            self.modules.len()
        )
    }
}

/// Checks the crate at `src`: a summary line, or every violation.
pub fn check(src: &Path) -> Result<String, String> {
    let graph = Graph::scan(src)?;
    let violations = graph.violations();
    if violations.is_empty() {
        Ok(format!(
            "the client's imports follow the layers ({}): no cycle",
            graph.summary()
        ))
    } else {
        Err(format!(
            "the client's imports break the layers of ARCHITECTURE.md (xtask/src/layers.rs):\n  {}",
            violations.join("\n  ")
        ))
    }
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, prefixes)| {
        prefixes
            .iter()
            .any(|p| module == *p || (*p != "crate" && is_inside(module, p)))
    })
}

/// Whether module `inner` is inside module `outer` (`send::record::har` in `send`).
fn is_inside(inner: &str, outer: &str) -> bool {
    outer == "crate"
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with("::"))
}

fn child(parent: &str, name: &str) -> String {
    if parent == "crate" {
        name.to_string()
    } else {
        format!("{parent}::{name}")
    }
}

fn collect(src: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries: Vec<_> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path != src.join("generated") {
                collect(src, &path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// `lib.rs` → `crate`, `send/mod.rs` → `send`, `send/runtime.rs` → `send::runtime`.
fn module_name(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts.is_empty() {
        return "crate".to_string();
    }
    parts.join("::")
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let text = a.meta.to_token_stream_string();
            text.contains("test") && !text.contains("not")
        }
    })
}

trait MetaText {
    fn to_token_stream_string(&self) -> String;
}

impl MetaText for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote::ToTokens::to_token_stream(self).to_string()
    }
}

fn read_module(name: &str, file: PathBuf, parsed: &syn::File, names: &BTreeSet<String>) -> Module {
    let mut module = Module {
        file,
        aliases: BTreeMap::new(),
        globs: Vec::new(),
        inline: BTreeMap::new(),
        paths: Vec::new(),
    };
    let mut own = Uses::default();
    for item in &parsed.items {
        match item {
            syn::Item::Use(u) if !is_test_only(&u.attrs) => {
                read_use(
                    name,
                    &u.tree,
                    Vec::new(),
                    &mut own,
                    &mut module.paths,
                    names,
                );
            }
            syn::Item::Mod(m) if !is_test_only(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    let inner = child(name, &m.ident.to_string());
                    let mut uses = Uses::default();
                    for item in items {
                        if let syn::Item::Use(u) = item {
                            read_use(
                                &inner,
                                &u.tree,
                                Vec::new(),
                                &mut uses,
                                &mut module.paths,
                                names,
                            );
                        } else {
                            let mut paths = Paths::default();
                            paths.visit_item(item);
                            module.paths.extend(paths.found);
                        }
                    }
                    module.inline.insert(m.ident.to_string(), uses);
                }
            }
            other if !item_is_test_only(other) => {
                let mut paths = Paths::default();
                paths.visit_item(other);
                module.paths.extend(paths.found);
            }
            _ => {}
        }
    }
    module.aliases = own.aliases;
    module.globs = own.globs;
    module
}

fn item_is_test_only(item: &syn::Item) -> bool {
    let attrs: &[syn::Attribute] = match item {
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => return false,
    };
    is_test_only(attrs)
}

/// Reads a `use` tree: what each name it brings in stands for, and the
/// path itself as an import.
fn read_use(
    module: &str,
    tree: &syn::UseTree,
    prefix: Vec<String>,
    uses: &mut Uses,
    paths: &mut Vec<(Vec<String>, usize)>,
    names: &BTreeSet<String>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut prefix = prefix;
            prefix.push(p.ident.to_string());
            read_use(module, &p.tree, prefix, uses, paths, names);
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix;
            let name = n.ident.to_string();
            if name != "self" {
                path.push(name.clone());
            }
            let alias = if name == "self" {
                path.last().cloned().unwrap_or_default()
            } else {
                name
            };
            add_use(
                module,
                alias,
                path,
                n.ident.span().start().line,
                uses,
                paths,
                names,
            );
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix;
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            add_use(
                module,
                r.rename.to_string(),
                path,
                r.ident.span().start().line,
                uses,
                paths,
                names,
            );
        }
        syn::UseTree::Glob(g) => {
            if let Some(path) = local_path(module, &prefix, names) {
                paths.push((prefix.clone(), g.star_token.span.start().line));
                uses.globs.push(path);
            }
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                read_use(module, tree, prefix.clone(), uses, paths, names);
            }
        }
    }
}

fn add_use(
    module: &str,
    alias: String,
    path: Vec<String>,
    line: usize,
    uses: &mut Uses,
    paths: &mut Vec<(Vec<String>, usize)>,
    names: &BTreeSet<String>,
) {
    if let Some(absolute) = local_path(module, &path, names) {
        paths.push((path, line));
        uses.aliases.insert(alias, absolute);
    }
}

/// A `use` path as a path from the crate root, when it is the crate's own
/// (`crate::`, `super::`, `self::`, or a child module's name): `None` for a
/// path into another crate.
fn local_path(module: &str, path: &[String], names: &BTreeSet<String>) -> Option<Vec<String>> {
    let first = path.first()?;
    match first.as_str() {
        "crate" | "super" | "self" => absolute_from(module, path),
        // A child module's name (uniform paths), or the generated folder's.
        _ if names.contains(&child(module, first))
            || (module == "crate" && first == "generated") =>
        {
            let mut full = vec!["self".to_string()];
            full.extend(path.iter().cloned());
            absolute_from(module, &full)
        }
        _ => None,
    }
}

/// A path written in module `module` as a path from the crate root.
fn absolute(
    module: &str,
    path: &[String],
    modules: &BTreeMap<String, Module>,
) -> Option<Vec<String>> {
    let first = path.first()?;
    match first.as_str() {
        "crate" | "super" | "self" => absolute_from(module, path),
        _ => {
            // A child module named without `self::` (a `use` at the root).
            let child = child(module, first);
            modules.contains_key(&child).then(|| {
                let mut full: Vec<String> = if module == "crate" {
                    Vec::new()
                } else {
                    module.split("::").map(str::to_string).collect()
                };
                full.extend(path.iter().cloned());
                full
            })
        }
    }
}

fn absolute_from(module: &str, path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = if module == "crate" {
        Vec::new()
    } else {
        module.split("::").map(str::to_string).collect()
    };
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The paths written in code that start at the crate (`crate::`, `super::`,
/// `self::`).
#[derive(Default)]
struct Paths {
    found: Vec<(Vec<String>, usize)>,
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments
            .first()
            .is_some_and(|s| matches!(s.as_str(), "crate" | "super" | "self"))
            && segments.len() > 1
        {
            let line = path.segments[0].ident.span().start().line;
            self.found.push((segments, line));
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_only(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
}

/// Tarjan's algorithm: the groups of modules that reach each other.
fn strongly_connected(edges: &BTreeMap<String, BTreeMap<String, usize>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeMap<String, usize>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(out) = s.edges.get(v) {
            for w in out.keys() {
                let w = w.as_str();
                if !s.edges.contains_key(w) {
                    continue;
                }
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_string());
                if w == v {
                    break;
                }
            }
            group.sort();
            s.groups.push(group);
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.groups
}

/// A shortest cycle through the first module of a group (breadth first,
/// within the group).
fn cycle_in(edges: &BTreeMap<String, BTreeMap<String, usize>>, group: &[String]) -> Vec<String> {
    let start = &group[0];
    let members: BTreeSet<&String> = group.iter().collect();
    let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in edges[v].keys() {
            if !members.contains(w) {
                continue;
            }
            if w == start {
                let mut cycle = vec![v.clone()];
                let mut at = v;
                while at != start {
                    at = came_from[at];
                    cycle.push(at.clone());
                }
                cycle.reverse();
                return cycle;
            }
            if !came_from.contains_key(w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    group.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_cycle_through_a_root_alias_is_found_with_files_and_lines() {
        let dir = crate_with(&[
            (
                "lib.rs",
                "mod read;\nmod send;\npub use read::decode;\npub use send::runtime;\nmod text;\n",
            ),
            ("read/mod.rs", "pub mod decode;\n"),
            ("read/decode.rs", "fn f() {\n    crate::runtime::go();\n}\n"),
            ("send/mod.rs", "pub mod runtime;\n"),
            (
                "send/runtime.rs",
                "use crate::decode::Mode;\npub fn go() {}\n",
            ),
            ("text.rs", ""),
        ]);
        let graph = Graph::scan(dir.path()).unwrap();
        let violations = graph.violations();
        let cycle = violations
            .iter()
            .find(|v| v.starts_with("a cycle"))
            .expect("the cycle is reported");
        assert!(
            cycle.contains("decode.rs:2 (`read::decode` → `send::runtime`)"),
            "{cycle}"
        );
        assert!(
            cycle.contains("runtime.rs:1 (`send::runtime` → `read::decode`)"),
            "{cycle}"
        );
        // decode (values) importing the runtime also points up the table.
        assert!(
            violations
                .iter()
                .any(|v| v.contains("decode.rs:2") && v.contains("a layer above")),
            "{violations:?}"
        );
    }

    #[test]
    fn imports_down_the_table_and_test_code_pass() {
        let dir = crate_with(&[
            (
                "lib.rs",
                "mod read;\npub use read::decode;\nmod text;\npub mod cli;\n",
            ),
            ("read/mod.rs", "pub mod decode;\n"),
            (
                "read/decode.rs",
                "use crate::text::snippet;\n#[cfg(test)]\nmod tests {\n    use crate::cli::x;\n}\n",
            ),
            ("text.rs", "pub fn snippet() {}\n"),
            (
                "cli/mod.rs",
                "use crate::decode::f;\nfn g() { super::text::snippet(); }\n",
            ),
        ]);
        let graph = Graph::scan(dir.path()).unwrap();
        assert_eq!(graph.violations(), Vec::<String>::new());
        assert_eq!(
            graph.edges["read::decode"].keys().collect::<Vec<_>>(),
            ["text"]
        );
        assert_eq!(
            graph.edges["cli"].keys().collect::<Vec<_>>(),
            ["read::decode", "text"]
        );
    }

    #[test]
    fn an_unplaced_module_and_an_upward_import_are_named() {
        let dir = crate_with(&[
            ("lib.rs", "pub mod build;\npub mod mcp;\npub mod stray;\n"),
            ("build/mod.rs", "pub mod value;\n"),
            ("build/value.rs", "use crate::mcp::Tool;\n"),
            ("mcp/mod.rs", "pub struct Tool;\n"),
            ("stray.rs", "use crate::build::value;\n"),
        ]);
        let violations = Graph::scan(dir.path()).unwrap().violations();
        assert!(
            violations.iter().any(|v| v.contains("value.rs:1")
                && v.contains("`build::value` (building a request) imports `mcp`")),
            "{violations:?}"
        );
        assert!(
            violations
                .iter()
                .any(|v| v.contains("stray.rs") && v.contains("in no layer")),
            "{violations:?}"
        );
    }

    #[test]
    fn a_file_that_is_not_rust_is_an_error_naming_it() {
        let dir = crate_with(&[("lib.rs", "mod a;\n"), ("a.rs", "fn (\n")]);
        let error = Graph::scan(dir.path()).unwrap_err();
        assert!(error.contains("a.rs:1"), "{error}");
    }

    /// The client itself: the rule this module exists for.
    #[test]
    fn the_client_follows_its_layers() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/src");
        if let Err(message) = check(&src) {
            panic!("{message}");
        }
    }
}
