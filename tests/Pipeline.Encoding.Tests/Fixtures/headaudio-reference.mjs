// Regenerate: npm pack @met4citizen/headaudio@0.1.0, unpack to /tmp/ha, then
// node tests/Pipeline.Encoding.Tests/Fixtures/headaudio-reference.mjs tests/Pipeline.Encoding.Tests/Fixtures/headaudio-reference.json
// Reference output of HeadAudio 0.1.0's own JS for a deterministic test signal (see HeadAudioReferenceTests.cs).
import { Processor } from "/tmp/ha/package/modules/processor.mjs";
import { Training } from "/tmp/ha/package/modules/training.mjs";
import * as PARAMS from "/tmp/ha/package/modules/parameters.mjs";
import fs from "fs";
const rate = 48000, n = rate; // one second
const x = new Float32Array(n);
let seed = 12345;
for (let i = 0; i < n; i++) {
  seed = (seed * 16807) % 2147483647; // Park-Miller: products stay below 2^53, exact in JS doubles
  const noise = seed / 2147483647 - 0.5;
  const env = (Math.floor(i / 9600) % 2 === 0) ? 1 : 0.001; // 200 ms on/off, so the VAD gate switches
  x[i] = env * (0.3 * Math.sin(2 * Math.PI * 220 * i / rate) + 0.2 * Math.sin(2 * Math.PI * 1250 * i / rate) + 0.1 * noise);
}
const events = [];
// The processor reuses its vector and distance arrays: copy at event time, as a real worklet message would.
const worklet = { port: { onmessage: null, postMessage: (o) => events.push(structuredClone(o)) } };
const p = new Processor({ sampleRate: rate, processorOptions: { featureEventsEnabled: true, visemeEventsEnabled: true } }, worklet);
const mb = fs.readFileSync("/tmp/ha/package/dist/model-en-mixed.bin");
const ab = mb.buffer.slice(mb.byteOffset, mb.byteOffset + mb.byteLength);
const t = new Training(); const model = [];
for (let pos = 0; pos + PARAMS.RECORD_OFFSET <= ab.byteLength; pos += PARAMS.RECORD_OFFSET) model.push(t.decodeBinaryRecord(new Float32Array(ab, pos, PARAMS.RECORD_LEN)));
p._onmessage({ data: { event: "model", model } });
for (let i = 0; i < n; i += 128) p.process(x.subarray(i, Math.min(n, i + 128)));
const feats = events.filter(e => e.event === 'feature').map(e => ({ t: e.t, le: e.le, v: Array.from(e.vector) }));
const vis = events.filter(e => e.event === 'viseme').map(e => ({ t: e.t, nearest: (() => { let m = 0; e.distances.forEach((d, i) => { if (d <= e.distances[m]) m = i; }); return model[m].viseme; })(), d: e.distances.slice(0, 5) }));
fs.writeFileSync(process.argv[2], JSON.stringify({ generator: "HeadAudio 0.1.0 modules/processor.mjs, node " + process.version, features: feats, classified: vis }));
console.log(feats.length, vis.length);
