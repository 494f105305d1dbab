"""Reports: SARIF, HTML, JSON, terminal and Markdown, plus the waiver and baseline stages.

Every renderer takes a :class:`scanner.report.context.ScanReport` (plain data,
already waived, baselined and, if asked, redacted) and returns text; only
:mod:`scanner.report.writer` touches the file system.
"""
