import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectOutputFormat } from './format.ts';
import { parseUptimeSeconds } from './text.ts';

const fixture = (name: string): string =>
  readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');

describe('detectOutputFormat', () => {
  it.each([
    ['edgeos-show-ip-bgp-neighbors-article.txt', 'edgeos'],
    ['edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt', 'edgeos'],
    ['edgeos-show-ip-route-bgp-article.txt', 'edgeos'],
    ['edgeos-show-ip-route-ntc-templates-1-ecmp-static.txt', 'edgeos'],
    ['edgeos1-show-version-ansible-fixture.txt', 'edgeos'],
    ['edgeos2-show-version-ntc-templates.txt', 'edgeos'],
    ['frr-vyos14-show-ip-bgp-summary-ictsc.txt', 'frr'],
    ['frr10-show-bgp-summary-json-nested-demo.txt', 'frr-json'],
    ['frr8-show-bgp-ipv4-and-show-ip-route-ecmp-drumato.txt', 'frr'],
    ['frr9-show-bgp-neighbors-metallb-speaker.txt', 'frr'],
    ['edgeos1-show-configuration-commands-ansible-fixture.txt', 'unknown'],
  ])('%s is %s', (name, format) => {
    expect(detectOutputFormat(fixture(name))).toBe(format);
  });

  it('is unknown for text no router prints, and for malformed JSON', () => {
    expect(detectOutputFormat('hello world')).toBe('unknown');
    expect(detectOutputFormat('{"peers": ')).toBe('unknown');
    expect(detectOutputFormat('')).toBe('unknown');
  });
});

describe('parseUptimeSeconds', () => {
  it.each([
    ['00:55:28', 55 * 60 + 28],
    ['23:59:59', 86399],
    ['1d02h54m', 86400 + 2 * 3600 + 54 * 60],
    ['03w0d00h', 21 * 86400],
    ['02w3d04h', 17 * 86400 + 4 * 3600],
    ['1y02w3d', 365 * 86400 + 17 * 86400],
    [' 00:00:04 ', 4],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseUptimeSeconds(text)).toBe(seconds);
  });

  it.each(['never', '', '00:61:00', '1x', 'd02h', '12', 'up', '00:00'])('%s is null', (text) => {
    expect(parseUptimeSeconds(text)).toBeNull();
  });

  it('is null for anything that is not a string', () => {
    expect(parseUptimeSeconds(undefined)).toBeNull();
    expect(parseUptimeSeconds(42)).toBeNull();
  });
});
