"""Log lines as JSON, one object a line on stderr, with the id of the request they belong to.

A traceback stays inside its line (JSON escapes the newlines), so a container platform's
log collector keeps an error together and can search on ``request_id``.
"""

import contextvars
import datetime
import json
import logging

# The id of the request being answered (set by middleware.RequestIdMiddleware), for log
# lines written anywhere during it. Here, not in the middleware module: logging is set up
# before the apps are, and this module imports nothing of Django's.
request_id_var = contextvars.ContextVar("request_id", default="")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        request = getattr(record, "request", None)  # django.request passes it along
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(request, "request_id", "") or request_id_var.get(),
        }
        if request is not None:
            line["method"] = getattr(request, "method", "")
            line["path"] = getattr(request, "path", "")
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
