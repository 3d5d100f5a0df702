// MQTT.js publisher over WebSocket: node ws-pub.js <url> <topic> <count> <protocolVersion> <payload prefix> [<CA PEM file>]
// Publishes <count> QoS 1 messages "<prefix><i>" (all in flight at once), prints PUBLISHED when all are acknowledged.
const mqtt = require("mqtt");
const [url, topic, count, version, prefix, caFile] = process.argv.slice(2);
// wss://: trust exactly the given certificate (host name checked), as mosquitto's --cafile does
const tls = caFile ? { ca: require("fs").readFileSync(caFile), rejectUnauthorized: true } : {};
const client = mqtt.connect(url, {
  username: "guest", password: "guest", protocolVersion: Number(version), reconnectPeriod: 0, connectTimeout: 10000, ...tls
});
client.on("connect", () => {
  const sends = [];
  for (let i = 0; i < Number(count); i++) {
    sends.push(client.publishAsync(topic, prefix + i, { qos: 1 }));
  }
  Promise.all(sends).then(() => {
    console.log("PUBLISHED " + sends.length);
    client.end(false, () => process.exit(0));
  }, (e) => { console.error("publish failed " + e.message); process.exit(1); });
});
client.on("error", (e) => { console.error("error " + e.message); process.exit(1); });
setTimeout(() => { console.error("timeout"); process.exit(3); }, 60000);
