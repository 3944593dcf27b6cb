import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './index.ts';

describe('isTrustedSender', () => {
  const trusted = ['app://wizard'];
  const frame = (url: string | undefined) => ({ senderFrame: url === undefined ? null : { url } }) as never;

  it('accepts frames from the app origin', () => {
    expect(isTrustedSender(frame('app://wizard/index.html#/review'), trusted)).toBe(true);
  });
  it('refuses other origins, missing frames and garbage urls', () => {
    expect(isTrustedSender(frame('https://evil.example/'), trusted)).toBe(false);
    expect(isTrustedSender(frame(undefined), trusted)).toBe(false);
    expect(isTrustedSender(frame('not a url'), trusted)).toBe(false);
  });
});
