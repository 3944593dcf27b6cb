import { describe, expect, it } from 'vitest';
import { compareLines } from './compare.ts';
import { schemaFor } from './schema.ts';
import { treeFromPaths } from './tree.ts';
import type { ConfigTree } from './tree.ts';

const edgeos = schemaFor('edgeos');

function build(lines: string[]): ConfigTree {
  const built = treeFromPaths(
    edgeos,
    lines.map((l) => l.split(' ')),
  );
  if ('index' in built) throw new Error(`line ${built.index} refused: ${JSON.stringify(built.error)}`);
  return built.tree;
}

const BASE = [
  'system host-name ubnt',
  'protocols bgp 64512 parameters router-id 10.77.1.1',
  'protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
  'protocols bgp 64512 neighbor 10.77.1.11 description worker-1',
];

describe('compare (candidate against running, curly form)', () => {
  it('is empty when nothing changed', () => {
    expect(compareLines(build(BASE), build(BASE), edgeos)).toEqual([]);
  });

  it('shows an added neighbor as a + block under its parent edit path', () => {
    const after = build([...BASE, 'protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512']);
    expect(compareLines(build(BASE), after, edgeos)).toEqual([
      '[edit protocols bgp 64512]',
      '+neighbor 10.77.1.12 {',
      '+    remote-as 64512',
      '+}',
    ]);
  });

  it('shows a changed leaf as -old/+new and a removed leaf as -, at the deepest edit path', () => {
    const after = build([
      'system host-name ubnt',
      'protocols bgp 64512 parameters router-id 10.77.1.2',
      'protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
    ]);
    expect(compareLines(build(BASE), after, edgeos)).toEqual([
      '[edit protocols bgp 64512 neighbor 10.77.1.11]',
      '-description worker-1',
      '[edit protocols bgp 64512 parameters]',
      '-router-id 10.77.1.1',
      '+router-id 10.77.1.2',
    ]);
  });

  it('shows a whole new protocols bgp under [edit protocols], and its removal as - lines', () => {
    const before = build(['system host-name ubnt']);
    const after = build(BASE);
    const added = compareLines(before, after, edgeos);
    expect(added).toEqual([
      '[edit]',
      '+protocols {',
      '+    bgp 64512 {',
      '+        neighbor 10.77.1.11 {',
      '+            description worker-1',
      '+            remote-as 64512',
      '+        }',
      '+        parameters {',
      '+            router-id 10.77.1.1',
      '+        }',
      '+    }',
      '+}',
    ]);
    expect(compareLines(after, before, edgeos)).toEqual(added.map((l) => l.replace(/^\+/, '-')));
  });
});
