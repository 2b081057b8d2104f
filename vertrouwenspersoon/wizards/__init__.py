from . import vp_invoicing_wizard
