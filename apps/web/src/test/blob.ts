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
