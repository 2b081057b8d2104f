# The mixins first: every domain's models inherit them, the encryption mixin too (it
# reads the session's user from the audit log, in logs). Then Odoo's own models as this
# addon extends them, and the domains in the order of a request's route. Models are set
# up in the order they are imported, so a SQL view comes after the tables it reads:
# the dashboards after vp.case (cases), the engagement's hours after account.move
# (invoicing; no model of Odoo's imports from a domain that would load it earlier).
# The encryption mixin and the one key store (keys) come before every model that
# seals content.
from . import mixins
from . import logs
from . import keys
from . import odoo_models
from . import cases
from . import intake
from . import meetings
from . import notices
from . import invoicing
from . import annual_report
from . import retention
from . import vp_demo_data
