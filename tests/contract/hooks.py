"""Schemathesis hooks for the contract run (tests/contract/run.sh): every operation is
called signed in. Sign-out routes get a user of their own per call, so that signing out
(or out everywhere) never ends the session the other operations use."""

import json
import os
from decimal import Decimal, InvalidOperation
import time
import urllib.request
import uuid

import schemathesis

BASE = os.environ["FINANCE_CONTRACT_URL"]
OUTBOX = os.environ["FINANCE_CONTRACT_OUTBOX"]
# A user of this run's own: codes per email are limited, and on Postgres + Redis the
# limits outlive the server (they are Redis keys), so a fixed address would run out.
SHARED_EMAIL = os.environ.get("FINANCE_CONTRACT_EMAIL") or f"contract-{uuid.uuid4().hex}@example.com"


def _post(path, body):
    request = urllib.request.Request(
        BASE + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def _code_for(email):
    """The code in the newest outbox mail to `email`."""
    for _ in range(100):
        mails = []
        for name in os.listdir(OUTBOX):
            path = os.path.join(OUTBOX, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if any(line.lower().startswith("to:") and email in line for line in text.splitlines()):
                mails.append((os.path.getmtime(path), text))
        if mails:
            text = max(mails)[1]
            at = text.index("code is ") + len("code is ")
            return text[at : at + 6]
        time.sleep(0.05)
    raise RuntimeError(f"no mail to {email} in {OUTBOX}")


def sign_in(email=None):
    """A fresh bearer token for `email` (a new user unless given)."""
    email = email or f"contract-{uuid.uuid4().hex[:12]}@example.com"
    _post("/v1/auth/otp", {"email": email})
    return _post("/v1/auth/token", {"email": email, "code": _code_for(email)})["token"]


def _bearer(case, token):
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth(refresh_interval=None).apply_to(operation_id=["logout", "logoutAll", "deleteMe"])
class OwnSession:
    def get(self, case, ctx):
        return sign_in()

    def set(self, case, data, ctx):
        _bearer(case, data)


@schemathesis.auth(refresh_interval=24 * 3600).skip_for(operation_id=["logout", "logoutAll", "deleteMe"])
class SharedSession:
    def get(self, case, ctx):
        return sign_in(SHARED_EMAIL)

    def set(self, case, data, ctx):
        _bearer(case, data)


# Rules across fields, or against the account's state, that JSON Schema cannot state; the
# document says each in words, and the server answers 422 when one is broken. Generated
# requests keep them, so a refusal of anything else is a finding.

_DAY_RANGE = ("from", "to")


def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _days(date):
    try:
        return time.mktime(time.strptime(date, "%Y-%m-%d")) / 86400
    except (TypeError, ValueError, OverflowError):
        return None


@schemathesis.hook
def filter_query(ctx, query):
    """`from` is not after `to`, nor `min` above `max` (listings); a report has at most
    1,000 periods (`to` defaults to today, `from` to eleven months before it)."""
    query = query or {}
    start, end = query.get("from"), query.get("to")
    if isinstance(start, str) and isinstance(end, str) and start > end:
        return False
    low, high = _number(query.get("min")), _number(query.get("max"))
    if low is not None and high is not None and low > high:
        return False
    # A bound finer than an account's currency is refused for that account (JPY: whole).
    if not (_whole(query.get("min")) and _whole(query.get("max"))):
        return False
    if "/reports/" in ctx.operation.path:
        last = _days(end) if isinstance(end, str) else time.time() / 86400
        first = _days(start) if isinstance(start, str) else (last or 0) - 340
        if last is None or first is None or first > last or last - first > 1000:
            return False
    return True


@schemathesis.hook
def filter_path_parameters(ctx, parameters):
    """A rate's quote differs from its base."""
    parameters = parameters or {}
    base, quote = parameters.get("base"), parameters.get("quote")
    return base is None or base != quote


def _whole(amount):
    """Whole, and small enough for any currency's range."""
    return not (isinstance(amount, str) and ("." in amount or len(amount.lstrip("-")) > 15))


@schemathesis.hook
def filter_body(ctx, body):
    """Amounts are whole (how many fraction digits fit is the account's currency's rule:
    JPY has none); a transfer is between two accounts; a schedule's end is not before its
    start, which is at most two years back (it books every date due since, at most 1,000 at
    once)."""
    if not isinstance(body, dict):
        return True
    if not (_whole(body.get("amount")) and _whole(body.get("to_amount"))):
        return False
    source, target = body.get("from_account"), body.get("to_account")
    if isinstance(source, str) and source == target:
        return False
    start, end = body.get("start"), body.get("end")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        return False
    recent = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 2 * 365 * 86400))
    if isinstance(start, str) and start < recent and "every" in body:
        return False
    return _parts_sum(body)


def _decimal(text):
    try:
        return Decimal(text)
    except (TypeError, InvalidOperation):
        return None


def _parts_sum(body):
    """A split's parts are whole and sum exactly to the amount sent with them (a change
    that splits without an amount is checked against the stored one, unknown here), and a
    split movement has no category of its own."""
    splits = body.get("splits")
    if not isinstance(splits, list):
        return True
    if body.get("category") is not None:
        return False
    total = _decimal(body.get("amount"))
    parts = [p.get("amount") if isinstance(p, dict) else None for p in splits]
    if total is None or not all(_whole(a) for a in parts):
        return False
    amounts = [_decimal(a) for a in parts]
    return None not in amounts and sum(amounts) == total
