"""The GitHub workflows and what a fork needs: actionlint and GitHub's schemas find nothing,
the security rules hold, and GitHub behaves as the workflows expect.

Rules: every action is pinned to a full commit SHA with its version in a comment, at its
current major or newer; every workflow starts with no or read-only permissions and every job
says what it needs; no pull_request_target; no text from an issue, pull request or commit is
pasted into a shell script or github-script (it is passed through env: and read as data).
Pull requests a workflow opens use the GitHub App's token when it is set up (a GITHUB_TOKEN
pull request starts no checks) and close their issue with an English keyword; every label a
workflow or issue form names is declared in .github/labels.yml; Dependabot keeps major
updates apart; LICENSE is the EUPL-1.2 text. All offline.
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

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
NAMES = [p.name for p in WORKFLOWS]
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
#: Contexts anyone can fill with text (a title, a branch name, a commit message...).
UNTRUSTED = re.compile(r"github\.event\.|github\.head_ref|inputs\.|steps\.[\w-]+\.outputs")


def tool(name: str) -> str:
    """A command of the test extra: next to this Python first, else on PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} ontbreekt: installeer de test-extra (pip install -e '.[test]')."
    return found


def actionlint() -> str:
    return tool("actionlint")


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
    # and the ids reach kb uit-issue
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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    # GitHub's default is 360 minutes: a hung job would hold a runner for six hours.
    for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, (path.name, name, minutes)


# --- GitHub's own schemas (check-jsonschema vendors SchemaStore's) --------------------------

SCHEMAS = {
    "vendor.github-workflows": WORKFLOWS,
    "vendor.github-issue-forms": ISSUE_FORMS,
    "vendor.github-issue-config": [GITHUB / "ISSUE_TEMPLATE" / "config.yml"],
    "vendor.dependabot": [GITHUB / "dependabot.yml"],
}


def check_jsonschema(schema: str, paths: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("schema", SCHEMAS)
def test_files_match_githubs_schemas(schema: str) -> None:
    assert SCHEMAS[schema], f"geen bestanden voor {schema}"
    done = check_jsonschema(schema, SCHEMAS[schema])
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schemas_do_find_problems(tmp_path: Path) -> None:
    form = tmp_path / "form.yml"
    form.write_text(
        "name: x\ndescription: x\nbody:\n- type: dropdown\n  id: a\n  attributes: {label: A}\n"
    )
    dependabot = tmp_path / "dependabot.yml"
    dependabot.write_text(
        "version: 2\nupdates:\n- package-ecosystem: pip\n  directory: /\n"
        "  schedule: {interval: weekly}\n  groups: {a: {patterns: ['*'], update-types: [huge]}}\n"
    )
    workflow = tmp_path / "workflow.yml"
    workflow.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    for schema, path in (
        ("vendor.github-issue-forms", form),
        ("vendor.dependabot", dependabot),
        ("vendor.github-workflows", workflow),
    ):
        done = check_jsonschema(schema, [path])
        assert done.returncode == 1, (schema, done.stdout + done.stderr)


# --- actions at their current major -----------------------------------------------------------

#: The newest major of every action the workflows use, checked on 2026-12-02 against the
#: actions' own release tags and other projects' pins of the same release (the commit that
#: wrote this comment lists them). Dependabot may raise the pins; a new action needs a row.
CURRENT_MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/github-script": 9,
    "actions/upload-artifact": 7,
    "actions/download-artifact": 8,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/create-github-app-token": 3,
    "peter-evans/create-pull-request": 8,
}


def test_actions_are_at_their_current_major_or_newer() -> None:
    for path in WORKFLOWS:
        for action in uses_lines(path):
            name, rest = action.split("@", 1)
            assert name in CURRENT_MAJORS, f"{path.name}: {name} staat niet in CURRENT_MAJORS"
            major = int(rest.split("# v", 1)[1].split(".")[0])
            assert major >= CURRENT_MAJORS[name], f"{path.name}: {action}"


# --- pull requests opened by a workflow -------------------------------------------------------

APP_ACTION = "actions/create-github-app-token"
#: The token every push and pull request of a workflow uses: the app's, else GITHUB_TOKEN.
APP_TOKEN = "${{ steps.%s.outputs.token || github.token }}"
#: What the pull request and the job summary say when the app is not set up.
FALLBACK_NOTE = "de controles zijn niet vanzelf gestart"


