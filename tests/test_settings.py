from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
import yaml

from pipeline.core.errors import ConfigError
from pipeline.core.settings import DEFAULT_CONFIG, Settings, load_settings

REPO = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, text: str, name: str = "user.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_configs_default_yaml_holds_every_setting_with_the_built_in_value() -> None:
    from_file = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    assert from_file == msgspec.to_builtins(Settings())


def test_every_setting_in_default_yaml_has_a_comment() -> None:
    lines = DEFAULT_CONFIG.read_text(encoding="utf-8").splitlines()
    sections = [i for i, line in enumerate(lines) if line and not line[0].isspace()
                and not line.startswith("#")]
    for index in sections:
        assert lines[index - 1].strip() == "" or lines[index - 1].startswith("#")
    assert sum(line.lstrip().startswith("#") for line in lines) >= 30


def test_layers_apply_in_order_defaults_file_environment_flags(tmp_path: Path) -> None:
    user = _write(tmp_path, "scan:\n  min_size: 100\nproviders:\n  tmdb:\n    api_key: from-file\n"
                            "probe:\n  jobs: 3\n")
    settings = load_settings(user, environ={"TMDB_API_KEY": "from-env"},
                             flags={"scan.min_size": 7, "probe.jobs": None})
    assert settings.scan.min_size == 7  # flag beats file
    assert settings.providers.tmdb.api_key == "from-env"  # environment beats file
    assert settings.probe.jobs == 3  # a flag not given leaves the file's value
    assert settings.probe.batch_size == Settings().probe.batch_size  # untouched default


def test_jforg_config_names_the_file_when_no_flag_does(tmp_path: Path) -> None:
    user = _write(tmp_path, "organize:\n  mode: hardlink\n")
    settings = load_settings(environ={"JFORG_CONFIG": str(user)})
    assert settings.organize.mode == "hardlink"


def test_an_unknown_key_is_an_error_naming_the_key_and_the_file(tmp_path: Path) -> None:
    user = _write(tmp_path, "scan:\n  min_sise: 5\n")
    with pytest.raises(ConfigError, match=r"user\.yaml: unknown key 'scan\.min_sise'"):
        load_settings(user, environ={})


def test_an_unknown_section_is_an_error_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown key 'scanner'"):
        load_settings(_write(tmp_path, "scanner: {}\n"), environ={})


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("scan:\n  min_size: big\n", "scan.min_size: expected int, got str"),
        ("organize:\n  mode: teleport\n", "organize.mode"),
        ("scan:\n  exclude: '*.part'\n", "scan.exclude: expected array"),
        ("probe:\n  backend: spark\n", "probe.backend"),
    ],
)
def test_a_wrong_type_is_an_error_naming_the_key_and_the_file(
    tmp_path: Path, text: str, where: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_write(tmp_path, text), environ={})
    assert str(info.value).startswith(f"{tmp_path / 'user.yaml'}: ")
    assert where in str(info.value)


def test_broken_yaml_and_a_missing_file_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML") as info:
        load_settings(_write(tmp_path, "scan: [unclosed\n"), environ={})
    assert "\n" not in str(info.value)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_an_empty_section_changes_nothing(tmp_path: Path) -> None:
    assert load_settings(_write(tmp_path, "scan:\n"), environ={}) == Settings()


def test_secrets_never_show_in_the_settings_repr() -> None:
    settings = load_settings(environ={"TMDB_API_KEY": "k-123", "TMDB_BEARER_TOKEN": "t-456"})
    assert settings.providers.tmdb.bearer_token == "t-456"
    text = repr(settings)
    assert "k-123" not in text and "t-456" not in text


def test_the_nightly_example_is_a_valid_config() -> None:
    settings = load_settings(REPO / "configs" / "nightly.yaml", environ={})
    assert settings.organize.mode == "hardlink"
    assert "*.part" in settings.scan.exclude


def test_the_shipped_defaults_digest_names_configs_default_yaml() -> None:
    import hashlib

    from pipeline.core.settings import SHIPPED_DEFAULTS_SHA256

    digest = hashlib.sha256(DEFAULT_CONFIG.read_bytes()).hexdigest()
    assert digest == SHIPPED_DEFAULTS_SHA256, (
        "configs/default.yaml changed: once it again holds exactly the built-in defaults "
        f"(the first test here), set SHIPPED_DEFAULTS_SHA256 in pipeline/core/settings.py "
        f"to {digest!r}")


def test_a_defaults_file_that_differs_from_the_shipped_one_is_read(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert "  min_size: 0\n" in text
    changed = _write(tmp_path, text.replace("  min_size: 0\n", "  min_size: 5\n"), "default.yaml")
    assert load_settings(environ={}, defaults_file=changed).scan.min_size == 5
    assert load_settings(environ={}, defaults_file=DEFAULT_CONFIG) == Settings()
    # And it is checked like any layer: the error names the key and that file.
    broken = _write(tmp_path, text + "\nnightly:\n  at: 3\n", "broken-default.yaml")
    with pytest.raises(ConfigError, match=r"broken-default\.yaml: unknown key 'nightly'"):
        load_settings(environ={}, defaults_file=broken)


@pytest.mark.parametrize(("config", "parsed"), [(None, False), ("nightly.yaml", True)])
def test_yaml_is_imported_only_when_a_file_differs_from_the_defaults(
        config: str | None, parsed: bool) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "JFORG_CONFIG"}
    if config is not None:
        env["JFORG_CONFIG"] = str(REPO / "configs" / config)
    code = ("import sys; from pipeline.core.settings import load_settings; "
            "s = load_settings(); print('yaml' in sys.modules, s.organize.mode)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=REPO, check=True).stdout.split()
    assert out == [str(parsed), "hardlink" if parsed else Settings().organize.mode]
