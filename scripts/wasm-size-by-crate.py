#!/usr/bin/env python3
"""Where the wasm's bytes go: code size per crate, per module of the app, and the largest
functions, read from the name section of the wasm that rustc links (before wasm-bindgen and
wasm-opt, which drop the names). Shares, not exact final bytes: wasm-opt shrinks every crate,
so the report prints each crate's share of the code and applies it to the final brotli size
when one is given.

Usage: wasm-size-by-crate.py APP.wasm [FINAL_BROTLI_BYTES] [--top N]
"""
import re
import sys
from collections import defaultdict


def leb128(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def name_string(data, pos):
    length, pos = leb128(data, pos)
    return data[pos:pos + length].decode("utf-8", "replace"), pos + length


def sections(data):
    if data[:4] != b"\0asm":
        sys.exit("not a wasm file")
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, pos = leb128(data, pos + 1)
        yield section_id, data[pos:pos + size]
        pos += size


def imported_function_count(payload):
    count, pos = leb128(payload, 0)
    functions = 0
    for _ in range(count):
        _, pos = name_string(payload, pos)
        _, pos = name_string(payload, pos)
        kind = payload[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = leb128(payload, pos)
            functions += 1
        elif kind == 1:  # table: reftype + limits
            pos += 1
            flags, pos = leb128(payload, pos + 0)
            _, pos = leb128(payload, pos)
            if flags & 1:
                _, pos = leb128(payload, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb128(payload, pos)
            _, pos = leb128(payload, pos)
            if flags & 1:
                _, pos = leb128(payload, pos)
        elif kind == 3:  # global: valtype + mutability
            pos += 2
        else:  # tag
            pos += 1
            _, pos = leb128(payload, pos)
    return functions


def body_sizes(payload):
    count, pos = leb128(payload, 0)
    sizes = []
    for _ in range(count):
        size, body = leb128(payload, pos)
        sizes.append(body - pos + size)
        pos = body + size
    return sizes


def function_names(payload):
    _, pos = name_string(payload, 0)  # "name"
    names = {}
    while pos < len(payload):
        sub_id = payload[pos]
        size, pos = leb128(payload, pos + 1)
        end = pos + size
        if sub_id == 1:
            count, p = leb128(payload, pos)
            for _ in range(count):
                index, p = leb128(payload, p)
                names[index], p = name_string(payload, p)
        pos = end
    return names




def demangle_path(name):
    """The path components of a (legacy-mangled or already demangled) Rust symbol."""
    if name.startswith("_ZN"):
        parts, pos, body = [], 3, name
        while pos < len(body) and body[pos].isdigit():
            digits = re.match(r"\d+", body[pos:]).group()
            pos += len(digits)
            parts.append(body[pos:pos + int(digits)])
            pos += int(digits)
        text = "::".join(parts)
        text = text.replace("$LT$", "<").replace("$GT$", ">").replace("$u20$", " ").replace("..", "::")
        text = text.replace("$RF$", "&").replace("$C$", ",").replace("$u7b$", "{").replace("$u7d$", "}")
        name = text.lstrip("_")
    elif name.startswith("_R"):
        # v0 mangling (std's precompiled functions; everything in a nightly build): the crate is
        # the first `C<disambiguator>_<len><name>`, and the identifier right after it the module.
        crate = re.search(r"C(?:s[0-9A-Za-z_]*?_)?(\d+)", name)
        if crate:
            start = crate.end()
            end = start + int(crate.group(1))
            length = re.match(r"\d+", name[end:])
            module = name[end + length.end():end + length.end() + int(length.group())] if length else "(v0)"
            return name[start:end] + "::" + module + " " + name
    name = re.sub(r"::h[0-9a-f]{16}$", "", name)
    return name


def descriptor(path):
    """wasm-bindgen's descriptor functions: rustc emits them, wasm-bindgen runs and removes them,
    so none of their bytes are served."""
    return path.startswith("__wbindgen_describe") or path.endswith("wasm_bindgen::describe::WasmDescribe>::describe")


def owner(path):
    """(crate, module) a function belongs to: the first path inside any leading `<`/`&`."""
    stripped = path.lstrip("<&*").replace("dyn ", "").replace("mut ", "").replace("const ", "")
    parts = re.split(r"::|<| as |>|,| ", stripped)
    parts = [p for p in parts if p]
    if not parts:
        return "(unnamed)", ""
    crate = parts[0]
    if re.match(r"^[A-Z]$", crate):
        return "(blanket impls: <T as Trait>, closures F)", ""
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", crate) or len(parts) == 1:
        return "(no crate: std glue, closures, imports)", ""
    return crate, parts[1] if len(parts) > 1 else ""


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    top = 15
    if "--top" in sys.argv:
        top = int(sys.argv[sys.argv.index("--top") + 1])
        args = [a for a in args if a != str(top)]
    data = open(args[0], "rb").read()
    final = int(args[1]) if len(args) > 1 else None
    imported, sizes, names, data_bytes = 0, [], {}, 0
    for section_id, payload in sections(data):
        if section_id == 2:
            imported = imported_function_count(payload)
        elif section_id == 10:
            sizes = body_sizes(payload)
        elif section_id == 11:
            data_bytes = len(payload)
        elif section_id == 0 and payload[1:5] == b"name":
            names = function_names(payload)
    if not names:
        sys.exit("the wasm has no name section (build without stripping symbols)")
    by_crate, by_module, functions = defaultdict(int), defaultdict(int), []
    removed = 0
    for i, size in enumerate(sizes):
        path = demangle_path(names.get(imported + i, f"func{imported + i}"))
        if descriptor(path):
            removed += size
            continue
        crate, module = owner(path)
        by_crate[crate] += size
        if crate == "xai_web":
            by_module[module or "(root)"] += size
        functions.append((size, path))
    code = sum(sizes) - removed
    total = code + data_bytes

    def line(label, size):
        share = size / total
        estimate = f"  ~{share * final / 1024:6.1f} K brotli" if final else ""
        print(f"  {label:<44} {size / 1024:8.1f} K  {share * 100:5.1f} %{estimate}")

    print(f"wasm before wasm-opt: {len(data) / 1024:.1f} K; code {code / 1024:.1f} K in {len(functions)} functions, data {data_bytes / 1024:.1f} K"
          f" (not counted: {removed / 1024:.1f} K of wasm-bindgen descriptors, which wasm-bindgen removes)")
    print("by crate (code; data segments as one line):")
    rows = sorted(by_crate.items(), key=lambda kv: -kv[1])
    for crate, size in rows[:top]:
        line(crate, size)
    rest = sum(size for _, size in rows[top:])
    if rest:
        line(f"({len(rows) - top} other crates)", rest)
    line("(data: strings, tables, constants)", data_bytes)
    print("by module of the app (code the app's own crate holds; generics land in their crate):")
    for module, size in sorted(by_module.items(), key=lambda kv: -kv[1]):
        line(f"xai_web::{module}", size)
    print(f"largest {top} functions:")
    for size, path in sorted(functions, reverse=True)[:top]:
        print(f"  {size / 1024:7.1f} K  {path[:110]}")


if __name__ == "__main__":
    main()
