//! The split step, for a module with lazily loaded code (Leptos's `#[lazy]`, which is
//! `wasm_split_helpers`'s `#[wasm_split]`): every lazy function is a wasm import from the module
//! `__wasm_split_placeholder__`, which no browser can satisfy. `wasm_split_cli_support` (what
//! cargo-leptos runs with `--split`) cuts such a module into a main module, one wasm file per lazy
//! function plus chunks of the code several of them share, and a JS module (the "link module")
//! that fetches and instantiates them on the first call. The main module then goes through
//! wasm-bindgen as usual, keeping the exports the other files import (`keep_lld_exports`).
//!
//! Where the files go, for trunk (0.21), which copies wasm-bindgen's `snippets/` folder into
//! dist/ as it is: `snippets/wasm-split-<hash of the input>/`, the link module and the wasm
//! files together (the link module fetches them relative to itself). The hash names the folder
//! after what it was built from, so its files can be cached as immutable like trunk's own.
//!
//! The link module cannot import the glue (what the library generates) by name, as
//! `wasm_split_cli_support` has it do: trunk renames the glue with its own hash after this
//! tool has run. So the glue hands its `initSync` (which returns the main instance's exports)
//! to the link module instead, with two lines appended to it; the link module asks for it only
//! when a chunk is loaded, after the glue has run.
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The import module of every lazy function before the split (`wasm_split_macros`).
const PLACEHOLDER_MODULE: &str = "__wasm_split_placeholder__";
/// The folder the split files go to, under `snippets/`, before the input's hash.
pub const DIR_PREFIX: &str = "wasm-split-";
const LINK_FILE: &str = "__wasm_split.js";
/// What the link module is told to import `initSync` from; replaced (see the module's doc).
const MAIN_STAND_IN: &str = "./__wasm_split_glue__.js";

