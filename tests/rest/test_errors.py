"""Every error the REST API can produce is problem+json with the right status."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from api.app import create_app, transport
from api.config import Settings
from api.db.engine import Database
from api.errors import DatabaseUnavailable
from api.graphql import refusals
from api.requests import RequestContext
from api.rest import problems

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


class TestNotFound:
    @pytest.mark.parametrize(
        "path",
        [
            "/v1/statements/no-such-statement",
            "/v1/actors/no-such-actor",
            "/v1/claims/no-such-claim",
            "/v1/events/no-such-event",
            "/v1/evidence/no-such-evidence",
            "/v1/sources/no-such-source",
            "/v1/sources/no-such-source/text",
            "/v1/actors/no-such-actor/statements",
            "/v1/claims/no-such-claim/stances",
            "/v1/claims/no-such-claim/evidence",
            "/v1/events/no-such-event/participants",
            "/v1/events/no-such-event/statements",
            "/v1/sources/no-such-source/statements",
            "/v1/nothing-here",
            "/nothing",
        ],
    )
    async def test_unknown(self, client: httpx.AsyncClient, path: str) -> None:
        body = assert_problem(await client.get(path), 404)
        assert body["instance"] == path


class TestBadRequest:
    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("limit=ten", "limit"),
            ("cursor=bm90LWEtY3Vyc29y", "cursor"),
            ("cursor=%2F%2F", "cursor"),
            ("said_after=2022-13-01", "said_after"),
            ("said_after=yesterday", "said_after"),
            ("said_before=1640995200", "said_before"),
            ("kind=rumour", "kind"),
            ("position=likes", "position"),
            ("sort=loudness", "sort"),
            ("speeker=vladimir-putin", "speeker"),
            ("limit=5&limit=6", "limit"),
        ],
    )
    async def test_bad_parameter(self, client: httpx.AsyncClient, query: str, field: str) -> None:
        body = assert_problem(await client.get(f"/v1/statements?{query}"), 400)
        assert field in [error["field"] for error in body["errors"]]

    @pytest.mark.parametrize(
        ("path", "field", "entity", "candidate"),
        [
            ("/v1/statements?speaker=Putin", "speaker", "actor", "vladimir-putin"),
            ("/v1/statements?speaker=Vladimir%20Putin", "speaker", "actor", "vladimir-putin"),
            ("/v1/statements?claim=colour-revolution", "claim", "claim", None),
            ("/v1/events?actor=tokaev", "actor", "actor", "kassym-jomart-tokayev"),
            ("/v1/search?q=protest&speaker=putin", "speaker", "actor", "vladimir-putin"),
        ],
    )
    async def test_a_filter_naming_nothing_is_a_404_with_candidates(
        self,
        client: httpx.AsyncClient,
        path: str,
        field: str,
        entity: str,
        candidate: str | None,
    ) -> None:
        response = await client.get(path)
        body = assert_problem(response, 404)
        assert f"no {entity} with id" in str(body["detail"])
        assert [error["field"] for error in body["errors"]] == [field]
        if candidate is not None:
            assert candidate in body["candidates"]
            assert f"did you mean {candidate}" in str(body["detail"])
        # The same list as CSV refuses alike, before any row is sent.
        exported = await client.get(path, headers={"accept": "text/csv"})
        assert_problem(exported, 404)

    async def test_a_filter_naming_a_record_that_has_none_is_an_empty_page(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/v1/statements?speaker=cis&kind=report&said_after=2030")
        assert response.status_code == 200
        assert response.json()["data"] == []

    async def test_cursor_of_another_list(self, client: httpx.AsyncClient) -> None:
        first = await client.get("/v1/statements?limit=1&sort=said_on")
        cursor = first.json()["next_cursor"]
        assert_problem(await client.get(f"/v1/statements?limit=1&sort=id&cursor={cursor}"), 400)
        assert_problem(await client.get(f"/v1/actors?cursor={cursor}"), 400)

    async def test_every_error_listed_at_once(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/v1/events?kind=war&after=soon&limit=0"), 400)
        fields = {error["field"] for error in body["errors"]}
        assert fields == {"kind", "after", "limit"}


class TestMethodAndMediaType:
    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
    async def test_method_not_allowed(self, client: httpx.AsyncClient, method: str) -> None:
        response = await client.request(method, "/v1/claims/unrest-was-planned/evidence")
        assert_problem(response, 405)
        assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}

    @pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
    async def test_method_not_allowed_on_a_collection(
        self, client: httpx.AsyncClient, method: str
    ) -> None:
        response = await client.request(method, "/v1/claims")
        assert_problem(response, 405)
        allowed = set(response.headers["allow"].replace(" ", "").split(","))
        assert allowed == {"GET", "HEAD", "POST"}

    async def test_not_acceptable(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get("/v1/claims", headers={"accept": "text/html"}), 406)
        text = await client.get(
            "/v1/sources/kazakhstan-2022/text", headers={"accept": "application/json"}
        )
        assert_problem(text, 406)

    @pytest.mark.parametrize(
        "accept", ["application/json", "*/*", "application/*", "text/html, application/json;q=0.5"]
    )
    async def test_acceptable(self, client: httpx.AsyncClient, accept: str) -> None:
        assert (await client.get("/v1/claims", headers={"accept": accept})).status_code == 200

    async def test_refused_with_q_zero(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/claims", headers={"accept": "application/json;q=0"})
        assert_problem(response, 406)


class TestServerError:
    async def test_unexpected_error_is_a_problem_without_internals(
        self, settings: Settings, empty_database: Database, caplog: pytest.LogCaptureFixture
    ) -> None:
        # A database without the schema: the handler's query fails unexpectedly (a bug).
        app = create_app(settings, empty_database)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            with caplog.at_level(logging.ERROR, logger="claimgraph.rest"):
                response = await http.get("/v1/claims", headers={"x-request-id": "trace-me-42"})
        body = assert_problem(response, 500)
        assert "retry-after" not in response.headers
        assert response.headers["x-request-id"] == "trace-me-42"
        password = make_url(empty_database.url).password or "-"
        for leak in ("Traceback", "SELECT", password, "asyncpg", "127.0.0.1", "does not exist"):
            assert leak not in response.text
        assert "trace-me-42" in str(body["detail"])
        logged = [record for record in caplog.records if "trace-me-42" in record.getMessage()]
        assert logged and logged[0].exc_info is not None

    async def test_invalid_request_ids_are_replaced(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/claims", headers={"x-request-id": "bad id\twith tab"})
        assert response.headers["x-request-id"] != "bad id\twith tab"
        assert len(response.headers["x-request-id"]) == 32


class TestOutageEscapingAHandler:
    """A handler that lets DatabaseUnavailable escape still gets a 503 in its transport's
    shape, from the middleware the app puts on that transport's routes."""

    class Escaping:
        """An ASGI app (not a request-response function) whose handler lets it escape."""

        async def __call__(self, scope: object, receive: object, send: object) -> None:
            raise DatabaseUnavailable.default()

    escaping = Escaping()

    @pytest.mark.parametrize("path", ["/graphql", "/v1/claims"])
    async def test_it_is_a_503_in_the_right_shape(self, settings: Settings, path: str) -> None:
        refuse = refusals.refuse if path == "/graphql" else problems.refuse
        route = Route(path, self.escaping, middleware=transport(settings, refuse))
        app = Starlette(
            routes=[route], middleware=[Middleware(RequestContext, refuse=problems.refuse)]
        )
        transport_ = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport_, base_url="http://test") as http:
            response = await http.get(path)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        if path == "/graphql":
            assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        else:
            assert_problem(response, 503)

    async def test_outside_every_transport_it_is_a_problem(self) -> None:
        app = RequestContext(self.escaping, refuse=problems.refuse)
        transport_ = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport_, base_url="http://test") as http:
            response = await http.get("/metrics")
        assert_problem(response, 503)
        assert response.headers["retry-after"] == "2"


class TestEveryProblemNamesTheInputAtFault:
    """Every problem carries `errors`: the input at fault and what is wrong with it, or an
    empty list where no input is."""

    @pytest.mark.parametrize(
        ("method", "path", "headers", "status", "field"),
        [
            ("GET", "/v1/claims/no-such-claim", {}, 404, "id"),
            ("POST", "/v1/claims", {}, 401, "Authorization"),
            (
                "DELETE",
                "/v1/claims/ned-is-cia-front",
                {"authorization": "Bearer nope"},
                401,
                "Authorization",
            ),
            ("GET", "/v1/claims", {"accept": "text/html"}, 406, "Accept"),
        ],
    )
    async def test_the_input_at_fault(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        headers: dict[str, str],
        status: int,
        field: str,
    ) -> None:
        body = assert_problem(await client.request(method, path, headers=headers), status)
        assert [error["field"] for error in body["errors"]] == [field]

    async def test_an_unknown_route_faults_no_input(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/no/such/route"), 404)
        assert body["errors"] == []
