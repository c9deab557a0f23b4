// The review page: due cards one by one; the sentence is shown only after answering.
(function () {
  "use strict";
  const configNode = document.getElementById("review-config");
  if (!configNode) return;
  const config = JSON.parse(configNode.textContent);
  const R = window.LipRead.result;
  const template = document.getElementById("i18n");
  const i18n = template.dataset;
  const labels = R.labelsFrom(template);
  const $ = (id) => document.getElementById(id);
  let cards = [];
  let current = null;
  let answered = false;

  function notifyError(error) { window.LipRead.notify((error && error.message) || i18n.error, "error"); }

  async function load() {
    try {
      const body = await R.api(config.due);
      cards = body.results;
      showNext();
    } catch (error) { notifyError(error); }
  }

  function showNext() {
    current = cards.shift() || null;
    answered = false;
    $("review-result").hidden = true;
    if (!current) {
      $("review-card").hidden = true;
      $("review-empty").hidden = false;
      return;
    }
    $("review-card").hidden = false;
    $("review-empty").hidden = true;
    $("review-roleplay").textContent = (current.roleplay.emoji ? current.roleplay.emoji + " " : "") + current.roleplay.title;
    $("review-speaker").textContent = current.speaker;
    $("review-input").value = "";
    $("review-input").lang = current.language;
    const video = $("review-video");
    video.querySelectorAll("track").forEach((t) => t.remove());
    $("review-not-ready").hidden = Boolean(current.video_url);
    video.hidden = !current.video_url;
    if (current.video_url) {
      video.poster = current.poster_url || "";
      video.src = current.video_url;
      video.load();
    }
    $("review-title").focus();
  }

  $("review-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current) return;
    if (answered) { showNext(); return; }
    try {
      const body = await R.postJson(config.answer.replace("{id}", current.id), { input: $("review-input").value });
      answered = true;
      const result = body.result;
      $("review-score").textContent = R.format(i18n.points, { score: result.score, lip: result.lip_score });
      $("review-answer").textContent = body.answer;
      R.renderDiff($("review-diff"), result.diff, labels);
      R.renderWords($("review-words"), result.words, labels);
      $("review-next-due").textContent = R.format(i18n.nextDue, { when: new Date(body.next_due).toLocaleString() });
      $("review-result").hidden = false;
      if (current.captions_url) {
        const track = document.createElement("track");
        track.kind = "captions"; track.src = current.captions_url; track.srclang = current.language; track.default = true;
        $("review-video").appendChild(track);
      }
      $("review-next").focus();
    } catch (error) { notifyError(error); }
  });
  $("review-next").addEventListener("click", showNext);
  load();
})();
