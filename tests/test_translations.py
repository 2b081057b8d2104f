"""The interface is complete in Dutch: every term Odoo extracts from the
installed addon (fields, selections, menus, views, errors, reports, pages)
has a Dutch translation in i18n/nl.po, with the same placeholders."""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "i18n"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    def test_every_source_string_has_a_dutch_translation(self):
        catalog = polib.pofile(str(I18N / "nl.po"))
        translated = {entry.msgid: entry.msgstr for entry in catalog if entry.msgstr and not entry.obsolete}
        reader = TranslationModuleReader(self.env.cr, modules=["vertrouwenspersoon"], lang="nl_NL")
        sources = {row[4] for row in reader if row[4] and row[4].strip()}
        self.assertGreater(len(sources), 100)
        missing = sorted(source for source in sources if source not in translated)
        self.assertFalse(missing, f"{len(missing)} term(s) without Dutch translation, e.g. {missing[:5]}")

    def test_placeholders_kept(self):
        for entry in polib.pofile(str(I18N / "nl.po")):
            if entry.msgstr:
                self.assertEqual(
                    sorted(PLACEHOLDER.findall(entry.msgid)),
                    sorted(PLACEHOLDER.findall(entry.msgstr)),
                    entry.msgid,
                )

    def test_pot_template_is_current(self):
        template = {entry.msgid for entry in polib.pofile(str(I18N / "vertrouwenspersoon.pot"))}
        reader = TranslationModuleReader(self.env.cr, modules=["vertrouwenspersoon"], lang="nl_NL")
        sources = {row[4] for row in reader if row[4] and row[4].strip()}
        self.assertFalse(sorted(sources - template)[:5], "run bin/i18n to refresh the .pot")

    def test_dutch_user_gets_dutch_interface(self):
        user = self.env["res.users"].search([("login", "=", "vp_counsellor")])
        self.assertEqual(user.lang, "nl_NL")
        fields = self.env["vp.case"].with_user(user).with_context(lang="nl_NL").fields_get(["state"])
        labels = dict(fields["state"]["selection"])
        self.assertNotEqual(labels["closed"], "Closed")
        lang = self.env["res.lang"]._lang_get("nl_NL")
        self.assertEqual((lang.decimal_point, lang.date_format), (",", "%d-%m-%Y"))
