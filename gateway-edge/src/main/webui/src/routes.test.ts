import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROUTES } from './routes';

/**
 * The edge lets anonymous callers reach exactly the UI's paths (permission `web-ui` in gateway-edge's
 * application.properties) and denies everything else: every SPA route must be on that list, or a deep link
 * would answer 401 instead of the page.
 */
describe('the edge permits every SPA route', () => {
  const props = readFileSync(resolve(__dirname, '../../resources/application.properties'), 'utf8');
  const line = props.split('\n').find((l) => l.startsWith('quarkus.http.auth.permission.web-ui.paths='));
  const permitted = (line ?? '').split('=')[1].split(',').map((s) => s.trim());

  it.each(Object.values(ROUTES))('%s', (path) => {
    expect(permitted).toContain(path);
  });

  it('and nothing under the API prefixes', () => {
    for (const p of permitted) expect(p).not.toMatch(/^\/(v1|api|q|internal)(\/|$)/);
  });
});
