"""Meta's official OpenAPI description of the Cloud API as a jsonschema validator for the bodies we send.

Two patches, done here and never in the file (which is read-only and shared):
1. `additionalProperties: false` inside one member of an `allOf` rejects the properties the other members
   define (e.g. TextMessage refuses `messaging_product` from BaseMessageProperties). Each such member gets the
   properties of its siblings merged in, so the strictness stays but means what the authors intended.
2. v23.0 predates two fields Meta added in 2026/2025 docs and that we send: `biz_opaque_callback_data`
   (documented on the messages endpoint) and `recipient` (business-scoped user id instead of `to`).
"""

import copy
import functools
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC = Path("/work/shared/thirdparty/meta-openapi/business-messaging-api_v23.0.yaml")
if not SPEC.exists():  # a fresh clone next to ../shared
    SPEC = Path(__file__).resolve().parents[3] / "shared/thirdparty/meta-openapi/business-messaging-api_v23.0.yaml"


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _patch(node: object, root: dict) -> None:
    if isinstance(node, dict):
        if "allOf" in node:
            members = node["allOf"]
            merged: dict = {}
            for member in members:
                merged.update(copy.deepcopy(_resolve(member, root).get("properties", {})))
            for member in members:
                if isinstance(member, dict) and member.get("additionalProperties") is False and "$ref" not in member:
                    member["properties"] = {**merged, **member.get("properties", {})}
        for value in node.values():
            _patch(value, root)
    elif isinstance(node, list):
        for value in node:
            _patch(value, root)


@functools.cache
def _spec() -> dict:
    # libyaml's loader when PyYAML has it: the pure-Python one spends seconds on this 1 MB document.
    spec = yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    base = spec["components"]["schemas"]["BaseMessageProperties"]
    base["properties"]["biz_opaque_callback_data"] = {"type": "string", "maxLength": 512}
    base["properties"]["recipient"] = {"type": "string"}
    base["required"] = [r for r in base["required"] if r != "to"]
    base["anyOf"] = [{"required": ["to"]}, {"required": ["recipient"]}]
    _patch(spec, spec)
    return spec


@functools.cache
def message_validator() -> Draft202012Validator:
    spec = _spec()
    registry = Registry().with_resource("urn:meta", DRAFT202012.create_resource(spec))
    schema = {"$ref": "urn:meta#/components/schemas/Message"}
    return Draft202012Validator(schema, registry=registry)


def assert_valid_message(body: dict) -> None:
    errors = sorted(message_validator().iter_errors(body), key=lambda e: e.path)
    if errors:
        best = min(errors, key=lambda e: len(list(e.absolute_path)))
        raise AssertionError(f"body refused by Meta's schema: {best.message} at {list(best.absolute_path)}\n{body}")
