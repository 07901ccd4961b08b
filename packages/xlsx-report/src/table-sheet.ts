import type ExcelJS from 'exceljs';

/** How a column's values are shown. */
export type ColumnKind =
  'text' | 'integer' | 'decimal1' | 'hours' | 'minutes' | 'date' | 'datetime' | 'id';

/** A column of a table block. */
export interface ColumnSpec {
  /** The header, exactly as shown (also the Excel Table column name). */
  header: string;
  kind: ColumnKind;
  /** A note (comment) on the header cell. */
  note?: string;
}

/** A cell value: text, number, local date, or empty. */
export type CellValue = string | number | Date | null;

/** What a conditional-format callback gets: where the block's data lies. */
export interface BlockRange {
  /** First data row (1-based). */
  firstRow: number;
  /** Last data row (1-based); `firstRow - 1` when there are no rows. */
  lastRow: number;
  /** The column letter of a column, by header. Throws for an unknown header. */
  column: (header: string) => string;
  /** The last column letter. */
  lastColumn: string;
}

/** A table on a sheet: a title row (optional), a header row and data rows. */
export interface TableBlock {
  /** A bold line above the table. */
  title?: string;
  /** The Excel Table name (unique in the workbook, no spaces). */
  tableName: string;
  columns: readonly ColumnSpec[];
  rows: CellValue[][];
  /** Shown in the first data row when there are no rows. */
  emptyText: string;
  /** Conditional formatting for the block. */
  conditionalFormatting?: (range: BlockRange) => ExcelJS.ConditionalFormattingOptions[];
}

/** A sheet of one or more table blocks. */
export interface SheetSpec {
  name: string;
  blocks: TableBlock[];
  /** Columns frozen at the left (the header row of the first block is always frozen). */
  frozenColumns: number;
  /** Lines above the first block (explanations). */
  preamble?: string[];
  /** Tab colour (ARGB). */
  tabColor?: string;
}

/** Number formats per kind; `{date}` is replaced with the date format. */
export interface FormatOptions {
  dateFormat: string;
}

/** Text that a spreadsheet would read as a formula, or that starts with a control character. */
const FORMULA_LIKE = /^[=+\-@\t\r]/;

/** The number format that marks quote-prefixed text (see `withQuotePrefix`). */
export const QUOTED_TEXT_FORMAT = '@';

/** The column letter of a 1-based column number. */
export function columnLetter(column: number): string {
  let letters = '';
  let rest = column;
  while (rest > 0) {
    const remainder = (rest - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

function createStyles(
  options: FormatOptions,
): Record<ColumnKind | 'quoted', Partial<ExcelJS.Style>> {
  return {
    text: {},
    id: {},
    integer: { numFmt: '#,##0' },
    decimal1: { numFmt: '#,##0.0' },
    hours: { numFmt: '#,##0.0' },
    minutes: { numFmt: '#,##0.0' },
    date: { numFmt: options.dateFormat },
    datetime: { numFmt: `${options.dateFormat} hh:mm` },
    quoted: { numFmt: QUOTED_TEXT_FORMAT },
  };
}

function displayLength(value: CellValue, kind: ColumnKind, dateFormat: string): number {
  if (value === null) return 0;
  if (typeof value === 'string') return Math.max(...value.split('\n').map((line) => line.length));
  if (value instanceof Date) return kind === 'datetime' ? dateFormat.length + 6 : dateFormat.length;
  const fixed = kind === 'integer' ? Math.round(value) : Math.round(value * 10) / 10;
  return fixed.toLocaleString('en-US').length + (kind === 'integer' ? 0 : 2);
}

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  alignment: { vertical: 'bottom', wrapText: true },
};
const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 13 } };

/** Where a block lies on its sheet. */
interface BlockLayout {
  block: TableBlock;
  /** The title row, when the block has a title. */
  titleRow?: number;
  headerRow: number;
  /** The last data row (`headerRow` when there are no rows). */
  lastRow: number;
  /** The data range for conditional formatting; absent when the block has no rows. */
  range?: BlockRange;
}

/** Where everything on a sheet lies: the layout both backends follow. */
interface SheetLayout {
  /** Rows of the preamble lines, in order (row 1 onwards). */
  preambleRows: number[];
  blocks: BlockLayout[];
  /** The header row of the first block: frozen and repeated on every printed page. */
  firstHeaderRow: number;
  /** Column widths (characters), by column index (0-based). */
  widths: number[];
  /** The worksheet options: tab colour, page setup, frozen panes. */
  worksheetOptions: Partial<ExcelJS.AddWorksheetOptions>;
}

