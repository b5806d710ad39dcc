// Any other address under /console is a page saying so (the API's JSON 404 is for programs). The
// module lists this controller last: routes match in the order they are registered.
import { Get } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { ConsolePages } from './console-pages';

@ConsolePages()
export class ConsoleNotFoundController {
  @Get('*rest')
  notFound(): never {
    throw new NotFoundError('Page', 'under /console');
  }
}
