"""A fixture folder as files, and as the one document POST /v1/imports takes.

YAML is written so that it reads back exactly: the article text is a quoted scalar (PyYAML
escapes what a plain or block scalar would change), and the files keep their keys in the
order given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from api.errors import FixtureError, FixtureProblem
from api.store.loader import ARTICLE_FILE, EXTRACTION_FILE, SOURCE_FILE


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def dump(source: dict[str, Any], extraction: dict[str, Any], article: str) -> str:
    """The import document: `source`, `extraction`, `article`."""
    return _yaml({"source": source, "extraction": extraction, "article": article})


def write_folder(
    folder: Path, source: dict[str, Any], extraction: dict[str, Any], article: str
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SOURCE_FILE).write_text(_yaml(source), encoding="utf-8")
    (folder / EXTRACTION_FILE).write_text(_yaml(extraction), encoding="utf-8")
    (folder / ARTICLE_FILE).write_bytes(article.encode("utf-8"))


def read_folder(folder: Path) -> str:
    """The import document for a fixture folder (read as the loader reads it)."""
    try:
        source = yaml.safe_load((folder / SOURCE_FILE).read_text(encoding="utf-8"))
        extraction = yaml.safe_load((folder / EXTRACTION_FILE).read_text(encoding="utf-8"))
        article = (folder / ARTICLE_FILE).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise FixtureError([FixtureProblem(str(folder), "-", str(error))]) from error
    return dump(source, extraction, article)
