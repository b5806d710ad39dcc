// Shared edges of the clients' and registrars' input: trimming text, and notes.
import { Transform } from 'class-transformer';
import { MaxLength } from 'class-validator';

/** Trims a string value before validation; other values pass through for the validators to refuse. */
export const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Like Trim, but an empty (or all-blank) string becomes null: "no notes" has one spelling. */
export const TrimToNull = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  });

/** Longest free-text notes accepted (clients, registrars). */
export const MAX_NOTES_LENGTH = 10_000;

/** Free text of at most MAX_NOTES_LENGTH characters (MaxLength refuses non-strings as well). */
export const NotesText = (): PropertyDecorator => MaxLength(MAX_NOTES_LENGTH, { message: `$property must be text of at most ${MAX_NOTES_LENGTH} characters` });
