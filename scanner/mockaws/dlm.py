"""A small stand-in for Amazon Data Lifecycle Manager, which moto does not serve at all.

It speaks DLM's REST-JSON protocol on 127.0.0.1 (``GetLifecyclePolicies``,
``GetLifecyclePolicy``, and ``CreateLifecyclePolicy`` for seeding), so a real
botocore client reaches it through ``AWS_ENDPOINT_URL_DLM`` and parses its
answers with the real service model. Policies are kept per Region, read from
the SigV4 credential scope of each request, the way AWS keeps them.
:meth:`DlmStandIn.fail` makes it answer with an error (e.g. HTTP 500) to test
how callers handle a failing service; :attr:`DlmStandIn.requests` records what
reached it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
from botocore.validate import ParamValidator

from scanner.collect.normalize import partition_of_region

DEFAULT_ACCOUNT = "123456789012"  # moto's default account
DEFAULT_POLICY_TYPES = {"VOLUME": "EBS_SNAPSHOT_MANAGEMENT", "INSTANCE": "IMAGE_MANAGEMENT"}
_SCOPE = re.compile(r"Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/dlm/aws4_request")
_ACCESS_KEY = re.compile(r"Credential=([^/]+)/")


def _request_account(headers: dict[str, str], default: str) -> str:
    """The account a request's access key belongs to, as moto resolves it (assumed roles too)."""
    match = _ACCESS_KEY.search(headers.get("authorization", ""))
    if match is None:
        return default
    from moto.iam.models import get_account_id_from

    return get_account_id_from(match.group(1))


@dataclass
class Fault:
    """An injected error: every matching request gets it (``times=None``: until cleared)."""

    status: int
    code: str
    message: str
    operation: str | None = None
    region: str | None = None
    times: int | None = None


