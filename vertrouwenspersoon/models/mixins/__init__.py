# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Abstract models every domain's models stand on: who may read, search or group by a field,
append-only logs, catalogue entries, rate limits of the public pages, logged and guarded
writes, sealed chatter, activities owned by their user.
"""

from . import vp_field_access_mixin
from . import vp_append_only_mixin
from . import vp_catalogue_mixin
from . import vp_throttle_mixin
from . import vp_change_logged_mixin
from . import vp_write_checked_mixin
from . import vp_mail_sealed_mixin
from . import vp_activity_owned_mixin
