#!/usr/bin/env bash
# Creates (once) a Payara Server domain for EE MQTT Server, starts it and deploys broker.ear to it.
# Usage: deploy-ear.sh PAYARA_HOME [DOMAIN] [PORT_BASE] [MQTT_PORT] [EAR]
#   PAYARA_HOME  the server's folder that holds bin/asadmin (e.g. payara6)
#   DOMAIN       domain name (default eemqtt)
#   PORT_BASE    asadmin --portbase: admin port is PORT_BASE+48, HTTP PORT_BASE+80, HTTPS PORT_BASE+81 (default 8000)
#   MQTT_PORT    the broker's mqtt.tcp.port (default 1883)
#   EAR          the archive (default broker-ear/target/broker.ear of this checkout)
set -euo pipefail
payara="${1:?usage: deploy-ear.sh PAYARA_HOME [DOMAIN] [PORT_BASE] [MQTT_PORT] [EAR]}"
domain="${2:-eemqtt}"
port_base="${3:-8000}"
mqtt_port="${4:-1883}"
ear="${5:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/broker-ear/target/broker.ear}"
asadmin="$payara/bin/asadmin"
admin_port=$((port_base + 48))

if ! "$asadmin" list-domains | grep -q "^$domain "; then
  "$asadmin" create-domain --nopassword --portbase "$port_base" "$domain"
fi
if ! "$asadmin" list-domains | grep -q "^$domain running"; then
  "$asadmin" start-domain "$domain"
fi
"$asadmin" --port "$admin_port" create-system-properties "mqtt.tcp.port=$mqtt_port"
"$asadmin" --port "$admin_port" deploy --force=true "$ear"
echo "broker.ear deployed to domain $domain: MQTT on port $mqtt_port, admin console on http://localhost:$admin_port"
