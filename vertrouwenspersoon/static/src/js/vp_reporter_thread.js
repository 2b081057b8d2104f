/** @odoo-module **/
// The messages with the reporter as a conversation (they were rows of an editable
// list, "sent" before anything was sent, with flags cut to "W. W. O. G."). The thread reads
// the case's messages; "Send" creates the message at once (the server seals it, stops a Wbk
// clock where the message says so and tells the reporter), without saving the case form by
// hand, and nothing typed is kept in the browser.

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatDateTime } from "@web/core/l10n/dates";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export class VpReporterThread extends Component {
    static template = "vertrouwenspersoon.ReporterThread";
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({ body: "", isAcknowledgement: false, isFeedback: false, signed: false, sending: false });
    }

    get messages() {
        return this.props.record.data[this.props.name].records.map((message) => ({
            id: message.resId,
            mine: message.data.author === "counsellor",
            body: message.data.body,
            fileName: message.data.file_name,
            sentOn: message.data.sent_on ? formatDateTime(message.data.sent_on, { showSeconds: false }) : "",
            isAcknowledgement: message.data.is_acknowledgement,
            isFeedback: message.data.is_feedback,
            signed: message.data.signed,
            read: message.data.read_by_reporter,
        }));
    }

    get canWrite() {
        const data = this.props.record.data;
        return !this.props.readonly && !data.shredded_on && data.state !== "closed";
    }

    // Offered until the case has its acknowledgement, its feedback (the Wbk terms they stop).
    get showAcknowledgement() {
        return !this.props.record.data.wbk_acknowledged_on;
    }

    get showFeedback() {
        return !this.props.record.data.wbk_feedback_on;
    }

    async send() {
        const body = this.state.body.trim();
        if (!body) {
            this.notification.add(_t("Write a message to the reporter first."), { type: "warning" });
            return;
        }
        const record = this.props.record;
        this.state.sending = true;
        try {
            // What else changed on the case is saved first, as the chatter does before posting.
            if ((await record.isDirty()) && !(await record.save())) {
                return;
            }
            await this.orm.create("vp.case.message", [
                {
                    case_id: record.resId,
                    body,
                    is_acknowledgement: this.state.isAcknowledgement,
                    is_feedback: this.state.isFeedback,
                    signed: this.state.signed,
                },
            ]);
            Object.assign(this.state, { body: "", isAcknowledgement: false, isFeedback: false, signed: false });
            await record.load();
            this.notification.add(_t("Sent: the reporter reads it in the inbox."), { type: "success" });
        } finally {
            this.state.sending = false;
        }
    }

    download(message) {
        return this.action.doActionButton({
            type: "object",
            name: "action_download_file",
            resModel: "vp.case.message",
            resId: message.id,
            resIds: [message.id],
        });
    }
}

registry.category("fields").add("vp_reporter_thread", {
    component: VpReporterThread,
    supportedTypes: ["one2many"],
    fieldDependencies: [
        { name: "state", type: "selection" },
        { name: "shredded_on", type: "datetime" },
        { name: "wbk_acknowledged_on", type: "datetime" },
        { name: "wbk_feedback_on", type: "datetime" },
    ],
});
