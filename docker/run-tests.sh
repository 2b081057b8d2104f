#!/bin/bash
# Runs the test suite inside the official odoo:18.0 image (docker compose run --rm odoo-tests).
set -euo pipefail
apt-get update -qq && apt-get install -y -qq chromium poppler-utils npm >/dev/null
# axe-core, the accessibility checker the browser tests run in the page
npm install --silent --prefix /tmp/vp-node axe-core@4.10.3 >/dev/null
export VP_AXE_JS=/tmp/vp-node/node_modules/axe-core/axe.min.js
pip install --quiet --break-system-packages -r /mnt/project/requirements-dev.txt
db=vertrouwenspersoon_test
log=/tmp/install.log
dropdb --if-exists -h db -U odoo "$db" 2>/dev/null || true
su odoo -s /bin/bash -c "odoo -c /etc/odoo/odoo.conf -d $db -i vertrouwenspersoon --load-language nl_NL,en_US,pl_PL,tr_TR,ar_001,uk_UA --stop-after-init --logfile $log"
# The Dutch chart of accounts after the addon: the invoices are tested on it too.
su odoo -s /bin/bash -c "odoo -c /etc/odoo/odoo.conf -d $db -i l10n_nl --stop-after-init --logfile $log.nl"
cat "$log.nl" >> "$log"
if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log"; then
    echo "Installing the module logged warnings or errors." >&2
    exit 1
fi
cd /mnt/project
exec su odoo -s /bin/bash -c "python3 -m pytest tests -p no:cacheprovider -rs --odoo-config /etc/odoo/odoo.conf --odoo-database $db --odoo-http --odoo-log-level warn"
