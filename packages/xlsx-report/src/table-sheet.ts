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

/** Adds a sheet: blocks as Excel Tables with number formats, fitted widths, frozen panes, rules. */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  spec: SheetSpec,
  options: FormatOptions,
): ExcelJS.Worksheet {
  const styles = createStyles(options);
  const headerStyle: Partial<ExcelJS.Style> = {
    font: { bold: true },
    alignment: { vertical: 'bottom', wrapText: true },
  };
  const titleStyle: Partial<ExcelJS.Style> = { font: { bold: true, size: 13 } };
  const worksheet = workbook.addWorksheet(spec.name, {
    properties: spec.tabColor === undefined ? {} : { tabColor: { argb: spec.tabColor } },
    // Wide sheets: print landscape at 70%, repeating the header row (set below) on every page.
    pageSetup: { orientation: 'landscape', fitToPage: false, scale: 70 },
  });
  const widths: number[] = [];
  const fit = (index: number, length: number): void => {
    widths[index] = Math.max(widths[index] ?? 0, length);
  };

  let row = 1;
  for (const line of spec.preamble ?? []) {
    worksheet.getCell(row, 1).value = line;
    row += 1;
  }
  if (spec.preamble !== undefined && spec.preamble.length > 0) row += 1;

  let firstHeaderRow = 0;
  for (const block of spec.blocks) {
    if (block.title !== undefined) {
      const cell = worksheet.getCell(row, 1);
      cell.value = block.title;
      cell.style = titleStyle;
      row += 1;
    }
    const headerRow = row;
    if (firstHeaderRow === 0) firstHeaderRow = headerRow;
    const columnIndex = new Map(block.columns.map((column, index) => [column.header, index + 1]));
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
      block.columns.forEach((column, index) => {
        worksheet.getCell(headerRow, index + 1).value = column.header;
      });
      worksheet.getCell(headerRow + 1, 1).value = block.emptyText;
    }
    block.columns.forEach((column, index) => {
      const cell = worksheet.getCell(headerRow, index + 1);
      cell.style = headerStyle;
      if (column.note !== undefined) cell.note = column.note;
      fit(index, Math.min(column.header.length, 12));
    });
    block.rows.forEach((values, rowOffset) => {
      const sheetRow = worksheet.getRow(headerRow + 1 + rowOffset);
      block.columns.forEach((column, index) => {
        const value = values[index] ?? null;
        const cell = sheetRow.getCell(index + 1);
        if (typeof value === 'string' && FORMULA_LIKE.test(value)) cell.style = styles.quoted;
        else if (value instanceof Date && column.kind !== 'date') cell.style = styles.datetime;
        else if (typeof value === 'number' && column.kind === 'text') cell.style = styles.integer;
        else cell.style = styles[column.kind];
        fit(index, displayLength(value, column.kind, options.dateFormat));
      });
    });
    const lastRow = headerRow + block.rows.length;
    if (block.conditionalFormatting !== undefined && block.rows.length > 0) {
      const range: BlockRange = {
        firstRow: headerRow + 1,
        lastRow,
        lastColumn: columnLetter(block.columns.length),
        column: (header) => {
          const index = columnIndex.get(header);
          if (index === undefined) throw new Error(`addTableSheet: no column ${header}`);
          return columnLetter(index);
        },
      };
      for (const formatting of block.conditionalFormatting(range)) {
        worksheet.addConditionalFormatting(formatting);
      }
    }
    row = Math.max(lastRow, headerRow + 1) + 3;
  }

  widths.forEach((width, index) => {
    worksheet.getColumn(index + 1).width = Math.min(Math.max(width + 1, 7), 50);
  });
  worksheet.pageSetup.printTitlesRow = `${firstHeaderRow}:${firstHeaderRow}`;
  worksheet.views = [
    {
      state: 'frozen',
      xSplit: spec.frozenColumns,
      ySplit: firstHeaderRow,
      topLeftCell: `${columnLetter(spec.frozenColumns + 1)}${firstHeaderRow + 1}`,
      activeCell: `${columnLetter(spec.frozenColumns + 1)}${firstHeaderRow + 1}`,
    },
  ];
  return worksheet;
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
