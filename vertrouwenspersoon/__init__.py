from . import controllers
from . import models
from . import report
from . import tools
from . import wizards
from . import field_access  # last: extends every model above
from .tools import anonymous_log

# No visitor's address in Odoo's request log (tools/anonymous_log.py).
anonymous_log.install()
