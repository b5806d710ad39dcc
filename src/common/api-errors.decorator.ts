// Documents the error answers of an endpoint in OpenAPI, all with the Contract's error body.
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDoc } from './page';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  401: 'No token, or an unknown or revoked token',
  403: "The token's role may not do this",
  404: 'No such record (or not visible to this token)',
  409: 'Conflicts with existing records',
  503: 'The database is unavailable',
};

export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBodyDoc })));
}
