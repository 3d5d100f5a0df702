#!/usr/bin/env bash
# Starts EE MQTT Server on Payara Micro in the current directory (its H2 store goes to ./data), building the
# uber-jar first when it is missing. Arguments go to Payara Micro (e.g. --port 8081); broker settings are
# MicroProfile Config keys, given as -D options in JAVA_OPTS or as environment variables (see README.md).
set -euo pipefail
project="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$project/broker-ear/target/ee-mqtt-server.jar"
if [ ! -f "$jar" ]; then
  echo "Building $jar (first run; needs Java 17 and Maven)..." >&2
  (cd "$project" && mvn -B -q -DskipTests package)
fi
echo "TLS (8883) and HTTPS (8181) use one key; unless mqtt.tls.keystore is set, clients trust the certificate the" \
     "first start generates: ${MQTT_DATA_DIR:-./data}/tls/broker.pem (the start logs its full path)" >&2
# shellcheck disable=SC2086 # JAVA_OPTS holds several options on purpose
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
