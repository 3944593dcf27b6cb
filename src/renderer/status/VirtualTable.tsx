// A table that renders only the rows in view, so ten thousand routes scroll smoothly. It keeps
// real table semantics: the header stays a header, and aria-rowcount/aria-rowindex tell assistive
// technology how many rows there are and where each shown row sits.

import { useRef } from 'react';
import type { ReactNode } from 'react';
import { Table } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** CSS width of the column; the table's layout is fixed so columns do not jump while scrolling. */
  width?: string;
}

export interface VirtualTableProps<T> {
  /** The table's accessible name. */
  label: string;
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T, index: number) => string;
  /** data-* attributes for a row (stable selectors for end-to-end tests). */
  rowData?: (row: T) => Record<`data-${string}`, string>;
  estimateRowHeight?: number;
  maxHeight?: number;
  testId: string;
}

const OVERSCAN = 8;

export function VirtualTable<T>({
  label,
  rows,
  columns,
  rowKey,
  rowData,
  estimateRowHeight = 40,
  maxHeight = 480,
  testId,
}: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    overscan: OVERSCAN,
    getItemKey: (index) => rowKey(rows[index] as T, index),
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  return (
    <div
      ref={scrollRef}
      // Focusable so the keyboard can scroll it with the arrow and page keys.
      tabIndex={0}
      role="region"
      aria-label={`${label}, ${rows.length} rows, scrollable`}
      data-testid={testId}
      style={{ maxHeight, overflow: 'auto' }}
    >
      <Table stickyHeader layout="fixed" aria-label={label} aria-rowcount={rows.length + 1} highlightOnHover>
        <colgroup>
          {columns.map((column) => (
            <col key={column.header} style={column.width ? { width: column.width } : undefined} />
          ))}
        </colgroup>
        <Table.Thead>
          <Table.Tr aria-rowindex={1}>
            {columns.map((column) => (
              <Table.Th key={column.header} scope="col">
                {column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index] as T;
            return (
              <Table.Tr
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-rowindex={item.index + 2}
                {...rowData?.(row)}
              >
                {columns.map((column) => (
                  <Table.Td key={column.header} style={{ verticalAlign: 'top', overflowWrap: 'anywhere' }}>
                    {column.cell(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingBottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </div>
  );
}
