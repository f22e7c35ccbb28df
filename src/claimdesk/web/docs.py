"""The pages that say how to get data out of the desk: ``/api`` (the API's documentation)
and ``/follow`` (feeds, ClaimReview lines and exports).

The API page is rendered on the server from the app's own OpenAPI document (the one
``/api/openapi.json`` serves), so it cannot drift from the routes, and it needs no script:
the desk's CSP allows none inline and nothing from a CDN, which is why FastAPI's own
docs pages (Swagger UI, ReDoc, both loaded from a CDN) are off. Operations are grouped
by tag, each with its parameters, request body, responses and an example request
whose path values are real ones from the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from claimdesk.store import Store, queries
from claimdesk.web.deps import get_store
from claimdesk.web.feeds import base_url
from claimdesk.web.render import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
StoreDep = Annotated[Store, Depends(get_store)]

TAG_NOTES = {
    "api": "The data the desk's pages show, as JSON: the news line and search, articles (the JSON contract of "
           "claimdesk analyze), claims, speakers and entities.",
    "exports": "Downloads of what the news line's filters find, every match, newest articles first. CSV opens in a "
               "spreadsheet (UTF-8 with a byte order mark; a cell that would start a formula begins with an "
               "apostrophe); JSON Lines one object per line; jsonld W3C Web Annotations.",
    "feeds": "Atom, RSS 2.0 and JSON Feed: the news line, published reviews, the claims of one speaker.",
    "reviews": "Published reviews as schema.org ClaimReview; writing reviews needs a signed-in reviewer or editor "
               "(and the X-CSRF-Token header).",
    "users": "Who is signed in.",
}


@dataclass
class Parameter:
    name: str
    where: str  # path, query
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: str | None  # the request body's schema, as JSON text
    responses: list[tuple[str, str]]  # (status, description and media types)
    example: str  # a curl command line


@dataclass
class Group:
    tag: str
    note: str
    operations: list[Operation] = field(default_factory=list)


def type_of(schema: dict, components: dict) -> str:
    """A parameter's schema as a reader says it: "string (at most 500 characters)",
    "integer, 1 to 10000", "one of: newest, claims"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [type_of(s, components) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds) or "null"
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}), components)}"
    notes = []
    if "minimum" in schema or "maximum" in schema:
        notes.append(f"{schema.get('minimum', '…')} to {schema.get('maximum', '…')}")
    if "maxLength" in schema:
        notes.append(f"at most {schema['maxLength']} characters")
    if "pattern" in schema:
        notes.append(f"matching {schema['pattern']}")
    return kind + (f" ({', '.join(notes)})" if notes else "")


def _resolved(schema: dict, components: dict) -> dict:
    if "$ref" in schema:
        return components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _example_value(schema: dict, components: dict):
    schema = _resolved(schema, components)
    if "anyOf" in schema:
        return _example_value(next((s for s in schema["anyOf"] if s.get("type") != "null"), {}), components)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: _example_value(sub, components) for name, sub in schema.get("properties", {}).items()
                if name in schema.get("required", [])}
    return {"integer": 0, "number": 0.5, "boolean": True, "array": []}.get(kind, "text")


def path_examples(store: Store) -> dict[str, str]:
    """Values for the path parameters of the example requests: the newest article, its
    first claim, the most quoted speaker (so each example answers something)."""
    newest = queries.news_line(store, page_size=1, count=False).items
    top = queries.speakers(store, limit=1)
    speaker = top[0][0] if top else "Name"
    return {"article_id": newest[0].id if newest else "ARTICLE_ID", "seq": "0", "name": speaker,
            "kind": "atom", "fmt": "csv", "filename": f"{speaker}.atom"}


def operations(schema: dict, base: str, examples: dict[str, str]) -> list[Group]:
    """The OpenAPI document's operations, grouped by their first tag in order of appearance."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, Group] = {}
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["other"])[0]
            group = groups.setdefault(tag, Group(tag, TAG_NOTES.get(tag, "")))
            parameters = [Parameter(p["name"], p["in"], bool(p.get("required")), type_of(p.get("schema", {}), components),
                                    p.get("description") or p.get("schema", {}).get("description", ""))
                          for p in op.get("parameters", [])]
            body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            body = (json.dumps(_resolved(body_schema, components).get("properties", {}), indent=2)
                    if body_schema else None)
            responses = [(status, response.get("description", "") +
                          (f" ({', '.join(response['content'])})" if response.get("content") else ""))
                         for status, response in op.get("responses", {}).items()]
            group.operations.append(Operation(
                method=method.upper(), path=path, summary=op.get("summary", ""),
                description=op.get("description", "").replace("``", ""),  # docstrings mark code ``so``
                parameters=parameters, body=body, responses=responses,
                example=_example(method.upper(), path, base, examples,
                                 _example_value(body_schema, components) if body_schema else None)))
    return list(groups.values())


def _example(method: str, path: str, base: str, examples: dict[str, str], body) -> str:
    url = path
    for name, value in examples.items():
        url = url.replace("{" + name + "}", quote(value, safe=""))
    if method == "GET":
        return f"curl '{base}{url}'"
    data = f" -H 'Content-Type: application/json' -d '{json.dumps(body)}'" if body is not None else ""
    return f"curl -X {method} -b session.txt -H 'X-CSRF-Token: TOKEN'{data} '{base}{url}'"


@router.get("/api", name="api_docs")
def api_docs(request: Request, store: StoreDep):
    """The API's documentation, from its OpenAPI document."""
    base = base_url(request)
    schema = request.app.openapi()
    return render(request, "api_docs.html", groups=operations(schema, base, path_examples(store)),
                  info=schema.get("info", {}), base=base)


@router.get("/follow", name="follow")
def follow(request: Request, store: StoreDep):
    """The desk's feeds, ClaimReview lines and exports, what each holds, and their addresses."""
    examples = path_examples(store)
    return render(request, "follow.html", base=base_url(request), speaker=examples["name"])
