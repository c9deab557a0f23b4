// Renders a check result: the diff with <ins>/<del> and the per-word statuses.
// Colour is never the only cue: every word carries an icon and a text label.
(function () {
  "use strict";
  const ICONS = { correct: "✓", lip_equivalent: "≈", wrong: "✗", missing: "…", extra: "+" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // labels: {statusName: text, typedDel, typedIns, youTyped}
  function renderDiff(container, diff, labels) {
    container.replaceChildren();
    (diff || []).forEach(([op, text]) => {
      let node;
      if (op === -1) {
        node = el("del", "diff-del", text);
        node.title = labels.typedDel || "";
        node.setAttribute("aria-label", (labels.typedDel || "") + ": " + text);
      } else if (op === 1) {
        node = el("ins", "diff-ins", text);
        node.title = labels.typedIns || "";
        node.setAttribute("aria-label", (labels.typedIns || "") + ": " + text);
      } else {
        node = el("span", "diff-same", text);
      }
      container.appendChild(node);
    });
  }

  function renderWords(container, words, labels) {
    container.replaceChildren();
    (words || []).forEach((word) => {
      const item = el("li", "word word-" + word.status);
      item.dataset.status = word.status;
      item.appendChild(el("span", "word-icon", ICONS[word.status] || "?")).setAttribute("aria-hidden", "true");
      item.appendChild(el("span", "word-text", word.text));
      const label = el("span", "word-label", labels[word.status] || word.status);
      item.appendChild(label);
      if (word.input && word.input !== word.text && word.status !== "extra") {
        item.appendChild(el("span", "word-input", "(" + (labels.youTyped || "") + " " + word.input + ")"));
      }
      container.appendChild(item);
    });
  }

  function labelsFrom(template) {
    const d = template ? template.dataset : {};
    return {
      correct: d.statusCorrect, lip_equivalent: d.statusLip_equivalent, wrong: d.statusWrong,
      missing: d.statusMissing, extra: d.statusExtra, typedDel: d.typedDel, typedIns: d.typedIns,
      youTyped: d.youTyped,
    };
  }

  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, (_, key) => (key in values ? values[key] : ""));
  }

  async function api(url, options) {
    const headers = Object.assign({ "X-CSRFToken": window.LipRead.csrfToken(), Accept: "application/json" },
      (options && options.headers) || {});
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options, { headers }));
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (!response.ok) {
      const message = (body && body.message) || response.statusText;
      const failure = new Error(message);
      failure.status = response.status;
      failure.body = body;
      throw failure;
    }
    return body;
  }

  function postJson(url, data) {
    return api(url, { method: "POST", body: JSON.stringify(data || {}), headers: { "Content-Type": "application/json" } });
  }

  window.LipRead = Object.assign(window.LipRead || {}, {
    result: { renderDiff, renderWords, labelsFrom, format, api, postJson },
  });
})();
