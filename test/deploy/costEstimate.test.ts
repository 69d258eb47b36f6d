// `sealed deploy cost`: the configuration's items priced from a local double of the Azure Retail
// Prices API (answers in the shape of Microsoft Learn, "Azure Retail Prices overview"; see
// helpers/retailPricesDouble.ts), through the real fetch. Illustrative prices, never Azure's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { deployCostCommand, estimateCost, chooseMeter, hoursPerUnit, type CostDeps } from '../../src/deploy/cost/index.ts';
import { parseDeployConfig } from '../../src/deploy/config/index.ts';
import { runCli } from '../cli/helpers.ts';
import { catalogueHandler, startDouble, WESTEUROPE, type DoubleItem } from './helpers/retailPricesDouble.ts';

const BASE = { location: 'westeurope', resourceGroup: 'sealed-rg', clusterName: 'sealedaks', acr: { name: 'sealedacr7f3k2' } };
const configOf = (extra: Record<string, unknown> = {}) => parseDeployConfig({ ...BASE, ...extra }, 'test').config;
const NOW = () => new Date('2026-12-08T04:00:00Z');

async function withCatalogue<T>(items: DoubleItem[], body: (deps: CostDeps, requests: URL[]) => Promise<T>): Promise<T> {
  const d = await startDouble(catalogueHandler(items));
  try {
    return await body({ origin: d.origin, now: NOW }, d.requests);
  } finally {
    await d.close();
  }
}

class Capture extends Writable {
  text = '';
  override _write(c: Buffer, _e: BufferEncoding, done: () => void): void {
    this.text += c.toString();
    done();
  }
}

function configFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sealed-cost-'));
  const file = join(dir, 'sealed-deploy.yaml');
  writeFileSync(file, text, { mode: 0o600 });
  return { dir, file };
}

test('the default configuration: Linux pay-as-you-go VMs (Windows, Spot, Low Priority, DevTest excluded), ACR per day/24, LB, 2 IPs, AKS Free', async () => {
  const e = await withCatalogue(WESTEUROPE, (deps) => estimateCost(configOf(), { ...deps, currency: 'USD' }));
  const by = Object.fromEntries(e.lines.map((l) => [l.id, l]));
  assert.equal(by.systemPool.unitPrice, 0.2);
  assert.equal(by.systemPool.perHour, 0.2);
  assert.equal(by.systemPool.meter, 'Virtual Machines / Virtual Machines Dv5 Series / D4 v5 / D4 v5');
  assert.equal(by.confidentialPool.quantity, 2);
  assert.equal(by.confidentialPool.perHour, 1);
  assert.equal(by.aks.status, 'free');
  assert.equal(by.aks.perHour, 0);
  assert.ok(Math.abs((by.acr.perHour ?? 0) - 0.6 / 24) < 1e-12);
  assert.equal(by.acr.unit, '1/Day');
  assert.equal(by.loadBalancer.perHour, 0.025);
  assert.equal(by.publicIps.perHour, 0.01);
  assert.equal(e.complete, true);
  const total = 0.2 + 1 + 0.6 / 24 + 0.025 + 0.01;
  assert.ok(Math.abs(e.totalPerHour - total) < 1e-12);
  assert.ok(Math.abs(e.totalPer30Days - total * 720) < 1e-9);
  assert.equal(e.date, '2026-12-08T04:00:00.000Z');
  assert.equal(by.keyVault, undefined);
});

test('a size the region does not sell is "not found" and left out of an "incomplete" total; never a neighbour price', async () => {
  const cfg = configOf({ systemPool: { vmSize: 'Standard_D8_v5', count: 2 } });
  const e = await withCatalogue(WESTEUROPE, (deps) => estimateCost(cfg, { ...deps, currency: 'USD' }));
  const sys = e.lines.find((l) => l.id === 'systemPool');
  assert.equal(sys?.status, 'notFound');
  assert.equal(sys?.perHour, undefined);
  assert.match(sys?.note ?? '', /no meter in the answer: Standard_D8_v5 Linux pay-as-you-go/);
  assert.equal(e.complete, false);
  assert.ok(Math.abs(e.totalPerHour - (1 + 0.6 / 24 + 0.025 + 0.01)) < 1e-12);
});

