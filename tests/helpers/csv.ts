/** Reading back what the CSV export writes, for unit and browser tests. */

/**
 * A strict RFC 4180 reader (with `separator` in place of the comma), to check that what toCsv writes reads
 * back as the same fields: a bare quote or line break, or a row without CRLF, throws.
 */
export function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else if (i >= text.length) throw new Error('unterminated quote');
        else field += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== separator && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === separator) i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`expected ${separator} or CRLF at ${i}`);
  }
  if (row.length) throw new Error('last row has no CRLF');
  return rows;
}
