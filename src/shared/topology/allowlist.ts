// The allow-lists every user string passes before it can reach a router command or a YAML
// document. Nothing is ever shell-escaped: a string either matches here or is rejected.
// All patterns are anchored and, in JS without the `m` flag, `$` matches only at the very end,
// so a trailing newline never slips through.
import { parseIpv4 } from '../net/index.ts';

/** The only characters allowed in any token of a router command. */
export const ROUTER_TOKEN = /^[A-Za-z0-9._:/-]+$/;

/** Interface names EdgeOS accepts for the ports the wizard configures. */
export const INTERFACE_NAME = /^(eth|switch|bond)\d+(\.\d+)?$|^(br|pppoe|wg|vtun)\d+$/;

/** Kubernetes DNS-1123 label (pool names): at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX = 63;

/** Kubernetes DNS-1123 subdomain (node names, SSH host names): at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_MAX = 253;

/**
 * Node names: DNS-1123 subdomains, but at most 251 characters, because the router neighbor
 * description `mbw-<name>` must fit VyOS's limit of 255 characters.
 */
export const NODE_DESCRIPTION_PREFIX = 'mbw-';
export const ROUTER_DESCRIPTION_MAX = 255;
export const NODE_NAME_MAX = ROUTER_DESCRIPTION_MAX - NODE_DESCRIPTION_PREFIX.length;

/** SSH login names as EdgeOS/VyOS create them. */
export const USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export function isRouterToken(value: string): boolean {
  return ROUTER_TOKEN.test(value);
}

export function isInterfaceName(value: string): boolean {
  return INTERFACE_NAME.test(value);
}

// Length is checked first: it bounds the regex work on hostile input.
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}

export function isNodeName(value: string): boolean {
  return value.length <= NODE_NAME_MAX && isDns1123Subdomain(value);
}

export function isPoolName(value: string): boolean {
  return isDns1123Label(value);
}

// An all-numeric name such as 192.168.1.300 is a mistyped address, not a host name.
export function isSshHost(value: string): boolean {
  if (/^[0-9.]+$/.test(value)) return parseIpv4(value).ok;
  return isDns1123Subdomain(value);
}

export function isUsername(value: string): boolean {
  return USERNAME.test(value);
}
