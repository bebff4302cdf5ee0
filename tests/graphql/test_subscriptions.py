"""GraphQL subscriptions over WebSocket (`graphql-transport-ws`), against a real server."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from api.db.engine import Database
from tests.conftest import bearer
from tests.service import Service

CHANGES = """
subscription Follow($after: Int!, $entities: [RecordKind!]) {
  changes(after: $after, entities: $entities) {
    seq action entity slug version
    node { ... on Claim { slug text } }
  }
}
"""


@pytest.fixture(scope="module")
def server(database: Database) -> Iterator[Service]:
    env = {"DATABASE_URL": database.url, "CLAIMGRAPH_MAX_FOLLOWERS": "2"}
    with Service("--no-load", env=env) as service:
        yield service


@contextlib.contextmanager
def opened(server: Service, **options: Any) -> Iterator[ClientConnection]:
    """A connection that has said hello as the protocol wants (connection_init, ack)."""
    url = server.base.replace("http://", "ws://") + "/graphql"
    protocols: Any = ["graphql-transport-ws"]
    with connect(url, subprotocols=protocols, open_timeout=10, **options) as socket:
        socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(socket.recv(timeout=10)) == {"type": "connection_ack"}
        yield socket


def subscribe(socket: ClientConnection, id: str, query: str, **variables: Any) -> None:
    message = {"type": "subscribe", "id": id, "payload": {"query": query, "variables": variables}}
    socket.send(json.dumps(message))


def received(socket: ClientConnection) -> dict[str, Any]:
    """The next message that is not a ping (answered with a pong, as clients do)."""
    while True:
        message: dict[str, Any] = json.loads(socket.recv(timeout=20))
        if message["type"] != "ping":
            return message
        socket.send(json.dumps({"type": "pong"}))


def changes(socket: ClientConnection, count: int) -> list[dict[str, Any]]:
    found = []
    for _ in range(count):
        message = received(socket)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        found.append(message["payload"]["data"]["changes"])
    return found


def latest(http: httpx.Client) -> int:
    seq = 0
    while True:
        page = http.get("/v1/changes", params={"after": seq, "limit": 100}).json()
        if not page["data"]:
            return seq
        seq = page["data"][-1]["seq"]


@pytest.mark.process
class TestChanges:
    def test_each_write_with_its_record_as_it_is_now(
        self, server: Service, api_keys: dict[str, str]
    ) -> None:
        key = bearer(api_keys["write"])
        with httpx.Client(base_url=server.base, timeout=20) as http, opened(server) as socket:
            start = latest(http)
            subscribe(socket, "1", CHANGES, after=start, entities=["CLAIM"])
            made = http.post("/v1/claims", json={"id": "ws-one", "text": "One."}, headers=key)
            assert made.status_code == 201, made.text
            changed = http.patch(
                "/v1/claims/ws-one",
                content=json.dumps({"text": "One, corrected."}),
                headers={
                    **key,
                    "if-match": made.headers["etag"],
                    "content-type": "application/merge-patch+json",
                },
            )
            assert changed.status_code == 200, changed.text
            gone = http.delete(
                "/v1/claims/ws-one", headers={**key, "if-match": changed.headers["etag"]}
            )
            assert gone.status_code == 204, gone.text
            created, updated, deleted = changes(socket, 3)
        assert [created["action"], updated["action"], deleted["action"]] == [
            "CREATE",
            "UPDATE",
            "DELETE",
        ]
        assert created["seq"] < updated["seq"] < deleted["seq"]
        assert {created["slug"], updated["slug"], deleted["slug"]} == {"ws-one"}
        assert (created["version"], updated["version"]) == (1, 2)
        # The node is read when the change is sent: the claim was already gone or corrected.
        assert updated["node"] in (None, {"slug": "ws-one", "text": "One, corrected."})
        assert deleted["node"] is None
        # Resuming after the first: the other two, exactly.
        with opened(server) as socket:
            subscribe(socket, "again", CHANGES, after=created["seq"], entities=["CLAIM"])
            again = changes(socket, 2)
        assert [change["seq"] for change in again] == [updated["seq"], deleted["seq"]]

    def test_the_node_is_the_record_now(self, server: Service, api_keys: dict[str, str]) -> None:
        key = bearer(api_keys["write"])
        with httpx.Client(base_url=server.base, timeout=20) as http:
            start = latest(http)
            made = http.post("/v1/claims", json={"id": "ws-kept", "text": "Kept."}, headers=key)
            assert made.status_code == 201, made.text
        with opened(server) as socket:
            subscribe(socket, "1", CHANGES, after=start, entities=["CLAIM"])
            [change] = changes(socket, 1)
        assert change["node"] == {"slug": "ws-kept", "text": "Kept."}

    def test_the_guards_hold(self, server: Service) -> None:
        deep = "subscription { changes { node { ... on Claim { " + "stances { nodes { claim { " * 8
        deep += "slug" + " } } }" * 8 + " } } } }"
        with opened(server) as socket:
            subscribe(socket, "deep", deep)
            message = received(socket)
        assert message["type"] == "error" and message["id"] == "deep"
        assert "depth" in json.dumps(message["payload"])

    def test_a_worker_follows_so_many(self, server: Service, api_keys: dict[str, str]) -> None:
        with (
            httpx.Client(base_url=server.base, timeout=20) as http,
            http.stream("GET", "/v1/changes", headers={"accept": "text/event-stream"}) as sse,
            opened(server) as first,
        ):
            assert sse.status_code == 200
            made = http.post(
                "/v1/claims",
                json={"id": "ws-many", "text": "Many."},
                headers=bearer(api_keys["write"]),
            )
            assert made.status_code == 201, made.text
            subscribe(first, "1", CHANGES, after=latest(http) - 1)
            changes(first, 1)  # the first follows now
            with opened(server) as third, pytest.raises(ConnectionClosed) as closed:
                subscribe(third, "1", CHANGES, after=0)
                received(third)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
        assert "retry" in closed.value.rcvd.reason

    def test_a_page_of_another_origin_is_refused(self, server: Service) -> None:
        with (
            pytest.raises(InvalidStatus) as refused,
            opened(server, origin="https://elsewhere.example"),
        ):
            pass
        assert refused.value.response.status_code == 403