def action_name(step: dict) -> str:
    return str(step.get("uses", "")).split("@", 1)[0]


def opens_a_pull_request(step: dict) -> bool:
    return "gh pr create" in step.get("run", "") or (
        action_name(step) == "peter-evans/create-pull-request"
    )


def pull_request_steps() -> list[tuple[str, str, dict, int]]:
    """(workflow, job name, job, step index) of every step that opens a pull request."""
    found = []
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            for index, step in enumerate(job.get("steps", [])):
                if opens_a_pull_request(step):
                    found.append((path.name, name, job, index))
    return found


def test_the_workflows_that_open_pull_requests() -> None:
    assert {workflow for workflow, *_ in pull_request_steps()} == {
        "casus-uit-issue.yml",
        "bronnen.yml",
    }


@pytest.mark.parametrize("where", pull_request_steps(), ids=lambda w: f"{w[0]}-{w[1]}")
def test_pull_requests_use_the_app_token_when_there_is_one(where: tuple) -> None:
    """GitHub starts no workflow for events made with GITHUB_TOKEN: a pull request opened with
    it gets no PR-controle. So the app's installation token pushes and opens it."""
    workflow, name, job, index = where
    steps = job["steps"]
    apps = [i for i, s in enumerate(steps) if action_name(s) == APP_ACTION]
    assert len(apps) == 1 and apps[0] < index, f"{workflow}/{name}: geen app-token vooraf"
    app = steps[apps[0]]
    token = APP_TOKEN % app["id"]
    assert app["with"]["client-id"] == "${{ vars.KB_APP_CLIENT_ID }}"
    assert app["with"]["private-key"] == "${{ secrets.KB_APP_PRIVATE_KEY }}"
    # 'if:' cannot read secrets: the job states whether the key is set, the step tests that.
    assert job["env"]["KB_APP_KEY_SET"] == "${{ secrets.KB_APP_PRIVATE_KEY != '' }}"
    assert "secrets." not in app["if"]
    assert {"vars.KB_APP_CLIENT_ID != ''", "env.KB_APP_KEY_SET == 'true'"} <= {
        part.strip() for part in app["if"].split("&&")
    }
    step = steps[index]
    checkout = next(s for s in steps if action_name(s) == "actions/checkout")
    assert steps.index(checkout) > apps[0]
    if "run" in step:  # the script pushes with the checkout's credentials and runs gh
        assert step["env"]["GH_TOKEN"] == token
        assert checkout["with"]["token"] == token
    else:  # create-pull-request pushes with its own token
        assert step["with"]["token"] == token
        assert checkout["with"]["persist-credentials"] is False
    # Without the app the pull request says how a maintainer starts the checks.
    texts = [s.get("run", "") for s in steps[: index + 1]]
    note = [text for text in texts if FALLBACK_NOTE in text]
    assert note and "Reopen pull request" in note[0] and '"$MET_APP" != "true"' in note[0]
    met_app = [s["env"]["MET_APP"] for s in steps[: index + 1] if "MET_APP" in s.get("env", {})]
    assert met_app == [f"${{{{ steps.{app['id']}.outputs.token != '' }}}}"]


def test_pull_requests_close_their_issue_with_an_english_keyword() -> None:
    # GitHub only knows English closing keywords: "Sluit #12" leaves issue 12 open.
    keyword = re.compile(r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?) #\$ISSUE_NUMBER\b", re.I)
    from_issues = [
        w for w in pull_request_steps() if "issues" in load(GITHUB / "workflows" / w[0])["on"]
    ]
    assert from_issues, "geen workflow maakt een pull request uit een issue"
    for workflow, name, job, index in from_issues:
        text = job["steps"][index]["run"]
        assert keyword.search(text) and not re.search(r"\bSluit #", text), (workflow, name)


