"""Embedding spl_lite: load CloudTrail once, then run searches from Python.

    python examples/embed.py [PATH ...]    # default: the bundled sample
"""
import sys

import spl_lite

engine = spl_lite.Engine()
if len(sys.argv) > 1:
    for path in sys.argv[1:]:
        report = engine.load(path)
        for problem in report.errors:
            print("skipped:", problem, file=sys.stderr)
else:
    engine.load_sample()

# One step: search() parses, validates and runs.
result = engine.search("sourcetype=aws:cloudtrail errorCode=AccessDenied | stats count BY userIdentity.userName"
                       " | sort - count | head 3")
print(result.fields)
for row in result.rows:
    print(f"{row['userIdentity.userName'] or '(assumed role)'}: {row['count']} denied calls")

# Compile once, run many times: a macro, and a Splunk-style error when a search is wrong.
engine.define_macro("logins", "sourcetype=aws:cloudtrail eventName=ConsoleLogin")
logins = engine.compile("`logins` | stats count BY additionalEventData.MFAUsed")
print(logins.run().to_table())

try:
    engine.search("`logins` | stast count")
except spl_lite.SplError as error:
    print(error)
