from . import controllers
from . import models
from . import report
from . import tools
from . import wizards
from .tools import anonymous_log

# No visitor's address in Odoo's request log (tools/anonymous_log.py).
anonymous_log.install()
