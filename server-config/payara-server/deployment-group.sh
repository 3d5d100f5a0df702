#!/usr/bin/env bash
# broker.ear on a Payara Server deployment group of two instances of one domain, each with its own ports and data
# folder (system properties of the instance), clustered through the domain's data grid.
# Usage: deployment-group.sh PAYARA_HOME [EAR]
#   PAYARA_HOME  the server's folder that holds bin/asadmin (e.g. payara6)
#   EAR          the archive (default broker-ear/target/broker.ear of this checkout)
# Environment (defaults in brackets):
#   DOMAIN [eemqtt-group]  DOMAIN_DIR [asadmin's default]  PORT_BASE [30000]: the DAS's admin port is PORT_BASE+48
#   GROUP [eemqtt]  INSTANCE_PORT_BASES ["31000 32000"]: instance N gets --portbase of the Nth value, so HTTP on
#     base+80, MQTT on base+883, MQTT TLS on base+888 (TLS=off: no TLS listener), data grid on base+59
#   DB_URL [empty: an H2 store per instance in its mqtt-data folder]  DB_USER  DB_PASSWORD
#   SETTINGS [empty]: more broker settings for every instance, colon separated (e.g. mqtt.guest.password=guest);
#     a ':' or '=' inside a value written as '\:' or '\='
set -euo pipefail
payara="${1:?usage: deployment-group.sh PAYARA_HOME [EAR]}"
ear="${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/broker-ear/target/broker.ear}"
domain="${DOMAIN:-eemqtt-group}"
port_base="${PORT_BASE:-30000}"
group="${GROUP:-eemqtt}"
read -r -a bases <<< "${INSTANCE_PORT_BASES:-31000 32000}"
domain_dir=()
if [[ -n "${DOMAIN_DIR:-}" ]]; then domain_dir=(--domaindir "$DOMAIN_DIR"); fi
asadmin=(bash "$payara/bin/asadmin" --interactive=false)
remote=("${asadmin[@]}" --port $((port_base + 48)))
# create-system-properties separates properties with ':' and a name from its value with '=': escaped in a value
escape() { local v="${1//:/\\:}"; printf '%s' "${v//=/\\=}"; }

# (list-domains fails while the domain folder does not exist yet: nothing to list then)
if ! "${asadmin[@]}" list-domains "${domain_dir[@]}" 2>/dev/null | grep -q "^$domain "; then
  "${asadmin[@]}" create-domain --nopassword=true --portbase "$port_base" "${domain_dir[@]}" "$domain"
fi
if ! "${asadmin[@]}" list-domains "${domain_dir[@]}" | grep -q "^$domain running"; then
  "${asadmin[@]}" start-domain "${domain_dir[@]}" "$domain"
fi
# The domain data grid (Hazelcast) is on by default: DAS and instances are members, discovery "domain".
"${remote[@]}" list-deployment-groups | grep -qx "[[:space:]]*$group" \
  || "${remote[@]}" create-deployment-group "$group"

for i in "${!bases[@]}"; do
  instance="instance$((i + 1))"
  base="${bases[$i]}"
  if ! "${remote[@]}" list-instances | grep -q "^$instance "; then
    # on the domain's own local node; each instance gets its own config (a copy of default-config, -Xmx512m)
    "${remote[@]}" create-instance --node "localhost-$domain" --portbase "$base" "$instance"
    "${remote[@]}" add-instance-to-deployment-group --instance "$instance" --deploymentgroup "$group"
  fi
  tls_port=$((base + 888))
  if [[ "${TLS:-on}" == off ]]; then tls_port=-1; fi
  props="mqtt.tcp.port=$((base + 883)):mqtt.tls.port=$tls_port:mqtt.cluster.enabled=true"
  props+=":HZ_LISTENER_PORT=$((base + 59))"
  props+=':mqtt.data.dir=${com.sun.aas.instanceRoot}/mqtt-data'
  if [[ -n "${DB_URL:-}" ]]; then
    props+=":mqtt.db.url=$(escape "$DB_URL"):mqtt.db.user=$(escape "${DB_USER:-}")"
    props+=":mqtt.db.password=$(escape "${DB_PASSWORD:-}")"
  fi
  if [[ -n "${SETTINGS:-}" ]]; then props+=":$SETTINGS"; fi
  "${remote[@]}" create-system-properties --target "$instance" "$props"
done

"${remote[@]}" deploy --force=true --target "$group" "$ear"
"${remote[@]}" start-deployment-group "$group"

# What the admin console shows: the application on the group, its modules (the connector among them), the
# instances, and each instance's settings (the connector reads its ports and TLS from these, via MicroProfile Config).
"${remote[@]}" list-applications --long "$group"
"${remote[@]}" list-sub-components broker
"${remote[@]}" list-instances --long
for i in "${!bases[@]}"; do
  "${remote[@]}" list-system-properties "instance$((i + 1))"
done