test('two Linux meters with different prices for one size: none chosen (never guess); a non-primary region meter gives way to the primary one', () => {
  const p = (retailPrice: number, isPrimaryMeterRegion?: boolean) => ({ retailPrice, currencyCode: 'USD', unitOfMeasure: '1 Hour', armRegionName: 'westeurope', armSkuName: 'Standard_D4_v5', productName: 'x', skuName: 'D4 v5', meterName: 'D4 v5', serviceName: 'Virtual Machines', type: 'Consumption', isPrimaryMeterRegion, tierMinimumUnits: 0, effectiveStartDate: '' });
  assert.match(String(chooseMeter([p(0.2), p(0.3)])), /2 meters with different prices \(0\.2, 0\.3\), none chosen/);
  assert.equal((chooseMeter([p(0.2, true), p(0.3, false)]) as { retailPrice: number }).retailPrice, 0.2);
  assert.equal(chooseMeter([]), 'no meter in the answer');
  assert.equal(hoursPerUnit('1 Hour'), 1);
  assert.equal(hoursPerUnit('1/Day'), 24);
  assert.equal(hoursPerUnit('1 GB'), undefined);
});

test('filter values are case-sensitive: a lower-case standard_d4_v5 in the file is asked for as Standard_D4_v5', async () => {
  const cfg = configOf({ systemPool: { vmSize: 'standard_D4_v5' } });
  await withCatalogue(WESTEUROPE, async (deps, requests) => {
    const e = await estimateCost(cfg, { ...deps, currency: 'USD' });
    assert.equal(e.lines[0].status, 'priced');
    assert.match(requests[0].searchParams.get('$filter') ?? '', /armSkuName eq 'Standard_D4_v5'/);
  });
});

test('Key Vault and attestation say "billed per use", with no hourly figure; Premium ACR uses the Premium meter', async () => {
  const cfg = configOf({ keyVault: { name: 'sealed-kv-7f3k2' }, attestation: { name: 'sealedmaa7f3k2' }, acr: { name: 'sealedacr7f3k2', sku: 'Premium' } });
  const e = await withCatalogue(WESTEUROPE, (deps) => estimateCost(cfg, { ...deps, currency: 'USD' }));
  for (const id of ['keyVault', 'attestation'] as const) {
    const l = e.lines.find((x) => x.id === id);
    assert.equal(l?.status, 'perUse');
    assert.equal(l?.perHour, undefined);
  }
  assert.equal(e.lines.find((l) => l.id === 'acr')?.unitPrice, 1.5);
  assert.equal(e.complete, true);
});

test('the table: one row per item with qty, unit price, per hour, meter; totals per hour and per 30 days; the date', async () => {
  const { file } = configFile('location: westeurope\nresourceGroup: sealed-rg\nclusterName: sealedaks\nacr: {name: sealedacr7f3k2}\nkeyVault: {name: sealed-kv-7f3k2}\n');
  const out = new Capture();
  const code = await withCatalogue(WESTEUROPE, (deps) => deployCostCommand({ config: file, currency: 'usd' }, { stdout: out, stderr: new Capture(), env: {}, cwd: '/' }, deps));
  assert.equal(code, 0);
  const t = out.text;
  assert.match(t, /^Azure retail prices for westeurope in USD, read 2026-12-08T04:00:00\.000Z from http:\/\/127\.0\.0\.1:\d+\/api\/retail\/prices/);
  assert.match(t, /system pool, 1 x Standard_D4_v5 +1 +0\.2000 \/ 1 Hour +0\.2000 +Virtual Machines \/ Virtual Machines Dv5 Series \/ D4 v5 \/ D4 v5/);
  assert.match(t, /confidential pool intelsgx, 2 x Standard_DC4s_v3 +2 +0\.5000 \/ 1 Hour +1\.0000/);
  assert.match(t, /Key Vault sealed-kv-7f3k2, Premium +1 +- +billed per use/);
  assert.match(t, /total per hour: 1\.2600 USD\n/);
  assert.match(t, /total per 30 days \(720 h\): 907\.20 USD\n/);
});

