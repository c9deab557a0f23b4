// Background noise for listening practice, made with the Web Audio API.
//
// Babble-like noise: pink noise (Paul Kellet's filter) shaped by a slow random envelope,
// band-limited to the speech range, looped through a GainNode. The speech tracks are
// loudness-normalised to about -20 LUFS (RMS ≈ 0.1), so the noise gain for a
// signal-to-noise ratio of S dB is 0.1 × 10^(−S/20) for noise of unit RMS.
(function () {
  "use strict";
  const SPEECH_RMS = 0.1;
  const MIN_SNR = -10;
  const MAX_SNR = 30;

  function makeNoiseBuffer(context, seconds) {
    const length = Math.floor(context.sampleRate * seconds);
    const buffer = context.createBuffer(1, length, context.sampleRate);
    const data = buffer.getChannelData(0);
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    let envelope = 1, target = 1;
    const envelopeStep = 1 / (context.sampleRate * 0.08);
    let sumSquares = 0;
    for (let i = 0; i < length; i++) {
      const white = Math.random() * 2 - 1;
      b0 = 0.99886 * b0 + white * 0.0555179;
      b1 = 0.99332 * b1 + white * 0.0750759;
      b2 = 0.969 * b2 + white * 0.153852;
      b3 = 0.8665 * b3 + white * 0.3104856;
      b4 = 0.55 * b4 + white * 0.5329522;
      b5 = -0.7616 * b5 - white * 0.016898;
      const pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
      b6 = white * 0.115926;
      // Syllable-rate amplitude changes make it sound like distant talkers, not hiss.
      if (Math.abs(envelope - target) < envelopeStep) target = 0.35 + Math.random() * 0.65;
      envelope += envelope < target ? envelopeStep : -envelopeStep;
      data[i] = pink * envelope;
      sumSquares += data[i] * data[i];
    }
    const rms = Math.sqrt(sumSquares / length) || 1;
    for (let i = 0; i < length; i++) data[i] /= rms;
    return buffer;
  }

  class NoiseGenerator {
    constructor() {
      this.context = null;
      this.source = null;
      this.gain = null;
      this.snr = 10;
    }

    ensureContext() {
      if (!this.context) {
        const Context = window.AudioContext || window.webkitAudioContext;
        if (!Context) return null;
        this.context = new Context();
        this.gain = this.context.createGain();
        const lowpass = this.context.createBiquadFilter();
        lowpass.type = "lowpass";
        lowpass.frequency.value = 4000;
        const highpass = this.context.createBiquadFilter();
        highpass.type = "highpass";
        highpass.frequency.value = 150;
        this.gain.connect(highpass).connect(lowpass).connect(this.context.destination);
        this.buffer = makeNoiseBuffer(this.context, 4);
        this.setSnr(this.snr);
      }
      return this.context;
    }

    setSnr(snr) {
      this.snr = Math.max(MIN_SNR, Math.min(MAX_SNR, snr));
      if (this.gain) this.gain.gain.value = SPEECH_RMS * Math.pow(10, -this.snr / 20);
      return this.snr;
    }

    start() {
      if (!this.ensureContext() || this.source) return;
      if (this.context.state === "suspended") this.context.resume();
      this.source = this.context.createBufferSource();
      this.source.buffer = this.buffer;
      this.source.loop = true;
      this.source.connect(this.gain);
      this.source.start();
    }

    stop() {
      if (this.source) {
        this.source.stop();
        this.source.disconnect();
        this.source = null;
      }
    }
  }

  window.LipRead = Object.assign(window.LipRead || {}, {
    NoiseGenerator, noiseLimits: { min: MIN_SNR, max: MAX_SNR },
  });
})();
