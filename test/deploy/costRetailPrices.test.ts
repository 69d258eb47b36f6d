// The Retail Prices client of `sealed deploy cost` against a local double whose answers follow
// Microsoft Learn, "Azure Retail Prices overview" (learn.microsoft.com/rest/api/cost-management/
// retail-prices/azure-retail-prices): the real fetch (undici) code path, only the origin differs.
// Tests are named after the attack or limit they check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { checkNextPageLink, currencyProblem, odataString, queryRetailPrices, retailPricesUrl, RETAIL_PRICES_API_VERSION } from '../../src/deploy/cost/index.ts';
import { documentedItem, pageBody, startDouble, type DoubleItem, type PricesDouble } from './helpers/retailPricesDouble.ts';

const D4: DoubleItem = { serviceName: 'Virtual Machines', productName: 'Virtual Machines Dv5 Series', skuName: 'D4 v5', meterName: 'D4 v5', armSkuName: 'Standard_D4_v5', retailPrice: 0.2, unitOfMeasure: '1 Hour' };
const FILTER = "serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope'";

async function withDouble(handler: Parameters<typeof startDouble>[0], body: (d: PricesDouble) => Promise<void>): Promise<void> {
  const d = await startDouble(handler);
  try {
    await body(d);
  } finally {
    await d.close();
  }
}

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

test('the request: fixed path, api-version 2023-01-01-preview, quoted currencyCode, $filter with %20 for spaces', async () => {
  await withDouble(
    (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(pageBody([documentedItem(D4, 'EUR')], null, 'EUR')),
    async (d) => {
      const items = await queryRetailPrices(FILTER, { currency: 'EUR', origin: d.origin });
      assert.equal(items.length, 1);
      assert.equal(items[0].retailPrice, 0.2);
      const u = d.requests[0];
      assert.equal(u.pathname, '/api/retail/prices');
      assert.equal(u.searchParams.get('api-version'), RETAIL_PRICES_API_VERSION);
      assert.equal(u.searchParams.get('currencyCode'), "'EUR'");
      assert.equal(u.searchParams.get('$filter'), FILTER);
    },
  );
  assert.match(retailPricesUrl(FILTER, 'USD').href, /^https:\/\/prices\.azure\.com\/api\/retail\/prices\?api-version=2023-01-01-preview&currencyCode=%27USD%27&\$filter=serviceName%20eq%20/);
});

test('NextPageLink to the same origin and path is followed, items of all pages returned', async () => {
  let origin = '';
  await withDouble(
    (_q, res, url) => {
      const skip = Number(url.searchParams.get('$skip') ?? 0);
      const next = skip < 2 ? `${origin}/api/retail/prices?api-version=2023-01-01-preview&$skip=${skip + 1}` : null;
      res.writeHead(200).end(pageBody([documentedItem({ ...D4, retailPrice: skip })], next));
    },
    async (d) => {
      origin = d.origin;
      const items = await queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin });
      assert.deepEqual(items.map((i) => i.retailPrice), [0, 1, 2]);
      assert.equal(d.requests.length, 3);
    },
  );
});

test('SSRF: an injected NextPageLink to 169.254.169.254 (instance metadata) is refused and never fetched', async () => {
  const fetched: string[] = [];
  const spy: typeof fetch = (input, init) => {
    fetched.push(String(input));
    return fetch(input, init);
  };
  await withDouble(
    (_q, res) => res.writeHead(200).end(pageBody([documentedItem(D4)], 'http://169.254.169.254/metadata/instance?api-version=2021-02-01')),
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin, fetch: spy }), (e: Error) => code('deploy.cost.badResponse')(e) && /NextPageLink to http:\/\/169\.254\.169\.254/.test(e.message));
      assert.equal(fetched.length, 1);
      assert.ok(fetched[0].startsWith(d.origin));
    },
  );
});

test('NextPageLink downgrade to http://, another path, another host or credentials is refused; the documented form is accepted', () => {
  const ok = checkNextPageLink("https://prices.azure.com:443/api/retail/prices?api-version=2023-01-01-preview&$filter=x&$skip=1000");
  assert.equal(ok?.hostname, 'prices.azure.com');
  assert.equal(checkNextPageLink(null), undefined);
  for (const [link, why] of [
    ['http://prices.azure.com/api/retail/prices?$skip=100', /not https:\/\/prices\.azure\.com/],
    ['https://prices.azure.com.evil.example/api/retail/prices', /not https:\/\/prices\.azure\.com/],
    ['https://prices.azure.com/api/retail/other?x=1', /path \/api\/retail\/other/],
    ['https://prices.azure.com/api/retail/prices/../../admin', /path/],
    ['https://user:pw@prices.azure.com/api/retail/prices', /credentials/],
    ['file:///etc/passwd', /not https/],
    ['not a url', /not a URL/],
    [42, /not a string/],
    [`https://prices.azure.com/api/retail/prices?${'a'.repeat(5000)}`, /longer than/],
  ] as const) {
    assert.throws(() => checkNextPageLink(link), (e: Error) => code('deploy.cost.badResponse')(e) && why.test(e.message), String(link).slice(0, 60));
  }
});

