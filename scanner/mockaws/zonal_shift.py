"""ARC zonal shift's ``ListManagedResources``, which moto does not serve, served through moto.

AWS registers a resource with ARC zonal shift when zonal shift is enabled on it:
an ALB or NLB with ``zonal_shift.config.enabled`` true, an Auto Scaling group
whose zone impairment policy has ``ZonalShiftEnabled``. This module derives the
managed resources from moto's own state the same way, so any estate seeded
through moto (with :func:`scanner.mockaws.set_group_zone_policies`) lists as AWS
would list it. Zonal autoshift is off until configured; configure it with
:func:`set_zonal_autoshift` (kept on moto's EC2 backend, so a moto reset clears it).

It answers wherever moto answers, with no endpoint variable: in process through
a botocore ``before-send`` hook that only acts while a moto mock is active (as
moto's own stub does), and behind a moto server started in this process by
routing ``arc-zonal-shift``-signed requests before moto's dispatcher. The Region
comes from the SigV4 credential scope, the account from moto's access-key map.
:func:`install` runs when :mod:`scanner.mockaws` is imported.
https://docs.aws.amazon.com/arc-zonal-shift/latest/api/API_ListManagedResources.html
"""

from __future__ import annotations

import json
import re
import threading
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import botocore.handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

SIGNING_NAME = "arc-zonal-shift"
_SCOPE = re.compile(r"Credential=([^/,\s]+)/[0-9]{8}/([a-z0-9-]+)/arc-zonal-shift/aws4_request")
_STATUSES = ("ENABLED", "DISABLED")
_TABLE = "stormproof_zonal_autoshift"  # arn -> (autoshift, practice run), on moto's EC2 backend
_LOCK = threading.Lock()
_INSTALLED = False


def set_zonal_autoshift(
    arn: str,
    *,
    region: str,
    status: str = "ENABLED",
    practice_run: str = "ENABLED",
    account_id: str = "123456789012",
) -> None:
    """Configure zonal autoshift as UpdateZonalAutoshiftConfiguration would.

    AWS requires a practice run configuration before autoshift can be enabled.
    """
    if status not in _STATUSES or practice_run not in _STATUSES:
        raise ValueError(f"statuses are ENABLED or DISABLED, got {status!r}/{practice_run!r}")
    if status == "ENABLED" and practice_run != "ENABLED":
        raise ValueError("zonal autoshift needs a practice run configuration first")
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[account_id][region]
    with _LOCK:
        if not hasattr(backend, _TABLE):
            setattr(backend, _TABLE, {})
        getattr(backend, _TABLE)[arn] = (status, practice_run)


def managed_resources(account_id: str, region: str) -> list[dict[str, Any]]:
    """What ListManagedResources returns for this account and Region, from moto's state."""
    from moto.autoscaling.models import autoscaling_backends
    from moto.ec2.models import ec2_backends
    from moto.elbv2.models import elbv2_backends

    ec2 = ec2_backends[account_id][region]
    found: list[tuple[str, str, set[str]]] = []
    for lb in elbv2_backends[account_id][region].load_balancers.values():
        if str(lb.attrs.get("zonal_shift.config.enabled", "false")).lower() == "true":
            found.append((lb.arn, lb.name, {subnet.availability_zone for subnet in lb.subnets}))
    for group in autoscaling_backends[account_id][region].autoscaling_groups.values():
        policy = getattr(group, "availability_zone_impairment_policy", None) or {}
        if policy.get("ZonalShiftEnabled"):
            found.append((group.arn, group.name, set(group.availability_zones)))
    configured = getattr(ec2, _TABLE, {})
    items = []
    for arn, name, zone_names in sorted(found):
        zone_ids = sorted(ec2.get_zone_by_name(zone).zone_id for zone in zone_names)
        autoshift, practice_run = configured.get(arn, ("DISABLED", "DISABLED"))
        items.append(
            {
                "arn": arn,
                "name": name,
                "availabilityZones": zone_ids,
                "appliedWeights": {zone: 1.0 for zone in zone_ids},
                "zonalShifts": [],
                "autoshifts": [],
                "zonalAutoshiftStatus": autoshift,
                "practiceRunStatus": practice_run,
            }
        )
    return items


def answer(method: str, url: str, authorization: str) -> tuple[int, dict[str, str], bytes] | None:
    """The response to an ARC zonal shift request, or None when it is not one."""
    match = _SCOPE.search(authorization)
    if match is None:
        return None
    from moto.iam.models import get_account_id_from

    access_key, region = match.groups()
    parts = urlsplit(url)
    if (method, parts.path) != ("GET", "/managedresources"):
        document: dict[str, Any] = {"message": f"{method} {parts.path} is not served"}
        return 404, _headers("UnknownOperationException"), json.dumps(document).encode()
    query = parse_qs(parts.query)
    items = managed_resources(get_account_id_from(access_key), region)
    start = int(query.get("nextToken", ["0"])[0])
    size = int(query.get("maxResults", ["100"])[0])
    document = {"items": items[start : start + size]}
    if start + size < len(items):
        document["nextToken"] = str(start + size)
    return 200, _headers(None), json.dumps(document).encode()


def _headers(error_type: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": "0" * 32}
    if error_type:
        headers["x-amzn-ErrorType"] = error_type
    return headers


class _RawBody(BytesIO):
    def stream(self, **_: Any) -> Any:
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


def _in_process(request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
    from moto.core.models import botocore_stubber

    if not botocore_stubber.enabled:
        return None
    header = request.headers.get("Authorization") or b""
    text = header.decode() if isinstance(header, bytes) else str(header)
    reply = answer(request.method, request.url, text)
    if reply is None:
        return None
    status, headers, body = reply
    return AWSResponse(request.url, status, headers, _RawBody(body))


def install() -> None:
    """Serve ARC zonal shift in process and behind in-process moto servers (idempotent)."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        _INSTALLED = True
    # First, so it answers before moto's in-process stub sends the request on to AWS.
    botocore.handlers.BUILTIN_HANDLERS.insert(0, ("before-send", _in_process))
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__

    def dispatch(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        url = f"{path}?{query}" if query else path
        reply = answer(
            environ.get("REQUEST_METHOD", ""), url, environ.get("HTTP_AUTHORIZATION", "")
        )
        if reply is None:
            return original(self, environ, start_response)
        status, headers, body = reply
        reason = "OK" if status == 200 else "Not Found"
        start_response(f"{status} {reason}", [*headers.items(), ("Content-Length", str(len(body)))])
        return [body]

    DomainDispatcherApplication.__call__ = dispatch  # type: ignore[method-assign]
