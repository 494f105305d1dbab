"""Running the test cases each policy ships: fragment in, expected ids out.

Used by ``stormproof policies test`` and by pytest, for built-in and custom
policies alike. A case passes when exactly the listed ids fail, exactly the
listed ids are unknown, every listed passing id exists and is not flagged, and
every failing resource's message renders from its template.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scanner.engine.evaluate import FAIL, OUT_OF_SCOPE, PASS, UNKNOWN, evaluation_time, judge
from scanner.engine.fragments import FragmentError, expand_fragment
from scanner.engine.policy import Policy, PolicyCase
from scanner.errors import InputError, Location
from scanner.model.link import link_snapshot
from scanner.model.link.gaps import CollectionGaps
from scanner.model.snapshot import validate_snapshot
from scanner.scenarios import scenarios_for


@dataclass
class CaseResult:
    policy_id: str
    case: str
    location: Location
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_case(policy: Policy, case: PolicyCase) -> CaseResult:
    result = CaseResult(policy.id, case.name, case.location)
    try:
        subject = policy.with_overrides(parameters=case.parameters) if case.parameters else policy
    except InputError as exc:
        result.problems.append(f"case parameters: {exc.message}")
        return result
    try:
        snapshot = expand_fragment(case.snapshot)
    except FragmentError as exc:
        result.problems.append(str(exc))
        return result
    try:
        validate_snapshot(snapshot, source=str(case.location))
    except InputError as exc:
        result.problems.append(f"the fragment does not expand to a valid snapshot: {exc.message}")
        return result
    model = link_snapshot(snapshot)
    scenarios_for(model)  # adds the objective verdicts a policy may judge
    now, gaps = evaluation_time(snapshot), CollectionGaps(model.errors)
    outcomes: dict[str, str] = {}
    for document in model.of_type(subject.meta.resource):
        judgement = judge(subject, document, now, gaps)
        outcomes[document["id"]] = judgement.status
        if judgement.status == FAIL:
            message = subject.message.render(document, subject.meta.parameters, fallback="")
            if not message or "message template failed" in message:
                result.problems.append(f"{document['id']}: the message template did not render")
    _expect(result, outcomes, case.fail, {FAIL}, "fail")
    _expect(result, outcomes, case.unknown, {UNKNOWN}, "be unknown")
    _expect(result, outcomes, case.passing, {PASS, OUT_OF_SCOPE}, "pass")
    # One line per mismatch: an id the case lists was reported above already.
    listed = {*case.fail, *case.unknown, *case.passing}
    for resource_id, status in sorted(outcomes.items()):
        if resource_id in listed:
            continue
        if status == FAIL and resource_id not in case.fail:
            result.problems.append(f"{resource_id} failed but the case does not expect it to")
        if status == UNKNOWN and resource_id not in case.unknown:
            result.problems.append(
                f"{resource_id} is unknown but the case does not expect it to be"
            )
    return result


def _expect(
    result: CaseResult, outcomes: dict[str, str], ids: Iterable[str], wanted: set[str], verb: str
) -> None:
    for resource_id in ids:
        status = outcomes.get(resource_id)
        if status is None:
            result.problems.append(
                f"expected {resource_id} to {verb}, but there is no such resource"
            )
        elif status not in wanted:
            result.problems.append(
                f"expected {resource_id} to {verb}, got {status.replace('_', ' ')}"
            )


def run_policy_cases(policies: Iterable[Policy]) -> list[CaseResult]:
    """Every case of every policy, in policy then case order."""
    return [run_case(policy, case) for policy in policies for case in policy.cases]
