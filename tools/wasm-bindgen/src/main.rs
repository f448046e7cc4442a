//! The part of `wasm-bindgen`'s command line that trunk uses (see Cargo.toml for why this exists):
//!
//!   wasm-bindgen --target=web --out-dir=DIR --out-name=NAME INPUT.wasm
//!                [--keep-debug] [--no-demangle] [--debug] [--reference-types] [--weak-refs]
//!                [--no-typescript]
//!   wasm-bindgen --version
//!
//! A module with lazily loaded code is split first (src/split.rs); any other module goes
//! through exactly as before.
//!
//! Options also work as `--name value`. Anything else is an error naming the option, so a trunk
//! that starts passing a new flag fails loudly instead of building something different.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use wasm_bindgen_cli_support::Bindgen;

mod split;

#[derive(Debug, Default, PartialEq)]
struct Args {
    input: Option<PathBuf>,
    target: Option<String>,
    out_dir: Option<PathBuf>,
    out_name: Option<String>,
    keep_debug: bool,
    no_demangle: bool,
    debug: bool,
    no_typescript: bool,
    reference_types: bool,
    version: bool,
}

fn parse(raw: impl IntoIterator<Item = String>) -> Result<Args> {
    let mut args = Args::default();
    let mut raw = raw.into_iter();
    while let Some(arg) = raw.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_string(), Some(value.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| match inline.clone() {
            Some(value) => Ok(value),
            None => raw.next().with_context(|| format!("{what} needs a value")),
        };
        match name.as_str() {
            "--version" | "-V" => args.version = true,
            "--target" => args.target = Some(value("--target")?),
            "--out-dir" => args.out_dir = Some(value("--out-dir")?.into()),
            "--out-name" => args.out_name = Some(value("--out-name")?),
            "--keep-debug" => args.keep_debug = true,
            "--no-demangle" => args.no_demangle = true,
            "--debug" => args.debug = true,
            "--no-typescript" => args.no_typescript = true,
            "--reference-types" => args.reference_types = true,
            // Detected at run time by wasm-bindgen 0.2.130's glue; its CLI ignores it too.
            "--weak-refs" => {}
            flag if flag.starts_with('-') => bail!("unsupported option {flag}"),
            _ if args.input.is_some() => bail!("more than one input file: {arg}"),
            _ => args.input = Some(arg.into()),
        }
    }
    Ok(args)
}

fn run(args: Args) -> Result<()> {
    if args.version {
        println!("wasm-bindgen {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    let input = args.input.context("no input .wasm file given")?;
    let out_dir = args.out_dir.context("--out-dir is required")?;
    let mut bindgen = Bindgen::new();
    match args.target.as_deref().unwrap_or("web") {
        "web" => bindgen.web(true)?,
        "no-modules" => bindgen.no_modules(true)?,
        "bundler" => bindgen.bundler(true)?,
        other => bail!("unsupported --target {other} (web, no-modules or bundler)"),
    };
    // What wasm-bindgen's own CLI sets where the library's defaults differ: the glue loads
    // `<name>_bg.wasm` beside itself when given no module, and `--reference-types` is passed on.
    let wasm = std::fs::read(&input).with_context(|| format!("reading {}", input.display()))?;
    // trunk copies all of `snippets/`, and the console and the widget share this out dir: an
    // earlier build's split files must not come along.
    split::remove_earlier_splits(&out_dir)?;
    let split = match split::has_split_points(&wasm)? {
        true => Some(split::split(&wasm, &out_dir)?),
        false => None,
    };
    // The split-off files import the main module's functions, memory and table by the names
    // the linker exported them under: wasm-bindgen must not remove those exports.
    bindgen.keep_lld_exports(split.is_some());
    // A module that is not split but was linked with `--emit-relocs` (.cargo/config.toml, for
    // the split): from a copy without the linker's sections (what the split drops too).
    let unlinked = match split.is_none() {
        true => split::without_link_sections(&wasm)?,
        false => None,
    };
    let unlinked = match unlinked {
        Some(bytes) => {
            let path = out_dir.join(format!("{}.unlinked.wasm", file_stem(&input)));
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
            Some(path)
        }
        None => None,
    };
    let bindgen_input = match (&split, &unlinked) {
        (Some(split), _) => split.main.as_path(),
        (None, Some(path)) => path.as_path(),
        (None, None) => input.as_path(),
    };
    #[allow(deprecated)]
    bindgen
        .input_path(bindgen_input)
        .omit_default_module_path(false)
        .reference_types(args.reference_types)
        .debug(args.debug)
        .keep_debug(args.keep_debug)
        .demangle(!args.no_demangle)
        .typescript(!args.no_typescript);
    // Given another file than the input: the output is named after the input, as wasm-bindgen
    // would have.
    let out_name = args.out_name.clone().or_else(|| (bindgen_input != input).then(|| file_stem(&input)));
    if let Some(name) = &out_name {
        bindgen.out_name(name);
    }
    bindgen.generate(&out_dir).with_context(|| format!("generating bindings for {}", input.display()))?;
    if let Some(split) = split {
        split.finish(&out_dir.join(format!("{}.js", out_name.unwrap_or_default())))?;
    }
    if let Some(path) = unlinked {
        std::fs::remove_file(path)?;
    }
    Ok(())
}

/// wasm-bindgen's default output name: the input's file name without `.wasm`.
fn file_stem(input: &std::path::Path) -> String {
    input.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
}

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)).and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:?}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args> {
        parse(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn reads_what_trunk_passes() {
        let parsed = args(&[
            "--target=web",
            "--out-dir=/tmp/out",
            "--out-name=app-1",
            "/tmp/app.wasm",
            "--keep-debug",
            "--no-typescript",
            "--weak-refs",
        ])
        .unwrap();
        assert_eq!(parsed.target.as_deref(), Some("web"));
        assert_eq!(parsed.out_dir, Some(PathBuf::from("/tmp/out")));
        assert_eq!(parsed.out_name.as_deref(), Some("app-1"));
        assert_eq!(parsed.input, Some(PathBuf::from("/tmp/app.wasm")));
        assert!(parsed.keep_debug && parsed.no_typescript && !parsed.no_demangle);
    }

    #[test]
    fn takes_values_after_a_space_too() {
        let parsed = args(&["--out-dir", "o", "--target", "no-modules", "x.wasm"]).unwrap();
        assert_eq!(parsed.out_dir, Some(PathBuf::from("o")));
        assert_eq!(parsed.target.as_deref(), Some("no-modules"));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        let err = args(&["--split-linked-modules", "x.wasm"]).unwrap_err();
        assert!(err.to_string().contains("--split-linked-modules"));
        assert!(args(&["a.wasm", "b.wasm"]).is_err());
        assert!(args(&["--out-dir"]).is_err());
    }
}
