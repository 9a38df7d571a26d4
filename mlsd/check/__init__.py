"""`mlsd check`: a static audit of a repository for the ML-system antipatterns.

Entry points: `mlsd.check.api` (run_check, list_rules, explain_rule) and
`mlsd.check.commands.register` (the CLI). Nothing here executes repository code.
"""