test('terminal injection: an escape sequence in a meter name from the API is printed escaped', async () => {
  const evil = WESTEUROPE.map((i) => (i.armSkuName === 'Standard_D4_v5' && i.productName === 'Virtual Machines Dv5 Series' && i.skuName === 'D4 v5' && i.type === undefined ? { ...i, meterName: 'D4 v5\x1b[2J\x1b]0;pwned\x07' } : i));
  const { file } = configFile('location: westeurope\nresourceGroup: sealed-rg\nclusterName: sealedaks\nacr: {name: sealedacr7f3k2}\n');
  for (const json of [false, true]) {
    const out = new Capture();
    await withCatalogue(evil, (deps) => deployCostCommand({ config: file, json }, { stdout: out, stderr: new Capture(), env: {}, cwd: '/' }, deps));
    assert.ok(!out.text.includes('\x1b') && !out.text.includes('\x07'), 'no raw ESC or BEL');
    assert.match(out.text, /D4 v5\\(x1b|u001b)\[2J/);
  }
});

test('--json: one object with the lines, totals, currency and date', async () => {
  const { file } = configFile('{"location": "westeurope", "resourceGroup": "sealed-rg", "clusterName": "sealedaks", "acr": {"name": "sealedacr7f3k2"}}');
  const out = new Capture();
  await withCatalogue(WESTEUROPE, (deps) => deployCostCommand({ config: file, currency: 'EUR', json: true }, { stdout: out, stderr: new Capture(), env: {}, cwd: '/' }, deps));
  const o = JSON.parse(out.text) as { currency: string; complete: boolean; totalPerHour: number; lines: { id: string }[]; date: string };
  assert.equal(o.currency, 'EUR');
  assert.equal(o.complete, true);
  assert.equal(o.lines.length, 6);
  assert.equal(o.date, '2026-12-08T04:00:00.000Z');
  assert.ok(o.totalPerHour > 1.25 && o.totalPerHour < 1.27);
});

test('sealed deploy cost --currency with a bad code: one line, exit 2, before the config is read or the API asked', async () => {
  for (const bad of ['EURO', 'u$d', "USD'&$filter=x"]) {
    const r = await runCli(['deploy', 'cost', '--config', '/nonexistent/sealed-deploy.yaml', '--currency', bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /^sealed: --currency '.*' is refused: expected a 3-letter currency code such as USD or EUR\n$/);
  }
});

test('sealed deploy cost with a bad configuration: one line naming the file and field, exit 2, no request', async () => {
  const { file } = configFile('location: westeurop\nresourceGroup: sealed-rg\nclusterName: sealedaks\nacr: {name: sealedacr7f3k2}\n');
  const r = await runCli(['deploy', 'cost', '--config', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sealed: deploy configuration .*sealed-deploy\.yaml: location: 'westeurop' is not an Azure region name.*\n$/);
});

test('sealed deploy --help lists cost, and its help names no URL option (the host is fixed)', async () => {
  const r = await runCli(['deploy', '--help']);
  assert.match(r.stdout, /^ {2}cost\b/m);
  const c = await runCli(['deploy', 'cost', '--help']);
  assert.equal(c.code, 0);
  assert.doesNotMatch(c.stdout, /--(url|origin|host|endpoint)/);
  assert.match(c.stdout, /--currency <code>/);
});
