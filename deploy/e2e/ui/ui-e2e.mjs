// The web UI end to end in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core (no
// browser download) against a running gateway whose edge serves the UI and whose OIDC issuer is Keycloak (realm
// aigw). Run by deploy/e2e WebUiIT against the e2e stack; by hand against any stack:
//
//   AIGW_EDGE_URL=http://127.0.0.1:8080 AIGW_DEMO_PASSWORD=… AIGW_ADMIN_PASSWORD=… node ui-e2e.mjs
//
// Flows: the demo user signs in through Keycloak's login form, picks a model for `writing` in the ModelSelector,
// runs a Writing Studio request (provider, model and tokens shown), looks up a word in the Dictionary, changes the
// routing policy and sees it (and the chosen model) after a reload, sees the usage page count those requests, then
// resets their settings. The admin user disables a provider, sees its model unavailable in the selector, enables it
// again (also when a step fails: AIGW_ADMIN_KEY + AIGW_ADMIN_URL), and downloads the costs CSV.
//
// Environment: AIGW_EDGE_URL (required), AIGW_DEMO_USER (demo), AIGW_DEMO_PASSWORD, AIGW_ADMIN_USER (admin),
// AIGW_ADMIN_PASSWORD, AIGW_UI_PROVIDER (the provider the demo user picks; fakeb), AIGW_UI_DISABLE_PROVIDER (the
// provider the admin disables; tgiu), AIGW_ADMIN_URL + AIGW_ADMIN_KEY (admin-service and an admin API key, to
// enable the provider again if the UI could not), AIGW_UI_SCREENSHOTS (directory of the screenshots; default
// target/ui-screenshots here; `--docs` writes them to the repository's docs/ui/), CHROMIUM (/usr/bin/chromium),
// AIGW_UI_TIMEOUT_MS (20000, one action or wait).
//
// Prints one JSON line last: {"ok":true|false, "steps":[…], "screenshots":[…], …}; exit status 0 only when ok.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const EDGE = (env.AIGW_EDGE_URL || '').replace(/\/$/, '');
const DEMO = { user: env.AIGW_DEMO_USER || 'demo', password: env.AIGW_DEMO_PASSWORD || '' };
const ADMIN = { user: env.AIGW_ADMIN_USER || 'admin', password: env.AIGW_ADMIN_PASSWORD || '' };
const PICK = env.AIGW_UI_PROVIDER || 'fakeb';
const DISABLE = env.AIGW_UI_DISABLE_PROVIDER || 'tgiu';
const TIMEOUT = Number(env.AIGW_UI_TIMEOUT_MS || 20000);
const SHOTS = process.argv.includes('--docs')
  ? resolve(here, '../../../docs/ui')
  : resolve(env.AIGW_UI_SCREENSHOTS || join(here, 'target/ui-screenshots'));

const report = { ok: false, edge: EDGE, steps: [], screenshots: [], screenshotDir: SHOTS };
const t0 = Date.now();

function fail(msg) {
  throw new Error(msg);
}

async function step(name, fn) {
  const s = Date.now();
  try {
    const detail = await fn();
    report.steps.push({ name, ms: Date.now() - s, ...(detail && typeof detail === 'object' ? detail : {}) });
    return detail;
  } catch (e) {
    report.steps.push({ name, ms: Date.now() - s, error: String(e?.message ?? e).split('\n').slice(0, 6).join('\n') });
    throw e;
  }
}

/** Waits until nothing on the page is busy (loading states carry aria-busy="true"). */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

