"""The package layout is the pipeline: the README's layout table names every module of
``kb_tools`` with its stage, in pipeline order, and the code keeps to it: imports point only
back along the pipeline, and no module grows past what a reader takes in at once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "kb_tools"
#: The stages in order; a module may import its own stage and earlier ones only.
STAGES = ("shared", "load", "validate", "enrich", "render", "index", "tooling", "bench", "adapter")
MAX_LINES = 420  # "about 400": a module past this is usually two modules
_ROW = re.compile(r"^\| `(kb_tools/[\w/.]+)` \| (\w+) \| (.*) \|$")


def layout_table() -> dict[str, tuple[str, str]]:
    """README path -> (stage, description)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Pipeline layout", 1)[1].split("\n### ", 1)[0]
    return {m[1]: (m[2], m[3]) for line in section.splitlines() if (m := _ROW.match(line))}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(name: str, table: dict[str, tuple[str, str]]) -> str:
    """The stage of a module: its own row, or its package's row."""
    path = name.replace(".", "/")
    for key in (f"{path}.py", f"{path}/__init__.py", f"{path}/"):
        if key in table:
            return table[key][0]
    package = path.rsplit("/", 1)[0] + "/"
    assert package in table, f"{name} is in no row of the README's layout table"
    return table[package][0]


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kb_tools"):
            assert node.level == 0, f"{path}: use absolute imports (from kb_tools.x import y)"
            found.add(node.module)
            found.update(
                f"{node.module}.{a.name}"
                for a in node.names
                if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/"))
                .with_suffix(".py")
                .exists()
            )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kb_tools."))
    return {m for m in found if m != "kb_tools"}


def test_the_readme_table_names_every_module_and_nothing_else() -> None:
    table = layout_table()
    assert table, "README.md: no rows under '### Pipeline layout'"
    assert [s for s in STAGES if s in {v[0] for v in table.values()}] == [
        s for s in dict.fromkeys(v[0] for v in table.values())
    ], "the table lists the stages in pipeline order"
    assert {stage for stage, _ in table.values()} <= set(STAGES)
    for key, (_, description) in table.items():
        target = ROOT / key
        assert target.exists(), f"README names {key}, which does not exist"
        if key.endswith("/"):
            present = {p.name for p in target.glob("*.py") if not p.name.startswith("__")}
            named = set(re.findall(r"`(\w+\.py)`", description))
            assert named == present, (
                f"{key}: README names {sorted(named)}, code has {sorted(present)}"
            )
    for path in modules():
        stage_of(module_name(path), table)


def test_imports_point_only_back_along_the_pipeline() -> None:
    table = layout_table()
    wrong = []
    for path in modules():
        own = STAGES.index(stage_of(module_name(path), table))
        for target in imports(path):
            theirs = STAGES.index(stage_of(target, table))
            if theirs > own:
                wrong.append(f"{path.relative_to(ROOT)} imports {target} ({STAGES[theirs]})")
    assert not wrong, "imports against the stage order:\n" + "\n".join(wrong)


def test_only_the_plugin_knows_the_site_engine() -> None:
    for path in modules():
        if "mkdocs_plugin" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                assert not name.startswith(("mkdocs", "material", "properdocs")), (
                    f"{path.relative_to(ROOT)} imports {name}: only the plugin may"
                )


def test_no_module_is_longer_than_a_reader_takes_in_at_once() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_two_modules_share_a_name() -> None:
    names: dict[str, str] = {}
    for path in modules():
        if path.name == "__init__.py":
            continue
        other = names.setdefault(path.name, str(path.relative_to(ROOT)))
        assert other == str(path.relative_to(ROOT)), f"{path.name}: {other} and {path}"
