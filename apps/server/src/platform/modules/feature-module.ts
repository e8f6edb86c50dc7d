import {
  PERMISSION_NAMES,
  type AuditAction,
  type Channel,
  type Permission,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { AuditContext, AuditWriter } from '../audit/writer.ts';
import type { Database } from '../db/database.ts';
import type { EventFormat, Projection } from '../events/types.ts';
import type { JobHandler } from '../jobs/jobs.ts';
import type { ScheduledTask } from '../jobs/scheduler.ts';
import type { ActivityFeed } from '../realtime/activity.ts';
import type { ChannelSource } from '../realtime/hub.ts';
import type { ResourceDefinition } from '../resources/resource.ts';
import type { UpstreamService } from '../upstream/plugin.ts';

/** What a feature is given when the application is built. */
export interface FeatureContext {
  readonly config: Config;
  /**
   * The features this instance runs: what roles may usefully grant is their permissions (a pack that
   * does not run brings no route that checks its own), and the dashboard shows their tiles.
   */
  readonly features: readonly FeatureModule[];
}

/** A figure of the dashboard a feature adds: one counter of its projections (read_model_counters). */
export interface DashboardTile {
  /** The counter's name, as its projection counts it (`<feature>.total`). */
  readonly counter: string;
  readonly label: string;
}

/** What a feature's projections are given, in the server and in the CLI (rebuild, replay). */
export interface ProjectionContext {
  readonly audit: AuditWriter;
}

/** What a command of `backoffice <command>` is given (cli.ts builds it). */
export interface CliContext {
  /** Opens the configured database, brings it up to date, runs `work`, and closes everything. */
  withDatabase<T>(work: (db: Database, config: Config) => Promise<T>): Promise<T>;
  /** The audit writer as the server builds it (same key, same fallback file). */
  auditWriter(config: Config): Promise<AuditWriter>;
  /** The projections of the features the configured packs run, as the server runs them. */
  projections(audit: AuditWriter, config: Config): Projection[];
  /** Their activity feeds (a projector announces their items). */
  feeds(config: Config): ActivityFeed[];
  /** Their foreign message formats (a replayed dead letter may be in one). */
  formats(config: Config): EventFormat[];
  /** Who the audit trail names for actions taken from the command line. */
  readonly actor: AuditContext;
  readonly logger: () => Logger;
  out(line: string): void;
  /** A line that replaces itself on a terminal. */
  progress(text: string): void;
  /** A password typed without echo (on a terminal), or the first line of standard input. */
  readPassword(prompt: string, fromStdin: boolean): Promise<string>;
}

/** One operator command: `backoffice <name> [options]`. */
export interface CliCommand {
  readonly summary: string;
  readonly usage?: string;
  readonly options?: ParseArgsConfig['options'];
  /** The exit code. */
  run(values: Record<string, string | boolean | undefined>, cli: CliContext): Promise<number>;
}

/** A group of operations in the OpenAPI document. */
export interface ApiTag {
  readonly name: string;
  readonly description: string;
}

/**
 * One capability of the backoffice, as one object: everything the application, the projector, the
 * CLI and the API document need from it. Every folder under `features/` exports one from its
 * `index.ts`, and `features/index.ts` lists them; nothing else names a feature. Removing a feature is
 * removing its folder and its line in that list.
 */
export interface FeatureModule {
  /** The folder's name. */
  readonly name: string;
  /** Its groups of operations in the OpenAPI document. */
  readonly tags?: readonly ApiTag[];
  /** The permissions its routes check (each permission of the catalogue belongs to one feature). */
  readonly permissions?: readonly Permission[];
  /**
   * The audit actions it records (each action of the catalogue belongs to one feature, or to the
   * platform: PLATFORM_AUDIT_ACTIONS).
   */
  readonly auditActions?: readonly AuditAction[];
  /** Its background job handlers, by job type (registered before any job is claimed). */
  readonly jobs?: (app: FastifyInstance) => Readonly<Record<string, JobHandler>>;
  /** Its read-model projections, in the order they run within a batch. */
  readonly projections?: (context: ProjectionContext) => readonly Projection[];
  /**
   * Services other features use, decorated on the application before any routes are registered (not
   * encapsulated: what it decorates is visible to every feature after it in the list).
   */
  readonly services?: (app: FastifyInstance, context: FeatureContext) => void | Promise<void>;
  /** Its routes (an encapsulated plugin: its hooks apply to its routes only). */
  readonly routes?: (app: FastifyInstance, context: FeatureContext) => void | Promise<void>;
  /**
   * Foreign message shapes its producers send, mapped to the envelope by every source (Keycloak's
   * events, say): docs/ingestion.md.
   */
  readonly formats?: readonly EventFormat[];
  /** Its periodic work (built once its services exist; the scheduler runs it). */
  readonly schedules?: (app: FastifyInstance) => readonly ScheduledTask[];
  /** Its live activity feeds (which events appear on which realtime channel, as what). */
  readonly feeds?: readonly ActivityFeed[];
  /** Its figures on the dashboard (counters its projections keep). */
  readonly tiles?: readonly DashboardTile[];
  /** Its realtime channels' sources (built once its services exist). */
  readonly channels?: (app: FastifyInstance) => Partial<Record<Channel, ChannelSource>>;
  /**
   * Its declared resources: each gets list, filters, detail, export, OpenAPI entries and a generic
   * screen from its declaration alone (docs/resources.md).
   */
  readonly resources?: readonly ResourceDefinition[];
  /** The platform services it calls (or watches the health of), each declared by one feature. */
  readonly upstreams?: readonly UpstreamService[];
  /** Its operator commands, by name (`backoffice <name>`). */
  readonly commands?: Readonly<Record<string, CliCommand>>;
}

/**
 * A product platform the backoffice serves, as the server sees it: the feature modules it brings (each
 * listed once in `features/index.ts`, where the order is set). Its event contracts and names live in
 * packages/contracts, its sandbox services in sandbox/, its screens in the web app.
 */
export interface DomainPack {
  /** Its name in BACKOFFICE_PACKS (a key of the contracts' PACKS). */
  readonly name: string;
  /** Its features: they run when this pack (or another pack that brings them too) is configured. */
  readonly features: readonly FeatureModule[];
}

/**
 * The features that run with these packs: every feature no pack brings (the backoffice's own: staff,
 * audit, ingestion…) and those of the packs named, in the order of `all`.
 */
export function featuresWith(
  all: readonly FeatureModule[],
  packs: readonly DomainPack[],
  selected: readonly DomainPack[],
): FeatureModule[] {
  const brought = new Set(packs.flatMap((pack) => pack.features));
  const wanted = new Set(selected.flatMap((pack) => pack.features));
  return all.filter((feature) => !brought.has(feature) || wanted.has(feature));
}

/** The projections of these features, in list order: the projector's and the rebuild's. */
export function projectionsOf(
  features: readonly FeatureModule[],
  context: ProjectionContext,
): Projection[] {
  return features.flatMap((feature) => feature.projections?.(context) ?? []);
}

/** The OpenAPI tags of these features and of their resources, in list order. */
export function tagsOf(features: readonly FeatureModule[]): ApiTag[] {
  return features.flatMap((feature) => [
    ...(feature.tags ?? []),
    ...(feature.resources ?? []).map((r) => ({ name: r.name, description: r.description })),
  ]);
}

/** The permissions these features' routes check, in catalogue order. */
export function permissionsOf(features: readonly FeatureModule[]): Permission[] {
  const owned = new Set(features.flatMap((feature) => feature.permissions ?? []));
  return PERMISSION_NAMES.filter((permission) => owned.has(permission));
}

/** The dashboard tiles of these features, in list order. */
export function tilesOf(features: readonly FeatureModule[]): DashboardTile[] {
  return features.flatMap((feature) => feature.tiles ?? []);
}

/** The resources these features declare. */
export function resourcesOf(features: readonly FeatureModule[]): ResourceDefinition[] {
  return features.flatMap((feature) => feature.resources ?? []);
}

/** The foreign message formats of these features. */
export function formatsOf(features: readonly FeatureModule[]): EventFormat[] {
  return features.flatMap((feature) => feature.formats ?? []);
}

/** The periodic tasks of these features. */
export function schedulesOf(
  features: readonly FeatureModule[],
  app: FastifyInstance,
): ScheduledTask[] {
  return features.flatMap((feature) => feature.schedules?.(app) ?? []);
}

/** The platform services these features call. */
export function upstreamsOf(features: readonly FeatureModule[]): UpstreamService[] {
  return features.flatMap((feature) => feature.upstreams ?? []);
}

/** The activity feeds of these features. */
export function feedsOf(features: readonly FeatureModule[]): ActivityFeed[] {
  return features.flatMap((feature) => feature.feeds ?? []);
}

/** The realtime channels' sources of these features (a channel belongs to one feature). */
export function channelsOf(
  features: readonly FeatureModule[],
  app: FastifyInstance,
): Partial<Record<Channel, ChannelSource>> {
  return Object.assign({}, ...features.map((feature) => feature.channels?.(app) ?? {})) as Partial<
    Record<Channel, ChannelSource>
  >;
}
