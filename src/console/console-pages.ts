// What every console controller shares: the class decorator that makes a controller a set of
// console pages (session guard, HTML errors, out of OpenAPI, not under the API's bearer guard),
// and the small readers of form and query values.
import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { clientScope, type Actor } from '../auth/actor';
import { Public } from '../auth/roles.decorator';
import type { ClientsService } from '../clients/clients.service';
import { ClientQuery } from '../clients/dto/client.dto';
import { NotFoundError } from '../common/errors';
import { ConsoleAuthGuard } from './console-auth.guard';
import { ConsoleExceptionFilter } from './console.filter';

export const ConsolePages = () =>
  applyDecorators(
    ApiExcludeController(),
    Controller('console'),
    Public(), // to the API's bearer AuthGuard; ConsoleAuthGuard checks the session instead
    UseGuards(ConsoleAuthGuard),
    UseFilters(ConsoleExceptionFilter),
  );

/** A parsed form body or query string. */
export type Form = Record<string, unknown>;

/** A field as sent (may be blank), or undefined when absent or not text. */
export function text(form: Form, key: string): string | undefined {
  const v = form[key];
  return typeof v === 'string' ? v : undefined;
}

/** A trimmed, non-blank value, or undefined. */
export function one(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A field that may repeat (checkboxes): its values. */
export function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** A textarea of one item per line (or comma-separated). */
export function lines(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `?page=` as a page number within reason. */
export function pageNumber(value: unknown): number {
  return Math.max(1, Math.min(10_000, Number(one(value) ?? 1) || 1));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id in a path that cannot be one is simply not found (before any query). */
export function requireUuid(entity: string, id: string): void {
  if (!UUID.test(id)) throw new NotFoundError(entity, id);
}

/** The clients a form may offer (release to, move a domain to, bind a token to), by name. */
export async function clientChoices(clients: ClientsService, actor: Actor): Promise<{ id: string; name: string }[]> {
  if (clientScope(actor)) return [];
  const result = await clients.list(Object.assign(new ClientQuery(), { page: 1, limit: 200 }), actor);
  return result.items.map((c) => ({ id: c.id, name: c.name }));
}
