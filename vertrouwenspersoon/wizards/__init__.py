from . import vp_gdpr_export
