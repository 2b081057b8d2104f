# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No visitor's address in Odoo's log.

Odoo writes one line per request, opening with the client's address (the
X-Forwarded-For address under --proxy-mode): ``werkzeug: 198.18.0.7 - -
[date] "POST /vertrouwenspersoon/contact HTTP/1.1" 303 - 85 0.041 0.120``,
in threaded mode and in every worker alike, and the websocket process
(gevent) writes the same line under the ``longpolling`` logger. Next to the
case's creation time that address (on a company network: a desk) would tie
a person to a request. The filters below put ``-`` in its place on every
such line, whatever the page, before any handler (a file, syslog, the
database with --log-db) sees it; the rest of the line (path, status, query
count and times) stays. The reporter's own pages load Odoo's assets and
images too, so no line keeps an address, whoever asked.

Installed when the addon's Python package is imported: in each worker when
it loads the database's registry, before it answers that database's first
request (the log line is written after the answer)."""

import logging
import re

# "<address> - - [<date>] <request line> ..." (werkzeug and gevent.pywsgi)
REQUEST_LINE = re.compile(r"^[^ ]+( - - \[)")
# A request that failed before Odoo answered: "... processing of request from <address>"
SERVER_ERROR = "Exception happened during processing of request from %s"
LOGGERS = ("werkzeug", "longpolling")


class VisitorAddressFilter(logging.Filter):
    """Replaces the client's address in request lines by ``-``; lets every record through."""

    def filter(self, record):
        message = record.msg
        if isinstance(message, str):
            if REQUEST_LINE.match(message):
                record.msg = REQUEST_LINE.sub(r"-\1", message, count=1)
            elif message == SERVER_ERROR:
                record.args = ("-",)
        return True


def install():
    """Add the filter to the loggers that write request lines (once)."""
    for name in (*LOGGERS, "odoo.service.server"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, VisitorAddressFilter) for existing in logger.filters):
            logger.addFilter(VisitorAddressFilter())
