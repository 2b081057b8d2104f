from . import vp_gdpr_export
from . import vp_annual_report_wizard
