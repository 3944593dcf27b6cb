// The Topology step as the user edits it: a pool moved onto the cluster segment brings up the
// same-segment warning, whose one click adopts a pool outside every connected subnet; a node
// address that is not an IPv4 address gets its message beside its field, and blocks Next.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  byTestId,
  connectRouterStep,
  describedText,
  goNext,
  launchBrowser,
  screenshot,
  skipWithoutChromium,
  startDemoWithApp,
  waitForStep,
  waitForValidTopology,
  watchedPage,
} from './testing.ts';
import type { DemoWithApp, WatchedPage } from './testing.ts';

const POOL_FIELD = 'field-cluster.pools.0.addresses';
const NODE_FIELD = 'field-cluster.nodes.1.address';
/** Inside the demo's cluster segment 10.77.1.0/24, above its nodes. */
const SAME_SEGMENT_POOL = '10.77.1.224/27';
const BAD_ADDRESS = '10.77.1.300';

/** The IPv4 network `cidr` as [first, last] 32-bit numbers. */
function rangeOf(cidr: string): [number, number] {
  const [address = '', bits = '32'] = cidr.split('/');
  const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(value / size) * size;
  return [first, first + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const [a0, a1] = rangeOf(a);
  const [b0, b1] = rangeOf(b);
  return a0 <= b1 && b0 <= a1;
}

// Letters, digits and `. _ : / -`, 8-80 long: what the planner accepts for an MD5 password.
const BGP_PASSWORD = 'e2e-Review.pass_42';

async function fieldValue(page: Page, testId: string): Promise<string> {
  return page.locator(`input${byTestId(testId)}`).inputValue();
}

/** Types into a form field as a user does, then leaves it. */
async function typeInto(page: Page, testId: string, value: string): Promise<void> {
  const field = page.locator(`input${byTestId(testId)}`);
  await field.fill(value);
  await field.blur();
}

/** A demo started with `args`, a browser on its wizard, walked to the Topology step with the defaults. */
async function openTopologyStep(
  args: string[],
): Promise<{ demo: DemoWithApp; browser: Browser; app: WatchedPage }> {
  const demo = await startDemoWithApp(args);
  const browser = await launchBrowser();
  const app = await watchedPage(browser, demo.url);
  const { page } = app;
  await waitForStep(page, 'welcome');
  await goNext(page, 'cluster');
  await page.getByTestId('cluster-test').click();
  await page.getByTestId('cluster-probe').waitFor();
  await goNext(page, 'router');
  await connectRouterStep(page);
  await goNext(page, 'topology');
  return { demo, browser, app };
}

describe.skipIf(skipWithoutChromium('the Topology step'))('the Topology step, edited by hand', () => {
  let demo: DemoWithApp;
  let browser: Browser;
  let app: WatchedPage;

  beforeAll(async () => {
    ({ demo, browser, app } = await openTopologyStep(['--fast']));
    await waitForValidTopology(app.page);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('warns when the pool is on the cluster segment, and one click adopts a pool outside it', async () => {
    const { page } = app;
    const clusterSubnet = await fieldValue(page, 'field-router.cluster.address');
    const lanSubnet = await fieldValue(page, 'field-router.lan.address');
    expect(overlaps(clusterSubnet, SAME_SEGMENT_POOL)).toBe(true);
    const demoPool = await fieldValue(page, POOL_FIELD);
    expect(overlaps(clusterSubnet, demoPool)).toBe(false);
    expect(await page.getByTestId('same-segment-warning').count()).toBe(0);

    await typeInto(page, POOL_FIELD, SAME_SEGMENT_POOL);
    const warning = page.getByTestId('same-segment-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(clusterSubnet);
    const adopt = page.getByTestId('use-suggested-pool');
    const suggested = /^Use (\S+)$/.exec(((await adopt.textContent()) ?? '').trim())?.[1];
    expect(suggested).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(overlaps(suggested!, clusterSubnet)).toBe(false);
    if (lanSubnet !== '') expect(overlaps(suggested!, lanSubnet)).toBe(false);
    await screenshot(page, '10-same-segment');

    await adopt.click();
    await warning.waitFor({ state: 'detached' });
    expect(await fieldValue(page, POOL_FIELD)).toBe(suggested);
    await waitForValidTopology(page);
    await page.locator(`${byTestId('wizard-next')}:not([disabled])`).waitFor();
  });

  it('shows a bad node address message beside its field and blocks Next until it is fixed', async () => {
    const { page } = app;
    const original = await fieldValue(page, NODE_FIELD);
    const field = page.locator(`input${byTestId(NODE_FIELD)}`);
    expect(await field.getAttribute('aria-invalid')).not.toBe('true');

    await typeInto(page, NODE_FIELD, BAD_ADDRESS);
    await page.locator(`input${byTestId(NODE_FIELD)}[aria-invalid="true"]`).waitFor();
    const message = await describedText(page, NODE_FIELD);
    expect(message).toContain(BAD_ADDRESS);
    expect(message.length).toBeGreaterThan(BAD_ADDRESS.length + 10);
    await page.getByTestId('topology-check-state').getByText('1 to fix').waitFor();
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    // Only the field that is wrong is marked.
    expect(await page.locator('input[aria-invalid="true"]').count()).toBe(1);
    await screenshot(page, '11-bad-input');

    await typeInto(page, NODE_FIELD, original);
    await waitForValidTopology(page);
    expect(await field.getAttribute('aria-invalid')).not.toBe('true');
  });

  it('had no console error and no failed request on the page', () => {
    expect(app.problems()).toEqual([]);
  });

  it('asks for the BGP password on the Review step when the topology wants one, and never shows it', async () => {
    const { page } = app;
    await page.getByTestId('topology-tab-yaml').click();
    const yaml = page.getByTestId('topology-yaml');
    const text = await yaml.inputValue();
    await yaml.fill(text.replace(/^router:\n/m, 'router:\n  bgpPassword: true\n'));
    await page.getByTestId('topology-tab-form').click();
    await waitForValidTopology(page);
    await goNext(page, 'review');

    const form = page.getByTestId('bgp-password-form');
    await form.waitFor();
    await page.getByLabel('BGP password').fill(BGP_PASSWORD);
    await screenshot(page, '14-bgp-password');
    await page.getByTestId('bgp-password-save').click();
    await page.getByTestId('review-preview').waitFor();
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('review-tab-commands').click();
    const commands = (await page.getByTestId('review-commands').textContent()) ?? '';
    expect(commands).toMatch(/neighbor \S+ password BGP-PASSWORD/);
    expect(await page.content()).not.toContain(BGP_PASSWORD);
    expect(app.problems()).toEqual([]);
  });
});

describe.skipIf(skipWithoutChromium('the same-segment demo'))(
  'a demo started with its pool on the cluster segment',
  () => {
    let demo: DemoWithApp;
    let browser: Browser;
    let app: WatchedPage;

    beforeAll(async () => {
      ({ demo, browser, app } = await openTopologyStep(['--fast', '--pool', SAME_SEGMENT_POOL]));
    });

    afterAll(async () => {
      await browser?.close();
      await demo?.stop();
    });

    it('shows the same-segment warning as soon as the topology opens, and one click fixes it', async () => {
      const { page } = app;
      await page.getByTestId(POOL_FIELD).waitFor();
      expect(await fieldValue(page, POOL_FIELD)).toBe(SAME_SEGMENT_POOL);
      const warning = page.getByTestId('same-segment-warning');
      await warning.waitFor();
      const clusterSubnet = await fieldValue(page, 'field-router.cluster.address');
      expect(await warning.textContent()).toContain(clusterSubnet);
      const adopt = page.getByTestId('use-suggested-pool');
      const suggested = /^Use (\S+)$/.exec(((await adopt.textContent()) ?? '').trim())?.[1];
      expect(suggested).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      expect(overlaps(suggested!, clusterSubnet)).toBe(false);
      await adopt.click();
      await warning.waitFor({ state: 'detached' });
      expect(await fieldValue(page, POOL_FIELD)).toBe(suggested);
      await waitForValidTopology(page);
    });

    it('had no console error and no failed request on the page', () => {
      expect(app.problems()).toEqual([]);
    });
  },
);
