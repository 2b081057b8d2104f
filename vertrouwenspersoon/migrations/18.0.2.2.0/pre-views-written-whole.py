# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's primary views are written whole: the views that inherited them are gone.
Odoo deletes those at the end of the update, but one of them would fail before: the view
that turned the notice form's send button into the send wizard's. The form now opens the
wizard itself, so that view's xpath finds no button while the form is updated. It goes
first, with its external id."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "DELETE FROM ir_ui_view WHERE id IN (SELECT res_id FROM ir_model_data WHERE module = 'vertrouwenspersoon'"
        " AND model = 'ir.ui.view' AND name = 'vp_notice_view_form_send_confirm')"
    )
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = 'vertrouwenspersoon' AND model = 'ir.ui.view'"
        " AND name = 'vp_notice_view_form_send_confirm'"
    )
