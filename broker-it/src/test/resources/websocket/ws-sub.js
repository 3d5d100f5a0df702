// MQTT.js subscriber over WebSocket: node ws-sub.js <url> <topic> <count> <protocolVersion> [<CA PEM file>]
// Prints SUBSCRIBED once the SUBACK arrived, then "MSG <payload>" per message; exits 0 after <count> messages.
const mqtt = require("mqtt");
const [url, topic, count, version, caFile] = process.argv.slice(2);
// wss://: trust exactly the given certificate (host name checked), as mosquitto's --cafile does
const tls = caFile ? { ca: require("fs").readFileSync(caFile), rejectUnauthorized: true } : {};
let received = 0;
const client = mqtt.connect(url, {
  username: "guest", password: "guest", protocolVersion: Number(version), reconnectPeriod: 0, connectTimeout: 10000, ...tls
});
client.on("connect", () => {
  client.subscribe(topic, { qos: 1 }, (err, granted) => {
    if (err || granted[0].qos > 2) {
      console.error("subscribe failed", err, granted);
      process.exit(2);
    }
    console.log("SUBSCRIBED");
  });
});
client.on("message", (t, payload) => {
  console.log("MSG " + payload.toString());
  if (++received === Number(count)) {
    client.end(false, () => process.exit(0));
  }
});
client.on("error", (e) => { console.error("error " + e.message); process.exit(1); });
setTimeout(() => { console.error("timeout after " + received + " messages"); process.exit(3); }, 60000);
