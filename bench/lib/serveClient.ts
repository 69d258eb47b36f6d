// bench:serve's client: measures the service at URL from its own process (see serve.bench.ts)
// and prints one JSON line {p50, p99 (ms), requestsPerSecond, recordsPerSecond}.
//   tsx serveClient.ts URL BODIES REQUESTS CONCURRENCY [latency]
import { readFileSync } from 'node:fs';
import http from 'node:http';

// MODE 'latency' stops after the sequential latency measure.
const [url, bodiesFile, requestsText, concurrencyText, mode] = process.argv.slice(2);
const { bodies, batch } = JSON.parse(readFileSync(bodiesFile, 'utf8')) as { bodies: string[]; batch: string };
const requests = Number(requestsText);
const concurrency = Number(concurrencyText);

// node:http with keep-alive connections: lighter per request than fetch, so the figures are
// mostly the server's.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL(url);

function send(body: string): Promise<number> {
  const t = performance.now();
  return new Promise((done, fail) => {
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? done(performance.now() - t) : fail(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

for (let i = 0; i < 200; i++) await send(bodies[i % bodies.length]);
const lat: number[] = [];
for (let i = 0; i < requests; i++) lat.push(await send(bodies[i % bodies.length]));
lat.sort((a, b) => a - b);
if (mode === 'latency') {
  console.log(JSON.stringify({ p50: pct(lat, 0.5), p99: pct(lat, 0.99) }));
  process.exit(0);
}

let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests) await send(bodies[next++ % bodies.length]);
  }),
);
const concurrentSeconds = (performance.now() - t0) / 1000;

const batches = Math.max(10, Math.floor(requests / 100));
const t1 = performance.now();
for (let i = 0; i < batches; i++) await send(batch);
const batchSeconds = (performance.now() - t1) / 1000;
console.log(JSON.stringify({ p50: pct(lat, 0.5), p99: pct(lat, 0.99), requestsPerSecond: requests / concurrentSeconds, recordsPerSecond: (batches * 100) / batchSeconds }));
