#!/bin/sh
# Writes a master key once; an existing key is never replaced (that would make
# every stored case unreadable). Readable by the odoo user only.
set -eu
key=/etc/odoo/keys/master.key
if [ ! -s "$key" ]; then
    umask 077
    python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' > "$key"
fi
chown odoo:odoo "$key"
chmod 400 "$key"
