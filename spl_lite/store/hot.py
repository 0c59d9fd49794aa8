"""The fields extracted into columns while loading, from the body the loader parsed anyway.

Like Splunk's indexed fields: searches on them need no pass over the events. These are the
CloudTrail fields that hunts and the AWS add-on's calculated fields read most; any other field
becomes a column on first use (one pass over the events' text).
"""
from __future__ import annotations

from ..runtime.values import BODY, raw_getter

HOT_FIELDS = (
    "eventName", "eventSource", "errorCode", "errorMessage", "awsRegion", "sourceIPAddress", "userAgent",
    "eventType", "eventCategory", "recipientAccountId", "readOnly",
    "userIdentity.type", "userIdentity.userName", "userIdentity.arn", "userIdentity.accountId",
    "userIdentity.principalId", "userIdentity.invokedBy", "userIdentity.sessionContext.sessionIssuer.userName",
    "requestParameters.roleArn", "requestParameters.sourceIdentity",
    "additionalEventData.MFAUsed", "responseElements.ConsoleLogin",
)
_ABSENT = object()


def _dotted(node: dict) -> bool:
    for key in node:
        if "." in key:
            return True
    return False


def hot_extractor(names):
    """A function (event, encoders) adding each field's value as the raw getter gives it.

    Text found along the path is taken as it is. A key missing along the path gives null, as
    in the getter, unless a key there holds a dot (the getter then reads "a.b" keys); anything
    else (numbers, arrays, JSON null) goes through the getter itself, so the rule stays one.
    """
    plans = [(name, tuple(name.split(".")), raw_getter(name)) for name in names]

    def extract(ev, encoders):
        body = ev[BODY]
        top_dotted = None
        for (name, keys, get), (lookup, values, codes) in zip(plans, encoders):
            node = body
            last = len(keys) - 1
            for i, k in enumerate(keys):
                nxt = node.get(k, _ABSENT)
                if nxt is _ABSENT:
                    if i == last:
                        absent = name not in body
                    elif node is body:
                        if top_dotted is None:
                            top_dotted = _dotted(body)
                        absent = not top_dotted
                    else:
                        absent = not _dotted(node)
                    node = None if absent else _ABSENT
                    break
                node = nxt
                if type(nxt) is not dict:
                    break
            if type(node) is str and i == last:
                c = lookup.get(node)
                if c is None:
                    c = lookup[node] = len(values)
                    values.append(node)
                codes.append(c)
            elif node is None and nxt is _ABSENT:
                codes.append(-1)
            else:
                v = get(ev)
                if v is None:
                    codes.append(-1)
                else:
                    key = tuple(v) if type(v) is list else v
                    c = lookup.get(key)
                    if c is None:
                        c = lookup[key] = len(values)
                        values.append(v)
                    codes.append(c)
    return extract
