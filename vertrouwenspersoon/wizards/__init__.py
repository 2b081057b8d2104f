from . import vp_gdpr_export
from . import vp_annual_report_wizard
from . import vp_case_reassign_wizard
from . import vp_case_date_correction
from . import vp_intake_wizard
from . import vp_intake_wizard_choice
from . import vp_invoicing_wizard
from . import vp_notice_send_wizard
