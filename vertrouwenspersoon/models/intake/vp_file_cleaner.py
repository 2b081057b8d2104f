# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

from ...tools import file_metadata


class VpFileRefused(UserError):
    """A file that cannot be cleaned (``kind``: see file_metadata.CannotClean), with the reason told."""

    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


class VpFileCleaner(models.AbstractModel):
    """Every file a reporter or a counsellor attaches passes here before it is
    sealed: its hidden information (camera, place, author, history) is taken
    out (tools/file_metadata.py), and the person is told, in their language,
    what was removed, or why a file cannot be cleaned."""

    _name = "vp.file.cleaner"
    _description = "Removal of hidden information from attached files"

    def _vp_removed_labels(self):
        return {
            "location": self.env._("the place where it was made (GPS position)"),
            "device": self.env._("the camera, phone or printer (make, model, serial number)"),
            "dates": self.env._("the dates and times it was made and changed"),
            "author": self.env._("names of the author, owner or company"),
            "software": self.env._("the software that made it"),
            "xmp": self.env._("an embedded description (XMP), which can hold names, places and history"),
            "properties": self.env._("the document properties (title, subject, keywords)"),
            "comments": self.env._("the names on comments and notes"),
            "revisions": self.env._("tracked changes and the editing history (deleted text is gone)"),
            "paths": self.env._("folder names on the author's computer"),
            "thumbnail": self.env._("a small preview picture, which can show the uncropped original"),
            "colour_profile": self.env._("the colour profile of the device"),
            "other": self.env._("other hidden information"),
        }

    def _vp_refusal(self, name, kind):
        reason = {
            "encrypted": self.env._("it is protected with a password"),
            "damaged": self.env._("it seems to be damaged"),
            "animation": self.env._("it is an animation"),
            "embedded": self.env._("it holds other files"),
        }.get(kind, self.env._("we do not know this kind of file"))
        return self.env._(
            "We cannot remove the hidden information from “%(name)s” (%(reason)s). Such information can tell who "
            "made a file, on which device, where and when.",
            name=name,
            reason=reason,
        )

    @api.model
    def _vp_clean(self, name, data, keep_uncleaned=False):
        """(cleaned bytes, report) where the report says what was done, for
        ``_vp_notice`` to tell in the reader's language when it is shown:
        {"name", "removed": [keys of file_metadata.REMOVED], "uncleaned": kind or None}.

        A file that cannot be cleaned raises UserError, unless
        ``keep_uncleaned``: the reporter chose, after being told, to send it as it is."""
        try:
            cleaned = file_metadata.clean(data)
        except file_metadata.CannotClean as refusal:
            if not keep_uncleaned:
                message = self._vp_refusal(name or self.env._("Your file"), refusal.kind)
                raise VpFileRefused(message, refusal.kind) from refusal
            return data, {"name": name, "removed": [], "uncleaned": refusal.kind}
        return cleaned.data, {"name": name, "removed": list(cleaned.removed), "uncleaned": None}

    @api.model
    def _vp_notice(self, report):
        """What was done to a file, in the reader's language; a report without a
        name is the one file of an inbox reply."""
        name = report.get("name") or self.env._("Your file")
        if report.get("uncleaned"):
            return self.env._(
                "%(refusal)s You chose to send it as it is.", refusal=self._vp_refusal(name, report["uncleaned"])
            )
        labels = self._vp_removed_labels()
        removed = [labels[key] for key in report.get("removed") or () if key in labels]
        if not removed:
            return self.env._("“%(name)s”: no hidden information found.", name=name)
        return self.env._("“%(name)s”: we removed %(what)s.", name=name, what="; ".join(removed))

    @api.model
    def _vp_clean_for_counsellor(self, name, data):
        """A counsellor's file: cleaned, or refused with the reason (no choice to keep it)."""
        try:
            return self._vp_clean(name, data)[0]
        except UserError as error:
            raise UserError(
                self.env._(
                    "%(refusal)s Save it as PDF, as a photo (JPEG or PNG) or as an office document and attach that.",
                    refusal=error.args[0],
                )
            ) from error
