"""The largest page and batch size each API accepts: fewer round trips, same data.

Where botocore's service model states the maximum (ELB ``PageSize``, EC2
``DescribeSubnets``), a test checks these against it; the rest come from each
operation's API reference (the model leaves them unstated).
"""

from __future__ import annotations

# Operation -> (limit parameter, largest value).
PAGE_SIZES: dict[str, tuple[str, int]] = {
    "ec2:DescribeInstances": ("MaxResults", 1000),
    "ec2:DescribeSubnets": ("MaxResults", 1000),
    "ec2:DescribeVolumes": ("MaxResults", 500),
    "ec2:DescribeSnapshots": ("MaxResults", 1000),
    "ec2:DescribeImages": ("MaxResults", 1000),
    "ec2:DescribeLaunchTemplateVersions": ("MaxResults", 200),
    "autoscaling:DescribeAutoScalingGroups": ("MaxRecords", 100),
    "autoscaling:DescribeLaunchConfigurations": ("MaxRecords", 100),
    "elb:DescribeLoadBalancers": ("PageSize", 400),
    "elbv2:DescribeLoadBalancers": ("PageSize", 400),
    "elbv2:DescribeTargetGroups": ("PageSize", 400),
    "organizations:ListAccounts": ("MaxResults", 20),
    "arc-zonal-shift:ListManagedResources": ("maxResults", 100),
    "backup:ListBackupPlans": ("MaxResults", 1000),
    "backup:ListBackupSelections": ("MaxResults", 1000),
    "backup:ListBackupVaults": ("MaxResults", 1000),
    "backup:ListProtectedResources": ("MaxResults", 1000),
    "backup:ListRecoveryPointsByBackupVault": ("MaxResults", 1000),
}

# Batched calls: how many names / ARNs / ids one request may carry.
ELB_TAGS_BATCH = 20  # elb DescribeTags LoadBalancerNames
ELBV2_TAGS_BATCH = 20  # elbv2 DescribeTags ResourceArns
LAUNCH_CONFIGURATION_NAMES_BATCH = 50  # autoscaling DescribeLaunchConfigurations
