import { describe, expect, it, vi } from 'vitest';
import { downloadBlob, fetchAllPages, toCsv } from './csv.ts';

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [true, null],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\ntrue,\r\n');
  });

  it('quotes cells with commas, quotes, line breaks or edge spaces', () => {
    expect(toCsv(['v'], [['a,b'], ['say "hi"'], ['two\nlines'], [' padded']])).toBe(
      'v\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n" padded"\r\n',
    );
  });

  it('keeps text that looks like a formula from running in a spreadsheet', () => {
    expect(toCsv(['v'], [['=1+1'], ['@SUM(A1)'], [-5]])).toBe("v\r\n'=1+1\r\n'@SUM(A1)\r\n-5\r\n");
  });
});

describe('fetchAllPages', () => {
  it('fetches pages until the total is reached', async () => {
    const rows = Array.from({ length: 230 }, (_, i) => i);
    const fetchPage = vi.fn((page: number, limit: number) =>
      Promise.resolve({
        data: rows.slice((page - 1) * limit, page * limit),
        page,
        limit,
        total: rows.length,
      }),
    );
    expect(await fetchAllPages(fetchPage)).toEqual(rows);
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(fetchPage).toHaveBeenCalledWith(1, 100);
  });

  it('stops at an empty page even if the total said more', async () => {
    const fetchPage = vi.fn((page: number, limit: number) =>
      Promise.resolve({ data: page === 1 ? [1, 2] : [], page, limit, total: 10 }),
    );
    expect(await fetchAllPages(fetchPage, { limit: 2 })).toEqual([1, 2]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('stops at the row cap', async () => {
    const fetchPage = (page: number, limit: number) =>
      Promise.resolve({ data: Array.from({ length: limit }, () => page), page, limit, total: 1e6 });
    expect(await fetchAllPages(fetchPage, { limit: 10, maxRows: 25 })).toHaveLength(25);
  });
});

describe('downloadBlob', () => {
  it('clicks a hidden link to the file under the given name, then removes it', () => {
    // jsdom has no object URLs.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back, never called
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    const createObjectURL = vi.fn(() => 'blob:file');
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const clicked: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.href, download: this.download });
    });
    const blob = new Blob(['{"seq":1}\n'], { type: 'application/x-ndjson' });
    downloadBlob('audit.ndjson', blob);
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked).toEqual([{ href: 'blob:file', download: 'audit.ndjson' }]);
    expect(document.querySelector('a[download]')).toBeNull();
    click.mockRestore();
    URL.createObjectURL = original.create;
    URL.revokeObjectURL = original.revoke;
  });
});