/// Whether `wasm` has lazy functions (imports from the placeholder module) to split off.
pub fn has_split_points(wasm: &[u8]) -> Result<bool> {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ImportSection(reader) = payload? {
            for import in reader.into_imports() {
                if import?.module == PLACEHOLDER_MODULE {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// The result of [`split`]: what wasm-bindgen gets instead of the input, and where the rest is.
pub struct Split {
    /// The main module, for wasm-bindgen.
    pub main: PathBuf,
    /// How the glue imports the link module (relative to the glue, in `out_dir`).
    link_specifier: String,
}

/// Splits `wasm` into the main module (written to `out_dir`, outside `snippets/`) and
/// `out_dir/snippets/wasm-split-<hash>/`.
pub fn split(wasm: &[u8], out_dir: &Path) -> Result<Split> {
    let snippets = out_dir.join("snippets");
    let folder = format!("{DIR_PREFIX}{:016x}", fnv1a(wasm));
    let dir = snippets.join(&folder);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let main = out_dir.join(format!("{folder}.main.wasm"));
    let link_specifier = format!("./snippets/{folder}/{LINK_FILE}");
    let result = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(wasm);
        // The link module's file name is also the import module of the main module's loaders:
        // relative to out_dir, where the glue is. The library writes the split-off wasm files
        // to `output_dir`; they are moved beside the link module below.
        options.output_dir = out_dir;
        options.main_out_path = &main;
        options.link_name = &link_specifier;
        options.main_module = MAIN_STAND_IN;
        options
    })
    .map_err(|err| anyhow::anyhow!("{err:?}"))
    .context("splitting the module at its lazy functions")?;
    for module in &result.split_modules {
        let name = module.file_name().context("a split module has no file name")?;
        std::fs::rename(module, dir.join(name)).with_context(|| format!("moving {} into {}", module.display(), dir.display()))?;
    }
    let link = dir.join(LINK_FILE);
    let script = std::fs::read_to_string(&link).with_context(|| format!("reading {}", link.display()))?;
    std::fs::write(&link, take_init_from_glue(&script)?)?;
    Ok(Split { main, link_specifier })
}

impl Split {
    /// Appends to the glue `out_dir/<out_name>.js` the lines that hand `initSync` to the link
    /// module, and removes the main module (an intermediate file trunk does not copy).
    pub fn finish(self, glue: &Path) -> Result<()> {
        let mut script = std::fs::read_to_string(glue).with_context(|| format!("reading {}", glue.display()))?;
        script.push_str(&glue_hand_over(&self.link_specifier));
        std::fs::write(glue, script)?;
        std::fs::remove_file(&self.main)?;
        Ok(())
    }
}

/// The link module's import of the glue, replaced by a variable the glue sets.
fn take_init_from_glue(script: &str) -> Result<String> {
    let import = format!("import {{ initSync }} from \"{MAIN_STAND_IN}\";");
    if !script.contains(&import) {
        bail!("the link module does not import initSync as expected (wasm_split_cli_support changed?)");
    }
    let replacement = "// Set by the glue, whose file name trunk chooses (tools/wasm-bindgen/src/split.rs).\n\
                       let initSync;\n\
                       export function __wasm_split_set_init(init) { initSync = init; }";
    Ok(script.replacen(&import, replacement, 1))
}

/// What the glue gets appended: it imports the link module anyway (for the loaders), so this
/// runs once the link module has been evaluated and before any chunk can be asked for.
fn glue_hand_over(link_specifier: &str) -> String {
    format!("\nimport {{ __wasm_split_set_init }} from \"{link_specifier}\";\n__wasm_split_set_init(initSync);\n")
}

/// Removes the `snippets/wasm-split-*` folders earlier runs left in `out_dir`, and `snippets/`
/// when nothing else is in it (wasm-bindgen writes none for a module without JS snippets, and
/// trunk would copy the empty folder).
pub fn remove_earlier_splits(out_dir: &Path) -> Result<()> {
    let snippets = out_dir.join("snippets");
    let Ok(entries) = std::fs::read_dir(&snippets) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(DIR_PREFIX) {
            std::fs::remove_dir_all(entry.path()).with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    if std::fs::read_dir(&snippets)?.next().is_none() {
        std::fs::remove_dir(&snippets)?;
    }
    Ok(())
}

/// `wasm` without the linker's symbol table and relocations (the custom sections `linking` and
/// `reloc.*`, which `--emit-relocs` keeps for the split), or `None` when it has none. For a
/// module that is not split: wasm-bindgen and wasm-opt would pass them on to the browser.
pub fn without_link_sections(wasm: &[u8]) -> Result<Option<Vec<u8>>> {
    const HEADER: usize = 8;
    if wasm.len() < HEADER || &wasm[..4] != b"\0asm" {
        bail!("not a wasm module");
    }
    let mut kept = wasm[..HEADER].to_vec();
    let mut dropped = false;
    let mut at = HEADER;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        let (size, contents) = leb128(wasm, at + 1)?;
        let end = contents.checked_add(size).filter(|&end| end <= wasm.len()).context("a section runs past the end")?;
        let is_link_section = id == 0 && {
            let (length, name) = leb128(wasm, contents)?;
            let name = wasm.get(name..name + length).context("a custom section's name runs past the end")?;
            name == b"linking" || name.starts_with(b"reloc.")
        };
        match is_link_section {
            true => dropped = true,
            false => kept.extend_from_slice(&wasm[start..end]),
        }
        at = end;
    }
    Ok(dropped.then_some(kept))
}

/// An unsigned LEB128 number at `at`: its value and where it ends.
fn leb128(bytes: &[u8], mut at: usize) -> Result<(usize, usize)> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).context("a number runs past the end")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
    bail!("a number longer than 32 bits")
}