class DlmStandIn:
    """DLM on a loopback port; ``start()``/``stop()`` or ``with DlmStandIn() as dlm:``."""

    def __init__(self, account_id: str = DEFAULT_ACCOUNT, default_region: str = "us-east-1"):
        self.account_id = account_id
        self.default_region = default_region
        self.requests: list[tuple[str, str]] = []  # (operation, region), in arrival order
        self._policies: dict[str, dict[str, dict[str, Any]]] = {}
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._model = botocore.session.get_session().get_service_model("dlm")

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("DlmStandIn is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, timeout: float = 5.0) -> DlmStandIn:
        """Listen on an ephemeral port of 127.0.0.1 and serve from a daemon thread."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        ready = threading.Event()

        def serve() -> None:
            ready.set()
            self._server.serve_forever(poll_interval=0.05)  # type: ignore[union-attr]

        self._thread = threading.Thread(target=serve, name="dlm-stand-in", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("DLM stand-in did not start")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._server is None:
            return
        stopper = threading.Thread(target=self._server.shutdown, daemon=True)
        stopper.start()
        stopper.join(timeout)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = None

    def __enter__(self) -> DlmStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- seeding and faults -------------------------------------------------------------------

    def create_policy(self, region: str, **request: Any) -> str:
        """Create a policy from a ``CreateLifecyclePolicy`` request, validated by DLM's model."""
        shape = self._model.operation_model("CreateLifecyclePolicy").input_shape
        report = ParamValidator().validate(request, shape)
        if report.has_errors():
            raise ValueError(report.generate_report())
        policy_id = f"policy-{secrets.token_hex(9)[:17]}"
        policy = _policy_from_request(request, policy_id, region, self.account_id)
        with self._lock:
            self._policies.setdefault(region, {})[policy_id] = policy
        return policy_id

    def policies(self, region: str) -> list[dict[str, Any]]:
        """The stored ``Policy`` documents of ``region`` (copies)."""
        with self._lock:
            return copy.deepcopy(list(self._policies.get(region, {}).values()))

    def fail(
        self,
        status: int = 500,
        code: str = "InternalServerException",
        message: str = "We encountered an internal error. Please try again.",
        *,
        operation: str | None = None,
        region: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer matching requests with an error instead of serving them."""
        with self._lock:
            self._faults.append(Fault(status, code, message, operation, region, times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # -- request handling ---------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        """Serve one request; returns (status, JSON body)."""
        match = _SCOPE.search(headers.get("authorization", ""))
        region = match.group(1) if match else self.default_region
        url = urlsplit(target)
        parts = [unquote(p) for p in url.path.split("/") if p]
        operation = _operation(method, parts)
        with self._lock:
            self.requests.append((operation or f"{method} {url.path}", region))
            fault = self._take_fault(operation, region)
        if fault is not None:
            return fault.status, {"__type": fault.code, "message": fault.message}
        if operation in ("GetLifecyclePolicies", "GetLifecyclePolicy") and (
            _request_account(headers, self.account_id) != self.account_id
        ):
            # Policies belong to the stand-in's account; another account has none of them.
            if operation == "GetLifecyclePolicies":
                return 200, {"Policies": []}
            return 404, {
                "__type": "ResourceNotFoundException",
                "message": f"Policy {parts[1]} not found",
                "ResourceType": "PolicyId",
                "ResourceIds": [parts[1]],
            }
        if operation == "GetLifecyclePolicies":
            return 200, {"Policies": self._summaries(region, parse_qs(url.query))}
        if operation == "GetLifecyclePolicy":
            with self._lock:
                policy = self._policies.get(region, {}).get(parts[1])
            if policy is None:
                return 404, {
                    "__type": "ResourceNotFoundException",
                    "message": f"Policy {parts[1]} not found",
                    "ResourceType": "PolicyId",
                    "ResourceIds": [parts[1]],
                }
            return 200, {"Policy": copy.deepcopy(policy)}
        if operation == "CreateLifecyclePolicy":
            try:
                policy_id = self.create_policy(region, **json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                return 400, {"__type": "InvalidRequestException", "message": str(exc)}
            return 200, {"PolicyId": policy_id}
        return 404, {"__type": "UnknownOperationException", "message": f"{method} {url.path}"}

    def _take_fault(self, operation: str | None, region: str) -> Fault | None:
        for fault in self._faults:
            if fault.operation not in (None, operation) or fault.region not in (None, region):
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
            return fault
        return None

    def _summaries(self, region: str, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        with self._lock:
            policies = copy.deepcopy(list(self._policies.get(region, {}).values()))
        wanted_ids = set(query.get("policyIds", []))
        wanted_state = query.get("state", [None])[0]
        wanted_types = set(query.get("resourceTypes", []))
        summaries = []
        for policy in policies:
            details = policy["PolicyDetails"]
            types = set(details.get("ResourceTypes") or [details.get("ResourceType")])
            if wanted_ids and policy["PolicyId"] not in wanted_ids:
                continue
            if wanted_state and wanted_state != "ALL" and policy["State"] != wanted_state:
                continue
            if wanted_types and not wanted_types & types:
                continue
            summaries.append(
                {
                    "PolicyId": policy["PolicyId"],
                    "Description": policy.get("Description", ""),
                    "State": policy["State"],
                    "Tags": policy.get("Tags", {}),
                    "PolicyType": details.get("PolicyType"),
                    "DefaultPolicy": policy["DefaultPolicy"],
                }
            )
        return summaries


def _operation(method: str, parts: list[str]) -> str | None:
    if parts[:1] != ["policies"]:
        return None
    if method == "GET":
        return "GetLifecyclePolicies" if len(parts) == 1 else "GetLifecyclePolicy"
    if method == "POST" and len(parts) == 1:
        return "CreateLifecyclePolicy"
    return None


def _policy_from_request(
    request: dict[str, Any], policy_id: str, region: str, account_id: str
) -> dict[str, Any]:
    """What ``GetLifecyclePolicy`` returns for a policy created with ``request``."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    default_type = request.get("DefaultPolicy")  # "VOLUME" | "INSTANCE" for default policies
    if default_type:
        # Default policies: the simplified fields live in PolicyDetails, as AWS returns them.
        details: dict[str, Any] = {
            "PolicyLanguage": "SIMPLIFIED",
            "PolicyType": DEFAULT_POLICY_TYPES[default_type],
            "ResourceType": default_type,
            "CreateInterval": request.get("CreateInterval", 1),
            "RetainInterval": request.get("RetainInterval", 7),
            "CopyTags": request.get("CopyTags", False),
            "ExtendDeletion": request.get("ExtendDeletion", False),
        }
        for key in ("CrossRegionCopyTargets", "Exclusions"):
            if key in request:
                details[key] = copy.deepcopy(request[key])
    else:
        details = copy.deepcopy(request.get("PolicyDetails", {}))
        details.setdefault("PolicyLanguage", "STANDARD")
        details.setdefault("PolicyType", "EBS_SNAPSHOT_MANAGEMENT")
    partition = partition_of_region(region)
    return {
        "PolicyId": policy_id,
        "Description": request.get("Description", ""),
        "State": request.get("State", "ENABLED"),
        "StatusMessage": "ENABLED",
        "ExecutionRoleArn": request.get("ExecutionRoleArn", ""),
        "DateCreated": now,
        "DateModified": now,
        "PolicyDetails": details,
        "Tags": dict(request.get("Tags", {})),
        "PolicyArn": f"arn:{partition}:dlm:{region}:{account_id}:policy/{policy_id}",
        "DefaultPolicy": bool(default_type),
    }


def _handler_for(stand_in: DlmStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, document = stand_in.handle(self.command, self.path, headers, body)
            error_type = document.pop("__type", None)
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-amzn-RequestId", secrets.token_hex(16))
            if error_type:
                self.send_header("x-amzn-ErrorType", error_type)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read .requests
            return

    return Handler
