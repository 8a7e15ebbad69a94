#!/usr/bin/env python3
"""Checks every target of Package.swift against the module map in ADR/0001.

The map is the table between `<!-- module-map:begin -->` and `<!-- module-map:end -->` in
ADR/0001-*.md: one row per target with its folder and the WSKit modules it may depend on. Fails
(exit 1, one line per problem) when:

- Package.swift declares a target the map does not list, or the map lists one Package.swift lacks;
- a target's folder differs from its row;
- Package.swift declares a dependency its row does not allow;
- a Swift file imports (`import`, `@_exported import`, `@testable import`, `import struct M.T`, ...)
  a module of this package that its target's row does not allow, or that its target does not
  declare in Package.swift (it would compile only through another target's dependency);
- a row allows a dependency that Package.swift does not declare and no file imports (a stale arrow).

Modules that are not targets of this package (Foundation, Glibc, Testing, Synchronization, ...) are
ignored. The targets come from `swift package dump-package`, or from `--package-json FILE`.

Usage: Tests/ModuleMap/check.py [--package-json FILE]
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BEGIN, END = "<!-- module-map:begin -->", "<!-- module-map:end -->"
IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*"  # @_exported, @testable, @preconcurrency, @_spi(X), ...
    r"(?:(?:public|package|internal|fileprivate|private)\s+)?"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?"
    r"([A-Za-z_][A-Za-z0-9_]*)"
)


def fail_now(message):
    print(f"module map: {message}", file=sys.stderr)
    sys.exit(2)


def read_map():
    """Returns (adr path, {target: (folder, set of allowed dependencies, line number)})."""
    found = glob.glob(os.path.join(ROOT, "ADR", "0001-*.md"))
    if len(found) != 1:
        fail_now("expected exactly one ADR/0001-*.md")
    path = found[0]
    lines = open(path, encoding="utf-8").read().split("\n")
    try:
        start, end = lines.index(BEGIN), lines.index(END)
    except ValueError:
        fail_now(f"{os.path.relpath(path, ROOT)} has no {BEGIN} ... {END} table")
    rows = {}
    for number, line in enumerate(lines[start + 1:end], start + 2):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("target", "") or set(cells[0]) <= set("-: "):
            continue
        name, folder = cells[0].strip("`"), cells[1].strip("`")
        allowed = {d.strip().strip("`") for d in cells[2].split(",")} - {"—", "-", ""}
        if name in rows:
            fail_now(f"{os.path.relpath(path, ROOT)}:{number}: {name} is listed twice")
        rows[name] = (folder, allowed, number)
    if not rows:
        fail_now(f"{os.path.relpath(path, ROOT)}: the module map table is empty")
    return os.path.relpath(path, ROOT), rows


def read_package(package_json):
    if package_json:
        text = open(package_json, encoding="utf-8").read()
    else:
        swift = shutil.which("swift") or "/opt/swift/usr/bin/swift"
        # A scratch folder of its own: the check does not wait for the lock of a build under way.
        with tempfile.TemporaryDirectory(prefix="wskit-module-map-") as scratch:
            result = subprocess.run(
                [swift, "package", "--scratch-path", scratch, "dump-package"], cwd=ROOT, capture_output=True, text=True
            )
        if result.returncode != 0:
            fail_now("swift package dump-package failed:\n" + result.stderr)
        text = result.stdout
    targets = {}
    for target in json.loads(text)["targets"]:
        deps = []
        for dependency in target.get("dependencies", []):
            # {"byName": ["X", null]}, {"target": ["X", null]} or {"product": ["X", "pkg", ...]}
            kind, value = next(iter(dependency.items()))
            deps.append(value[0])
        path = target.get("path") or {
            "test": f"Tests/{target['name']}", "plugin": f"Plugins/{target['name']}"
        }.get(target["type"], f"Sources/{target['name']}")
        excluded = [os.path.normpath(os.path.join(path, e)) for e in target.get("exclude", [])]
        targets[target["name"]] = (os.path.normpath(path), deps, excluded)
    return targets


def swift_files(targets):
    """Yields (target, file) for every Swift file, each in the target with the deepest folder."""
    by_depth = sorted(targets.items(), key=lambda item: -len(item[1][0]))
    for name, (path, _, excluded) in targets.items():
        for folder, _, files in os.walk(os.path.join(ROOT, path)):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                relative = os.path.relpath(os.path.join(folder, file), ROOT)
                if any(relative == e or relative.startswith(e + os.sep) for e in excluded):
                    continue
                owner = next(n for n, (p, _, _) in by_depth if relative.startswith(p + os.sep))
                if owner == name:
                    yield name, relative


def imports(relative, modules):
    """Yields (line number, module) for the imports of modules of this package in one file."""
    in_string = in_comment = False
    for number, line in enumerate(open(os.path.join(ROOT, relative), encoding="utf-8"), 1):
        skip = in_string or in_comment
        in_string ^= line.count('"""') % 2 == 1
        if "/*" in line and "*/" not in line.split("/*")[-1]:
            in_comment = True
        elif in_comment and "*/" in line:
            in_comment = False
        if skip:
            continue
        match = IMPORT.match(line)
        if match and match.group(1) in modules:
            yield number, match.group(1)


def main(argv):
    package_json = None
    if len(argv) == 2 and argv[0] == "--package-json":
        package_json = argv[1]
    elif argv:
        fail_now("usage: Tests/ModuleMap/check.py [--package-json FILE]")
    adr, rows = read_map()
    targets = read_package(package_json)
    problems = []
    used = {name: set(deps) for name, (_, deps, _) in targets.items()}
    for name, (path, deps, _) in targets.items():
        if name not in rows:
            problems.append(f"Package.swift: target {name} ({path}) is missing from the module map in {adr}")
            continue
        folder, allowed, number = rows[name]
        if os.path.normpath(folder) != path:
            problems.append(f"{adr}:{number}: {name} is in {path} according to Package.swift, not {folder}")
        for dep in deps:
            if dep not in allowed:
                problems.append(f"Package.swift: {name} -> {dep} is not allowed by the module map ({adr}:{number})")
    for name, (_, _, number) in rows.items():
        if name not in targets:
            problems.append(f"{adr}:{number}: {name} is in the module map but not in Package.swift")
    checked = 0
    for name, relative in swift_files(targets):
        declared = set(targets[name][1])
        allowed = rows[name][1] if name in rows else set()
        for number, module in imports(relative, set(targets)):
            checked += 1
            used[name].add(module)
            if module == name:
                continue
            if name in rows and module not in allowed:
                problems.append(
                    f"{relative}:{number}: forbidden import: {name} -> {module} is not allowed by the module map"
                    f" ({adr}:{rows[name][2]})"
                )
            elif module not in declared:
                problems.append(
                    f"{relative}:{number}: {name} imports {module} but does not declare it in Package.swift"
                )
    for name, (_, allowed, number) in rows.items():
        for dep in sorted(allowed - used.get(name, set())):
            if name in targets:
                problems.append(
                    f"{adr}:{number}: stale arrow {name} -> {dep}: neither declared in Package.swift nor imported;"
                    " remove it from the map"
                )
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"module map: {len(problems)} problem(s); the map is {adr}", file=sys.stderr)
        return 1
    print(f"module map: {len(targets)} targets, {checked} imports of WSKit modules, all allowed by {adr}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
