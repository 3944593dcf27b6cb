import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShowVersion } from './version.ts';

const fixture = (name: string): string =>
  readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');

describe('parseShowVersion', () => {
  it('reads EdgeOS 1.9.7 on an EdgeRouter PoE', () => {
    expect(parseShowVersion(fixture('edgeos1-show-version-ansible-fixture.txt'))).toEqual({
      dialect: 'edgeos',
      version: 'v1.9.7+hotfix.4',
      model: 'EdgeRouter PoE 5-Port',
    });
  });

  it('reads EdgeOS 2.0.6 on an EdgeRouter 6P', () => {
    expect(parseShowVersion(fixture('edgeos2-show-version-ntc-templates.txt'))).toEqual({
      dialect: 'edgeos',
      version: 'v2.0.6',
      model: 'EdgeRouter 6P',
    });
  });

  it('reads VyOS 1.4 and a rolling release', () => {
    const vyos = [
      'vyos@vyos:~$ show version',
      'Version:          VyOS 1.4.0',
      'Release train:    sagitta',
      'Built by:         autobuild@vyos.net',
      'Architecture:     x86_64',
      'Boot via:         installed image',
      'System:           KVM guest',
      'Hardware vendor:  QEMU',
      'Hardware model:   Standard PC (Q35 + ICH9, 2009)',
    ].join('\n');
    expect(parseShowVersion(vyos)).toEqual({
      dialect: 'vyos',
      version: '1.4.0',
      model: 'Standard PC (Q35 + ICH9, 2009)',
    });
    expect(parseShowVersion('Version: VyOS 1.5-rolling-202405010019')).toEqual({
      dialect: 'vyos',
      version: '1.5-rolling-202405010019',
    });
  });

  it.each([
    '',
    'Version: 6.6R1',
    'no version here',
    fixture('edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt'),
    fixture('edgeos1-show-configuration-commands-ansible-fixture.txt'),
  ])('gives null for text %#', (text) => {
    expect(parseShowVersion(text)).toBeNull();
  });
});
