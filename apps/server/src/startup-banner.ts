import path from 'node:path';

export interface StartupBanner {
  url: string;
  /** The first Admin, when there is one to tell about. */
  admin?: {
    email: string;
    /** Its generated password, on the start that created it; later starts say where it is kept. */
    password: string | undefined;
    secretsFile: string;
  };
  /**
   * In demo mode: the sandbox's services running here (default: Money Planner's), and whether this
   * start seeded them (their history is still coming in).
   */
  demo?: { seeded: boolean; services?: readonly string[] };
  cwd?: string;
}

/** A path as a person would type it from where they started the server. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  const display = relative !== '' && !relative.startsWith('..') ? relative : file;
  return /^[\w./-]+$/.test(display) ? display : `'${display.replaceAll("'", "'\\''")}'`;
}

/**
 * What a person at the terminal needs once the server is up: where it is and how to sign in. Printed
 * last, after the start's log lines, so that it is what they see.
 */
export function startupBanner(banner: StartupBanner): string {
  const { url, admin, demo } = banner;
  const cwd = banner.cwd ?? process.cwd();
  const lines = ['', `  Backoffice is running at ${url}`];
  if (admin !== undefined) {
    const file = shown(admin.secretsFile, cwd);
    lines.push(
      admin.password === undefined
        ? `  Sign in as ${admin.email}. Password: run \`jq -r .bootstrapAdminPassword ${file}\``
        : `  Sign in as ${admin.email} / ${admin.password}   (kept in ${file})`,
    );
  }
  if (demo !== undefined) {
    const services = demo.services ?? ['User', 'Transaction', 'Budget'];
    const named =
      services.length < 2
        ? services.join('')
        : `${services.slice(0, -1).join(', ')} and ${services.at(-1) ?? ''}`;
    lines.push(
      '',
      '  Demo mode: no platform service is configured (USER_SERVICE_URL…), so the sandbox’s',
      `  ${named} services run in this process.`,
      '  BACKOFFICE_SANDBOX=off turns this off.',
    );
    if (demo.seeded) {
      lines.push(
        '  Their history was generated just now: the dashboard says "Catching up" until it is all in.',
      );
    }
  }
  lines.push(
    '',
    `  API documentation: ${url}/docs`,
    `  Probes: ${url}/healthz  ${url}/readyz   Metrics: ${url}/metrics`,
    '',
    '',
  );
  return lines.join('\n');
}
