// The global ValidationPipe, reporting every bad field by its path (e.g. contacts.0.email). Before
// any DTO is looked at, it refuses strings PostgreSQL cannot store in whatever a handler takes
// (path parameters, query, body, typed or not), so that no controller can forget it.
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InvalidError, type FieldError } from './errors';
import { unstorableStrings } from './request-input';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

class AsterValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // 'custom' arguments (the current actor) come from Aster itself, not from the request.
    if (metadata.type !== 'custom') {
      const errors = unstorableStrings(value, metadata.data ?? metadata.type);
      if (errors.length > 0) throw new InvalidError(errors);
    }
    return super.transform(value, metadata);
  }
}

export function validationPipe(): ValidationPipe {
  return new AsterValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidError(flatten(errors)),
  });
}
