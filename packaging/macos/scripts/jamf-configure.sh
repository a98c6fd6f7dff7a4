#!/bin/sh
# Writes the Xentracker agent's system configuration, /Library/Application Support/Xentracker/agent.conf, from Jamf
# script parameters or from the managed preferences of xentracker-agent.mobileconfig. Run as root (Jamf policies do),
# after the package; the package's postinstall runs it too. Idempotent.
#   Jamf parameters: $4 server URL, $5 server CA (base64 body on one line), $6 enrollment token
set -eu
CONF_DIR="/Library/Application Support/Xentracker"
CONF="$CONF_DIR/agent.conf"
MANAGED="/Library/Managed Preferences/com.xentracker.agent.plist"

managed() { # key: the managed preference's value, empty when there is none
  [ -f "$MANAGED" ] && /usr/bin/plutil -extract "$1" raw -o - "$MANAGED" 2>/dev/null || true
}

server_url=${4:-$(managed server-url)}
server_ca=${5:-$(managed server-ca)}
server_ca_file=$(managed server-ca-file)
token=${6:-$(managed enrollment-token)}
data_dir=$(managed data-dir)

mkdir -p "$CONF_DIR"
chmod 755 "$CONF_DIR"
umask 022
{
  echo "# Written by jamf-configure.sh from Jamf parameters or the com.xentracker.agent managed preferences."
  echo "# Layers: the user's file < this file < XT_AGENT_* variables < the command line (packaging/README.md)."
  [ -z "$server_url" ] || echo "server-url = $server_url"
  if [ -n "$server_ca" ]; then echo "server-ca = $server_ca"; elif [ -n "$server_ca_file" ]; then echo "server-ca-file = $server_ca_file"; fi
  [ -z "$token" ] || echo "enrollment-token = $token"
  [ -z "$data_dir" ] || echo "data-dir = $data_dir"
} >"$CONF.new"
mv "$CONF.new" "$CONF"
echo "wrote $CONF"
