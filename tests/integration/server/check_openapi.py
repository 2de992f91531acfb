#!/usr/bin/env python3
"""docs/openapi.yaml is a well-formed OpenAPI 3.0 document: it parses as YAML (a merge once
interleaved two schemas and the line reader in openapi_test.cpp did not notice), no mapping
repeats a key, every operation answers with at least one response, every path parameter is
declared, and every $ref points at something that exists.

Usage: check_openapi.py docs/openapi.yaml   (exit 1 and one line per problem when invalid)
"""
import re
import sys

import yaml


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a mapping with a repeated key (YAML keeps the last one
    silently, which is how a merge can lose half a schema)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def resolve(doc, ref):
    if not ref.startswith("#/"):
        return False  # only local references are used here
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def refs(node, where):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from refs(value, f"{where}[{i}]")


def problems(doc):
    if not isinstance(doc, dict):
        yield "the document is not a mapping"
        return
    if not str(doc.get("openapi", "")).startswith("3.0"):
        yield f"openapi is {doc.get('openapi')!r}, expected 3.0.x"
    for key in ("info", "paths"):
        if key not in doc:
            yield f"missing top-level {key!r}"
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            yield f"{path}: not a mapping"
            continue
        shared = [p for p in item.get("parameters", []) if isinstance(p, dict)]
        for method, op in item.items():
            if method not in METHODS:
                continue
            name = f"{method.upper()} {path}"
            if not isinstance(op, dict) or not op.get("responses"):
                yield f"{name}: no responses"
                continue
            params = shared + [p for p in op.get("parameters", []) if isinstance(p, dict)]
            declared = set()
            for p in params:
                if "$ref" in p and resolve(doc, p["$ref"]):
                    target = doc
                    for part in p["$ref"][2:].split("/"):
                        target = target[part]
                    p = target
                if p.get("in") == "path":
                    declared.add(p.get("name"))
            for wanted in re.findall(r"\{([^}]+)\}", path):
                if wanted not in declared:
                    yield f"{name}: path parameter {{{wanted}}} is not declared"
    for where, ref in refs(doc, "#"):
        if not resolve(doc, ref):
            yield f"{where}: $ref {ref} points at nothing"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            doc = yaml.load(f, Loader=UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except (OSError, yaml.YAMLError) as e:
        print(f"{sys.argv[1]}: {e}")
        return 1
    found = list(problems(doc))
    for p in found:
        print(f"{sys.argv[1]}: {p}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
