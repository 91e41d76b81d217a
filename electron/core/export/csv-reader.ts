// A strict, streaming RFC 4180 reader for verify-pack: rows end in CRLF, a cell is either bare
// (no quote, CR or LF in it) or quoted (quotes doubled, anything else kept, line breaks included).
// Anything else is an error naming the row, rather than a guess; the export never writes it.

export class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(`row ${row}: ${message}`);
  }
}

type State = 'start' | 'bare' | 'quoted' | 'quote' | 'cr';

export class CsvReader {
  private state: State = 'start';
  private cell = '';
  private row: string[] = [];
  private rowNumber = 1;

  /** Rows completed by this chunk of text. */
  push(text: string): string[][] {
    const done: string[][] = [];
    let bareStart = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case 'start':
        case 'bare':
          if (c === 0x2c /* , */) {
            this.endBare(text, bareStart, i);
            bareStart = -1;
            this.row.push(this.cell);
            this.cell = '';
            this.state = 'start';
          } else if (c === 0x0d /* CR */) {
            this.endBare(text, bareStart, i);
            bareStart = -1;
            this.state = 'cr';
          } else if (c === 0x22 /* " */) {
            if (this.state === 'bare' || bareStart !== -1)
              throw new CsvSyntaxError(this.rowNumber, 'a quote inside an unquoted cell');
            this.state = 'quoted';
          } else if (c === 0x0a) {
            throw new CsvSyntaxError(this.rowNumber, 'a line feed outside quotes without CR');
          } else {
            if (bareStart === -1) bareStart = i;
            this.state = 'bare';
          }
          break;
        case 'quoted': {
          const close = text.indexOf('"', i);
          if (close === -1) {
            this.cell += text.slice(i);
            i = text.length;
          } else {
            this.cell += text.slice(i, close);
            i = close;
            this.state = 'quote';
          }
          break;
        }
        case 'quote':
          if (c === 0x22) {
            this.cell += '"';
            this.state = 'quoted';
          } else if (c === 0x2c) {
            this.row.push(this.cell);
            this.cell = '';
            this.state = 'start';
          } else if (c === 0x0d) {
            this.state = 'cr';
          } else {
            throw new CsvSyntaxError(this.rowNumber, 'text after a closing quote');
          }
          break;
        case 'cr':
          if (c !== 0x0a) throw new CsvSyntaxError(this.rowNumber, 'a CR not followed by LF');
          this.row.push(this.cell);
          done.push(this.row);
          this.row = [];
          this.cell = '';
          this.rowNumber++;
          this.state = 'start';
          break;
      }
    }
    if (bareStart !== -1) this.cell += text.slice(bareStart);
    return done;
  }

  /** Checks that the text ended after a complete row. */
  end(): void {
    if (this.state !== 'start' || this.row.length > 0 || this.cell !== '')
      throw new CsvSyntaxError(this.rowNumber, 'the last row does not end with CRLF');
  }

  private endBare(text: string, start: number, end: number): void {
    if (start !== -1) this.cell += text.slice(start, end);
  }
}
