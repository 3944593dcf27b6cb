// A table that renders only the rows in view, so ten thousand routes scroll smoothly. It keeps
// real table semantics: the header stays a header, and aria-rowcount/aria-rowindex tell assistive
// technology how many rows there are and where each shown row sits.
//
// Speed, as the live status needs it with 10,000 routes refreshed every few seconds:
// - a table whose rows have a known height (`rowHeight`) never measures them, so a new snapshot
//   costs no layout reads and no second render; tables of few rows of varying height measure them;
// - the first render already has the region's height (`maxHeight`), so it shows the rows at once
//   rather than after the region has been observed;
// - a row renders again only when `sameRow` says it shows something else (each snapshot is a new
//   object, so identity alone would re-render every row in view);
// - rows are plain <tr>/<td> with the Mantine table's classes: Table.Tr/Table.Td resolve their
//   styles on every render, which costs more than the rest of the row.

import { memo, useCallback, useMemo, useRef } from 'react';
import type { ReactNode, Ref } from 'react';
import { Table } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import classes from './VirtualTable.module.css';

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
  /** Keep the same array between renders (a module constant or memoized): rows compare it. */
  columns: Column<T>[];
  /** A stable function (not created per render): it keys both React's rows and measured sizes. */
  rowKey: (row: T, index: number) => string;
  /** data-* attributes for a row (stable selectors for end-to-end tests); a stable function. */
  rowData?: (row: T) => Record<`data-${string}`, string>;
  /**
   * The height in px a row takes, known from its data (a stable function). Rows are then laid out
   * without measuring, and their cells do not wrap: the row's content must fit that height.
   */
  rowHeight?: (row: T) => number;
  /** Rows of unknown height are measured once shown; this is the guess until then. */
  estimateRowHeight?: number;
  /** True when two rows show the same (a stable function); by default, when they are one object. */
  sameRow?: (a: T, b: T) => boolean;
  maxHeight?: number;
  testId: string;
}

const OVERSCAN = 8;
/** Cell padding above and below in rows of a known height (Mantine's default is 10px). */
const FIXED_ROW_SPACING = 6;
const TR_CLASS = Table.Tr.classes['tr'];
const TD_CLASS = Table.Td.classes['td'];

interface RowProps<T> {
  row: T;
  index: number;
  columns: Column<T>[];
  rowData: ((row: T) => Record<`data-${string}`, string>) | undefined;
  /** Fixed height in px, or undefined when the row is measured through `measure`. */
  height: number | undefined;
  measure: Ref<HTMLTableRowElement> | undefined;
  sameRow: (a: T, b: T) => boolean;
}

function VirtualRowView<T>({ row, index, columns, rowData, height, measure }: RowProps<T>) {
  const cellClass = `${TD_CLASS} ${height === undefined ? classes.measuredCell : classes.fixedCell}`;
  // The data-* attributes are those Table.Tr sets for the table's row borders and hover colour.
  return (
    <tr
      className={TR_CLASS}
      data-with-row-border
      data-hover
      data-index={index}
      ref={measure}
      aria-rowindex={index + 2}
      style={height === undefined ? undefined : { height }}
      {...rowData?.(row)}
    >
      {columns.map((column) => (
        <td key={column.header} className={cellClass}>
          {column.cell(row)}
        </td>
      ))}
    </tr>
  );
}

/** The header does not change with the rows: rendered once. */
const VirtualTableHead = memo(function VirtualTableHead({ headers }: { headers: readonly string[] }) {
  return (
    <Table.Thead>
      <Table.Tr aria-rowindex={1}>
        {headers.map((header) => (
          <Table.Th key={header} scope="col">
            {header}
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
});

function sameRowProps<T>(before: RowProps<T>, after: RowProps<T>): boolean {
  return (
    before.index === after.index &&
    before.columns === after.columns &&
    before.rowData === after.rowData &&
    before.height === after.height &&
    before.measure === after.measure &&
    before.sameRow === after.sameRow &&
    after.sameRow(before.row, after.row)
  );
}

const VirtualRow = memo(VirtualRowView, sameRowProps) as typeof VirtualRowView;

const sameObject = <T,>(a: T, b: T): boolean => a === b;

export function VirtualTable<T>({
  label,
  rows,
  columns,
  rowKey,
  rowData,
  rowHeight,
  estimateRowHeight = 40,
  sameRow = sameObject,
  maxHeight = 480,
  testId,
}: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // New with each snapshot, so the virtualizer lays the rows out again (10,000 additions, no DOM).
  const itemKey = useCallback((index: number) => rowKey(rows[index] as T, index), [rows, rowKey]);
  const estimateSize = useCallback(
    (index: number) => (rowHeight ? rowHeight(rows[index] as T) : estimateRowHeight),
    [rows, rowHeight, estimateRowHeight],
  );
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: OVERSCAN,
    getItemKey: itemKey,
    // The region is at most this tall: enough rows for its first paint, before it is observed.
    initialRect: { width: 0, height: maxHeight },
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const measure = rowHeight ? undefined : virtualizer.measureElement;
  const headers = useMemo(() => columns.map((column) => column.header), [columns]);

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
      <Table
        stickyHeader
        layout="fixed"
        aria-label={label}
        aria-rowcount={rows.length + 1}
        highlightOnHover
        {...(rowHeight ? { verticalSpacing: FIXED_ROW_SPACING } : {})}
      >
        <colgroup>
          {columns.map((column) => (
            <col key={column.header} style={column.width ? { width: column.width } : undefined} />
          ))}
        </colgroup>
        <VirtualTableHead headers={headers} />
        <Table.Tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => (
            <VirtualRow
              key={item.key}
              row={rows[item.index] as T}
              index={item.index}
              columns={columns}
              rowData={rowData}
              height={rowHeight ? item.size : undefined}
              measure={measure}
              sameRow={sameRow}
            />
          ))}
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
