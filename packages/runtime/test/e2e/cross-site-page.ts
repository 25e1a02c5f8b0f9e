import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Cluster } from '../cluster/cluster-helper.ts';
import { until } from '../cluster/cluster-helper.ts';
import { launchBrowser } from './browser.ts';
import { total } from './metrics-text.ts';
import { scrape } from './observability.ts';

/**
 * A page of another site, opened in chromium, fires what such a page can at the worker: an
 * `<img>` GET to a seed write route and a form-like POST. Both are refused with 403 before the
 * token is even looked at (the worker's metrics count the answers), and nothing is created.
 */
export async function checkCrossSitePage(c: Cluster) {
  const w = c.workers.get('w1')!;
  const config = encodeURIComponent(
    JSON.stringify({ 'connector.class': 'FileStreamSink', file: `${c.dir}/x`, topics: 'mid1' }),
  );
  const html = `<!doctype html><body>
<img src="${w.url}/connectors/create/evil-img?config=${config}">
<script>
fetch(${JSON.stringify(`${w.url}/connectors`)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' },
  body: JSON.stringify({ name: 'evil-post', config: { 'connector.class': 'FileStreamSink', file: 'x', topics: 'mid1' } }) })
  .finally(() => { document.title = 'sent'; });
</script></body>`;
  const page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  const before = await scrape(c, 'w1');
  const refused = (s: typeof before) => total(s, 'sluice_http_requests_total', { status: '403' });
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage();
    // localhost is another site than the worker's 127.0.0.1 (Sec-Fetch-Site: cross-site).
    await tab.goto(`http://localhost:${(page.address() as { port: number }).port}/`);
    await until('the page sent both', async () => (await tab.title()) === 'sent', 20_000);
    await until(
      'both refused with 403',
      async () => refused(await scrape(c, 'w1')) >= refused(before) + 2,
      20_000,
    );
  } finally {
    await browser.close();
    page.close();
  }
  for (const name of ['evil-img', 'evil-post'])
    assert.equal((await c.call('w1', 'GET', `/connectors/${name}`)).status, 404, `${name} was not created`);
}
