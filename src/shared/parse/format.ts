// Telling EdgeOS (ZebOS) output from FRR/VyOS output, by markers only one family prints.

import { jsonObjectInLines } from './json.ts';
import { outputLines } from './text.ts';
import type { OutputFormat } from './types.ts';

const EDGEOS_MARKERS: readonly RegExp[] = [
  /^IP Route Table for VRF/,
  /Configured (?:ebgp|ibgp) ECMP multipath/,
  /^Total number of Established sessions/,
  /\bMsgRcv\s+MsgSen\b/,
  /^[A-Z][A-Z0-9]{0,2}\s+\*?>?\s+[0-9a-fA-F:.]+\/\d+/, // `B    *> 10.0.0.0/8`: code, gap, flags
  /^[A-Z]\s+\*>\s/,
  /^Index \d+, Offset \d+, Mask/,
  /^Received \d+ messages, \d+ notifications/,
  /^HW model:/,
  /Ubiquiti/,
  /recursive is directly connected/,
];

const FRR_MARKERS: readonly RegExp[] = [
  /^IPv[46] Unicast Summary/,
  /\bMsgRcvd\s+MsgSent\b/,
  /local AS number \d+ vrf-id/,
  /\bPfxSnt\b/,
  /, weight \d+/,
  /^[A-Z][>*=]\*?\s?[0-9a-fA-F:.]+\/\d+/, // `B>* 10.0.0.0/16`, `B>*10.0.0.0/16`
  /^IPv[46] unicast VRF /,
  /^Message statistics:/,
  /Hostname Capability/,
  /^Local Role:/,
  /VyOS/,
  /\bvrf id \d+/,
];

function markerCount(lines: readonly string[], markers: readonly RegExp[]): number {
  return markers.filter((marker) => lines.some((line) => marker.test(line))).length;
}

/** Which family printed the text; 'unknown' when nothing in it is recognisable. */
export function detectOutputFormat(text: unknown): OutputFormat {
  const output = outputLines(text);
  if (jsonObjectInLines(output) !== null) return 'frr-json';
  const lines = output.map((line) => line.trim());
  const edgeos = markerCount(lines, EDGEOS_MARKERS);
  const frr = markerCount(lines, FRR_MARKERS);
  if (edgeos === 0 && frr === 0) return 'unknown';
  return frr > edgeos ? 'frr' : 'edgeos';
}
