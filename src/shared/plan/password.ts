// The optional BGP (MD5) session password. It never sits in a topology, a bundle or a screen: the
// plan that is shown carries a placeholder, and only the plan main applies carries the real
// value, which must pass the same allow-list as every other router token.

import { ROUTER_TOKEN } from '../topology/index.ts';

/** What every shown or exported form of the plan holds instead of the password. */
export const BGP_PASSWORD_PLACEHOLDER = 'BGP-PASSWORD';
/** The kubernetes.io/basic-auth Secret MetalLB's BGPPeer reads the password from. */
export const BGP_PASSWORD_SECRET = 'mbw-bgp-password';

const MIN_LENGTH = 8;
/** TCP MD5 keys are at most 80 bytes (RFC 2385 implementations, EdgeOS and FRR alike). */
const MAX_LENGTH = 80;

/** Why a BGP password cannot be used, or undefined when it can. */
export function bgpPasswordProblem(password: string): string | undefined {
  if (password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
    return `the BGP password must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long`;
  }
  if (!ROUTER_TOKEN.test(password)) {
    return 'the BGP password may hold only letters, digits and . _ : / - (it is sent to the router as a command word)';
  }
  if (password === BGP_PASSWORD_PLACEHOLDER) return 'choose a real password, not the placeholder';
  return undefined;
}

/** Replaces every occurrence of `password` in `text` with the placeholder. */
export function redactBgpPassword(text: string, password: string | undefined): string {
  return password ? text.split(password).join(BGP_PASSWORD_PLACEHOLDER) : text;
}