def test_sources_update_one_fixed_branch_per_network() -> None:
    data = load(GITHUB / "workflows" / "bronnen.yml")
    job = data["jobs"]["bijwerken"]
    assert job["needs"] == "lijst"
    assert job["strategy"]["matrix"]["netwerk"] == "${{ fromJSON(needs.lijst.outputs.netwerken) }}"
    assert job["strategy"]["fail-fast"] is False
    steps = {s.get("id") or s.get("name"): s for s in job["steps"]}
    assert 'kb bronnen bijwerken --netwerk "$NETWERK"' in steps["Bron bijwerken"]["run"]
    pr = steps["pr"]
    assert action_name(pr) == "peter-evans/create-pull-request"
    assert pr["with"]["branch"] == "bronnen/${{ matrix.netwerk }}"  # fixed: no date, no run id
    # The lock bump and the ledger entries of new cases travel in one pull request.
    assert pr["with"]["add-paths"].splitlines() == [
        "content/casussen/${{ matrix.netwerk }}/",
        "content/bronnen.lock.yml",
        "content/gepubliceerd.yml",
    ]
    # A source that is down changes nothing, so its open pull request is left alone.
    assert pr["if"] == "steps.wijziging.outputs.gewijzigd == 'true'"
    assert not any("date " in text or "$(date" in text for _, text in scripts(data))


def fake_venv_python(folder: Path) -> None:
    """`.venv/bin/python` in folder, running this test's Python (and its packages)."""
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    path = cwd / "stap.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd), **env},
        capture_output=True,
        text=True,
    )


def test_the_source_list_names_the_networks_with_a_source(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    fake_venv_python(tmp_path)
    script = step_script("bronnen.yml", "Netwerken met een bron zoeken")
    output = tmp_path / "output"
    done = run_step(script, tmp_path, {"GITHUB_OUTPUT": str(output)})
    assert done.returncode == 0, done.stderr
    assert output.read_text() == "netwerken=[]\n"  # the starter content: no network has one
    registry = tmp_path / "content" / "netwerken.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            "    voorvoegsel: zzd\n",
            "    voorvoegsel: zzd\n    bron:\n      url: https://example.org/zzd.git\n"
            "      ref: main\n      map: casussen\n",
        ),
        encoding="utf-8",
    )
    output.unlink()
    done = run_step(script, tmp_path, {"GITHUB_OUTPUT": str(output)})
    assert done.returncode == 0, done.stderr
    assert output.read_text() == 'netwerken=["zorgzame-dorpen"]\n'


@pytest.mark.parametrize("met_app", ["true", "false"])
def test_the_source_pull_request_is_only_proposed_for_a_change(
    tmp_path: Path, met_app: str
) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    work = tmp_path / "werk"
    (work / "content").mkdir(parents=True)
    (work / "content" / "bronnen.lock.yml").write_text("{}\n")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=work, env=env, check=True)
    temp = tmp_path / "temp"
    temp.mkdir()
    (temp / "verslag.txt").write_text("Ongewijzigd: zorgzame-dorpen staat al op commit abc.\n")
    script = step_script("bronnen.yml", "Wijzigingen bekijken")
    outputs = {
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "RUNNER_TEMP": str(temp),
        "NETWERK": "zorgzame-dorpen",
        "MET_APP": met_app,
    }
    done = run_step(script, work, outputs)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output").read_text() == "gewijzigd=false\n"
    assert not (temp / "beschrijving.md").exists()
    (work / "content" / "bronnen.lock.yml").write_text("zorgzame-dorpen: {commit: abc}\n")
    (tmp_path / "output").unlink()
    done = run_step(script, work, outputs)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output").read_text() == "gewijzigd=true\n"
    body = (temp / "beschrijving.md").read_text()
    assert "`zorgzame-dorpen`" in body and "content/gepubliceerd.yml" in body
    assert (FALLBACK_NOTE in body) == (met_app == "false")


# --- labels ------------------------------------------------------------------------------------

LABELS = GITHUB / "labels.yml"


def declared_labels() -> list[dict]:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


def used_labels() -> set[str]:
    """Every label an issue form sets or a workflow matches, adds, removes or creates."""
    used: set[str] = set()
    for form in ISSUE_FORMS:
        used.update(yaml.safe_load(form.read_text(encoding="utf-8")).get("labels") or [])
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"label\.name == '([^']+)'", text))
        used.update(re.findall(r"--(?:add-|remove-)?label[ =]\"?([a-z0-9-]+)", text))
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                if action_name(step) == "peter-evans/create-pull-request":
                    used.update(re.split(r"[,\s]+", str(step["with"].get("labels", "")).strip()))
    return used - {""}


