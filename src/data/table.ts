// A table is an ordered list of equal-length columns. It is immutable: operations return
// new tables that share untouched column arrays.
import { columnLength, takeColumns, type CategoricalColumn, type Column, type NumericColumn } from './column.ts';

export class Table {
  readonly columns: readonly Column[];
  readonly numRows: number;
  private readonly byName: Map<string, Column>;

  constructor(columns: readonly Column[]) {
    const n = columns.length > 0 ? columnLength(columns[0]) : 0;
    this.byName = new Map();
    for (const c of columns) {
      if (columnLength(c) !== n) throw new RangeError(`column '${c.name}' has ${columnLength(c)} rows, expected ${n}`);
      if (this.byName.has(c.name)) throw new RangeError(`duplicate column name '${c.name}'`);
      this.byName.set(c.name, c);
    }
    this.columns = columns;
    this.numRows = n;
  }

  get numCols(): number {
    return this.columns.length;
  }

  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  column(name: string): Column {
    const c = this.byName.get(name);
    if (!c) throw new RangeError(`no column '${name}'`);
    return c;
  }

  numeric(name: string): NumericColumn {
    const c = this.column(name);
    if (c.kind !== 'numeric') throw new TypeError(`column '${name}' is not numeric`);
    return c;
  }

  categorical(name: string): CategoricalColumn {
    const c = this.column(name);
    if (c.kind !== 'categorical') throw new TypeError(`column '${name}' is not categorical`);
    return c;
  }

  select(names: readonly string[]): Table {
    return new Table(names.map((n) => this.column(n)));
  }

  drop(names: readonly string[]): Table {
    const s = new Set(names);
    return new Table(this.columns.filter((c) => !s.has(c.name)));
  }

  /** Rows at the given indices, in that order. */
  take(indices: ArrayLike<number>): Table {
    return new Table(takeColumns(this.columns, indices));
  }

  slice(start: number, end: number = this.numRows): Table {
    const idx = new Int32Array(Math.max(0, Math.min(end, this.numRows) - start));
    for (let i = 0; i < idx.length; i++) idx[i] = start + i;
    return this.take(idx);
  }
}
