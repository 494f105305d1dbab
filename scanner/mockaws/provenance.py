"""Copy provenance for moto, which records no source on copied snapshots and AMIs.

AWS marks a copy: a snapshot copied without a description of its own reads
``[Copied snap-… from REGION] <source description>`` and reports the placeholder
volume ``vol-ffffffff``; an AMI copy carries ``SourceImageId`` and
``SourceImageRegion`` and, without a description of its own,
``[Copied ami-… from REGION] <source description>``. moto's ``copy_snapshot``
and ``copy_image`` set none of that; these helpers set it on moto's in-process
backend objects (so in-process ``mock_aws`` and a ``ThreadedMotoServer`` in the
same process both return it).
"""

from __future__ import annotations

from typing import Any

DEFAULT_ACCOUNT = "123456789012"  # moto's default account
COPIED_VOLUME_ID = "vol-ffffffff"  # what AWS reports as a copied snapshot's volume


def _ec2_backend(account_id: str, region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region]


def copied_description(source_id: str, source_region: str, source_description: str | None) -> str:
    """AWS's default description of a copy."""
    prefix = f"[Copied {source_id} from {source_region}]"
    return f"{prefix} {source_description}" if source_description else prefix


def mark_snapshot_copy(
    snapshot_id: str,
    *,
    region: str,
    source_snapshot_id: str,
    source_region: str,
    account_id: str = DEFAULT_ACCOUNT,
    description: str | None = None,
) -> None:
    """Make moto's copied snapshot look as AWS shows it (``description``: the copy's own)."""
    copy = _ec2_backend(account_id, region).snapshots[snapshot_id]
    source = _ec2_backend(account_id, source_region).snapshots.get(source_snapshot_id)
    source_description = getattr(source, "description", None) if source else None
    copy.description = description or copied_description(
        source_snapshot_id, source_region, source_description
    )
    copy.volume = _PlaceholderVolume(copy.volume)


def mark_image_copy(
    image_id: str,
    *,
    region: str,
    source_image_id: str,
    source_region: str,
    account_id: str = DEFAULT_ACCOUNT,
    description: str | None = None,
) -> None:
    """Set ``SourceImageId``/``SourceImageRegion`` and AWS's copy description on moto's AMI copy."""
    image = _ec2_backend(account_id, region).amis[image_id]
    source = _ec2_backend(account_id, source_region).amis.get(source_image_id)
    source_description = getattr(source, "description", None) if source else None
    # moto's response serializer renders these attributes as SourceImageId / SourceImageRegion.
    image.source_image_id = source_image_id
    image.source_image_region = source_region
    image.description = description or copied_description(
        source_image_id, source_region, source_description
    )


class _PlaceholderVolume:
    """Stands in for the source volume on a copied snapshot: AWS reports ``vol-ffffffff``."""

    def __init__(self, volume: Any) -> None:
        self._volume = volume
        self.id = COPIED_VOLUME_ID

    def __getattr__(self, name: str) -> Any:
        return getattr(self._volume, name)