/// FNV-1a, 64 bits: stable across builds and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing `name` from `module`, in the binary format.
    fn module_importing(module: &str, name: &str) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // Type section: one type, () -> ().
        wasm.extend([1, 4, 1, 0x60, 0, 0]);
        let mut import = vec![1, module.len() as u8];
        import.extend(module.bytes());
        import.push(name.len() as u8);
        import.extend(name.bytes());
        import.extend([0, 0]); // a function of type 0
        wasm.push(2);
        wasm.push(import.len() as u8);
        wasm.extend(import);
        wasm
    }

    #[test]
    fn sees_lazy_functions_by_their_import_module() {
        assert!(has_split_points(&module_importing(PLACEHOLDER_MODULE, "__wasm_split_00x00_import_y")).unwrap());
        assert!(!has_split_points(&module_importing("wbg", "__wbg_log")).unwrap());
        assert!(!has_split_points(b"\0asm\x01\0\0\0").unwrap());
        assert!(has_split_points(b"not wasm").is_err());
    }

    #[test]
    fn the_link_module_gets_init_from_the_glue() {
        let link = format!("import {{ initSync }} from \"{MAIN_STAND_IN}\";\nlet sharedImports = undefined;\n");
        let changed = take_init_from_glue(&link).unwrap();
        assert!(!changed.contains("import"));
        assert!(changed.contains("let initSync;") && changed.contains("export function __wasm_split_set_init(init)"));
        assert!(changed.ends_with("let sharedImports = undefined;\n"));
        assert!(take_init_from_glue("import { initSync } from \"./main.js\";").is_err());
        let appended = glue_hand_over("./snippets/wasm-split-1/__wasm_split.js");
        assert!(appended.contains("import { __wasm_split_set_init } from \"./snippets/wasm-split-1/__wasm_split.js\";"));
        assert!(appended.contains("__wasm_split_set_init(initSync);"));
    }

    #[test]
    fn removes_only_earlier_split_folders() {
        let root = std::env::temp_dir().join(format!("xai-split-test-{}", std::process::id()));
        let snippets = root.join("snippets");
        std::fs::create_dir_all(snippets.join("wasm-split-0123/x")).unwrap();
        std::fs::create_dir_all(snippets.join("xai-web-abc")).unwrap();
        remove_earlier_splits(&root).unwrap();
        assert!(!snippets.join("wasm-split-0123").exists());
        assert!(snippets.join("xai-web-abc").exists());
        std::fs::remove_dir(snippets.join("xai-web-abc")).unwrap();
        std::fs::create_dir_all(snippets.join("wasm-split-4567")).unwrap();
        remove_earlier_splits(&root).unwrap();
        assert!(!snippets.exists(), "an empty snippets/ is removed");
        remove_earlier_splits(&root.join("missing")).unwrap();
        std::fs::remove_dir_all(root).unwrap();
    }

    /// A custom section named `name` holding `data`.
    fn custom_section(name: &str, data: &[u8]) -> Vec<u8> {
        let mut contents = vec![name.len() as u8];
        contents.extend(name.bytes());
        contents.extend(data);
        let mut section = vec![0, contents.len() as u8];
        section.extend(contents);
        section
    }

    #[test]
    fn drops_the_linkers_sections_and_keeps_the_rest() {
        let module = module_importing("wbg", "__wbg_log");
        assert!(without_link_sections(&module).unwrap().is_none(), "nothing to drop: the input as it is");
        let mut linked = module.clone();
        linked.extend(custom_section("linking", &[2, 0]));
        linked.extend(custom_section("producers", b"p"));
        linked.extend(custom_section("reloc.CODE", &[3, 0]));
        let mut expected = module.clone();
        expected.extend(custom_section("producers", b"p"));
        assert_eq!(without_link_sections(&linked).unwrap(), Some(expected));
        assert!(without_link_sections(b"\0asm\x01\0\0\0\0\x09ab").is_err(), "a section past the end");
        assert!(without_link_sections(b"wasm").is_err());
    }

    #[test]
    fn names_the_folder_after_the_input() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(b"ab"), fnv1a(b"ba"));
    }
}