/** Lays out a sheet spec: the rows of each part, the widths, the frozen panes. */
function layoutSheet(spec: SheetSpec, options: FormatOptions): SheetLayout {
  const widths: number[] = [];
  const fit = (index: number, length: number): void => {
    widths[index] = Math.max(widths[index] ?? 0, length);
  };
  let row = 1;
  const preambleRows = (spec.preamble ?? []).map(() => row++);
  if (preambleRows.length > 0) row += 1;

  const blocks: BlockLayout[] = [];
  for (const block of spec.blocks) {
    const titleRow = block.title === undefined ? undefined : row++;
    const headerRow = row;
    const lastRow = headerRow + block.rows.length;
    const columnIndex = new Map(block.columns.map((column, index) => [column.header, index + 1]));
    const range: BlockRange | undefined =
      block.rows.length === 0
        ? undefined
        : {
            firstRow: headerRow + 1,
            lastRow,
            lastColumn: columnLetter(block.columns.length),
            column: (header) => {
              const index = columnIndex.get(header);
              if (index === undefined) throw new Error(`addTableSheet: no column ${header}`);
              return columnLetter(index);
            },
          };
    block.columns.forEach((column, index) => {
      fit(index, Math.min(column.header.length, 12));
    });
    for (const values of block.rows) {
      block.columns.forEach((column, index) => {
        fit(index, displayLength(values[index] ?? null, column.kind, options.dateFormat));
      });
    }
    blocks.push({
      block,
      headerRow,
      lastRow,
      ...(titleRow === undefined ? {} : { titleRow }),
      ...(range === undefined ? {} : { range }),
    });
    row = Math.max(lastRow, headerRow + 1) + 3;
  }

  const firstHeaderRow = blocks[0]?.headerRow ?? 0;
  const topLeftCell = `${columnLetter(spec.frozenColumns + 1)}${firstHeaderRow + 1}`;
  return {
    preambleRows,
    blocks,
    firstHeaderRow,
    widths: widths.map((width) => Math.min(Math.max(width + 1, 7), 50)),
    worksheetOptions: {
      properties: spec.tabColor === undefined ? {} : { tabColor: { argb: spec.tabColor } },
      // Wide sheets: print landscape at 70%, repeating the header row on every page.
      pageSetup: { orientation: 'landscape', fitToPage: false, scale: 70 },
      views: [
        {
          state: 'frozen',
          xSplit: spec.frozenColumns,
          ySplit: firstHeaderRow,
          topLeftCell,
          activeCell: topLeftCell,
        },
      ],
    },
  };
}

/** The style of a data cell: the column's number format, or the quoted-text format. */
function dataCellStyle(
  value: CellValue,
  column: ColumnSpec,
  styles: ReturnType<typeof createStyles>,
): Partial<ExcelJS.Style> {
  if (typeof value === 'string' && FORMULA_LIKE.test(value)) return styles.quoted;
  if (value instanceof Date && column.kind !== 'date') return styles.datetime;
  if (typeof value === 'number' && column.kind === 'text') return styles.integer;
  return styles[column.kind];
}

/** Styles the header row of a block (values are set by the backend) and adds the notes. */
function styleHeader(row: ExcelJS.Row, block: TableBlock, withValues: boolean): void {
  block.columns.forEach((column, index) => {
    const cell = row.getCell(index + 1);
    if (withValues) cell.value = column.header;
    cell.style = HEADER_STYLE;
    if (column.note !== undefined) cell.note = column.note;
  });
}

/** Fills the data rows of a block (values and styles); `onRow` gets each row once filled. */
function fillRows(
  worksheet: ExcelJS.Worksheet,
  layout: BlockLayout,
  styles: ReturnType<typeof createStyles>,
  withValues: boolean,
  onRow: (row: ExcelJS.Row) => void,
): void {
  const { block, headerRow } = layout;
  block.rows.forEach((values, rowOffset) => {
    const sheetRow = worksheet.getRow(headerRow + 1 + rowOffset);
    block.columns.forEach((column, index) => {
      const value = values[index] ?? null;
      const cell = sheetRow.getCell(index + 1);
      if (withValues && value !== null) cell.value = value;
      cell.style = dataCellStyle(value, column, styles);
    });
    onRow(sheetRow);
  });
}

function addConditionalFormatting(worksheet: ExcelJS.Worksheet, layout: BlockLayout): void {
  if (layout.block.conditionalFormatting === undefined || layout.range === undefined) return;
  for (const formatting of layout.block.conditionalFormatting(layout.range)) {
    worksheet.addConditionalFormatting(formatting);
  }
}

