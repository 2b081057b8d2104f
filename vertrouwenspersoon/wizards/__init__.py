from . import vp_case_reassign_wizard
from . import vp_intake_wizard
