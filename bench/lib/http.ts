import { Pool } from 'undici';

export interface Timed {
  status: number;
  /** From sending the request to the last byte of the body. */
  ms: number;
  body: string;
}

/**
 * The HTTP client of every benchmark (undici, keep-alive): the same for the backoffice and for the bare
 * Fastify baseline, so their figures compare.
 */
export class HttpClient {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
  }

  async get(path: string, token?: string): Promise<Timed> {
    const started = performance.now();
    const response = await this.pool.request({
      method: 'GET',
      path,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    const body = await response.body.text();
    return { status: response.statusCode, ms: performance.now() - started, body };
  }

  async post(path: string, body: string, headers: Record<string, string>): Promise<Timed> {
    const started = performance.now();
    const response = await this.pool.request({ method: 'POST', path, headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, ms: performance.now() - started, body: text };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** GET that must answer 200; returns the parsed body. */
export async function getJson<T>(client: HttpClient, path: string, token?: string): Promise<T> {
  const response = await client.get(path, token);
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${response.body.slice(0, 300)}`);
  return JSON.parse(response.body) as T;
}