test('a server that never stops paging: at most maxPages requests, then refused', async () => {
  let origin = '';
  await withDouble(
    (_q, res, url) => res.writeHead(200).end(pageBody([documentedItem(D4)], `${origin}/api/retail/prices?$skip=${Number(url.searchParams.get('$skip') ?? 0) + 1}`)),
    async (d) => {
      origin = d.origin;
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin, maxPages: 3 }), /more than 3 pages/);
      assert.equal(d.requests.length, 3);
    },
  );
});

test('a NextPageLink loop back to a page already read is refused', async () => {
  let origin = '';
  await withDouble(
    (_q, res) => res.writeHead(200).end(pageBody([documentedItem(D4)], `${origin}/api/retail/prices?$skip=1`)),
    async (d) => {
      origin = d.origin;
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin }), /page already read/);
      assert.equal(d.requests.length, 2);
    },
  );
});

test('huge response: a body streamed past the size cap is cut off and refused; a declared Content-Length over it is not read', async () => {
  await withDouble(
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let sent = 0;
      const push = () => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200 && !res.destroyed) res.once('drain', push);
        else res.end();
      };
      push();
    },
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin, maxPageBytes: 64 * 1024 }), /more than the 65536-byte limit/);
    },
  );
  await withDouble(
    (_q, res) => res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end(),
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin, maxPageBytes: 64 * 1024 }), /a page of 10485760 bytes/);
    },
  );
});

test('decompression bomb: a 20 KB gzip page that inflates to 20 MB stops at the cap (counted after inflating)', async () => {
  const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
  await withDouble(
    (_q, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb),
    async (d) => {
      assert.ok(bomb.length < 64 * 1024);
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin, maxPageBytes: 1024 * 1024 }), /more than the 1048576-byte limit/);
    },
  );
});

test('slowloris: a server that sends headers and then nothing times out', async () => {
  await withDouble(
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"Items": [');
    },
    async (d) => {
      const t0 = Date.now();
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin, timeoutMs: 300 }), (e: Error) => code('deploy.cost.unreachable')(e) && /no complete answer within 0\.3 s/.test(e.message));
      assert.ok(Date.now() - t0 < 5000);
    },
  );
});

test('open redirect: a 302 to the metadata address is not followed', async () => {
  await withDouble(
    (_q, res) => res.writeHead(302, { location: 'http://169.254.169.254/metadata/instance' }).end(),
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin }), code('deploy.cost.unreachable'));
      assert.equal(d.requests.length, 1);
    },
  );
});

test('an HTTP error and a body that is not JSON are refused, not read as "no meters"', async () => {
  await withDouble(
    (_q, res) => res.writeHead(503).end('busy'),
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin }), /HTTP 503/);
    },
  );
  await withDouble(
    (_q, res) => res.writeHead(200).end('<html>captive portal</html>'),
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin }), /not JSON/);
    },
  );
});

for (const [name, price] of [
  ['non-numeric price (a string)', '0.2'],
  ['negative price', -0.2],
  ['price null', null],
] as const) {
  test(`${name} in an answer is refused`, async () => {
    await withDouble(
      (_q, res) => res.writeHead(200).end(pageBody([documentedItem(D4), documentedItem({ ...D4, retailPrice: price })], null)),
      async (d) => {
        await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin: d.origin }), (e: Error) => code('deploy.cost.badResponse')(e) && /Items\[1\]\.retailPrice/.test(e.message));
      },
    );
  });
}

test('an item in another currency than asked for is refused (no silent USD for EUR)', async () => {
  await withDouble(
    (_q, res) => res.writeHead(200).end(pageBody([documentedItem(D4, 'USD')], null, 'USD')),
    async (d) => {
      await assert.rejects(queryRetailPrices(FILTER, { currency: 'EUR', origin: d.origin }), /in USD, not the EUR asked for/);
    },
  );
});

test('currency code: three capital letters only', () => {
  for (const ok of ['USD', 'EUR', 'JPY']) assert.equal(currencyProblem(ok), undefined);
  for (const bad of ['', 'US', 'USDD', 'us$', "EUR'", 'E1R', 'EUR&$filter=x']) assert.ok(currencyProblem(bad), bad);
});

test("OData injection: a filter value with a quote or 'or' clause is refused, not escaped", () => {
  assert.equal(odataString('Standard_D4_v5'), "'Standard_D4_v5'");
  assert.equal(odataString('Standard Included LB Rules and Outbound Rules'), "'Standard Included LB Rules and Outbound Rules'");
  for (const bad of ["westeurope' or serviceName eq 'x", 'a\nb', '', 'x'.repeat(81), 'a&b']) {
    assert.throws(() => odataString(bad), code('deploy.cost.badFilterValue'), JSON.stringify(bad));
  }
});

test('no network: a refused connection is one line naming the origin and the reason', async () => {
  const d = await startDouble((_q, res) => res.end());
  const origin = d.origin;
  await d.close();
  await assert.rejects(queryRetailPrices(FILTER, { currency: 'USD', origin }), (e: Error) => code('deploy.cost.unreachable')(e) && e.message === `cannot read prices from the Azure Retail Prices API (${origin}): connection refused`);
});
