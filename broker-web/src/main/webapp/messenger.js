// The messenger page: one Paho client over WebSocket to this server's /mqtt endpoint.
"use strict";

const $ = (id) => document.getElementById(id);
let client = null;
const ownClientId = "web-" + Math.random().toString(16).slice(2, 10);

// ws:// beside http://, wss:// beside https://: the same endpoint on either listener.
$("url").value = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/mqtt";

function status(text, kind) {
  $("status").textContent = text;
  $("status").className = "status" + (kind ? " " + kind : "");
}

function connectedUi(connected) {
  $("connect").disabled = connected;
  $("disconnect").disabled = !connected;
  $("subscribe").disabled = !connected;
  $("send").disabled = !connected;
}

function show(topic, text, own) {
  const item = document.createElement("li");
  if (own) {
    item.className = "own";
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = new Date().toLocaleTimeString() + " " + topic;
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = text;
  item.append(meta, body);
  $("messages").append(item);
  item.scrollIntoView({ block: "end" });
}

$("connectForm").addEventListener("submit", (event) => {
  event.preventDefault();
  try {
    client = new Paho.Client($("url").value, ownClientId);
  } catch (e) {
    status("Bad broker address: " + e.message, "error");
    return;
  }
  client.onConnectionLost = (response) => {
    connectedUi(false);
    status(response.errorCode === 0 ? "Disconnected" : "Connection lost: " + response.errorMessage, "error");
  };
  client.onMessageArrived = (message) => {
    show(message.destinationName, message.payloadString, false);
  };
  status("Connecting to " + $("url").value + " ...");
  client.connect({
    userName: $("username").value,
    password: $("password").value,
    mqttVersion: 4,
    cleanSession: true,
    keepAliveInterval: 30,
    timeout: 10,
    onSuccess: () => {
      connectedUi(true);
      status("Connected as " + $("username").value + " (client id " + ownClientId + ")", "ok");
    },
    onFailure: (response) => {
      connectedUi(false);
      status("Connect failed: " + response.errorMessage, "error");
    }
  });
});

$("disconnect").addEventListener("click", () => {
  if (client) {
    client.disconnect();
  }
  $("subscriptions").replaceChildren();
  connectedUi(false);
  status("Disconnected");
});

$("subscribeForm").addEventListener("submit", (event) => {
  event.preventDefault();
  const topic = $("subscribeTopic").value.trim();
  if (!topic) {
    return;
  }
  client.subscribe(topic, {
    qos: 1,
    onSuccess: () => {
      const item = document.createElement("li");
      item.textContent = topic;
      $("subscriptions").append(item);
      $("publishTopic").value = topic.includes("#") || topic.includes("+") ? $("publishTopic").value : topic;
      status("Joined " + topic, "ok");
    },
    onFailure: () => status("Not allowed to join " + topic, "error")
  });
});

$("publishForm").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message").value;
  const topic = $("publishTopic").value.trim();
  if (!text || !topic) {
    return;
  }
  const message = new Paho.Message(text);
  message.destinationName = topic;
  message.qos = 1;
  client.send(message);
  $("message").value = "";
  status("Sent to " + topic, "ok");
});
