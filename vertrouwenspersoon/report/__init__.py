from . import vp_annual_report
