"""The OpenAPI document says what the API accepts: strict bodies and decimal strings.

Request bodies are msgspec Structs declared with `forbid_unknown_fields=True`, so an unknown
member gets 422. Litestar's schema for a Struct leaves `additionalProperties` out (which
means "anything else is fine"), so clients and schema-driven tools would believe extra
members are accepted. `StrictStructSchemaPlugin` generates each such Struct's component
schema with `additionalProperties: false`; it takes the place of Litestar's own Struct
plugin by being listed in `Litestar(plugins=[...])` (user plugins are consulted first).

Quantities and amounts are `Decimal`s, sent and returned as JSON strings; Litestar says only
`{"type": "string"}`, so any string looks acceptable. `DecimalSchemaPlugin` adds the
registered OpenAPI format `decimal` (a fixed-point decimal number). `PLUGINS` is both.

`strict_struct_schemas` walks a generated document against the handlers' body types and
names every strict Struct schema that lacks the mark, so a test can hold the document to it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import msgspec
from litestar import Litestar
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

__all__ = ["PLUGINS", "DecimalSchemaPlugin", "StrictStructSchemaPlugin", "is_strict", "strict_struct_schemas"]


def is_strict(struct: type[msgspec.Struct]) -> bool:
    """Whether msgspec refuses unknown fields when decoding `struct`."""
    return bool(struct.__struct_config__.forbid_unknown_fields)


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """Litestar's Struct schema, plus `additionalProperties: false` for `forbid_unknown_fields` Structs."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        struct = field_definition.type_
        if isinstance(schema, Schema) and isinstance(struct, type) and is_strict(struct):
            schema.additional_properties = False
        return schema


class DecimalSchemaPlugin(OpenAPISchemaPlugin):
    """`Decimal`: a string of the OpenAPI format `decimal` (Litestar gives a bare string)."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return isinstance(value, type) and issubclass(value, Decimal)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(type=OpenAPIType.STRING, format="decimal")  # type: ignore[arg-type]


PLUGINS = (StrictStructSchemaPlugin(), DecimalSchemaPlugin())
"""For `Litestar(plugins=[*PLUGINS])`."""


# --- checking a generated document ------------------------------------------------------


def _resolve(doc: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = doc["components"]["schemas"][name]
    return node if isinstance(node, dict) else {}


def _alternatives(doc: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(doc, node)
    alts = node.get("oneOf") or node.get("anyOf")
    if alts:
        return [a for alt in alts for a in _alternatives(doc, alt)]
    return [node]


def _struct_matches(struct: type[msgspec.Struct], node: dict[str, Any]) -> bool:
    info = msgspec.inspect.type_info(struct)
    assert isinstance(info, msgspec.inspect.StructType)
    names = {f.encode_name for f in info.fields} | ({info.tag_field} if info.tag_field else set())
    return node.get("type") == "object" and set(node.get("properties") or {}) == names


def _walk(
    doc: dict[str, Any], annotation: Any, node: dict[str, Any], where: str, seen: set[tuple[Any, int]]
) -> Iterator[str]:
    """Unmarked strict Struct schemas under `node`, the schema of a value of type `annotation`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _walk(doc, typing.get_args(annotation)[0], node, where, seen)
        return
    if origin in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):
            if member is type(None):
                continue
            for alt in _alternatives(doc, node):
                if (
                    not isinstance(member, type)
                    or not issubclass(member, msgspec.Struct)
                    or _struct_matches(member, alt)
                ):
                    yield from _walk(doc, member, alt, where, seen)
                    break
        return
    if origin in (list, set, frozenset, tuple) or annotation in (list, set, frozenset, tuple):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        items = _resolve(doc, node).get("items")
        if args and isinstance(items, dict):
            yield from _walk(doc, args[0], items, f"{where}[]", seen)
        return
    if origin is dict:
        args = typing.get_args(annotation)
        extra = _resolve(doc, node).get("additionalProperties")
        if len(args) == 2 and isinstance(extra, dict):
            yield from _walk(doc, args[1], extra, f"{where}{{}}", seen)
        return
    if not (isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)):
        return
    schema = _resolve(doc, node)
    key = (annotation, id(schema))
    if key in seen:
        return
    seen.add(key)
    if is_strict(annotation) and schema.get("additionalProperties") is not False:
        yield f"{where}: {annotation.__module__}.{annotation.__qualname__}"
    hints = typing.get_type_hints(annotation, include_extras=True)
    properties = schema.get("properties") or {}
    for field in msgspec.structs.fields(annotation):
        prop = properties.get(field.encode_name)
        if isinstance(prop, dict):
            yield from _walk(doc, hints[field.name], prop, f"{where}.{field.encode_name}", seen)


def _request_bodies(app: Litestar) -> Iterator[tuple[str, str, Any]]:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            for method in sorted(handler.http_methods):
                yield method.lower(), route.path_format or route.path, data.annotation


def strict_struct_schemas(app: Litestar, doc: dict[str, Any]) -> tuple[int, list[str]]:
    """(how many strict Struct schemas the request bodies reach, those not marked `additionalProperties: false`).

    `doc` is the app's OpenAPI document as JSON (e.g. `GET /schema/openapi.json`)."""
    seen: set[tuple[Any, int]] = set()
    missing: list[str] = []
    for method, path, annotation in _request_bodies(app):
        operation = doc["paths"].get(path, {}).get(method)
        if operation is None:
            continue
        for content in (operation.get("requestBody") or {}).get("content", {}).values():
            schema = content.get("schema")
            if isinstance(schema, dict):
                missing.extend(_walk(doc, annotation, schema, f"{method.upper()} {path} body", seen))
    strict = {struct for struct, _ in seen if is_strict(struct)}
    return len(strict), sorted(set(missing))
