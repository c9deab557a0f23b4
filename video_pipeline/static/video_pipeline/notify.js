// "Notify me" switch: subscribe this browser to Web Push (VAPID) and register it with
// POST /api/devices; switching off unsubscribes and DELETEs it.
(function () {
  "use strict";
  const box = document.querySelector("[data-notify-switch]");
  if (!box) return;
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    const note = document.querySelector("[data-notify-unsupported]");
    if (note) note.hidden = false;
    return;
  }
  box.hidden = false;
  const toggle = box.querySelector("#notify-me");
  const status = box.querySelector("#notify-me-status");
  const show = (key) => { status.textContent = status.dataset[key] || ""; };

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function api(url, method, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.LipRead.csrfToken() },
      body: body ? JSON.stringify(body) : undefined,
    }).then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.status === 204 ? null : response.json();
    });
  }

  const ready = navigator.serviceWorker.register(box.dataset.swUrl, { scope: "/" })
    .then(() => navigator.serviceWorker.ready);

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") { show("denied"); return false; }
    const registration = await ready;
    const { key } = await api(box.dataset.vapidUrl, "GET");
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(key),
      });
    }
    const json = subscription.toJSON();
    await api(box.dataset.devicesUrl, "POST", { endpoint: json.endpoint, keys: json.keys });
    show("on");
    return true;
  }

  async function turnOff() {
    const registration = await ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await api(box.dataset.devicesUrl, "DELETE", { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show("off");
    return false;
  }

  toggle.addEventListener("change", () => {
    toggle.disabled = true;
    (toggle.checked ? turnOn() : turnOff())
      .then((on) => { toggle.checked = on; })
      .catch(() => { show("error"); toggle.checked = !toggle.checked; })
      .finally(() => { toggle.disabled = false; });
  });

  ready.then((registration) => registration.pushManager.getSubscription()).then((subscription) => {
    toggle.checked = Boolean(subscription) && Notification.permission === "granted";
    show(Notification.permission === "denied" ? "denied" : toggle.checked ? "on" : "off");
  }).catch(() => show("error"));
})();