/**
 * Adds a sheet to an in-memory workbook: blocks as Excel Tables with number formats, fitted
 * widths, frozen panes and conditional formatting.
 */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  spec: SheetSpec,
  options: FormatOptions,
): ExcelJS.Worksheet {
  const styles = createStyles(options);
  const layout = layoutSheet(spec, options);
  const worksheet = workbook.addWorksheet(spec.name, layout.worksheetOptions);
  (spec.preamble ?? []).forEach((line, index) => {
    worksheet.getCell(layout.preambleRows[index] ?? 0, 1).value = line;
  });
  for (const blockLayout of layout.blocks) {
    const { block, headerRow, titleRow } = blockLayout;
    if (titleRow !== undefined) {
      const cell = worksheet.getCell(titleRow, 1);
      cell.value = block.title ?? '';
      cell.style = TITLE_STYLE;
    }
    if (block.rows.length > 0) {
      worksheet.addTable({
        name: block.tableName,
        ref: `A${headerRow}`,
        headerRow: true,
        totalsRow: false,
        style: { theme: 'TableStyleLight9', showRowStripes: true },
        columns: block.columns.map((column) => ({ name: column.header, filterButton: true })),
        rows: block.rows,
      });
    } else {
      worksheet.getCell(headerRow + 1, 1).value = block.emptyText;
    }
    styleHeader(worksheet.getRow(headerRow), block, block.rows.length === 0);
    fillRows(worksheet, blockLayout, styles, false, () => undefined);
    addConditionalFormatting(worksheet, blockLayout);
  }
  layout.widths.forEach((width, index) => {
    worksheet.getColumn(index + 1).width = width;
  });
  worksheet.pageSetup.printTitlesRow = `${layout.firstHeaderRow}:${layout.firstHeaderRow}`;
  return worksheet;
}

/**
 * Adds a sheet to a streaming workbook (`stream.xlsx.WorkbookWriter`), committing each row as it
 * is added and the sheet at the end. The streaming writer cannot write Excel Tables: the first
 * block with rows gets an autoFilter over its header and data rows instead (a sheet has at most
 * one); headers are plain bold cells. Number formats, widths, frozen panes, notes and conditional
 * formatting are the same as {@link addTableSheet}'s.
 */
export function addStreamedSheet(
  writer: ExcelJS.stream.xlsx.WorkbookWriter,
  spec: SheetSpec,
  options: FormatOptions,
): void {
  const styles = createStyles(options);
  const layout = layoutSheet(spec, options);
  const worksheet = writer.addWorksheet(spec.name, layout.worksheetOptions);
  // Column widths go out with the first committed row, so they are set before any row.
  layout.widths.forEach((width, index) => {
    worksheet.getColumn(index + 1).width = width;
  });
  (spec.preamble ?? []).forEach((line, index) => {
    const row = worksheet.getRow(layout.preambleRows[index] ?? 0);
    row.getCell(1).value = line;
    row.commit();
  });
  let autoFilter: string | undefined;
  for (const blockLayout of layout.blocks) {
    const { block, headerRow, lastRow, titleRow } = blockLayout;
    if (titleRow !== undefined) {
      const row = worksheet.getRow(titleRow);
      const cell = row.getCell(1);
      cell.value = block.title ?? '';
      cell.style = TITLE_STYLE;
      row.commit();
    }
    const header = worksheet.getRow(headerRow);
    styleHeader(header, block, true);
    header.commit();
    if (block.rows.length === 0) {
      const row = worksheet.getRow(headerRow + 1);
      row.getCell(1).value = block.emptyText;
      row.commit();
    } else {
      autoFilter ??= `A${headerRow}:${columnLetter(block.columns.length)}${lastRow}`;
    }
    fillRows(worksheet, blockLayout, styles, true, (row) => {
      row.commit();
    });
    addConditionalFormatting(worksheet, blockLayout);
  }
  if (autoFilter !== undefined) worksheet.autoFilter = autoFilter;
  worksheet.pageSetup.printTitlesRow = `${layout.firstHeaderRow}:${layout.firstHeaderRow}`;
  worksheet.commit();
}

/**
 * Marks every cell format with the text number format (`@`, id 49) as `quotePrefix="1"` in
 * `styles.xml`: exceljs cannot set `quotePrefix` itself, and only formula-like player text gets
 * that format. Applies to `<cellXfs>` only.
 */
export function withQuotePrefix(stylesXml: string): string {
  return stylesXml.replace(/<cellXfs[\s\S]*?<\/cellXfs>/, (cellXfs) =>
    cellXfs.replace(/<xf numFmtId="49"(?![^>]*quotePrefix)/g, '<xf numFmtId="49" quotePrefix="1"'),
  );
}
