// Shared page behaviour: visual notifications (the users are deaf: nothing relies on sound).
(function () {
  "use strict";
  const area = document.getElementById("notifications");

  function dismiss(toast) { if (toast && toast.parentNode) toast.parentNode.removeChild(toast); }

  function notify(text, kind) {
    if (!area) return null;
    const toast = document.createElement("div");
    toast.className = "toast toast-" + (kind || "info");
    toast.setAttribute("role", kind === "error" ? "alert" : "status");
    const icon = document.createElement("span");
    icon.className = "toast-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = kind === "error" ? "⚠️" : kind === "success" ? "✅" : "ℹ️";
    const body = document.createElement("span");
    body.className = "toast-text";
    body.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", document.documentElement.lang === "ko" ? "닫기" : "Dismiss");
    close.textContent = "×";
    toast.append(icon, body, close);
    area.appendChild(toast);
    if (kind !== "error") setTimeout(() => dismiss(toast), 10000);
    return toast;
  }

  if (area) {
    area.addEventListener("click", (event) => {
      if (event.target.classList.contains("toast-close")) dismiss(event.target.closest(".toast"));
    });
    area.querySelectorAll(".toast:not(.toast-error)").forEach((t) => setTimeout(() => dismiss(t), 10000));
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  window.LipRead = Object.assign(window.LipRead || {}, { notify, csrfToken });
})();
