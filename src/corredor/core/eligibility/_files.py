"""Reading the package's own data files: YAML without surprises, JSON Schemas, and readable schema errors."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .errors import CatalogueError

PACKAGE_DIRECTORY = Path(__file__).resolve().parent


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same rules, faster


class _StrictLoader(_SafeLoader):
    """YAML's safe loader, refusing duplicate keys (PyYAML would silently keep the last one)."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def read_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as problem:
        raise CatalogueError(path.name, "", f"not valid YAML: {problem}") from None
    except OSError as problem:
        raise CatalogueError(path.name, "", f"cannot be read: {problem.strerror}") from None


def load_schema(directory: Path, name: str) -> dict[str, Any]:
    path = directory / "schema" / name
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise CatalogueError(f"schema/{name}", "", f"cannot be read: {problem}") from None
    Draft202012Validator.check_schema(schema)
    return schema


def key_path(parts: Sequence[object]) -> str:
    """['criteria', 0, 'label', 'es'] -> 'criteria[0].label.es'."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def check_against_schema(instance: object, schema: Mapping[str, Any], file: str) -> None:
    """Raise CatalogueError for the most relevant schema violation, naming the key and saying it plainly."""
    error = best_match(Draft202012Validator(schema).iter_errors(instance))
    if error is None:
        return
    raise CatalogueError(file, *_explain(error))


def _explain(error: ValidationError) -> tuple[str, str]:
    path = list(error.absolute_path)
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed)
        names = ", ".join(sorted(allowed))
        return key_path([*path, extra[0]]), f"unknown key {extra[0]!r} (the keys allowed here are: {names})"
    if error.validator == "required" and isinstance(instance, dict):
        absent = [k for k in error.validator_value if k not in instance]
        return key_path([*path, absent[0]]), "this required key is missing"
    if error.validator == "type":
        wanted = error.validator_value
        if isinstance(instance, date):
            return key_path(path), f"write dates in quotes ('{instance.isoformat()}'): the files hold dates as text"
        return key_path(path), f"must be {_type_words(wanted)}, not {type(instance).__name__} {instance!r}"
    if error.validator == "enum":
        choices = ", ".join(repr(v) for v in error.validator_value)
        return key_path(path), f"{instance!r} is not allowed here (allowed: {choices})"
    if error.validator == "pattern":
        return key_path(path), f"{instance!r} does not have the expected form ({error.validator_value})"
    return key_path(path), error.message


def _type_words(wanted: object) -> str:
    words = {"string": "text", "integer": "a whole number", "boolean": "true or false", "object": "a mapping",
             "array": "a list", "null": "null", "number": "a number"}
    if isinstance(wanted, list):
        return " or ".join(words.get(str(w), str(w)) for w in wanted)
    return words.get(str(wanted), str(wanted))


def canonical_digest(data: object) -> str:
    """SHA-256 of the canonical JSON form: unchanged by comments, key order or YAML layout."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
