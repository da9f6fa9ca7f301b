import { describe, expect, it } from 'vitest';
import { numberColumn, parseCsv } from '../src/io/csv.js';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF and a trailing newline', () => {
    const table = parseCsv('name,"value"\r\n"a, b",1\r\n"say ""hi""",2.5\r\n', 'x.csv');
    expect(table.header).toEqual(['name', 'value']);
    expect(table.rows).toEqual([
      ['a, b', '1'],
      ['say "hi"', '2.5'],
    ]);
    expect(Array.from(numberColumn(table, 'value'))).toEqual([1, 2.5]);
  });

  it('names the row and column of a non-numeric value', () => {
    const table = parseCsv('y\n1\nabc\n', 'x.csv');
    expect(() => numberColumn(table, 'y')).toThrow("row 3, column 'y'");
  });

  it('rejects ragged rows', () => {
    expect(() => parseCsv('a,b\n1\n', 'x.csv')).toThrow('row 2 has 1 fields');
  });
});
