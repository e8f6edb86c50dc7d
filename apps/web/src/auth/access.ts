import { grants, type Permission } from '@backoffice/contracts';

/** `users`, `roles`, … : the part of a permission before the colon. */
export type Resource = Permission extends `${infer R}:${string}` ? R : never;

/** The actions the catalogue defines on a resource. */
export type ActionOf<R extends Resource> = Permission extends infer P
  ? P extends `${R}:${infer A}`
    ? A
    : never
  : never;

export type CanAccess = <R extends Resource>(resource: R, action: ActionOf<R>) => boolean;

/**
 * The UI's question "may this person do that?", answered from the permissions of `GET /auth/me`. It
 * only decides what to show: the server checks every request.
 */
export function accessFrom(permissions: readonly string[] | undefined): CanAccess {
  return (resource, action) =>
    permissions !== undefined && grants(permissions, `${resource}:${action}` as Permission);
}
