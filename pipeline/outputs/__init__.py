"""What the database feeds: the nightly report (`nightly/`), the JSON and workbook exports
(`export`, `tabular`) and analysts' read-only SQL (`sqlcmd`)."""
