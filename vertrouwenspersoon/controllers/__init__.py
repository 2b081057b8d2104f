from . import gdpr_export
from . import annual_report
from . import intake
from . import vault
from . import recovery
from . import inbox
