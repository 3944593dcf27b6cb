// Label and field selectors as `kubectl get -l` and client libraries send them.

import { badRequest } from './status.ts';
import type { KubeObject } from './store.ts';

type Requirement =
  { key: string; op: 'exists' | 'notexists' } | { key: string; op: 'in' | 'notin'; values: string[] };

/** Splits on commas that are not inside `in (...)` value lists. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseLabelSelector(selector: string): Requirement[] {
  return splitTopLevel(selector).map((term): Requirement => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m?.[1] && m[2] && m[3] !== undefined) {
      return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m?.[1] && m[2] && m[3] !== undefined) {
      return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
    }
    m = /^(!?)([^\s!=()]+)$/.exec(term);
    if (m?.[2]) return { key: m[2], op: m[1] ? 'notexists' : 'exists' };
    throw badRequest(`unable to parse requirement: found '${term}' in labelSelector`);
  });
}

export function matchesLabels(
  labels: Record<string, string> | undefined,
  selector: string | undefined,
): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return parseLabelSelector(selector).every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key] ?? '');
      case 'notin':
        return !has || !r.values.includes(l[r.key] ?? '');
    }
    return false;
  });
}

/** A Kubernetes LabelSelector object (matchLabels + matchExpressions). */
export function matchesLabelSelectorObject(
  labels: Record<string, string> | undefined,
  sel:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      }
    | undefined,
): boolean {
  if (!sel) return true;
  const l = labels ?? {};
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return has && values.includes(l[e.key] ?? '');
      case 'NotIn':
        return !has || !values.includes(l[e.key] ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
  return okLabels && okExpr;
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function matchesFields(obj: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  return splitTopLevel(selector).every((term) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!m?.[1] || !m[2] || m[3] === undefined) throw badRequest(`invalid field selector: '${term}'`);
    const equal = fieldValue(obj, m[1].trim()) === m[3].trim();
    return m[2] === '!=' ? !equal : equal;
  });
}
