# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Guards that an RPC client cannot switch on.

A client sends any context it likes (``execute_kw(..., {'context': {...}})``
reaches ``with_context`` unchanged), so a guard such as
``if not self.env.context.get("vp_breach_transition")`` is no guard: the
client sends ``{"vp_breach_transition": True}``. A :class:`Guard` is a Python
object; JSON and XML-RPC carry only strings, numbers, lists and dicts, so no
request can put one into a context. Server code opens a guard with
:func:`open_guard` around the one write it vouches for, and the model checks
it with :func:`is_open`, by identity.

This is the same idea as OCA ``queue_job``'s protected writes (a value the RPC
layer cannot build), kept in one place so every model uses it alike.
"""

CONTEXT_KEY = "vp_open_guards"


class Guard:
    """One permission that only server code can grant, e.g. "a breach record
    changes state". Compared by identity: an equal-looking value is not it."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<vertrouwenspersoon guard {self.name}>"

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    # A copy (pickle, deepcopy) is another object, so it opens nothing: a
    # guard does not survive leaving the process that opened it.


def open_guard(records, *guards):
    """``records`` with the given guards open, for the calls made on them."""
    for guard in guards:
        if not isinstance(guard, Guard):
            raise TypeError(f"not a guard: {guard!r}")
    already = tuple(g for g in records.env.context.get(CONTEXT_KEY) or () if isinstance(g, Guard))
    return records.with_context(**{CONTEXT_KEY: already + guards})


def is_open(env, guard):
    """Whether server code opened ``guard`` for this call. A client-sent
    context holds no Guard object, so this is False for every RPC call."""
    opened = env.context.get(CONTEXT_KEY)
    if not isinstance(opened, tuple):
        return False
    return any(candidate is guard for candidate in opened)


# The guards of the addon, one per transition that plain writes may not make.
BREACH_TRANSITION = Guard("breach state transition")
NOTICE_TRANSITION = Guard("notice send or acknowledgement")
SIGNAL_TRANSITION = Guard("signal sent")
REASSIGNMENT_APPEND = Guard("reassignment log entry")
LEGAL_HOLD_LIFT = Guard("legal hold lifted")
SHREDDING = Guard("crypto-shredding")
CONSENT_CREATE = Guard("consent being created")
FOLLOWER_SYNC = Guard("follower synchronisation")
AUDIT_APPEND = Guard("content access log entry")
COUNSELLOR_ASSIGNMENT = Guard("counsellor assigned by roster or reassignment")
CASE_STATE = Guard("case state changed by its action")
# Appended for the write-side hardening:
FOLLOW_QUIETLY = Guard("stock flows subscribing non-readers, dropped quietly")
CONSENT_WITHDRAWAL = Guard("consent withdrawn")
HANDOVER_END = Guard("handover ended")
MAIL_SYSTEM = Guard("the system's own chatter log (tracking, creation)")
# Appended for the integrity of the record (dates, handovers, receipt codes):
CASE_DATES = Guard("a case date set by the work it records")

REASON_KEY = "vp_change_reason"


class ChangeReason:
    """Why server code changes a logged value, for the change log's *Why*
    (and, when the change runs as the system, who it acts for). Carried in the
    context like a Guard: no RPC request can build one, so a client cannot
    write its own reason into the log."""

    __slots__ = ("text", "user_id")

    def __init__(self, text, user_id=None):
        self.text = str(text)
        self.user_id = user_id

    def __repr__(self):
        return f"<vertrouwenspersoon change reason {self.text!r}>"


def with_reason(records, text, user_id=None):
    """``records`` whose logged changes carry ``text`` as their reason (and
    ``user_id`` as who made them, when the system acts for someone)."""
    return records.with_context(**{REASON_KEY: ChangeReason(text, user_id)})


def reason_of(env):
    """The ChangeReason server code gave for this call, or None."""
    reason = env.context.get(REASON_KEY)
    return reason if isinstance(reason, ChangeReason) else None
