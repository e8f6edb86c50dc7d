import { vi } from 'vitest';

/**
 * A Blob's text. jsdom's own Blob (what `new Blob()` makes under test) has no `text()`, but its
 * FileReader reads it; a Blob from `Response.blob()` is Node's, which has `text()`.
 */
export function blobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the blob'));
    reader.readAsText(blob);
  });
}

/** A file the page downloaded: the name it gave it, and its content. */
export interface SavedFile {
  name: string;
  text: Promise<string>;
}

/**
 * Catches the page's downloads (an object URL clicked as a link) instead of the browser's: each lands in
 * `saved`. `restore()` puts the browser's back (call it in `finally`).
 */
export function captureDownloads(): { saved: SavedFile[]; restore: () => void } {
  const saved: SavedFile[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back, never called
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  URL.createObjectURL = (blob: Blob) => {
    saved.push({ name: '', text: blobText(blob) });
    return 'blob:download';
  };
  URL.revokeObjectURL = () => undefined;
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const last = saved.at(-1);
    if (last !== undefined) last.name = this.download;
  });
  return {
    saved,
    restore: () => {
      click.mockRestore();
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    },
  };
}