def test_every_label_in_use_is_declared_once() -> None:
    labels = declared_labels()
    names = [label["name"] for label in labels]
    assert len(names) == len(set(names))
    for label in labels:
        assert re.fullmatch(r"[a-z0-9-]+", label["name"]), label
        assert re.fullmatch(r"[0-9a-f]{6}", label["color"]), label
        assert 0 < len(label["description"]) <= 100, label
    used = used_labels()
    assert {"casus", "casus-klaar"} <= used
    assert used <= set(names), f"niet in .github/labels.yml: {sorted(used - set(names))}"


def test_the_label_workflow_creates_every_declared_label(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    shutil.copy(LABELS, tmp_path / ".github" / "labels.yml")
    fake_venv_python(tmp_path)
    calls = tmp_path / "gh.log"
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s\\0" "$@" >> "{calls}"\nprintf "\\n" >> "{calls}"\n')
    fake.chmod(0o755)
    env = {
        "PATH": f"{fake.parent}:{os.environ['PATH']}",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
    }
    done = run_step(step_script("labels.yml", "Labels maken of bijwerken"), tmp_path, env)
    assert done.returncode == 0, done.stderr
    made = [line.split("\0")[:-1] for line in calls.read_text().splitlines()]
    assert made == [
        [
            "label",
            "create",
            label["name"],
            "--color",
            label["color"],
            "--description",
            label["description"],
            "--force",
        ]
        for label in declared_labels()
    ]
    on = load(GITHUB / "workflows" / "labels.yml")["on"]
    assert "workflow_dispatch" in on and on["push"]["paths"] == [".github/labels.yml"]


# --- Dependabot and the licence -----------------------------------------------------------------


def test_dependabot_keeps_major_updates_apart() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) >= {"github-actions", "pip", "npm"}
    assert updates["pip"]["directory"] == "/"  # the pip-compile lock file is at the top level
    for ecosystem, update in updates.items():
        kinds = []
        for name, group in update["groups"].items():
            # A group without update-types takes majors too, beside the minor updates.
            assert "update-types" in group, (ecosystem, name)
            types = set(group["update-types"])
            assert types == {"major"} or "major" not in types, (ecosystem, name)
            kinds.append(types)
        assert {"major"} in kinds and any({"minor", "patch"} <= k for k in kinds), ecosystem


def test_the_licence_is_the_eupl_1_2() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert text.splitlines()[:2] == [
        "EUROPEAN UNION PUBLIC LICENCE v. 1.2",
        "EUPL © the European Union 2007, 2016",
    ]
    for sentence in (
        "This European Union Public Licence (the ‘EUPL’) applies to the Work (as defined below)"
        " which is provided under the terms of this Licence.",
        "The Licensor hereby grants You a worldwide, royalty-free, non-exclusive, sublicensable"
        " licence to do the following, for the duration of copyright vested in the Original Work:",
        "The Work is a work in progress, which is continuously improved by numerous Contributors.",
        "All other changes or additions to this Appendix require the production of a new EUPL"
        " version.",
    ):
        assert sentence in flat, sentence
    assert "EUPL-1.2" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_workflows_call_kb_by_its_dutch_command_names() -> None:
    # The old English names still work as hidden aliases, but what a maintainer reads in a
    # workflow log should be the names `kb --help` shows.
    from kb_tools.cli import ALIASES

    used = re.compile(r"\bkb (" + "|".join(map(re.escape, ALIASES)) + r")\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / ".github").rglob("*.y*ml"))
        + [ROOT / ".github/pull_request_template.md", ROOT / "Makefile"]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if used.search(line)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("workflow", "variable", "shape"),
    [
        ("pr-comment.yml", "f", "kb_tools.validate.report:FindingJson"),
        ("links.yml", "r", "kb_tools.cli.github:LinkCheckJson"),
    ],
)
def test_workflow_scripts_read_only_the_documented_json_keys(
    workflow: str, variable: str, shape: str
) -> None:
    # The scripts that read kb's --json output use the keys its TypedDict declares (the same
    # keys content/handleiding/json-uitvoer.md documents); a renamed key fails here, not on
    # GitHub.
    import importlib

    module, name = shape.split(":")
    keys = set(getattr(importlib.import_module(module), name).__annotations__)
    text = (GITHUB / "workflows" / workflow).read_text(encoding="utf-8")
    used = set(re.findall(rf"\b{variable}\.([a-z_]+)\b", text))
    assert used, f"{workflow} reads no {variable}.<key>"
    assert used <= keys, f"{workflow} reads keys kb does not write: {sorted(used - keys)}"
