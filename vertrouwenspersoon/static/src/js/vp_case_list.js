/** @odoo-module **/
// The coordinator's case lists say, above the list, which organisations have no recovery
// key: without one, a counsellor who forgets her vault passphrase loses every case of the
// organisation for good. The server decides who is told (coordinators only).

import { onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";

export class VpCaseListController extends ListController {
    static template = "vertrouwenspersoon.CaseListView";

    setup() {
        super.setup();
        this.vpOrm = useService("orm");
        this.vpWithoutRecoveryKey = [];
        onWillStart(async () => {
            this.vpWithoutRecoveryKey = await this.vpOrm.call("vp.organisation", "vp_without_recovery_key", []);
        });
    }
}

registry.category("views").add("vp_case_list", { ...listView, Controller: VpCaseListController });
