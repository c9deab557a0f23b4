// Must-word chips: the words field stays a plain comma-separated input (works without
// JavaScript); this script shows each word as a removable chip and adds one on Enter or comma.
(function () {
  "use strict";
  const script = document.currentScript;
  const text = (name) => (script && script.dataset[name]) || "";

  function enhance(input) {
    const maxWords = parseInt(input.dataset.maxWords || "10", 10);
    const maxChars = parseInt(input.dataset.maxChars || "20", 10);
    const words = input.value.split(",").map((w) => w.trim()).filter(Boolean);

    const list = document.createElement("ul");
    list.className = "chips";
    list.setAttribute("aria-live", "polite");
    const message = document.createElement("p");
    message.className = "chip-message";
    message.setAttribute("role", "status");
    const entry = document.createElement("input");
    entry.type = "text";
    entry.id = input.id;
    entry.maxLength = maxChars + 1;
    entry.autocomplete = "off";
    if (input.getAttribute("aria-describedby")) entry.setAttribute("aria-describedby", input.getAttribute("aria-describedby"));
    input.removeAttribute("id");
    input.type = "hidden";
    input.after(list, entry, message);

    function sync() {
      input.value = words.join(", ");
      list.replaceChildren(...words.map((word, index) => {
        const item = document.createElement("li");
        item.className = "chip";
        item.append(document.createTextNode(word));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", text("removeLabel") + " " + word);
        remove.addEventListener("click", () => {
          words.splice(index, 1);
          sync();
          entry.focus();
        });
        item.append(remove);
        return item;
      }));
    }

    function add() {
      const word = entry.value.replace(/,/g, "").trim();
      message.textContent = "";
      if (!word) return true;
      if (words.length >= maxWords) { message.textContent = text("tooMany") + " " + maxWords; return false; }
      if (word.length > maxChars) { message.textContent = text("tooLong"); return false; }
      if (words.some((w) => w.toLowerCase() === word.toLowerCase())) { message.textContent = text("duplicate"); return false; }
      words.push(word);
      entry.value = "";
      sync();
      return true;
    }

    entry.addEventListener("keydown", (event) => {
      if (event.isComposing) return; // Korean IME: Enter confirms the syllable, not the word
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();
        add();
      } else if (event.key === "Backspace" && !entry.value && words.length) {
        words.pop();
        sync();
      }
    });
    entry.addEventListener("blur", add);
    input.form.addEventListener("submit", (event) => { if (!add()) event.preventDefault(); });
    sync();
  }

  document.querySelectorAll("input[data-must-words]").forEach(enhance);
})();
