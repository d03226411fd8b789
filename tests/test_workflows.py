"""The GitHub workflows: actionlint finds nothing, and the security rules hold.

Rules: every action is pinned to a full commit SHA with its version in a comment; every
workflow starts with no or read-only permissions and every job says what it needs; no
pull_request_target; and no text from an issue, pull request or commit is pasted into a
shell script or github-script (it is passed through env: and read as data).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NAMES = [p.name for p in WORKFLOWS]
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
#: Contexts anyone can fill with text (a title, a branch name, a commit message...).
UNTRUSTED = re.compile(r"github\.event\.|github\.head_ref|inputs\.|steps\.[\w-]+\.outputs")


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert found, "actionlint ontbreekt: installeer de test-extra (pip install -e '.[test]')."
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def test_the_expected_workflows_exist() -> None:
    assert {
        "pr.yml",
        "pr-comment.yml",
        "publish.yml",
        "links.yml",
        "casus-uit-issue.yml",
        "bronnen.yml",
    } <= set(NAMES)


def test_actionlint_finds_nothing() -> None:
    done = subprocess.run(
        [actionlint(), "-no-color", *map(str, WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_find_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.head_commit.message }}\n"
        "      - uses: actions/checkout@v4\n        with: {bestaat-niet: 1}\n",
        encoding="utf-8",
    )
    done = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and "bad.yml" in done.stdout


def uses_lines(path: Path) -> list[str]:
    return [
        line.strip().removeprefix("- ").removeprefix("uses:").strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(- )?uses:", line)
    ]


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_actions_are_pinned_to_a_commit_with_the_version(path: Path) -> None:
    uses = uses_lines(path)
    assert uses, "geen acties gevonden"
    for action in uses:
        if action.startswith("./"):
            continue
        assert PINNED.match(action), f"niet vastgepind op een commit met '# vX.Y.Z': {action}"


def test_one_sha_per_action_across_workflows() -> None:
    seen: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for action in uses_lines(path):
            name, rest = action.split("@", 1)
            seen.setdefault(name, set()).add(rest)
    assert {name: pins for name, pins in seen.items() if len(pins) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_permissions_are_least_privilege(path: Path) -> None:
    data = load(path)
    assert "permissions" in data, "zet 'permissions: {}' bovenaan"
    top = data["permissions"]
    assert top in ({}, "read-all") or (
        isinstance(top, dict) and set(top.values()) <= {"read", "none"}
    ), f"bovenaan alleen lezen: {top}"
    for name, job in data["jobs"].items():
        assert "permissions" in job, f"taak '{name}' noemt geen permissions"
        assert job["permissions"] not in ("write-all", "read-all"), name


def test_only_the_deploy_job_may_publish() -> None:
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            perms = job.get("permissions") or {}
            if "pages" in perms or "id-token" in perms:
                assert (path.name, name) == ("publish.yml", "publiceren")
                assert perms == {"pages": "write", "id-token": "write"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_no_pull_request_target(path: Path) -> None:
    on = load(path)["on"]
    triggers = [on] if isinstance(on, str) else list(on)
    assert "pull_request_target" not in triggers
    code = [line.split(" #")[0] for line in path.read_text(encoding="utf-8").splitlines()]
    assert not any(
        "pull_request_target" in line for line in code if not line.lstrip().startswith("#")
    )


def scripts(data: dict) -> list[tuple[str, str]]:
    """(where, text) of every shell script and github-script in the workflow."""
    found = []
    for name, job in data["jobs"].items():
        for index, step in enumerate(job.get("steps", [])):
            where = f"{name}, stap {index + 1}"
            if "run" in step:
                found.append((where, step["run"]))
            if "script" in (step.get("with") or {}):
                found.append((where, step["with"]["script"]))
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=NAMES)
def test_no_untrusted_text_in_scripts(path: Path) -> None:
    for where, text in scripts(load(path)):
        for expression in EXPRESSION.findall(text):
            assert not UNTRUSTED.search(expression), (
                f"{where}: '${{{{{expression}}}}}' in een script; geef het door via env:"
            )


def test_the_untrusted_check_catches_an_injection() -> None:
    data = {"jobs": {"a": {"steps": [{"run": 'echo "${{ github.event.pull_request.title }}"'}]}}}
    (where, text), *_ = scripts(data)
    assert any(UNTRUSTED.search(e) for e in EXPRESSION.findall(text))


def test_pull_request_checks_never_get_a_write_token() -> None:
    data = load(ROOT / ".github" / "workflows" / "pr.yml")
    for job in data["jobs"].values():
        assert set(job["permissions"].values()) <= {"read", "none"}
    comment = load(ROOT / ".github" / "workflows" / "pr-comment.yml")
    for job in comment["jobs"].values():
        steps = " ".join(str(s.get("uses", "")) for s in job["steps"])
        assert "actions/checkout" not in steps, "de reactie-taak mag geen code uitchecken"


def test_dependabot_watches_actions_and_pip() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} >= {"github-actions", "pip"}


def step_script(workflow: str, name: str) -> str:
    for job in load(ROOT / ".github" / "workflows" / workflow)["jobs"].values():
        for step in job["steps"]:
            if step.get("name") == name:
                return step["run"]
    raise AssertionError(f"{workflow}: geen stap '{name}'")


def test_intake_reserves_the_ids_of_the_other_open_intake_branches(tmp_path: Path) -> None:
    """The step of casus-uit-issue.yml that collects taken ids, run as GitHub runs it, in a
    shallow clone of a repository with intake branches; with git only, no GitHub API."""
    git_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_COUNT": "4",
        "GIT_CONFIG_KEY_0": "protocol.file.allow",
        "GIT_CONFIG_VALUE_0": "always",
        "GIT_CONFIG_KEY_1": "user.name",
        "GIT_CONFIG_VALUE_1": "Test",
        "GIT_CONFIG_KEY_2": "user.email",
        "GIT_CONFIG_VALUE_2": "test@example.org",
        "GIT_CONFIG_KEY_3": "init.defaultBranch",
        "GIT_CONFIG_VALUE_3": "main",
    }

    def git(*args: str, cwd: Path) -> None:
        subprocess.run(["git", *args], cwd=cwd, env=git_env, check=True, capture_output=True)

    origin, work, runner = tmp_path / "origin.git", tmp_path / "werk", tmp_path / "runner"
    git("init", "--quiet", "--bare", str(origin), cwd=tmp_path)
    git("clone", "--quiet", origin.as_uri(), str(work), cwd=tmp_path)
    folder = work / "content" / "casussen" / "omzien-naar-elkaar"
    folder.mkdir(parents=True)

    def commit(branch: str, files: dict[str, str], start: str = "main") -> None:
        if branch != "main":
            git("switch", "--quiet", "-C", branch, start, cwd=work)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        git("add", "-A", cwd=work)
        git("commit", "--quiet", "-m", branch, cwd=work)
        git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", cwd=work)
        git("switch", "--quiet", "main", cwd=work)

    commit("main", {"bestaand.md": "---\nid: utr-0001\n---\n"})
    commit("casus/issue-1", {"een.md": "---\nid: utr-0002\n---\n"})
    commit("casus/issue-2", {"twee.md": "---\nid: 'utr-0003'\n---\n", "bestaand.md": "anders"})
    commit("casus/issue-3", {"drie.md": "---\nid: utr-0004\n---\n"})  # this issue's own
    commit("ander-werk", {"vier.md": "---\nid: utr-0009\n---\n"})  # not an intake branch
    git("pull", "--quiet", "origin", "main", cwd=work)
    commit("main", {"later.md": "---\nid: utr-0005\n---\n"})  # main moved on
    git("clone", "--quiet", "--depth", "1", origin.as_uri(), str(runner), cwd=tmp_path)

    script = tmp_path / "stap.sh"
    script.write_text(step_script("casus-uit-issue.yml", "Bezette nummers verzamelen"))
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**git_env, "RUNNER_TEMP": str(temp), "ISSUE_NUMBER": "3"}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=runner,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (temp / "bezet.txt").read_text().split() == ["utr-0002", "utr-0003"]
    # and the ids reach kb from-issue
    run = step_script("casus-uit-issue.yml", "Casus maken uit de tekst van het issue")
    assert run.count('"${bezet[@]}"') == 2 and '--bezet-bestand "$RUNNER_TEMP/bezet.txt"' in run


def test_the_taken_ids_step_works_without_any_intake_branch(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    origin, runner = tmp_path / "origin.git", tmp_path / "runner"
    subprocess.run(["git", "init", "--quiet", "--bare", str(origin)], env=env, check=True)
    work = tmp_path / "werk"
    subprocess.run(["git", "clone", "--quiet", origin.as_uri(), str(work)], env=env, check=True)
    (work / "x").write_text("x")
    for args in (["add", "x"], ["-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=work, env=env, check=True)
    subprocess.run(
        ["git", "push", "-q", "origin", "HEAD:refs/heads/main"], cwd=work, env=env, check=True
    )
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", origin.as_uri(), str(runner)], env=env, check=True
    )
    script = tmp_path / "stap.sh"
    script.write_text(step_script("casus-uit-issue.yml", "Bezette nummers verzamelen"))
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=runner,
        env={**env, "RUNNER_TEMP": str(tmp_path), "ISSUE_NUMBER": "1"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "bezet.txt").read_text() == ""


def test_pull_requests_close_their_issue_with_an_english_keyword() -> None:
    # GitHub only knows English closing keywords: "Sluit #12" leaves issue 12 open.
    keywords = re.compile(r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?) #", re.IGNORECASE)
    bodies = [
        (path.name, line)
        for path in WORKFLOWS
        for line in path.read_text(encoding="utf-8").splitlines()
        if "--body" in line and "#$ISSUE_NUMBER" in line
    ]
    assert bodies, "no pull request body names its issue"
    for name, line in bodies:
        assert keywords.search(line) and not re.search(r"\bSluit #", line), (name, line)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    # GitHub's default is 360 minutes: a hung job would hold a runner for six hours.
    for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, (path.name, name, minutes)
