// The practice player: one sentence at a time, answer by typing or speaking, see the diff.
// Config comes from the json_script block; every write goes through the JSON API.
(function () {
  "use strict";
  const root = document.getElementById("practice");
  const configNode = document.getElementById("practice-config");
  if (!root || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const R = window.LipRead.result;
  const i18n = document.getElementById("i18n").dataset;
  const labels = R.labelsFrom(document.getElementById("i18n"));
  const $ = (id) => document.getElementById(id);

  const video = $("video");
  const state = {
    session: null, index: 0, answered: false, mode: "lips", speed: 1, noise: "off", snr: 10,
    recorder: null, busy: false,
  };
  const noise = window.LipRead.NoiseGenerator ? new window.LipRead.NoiseGenerator() : null;

  function notifyError(error) {
    window.LipRead.notify((error && error.message) || i18n.error, "error");
  }

  function currentLine() { return config.lines[state.index]; }

  function soundOn() { return state.mode !== "lips"; }

  function showNoiseLevel() {
    const node = $("noise-level");
    node.hidden = state.noise === "off" || !soundOn();
    node.textContent = R.format(i18n.noise, { snr: state.snr });
  }

  // --- setup -------------------------------------------------------------------------
  $("setup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.busy) return;
    const form = event.target;
    state.mode = form.elements.mode.value;
    state.speed = parseFloat(form.elements.speed.value) || 1;
    state.noise = form.elements.noise.value;
    if (state.noise !== "off" && state.noise !== "adaptive") state.snr = parseInt(state.noise, 10);
    if (noise && state.noise !== "off" && soundOn()) {
      noise.ensureContext();  // created inside the click so browsers allow sound
      state.snr = noise.setSnr(state.snr);
    }
    state.busy = true;
    try {
      const session = await R.postJson(config.api.sessions, { roleplay: config.roleplay, mode: state.mode });
      state.session = session.id;
    } catch (error) {
      notifyError(error);
      return;
    } finally {
      state.busy = false;
    }
    $("practice-setup").hidden = true;
    $("practice-stage").hidden = false;
    root.dataset.state = "practising";
    $("player").dataset.mode = state.mode;
    video.muted = state.mode === "lips";
    showNoiseLevel();
    if (window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      $("mic-button").hidden = false;
    }
    showLine(0);
  });

  // --- one sentence ------------------------------------------------------------------
  function removeTracks() {
    video.querySelectorAll("track").forEach((track) => track.remove());
  }

  function showLine(index) {
    state.index = index;
    state.answered = false;
    const line = currentLine();
    $("line-speaker").textContent = line.speaker;
    $("player").dataset.position = line.position;
    $("line-progress").textContent = R.format(i18n.line, { n: index + 1, total: config.lines.length });
    $("result").hidden = true;
    $("answer-input").value = "";
    $("recording-status").textContent = "";
    removeTracks();
    stopNoise();
    const ready = Boolean(line.ready && line.video);
    $("not-ready").hidden = ready;
    video.hidden = !ready;
    $("play-button").disabled = !ready;
    $("replay-button").disabled = !ready;
    $("answer-input").disabled = !ready;
    $("check-button").disabled = !ready;
    $("mic-button").disabled = !ready;
    $("next-button").textContent = index + 1 >= config.lines.length ? i18n.last : $("next-button").dataset.label;
    if (ready) {
      video.poster = line.poster || "";
      video.src = line.video;
      video.defaultPlaybackRate = state.speed;
      video.playbackRate = state.speed;
      video.preservesPitch = true;
      video.muted = state.mode === "lips";
      video.load();
    } else {
      video.removeAttribute("src");
      video.load();
    }
    $("line-heading").focus();
  }
  $("next-button").dataset.label = $("next-button").textContent;

  function startNoise() {
    if (noise && state.noise !== "off" && soundOn()) noise.start();
  }
  function stopNoise() { if (noise) noise.stop(); }

  function play() {
    if (!currentLine().ready) return;
    if (!video.paused && !video.ended) { video.pause(); return; }
    if (video.ended) video.currentTime = 0;
    video.playbackRate = state.speed;
    video.preservesPitch = true;
    video.play().catch(notifyError);
  }

  function replay() {
    if (!currentLine().ready) return;
    video.currentTime = 0;
    video.playbackRate = state.speed;
    video.play().catch(notifyError);
  }

  video.addEventListener("play", () => {
    startNoise();
    $("play-button").textContent = "⏸ " + i18n.pause;
  });
  ["pause", "ended"].forEach((name) => video.addEventListener(name, () => {
    stopNoise();
    $("play-button").textContent = "▶ " + i18n.play;
  }));
  video.addEventListener("ended", () => { if (!state.answered) $("answer-input").focus(); });

  $("play-button").addEventListener("click", play);
  $("replay-button").addEventListener("click", replay);
  $("skip-button").addEventListener("click", next);
  $("next-button").addEventListener("click", next);
  $("finish-button").addEventListener("click", finish);

  function showCaptions() {
    const line = currentLine();
    if (!line.captions || video.querySelector("track")) return;
    const track = document.createElement("track");
    track.kind = "captions";
    track.src = line.captions;
    track.srclang = config.language;
    track.label = config.language === "ko" ? "한국어" : "English";
    track.default = true;
    video.appendChild(track);
    if (video.textTracks[0]) video.textTracks[0].mode = "showing";
  }

  function showResult(body) {
    state.answered = true;
    const result = $("result");
    $("result-score").textContent = R.format(i18n.points, { score: body.score, lip: body.lip_score });
    const verdict = $("result-verdict");
    verdict.textContent = body.correct ? "✓ " + i18n.correct : "✗ " + i18n.wrong;
    verdict.className = "verdict " + (body.correct ? "verdict-correct" : "verdict-wrong");
    const transcript = $("result-transcript");
    transcript.hidden = !body.spoken;
    transcript.textContent = body.spoken ? i18n.heard + ": " + (body.transcript || "—") + (body.message ? " · " + body.message : "") : "";
    $("result-answer").textContent = body.answer || body.answer_normalized;
    R.renderDiff($("result-diff"), body.diff, labels);
    R.renderWords($("result-words"), body.words, labels);
    result.hidden = false;
    result.dataset.correct = body.correct ? "true" : "false";
    showCaptions();
    if (state.noise === "adaptive" && noise && soundOn()) {
      // LACE-style: 2 dB harder (less speech above noise) after a right answer, easier after a wrong one.
      state.snr = noise.setSnr(state.snr + (body.correct ? -2 : 2));
      showNoiseLevel();
    }
    $("next-button").focus();
  }

  async function submitAnswer(payload, spoken) {
    if (state.busy || state.answered || !state.session) return;
    state.busy = true;
    $("check-button").disabled = true;
    const url = config.api.sessions + "/" + state.session + "/attempts";
    try {
      let body;
      if (spoken) {
        $("recording-status").textContent = i18n.sending;
        body = await R.api(url, { method: "POST", body: payload });
      } else {
        body = await R.postJson(url, payload);
      }
      body.spoken = spoken;
      showResult(body);
      $("recording-status").textContent = "";
    } catch (error) {
      notifyError(error);
      $("recording-status").textContent = "";
    } finally {
      state.busy = false;
      $("check-button").disabled = false;
    }
  }

  $("answer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (state.answered) { next(); return; }
    submitAnswer({ line: currentLine().id, input: $("answer-input").value }, false);
  });

  // --- microphone ---------------------------------------------------------------------
  async function toggleRecording() {
    const button = $("mic-button");
    if (state.recorder) { state.recorder.stop(); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      window.LipRead.notify(i18n.micError, "error");
      return;
    }
    const chunks = [];
    const recorder = new MediaRecorder(stream);
    state.recorder = recorder;
    recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      state.recorder = null;
      button.setAttribute("aria-pressed", "false");
      const type = recorder.mimeType || "audio/webm";
      const extension = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "mp4" : "webm";
      const form = new FormData();
      form.append("line", currentLine().id);
      form.append("audio", new Blob(chunks, { type }), "answer." + extension);
      submitAnswer(form, true);
    });
    recorder.start();
    button.setAttribute("aria-pressed", "true");
    $("recording-status").textContent = i18n.recording;
    setTimeout(() => { if (state.recorder === recorder) recorder.stop(); }, 25000);
  }
  $("mic-button").addEventListener("click", toggleRecording);

  // --- moving on ----------------------------------------------------------------------
  function next() {
    if (state.index + 1 >= config.lines.length) { finish(); return; }
    showLine(state.index + 1);
  }

  function formatTime(seconds) {
    return R.format(i18n.minutes, { m: Math.floor(seconds / 60), s: seconds % 60 });
  }

  async function finish() {
    if (!state.session || state.busy) return;
    state.busy = true;
    video.pause();
    stopNoise();
    try {
      const summary = await R.postJson(config.api.sessions + "/" + state.session + "/finish", {});
      $("practice-stage").hidden = true;
      root.dataset.state = "finished";
      $("summary-score").textContent = summary.average_score === null ? "—" : summary.average_score;
      $("summary-correct").textContent = summary.correct_count + " / " + summary.sentence_count;
      $("summary-time").textContent = formatTime(summary.duration_seconds);
      const wrong = $("summary-wrong");
      wrong.replaceChildren();
      summary.wrong.forEach((item) => {
        const li = document.createElement("li");
        li.textContent = item.text + " (" + item.best_score + ")";
        wrong.appendChild(li);
      });
      $("summary-wrong-block").hidden = summary.wrong.length === 0;
      $("summary-record").href = config.records + summary.id + "/";
      $("summary").hidden = false;
      $("summary-title").focus();
    } catch (error) {
      notifyError(error);
    } finally {
      state.busy = false;
    }
  }

  // --- keyboard -----------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (root.dataset.state !== "practising" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (typing) return;
    if (event.key === " " && !(target.closest && target.closest("button, a"))) {
      event.preventDefault();
      play();
    } else if (event.key === "r" || event.key === "R") {
      event.preventDefault();
      replay();
    }
  });
})();
