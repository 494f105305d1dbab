"""The demo estate's Regions: named apart from the estate so naming them imports no moto."""

PRIMARY, RECOVERY = "us-east-1", "us-west-2"
REGIONS = (PRIMARY, RECOVERY)