async function shot(page, name) {
  await settled(page).catch(() => undefined);
  const file = join(SHOTS, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  report.screenshots.push(file);
}

/** Repeats `attempt` (reloading the page in between) until it returns a truthy value or `ms` have passed. */
async function until(page, what, ms, attempt) {
  const end = Date.now() + ms;
  let last = 'never tried';
  for (;;) {
    try {
      const v = await attempt();
      if (v) return v;
      last = `not yet (${JSON.stringify(v)})`;
    } catch (e) {
      last = String(e?.message ?? e).split('\n')[0];
    }
    if (Date.now() > end) fail(`${what}: not seen within ${ms} ms; last: ${last}`);
    await page.waitForTimeout(500); // poll interval between reloads, not a wait for the answer
    await page.reload({ waitUntil: 'domcontentloaded' });
  }
}

/** Signs in through the UI's "Sign in with your account" and Keycloak's login form; ends on the Writing Studio. */
async function signIn(page, who, prefix) {
  await page.goto(EDGE + '/signin');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(page, `${prefix}-signin`);
  await page.getByRole('button', { name: 'Sign in with your account' }).click();
  // Keycloak's login page (realm aigw): the ids of its login theme
  await page.locator('#username').waitFor();
  if (!page.url().startsWith(env.AIGW_OIDC_ISSUER || 'http')) fail('not on Keycloak: ' + page.url());
  await page.locator('#username').fill(who.user);
  await page.locator('#password').fill(who.password);
  await shot(page, `${prefix}-keycloak-login`);
  await page.locator('#kc-login').click();
  await page.waitForURL(EDGE + '/writing', { timeout: TIMEOUT });
  await page.getByRole('heading', { name: 'Writing Studio' }).waitFor();
  // the header names who is signed in
  await page.getByRole('navigation', { name: 'Main' }).getByText(who.user, { exact: true }).waitFor();
}

/** The Requests total of the usage page (the list "Totals for the range"). */
async function usageRequests(page) {
  const stat = page.getByRole('list', { name: 'Totals for the range' }).getByRole('listitem')
    .filter({ has: page.getByText('Requests', { exact: true }) });
  return Number(await stat.locator('strong').innerText());
}

/** The radio of a model whose provider is `provider` in the ModelSelector of `context`. */
function modelRadio(page, context, provider) {
  return page.locator(`input[type=radio][name="model-${context}"][value^="${provider}/"]`).first();
}

async function setProviderEnabledByApi(provider, enabled) {
  if (!env.AIGW_ADMIN_URL || !env.AIGW_ADMIN_KEY) return 'no AIGW_ADMIN_URL/AIGW_ADMIN_KEY';
  const r = await fetch(`${env.AIGW_ADMIN_URL.replace(/\/$/, '')}/api/v1/ai/admin/providers/${encodeURIComponent(provider)}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer ' + env.AIGW_ADMIN_KEY, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ enabled }),
  });
  return `PATCH enabled=${enabled}: ${r.status}`;
}

async function demoFlows(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    await step('demo: sign in through Keycloak', () => signIn(page, DEMO, '01-demo'));

    const before = await step('demo: usage before', async () => {
      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('heading', { name: 'Usage' }).waitFor();
      const requests = await usageRequests(page);
      return { requests };
    });

    const picked = await step(`demo: pick a ${PICK} model for writing`, async () => {
      await page.getByRole('link', { name: 'Writing Studio' }).click();
      await page.getByRole('heading', { name: 'Writing Studio' }).waitFor();
      await page.locator('summary', { hasText: 'Model for writing' }).click(); // opens the <details>
      const radio = modelRadio(page, 'writing', PICK);
      const id = await radio.getAttribute('value');
      await radio.check();
      // saved on the gateway: the legend names the saved choice
      await page.locator('fieldset.model-selector legend', { hasText: `saved: ` }).filter({ hasText: 'writing' }).waitFor();
      if (!(await radio.isChecked())) fail(`${id} not checked after saving`);
      return { model: id };
    });

    await step('demo: Writing Studio request', async () => {
      await page.getByLabel('Your text').fill('this sentense have two mistake, please improve it');
      await page.getByRole('button', { name: 'Improve' }).click();
      const provider = page.getByTestId('meta-provider');
      await provider.waitFor({ timeout: 2 * TIMEOUT });
      const shown = {
        provider: await provider.innerText(),
        model: await page.getByTestId('meta-model').innerText(),
        tokens: await page.getByTestId('meta-tokens').innerText(),
        output: (await page.getByTestId('ws-output').innerText()).slice(0, 80),
      };
      if (shown.provider !== PICK) fail(`provider shown ${shown.provider}, picked ${PICK} (${picked.model})`);
      if (!shown.model || shown.model === '—') fail('no model shown');
      if (!(Number(shown.tokens.split(' ')[0]) > 0)) fail('no tokens shown: ' + shown.tokens);
      if (!shown.output.trim()) fail('no output');
      await shot(page, '02-writing-studio');
      return shown;
    });

    await step('demo: Dictionary look-up', async () => {
      await page.getByRole('link', { name: 'Dictionary' }).click();
      await page.getByRole('heading', { name: 'Dictionary' }).waitFor();
      await page.getByLabel('Word or phrase').fill('serendipity');
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByRole('article', { name: 'Entry for serendipity' }).getByTestId('meta-tokens').waitFor({ timeout: 2 * TIMEOUT });
      const shown = {
        provider: await page.getByTestId('meta-provider').innerText(),
        tokens: await page.getByTestId('meta-tokens').innerText(),
        output: (await page.getByTestId('dict-output').innerText()).slice(0, 80),
      };
      if (!shown.output.trim()) fail('no entry text');
      if (!(Number(shown.tokens.split(' ')[0]) > 0)) fail('no tokens shown: ' + shown.tokens);
      await shot(page, '03-dictionary');
      return shown;
    });

    await step('demo: change a setting, persisted after reload', async () => {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'AI settings' }).waitFor();
      const policy = page.getByLabel('Routing policy');
      await policy.selectOption('cost');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Routing policy saved' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'AI settings' }).waitFor();
      const after = await page.getByLabel('Routing policy').inputValue();
      if (after !== 'cost') fail(`routing policy after reload: ${after}`);
      // the model picked in the Writing Studio, saved on the gateway, is shown as the writing choice
      const writing = page.locator('fieldset.model-selector').filter({ has: page.locator('input[name="model-writing"]') });
      await writing.locator('legend', { hasText: 'saved:' }).waitFor();
      if (!(await modelRadio(page, 'writing', PICK).isChecked())) fail(`${picked.model} not the writing choice after reload`);
      await page.getByText(/Today: \d+ requests/).waitFor();
      await shot(page, '04-settings');
      return { policy: after, writing: picked.model };
    });

    await step('demo: usage page counts the requests', async () => {
      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('heading', { name: 'Usage' }).waitFor();
      const want = before.requests + 2;
      const requests = await until(page, `usage requests >= ${want}`, 60_000, async () => {
        await page.getByRole('heading', { name: 'Usage' }).waitFor();
        const n = await usageRequests(page);
        return n >= want ? n : 0;
      });
      await page.getByRole('table').getByRole('cell', { name: new RegExp('^' + picked.model.replace('/', '\\/') + '$') }).waitFor();
      await page.getByTestId('chart-days').waitFor();
      await shot(page, '05-usage');
      return { before: before.requests, requests };
    });

    await step('demo: API keys page', async () => {
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await shot(page, '06-api-keys');
    });

    await step('demo: reset settings to the defaults', async () => {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Reset to defaults' }).click();
      await page.getByRole('status').filter({ hasText: 'reset to the gateway defaults' }).waitFor();
      const policy = await page.getByLabel('Routing policy').inputValue();
      if (policy !== 'user-preference') fail('policy after reset: ' + policy);
    });
  } catch (e) {
    await shot(page, 'failure-demo').catch(() => undefined);
    throw e;
  } finally {
    await ctx.close();
  }
}

async function adminFlows(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
  const page = await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  let disabled = false;
  try {
    await step('admin: sign in through Keycloak', () => signIn(page, ADMIN, '07-admin'));

    await step(`admin: disable provider ${DISABLE}`, async () => {
      await page.getByRole('link', { name: 'Providers' }).click();
      await page.getByRole('heading', { name: 'Providers' }).waitFor();
      const off = page.getByRole('switch', { name: `Disable ${DISABLE}` });
      await off.click();
      disabled = true;
      await page.getByRole('switch', { name: `Enable ${DISABLE}` }).waitFor();
      if (await page.getByRole('switch', { name: `Enable ${DISABLE}` }).isChecked()) fail('switch still on');
      await shot(page, '08-admin-providers');
    });

    await step(`admin: ${DISABLE} unavailable in the selector`, async () => {
      await page.getByRole('link', { name: 'Writing Studio' }).click();
      // The edge answers /api/v1/ai/models with Cache-Control max-age=30 and the UI's fetch honours it: the selector
      // may show the old availability for up to 30 s (plus the edge's catalog TTL), reloads or not.
      const seen = await until(page, `${DISABLE}'s model unavailable in the ModelSelector`, 45_000, async () => {
        await page.locator('summary', { hasText: 'Model for writing' }).click();
        const radio = modelRadio(page, 'writing', DISABLE);
        const id = await radio.getAttribute('value');
        const dot = page.getByTestId(`model-${id}`).getByRole('img');
        return (await dot.getAttribute('aria-label')) === 'health: unavailable' ? id : null;
      });
      await shot(page, '09-selector-provider-disabled');
      return { model: seen };
    });

    await step(`admin: enable provider ${DISABLE} again`, async () => {
      await page.getByRole('link', { name: 'Providers' }).click();
      await page.getByRole('switch', { name: `Enable ${DISABLE}` }).click();
      await page.getByRole('switch', { name: `Disable ${DISABLE}` }).waitFor();
      disabled = false;
      await page.getByRole('link', { name: 'Writing Studio' }).click();
      await until(page, `${DISABLE}'s model available again`, 45_000, async () => {
        await page.locator('summary', { hasText: 'Model for writing' }).click();
        const id = await modelRadio(page, 'writing', DISABLE).getAttribute('value');
        return (await page.getByTestId(`model-${id}`).getByRole('img').getAttribute('aria-label')) === 'health: available';
      });
    });

    await step('admin: download the costs CSV', async () => {
      await page.getByRole('link', { name: 'Costs' }).click();
      await page.getByRole('heading', { name: 'Costs' }).waitFor();
      await page.getByText(/^Total /).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const dir = mkdtempSync(join(tmpdir(), 'aigw-ui-e2e-'));
      const file = join(dir, 'costs.csv');
      await download.saveAs(file);
      const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
      rmSync(dir, { recursive: true, force: true });
      await shot(page, '10-admin-costs');
      return { filename: download.suggestedFilename(), header: lines[0], rows: lines.length - 1 };
    });

    await step('admin: analytics, quotas, audit log, health pages', async () => {
      await page.getByRole('link', { name: 'Analytics' }).click();
      await page.getByRole('heading', { name: 'Usage by user and model' }).waitFor();
      await shot(page, '11-admin-analytics');
      await page.getByRole('link', { name: 'Quotas' }).click();
      await page.getByRole('heading', { name: 'Tiers' }).waitFor();
      await shot(page, '12-admin-quotas');
      await page.getByRole('link', { name: 'Audit' }).click();
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      // the toggles of this run are in the audit log, with their target
      await page.locator('table tbody td', { hasText: DISABLE }).first().waitFor();
      const audited = await page.locator('table tbody tr', { hasText: DISABLE }).count();
      await shot(page, '13-admin-audit');
      await page.getByRole('link', { name: 'Health' }).click();
      await page.getByRole('heading', { name: 'Health history' }).waitFor();
      await shot(page, '14-admin-health');
      return { audited };
    });
  } catch (e) {
    await shot(page, 'failure-admin').catch(() => undefined);
    throw e;
  } finally {
    if (disabled) report.restored = await setProviderEnabledByApi(DISABLE, true).catch((e) => String(e));
    await ctx.close();
  }
}

async function main() {
  if (!EDGE) fail('AIGW_EDGE_URL is not set');
  if (!DEMO.password || !ADMIN.password) fail('AIGW_DEMO_PASSWORD and AIGW_ADMIN_PASSWORD are needed');
  mkdirSync(SHOTS, { recursive: true });
  // flags that work on the build machines: no sandbox (root), no GPU, no background connections (closed network);
  // Playwright gives the browser a new, empty user data dir (a temp dir) of its own
  const browser = await chromium.launch({
    executablePath: env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  report.browser = browser.version();
  try {
    await demoFlows(browser);
    await adminFlows(browser);
    report.ok = true;
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (e) {
  report.error = String(e?.stack ?? e);
}
report.ms = Date.now() - t0;
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
