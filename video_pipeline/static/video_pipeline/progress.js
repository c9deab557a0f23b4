// Live generation progress over /ws/progress/ (session auth). The server sends a snapshot
// of unfinished roleplays on every (re)connect, so a dropped connection loses nothing.
// Updates: <progress data-roleplay-progress="ID">, .progress bars with that attribute
// (inner span width), [data-roleplay-progress-text="ID"], [data-roleplay-status="ID"];
// a visible toast when a roleplay becomes ready or fails (users are deaf: no sounds).
(function () {
  "use strict";
  if (!document.body.dataset.user || !("WebSocket" in window)) return;
  const script = document.currentScript;
  const say = (name) => (script && script.dataset[name]) || "";
  const FINAL = { ready: true, failed: true };
  const seen = new Map(); // roleplay id -> last status shown
  let socket = null;
  let delay = 1000;
  let timer = null;
  let stopped = false;
  let offlineToast = null;

  function each(selector, id, fn) {
    document.querySelectorAll("[" + selector + '="' + id + '"]').forEach(fn);
  }

  function render(event) {
    const id = String(event.roleplay);
    const value = Math.max(0, Math.min(100, Number(event.progress) || 0));
    each("data-roleplay-progress", id, (el) => {
      if (el.tagName === "PROGRESS") {
        el.value = value;
        el.textContent = value + "%";
      } else {
        const bar = el.querySelector("span") || el;
        bar.style.width = value + "%";
        el.setAttribute("aria-valuenow", String(value));
      }
    });
    each("data-roleplay-progress-text", id, (el) => { el.textContent = value + "%"; });
    each("data-roleplay-status", id, (el) => { el.dataset.status = event.status; });
    document.dispatchEvent(new CustomEvent("lipread:progress", { detail: event }));

    const before = seen.get(id);
    seen.set(id, event.status);
    if (FINAL[event.status] && before !== event.status) {
      const title = "“" + (event.title || "") + "” ";
      if (window.LipRead && window.LipRead.notify) {
        window.LipRead.notify(
          title + (event.status === "ready" ? say("ready") : say("failed") + (event.error ? " " + event.error : "")),
          event.status === "ready" ? "success" : "error"
        );
      }
      const page = document.querySelector('[data-roleplay-reload-on-finish="' + id + '"]');
      if (page) setTimeout(() => window.location.reload(), 1500);
    }
  }

  function schedule() {
    if (stopped || timer) return;
    timer = setTimeout(() => { timer = null; connect(); }, delay);
    delay = Math.min(delay * 2, 30000);
  }

  function connect() {
    if (socket && socket.readyState <= 1) return;
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/progress/");
    socket.addEventListener("open", () => {
      delay = 1000;
      if (offlineToast && offlineToast.parentNode) offlineToast.parentNode.removeChild(offlineToast);
      offlineToast = null;
    });
    socket.addEventListener("message", (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event && event.type === "progress") render(event);
    });
    socket.addEventListener("close", (closed) => {
      if (closed.code === 4401) { stopped = true; return; } // logged out
      const busy = [...seen.values()].some((s) => !FINAL[s]);
      if (busy && !offlineToast && window.LipRead && window.LipRead.notify) {
        offlineToast = window.LipRead.notify(say("offline"), "info");
      }
      schedule();
    });
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && (!socket || socket.readyState > 1)) {
      clearTimeout(timer);
      timer = null;
      delay = 1000;
      connect();
    }
  });
  window.addEventListener("online", () => { delay = 1000; connect(); });
  connect();
})();
