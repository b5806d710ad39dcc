// What both main.ts and the tests apply to the Nest application before it listens.
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { validationPipe } from './common/validation';

export function setupApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  express.set('query parser', 'extended');
  express.useBodyParser('json', { limit: '1mb' });
  express.useBodyParser('text', { type: ['text/csv', 'text/plain'], limit: '10mb' });
  app.useGlobalPipes(validationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Aster')
      .setDescription(
        'Domain registry, registrar-mail relay and transfer guidance for web hosts that keep their clients\' domain names. ' +
          'Every endpoint but /api/health needs `Authorization: Bearer <token>`. Errors: `{ statusCode, message, errors? }`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
